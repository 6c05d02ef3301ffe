"""`evidence pool` as a reviewer uses it: abstracts imported and extracted by the real pipeline, pooled per
regimen, figures checked against R's metafor (rma(measure = "PLO", method = "DL"), metafor 3.8-1), then
changed by a reviewer's decisions; the Excel export's `pooled` sheet."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from tests.conftest import FIXTURES

# metafor on the CR counts of tests/fixtures/pola_series.jsonl (percent, tau², I² percent, Q, p)
POLA_BR = {
    "k": 7,
    "pooled": 38.7020898307,
    "ci_low": 33.0548960353,
    "ci_high": 44.6702981590,
    "tau2": 0.0222772566,
    "i2": 20.3381638043,
    "q": 7.5318374350,
    "q_p": 0.2744459066,
}
R_GEMOX = {
    "k": 2,
    "pooled": 43.1395749569,
    "ci_low": 34.6563639156,
    "ci_high": 52.0453852939,
    "tau2": 0.0,
    "i2": 0.0,
    "q": 0.7847436149,
    "q_p": 0.3756942886,
}
# after the reviewer's decisions below: pola-05 rejected, pola-03's numerator corrected to 10
REVIEWED = {
    "k": 6,
    "pooled": 37.39285698,
    "ci_low": 32.38519074,
    "ci_high": 42.68600859,
    "tau2": 0.0,
    "i2": 0.0,
    "q": 3.62977517,
    "q_p": 0.60384830,
}


@pytest.fixture(scope="module")
def pola_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("pola") / "pola.db")
    result = CliRunner().invoke(
        cli,
        ["import", db, str(FIXTURES / "pola_series.jsonl"), "--extract", "-q"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def figures(record: dict) -> dict:
    return {key: record[key] for key in POLA_BR}


def test_pooled_cr_rates_equal_metafor(pola_db):
    result = run("pool", pola_db, "--measure", "cr_rate", "--json")
    assert result.exit_code == 0, result.output
    records = {r["regimen"]: r for r in json.loads(result.stdout)}
    assert set(records) == {"Pola-BR", "R-GemOx"}
    assert figures(records["Pola-BR"]) == pytest.approx(POLA_BR, abs=1e-7)
    assert figures(records["R-GemOx"]) == pytest.approx(R_GEMOX, abs=1e-7)
    studies = {s["study_id"]: s for s in records["Pola-BR"]["studies"]}
    assert (studies["pola-05"]["events"], studies["pola-05"]["total"]) == (
        12,
        21,
    )  # 57% of the cohort of 21
    assert studies["pola-05"]["counts"] == "57% × 21 = 11.97 → 12 (n: the study's cohort)"
    assert (
        studies["pola-03"]["counts"] == "9 of 33 (n: the study's cohort)"
    )  # 'Nine patients (27%)'

    assert (
        not studies["pola-05"]["counts_printed"]
        and studies["pola-06"]["counts"] == "n/N as printed"
    )
    assert sum(s["weight"] for s in studies.values()) == pytest.approx(100.0)


def test_the_printed_report(pola_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    out = run("pool", pola_db, "--measure", "cr_rate").stdout
    words = " ".join(out.split())
    assert (
        "DerSimonian-Laird tau² (truncated at 0)" in words
        and "0.5 added to events and non-events" in words
    )
    summary = [
        line.split() for line in out.splitlines() if line.startswith(("Pola-BR ", "R-GemOx "))
    ]
    assert summary == [
        ["Pola-BR", "7", "138/362", "38.7%", "33.1-44.7", "20%", "0.0223", "7.53", "0.27"],
        ["R-GemOx", "2", "53/123", "43.1%", "34.7-52.0", "0%", "0", "0.785", "0.38"],
    ]
    assert "Pola-BR: 7 studies (I² 20%, tau² 0.0223, Q 7.53 (df 6), p 0.27)" in out
    pola05 = next(line for line in out.splitlines() if line.strip().startswith("pola-05"))
    assert "12/21~" in pola05 and "57.1%" in pola05 and "34.0-78.2" in pola05 and "7.3%" in pola05
    assert "~ not both counts printed" in out


def test_reviewers_decisions_change_the_pool(tmp_path):
    db = str(tmp_path / "reviewed.db")
    assert run("import", db, str(FIXTURES / "pola_series.jsonl"), "--extract", "-q").exit_code == 0
    ids = {
        r["study_id"]: r["id"]
        for r in json.loads(
            run(
                "sql", db, "select study_id, id from outcomes where measure = 'cr_rate'", "--json"
            ).stdout
        )
    }
    assert run("mark", db, ids["pola-05"], "--reject").exit_code == 0
    assert run("mark", db, ids["pola-03"], "--set", "numerator=10").exit_code == 0
    records = {
        r["regimen"]: r
        for r in json.loads(run("pool", db, "--measure", "cr_rate", "--json").stdout)
    }
    assert figures(records["Pola-BR"]) == pytest.approx(REVIEWED, abs=1e-7)
    pola03 = next(s for s in records["Pola-BR"]["studies"] if s["study_id"] == "pola-03")
    assert (pola03["events"], pola03["total"], pola03["review_status"]) == (10, 33, "corrected")


def test_filters_and_grouping(pola_db):
    only = json.loads(
        run("pool", pola_db, "--measure", "cr_rate", "--regimen", "gemox", "--json").stdout
    )
    assert [r["regimen"] for r in only] == ["R-GemOx"] and only[0]["k"] == 2
    searched = json.loads(
        run("pool", pola_db, "--measure", "cr_rate", "--search", "registry", "--json").stdout
    )
    assert [(r["regimen"], r["k"]) for r in searched] == [("Pola-BR", 1)] and searched[0][
        "pooled"
    ] is None
    by_group = run(
        "pool", pola_db, "--measure", "cr_rate", "--by", "group", "--search", "registry"
    ).stdout.splitlines()
    header = next(line for line in by_group if line.startswith("group "))
    assert header.split() == [
        "group",
        "k",
        "events/total",
        "note",
    ]  # nothing pooled: no empty figure columns
    assert next(line for line in by_group if line.startswith("Pola-BR ")).split() == [
        "Pola-BR",
        "1",
        "35/110",
        "one",
        "study",
    ]
    nothing = run("pool", pola_db, "--measure", "relapse_rate")
    assert nothing.exit_code == 0 and "(no regimen has a relapse rate to pool)" in nothing.stdout
    assert run("pool", pola_db, "--measure", "median_os").exit_code == 2
    assert run("pool", pola_db, "--measure", "cr_rate", "--by", "arm").exit_code == 2


def test_the_excel_export_has_a_pooled_sheet(pola_db, tmp_path):
    target = tmp_path / "pola.xlsx"
    result = run("export", pola_db, "-o", str(target))
    assert result.exit_code == 0 and "sheets: evidence, provenance, pooled" in result.stderr
    sheet = openpyxl.load_workbook(target)["pooled"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    pooled = {r["pool"]: r for r in rows if r["row"] == "pooled"}
    assert pooled["Pola-BR"]["proportion"] == pytest.approx(POLA_BR["pooled"], abs=1e-7)
    assert (
        pooled["Pola-BR"]["i2"] == pytest.approx(POLA_BR["i2"], abs=1e-7)
        and pooled["Pola-BR"]["k"] == 7
    )
    assert sum(r["row"] == "study" for r in rows) == 9


def test_the_readme_shows_what_pool_prints(pola_db, monkeypatch):
    """The README's `evidence pool` example is this fixture's output, as printed 116 columns wide."""
    readme = (FIXTURES.parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ evidence pool pola.db --measure cr_rate\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("COLUMNS", "116")
    assert run("pool", pola_db, "--measure", "cr_rate").stdout == shown


def test_the_report_says_what_a_reader_must_know():
    """Time points that differ, a study with no events (continuity correction), a corrected value."""
    from evidence_tables.db.pool_inputs import Count
    from evidence_tables.db.pooling import PoolReport, _pool
    from evidence_tables.pool_view import report_lines

    def count(study: str, events: int, total: int, **fields) -> Count:
        base = dict(
            outcome_id=f"{study}-id",
            study_id=study,
            first_author=None,
            year=2020,
            pool="FCR",
            group="FCR",
            value=100 * events / total,
            events=events,
            total=total,
            printed=True,
            how="n/N as printed",
            timepoint=None,
            review_status=None,
            flags=None,
            start=0,
        )
        return Count(**{**base, **fields})

    counts = [
        count("r1", 0, 20, timepoint="1 year"),
        count("r2", 9, 30, timepoint="3 years", review_status="corrected"),
        count("r3", 12, 40),
    ]
    report = PoolReport(
        measure="relapse_rate",
        by="regimen",
        pools=(_pool("relapse_rate", "FCR", counts, []),),
        unassigned=(),
    )
    text = "\n".join(report_lines(report, 120))
    assert "note: the values are at different time points: 1 year, 3 years, none given" in text
    assert (
        "0/20+" in text
        and "+ 0 or all events: 0.5 added to events and non-events for pooling" in text
    )
    assert "* corrected by a reviewer (the reviewed value is pooled)" in text
    assert "n/N as printed; at 1 year" in text.split("r1", 1)[1].splitlines()[0]
