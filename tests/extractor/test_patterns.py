"""Every rule in the pattern files matches its own example; the lexicon and pipeline behave as documented."""

from __future__ import annotations

import pytest

from evidence_tables.extractor.errors import PatternError
from evidence_tables.extractor.lexicon import load_lexicon
from evidence_tables.extractor.pipeline import CUES_KEY, load_patterns
from evidence_tables.extractor.segment import MAX_SENTENCE, sentences
from evidence_tables.extractor.sentence_rules import sentence_rules

PATTERNS = load_patterns()


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p["id"] for p in PATTERNS])
def test_pattern_matches_its_example(extractor, pattern):
    if "regex" in pattern:
        (rule,) = [r for r in sentence_rules() if r.id == pattern["id"]]
        assert rule.regex.search(pattern["example"]), (
            f"{pattern['id']} did not match {pattern['example']!r}"
        )
        return
    doc = extractor.nlp(pattern["example"])
    ids = {s.id_ for s in doc.spans[CUES_KEY]}
    assert pattern["id"] in ids, f"{pattern['id']} did not match {pattern['example']!r}"


def test_regimen_lexicon_names_canonical_forms(extractor):
    text = (
        "Patients received R-CHOP-21, then Pola-BR, 7+3, FLAG-IDA or VRd; others had bispecific "
        "antibodies, odronextamab, zilovertamab (a -mab) and progressive disease (PD)."
    )
    found = {m.text: m.rule for m in extractor.lexicon.find(text)}
    assert found["R-CHOP-21"] == "R-CHOP"
    assert (
        found["Pola-BR"] == "Pola-BR" and found["7+3"] == "7+3" and found["FLAG-IDA"] == "FLAG-IDA"
    )
    assert found["VRd"] == "VRd" and found["bispecific antibodies"] == "bispecific antibody"
    assert found["zilovertamab"] == "regimen.stem"
    assert "PD" not in found  # acronyms match case-sensitively: PD is progressive disease, not Pd


def test_tokenizer_splits_statistics(extractor):
    words = [t.text for t in extractor.nlp("n=120, 95%CI 4.1\u20136.3, 30/52, HR=0.68")]
    assert words[:3] == ["n", "=", "120"] and "CI" in words and "4.1" in words and "6.3" in words
    assert "30" in words and "52" in words and "0.68" in words


def test_sentences_survive_abbreviations():
    text = (
        "Smith et al. reported 5 cases. Approx. 30 pts vs. 40 pts were seen in the U.S. Centres.\n"
        "RESULTS: Median OS was 5.1 mo. (range 2-9). Ten patients died. e.g. this. Done!"
    )
    assert [text[s:e] for s, e in sentences(text)] == [
        "Smith et al. reported 5 cases.",
        "Approx. 30 pts vs. 40 pts were seen in the U.S. Centres.",
        "RESULTS: Median OS was 5.1 mo. (range 2-9).",
        "Ten patients died. e.g. this.",
        "Done!",
    ]


def test_a_run_without_stops_is_cut_at_clause_breaks():
    text = "Values: " + "; ".join(f"arm {i} had 45 patients, CR 40%" for i in range(400)) + "."
    spans = sentences(text)
    assert len(spans) > 1 and all(e - s <= MAX_SENTENCE for s, e in spans)
    assert all(
        text[s:e].endswith(";") for s, e in spans[:-1]
    )  # cut after '; ', not inside a clause
    assert [c for c in text if not c.isspace()] == [
        c for s, e in spans for c in text[s:e] if not c.isspace()
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R-CHOP\tR-CHOP", "three tab-separated"),
        ("X\tY\tpotion", "unknown kind"),
        ("Abc-mab\tone\tdrug\nabc-mab\ttwo\tdrug", "maps to both"),
    ],
    ids=["two-columns", "bad-kind", "conflict"],
)
def test_bad_lexicon_lines_are_refused(text, message):
    with pytest.raises(PatternError, match=message):
        load_lexicon(text)
