"""Pacing, retries and error translation of the HTTP layer, against the loopback server."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from clients import EMAIL, FAST_RETRY

from evidence_tables.corpus.errors import CorpusError, FetchError, RateLimitError
from evidence_tables.corpus.eutils import EutilsClient, ncbi_rate
from evidence_tables.corpus.http import Pacer, RetryPolicy, error_summary, retry_after_seconds


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_spaces_request_starts():
    clock = FakeClock()
    pacer = Pacer(rate=3, safety=0.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(7):
        pacer.wait()
        starts.append(clock.now)
        clock.now += 0.05  # the request itself takes 50 ms
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert gaps == pytest.approx([1 / 3] * 6)
    assert clock.slept == pytest.approx([1 / 3 - 0.05] * 6)


def test_pacer_does_not_wait_after_a_long_pause_and_keeps_its_safety_margin():
    clock = FakeClock()
    pacer = Pacer(rate=10, clock=clock, sleep=clock.sleep)
    pacer.wait()
    clock.now += 5
    assert pacer.wait() == 0 and clock.slept == []
    assert pacer.interval == pytest.approx(1.02 / 10)


def test_ncbi_rates():
    assert ncbi_rate(None) == 3 and ncbi_rate("") == 3 and ncbi_rate("k") == 10


@pytest.mark.parametrize("attempt", [1, 2, 3, 6, 12])
def test_backoff_grows_with_jitter_and_is_bounded(attempt):
    policy = RetryPolicy(base=0.5, cap=30)
    rng = random.Random(attempt)
    delays = [policy.delay(attempt, None, rng) for _ in range(200)]
    full = min(30, 0.5 * 2 ** (attempt - 1))
    assert all(full / 2 <= d <= full for d in delays)
    assert len({round(d, 6) for d in delays}) > 100  # jittered


def test_retry_after_is_honoured_and_capped():
    policy, rng = RetryPolicy(base=0.5, retry_after_cap=120), random.Random(0)
    assert policy.delay(1, 7.0, rng) == 7.0
    assert policy.delay(1, 900.0, rng) == 120
    assert 0.25 <= policy.delay(1, 0.0, rng) <= 0.5


def test_retry_after_header_forms():
    assert retry_after_seconds("3") == 3.0
    later = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= retry_after_seconds(format_datetime(later, usegmt=True)) <= 31
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_error_summary_prefers_the_json_error_field():
    assert (
        error_summary(b'{"error":"API rate limit exceeded","count":"4"}')
        == "API rate limit exceeded"
    )
    assert (
        error_summary(b"<html>\n<b>Bad</b>   gateway</html>") == "<html> <b>Bad</b> gateway</html>"
    )


@pytest.mark.parametrize("fault", ["500", "429", "slow", "drop", "truncate", "truncate-body"])
def test_each_transient_fault_is_retried(loopback, pubmed, fault):
    server = loopback()
    server.inject("esearch.fcgi", fault, fault)
    client = pubmed(server)
    page = client.esearch("car-t lymphoma")
    assert page.count == 120 and len(page.ids) == 120
    assert client.stats.retries == 2 and len(server.requests("esearch.fcgi")) == 3


def test_429_retry_after_is_slept(loopback, pubmed):
    server = loopback(retry_after="2")
    server.inject("esearch.fcgi", "429")
    slept: list[float] = []
    client = pubmed(server, sleep=slept.append)
    assert client.esearch("car-t lymphoma").count == 120
    assert slept == [2.0] and client.stats.refused_for_rate == 1


def test_errors_that_outlast_the_retries_are_corpus_errors_from_httpx(loopback, pubmed):
    server = loopback()
    server.inject("esearch.fcgi", *["drop"] * 4)
    with pytest.raises(FetchError) as info:
        pubmed(server).esearch("car-t lymphoma")
    assert isinstance(info.value, CorpusError) and info.value.attempts == 4
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert "gave up after 4 attempts" in str(info.value)

    server.inject("esearch.fcgi", *["429"] * 4)
    with pytest.raises(RateLimitError) as info:
        pubmed(server).esearch("car-t lymphoma")
    assert info.value.status == 429 and "API rate limit exceeded" in str(info.value)


def test_timeouts_are_translated(loopback):
    server = loopback(slow_seconds=0.2)
    server.inject("esearch.fcgi", *["slow"] * 4)
    with httpx.Client(timeout=0.05) as quick, pytest.raises(FetchError) as info:
        EutilsClient(
            quick,
            email=EMAIL,
            base_url=server.eutils_url,
            retry=FAST_RETRY,
            pacer=Pacer(rate=server.rate, safety=0.5),
        ).esearch("car-t lymphoma")
    assert isinstance(info.value.__cause__, httpx.TimeoutException) and "timed out" in str(
        info.value
    )
    assert "http://127.0.0.1 timed out" in str(info.value)  # the message names the server


def test_an_api_key_never_appears_in_errors(loopback, http):
    server = loopback(keys=("good-key",))
    secret = "s3cr3t-key-0123456789"
    client = EutilsClient(
        http,
        email=EMAIL,
        api_key=secret,
        base_url=server.eutils_url,
        retry=FAST_RETRY,
        pacer=Pacer(rate=100),
    )
    with pytest.raises(FetchError) as info:
        client.esearch("car-t lymphoma")
    assert info.value.status == 400 and "API key invalid" in str(info.value)
    assert secret not in str(info.value) and secret not in repr(info.value.args)
    hit = server.hits[-1]
    assert (
        hit.params["api_key"] == secret and secret not in hit.endpoint
    )  # sent in the POST body, not the URL


def test_every_request_names_tool_and_email(loopback, pubmed):
    server = loopback()
    client = pubmed(server)
    page = client.esearch("car-t lymphoma", retmax=5)
    client.efetch_ids(page.ids)
    assert {(h.params["tool"], h.params["email"]) for h in server.hits} == {("evidence", EMAIL)}
