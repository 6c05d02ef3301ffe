"""EvidenceDB: the one object that writes to and reads from an evidence SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlite_utils

from evidence_tables.corpus.models import Article, Deletion, Rejected
from evidence_tables.db import decision_anchors, readonly, runs
from evidence_tables.db.connection import connect
from evidence_tables.db.errors import SchemaError, StoreError, sqlite_message, translated
from evidence_tables.db.rows import (
    METADATA_FIELDS,
    ImportReport,
    OutcomeLike,
    Saved,
    id_chunks,
    insert_rows,
    result_rows,
    study_row,
)
from evidence_tables.db.runs import now
from evidence_tables.db.schema import migrate


def tool_version() -> str:
    """The installed version of the evidence distribution."""
    try:
        return metadata.version("evidence-tables")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class EvidenceDB:
    """An evidence store on one SQLite file (WAL mode), schema created and migrated on open.

    Several processes may write to one file at once: each transaction takes the write lock when it
    begins, and a writer waits for another's transaction to end (see db.connection)."""

    def __init__(self, target: str | Path | sqlite_utils.Database) -> None:
        if isinstance(target, sqlite_utils.Database):
            self.db, self.path = target, None
        else:
            self.path = str(target)
            if not Path(self.path).parent.is_dir():
                raise StoreError(f"folder {Path(self.path).parent} does not exist", path=self.path)
            try:
                self.db = connect(self.path)
            except sqlite3.DatabaseError as exc:
                raise SchemaError(
                    f"cannot open as SQLite: {sqlite_message(exc)}", path=self.path
                ) from exc
        try:
            self.db.execute("PRAGMA foreign_keys=ON")
            migrate(self.db, self.path)
        except sqlite3.DatabaseError as exc:
            raise SchemaError(
                f"cannot open as an evidence database: {sqlite_message(exc)}", path=self.path
            ) from exc

    # ---- runs -------------------------------------------------------------------------------
    @translated("cannot record the run")
    def start_run(
        self,
        command: str,
        *,
        versions: dict[str, str] | None = None,
        inputs: list[str] | None = None,
        query: str | None = None,
    ) -> str:
        """Record that a command started; return its run id (see db.runs)."""
        return runs.start(
            self.db,
            command,
            tool_version=tool_version(),
            versions=versions,
            inputs=inputs,
            query=query,
        )

    @translated("cannot record the end of the run")
    def finish_run(
        self,
        run_id: str,
        *,
        status: str,
        counts: dict[str, Any],
        query_translation: str | None = None,
    ) -> None:
        """Record how a run ended (ok, failed, interrupted) and what it counted."""
        runs.finish(
            self.db, run_id, status=status, counts=counts, query_translation=query_translation
        )

    # ---- import -----------------------------------------------------------------------------
    def import_items(
        self,
        items: Iterable[Article | Deletion | Rejected],
        report: ImportReport,
        *,
        batch_size: int = 2000,
    ) -> None:
        """Store a stream of corpus items, in transactions of `batch_size` articles.

        Within one stream (one file) a second record with the same id and different
        text is rejected; across streams the later one replaces the earlier. What
        was read before an error in the stream is stored before the error propagates.
        """
        for _ in self.import_batches(items, report, batch_size=batch_size):
            pass

    def import_batches(
        self,
        items: Iterable[Article | Deletion | Rejected],
        report: ImportReport,
        *,
        batch_size: int = 2000,
    ) -> Iterator[None]:
        """`import_items`, pausing after each transaction (so a caller can extract what was just stored)."""
        seen: dict[str, tuple[str, str]] = {}
        batch: list[Article] = []
        try:
            for item in items:
                if isinstance(item, Rejected):
                    if item.is_error:
                        report.rejected.append(item)
                    else:
                        report.no_abstract += 1
                elif isinstance(item, Deletion):
                    batch, pending = [], batch
                    self._write_articles(pending, report)
                    report.deleted += self.delete_pmids(item.pmids)
                else:
                    first = seen.get(item.study_id)
                    if first is not None:
                        if first[0] != item.text_sha256:
                            report.rejected.append(
                                Rejected(
                                    source=item.source or "",
                                    location=item.location or "?",
                                    record_id=item.study_id,
                                    reason=f"duplicate id with different text (first at {first[1]}); kept the first",
                                )
                            )
                        else:
                            report.unchanged += 1
                        continue
                    seen[item.study_id] = (item.text_sha256, item.location or "?")
                    batch.append(item)
                    if len(batch) >= batch_size:
                        batch, pending = [], batch
                        self._write_articles(pending, report)
                        yield
        finally:
            self._write_articles(batch, report)

    def _write_articles(self, articles: list[Article], report: ImportReport) -> None:
        if not articles:
            return
        cols = ", ".join(("study_id", "text_sha256") + METADATA_FIELDS)
        stamp = now()
        try:
            # What is stored is read inside the transaction, which holds the write lock from its start:
            # another import storing the same records meanwhile cannot make an insert here a duplicate.
            with self.db.atomic():
                existing = {
                    r["study_id"]: r
                    for ids in id_chunks(self.db.conn, [a.study_id for a in articles])
                    for r in self.db.query(
                        f"SELECT {cols} FROM studies WHERE study_id IN "
                        f"({','.join('?' * len(ids))})",
                        ids,
                    )
                }
                new, changed, meta, unchanged = [], [], [], 0
                for a in articles:
                    row = study_row(a, stamp)
                    old = existing.get(a.study_id)
                    if old is None:
                        new.append(row)
                    elif old["text_sha256"] != row["text_sha256"]:
                        changed.append(row)
                    elif any(old[f] != row[f] for f in METADATA_FIELDS):
                        meta.append(
                            {
                                k: v
                                for k, v in row.items()
                                if k in METADATA_FIELDS or k == "study_id"
                            }
                        )
                    else:
                        unchanged += 1
                insert_rows(self.db.conn, "studies", new)
                moved = (0, 0)
                if changed:
                    moved = self._move_reviews(changed)
                    self._forget_outcomes([r["study_id"] for r in changed])
                    self.db.table("studies").upsert_all(changed, pk="study_id")
                for row in meta:
                    self.db.table("studies").update(row.pop("study_id"), row)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"could not store {len(articles)} studies: {sqlite_message(exc)}", path=self.path
            ) from exc
        report.added += len(new)
        report.changed += len(changed)
        report.metadata_updated += len(meta)
        report.unchanged += unchanged
        report.reviews_moved += moved[0]
        report.reviews_orphaned += moved[1]

    def _move_reviews(self, changed: list[dict[str, Any]]) -> tuple[int, int]:
        """Decisions on a changed abstract follow their value into the new text where its context is unchanged;
        return how many moved and how many were left behind (orphaned)."""
        counts = [0, 0]
        for row in changed:
            old = self.db.execute(
                "SELECT abstract, text_sha256 FROM studies WHERE study_id = ?", [row["study_id"]]
            ).fetchone()
            for i, n in enumerate(
                decision_anchors.reanchor(
                    self.db, row["study_id"], tuple(old), (row["abstract"], row["text_sha256"])
                )
            ):
                counts[i] += n
        return counts[0], counts[1]

    def _forget_outcomes(self, study_ids: list[str]) -> None:
        for ids in id_chunks(self.db.conn, study_ids):
            marks = ",".join("?" * len(ids))
            self.db.execute(f"DELETE FROM outcomes WHERE study_id IN ({marks})", ids)
            self.db.execute(f"DELETE FROM extractions WHERE study_id IN ({marks})", ids)

    @translated("cannot delete withdrawn citations")
    def delete_pmids(self, pmids: Iterable[str]) -> int:
        """Remove withdrawn citations and everything extracted from them; return how many were stored."""
        ids = [
            r["study_id"]
            for p in pmids
            for r in self.db.query(
                "SELECT study_id FROM studies WHERE pmid = ? OR study_id = ?", [p, p]
            )
        ]
        if not ids:
            return 0
        with self.db.atomic():
            self._forget_outcomes(ids)
            for part in id_chunks(self.db.conn, ids):
                self.db.execute(
                    f"DELETE FROM studies WHERE study_id IN ({','.join('?' * len(part))})", part
                )
        return len(ids)

    # ---- extraction -------------------------------------------------------------------------
    _PENDING = """
        SELECT s.rowid AS rid, s.study_id, s.abstract, s.text_sha256 FROM studies s
        LEFT JOIN extractions e ON e.study_id = s.study_id
        WHERE s.rowid > :after AND (:all OR e.study_id IS NULL OR e.extractor_version != :version
              OR e.text_sha256 != s.text_sha256)
        ORDER BY s.rowid LIMIT :limit
    """

    @translated("cannot count studies to extract")
    def count_pending(self, version: str, *, everything: bool = False) -> int:
        sql = f"SELECT COUNT(*) FROM ({self._PENDING.replace('LIMIT :limit', '')})"
        return int(
            self.db.execute(
                sql, {"after": -1, "all": int(everything), "version": version}
            ).fetchone()[0]
        )

    @translated("cannot count studies")
    def count_unextracted(self) -> int:
        """Studies whose current text no extractor version has processed (new or changed since)."""
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM extractions e "
                "WHERE e.study_id = s.study_id AND e.text_sha256 = s.text_sha256)"
            ).fetchone()[0]
        )

    @translated("cannot read studies to extract")
    def pending(
        self, version: str, *, everything: bool = False, chunk: int = 1000
    ) -> Iterator[tuple[str, str, str]]:
        """(study_id, abstract, text_sha256) of studies this extractor version has not processed.

        Paged by rowid, so results written meanwhile neither repeat nor skip rows.
        """
        after = -1
        while rows := self.pending_page(version, after=after, everything=everything, limit=chunk):
            for rid, study_id, abstract, sha in rows:
                after = rid
                yield study_id, abstract, sha

    @translated("cannot read studies to extract")
    def pending_page(
        self, version: str, *, after: int, everything: bool = False, limit: int = 1000
    ) -> list[tuple[int, str, str, str]]:
        """(rowid, study_id, abstract, text_sha256) of up to `limit` pending studies stored after rowid `after`."""
        return self.db.execute(
            self._PENDING,
            {"after": after, "all": int(everything), "version": version, "limit": limit},
        ).fetchall()

    @translated("cannot read the studies table")
    def last_rowid(self) -> int:
        """The highest rowid of the studies table (-1 when empty). Studies stored later usually have higher
        ones; SQLite may reuse the highest rowid after a delete, so callers must not rely on it alone."""
        return int(self.db.execute("SELECT COALESCE(MAX(rowid), -1) FROM studies").fetchone()[0])

    def save_outcomes(
        self,
        results: Iterable[tuple[str, str, Sequence[OutcomeLike]]],
        *,
        version: str,
        run_id: str,
    ) -> Saved:
        """Replace the outcomes of each study with a new extraction, in one transaction; return what was saved.

        A result for a study deleted or changed since its text was read is dropped (its offsets would not
        index the stored text); a changed study stays pending for the next run.
        """
        results = list(results)
        if not results:
            return Saved()
        try:
            with (
                self.db.atomic()
            ):  # read and write in one transaction: no import can slip in between
                current = {
                    sid: sha
                    for ids in id_chunks(self.db.conn, [r[0] for r in results])
                    for sid, sha in self.db.execute(
                        f"SELECT study_id, text_sha256 FROM studies WHERE study_id IN "
                        f"({','.join('?' * len(ids))})",
                        ids,
                    ).fetchall()
                }
                rows, state = result_rows(
                    [r for r in results if current.get(r[0]) == r[1]], version, run_id
                )
                self._forget_outcomes([s["study_id"] for s in state])
                insert_rows(self.db.conn, "outcomes", rows)
                insert_rows(self.db.conn, "extractions", state, replace=True)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"could not store outcomes: {sqlite_message(exc)}", path=self.path
            ) from exc
        by_measure: dict[str, int] = {}
        for row in rows:
            by_measure[row["measure"]] = by_measure.get(row["measure"], 0) + 1
        return Saved(tuple(s["study_id"] for s in state), by_measure)

    # ---- reading ----------------------------------------------------------------------------
    @translated("cannot read the study")
    def study(self, study_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM studies WHERE study_id = ?", [study_id]))
        return rows[0] if rows else None

    @translated("cannot read outcomes")
    def outcomes(self, study_id: str | None = None) -> list[dict[str, Any]]:
        if study_id is None:
            return list(self.db.query("SELECT * FROM outcomes ORDER BY study_id, start"))
        return list(
            self.db.query("SELECT * FROM outcomes WHERE study_id = ? ORDER BY start", [study_id])
        )

    @translated("cannot count rows")
    def count(self, table: str) -> int:
        return self.db[table].count

    def read_only(self) -> sqlite3.Connection:
        """A separate connection that cannot write (for ad-hoc SQL and pandas); see db.readonly."""
        return self.db.conn if self.path is None else readonly.connect(self.path)

    def query(
        self, sql: str, params: dict[str, Any] | list[Any] | None = None
    ) -> tuple[list[str], list[tuple]]:
        """Run one read-only SQL statement; return (column names, rows)."""
        with self.stream(sql, params) as rows:
            return rows.columns, list(rows)

    def stream(
        self,
        sql: str,
        params: dict[str, Any] | list[Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> AbstractContextManager[readonly.RowStream]:
        """One read-only statement whose rows arrive as they are iterated (see db.readonly.streamed)."""
        con = self.read_only()
        return readonly.streamed(
            con, sql, params, timeout=timeout, path=self.path, close=con is not self.db.conn
        )

    def close(self) -> None:
        self.db.close()
