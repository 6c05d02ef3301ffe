"""Rows 11-13 of the reliability issue: a drip-fed answer, a redirect to another server, a run where every record failed.

Real HTTP servers on 127.0.0.1, written here for what the loopback server does not do: send an
answer one byte at a time, or redirect.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from clients import EMAIL

from evidence_tables.corpus.errors import FetchError
from evidence_tables.corpus.eutils import EutilsClient
from evidence_tables.corpus.http import Pacer, RetryPolicy
from evidence_tables.fetch_jobs import fetch_pubmed, open_http

ESEARCH = json.dumps(
    {
        "esearchresult": {
            "count": "0",
            "retmax": "0",
            "retstart": "0",
            "idlist": [],
            "querytranslation": "x",
        }
    }
).encode()
EVIDENCE = str(Path(sys.executable).parent / "evidence")


@contextmanager
def server(
    answer: Callable[[BaseHTTPRequestHandler, bytes], None],
) -> Iterator[tuple[str, list[tuple[str, str, bytes]]]]:
    """A server on 127.0.0.1 calling `answer(handler, request body)`; yields its address and the requests it saw."""
    seen: list[tuple[str, str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.command, self.path, body))
            try:
                answer(self, body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _any  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def client(
    http: httpx.Client, base: str, *, deadline: float | None = None, **kwargs
) -> EutilsClient:
    made = EutilsClient(
        http,
        email=EMAIL,
        base_url=base + "/entrez/eutils/",
        pacer=Pacer(rate=100.0),
        retry=RetryPolicy(attempts=2, base=0.01, cap=0.01),
        **kwargs,
    )
    if deadline is not None:
        made.http.deadline = deadline  # (EutilsClient(deadline=...) says the same)
    return made


# ---- row 11: an answer drip-fed one byte at a time -------------------------------------------------------------
def drip(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(ESEARCH)))
    handler.end_headers()
    for byte in ESEARCH:  # about 20 s in all, each byte well within the read timeout
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


def test_a_drip_fed_answer_is_cut_off_at_the_deadline():
    with server(drip) as (base, seen), httpx.Client(timeout=httpx.Timeout(30.0)) as http:
        started = time.monotonic()
        with pytest.raises(FetchError, match="not complete after 1.5 s"):
            client(http, base, deadline=1.5).esearch("car-t")
        assert time.monotonic() - started < 8  # two attempts of 1.5 s, not 2 x 20 s
        assert len(seen) == 2


def test_an_answer_within_the_deadline_is_read_whole():
    def steady(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
        send(handler, 200, ESEARCH, **{"Content-Type": "application/json"})

    with server(steady) as (base, _seen), httpx.Client(timeout=httpx.Timeout(5.0)) as http:
        assert client(http, base, deadline=1.5).esearch("car-t").count == 0


# ---- row 12: a redirect to another server ------------------------------------------------------------------------
def test_a_redirect_to_another_server_is_not_followed_with_the_api_key():
    with server(lambda h, b: send(h, 200, ESEARCH)) as (elsewhere, received):

        def moved(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
            send(handler, 307, Location=elsewhere + handler.path)

        with server(moved) as (base, _seen), open_http() as http:
            with pytest.raises(FetchError, match="redirected to another server") as err:
                client(http, base, api_key="SECRET-KEY").esearch("car-t")
        assert received == []  # nothing, above all no API key, reached the other server
        assert "SECRET-KEY" not in str(err.value)


def test_a_redirect_on_the_same_server_is_followed():
    def answer(handler: BaseHTTPRequestHandler, _body: bytes) -> None:
        if handler.path.startswith("/old/"):
            send(handler, 307, Location=handler.path.replace("/old/", "/entrez/eutils/"))
        else:
            send(handler, 200, ESEARCH)

    with server(answer) as (base, seen), open_http() as http:
        moved = EutilsClient(
            http,
            email=EMAIL,
            base_url=base + "/old/",
            api_key="SECRET-KEY",
            pacer=Pacer(rate=100.0),
        )
        assert moved.esearch("car-t").count == 0
    assert [(m, p) for m, p, _ in seen] == [
        ("POST", "/old/esearch.fcgi"),
        ("POST", "/entrez/eutils/esearch.fcgi"),
    ]
    assert (
        b"api_key=SECRET-KEY" in seen[1][2]
    )  # 307 keeps the method and the form: same server, same key


def test_the_fetch_command_refuses_a_redirect_to_another_server(tmp_path):
    with server(lambda h, b: send(h, 200, ESEARCH)) as (elsewhere, received):
        with server(lambda h, b: send(h, 307, Location=elsewhere + h.path)) as (base, _seen):
            result = subprocess.run(
                [
                    EVIDENCE,
                    "fetch",
                    str(tmp_path / "r.db"),
                    "car-t",
                    "--base-url",
                    base + "/",
                    "--email",
                    EMAIL,
                    "--api-key",
                    "SECRET-KEY",
                    "-q",
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
    assert result.returncode == 1 and "redirected to another server" in result.stderr, result.stderr
    assert received == [] and "SECRET-KEY" not in result.stderr


# ---- row 13: the run's status says what became of its records ------------------------------------------------
def test_a_fetch_where_every_record_failed_is_recorded_as_failed(store, loopback, pubmed):
    srv = loopback()
    srv.unfetchable = {r.pmid for r in srv.records}
    report = fetch_pubmed(store, pubmed(srv), "car-t lymphoma", batch_size=50)
    assert report.statuses["failed"] == report.requested > 0 and not report.ok
    assert (
        store.db.execute("SELECT status FROM runs WHERE run_id = ?", [report.run_id]).fetchone()[0]
        == "failed"
    )


def test_a_fetch_where_some_records_failed_is_partial(store, loopback, pubmed):
    srv = loopback()
    srv.unfetchable = {r.pmid for r in srv.records[:5]}
    report = fetch_pubmed(store, pubmed(srv), "car-t lymphoma", batch_size=50)
    assert 0 < report.statuses["failed"] < report.requested
    assert (
        store.db.execute("SELECT status FROM runs WHERE run_id = ?", [report.run_id]).fetchone()[0]
        == "partial"
    )
