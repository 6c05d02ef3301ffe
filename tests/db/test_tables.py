"""The wide and long evidence tables, with reviewers' decisions applied and filters, on a database the tests build."""

from __future__ import annotations

import pandas as pd
import pytest

from evidence_tables.db.errors import QueryError
from evidence_tables.db.filters import Filters, fts_query
from evidence_tables.db.reviews import mark
from evidence_tables.db.tables import (
    LONG_COLUMNS,
    WIDE_COLUMNS,
    group_key,
    long_table,
    shown_group,
    studies_table,
    wide_table,
)
from evidence_tables.db.units import to_months


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [
        tuple(None if pd.isna(v) else v for v in r)
        for r in frame[list(columns)].itertuples(index=False)
    ]


@pytest.mark.parametrize(
    ("value", "unit", "months"),
    [
        (300.0, "days", 9.86),
        (6.0, "weeks", 1.38),
        (7.9, "years", 94.8),
        (12.4, "months", 12.4),
        (None, "months", None),
        (5.0, None, None),
        (5.0, "fortnights", None),
        (float("nan"), "days", None),
    ],
    ids=["days", "weeks", "years", "months", "no-value", "no-unit", "unknown-unit", "nan"],
)
def test_to_months(value, unit, months):
    assert to_months(value, unit) == months


def test_long_table_gives_each_value_its_evidence(evidence_store):
    frame = long_table(evidence_store)
    assert list(frame.columns) == LONG_COLUMNS and len(frame) == 12
    for row in frame.to_dict("records"):
        abstract = evidence_store.study(row["study_id"])["abstract"]
        assert (
            row["evidence"] == abstract[row["start"] : row["end"]]
        )  # offsets count characters, not bytes
    a1 = frame[frame["study_id"] == "a1"]
    assert (
        a1.iloc[0]["first_author"] == "Okafor N"
        and a1.iloc[0]["publication_type"] == "Randomized Controlled Trial"
    )
    os_ = frame[frame["measure"] == "median_os"]
    assert rows(os_, "study_id", "group", "value_months", "not_reached") == [
        ("a1", "R-CHOP", 24.0, False),
        ("a1", "R-CVP", None, True),
        ("b2", None, 9.86, False),
    ]


def test_wide_table_has_one_row_per_study_and_group(evidence_store):
    frame = wide_table(evidence_store)
    assert list(frame.columns) == WIDE_COLUMNS
    assert rows(
        frame,
        "study_id",
        "group",
        "cohort_size",
        "relapse_rate",
        "median_os",
        "median_os_months",
        "median_os_not_reached",
        "cr_rate",
        "cr_numerator",
        "cr_denominator",
    ) == [
        ("a1", None, 120, 25.0, None, None, None, None, None, None),
        ("a1", "R-CHOP", 120, None, 24.0, 24.0, False, 40.0, 20, 50),
        ("a1", "R-CVP", 120, None, None, None, True, 30.0, 15, 50),
        ("b2", None, 30, 20.0, 300.0, 9.86, False, 50.0, 15, 30),
        (
            "b2",
            None,
            30,
            35.0,
            None,
            None,
            None,
            None,
            None,
            None,
        ),  # a second unlabelled relapse rate
        ("c3", None, 12, None, None, None, None, None, None, None),
    ]
    assert frame.loc[1, "median_os_ci_low"] == 18.0 and frame.loc[1, "median_os_unit"] == "months"
    assert frame.loc[0, "relapse_timepoint"] == "2 years"
    assert frame.loc[2, "flags"] == "cr_rate: count_percent_mismatch"
    assert len(frame.loc[1, "outcome_ids"].split()) == 2


