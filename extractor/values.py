"""Values inside a sentence: durations with units, rates with counts, confidence intervals.

Pure functions over a `Sentence`; they know what a value looks like, not which
measure it belongs to (that is the measure rules' job).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence_tables.extractor.document import Sentence
from evidence_tables.extractor.numbers import Number
from evidence_tables.extractor.search.casefold import fold

# What joins values printed one after the other as a list: '2.9 and 3.4 months', '40%, 35% and 20%', '10% vs 6%'.
VALUE_LIST_JOIN = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|and\s+|or\s+|vs\.?\s+|versus\s+|v\.?\s+)\s*", re.IGNORECASE
)
UNIT = re.compile(
    r"^\s*(?P<unit>months?|mo\b\.?|mos\b\.?|mths?\b|years?|yrs?\b|y\b|weeks?|wks?\b|days?|d\b)",
    re.IGNORECASE,
)
_UNIT_NAMES = {
    "mo": "months",
    "mos": "months",
    "mth": "months",
    "mths": "months",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "yr": "years",
    "yrs": "years",
    "y": "years",
    "week": "weeks",
    "weeks": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "day": "days",
    "days": "days",
    "d": "days",
}
# What may sit between two values of one printed list: "6.9 and 6.1", "15.3 vs. 24.6", "12.1, 10.4".
LIST_GAP = re.compile(
    r"^\s*(?:months?|mo\.?|years?|weeks?|days?)?\s*(?:,\s*(?:and\s+)?|and|vs\.?|versus|v\.?|or|/)\s*"
    # 'arm A: 15.8 versus arm B: 17.9 months': the next value after its arm's name
    r"(?:(?:arm|group|cohort)\s+(?:[A-D]|\d{1,2}|I{1,3}|IV)\s*:\s*)?$",
    re.IGNORECASE,
)
BOUND = re.compile(
    r"(?P<lo>\d[\d.,\u00b7\u2009]*|NR|NE|not\s+\w+)\s*(?:%\s*)?(?:[\-\u2010\u2011\u2012\u2013\u2014\u2212]|to|,)\s*"
    r"(?P<hi>\d[\d.,\u00b7\u2009]*(?!\d)|NR|NE|NA|not\s+(?:reached|estimable|evaluable|estimated|calculable|available))",
    re.IGNORECASE,
)
_CI_LEAD = re.compile(
    r"^\s*[(\[]?\s*(?:(?:95|90|99|9\d\.\d+)\s?%\s*(?:CI|CIs|C\.I\.|confidence\s+intervals?|credible\s+intervals?)"
    r"(?:\s*\[CI\])?|CI)\s*[:,=]?\s*(?:of\s+|from\s+)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A number printed with a time unit (directly, or through a list: '6.9 and 6.1 months')."""

    number: Number
    unit: str
    unit_end: (
        int  # end of the unit word, or of the number when the unit is shared with a later value
    )


@dataclass(frozen=True, slots=True)
class Interval:
    low: float | None
    high: float | None
    start: int
    end: int


def unit_name(text: str) -> str:
    # fold, not lower: the unit patterns ignore case as `re` does, so 'monthſ' (long s) matches them
    return _UNIT_NAMES[fold(text).rstrip(".")]


def _bound(text: str) -> float | None:
    t = text.strip().replace("\u00b7", ".").replace(",", "").replace("\u2009", "")
    try:
        return float(t)
    except ValueError:
        return None


_JOINED_BEFORE = re.compile(r"\d[\-\u2010\u2011\u2013]$")
_SIZE_BEFORE = re.compile(r"\b[nN]\s*=\s*$")
_PLUS_MINUS = re.compile(r"^\s*(?:\u00b1|\+\s*/\s*[\-\u2212])\s*$")
_SPREAD_AFTER = re.compile(r"\s*(?:\u00b1|\+\s*/\s*[\-\u2212])\s*\d[\d,]*(?:[.\u00b7]\d+)?")


