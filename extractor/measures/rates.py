"""Rates owned by a cue: the shared machinery of CR rates and relapse rates.

A proportion belongs to the measure whose cue governs it: a printed layout
first (labelled lists, bracketed pairs, 'none of ...'), else a cue after it
reached through a verb ('approximately 30% of the patients ... had a complete
response'), else the last cue printed before it in the same clause ('CR was
achieved in 12 of 40 patients (30%)', 'ORR 80% with CR 45%').
Rule ids: `<measure>.cue_rate` (cue before), `<measure>.rate_cue` (cue after),
`<measure>.list` (several values of one list), `<measure>.labelled_list`,
`<measure>.bracketed`, `<measure>.none` (0%), `<measure>.all` (100%); each
followed by `/` and the id of the cue pattern.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.arms import study_treatment
from extractor.document import Cue, Document, Sentence
from extractor.groups import Group
from extractor.measures.common import context_flags, groups_for, owner, regimen_for
from extractor.measures.layouts import VERB, Claim, bracketed_pairs, labelled_list, receiving_group, zero_statements
from extractor.records import FLAG_COMPUTED, FLAG_COUNT_MISMATCH, FLAG_OVER_100, Measure, Outcome
from extractor.values import Rate, rates

_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but|although|compared\s+with\s+(?=\d))\b|\.\s", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:\bby|\breduc\w*\s+(?:of|in)|\bdecrease\w*\s+(?:of|in))\s*(?:approximately\s+|about\s+)?$", re.I)
_RELATIVE_AFTER = re.compile(r"^\s*(?:relative\s+|absolute\s+)?(?:reduction|decrease|lower|higher|increase|"
                             r"improvement|risk\s+reduction|fewer|more|less|greater)\b", re.IGNORECASE)
_VERB_CUE = re.compile(r"^(?:relapsed|progressed|recurred|relapse|progression|recurrence)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RateSpec:
    measure: Measure
    targets: tuple[str, ...]
    competitors: tuple[str, ...]
    skip_cue: Callable[[Sentence, Cue], bool] = lambda s, c: False
    skip_sentence: Callable[[Sentence], bool] = lambda s: False
    timepoint: Callable[[Sentence, Cue, Rate], str | None] = lambda s, c, r: None


def clause_bounds(sent: Sentence, pos: int) -> tuple[int, int]:
    """Absolute (start, end) of the clause around `pos`."""
    start, end = sent.start, sent.end
    for m in _CLAUSE_BREAK.finditer(sent.text):
        a = sent.start + m.start()
        if a < pos:
            start = sent.start + m.end()
        else:
            end = a
            break
    return start, end


def _forward(sent: Sentence, rate: Rate, cues: list[Cue], others: list[Rate]) -> Cue | None:
    """A cue after the rate, reached through a verb in the same clause: '30% of ... had a CR'."""
    _, clause_end = clause_bounds(sent, rate.end)
    for c in sorted(cues, key=lambda c: c.start):
        if c.start < rate.end or c.start > clause_end:
            continue
        gap = sent.slice(rate.end, c.start)
        if any(rate.end <= o.start < c.start for o in others) or len(gap) > 140:
            return None
        if re.search(rf"\b{VERB}\b", gap, re.IGNORECASE) and not re.search(r"\b(?:and|or)\s*$", gap):
            return c
        if _VERB_CUE.match(c.text) and re.fullmatch(r"[\s)\]]*(?:patients\s+)?(?:had\s+)?", gap):
            return c
        return None
    return None


def _backward(sent: Sentence, rate: Rate, cues: list[Cue]) -> Cue | None:
    usable = [c for c in cues if not (c.label == "OTHER_MEASURE" and re.search(
        r"\b(?:with|without|having|had|for)\s+(?:\w+\s+)?$", sent.slice(max(sent.start, c.start - 20), c.start), re.I))]
    c = owner(usable, rate.start)
    if c is None:
        return None
    clause_start, _ = clause_bounds(sent, rate.start)
    if c.start < clause_start and len(sent.slice(c.end, rate.start)) > 60:
        return None
    return c


def _relative(sent: Sentence, r: Rate) -> bool:
    before = sent.slice(max(sent.start, r.start - 30), r.start)
    after = sent.text[r.end - sent.start:r.end - sent.start + 30]
    return bool(_RELATIVE.search(before) or _RELATIVE_AFTER.match(after))


def _flags(r: Rate, sent: Sentence) -> tuple[str, ...]:
    flags = []
    if r.value > 100:
        flags.append(FLAG_OVER_100)
    if r.numerator is not None and r.denominator and not r.computed:
        if abs(100 * r.numerator / r.denominator - r.value) > 1.0:
            flags.append(FLAG_COUNT_MISMATCH)
    if r.computed:
        flags.append(FLAG_COMPUTED)
    return tuple(flags + context_flags(sent))


def _claims(sent: Sentence, spec: RateSpec, targets: list[Cue]) -> list[Claim]:
    cues = targets + sent.of(*spec.competitors)
    claims = zero_statements(sent, targets, lambda pos: clause_bounds(sent, pos)[1])
    found = [r for r in rates(sent) if not any(z.rate.start <= r.start < z.rate.end for z in claims)]
    found = [r for r in found if not _relative(sent, r)]
    bracketed, used = bracketed_pairs(sent, found, targets)
    listed = labelled_list(sent, found, targets)
    claims += bracketed + listed
    used |= {c.rate.start for c in listed}
    for r in found:
        if r.start in used:
            continue
        fwd = _forward(sent, r, cues, found)
        cue = fwd or _backward(sent, r, cues)
        if cue is None or cue not in targets:
            continue
        claims.append(Claim(r, cue, "rate_cue" if fwd else "cue_rate",
                            receiving_group(sent, r.end, cue.start) if fwd else None))
    return sorted(claims, key=lambda c: c.rate.start)


def extract_rates(doc: Document, spec: RateSpec, arms: list[Group] | None = None) -> list[Outcome]:
    out: list[Outcome] = []
    treatment = study_treatment(doc)
    for sent in doc.sentences:
        if sent.background or spec.skip_sentence(sent):
            continue
        targets = [c for c in sent.of(*spec.targets) if not spec.skip_cue(sent, c)]
        if not targets:
            continue
        claims = _with_groups(doc, sent, _claims(sent, spec, targets), arms or [], treatment)
        out.extend(_outcome(doc, sent, spec, c, len(claims), treatment) for c in claims)
    return out


def _with_groups(doc: Document, sent: Sentence, claims: list[Claim], arms: list[Group],
                 treatment: str | None) -> list[Claim]:
    plain = [i for i, c in enumerate(claims) if c.group is None and c.kind in ("cue_rate", "bracketed")]
    if plain:
        spans = [(claims[i].rate.start, claims[i].rate.end) for i in plain]
        groups = groups_for(doc, sent, spans, claims[plain[0]].cue.end, arms)
        for i, g in zip(plain, groups):
            c = claims[i]
            claims[i] = Claim(c.rate, c.cue, c.kind, g or _clause_regimen(doc, sent, c, treatment))
    return claims


def _clause_regimen(doc: Document, sent: Sentence, claim: Claim, treatment: str | None) -> Group | None:
    """In a study of several treatments, the one treatment named in the value's clause ('Pembrolizumab produced CR in 2 of 12')."""
    if treatment is not None:
        return None
    start, end = clause_bounds(sent, claim.rate.start)
    named = [r for r in sent.regimens if start <= r.start < end and r.end <= claim.rate.start]
    names = {r.rule if r.rule != "regimen.stem" else r.text.lower() for r in named}
    if len(names) != 1:
        return None
    r = named[0]
    return Group(r.text, r.start, r.end)


def _outcome(doc: Document, sent: Sentence, spec: RateSpec, c: Claim, n: int, treatment: str | None) -> Outcome:
    kind = "list" if n > 1 and c.kind == "cue_rate" else c.kind
    r, cue, g = c.rate, c.cue, c.group
    start, end = min(r.start, cue.start), max(r.end, cue.end)
    if end - start > 250:
        start, end = r.start, r.end
    label = g.label if g is not None and not g.origin else None
    return Outcome(
        measure=spec.measure, value=r.value, unit="%", start=start, end=end, sentence=sent.text,
        rule=f"{spec.measure}.{kind}/{cue.rule}",
        group_label=label, regimen=regimen_for(doc, sent, g) if label else treatment,
        numerator=r.numerator, denominator=r.denominator,
        timepoint=spec.timepoint(sent, cue, r) or (g.label if g is not None and g.origin else None),
        flags=_flags(r, sent),
    )
