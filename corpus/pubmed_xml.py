"""Streaming reader for PubMed XML: efetch responses and the annual baseline files.

The file is cut into its records (`PubmedArticle`, `PubmedBookArticle`, `DeleteCitation`) by
corpus.xml_records, and each record is parsed on its own with libxml2's limits in force (no
`huge_tree`), so memory stays within one record whatever the file's size, and a record that cannot
be read (broken markup, nested too deep, over a limit) is rejected by name while the rest are read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

from lxml import etree

from evidence_tables.corpus.clean import clean_pmid, first_year, squash, superscript
from evidence_tables.corpus.errors import ParseError
from evidence_tables.corpus.limits import MAX_MARKUP_DEPTH, MAX_XML_TEXT_BYTES, too_large
from evidence_tables.corpus.models import Article, Deletion, Item, Rejected
from evidence_tables.corpus.xml_records import ROOT_TAGS, Piece, RecordStream, first_pmid


def _text(el: etree._Element | None) -> str | None:
    """All text under an element, inline markup (<i>, <sup>, ...) included; see `superscript`."""
    if el is None:
        return None
    parts: list[str] = []
    _flatten(el, parts)
    return squash("".join(parts))


def _flatten(root: etree._Element, parts: list[str]) -> None:
    """The text of `root` and its descendants in document order, walked with a stack (markup may nest
    as deep as libxml2 allows, deeper than Python's recursion limit); a `<sup>` goes through `superscript`."""
    parts.append(root.text or "")
    if not len(root):  # most elements (PMID, Year, LastName, ...) hold text only
        return
    stack = [(root, iter(root))]
    while stack:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                parts.append(el.tail or "")
        elif child.tag == "sup":
            parts.append(superscript(parts[-1] if parts else "", "".join(child.itertext())))
            parts.append(child.tail or "")
        elif isinstance(child.tag, str):
            parts.append(child.text or "")
            stack.append((child, iter(child)))
        else:  # a comment or processing instruction: only the text after it
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


def parse_article(el: etree._Element, source: str, where: str | None = None) -> Article | Rejected:
    """One `PubmedArticle` element to an Article (or the reason it cannot be one)."""
    where = where or f"line {el.sourceline}"
    citation = el.find("MedlineCitation")
    art = citation.find("Article") if citation is not None else None
    pmid = clean_pmid(_text(citation.find("PMID"))) if citation is not None else None
    if art is None or pmid is None:
        return Rejected(
            source=source, location=where, reason="PubmedArticle without PMID or Article"
        )
    abstract = abstract_text(_abstract_node(art))
    if not abstract:
        return Rejected(
            source=source, location=where, record_id=pmid, reason="no abstract", is_error=False
        )
    journal = art.find("Journal")
    year = _year(journal.find("JournalIssue/PubDate")) if journal is not None else None
    return Article(
        study_id=pmid,
        pmid=pmid,
        abstract=abstract,
        title=_text(art.find("ArticleTitle")) or _text(art.find("VernacularTitle")),
        doi=_doi(el.find("PubmedData/ArticleIdList"), *art.iterfind("ELocationID")),
        journal=_text(journal.find("Title")) or _text(journal.find("ISOAbbreviation"))
        if journal is not None
        else None,
        year=year or _year(art.find("ArticleDate")),
        authors=_authors(art.find("AuthorList")),
        publication_types=_pub_types(art.find("PublicationTypeList")),
        source=source,
        location=where,
    )


def parse_book(el: etree._Element, source: str, where: str | None = None) -> Article | Rejected:
    """One `PubmedBookArticle` element (a book chapter or report) to an Article."""
    where = where or f"line {el.sourceline}"
    doc = el.find("BookDocument")
    pmid = clean_pmid(_text(doc.find("PMID"))) if doc is not None else None
    if doc is None or pmid is None:
        return Rejected(source=source, location=where, reason="PubmedBookArticle without PMID")
    abstract = abstract_text(_abstract_node(doc))
    if not abstract:
        return Rejected(
            source=source, location=where, record_id=pmid, reason="no abstract", is_error=False
        )
    book = doc.find("Book")
    return Article(
        study_id=pmid,
        pmid=pmid,
        abstract=abstract,
        title=_text(doc.find("ArticleTitle"))
        or (_text(book.find("BookTitle")) if book is not None else None),
        doi=_doi(doc.find("ArticleIdList")) or _doi(el.find("PubmedBookData/ArticleIdList")),
        journal=_text(book.find("BookTitle")) if book is not None else None,
        year=_year(book.find("PubDate")) if book is not None else None,
        authors=_authors(doc.find("AuthorList"))
        or (_authors(book.find("AuthorList")) if book is not None else ()),
        publication_types=_pub_types(doc),
        source=source,
        location=where,
    )


def _parser(encoding: str | None) -> etree.XMLParser:
    """libxml2 with its own limits (no huge_tree: MAX_MARKUP_DEPTH, MAX_XML_TEXT_BYTES), no entities, no network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, encoding=encoding
    )


def _unreadable(exc: etree.XMLSyntaxError) -> str:
    message = exc.msg or str(exc)
    if "depth" in message.lower():
        return f"markup nested deeper than {MAX_MARKUP_DEPTH} levels (the XML parser's limit)"
    if "limit" in message.lower() or "too long" in message.lower():
        return f"a text or attribute over {MAX_XML_TEXT_BYTES:,} bytes (the XML parser's limit)"
    return f"XML broken in this record: {message}"


def parse_piece(piece: Piece, source: str, parser: etree.XMLParser) -> Item:
    """One record's bytes to an item; a record that cannot be parsed is a rejection naming its line and PMID."""
    where = f"line {piece.line}"
    if piece.data is None:
        return Rejected(
            source=source, location=where, record_id=piece.pmid, reason=too_large(f"<{piece.tag}>")
        )
    try:
        el = etree.fromstring(piece.data, parser)
    except etree.XMLSyntaxError as exc:
        line = piece.line + (exc.lineno or 1) - 1
        return Rejected(
            source=source,
            location=f"line {line}",
            record_id=first_pmid(piece.data),
            reason=_unreadable(exc),
        )
    if piece.tag == "PubmedArticle":
        return parse_article(el, source, where)
    if piece.tag == "PubmedBookArticle":
        return parse_book(el, source, where)
    pmids = tuple(p for p in (clean_pmid(_text(x)) for x in el.iterfind("PMID")) if p)
    return Deletion(pmids=pmids, source=source, location=where)


def read_pubmed_xml(stream: IO[bytes], source: str) -> Iterator[Item]:
    """Yield records from a PubMed XML byte stream; raise ParseError where the file breaks off.

    Every record complete before the break has been yielded, so a truncated file (or .gz)
    imports everything up to the damage.
    """
    records = RecordStream(stream)
    parser: etree.XMLParser | None = None
    seen = 0
    try:
        for piece in records:
            if parser is None:
                parser = _parser(records.encoding)
            seen += 1
            yield parse_piece(piece, source, parser)
    except (OSError, EOFError, zlib.error) as exc:
        where = f"line {records.open_record[1]}" if records.open_record else None
        raise ParseError(
            f"XML broken after {seen} record(s): the file is damaged or truncated ({exc})",
            source=source,
            location=where,
        ) from exc
    if records.open_record:
        tag, line = records.open_record
        raise ParseError(
            f"XML broken after {seen} record(s): the file ends inside the <{tag}> that starts here "
            "(truncated?)",
            source=source,
            location=f"line {line}",
        )
    if seen == 0 and records.root not in ROOT_TAGS:
        found = f"root element <{records.root}>" if records.root else "no XML element"
        raise ParseError(f"not PubMed XML: {found}", source=source)
    if records.root in ROOT_TAGS and not records.closed:
        raise ParseError(
            f"XML broken after {seen} record(s): the file ends before </{records.root}> (truncated?)",
            source=source,
            location="end of file",
        )
