"""Fetching a PubMed search into a real store from the loopback server: complete, exact, polite, resumable."""

from __future__ import annotations

import json
from datetime import date

import pytest
from corpus_synth import make_corpus

from evidence_tables.corpus.errors import FetchError, SearchError
from evidence_tables.corpus.http import RetryPolicy
from evidence_tables.corpus.pubmed_search import search_all
from evidence_tables.fetch_jobs import fetch_pubmed

QUERY = "car-t lymphoma"


def in_search_order(server):
    return sorted(server.records, key=lambda r: (r.pdat, r.pmid), reverse=True)


def split_count(records):
    with_text = sum(bool(r.sections) for r in records)
    return with_text, len(records) - with_text


def assert_exact(store, server, run_id):
    """Every server record stored once with the server's abstract; every PMID's status says what happened."""
    rows = {r["study_id"]: r for r in store.db.query("SELECT * FROM studies")}
    with_text = [r for r in server.records if r.sections]
    assert set(rows) == {r.pmid for r in with_text}
    for r in with_text:
        assert rows[r.pmid]["abstract"] == r.expected_pubmed(), r.pmid
        assert rows[r.pmid]["source"] == "pubmed" and rows[r.pmid]["title"] == r.title
    statuses = {
        x["record_id"]: x["status"]
        for x in store.db.query(
            "SELECT record_id, status FROM fetch_items WHERE run_id = ?", [run_id]
        )
    }
    assert statuses == {
        r.pmid: ("no_abstract" if not r.sections else statuses[r.pmid]) for r in server.records
    }
    assert {s for p, s in statuses.items() if server.by_pmid(p).sections} <= {"fetched", "stored"}


def test_a_clean_fetch_is_complete_exact_and_uses_the_minimum_of_requests(store, loopback, pubmed):
    server = loopback()
    report = fetch_pubmed(store, pubmed(server), QUERY, batch_size=25)
    assert_exact(store, server, report.run_id)
    assert report.ok and report.count == report.requested == 120
    assert report.statuses == {"fetched": 117, "no_abstract": 3}
    assert (
        len(server.requests("esearch.fcgi")) == 1 and len(server.requests("efetch.fcgi")) == 5
    )  # ceil(120 / 25)
    assert all("WebEnv" in h.params for h in server.requests("efetch.fcgi"))
    assert max(server.served.values()) == 1 and server.refused == 0
    run = next(store.db.query("SELECT * FROM runs WHERE run_id = ?", [report.run_id]))
    assert (
        run["status"] == "ok"
        and run["query"] == QUERY
        and run["query_translation"] == '"car-t lymphoma"[All Fields]'
    )
    assert json.loads(run["counts"])["fetched"] == 117


def test_every_fault_is_survived_and_the_result_is_still_exact(store, loopback, pubmed):
    server = loopback()
    server.inject("esearch.fcgi", "500", "drop")
    server.inject(
        "efetch.fcgi", "500", "slow", "truncate", "truncate-body", "429", "drop", "expire"
    )
    client = pubmed(server, retry=RetryPolicy(attempts=8, base=0.002, cap=0.01))
    report = fetch_pubmed(store, client, QUERY, batch_size=25)
    assert_exact(store, server, report.run_id)
    assert report.ok and client.stats.retries == 8
    after_expiry = server.requests("efetch.fcgi")[7:]
    assert after_expiry and all(
        "id" in h.params for h in after_expiry
    )  # history gone: id lists from then on


def test_a_client_faster_than_the_limit_is_refused_then_recovers(store, loopback, pubmed):
    server = loopback()
    client = pubmed(
        server, rate=server.rate * 20, retry=RetryPolicy(attempts=6, base=0.05, cap=0.2)
    )
    report = fetch_pubmed(store, client, QUERY, batch_size=10)
    assert_exact(store, server, report.run_id)
    assert server.refused > 0 and report.refused_for_rate == server.refused


