"""Files to records: open (plain or gzip), recognise the format, dispatch to a reader."""

from __future__ import annotations

import gzip
import re
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

from evidence_tables.corpus.errors import FormatError, ParseError, SourceError
from evidence_tables.corpus.jsonl import read_json_array, read_jsonl
from evidence_tables.corpus.limits import capped_lines, read_capped, screen, too_large
from evidence_tables.corpus.medline import read_medline
from evidence_tables.corpus.models import Article, Item, Rejected
from evidence_tables.corpus.pubmed_xml import read_pubmed_xml

Format = Literal["pubmed-xml", "jsonl", "json", "medline", "text"]
FORMATS: tuple[Format, ...] = ("pubmed-xml", "jsonl", "json", "medline", "text")
_MEDLINE_START = re.compile(rb"^PMID- ?\d+", re.MULTILINE)
_SUFFIXES = (".gz", ".xml", ".jsonl", ".ndjson", ".json", ".txt", ".nbib", ".medline", ".text")
STDIN = "-"  # as a file name: standard input (sqlite-utils' and csvkit's convention)
STDIN_NAME = (
    "stdin"  # how records read from it are named in messages (and a text abstract's study id)
)
_SPOOL_IN_MEMORY = (
    16 << 20
)  # standard input is copied aside (to disk beyond this) so it can be read twice


def is_stdin(path: str | Path) -> bool:
    return str(path) == STDIN


def _spooled(stream: IO[bytes]) -> IO[bytes]:
    """A pipe copied into a seekable file: the format is told from its head, then it is read from the start."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)
    shutil.copyfileobj(stream, spool, 1 << 20)
    spool.seek(0)
    return spool


def _open(path: Path) -> IO[bytes]:
    try:
        raw: IO[bytes] = _spooled(sys.stdin.buffer) if is_stdin(path) else path.open("rb")
        magic = raw.read(2)
        raw.seek(0)
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc), source=str(path)) from exc
    if magic == b"\x1f\x8b":
        return _Gunzipped(raw)  # type: ignore[return-value]  # typeshed: a GzipFile is no typing.IO
    return raw


class _Gunzipped(gzip.GzipFile):
    """A gzip stream that closes the file under it too."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


def _blank(stream: IO[bytes]) -> bool:
    """True when the whole stream is whitespace (after a BOM); rewinds it."""
    try:
        first = True
        while chunk := stream.read(1 << 16):
            if (chunk.lstrip(b"\xef\xbb\xbf") if first else chunk).strip():
                return False
            first = False
        return True
    finally:
        stream.seek(0)


def _head(stream: IO[bytes], size: int = 8192) -> bytes:
    if hasattr(stream, "peek"):
        return stream.peek(size)[:size]
    data = stream.read(size)
    stream.seek(0)
    return data


def detect_format(head: bytes, name: str | None) -> Format:
    """Recognise a format from a file's first bytes (its name only breaks ties; None: a stream, no name)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "pubmed-xml"
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"["):
        return "json"
    if _MEDLINE_START.search(head[:2048]):
        return "medline"
    if name is None:
        raise FormatError(_unknown(text), source=STDIN_NAME)
    lowered = name.lower().removesuffix(".gz")
    if lowered.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lowered.endswith(".xml"):
        return "pubmed-xml"
    if lowered.endswith((".txt", ".text")) or "." not in lowered:
        return "text"
    raise FormatError(_unknown(text), source=name)


_FOREIGN = (
    (
        b"TY  -",
        "a RIS file holds citations, mostly without abstracts: export from PubMed as XML or MEDLINE",
    ),
    (b"%PDF", "a PDF is not read: save the abstract as a .txt file"),
    (
        b"SQLite format 3\x00",
        "this is a SQLite database: give the evidence database as the first argument",
    ),
    (b"PK\x03\x04", "a zip/Excel file is not read: export the abstracts as JSON Lines or .txt"),
)


def _unknown(text: bytes) -> str:
    for magic, advice in _FOREIGN:
        if text.startswith(magic):
            return f"not an abstract file: {advice}"
    return (
        "format not recognised (PubMed XML, MEDLINE/.nbib, JSON Lines, a .json array, or one abstract per "
        ".txt file); to read this file as one abstract, pass --format text"
    )


def study_id_for(path: Path) -> str:
    """The study id of a plain-text file: its name without text/gzip suffixes."""
    name = STDIN_NAME if is_stdin(path) else path.name
    for suffix in (".gz", ".txt", ".text"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or path.name


def _read_text(stream: IO[bytes], path: Path, source: str) -> Iterator[Item]:
    data = read_capped(stream)
    if data is None:
        yield Rejected(
            source=source, location="line 1", record_id=study_id_for(path), reason=too_large("file")
        )
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield Rejected(
            source=source,
            location=f"line {line}",
            reason=f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )
        return
    text = text.replace("\r\n", "\n").strip()
    sid = study_id_for(path)
    if not text:  # blank beyond the first 8 KB read_path looked at
        raise FormatError("empty file: nothing to import", source=source)
    yield Article(study_id=sid, abstract=text, source=source, location="line 1")


def read_path(path: str | Path, fmt: Format | None = None) -> Iterator[Item]:
    """Yield every record of one file; raise a CorpusError if the file cannot be read on.

    Records before a fatal error have already been yielded.
    """
    path = Path(path)
    source = STDIN_NAME if is_stdin(path) else path.name
    if path.is_dir():
        raise SourceError("is a directory (pass its files)", source=str(path))
    stream = _open(path)
    try:
        try:
            head = _head(stream)
            if not head.lstrip(b"\xef\xbb\xbf").strip() and _blank(
                stream
            ):  # the same answer in every format
                raise FormatError(
                    "empty file: nothing to import (was the export complete?)", source=source
                )
            fmt = fmt or detect_format(head, None if is_stdin(path) else path.name)
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(f"cannot read: {exc}", source=source) from exc
        if fmt not in FORMATS:
            raise FormatError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", source=source)
        try:
            yield from map(screen, _records(stream, fmt, path, source))
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(f"file damaged or truncated: {exc}", source=source) from exc
    finally:
        stream.close()


def _records(stream: IO[bytes], fmt: Format, path: Path, source: str) -> Iterator[Item]:
    """The reader of one format; each holds at most one record (corpus.limits) in memory at a time."""
    if fmt == "pubmed-xml":
        return read_pubmed_xml(stream, source)
    if fmt == "jsonl":
        return read_jsonl(capped_lines(stream), source)
    if fmt == "json":
        return read_json_array(stream, source)
    if fmt == "medline":
        return read_medline(capped_lines(stream), source)
    return _read_text(stream, path, source)


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files named on the command line; a directory stands for the readable files in it, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(f for f in p.iterdir() if f.is_file() and f.name.lower().endswith(_SUFFIXES))
            )
        else:
            out.append(p)
    return out
