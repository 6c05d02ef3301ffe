"""A measure is defined once (evidence_tables.registry): one registered here, in the test, with a rule of
a few lines, reaches the stored values, the exports, the `evidence` view and a plot, no other file changed."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence_tables import ingest_cli, pool_cli, read_cli, review_cli  # noqa: F401  (commands built before
from evidence_tables.cli import cli  # the measure is registered: as ever)
from evidence_tables.extractor.outcomes import Outcome
from evidence_tables.registry import Measure, ViewColumn, definitions, register, unregister

SOURCE_DIRS = ("corpus", "extractor", "db", "evidence", "registry")
BUILT_IN = ("cohort_size", "relapse_rate", "median_os", "cr_rate")
ROOT = Path(__file__).resolve().parents[2]


def orr_rates(doc, arms) -> list[Outcome]:
    """The toy rule: the first percent after an ORR cue ('The overall response rate was 45%'), with
    its counts when '(n/N)' follows."""
    out = []
    for sent in doc.sentences:
        for cue in sent.cues_labelled("ORR"):
            after = [n for n in sent.numbers if n.start >= cue.end and n.percent]
            if not after:
                continue
            n = after[0]
            counts = re.match(r"\s*\((\d+)/(\d+)\)", doc.text[n.end :])
            out.append(
                Outcome(
                    measure="orr_rate",
                    value=n.value,
                    unit="%",
                    start=cue.start,
                    end=n.end,
                    sentence=sent.text,
                    rule="orr_rate.value",
                    numerator=int(counts[1]) if counts else None,
                    denominator=int(counts[2]) if counts else None,
                )
            )
            break
    return out


ORR = Measure(
    name="orr_rate",
    noun="ORR",
    kind="rate",
    units=("%",),
    rule=orr_rates,
    cue_labels=frozenset({"ORR"}),
    wide=(
        ("orr_rate", "value"),
        ("orr_numerator", "numerator"),
        ("orr_denominator", "denominator"),
    ),
    view=ViewColumn(name="orr_rate", text="printf('%g%%', o.value)"),
    short="ORR",
    header="ORR",
    axis="Overall response rate (%)",
    pooled=True,
    correctable=("value", "numerator", "denominator"),
)
STUDIES = [
    {
        "id": "t-1",
        "title": "Drug A in relapsed lymphoma",
        "year": 2023,
        "authors": ["Rossi L"],
        "abstract": "Forty patients with relapsed lymphoma received drug A. "
        "The overall response rate was 45% (18/40), and the median overall survival was 11 months.",
    },
    {
        "id": "t-2",
        "title": "Drug B in relapsed lymphoma",
        "year": 2024,
        "authors": ["Ng K"],
        "abstract": "We treated 25 patients with drug B. The overall response rate was 60% (15/25).",
    },
]


@pytest.fixture
def orr() -> Iterator[Measure]:
    register(ORR)
    try:
        yield ORR
    finally:
        unregister(ORR.name)


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_measure_registered_in_a_test_reaches_every_output(orr, run, tmp_path):
    source = tmp_path / "studies.jsonl"
    source.write_text("".join(json.dumps(s) + "\n" for s in STUDIES))
    assert run("import", "t.db", str(source), "--extract").exit_code == 0

    with sqlite3.connect(tmp_path / "t.db") as con:  # stored
        stored = con.execute(
            "SELECT study_id, value, numerator, denominator, rule, evidence FROM "
            '(SELECT o.*, substr(s.abstract, o.start + 1, o."end" - o.start) AS evidence '
            " FROM outcomes o JOIN studies s USING (study_id)) "
            "WHERE measure = 'orr_rate' ORDER BY study_id"
        ).fetchall()
        view = dict(con.execute("SELECT study_id, orr_rate FROM evidence").fetchall())
        others = con.execute(
            "SELECT count(*) FROM outcomes WHERE measure <> 'orr_rate'"
        ).fetchone()[0]
    assert stored == [
        ("t-1", 45.0, 18, 40, "orr_rate.value", "overall response rate was 45%"),
        ("t-2", 60.0, 15, 25, "orr_rate.value", "overall response rate was 60%"),
    ]
    assert view == {"t-1": "45%", "t-2": "60%"}  # the `evidence` view has its column
    assert others >= 3  # the built-in measures still found: cohort sizes, median OS

    assert run("export", "t.db", "-o", "wide.csv").exit_code == 0
    with (tmp_path / "wide.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [
        (r["study_id"], r["orr_rate"], r["orr_numerator"], r["orr_denominator"]) for r in rows
    ] == [("t-1", "45.0", "18", "40"), ("t-2", "60.0", "15", "25")]
    assert run("export", "t.db", "--long", "--measure", "orr_rate", "-o", "long.csv").exit_code == 0
    with (tmp_path / "long.csv").open() as f:
        assert [r["measure"] for r in csv.DictReader(f)] == ["orr_rate", "orr_rate"]

    table = run("table", "t.db", "--measure", "orr_rate").output
    assert "ORR" in table and "45% 18/40" in table and "60% 15/25" in table

    result = run("plot", "t.db", "--measure", "orr_rate", "-o", "orr.png")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "orr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("pool", "t.db", "--measure", "orr_rate").exit_code == 0


def test_the_test_measure_is_gone_afterwards():
    assert [m.name for m in definitions()] == list(BUILT_IN)


@pytest.mark.parametrize("name", BUILT_IN)
def test_a_measure_is_named_in_at_most_three_source_files(name):
    """Its definition (registry/builtin.py), its rule module, and at most one other."""
    word = re.compile(rf"\b{name}\b")
    files = sorted(
        str(p.relative_to(ROOT))
        for d in SOURCE_DIRS
        for p in (ROOT / d).rglob("*.py")
        if word.search(p.read_text(encoding="utf-8"))
    )
    assert "registry/builtin.py" in files and len(files) <= 3, files


def test_a_store_made_before_a_measure_was_registered_gets_its_column(tmp_path):
    from evidence_tables.db.store import EvidenceDB

    path = tmp_path / "old.db"
    EvidenceDB(path).db.conn.close()
    with sqlite3.connect(path) as con:
        before = con.execute("SELECT sql FROM sqlite_master WHERE name = 'evidence'").fetchone()[0]
    register(ORR)
    try:
        EvidenceDB(path).db.conn.close()
        EvidenceDB(path).db.conn.close()  # opened again: nothing more to do
    finally:
        unregister(ORR.name)
    with sqlite3.connect(path) as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(evidence)")]
    assert "orr_rate" not in before and columns[-3:] == ["orr_rate", "flagged", "reviewed"]
