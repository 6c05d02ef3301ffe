"""Reader for MEDLINE / nbib text, as PubMed's "Save, PubMed format" writes it.

Each record is a block of ``TAG - value`` lines (tags padded to four
characters, continuation lines indented by six spaces), blocks separated by
blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from evidence_tables.corpus.clean import clean_pmid, find_doi, first_year, squash
from evidence_tables.corpus.limits import MAX_RECORD_BYTES, too_large
from evidence_tables.corpus.models import Article, Item, Rejected

_FIELD = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*-\s?(.*)$")
LAST_FIELD = "SO"  # PubMed writes the source citation last in every record


@dataclass(slots=True)
class _Block:
    """One record as its lines arrive: tag -> values, each value the pieces of its lines (joined once, at the
    end: a field of many continuation lines costs linear time), and the first problem found."""

    first: int
    fields: dict[str, list[list[str]]] = field(default_factory=dict)
    last: list[str] | None = None
    size: int = 0
    problem: tuple[str, str] | None = None
    complete_line: bool = True  # its last line ended with a line break

    def add(self, number: int, raw: bytes | None) -> None:
        if raw is None:
            return self.fail(number, too_large("line"))
        self.complete_line = raw.endswith(b"\n")
        self.size += len(raw)
        if self.size > MAX_RECORD_BYTES:
            return self.fail(self.first, too_large())
        if self.problem:
            return None
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            return self.fail(
                number, f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            )
        m = _FIELD.match(line)
        if m and not line.startswith(" "):
            self.last = [m.group(2)]
            self.fields.setdefault(m.group(1), []).append(self.last)
        elif line.startswith(" ") and self.last is not None:
            self.last.append(line.strip())
        else:
            self.fail(number, f"not a MEDLINE field: {line[:40]!r}")
        return None

    def fail(self, number: int, reason: str) -> None:
        if self.problem is None:
            self.problem = (f"line {number}", reason)
        self.fields.pop("AB", None)  # what is left of a broken record is not kept
        self.last = None

    def values(self) -> dict[str, list[str]]:
        return {tag: [" ".join(parts) for parts in values] for tag, values in self.fields.items()}


def _blocks(lines: Iterable[tuple[int, bytes | None]]) -> Iterator[_Block]:
    """Records of numbered raw lines, split at blank lines."""
    block: _Block | None = None
    for number, raw in lines:
        if raw is not None and not raw.strip():
            if block is not None:
                yield block
                block = None
            continue
        if block is None:
            block = _Block(first=number)
        block.add(number, raw)
    if block is not None:
        yield block


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
        return Rejected(
            source=source, location=where, record_id=pmid, reason="no abstract", is_error=False
        )
    doi = None
    for value in fields.get("AID", []) + fields.get("LID", []):
        if value.rstrip().endswith("[doi]"):
            doi = find_doi(value)
            break
    authors = (
        fields.get("AU") or fields.get("FAU") or fields.get("CN") or []
    )  # "Schulz K", as PubMed XML gives it
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


def read_medline(lines: Iterable[tuple[int, bytes | None]], source: str) -> Iterator[Item]:
    """Yield one item per MEDLINE record from numbered raw lines (None: a line over the record limit).

    A record the file ends in the middle of is rejected, not stored cut: the last line has no line
    break, or the record lacks the SO line that PubMed writes last and that every earlier record has."""
    with_source = seen = 0
    pending: _Block | None = None
    for block in _blocks(lines):
        if pending is not None:
            yield _item(pending, source)
            with_source += LAST_FIELD in pending.fields
            seen += 1
        pending = block
    if pending is None:
        return
    if not pending.complete_line:
        pending.fail(
            pending.first,
            "record cut off: the file ends in the middle of a line (was the export or "
            "download complete?)",
        )
    elif seen and with_source == seen and LAST_FIELD not in pending.fields:
        pending.fail(
            pending.first,
            f"record cut off: no {LAST_FIELD} line, which PubMed writes last in every record "
            "and every other record of the file has (was the export complete?)",
        )
    yield _item(pending, source)


def _item(block: _Block, source: str) -> Item:
    fields = block.values()
    if block.problem:
        return Rejected(
            source=source,
            location=block.problem[0],
            record_id=clean_pmid(_one(fields, "PMID")),
            reason=block.problem[1],
        )
    return parse_record(fields, source, f"line {block.first}")
