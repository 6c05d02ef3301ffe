"""The review page's parts that need no server: marking nested evidence, and reading a posted decision."""

from __future__ import annotations

import pytest

from evidence_tables.db.errors import ReviewError
from evidence_tables.web import decisions
from evidence_tables.web.highlight import runs

TEXT = "CR rates were 40% with A versus 18% with B; OS 12 months."
#        0         1         2         3         4         5
SPANS = {
    "outer": (0, 34),
    "inner": (0, 17),
    "same1": (44, 56),
    "same2": (44, 56),
    "cross": (30, 47),
}


def test_runs_give_each_value_exactly_its_evidence():
    values = [{"id": i, "start": s, "end": e} for i, (s, e) in SPANS.items()]
    cut = runs(TEXT, values)
    assert "".join(r.text for r in cut) == TEXT
    for i, (s, e) in SPANS.items():
        assert "".join(r.text for r in cut if i in r.outcomes) == TEXT[s:e], i
        assert [r for r in cut if i in r.starts] == [
            next(r for r in cut if i in r.outcomes)
        ]  # numbered once, first
    first = cut[0]
    assert first.outcomes == ("outer", "inner") and first.starts == (
        "outer",
        "inner",
    )  # in the order given
    assert runs(TEXT, values[::-1])[0].outcomes == ("inner", "outer")
    assert sum(1 for r in cut if "cross" in r.starts) == 1


def test_spans_outside_the_text_are_left_unmarked():
    cut = runs("short", [{"id": "x", "start": 2, "end": 99}])
    assert [(r.text, r.outcomes) for r in cut] == [("short", ())]


ROW = {
    "value": 40.0,
    "unit": "%",
    "ci_low": None,
    "ci_high": None,
    "numerator": 20,
    "denominator": 50,
    "not_reached": 0,
    "group_label": "R-CHOP",
    "regimen": "R-CHOP",
    "timepoint": "2 years",
}


@pytest.mark.parametrize(
    ("typed", "fixes"),
    [
        ({"value": "40", "numerator": "20", "ci_low": "", "group_label": "R-CHOP"}, {}),
        ({"value": "42", "numerator": "20"}, {"value": 42.0}),
        ({"timepoint": "", "ci_high": "55.5"}, {"timepoint": None, "ci_high": 55.5}),
        ({"not_reached": "true", "value": ""}, {"not_reached": True, "value": None}),
        ({"group_label": " R-CHOP "}, {}),
    ],
    ids=["unchanged", "one field", "cleared and set", "not reached", "spaces"],
)
def test_a_correction_keeps_the_fields_that_changed(typed, fixes):
    assert decisions.changed(ROW, typed) == fixes


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"outcome": "abcd", "decision": "approve"}, "decision must be one of"),
        ({"decision": "accept"}, "say which value"),
        ({"review": "3", "decision": "accept"}, "can only be cleared"),
        ({"outcome": "abcd", "decision": "correct", "value": "forty"}, None),
    ],
    ids=["unknown decision", "no value", "orphan accepted", "not a number"],
)
def test_forms_that_ask_for_nothing_known_are_refused(form, message):
    if message is None:  # read, then refused when the field is typed (as --set refuses it)
        with pytest.raises(ReviewError, match="expected a number"):
            decisions.changed(ROW, decisions.read(form).typed)
        return
    with pytest.raises(ReviewError, match=message):
        decisions.read(form)
