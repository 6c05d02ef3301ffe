"""Every recorded efetch response in ../shared parses and stores; each stored abstract equals the XML's own text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from evidence_tables.corpus import Article, Rejected, read_path


def expected_abstracts(path):
    """Independent reading with the standard library: label + every text node of AbstractText."""
    out = {}
    root = ET.parse(path).getroot()
    for art in root.iter("PubmedArticle"):
        pmid = art.findtext("MedlineCitation/PMID")
        parts = []
        for node in art.iterfind("MedlineCitation/Article/Abstract/AbstractText"):
            for sup in node.iter(
                "sup"
            ):  # an exponent after a number keeps its caret: 10<sup>18</sup> -> 10^18
                if re.fullmatch(r"\s*[-\u2212+]?\s*\d{1,3}\s*", sup.text or "") and not len(sup):
                    sup.text = "^" + sup.text.strip()
            body = re.sub(r"[ \t\r\n]+", " ", "".join(node.itertext())).strip()
            body = re.sub(r"(?<!\d)\^", "", body)  # ... and only after a number
            label = node.get("Label")
            parts.append(f"{label}: {body}" if label and body else body)
        out[pmid] = "\n".join(p for p in parts if p)
    return out


def test_every_recorded_efetch_response(shared, store):
    from evidence_tables.db import ImportReport

    folder = shared / "data/eutils/pubmed_efetch_metapub/pmid_xml"
    files = sorted(folder.glob("*.xml"))
    assert len(files) > 100
    articles = labelled = with_markup = 0
    for f in files:
        expected = expected_abstracts(f)
        report = ImportReport()
        store.import_items(read_path(f), report)
        assert report.ok, f.name
        for item in read_path(f):
            if isinstance(item, Rejected):
                assert not item.is_error and expected.get(item.record_id, "") == "", (
                    f"{f.name}: {item}"
                )
                continue
            assert isinstance(item, Article)
            articles += 1
            assert item.abstract == expected[item.pmid], f.name
            assert store.study(item.pmid)["abstract"] == expected[item.pmid], f.name
            labelled += bool(re.search(r"^[A-Z][A-Za-z ,&/]+: ", item.abstract, re.M))
            raw = f.read_text(encoding="utf-8")
            with_markup += bool(re.search(r"<AbstractText[^>]*>[^<]*<(?:i|b|sup|sub|u)>", raw))
    assert articles >= 140
    assert labelled >= 20  # the structured abstracts kept their section labels
    assert with_markup >= 1  # and at least one abstract had inline markup that was not cut
