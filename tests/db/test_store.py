from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from evidence_tables.corpus import Article, Deletion, ParseError, Rejected, read_path
from evidence_tables.db import SCHEMA_VERSION, EvidenceDB, ImportReport, QueryError, SchemaError
from evidence_tables.extractor.outcomes import Outcome


def art(sid: str, text: str, **kw) -> Article:
    return Article(study_id=sid, abstract=text, source="t.jsonl", location="line 1", **kw)


def imported(store, items) -> ImportReport:
    report = ImportReport()
    store.import_items(items, report)
    return report


def test_schema_is_versioned_and_in_wal_mode(tmp_path):
    path = tmp_path / "a.db"
    EvidenceDB(path).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in con.execute("select name from sqlite_master")}
    assert {"studies", "outcomes", "runs", "extractions", "evidence", "studies_fts"} <= names
    EvidenceDB(path).close()  # reopening migrates nothing and keeps the version
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_and_foreign_files_are_refused(tmp_path):
    newer = tmp_path / "newer.db"
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(SchemaError, match="newer"):
        EvidenceDB(newer)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table cats (name text)")
    with pytest.raises(SchemaError, match="not an evidence database"):
        EvidenceDB(other)
    text = tmp_path / "text.db"
    text.write_text("hello, I am not a database" * 100)
    with pytest.raises(SchemaError):
        EvidenceDB(text)


def test_reimport_is_idempotent(store):
    items = [art("a", "Text A.", title="A"), art("b", "Text B.")]
    first = imported(store, items)
    assert (first.added, first.unchanged) == (2, 0)
    before = store.db.execute("select * from studies order by study_id").fetchall()
    again = imported(store, items)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    assert store.db.execute("select * from studies order by study_id").fetchall() == before


def test_more_studies_than_one_statement_takes_are_all_stored_and_indexed(store):
    """Studies go in as many at a time as SQLite allows variables; here 2 a statement (12 columns each)."""
    store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 25)
    report = imported(
        store,
        [art(f"s{i}", f"Abstract {i} about lymphoma{i % 2}.", title=f"T{i}") for i in range(7)],
    )
    assert report.added == 7
    rows = store.db.execute(
        "select study_id, title, abstract from studies order by rowid"
    ).fetchall()
    assert rows == [(f"s{i}", f"T{i}", f"Abstract {i} about lymphoma{i % 2}.") for i in range(7)]
    hits = store.db.execute(
        "select rowid from studies_fts where studies_fts match 'lymphoma1'"
    ).fetchall()
    assert len(hits) == 3


def test_changed_abstract_replaces_and_forgets_old_outcomes(store):
    imported(store, [art("a", "Median overall survival was 8 months.")])
    o = Outcome(
        measure="median_os", value=8.0, unit="months", start=0, end=37, sentence="s", rule="r"
    )
    store.save_outcomes([("a", store.study("a")["text_sha256"], [o])], version="v1", run_id="r1")
    assert store.count_pending("v1") == 0
    report = imported(store, [art("a", "Median overall survival was 9 months.")])
    assert report.changed == 1
    assert store.study("a")["abstract"].endswith("9 months.")
    assert store.outcomes("a") == []  # offsets of the old text no longer point anywhere
    assert store.count_pending("v1") == 1
    # full-text index follows the update
    assert [
        r["study_id"]
        for r in store.db.query(
            "select s.study_id from studies_fts f join studies s on s.rowid = f.rowid where studies_fts match '9'"
        )
    ] == ["a"]


def test_metadata_only_change_keeps_outcomes(store):
    imported(store, [art("a", "Same text.")])
    store.save_outcomes([("a", store.study("a")["text_sha256"], [])], version="v1", run_id="r1")
    report = imported(store, [art("a", "Same text.", doi="10.1/x")])
    assert report.metadata_updated == 1 and store.study("a")["doi"] == "10.1/x"
    assert store.count_pending("v1") == 0


def test_duplicate_id_in_one_file_with_other_text_is_rejected(store):
    report = imported(store, [art("a", "First."), art("a", "Second."), art("a", "First.")])
    assert report.added == 1 and report.unchanged == 1
    (problem,) = report.rejected
    assert problem.record_id == "a" and "duplicate id" in problem.reason
    assert store.study("a")["abstract"] == "First."


