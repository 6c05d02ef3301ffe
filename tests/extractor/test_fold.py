"""A folded pattern on folded text finds what the IGNORECASE pattern finds on the text (extractor.fold)."""
from __future__ import annotations

import re

import pytest

from extractor.context import sentence_rules
from extractor.fold import compile_folded, fold, lower_literals

TEXTS = [
    "Patients RANDOMIZED to Arm A (n = 30) or arm B; Group 2 had CINV.",
    "ıN THE LıTERATURE, İnternal ſtudies \u212aept 3 groups",  # the characters IGNORECASE folds unlike str.lower
    "We AIMED to assess OS\u00b7 in 12\u2009000 Patients \u00b5g \u03a3\u03a3",
]
PATTERNS = [
    r"\b(?:arms?|groups?|cohorts?)\b", r"(?P<Name>[A-Z][\w\-]+)\s+\d", r"[^\W\d]+\S*", r"\bIN\s+THE\s+literature",
    r"[A-Za-z]{3,}(?<![kK])\b", r"\bs\w+|\bk\w+|\bi\w+",
    *[r.regex.pattern for r in sentence_rules() if r.regex.flags & re.IGNORECASE],
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_same_matches(pattern):
    for text in TEXTS:
        folded = fold(text)
        assert len(folded) == len(text)
        expected = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        assert [(m.start(), m.end()) for m in compile_folded(pattern).finditer(folded)] == expected


def test_escapes_and_group_names_keep_their_case():
    assert lower_literals(r"(?P<Arm>\S+)\W[A-Z]") == r"(?P<Arm>\S+)\W[a-z]"
    with pytest.raises(ValueError):
        lower_literals(r"(?-i:X)")
