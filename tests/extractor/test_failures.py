"""What one abstract's text can cause is that abstract's failure; a mistake in the code stops the extraction."""

from __future__ import annotations

from functools import cache

import pytest

import evidence_tables.extractor.measures.survival as extract_module
import evidence_tables.extractor.parallel as parallel
from evidence_tables.extractor import Extractor, Failure, measure_rules
from evidence_tables.extractor.errors import ExtractionError

ITEMS = [(f"{i}: Forty patients were enrolled.", i) for i in ("ok-1", "CURSED", "ok-2")]


@pytest.fixture(autouse=True)
def fresh_rules(monkeypatch):
    """The registry's rules looked up afresh in this test (a patched rule is seen; the cache is put back)."""
    monkeypatch.setattr(measure_rules, "_imported", cache(measure_rules._imported.__wrapped__))


@pytest.fixture(params=[1, 2], ids=["jobs1", "jobs2"])
def jobs(request):
    return request.param


def _faulty(monkeypatch, factory) -> None:
    """Extract with `factory` (tests/helpers/pool_faults.py) here and in the workers; the rule it patches in
    this process is put back after the test."""
    monkeypatch.setattr(extract_module, "median_os", extract_module.median_os)
    monkeypatch.setattr(parallel, "_new", factory)


def test_a_type_error_in_a_rule_propagates(monkeypatch, pool_faults, jobs):
    _faulty(monkeypatch, pool_faults.typo_in_a_rule)
    with pytest.raises(TypeError, match="a rule tripped"):
        list(parallel.extract_many(ITEMS, jobs=jobs, chunk_size=1, keep_going=True))


@pytest.mark.parametrize(
    "error", [TypeError, AttributeError, KeyError, IndexError, NameError, AssertionError]
)
def test_programming_errors_are_not_failures_of_the_abstract(monkeypatch, error):
    def broken(d, arms):
        raise error("a bug")

    monkeypatch.setattr(extract_module, "median_os", broken)
    with pytest.raises(error):
        list(Extractor().pipe(ITEMS, keep_going=True))


def test_a_text_caused_error_is_that_abstracts_failure(monkeypatch, pool_faults, jobs):
    _faulty(monkeypatch, pool_faults.text_trips_a_rule)
    found = dict(parallel.extract_many(ITEMS, jobs=jobs, chunk_size=1, keep_going=True))
    assert found["CURSED"] == Failure("the rules failed: ValueError('a rule tripped')")
    assert [o.value for o in found["ok-1"]] == [o.value for o in found["ok-2"]] == [40]


@pytest.mark.parametrize(
    "error", [ValueError, ZeroDivisionError, OverflowError, RecursionError, ExtractionError]
)
def test_errors_a_text_can_cause_are_caught(monkeypatch, error):
    def tripped(d, arms):
        if "CURSED" in d.text:
            raise error("the text")
        return []

    monkeypatch.setattr(extract_module, "median_os", tripped)
    found = dict(Extractor().pipe(ITEMS, keep_going=True))
    assert isinstance(found["CURSED"], Failure) and error.__name__ in found["CURSED"].reason
    with pytest.raises(
        ExtractionError, match="extraction failed for CURSED"
    ):  # without keep_going: named
        list(Extractor().pipe(ITEMS))