def test_rejected_and_no_abstract_are_counted(store):
    report = imported(
        store,
        [
            Rejected(source="f", location="line 2", reason="bad"),
            Rejected(source="f", location="line 3", reason="no abstract", is_error=False),
            art("a", "Fine."),
        ],
    )
    assert (
        report.added == 1
        and report.no_abstract == 1
        and len(report.rejected) == 1
        and not report.ok
    )


def test_deletion_removes_study_and_outcomes(store):
    imported(store, [art("123", "Text.", pmid="123"), art("b", "Other.")])
    o = Outcome(
        measure="cohort_size", value=5, unit="patients", start=0, end=1, sentence="s", rule="r"
    )
    store.save_outcomes(
        [("123", store.study("123")["text_sha256"], [o])], version="v1", run_id="r1"
    )
    assert len(store.outcomes("123")) == 1
    report = imported(store, [Deletion(pmids=("123", "999"))])
    assert report.deleted == 1 and store.study("123") is None and store.outcomes("123") == []
    assert store.study("b") is not None


def test_records_before_a_parse_error_are_stored(store, fixtures, tmp_path):
    data = (fixtures / "efetch_two_articles.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b"90000003")])
    report = ImportReport()
    with pytest.raises(ParseError):
        store.import_items(read_path(cut), report)
    assert report.added == 2 and store.count("studies") == 2


def test_outcome_ids_are_stable_and_rows_replaced(store):
    imported(store, [art("a", "Text.")])
    o = Outcome(
        measure="cr_rate",
        value=30.0,
        unit="%",
        start=0,
        end=4,
        sentence="Text.",
        rule="cr_rate.x",
        group_label="R-ICE",
        regimen="R-ICE",
        numerator=3,
        denominator=10,
        flags=("f1", "f2"),
    )
    sha = store.study("a")["text_sha256"]
    store.save_outcomes([("a", sha, [o])], version="v1", run_id="r1")
    first = store.outcomes("a")
    store.save_outcomes([("a", sha, [o, o])], version="v2", run_id="r2")
    second = store.outcomes("a")
    assert len(second) == 1 and second[0]["id"] == first[0]["id"]
    assert second[0]["extractor_version"] == "v2" and second[0]["flags"] == "f1,f2"


def test_read_only_query(store):
    imported(store, [art("a", "Text.")])
    cols, rows = store.query("select study_id from studies")
    assert cols == ["study_id"] and rows == [("a",)]
    with pytest.raises(QueryError, match="readonly|read-only"):
        store.query("delete from studies")
    with pytest.raises(QueryError, match="no such table"):
        store.query("select * from nope")
    other = Path(store.path).parent / "other.db"
    for sql in (f"attach database '{other}' as other", f"vacuum into '{other}'"):
        with pytest.raises(
            QueryError, match="may not ATTACH, DETACH or VACUUM INTO"
        ):  # it would create a file
            store.query(sql)
    assert not other.exists()
    with pytest.raises(QueryError, match="may not set a PRAGMA"):
        store.query("pragma journal_mode = delete")
    assert store.query("pragma journal_mode")[1] == [("wal",)]
    assert store.query("pragma table_info(studies)")[1][0][1] == "study_id"
    assert store.count("studies") == 1


def test_runs_are_recorded(store):
    run = store.start_run("import", inputs=["x.jsonl"])
    store.finish_run(run, status="ok", counts={"added": 3})
    row = next(store.db.query("select * from runs"))
    assert row["status"] == "ok" and '"added": 3' in row["counts"] and row["finished_at"]


def test_a_killed_run_is_closed_as_abandoned_by_the_next(store, tmp_path):
    import signal
    import subprocess
    import sys

    code = (
        "import os, signal, sys; from evidence_tables.db import EvidenceDB\n"
        "s = EvidenceDB(sys.argv[1]); s.start_run('import', inputs=['big.xml.gz'])\n"
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(store.path)])
    assert killed.returncode == -signal.SIGKILL
    store.db.execute(
        "INSERT INTO runs (run_id, command, status, host, pid) VALUES ('elsewhere', 'fetch', 'running',"
        " 'another-machine', 1)"
    )
    mine = store.start_run("extract")
    store.start_run("extract")  # a second run while the first (this live process) still runs
    status = {r["run_id"]: r["status"] for r in store.db.query("select run_id, status from runs")}
    (gone,) = [k for k in status if k not in (mine, "elsewhere") and status[k] != "running"]
    assert (
        status[gone] == "abandoned"
        and status["elsewhere"] == "running"
        and status[mine] == "running"
    )


