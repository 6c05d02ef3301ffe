"""A processed abstract as the measure rules see it: sentences with cues, regimens and numbers.

Built in two steps. `plan` splits the text into sentences, applies the sentence
rules and the gate (no tokenising); spaCy then parses only the sentences the gate
keeps; `build_document` freezes everything into plain values with exact
character offsets, so the rules below never touch a spaCy object.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc

from evidence_tables.extractor.definitions import abbreviations, arm_definitions
from evidence_tables.extractor.gate import gate as sentence_gate
from evidence_tables.extractor.lexicon import Lexicon, Mention
from evidence_tables.extractor.numbers import Number, find_numbers
from evidence_tables.extractor.pipeline import CUES_KEY
from evidence_tables.extractor.search.casefold import fold
from evidence_tables.extractor.segment import sentences as split_sentences
from evidence_tables.extractor.sentence_rules import labels_of, match_starts

_HEADING = re.compile(r"^\s*(?:ABSTRACT\.)?([A-Z][A-Za-z /&]{2,40}?)\s*[:.](?:\s|$)")
_BACKGROUND_HEADINGS = {
    "background",
    "introduction",
    "context",
    "purpose",
    "objective",
    "objectives",
    "aim",
    "aims",
    "rationale",
    "importance",
    "background and aims",
    "background and purpose",
    "background and objectives",
    "purpose of the study",
    "study objective",
    "background & aims",
}
_HEADINGS = _BACKGROUND_HEADINGS | {
    "methods",
    "method",
    "results",
    "result",
    "conclusion",
    "conclusions",
    "discussion",
    "findings",
    "interpretation",
    "design",
    "setting",
    "participants",
    "patients",
    "patients and methods",
    "materials and methods",
    "methods and results",
    "main outcome measures",
    "measurements",
    "intervention",
    "interventions",
    "outcomes",
    "trial registration",
    "funding",
    "summary",
    "significance",
    "limitations",
    "abstract",
    "title",
    "experimental design",
    "clinical relevance",
    "implications",
}


@dataclass(frozen=True, slots=True)
class Cue:
    """A rule match: `label` says what it is, `rule` which pattern fired."""

    label: str
    rule: str
    start: int
    end: int
    text: str


class Mentions:
    """The regimen mentions of one abstract, found when first asked for: the cohort size, all most
    abstracts report, needs them only where a sentence prints two or more counts (measures/arm_counts.py)."""

    __slots__ = ("_lexicon", "_text", "_found", "_starts")

    def __init__(self, lexicon: Lexicon, text: str) -> None:
        self._lexicon, self._text = lexicon, text
        self._found: tuple[Mention, ...] | None = None
        self._starts: list[int] = []

    def all(self) -> tuple[Mention, ...]:
        if self._found is None:
            self._found = tuple(self._lexicon.find(self._text))
            self._starts = [m.start for m in self._found]
        return self._found

    def may_hold_numbers(self, start: int, end: int) -> bool:
        """Can a mention that starts in [start, end) hold a number ('R-CHOP-21', '7+3')? Not unless a term
        that holds one is printed there; answered without finding the mentions."""
        terms = self._lexicon.numbered_terms
        window = self._text[start : end + (len(terms[0]) if terms else 0)]  # the longest first
        lowered = window.lower()
        return len(lowered) != len(window) or any(t in lowered for t in terms)

    def within(self, start: int, end: int) -> tuple[Mention, ...]:
        """The mentions that start in [start, end) (one lies inside a sentence when it starts there)."""
        found = self.all()
        return found[bisect_left(self._starts, start) : bisect_left(self._starts, end)]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: cues and numbers when it was parsed, regimens and sentence-rule labels always."""

    index: int
    start: int
    end: int
    text: str
    folded: str  # fold(text), for case-insensitive rules (extractor.search.casefold)
    cues: tuple[Cue, ...]
    mentions: Mentions = field(
        repr=False, compare=False
    )  # the abstract's regimens (`regimens` reads this sentence's)
    numbers: tuple[Number, ...]
    context: frozenset[str] = frozenset()
    background: bool = False
    heading: str | None = None
    # Sentence-rule labels not yet checked: read into `context` when has() first asks for one (most
    # parsed sentences are never asked whether they are BACKGROUND, nor, once the report has started, STUDY).
    pending: frozenset[str] = frozenset()
    # The labels of `cues`: the measure rules ask has()/cues_labelled() a few hundred times per abstract.
    cue_labels: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "cue_labels", frozenset(c.label for c in self.cues) if self.cues else _NONE
        )

    def has(self, *labels: str) -> bool:
        if not self.cue_labels.isdisjoint(labels) or not self.context.isdisjoint(labels):
            return True
        if self.pending.isdisjoint(labels):
            return False
        object.__setattr__(
            self, "context", self.context | labels_of(self.text, self.pending, self.folded)
        )
        object.__setattr__(self, "pending", _NONE)
        return not self.context.isdisjoint(labels)

    @property
    def regimens(self) -> tuple[Mention, ...]:
        """The regimen mentions in this sentence, in text order."""
        return self.mentions.within(self.start, self.end)

    def cues_labelled(self, *labels: str) -> list[Cue]:
        """The cues of this sentence that have one of these labels, in text order."""
        if self.cue_labels.isdisjoint(labels):
            return []
        return [c for c in self.cues if c.label in labels]

    def slice(self, start: int, end: int) -> str:
        """Text between two absolute offsets inside this sentence."""
        a, b = (
            start - self.start,
            end - self.start,
        )  # not max(0, ...): a call, and this runs 30 times a sentence
        return self.text[a if a > 0 else 0 : b if b > 0 else 0]

    def folded_slice(self, start: int, end: int) -> str:
        """`slice` of the folded text, for `compile_folded` patterns."""
        a, b = start - self.start, end - self.start
        return self.folded[a if a > 0 else 0 : b if b > 0 else 0]


