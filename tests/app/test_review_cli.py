"""`evidence review` and `evidence mark`: decisions recorded, shown everywhere, kept across re-extraction."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from evidence_tables.corpus import Article
from evidence_tables.db import ImportReport


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    return lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_review_lists_unreviewed_values_flagged_first(run, evidence_store, ids):
    db = str(evidence_store.path)
    result = run("review", db)
    assert (
        result.exit_code == 0
        and "12 values not yet reviewed (1 flagged, listed first)" in result.stderr
    )
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "study", "measure"]
    flagged = ids(evidence_store, "a1", "cr_rate", "R-CVP")
    assert lines[1].startswith(flagged[:8]) and "count_percent_mismatch" in lines[1]
    run("mark", db, flagged[:8], "--accept")
    again = run("review", db)
    assert (
        "11 values not yet reviewed (0 flagged" in again.stderr and flagged[:8] not in again.stdout
    )
    everything = run("review", db, "--all", "--flagged")
    assert flagged[:8] in everything.stdout and "accepted" in everything.stdout


def test_mark_corrects_and_every_output_says_so(run, evidence_store, ids, tmp_path):
    db = str(evidence_store.path)
    oid = ids(evidence_store, "a1", "cr_rate", "R-CHOP")
    result = run(
        "mark",
        db,
        oid[:8],
        "--set",
        "value=42",
        "--set",
        "numerator=21",
        "--note",
        "Table 2",
        "--by",
        "AB",
    )
    assert result.exit_code == 0
    assert (
        result.stdout.splitlines()[0]
        == "a1 cr_rate [R-CHOP] 40% 20/50: corrected: value=42, numerator=21 (note: Table 2)"
    )
    assert 'evidence: "40% (20/50) with R-CHOP"' in result.stdout
    assert "42% 21/50*" in run("table", db).stdout
    (row,) = json.loads(
        run("table", db, "--long", "--regimen", "R-CHOP", "--measure", "cr_rate", "--json").stdout
    )
    assert (
        row["value"],
        row["extracted_value"],
        row["review_status"],
        row["review_note"],
        row["reviewer"],
    ) == (42.0, 40.0, "corrected", "Table 2", "AB")
    view = (
        sqlite3.connect(db)
        .execute("select cr_rates from evidence where study_id = 'a1'")
        .fetchone()[0]
    )
    assert view == "R-CHOP: 42% (21/50) (corrected); R-CVP: 30% (15/50)"
    again = run("mark", db, oid[:8], "--set", "denominator=50", "--by", "CD")
    assert "replaces AB's earlier decision: corrected: value=42, numerator=21" in again.stderr
    assert "corrected: value=42, numerator=21, denominator=50" in again.stdout  # corrections add up
    assert run("mark", db, oid[:8], "--accept", "--reject").exit_code == 2
    assert run("mark", db, oid, "--clear").exit_code == 0
    assert "40% 20/50" in run("table", db).stdout


def test_reject_leaves_the_value_out(run, evidence_store, ids):
    db = str(evidence_store.path)
    assert run("mark", db, ids(evidence_store, "b2", "median_os"), "--reject").exit_code == 0
    assert "300 d" not in run("table", db).stdout
    assert "rejected" in run("table", db, "--long", "--measure", "median_os").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--accept", "--set", "value=1"], 2, "do not combine"),
        ([], 2, "say what to record"),
        (["--set", "colour=red"], 1, "cannot set 'colour=red'"),
        (["--set", "value=140"], 1, "outside 0-100"),
    ],
    ids=["accept-and-set", "nothing", "unknown-field", "impossible-rate"],
)
def test_mark_mistakes(run, evidence_store, ids, args, code, message):
    result = run(
        "mark", str(evidence_store.path), ids(evidence_store, "a1", "cr_rate", "R-CHOP"), *args
    )
    assert result.exit_code == code and message in result.output


def test_an_unknown_id_is_an_error(run, evidence_store):
    result = run("mark", str(evidence_store.path), "ffffffff", "--accept")
    assert result.exit_code == 1 and "no value with id 'ffffffff'" in result.output


def test_a_changed_abstract_shows_the_decision_as_orphaned(run, evidence_store, ids):
    db = str(evidence_store.path)
    run("mark", db, ids(evidence_store, "b2", "cr_rate"), "--set", "value=51")
    changed = evidence_store.study("b2")["abstract"].replace("CR 50% (15/30)", "CR 53% (16/30)")
    report = ImportReport()
    evidence_store.import_items(
        [Article(study_id="b2", abstract=changed, source="t", location="2")], report
    )
    assert (report.reviews_moved, report.reviews_orphaned) == (0, 1)
    assert (
        f"1 review decision no longer applies to any value: see evidence review {db}"
        in run("table", db).stderr
    )
    result = run("review", db)
    assert "1 orphaned decision (kept; the value it was made on is gone):" in result.stdout
    orphan = result.stdout.splitlines()[-1]
    assert (
        "b2" in orphan
        and "corrected: value=51" in orphan
        and "abstract changed" in orphan
        and "50% (15/30)" in orphan
    )
    as_json = run(
        "review", db, "--json"
    )  # the values; the orphaned decisions are counted on stderr, read by SQL
    assert (
        isinstance(json.loads(as_json.stdout), list)
        and "1 review decision no longer applies" in as_json.stderr
    )
    (stored,) = json.loads(run("sql", db, "select * from orphaned_reviews", "--json").stdout)
    assert stored["orphan_reason"] == "abstract changed"
    review = orphan.split()[0]
    assert review.startswith("#") and f"evidence mark {db} '#REVIEW' --clear" in result.stderr
    assert (
        run("mark", db, review, "--accept").exit_code == 2
    )  # a decision number only takes --clear
    removed = run("mark", db, review, "--clear")
    assert removed.exit_code == 0 and f"decision {review} on b2 cr_rate removed" in removed.stderr
    assert "orphaned" not in run("review", db).stdout
    gone = run("mark", db, review, "--clear")
    assert gone.exit_code == 1 and f"no decision {review}" in gone.output


def test_a_decision_survives_real_reextraction(run, tmp_path):
    """The demo, a correction, then every study extracted again by the real extractor: the correction holds."""
    assert run("demo", "--quiet").exit_code == 0
    con = sqlite3.connect(tmp_path / "evidence-demo.db")
    oid, value = con.execute(
        "select id, value from outcomes where measure = 'cr_rate' order by id limit 1"
    ).fetchone()
    assert run("mark", "evidence-demo.db", oid, "--set", f"value={value / 2}").exit_code == 0
    result = run("extract", "evidence-demo.db", "--all")
    assert result.exit_code == 0 and "12 studies extracted" in result.output
    con = sqlite3.connect(tmp_path / "evidence-demo.db")
    assert con.execute(
        "select value, review_status from reviewed_outcomes where id = ?", [oid]
    ).fetchone() == (value / 2, "corrected")
    assert con.execute("select count(*) from orphaned_reviews").fetchone()[0] == 0
