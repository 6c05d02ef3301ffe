"""Clauses and brackets of a sentence, computed once per sentence text however often rules ask."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from evidence_tables.extractor.document import Sentence

_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:while|whereas|but|although|compared\s+with\s+(?=\d))\b|\.\s|"
    r",\s+and\s+(?=(?:only\s+|just\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:patients?|participants?|subjects?|cases?)\b|\d[\d,]*\s*\()",
    re.IGNORECASE,
)


_CI_NEXT = re.compile(r"\s*\d{2}(?:\.\d+)?\s*%\s*(?:CI|confidence)", re.IGNORECASE)


@lru_cache(maxsize=512)
def _breaks(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Clause breaks of a sentence (starts, ends), found once however often clauses are asked for."""
    depths = bracket_depths(text) if "(" in text or "[" in text else None
    # a ';' inside brackets before a CI separates a value from its interval, not two clauses: '17 (58.6%; 90% CI,
    # 41.8 to 74.1) had pCR' (but '(21%; P = .61) or in ...' still ends one)
    found = [
        (m.start(), m.end())
        for m in _CLAUSE_BREAK.finditer(text)
        if depths is None
        or depths[m.start()] <= 0
        or not (text[m.start() - 1 : m.start()] == "%" and _CI_NEXT.match(text, m.end()))
    ]
    return tuple(a for a, _ in found), tuple(b for _, b in found)


@lru_cache(maxsize=512)
def bracket_depths(text: str) -> tuple[int, ...]:
    """Bracket depth before each character of a sentence."""
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        depth += ch in "([" and 1 or ch in ")]" and -1 or 0
    out.append(depth)
    return tuple(out)


def clause_bounds(sent: Sentence, pos: int) -> tuple[int, int]:
    """Absolute (start, end) of the clause around `pos`."""
    starts, ends = _breaks(sent.text)
    i = bisect_left(starts, pos - sent.start)
    start = sent.start + ends[i - 1] if i > 0 else sent.start
    end = sent.start + starts[i] if i < len(starts) else sent.end
    return start, end
