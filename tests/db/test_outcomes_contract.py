"""The `outcomes` table is a contract (../shared/eval/evaluate.py reads it): columns, types, offsets."""

from __future__ import annotations

import sqlite3

from evidence_tables.corpus import read_path
from evidence_tables.db import ImportReport

CONTRACT = {
    "id": "TEXT",
    "study_id": "TEXT",
    "measure": "TEXT",
    "value": "REAL",
    "unit": "TEXT",
    "group_label": "TEXT",
    "regimen": "TEXT",
    "ci_low": "REAL",
    "ci_high": "REAL",
    "numerator": "INTEGER",
    "denominator": "INTEGER",
    "not_reached": "INTEGER",
    "timepoint": "TEXT",
    "sentence": "TEXT",
    "start": "INTEGER",
    "end": "INTEGER",
    "rule": "TEXT",
    "flags": "TEXT",
    "extractor_version": "TEXT",
    "run_id": "TEXT",
}


def test_columns_and_types(store):
    cols = {r[1]: r[2] for r in store.db.execute("PRAGMA table_info(outcomes)")}
    assert cols == CONTRACT


def test_every_stored_value_points_at_its_evidence(store, extractor, fixtures, tmp_path):
    from evidence_tables.demo import demo_corpus
    from evidence_tables.jobs import extract_pending

    report = ImportReport()
    store.import_items(read_path(demo_corpus()), report)
    store.import_items(read_path(fixtures / "efetch_two_articles.xml"), report)
    extract_pending(store, extractor)
    con = sqlite3.connect(store.path)
    rows = con.execute(
        "select o.measure, o.value, o.unit, o.start, o.end, o.sentence, o.rule, s.abstract, "
        "o.not_reached, o.study_id from outcomes o join studies s using (study_id)"
    ).fetchall()
    assert len(rows) > 30
    measures = set()
    for measure, value, unit, start, end, sentence, rule, abstract, not_reached, _study_id in rows:
        measures.add(measure)
        assert measure in {"cohort_size", "relapse_rate", "median_os", "cr_rate"}
        assert 0 <= start < end <= len(abstract)
        assert abstract[start:end] in sentence and sentence in abstract
        assert rule and rule.startswith(measure + ".")
        if measure in ("relapse_rate", "cr_rate"):
            assert unit == "%" and 0 <= value <= 100
        if measure == "median_os":
            assert (value is None) == bool(not_reached)
            assert unit in ("days", "weeks", "months", "years") or not_reached
    assert measures == {"cohort_size", "relapse_rate", "median_os", "cr_rate"}
    per_study = con.execute(
        "select study_id, count(*) from outcomes where measure = 'cohort_size' "
        "group by study_id having count(*) > 1"
    ).fetchall()
    assert per_study == []


def test_reextract_is_idempotent(store, extractor):
    from evidence_tables.demo import demo_corpus
    from evidence_tables.jobs import extract_pending

    store.import_items(read_path(demo_corpus()), ImportReport())
    first = extract_pending(store, extractor)
    rows = store.db.execute("select id, value from outcomes order by id").fetchall()
    again = extract_pending(store, extractor)
    assert first.studies == 12 and again.studies == 0
    forced = extract_pending(store, extractor, everything=True)
    assert forced.studies == 12
    assert store.db.execute("select id, value from outcomes order by id").fetchall() == rows
