"""Fixtures for the fetch tests: a loopback NCBI / Europe PMC server and clients with fast, small limits."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(
    0, str(Path(__file__).parent)
)  # loopback.py and corpus_synth.py, shared with bench/fetch.py

from clients import EMAIL, FAST_RETRY  # noqa: E402
from corpus_synth import make_corpus, make_preprints  # noqa: E402
from loopback import Loopback  # noqa: E402

from evidence_tables.corpus.europepmc import EuropePMCClient  # noqa: E402
from evidence_tables.corpus.eutils import EutilsClient  # noqa: E402
from evidence_tables.corpus.http import Pacer, RetryPolicy  # noqa: E402


@pytest.fixture
def loopback():
    """Start a server: `loopback(records=..., limit=3, window=0.1, ...)`; all are stopped after the test."""
    started: list[Loopback] = []

    def start(**kwargs) -> Loopback:
        kwargs.setdefault("records", make_corpus(120))
        kwargs.setdefault("window", 0.1)
        server = Loopback(**kwargs)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def http():
    with httpx.Client(timeout=httpx.Timeout(0.25)) as client:
        yield client


@pytest.fixture
def pubmed(http):
    """A PubMed client for a loopback server, paced just under its limit, retrying fast."""

    def make(
        server: Loopback, *, rate: float | None = None, retry: RetryPolicy = FAST_RETRY, **kwargs
    ) -> EutilsClient:
        pacer = Pacer(rate=rate or server.rate, safety=0.5)  # 100 ms of slack in a 200 ms window
        return EutilsClient(
            http,
            email=EMAIL,
            base_url=server.eutils_url,
            pacer=pacer,
            retry=retry,
            rng=random.Random(0),
            **kwargs,
        )

    return make


@pytest.fixture
def europepmc(http):
    def make(server: Loopback, **kwargs) -> EuropePMCClient:
        return EuropePMCClient(
            http,
            base_url=server.epmc_url,
            pacer=Pacer(rate=200.0),
            retry=FAST_RETRY,
            rng=random.Random(0),
            **kwargs,
        )

    return make


__all__ = ["make_corpus", "make_preprints"]
