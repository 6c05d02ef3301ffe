"""Reader for MEDLINE / nbib text, as PubMed's "Save, PubMed format" writes it.

Each record is a block of ``TAG - value`` lines (tags padded to four
characters, continuation lines indented by six spaces), blocks separated by
blank lines.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from evidence_tables.corpus.clean import clean_pmid, find_doi, first_year, squash
from evidence_tables.corpus.models import Article, Item, Rejected

_FIELD = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*-\s?(.*)$")


def _records(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Group numbered lines into records (first line number, lines), split at blank lines."""
    block: list[tuple[int, str]] = []
    for number, line in lines:
        if line.strip():
            block.append((number, line.rstrip("\r\n")))
        elif block:
            yield block[0][0], block
            block = []
    if block:
        yield block[0][0], block


def _fields(block: list[tuple[int, str]]) -> tuple[dict[str, list[str]], tuple[str, str] | None]:
    """Tag -> values of one record, and (location, reason) of the first line that is neither."""
    fields: dict[str, list[str]] = {}
    last: list[str] | None = None
    for number, line in block:
        m = _FIELD.match(line)
        if m and not line.startswith(" "):
            last = fields.setdefault(m.group(1), [])
            last.append(m.group(2))
        elif line.startswith(" ") and last is not None:
            last[-1] += " " + line.strip()
        else:
            return fields, (f"line {number}", f"not a MEDLINE field: {line[:40]!r}")
    return fields, None


def _one(fields: dict[str, list[str]], tag: str) -> str | None:
    values = fields.get(tag)
    return squash(values[0]) if values else None


def parse_record(fields: dict[str, list[str]], source: str, where: str) -> Article | Rejected:
    """One MEDLINE record's fields to an Article."""
    pmid = clean_pmid(_one(fields, "PMID"))
    if pmid is None:
        return Rejected(source=source, location=where, reason="record without a PMID line")
    abstract = squash(" ".join(fields.get("AB", []))) or squash(" ".join(fields.get("OAB", [])))
    if not abstract:
        return Rejected(source=source, location=where, record_id=pmid, reason="no abstract", is_error=False)
    doi = None
    for value in fields.get("AID", []) + fields.get("LID", []):
        if value.rstrip().endswith("[doi]"):
            doi = find_doi(value)
            break
    authors = fields.get("AU") or fields.get("FAU") or fields.get("CN") or []  # "Schulz K", as PubMed XML gives it
    return Article(
        study_id=pmid,
        pmid=pmid,
        abstract=abstract,
        title=_one(fields, "TI") or _one(fields, "BTI"),
        doi=doi,
        journal=_one(fields, "JT") or _one(fields, "TA"),
        year=first_year(_one(fields, "DP")),
        authors=tuple(a for a in (squash(x) for x in authors) if a),
        publication_types=tuple(p for p in (squash(x) for x in fields.get("PT", [])) if p),
        source=source,
        location=where,
    )


def read_medline(lines: Iterable[tuple[int, str]], source: str) -> Iterator[Item]:
    """Yield one item per MEDLINE record from numbered text lines."""
    for first, block in _records(lines):
        fields, problem = _fields(block)
        pmid = clean_pmid(_one(fields, "PMID"))
        if problem:
            yield Rejected(source=source, location=problem[0], record_id=pmid, reason=problem[1])
            continue
        yield parse_record(fields, source, f"line {first}")