# A bracket between a value and the unit or list it belongs to: '40.5 (IQR, 20.7 to not reached) and 36.2
# (IQR, 17.7-53.3) months', '41.8 (A plus B) versus 37.7 months' (no unit or percent inside: not '12 (range,
# 2-30 months)', whose unit is its own).
_ASIDE_BEFORE_UNIT = re.compile(
    r"^\s*[(\[](?![^()\[\]]*(?:%|\b(?:months?|mo|years?|weeks?|days?)\b))[^()\[\]]{1,80}[)\]]"
    r"(?=\s*(?:months?\b|mo\b|years?\b|weeks?\b|days?\b|,\s*(?:and\s+)?\d|and\s+\d|vs\.?\s+\d|versus\s+\d|v\.?\s+\d|or\s+\d))",
    re.IGNORECASE,
)


def is_timepoint(sent: Sentence, n: Number) -> bool:
    """'24-month', '2-year', 'at 3 years': a point in time, not a duration value."""
    after = sent.text[n.end - sent.start : n.end - sent.start + 8]
    before = sent.text[max(0, n.start - sent.start - 6) : n.start - sent.start].lower()
    return bool(
        re.match(r"^[\-\u2010\u2011](?:months?|mo|years?|yr|weeks?|days?)\b", after, re.I)
    ) or before.rstrip().endswith(
        ("at", "within", "by", "after", "beyond", "than", "over", "first", "of >", "≥")
    )


def durations(sent: Sentence) -> list[Duration]:
    """Numbers that carry a time unit, including list members that share the last one's unit, and values
    whose unit follows their bracketed interval: '12.1 (95% CI, 9.0-15.5) and 7.3 (5.4-9.8) months'.
    A value whose unit comes after its interval ends at the number, so that the interval after it is its CI."""
    out: list[Duration] = []
    every = [n for n in sent.numbers if not n.percent]
    # The spread after a '±' is not a value: '433.78 ± 66.98 days' is 433.78 days; nor is a group's size
    # printed beside its value: '(n = 44, 18.1 months)'.
    nums = [
        n
        for k, n in enumerate(every)
        if not (k and _PLUS_MINUS.match(sent.slice(every[k - 1].end, n.start)))
        and not _SIZE_BEFORE.search(sent.slice(max(sent.start, n.start - 6), n.start))
    ]
    pending: list[Number] = []
    i = 0
    while i < len(nums):
        n = nums[i]
        m = UNIT.match(sent.text[n.end - sent.start :])
        bracket = (
            None
            if m
            else INTERVAL_AFTER.match(sent.text[n.end - sent.start :])
            or _SPREAD_AFTER.match(sent.text[n.end - sent.start :])
            or _ASIDE_BEFORE_UNIT.match(sent.text[n.end - sent.start :])
        )
        after = n.end + bracket.end() if bracket else n.end
        if bracket:
            m = UNIT.match(sent.text[after - sent.start :])
        if m:
            unit = unit_name(m.group("unit"))
            out.extend(Duration(p, unit, p.end) for p in pending)
            out.append(Duration(n, unit, n.end if bracket else n.end + m.end()))
            pending = []
        else:
            j = next((k for k in range(i + 1, len(nums)) if nums[k].start >= after), len(nums))
            if (
                j < len(nums)
                and LIST_GAP.match(sent.slice(after, nums[j].start))
                and not _JOINED_BEFORE.search(sent.slice(max(sent.start, n.start - 3), n.start))
            ):
                pending.append(
                    n
                )  # (not the 3 of '9 months with 7-3 and 17 months': a name, not a list member)
            else:
                pending = []
        # the bounds inside a value's interval are not values
        i = (
            next((k for k in range(i + 1, len(nums)) if nums[k].start >= after), len(nums))
            if bracket
            else i + 1
        )
    return [d for d in out if not is_timepoint(sent, d.number)]


# An interval in brackets right after a value: '(95% CI, 9.0-15.5)', '[5.4-9.8]', '(11.2-NE)'.
INTERVAL_AFTER = re.compile(
    r"^\s*[(\[]\s*(?:(?:\d{2}(?:\.\d+)?\s*%\s*)?(?:CI|confidence\s+interval)\s*[:,=]?\s*)?"
    r"\d[\d.,\u00b7]*\s*(?:[\-\u2010\u2011\u2012\u2013\u2014\u2212]|to)\s*(?:\d[\d.,\u00b7]*|NR|NE|not\s+(?:estimable|reached|evaluable))"
    r"\s*[)\]]",
    re.IGNORECASE,
)


