"""A processed abstract as the measure rules see it: sentences with cues, regimens and numbers.

Built once per spaCy Doc (while it is alive) from the cue and regimen spans, so
the rules below work on plain frozen values with exact character offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from extractor.lexicon import STEM_RULE
from extractor.numbers import Number, find_numbers
from extractor.pipeline import CUES_KEY, REGIMENS_KEY

_HEADING = re.compile(r"^\s*([A-Z][A-Za-z /&]{2,40}?)\s*[:.]\s")
_BACKGROUND_HEADINGS = {
    "background", "introduction", "context", "purpose", "objective", "objectives", "aim", "aims",
    "rationale", "importance", "background and aims", "background and purpose", "background and objectives",
    "purpose of the study", "study objective", "background & aims",
}
_ABBREV_DEF = re.compile(r"([A-Za-z0-9][\w\-/+ ]{2,80}?)\s*\(([A-Za-z][\w\-/+]{1,15})\)")


@dataclass(frozen=True, slots=True)
class Cue:
    """A rule match: `label` says what it is, `rule` which pattern fired."""

    label: str
    rule: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    cues: tuple[Cue, ...]
    regimens: tuple[Cue, ...]
    numbers: tuple[Number, ...]
    background: bool = False
    heading: str | None = None

    def has(self, *labels: str) -> bool:
        return any(c.label in labels for c in self.cues)

    def of(self, *labels: str) -> list[Cue]:
        return [c for c in self.cues if c.label in labels]

    def slice(self, start: int, end: int) -> str:
        """Text between two absolute offsets inside this sentence."""
        return self.text[max(0, start - self.start):max(0, end - self.start)]


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    sentences: tuple[Sentence, ...]
    abbreviations: dict[str, str] = field(default_factory=dict)


def _cues(doc: Doc, key: str) -> list[Cue]:
    if key not in doc.spans:
        return []
    return sorted((Cue(s.label_, s.id_ or s.label_, s.start_char, s.end_char, s.text) for s in doc.spans[key]),
                  key=lambda c: (c.start, -c.end))


def _drop_nested(cues: list[Cue]) -> list[Cue]:
    """Among regimen matches keep the longest at each place ("R-CHOP-21" over "CHOP")."""
    out: list[Cue] = []
    for c in sorted(cues, key=lambda c: (c.start, -(c.end - c.start))):
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def abbreviations(text: str, regimens: list[Cue]) -> dict[str, str]:
    """Abbreviations the abstract defines for a treatment: 'polatuzumab-bendamustine-rituximab (Pola-BR)'."""
    found: dict[str, str] = {}
    for m in _ABBREV_DEF.finditer(text):
        long_form, short = m.group(1), m.group(2)
        if short.lower() in long_form.lower() or not any(ch.isupper() for ch in short):
            continue
        inside = [r for r in regimens if m.start(1) <= r.start and r.end <= m.end(1)]
        if inside:
            words = long_form.split()
            tail = " ".join(words[-max(2, len(short.replace("-", ""))):])
            from_first = text[max(inside[0].start, m.end(1) - len(tail)):m.end(1)]
            found[short] = from_first.strip(" ,;")
    return found


_ARM_NAME = r"(?:group|arm|cohort)\s+(?:[A-Z]|[0-9]{1,2}|I{1,3}V?|IV)\b"
_ARM_DEFINED_AFTER = re.compile(rf"(?P<name>{_ARM_NAME})\s*[(:]\s*(?P<def>[^();,]{{3,80}}?)\s*[),;]", re.IGNORECASE)
_ARM_DEFINED_BEFORE = re.compile(rf"(?:to\s+(?:receive\s+)?|,\s*|\bor\s+)(?P<def>[A-Za-z][^();,]{{2,80}}?)\s*\(\s*(?P<name>{_ARM_NAME})",
                                 re.IGNORECASE)


def arm_definitions(text: str) -> dict[str, str]:
    """What named arms stand for: 'RT alone (group A, n=20)', 'Group 2 (6 cycles)' -> {'group A': 'RT alone'}."""
    found: dict[str, str] = {}
    for pattern in (_ARM_DEFINED_BEFORE, _ARM_DEFINED_AFTER):
        for m in pattern.finditer(text):
            definition = re.sub(r"^(?:either|both|receive|to)\s+", "", m.group("def").strip(), flags=re.I)
            if re.match(r"^(?:[nNpP]\s*[=<>]|\d)", definition) or not re.search(r"[A-Za-z]{3,}", definition):
                continue
            found.setdefault(re.sub(r"\s+", " ", m.group("name")), definition)
    return found


def build_document(doc: Doc) -> Document:
    """Freeze a spaCy Doc into sentences with their cues, regimens and numbers."""
    text = doc.text
    cues = _cues(doc, CUES_KEY)
    regs = _drop_nested(_cues(doc, REGIMENS_KEY))
    abbrevs = {**arm_definitions(text), **abbreviations(text, regs)}
    sentences: list[Sentence] = []
    heading: str | None = None
    for i, sent in enumerate(doc.sents):
        s, e = sent.start_char, sent.end_char
        stext = text[s:e]
        m = _HEADING.match(stext)
        if m and (m.group(1).isupper() or m.group(1).lower() in _BACKGROUND_HEADINGS):
            heading = m.group(1).strip().lower()
        sentences.append(Sentence(
            index=i, start=s, end=e, text=stext,
            cues=tuple(c for c in cues if s <= c.start < e),
            regimens=tuple(c for c in regs if s <= c.start < e),
            numbers=tuple(find_numbers(stext, s)),
            heading=heading,
        ))
    return Document(text=text, sentences=tuple(_mark_background(sentences)), abbreviations=abbrevs)


def _mark_background(sentences: list[Sentence]) -> list[Sentence]:
    """Mark sentences that describe other work, not this study.

    A sentence is background when it sits under a Background/Introduction-like
    heading, or when it comes before the first sentence that starts describing
    this study ("we aimed", "this retrospective study", "METHODS:") and that
    sentence lies in the first half of the abstract.
    """
    first_study = next((s.index for s in sentences if s.has("STUDY")), None)
    zone = first_study if first_study is not None and first_study <= len(sentences) / 2 else 0
    out = []
    for s in sentences:
        by_heading = s.heading in _BACKGROUND_HEADINGS if s.heading else False
        by_zone = s.index < zone and s.heading is None
        if by_heading or by_zone:
            s = Sentence(s.index, s.start, s.end, s.text, s.cues, s.regimens, s.numbers, True, s.heading)
        out.append(s)
    return out


def is_stem(cue: Cue) -> bool:
    return cue.rule == STEM_RULE
