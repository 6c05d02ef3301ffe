"""Helpers shared by the measure rules: who owns a value, where its group is, flags."""

from __future__ import annotations

import re

from evidence_tables.extractor.document import Cue, Document, Sentence
from evidence_tables.extractor.groups import Group, regimen_of
from evidence_tables.extractor.numbers import Number
from evidence_tables.extractor.outcomes import FLAG_BACKGROUND, FLAG_OUTSIDE_CI

# Between two measures of a list whose values follow 'respectively': 'ORR and CR', 'PFS/OS', 'EFS, PFS and OS',
# 'the relapse rate and OS' (measures/rates.py pairs rates with them, measures/survival.py medians).
MEASURE_LIST_JOIN = re.compile(
    r"\s*(?:rates?\s*)?(?:,|/|,?\s*(?:and|or|&))\s*(?:the\s+)?", re.IGNORECASE
)

_DIFFERENCE_AFTER = re.compile(
    r"^\s*(?:months?|mo\.?|years?|weeks?|days?|%)?\s*[\-\u2013]?\s*(?:longer|shorter|improvement|"
    r"difference|gain|benefit|increase|extension|prolongation|advantage|greater|higher|lower)",
    re.IGNORECASE,
)
_DIFFERENCE_BEFORE = re.compile(
    r"(?:\bby|improvement\s+of|difference\s*(?:of|[,:=])?|gain\s+of|increase\s+of|"
    r"prolongation\s+of|extension\s+of|benefit\s+of)\s*$",
    re.IGNORECASE,
)


# Values of animal experiments are not patients' outcomes: 'untreated rats had a median survival of 21 days'.
_ANIMALS = re.compile(
    r"\b(?:rats?|mice|mouse|murine|rodents?|animals?|dogs?|canines?|rabbits?|xenografts?|"
    r"monkeys?|primates?|pigs?|zebrafish)\b",
    re.IGNORECASE,
)


def about_animals(sent: Sentence) -> bool:
    return bool(_ANIMALS.search(sent.text))


def owner(cues: list[Cue], pos: int) -> Cue | None:
    """The last measure cue that ends before `pos` (the measure a value belongs to)."""
    best = None
    for c in cues:
        if c.end <= pos and (best is None or c.end > best.end):
            best = c
    return best


def drop_overlapping(keep: list[Cue], against: list[Cue]) -> list[Cue]:
    """Cues of `keep` that do not overlap any cue of `against`."""
    return [c for c in keep if not any(a.start < c.end and c.start < a.end for a in against)]


def is_difference(sent: Sentence, n: Number, unit_end: int) -> bool:
    """'longer by 7.1 months', 'an 11.7 month difference': a difference between arms, not a value."""
    before = sent.slice(max(sent.start, n.start - 20), n.start)
    after = sent.text[unit_end - sent.start : unit_end - sent.start + 25]
    return bool(
        _DIFFERENCE_BEFORE.search(before)
        or _DIFFERENCE_AFTER.match(after)
        or re.match(r"^[\-\u2013\s]*month\s+(?:difference|improvement|gain)", after, re.I)
    )


def regimen_for(doc: Document, sent: Sentence, group: Group | None) -> str | None:
    if group is None:
        return None
    name = regimen_of(doc, sent, group.start, group.end)
    if name is None:
        for short, long_form in doc.abbreviations.items():
            if group.label.lower() == short.lower():
                return long_form
    return name


def ci_flags(value: float | None, low: float | None, high: float | None) -> list[str]:
    if value is None:
        return []
    if (low is not None and value < low) or (high is not None and value > high):
        return [FLAG_OUTSIDE_CI]
    return []


def context_flags(sent: Sentence) -> list[str]:
    return [FLAG_BACKGROUND] if sent.has("BACKGROUND") else []