def interval_after(
    sent: Sentence, pos: int, *, ci_in_sentence: bool = False, limit: int = 60
) -> Interval | None:
    """A 95% CI printed right after position `pos`: '(95% CI, 4.1-6.3)', ', 95% CI 4.1 to 6.3'.

    A bare bracketed pair '(7.7-9.8)' counts as a CI only when the sentence
    names a CI elsewhere (parallel reporting); 'range' and 'IQR' never do.
    """
    rest = sent.text[pos - sent.start : pos - sent.start + limit + 40]
    lead = re.match(r"^\s*(?:months?|mo\.?|years?|weeks?|days?|%)?\s*[;,]?\s*", rest, re.I)
    offset = lead.end() if lead else 0
    tail = rest[offset:]
    m = _CI_LEAD.match(tail)
    if m and (
        "ci" in tail[: m.end()].lower() or "confidence" in tail[: m.end()].lower()
    ):  # labelled
        body_start = offset + m.end()
    elif ci_in_sentence and tail.startswith(("(", "[")):
        if re.match(r"^[(\[]\s*(?:range|iqr|interquartile|median)", tail, re.I):
            return None
        body_start = offset + 1
    else:
        return None
    b = BOUND.match(rest, body_start)
    if not b or b.start() - body_start > 3:
        return None
    return Interval(_bound(b.group("lo")), _bound(b.group("hi")), pos + b.start(), pos + b.end())


def intervals_in(sent: Sentence, start: int, end: int) -> list[Interval]:
    """All bound pairs between two offsets (for 'respectively' CI lists)."""
    text = sent.slice(start, end)
    base = max(start, sent.start)
    return [
        Interval(_bound(m.group("lo")), _bound(m.group("hi")), base + m.start(), base + m.end())
        for m in BOUND.finditer(text)
    ]


_GROUP_VALUE = re.compile(
    r"[\d.,\u00b7]+\s*%\s*(?:in|among|for|with)\s+(?:the\s+)?[A-Za-z]", re.IGNORECASE
)


def in_brackets_after_cue(sent: Sentence, pos: int, labels: tuple[str, ...]) -> bool:
    """Is `pos` inside a bracket or clause opened by a cue of `labels` (CI, range)?"""
    for cue in sent.cues_labelled(*labels):
        if (
            cue.label == "RANGE"
            and cue.text.lower().startswith("rang")
            and _GROUP_VALUE.match(sent.text, pos - sent.start)
        ):
            continue  # 'ranging from 44% in patients over 75 to 63% in ...': each bound is a group's value
        if cue.end <= pos:
            between = re.sub(r"^\s*(?:\[\s*CI\s*\]|[\])])", "", sent.slice(cue.end, pos))
            if (
                ")" not in between
                and "]" not in between
                and ";" not in between
                and len(between) < 40
            ):
                if not re.search(
                    r"\b(?:and|vs\.?|versus)\b\s*[A-Za-z]|\b(?:was|were|is|are)\b", between
                ):
                    return True  # not 'Median OS (95% CI) was 10.4 [8.1-13.0]': the value the CI belongs to
    return False


@dataclass(frozen=True, slots=True)
class Rate:
    """A proportion as printed: a percent, a count over a denominator, or both.

    `value` is the percent (computed from the counts to one decimal when no
    percent is printed; `computed` says so).
    """

    start: int
    end: int
    value: float
    numerator: int | None = None
    denominator: int | None = None
    computed: bool = False
    inner_end: int | None = (
        None  # end of the counts when words sit before the percent: '4 of 25 treated with R-ICE (16%)'
    )


_FRACTION_GAP = re.compile(
    r"^\s*(?:/|of|out\s+of|among)\s*(?:the\s+|all\s+|these\s+)?$", re.IGNORECASE
)
_PCT_AFTER = re.compile(r"^\s*(?:[\w\-+/]+\s+){0,6}?[(\[,;]\s*$")  # "12/40 (30%)", "35/132; 26.5%"


