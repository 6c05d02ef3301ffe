"""The response readers on answers written for these tests (shapes as the services send them)."""

from __future__ import annotations

import json

import pytest

from evidence_tables.corpus.errors import HistoryExpiredError, ParseError, SearchError, ServiceError
from evidence_tables.corpus.europepmc import parse_record, parse_search, record_id
from evidence_tables.corpus.eutils_parse import efetch_error, parse_efetch, parse_esearch
from evidence_tables.corpus.html_text import html_abstract, html_to_text
from evidence_tables.corpus.models import Article, Rejected

ESEARCH_JSON = {
    "header": {"type": "esearch", "version": "0.3"},
    "esearchresult": {
        "count": "3",
        "retmax": "3",
        "retstart": "0",
        "querykey": "1",
        "webenv": "MCID_abc",
        "idlist": ["39000003", "39000002", "39000001"],
        "translationset": [],
        "querytranslation": '"car-t"[All Fields] AND "lymphoma"[MeSH Terms]',
    },
}


def test_esearch_json_page():
    page = parse_esearch(json.dumps(ESEARCH_JSON).encode())
    assert page.count == 3 and page.ids == ("39000003", "39000002", "39000001")
    assert (page.webenv, page.query_key) == ("MCID_abc", "1")
    assert page.translation.startswith('"car-t"[All Fields]') and page.warnings == ()


def test_esearch_json_error_and_warning_lists_become_warnings():
    body = json.loads(json.dumps(ESEARCH_JSON))
    body["esearchresult"].update(
        count="0",
        idlist=[],
        errorlist={"phrasesnotfound": ["zzlymfoma"], "fieldsnotfound": ["[journl]"]},
        warninglist={
            "phrasesignored": ["and"],
            "quotedphrasesnotfound": ['"car t"'],
            "outputmessages": ["No items found."],
        },
    )
    page = parse_esearch(json.dumps(body).encode())
    assert page.warnings == (
        "PubMed did not find the phrase 'zzlymfoma' and searched without it",
        "PubMed does not know the field '[journl]' and searched without it",
        "PubMed ignored the phrase 'and'",
        "PubMed did not find the quoted phrase '\"car t\"'",
        "PubMed: No items found.",
    )


def test_esearch_json_error_is_a_query_error():
    with pytest.raises(SearchError, match="Invalid query"):
        parse_esearch(b'{"header": {}, "esearchresult": {"ERROR": "Invalid query"}}')


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"esearchresult": {"count": "12", "idl', ParseError),
        (b"", ParseError),
        (b"Service unavailable", ParseError),
        (b'{"error": "API key invalid"}', ServiceError),
        (b'{"esearchresult": {"idlist": []}}', ParseError),
    ],
    ids=["truncated", "empty", "text", "error-object", "no-count"],
)
def test_esearch_broken_answers(body, error):
    with pytest.raises(error):
        parse_esearch(body)


def test_esearch_xml_with_history_and_errors():
    body = (
        b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
        b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n<eSearchResult><Count>2</Count>'
        b"<RetMax>2</RetMax><RetStart>0</RetStart><QueryKey>4</QueryKey><WebEnv>MCID_x</WebEnv><IdList>\n"
        b"<Id>39000002</Id>\n<Id>39000001</Id>\n</IdList><TranslationSet/><QueryTranslation>zzfoo car-t</QueryTranslation>"
        b"<ErrorList><PhraseNotFound>zzfoo</PhraseNotFound></ErrorList></eSearchResult>"
    )
    page = parse_esearch(body)
    assert (
        page.ids == ("39000002", "39000001") and page.query_key == "4" and page.webenv == "MCID_x"
    )
    assert page.warnings == ("PubMed did not find the phrase 'zzfoo' and searched without it",)
    with pytest.raises(SearchError, match="Empty term"):
        parse_esearch(
            b"<eSearchResult><ERROR>Empty term and query_key - nothing todo</ERROR></eSearchResult>"
        )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            b'<?xml version="1.0" ?>\n<eFetchResult>\n\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>',
            HistoryExpiredError,
        ),
        (b"<eFetchResult><ERROR>Search Backend failed</ERROR></eFetchResult>", ServiceError),
        (b"<ERROR>Empty id list - nothing todo</ERROR>", ServiceError),
        (
            b'<?xml version="1.0" ?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>',
            ParseError,
        ),
        (b"", ParseError),
    ],
    ids=["history-expired", "backend", "bare-error", "truncated", "empty"],
)
def test_efetch_errors(body, error):
    with pytest.raises(error):
        parse_efetch(body)


