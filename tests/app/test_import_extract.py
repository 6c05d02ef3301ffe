"""`evidence import --extract`: importing and extracting overlapped gives what import then extract gives."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from evidence_tables.demo import demo_corpus

COLUMNS = (
    "study_id, measure, value, unit, group_label, regimen, ci_low, ci_high, numerator, denominator, "
    'not_reached, timepoint, sentence, start, "end", rule, flags, extractor_version'
)


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def many(path: Path, copies: int, *, prefix: str = "s") -> Path:
    """The demo abstracts repeated under new ids: enough records for several import transactions."""
    records = [
        json.loads(line)
        for line in demo_corpus().read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with path.open("w", encoding="utf-8") as f:
        for i in range(copies):
            for r in records:
                f.write(json.dumps({**r, "id": f"{prefix}{i}-{r['id']}"}) + "\n")
    return path


def outcomes(db: str) -> list[tuple]:
    return (
        sqlite3.connect(db)
        .execute(f"SELECT {COLUMNS} FROM outcomes ORDER BY study_id, start, measure")
        .fetchall()
    )


def runs(db: str) -> list[tuple[str, str]]:
    return (
        sqlite3.connect(db)
        .execute("SELECT command, status FROM runs ORDER BY started_at, command")
        .fetchall()
    )


def test_overlapped_equals_import_then_extract(run, tmp_path):
    source = many(tmp_path / "many.jsonl", 90)  # 1,080 records: three import transactions
    assert run("import", "apart.db", str(source)).exit_code == 0
    assert run("extract", "apart.db").exit_code == 0
    result = run("import", "together.db", str(source), "--extract", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "1080 added" in result.output and "1080 studies extracted" in result.output
    expected = outcomes("apart.db")
    assert len(expected) > 1000 and outcomes("together.db") == expected
    assert sorted(runs("together.db")) == [("extract", "ok"), ("import", "ok")]
    again = run("import", "together.db", str(source), "--extract")
    assert (
        "1080 unchanged" in again.output
        and "nothing to extract, every study is up to date" in again.output
    )
    assert outcomes("together.db") == expected


def test_studies_pending_before_and_changed_in_place_are_extracted_too(run, tmp_path):
    old = many(tmp_path / "old.jsonl", 1, prefix="old")
    assert run("import", "r.db", str(old)).exit_code == 0  # stored, never extracted
    changed = tmp_path / "changed.jsonl"
    first = json.loads(old.read_text(encoding="utf-8").splitlines()[0])
    changed.write_text(
        json.dumps({**first, "abstract": "In all, 77 patients were enrolled."}) + "\n",
        encoding="utf-8",
    )
    assert run("extract", "r.db").exit_code == 0
    new = many(tmp_path / "new.jsonl", 1, prefix="new")
    result = run("import", "r.db", str(changed), str(new), "--extract", "--jobs", "2")
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(tmp_path / "r.db")
    assert (
        db.execute(
            "SELECT COUNT(*) FROM studies s LEFT JOIN extractions e USING (study_id) "
            "WHERE e.text_sha256 IS NOT s.text_sha256"
        ).fetchone()[0]
        == 0
    )
    assert db.execute(
        "SELECT value FROM outcomes WHERE study_id = ? AND measure = 'cohort_size'", [first["id"]]
    ).fetchall() == [(77,)]


def test_citations_deleted_in_the_same_file_are_not_stored(run, fixtures, tmp_path):
    result = run("import", "r.db", str(fixtures / "baseline_mixed.xml"), "--extract")
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(tmp_path / "r.db")
    orphans = db.execute(
        "SELECT COUNT(*) FROM outcomes o LEFT JOIN studies s USING (study_id) "
        "WHERE s.study_id IS NULL"
    ).fetchone()[0]
    assert (
        orphans == 0
        and db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
        == db.execute("SELECT COUNT(*) FROM studies").fetchone()[0]
    )


def test_bad_records_still_fail_the_import_and_the_rest_is_extracted(run, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(
        '{"id": "a", "abstract": "Twenty patients were enrolled."}\n{"id": "b", "abstract": \n',
        encoding="utf-8",
    )
    result = run("import", "r.db", str(f), "--extract")
    assert (
        result.exit_code == 1
        and "in.jsonl:line 2" in result.output
        and "1 study extracted" in result.output
    )
    assert sorted(runs("r.db")) == [("extract", "ok"), ("import", "partial")]


def test_jobs_without_extract_is_refused(run, fixtures, tmp_path):
    result = run("import", "r.db", str(fixtures / "studies.jsonl"), "--jobs", "2")
    assert result.exit_code == 2 and "--jobs is for --extract" in result.output
    assert not (tmp_path / "r.db").exists()


def _faulty_rules(monkeypatch, factory):
    """Extract with `factory` (tests/helpers/pool_faults.py), in this process (--jobs 1) or in the workers,
    which build their extractors with `parallel._new`; in this process it patches a rule. Returns `fix()`."""
    from functools import cache

    import evidence_tables.extractor.measures.survival as extract_module
    import evidence_tables.extractor.parallel as parallel
    from evidence_tables.extractor import measure_rules

    # the registry's rules looked up afresh here (a patched rule is seen; the cache is put back after)
    monkeypatch.setattr(measure_rules, "_imported", cache(measure_rules._imported.__wrapped__))
    rule, new = extract_module.median_os, parallel._new
    monkeypatch.setattr(
        extract_module, "median_os", rule
    )  # put back after the test whatever happens
    monkeypatch.setattr(parallel, "_new", factory)

    def fix() -> None:
        monkeypatch.setattr(extract_module, "median_os", rule)
        monkeypatch.setattr(parallel, "_new", new)
        measure_rules._imported.cache_clear()

    return fix


def _cursed_jsonl(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(
        "\n".join(
            json.dumps({"id": i, "abstract": f"{i}: Forty patients were enrolled."})
            for i in ("ok-1", "CURSED", "ok-2")
        )
        + "\n",
        encoding="utf-8",
    )
    return f


@pytest.mark.parametrize("n_jobs", ["1", "2"])
def test_an_abstract_the_rules_fail_on_is_named_and_the_rest_extracted(
    run, tmp_path, monkeypatch, pool_faults, n_jobs
):
    """A text the rules cannot read (here a ValueError, as from a number they cannot parse) fails alone."""
    fix = _faulty_rules(monkeypatch, pool_faults.text_trips_a_rule)
    result = run("import", "r.db", str(_cursed_jsonl(tmp_path)), "--extract", "--jobs", n_jobs)
    assert result.exit_code == 1
    assert "2 studies extracted" in result.output
    assert "not extracted CURSED: the rules failed: ValueError" in result.output
    assert sorted(runs("r.db")) == [("extract", "partial"), ("import", "ok")]
    db = sqlite3.connect(tmp_path / "r.db")
    assert [r[0] for r in db.execute("SELECT study_id FROM extractions ORDER BY 1")] == [
        "ok-1",
        "ok-2",
    ]
    fix()  # the next run does the rest
    again = run("extract", "r.db")
    assert again.exit_code == 0 and "1 study extracted" in again.output


@pytest.mark.parametrize("n_jobs", ["1", "2"])
def test_a_programming_error_in_a_rule_stops_the_run(
    run, tmp_path, monkeypatch, pool_faults, n_jobs
):
    """A TypeError is a mistake in the code, not in the abstract: not stored as that abstract's failure, and
    the run fails (no 'partial' success with the bug hidden in a list of failed studies)."""
    fix = _faulty_rules(monkeypatch, pool_faults.typo_in_a_rule)
    with pytest.raises(
        TypeError, match="a rule tripped"
    ):  # the command's traceback: a bug to report
        run("import", "r.db", str(_cursed_jsonl(tmp_path)), "--extract", "--jobs", n_jobs)
    assert [status for command, status in runs("r.db") if command == "extract"] == ["failed"]
    db = sqlite3.connect(tmp_path / "r.db")
    assert db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 0
    fix()
    again = run("extract", "r.db", "--jobs", n_jobs)
    assert again.exit_code == 0 and "3 studies extracted" in again.output


def test_counts_are_of_what_was_saved(run, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path, n in ((first, "Forty"), (second, "Fifty")):
        path.write_text(
            "\n".join(
                json.dumps({"id": f"S{i}", "abstract": f"{n} patients were enrolled in arm {i}."})
                for i in range(3)
            )
            + "\n",
            encoding="utf-8",
        )
    result = run("import", "r.db", str(first), str(second), "--extract")
    assert result.exit_code == 0, result.output
    assert "3 studies extracted, 3 values (3 cohort_size)" in result.output
    db = sqlite3.connect(tmp_path / "r.db")
    assert db.execute("SELECT DISTINCT value FROM outcomes").fetchall() == [(50,)]


def test_ctrl_c_during_import_extract_is_recorded_and_a_rerun_goes_on(run, tmp_path, monkeypatch):
    import evidence_tables.extractor.extract as extract_module

    real = extract_module.outcomes_from_document

    def interrupted(doc):
        if "STOP" in doc.text:
            raise KeyboardInterrupt
        return real(doc)

    monkeypatch.setattr(extract_module, "outcomes_from_document", interrupted)
    f = tmp_path / "in.jsonl"
    f.write_text(
        "\n".join(
            json.dumps({"id": i, "abstract": f"{i}: Forty patients were enrolled."})
            for i in ("a", "STOP", "b")
        )
        + "\n",
        encoding="utf-8",
    )
    result = run("import", "r.db", str(f), "--extract")
    assert result.exit_code == 130
    # the three records were all read (one transaction) before the extraction was interrupted
    assert sorted(runs("r.db")) == [("extract", "interrupted"), ("import", "ok")]
    monkeypatch.setattr(extract_module, "outcomes_from_document", real)
    again = run("import", "r.db", str(f), "--extract")  # run again to go on
    assert (
        again.exit_code == 0
        and sqlite3.connect(tmp_path / "r.db")
        .execute("SELECT COUNT(*) FROM extractions")
        .fetchone()[0]
        == 3
    )


def test_extract_with_two_jobs_stores_what_one_job_stores(run, fixtures, tmp_path):
    """The same rows in the same order (rowid), whatever the number of processes."""
    corpus = [
        str(fixtures / name)
        for name in ("studies.jsonl", "pola_series.jsonl", "export.nbib", "efetch_two_articles.xml")
    ] + [str(many(tmp_path / "m.jsonl", 12))]
    for db, n_jobs in (("one.db", "1"), ("two.db", "2")):
        assert run("import", db, *corpus).exit_code == 0
        assert run("extract", db, "--jobs", n_jobs).exit_code == 0

    def stored(db: str) -> list[tuple]:
        return (
            sqlite3.connect(tmp_path / db)
            .execute(f"SELECT {COLUMNS} FROM outcomes ORDER BY rowid")
            .fetchall()
        )

    assert len(stored("one.db")) > 100
    assert stored("one.db") == stored("two.db")
