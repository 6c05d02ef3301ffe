"""Streaming reader for PubMed XML: efetch responses and the annual baseline files.

Reads `PubmedArticle`, `PubmedBookArticle` and `DeleteCitation` elements one at a
time with lxml's iterparse and frees each after use, so memory stays flat
whatever the file size.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

from evidence_tables.corpus.clean import clean_pmid, first_year, squash, superscript
from evidence_tables.corpus.errors import ParseError
from evidence_tables.corpus.models import Article, Deletion, Item, Rejected

_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")


def _text(el: etree._Element | None) -> str | None:
    """All text under an element, inline markup (<i>, <sup>, ...) included; see `superscript`."""
    if el is None:
        return None
    parts: list[str] = []
    _flatten(el, parts)
    return squash("".join(parts))


def _flatten(el: etree._Element, parts: list[str]) -> None:
    parts.append(el.text or "")
    for child in el:
        if child.tag == "sup":
            parts.append(superscript(parts[-1] if parts else "", "".join(child.itertext())))
        elif isinstance(child.tag, str):
            _flatten(child, parts)
        parts.append(child.tail or "")


def abstract_text(abstract: etree._Element | None) -> str | None:
    """The abstract as stored: one paragraph per AbstractText, ``LABEL: text`` when labelled."""
    if abstract is None:
        return None
    parts = []
    for node in abstract.iterfind("AbstractText"):
        body = _text(node)
        label = squash(node.get("Label"))
        if label and body:
            parts.append(f"{label}: {body}")
        elif body:
            parts.append(body)
        elif label:
            parts.append(f"{label}:")
    return "\n".join(parts) or None


def _authors(author_list: etree._Element | None) -> tuple[str, ...]:
    if author_list is None:
        return ()
    names = []
    for a in author_list.iterfind("Author"):
        collective = _text(a.find("CollectiveName"))
        last = _text(a.find("LastName"))
        initials = _text(a.find("Initials")) or _text(a.find("ForeName"))
        name = collective or " ".join(p for p in (last, initials) if p)
        if name:
            names.append(name)
    return tuple(names)


def _doi(id_list: etree._Element | None, *fallbacks: etree._Element | None) -> str | None:
    if id_list is not None:
        for aid in id_list.iterfind("ArticleId"):
            if aid.get("IdType") == "doi" and _text(aid):
                return _text(aid)
    for node in fallbacks:
        if node is not None and node.get("EIdType") == "doi" and _text(node):
            return _text(node)
    return None


def _pub_types(node: etree._Element | None) -> tuple[str, ...]:
    if node is None:
        return ()
    return tuple(t for t in (_text(p) for p in node.iterfind("PublicationType")) if t)


def _year(date: etree._Element | None) -> int | None:
    if date is None:
        return None
    return first_year(_text(date.find("Year"))) or first_year(_text(date.find("MedlineDate")))


def _abstract_node(container: etree._Element) -> etree._Element | None:
    node = container.find("Abstract")
    if node is not None and node.find("AbstractText") is not None:
        return node
    for other in container.iterfind("OtherAbstract"):
        if other.get("Language", "eng") == "eng" and other.find("AbstractText") is not None:
            return other
    return node


def parse_article(el: etree._Element, source: str) -> Article | Rejected:
    """One `PubmedArticle` element to an Article (or the reason it cannot be one)."""
    where = f"line {el.sourceline}"
    citation = el.find("MedlineCitation")
    art = citation.find("Article") if citation is not None else None
    pmid = clean_pmid(_text(citation.find("PMID"))) if citation is not None else None
    if art is None or pmid is None:
        return Rejected(source=source, location=where, reason="PubmedArticle without PMID or Article")
    abstract = abstract_text(_abstract_node(art))
    if not abstract:
        return Rejected(source=source, location=where, record_id=pmid, reason="no abstract", is_error=False)
    journal = art.find("Journal")
    year = _year(journal.find("JournalIssue/PubDate")) if journal is not None else None
    return Article(
        study_id=pmid,
        pmid=pmid,
        abstract=abstract,
        title=_text(art.find("ArticleTitle")) or _text(art.find("VernacularTitle")),
        doi=_doi(el.find("PubmedData/ArticleIdList"), *art.iterfind("ELocationID")),
        journal=_text(journal.find("Title")) or _text(journal.find("ISOAbbreviation")) if journal is not None else None,
        year=year or _year(art.find("ArticleDate")),
        authors=_authors(art.find("AuthorList")),
        publication_types=_pub_types(art.find("PublicationTypeList")),
        source=source,
        location=where,
    )


def parse_book(el: etree._Element, source: str) -> Article | Rejected:
    """One `PubmedBookArticle` element (a book chapter or report) to an Article."""
    where = f"line {el.sourceline}"
    doc = el.find("BookDocument")
    pmid = clean_pmid(_text(doc.find("PMID"))) if doc is not None else None
    if doc is None or pmid is None:
        return Rejected(source=source, location=where, reason="PubmedBookArticle without PMID")
    abstract = abstract_text(_abstract_node(doc))
    if not abstract:
        return Rejected(source=source, location=where, record_id=pmid, reason="no abstract", is_error=False)
    book = doc.find("Book")
    return Article(
        study_id=pmid,
        pmid=pmid,
        abstract=abstract,
        title=_text(doc.find("ArticleTitle")) or (_text(book.find("BookTitle")) if book is not None else None),
        doi=_doi(doc.find("ArticleIdList")) or _doi(el.find("PubmedBookData/ArticleIdList")),
        journal=_text(book.find("BookTitle")) if book is not None else None,
        year=_year(book.find("PubDate")) if book is not None else None,
        authors=_authors(doc.find("AuthorList")) or (_authors(book.find("AuthorList")) if book is not None else ()),
        publication_types=_pub_types(doc),
        source=source,
        location=where,
    )


def read_pubmed_xml(stream: IO[bytes], source: str) -> Iterator[Item]:
    """Yield records from a PubMed XML byte stream; raise ParseError where the XML breaks.

    Records before the break have already been yielded, so a truncated file
    imports everything up to the damage.
    """
    context = etree.iterparse(
        stream, events=("end",), tag=_TAGS, resolve_entities=False, no_network=True, huge_tree=True
    )
    seen = 0
    try:
        for _event, el in context:
            seen += 1
            if el.tag == "PubmedArticle":
                yield parse_article(el, source)
            elif el.tag == "PubmedBookArticle":
                yield parse_book(el, source)
            else:
                pmids = tuple(p for p in (clean_pmid(_text(x)) for x in el.iterfind("PMID")) if p)
                yield Deletion(pmids=pmids, source=source, location=f"line {el.sourceline}")
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise ParseError(
            f"XML broken after {seen} record(s): {exc.msg}", source=source, location=f"line {line}" if line else None
        ) from exc
    if seen == 0 and context.root is not None and context.root.tag not in ("PubmedArticleSet", "PubmedBookArticleSet"):
        raise ParseError(f"not PubMed XML: root element <{context.root.tag}>", source=source)
