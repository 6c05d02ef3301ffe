"""Europe PMC REST search (`format=json&resultType=core`) as `Article(source="europepmc")` records.

Only `resultType=core` carries `abstractText`, which holds HTML (`<h4>` section
headings, `<i>`, `<sub>`); it is turned into the same ``LABEL: text`` paragraphs
the PubMed reader writes. Pages are followed with `cursorMark` until the mark
stops changing. A record's study id is its PMID, or ``SOURCE:id`` without one.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx

from evidence_tables.corpus.clean import clean_pmid, first_year, squash
from evidence_tables.corpus.errors import ParseError, ServiceError
from evidence_tables.corpus.html_text import html_abstract, html_to_text
from evidence_tables.corpus.http import DEADLINE, HttpStats, Pacer, PoliteHttp, RetryPolicy
from evidence_tables.corpus.limits import printable, screen
from evidence_tables.corpus.models import Article, Rejected

DEFAULT_BASE_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/"
SOURCE = "europepmc"
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchPage:
    """One page of a Europe PMC search: the hit count, the cursor for the next page and the records."""

    hit_count: int
    next_cursor: str | None
    items: tuple[Article | Rejected, ...]


def record_id(record: dict[str, Any]) -> str | None:
    """The PMID, or ``SOURCE:id`` (e.g. ``PPR:PPR12345``) for a record without one."""
    pmid = clean_pmid(record.get("pmid"))
    if pmid:
        return pmid
    rid, src = squash(str(record.get("id") or "")), squash(str(record.get("source") or ""))
    return f"{src}:{rid}" if rid and src else rid


def _authors(record: dict[str, Any]) -> tuple[str, ...]:
    listed = (record.get("authorList") or {}).get("author") or []
    names = [
        squash(a.get("fullName") or a.get("collectiveName")) for a in listed if isinstance(a, dict)
    ]
    if not names and record.get("authorString"):
        names = [squash(n) for n in str(record["authorString"]).rstrip(".").split(",")]
    return tuple(n for n in names if n)


def parse_record(record: dict[str, Any], where: str) -> Article | Rejected:
    """One `resultList.result` entry to an Article (or the reason it cannot be one)."""
    rid = record_id(record)
    if not rid:
        return Rejected(source=SOURCE, location=where, reason="record without id")
    abstract = html_abstract(record.get("abstractText"))
    if not abstract:
        return Rejected(
            source=SOURCE,
            location=where,
            record_id=printable(rid),
            reason="no abstract",
            is_error=False,
        )
    journal = (record.get("journalInfo") or {}).get("journal") or {}
    pub_types = (record.get("pubTypeList") or {}).get("pubType") or []
    return Article(
        study_id=rid,
        pmid=clean_pmid(record.get("pmid")),
        abstract=abstract,
        title=html_to_text(record.get("title")),
        doi=squash(record.get("doi")),
        journal=squash(journal.get("title")) or squash(record.get("journalTitle")),
        year=first_year(str(record.get("pubYear") or "")),
        authors=_authors(record),
        publication_types=tuple(t for t in (squash(str(p)) for p in pub_types) if t),
        source=SOURCE,
        location=where,
    )


def parse_search(body: bytes, *, cursor: str = "*") -> SearchPage:
    """A search answer (`format=json`, any resultType) to a page of records."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ParseError(f"Europe PMC JSON broken: {exc}", source=SOURCE) from exc
    if not isinstance(data, dict):
        raise ParseError("Europe PMC answer is not a JSON object", source=SOURCE)
    if "resultList" not in data:
        message = data.get("errMsg") or data.get("error") or "answer without `resultList`"
        raise ServiceError(f"Europe PMC: {message}", source=SOURCE)
    results = (data.get("resultList") or {}).get("result") or []
    items = tuple(
        screen(parse_record(r, f"cursor {cursor} #{i + 1}"))
        for i, r in enumerate(results)
        if isinstance(r, dict)
    )
    try:
        hits = int(data.get("hitCount", 0))
    except (TypeError, ValueError) as exc:
        raise ParseError(
            f"Europe PMC hitCount is not a number: {data.get('hitCount')!r}", source=SOURCE
        ) from exc
    return SearchPage(hit_count=hits, next_cursor=data.get("nextCursorMark") or None, items=items)


def dated_query(query: str, mindate: str | None, maxdate: str | None) -> str:
    """The query limited to first publication dates (YYYY-MM-DD bounds, inclusive)."""
    if not (mindate or maxdate):
        return query
    return f"({query}) AND FIRST_PDATE:[{mindate or '1000-01-01'} TO {maxdate or '3000-12-31'}]"


class EuropePMCClient:
    """Europe PMC search over an injected `httpx.Client`, paced and retried like the E-utilities client."""

    source = SOURCE

    def __init__(
        self,
        client: httpx.Client,
        *,
        base_url: str = DEFAULT_BASE_URL,
        email: str | None = None,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_retry: Callable[[str], None] | None = None,
        deadline: float = DEADLINE,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.email = email
        self.http = PoliteHttp(
            client,
            pacer=pacer or Pacer(rate=3.0),
            retry=retry,
            service="Europe PMC",
            sleep=sleep,
            rng=rng,
            on_retry=on_retry,
            deadline=deadline,
        )

    @property
    def stats(self) -> HttpStats:
        return self.http.stats

    def search(
        self, query: str, *, limit: int | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[SearchPage]:
        """Pages of `query` until the cursor stops moving, the hits are all read or `limit` records were seen."""
        cursor, seen = "*", 0
        while True:
            size = (
                min(page_size, MAX_PAGE_SIZE, limit - seen)
                if limit is not None
                else min(page_size, MAX_PAGE_SIZE)
            )
            params = {
                "query": query,
                "format": "json",
                "resultType": "core",
                "pageSize": str(size),
                "cursorMark": cursor,
            }
            if self.email:
                params["email"] = self.email
            page = self.http.call(
                "GET",
                self.base_url + "search",
                params=params,
                what=f"search page at {cursor}",
                read=partial(parse_search, cursor=cursor),
            )
            items = page.items if limit is None else page.items[: limit - seen]
            seen += len(items)
            yield SearchPage(hit_count=page.hit_count, next_cursor=page.next_cursor, items=items)
            done = not page.items or seen >= page.hit_count or (limit is not None and seen >= limit)
            if done or not page.next_cursor or page.next_cursor == cursor:
                return
            cursor = page.next_cursor
