"""The gate lets through every sentence a measure cue can match in, and keeps out sentences that hold
only some of a cue's words ('median' without 'survival', 'CI' without 'R')."""

from __future__ import annotations

import pytest

from evidence_tables.extractor.cuematch import expand
from evidence_tables.extractor.gate import MEASURE_LABELS, measure_cue_needs, worth_parsing
from evidence_tables.extractor.rules import load_patterns

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
        texts = [
            f"At 2 years the {' '.join(value for _, value in variant)} was seen."
            for variant in variants
        ]
    for text in texts:
        assert worth_parsing(text, False), text


@pytest.mark.parametrize(
    "text",
    [
        "Median time to neutrophil recovery was 14 days (95% CI, 12-16).",
        "Forty percent of the courses were completed on time.",
        "The hazard ratio was 0.61 (95% CI 0.44-0.85) for event-free survival.",
        "Median duration of hospital stay was 9 days.",
    ],
)
def test_words_of_a_cue_without_the_cue_are_not_parsed(text):
    assert not worth_parsing(text, False)


@pytest.mark.parametrize(
    "text",
    [
        "The 3-year CI-R was 31%.",
        "Median overall survival was 14 months (95% CI, 12-16).",
        "Twelve patients achieved a complete response.",
        "Disease progressed in 40% of the patients.",
    ],
)
def test_sentences_with_a_cue_and_a_number_are_parsed(text):
    assert worth_parsing(text, False)


@pytest.mark.parametrize(
    "text",
    [
        # after OS cues that do not print 'survival' or 'OS', and after a sentence that itself continues
        "Patients given drug A survived a median of 6.2 months. It was 4.1 months (95% CI, 3.0-5.2) among those "
        "given placebo.",
        "The mOS was 10.2 months with drug A. It was 7.4 months (95% CI 6.1-8.8) with placebo.",
        "Median OS was 10.1 months in arm A. It was 8.2 months in arm B. It was 6.3 months (95% CI 4.0-8.0) in arm C.",
    ],
)
def test_a_sentence_continuing_a_median_os_report_is_parsed(text):
    from evidence_tables.extractor import Extractor

    assert Extractor(gate=True).extract(text) == Extractor(gate=False).extract(text)
    assert len([o for o in Extractor(gate=True).extract(text) if o.measure == "median_os"]) >= 2


def test_a_count_of_people_named_after_long_hyphenated_words_is_parsed():
    from evidence_tables.extractor import Extractor

    text = (
        "We retrospectively analyzed 120 newly-diagnosed treatment-naive non-small-cell patients with a "
        "median follow-up of 24 months."
    )
    assert [o.value for o in Extractor(gate=True).extract(text) if o.measure == "cohort_size"] == [
        120.0
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the gate reads the cohort rule's own word lists (extractor/cohort_vocabulary.py): every verb
        # of 'N met / fulfilled / satisfied the ... criteria' lets the count through, not only 'met'
        "A total of 300 women were screened. Of these, 120 fulfilled the eligibility criteria and were "
        "followed for 2 years.",
        "Of 300 women screened, 120 satisfied all the inclusion criteria.",
        "Of these, 86 were later randomised.",
        "In the end, 86 were given drug A.",
    ],
)
def test_a_count_the_cohort_rule_reads_by_its_verb_is_parsed(text):
    from evidence_tables.extractor import Extractor

    assert worth_parsing(text.split(". ")[-1], False)
    with_gate = Extractor(gate=True).extract(text)
    assert with_gate == Extractor(gate=False).extract(text)
    assert [o.measure for o in with_gate] == ["cohort_size"]
