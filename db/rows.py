"""Rows as the store writes them: conversions from corpus and extractor records."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from evidence_tables.corpus.models import Article
from evidence_tables.db.runs import now


class OutcomeLike(Protocol):
    """What the store needs of an `extractor.Outcome` (read only: an Outcome is frozen)."""

    @property
    def measure(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def group_label(self) -> str | None: ...
    @property
    def regimen(self) -> str | None: ...
    @property
    def ci_low(self) -> float | None: ...
    @property
    def ci_high(self) -> float | None: ...
    @property
    def numerator(self) -> int | None: ...
    @property
    def denominator(self) -> int | None: ...
    @property
    def not_reached(self) -> bool: ...
    @property
    def timepoint(self) -> str | None: ...
    @property
    def sentence(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def rule(self) -> str: ...
    @property
    def flags(self) -> tuple[str, ...]: ...


def study_row(article: Article, imported_at: str) -> dict[str, Any]:
    return {
        "study_id": article.study_id,
        "pmid": article.pmid,
        "doi": article.doi,
        "title": article.title,
        "abstract": article.abstract,
        "journal": article.journal,
        "year": article.year,
        "authors": json.dumps(list(article.authors), ensure_ascii=False)
        if article.authors
        else None,
        "publication_types": json.dumps(list(article.publication_types), ensure_ascii=False)
        if article.publication_types
        else None,
        "source": article.source,
        "imported_at": imported_at,
        "text_sha256": article.text_sha256,
    }


def insert_rows(
    conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]], *, replace: bool = False
) -> None:
    """Insert rows that all have the same keys, whose values SQLite stores as they are (text, numbers, None).

    The rows this module builds are such rows. Statements take many rows at once, because the studies'
    full-text index writes what it holds at the end of every statement: 10,000 real abstracts index in
    0.59 s CPU in statements of 500 rows, 0.70 s in statements of 100 and 1.1 s row by row; importing the
    benchmark's 200,000 took 21.5 s CPU in statements of 500 and 20.2 s in statements of 2,000. (sqlite-utils' `insert_all` keeps to
    999 variables, 83 studies a statement, and checks every value for conversion to JSON.) The rows go
    in statements of `_ROWS` and then of powers of two, so few distinct statements are ever prepared:
    sqlite3 keeps the last 128 compiled, and one per row count grew the process by 130 MB over 200,000
    abstracts. A value SQLite cannot bind raises sqlite3.ProgrammingError.
    """
    if not rows:
        return
    cols = list(rows[0])
    names = ", ".join(f'"{c}"' for c in cols)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    one = f"({', '.join('?' * len(cols))})"
    cap = min(_ROWS, max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(cols)))
    i = 0
    while i < len(rows):
        size = cap if len(rows) - i >= cap else 1 << ((len(rows) - i).bit_length() - 1)
        part = rows[i : i + size]
        conn.execute(
            f'{verb} INTO "{table}" ({names}) VALUES {", ".join([one] * size)}',
            [r[c] for r in part for c in cols],
        )
        i += size


def id_chunks(conn: sqlite3.Connection, ids: list[str], *, reserve: int = 0) -> Iterator[list[str]]:
    """`ids` in pieces that each fit one statement's variables (999 before SQLite 3.32, 32,766 since),
    beside the statement's `reserve` other variables: an import transaction holds 2,000 studies."""
    size = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - reserve)
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


_ROWS = 2000  # rows a statement: a whole import transaction of studies in one (EvidenceDB.import_batches)


METADATA_FIELDS = (
    "pmid",
    "doi",
    "title",
    "journal",
    "year",
    "authors",
    "publication_types",
    "source",
)


def outcome_id(study_id: str, measure: str, start: int, end: int, group_label: str | None) -> str:
    """Stable id: the same value found at the same place gets the same id on every run."""
    key = f"{study_id}\x1f{measure}\x1f{start}\x1f{end}\x1f{group_label or ''}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def outcome_row(study_id: str, o: OutcomeLike, version: str, run_id: str) -> dict[str, Any]:
    return {
        "id": outcome_id(study_id, o.measure, o.start, o.end, o.group_label),
        "study_id": study_id,
        "measure": o.measure,
        "value": o.value,
        "unit": o.unit,
        "group_label": o.group_label,
        "regimen": o.regimen,
        "ci_low": o.ci_low,
        "ci_high": o.ci_high,
        "numerator": o.numerator,
        "denominator": o.denominator,
        "not_reached": int(bool(o.not_reached)),
        "timepoint": o.timepoint,
        "sentence": o.sentence,
        "start": o.start,
        "end": o.end,
        "rule": o.rule,
        "flags": ",".join(o.flags) if o.flags else None,
        "extractor_version": version,
        "run_id": run_id,
    }


@dataclass(slots=True)
class ImportReport:
    """What one import did: counts by outcome, and the records it could not take."""

    added: int = 0
    changed: int = 0
    metadata_updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    no_abstract: int = 0
    reviews_moved: int = 0  # reviewers' decisions carried into a changed abstract
    reviews_orphaned: int = 0  # ... and those whose context changed (see `evidence review`)
    rejected: list[Any] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.failed_files

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "changed": self.changed,
            "metadata_updated": self.metadata_updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "no_abstract": self.no_abstract,
            "rejected": len(self.rejected),
            "failed_files": len(self.failed_files),
            "reviews_moved": self.reviews_moved,
            "reviews_orphaned": self.reviews_orphaned,
        }


def result_rows(
    results: list[tuple[str, str, Sequence[OutcomeLike]]], version: str, run_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Outcome rows (one per outcome id) and extraction-state rows for a batch of results."""
    rows: list[dict[str, Any]] = []
    state, stamp = [], now()
    for study_id, sha, outcomes in results:
        by_id: dict[str, dict[str, Any]] = {}
        for o in outcomes:
            row = outcome_row(study_id, o, version, run_id)
            by_id.setdefault(row["id"], row)
        rows.extend(by_id.values())
        state.append(
            {
                "study_id": study_id,
                "extractor_version": version,
                "text_sha256": sha,
                "run_id": run_id,
                "extracted_at": stamp,
                "n_outcomes": len(by_id),
            }
        )
    return rows, state


@dataclass(frozen=True, slots=True)
class Saved:
    """What `save_outcomes` stored: the studies whose results were current, their rows by measure."""

    study_ids: tuple[str, ...] = ()
    by_measure: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.by_measure.values())
