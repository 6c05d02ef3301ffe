"""Reviewer decisions: applied by the views, kept across re-extraction, orphaned (not lost) when the text changes."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from evidence_tables.corpus import Article, Deletion
from evidence_tables.db import EvidenceDB, ImportReport, schema
from evidence_tables.db.decision_anchors import moved_span
from evidence_tables.db.errors import ReviewError
from evidence_tables.db.reviews import (
    clear,
    concerns,
    mark,
    orphaned,
    parse_corrections,
    resolve,
    reviews,
)
from evidence_tables.extractor.outcomes import Outcome

TEXT = (
    "We enrolled 80 patients. CR was 40% with Pola-BR and 18% with BR. Median OS was 12.4 months."
)


def add_study(store: EvidenceDB, sid: str = "s1", text: str = TEXT) -> str:
    store.import_items(
        [Article(study_id=sid, abstract=text, source="t", location="1")], ImportReport()
    )
    return store.study(sid)["text_sha256"]


def cr(group: str | None, start: int = 32, end: int = 35, value: float = 40.0) -> Outcome:
    return Outcome(
        measure="cr_rate",
        value=value,
        unit="%",
        start=start,
        end=end,
        sentence="CR was ...",
        rule="cr_rate.test",
        group_label=group,
        regimen=group,
    )


def save(
    store: EvidenceDB, sid: str, sha: str, *outcomes: Outcome, version: str = "v1"
) -> list[dict]:
    store.save_outcomes([(sid, sha, list(outcomes))], version=version, run_id="r")
    return store.outcomes(sid)


def reviewed(store: EvidenceDB) -> list[dict]:
    return list(
        store.db.query(
            "SELECT id, value, review_status, extracted_value, group_label "
            "FROM reviewed_outcomes ORDER BY start, id"
        )
    )


def test_decisions_are_applied_by_the_views(store):
    sha = add_study(store)
    size = Outcome(
        measure="cohort_size", value=80, unit="patients", start=12, end=14, sentence="s", rule="c"
    )
    rows = save(store, "s1", sha, size, cr("Pola-BR"), cr("BR", 54, 57, 18.0))
    ids = {r["group_label"]: r["id"] for r in rows}
    mark(
        store,
        ids["Pola-BR"],
        "corrected",
        corrections={"value": 42.0},
        note="Table 2",
        reviewer="AB",
    )
    mark(store, ids["BR"], "rejected")
    mark(store, ids[None], "accepted")
    got = {r["group_label"]: r for r in reviewed(store)}
    assert got["Pola-BR"]["value"] == 42.0 and got["Pola-BR"]["extracted_value"] == 40.0
    assert (
        got["Pola-BR"]["review_status"] == "corrected" and got["BR"]["review_status"] == "rejected"
    )
    assert (
        store.db.execute("select value from outcomes where id = ?", [ids["Pola-BR"]]).fetchone()[0]
        == 40.0
    )
    view = next(store.db.query("SELECT cohort_size, cr_rates, reviewed FROM evidence"))
    assert view == {"cohort_size": 80, "cr_rates": "Pola-BR: 42% (corrected)", "reviewed": 3}


def test_a_decision_survives_reextraction_of_the_same_text(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR"))
    mark(store, row["id"], "corrected", corrections={"value": 42.0})
    save(store, "s1", sha, cr("Pola-BR"), version="v2")  # deletes and re-inserts the study's rows
    assert [(r["value"], r["review_status"]) for r in reviewed(store)] == [(42.0, "corrected")]
    assert orphaned(store) == []


def test_a_relabelled_group_at_the_same_span_keeps_its_decision(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR and in 40"))
    mark(store, row["id"], "rejected")
    (new,) = save(store, "s1", sha, cr("Pola-BR"), version="v2")
    assert new["id"] != row["id"]
    assert [(r["id"], r["review_status"]) for r in reviewed(store)] == [(new["id"], "rejected")]


def test_an_ambiguous_span_does_not_guess(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("arm"))
    mark(store, row["id"], "accepted")
    save(store, "s1", sha, cr("arm A"), cr("arm B"), version="v2")
    assert [r["review_status"] for r in reviewed(store)] == [None, None]
    (orphan,) = orphaned(store)
    assert (
        orphan.orphan_reason == "value no longer extracted at this span"
        and orphan.outcome_id == row["id"]
    )


def test_a_changed_abstract_orphans_the_decision_but_keeps_it(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR"))
    mark(store, row["id"], "corrected", corrections={"value": 42.0}, note="checked")
    new_sha = add_study(store, text=TEXT.replace("18%", "19%"))
    assert new_sha != sha and store.outcomes("s1") == []
    (again,) = save(store, "s1", new_sha, cr("Pola-BR"), version="v2")
    assert again["id"] == row["id"]  # same span and label, but the text it was read from changed
    assert reviewed(store)[0]["review_status"] is None and reviewed(store)[0]["value"] == 40.0
    (orphan,) = orphaned(store)
    assert (orphan.orphan_reason, orphan.evidence, orphan.note) == (
        "abstract changed",
        "40%",
        "checked",
    )
    assert orphan.corrections == (("value", 42.0),) and orphan.extracted_value == 40.0


def test_a_removed_study_orphans_its_decisions(store):
    sha = add_study(store, "123")
    (row,) = save(store, "123", sha, cr("Pola-BR"))
    mark(store, row["id"], "accepted")
    store.import_items([Deletion(pmids=("123",))], ImportReport())
    assert [r.orphan_reason for r in reviews(store)] == ["study removed"]


def test_marking_again_replaces_and_clear_removes(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR"))
    mark(store, row["id"], "rejected")
    mark(store, row["id"][:6], "accepted")
    assert [r.decision for r in reviews(store)] == ["accepted"]
    assert clear(store, row["id"]) == 1
    assert reviews(store) == [] and reviewed(store)[0]["review_status"] is None


def test_ids_resolve_by_unique_prefix(store):
    add_study(store)
    for oid in ("abcd0001aaaaaaaa", "abcd0002bbbbbbbb", "ab_d0003cccccccc"):
        store.db["outcomes"].insert(
            {"id": oid, "study_id": "s1", "measure": "cr_rate", "value": 1.0, "start": 0, "end": 1}
        )
    assert resolve(store, "ABCD0001AAAAAAAA")["id"] == "abcd0001aaaaaaaa"
    assert resolve(store, "abcd0002")["id"] == "abcd0002bbbbbbbb"
    assert resolve(store, "ab_d")["id"] == "ab_d0003cccccccc"  # `_` is not a LIKE wildcard here
    with pytest.raises(
        ReviewError, match="matches several values.*abcd0001aaaaaaaa, abcd0002bbbbbbbb"
    ):
        resolve(store, "abcd")
    with pytest.raises(ReviewError, match="no value with id"):
        resolve(store, "abc")  # too short to be taken as a prefix
    with pytest.raises(ReviewError, match="no value with id"):
        resolve(store, "ab%d")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["value=42"], {"value": 42.0}),
        (["value=", "not_reached=yes"], {"value": None, "not_reached": True}),
        (["numerator=21", "denominator = 87"], {"numerator": 21, "denominator": 87}),
        (["regimen=Pola-BR", "unit=months"], {"regimen": "Pola-BR", "unit": "months"}),
    ],
    ids=["float", "null-and-bool", "ints", "text"],
)
def test_parse_corrections(given, expected):
    assert parse_corrections(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["colour=red"], "cannot set"),
        (["value"], "cannot set"),
        (["value=abc"], "expected a number"),
        (["numerator=2.5"], "expected a whole number"),
        (["not_reached=maybe"], "expected true or false"),
        (["value=nan"], "expected a number"),
    ],
    ids=["unknown-field", "no-equals", "bad-float", "bad-int", "bad-bool", "nan"],
)
def test_bad_corrections_are_refused(given, message):
    with pytest.raises(ReviewError, match=message):
        parse_corrections(given)


def test_inconsistent_corrections_are_refused(store):
    sha = add_study(store)
    os_ = Outcome(
        measure="median_os", value=12.4, unit="months", start=80, end=91, sentence="s", rule="m"
    )
    rows = save(store, "s1", sha, cr("Pola-BR"), os_)
    ids = {r["measure"]: r["id"] for r in rows}
    with pytest.raises(ReviewError, match="outside 0-100"):
        mark(store, ids["cr_rate"], "corrected", corrections={"value": 140.0})
    with pytest.raises(ReviewError, match="not_reached"):
        mark(store, ids["median_os"], "corrected", corrections={"not_reached": True})
    with pytest.raises(ReviewError, match="at least one"):
        mark(store, ids["median_os"], "corrected")
    with pytest.raises(ReviewError, match="only a correction"):
        mark(store, ids["median_os"], "accepted", corrections={"value": 3.0})
    review = mark(
        store, ids["median_os"], "corrected", corrections={"not_reached": True, "value": None}
    )
    assert review.corrections == (("not_reached", True), ("value", None))
    row = next(
        store.db.query(
            "select value, not_reached from reviewed_outcomes where measure = 'median_os'"
        )
    )
    assert row == {"value": None, "not_reached": 1}
    assert reviews(store) == [review]


def test_a_database_from_before_reviews_is_migrated(database_before):
    path = database_before(schema._v_reviews)
    db = sqlite_utils.Database(path)
    db["studies"].insert({"study_id": "a", "abstract": "x", "text_sha256": "h"})
    db["outcomes"].insert(
        {"id": "o1", "study_id": "a", "measure": "cohort_size", "value": 12, "start": 0, "end": 1}
    )
    db.close()
    store = EvidenceDB(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert next(store.db.query("select cohort_size, reviewed from evidence")) == {
        "cohort_size": 12,
        "reviewed": 0,
    }
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            'insert into reviews (outcome_id, study_id, measure, start, "end", text_sha256, decision,'
            " reviewed_at) values ('o1', 'a', 'cohort_size', 0, 1, 'h', 'maybe', 'now')"
        )
    store.close()


def test_a_title_correction_keeps_values_and_decisions(store):
    store.import_items(
        [Article(study_id="s1", abstract=TEXT, title="Old title", source="t", location="1")],
        ImportReport(),
    )
    sha = store.study("s1")["text_sha256"]
    (row,) = save(store, "s1", sha, cr("Pola-BR"))
    mark(store, row["id"], "accepted")
    report = ImportReport()
    store.import_items(
        [Article(study_id="s1", abstract=TEXT, title="Corrected title", source="t", location="1")],
        report,
    )
    assert report.metadata_updated == 1 and store.study("s1")["text_sha256"] == sha
    assert store.count_pending("v1") == 0 and orphaned(store) == []
    assert [r["review_status"] for r in reviewed(store)] == ["accepted"]


def test_hashes_that_covered_the_title_are_moved_to_the_abstract_alone(tmp_path):
    path = tmp_path / "old.db"
    store = EvidenceDB(path)
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR"))
    mark(store, row["id"], "rejected")
    old = "f" * 64  # what an earlier version stored: a hash of title and abstract
    for table in ("studies", "extractions", "reviews"):
        store.db.execute(f"UPDATE {table} SET text_sha256 = ?", [old])
    store.db.execute(f"PRAGMA user_version = {schema.MIGRATIONS.index(schema._v_abstract_hash)}")
    store.close()
    store = EvidenceDB(path)
    assert store.study("s1")["text_sha256"] == sha
    assert store.count_pending("v1") == 0 and orphaned(store) == []
    assert [r["review_status"] for r in reviewed(store)] == ["rejected"]
    store.close()


def test_corrections_add_up_and_units_are_checked(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR"))
    mark(store, row["id"], "corrected", corrections={"ci_low": 30.0})
    review = mark(store, row["id"], "corrected", corrections={"ci_high": 50.0, "ci_low": 31.0})
    assert dict(review.corrections) == {"ci_low": 31.0, "ci_high": 50.0}
    assert [r.decision for r in reviews(store)] == ["corrected"]  # one decision per value
    mark(store, row["id"], "accepted")
    assert dict(mark(store, row["id"], "corrected", corrections={"value": 41.0}).corrections) == {
        "value": 41.0
    }
    with pytest.raises(ReviewError, match="cr_rate is stored in %, not 'parsecs'"):
        mark(store, row["id"], "corrected", corrections={"unit": "parsecs"})
    assert (
        concerns(store, row["id"]) == []
    )  # accepting dropped the CI corrections: no CI to be outside of
    mark(store, row["id"], "corrected", corrections={"ci_low": 31.0, "ci_high": 40.0})
    assert concerns(store, row["id"]) == ["the value 41 lies outside its 95% CI 31-40"]


def test_a_decision_follows_its_value_when_other_text_changes(store):
    sha = add_study(store)
    (row,) = save(store, "s1", sha, cr("Pola-BR"))  # '40%' at 32-35
    mark(store, row["id"], "corrected", corrections={"value": 42.0})
    longer = "BACKGROUND: An added sentence. " + TEXT
    report = ImportReport()
    store.import_items([Article(study_id="s1", abstract=longer, source="t", location="2")], report)
    assert (report.reviews_moved, report.reviews_orphaned) == (1, 0)
    new_sha = store.study("s1")["text_sha256"]
    shift = len("BACKGROUND: An added sentence. ")
    save(
        store, "s1", new_sha, cr("Pola-BR", start=32 + shift, end=35 + shift)
    )  # what re-extraction finds
    assert [(r["value"], r["review_status"]) for r in reviewed(store)] == [(42.0, "corrected")]
    assert orphaned(store) == []


@pytest.mark.parametrize(
    ("old", "new", "start", "end", "expected"),
    [
        ("A. CR 40% here. B.", "New. A. CR 40% here. B.", 6, 9, (11, 14)),
        ("A. CR 40% here. B.", "A. CR 45% here. B.", 6, 9, None),  # the value itself changed
        (
            "CR 40% and 40%.",
            "CR 40% and 40%. CR 40% and 40%.",
            3,
            6,
            None,
        ),  # the piece occurs twice: no guess
    ],
    ids=["shifted", "value-changed", "ambiguous"],
)
def test_moved_span(old, new, start, end, expected):
    assert moved_span(old, new, start, end) == expected
