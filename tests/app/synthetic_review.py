"""A synthetic review database of many studies whose every value the tests set (not the extractor's output):
six regimens, single-arm series and two-arm trials, CR rates with and without printed counts (0 and all
events among them), relapse rates giving arm sizes, median OS with wide CIs, studies without authors,
long group names. Written for these tests; it describes no real study."""

from __future__ import annotations

import random
from pathlib import Path

from evidence_tables.corpus import Article
from evidence_tables.db import EvidenceDB, ImportReport
from evidence_tables.extractor.outcomes import Outcome

REGIMENS = ("Pola-BR", "R-GemOx", "glofitamab", "epcoritamab", "CAR-T", "tafasitamab-lenalidomide")
LONG_GROUP = "patients with primary refractory disease and bulky mass"


def _value(text: str, snippet: str, measure: str, **fields) -> Outcome:
    start = text.index(snippet)
    unit = {"cohort_size": "patients", "median_os": "months"}.get(measure, "%")
    return Outcome(
        measure=measure,
        start=start,
        end=start + len(snippet),
        sentence=snippet,
        rule=f"{measure}.test",
        unit=unit,
        **{"value": None, **fields},
    )


def _single_arm(i: int, rng: random.Random, regimen: str) -> tuple[str, list]:
    n = rng.randint(12, 240)
    events = 0 if i == 3 else n if i == 9 else rng.randint(int(0.15 * n), int(0.6 * n))
    printed = i % 5 != 2  # every fifth series prints the percent only
    cr = f"CR {events}/{n}" if printed else f"CR {round(100 * events / n)}%"
    os_text = f"median OS {20 + i % 40}.4 months (95% CI {10 + i % 30}.2-{60 + i % 30}.8)"
    text = f"S{i}: {n} patients received {regimen}. {cr} with {regimen}. The {os_text}."
    values = [
        _value(text, f"{n} patients", "cohort_size", value=n),
        _value(
            text,
            cr,
            "cr_rate",
            value=round(100 * events / n, 1),
            group_label=regimen,
            regimen=regimen,
            **({"numerator": events, "denominator": n} if printed else {}),
        ),
        _value(
            text,
            os_text,
            "median_os",
            value=20 + i % 40 + 0.4,
            ci_low=10 + i % 30 + 0.2,
            ci_high=60 + i % 30 + 0.8,
            regimen=regimen,
        ),
    ]
    if i % 7 == 0:  # a subgroup of the series, with its own CR rate
        sub = f"CR 20% in {LONG_GROUP}"
        text += f" {sub}."
        values.append(
            _value(text, sub, "cr_rate", value=20.0, group_label=LONG_GROUP, regimen=regimen)
        )
    return text, values


def _two_arm(i: int, rng: random.Random, a: str, b: str) -> tuple[str, list]:
    arms = {a: rng.randint(30, 120), b: rng.randint(30, 120)}
    text = f"T{i}: {sum(arms.values())} patients were randomized."
    values = [
        _value(text, f"{sum(arms.values())} patients", "cohort_size", value=sum(arms.values()))
    ]
    for arm, size in arms.items():
        rate = rng.randint(15, 55)
        relapsed = rng.randint(5, size // 2)
        cr, rel = f"CR {rate}% with {arm}", f"relapse {relapsed}/{size} with {arm}"
        text += f" {cr}; {rel}."
        values += [
            _value(text, cr, "cr_rate", value=float(rate), group_label=f"{arm} arm", regimen=arm),
            _value(
                text,
                rel,
                "relapse_rate",
                value=round(100 * relapsed / size, 1),
                numerator=relapsed,
                denominator=size,
                group_label=f"{arm} arm",
                regimen=arm,
            ),
        ]
    return text, values


def build(path: Path, studies: int = 60, seed: int = 19) -> EvidenceDB:
    """A store of `studies` studies (six in seven single-arm, the rest two-arm trials); authors left out of every
    eleventh."""
    rng = random.Random(seed)
    articles, results = [], []
    for i in range(studies):
        regimen = REGIMENS[i % len(REGIMENS)]
        if i % 7 == 6:
            text, values = _two_arm(i, rng, regimen, REGIMENS[(i + 1) % len(REGIMENS)])
        else:
            text, values = _single_arm(i, rng, regimen)
        authors = () if i % 11 == 4 else (f"Author{i:02d} {chr(65 + i % 26)}",)
        articles.append(
            Article(
                study_id=f"syn-{i:03d}",
                abstract=text,
                title=f"Synthetic study {i}",
                year=2015 + i % 10,
                authors=authors,
                source="synthetic",
                location=str(i),
            )
        )
        results.append((f"syn-{i:03d}", values))
    store = EvidenceDB(path)
    store.import_items(articles, ImportReport())
    store.save_outcomes(
        [(sid, store.study(sid)["text_sha256"], values) for sid, values in results],
        version="test",
        run_id="r0",
    )
    return store
