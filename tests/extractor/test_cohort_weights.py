"""Every weight of a cohort size candidate (extractor/measures/cohort_weights.py) fires on its example."""

from __future__ import annotations

import pytest

from evidence_tables.extractor.document import build_document, plan
from evidence_tables.extractor.measures.cohort import read_count
from evidence_tables.extractor.measures.cohort_weights import WEIGHTS, Weight
from evidence_tables.extractor.measures.people_counts import counts_people


def test_weights_are_named_once():
    assert len({w.name for w in WEIGHTS}) == len(WEIGHTS)


@pytest.mark.parametrize("weight", WEIGHTS, ids=[w.name for w in WEIGHTS])
def test_weight_fires_on_its_example(extractor, weight: Weight):
    p = plan(weight.example)  # gated as in extraction: a sentence the gate drops is never scored
    doc = build_document(p, extractor._parse([p])[0], extractor.lexicon)
    readings = [
        r
        for sent in doc.sentences
        for n in sent.numbers
        if counts_people(sent, n) and (r := read_count(sent, n)) is not None
    ]
    assert readings, f"no count of people in {weight.example!r} is a candidate"
    assert any(weight.fires(r) for r in readings), (
        f"{weight.name} ({weight.window}) did not fire on {weight.example!r}"
    )
