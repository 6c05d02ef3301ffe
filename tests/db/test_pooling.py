"""Which values are pooled, with which counts, and the pooled figures that follow (checked against metafor).

A store whose every value the test sets: printed counts, a percent with the group's size from another
rate of the arm or from the cohort, a whole-cohort value of a single-regimen study, a subgroup, a study
with no events, reviewers' corrections and a rejection, values with no group size or no regimen.
"""

from __future__ import annotations

import json

import pytest

from evidence_tables.db import EvidenceDB, ImportReport
from evidence_tables.db.filters import Filters
from evidence_tables.db.pool_inputs import WHOLE_COHORT
from evidence_tables.db.pooling import pool, pool_records, pooled_frame
from evidence_tables.db.reviews import mark
from tests.conftest import _outcome

TEXTS = {
    "s1": "Forty patients had Pola-BR. CR 16/40 (40%). CR 38% by PET. CR 9% in bulky disease.",
    "s2": "87 randomized. CR 45% with Pola-BR; relapse 10/44 in the Pola-BR arm. CR 20% with BR; relapse 15/43 with BR.",
    "s3": "Thirty patients. CR 30%. Median OS 9 months with Pola-BR.",
    "s4": "100 randomized to R-CHOP or control. CR 50% with R-CHOP; CR 30% in the control group.",
    "s5": "Fifty patients. CR 44%.",
    "s6": "Twelve patients on Pola-BR. CR 0/12.",
    "s7": "Fifty patients on Pola-BR. CR 20/50 (40%).",
    "s8": "Twenty-five patients on Pola-BR. CR 10/25.",
    "s9": "Thirty patients on Pola-BR. CR 12/30.",
}


def _cr(
    study: str,
    snippet: str,
    value: float,
    group: str | None = "Pola-BR",
    regimen: str | None = "Pola-BR",
    **counts,
):
    return _outcome(
        TEXTS[study], "cr_rate", snippet, value=value, group_label=group, regimen=regimen, **counts
    )


@pytest.fixture
def pool_store(tmp_path):
    from evidence_tables.corpus import Article

    store = EvidenceDB(tmp_path / "pool.db")
    store.import_items(
        [
            Article(
                study_id=s,
                abstract=t,
                title=f"Study {s}",
                year=2020,
                authors=(f"Lund{s} A",),
                source="t",
                location=s,
            )
            for s, t in TEXTS.items()
        ],
        ImportReport(),
    )
    t = TEXTS
    values = {
        "s1": [
            _outcome(t["s1"], "cohort_size", "Forty", value=40),
            _cr("s1", "CR 16/40", 40.0, numerator=16, denominator=40),
            _cr("s1", "CR 38% by PET", 38.0),
            _cr("s1", "CR 9% in bulky disease", 9.0, group="bulky disease"),
        ],
        "s2": [
            _outcome(t["s2"], "cohort_size", "87", value=87),
            _cr("s2", "CR 45% with Pola-BR", 45.0, group="Pola-BR arm"),
            _outcome(
                t["s2"],
                "relapse_rate",
                "relapse 10/44",
                value=22.7,
                numerator=10,
                denominator=44,
                group_label="the Pola-BR arm",
                regimen="Pola-BR",
            ),
            _cr("s2", "CR 20% with BR", 20.0, group="BR", regimen="BR"),
            _outcome(
                t["s2"],
                "relapse_rate",
                "relapse 15/43",
                value=34.9,
                numerator=15,
                denominator=43,
                group_label="BR",
                regimen="BR",
            ),
        ],
        "s3": [
            _outcome(t["s3"], "cohort_size", "Thirty", value=30),
            _cr("s3", "CR 30%", 30.0, group=None, regimen=None),
            _outcome(t["s3"], "median_os", "Median OS 9 months", value=9.0, regimen="Pola-BR"),
        ],
        "s4": [
            _outcome(t["s4"], "cohort_size", "100", value=100),
            _cr("s4", "CR 50% with R-CHOP", 50.0, group="R-CHOP", regimen="R-CHOP"),
            _cr("s4", "CR 30% in the control group", 30.0, group="control group", regimen=None),
        ],
        "s5": [
            _outcome(t["s5"], "cohort_size", "Fifty", value=50),
            _cr("s5", "CR 44%", 44.0, group=None, regimen=None),
        ],
        "s6": [_cr("s6", "CR 0/12", 0.0, numerator=0, denominator=12)],
        "s7": [_cr("s7", "CR 20/50 (40%)", 40.0, numerator=20, denominator=50)],
        "s8": [_cr("s8", "CR 10/25", 40.0, numerator=10, denominator=25)],
        "s9": [_cr("s9", "CR 12/30", 40.0, numerator=12, denominator=30)],
    }
    store.save_outcomes(
        [(s, store.study(s)["text_sha256"], v) for s, v in values.items()],
        version="test",
        run_id="r0",
    )
    by_span = {(r["study_id"], r["start"]): r["id"] for s in TEXTS for r in store.outcomes(s)}
    ids = {
        (s, snippet): by_span[(s, TEXTS[s].index(snippet))]
        for s, snippet in [
            ("s7", "CR 20/50 (40%)"),
            ("s8", "CR 10/25"),
            ("s9", "CR 12/30"),
            ("s1", "CR 38% by PET"),
        ]
    }
    mark(store, ids[("s7", "CR 20/50 (40%)")], "corrected", corrections={"value": 44.0})
    mark(store, ids[("s8", "CR 10/25")], "rejected")
    mark(store, ids[("s9", "CR 12/30")], "corrected", corrections={"numerator": 15})
    yield store
    store.close()


