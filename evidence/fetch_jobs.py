"""Fetch jobs: search PubMed or Europe PMC, store what the database lacks, log every record's status. None prints.

Resuming and not fetching twice (PubMed): a PMID whose latest status from an
earlier run is `fetched`, `stored` or `no_abstract` (and whose study is still
there) is not fetched again unless PubMed modified it since. One extra esearch
per run asks which of the query's records were modified (`datetype=mdat`) since
the oldest such check; only those are fetched again, and the store compares
their text (unchanged text keeps its extracted values). An interrupted run
leaves its unfetched PMIDs `pending`; the next run of the same command fetches
exactly those (and anything new).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx

from evidence_tables.corpus.errors import FetchError
from evidence_tables.corpus.europepmc import SOURCE as EPMC, EuropePMCClient, dated_query
from evidence_tables.corpus.eutils import EutilsClient
from evidence_tables.corpus.models import Article, Rejected
from evidence_tables.corpus.pubmed_search import iter_batches, ncbi_date, parse_bound, search_all
from evidence_tables.db import EvidenceDB, ImportReport
from evidence_tables.db.fetch_items import FAILED, NO_ABSTRACT, PENDING, STORED, FetchLog
from evidence_tables.db.store import tool_version
from evidence_tables.jobs import versions

Progress = Callable[[int], object]  # told the count done; what it returns is not read
PUBMED = "pubmed"
MISSING = "not in efetch's answer (unknown or withdrawn PMID?)"


@dataclass(slots=True)
class FetchReport:
    """What one fetch did: the query's hit count, each record's status, what was stored, what NCBI warned."""

    run_id: str
    source: str
    count: int = 0
    requested: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    imported: ImportReport = field(default_factory=ImportReport)
    warnings: list[str] = field(default_factory=list)
    translation: str | None = None
    problems: list[tuple[str, str, str | None]] = field(default_factory=list)
    requests: int = 0
    refused_for_rate: int = 0

    @property
    def ok(self) -> bool:
        return not self.statuses[FAILED] and not self.statuses[PENDING]

    def counts(self) -> dict[str, object]:
        return {
            "count": self.count,
            "requested": self.requested,
            **dict(sorted(self.statuses.items())),
            "added": self.imported.added,
            "updated": self.imported.changed,
            "requests": self.requests,
            "refused_for_rate": self.refused_for_rate,
            "warnings": self.warnings,
        }


def run_status(statuses: Counter[str]) -> str:
    """ok: every record done; failed: records were asked for and none was done; partial: the rest."""
    if not statuses[FAILED] and not statuses[PENDING]:
        return "ok"
    done = sum(n for status, n in statuses.items() if status not in (FAILED, PENDING))
    return "failed" if not done else "partial"


def open_http(timeout: float = 30.0) -> httpx.Client:
    """The httpx client the command uses: bounded timeouts, a User-Agent naming the tool. Redirects are
    followed by corpus.http, and only on the same server."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=10.0),
        follow_redirects=False,
        headers={"User-Agent": f"evidence/{tool_version()}"},
    )


def _run(
    store: EvidenceDB,
    source: str,
    query: str,
    inputs: Mapping[str, object],
    body: Callable[[FetchReport], None],
    client: EutilsClient | EuropePMCClient,
) -> FetchReport:
    run_id = store.start_run(
        "fetch",
        versions=versions(),
        query=query,
        inputs=[f"{k}={v}" for k, v in inputs.items() if v is not None],
    )
    report, status = FetchReport(run_id=run_id, source=source), "failed"
    sent, refused = client.stats.requests, client.stats.refused_for_rate
    finished = False
    try:
        body(report)
        finished = True
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        log = FetchLog(store)
        report.statuses = log.counts(run_id)
        report.problems = log.problems(run_id)
        if finished:  # the status says what became of the records, now that they are counted
            status = run_status(report.statuses)
        report.requests = client.stats.requests - sent
        report.refused_for_rate = client.stats.refused_for_rate - refused
        store.finish_run(
            run_id, status=status, counts=report.counts(), query_translation=report.translation
        )
    return report


