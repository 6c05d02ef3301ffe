"""Schema of the evidence store, created and migrated in numbered steps.

The version is kept in SQLite's `PRAGMA user_version`; each step runs once, in
a transaction, and a database from a newer tool is refused rather than damaged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlite_utils

from evidence_tables.db.errors import SchemaError
from evidence_tables.registry import definitions

STUDY_COLUMNS = {
    "study_id": str,
    "pmid": str,
    "doi": str,
    "title": str,
    "abstract": str,
    "journal": str,
    "year": int,
    "authors": str,
    "publication_types": str,
    "source": str,
    "imported_at": str,
    "text_sha256": str,
}
OUTCOME_COLUMNS = {
    "id": str,
    "study_id": str,
    "measure": str,
    "value": float,
    "unit": str,
    "group_label": str,
    "regimen": str,
    "ci_low": float,
    "ci_high": float,
    "numerator": int,
    "denominator": int,
    "not_reached": int,
    "timepoint": str,
    "sentence": str,
    "start": int,
    "end": int,
    "rule": str,
    "flags": str,
    "extractor_version": str,
    "run_id": str,
}
RUN_COLUMNS = {
    "run_id": str,
    "command": str,
    "started_at": str,
    "finished_at": str,
    "status": str,
    "tool_version": str,
    "versions": str,
    "inputs": str,
    "query": str,
    "query_translation": str,
    "counts": str,
}
EXTRACTION_COLUMNS = {
    "study_id": str,
    "extractor_version": str,
    "text_sha256": str,
    "run_id": str,
    "extracted_at": str,
    "n_outcomes": int,
}


def evidence_view(
    source: str = "outcomes",
    kept: str = "o.study_id = s.study_id",
    mark: str = "",
    reviewed: bool = False,
) -> str:
    """The `evidence` view: a row per study, a column per registered measure (its `view`, registry).

    `source` is read as `o`, `kept` says which of its rows are the study's, `mark` is appended to each
    value's text; `reviewed` adds the count of reviewed values. Generated from the measures registered
    when a migration runs (the same text, for the same measures, as when it was written out by hand).
    """
    columns = []
    for m in definitions():
        if m.view is None:
            continue
        if m.view.text is None:
            columns.append(
                f"  (SELECT CAST(o.value AS INTEGER) FROM {source} o\n"
                f"     WHERE {kept} AND o.measure = '{m.name}' LIMIT 1) AS {m.view.name},\n"
            )
            continue
        columns.append(
            "  (SELECT group_concat(x.txt, '; ') FROM (\n"
            f"     SELECT {m.view.text}{mark} AS txt\n"
            f"     FROM {source} o WHERE {kept} AND o.measure = '{m.name}'\n"
            f"     ORDER BY {m.view.order}) x) AS {m.view.name},\n"
        )
    flagged = f"  (SELECT COUNT(*) FROM {source} o WHERE {kept} AND o.flags IS NOT NULL) AS flagged"
    if reviewed:
        flagged += (
            f",\n  (SELECT COUNT(*) FROM {source} o\n"
            "     WHERE o.study_id = s.study_id AND o.review_status IS NOT NULL) AS reviewed"
        )
    head = "\nSELECT\n  s.study_id, s.pmid, s.title, s.journal, s.year,\n"
    return head + "".join(columns) + flagged + "\nFROM studies s\n"


def _v1(db: sqlite_utils.Database) -> None:
    db.table("studies").create(STUDY_COLUMNS, pk="study_id", not_null={"abstract", "text_sha256"})
    db.table("studies").create_index(["pmid"])
    db.table("studies").enable_fts(["title", "abstract"], create_triggers=True)
    db.table("outcomes").create(
        OUTCOME_COLUMNS, pk="id", foreign_keys=[("study_id", "studies", "study_id")]
    )
    db.table("outcomes").create_index(["study_id"])
    db.table("outcomes").create_index(["measure", "regimen"])
    db.table("extractions").create(EXTRACTION_COLUMNS, pk="study_id")
    db.table("runs").create(RUN_COLUMNS, pk="run_id")
    db.create_view("evidence", evidence_view())


# ---- reviews: a reviewer's decisions, kept apart from the outcomes that re-extraction replaces ----------
# A review is anchored on (study, measure, span) and on the abstract text it was made on. It applies to
# the current outcome with its original id, or else to the one outcome at the same span (the extractor
# may have relabelled the group), and only while the abstract text is the one reviewed. A review that
# matches nothing (abstract changed, study removed, value no longer extracted there) is kept and listed
# by the `orphaned_reviews` view: a reviewer's work is never dropped silently.
REVIEWS_TABLE = """
CREATE TABLE reviews (
  review_id INTEGER PRIMARY KEY,
  outcome_id TEXT NOT NULL,
  study_id TEXT NOT NULL,
  measure TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  group_label TEXT,
  text_sha256 TEXT NOT NULL,
  evidence TEXT,
  extracted_value REAL,
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'corrected')),
  corrections TEXT CHECK (corrections IS NULL OR json_valid(corrections)),
  note TEXT,
  reviewer TEXT,
  reviewed_at TEXT NOT NULL
)
"""
REVIEW_LINKS_VIEW = """
SELECT r.review_id, o.id AS outcome_id, r.reviewed_at
FROM reviews r
JOIN studies s ON s.study_id = r.study_id AND s.text_sha256 = r.text_sha256
JOIN outcomes o ON o.study_id = r.study_id AND o.measure = r.measure AND o.start = r.start AND o."end" = r."end"
WHERE o.id = r.outcome_id
   OR (NOT EXISTS (SELECT 1 FROM outcomes x WHERE x.id = r.outcome_id)
       AND NOT EXISTS (SELECT 1 FROM outcomes y WHERE y.study_id = o.study_id AND y.measure = o.measure
                       AND y.start = o.start AND y."end" = o."end" AND y.id <> o.id))