def test_the_paced_client_keeps_to_the_limit(store, loopback, pubmed):
    server = loopback(window=0.2)
    report = fetch_pubmed(store, pubmed(server), QUERY, batch_size=10)
    starts = [h.at for h in server.hits]
    assert len(starts) == 13 and server.refused == report.refused_for_rate == 0
    assert all(b - a >= server.window for a, b in zip(starts, starts[server.limit :]))


def test_an_efetch_error_answer_fails_its_batch_with_the_reason_and_a_rerun_repairs_it(
    store, loopback, pubmed
):
    server = loopback()
    server.inject("efetch.fcgi", "error")
    client = pubmed(server)
    first = fetch_pubmed(store, client, QUERY, batch_size=25)
    assert not first.ok and first.statuses["failed"] == 25
    assert all(
        "Search Backend failed" in reason
        for _, status, reason in first.problems
        if status == "failed"
    )
    second = fetch_pubmed(store, client, QUERY, batch_size=25)
    assert second.ok and second.statuses["fetched"] == 24 and second.statuses["stored"] == 93
    assert max(server.served.values()) == 1
    assert_exact(store, server, second.run_id)


def test_interrupted_fetch_resumes_without_loss_or_duplicates(store, loopback, pubmed):
    server = loopback()
    client = pubmed(server)
    batches = []

    def progress(n: int) -> None:
        batches.append(n)
        if len(batches) == 3:  # the skip count, then two batches
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch_pubmed(store, client, QUERY, batch_size=25, progress=progress)
    statuses = dict(
        store.db.execute("SELECT status, COUNT(*) FROM fetch_items GROUP BY status").fetchall()
    )
    done, no_text = split_count(in_search_order(server)[:50])
    assert statuses == {"fetched": done, "no_abstract": no_text, "pending": 70}
    assert next(store.db.query("SELECT status FROM runs"))["status"] == "interrupted"

    report = fetch_pubmed(store, client, QUERY, batch_size=25)
    assert report.ok and report.statuses == {
        "stored": done,
        "no_abstract": 3,
        "fetched": 117 - done,
    }
    assert max(server.served.values()) == 1 and sum(server.served.values()) == 120
    assert_exact(store, server, report.run_id)


def test_lost_network_stops_the_run_and_the_next_run_finishes_it(store, loopback, pubmed):
    server = loopback(limit=20)
    client = pubmed(server)
    batches = []

    def progress(n: int) -> None:
        batches.append(n)
        if len(batches) == 2:
            server.drop_all = True  # every later request is cut off

    with pytest.raises(FetchError, match="run the same command again to resume"):
        fetch_pubmed(store, client, QUERY, batch_size=25, progress=progress)
    statuses = dict(
        store.db.execute("SELECT status, COUNT(*) FROM fetch_items GROUP BY status").fetchall()
    )
    done, no_text = split_count(in_search_order(server)[:25])
    assert statuses == {"fetched": done, "no_abstract": no_text, "failed": 75, "pending": 20}
    server.drop_all = False
    report = fetch_pubmed(store, client, QUERY, batch_size=25)
    assert report.ok and report.statuses["stored"] == done
    assert max(server.served.values()) == 1
    assert_exact(store, server, report.run_id)


def test_a_rerun_fetches_only_what_pubmed_modified(store, loopback, pubmed):
    server = loopback()
    client = pubmed(server)
    fetch_pubmed(store, client, QUERY, batch_size=50)
    revised = server.by_pmid("31000010")
    revised.sections = [("Results", "The complete response rate was 51% (20/39) after revision.")]
    revised.mdat = date.today()
    before = len(server.hits)
    report = fetch_pubmed(store, client, QUERY, batch_size=50)
    assert [h.endpoint for h in server.hits[before:]] == [
        "esearch.fcgi",
        "esearch.fcgi",
        "efetch.fcgi",
    ]
    assert server.hits[before + 1].params["datetype"] == "mdat"
    assert server.served["31000010"] == 2 and sum(server.served.values()) == 121
    assert report.statuses == {"stored": 116, "no_abstract": 3, "fetched": 1}
    assert (
        store.study("31000010")["abstract"]
        == "RESULTS: The complete response rate was 51% (20/39) after revision."
    )
    assert report.imported.changed == 1
    assert_exact(store, server, report.run_id)


