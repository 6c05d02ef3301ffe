"""Regex speed-ups match what the plain patterns match: folded text (extractor.search.casefold),
word starts (extractor.search.word_start)."""

from __future__ import annotations

import re

import pytest

from evidence_tables.extractor.search.casefold import compile_folded, fold, lower_literals
from evidence_tables.extractor.search.word_start import word_start
from evidence_tables.extractor.sentence_rules import sentence_rules

TEXTS = [
    "Patients RANDOMIZED to Arm A (n = 30) or arm B; Group 2 had CINV.",
    "ıN THE LıTERATURE, İnternal ſtudies \u212aept 3 groups",  # the characters IGNORECASE folds unlike str.lower
    "We AIMED to assess OS\u00b7 in 12\u2009000 Patients \u00b5g \u03a3\u03a3",
]
PATTERNS = [
    r"\b(?:arms?|groups?|cohorts?)\b",
    r"(?P<Name>[A-Z][\w\-]+)\s+\d",
    r"[^\W\d]+\S*",
    r"\bIN\s+THE\s+literature",
    r"[A-Za-z]{3,}(?<![kK])\b",
    r"\bs\w+|\bk\w+|\bi\w+",
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


@pytest.mark.parametrize("pattern", [r"arms?", r"vs\.?", r"randomi[sz]ed"])
def test_word_start_is_a_word_boundary(pattern):
    text = "arms farms Arm arm. vs vsx xvs. randomised unrandomized 2arms _arm"
    expected = [m.span() for m in re.finditer(rf"\b(?:{pattern})", text)]
    assert [m.span() for m in re.finditer(word_start(pattern), text)] == expected


def test_arm_prefilters_match_their_plain_form():
    from evidence_tables.extractor.arms import _HAS_ARM_COUNT, _HAS_SIZE

    size = (
        r"\b[nN]\s*=|\d\s+(?:patients\s+)?(?:were\s+)?(?:received|receiving|treated|to|in|with)\b"
    )
    arm_count = (
        size + r"|\d\s+[A-Z][\w\-+/]*\s+(?:patients\s+)?(?:and|,)|[A-Z][\w\-+/]*\s+\d+\s+patients"
    )
    text = (
        "Of 68 patients, 30 received A (n = 30; N=38), sn=4, 63 TE and 62 TEL patients; TE 63 patients, "
        "N 2 patients and 12 were treated with B, 4 in X, 5 with"
    )
    for plain, fast in ((size, _HAS_SIZE), (arm_count, _HAS_ARM_COUNT)):
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in re.finditer(plain, text)
        ]


def test_a_case_insensitive_rule_with_a_non_ascii_letter_still_matches_in_any_case():
    from evidence_tables.extractor.sentence_rules import SentenceRule, alternations

    rules = [
        SentenceRule("x.w", "DISEASE", re.compile(r"(?i)\bwaldenström\b")),
        SentenceRule("x.m", "DISEASE", re.compile(r"(?i)\bmyeloma\b")),
    ]
    on_folded, on_text = alternations(rules)["DISEASE"]
    assert on_folded is not None and on_folded.search(fold("MYELOMA"))
    assert on_text is not None and on_text.search("WALDENSTRÖM macroglobulinaemia")