"""

FETCH_ITEM_COLUMNS = {
    "run_id": str,
    "source": str,
    "record_id": str,
    "status": str,
    "reason": str,
    "updated_at": str,
}


def _v_fetch_status(db: sqlite_utils.Database) -> None:
    """`fetch_items`: what became of every record a fetch asked for (pending, fetched, no_abstract, stored, failed)."""
    if "fetch_items" in db.table_names():
        return
    db.table("fetch_items").create(
        FETCH_ITEM_COLUMNS, pk=("run_id", "record_id"), not_null={"status", "source"}
    )
    db.table("fetch_items").create_index(["source", "record_id", "status"])


def _corrected(column: str) -> str:
    return (
        f"CASE WHEN json_type(r.corrections, '$.{column}') IS NULL THEN o.{column} "
        f"ELSE json_extract(r.corrections, '$.{column}') END AS {column}"
    )


REVIEWED_OUTCOMES_VIEW = f"""
SELECT o.id, o.study_id, o.measure,
  {_corrected("value")}, {_corrected("unit")}, {_corrected("group_label")}, {_corrected("regimen")},
  {_corrected("ci_low")}, {_corrected("ci_high")}, {_corrected("numerator")}, {_corrected("denominator")},
  {_corrected("not_reached")}, {_corrected("timepoint")},
  o.sentence, o.start, o."end", o.rule, o.flags, o.extractor_version, o.run_id,
  r.decision AS review_status, o.value AS extracted_value, r.corrections, r.note AS review_note,
  r.reviewer, r.reviewed_at, r.review_id
FROM outcomes o
LEFT JOIN reviews r ON r.review_id = (
  SELECT l.review_id FROM review_links l WHERE l.outcome_id = o.id
  ORDER BY l.reviewed_at DESC, l.review_id DESC LIMIT 1)
"""
ORPHANED_REVIEWS_VIEW = """
SELECT r.*,
  CASE WHEN s.study_id IS NULL THEN 'study removed'
       WHEN s.text_sha256 <> r.text_sha256 THEN 'abstract changed'
       ELSE 'value no longer extracted at this span' END AS orphan_reason
