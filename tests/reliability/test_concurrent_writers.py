"""Row 1: two processes writing one database wait for each other instead of failing "database is locked".

A deferred transaction (plain BEGIN) that reads and then writes cannot wait for another writer: SQLite
refuses its first write at once if anything was committed since its read. The store's transactions
take the write lock when they begin (BEGIN IMMEDIATE), and a writer waits for the other's
transaction to end (busy timeout).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from evidence_tables.corpus import Article
from evidence_tables.db import EvidenceDB, ImportReport
from evidence_tables.db.fetch_items import FetchLog
from evidence_tables.extractor.outcomes import Outcome

from .conftest import evidence, outcomes, spawn, statuses, studies, write_jsonl

_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")


@contextmanager
def interfering_writer(store: EvidenceDB, sql: str) -> Iterator[dict[str, int]]:
    """Another connection tries to commit `sql` before every statement the store runs inside a transaction:
    what a second process writing at the same moment would do. Returns how often it got in."""
    other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    other.execute("CREATE TABLE IF NOT EXISTS noise (n INTEGER)")
    seen = {"committed": 0, "refused": 0}

    def trace(statement: str) -> None:
        if not store.db.conn.in_transaction or statement.lstrip().upper().startswith(_CONTROL):
            return
        try:
            other.execute(sql)
            seen["committed"] += 1
        except (
            sqlite3.OperationalError
        ):  # the store holds the write lock: the other writer has to wait
            seen["refused"] += 1

    store.db.conn.set_trace_callback(trace)
    try:
        yield seen
    finally:
        store.db.conn.set_trace_callback(None)
        other.close()


def article(i: int, text: str = "Forty patients were treated. CR was 40%.") -> Article:
    return Article(
        study_id=f"s{i}", abstract=f"{text} ({i})", title=f"Study {i}", source="t", location=str(i)
    )


def test_saving_outcomes_is_not_refused_when_another_writer_commits_meanwhile(tmp_path):
    store = EvidenceDB(tmp_path / "r.db")
    store.import_items([article(i) for i in range(5)], ImportReport())
    results = [
        (
            f"s{i}",
            store.study(f"s{i}")["text_sha256"],
            [
                Outcome(
                    measure="cohort_size",
                    value=40,
                    unit="patients",
                    start=0,
                    end=5,
                    sentence="Forty",
                    rule="cohort_size.test",
                )
            ],
        )
        for i in range(5)
    ]
    with interfering_writer(store, "INSERT INTO noise VALUES (1)") as seen:
        saved = store.save_outcomes(results, version="v", run_id="r")
    assert len(saved.study_ids) == 5 and store.count("outcomes") == 5
    assert seen["refused"] and not seen["committed"]  # the other writer waited for this transaction


def test_importing_records_another_import_stores_meanwhile_is_no_duplicate_error(tmp_path):
    store = EvidenceDB(tmp_path / "r.db")
    same = (
        "INSERT OR IGNORE INTO studies (study_id, abstract, text_sha256, title) "
        "VALUES ('s3', 'Forty patients were treated. CR was 40%. (3)', 'other', 'Study 3')"
    )
    report = ImportReport()
    with interfering_writer(store, same) as seen:
        store.import_items([article(i) for i in range(5)], report)
    assert report.added == 5 and store.count("studies") == 5
    assert seen["refused"] and not seen["committed"]


def test_a_fetched_batch_is_stored_while_another_writer_commits(tmp_path):
    store = EvidenceDB(tmp_path / "r.db")
    run_id = store.start_run("fetch")
    with interfering_writer(store, "INSERT INTO noise VALUES (1)") as seen:
        FetchLog(store).save_batch(
            run_id,
            "pubmed",
            ["s1", "s2"],
            [article(1), article(2)],
            ImportReport(),
            missing="missing",
        )
    assert store.count("studies") == 2 and seen["refused"] and not seen["committed"]


def test_every_transaction_the_commands_open_takes_the_write_lock_first(tmp_path):
    """Whatever a command does (runs, imports, extraction results, reviews), its transactions begin IMMEDIATE."""
    from evidence_tables import jobs
    from evidence_tables.db import reviews

    store = EvidenceDB(tmp_path / "r.db")
    begun: list[str] = []
    store.db.conn.set_trace_callback(
        lambda s: begun.append(s) if s.lstrip().upper().startswith("BEGIN") else None
    )
    jobs.import_files(store, [write_jsonl(tmp_path / "a.jsonl", range(12))])
    jobs.extract_pending(store)
    first = store.outcomes()[0]["id"]
    reviews.mark(store, first, "accepted")
    jobs.import_files(
        store, [write_jsonl(tmp_path / "b.jsonl", range(12), version=1)]
    )  # changed texts
    assert begun and all(s.split()[:2] == ["BEGIN", "IMMEDIATE"] for s in begun), sorted(set(begun))


def test_a_writer_waits_for_a_long_transaction_of_another(tmp_path):
    """The busy timeout outlasts a transaction far longer than any the tool writes (SQLite's default is 5 s)."""
    db = tmp_path / "r.db"
    assert (
        evidence(
            "import", str(db), str(write_jsonl(tmp_path / "a.jsonl", range(24))), "-q"
        ).returncode
        == 0
    )
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE held (n)")
    release = threading.Timer(6.5, holder.execute, ["COMMIT"])
    started = time.monotonic()
    release.start()
    try:
        result = evidence("extract", str(db), "-q", timeout=120)
    finally:
        release.join()
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 6.5
    assert statuses(db)[-1] == ("extract", "ok")


def test_two_imports_and_an_extraction_at_once_end_as_one_process_alone(tmp_path):
    """Real commands started together on one file: all succeed, and the database holds what one process
    doing the same work would have stored. (Both imports read the same 3,000 records; only one revises
    the 600 stored before, so the end state does not depend on which commits first.)"""
    seed = write_jsonl(tmp_path / "seed.jsonl", range(3000, 3600))
    data = write_jsonl(tmp_path / "a.jsonl", range(3000))
    revised = write_jsonl(tmp_path / "b.jsonl", range(3000, 3600), version=1)
    together = tmp_path / "together.db"
    assert evidence("import", str(together), str(seed), "-q").returncode == 0
    procs = [
        spawn("extract", str(together), "--jobs", "2", "-q"),
        spawn("import", str(together), str(data), str(revised), "-q"),
        spawn("import", str(together), str(data), "-q"),
    ]
    results = [(p.args, *p.communicate(timeout=300), p.returncode) for p in procs]
    assert [r[-1] for r in results] == [0, 0, 0], results
    assert evidence("extract", str(together), "-q").returncode == 0

    alone = tmp_path / "alone.db"
    for step in (
        ("import", str(alone), str(seed)),
        ("import", str(alone), str(data), str(revised)),
        ("extract", str(alone)),
    ):
        assert evidence(*step, "-q").returncode == 0
    assert studies(together) == studies(alone)
    assert outcomes(together) == outcomes(alone)
    assert {s for _, s in statuses(together)} == {"ok"}
