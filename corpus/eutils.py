"""A client for NCBI E-utilities (esearch and efetch on PubMed) over an injected `httpx.Client`.

Every request is a POST (long id lists and queries fit; the API key stays out of
URLs, which end up in logs and exception messages) carrying `tool` and `email`.
Request starts are paced to NCBI's limit: 3 per second, 10 with an API key.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

import httpx

from evidence_tables.corpus.eutils_parse import SearchPage, parse_efetch, parse_esearch
from evidence_tables.corpus.http import DEADLINE, HttpStats, Pacer, PoliteHttp, RetryPolicy
from evidence_tables.corpus.models import Item

DEFAULT_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
TOOL = "evidence"
MAX_ESEARCH_IDS = (
    9999  # esearch lists at most this many ids of one query (retstart > 9998 is an error)
)


def ncbi_rate(api_key: str | None) -> float:
    """Requests per second NCBI allows: 10 with an API key, 3 without."""
    return 10.0 if api_key else 3.0


class EutilsClient:
    """esearch and efetch for PubMed; the caller owns (and closes) the `httpx.Client`."""

    source = "pubmed"

    def __init__(
        self,
        client: httpx.Client,
        *,
        email: str,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        tool: str = TOOL,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_retry: Callable[[str], None] | None = None,
        esearch_limit: int = MAX_ESEARCH_IDS,
        deadline: float = DEADLINE,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.esearch_limit = esearch_limit  # most ids one esearch lists (NCBI's is 9,999)
        self._identity = {"tool": tool, "email": email}
        if api_key:
            self._identity["api_key"] = api_key
        self.http = PoliteHttp(
            client,
            pacer=pacer or Pacer(rate=ncbi_rate(api_key)),
            retry=retry,
            service="PubMed",
            secrets=(api_key or "",),
            sleep=sleep,
            rng=rng,
            on_retry=on_retry,
            deadline=deadline,
        )

    @property
    def stats(self) -> HttpStats:
        return self.http.stats

    def _post(self, utility: str, form: dict[str, str], read: Callable[[bytes], object], what: str):  # noqa: ANN202
        data = {"db": "pubmed", **form, **self._identity}
        return self.http.call("POST", self.base_url + utility, data=data, read=read, what=what)

    def esearch(
        self,
        term: str,
        *,
        retmax: int | None = None,
        retstart: int = 0,
        mindate: str | None = None,
        maxdate: str | None = None,
        datetype: str = "pdat",
        history: bool = True,
    ) -> SearchPage:
        """One esearch page (JSON) of `term`, optionally limited to a date range of `datetype`."""
        form = {
            "term": term,
            "retmode": "json",
            "retmax": str(retmax or self.esearch_limit),
            "retstart": str(retstart),
        }
        if history:
            form["usehistory"] = "y"
        if mindate or maxdate:
            form.update(datetype=datetype, mindate=mindate or "1000", maxdate=maxdate or "3000")
        span = f" {mindate or '…'}–{maxdate or '…'} ({datetype})" if (mindate or maxdate) else ""
        return self._post("esearch.fcgi", form, parse_esearch, f"esearch{span}")

    def efetch_ids(self, ids: Sequence[str]) -> list[Item]:
        """The PubMed XML records of these PMIDs (POSTed as one id list)."""
        form = {"id": ",".join(ids), "retmode": "xml"}
        return self._post("efetch.fcgi", form, self._read_efetch, f"efetch of {len(ids)} PMIDs")

    def efetch_history(self, webenv: str, query_key: str, retstart: int, retmax: int) -> list[Item]:
        """Records `retstart` to `retstart + retmax` of a search held in the history session."""
        form = {
            "WebEnv": webenv,
            "query_key": query_key,
            "retstart": str(retstart),
            "retmax": str(retmax),
            "retmode": "xml",
        }
        what = f"efetch of records {retstart + 1}-{retstart + retmax} from the search history"
        return self._post("efetch.fcgi", form, self._read_efetch, what)

    def _read_efetch(self, body: bytes) -> list[Item]:
        return parse_efetch(body, self.source)
