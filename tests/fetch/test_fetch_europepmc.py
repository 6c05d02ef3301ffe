"""Europe PMC into the store: cursor paging, HTML-free abstracts, and no second study for a PMID PubMed gave."""

from __future__ import annotations

from corpus_synth import make_corpus, make_preprints

from evidence_tables.fetch_jobs import fetch_europepmc, fetch_pubmed

QUERY = "car-t lymphoma"


def test_every_page_is_read_and_stored_exactly(store, loopback, europepmc):
    server = loopback(records=make_corpus(45), epmc_only=make_preprints(4))
    client = europepmc(server)
    pages = list(client.search(QUERY, page_size=10))
    assert len(pages) == 5 and sum(len(p.items) for p in pages) == 49
    cursors = [h.params["cursorMark"] for h in server.requests("search")]
    assert cursors[0] == "*" and len(set(cursors)) == 5

    report = fetch_europepmc(store, europepmc(server), QUERY)
    assert report.ok and report.count == report.requested == 49
    every = server.records + server.epmc_only
    for r in every:
        row = store.study(r.study_id)
        if not r.sections:
            assert row is None
            continue
        assert (
            row["abstract"] == r.expected_epmc()
            and row["source"] == "europepmc"
            and row["pmid"] == r.pmid
        )
        assert "<" not in row["abstract"].replace("\u2009<\u2009", "")
    assert report.statuses == {
        "fetched": sum(bool(r.sections) for r in every),
        "no_abstract": sum(not r.sections for r in every),
    }


def test_the_search_stops_when_the_cursor_stops_moving(loopback, europepmc):
    server = loopback(records=make_corpus(7, no_abstract_every=0))
    server.records[0].topics = frozenset()  # hitCount drops under the client: it must still stop
    pages = list(europepmc(server).search(QUERY, page_size=3))
    assert [len(p.items) for p in pages] == [3, 3]
    assert len(server.requests("search")) == 2


def test_limit_and_dates(store, loopback, europepmc):
    server = loopback(records=make_corpus(30))
    report = fetch_europepmc(store, europepmc(server), QUERY, limit=7)
    assert report.requested == 7 and report.count == 30
    dated = fetch_europepmc(store, europepmc(server), QUERY, mindate="2016", maxdate="2016/12")
    assert dated.requested == sum(r.pdat.year == 2016 for r in server.records)


def test_a_pmid_from_pubmed_wins(store, loopback, pubmed, europepmc):
    server = loopback(records=make_corpus(40), epmc_only=make_preprints(3))
    fetch_pubmed(store, pubmed(server), QUERY, batch_size=50)
    before = {
        r["study_id"]: r["abstract"]
        for r in store.db.query("SELECT study_id, abstract FROM studies")
    }
    report = fetch_europepmc(store, europepmc(server), QUERY)
    assert report.ok and report.statuses == {"stored": 39, "fetched": 3, "no_abstract": 1}
    rows = {r["study_id"]: r for r in store.db.query("SELECT * FROM studies")}
    assert len(rows) == 42 and all(
        rows[k]["abstract"] == v and rows[k]["source"] == "pubmed" for k, v in before.items()
    )
    assert {k for k, r in rows.items() if r["source"] == "europepmc"} == {
        "PPR:PPR700000",
        "PPR:PPR700001",
        "PPR:PPR700002",
    }


def test_a_europepmc_record_is_replaced_by_pubmeds(store, loopback, pubmed, europepmc):
    server = loopback(records=make_corpus(10))
    fetch_europepmc(store, europepmc(server), QUERY)
    report = fetch_pubmed(store, pubmed(server), QUERY, batch_size=50)
    unlabelled = sum(
        r.sections[0][0] is None for r in server.records
    )  # same text from both: metadata only
    assert report.statuses == {"fetched": 10} and 0 < unlabelled < 10
    assert (report.imported.changed, report.imported.metadata_updated) == (
        10 - unlabelled,
        unlabelled,
    )
    assert {r["source"] for r in store.db.query("SELECT source FROM studies")} == {"pubmed"}
    assert store.count("studies") == 10
