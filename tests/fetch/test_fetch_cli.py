"""`evidence fetch` and `evidence run` as a reviewer runs them, against the loopback server."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from corpus_synth import make_corpus, make_preprints

from evidence_tables.cli import cli

KEY = "loopback-key-7f3a9c"


@pytest.fixture
def server(loopback):
    return loopback(records=make_corpus(24), epmc_only=make_preprints(2), window=1.0, keys=(KEY,))


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    monkeypatch.setenv("NCBI_EMAIL", "reviewer@example.org")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_fetch_reports_every_status_and_never_shows_or_stores_the_key(run, server, tmp_path):
    result = run("fetch", "r.db", "car-t lymphoma", "--base-url", server.eutils_url)
    assert result.exit_code == 0, result.output
    assert 'r.db: 24 of 24 records; PubMed searched "car-t lymphoma"[All Fields]' in result.output
    assert (
        "24 fetched (24 new, 0 updated, 0 unchanged), 0 without abstract, 0 already stored"
        in result.output
    )
    assert "2 requests, 0 refused for rate" in result.output
    assert {h.params.get("api_key") for h in server.hits} == {KEY}
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("r.db*"))
    assert KEY.encode() not in stored and KEY not in result.output

    again = run("fetch", "r.db", "car-t lymphoma", "--base-url", server.eutils_url)
    assert (
        again.exit_code == 0 and "0 fetched" in again.output and "24 already stored" in again.output
    )


def test_failures_are_listed_and_exit_1(run, server):
    server.unfetchable = {"31000003"}
    result = run("fetch", "r.db", "car-t lymphoma", "--base-url", server.eutils_url)
    assert result.exit_code == 1
    assert (
        "1 failed" in result.output and "failed 31000003: not in efetch's answer" in result.output
    )


def test_ncbi_warnings_and_errors_are_shown(run, server):
    result = run(
        "fetch", "r.db", "car-t zzlimfoma lymphoma", "--base-url", server.eutils_url, "--quiet"
    )
    assert result.exit_code == 0
    assert (
        result.output
        == "warning: PubMed did not find the phrase 'zzlimfoma' and searched without it\n"
    )
    server.inject("esearch.fcgi", "error")
    failed = run("fetch", "r.db", "car-t lymphoma", "--base-url", server.eutils_url)
    assert failed.exit_code == 1 and failed.output.startswith(
        "Error: esearch: PubMed rejected the search: Invalid query"
    )


def test_pubmed_needs_a_contact_address(run, server, monkeypatch):
    monkeypatch.delenv("NCBI_EMAIL")
    result = run("fetch", "r.db", "car-t lymphoma", "--base-url", server.eutils_url)
    assert result.exit_code == 2 and "--email" in result.output and not server.hits


def test_europepmc_source(run, server):
    result = run(
        "fetch",
        "r.db",
        "car-t lymphoma",
        "--source",
        "europepmc",
        "--base-url",
        server.epmc_url,
        "--max",
        "10",
    )
    assert result.exit_code == 0, result.output
    assert "r.db: 10 of 26 records" in result.output and "10 fetched" in result.output


def test_run_fetches_extracts_and_prints_the_table(run, server):
    result = run("run", "r.db", "car-t lymphoma", "--base-url", server.eutils_url, "--max", "5")
    assert result.exit_code == 0, result.output
    assert "5 studies extracted" in result.output
    header = next(line for line in result.output.splitlines() if line.lstrip().startswith("study "))
    assert "median OS" in header and "CR" in header
    assert "31000024" in result.output


def test_a_wrong_address_is_an_error_at_once(run, server):
    result = run("fetch", "r.db", "car-t lymphoma", "--base-url", "eutils.example/entrez/")
    assert (
        result.exit_code == 2 and "is not an http(s):// address" in result.output
    )  # refused before any request
