"""`cue_matcher`: the cue patterns (spaCy token patterns kept as data) compiled for speed.

spaCy's Matcher checks every pattern at every token; with some eighty patterns
that is most of the extraction time. Patterns made only of exact words (LOWER,
TEXT or ORTH values, IN lists, optional tokens) are expanded into their phrase
variants and matched with PhraseMatchers, which look tokens up by hash; the few
patterns that need the Matcher (REGEX, '*' and '+') stay with it. Every match
becomes a span in ``doc.spans["cues"]`` with the pattern's label and id, exactly
as a SpanRuler with the same patterns would produce (a test holds it to that).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

Variant = tuple[tuple[str, str], ...]  # ((attr, value), ...) one per token


def _choices(token: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The exact (attr, value) alternatives of one token spec, or None if it is not a plain word test."""
    keys = set(token) - {"OP"}
    if len(keys) != 1:
        return None
    attr = keys.pop()
    if attr not in ("LOWER", "TEXT", "ORTH"):
        return None
    spec = token[attr]
    values = (
        spec["IN"]
        if isinstance(spec, dict) and set(spec) == {"IN"}
        else [spec]
        if isinstance(spec, str)
        else None
    )
    if values is None:
        return None
    attr = "ORTH" if attr == "TEXT" else attr
    return [(attr, v) for v in values]


def expand(pattern: list[dict[str, Any]]) -> list[Variant] | None:
    """All word sequences a pattern matches, or None if it needs the Matcher."""
    slots: list[Sequence[tuple[str, str] | None]] = []
    for token in pattern:
        op = token.get("OP")
        if op not in (None, "?", "!"):
            return None
        if op == "!":
            return None
        choices = _choices(token)
        if choices is None:
            return None
        slots.append(choices + [None] if op == "?" else choices)
    variants = []
    for combo in itertools.product(*slots):
        words = tuple(c for c in combo if c is not None)
        if words:
            variants.append(words)
    return variants


class CueMatcher:
    """Spans for every match of every cue pattern, labelled and with the pattern id."""

    def __init__(self, nlp: Language, patterns: Iterable[dict[str, Any]], spans_key: str) -> None:
        self.spans_key = spans_key
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher = Matcher(nlp.vocab, validate=True)
        # Per match key: (label, rule id, (token offset, exact text) the match must also have); the label
        # and id as their hashes, which a Span takes without hashing the strings again for every match.
        self.keys: dict[int, list[tuple[int, int, tuple[tuple[int, str], ...]]]] = {}
        strings = nlp.vocab.strings
        for n, p in enumerate(patterns):
            variants = expand(p["pattern"])
            if variants is None:
                name = f"{p['id']}#{n}"
                self.matcher.add(name, [p["pattern"]])
                self.keys[strings.add(name)] = [(strings.add(p["label"]), strings.add(p["id"]), ())]
                continue
            for v in variants:
                all_orth = all(attr == "ORTH" for attr, _ in v)
                words = [w if all_orth or attr == "ORTH" else w.lower() for attr, w in v]
                name = "\x1f".join(("O" if all_orth else "L", *words))
                key = strings.add(name)
                if key not in self.keys:
                    (self.orth if all_orth else self.lower).add(name, [Doc(nlp.vocab, words=words)])
                # The exact-case words a LOWER matcher's hit must still be checked for (none for most).
                checks = (
                    ()
                    if all_orth
                    else tuple((i, w) for i, (attr, w) in enumerate(v) if attr == "ORTH")
                )
                self.keys.setdefault(key, []).append(
                    (strings.add(p["label"]), strings.add(p["id"]), checks)
                )

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=label, span_id=rule)
            for start, end, label, rule in self.matches(doc)
        ]
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc

    def matches(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(start token, end token, label hash, rule id hash) of every match, in the order of the spans
        `__call__` stores; read directly (extractor.extract), without making the Span objects."""
        found = []
        seen: set[tuple[int, int, int]] = set()
        matchers = (
            (self.lower, self.orth, self.matcher) if len(self.matcher) else (self.lower, self.orth)
        )
        for matcher in matchers:
            for key, start, end in matcher(doc):
                for label, rule, checks in self.keys[key]:
                    if checks and not all(doc[start + i].text == w for i, w in checks):
                        continue
                    if (start, end, rule) in seen:
                        continue
                    seen.add((start, end, rule))
                    found.append((start, end, label, rule))
        found.sort(key=lambda m: (m[0], m[1]))
        return found
