"""Which numbers of a sentence can count people: the first test of a cohort size candidate."""

from __future__ import annotations

import re

from evidence_tables.extractor.document import Sentence
from evidence_tables.extractor.numbers import Number
from evidence_tables.extractor.search.casefold import compile_folded
from evidence_tables.extractor.values import UNIT, in_brackets_after_cue

_NOT_PEOPLE = compile_folded(
    r"^[\-\u2013](?:arm|center|centre|site)\b|"  # 'a two-arm trial'
    r"^[\-\u2013\s]?(?:thirds?|quarters?|fifths?|tenths?)\b|"  # 'Two-thirds of patients': a share
    r"^\s*(?:[\-\u2013]\s*)?(?:(?:(?:randomi[sz]ed|controlled|clinical|phase|treatment|study|prospective|"
    r"retrospective|independent|separate|different|academic|participating|[A-Z][a-z]+)\s+){0,2}(?:trials?|studies|"
    r"centers?|centres?|sites?|hospitals?|institutions?|facilities|clinics|wards|countries|arms|cohorts|groups|RCTs|"
    r"publications|articles)\b|"
    r"[+×]\s*\d|%|percent|mg|g\b|kg|ml|mL|l\b|\u00b5|\u03bc|mcg|ug\b|ng\b|m?mol\b|mEq|IU\b|units?\b|U\b|cGy|/\s*[A-Za-z]|"
    r"mm|cm|cycles?|courses?|doses?|years?|months?|weeks?|days?|hours?|h\b|minutes?|min\b|seconds?|fractions?|gy\b|Gy|lines?|times|fold|x\b|×|"
    r"nights?|events?|deaths?|samples|specimens|tumou?rs|lesions|polyps|nodules|eyes|teeth|implants|embryos|oocytes|"
    r"genes|cells|sessions|visits)"
)
# Things counted in people: '232 foot and hand warts in 45 patients', 'Sixty primary molars of 30 children'.
_PEOPLE_NOUN = (
    r"(?:patients?|participants|subjects|women|men|children|adults|individuals|cases|pts|persons|people|"
    r"volunteers|infants|survivors|recipients|girls|boys|adolescents|mothers|smokers)"
)
_KIN = (
    r"(?:relatives|caregivers|carers|parents|nurses|physicians|doctors|students|workers|employees|members|"
    r"families|couples|pairs|dyads|twins|siblings|partners|spouses|veterans|athletes|users|donors|controls|respondents)"
)
_THINGS_OF_PEOPLE = compile_folded(
    rf"^\s*(?!(?:[a-z\-]+\s+){{0,3}}?(?:{_PEOPLE_NOUN}|{_KIN})\b)(?:[a-z\-]+\s+){{1,4}}?(?:in|of|from)\s+"
    rf"(?:\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:[a-z\-]+\s+)?{_PEOPLE_NOUN}\b"
)
_PATIENTS_AFTER = re.compile(r"^\s*(?:patients|participants)")
_PEOPLE_AFTER = compile_folded(
    r"^\s*(?:patients|participants|subjects|women|men|adults|children|cases)"
)
# Words that name what the number after them is: 'grade 3', 'type 2 diabetes', 'ASA class 2', 'phases 2 and 3'.
_LABEL_WORD = r"(?:grade|stage|phase|day|cycle|class|status|type|score|level)(?:s|es)?"
_NOT_COUNT_BEFORE = compile_folded(
    rf"(?:\bage[sd]?|\bP\s*[=<>]|[<>≤≥]|(?:[<>]|\bor)\s*=|\bHR|\b{_LABEL_WORD}|/|\bNCT)\s*$"
)
_NOT_COUNT_ENDS = frozenset(
    "esd=<>≤≥ry/tl"
)  # a match ends in one of these (then spaces): test that first
# The last of a list of labels: 'ASA physical status 1 or 2', 'stage 2-3', 'days 0 and 14'.
_LABEL_LIST_BEFORE = compile_folded(
    rf"\b{_LABEL_WORD}\s+\d{{1,2}}(?:\s*,\s*\d{{1,2}})*,?\s*(?:or|and|to|[\-\u2013])\s*$"
)
# Words that name a small number after them: 'cohort 2 enrolled 99' (not 'in the carbetocin group 462 subjects').
_ARM_NUMBER_BEFORE = compile_folded(r"\b(?:cohort|group|arm|part|study)\s*$")
_THRESHOLD_AFTER = compile_folded(
    r"^\s*(?:or\s+(?:more|less|fewer|greater|higher|lower|above|below)|\+)"
)
_RANGE_END = re.compile(r"\d\s*[\-\u2013]\s*$")
# More numbers after this one, ending in their shared unit: '3333, 10 000 or 40 000 AUN/ml', '9-16 weeks'.
_LIST_AHEAD = re.compile(
    r"(?:\s\d{3}\b)*(?:\s*\([^()]{1,20}\))?(?:\s*(?:,\s*(?:or\b|and\b)?|or\b|and\b|to\b|[\-\u2013])\s*\d[\d,.\u2009]*"
    r"(?:\s\d{3}\b)*(?:\s*\([^()]{1,20}\))?)+"
)
_LIST_WORD = re.compile(
    r"\b(?:or|and|to)\b|[\-\u2013]"
)  # a list or range, not 'N = 79, 20% female'
_CURRENCY_BEFORE = re.compile(r"(?:[£$€¥]|\b(?:GBP|USD|EUR|AUD|CAD|CHF|JPY|RMB|CNY|INR))\s*$")
_PER_UNIT = re.compile(
    r"^\s*[A-Za-z]{1,5}/\s*(?:m?l|dl|kg|g|d|day|h|wk|m2|m\u00b2)\b"
)  # units the lists lack: 'AUN/ml'
_GLUED = re.compile(r"[A-Za-z]\(\s*$|\^$")
_ISOTOPE = re.compile(r"^\)[A-Z][a-z]?\b")
_N_EQUALS_BEFORE = re.compile(r"\b[nN]\s*=\s*$")
_LABELLED_AFTER = re.compile(r"^\s*[,(]?\s*[nN]\s*=")


