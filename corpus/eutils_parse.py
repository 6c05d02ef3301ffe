"""Readers for E-utilities answers: esearch (JSON or XML) and efetch (PubMed XML), no I/O.

NCBI often reports errors with HTTP 200: `<ERROR>` or `esearchresult.ERROR` (the
request failed), `ErrorList` / `errorlist` (phrases or fields it did not find and
searched without) and `WarningList` / `warninglist`. The first are raised; the
others become human-readable warnings on the `SearchPage`.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from evidence_tables.corpus.clean import clean_pmid, squash
from evidence_tables.corpus.errors import HistoryExpiredError, ParseError, SearchError, ServiceError
from evidence_tables.corpus.limits import screen
from evidence_tables.corpus.models import Item
from evidence_tables.corpus.pubmed_xml import read_pubmed_xml

_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_HISTORY_LOST = re.compile(r"unable to obtain query|webenv|query_key|history", re.IGNORECASE)

# (JSON key, XML tag, how to say it) for the lists NCBI sends beside results
_NOTES = (
    (
        "errorlist",
        "phrasesnotfound",
        "PhraseNotFound",
        "PubMed did not find the phrase {!r} and searched without it",
    ),
    (
        "errorlist",
        "fieldsnotfound",
        "FieldNotFound",
        "PubMed does not know the field {!r} and searched without it",
    ),
    ("warninglist", "phrasesignored", "PhraseIgnored", "PubMed ignored the phrase {!r}"),
    (
        "warninglist",
        "quotedphrasesnotfound",
        "QuotedPhraseNotFound",
        "PubMed did not find the quoted phrase {!r}",
    ),
    ("warninglist", "outputmessages", "OutputMessage", "PubMed: {}"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchPage:
    """One esearch answer: the total count, this page of PMIDs and the history session holding all of them."""

    count: int
    ids: tuple[str, ...]
    retstart: int = 0
    webenv: str | None = None
    query_key: str | None = None
    translation: str | None = None
    warnings: tuple[str, ...] = ()


def parse_esearch(body: bytes) -> SearchPage:
    """An esearch answer in either retmode; `SearchError` when NCBI says the search failed."""
    head = body.lstrip()[:1]
    if head == b"{":
        return _esearch_json(body)
    if head == b"<":
        return _esearch_xml(body)
    raise ParseError(
        "esearch answer is neither JSON nor XML" if body.strip() else "empty esearch answer",
        source="esearch",
    )


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ParseError(
            f"esearch answer without a usable {what}: {value!r}", source="esearch"
        ) from exc


def _esearch_json(body: bytes) -> SearchPage:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ParseError(f"esearch JSON broken: {exc}", source="esearch") from exc
    if not isinstance(data, dict):
        raise ParseError("esearch JSON is not an object", source="esearch")
    result = data.get("esearchresult")
    if not isinstance(result, dict):
        if isinstance(data.get("error"), str):
            raise ServiceError(data["error"], source="esearch")
        raise ParseError("esearch JSON without `esearchresult`", source="esearch")
    if result.get("ERROR"):
        raise SearchError(
            f"PubMed rejected the search: {squash(str(result['ERROR']))}", source="esearch"
        )
    warnings = []
    for group, key, _tag, say in _NOTES:
        for value in (result.get(group) or {}).get(key) or ():
            if squash(str(value)):
                warnings.append(say.format(squash(str(value))))
    ids = tuple(p for p in (clean_pmid(i) for i in result.get("idlist") or ()) if p)
    return SearchPage(
        count=_int(result.get("count"), "count"),
        ids=ids,
        retstart=_int(result.get("retstart", 0), "retstart"),
        webenv=result.get("webenv") or None,
        query_key=str(result.get("querykey") or "") or None,
        translation=squash(result.get("querytranslation")),
        warnings=tuple(warnings),
    )


def _esearch_xml(body: bytes) -> SearchPage:
    try:
        root = etree.fromstring(body, _XML)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"esearch XML broken: {exc.msg}", source="esearch") from exc
    error = root if root.tag == "ERROR" else root.find("ERROR")
    if error is not None:
        raise SearchError(
            f"PubMed rejected the search: {squash(error.text) or 'unspecified error'}",
            source="esearch",
        )
    if root.tag != "eSearchResult":
        raise ParseError(f"not an esearch answer: root element <{root.tag!s}>", source="esearch")
    warnings = []
    for group, _key, tag, say in _NOTES:
        container = root.find("ErrorList" if group == "errorlist" else "WarningList")
        for node in container.iterfind(tag) if container is not None else ():
            if squash(node.text):
                warnings.append(say.format(squash(node.text)))
    ids = tuple(p for p in (clean_pmid(n.text) for n in root.iterfind("IdList/Id")) if p)
    return SearchPage(
        count=_int(root.findtext("Count"), "Count"),
        ids=ids,
        retstart=_int(root.findtext("RetStart") or 0, "RetStart"),
        webenv=squash(root.findtext("WebEnv")),
        query_key=squash(root.findtext("QueryKey")),
        translation=squash(root.findtext("QueryTranslation")),
        warnings=tuple(warnings),
    )


def efetch_error(body: bytes) -> str | None:
    """The message of an efetch `<ERROR>` answer (sent with HTTP 200), or None for a normal answer."""
    head = body[:4096]
    if b"<ERROR" not in head and b"<eFetchResult" not in head:
        return None
    try:
        root = etree.fromstring(body, _XML)
    except etree.XMLSyntaxError:
        found = re.search(rb"<ERROR>(.*?)</ERROR>", body, re.S)
        return (
            squash(found.group(1).decode("utf-8", "replace"))
            if found
            else "unreadable error answer"
        )
    node = root if root.tag == "ERROR" else root.find(".//ERROR")
    if node is None:
        return (
            None
            if root.tag in ("PubmedArticleSet", "PubmedBookArticleSet")
            else f"unexpected <{root.tag!s}> answer"
        )
    return squash("".join(node.itertext())) or "unspecified error"


def parse_efetch(body: bytes, source: str = "pubmed") -> list[Item]:
    """Every record of an efetch `db=pubmed retmode=xml` answer.

    Raises `HistoryExpiredError` when the history session is gone, `ServiceError`
    for other `<ERROR>` answers and `ParseError` for a broken (truncated) body.
    """
    message = efetch_error(body)
    if message is not None:
        kind = HistoryExpiredError if _HISTORY_LOST.search(message) else ServiceError
        raise kind(f"efetch answered: {message}", source="efetch")
    if not body.strip():
        raise ParseError("empty efetch answer", source="efetch")
    return [screen(item) for item in read_pubmed_xml(io.BytesIO(body), source)]
