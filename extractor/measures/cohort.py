"""Cohort size: the study's own total (enrolled / included / randomized / treated).

Every count of people is a candidate, scored by what surrounds it: inclusion
verbs and 'a total of' raise it; 'screened', subsets ('of whom', 'in each arm',
'12 patients died'), hedges ('over 300') and background sentences lower it.
When only arm sizes are printed they are summed. One value per study.
Rule ids: cohort_size.enrolled, cohort_size.total, cohort_size.n_equals,
cohort_size.population, cohort_size.sum_of_arms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.document import Document, Sentence
from extractor.numbers import Number, hedge_before
from extractor.records import Outcome
from extractor.values import UNIT, in_brackets_after_cue

_NOT_PEOPLE = re.compile(
    r"^\s*(?:[\-\u2013]\s*)?(?:%|percent|mg|g\b|kg|ml|mL|l\b|µ|mcg|mm|cm|cycles?|courses?|doses?|centers?|centres?|sites?|"
    r"hospitals?|countries|institutions?|trials?|studies|articles|years?|months?|weeks?|days?|hours?|h\b|"
    r"fractions?|gy\b|Gy|lines?|times|fold|x\b|×|mg/m|events?|deaths?|samples|specimens|tumou?rs|lesions|genes|"
    r"cells|sessions|visits|randomized\s+(?:controlled\s+)?trials|RCTs|publications)",
    re.IGNORECASE,
)
_ARM_N = re.compile(r"\(\s*n\s*=\s*(\d[\d,]*)\s*\)|\bn\s*=\s*(\d[\d,]*)", re.IGNORECASE)
_EACH = re.compile(r"\bn\s*=\s*(\d+)\s+(?:in\s+)?(?:each|per)\s+(?:arm|group)\b", re.IGNORECASE)
_WORD_GAP = re.compile(r"^\s*(?:[A-Za-z\-]+\s+){0,3}?$")


@dataclass(frozen=True, slots=True)
class _Candidate:
    value: int
    start: int
    end: int
    score: float
    rule: str
    sentence: Sentence


def _near(sent: Sentence, labels: tuple[str, ...], start: int, end: int, before: int, after: int) -> bool:
    return any(c.start >= start - before and c.end <= end + after for c in sent.of(*labels))


def _score(sent: Sentence, n: Number) -> _Candidate | None:
    if n.percent or not n.is_int or n.value < 2 or n.value > 2_000_000:
        return None
    rest = sent.text[n.end - sent.start:]
    if _NOT_PEOPLE.match(rest) or UNIT.match(rest) and not re.match(r"^\s*(?:patients|participants)", rest):
        return None
    if in_brackets_after_cue(sent, n.start, ("CI", "RANGE")):
        return None
    before = sent.slice(max(sent.start, n.start - 25), n.start)
    if re.search(r"(?:\bage[sd]?|\bP\s*[=<>]|[<>≤≥]|\bHR|\bgrade|\bstage|\bphase|\bday|\bcycle|/)\s*$", before, re.I):
        return None
    if 1900 <= n.value <= 2100 and not re.match(r"^\s*(?:patients|participants|subjects|women|men)", rest, re.I):
        return None
    pop_after = any(c.start >= n.end and _WORD_GAP.match(sent.slice(n.end, c.start)) for c in sent.of("POPULATION"))
    n_equals = bool(re.search(r"\b[nN]\s*[=:]\s*$", before))
    total = bool(re.search(r"(?:total\s+of|in\s+total|overall|altogether|total)\s*,?\s*$", before, re.I))
    if not (pop_after or n_equals or total):
        return None
    score, rule = 1.0, "cohort_size.population"
    if pop_after:
        score += 2
    if n_equals:
        score, rule = score + 1, "cohort_size.n_equals"
    if total:
        score, rule = score + 3, "cohort_size.total"
    if _near(sent, ("INCLUDE",), n.start, n.end, 60, 60):
        score += 4
        rule = "cohort_size.total" if total else "cohort_size.enrolled"
    elif _near(sent, ("TREATED",), n.start, n.end, 40, 50):
        score += 2
    if _near(sent, ("SCREENED",), n.start, n.end, 40, 40) and not re.search(r"\b(?:eligible|included)\b", rest[:40], re.I):
        score -= 6
    after_words = rest[:45].lower()
    if re.match(r"^\s*(?:\w+\s+){0,3}?\(\s*\d+(?:\.\d+)?\s*%", after_words) or re.match(r"^\s*\(\s*\d+(?:\.\d+)?\s*%", after_words):
        score -= 3
    if re.search(r"\b(?:of\s+whom|of\s+these|of\s+them|among\s+(?:them|these|those)|remaining|each|per|respectively)\b",
                 sent.slice(max(sent.start, n.start - 30), min(sent.end, n.end + 30)), re.I):
        score -= 3
    if re.match(r"^\s*(?:[a-z\-]+\s+){0,3}?(?:had|developed|achieved|died|experienced|discontinued|withdrew|were\s+excluded|"
                r"were\s+lost|relapsed|progressed|responded|showed|required|did\s+not)\b", after_words):
        score -= 3
    if hedge_before(sent.text, n.start - sent.start):
        score -= 2
    if sent.background:
        score -= 8
    return _Candidate(int(n.value), n.start, n.end, score - 0.01 * sent.index, rule, sent)


def _arms(sent: Sentence) -> _Candidate | None:
    """'(n = 53 in each arm)' or 'A (n = 86) ... B (n = 90)': the arms of a trial summed."""
    each = _EACH.search(sent.text)
    if each and re.search(r"\b(?:two|2)\s+arms\b|\beach\s+arm\b", sent.text, re.I):
        value = 2 * int(each.group(1))
        return _Candidate(value, sent.start + each.start(), sent.start + each.end(), 3.0, "cohort_size.sum_of_arms", sent)
    ns = list(_ARM_N.finditer(sent.text))
    if len(ns) >= 2 and re.search(r"\b(?:randomi[sz]ed|assigned|allocated|arms?|groups?|received|versus|vs)\b", sent.text, re.I):
        values = [int((m.group(1) or m.group(2)).replace(",", "")) for m in ns]
        start, end = sent.start + ns[0].start(), sent.start + ns[-1].end()
        return _Candidate(sum(values), start, end, 3.0 - 0.01 * sent.index, "cohort_size.sum_of_arms", sent)
    return None


def cohort_size(doc: Document) -> list[Outcome]:
    candidates: list[_Candidate] = []
    for sent in doc.sentences:
        for n in sent.numbers:
            c = _score(sent, n)
            if c is not None:
                candidates.append(c)
        if not sent.background:
            arm = _arms(sent)
            if arm is not None:
                candidates.append(arm)
    if not candidates:
        return []
    best = max(candidates, key=lambda c: (c.score, c.value))
    if best.score < 2.5:
        return []
    return [Outcome(measure="cohort_size", value=float(best.value), unit="patients", start=best.start, end=best.end,
                    sentence=best.sentence.text, rule=best.rule)]
