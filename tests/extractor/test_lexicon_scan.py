"""Lexicon._names and Lexicon._stem_ends find what the plain patterns they replace find."""

from __future__ import annotations

import random
import re

from evidence_tables.extractor.lexicon import (
    STEM_SUFFIXES,
    Lexicon,
    _alternation,
    case_sensitive,
    load_lexicon,
)


def _pieces() -> list[str]:
    lexicon = load_lexicon()
    names = [e.term.lower() for e in lexicon.entries if not case_sensitive(e.term)]
    # Terms, their prefixes and suffixes, stems with and without a word before them, and separators.
    return (
        names
        + [n[:k] for n in names for k in (2, 5)]
        + [n[-4:] for n in names]
        + list(STEM_SUFFIXES)
        + ["rafe", "ra", "sora", "x", "abc"]
        + [" ", " ", "-", ".", "(", "1", "é", "_", "\n", "+", "/"]
    )


def _texts(seed: int, count: int) -> list[str]:
    rng, pieces = random.Random(seed), _pieces()
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(count)]


def test_names_equal_the_lookbehind_pattern() -> None:
    lexicon = load_lexicon()
    names, _, _, by_name, _ = lexicon._matchers
    terms = [e.term for e in lexicon.entries if not case_sensitive(e.term)]
    plain = re.compile(rf"(?<![A-Za-z0-9])({_alternation(terms, fold=True)})(?![A-Za-z0-9])")
    for text in _texts(11, 20_000):
        lowered = text.lower()
        want = [(m.start(1), m.end(1), by_name[m.group(1)]) for m in plain.finditer(lowered)]
        assert [
            (m.start, m.end, m.rule) for m in Lexicon._names(text, lowered, names, by_name)
        ] == want, text


def test_stem_ends_equal_the_forward_pattern() -> None:
    stems = load_lexicon()._matchers[2]
    plain = re.compile(f"(?:{_alternation(list(STEM_SUFFIXES))})(?![a-z])")
    for text in _texts(13, 20_000):
        lowered = text.lower()
        assert Lexicon._stem_ends(lowered, stems) == [m.span() for m in plain.finditer(lowered)], (
            text
        )


def test_names_end_in_a_letter_or_digit() -> None:
    """What `_names` relies on: a match never consumes the character the next name is searched behind."""
    names = [e.term for e in load_lexicon().entries if not case_sensitive(e.term)]
    assert names and all(n[-1].isascii() and n[-1].isalnum() for n in names), [
        n for n in names if not n[-1].isalnum()
    ]
