"""The gate lets through every sentence a measure cue can match in, and keeps out sentences that hold
only some of a cue's words ('median' without 'survival', 'CI' without 'R')."""
from __future__ import annotations

import pytest

from extractor.context import MEASURE_LABELS, measure_cue_needs, worth_parsing
from extractor.cuematch import expand
from extractor.rules import load_patterns

MEASURE_PATTERNS = [p for p in load_patterns() if "pattern" in p and p["label"] in MEASURE_LABELS]


def test_every_measure_pattern_needs_a_word():
    """Else the gate could rule nothing out by cue words (it would fall back to any word of a pattern)."""
    assert measure_cue_needs()
    assert len(MEASURE_PATTERNS) > 15


@pytest.mark.parametrize("pattern", MEASURE_PATTERNS, ids=lambda p: p["id"])
def test_every_wording_of_a_measure_cue_passes_the_gate(pattern):
    variants = expand(pattern["pattern"])
    if variants is None:  # a Matcher pattern (REGEX, '+'): its own example stands for it
        texts = [pattern["example"]]
    else:
        texts = [f"At 2 years the {' '.join(value for _, value in variant)} was seen." for variant in variants]
    for text in texts:
        assert worth_parsing(text, False), text


@pytest.mark.parametrize("text", [
    "Median time to neutrophil recovery was 14 days (95% CI, 12-16).",
    "Forty percent of the courses were completed on time.",
    "The hazard ratio was 0.61 (95% CI 0.44-0.85) for event-free survival.",
    "Median duration of hospital stay was 9 days.",
])
def test_words_of_a_cue_without_the_cue_are_not_parsed(text):
    assert not worth_parsing(text, False)


@pytest.mark.parametrize("text", [
    "The 3-year CI-R was 31%.",
    "Median overall survival was 14 months (95% CI, 12-16).",
    "Twelve patients achieved a complete response.",
    "Disease progressed in 40% of the patients.",
])
def test_sentences_with_a_cue_and_a_number_are_parsed(text):
    assert worth_parsing(text, False)
