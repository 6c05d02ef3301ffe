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
