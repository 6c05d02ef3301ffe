"""Whole PubMed searches and their records: date-split esearch, then efetch in batches.

esearch lists at most 9,999 PMIDs of a query, so a query with more hits is split
into date ranges (halved until each holds at most 9,999) and the union of the
parts is checked against the query's `Count`. Batches are fetched from the
history session when they are a contiguous run of a search's results, and by
POSTed id list otherwise (resuming, or after the session expired).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from evidence_tables.corpus.errors import FetchError, HistoryExpiredError, SearchError
from evidence_tables.corpus.eutils import EutilsClient
from evidence_tables.corpus.eutils_parse import SearchPage
from evidence_tables.corpus.models import Article, Item, Rejected

_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2})(?:[/-](\d{1,2}))?)?$")
EARLIEST = date(1700, 1, 1)


def parse_bound(text: str, *, end: bool) -> date:
    """A PubMed date (YYYY, YYYY/MM or YYYY/MM/DD) as the first or last day it covers."""
    m = _DATE.match(text.strip())
    if not m:
        raise SearchError(f"not a date: {text!r} (use YYYY, YYYY/MM or YYYY/MM/DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            mo = int(month)
            return date(year, mo, calendar.monthrange(year, mo)[1] if end else 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError as exc:
        raise SearchError(f"not a date: {text!r} ({exc})") from exc


def ncbi_date(d: date) -> str:
    return d.strftime("%Y/%m/%d")


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """The PMIDs of one esearch (a date range of the query) and the history session holding them."""

    ids: tuple[str, ...]
    webenv: str | None = None
    query_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """Every PMID of a query (deduplicated, PubMed's order), with what PubMed said about the query."""

    count: int
    ids: tuple[str, ...]
    segments: tuple[Segment, ...]
    translation: str | None = None
    warnings: tuple[str, ...] = ()
    esearches: int = 1


@dataclass(slots=True)
class _Search:
    client: EutilsClient
    term: str
    datetype: str
    esearches: int = 0
    warnings: list[str] = field(default_factory=list)

    def page(self, lo: date | None, hi: date | None, retmax: int | None = None) -> SearchPage:
        self.esearches += 1
        page = self.client.esearch(
            self.term,
            retmax=retmax,
            datetype=self.datetype,
            mindate=ncbi_date(lo) if lo else None,
            maxdate=ncbi_date(hi) if hi else None,
        )
        if (
            self.esearches == 1
        ):  # what PubMed says of the query (date parts only repeat it, or find nothing)
            self.warnings.extend(page.warnings)
        return page

    def split(self, lo: date, hi: date) -> Iterator[Segment]:
        """Segments covering lo..hi, newest range first (PubMed lists newest first)."""
        mid = lo + timedelta(days=(hi - lo).days // 2)
        for a, b in ((mid + timedelta(days=1), hi), (lo, mid)):
            if a > b:
                continue
            page = self.page(a, b)
            if page.count <= self.client.esearch_limit:
                yield Segment(ids=page.ids, webenv=page.webenv, query_key=page.query_key)
            elif a == b:
                raise SearchError(
                    f"{page.count} records on {ncbi_date(a)} alone: more than esearch can list "
                    f"({self.client.esearch_limit}); narrow the query",
                    source="esearch",
                )
            else:
                yield from self.split(a, b)


def search_all(
    client: EutilsClient,
    term: str,
    *,
    mindate: str | None = None,
    maxdate: str | None = None,
    datetype: str = "pdat",
    limit: int | None = None,
) -> SearchResult:
    """All PMIDs of `term` (the first `limit` of them), splitting by date when there are too many for one esearch."""
    lo = parse_bound(mindate, end=False) if mindate else None
    hi = parse_bound(maxdate, end=True) if maxdate else None
    search = _Search(client, term, datetype)
    cap = client.esearch_limit
    first = search.page(lo, hi, retmax=min(limit or cap, cap))
    wanted = first.count if limit is None else min(limit, first.count)
    if wanted <= cap:
        segments = [Segment(ids=first.ids, webenv=first.webenv, query_key=first.query_key)]
    else:
        segments, have = [], 0
        for segment in search.split(lo or EARLIEST, hi or date(date.today().year + 5, 12, 31)):
            segments.append(segment)
            have += len(segment.ids)
            if have >= wanted:
                break
    ids = tuple(dict.fromkeys(i for s in segments for i in s.ids))[:wanted]
    if len(ids) != wanted:
        search.warnings.append(
            f"PubMed counts {first.count} records but the searches listed {len(ids)}"
            f"{' (date-split)' if len(segments) > 1 else ''}: {wanted - len(ids)} may be missing"
        )
    return SearchResult(
        count=first.count,
        ids=ids,
        segments=tuple(segments),
        translation=first.translation,
        warnings=tuple(search.warnings),
        esearches=search.esearches,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Batch:
    """What efetch gave for one batch of PMIDs: its records, or the error that outlasted the retries."""

    ids: tuple[str, ...]
    items: tuple[Item, ...] = ()
    error: FetchError | None = None


def item_id(item: Item) -> str | None:
    if isinstance(item, Article):
        return item.pmid
    if isinstance(item, Rejected):
        return item.record_id
    return None


def iter_batches(
    client: EutilsClient,
    segments: Iterable[Segment],
    wanted: Iterable[str],
    *,
    batch_size: int = 200,
) -> Iterator[Batch]:
    """Fetch every wanted PMID once, in batches, in search order; a failed batch is yielded with its error."""
    todo = set(wanted)
    dead_sessions: set[str] = set()
    for segment in segments:
        positions = [i for i, pmid in enumerate(segment.ids) if pmid in todo]
        todo.difference_update(segment.ids[i] for i in positions)
        for start in range(0, len(positions), batch_size):
            chunk = positions[start : start + batch_size]
            ids = tuple(segment.ids[i] for i in chunk)
            contiguous = chunk[-1] - chunk[0] + 1 == len(chunk)
            try:
                if (
                    contiguous
                    and segment.webenv
                    and segment.query_key
                    and segment.webenv not in dead_sessions
                ):
                    try:
                        yield _from_history(client, segment, chunk[0], ids)
                        continue
                    except HistoryExpiredError:
                        dead_sessions.add(segment.webenv)
                yield Batch(ids=ids, items=tuple(client.efetch_ids(ids)))
            except FetchError as exc:
                yield Batch(ids=ids, error=exc)
    for start in range(
        0, len(leftover := sorted(todo)), batch_size
    ):  # wanted ids no segment listed
        ids = tuple(leftover[start : start + batch_size])
        try:
            yield Batch(ids=ids, items=tuple(client.efetch_ids(ids)))
        except FetchError as exc:
            yield Batch(ids=ids, error=exc)


def _from_history(
    client: EutilsClient, segment: Segment, retstart: int, ids: tuple[str, ...]
) -> Batch:
    items = client.efetch_history(segment.webenv or "", segment.query_key or "", retstart, len(ids))
    missing = set(ids) - {item_id(i) for i in items}
    if missing:  # the session's list differs from the one esearch gave: ask for the rest by id
        items += client.efetch_ids([i for i in ids if i in missing])
    return Batch(ids=ids, items=tuple(items))
