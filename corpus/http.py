"""Polite HTTP for the web-service clients: paced request starts, bounded retries, errors translated.

The clients take an `httpx.Client` (so tests and callers choose transport, timeouts
and proxies) and wrap it in `PoliteHttp`, the one place that talks to httpx. Every
attempt waits for the `Pacer`, so retries are paced too; 429, 5xx, timeouts,
dropped connections and bodies that fail to parse (truncated) are retried with
exponential backoff and jitter, honouring `Retry-After`. Whatever still fails is
raised as a `FetchError` from the httpx exception.

Each attempt has an overall deadline (`DEADLINE`): httpx's timeouts bound each read, so a
server sending one byte every few seconds would otherwise hold a run for hours. The
answer is read as it arrives, and at most `MAX_ANSWER_BYTES` of it. Redirects are
followed only on the same server (http to https included): the form data of a POST,
with the API key, never goes to another one.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx

from evidence_tables.corpus.errors import FetchError, ParseError, RateLimitError

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEADLINE = (
    120.0  # seconds an attempt may take from sending the request to the last byte of the answer
)
MAX_ANSWER_BYTES = 256 * 1024 * 1024  # an efetch of 200 records is a few megabytes
MAX_REDIRECTS = 5


class _TooLarge(Exception):
    """The answer outgrew MAX_ANSWER_BYTES."""


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def same_server(first: httpx.URL, then: httpx.URL) -> bool:
    """A redirect that keeps to the server asked: same host and port, or the same host moved to https."""
    if _origin(first) == _origin(then):
        return True
    return (
        first.host == then.host
        and first.scheme == "http"
        and then.scheme == "https"
        and first.port in (None, 80)
        and then.port in (None, 443)
    )


@dataclass(slots=True)
class Pacer:
    """Keeps request starts at least `1 / rate` seconds apart (a token bucket that holds one token).

    `safety` widens the interval a little so that a server measuring arrivals
    with a sliding one-second window never sees `rate + 1` starts in it.
    """

    rate: float
    safety: float = 0.02
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float = field(default=-math.inf, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def interval(self) -> float:
        return (1.0 + self.safety) / self.rate

    def wait(self) -> float:
        """Block until the next request may start; return how long that took."""
        with self._lock:
            delay = self._next - self.clock()
            if delay > 0:
                self.sleep(delay)
            self._next = max(self.clock(), self._next) + self.interval
            return max(delay, 0.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """How often and how long to retry: `attempts` in all, backoff doubling from `base` up to `cap`."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    retry_after_cap: float = 120.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based): half fixed, half random."""
        backoff = min(self.cap, self.base * 2 ** (attempt - 1))
        jittered = backoff / 2 + rng.uniform(0, backoff / 2)
        if retry_after is not None:
            return min(self.retry_after_cap, max(retry_after, jittered))
        return jittered


@dataclass(slots=True)
class HttpStats:
    """What a client did on the wire: requests sent, retries, and requests refused for rate (429)."""

    requests: int = 0
    retries: int = 0
    refused_for_rate: int = 0
    backoff_seconds: float = 0.0


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """`Retry-After` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None


def error_summary(body: bytes, limit: int = 200) -> str:
    """The gist of an error body: the `error` field of JSON bodies, else the start of the text."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return data["error"]
    return " ".join(text.split())[:limit] or "(empty body)"


