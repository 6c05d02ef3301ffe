"""The record every extraction rule produces."""

from __future__ import annotations

from dataclasses import dataclass

from evidence_tables.registry import ALL

Measure = str  # the name of a registered measure (evidence_tables.registry)
MEASURES = ALL  # the names of the registered measures, in order (a live list)

# Flags a reviewer filters on (stored comma-separated in `outcomes.flags`).
FLAG_OUTSIDE_CI = "estimate_outside_ci"
FLAG_COUNT_MISMATCH = "count_percent_mismatch"
FLAG_OVER_100 = "percent_over_100"
FLAG_BACKGROUND = "background_sentence"
FLAG_COMPUTED = "computed_from_counts"
# The text does not say which population the value belongs to (two could own it, or an order is not
# stated): no group is stored, and a reviewer should say whose it is.
FLAG_GROUP_UNCERTAIN = "group_uncertain"
# Values printed as a comparison with no group beside them, given to the trial's arms in the order the
# abstract named the arms (the usual convention, not a statement): a reviewer confirms the order.
FLAG_ARM_ORDER = "group_from_arm_order"


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """One extracted value with its provenance.

    `start`/`end` index the abstract text exactly (``text[start:end]`` is the
    evidence); `sentence` is the sentence it came from; `rule` the id of the
    rule that fired. Rates are percents (0-100); `value` is None when the
    median was not reached.
    """

    measure: Measure
    value: float | None
    unit: str | None
    start: int
    end: int
    sentence: str
    rule: str
    group_label: str | None = None
    regimen: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    not_reached: bool = False
    timepoint: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """An abstract the rules could not process, and why (`Extractor.pipe(..., keep_going=True)`)."""

    reason: str
