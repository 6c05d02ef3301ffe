"""What an abstract defines for itself: its abbreviations for treatments ('polatuzumab-bendamustine-rituximab
(Pola-BR)') and its named arms ('RT alone (group A, n=20)'). Read by `Document.abbreviations` when a value's
group is asked for."""

from __future__ import annotations

import re
from bisect import bisect_left

from evidence_tables.extractor.lexicon import Mention
from evidence_tables.extractor.search.casefold import compile_folded, fold

_JOINERS = frozenset({"and", "or", "plus", "with", "+", "&", "/"})
_SHORT_FORM = re.compile(r"\(([A-Za-z][\w\-/+]{1,15})\)")
_LONG_FORM = re.compile(r"([A-Za-z0-9][\w\-/+ ]{2,80}?)\s*$")


def abbreviations(text: str, regimens: list[Mention]) -> dict[str, str]:
    """Abbreviations the abstract defines for a treatment: 'polatuzumab-bendamustine-rituximab (Pola-BR)'."""
    found: dict[str, str] = {}
    starts = [r.start for r in regimens]  # in text order
    for m in _SHORT_FORM.finditer(text):
        short = m.group(1)
        if not any(ch.isupper() for ch in short):
            continue
        window_start = max(0, m.start() - 82)
        # The long form lies in the window and must hold a regimen: without one, skip the costly search.
        nearby = regimens[bisect_left(starts, window_start) : bisect_left(starts, m.start())]
        if not any(r.end <= m.start() for r in nearby):
            continue
        long_match = _LONG_FORM.search(text, window_start, m.start())
        if long_match is None:
            continue
        long_form = long_match.group(1)
        if short.lower() in long_form.lower():
            continue
        lf_start, lf_end = long_match.start(1), long_match.end(1)
        inside = [r for r in regimens if lf_start <= r.start and r.end <= lf_end]
        if inside:
            if _EVENT_BEFORE.search(text, lf_start, inside[0].start):
                continue  # 'progression of disease within 24 months of first-line chemoimmunotherapy (POD24)'
            words = long_form.split()
            k = max(2, len(short.replace("-", "")))
            while k < len(words) and words[-k].lower() in _JOINERS:
                k += 1  # 'docetaxel and epirubicin (DE)' is not 'and epirubicin'
            tail = " ".join(words[-k:])
            found[short] = text[max(inside[0].start, lf_end - len(tail)) : lf_end].strip(" ,;")
    return found


# An event defined by the treatment before it, not the treatment: 'relapse after first-line R-CHOP (ERR)'.
_EVENT_BEFORE = re.compile(
    r"\b(?:within|after|following|post|failure\s+of|failing)\s+(?:[\w\-]+\s+){0,4}$", re.I
)


ARM_LABEL = r"(?:[A-Z]|[0-9]{1,2}|I{1,3}V?|IV)"  # what names an arm after 'arm', 'group', 'cohort'
_ARM_NAME = (
    rf"(?:(?:group|arm|cohort)\s+{ARM_LABEL}\b|(?:study|control|experimental|intervention|investigational|"
    r"standard|observation|placebo|comparator)\s+(?:group|arm)\b)"
)
# Case-insensitive: they search the folded text (extractor.search.casefold: IGNORECASE is 3x slower); the
# definitions and names are read back from the text as printed.
_ARM_DEFINED_AFTER = compile_folded(
    rf"(?P<name>{_ARM_NAME})\s*[(:,]\s*(?P<def>[^();,]{{2,80}}?)\s*[),;]"
)
_ARM_DEFINED_BEFORE = compile_folded(
    rf"(?:to\s+(?:receive\s+)?|,\s*|\bor\s+)(?P<def>[A-Za-z][^();,]{{2,120}}?)\s*\(\s*(?P<name>{_ARM_NAME})"
)
# '... were assigned to six cycles of docetaxel, epirubicin and cyclophosphamide plus letrozole (study group)': after
# 'to', a definition may hold commas.
_BRACKET_NAME = r"[A-Za-z][\w\-+/]*\s+(?:arm|group)"  # '(maintenance arm)', '(TKI group)'
_ARM_DEFINED_TO = compile_folded(
    rf"\bto\s+(?:receive\s+)?(?:either\s+)?(?P<def>[A-Za-z][^();]{{2,120}}?)\s*\(\s*(?P<name>{_ARM_NAME}|{_BRACKET_NAME})\s*\)"
    rf"|\bor\s+(?:to\s+)?(?:receive\s+)?(?P<def2>[A-Za-z][^();]{{2,120}}?)\s*\(\s*(?P<name2>{_ARM_NAME}|{_BRACKET_NAME})\s*\)"
)
_ARM_NAMED = compile_folded(rf"{_ARM_NAME}|\(\s*{_BRACKET_NAME}\s*\)")


# A bracket of results after an arm's name, not what the arm is: 'arm B (median 8.0 vs 5.3 months; P=0.016)'.
_RESULT = re.compile(r"\b(?:median|mean|vs|versus)\b|%", re.IGNORECASE)


def arm_definitions(text: str, folded: str | None = None) -> dict[str, str]:
    """What named arms stand for: 'RT alone (group A, n=20)', 'Group 2 (6 cycles)' -> {'group A': 'RT alone'}.
    (`folded` is `fold(text)` when the caller has it.)"""
    found: dict[str, str] = {}
    folded = fold(text) if folded is None else folded
    if not _ARM_NAMED.search(folded):
        return found
    for pattern in (
        _ARM_DEFINED_AFTER,
        _ARM_DEFINED_TO,
        _ARM_DEFINED_BEFORE,
    ):  # "(arm A, KPd)" is the surest
        for m in pattern.finditer(folded):
            key, name = ("def", "name") if m.group("def") is not None else ("def2", "name2")
            printed = text[m.start(key) : m.end(key)]
            definition = re.sub(
                r"^(?:either|both|receive|to|or|and)\s+", "", printed.strip(), flags=re.I
            )
            # 'to R-CHOP or R-CHOP plus lenalidomide (experimental arm)': the arm is what follows the last 'or'
            definition = re.split(r"\s+(?:or|versus|vs\.?)\s+(?:to\s+)?", definition)[-1]
            if (
                re.match(r"^(?:[nNpP]\s*[=<>]|\d)", definition)
                or not re.search(r"[A-Za-z]{3,}", definition)
                or _RESULT.search(definition)
            ):
                continue
            found.setdefault(re.sub(r"\s+", " ", text[m.start(name) : m.end(name)]), definition)
    return found
