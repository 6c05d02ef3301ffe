"""`evidence table` and `evidence export` as a reviewer runs them, on a database the tests build."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from evidence_tables.db.reviews import mark


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def db(evidence_store, ids) -> str:
    mark(
        evidence_store,
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        "corrected",
        corrections={"value": 42.0},
    )
    return str(evidence_store.path)


def test_the_terminal_table_fits_and_marks_corrected_and_flagged_values(run, db):
    result = run("table", db)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[0].split() == [
        "study",
        "author",
        "year",
        "n",
        "group",
        "relapse",
        "median",
        "OS",
        "CR",
    ]
    chop = next(line for line in lines if "R-CHOP" in line)
    assert "42% 20/50*" in chop and "24 mo (18-30)" in chop
    assert "30% 15/50!" in next(line for line in lines if "R-CVP" in line)
    assert "corrected by a reviewer" in result.stderr
    assert "not reached" in result.stdout and "300 d (200-400)" in result.stdout
    assert (
        sum(line.startswith("a1 ") for line in lines) == 1
    )  # a study's own cells only on its first row


@pytest.mark.parametrize("width", [80, 100])
def test_the_long_table_fits_too(run, db, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    lines = run("table", db, "--long").stdout.splitlines()
    assert all(len(line) <= width for line in lines), lines
    assert len(lines) == 1 + 12 and lines[0].split()[:3] == ["id", "study", "measure"]
    assert any("24 mo (18-30)" in line for line in lines)  # values are never cut


def test_long_lists_every_value_with_its_review(run, db, evidence_store, ids):
    out = run("table", db, "--long", "--measure", "cr_rate", "--json").stdout
    records = json.loads(out)
    assert [(r["group"], r["value"], r["review_status"]) for r in records] == [
        ("R-CHOP", 42.0, "corrected"),
        ("R-CVP", 30.0, None),
        (None, 50.0, None),
    ]
    assert records[0]["id"] == ids(evidence_store, "a1", "cr_rate", "R-CHOP")
    assert records[0]["evidence"] == "40% (20/50) with R-CHOP" and records[0]["sentence"]


@pytest.mark.parametrize(
    ("args", "studies"),
    [
        (["--measure", "median_os"], {"a1", "b2"}),
        (["--regimen", "cvp"], {"a1"}),
        (["--min-cohort", "100"], {"a1"}),
        (["--flagged"], {"a1"}),
        (["--search", "radiotherapy"], {"c3"}),
        (["--measure", "relapse_rate", "--min-cohort", "25"], {"a1", "b2"}),
    ],
    ids=["measure", "regimen", "min-cohort", "flagged", "search", "combined"],
)
def test_filters_on_the_command_line(run, db, args, studies):
    result = run("table", db, *args, "--csv")
    assert result.exit_code == 0
    assert {line.split(",")[0] for line in result.stdout.strip().splitlines()[1:]} == studies


def test_export_writes_the_workbook_and_ris(run, db, tmp_path):
    result = run("export", db, "-o", "e.xlsx")
    assert (
        result.exit_code == 0
        and "wrote 6 rows to e.xlsx (sheets: evidence, provenance, pooled)" in result.output
    )
    assert openpyxl.load_workbook(tmp_path / "e.xlsx").sheetnames == [
        "evidence",
        "provenance",
        "pooled",
    ]
    result = run("export", db, "-o", "refs.ris", "--regimen", "R-C")
    assert result.exit_code == 0 and "wrote 1 studies to refs.ris" in result.output
    assert (tmp_path / "refs.ris").read_text().count("TY  - JOUR") == 1
    result = run("export", db, "-o", "values.txt", "--format", "csv", "--long")
    assert (
        result.exit_code == 0
        and len((tmp_path / "values.txt").read_text().strip().splitlines()) > 12
    )
    assert run("table", db, "--xlsx", "-o", "t.xlsx").exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == [
        "evidence",
        "provenance",
        "pooled",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "{db}", "-o", "e.docx"], 1, "cannot tell the format"),
        (["table", "{db}", "--search", "CAR AND ("], 1, "full-text query"),
        (["table", "{db}", "--xlsx"], 2, "--xlsx writes a file"),
        (["table", "missing.db"], 2, "does not exist"),
        (["table", "{db}", "--measure", "pfs"], 2, "Invalid value for '--measure'"),
    ],
    ids=["unknown-format", "bad-search", "xlsx-needs-file", "missing-db", "unknown-measure"],
)
def test_mistakes_are_messages(run, db, args, code, message):
    result = run(*[a.format(db=db) for a in args])
    assert result.exit_code == code and message in result.output


def test_no_rows_is_said(run, db):
    assert run("table", db, "--search", "nothing-like-this").stdout.strip() == "(no rows)"


def test_the_demo_table_fits_a_normal_terminal(run):
    result = run("demo", "--quiet")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "study" and len(lines) > 12
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