def by_name(report):
    return {p.name: p for p in report.pools}


def test_one_value_per_study_with_its_counts_said(pool_store):
    pools = by_name(pool(pool_store, "cr_rate"))
    counted = {
        s.count.study_id: (s.count.events, s.count.total, s.count.printed, s.count.how)
        for s in pools["Pola-BR"].studies
    }
    assert counted == {
        "s1": (16, 40, True, "n/N as printed"),
        "s2": (20, 44, False, "45% × 44 = 19.8 → 20 (n: its relapse_rate 10/44)"),
        "s3": (9, 30, False, "30% × 30 = 9 (n: the study's cohort)"),
        "s6": (0, 12, True, "n/N as printed"),
        "s7": (22, 50, False, "44% × 50 = 22 (n: its own, the percent corrected)"),
        "s9": (15, 30, True, "n/N as corrected by a reviewer"),
    }
    s3 = next(s for s in pools["Pola-BR"].studies if s.count.study_id == "s3")
    assert s3.count.assigned == WHOLE_COHORT and s3.count.group is None
    s6 = next(s for s in pools["Pola-BR"].studies if s.count.study_id == "s6")
    assert s6.continuity and (s6.ci_low, round(s6.ci_high, 4)) == (
        0.0,
        26.4648,
    )  # exact CI of 0/12: 1 - 0.025 ** (1 / 12)
    assert [(s.count.events, s.count.total) for s in pools["BR"].studies] == [(9, 43)] and pools[
        "BR"
    ].pooled is None


def test_what_is_left_out_and_why(pool_store):
    report = pool(pool_store, "cr_rate")
    pools = by_name(report)
    reasons = {(s.study_id, s.value): (s.reason, s.fix) for p in report.pools for s in p.skipped}
    assert reasons[("s1", 38.0)][0].startswith(
        "the study counts once: "
    )  # printed 16/40 stands for s1
    assert reasons[("s1", 9.0)] == (
        "no group size to count 9% of",
        "--set denominator=N",
    )  # a subgroup, no size
    assert reasons[("s4", 50.0)] == (
        "no group size to count 50% of",
        "--set denominator=N",
    )  # an arm: not N=100
    assert [(s.study_id, s.reason, s.fix) for s in report.unassigned] == [
        ("s5", "no regimen or group", "--set regimen=NAME")
    ]
    assert "s8" not in {s.count.study_id for s in pools["Pola-BR"].studies}  # rejected
    assert "s8" not in {s.study_id for p in report.pools for s in p.skipped}
    assert (
        "control group" in pools and pools["control group"].k == 0
    )  # a group without a regimen is its own pool


def test_pooled_figures_equal_metafor(pool_store):
    """metafor 3.8-1: rma(measure="PLO", xi=c(16,20,9,0,22,15), ni=c(40,44,30,12,50,30), method="DL")."""
    q = by_name(pool(pool_store, "cr_rate"))["Pola-BR"].pooled
    assert q is not None and q.k == 6
    assert 100 * q.estimate == pytest.approx(41.20297250, abs=1e-6)
    assert (100 * q.ci_low, 100 * q.ci_high) == pytest.approx((33.09831111, 49.81450476), abs=1e-6)
    assert (q.tau2, 100 * q.i2, q.q, q.q_p) == pytest.approx(
        (0.05095692, 27.57778622, 6.90395907, 0.22788155), abs=1e-6
    )
    assert q.corrected == (False, False, False, True, False, False)


def test_by_group_and_filters(pool_store):
    groups = by_name(pool(pool_store, "cr_rate", by="group"))
    assert {s.count.study_id for s in groups["bulky disease"].studies} == set()  # no size: left out
    assert "Pola-BR" in groups and "s3" not in {s.count.study_id for s in groups["Pola-BR"].studies}
    only = pool(pool_store, "cr_rate", Filters(regimen="BR"))
    assert {p.name for p in only.pools} >= {"BR", "Pola-BR"} and "R-CHOP" not in by_name(only)
    assert pool(pool_store, "relapse_rate").pools[0].name in ("BR", "Pola-BR")


def test_records_and_sheet(pool_store):
    records = {r["regimen"]: r for r in pool_records(pool(pool_store, "cr_rate"))}
    pola = records["Pola-BR"]
    assert {
        "regimen",
        "k",
        "pooled",
        "ci_low",
        "ci_high",
        "i2",
        "tau2",
        "q",
        "q_p",
        "studies",
        "left_out",
    } <= set(pola)
    assert pola["k"] == 6 and pola["pooled"] == pytest.approx(41.2029725, abs=1e-6)
    assert pola["i2"] == pytest.approx(27.57778622, abs=1e-6)
    assert records["BR"]["pooled"] is None and records["BR"]["method"] == "not pooled: one study"
    json.dumps(pool_records(pool(pool_store, "cr_rate")))  # plain objects
    sheet = pooled_frame([pool(pool_store, "cr_rate")])
    pooled_row = sheet[(sheet["pool"] == "Pola-BR") & (sheet["row"] == "pooled")].iloc[0]
    assert pooled_row["k"] == 6 and pooled_row["proportion"] == pytest.approx(41.2029725, abs=1e-6)
    assert set(sheet["row"]) == {"study", "pooled", "left out"}
    assert (sheet["row"] == "study").sum() == 7 and sheet.loc[
        sheet["study_id"] == "s5", "note"
    ].iloc[0].startswith("no regimen or group")
