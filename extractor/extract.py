"""Extractor: abstract text in, `Outcome` records out (the package's main entry point)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from evidence_tables.extractor.cuematch import CueMatcher
from evidence_tables.extractor.document import Cue, Plan, build_document, cues_of, plan
from evidence_tables.extractor.errors import ExtractionError
from evidence_tables.extractor.lexicon import Lexicon, load_lexicon
from evidence_tables.extractor.limits import FLAG_TEXT_TRUNCATED, rules_text
from evidence_tables.extractor.measure_rules import outcomes_from_document
from evidence_tables.extractor.outcomes import Failure, Outcome
from evidence_tables.extractor.pipeline import build_nlp
from evidence_tables.extractor.version import extractor_version

K = TypeVar("K")

# What the text of one abstract can make the rules raise. With `keep_going` it is that abstract's
# failure (left unextracted, named to the user) and the others go on:
# - ExtractionError: the package's own errors;
# - ValueError (UnicodeError with it): a number the text prints that cannot be read (float('1.2.3'),
#   int() of a string of 5,000 digits);
# - ArithmeticError: arithmetic on the text's numbers (a count over a denominator of 0, an overflow);
# - RecursionError: nesting in the text deeper than a recursive rule can follow.
# Anything else is a mistake in the code, whatever text showed it: TypeError, AttributeError,
# KeyError, IndexError, NameError, AssertionError, re.error propagate and stop the run (recorded as
# failed), as they would stop every abstract after it. MemoryError is not one abstract's doing (the
# rules read at most MAX_RULES_CHARS of it, extractor.limits): it stops the run too.
TEXT_ERRORS: tuple[type[Exception], ...] = (
    ExtractionError,
    ValueError,
    ArithmeticError,
    RecursionError,
)


class Extractor:
    """The rule pipeline with its version; build once, reuse for every abstract.

    `gate=False` parses every sentence instead of only those that can hold a
    value; results are identical either way (a test holds it to that), the gate
    only saves time.
    """

    def __init__(
        self, nlp: Language | None = None, lexicon: Lexicon | None = None, *, gate: bool = True
    ) -> None:
        self.nlp = nlp if nlp is not None else build_nlp()
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.gate = gate
        self.version = extractor_version()

    def extract(self, text: str) -> list[Outcome]:
        """Outcomes of one abstract; offsets index `text` exactly."""
        found = next(self.pipe([(text, None)]))[1]
        if isinstance(found, Failure):  # not reached: without keep_going a failure raises
            raise ExtractionError(found.reason)
        return found

    def pipe(
        self, items: Iterable[tuple[str, K]], *, batch_size: int = 64, keep_going: bool = False
    ) -> Iterator[tuple[K, list[Outcome] | Failure]]:
        """(text, key) pairs in, (key, outcomes) out, in order; spaCy parses the gated sentences in batches.

        An abstract the rules fail on (one of TEXT_ERRORS) raises ExtractionError naming its key, or
        with `keep_going` comes out as a `Failure` and the others go on; any other error propagates.
        The rules read at most the first `MAX_RULES_CHARS` characters of an abstract
        (extractor.limits); values found in a longer one are flagged `text_truncated`, and their
        offsets index the whole text as ever.
        """
        items = iter(items)
        while chunk := list(islice(items, batch_size)):
            read = [rules_text(text) for text, _ in chunk]
            plans = [plan(text, gate=self.gate) for text in read]
            parsed = self._parse(plans)
            for (text, key), seen, p, cues in zip(chunk, read, plans, parsed):
                if not cues:  # no sentence could hold a value
                    yield key, []
                    continue
                try:
                    found: list[Outcome] | Failure = outcomes_from_document(
                        build_document(p, cues, self.lexicon)
                    )
                except TEXT_ERRORS as exc:
                    if not keep_going:
                        raise ExtractionError(f"extraction failed for {key}: {exc!r}") from exc
                    found = Failure(f"the rules failed: {exc!r}")
                if len(seen) < len(text) and not isinstance(found, Failure):
                    found = [replace(o, flags=(*o.flags, FLAG_TEXT_TRUNCATED)) for o in found]
                yield key, found

    def _parse(self, plans: list[Plan]) -> list[dict[int, tuple[Cue, ...]]]:
        # The components are applied in turn, as `Language.pipe` would (none of them batches): its
        # generators, context tuples and per-document checks cost as much as the cue matcher.
        out: list[dict[int, tuple[Cue, ...]]] = [{} for _ in plans]
        make_doc, components = self.nlp.make_doc, [proc for _, proc in self.nlp.pipeline]
        # The usual pipeline, the cue matcher alone: its matches are read as cues directly, without
        # making the Span objects and SpanGroup that cues_of would read them back from.
        matcher = (
            components[0]
            if len(components) == 1 and isinstance(components[0], CueMatcher)
            else None
        )
        for i, p in enumerate(plans):
            for j, text in p.sentences_to_parse():
                doc = make_doc(text)
                if matcher is not None:
                    out[i][j] = _cues(doc, matcher.matches(doc), p.spans[j][0], p.text)
                    continue
                for proc in components:
                    doc = proc(doc)
                out[i][j] = cues_of(doc, p.spans[j][0], p.text)
        return out


def _cues(
    doc: Doc, matches: list[tuple[int, int, int, int]], offset: int, text: str
) -> tuple[Cue, ...]:
    """What `cues_of` reads from the spans CueMatcher would make of these matches: the same character
    offsets (a Span's end is its last token's idx plus length), label, rule id and order."""
    strings = doc.vocab.strings
    cues = []
    for start, end, label_key, rule_key in matches:
        last = doc[end - 1]
        s, e = doc[start].idx + offset, last.idx + len(last) + offset
        label = strings[label_key]
        cues.append(Cue(label, strings[rule_key] or label, s, e, text[s:e]))
    return tuple(sorted(cues, key=lambda c: (c.start, -c.end)))