@dataclass(frozen=True)  # no slots: cached_property keeps what it read in the instance's __dict__
class Document:
    text: str
    folded: str  # fold(text), for case-insensitive rules (extractor.search.casefold)
    sentences: tuple[Sentence, ...]
    mentions: Mentions = field(repr=False, compare=False)

    @property
    def regimens(self) -> tuple[Mention, ...]:
        """Every regimen mention, in text order."""
        return self.mentions.all()

    @cached_property
    def abbreviations(self) -> dict[str, str]:
        """What the abstract's own abbreviations and named arms stand for ('Pola-BR', 'arm A'). Read when
        first asked for: only a value's group needs them, and most abstracts report no value."""
        return {
            **arm_definitions(self.text, self.folded),
            **abbreviations(self.text, list(self.regimens)),
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """Sentences of one abstract and, for each, whether spaCy should parse it."""

    text: str
    spans: tuple[tuple[int, int], ...]
    parse: tuple[bool, ...]

    def sentences_to_parse(self) -> list[tuple[int, str]]:
        """(sentence index, sentence text) of the sentences to parse."""
        return [
            (i, self.text[s:e]) for i, ((s, e), p) in enumerate(zip(self.spans, self.parse)) if p
        ]


def plan(text: str, *, gate: bool = True) -> Plan:
    """Split into sentences and decide what to parse (everything when `gate` is off)."""
    spans = tuple(split_sentences(text))
    folded = fold(text)
    parse: list[bool] = []
    after_survival = False
    for s, e in spans:
        sentence, sfolded = text[s:e], folded[s:e]
        keep, after_survival = (
            sentence_gate(sentence, after_survival, sfolded) if gate else (True, False)
        )
        parse.append(keep)
    return Plan(text, spans, tuple(parse))


def cues_of(doc: Doc, offset: int, text: str | None = None) -> tuple[Cue, ...]:
    """The cue spans of a parsed sentence, shifted to abstract offsets (read while the Doc is alive).
    `text`, the abstract the sentence starts at `offset` in, gives each cue's text by slicing: spaCy
    keeps the text exactly, so it is the span's text, without joining its tokens again."""
    if CUES_KEY not in doc.spans:
        return ()
    cues = []
    for s in doc.spans[CUES_KEY]:
        start, end = s.start_char + offset, s.end_char + offset
        label = s.label_
        cues.append(
            Cue(label, s.id_ or label, start, end, s.text if text is None else text[start:end])
        )
    return tuple(sorted(cues, key=lambda c: (c.start, -c.end)))


_PARSED = frozenset({"STUDY", "BACKGROUND"})
# Before the study's report starts: does this sentence start it, or describe this study's cohort ('N women
# were randomly assigned'; that starts it unless the sentence names other work: STUDY_COHORT, BACKGROUND)?
_UNPARSED = frozenset({"STUDY", "STUDY_COHORT"})
_BACKGROUND = frozenset({"BACKGROUND"})
_STUDY_COHORT = frozenset({"STUDY_COHORT"})
# 'was tested in the PRIMA trial, where 1018 patients were randomized': another trial's cohort, named
_OTHER_TRIAL = re.compile(
    r"\b(?:[A-Z][A-Z0-9\-]{2,}|[A-Z][a-z]+-\d+)\s+(?:trial|study)\b[^.;]{0,20}\b(?:where|in\s+which|that)\b|"
    r"\b(?:tested|evaluated|investigated|studied|shown|reported)\s+in\s+(?:the\s+)?[A-Z][A-Z0-9\-]{2,}\b"
)
_NONE: frozenset[str] = frozenset()
_NONDISEASE = frozenset({"NONDISEASE_CONTEXT"})


def build_document(p: Plan, parsed: dict[int, tuple[Cue, ...]], lexicon: Lexicon) -> Document:
    """Freeze a plan and the cues of its parsed sentences into a Document."""
    text = p.text
    mentions = Mentions(lexicon, text)
    folded = fold(text)
    heading: str | None = None
    first_study: int | None = None
    nondisease = match_starts("NONDISEASE_CONTEXT", text, folded)
    read: list[tuple[str | None, frozenset[str], frozenset[str]]] = []  # heading, context, pending
    for i, (s, e) in enumerate(p.spans):
        stext = text[s:e]
        m = _HEADING.match(stext)
        if m and (m.group(1).isupper() or m.group(1).strip().lower() in _HEADINGS):
            heading = m.group(1).strip().lower()
        # Every sentence is checked at once for what document-level rules read: whether the study's
        # report has started yet. Parsed sentences get the other rules their values read when first
        # asked (Sentence.has). Emesis/pain context comes from one pass over the whole text.
        now = _NONE if first_study is not None else _UNPARSED
        context = (
            labels_of(stext, now, folded[s:e]) if now else _NONE
        )  # none asked once the report has started
        if (k := bisect_left(nondisease, s)) < len(nondisease) and nondisease[k] < e:
            context = context | _NONDISEASE
        if first_study is None and (
            "STUDY" in context
            or any(c.label == "STUDY" for c in parsed.get(i, ()))
            or "STUDY_COHORT" in context
            and not labels_of(stext, _BACKGROUND, folded[s:e])
            and not _OTHER_TRIAL.search(stext)
        ):
            first_study = i
        if "STUDY_COHORT" in context:
            context = context - _STUDY_COHORT
        read.append((heading, context, _PARSED - now if i in parsed else _NONE))
    zone = _background_zone(first_study, len(p.spans))
    sentences = tuple(
        Sentence(
            index=i,
            start=s,
            end=e,
            text=text[s:e],
            folded=folded[s:e],
            cues=parsed.get(i, ()),
            mentions=mentions,
            numbers=tuple(find_numbers(text[s:e], s, folded[s:e])) if i in parsed else (),
            context=context,
            heading=heading,
            pending=pending,
            background=heading in _BACKGROUND_HEADINGS if heading else i < zone,
        )
        for i, ((s, e), (heading, context, pending)) in enumerate(zip(p.spans, read))
    )
    return Document(text=text, folded=folded, sentences=sentences, mentions=mentions)


def _background_zone(first_study: int | None, n: int) -> int:
    """How many sentences at the start describe other work, not this study.

    A sentence is background when it sits under a Background/Introduction-like
    heading, or when it comes before the first sentence that starts describing
    this study ("we aimed", "this retrospective study", "METHODS:") and that
    sentence lies in the first half of the abstract.
    """
    return first_study if first_study is not None and first_study <= n / 2 else 0
