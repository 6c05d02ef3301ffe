"""Rates owned by a cue: the shared machinery of CR rates and relapse rates.

A proportion in a sentence belongs to the measure whose cue governs it:
either the last cue printed before it in the same clause ('CR was achieved in
12 of 40 patients (30%)', 'ORR 80% with CR 45%'), or a cue after it reached
through a verb ('approximately 30% of the patients ... had a complete
response'). Rule ids: `<measure>.cue_rate` (cue before), `<measure>.rate_cue`
(cue after), `<measure>.list` (several values of one list), `<measure>.none`
('None of the patients ... had a complete response' = 0%), `<measure>.all`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extractor.document import Cue, Document, Sentence
from extractor.groups import Group, clean, study_treatment
from extractor.measures.common import context_flags, groups_for, owner, regimen_for
from extractor.records import FLAG_COMPUTED, FLAG_COUNT_MISMATCH, FLAG_OVER_100, Measure, Outcome
from extractor.values import Rate, rates

_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but|although|compared\s+with\s+(?=\d))\b|\.\s", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:\bby|\breduc\w*\s+(?:of|in)|\bdecrease\w*\s+(?:of|in))\s*(?:approximately\s+|about\s+)?$", re.I)
_RELATIVE_AFTER = re.compile(r"^\s*(?:relative\s+|absolute\s+)?(?:reduction|decrease|lower|higher|increase|"
                             r"improvement|risk\s+reduction|fewer|more|less|greater)\b", re.IGNORECASE)
_ZERO = re.compile(
    r"\b(?P<zero>none\s+of\s+(?:the\s+|these\s+)?(?:(?P<den>\d+)\s+)?|no\s+(?=patients?\b|one\b|participants?\b|"
    r"subjects?\b|cases?\b|complete\b|CRs?\b|pCRs?\b|relapses?\b|recurrences?\b)|not\s+a\s+single\s+|"
    r"(?P<all>all\s+(?:(?P<allden>\d+)\s+)?(?=patients|participants|subjects|cases)))",
    re.IGNORECASE,
)
_VERB = r"(?:had|has|have|achieved|achieving|attained|obtained|reached|experienced|showed|developed|" \
        r"relapsed|progressed|recurred|suffered|presented|were\s+in|remained\s+in|went\s+into|converted|" \
        r"achieve|attain|obtain|experience|show|develop|relapse|progress|recur|reported)"
_RECEIVING = re.compile(
    r"(?:receiving|received|treated\s+with|given|allocated\s+to|assigned\s+to|in\s+the|on|with|after)\s+"
    r"(?P<g>.+?)\s+(?:who\s+|that\s+)?(?:ha[sd]|have|achieved|attained|obtained|reached|experienced|showed|"
    r"developed|relapsed|progressed|recurred|went|remained|were|was)\b",
    re.IGNORECASE,
)


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
        elif a >= pos:
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
        if re.search(rf"\b{_VERB}\b", gap, re.IGNORECASE) and not re.search(r"\b(?:and|or)\s*$", gap):
            return c
        return None
    return None


def _backward(sent: Sentence, rate: Rate, cues: list[Cue]) -> Cue | None:
    c = owner(cues, rate.start)
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


def _zeros(sent: Sentence, targets: list[Cue]) -> list[tuple[Rate, Cue, Group | None]]:
    """'None of the patients receiving X had a complete response' -> 0% for X (and 'all ...' -> 100%)."""
    out = []
    for m in _ZERO.finditer(sent.text):
        a = sent.start + m.start()
        _, clause_end = clause_bounds(sent, a)
        cue = next((c for c in targets if a < c.start <= clause_end and c.start - a < 160), None)
        if cue is None:
            continue
        gap = sent.slice(a + len(m.group(0)), cue.start)
        direct = m.group("zero") and m.group("zero").lower().startswith("no ") and not gap.strip()
        if not direct and not re.search(rf"\b{_VERB}\b|\bwere\b|\bwas\b", gap + sent.slice(cue.end, cue.end + 40), re.I):
            continue
        is_all = bool(m.group("all"))
        den = m.group("den") or m.group("allden")
        value = 100.0 if is_all else 0.0
        rate = Rate(a, cue.end, value, int(den) if (den and is_all) else 0 if den else None,
                    int(den) if den else None)
        g = _receiving(sent, a, cue.start) or _after_cue_group(sent, cue)
        out.append((rate, cue, g))
    return out


def _receiving(sent: Sentence, start: int, end: int) -> Group | None:
    text = sent.slice(start, end + 1)
    m = _RECEIVING.search(text)
    if not m:
        return None
    raw = re.split(r"\s+(?:after|who|with\s+a|at|during|following|because)\s+", m.group("g"), maxsplit=1)[0]
    label = clean(raw)
    if not label or re.match(r"^(?:patients?|the\s+study|this|median)\b", label, re.I):
        return None
    g0 = start + m.start("g")
    return Group(label, g0, g0 + len(raw))


def _after_cue_group(sent: Sentence, cue: Cue) -> Group | None:
    from extractor.groups import group_after  # noqa: PLC0415
    rest_start = cue.end
    m = re.match(r"^\s*(?:\([^)]*\)\s*)?(?:were|was)\s+(?:seen|observed|recorded|noted|achieved|reported)",
                 sent.text[rest_start - sent.start:])
    if m:
        rest_start += m.end()
    return group_after(sent, rest_start)


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


def extract_rates(doc: Document, spec: RateSpec) -> list[Outcome]:
    out: list[Outcome] = []
    treatment = study_treatment(doc)
    for sent in doc.sentences:
        if sent.background or spec.skip_sentence(sent):
            continue
        targets = [c for c in sent.of(*spec.targets) if not spec.skip_cue(sent, c)]
        if not targets:
            continue
        cues = targets + sent.of(*spec.competitors)
        found: list[tuple[Rate, Cue, str, Group | None]] = []
        zeros = _zeros(sent, targets)
        for rate, cue, g in zeros:
            found.append((rate, cue, "all" if rate.value == 100 else "none", g))
        all_rates = [r for r in rates(sent) if not any(z.start <= r.start < z.end for z, _, _ in zeros)]
        for r in all_rates:
            if _relative(sent, r):
                continue
            fwd = _forward(sent, r, cues, all_rates)
            cue = fwd or _backward(sent, r, cues)
            if cue is None or cue.label not in spec.targets or cue not in targets:
                continue
            g = _receiving(sent, r.end, cue.start) if fwd else None
            found.append((r, cue, "rate_cue" if fwd else "cue_rate", g))
        if not found:
            continue
        found.sort(key=lambda x: x[0].start)
        _assign_groups(doc, sent, found)
        out.extend(_outcome(doc, sent, spec, r, cue, kind, g, len(found), treatment) for r, cue, kind, g in found)
    return out


def _assign_groups(doc: Document, sent: Sentence, found: list[tuple[Rate, Cue, str, Group | None]]) -> None:
    plain = [i for i, (_, _, kind, g) in enumerate(found) if g is None and kind == "cue_rate"]
    if not plain:
        return
    spans = [(found[i][0].start, found[i][0].end) for i in plain]
    groups = groups_for(doc, sent, spans, found[plain[0]][1].end)
    for i, g in zip(plain, groups):
        r, cue, kind, _ = found[i]
        found[i] = (r, cue, kind, g)


def _outcome(doc: Document, sent: Sentence, spec: RateSpec, r: Rate, cue: Cue, kind: str, g: Group | None,
             n: int, treatment: str | None) -> Outcome:
    rule = f"{spec.measure}.{'list' if n > 1 and kind == 'cue_rate' else kind}/{cue.rule}"
    start, end = min(r.start, cue.start), max(r.end, cue.end)
    if end - start > 250:
        start, end = r.start, r.end
    label = g.label if g is not None and not g.origin else None
    return Outcome(
        measure=spec.measure, value=r.value, unit="%", start=start, end=end, sentence=sent.text, rule=rule,
        group_label=label, regimen=regimen_for(doc, sent, g) if label else treatment,
        numerator=r.numerator, denominator=r.denominator,
        timepoint=spec.timepoint(sent, cue, r) or (g.label if g is not None and g.origin else None),
        flags=_flags(r, sent),
    )
