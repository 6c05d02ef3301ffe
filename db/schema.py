"""Schema of the evidence store, created and migrated in numbered steps.

The version is kept in SQLite's `PRAGMA user_version`; each step runs once, in
a transaction, and a database from a newer tool is refused rather than damaged.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from db.errors import SchemaError

STUDY_COLUMNS = {
    "study_id": str, "pmid": str, "doi": str, "title": str, "abstract": str, "journal": str,
    "year": int, "authors": str, "publication_types": str, "source": str, "imported_at": str,
    "text_sha256": str,
}
OUTCOME_COLUMNS = {
    "id": str, "study_id": str, "measure": str, "value": float, "unit": str, "group_label": str,
    "regimen": str, "ci_low": float, "ci_high": float, "numerator": int, "denominator": int,
    "not_reached": int, "timepoint": str, "sentence": str, "start": int, "end": int, "rule": str,
    "flags": str, "extractor_version": str, "run_id": str,
}
RUN_COLUMNS = {
    "run_id": str, "command": str, "started_at": str, "finished_at": str, "status": str,
    "tool_version": str, "versions": str, "inputs": str, "query": str, "query_translation": str,
    "counts": str,
}
EXTRACTION_COLUMNS = {
    "study_id": str, "extractor_version": str, "text_sha256": str, "run_id": str,
    "extracted_at": str, "n_outcomes": int,
}

EVIDENCE_VIEW = """
SELECT
  s.study_id, s.pmid, s.title, s.journal, s.year,
  (SELECT CAST(o.value AS INTEGER) FROM outcomes o
     WHERE o.study_id = s.study_id AND o.measure = 'cohort_size' LIMIT 1) AS cohort_size,
  (SELECT group_concat(x.txt, '; ') FROM (
     SELECT printf('%g%%', o.value) || COALESCE(' at ' || o.timepoint, '')
            || COALESCE(' [' || o.group_label || ']', '') AS txt
     FROM outcomes o WHERE o.study_id = s.study_id AND o.measure = 'relapse_rate'
     ORDER BY o.group_label IS NOT NULL, o.start) x) AS relapse_rate,
  (SELECT group_concat(x.txt, '; ') FROM (
     SELECT CASE WHEN o.not_reached THEN 'not reached' ELSE printf('%g %s', o.value, o.unit) END
            || CASE WHEN o.ci_low IS NOT NULL OR o.ci_high IS NOT NULL
                    THEN ' (95% CI ' || CASE WHEN o.ci_low IS NULL THEN 'NE' ELSE printf('%g', o.ci_low) END
                         || '-' || CASE WHEN o.ci_high IS NULL THEN 'NE' ELSE printf('%g', o.ci_high) END || ')'
                    ELSE '' END
            || COALESCE(' [' || o.group_label || ']', '') AS txt
     FROM outcomes o WHERE o.study_id = s.study_id AND o.measure = 'median_os'
     ORDER BY o.group_label IS NOT NULL, o.start) x) AS median_os,
  (SELECT group_concat(x.txt, '; ') FROM (
     SELECT COALESCE(o.regimen, o.group_label, 'overall') || ': ' || printf('%g%%', o.value)
            || CASE WHEN o.denominator IS NOT NULL
                    THEN printf(' (%d/%d)', o.numerator, o.denominator) ELSE '' END AS txt
     FROM outcomes o WHERE o.study_id = s.study_id AND o.measure = 'cr_rate'
     ORDER BY o.start) x) AS cr_rates,
  (SELECT COUNT(*) FROM outcomes o WHERE o.study_id = s.study_id AND o.flags IS NOT NULL) AS flagged
FROM studies s
"""


def _v1(db: sqlite_utils.Database) -> None:
    db["studies"].create(STUDY_COLUMNS, pk="study_id", not_null={"abstract", "text_sha256"})
    db["studies"].create_index(["pmid"])
    db["studies"].enable_fts(["title", "abstract"], create_triggers=True)
    db["outcomes"].create(OUTCOME_COLUMNS, pk="id", foreign_keys=[("study_id", "studies", "study_id")])
    db["outcomes"].create_index(["study_id"])
    db["outcomes"].create_index(["measure", "regimen"])
    db["extractions"].create(EXTRACTION_COLUMNS, pk="study_id")
    db["runs"].create(RUN_COLUMNS, pk="run_id")
    db.create_view("evidence", EVIDENCE_VIEW)


FETCH_ITEM_COLUMNS = {
    "run_id": str, "source": str, "record_id": str, "status": str, "reason": str, "updated_at": str,
}


def _v_fetch_status(db: sqlite_utils.Database) -> None:
    """`fetch_items`: what became of every record a fetch asked for (pending, fetched, no_abstract, stored, failed)."""
    if "fetch_items" in db.table_names():
        return
    db["fetch_items"].create(FETCH_ITEM_COLUMNS, pk=("run_id", "record_id"), not_null={"status", "source"})
    db["fetch_items"].create_index(["source", "record_id", "status"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v_fetch_status]
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
        raise SchemaError("not an evidence database (it has other tables and no `studies`)", path=path)
    for number in range(found, SCHEMA_VERSION):
        with db.atomic():
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
    return found