def fetch_pubmed(
    store: EvidenceDB,
    client: EutilsClient,
    query: str,
    *,
    limit: int | None = None,
    mindate: str | None = None,
    maxdate: str | None = None,
    batch_size: int = 200,
    max_failed_batches: int = 3,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> FetchReport:
    """Fetch every PubMed record of `query` the store lacks (or that PubMed changed) and log each PMID's status."""
    log, tick = FetchLog(store), progress or (lambda n: None)

    def body(report: FetchReport) -> None:
        result = search_all(client, query, mindate=mindate, maxdate=maxdate, limit=limit)
        report.count, report.requested, report.translation = (
            result.count,
            len(result.ids),
            result.translation,
        )
        report.warnings.extend(result.warnings)
        rows, wanted = _plan_pubmed(log, client, query, result.ids)
        log.set(report.run_id, PUBMED, rows)
        if on_total:
            on_total(len(result.ids))
        tick(len(result.ids) - len(wanted))
        failed_in_row = 0
        for batch in iter_batches(client, result.segments, wanted, batch_size=batch_size):
            if batch.error is None:
                failed_in_row = 0
                log.save_batch(
                    report.run_id, PUBMED, batch.ids, batch.items, report.imported, missing=MISSING
                )
            else:
                failed_in_row += 1
                log.set(report.run_id, PUBMED, [(i, FAILED, str(batch.error)) for i in batch.ids])
                if failed_in_row >= max_failed_batches:
                    pending = log.counts(report.run_id)[PENDING]
                    raise FetchError(
                        f"stopped after {failed_in_row} failed batches in a row ({batch.error}); "
                        f"{pending} PMIDs still pending: run the same command again to resume",
                        source="PubMed",
                    ) from batch.error
            tick(len(batch.ids))

    inputs = {
        "source": PUBMED,
        "mindate": mindate,
        "maxdate": maxdate,
        "max": limit,
        "base_url": client.base_url,
    }
    return _run(store, PUBMED, query, inputs, body, client)


def _plan_pubmed(
    log: FetchLog, client: EutilsClient, query: str, ids: tuple[str, ...]
) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    """Status rows for every PMID (pending, or why it is not fetched) and the PMIDs to fetch, in order."""
    stored, checks = log.studies_by_pmid(ids), log.last_checks(PUBMED, ids)
    elsewhere = {p: s[0] for p, s in stored.items() if s[0] != p}
    done = {
        p: c
        for p, c in checks.items()
        if p not in elsewhere
        and (c.status == NO_ABSTRACT or stored.get(p, ("", None))[1] == PUBMED)
    }
    modified: set[str] = set()
    if done:
        since = min(datetime.fromisoformat(c.at).date() for c in done.values()) - timedelta(days=1)
        changed = search_all(
            client,
            query,
            datetype="mdat",
            mindate=ncbi_date(since),
            maxdate=ncbi_date(date.today() + timedelta(days=2)),
        )
        modified = set(changed.ids) & done.keys()
    rows: list[tuple[str, str, str | None]] = []
    wanted: list[str] = []
    for pmid in ids:
        if pmid in elsewhere:
            rows.append((pmid, STORED, f"already stored as study {elsewhere[pmid]}"))
        elif pmid in done and pmid not in modified:
            check = done[pmid]
            rows.append(
                (
                    pmid,
                    NO_ABSTRACT if check.status == NO_ABSTRACT else STORED,
                    f"not modified since {check.at[:10]}: not fetched again",
                )
            )
        else:
            wanted.append(pmid)
            rows.append((pmid, PENDING, "modified since last fetch" if pmid in modified else None))
    return rows, wanted


def fetch_europepmc(
    store: EvidenceDB,
    client: EuropePMCClient,
    query: str,
    *,
    limit: int | None = None,
    mindate: str | None = None,
    maxdate: str | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> FetchReport:
    """Store every Europe PMC record of `query`; a PMID already stored from PubMed (or a file) keeps that record."""
    log, tick = FetchLog(store), progress or (lambda n: None)
    lo = parse_bound(mindate, end=False).isoformat() if mindate else None
    hi = parse_bound(maxdate, end=True).isoformat() if maxdate else None

    def body(report: FetchReport) -> None:
        seen: set[str] = set()
        for page in client.search(dated_query(query, lo, hi), limit=limit):
            if on_total and not seen:
                on_total(min(page.hit_count, limit) if limit is not None else page.hit_count)
            report.count = page.hit_count
            items = [i for i in page.items if _key(i) and _key(i) not in seen]
            ids = list(dict.fromkeys(_key(i) for i in items))
            seen.update(ids)
            stored = log.studies_by_pmid([p for p in ids if p.isdigit()])
            kept_elsewhere = {p: s for p, s in stored.items() if s[1] != EPMC or s[0] != p}
            log.set(
                report.run_id,
                EPMC,
                [
                    (p, STORED, f"already stored as study {s[0]} from {s[1]}")
                    for p, s in kept_elsewhere.items()
                ],
            )
            todo = [i for i in ids if i not in kept_elsewhere]
            log.save_batch(
                report.run_id, EPMC, todo, items, report.imported, missing="record without text"
            )
            report.requested += len(ids)
            tick(len(ids))

    inputs = {
        "source": EPMC,
        "mindate": mindate,
        "maxdate": maxdate,
        "max": limit,
        "base_url": client.base_url,
    }
    return _run(store, EPMC, query, inputs, body, client)


def _key(item: object) -> str:
    if isinstance(item, Article):
        return item.study_id
    if isinstance(item, Rejected):
        return item.record_id or ""
    return ""