class PoliteHttp:
    """An httpx client behind a pacer and a retry policy; `secrets` never appear in any message."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        pacer: Pacer,
        retry: RetryPolicy | None = None,
        service: str,
        secrets: tuple[str, ...] = (),
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_retry: Callable[[str], None] | None = None,
        deadline: float = DEADLINE,
    ) -> None:
        self.client = client
        self.deadline = deadline
        self.pacer = pacer
        self.retry = retry or RetryPolicy()
        self.service = service
        self.secrets = tuple(s for s in secrets if s)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.on_retry = on_retry
        self.stats = HttpStats()

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def _server(self, url: str) -> str:
        """'https://eutils.ncbi.nlm.nih.gov': where a request went, for messages."""
        try:
            full = self.client.base_url.join(url) if self.client.base_url else httpx.URL(url)
        except httpx.InvalidURL:
            return url
        return f"{full.scheme}://{full.host}" if full.host else url

    def call(
        self,
        method: str,
        url: str,
        *,
        read: Callable[[bytes], T],
        what: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> T:
        """Send one request (retrying as needed) and return `read(body)` of the first good answer.

        `read` may raise `ParseError` for a body that does not parse (a truncated
        answer): that is retried like a dropped connection.
        """
        problem, status = "", None
        cause: Exception | None = None
        for attempt in range(1, self.retry.attempts + 1):
            self.pacer.wait()
            self.stats.requests += 1
            retry_after = None
            try:
                status, headers, body = self._exchange(
                    method, url, params=params, data=data, what=what
                )
            except (
                httpx.UnsupportedProtocol,
                httpx.InvalidURL,
            ) as exc:  # a wrong address: retrying cannot help
                raise FetchError(self.scrub(f"{what}: {exc}"), source=self.service) from exc
            except httpx.TimeoutException as exc:
                problem, status, cause = (
                    f"{self._server(url)} timed out ({type(exc).__name__}: {exc})",
                    None,
                    exc,
                )
            except (httpx.TransportError, httpx.DecodingError) as exc:
                problem, status, cause = (
                    f"connection to {self._server(url)} failed ({type(exc).__name__}: {exc})",
                    None,
                    exc,
                )
            except httpx.HTTPError as exc:
                raise FetchError(self.scrub(f"{what}: {exc}"), source=self.service) from exc
            except _TooLarge as exc:
                raise FetchError(
                    self.scrub(f"{what}: the answer is over {MAX_ANSWER_BYTES >> 20} MB: not read"),
                    source=self.service,
                    attempts=attempt,
                ) from exc
            else:
                if status == 200:
                    try:
                        return read(body)
                    except ParseError as exc:
                        problem, cause = f"unreadable answer ({exc.message})", exc
                elif status in RETRY_STATUSES:
                    self.stats.refused_for_rate += status == 429
                    problem, cause = f"HTTP {status}: {error_summary(body)}", None
                    retry_after = retry_after_seconds(headers.get("Retry-After"))
                else:
                    raise FetchError(
                        self.scrub(f"{what}: HTTP {status}: {error_summary(body)}"),
                        source=self.service,
                        status=status,
                        attempts=attempt,
                    )
            if attempt == self.retry.attempts:
                break
            pause = self.retry.delay(attempt, retry_after, self.rng)
            self.stats.retries += 1
            self.stats.backoff_seconds += pause
            if self.on_retry:
                self.on_retry(
                    self.scrub(
                        f"{self.service} {what}: {problem}; retry {attempt}/{self.retry.attempts - 1} "
                        f"in {pause:.1f}s"
                    )
                )
            self.sleep(pause)
        kind = RateLimitError if status == 429 else FetchError
        message = self.scrub(f"{what}: {problem} (gave up after {self.retry.attempts} attempts)")
        raise kind(
            message, source=self.service, status=status, attempts=self.retry.attempts
        ) from cause

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        what: str,
    ) -> tuple[int, httpx.Headers, bytes]:
        """One attempt: the request, its redirects on the same server, and the whole answer, within the deadline."""
        deadline = time.monotonic() + self.deadline
        timeout = self.client.timeout
        per_read = min(timeout.read or self.deadline, self.deadline)
        request = self.client.build_request(
            method,
            url,
            params=params,
            data=data,
            timeout=httpx.Timeout(
                timeout.connect, read=per_read, write=timeout.write, pool=timeout.pool
            ),
        )
        asked = request.url
        for _ in range(MAX_REDIRECTS + 1):
            response = self.client.send(request, stream=True, follow_redirects=False)
            try:
                if response.is_redirect and response.next_request is not None:
                    target = response.next_request.url
                    if not same_server(asked, target):
                        raise FetchError(
                            self.scrub(
                                f"{what}: {self._server(str(asked))} redirected to another server ({target.scheme}://"
                                f"{target.host}): not followed, so nothing sent to {self._server(str(asked))} (an API key"
                                f" among it) goes there; give that address as --base-url if you trust it"
                            ),
                            source=self.service,
                            status=response.status_code,
                        )
                    request = response.next_request
                    continue
                return response.status_code, response.headers, self._body(response, deadline)
            finally:
                response.close()
        raise FetchError(
            self.scrub(f"{what}: more than {MAX_REDIRECTS} redirects"), source=self.service
        )

    def _body(self, response: httpx.Response, deadline: float) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise _TooLarge
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout(
                    f"the answer was not complete after {self.deadline:g} s",
                    request=response.request,
                )
        return b"".join(chunks)