def test_efetch_records_and_no_error(fixtures):
    body = (fixtures / "efetch_two_articles.xml").read_bytes()
    assert efetch_error(body) is None
    items = parse_efetch(body)
    assert [type(i) for i in items].count(Article) >= 2 and all(i.source == "pubmed" for i in items)
    assert parse_efetch(b'<?xml version="1.0" ?>\n<PubmedArticleSet></PubmedArticleSet>') == []


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<h4>Background</h4>A trial.<h4>Results</h4>CR 40%.",
            "Background: A trial.\nResults: CR 40%.",
        ),
        (
            "Lead sentence.<h4>Methods</h4>We enrolled 20.",
            "Lead sentence.\nMethods: We enrolled 20.",
        ),
        (
            "<h4>Results</h4>OS was longer (P < .05) and <1 year in 3; a<b and c>d.",
            "Results: OS was longer (P < .05) and <1 year in 3; a<b and c>d.",
        ),
        (
            "<h4>Results</h4>H<sub>2</sub>S in <i>vitro</i> &amp; CD19<sup>+</sup>",
            "Results: H2S in vitro & CD19+",
        ),
        (
            '<h3 class="t">Aim:</h3><p>First.</p><p>Second.</p><h4>Conclusion</h4>',
            "Aim: First. Second.\nConclusion:",
        ),
        ("  plain\n abstract  ", "plain abstract"),
        ("", None),
        ("<h4></h4>", None),
    ],
    ids=[
        "sections",
        "lead-text",
        "literal-less-than",
        "inline-and-entities",
        "paragraphs",
        "plain",
        "empty",
        "empty-heading",
    ],
)
def test_europepmc_html_to_paragraphs(html, text):
    assert html_abstract(html) == text


def test_titles_lose_markup_only():
    assert (
        html_to_text("CD19<sup>+</sup> <i>in vivo</i> expansion (n<10)")
        == "CD19+ in vivo expansion (n<10)"
    )
    assert (
        html_to_text("ANC &lt;0.5 \u00d7 10<sup>9</sup>/L, 2.5 m<sup>2</sup>")
        == "ANC <0.5 \u00d7 10^9/L, 2.5 m2"
    )


def test_europepmc_records():
    core = {
        "id": "39000001",
        "source": "MED",
        "pmid": "39000001",
        "doi": "10.5555/x",
        "title": "A <i>trial</i>",
        "authorList": {"author": [{"fullName": "Okafor A"}, {"collectiveName": "Synth Group"}]},
        "journalInfo": {"journal": {"title": "Journal of Synthetic Hematology"}},
        "pubYear": "2023",
        "pubTypeList": {"pubType": ["Journal Article"]},
        "abstractText": "<h4>Results</h4>CR 40%.",
    }
    article = parse_record(core, "here")
    assert isinstance(article, Article)
    assert (
        article.study_id,
        article.pmid,
        article.title,
        article.abstract,
        article.year,
        article.source,
    ) == ("39000001", "39000001", "A trial", "Results: CR 40%.", 2023, "europepmc")
    assert (
        article.authors == ("Okafor A", "Synth Group")
        and article.journal == "Journal of Synthetic Hematology"
    )
    lite = {
        "id": "PPR700001",
        "source": "PPR",
        "title": "Preprint",
        "authorString": "Mbeki L, Berg J.",
    }
    rejected = parse_record(lite, "there")
    assert (
        isinstance(rejected, Rejected)
        and not rejected.is_error
        and rejected.record_id == "PPR:PPR700001"
    )
    assert record_id({"id": "x"}) == "x" and record_id({}) is None


def test_europepmc_search_page():
    body = json.dumps(
        {
            "version": "6.9",
            "hitCount": 1,
            "nextCursorMark": "AoE=",
            "request": {"cursorMark": "*"},
            "resultList": {
                "result": [{"id": "1", "source": "MED", "pmid": "1", "abstractText": "Text."}]
            },
        }
    ).encode()
    page = parse_search(body)
    assert page.hit_count == 1 and page.next_cursor == "AoE=" and page.items[0].abstract == "Text."
    assert (
        parse_search(b'{"version": "6.9", "hitCount": 0, "resultList": {"result": []}}').next_cursor
        is None
    )
    with pytest.raises(ParseError):
        parse_search(b'{"version": "6.9", "hitCount": 1, "resultL')
    with pytest.raises(ServiceError, match="bad query"):
        parse_search(b'{"errMsg": "bad query"}')
