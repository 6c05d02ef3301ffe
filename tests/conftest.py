"""Shared fixtures: paths, a real SQLite store per test, one extractor per session."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the repo; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (it is only beside the repo in development and CI)")
    return SHARED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def pool_faults(monkeypatch):
    """tests/helpers/pool_faults.py, importable by name here and in the extraction workers (see its docstring)."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "helpers"))
    import pool_faults

    return pool_faults


@pytest.fixture
def store(tmp_path: Path):
    from evidence_tables.db import EvidenceDB

    s = EvidenceDB(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def extractor():
    from evidence_tables.extractor import Extractor

    return Extractor()


@pytest.fixture
def gz_copy(tmp_path: Path):
    """Gzip a fixture into tmp_path and return its path."""

    def make(name: str) -> Path:
        target = tmp_path / (name + ".gz")
        with (FIXTURES / name).open("rb") as src, gzip.open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        return target

    return make


# ---- a small evidence database whose every value the tests control (not the extractor's output) -----
A1_TEXT = (
    "CAR\u2013T failure \u2265 2 lines: 120 patients. CR was 40% (20/50) with R-CHOP and 30% (15/50) with R-CVP. "
    "Median OS was 24 months (95% CI 18\u201330) with R-CHOP; not reached with R-CVP. Relapse at 2 years: 25%."
)
B2_TEXT = (
    "Thirty patients. Median OS 300 days (200-400). CR 50% (15/30). Relapse 20% early and 35% late."
)
C3_TEXT = "Twelve patients with CAR-T failure were treated with radiotherapy."


def _outcome(text: str, measure: str, snippet: str, **fields):
    from evidence_tables.extractor.outcomes import Outcome

    start = text.index(snippet)
    unit = {"cohort_size": "patients", "median_os": "months"}.get(measure, "%")
    fields.setdefault("unit", None if fields.get("not_reached") else unit)
    return Outcome(
        measure=measure,
        start=start,
        end=start + len(snippet),
        sentence=snippet,
        rule=f"{measure}.test",
        **{"value": None, **fields},
    )


@pytest.fixture
def evidence_store(tmp_path: Path):
    """Three studies: a1 (two regimens, formula-like title), b2 (days, unlabelled values), c3 (cohort only)."""
    from evidence_tables.corpus import Article
    from evidence_tables.db import EvidenceDB, ImportReport

    store = EvidenceDB(tmp_path / "evidence.db")
    store.import_items(
        [
            Article(
                study_id="a1",
                pmid="111",
                doi="10.1/a1",
                abstract=A1_TEXT,
                title='=HYPERLINK("http://x.test")',
                journal="J Test",
                year=2023,
                authors=("Okafor N", "Lund E"),
                publication_types=("Journal Article", "Randomized Controlled Trial"),
                source="t",
                location="1",
            ),
            Article(
                study_id="b2",
                abstract=B2_TEXT,
                title="Days | pipes",
                year=2021,
                authors=("Brennan M",),
                source="t",
                location="2",
            ),
            Article(study_id="c3", abstract=C3_TEXT, title="Cohort only", source="t", location="3"),
        ],
        ImportReport(),
    )
    a1 = [
        _outcome(A1_TEXT, "cohort_size", "120", value=120),
        _outcome(
            A1_TEXT,
            "cr_rate",
            "40% (20/50) with R-CHOP",
            value=40.0,
            numerator=20,
            denominator=50,
            group_label="R-CHOP",
            regimen="R-CHOP",
        ),
        _outcome(
            A1_TEXT,
            "cr_rate",
            "30% (15/50) with R-CVP",
            value=30.0,
            numerator=15,
            denominator=50,
            group_label="R-CVP",
            regimen="R-CVP",
            flags=("count_percent_mismatch",),
        ),
        _outcome(
            A1_TEXT,
            "median_os",
            "24 months (95% CI 18\u201330)",
            value=24.0,
            ci_low=18.0,
            ci_high=30.0,
            group_label="R-CHOP",
            regimen="R-CHOP",
        ),
        _outcome(
            A1_TEXT,
            "median_os",
            "not reached with R-CVP",
            not_reached=True,
            group_label="R-CVP",
            regimen="R-CVP",
        ),
        _outcome(A1_TEXT, "relapse_rate", "25%", value=25.0, timepoint="2 years"),
    ]
    b2 = [
        _outcome(B2_TEXT, "cohort_size", "Thirty", value=30),
        _outcome(
            B2_TEXT,
            "median_os",
            "300 days (200-400)",
            value=300.0,
            unit="days",
            ci_low=200.0,
            ci_high=400.0,
        ),
        _outcome(B2_TEXT, "cr_rate", "50% (15/30)", value=50.0, numerator=15, denominator=30),
        _outcome(B2_TEXT, "relapse_rate", "20% early", value=20.0),
        _outcome(B2_TEXT, "relapse_rate", "35% late", value=35.0),
    ]
    c3 = [_outcome(C3_TEXT, "cohort_size", "Twelve", value=12)]
    store.save_outcomes(
        [
            (sid, store.study(sid)["text_sha256"], outs)
            for sid, outs in (("a1", a1), ("b2", b2), ("c3", c3))
        ],
        version="test",
        run_id="r0",
    )
    yield store
    store.close()


def value_id(store, study_id: str, measure: str, group: str | None = None) -> str:
    """The id of the one stored value of `measure` for `group` (None: the whole cohort) in a study."""
    rows = [
        r for r in store.outcomes(study_id) if r["measure"] == measure and r["regimen"] == group
    ]
    assert len(rows) == 1, rows
    return rows[0]["id"]


@pytest.fixture
def ids():
    return value_id
