"""Each registered measure's rule (registry: the definition names it, here it is imported and run)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Document
from evidence_tables.extractor.outcomes import Outcome
from evidence_tables.registry import Measure, definitions

MeasureRule = Callable[[Document, Arms], list[Outcome]]


@cache
def _imported(path: str) -> MeasureRule:
    module, _, name = path.partition(":")
    rule: MeasureRule = getattr(import_module(module), name)
    return rule


def rule_of(measure: Measure) -> MeasureRule:
    """The measure's rule: the function itself, or the one its import path ('module:function') names."""
    return _imported(measure.rule) if isinstance(measure.rule, str) else measure.rule


def outcomes_from_document(d: Document) -> list[Outcome]:
    """Every registered measure of one abstract, measure by measure in the order registered."""
    arms = Arms.of(d)
    return [o for measure in definitions() for o in rule_of(measure)(d, arms)]
