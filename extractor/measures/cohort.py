"""Cohort size: the study's own total (enrolled / included / randomized / treated).

Every count of people is a candidate, scored by what surrounds it: inclusion
verbs, 'a total of' and 'n =' raise it; 'screened', 'planned', subsets ('of
whom', 'in each arm', '12 patients died', '4 of 25'), hedges ('over 300') and
background sentences lower it. Counts printed in parallel for the arms ('266
were assigned to GT and 263 to paclitaxel') are summed; a printed total equal to
that sum is confirmed by it. One value per study. The weights, one named record
each: measures/cohort_weights.py.
Rule ids: cohort_size.enrolled, cohort_size.total, cohort_size.n_equals,
cohort_size.population, cohort_size.sum_of_arms, cohort_size.each_arm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.cohort_vocabulary import (
    ARM_SUBJECT,
    ARM_VERBS,
    ARM_VERBS_AFTER_AUX,
    CRITERIA,
    CRITERIA_VERBS,
    INCLUSION_WORDS,
    PASSIVE_AUX,
    VERBS_AFTER_COUNT,
    VERBS_BEFORE_COUNT,
    alternatives,
)
from evidence_tables.extractor.document import Document, Sentence
from evidence_tables.extractor.measures.arm_counts import parallel_counts
from evidence_tables.extractor.measures.cohort_weights import (
    ARM_OF_A_RUN,
    BASE_SCORE,
    CONFIRMED_BY_ARMS,
    CONFIRMED_BY_RANDOMISED_ARMS,
    EACH_ARM,
    EACH_ARM_UNSCORED,
    MIN_SCORE,
    PART_OF_A_TOTAL,
    SENTENCE_ORDER,
    SUM_OF_ARMS,
    WEIGHTS,
    Reading,
)
from evidence_tables.extractor.measures.people_counts import counts_people
from evidence_tables.extractor.measures.sentence_parts import bracket_depths
from evidence_tables.extractor.numbers import NUMBER_WORD, Number
from evidence_tables.extractor.outcomes import Outcome
from evidence_tables.extractor.search.casefold import compile_folded

# Patterns made with compile_folded search the folded text (extractor.search.casefold: IGNORECASE is 3x slower);
# all are compiled here, not looked up in re's cache for every number.
# micro sign and mu (\u00b5|\u03bc) are escaped for compile_folded: IGNORECASE also matches a capital mu,
# which fold() lowers to \u03bc, so the folded pattern with both finds what the case-insensitive one found.
# The words of each list are those of extractor/cohort_vocabulary.py, which the gate reads too.
SUBJECT_OF_INCLUSION = compile_folded(
    r"^\s*(?:[^\d.;:(),%]|\baged\s+(?:\d+\s*(?:[\-\u2013]|to)\s*)?\d+\s+years"
    r"|\b\d+(?:\.\d+)?\s*(?:cm|mm|years?|months?|kg)\b)"  # 'with tumours of no more than 2 cm were randomly ...'
    rf"{{0,110}}?\b(?:(?:{'|'.join(PASSIVE_AUX)}|had\s+been)\s+(?:\w+\s+)?{alternatives(INCLUSION_WORDS)}"
    rf"|{alternatives(CRITERIA_VERBS)}\s+(?:all\s+)?the\s+(?:\w+\s+)?(?:inclusion|eligibility|study)\s+"
    rf"{CRITERIA})\b"
)
# Every match of SUBJECT_OF_INCLUSION holds one of these (a substring test is ten times cheaper than the match).
_INCLUSION_STEMS = (*INCLUSION_WORDS, CRITERIA)


def _may_include(folded_rest: str) -> bool:
    return any(stem in folded_rest for stem in _INCLUSION_STEMS)


ARM_VERB = re.compile(
    rf"^\s*(?:{ARM_SUBJECT}\s+)?(?:{'|'.join(ARM_VERBS)}|{alternatives(PASSIVE_AUX)}\s+"
    rf"{alternatives(ARM_VERBS_AFTER_AUX)})\b",
    re.IGNORECASE,
)
_RANDOMISED = compile_folded(r"\b(?:randomi[sz]\w*|randomly|allocated|assigned|arms?)\b")
_VERB_AFTER = re.compile(
    rf"^\s*{alternatives(PASSIVE_AUX)}\s+(?:\w+\s+)?{alternatives(VERBS_AFTER_COUNT)}\b",
    re.IGNORECASE,
)


_MEASURE_CUES = ("CR", "RELAPSE", "OS", "OTHER_SURVIVAL", "OTHER_MEASURE", "RESPONSE")

# Up to three words, a label with its number counting as one: '86 consecutive patients', '312 type 2 diabetic patients'.
_FEW_WORDS = re.compile(
    r"\s*(?:(?:[Tt]ype|[Cc]lass|[Gg]rade|[Ss]tage)\s+(?:\d{1,2}|[IV]{1,3})\s+|[A-Za-z\-]+\s+){0,5}?"
)
_N_EQUALS = re.compile(r"\b[nN]\s*[=:]\s*$")
_PERCENT_N_EQUALS = re.compile(r"%\s*[(\[]\s*[nN]\s*[=:]\s*$")
_TOTAL_BEFORE = compile_folded(r"(?:total\s+of|in\s+total|overall|altogether|total)\s*,?\s*$")
# A numerator in words: 'Three of five patients relapsed' (in digits, '3 of 5 patients', no noun follows it).
_NUMERATOR_AFTER = compile_folded(
    rf"^\s+(?:of|out\s+of)\s+(?:the\s+|all\s+)?(?:\d|(?:{NUMBER_WORD})\b)"
)
_INCLUDED_BEFORE = compile_folded(rf"\b(?:randomly\s+)?(?:{'|'.join(VERBS_BEFORE_COUNT)})\s+$")
_GAP_BREAK = re.compile(
    r"[;.()]|(?<![\w\-])\d"
)  # another count or a break before the noun: '712 and 267 subjects'
_RATIO_AFTER = compile_folded(
    r"^\s*(?::|to\b|-)\s*(?:\d|one|two|three)\b"
)  # '2:1', '2 to 1', 'two to one'
# A count standing alone after its verb: followed by a bracket, a break or a preposition.
_ALONE_AFTER = compile_folded(
    r"^\s*(?:[(,;.]|$|(?:to|into|in|at|from|between|across|over|during|with|who|for)\b)"
)
_TWO_ARMS = compile_folded(r"\b(?:two|2)\s+(?:arms|groups)\b")


@dataclass(frozen=True, slots=True)
class _Candidate:
    value: int
    start: int
    end: int
    score: float
    rule: str
    sentence: Sentence


_SUBSET_LEAD = re.compile(r"(?:[,;)]|\d)\s*$")


def _inclusion(sent: Sentence, n: Number) -> tuple[bool, bool]:
    """(inclusion verb governs the count, treatment verb governs it). '-ing' forms only count before it."""
    include = treated = False

    def same_clause(a: int, b: int) -> bool:
        return ";" not in sent.slice(min(a, b), max(a, b))

    measured = [c.start for c in sent.cues_labelled(*_MEASURE_CUES)]
    for c in (c for c in sent.cues_labelled("INCLUDE") if same_clause(c.start, n.start)):
        if c.text.lower() == "including" and _SUBSET_LEAD.search(
            sent.slice(max(sent.start, c.start - 25), c.start)
        ):
            continue  # '9 patients responded, including two patients who ...': a part of those counted before
        before = c.end <= n.start and n.start - c.end <= 60
        if (
            before
            and c.text.lower().endswith("ing")
            and any(c.end <= m < n.start for m in measured)
        ):
            before = False  # 'including complete responses in 14 patients': a count of responders
        after = c.start >= n.end and c.start - n.end <= 60 and not c.text.lower().endswith("ing")
        include |= before or after
    for c in (c for c in sent.cues_labelled("TREATED") if same_clause(c.start, n.start)):
        treated |= (c.end <= n.start and n.start - c.end <= 40) or (
            c.start >= n.end and c.start - n.end <= 50
        )
    return include, treated


def _noun_after(sent: Sentence, n: Number) -> bool:
    """A population noun within three words after the number: '2,034 adults', '86 consecutive patients'."""
    return any(
        c.start >= n.end and _FEW_WORDS.fullmatch(sent.slice(n.end, c.start))
        for c in sent.cues_labelled("POPULATION")
    )


def _score(sent: Sentence, n: Number) -> _Candidate | None:
    return _score_people(sent, n) if counts_people(sent, n) else None


def _counted_by_verb_before(
    sent: Sentence, n: Number, folded_before: str, folded_rest: str
) -> bool:
    """'We screened 518 women and randomly assigned 432 (216 per arm)': the verb before the count says
    whom it counts when the count stands alone or its people are named a few words on (not 'randomized
    2:1', nor 'a randomized two way cross-over study')."""
    if (
        not _INCLUDED_BEFORE.search(folded_before)
        or not sent.has("POPULATION")
        or _RATIO_AFTER.match(folded_rest)
    ):
        return False
    return bool(_ALONE_AFTER.match(folded_rest)) or any(
        n.end < c.start <= n.end + 80 and not _GAP_BREAK.search(sent.slice(n.end, c.start))
        for c in sent.cues_labelled("POPULATION")
    )


_TABLE = tuple(
    (w.fires, w.weight, w.rule) for w in WEIGHTS
)  # read once, not per attribute per count


def read_count(sent: Sentence, n: Number) -> Reading | None:
    """A number already known to count people (`counts_people`) as a candidate to score, if something
    marks it as the cohort's: a population noun or a verb of the cohort after it, 'n =' or 'a total of'
    before it, or an inclusion verb before it that counts it."""
    rest, folded_rest = sent.text[n.end - sent.start :], sent.folded[n.end - sent.start :]
    if n.word and _NUMERATOR_AFTER.match(folded_rest):
        return None
    before = sent.slice(max(sent.start, n.start - 25), n.start)
    folded_before = sent.folded_slice(max(sent.start, n.start - 25), n.start)
    subject_of_inclusion = _may_include(folded_rest) and bool(
        SUBJECT_OF_INCLUSION.match(folded_rest)
    )
    noun_or_verb = _noun_after(sent, n) or bool(_VERB_AFTER.match(rest)) or subject_of_inclusion
    arm_only = not noun_or_verb and bool(ARM_VERB.match(rest))  # '172 received X': one arm's count
    pop_after = noun_or_verb or arm_only
    n_equals = bool(_N_EQUALS.search(before)) and not _PERCENT_N_EQUALS.search(before)
    total = bool(_TOTAL_BEFORE.search(folded_before))
    verb_before = not pop_after and _counted_by_verb_before(sent, n, folded_before, folded_rest)
    if not (pop_after or n_equals or total or verb_before):
        return None
    include, treated = _inclusion(sent, n)
    return Reading(
        sent,
        n,
        before,
        folded_before,
        rest,
        folded_rest,
        subject_of_inclusion=subject_of_inclusion,
        pop_after=pop_after,
        arm_only=arm_only,
        n_equals=n_equals,
        total=total,
        verb_before=verb_before,
        include=include or subject_of_inclusion or verb_before,
        treated=treated,
    )


def _score_people(sent: Sentence, n: Number) -> _Candidate | None:
    """The score of a number already known to count people (`counts_people`): the weights of
    measures/cohort_weights.py that fire on it, in the table's order."""
    if (r := read_count(sent, n)) is None:
        return None
    score, rule = BASE_SCORE, "cohort_size.population"
    for fires, weight, gives in _TABLE:
        if fires(r):
            score += weight
            if gives is not None:
                rule = gives
    noun = next(
        (
            c
            for c in sent.cues_labelled("POPULATION")
            if c.start >= n.end and _FEW_WORDS.fullmatch(sent.slice(n.end, c.start))
        ),
        None,
    )
    return _Candidate(
        int(n.value),
        n.start,
        noun.end if noun else n.end,
        score - SENTENCE_ORDER * sent.index,
        rule,
        sent,
    )


_EACH_ARM = re.compile(
    r"^\s+(?:[A-Za-z\-]+\s+){0,2}(?:patients|participants|subjects|women|men)\s+(?:were\s+)?"
    r"(?:included|enrolled|randomi[sz]ed|assigned|allocated|treated)?\s*(?:in|to|per)\s+each\s+(?:arm|group)",
    re.IGNORECASE,
)


def _each_arm(sent: Sentence, arms: Arms) -> _Candidate | None:
    """'Forty patients were included in each arm' of a two-arm trial -> 80."""
    if (
        "each" not in sent.folded
    ):  # every match says 'each' (IGNORECASE: any case, which fold() lowers)
        return None
    for n in sent.numbers:
        m = _EACH_ARM.match(sent.text[n.end - sent.start :])
        if m and n.is_int and not n.percent:
            # The arms are asked for only here, where a sentence says 'in each arm' (Arms reads them then).
            k = len(arms.trial) or (2 if _TWO_ARMS.search(sent.folded) else 0)
            if k < 2:
                return None
            base = _score(sent, n)
            score = (base.score + EACH_ARM) if base is not None else EACH_ARM_UNSCORED
            return _Candidate(
                int(n.value) * k, n.start, n.end + m.end(), score, "cohort_size.each_arm", sent
            )
    return None


def _leading_total(sent: Sentence, scored: dict[int, _Candidate], before: int) -> _Candidate | None:
    """The best count the sentence gives, outside brackets, before `before`, that an inclusion verb governs."""
    depths = bracket_depths(sent.text)
    found = [
        c
        for c in scored.values()
        if c.start < before
        and depths[c.start - sent.start] == 0
        and (c.rule in ("cohort_size.enrolled", "cohort_size.total") or c.score >= 3)
    ]
    return max(found, key=lambda c: c.score, default=None)


def _after_a_total(sent: Sentence, scored: dict[int, _Candidate]) -> dict[int, _Candidate]:
    """A count in brackets after a larger total of the same sentence is a part of it: '701 women were
    randomly assigned to radical mastectomy (349 patients) or ...'."""
    if len(scored) < 2 or "(" not in sent.text:
        return scored
    depths = bracket_depths(sent.text)
    out = dict(scored)
    for start, c in scored.items():
        if (
            depths[start - sent.start] > 0
            and (t := _leading_total(sent, scored, start)) is not None
            and t.value > c.value
        ):
            out[start] = replace(c, score=c.score + PART_OF_A_TOTAL)
    return out


def _breaks_down(
    sent: Sentence, scored: dict[int, _Candidate], run: list[Number], total: int
) -> bool:
    """Arms printed after the study's total in the same sentence: their sum says nothing more (when it
    differs, some arm is missing or counted twice)."""
    lead = _leading_total(sent, scored, run[0].start)
    return lead is not None and lead.value != total and lead.value > max(int(n.value) for n in run)


def cohort_size(doc: Document, arms: Arms | None = None) -> list[Outcome]:
    arms = arms or Arms()
    candidates: list[_Candidate] = []
    confirming: dict[int, float] = {}  # totals that arms add up to, and how much that says
    for sent in doc.sentences:
        if not sent.numbers:
            continue
        people = [
            n for n in sent.numbers if counts_people(sent, n)
        ]  # once: scoring and runs both need it
        scored = {n.start: c for n in people if (c := _score_people(sent, n)) is not None}
        scored = _after_a_total(sent, scored)
        runs = parallel_counts(sent, people, scored)
        for k, run in enumerate(runs):
            total = sum(int(n.value) for n in run)
            members = [scored[n.start] for n in run if n.start in scored]
            top_score = max(c.score for c in members)
            for n in run:
                if n.start in scored:
                    scored[n.start] = replace(
                        scored[n.start], score=scored[n.start].score + ARM_OF_A_RUN
                    )
            if any(total == int(n.value) for earlier in runs[:k] for n in earlier):
                continue  # '(n = 84, IC; n = 83, Epi) ...; 69 received decitabine and 14 azacitidine': one arm's parts
            if _breaks_down(sent, scored, run, total):
                continue  # '701 women were randomly assigned to A (349 patients) or B (352)': the arms of the 701
            candidates.append(
                _Candidate(
                    total,
                    run[0].start,
                    run[-1].end,
                    top_score + SUM_OF_ARMS,
                    "cohort_size.sum_of_arms",
                    sent,
                )
            )
            confirming[total] = max(
                confirming.get(total, 0.0),
                CONFIRMED_BY_RANDOMISED_ARMS
                if _RANDOMISED.search(sent.folded)
                else CONFIRMED_BY_ARMS,
            )
        candidates.extend(scored.values())
        if not sent.background and (each := _each_arm(sent, arms)) is not None:
            candidates.append(each)
    if not candidates:
        return []
    candidates = [
        replace(c, score=c.score + confirming[c.value])
        if c.rule != "cohort_size.sum_of_arms" and c.value in confirming
        else c
        for c in candidates
    ]
    best = max(candidates, key=lambda c: (c.score, c.value))
    if best.score < MIN_SCORE:
        return []
    return [
        Outcome(
            measure="cohort_size",
            value=float(best.value),
            unit="patients",
            start=best.start,
            end=best.end,
            sentence=best.sentence.text,
            rule=best.rule,
        )
    ]
