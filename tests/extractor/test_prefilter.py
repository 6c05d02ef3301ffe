"""extractor.search.prefilter: a pattern that matches a text finds one of its required literals in it."""

from __future__ import annotations

import random
import re

import pytest

from evidence_tables.extractor.search.prefilter import can_match, required_literals
from evidence_tables.extractor.sentence_rules import label_regexes


@pytest.mark.parametrize(
    ("regex", "needed"),
    [
        (r"\b(?:emesis|pain\w*)\b", {"emesis", "pain"}),
        (r"(?:the\s+)?authors\s+x", {"authors"}),
        (r"\s+(?:ab|cd)", {"ab", "cd"}),
        (r"(?:ab|\d)", None),
        (r"(?i:ab)cd", {"cd"}),
        (r"(?i)abc", None),
        (r"a?", None),
    ],
)
def test_required_literals(regex: str, needed: set[str] | None) -> None:
    found = required_literals(re.compile(regex))
    assert (set(found) if found is not None else None) == needed


def test_a_match_holds_a_required_literal_on_random_text() -> None:
    patterns = [p for pair in label_regexes().values() for p in pair if p is not None]
    words = sorted({w for p in patterns for w in (required_literals(p) or ())})
    pieces = (
        words + [w[1:] for w in words] + ["the ", "we ", " ", "\n", "-", ".", ":", "ly ", "s", "e"]
    )
    rng = random.Random(5)
    matched = 0
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for p in patterns:
            if p.search(text):
                matched += 1
                assert can_match(p, text), (p.pattern, text)
    assert matched > 1000


@pytest.fixture
def private_parser(monkeypatch):
    """Swap `re._parser` as prefilter sees it, with a fresh cache before and after."""
    from evidence_tables.extractor.search import prefilter

    def swap(parser) -> None:
        monkeypatch.setattr(prefilter, "_parser", parser)
        monkeypatch.setattr(prefilter, "_WORKS", prefilter._parser_works())
        required_literals.cache_clear()

    yield swap
    required_literals.cache_clear()


class _ParserOfAnotherPython:
    """A future `re._parser` whose parse fails, or gives a tree of another shape."""

    LITERAL, BRANCH, SUBPATTERN = object(), object(), object()

    def __init__(self, tree=None):
        self.tree = tree

    def parse(self, regex, flags):
        if self.tree is None:
            raise TypeError("parse() takes a State")
        return self.tree


@pytest.mark.parametrize(
    "parser",
    [None, _ParserOfAnotherPython(), _ParserOfAnotherPython([(3, 97), (3, 98)])],
    ids=["missing", "parse-raises", "other-tree"],
)
def test_without_the_private_parser_there_is_no_prefilter_and_the_same_matches(
    private_parser, parser
):
    from evidence_tables.extractor.search import prefilter
    from evidence_tables.extractor.search.casefold import fold
    from evidence_tables.extractor.sentence_rules import match_starts

    text = "Nausea and emesis were rare. Pain scores fell. The authors reported no deaths."
    before = {label: match_starts(label, text, fold(text)) for label in label_regexes()}
    private_parser(parser)
    assert not prefilter._WORKS
    assert required_literals(re.compile(r"\b(?:emesis|pain\w*)\b")) is None
    assert can_match(re.compile("emesis"), "no such word")  # "maybe": the search decides
    assert {label: match_starts(label, text, fold(text)) for label in label_regexes()} == before


def test_the_parser_of_this_python_passes_the_self_check() -> None:
    from evidence_tables.extractor.search import prefilter

    assert prefilter._WORKS and prefilter._parser_works()