FROM reviews r LEFT JOIN studies s ON s.study_id = r.study_id
WHERE NOT EXISTS (SELECT 1 FROM review_links l WHERE l.review_id = r.review_id)
"""
# The evidence view of _v1 reading reviewed values (rejected ones left out, corrected ones marked).
_KEPT = "o.study_id = s.study_id AND o.review_status IS NOT 'rejected'"
_MARK = " || CASE WHEN o.review_status = 'corrected' THEN ' (corrected)' ELSE '' END"


def reviewed_evidence_view() -> str:
    return evidence_view("reviewed_outcomes", _KEPT, _MARK, reviewed=True)


def _v_reviews(db: sqlite_utils.Database) -> None:
    """Reviewer decisions (`reviews`), the outcomes with them applied, and an `evidence` view that uses them."""
    db.execute(REVIEWS_TABLE)
    db.execute('CREATE INDEX idx_reviews_span ON reviews (study_id, measure, start, "end")')
    db.execute("CREATE INDEX idx_reviews_outcome ON reviews (outcome_id)")
    db.execute('CREATE INDEX idx_outcomes_span ON outcomes (study_id, measure, start, "end")')
    db.create_view("review_links", REVIEW_LINKS_VIEW)
    db.create_view("reviewed_outcomes", REVIEWED_OUTCOMES_VIEW)
    db.create_view("orphaned_reviews", ORPHANED_REVIEWS_VIEW)
    db.execute("DROP VIEW evidence")
    db.create_view("evidence", reviewed_evidence_view())


def _v_abstract_hash(db: sqlite_utils.Database) -> None:
    """`text_sha256` hashes the abstract alone (it covered the title too): rehash studies, and move the
    extraction states and reviews made on the same text along, so nothing is re-extracted or orphaned."""
    rows = db.execute("SELECT study_id, abstract, text_sha256 FROM studies").fetchall()
    for study_id, abstract, old in rows:
        new = hashlib.sha256(abstract.encode("utf-8")).hexdigest()
        if new == old:
            continue
        db.execute("UPDATE studies SET text_sha256 = ? WHERE study_id = ?", [new, study_id])
        db.execute(
            "UPDATE extractions SET text_sha256 = ? WHERE study_id = ? AND text_sha256 = ?",
            [new, study_id, old],
        )
        if "reviews" in db.table_names():
            db.execute(
                "UPDATE reviews SET text_sha256 = ? WHERE study_id = ? AND text_sha256 = ?",
                [new, study_id, old],
            )


def _v_run_owner(db: sqlite_utils.Database) -> None:
    """Runs record the machine and process that made them, so a killed run can be told from a live one."""
    for name, kind in (("host", str), ("pid", int)):
        if name not in db["runs"].columns_dict:  # self-contained: running it again changes nothing
            db.table("runs").add_column(name, kind)


def _v_fts_automerge(db: sqlite_utils.Database) -> None:
    """The full-text index merges its segments 8 at a time instead of 4 (FTS5 'automerge'): every import
    transaction writes a segment, and merging them is much of the index's cost. `evidence import` of the
    benchmark's 200,000 abstracts: 24.8 -> 22.6 s CPU, of which 11.5 s without the index. A search reads
    at most about twice as many segments."""
    db.execute("INSERT INTO studies_fts(studies_fts, rank) VALUES('automerge', 8)")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1,
    _v_fetch_status,
    _v_reviews,
    _v_abstract_hash,
    _v_run_owner,
    _v_fts_automerge,
]
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, path: str | None = None) -> int:
    """Bring the schema up to date; return the version it was at before."""
    found = user_version(db)
    if found > SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {found} is newer than this tool's {SCHEMA_VERSION}; upgrade evidence",
            path=path,
        )
    if found == 0 and db.table_names() and "studies" not in db.table_names():
        raise SchemaError(
            "not an evidence database (it has other tables and no `studies`)", path=path
        )
    for number in range(found, SCHEMA_VERSION):
        with db.atomic():
            if (
                user_version(db) > number
            ):  # another process opening the file at the same time did this step
                continue
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
    if _lacks_a_measure(db):
        with db.atomic():
            if _lacks_a_measure(db):  # not done meanwhile by another process opening the file
                db.execute("DROP VIEW evidence")
                db.create_view("evidence", reviewed_evidence_view())
    return found


def _lacks_a_measure(db: sqlite_utils.Database) -> bool:
    """Does the `evidence` view lack the column of a measure registered since it was made? (The view holds
    no data: it is then made again, with a column per measure registered now.)"""
    have = {row[1] for row in db.execute("PRAGMA table_info(evidence)").fetchall()}
    return bool(have) and any(m.view is not None and m.view.name not in have for m in definitions())
