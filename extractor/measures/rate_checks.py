"""Checks on a rate found beside a cue: is it a change or an assumption rather than a result, and its flags."""

from __future__ import annotations

import re

from evidence_tables.extractor.document import Sentence
from evidence_tables.extractor.measures.ownership import context_flags
from evidence_tables.extractor.outcomes import FLAG_COMPUTED, FLAG_COUNT_MISMATCH, FLAG_OVER_100
from evidence_tables.extractor.values import Rate

# A change, or the next of a list of changes: 'reduced the risk of relapse by 54% and 57%'.
_RELATIVE = re.compile(
    r"(?:\bby|\breduc\w*\s+(?:of|in)|\bdecrease\w*\s+(?:of|in)|\bdifferences?\s*(?:of|was|were|[,:=])?)"
    r"\s*(?:approximately\s+|about\s+|almost\s+|nearly\s+|roughly\s+|around\s+)?"
    r"(?:\d+(?:\.\d+)?\s*%\s*(?:,\s*|\s+and\s+|\s+or\s+|,\s*and\s+))?[\-\u2212+]?$",
    re.I,
)
_RELATIVE_AFTER = re.compile(
    r"^\s*(?:relative\s+|absolute\s+)?(?:reduction|decrease|lower|higher|increase|"
    r"improvement|risk\s+reduction|fewer|more|less|greater|difference)\b",
    re.IGNORECASE,
)
# What may sit between a count and the verb cue it is the subject of: '18 of the 30 patients in CR relapsed'.
OF_THE_N = r"of\s+(?:the\s+|all\s+|these\s+)?(?:\d[\d,]*\s+)?"  # 'of', 'of the 80', 'of all'

_OF_PEOPLE = re.compile(
    rf"\s*{OF_THE_N}(?:[\w\-]+\s+){{0,2}}?"
    r"(?:patients|participants|subjects|individuals|cases|children|adults|those|evaluable)\b",
    re.I,
)


def is_relative(sent: Sentence, r: Rate) -> bool:
    before = sent.slice(max(sent.start, r.start - 30), r.start)
    after = sent.text[r.end - sent.start : r.end - sent.start + 30]
    if _OF_THE_VARIANCE.match(after):
        return (
            True  # 'accounting for 28% of the variance': a share of variance, no rate of patients
        )
    if re.search(r"\bby\s*$", before) and (r.numerator is not None or _OF_PEOPLE.match(after)):
        return False  # 'achieved by 30 patients (25%)', 'by 64% of 150 patients': people, not a change 'by 25%'
    return bool(_RELATIVE.search(before) or _RELATIVE_AFTER.match(after))


_OF_THE_VARIANCE = re.compile(r"\s*of\s+(?:the\s+)?(?:variance|variability|variation)\b", re.I)


# A rate the design assumed, not one observed: 'exceeding the prespecified threshold of 20%', 'a 15% null hypothesis'.
_BENCHMARK_BEFORE = re.compile(
    r"\b(?:threshold|boundary|benchmark|null\s+hypothesis|hypothesi[sz]ed|assumed|target)\s+"
    r"(?:(?:rate|value|level)\s+)?(?:of\s+)?$",
    re.IGNORECASE,
)
_BENCHMARK_AFTER = re.compile(
    r"^\s*(?:(?:prespecified|pre-specified|predefined)\s+)?(?:threshold|boundary|benchmark|"
    r"null\s+hypothesis|target)\b",
    re.IGNORECASE,
)


# A sentence about the design's arithmetic: 'powered to detect a fall in relapse from 40% to 25%', 'the
# non-inferiority margin was a relapse rate of 10%'.
_DESIGN = re.compile(
    r"\b(?:powered|power\s+to\s+detect|sample\s+size\s+(?:calculation|was\s+calculated)|"
    r"(?:non-?inferiority|equivalence)\s+margin|designed\s+to\s+detect)\b",
    re.IGNORECASE,
)


def is_benchmark(sent: Sentence, r: Rate) -> bool:
    return bool(
        _BENCHMARK_BEFORE.search(sent.slice(max(sent.start, r.start - 40), r.start))
        or _BENCHMARK_AFTER.match(sent.text[r.end - sent.start : r.end - sent.start + 40])
        or _DESIGN.search(sent.text)
    )


def rate_flags(r: Rate, sent: Sentence) -> tuple[str, ...]:
    flags = []
    if r.value > 100:
        flags.append(FLAG_OVER_100)
    if r.numerator is not None and r.denominator and not r.computed:
        if abs(100 * r.numerator / r.denominator - r.value) > 1.0:
            flags.append(FLAG_COUNT_MISMATCH)
    if r.computed:
        flags.append(FLAG_COMPUTED)
    return tuple(flags + context_flags(sent))
