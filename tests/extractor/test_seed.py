"""The text the project was born from: a news article on outcomes after CAR-T failure (our own paraphrase)."""

from __future__ import annotations

import json

PARAPHRASE = (
    "CAR T-cell therapy achieves a response rate close to 70% in refractory DLBCL, the investigators noted; "
    "furthermore, the relapse rate of patients with initial response reaches 60%, they added.\n\n"
    "Therefore, the authors aimed to report the outcomes of patients with progression after CAR T-cell therapy "
    "in a retrospective study including over 300 patients.\n\n"
    "Of the 305 patients included in the study, approximately 60% experienced relapse or disease progression. "
    "The median overall survival in patients with relapse was 8 months.\n\n"
    "Approximately 70% of patients with treatment failure received a third line of treatment.\n\n"
    "None of the patients receiving conventional chemotherapy after treatment failure had a complete response, "
    "while approximately 30% of the patients that received polatuzumab or lenalidomide-based therapies had a "
    "complete response."
)


def by_measure(outcomes):
    out = {}
    for o in outcomes:
        out.setdefault(o.measure, []).append(o)
    return out


def test_seed_values(extractor):
    got = by_measure(extractor.extract(PARAPHRASE))
    assert [o.value for o in got["cohort_size"]] == [305]
    assert [(o.value, o.group_label) for o in got["relapse_rate"]] == [
        (60.0, None)
    ]  # not the background 60%
    (os_,) = got["median_os"]
    assert (os_.value, os_.unit, os_.group_label, os_.not_reached) == (
        8.0,
        "months",
        "patients with relapse",
        False,
    )
    assert [(o.value, o.group_label) for o in got["cr_rate"]] == [
        (0.0, "conventional chemotherapy"),
        (30.0, "polatuzumab or lenalidomide-based therapies"),
    ]
    for o in extractor.extract(PARAPHRASE):
        assert PARAPHRASE[o.start : o.end] in o.sentence and o.rule.startswith(o.measure)


def test_seed_article_from_shared_matches_the_reviewer(shared, extractor):
    record = json.loads((shared / "data/seed-expected.jsonl").read_text().splitlines()[0])
    got = by_measure(extractor.extract(record["text"]))
    gold = record["gold"]
    assert got["cohort_size"][0].value == gold["cohort_size"]
    assert [o.value for o in got["relapse_rate"]] == [r["value"] for r in gold["relapse_rates"]]
    assert [o.value for o in got["median_os"]] == [r["value"] for r in gold["median_os"]]
    assert [o.value for o in got["cr_rate"]] == [r["value"] for r in gold["cr_rates"]]
