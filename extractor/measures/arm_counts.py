"""Counts printed in parallel for the arms of a study: '266 were assigned to GT and 263 to paclitaxel',
'(EE group, n = 64; EP group, n = 66)'. measures/cohort.py sums a run into a cohort size.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from evidence_tables.extractor.document import Sentence
from evidence_tables.extractor.numbers import Number
from evidence_tables.extractor.search.casefold import compile_folded, fold

# Compiled once (not looked up in re's cache per number); compile_folded patterns search the folded
# text (extractor.search.casefold: IGNORECASE is 3x slower).
_NOT_ARM_COUNT = compile_folded(
    r"^\s*(?:[\w\-]+\s+){0,2}?[(\[]\s*\d+(?:\.\d+)?\s*%|"
    r"^\s*(?:[a-z]+\s+)?(?:per|(?:in|to|for)\s+each|each)\b"
)
_EACH = re.compile(r"\b(?:per|in\s+each|each)\s+(?:arm|group)\b")
_N_EQUALS = re.compile(r"\b[nN]\s*=\s*$")
_WAS_VERB = re.compile(r"\b(?:were|was)\s+\w+")
_ARM_N_EQUALS = re.compile(r"\b(?:arm|group)\s*,\s*[nN]\s*=\s*$")
_LIST_JOIN = re.compile(r"\b(?:and|or|vs\.?|versus)\b|,")
_COUNT_IN_GAP = re.compile(
    r"(?<![\w.])\d[\d,]*\s+(?:[a-z]+\s+){0,2}?(?:patients|subjects|participants|women|men|children)\b"
)
_SUBSET = re.compile(
    r"\b(?:of\s+whom|of\s+these|among\s+them|of\s+which|including)\b", re.IGNORECASE
)
_POOL = re.compile(
    r"\b(?:were|was)\s+(?:\w+\s+)?(?:eligible|screened|approached|identified|assessed)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"\b(?:arms?|groups?|cohorts?)\b|\bto\s+(?!\d)\S|\b[A-Z][\w\-+/]*[A-Z]\b|"
    r"\bin\s+(?:phase|part|stage|cohort|arm)\s+\w+"
)
_OF_BEFORE = compile_folded(r"(?:^|[^\w\s])\s*of\s+(?:the\s+|all\s+|these\s+)?$")
_RESPECTIVELY = compile_folded(r"^[^.;]{0,80}\brespectively\b")
# A whole divided into its groups: '68 patients were randomly divided into control and observation group (n=34)',
# '100 women, randomly divided into two groups of 50' (not '202 were allocated to A and 200 to B').
_DIVIDED = compile_folded(
    r"\b(?:divided|split|separated|distributed)\s+(?:\w+\s+)?(?:in|into|between)\b|"
    r"\b(?:randomi[sz]ed|allocated|assigned)\s+(?:\w+\s+)?(?:in|into|to)\s+"
    r"(?:two|three|four|five|\d)\s+(?:equal\s+|different\s+)?(?:groups|arms)\b"
)
# Stages of one cohort, not arms: '61 adults were enrolled and 56 completed the study', '17 were treated, with
# 13 achieving disease control'. The later count is followed by its stage; the gap names an earlier one.
_EARLIER_STAGE = compile_folded(
    r"\b(?:enrolled|included|recruited|registered|screened|treated|apheresed|"
    r"underwent\s+(?:leukapheresis|apheresis))\b"
)
_LATER_STAGE_AFTER = compile_folded(
    r"^\s*(?:[a-z\-]+\s+){0,2}?(?:(?:had\s+)?(?:completed|finished|achiev\w*|responded|remained|discontinued|"
    r"withdr[ae]w\w*|dropped\s+out|received\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}infusions?)|"
    r"(?:were|was)\s+(?:evaluable|analy[sz]ed|infused))\b"
)  # a verb: not '106 evaluable patients'


def _arm_counts(sent: Sentence, people: list[Number]) -> list[Number]:
    """The counts that can be one arm's: not a share ('42 (35%) patients'), not 'per arm', not inside a
    regimen's name ('R-CHOP-21'). Regimens are found only where two counts remain and a term that
    holds a number is printed (Mentions.may_hold_numbers)."""
    counts = [n for n in people if not _NOT_ARM_COUNT.match(sent.folded[n.end - sent.start :])]
    if len(counts) < 2:
        return []  # no run of two (parallel_counts needs one)
    if not sent.mentions.may_hold_numbers(sent.start, sent.end):
        return counts
    return [n for n in counts if not any(r.start <= n.start < r.end for r in sent.regimens)]


def _joins(sent: Sentence, prev: Number, n: Number) -> bool:
    """Is `n` the next arm count after `prev` ('..., 100 to EoP and 101', '(EE group, n = 64; EP group, n = 66')?"""
    gap = _EACH.sub(" ", sent.slice(prev.end, n.start))
    n_form = bool(_N_EQUALS.search(gap))
    if n_form and n.value == prev.value and _WAS_VERB.search(gap):
        return False  # '127 ... were included (n = 127)': the same count restated
    if (
        len(gap) > (160 if n_form and _ARM_N_EQUALS.search(gap) else 90)
        or "%" in gap
        or not _LIST_JOIN.search(gap)
        and not (n_form and ";" in gap)
    ):
        return False
    unclosed = gap.count("(") > gap.count(")")
    if unclosed and not n_form:
        return False  # a breakdown in brackets after a total: '93 patients were treated (FLT3-ITD, 71; ...'
    inside = sent.slice(sent.start, prev.start).count("(") > sent.slice(
        sent.start, prev.start
    ).count(")")
    if ";" in gap and not n_form and not (inside and "(" not in gap and ")" not in gap):
        return False
    if not n_form and _COUNT_IN_GAP.search(gap):
        return False  # '712 and 267 subjects from studies one and two': a count between them is not a join
    if _SUBSET.search(gap):
        return False
    if _POOL.search(gap):
        return False  # '1,500 were eligible, and 1,320 were enrolled': a pool, then the cohort
    folded_gap = fold(gap)
    if _DIVIDED.search(folded_gap):
        return False
    if _EARLIER_STAGE.search(folded_gap) and _LATER_STAGE_AFTER.match(
        sent.folded[n.end - sent.start :]
    ):
        return False
    if "," in gap and _OF_BEFORE.search(
        sent.folded_slice(max(sent.start, prev.start - 12), prev.start)
    ):
        return False  # 'Of 1780 eligible participants, 1319 enrolled': the pool, then those of it
    # The regimens last: they are found only for the abstracts that need them (Document.mentions).
    return bool(
        n_form
        or _LABEL.search(gap)
        or _RESPECTIVELY.search(sent.folded[n.end - sent.start :])
        or any(prev.end <= r.start < n.start for r in sent.regimens)
    )


def parallel_counts(
    sent: Sentence, people: list[Number], scored: Collection[int]
) -> list[list[Number]]:
    """Runs of counts printed in parallel for arms: '266 to GT and 263 to paclitaxel', '(n = 17) ... (n = 18)'.
    `people` are the sentence's numbers that count people; a run is kept when one of its counts is
    among the `scored` (the start offsets of the candidate cohort sizes)."""
    if not scored or len(people) < 2:
        return []  # no run of two with a candidate in it
    counts = _arm_counts(sent, people)
    runs: list[list[Number]] = []
    for n in counts:
        if runs and _joins(sent, runs[-1][-1], n):
            runs[-1].append(n)
        else:
            runs.append([n])
    out = []
    for run in runs:
        values = [int(x.value) for x in run]
        if len(run) >= 3 and values[0] == sum(values[1:]):
            run = run[1:]
        elif len(run) >= 3 and values[-1] == sum(values[:-1]):
            run = run[:-1]
        if len(run) >= 2 and any(x.start in scored for x in run):
            out.append(run)
    return out