def test_a_pmid_efetch_does_not_return_fails_with_its_reason(store, loopback, pubmed):
    server = loopback()
    server.unfetchable = {"31000007"}
    report = fetch_pubmed(store, pubmed(server), QUERY, batch_size=25)
    assert not report.ok and report.statuses == {"fetched": 116, "no_abstract": 3, "failed": 1}
    assert report.problems == [
        ("31000007", "failed", "not in efetch's answer (unknown or withdrawn PMID?)")
    ]
    assert (
        server.requests("efetch.fcgi")[-1].params["id"] == "31000007"
    )  # asked again by id before giving up


def test_a_pmid_stored_under_another_study_id_is_not_duplicated(store, loopback, pubmed):
    from evidence_tables.corpus.models import Article
    from evidence_tables.db import ImportReport

    store.import_items(
        [Article(study_id="my-trial", pmid="31000005", abstract="My own notes.")], ImportReport()
    )
    server = loopback()
    report = fetch_pubmed(store, pubmed(server), QUERY, batch_size=50)
    assert report.statuses["stored"] == 1 and store.study("31000005") is None
    assert store.study("my-trial")["abstract"] == "My own notes."


def test_warnings_and_query_errors_reach_the_caller(store, loopback, pubmed):
    server = loopback()
    report = fetch_pubmed(store, pubmed(server), "car-t zzlymfoma lymphoma", batch_size=50)
    assert report.count == 0 or report.warnings
    assert "PubMed did not find the phrase 'zzlymfoma' and searched without it" in report.warnings
    server.inject("esearch.fcgi", "error")
    with pytest.raises(SearchError, match="Invalid query"):
        fetch_pubmed(store, pubmed(server), QUERY)
    assert (
        next(store.db.query("SELECT status FROM runs ORDER BY started_at DESC, rowid DESC"))[
            "status"
        ]
        == "failed"
    )


def test_max_and_dates_limit_the_search(store, loopback, pubmed):
    server = loopback()
    report = fetch_pubmed(store, pubmed(server), QUERY, limit=10, batch_size=50)
    newest = sorted(server.records, key=lambda r: r.pdat, reverse=True)[:10]
    assert report.requested == 10 and {
        r["study_id"] for r in store.db.query("SELECT study_id FROM studies")
    } == {r.pmid for r in newest if r.sections}
    dated = fetch_pubmed(
        store, pubmed(server), QUERY, mindate="2017", maxdate="2017/12/31", batch_size=50
    )
    assert dated.requested == sum(r.pdat.year == 2017 for r in server.records)


def test_large_searches_are_split_by_date_and_checked_against_count(loopback, pubmed, store):
    server = loopback(
        records=make_corpus(95, days=400), esearch_cap=10, limit=40
    )  # many esearches: a fast server
    client = pubmed(server, esearch_limit=10)
    result = search_all(client, QUERY)
    assert len(result.ids) == len(set(result.ids)) == result.count == 95 and not result.warnings
    assert result.esearches > 10 and all(len(s.ids) <= 10 for s in result.segments)
    assert list(result.ids) == [
        r.pmid for r in sorted(server.records, key=lambda r: (r.pdat, r.pmid), reverse=True)
    ]
    report = fetch_pubmed(store, client, QUERY, batch_size=10)
    assert_exact(store, server, report.run_id)


def test_a_day_with_more_records_than_esearch_lists_is_an_error(loopback, pubmed):
    server = loopback(records=make_corpus(30, days=1), esearch_cap=10, limit=40)
    with pytest.raises(SearchError, match="narrow the query"):
        search_all(pubmed(server, esearch_limit=10), QUERY)