def _skip_number(sent: Sentence, n: Number) -> bool:
    """Numbers that are statistics furniture: the 95 of '95% CI', P values, CI bounds."""
    for c in sent.cues_labelled("CI"):
        if c.start <= n.start < c.end:
            return True
    before = sent.slice(max(sent.start, n.start - 8), n.start)
    if re.search(
        r"\b[Pp]\s*[=<>\u2264\u2265]\s*$|[<>\u2264\u2265]\s*$|\b10\^?\s*[\-\u2212]?$", before
    ):
        return True  # P values, thresholds ('MRD >= 0.01%'), powers of ten
    if re.search(r"\b(?:SE|SD|SEM|s\.e\.|s\.d\.)\s*[=:]?\s*$", before):
        return True  # a spread: '56.5% (SE = 5.6%)'
    return in_brackets_after_cue(sent, n.start, ("CI", "RANGE"))


_NOT_COUNTED = re.compile(
    r"\s*(?:cycles?|courses?|doses?|lines?|times|weeks?|months?|years?|days?|mg|Gy)\b",
    re.IGNORECASE,
)


# 'grade 3/4 events', 'a CDK 4/6 inhibitor', 'performance status (0/1)', 'HER2 1+/2+': a pair of classes, no
# count over a denominator.
_CLASS_BEFORE = re.compile(
    r"\b(?:grades?|CDK|kinases?|ECOG|PS|status|stages?|class(?:es)?|types?|phases?|cycles?|days?|blocks?|"
    r"levels?|scores?|WHO|NYHA|CTCAE|ISS|IPI)\s*[(\[]?\s*$",
    re.IGNORECASE,
)
_CLASS_AFTER = re.compile(
    r"^\s*[)\]]?\s*(?:inhibitors?|adverse|toxicit|events?|AEs?\b|TEAEs?\b|ratio|mutations?|"
    r"disease|trials?|studies|study|receptors?)",
    re.IGNORECASE,
)


def _names_a_class(sent: Sentence, start: int, end: int) -> bool:
    """'3/4' naming grades or classes ('grade 3/4 events', 'CDK 4/6 inhibitor'), not 3 of 4 people."""
    return bool(
        _CLASS_BEFORE.search(sent.slice(max(sent.start, start - 16), start))
        or _CLASS_AFTER.match(sent.text, end - sent.start)
    )


def rates(sent: Sentence) -> list[Rate]:
    """Every proportion in a sentence: '30%', '12 of 40 (30%)', '30% (12/40)', '54 patients (16%)',
    '16.5 ± 5.8%' (the percent with its spread)."""
    nums = [n for n in sent.numbers if not _skip_number(sent, n)]
    out: list[Rate] = []
    used: set[int] = set()
    shared = _sharing_the_percent(sent, nums)
    for i, n in enumerate(nums):
        if i in used or i and _PLUS_MINUS.match(sent.slice(nums[i - 1].end, n.start)):
            continue  # the spread after a '±' is not a value
        if i in shared:
            used.add(i)
            out.append(Rate(n.start, n.end, n.value))
            continue
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        if (
            not n.percent
            and nxt is not None
            and nxt.percent
            and _PLUS_MINUS.match(sent.slice(n.end, nxt.start))
        ):
            used.update({i, i + 1})
            out.append(Rate(n.start, nxt.end, n.value))
            continue
        # count over denominator, optionally followed by its percent
        if (
            not n.percent
            and n.is_int
            and nxt is not None
            and not nxt.percent
            and nxt.is_int
            and nxt.value >= n.value > -1
            and nxt.value > 0
            and _FRACTION_GAP.match(sent.slice(n.end, nxt.start))
            and not _names_a_class(sent, n.start, nxt.end)
        ):
            pct = nums[i + 2] if i + 2 < len(nums) else None
            used.update({i, i + 1})
            gap = sent.slice(nxt.end, pct.start) if pct is not None else ""
            if pct is not None and pct.percent and _PCT_AFTER.match(gap):
                used.add(i + 2)
                inner = nxt.end if re.search(r"[A-Za-z]{2}", gap) else None
                out.append(
                    Rate(
                        n.start,
                        _close(sent, pct.end),
                        pct.value,
                        int(n.value),
                        int(nxt.value),
                        inner_end=inner,
                    )
                )
            else:
                out.append(
                    Rate(
                        n.start,
                        nxt.end,
                        round(100 * n.value / nxt.value, 1),
                        int(n.value),
                        int(nxt.value),
                        computed=True,
                    )
                )
            continue
        if n.percent:
            frac = _fraction_after(sent, nums, i)
            count = (
                nxt
                if nxt is not None
                and nxt.is_int
                and not nxt.percent
                and re.match(r"^\s*[(\[]\s*[nN]\s*=\s*$", sent.slice(n.end, nxt.start))
                else None
            )
            if frac is not None:
                used.update(frac[2])
                out.append(Rate(n.start, _close(sent, frac[3]), n.value, frac[0], frac[1]))
            elif count is not None:  # '60% (n = 182)'
                used.add(i + 1)
                out.append(Rate(n.start, _close(sent, count.end), n.value, int(count.value)))
            else:
                out.append(Rate(n.start, n.end, n.value))
            used.add(i)
            continue
        # a count followed by its percent: '52 patients (48.1%)'
        if (
            n.is_int
            and nxt is not None
            and nxt.percent
            and re.match(
                r"^\s*(?:[A-Za-z\-]+\s+){0,3}?[(\[]\s*$|^\s*,\s*$", sent.slice(n.end, nxt.start)
            )
            and not _NOT_COUNTED.match(
                sent.slice(n.end, nxt.start)
            )  # 'after 2 cycles (45% vs 26%)'
        ):
            used.update({i, i + 1})
            out.append(Rate(n.start, _close(sent, nxt.end), nxt.value, int(n.value)))
    return out


