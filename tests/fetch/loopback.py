"""A loopback stand-in for NCBI E-utilities and Europe PMC, for the tests and the benchmark.

A real HTTP server (stdlib `ThreadingHTTPServer`, HTTP/1.1 keep-alive) on
127.0.0.1 with synthetic records. It answers esearch (JSON, usehistory),
efetch (PubMed XML by id list or WebEnv/query_key) and Europe PMC search
(cursorMark paging) in the shapes the real services use, enforces a request
rate per API key (429 with NCBI's JSON body), and injects faults on demand:
500s, 429s, slow answers, truncated bodies, dropped connections, `<ERROR>`
answers and expired history sessions.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

FAULTS = ("500", "429", "slow", "drop", "truncate", "truncate-body", "error", "expire")


@dataclass
class Hit:
    """One request the server saw."""

    endpoint: str
    params: dict[str, str]
    at: float
    status: int = 200
    fault: str | None = None


@dataclass
class Loopback:
    """The server's state; `start()` serves it on 127.0.0.1 and returns the base URL."""

    records: list = field(default_factory=list)
    epmc_only: list = field(default_factory=list)
    limit: int = 3
    keyed_limit: int = 10
    window: float = 1.0
    keys: tuple[str, ...] = ()
    esearch_cap: int = 9999
    slow_seconds: float = 0.5
    retry_after: str | None = None

    def __post_init__(self) -> None:
        self.hits: list[Hit] = []
        self.served: Counter[str] = Counter()
        self.faults: dict[str, deque[str]] = {}
        self.sessions: dict[str, list[str]] = {}
        self.refused = 0
        self.drop_all = False
        self.unfetchable: set[str] = (
            set()
        )  # listed by esearch, never returned by efetch (withdrawn)
        self._arrivals: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---- control ------------------------------------------------------------------------------
    def inject(self, endpoint: str, *faults: str) -> None:
        """Queue faults for the next requests to `endpoint` (esearch.fcgi, efetch.fcgi or search), in order."""
        assert all(f in FAULTS for f in faults), faults
        self.faults.setdefault(endpoint, deque()).extend(faults)

    def by_pmid(self, pmid: str):  # noqa: ANN201
        return next(r for r in self.records if r.pmid == pmid)

    def requests(self, endpoint: str) -> list[Hit]:
        return [h for h in self.hits if h.endpoint == endpoint]

    @property
    def rate(self) -> float:
        return self.limit / self.window

    def start(self) -> str:
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = (
                True  # headers and body go out as two writes: no 40 ms delayed-ACK stall
            )

            def do_GET(self) -> None:  # noqa: N802
                app.handle(self)

            def do_POST(self) -> None:  # noqa: N802
                app.handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self.base_url

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def eutils_url(self) -> str:
        return self.base_url + "/entrez/eutils/"

    @property
    def epmc_url(self) -> str:
        return self.base_url + "/europepmc/webservices/rest/"

    # ---- dispatch -----------------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler) -> None:
        url = urlsplit(h.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if h.command == "POST":
            body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
            params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()})
        endpoint = url.path.rsplit("/", 1)[-1]
        hit = Hit(endpoint=endpoint, params=params, at=time.monotonic())
        with self._lock:
            self.hits.append(hit)
        refused = 0
        if endpoint in ("esearch.fcgi", "efetch.fcgi") and not self.drop_all:
            key = params.get("api_key")
            if key and key not in self.keys:
                return self._send(
                    h, hit, 400, json.dumps({"error": "API key invalid", "api-key": key}).encode()
                )
            refused = self._over_rate(key or "-", hit.at)
        if not refused:  # faults wait for a request the rate limit lets through
            with self._lock:
                queue = self.faults.get(endpoint)
                hit.fault = "drop" if self.drop_all else (queue.popleft() if queue else None)
        try:
            self._answer(h, hit, refused)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _answer(self, h: BaseHTTPRequestHandler, hit: Hit, refused: int) -> None:
        fault, params = hit.fault, hit.params
        if fault == "drop":
            hit.status = 0
            h.close_connection = True
            return
        if hit.endpoint in ("esearch.fcgi", "efetch.fcgi"):
            if refused or fault == "429":
                self.refused += 1
                body = json.dumps(
                    {"error": "API rate limit exceeded", "count": str(refused or self.limit + 1)}
                )
                headers = {"Retry-After": self.retry_after} if self.retry_after else {}
                return self._send(h, hit, 429, body.encode(), headers=headers)
        if fault == "500":
            return self._send(
                h,
                hit,
                500,
                b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                ctype="text/html",
            )
        if fault == "slow":
            time.sleep(self.slow_seconds)
        if fault == "expire":
            self.sessions.clear()
        if hit.endpoint == "esearch.fcgi":
            body, ctype = self._esearch(params, error=fault == "error"), "application/json"
        elif hit.endpoint == "efetch.fcgi":
            body, ctype = self._efetch(params, error=fault == "error"), "text/xml"
        elif hit.endpoint == "search":
            body, ctype = self._epmc(params), "application/json"
        else:
            return self._send(h, hit, 404, b"not found", ctype="text/plain")
        if fault == "truncate-body":  # a complete HTTP answer whose document is cut short
            body = body[: len(body) // 2]
        self._send(h, hit, 200, body, ctype=ctype, cut=fault == "truncate")

    def _over_rate(self, key: str, now: float) -> int:
        """0 if a request may pass now, else how many came in the window (it is then refused, not counted)."""
        limit = self.keyed_limit if key != "-" else self.limit
        with self._lock:
            times = self._arrivals.setdefault(key, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= limit:
                return len(times) + 1
            times.append(now)
            return 0

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        hit: Hit,
        status: int,
        body: bytes,
        *,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
        cut: bool = False,
    ) -> None:
        hit.status = status
        h.send_response(status)
        h.send_header("Content-Type", f"{ctype}; charset=UTF-8")
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if cut:  # promise the whole body, send half, hang up
            h.wfile.write(body[: len(body) // 2])
            h.close_connection = True
        else:
            h.wfile.write(body)
        h.wfile.flush()

    # ---- E-utilities --------------------------------------------------------------------------
    def _matches(self, term: str, params: dict[str, str]) -> tuple[list, list[str]]:
        words = term.split()
        unknown = [w for w in words if w.startswith("zz")]
        topic = " ".join(w for w in words if not w.startswith("zz"))
        found = [r for r in self.records if topic in r.topics]
        if params.get("mindate") or params.get("maxdate"):
            lo = _day(params.get("mindate", "1000"), end=False)
            hi = _day(params.get("maxdate", "3000"), end=True)
            attr = "mdat" if params.get("datetype") == "mdat" else "pdat"
            found = [r for r in found if lo <= getattr(r, attr) <= hi]
        found.sort(key=lambda r: (r.pdat, r.pmid), reverse=True)
        return found, unknown

    def _esearch(self, params: dict[str, str], *, error: bool) -> bytes:
        head = {"type": "esearch", "version": "0.3"}
        if error:
            return json.dumps(
                {
                    "header": head,
                    "esearchresult": {"ERROR": "Invalid query: unbalanced parentheses"},
                }
            ).encode()
        retstart, retmax = (
            int(params.get("retstart", 0)),
            min(int(params.get("retmax", 20)), self.esearch_cap),
        )
        if retstart > self.esearch_cap - 1:
            return json.dumps(
                {
                    "header": head,
                    "esearchresult": {
                        "ERROR": f"Search Backend failed: 'retstart' cannot be larger than {self.esearch_cap - 1}."
                    },
                }
            ).encode()
        found, unknown = self._matches(params.get("term", ""), params)
        result: dict[str, object] = {
            "count": str(len(found)),
            "retmax": str(len(found[retstart : retstart + retmax])),
            "retstart": str(retstart),
        }
        if params.get("usehistory") == "y":
            webenv = "MCID_" + uuid.uuid4().hex
            self.sessions[webenv] = [r.pmid for r in found]
            result.update(querykey="1", webenv=webenv)
        result["idlist"] = [r.pmid for r in found[retstart : retstart + retmax]]
        result["translationset"] = []
        topic = " ".join(w for w in params.get("term", "").split() if not w.startswith("zz"))
        result["querytranslation"] = f'"{topic}"[All Fields]'
        if unknown:
            result["errorlist"] = {"phrasesnotfound": unknown, "fieldsnotfound": []}
        if not found:
            result["warninglist"] = {
                "phrasesignored": [],
                "quotedphrasesnotfound": [],
                "outputmessages": ["No items found."],
            }
        return json.dumps({"header": head, "esearchresult": result}).encode()

    def _efetch(self, params: dict[str, str], *, error: bool) -> bytes:
        if error:
            return b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Search Backend failed</ERROR>\n</eFetchResult>\n'
        if "WebEnv" in params:
            session = self.sessions.get(params["WebEnv"])
            if session is None:
                return (
                    b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
                    b"\t<ERROR>Unable to obtain query #"
                    + params.get("query_key", "1").encode()
                    + b"</ERROR>\n</eFetchResult>\n"
                )
            start = int(params.get("retstart", 0))
            ids = session[start : start + int(params.get("retmax", 20))]
        else:
            ids = [i for i in params.get("id", "").split(",") if i]
        known = {r.pmid: r for r in self.records}
        records = [known[i] for i in ids if i in known and i not in self.unfetchable]
        with self._lock:
            self.served.update(r.pmid for r in records)
        return pubmed_xml(records)

    # ---- Europe PMC ---------------------------------------------------------------------------
    def _epmc(self, params: dict[str, str]) -> bytes:
        query, cursor = params.get("query", ""), params.get("cursorMark", "*")
        size, kind = int(params.get("pageSize", 25)), params.get("resultType", "lite")
        m = re.match(r"^\((.*)\) AND FIRST_PDATE:\[(\S+) TO (\S+)\]$", query)
        topic, lo, hi = (
            (m.group(1), date.fromisoformat(m.group(2)), date.fromisoformat(m.group(3)))
            if m
            else (query, date.min, date.max)
        )
        found = [
            r for r in self.records + self.epmc_only if topic in r.topics and lo <= r.pdat <= hi
        ]
        found.sort(key=lambda r: (r.pdat, r.pmid or r.ppr), reverse=True)
        offset = 0 if cursor == "*" else int(base64.b64decode(cursor).decode().split(":")[1])
        page = found[offset : offset + size]
        data: dict[str, object] = {"version": "6.9", "hitCount": len(found)}
        if found:
            data["nextCursorMark"] = (
                base64.b64encode(f"AoIIP:{offset + len(page)}".encode()).decode()
                if page
                else cursor
            )
        data["request"] = {
            "queryString": query,
            "resultType": kind,
            "cursorMark": cursor,
            "pageSize": size,
            "sort": "",
            "synonym": False,
        }
        data["resultList"] = {"result": [r.epmc_json(core=kind == "core") for r in page]}
        with self._lock:
            self.served.update(r.study_id for r in page)
        return json.dumps(data).encode()


def _day(text: str, *, end: bool) -> date:
    parts = [int(p) for p in text.split("/")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], 28 if end else 1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def pubmed_xml(records: list) -> bytes:
    """A `PubmedArticleSet` as efetch writes it (declaration, DOCTYPE, one line per article)."""
    out = [
        '<?xml version="1.0" ?>',
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">',
        "<PubmedArticleSet>",
    ]
    for r in records:
        abstract = ""
        if r.sections:
            texts = "".join(
                f"<AbstractText Label={quoteattr(label.upper())} NlmCategory={quoteattr(label.upper())}>"
                f"{xml}</AbstractText>"
                if label
                else f"<AbstractText>{xml}</AbstractText>"
                for label, xml in r.xml_sections()
            )
            abstract = f"<Abstract>{texts}</Abstract>"
        authors = "".join(
            f'<Author ValidYN="Y"><LastName>{escape(last)}</LastName><ForeName>{escape(fore)}</ForeName>'
            f"<Initials>{escape(ini)}</Initials></Author>"
            for last, fore, ini in r.authors
        )
        out.append(
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{r.pmid}</PMID>'
            f"<DateRevised><Year>{r.mdat.year}</Year><Month>{r.mdat.month:02d}</Month><Day>{r.mdat.day:02d}</Day></DateRevised>"
            f'<Article PubModel="Print"><Journal><ISSN IssnType="Print">1234-5678</ISSN><JournalIssue CitedMedium="Print">'
            f"<Volume>{r.pdat.year - 1980}</Volume><PubDate><Year>{r.pdat.year}</Year><Month>{r.pdat.strftime('%b')}</Month>"
            f"</PubDate></JournalIssue><Title>{escape(r.journal)}</Title></Journal>"
            f"<ArticleTitle>{escape(r.title)}</ArticleTitle>{abstract}"
            f'<AuthorList CompleteYN="Y">{authors}</AuthorList><Language>eng</Language>'
            f'<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>'
            f"</Article></MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
            f'<ArticleId IdType="pubmed">{r.pmid}</ArticleId><ArticleId IdType="doi">{escape(r.doi)}</ArticleId>'
            f"</ArticleIdList></PubmedData></PubmedArticle>"
        )
    out.append("</PubmedArticleSet>")
    return "\n".join(out).encode("utf-8")


if (
    __name__ == "__main__"
):  # serve by hand: python tests/fetch/loopback.py [N], then evidence fetch --base-url ...
    import sys

    from corpus_synth import make_corpus, make_preprints

    server = Loopback(
        records=make_corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 300),
        epmc_only=make_preprints(5),
    )
    server.start()
    print(
        f"E-utilities: {server.eutils_url}\nEurope PMC:  {server.epmc_url}\nquery: car-t lymphoma",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()
