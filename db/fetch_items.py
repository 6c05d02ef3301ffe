"""The fetch log: the status of every record a fetch asked for, kept beside the studies it stored.

Each fetch run writes one `fetch_items` row per requested record: `pending` when
planned, then `fetched` (stored; reason `new`, `updated` or `unchanged`),
`no_abstract`, `stored` (already in the database and not modified since it was
last fetched, so not fetched again) or `failed` (with the reason). A batch's
studies and statuses are written in one transaction, so an interrupted fetch
leaves every record either done or still `pending`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evidence_tables.corpus.models import Article, Deletion, Rejected
from evidence_tables.db.rows import ImportReport, id_chunks
from evidence_tables.db.store import EvidenceDB, now

PENDING, FETCHED, NO_ABSTRACT, STORED, FAILED = (
    "pending",
    "fetched",
    "no_abstract",
    "stored",
    "failed",
)
DONE = (FETCHED, NO_ABSTRACT, STORED)


@dataclass(frozen=True, slots=True, kw_only=True)
class LastCheck:
    """The latest successful status of a record from one source, and when it was written."""

    status: str
    at: str


class FetchLog:
    """Reads and writes `fetch_items` (and the studies of fetched batches) for one store."""

    def __init__(self, store: EvidenceDB) -> None:
        self.store = store
        self.db = store.db

    def studies_by_pmid(self, pmids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """PMID -> (study_id, source) of the stored studies that carry these PMIDs."""
        found: dict[str, tuple[str, str | None]] = {}
        for part in id_chunks(self.db.conn, list(pmids)):
            marks = ",".join("?" * len(part))
            for row in self.db.query(
                f"SELECT pmid, study_id, source FROM studies WHERE pmid IN ({marks}) "
                "ORDER BY study_id != pmid",
                part,
            ):
                found.setdefault(row["pmid"], (row["study_id"], row["source"]))
        return found

    def last_checks(self, source: str, ids: Sequence[str]) -> dict[str, LastCheck]:
        """Record id -> its latest fetched / no_abstract / stored status from `source`."""
        found: dict[str, LastCheck] = {}
        for part in id_chunks(self.db.conn, list(ids), reserve=1 + len(DONE)):
            marks = ",".join("?" * len(part))
            sql = (
                f"SELECT record_id, status, updated_at FROM fetch_items WHERE source = ? AND record_id IN ({marks})"
                f" AND status IN ({','.join('?' * len(DONE))}) ORDER BY updated_at"
            )
            for row in self.db.query(sql, [source, *part, *DONE]):
                found[row["record_id"]] = LastCheck(status=row["status"], at=row["updated_at"])
        return found

    def set(self, run_id: str, source: str, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Write (record_id, status, reason) rows for a run, replacing earlier statuses of the same run."""
        stamp = now()
        records = [
            {
                "run_id": run_id,
                "source": source,
                "record_id": rid,
                "status": status,
                "reason": reason,
                "updated_at": stamp,
            }
            for rid, status, reason in rows
        ]
        if records:
            self.db.table("fetch_items").upsert_all(records, pk=("run_id", "record_id"))

    def save_batch(
        self,
        run_id: str,
        source: str,
        ids: Sequence[str],
        items: Iterable[Article | Rejected | Deletion],
        report: ImportReport,
        *,
        missing: str,
    ) -> Counter[str]:
        """Store a batch's articles and the status of each requested id, in one transaction.

        Records the batch did not ask for are ignored; requested ids without a
        record are `failed` with the reason `missing`.
        """
        wanted = set(ids)
        articles = [i for i in items if isinstance(i, Article) and i.study_id in wanted]
        others = [i for i in items if isinstance(i, Rejected) and i.record_id in wanted]
        with (
            self.db.atomic()
        ):  # read what is stored under the write lock: nothing can change it meanwhile
            known = self._hashes([a.study_id for a in articles])
            status: dict[str, tuple[str, str | None]] = {}
            for a in articles:
                old = known.get(a.study_id)
                status.setdefault(
                    a.study_id,
                    (
                        FETCHED,
                        "new"
                        if old is None
                        else "unchanged"
                        if old == a.text_sha256
                        else "updated",
                    ),
                )
            for r in others:
                status.setdefault(
                    r.record_id or "", (FAILED, r.reason) if r.is_error else (NO_ABSTRACT, None)
                )
            rows = [(rid, *status.get(rid, (FAILED, missing))) for rid in ids]
            self.store.import_items(articles, report)
            self.set(run_id, source, rows)
        return Counter(s for _, s, _ in rows)

    def _hashes(self, study_ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in id_chunks(self.db.conn, study_ids):
            marks = ",".join("?" * len(part))
            out.update(
                (r["study_id"], r["text_sha256"])
                for r in self.db.query(
                    f"SELECT study_id, text_sha256 FROM studies WHERE study_id IN ({marks})", part
                )
            )
        return out

    def counts(self, run_id: str) -> Counter[str]:
        """How many records of a run ended in each status."""
        return Counter(
            {
                r["status"]: r["n"]
                for r in self.db.query(
                    "SELECT status, COUNT(*) AS n FROM fetch_items WHERE run_id = ? GROUP BY status",
                    [run_id],
                )
            }
        )

    def problems(self, run_id: str) -> list[tuple[str, str, str | None]]:
        """(record_id, status, reason) of the run's records that failed or are still pending."""
        return [
            (r["record_id"], r["status"], r["reason"])
            for r in self.db.query(
                "SELECT record_id, status, reason FROM fetch_items WHERE run_id = ? AND status IN (?, ?) "
                "ORDER BY status, record_id",
                [run_id, FAILED, PENDING],
            )
        ]
