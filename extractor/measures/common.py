"""Helpers shared by the measure rules: who owns a value, where its group is, flags."""
from __future__ import annotations

import re

from extractor.arms import Arms
from extractor.document import Cue, Document, Sentence
from extractor.groups import Group, clean, group_after, group_paren_before, regimen_of, split_group
from extractor.numbers import Number
from extractor.records import FLAG_BACKGROUND, FLAG_OUTSIDE_CI

_BEFORE = re.compile(
    r"(?:^|\s)(?P<prep>in|for|among|with|from|after|following|on|of)\s+(?P<phrase>[^,;]+?)\s*"
    r"(?:\([^)]*\)\s*)?(?:,\s*)?(?:was|were|is|are|of|:|has|had|reached|it\s+was)\b",
    re.IGNORECASE,
)
_DIFFERENCE_AFTER = re.compile(r"^\s*(?:months?|mo\.?|years?|weeks?|days?|%)?\s*[\-\u2013]?\s*(?:longer|shorter|improvement|"
                               r"difference|gain|benefit|increase|extension|prolongation|advantage|greater|higher|lower)",
                               re.IGNORECASE)
_DIFFERENCE_BEFORE = re.compile(r"(?:\bby|improvement\s+of|difference\s+of|gain\s+of|increase\s+of|"
                                r"prolongation\s+of|extension\s+of|benefit\s+of)\s*$", re.IGNORECASE)


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
    after = sent.text[unit_end - sent.start:unit_end - sent.start + 25]
    return bool(_DIFFERENCE_BEFORE.search(before) or _DIFFERENCE_AFTER.match(after)
                or re.match(r"^[\-\u2013\s]*month\s+(?:difference|improvement|gain)", after, re.I))


def groups_for(doc: Document, sent: Sentence, values: list[tuple[int, int]], cue_end: int,
               arms: Arms | None = None, *, measures_listed: bool = False) -> list[Group | None]:
    """Pair each value (start, end after unit/CI) with its group.

    Order of preference: a 'respectively' list of groups (after or before the
    values, else the study's arms); a group printed after each value, or a label
    before its bracket; for a single value, a group between the measure cue and
    the value; for a 'vs' pair, a comparative ('in A than in B') or the arms.
    """
    n = len(values)
    arms = arms or Arms()
    known = arms.for_sentence(sent.index, n)
    respectively = _respectively_after(sent, values) and not measures_listed
    if n >= 2 and (respectively or _listed_before(sent, cue_end, values[0][0])):
        after = group_after(sent, values[-1][1])
        split = split_group(doc.text, after, n) if after else None
        if split:
            return split
        before = _group_before(sent, cue_end, values[0][0], allow_list=True)
        split = split_group(doc.text, before, n) if before else None
        if split:
            return split
        if respectively and known:
            return known
    out: list[Group | None] = [group_after(sent, end) or group_paren_before(sent, start) for start, end in values]
    if n == 1 and out[0] is None:
        out[0] = _group_before(sent, cue_end, values[0][0])
    if n >= 2 and all(o is None for o in out):
        pair = _comparative(sent, cue_end, values[0][0]) if n == 2 else None
        if pair:
            return list(pair)
        shared = _group_before(sent, cue_end, values[0][0])
        if shared is not None and (measures_listed or not known):
            return [shared] * n
        if known and (respectively or _compared(sent, values)):
            return known
    if n >= 2 and out[0] is None and all(o is not None for o in out[1:]):
        out[0] = _group_before(sent, cue_end, values[0][0])
    if n == 2 and (out[0] is None) != (out[1] is None):
        given = out[0] or out[1]
        other = arms.other(given) if given is not None else None
        if other is not None:
            out = [out[0] or other, out[1] or other]
    return out