def counts_people(sent: Sentence, n: Number) -> bool:
    """Can this number count people? Not a percent, a dose, a unit, a count of trials or sites, a CI or
    range bound, an age, a P value, a threshold or a year."""
    if n.percent or not n.is_int or n.value < 2 or n.value > 2_000_000:
        return False
    rest, folded_rest = sent.text[n.end - sent.start :], sent.folded[n.end - sent.start :]
    if _measured(rest, folded_rest) or _THINGS_OF_PEOPLE.match(folded_rest):
        return False
    if (
        (listed := _LIST_AHEAD.match(rest))
        and _LIST_WORD.search(listed.group())
        and _measured(rest[listed.end() :], folded_rest[listed.end() :])
    ):
        return False  # the list's unit is this number's too
    if _LABELLED_AFTER.match(rest) and not _N_EQUALS_BEFORE.search(
        sent.slice(max(sent.start, n.start - 6), n.start)
    ):
        return False  # a number in a group's name: 'BI 695501, n = 159', 'cohort 2 (n = 12)'
    if _CURRENCY_BEFORE.search(sent.slice(max(sent.start, n.start - 6), n.start)):
        return False  # 'GBP£48,212 in the women'
    if _GLUED.search(sent.slice(max(sent.start, n.start - 3), n.start)) or _ISOTOPE.match(rest):
        return False  # 'mg/m(2)', '(188)Re-HEDP': an exponent or a mass number, not a count
    if in_brackets_after_cue(sent, n.start, ("CI", "RANGE")):
        return False
    folded_before = sent.folded_slice(max(sent.start, n.start - 25), n.start)
    if folded_before.rstrip()[-1:] in _NOT_COUNT_ENDS and _NOT_COUNT_BEFORE.search(folded_before):
        return False
    if not n.word and (
        n.value < 100
        and _LABEL_LIST_BEFORE.search(folded_before)
        or n.value < 10
        and _ARM_NUMBER_BEFORE.search(folded_before)
    ):
        return False
    printed = sent.slice(n.start, n.end)
    if _THRESHOLD_AFTER.match(folded_rest):
        return False  # a threshold: '4,000 or more epithelial cells'
    if _RANGE_END.search(sent.slice(max(sent.start, n.start - 4), n.start)):
        return False  # the end of a range: 'performance status 0-2'
    year_like = 1900 <= n.value <= 2100 and printed.isdigit()
    return not (year_like and not _PEOPLE_AFTER.match(folded_rest))


_NOTE = re.compile(
    r"\s*\([^()]{1,20}\)"
)  # a short note between a number and its unit: '300 (HIGH) minutes'


def _measured(rest: str, folded_rest: str) -> bool:
    """Does a unit (or a non-people noun) follow, perhaps after a short note in brackets?"""
    if note := _NOTE.match(rest):
        return _bare_measured(rest, folded_rest) or _bare_measured(
            rest[note.end() :], folded_rest[note.end() :]
        )
    return _bare_measured(rest, folded_rest)


def _bare_measured(rest: str, folded_rest: str) -> bool:
    return bool(
        _NOT_PEOPLE.match(folded_rest)
        or (UNIT.match(rest) and not _PATIENTS_AFTER.match(rest))
        or _PER_UNIT.match(rest)
    )
