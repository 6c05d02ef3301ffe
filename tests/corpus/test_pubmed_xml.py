from __future__ import annotations

import io

import pytest

from evidence_tables.corpus import Article, Deletion, ParseError, Rejected, read_path
from evidence_tables.corpus.pubmed_xml import read_pubmed_xml


def items(path):
    return list(read_path(path))


def test_structured_abstract_keeps_labels_and_inline_markup(fixtures):
    first = items(fixtures / "efetch_two_articles.xml")[0]
    assert isinstance(first, Article)
    assert first.study_id == first.pmid == "90000001"
    assert first.abstract.splitlines() == [
        "BACKGROUND: Outcomes after CD19 CAR-T failure are poor.",
        "METHODS: We included 120 patients treated with R-ICE or bispecific antibodies.",
        "RESULTS: The median overall survival was 7.2 months (95% CI, 5.9\u20138.8); CD19+ relapse occurred in 40%, "
        "and serum LDH was 2.5 \u00d7 10^3 U/L.",
        "CONCLUSIONS: Survival remains short.",
    ]
    assert "Imaginary Press" not in first.abstract  # CopyrightInformation is not abstract text
    assert first.title == "Salvage after CAR-T failure in large B-cell lymphoma."


def test_metadata(fixtures):
    first, second, third = items(fixtures / "efetch_two_articles.xml")
    assert first.doi == "10.9999/jih.2023.001"  # not the DOI of a cited reference
    assert first.journal == "Journal of Imaginary Haematology"
    assert first.year == 2023
    assert first.authors == ("Okafor N", "Lindqvist HM", "Imaginary Lymphoma Group")
    assert first.publication_types == ("Journal Article", "Multicenter Study")
    assert first.source == "efetch_two_articles.xml"
    assert second.year == 1998  # MedlineDate "1998 Dec-1999 Jan"
    assert second.doi is None
    assert isinstance(third, Rejected) and not third.is_error and third.record_id == "90000003"


def test_book_article_and_delete_citation(fixtures):
    record, book, deletion = items(fixtures / "baseline_mixed.xml")
    assert "1\u2009234 samples" in record.abstract  # thin space inside a number kept as printed
    assert book.study_id == "90000011"
    assert (
        book.abstract
        == "CLINICAL CHARACTERISTICS: Indolent lymphoma of germinal centre origin.\nMANAGEMENT: Observation or rituximab."
    )
    assert (
        book.year == 2020 and book.publication_types == ("Review",) and book.authors == ("Amari F",)
    )
    assert isinstance(deletion, Deletion) and deletion.pmids == ("90000001", "90000099")


def test_gzip_is_read_transparently(fixtures, gz_copy):
    assert [getattr(i, "study_id", None) for i in items(gz_copy("baseline_mixed.xml"))][:2] == [
        "90000010",
        "90000011",
    ]


def test_truncated_xml_yields_records_before_the_damage_then_raises(fixtures):
    data = (fixtures / "efetch_two_articles.xml").read_bytes()
    cut = data[: data.index(b'<PMID Version="1">90000003')]
    got = []
    with pytest.raises(ParseError) as err:
        for item in read_pubmed_xml(io.BytesIO(cut), "cut.xml"):
            got.append(item)
    assert [a.study_id for a in got] == ["90000001", "90000002"]
    assert "cut.xml" in str(err.value) and "line" in str(err.value)


def test_not_pubmed_xml_is_refused():
    with pytest.raises(ParseError, match="not PubMed XML"):
        list(
            read_pubmed_xml(io.BytesIO(b"<eSearchResult><Count>3</Count></eSearchResult>"), "x.xml")
        )


def test_empty_article_set_is_fine():
    assert (
        list(
            read_pubmed_xml(
                io.BytesIO(b"<?xml version='1.0'?><PubmedArticleSet></PubmedArticleSet>"), "e.xml"
            )
        )
        == []
    )