def _respectively_after(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """'respectively' printed after the last value with no other number in between (so it is this list's)."""
    m = re.search(r"\brespectively\b", sent.text[values[-1][1] - sent.start:], re.I)
    if not m:
        return False
    stop = values[-1][1] + m.start()
    return not any(values[-1][1] <= n.start < stop for n in sent.numbers)


def _compared(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """Values printed as a comparison: '(38.7% vs. 12.7%)', '15.3 and 24.6 months'."""
    return all(re.search(r"\b(?:vs|versus|v|and|or)\b|,", sent.slice(a[1], b[0]), re.I)
               for a, b in zip(values, values[1:]))


def _listed_before(sent: Sentence, cue_end: int, first: int) -> bool:
    between = sent.slice(cue_end, first)
    return bool(re.search(r"\b(?:and|versus|vs)\b", between, re.I)) and bool(re.search(r"\b(?:were|was)\b", between))


def _group_before(sent: Sentence, cue_end: int, value_start: int, allow_list: bool = False) -> Group | None:
    between = sent.slice(cue_end, value_start)
    if not allow_list and re.search(r"\d", between):
        return None
    m = None
    for m in _BEFORE.finditer(between):
        pass
    if m is None:
        return None
    label = clean(m.group("phrase"))
    if m.group("prep").lower() == "of" and not re.search(r"\b(?:arms?|groups?|cohorts?)\b", label or "", re.I):
        return None
    if not label or re.match(r"^(?:median|the\s+entire|the\s+whole|all|overall|total|months?|a\s+median|this|"
                             r"both|either|the\s+study|the\s+trial|the\s+cohort|the\s+overall)", label, re.I):
        return None
    start = max(cue_end, sent.start) + m.start("phrase")
    prep = m.group("prep").lower()
    if prep in ("from",):
        return Group(f"from {label}", start, start + len(m.group("phrase")), True)
    if prep in ("after", "following"):
        label = f"{prep} {label}"
    return Group(label, start, start + len(m.group("phrase")))


def _comparative(sent: Sentence, cue_end: int, first: int) -> tuple[Group, Group] | None:
    """'longer in the maintenance group than in the observation group (32.3 v 23.5 months)'."""
    window_start = max(sent.start, cue_end - 200)
    between = sent.slice(window_start, first)
    m = re.search(r"(?:in|for|with)\s+(?:the\s+)?(?P<a>[^,;()]+?)\s+(?:than|compared\s+with|vs\.?|versus)\s+"
                  r"(?:in\s+|for\s+|with\s+)?(?:the\s+)?(?P<b>[^,;()]+?)\s*(?:\(|,|$)", between, re.I)
    if not m:
        return _subject_than(sent, first)
    a, b = clean(m.group("a")), clean(m.group("b"))
    if not a or not b:
        return None
    base = window_start
    return (Group(a, base + m.start("a"), base + m.end("a")), Group(b, base + m.start("b"), base + m.end("b")))


_SUBJECT = re.compile(r"^\W*(?P<a>[A-Za-z][^,;()]{2,80}?)\s+(?:had|has|have|showed|achieved|experienced|reached|"
                      r"attained|obtained|was\s+associated\s+with|were\s+associated\s+with)\b", re.IGNORECASE)


def _subject_than(sent: Sentence, first: int) -> tuple[Group, Group] | None:
    """'Patients relapsing early had a lower CR rate than later relapsers (25% vs 50%)'."""
    head = sent.slice(sent.start, first)
    than = re.search(r"\bthan\s+(?:in\s+|for\s+|with\s+|among\s+)?(?:the\s+|those\s+)?(?P<b>[^(,;]+?)\s*[(,]\s*$", head, re.I)
    subject = _SUBJECT.match(head)
    if not than or not subject:
        return None
    a, b = clean(subject.group("a")), clean(than.group("b"))
    if not a or not b:
        return None
    return (Group(a, sent.start + subject.start("a"), sent.start + subject.end("a")),
            Group(b, sent.start + than.start("b"), sent.start + than.end("b")))


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
