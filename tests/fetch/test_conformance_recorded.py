"""The response readers over every recorded E-utilities and Europe PMC answer in ../shared/data/eutils."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from evidence_tables.corpus.europepmc import parse_search
from evidence_tables.corpus.eutils_parse import efetch_error, parse_efetch, parse_esearch
from evidence_tables.corpus.models import Article, Rejected


def test_recorded_esearch_answers(shared):
    folder = shared / "data/eutils/biopython_Tests_Entrez"
    pages = {f.name: parse_esearch(f.read_bytes()) for f in sorted(folder.glob("esearch*.xml"))}
    assert len(pages) == 3
    for name, page in pages.items():
        root = ET.parse(folder / name).getroot()
        assert page.count == int(root.findtext("Count")), name
        assert list(page.ids) == [i.text for i in root.iter("Id")], name
        assert page.translation == root.findtext("QueryTranslation"), name
    history = pages["esearch9_usehistory_webenv.xml"]
    assert history.webenv.startswith("NCID_") and history.query_key == "19"
    phrase = pages["esearch8_error_phrase_not_found.xml"]
    assert phrase.count == 0 and any("abcXYZ" in w for w in phrase.warnings)
    assert any("No items found" in w for w in phrase.warnings)


def test_recorded_efetch_answers(shared):
    files = sorted((shared / "data/eutils/pubmed_efetch_metapub/pmid_xml").glob("*.xml"))
    assert len(files) == 164
    articles = 0
    for f in files:
        body = f.read_bytes()
        assert efetch_error(body) is None, f.name
        items = parse_efetch(body)
        expected = {
            a.findtext("MedlineCitation/PMID") for a in ET.fromstring(body).iter("PubmedArticle")
        }
        ids = {i.pmid if isinstance(i, Article) else i.record_id for i in items}
        assert ids == expected, f.name
        assert all(
            isinstance(i, Article) or (isinstance(i, Rejected) and not i.is_error) for i in items
        ), f.name
        articles += sum(isinstance(i, Article) for i in items)
    assert articles >= 140


@pytest.mark.parametrize(
    "name",
    [
        "search_cancer_core.json",
        "search_cancer.json",
        "search_cancer_idlist.json",
        "search_cancer_page2.json",
        "search_post_cancer.json",
        "search_no_results.json",
    ],
)
def test_recorded_europepmc_answers(shared, name):
    raw = (shared / "data/eutils/europepmc" / name).read_bytes()
    data = json.loads(raw)
    page = parse_search(raw)
    results = data["resultList"]["result"]
    assert page.hit_count == data["hitCount"] and len(page.items) == len(results)
    assert page.next_cursor == data.get("nextCursorMark")
    with_abstract = [r for r in results if r.get("abstractText")]
    articles = [i for i in page.items if isinstance(i, Article)]
    assert len(articles) == len(with_abstract)
    for record, article in zip(with_abstract, articles):
        assert article.pmid == record.get("pmid") and article.source == "europepmc"
        assert not re.search(r"</?(?:h\d|i|b|sub|sup|p)>", article.abstract), article.study_id
        headings = re.findall(r"<h4>(.*?)</h4>", record["abstractText"])
        labelled = [
            line
            for line in article.abstract.split("\n")
            if any(line.startswith(h + ":") for h in headings)
        ]
        assert len(labelled) == len(headings), article.study_id
        text = re.sub(r"</?[a-z]+>", "", re.sub(r"</?h\d>", " ", record["abstractText"]))
        assert [w.rstrip(":") for w in article.abstract.split()] == [
            w.rstrip(":") for w in text.split()
        ]
    if name == "search_cancer_core.json":
        assert len(articles) >= 15 and any(
            "P\u2009<\u2009.001" in a.abstract or "< .05" in a.abstract for a in articles
        )