def test_tables_use_the_reviewed_values_and_say_so(evidence_store, ids):
    mark(
        evidence_store,
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        "corrected",
        corrections={"value": 42.0},
    )
    mark(evidence_store, ids(evidence_store, "a1", "cr_rate", "R-CVP"), "rejected")
    mark(
        evidence_store,
        ids(evidence_store, "c3", "cohort_size"),
        "corrected",
        corrections={"value": 14},
    )
    mark(evidence_store, ids(evidence_store, "b2", "median_os"), "accepted")
    wide = wide_table(evidence_store)
    assert rows(wide, "study_id", "group", "cr_rate", "review_status") == [
        ("a1", None, None, None),
        ("a1", "R-CHOP", 42.0, "cr_rate corrected"),
        ("a1", "R-CVP", None, None),
        ("b2", None, 50.0, "median_os accepted"),
        ("b2", None, None, None),
        ("c3", None, None, "cohort_size corrected"),
    ]
    assert wide.loc[5, "cohort_size"] == 14
    long = long_table(evidence_store, Filters(measures=("cr_rate",)))
    assert rows(long, "group", "value", "extracted_value", "review_status") == [
        ("R-CHOP", 42.0, 40.0, "corrected"),
        ("R-CVP", 30.0, 30.0, "rejected"),
        (None, 50.0, 50.0, None),
    ]


def test_a_rejected_cohort_size_is_not_shown_or_used(evidence_store, ids):
    mark(evidence_store, ids(evidence_store, "b2", "cohort_size"), "rejected")
    assert wide_table(evidence_store).query("study_id == 'b2'")["cohort_size"].isna().all()
    assert "b2" not in set(wide_table(evidence_store, Filters(min_cohort=1))["study_id"])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(measures=("median_os",)), [("a1", "R-CHOP"), ("a1", "R-CVP"), ("b2", None)]),
        (Filters(measures=("cohort_size",)), [("a1", None), ("b2", None), ("c3", None)]),
        (Filters(regimen="r-c"), [("a1", "R-CHOP"), ("a1", "R-CVP")]),
        (Filters(regimen="CHOP", measures=("cr_rate",)), [("a1", "R-CHOP")]),
        (Filters(regimen="100%_"), []),
        (
            Filters(min_cohort=30),
            [("a1", None), ("a1", "R-CHOP"), ("a1", "R-CVP"), ("b2", None), ("b2", None)],
        ),
        (Filters(min_cohort=31), [("a1", None), ("a1", "R-CHOP"), ("a1", "R-CVP")]),
        (Filters(flagged=True), [("a1", "R-CVP")]),
        (Filters(search="radiotherapy"), [("c3", None)]),
        (
            Filters(search="CAR-T"),
            [("a1", None), ("a1", "R-CHOP"), ("a1", "R-CVP"), ("c3", None)],
        ),  # en dash too
        (
            Filters(search="patients NOT radiotherapy"),
            [("a1", None), ("a1", "R-CHOP"), ("a1", "R-CVP"), ("b2", None), ("b2", None)],
        ),
    ],
    ids=[
        "measure",
        "cohort-measure",
        "regimen",
        "regimen-and-measure",
        "like-wildcards-escaped",
        "min-cohort",
        "min-cohort-above",
        "flagged",
        "search-word",
        "search-hyphen",
        "search-syntax",
    ],
)
def test_filters(evidence_store, filters, expected):
    assert rows(wide_table(evidence_store, filters), "study_id", "group") == expected
    assert set(long_table(evidence_store, filters)["study_id"]) == {s for s, _ in expected}
    assert list(studies_table(evidence_store, filters)["study_id"]) == sorted(
        {s for s, _ in expected}
    )


def test_a_bad_search_is_a_query_error(evidence_store):
    with pytest.raises(QueryError, match="full-text query"):
        wide_table(evidence_store, Filters(search="CAR AND ("))


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("CAR-T", '"CAR-T"'),
        ("7+3 induction", '"7+3" "induction"'),
        ("lymphom*", "lymphom*"),
        ('"complete response"', '"complete response"'),
        ("myeloma OR lymphoma", "myeloma OR lymphoma"),
        ("R-CHOP OR blinatumomab", '"R-CHOP" OR blinatumomab'),
        ("(CAR-T OR 7+3) AND relapse", '( "CAR-T" OR "7+3" ) AND relapse'),
        ("CPX-351* NOT trial", '"CPX-351"* NOT trial'),
        ('say "no', 'say "no"'),
    ],
    ids=[
        "hyphen",
        "plus",
        "prefix",
        "phrase",
        "operator",
        "hyphen-with-or",
        "brackets",
        "prefix-of-quoted",
        "stray-quote",
    ],
)
def test_fts_query(text, query):
    assert fts_query(text) == query


