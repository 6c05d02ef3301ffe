"""Reader for JSON Lines: one study per line.

Each line is an object with ``id`` or ``pmid``, ``abstract`` or ``text``, and
optionally ``title``, ``doi``, ``journal``, ``year``, ``authors``,
``publication_types``. A bad line is rejected with its number; the rest of the
file is read. A .json file holding an array of such objects is read item by item,
never whole.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import IO

from evidence_tables.corpus.clean import clean_pmid, first_year, squash
from evidence_tables.corpus.limits import MAX_RECORD_BYTES, printable, too_large
from evidence_tables.corpus.models import Article, Item, Rejected


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(s for s in (squash(str(v)) for v in value if v is not None) if s)


def parse_object(obj: object, source: str, where: str) -> Article | Rejected:
    """One decoded JSON value to an Article, or the reason it is not one."""
    if not isinstance(obj, dict):
        return Rejected(
            source=source,
            location=where,
            reason=f"expected a JSON object, got {type(obj).__name__}",
        )
    pmid = clean_pmid(obj.get("pmid"))
    given = obj.get("id")
    study_id = pmid or (str(given).strip() if given not in (None, "") else None)
    if not study_id:
        return Rejected(source=source, location=where, reason='no "id" or "pmid"')
    text = obj.get("abstract") if obj.get("abstract") is not None else obj.get("text")
    if (
        text is None or isinstance(text, str) and not text.strip()
    ):  # like a citation without an abstract
        return Rejected(
            source=source,
            location=where,
            record_id=printable(study_id),
            reason="no abstract",
            is_error=False,
        )
    if not isinstance(text, str):
        return Rejected(
            source=source,
            location=where,
            record_id=printable(study_id),
            reason=f'"abstract"/"text" should be a string, got {type(text).__name__}',
        )
    year = obj.get("year")
    return Article(
        study_id=study_id,
        pmid=pmid,
        abstract=text.replace("\r\n", "\n").strip(),
        title=squash(obj.get("title")) if isinstance(obj.get("title"), str) else None,
        doi=squash(obj.get("doi")) if isinstance(obj.get("doi"), str) else None,
        journal=squash(obj.get("journal")) if isinstance(obj.get("journal"), str) else None,
        year=year
        if isinstance(year, int) and not isinstance(year, bool)
        else first_year(str(year) if year else None),
        authors=_strings(obj.get("authors")),
        publication_types=_strings(obj.get("publication_types")),
        source=source,
        location=where,
    )


def read_jsonl(lines: Iterable[tuple[int, bytes | None]], source: str) -> Iterator[Item]:
    """Yield one item per non-blank line of raw bytes (decoded here, so one bad line stays one bad line);
    None stands for a line over the limit of one record, which is rejected unread."""
    for number, raw in lines:
        where = f"line {number}"
        if raw is None:
            yield Rejected(source=source, location=where, reason=too_large("line"))
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(
                source=source,
                location=where,
                reason=f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
            )
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(
                source=source,
                location=where,
                reason=f"invalid JSON: {exc.msg} at column {exc.colno}",
            )
            continue
        except (ValueError, RecursionError) as exc:  # over-long integers, nesting too deep
            yield Rejected(source=source, location=where, reason=f"invalid JSON: {exc}"[:200])
            continue
        yield parse_object(obj, source, where)


_CHUNK = 1 << 20
_SPACE = " \t\r\n"


class _ArrayReader:
    """The items of one JSON array read from a byte stream a chunk at a time: at most one item (and one
    chunk) is held, and an item over the limit of one record stops the reading."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.decode = codecs.getincrementaldecoder("utf-8-sig")().decode
        self.text = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        self.eof = not chunk
        self.text = self.text[self.pos :] + self.decode(
            chunk, final=self.eof
        )  # UnicodeDecodeError: not UTF-8
        self.pos = 0
        return not self.eof or bool(self.text)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.text) or not self._more():
                return self.text[self.pos : self.pos + 1]

    def value(self) -> object:
        """The next JSON value; ValueError (or RecursionError) when it is not one, OverflowError when it is
        over the limit of one record."""
        self.peek()
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if len(self.text) - self.pos > MAX_RECORD_BYTES:
                    raise OverflowError(too_large("item")) from None
                if not self._more():
                    raise
                continue
            if end == len(self.text) and not self.eof:  # a number might go on in the next chunk
                self._more()
                continue
            self.pos = end
            return obj


def read_json_array(stream: IO[bytes], source: str) -> Iterator[Item]:
    """A .json file holding one array of study objects, read item by item."""
    reader = _ArrayReader(stream)
    number = 0
    try:
        if reader.peek() != "[":
            value = reader.value()
            if isinstance(value, dict):  # one object: one study, as on a JSON line
                yield parse_object(value, source, "line 1")
                return
            yield Rejected(
                source=source,
                location="file",
                reason="expected a JSON array of study objects (or JSON Lines)",
            )
            return
        reader.pos += 1  # past the "["
        if reader.peek() == "]":
            return
        while True:
            number += 1
            yield parse_object(reader.value(), source, f"item {number}")
            after = reader.peek()
            if after == "]":
                return
            if after != ",":
                raise ValueError(
                    f"expected ',' or ']' after item {number}, found {after or 'the end of the file'!r}"
                )
            reader.pos += 1
    except UnicodeDecodeError as exc:
        yield Rejected(
            source=source,
            location=f"item {number or 1}",
            reason=f"not UTF-8 (byte 0x{exc.object[exc.start]:02x})",
        )
    except OverflowError as exc:
        yield Rejected(source=source, location=f"item {number}", reason=str(exc))
    except (
        ValueError,
        RecursionError,
    ) as exc:  # the reading cannot go on: where the array broke is unknown
        where = f"item {number}" if number else "file"
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        yield Rejected(
            source=source,
            location=where,
            reason=f"invalid JSON: {message}; the items after it are not read"[:200],
        )