def _sharing_the_percent(sent: Sentence, nums: list[Number]) -> set[int]:
    """'3.0 and 2.4 %', '21, 17, and 19%', '21 (F) and 24%': plain numbers listed before a percent share its
    sign (a list of values printed with the unit once), where the list opens as values do ('was', a bracket)."""
    out: set[int] = set()
    for j, pct in enumerate(nums):
        if not pct.percent:
            continue
        chain: list[int] = []
        k = j - 1
        while (
            k >= 0
            and not nums[k].percent
            and nums[k].value <= 100
            and _SHARED_JOIN.fullmatch(sent.slice(nums[k].end, nums[k + 1].start))
            and not _NOT_SHARING_BEFORE.search(
                sent.slice(max(sent.start, nums[k].start - 10), nums[k].start)
            )
        ):
            chain.insert(0, k)
            k -= 1
        while chain and not _SHARING_BEFORE.search(
            sent.slice(max(sent.start, nums[chain[0]].start - 12), nums[chain[0]].start)
        ):
            chain.pop(0)  # ('no CR at day 33, 36.4%': the list starts at the percent)
        out.update(chain)
    return out


# 'of 40 and 24%', '(n = 21) and', 'between 10 and 20%' (a range), '1/4 and 5%'
_NOT_SHARING_BEFORE = re.compile(r"(?:\b(?:of|n|between)\s*[=:]?|[/=])\s*$", re.IGNORECASE)
# where a list of values starts: 'was 3.0 and 2.4%', '(21, 17 and 19%)', 'rates: 21 and 24%' (not 'day 33, 36%')
_SHARING_BEFORE = re.compile(r"(?:\b(?:was|were|is|are|rates?)|[(\[:=])\s*$", re.IGNORECASE)
# ... the same join, after a label of the value in brackets: '21 (F) and 24%'
_SHARED_JOIN = re.compile(
    r"\s*(?:\([A-Za-z][^()\d]{0,20}\)\s*)?" + VALUE_LIST_JOIN.pattern, re.IGNORECASE
)


def _fraction_after(
    sent: Sentence, nums: list[Number], i: int
) -> tuple[int, int, set[int], int] | None:
    """'30% (12/40)' or '30% (12 of 40)': the counts printed in brackets after a percent."""
    if i + 2 >= len(nums):
        return None
    a, b = nums[i + 1], nums[i + 2]
    if a.percent or b.percent or not (a.is_int and b.is_int) or b.value < a.value or b.value == 0:
        return None
    if not re.match(r"^\s*[(\[,]\s*(?:n\s*=\s*)?$", sent.slice(nums[i].end, a.start)):
        return None
    if not _FRACTION_GAP.match(sent.slice(a.end, b.start)):
        return None
    return int(a.value), int(b.value), {i + 1, i + 2}, b.end


def _close(sent: Sentence, pos: int) -> int:
    """Extend a span over the bracket that closes right after it."""
    rest = sent.text[pos - sent.start : pos - sent.start + 3]
    m = re.match(r"^\s*[)\]]", rest)
    return pos + m.end() if m else pos