def test_an_empty_database_gives_empty_tables(store):
    assert wide_table(store).empty and list(wide_table(store).columns) == WIDE_COLUMNS
    assert long_table(store).empty and studies_table(store).empty


def test_all_studies_adds_a_row_for_studies_without_a_value_shown(evidence_store):
    crs = wide_table(evidence_store, Filters(measures=("cr_rate",)), all_studies=True)
    assert rows(crs, "study_id", "group", "cr_rate", "cohort_size") == [
        ("a1", "R-CHOP", 40.0, 120),
        ("a1", "R-CVP", 30.0, 120),
        ("b2", None, 50.0, 30),
        ("c3", None, None, 12),
    ]
    found = wide_table(
        evidence_store, Filters(measures=("cr_rate",), search="radiotherapy"), all_studies=True
    )
    assert rows(found, "study_id", "cr_rate") == [("c3", None)]
    big = studies_table(
        evidence_store, Filters(measures=("relapse_rate",), min_cohort=100), all_studies=True
    )
    assert list(big["study_id"]) == ["a1"]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Standard-care arm", "standard care"),
        ("the standard care group", "standard care"),
        ("standard care", "standard care"),
        ("group A", "group a"),
        ("Arm", "arm"),
        ("R-CHOP", "r chop"),
        ("TP53-mutated cohort", "tp53 mutated"),
        ("the arm", "arm"),
        ("A arm", "a"),
        ("B group", "b"),
    ],
)
def test_group_key(label, key):
    assert group_key(label) == key


def test_one_group_written_two_ways_is_one_row(store):
    from evidence_tables.corpus import Article
    from evidence_tables.db import ImportReport
    from evidence_tables.extractor.outcomes import Outcome

    text = (
        "CR was 40% in the standard-care arm and 55% with drug X. Median OS was 11 months in the "
        "standard care group and 19 months with drug X."
    )
    store.import_items(
        [Article(study_id="s", abstract=text, source="t", location="1")], ImportReport()
    )

    def o(measure, snippet, value, group):
        start = text.index(snippet)
        return Outcome(
            measure=measure,
            value=value,
            unit="%" if measure == "cr_rate" else "months",
            start=start,
            end=start + len(snippet),
            sentence=text,
            rule="t",
            group_label=group,
        )

    outs = [
        o("cr_rate", "40%", 40.0, "standard-care arm"),
        o("cr_rate", "55%", 55.0, "drug X"),
        o("median_os", "11 months", 11.0, "standard care group"),
        o("median_os", "19 months", 19.0, "drug X"),
    ]
    store.save_outcomes([("s", store.study("s")["text_sha256"], outs)], version="v", run_id="r")
    frame = wide_table(store)
    assert rows(frame, "group", "cr_rate", "median_os") == [
        ("drug X", 55.0, 19.0),
        ("standard-care arm", 40.0, 11.0),
    ]


@pytest.mark.parametrize(
    ("label", "regimen", "shown"),
    [
        ("the Pola-BR arm", "Pola-BR", "Pola-BR"),
        ("CAR T cells", "CAR-T", "CAR-T"),
        (
            "patients with extramedullary disease",
            "teclistamab",
            "patients with extramedullary disease",
        ),
        (None, "teclistamab", "teclistamab"),
        ("investigator's choice", None, "investigator's choice"),
        (None, None, None),
    ],
)
def test_shown_group(label, regimen, shown):
    assert shown_group(label, regimen) == shown
