"""Numbers as abstracts print them: pure parsing, no spaCy.

Handles thousands separators ("2,545", "1 234" with thin or no-break spaces),
decimals written with "·" (The Lancet's style), number words ("one hundred and
twelve", "Fifty-six"), percents ("60%", "60 percent") and the hedges printed
before a number ("approximately", "about", "nearly", "over").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence_tables.extractor.search.casefold import compile_folded, fold

_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = "|".join(sorted([*_ONES, *_TENS, *_SCALES], key=len, reverse=True))
NUMBER_WORD = _WORD  # one number word, as a regex alternation (longest first)
NUMBER_WORDS = frozenset([*_ONES, *_TENS, *_SCALES])

# Unicode spaces that may sit inside a number as a thousands separator.
GROUP_SPACES = "\u2009\u202f\u00a0"
DASHES = r"\-\u2010\u2011\u2012\u2013\u2014\u2212"  # a regex class body

_DIGITS = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d{{1,3}}(?:[{GROUP_SPACES}]\d{{3}})+(?![\d])|\d+)(?:[.\u00b7]\d+)?"
    r"|[.\u00b7]\d+"
)
_WORDS = rf"(?:{_WORD})(?:(?:[\s{DASHES}]+(?:and\s+)?)(?:{_WORD}))*"
# Case-insensitive: searches the folded text (extractor.search.casefold; IGNORECASE is 2x slower on this pattern).
NUMBER = compile_folded(
    rf"(?<![\w.\u00b7])(?<![A-Za-z][\-\u2010\u2011])(?:(?P<digits>{_DIGITS})|(?P<words>\b{_WORDS}\b))(?![\w])"
    rf"(?P<pct>\s?(?:%|percent\b|per\s+cent\b))?"
)
HEDGE = re.compile(
    r"(?:approximately|approx\.|about|around|nearly|almost|roughly|over|more\s+than|less\s+than|under|"
    r"up\s+to|at\s+least|close\s+to|~|≈|>|<|≥|≤)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in text: `text[start:end]` is exactly what was printed."""

    start: int
    end: int
    value: float
    percent: bool = False
    word: bool = False

    @property
    def is_int(self) -> bool:
        return float(self.value).is_integer()


def parse_digits(text: str) -> float:
    """'2,545' -> 2545; '11·3' -> 11.3; '1 234' (thin space) -> 1234; '.30' -> 0.3."""
    cleaned = text.replace(",", "").replace("\u00b7", ".")
    for ch in GROUP_SPACES:
        cleaned = cleaned.replace(ch, "")
    return float(cleaned)


def _word_step(state: tuple[int, int, str | None], word: str) -> tuple[int, int, str | None] | None:
    """Extend a number-word parse (total, current, last kind) by one word; None if it cannot."""
    total, current, last = state
    if word in _ONES:
        if last in ("ones", "teen"):
            return None
        return total, current + _ONES[word], "teen" if _ONES[word] >= 10 else "ones"
    if word in _TENS:
        if last in ("ones", "teen", "tens"):
            return None
        return total, current + _TENS[word], "tens"
    if word == "hundred":
        if last is None and current == 0:
            return total, 100, "hundred"  # 'Hundred fifty-nine patients'
        if last not in ("ones", "teen", "tens") or current >= 100:
            return None
        return total, current * 100, "hundred"
    if word == "thousand":
        if last is None or last == "thousand":
            return None
        return total + current * 1000, 0, "thousand"
    return None


def _word_numbers(run: str, offset: int) -> list[tuple[int, int, float]]:
    """Split a run of number words into numbers: 'twelve and Fifty-six' -> 12, 56."""
    out: list[tuple[int, int, float]] = []
    state: tuple[int, int, str | None] = (0, 0, None)
    begin = end = -1
    pending_and = False
    for m in re.finditer(r"[A-Za-z]+", run):
        word = m.group(0).lower()
        if word == "and":
            pending_and = state[2] in ("hundred", "thousand")
            if not pending_and and begin >= 0:
                out.append((begin, end, float(state[0] + state[1])))
                state, begin = (0, 0, None), -1
            continue
        step = _word_step(state, word) if begin >= 0 else None
        if step is not None and (not pending_and or word in _ONES or word in _TENS):
            state, end = step, m.end()
        else:
            if begin >= 0:
                out.append((begin, end, float(state[0] + state[1])))
            first = _word_step((0, 0, None), word)
            state, begin, end = (first, m.start(), m.end()) if first else ((0, 0, None), -1, -1)
        pending_and = False
    if begin >= 0:
        out.append((begin, end, float(state[0] + state[1])))
    # 'Hundred fifty-nine' is 159, but a bare 'hundred' is no number ('a hundred' is not read as one)
    return [(offset + b, offset + e, v) for b, e, v in out if run[b:e].lower() != "hundred"]


def parse_words(text: str) -> float | None:
    """'one hundred and twelve' -> 112; 'Fifty-six' -> 56; None unless the text is one number."""
    found = _word_numbers(text, 0)
    if len(found) != 1 or found[0][0] != 0 or found[0][1] != len(text.rstrip()):
        return None
    return found[0][2]


def find_numbers(text: str, offset: int = 0, folded: str | None = None) -> list[Number]:
    """Every number in `text`, with positions shifted by `offset` (the sentence's start);
    `folded` is `fold(text)` when the caller has it."""
    found = []
    for m in NUMBER.finditer(fold(text) if folded is None else folded):
        pct = bool(m.group("pct"))
        if digits := m.group("digits"):  # folding leaves digits and separators as they are
            try:
                value = parse_digits(digits)
            except ValueError:
                continue
            found.append(Number(m.start() + offset, m.end() + offset, value, percent=pct))
            continue
        words = _word_numbers(text[m.start("words") : m.end("words")], m.start("words"))
        for i, (b, e, v) in enumerate(words):
            last = i == len(words) - 1
            found.append(
                Number(
                    b + offset,
                    (m.end() if last and pct else e) + offset,
                    v,
                    percent=last and pct,
                    word=True,
                )
            )
    return found


def hedge_before(text: str, pos: int) -> str | None:
    """The hedge word printed right before position `pos` ("approximately", "over", ...), if any."""
    m = HEDGE.search(text[max(0, pos - 20) : pos])
    return m.group(0).strip().lower() if m else None


def fmt(value: float | None) -> str:
    """A value as a reviewer would print it: 12.0 -> '12', 12.70 -> '12.7'."""
    if value is None:
        return "NR"
    return f"{value:g}" if abs(value) < 1e15 else str(value)