def test_results_for_a_study_changed_or_deleted_since_it_was_read_are_dropped(store):
    imported(store, [art("a", "Old text."), art("b", "Other.")])
    old_sha = store.study("a")["text_sha256"]
    imported(store, [art("a", "New text.")])  # changed while its old text was being extracted
    store.delete_pmids(["b"])  # deleted meanwhile
    o = Outcome(
        measure="cohort_size",
        value=5,
        unit="patients",
        start=0,
        end=3,
        sentence="Old text.",
        rule="r",
    )
    saved = store.save_outcomes(
        [("a", old_sha, [o]), ("b", "whatever", [o])], version="v1", run_id="r1"
    )
    assert saved.study_ids == () and saved.rows == 0
    assert store.outcomes() == [] and store.count("extractions") == 0
    assert [sid for sid, _, _ in store.pending("v1")] == [
        "a"
    ]  # still to extract, with its new text


def test_rows_of_any_count_go_in_few_distinct_statements():
    """sqlite3 keeps compiled statements; one per row count would grow a long import by 100s of MB."""
    from evidence_tables.db.rows import insert_rows

    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (a INTEGER, b TEXT)")
    statements: set[str] = set()

    class Recording:  # the statements as prepared, before values are bound
        def getlimit(self, category):
            return con.getlimit(category)

        def execute(self, sql, params):
            statements.add(sql)
            return con.execute(sql, params)

    for n in range(1, 700, 7):
        insert_rows(Recording(), "t", [{"a": i, "b": str(i)} for i in range(n)])
    assert len(statements) <= 10
    assert con.execute("SELECT count(*), sum(a) FROM t").fetchone() == (
        sum(range(1, 700, 7)),
        sum(i for n in range(1, 700, 7) for i in range(n)),
    )


def test_a_database_from_before_the_index_tuning_is_migrated_and_still_searched(database_before):
    from evidence_tables.db import schema

    store = EvidenceDB(database_before(schema._v_fts_automerge))
    imported(
        store,
        [art("a", "Relapse after CAR-T therapy in 3,000 words."), art("b", "Radiotherapy alone.")],
    )
    config = dict(store.db.execute("select k, v from studies_fts_config").fetchall())
    assert config["automerge"] == 8
    hits = store.db.execute(
        "select s.study_id from studies s join studies_fts f on f.rowid = s.rowid "
        "where studies_fts match '\"car-t\"'"
    ).fetchall()
    assert hits == [("a",)]
    store.close()


def test_an_import_of_many_transactions_keeps_the_index_whole(tmp_path):
    store = EvidenceDB(tmp_path / "a.db")
    report = ImportReport()
    store.import_items(
        (art(f"s{i}", f"Study {i}: lymphoma word{i} relapsed.") for i in range(2500)),
        report,
        batch_size=300,
    )
    assert report.added == 2500
    store.db.execute("insert into studies_fts(studies_fts) values('integrity-check')")
    (n,) = store.db.execute(
        "select count(*) from studies_fts where studies_fts match 'lymphoma'"
    ).fetchone()
    assert n == 2500
    assert (
        store.db.execute(
            "select rowid from studies_fts where studies_fts match 'word2499'"
        ).fetchall()
        != []
    )
    store.close()


def test_transactions_larger_than_an_old_sqlites_variable_limit(tmp_path):
    """SQLite before 3.32 takes 999 variables a statement; an import transaction holds 2,000 studies."""
    store = EvidenceDB(tmp_path / "a.db")
    store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    ids = [f"s{i}" for i in range(2500)]
    assert imported(store, (art(i, f"Study {i}: 40 patients.") for i in ids)).added == 2500
    sha = {
        r["study_id"]: r["text_sha256"]
        for r in store.db.query("select study_id, text_sha256 from studies")
    }
    one = Outcome(
        measure="cohort_size", value=40.0, unit="patients", start=0, end=5, sentence="x", rule="r"
    )
    saved = store.save_outcomes([(i, sha[i], [one]) for i in ids], version="v1", run_id="r1")
    assert len(saved.study_ids) == 2500 and store.count("outcomes") == 2500
    report = imported(
        store, (art(i, f"Study {i}: 41 patients.") for i in ids)
    )  # changed: old values forgotten
    assert report.changed == 2500 and store.count("outcomes") == 0
    assert store.delete_pmids(ids) == 2500 and store.count("studies") == 0
    store.close()
