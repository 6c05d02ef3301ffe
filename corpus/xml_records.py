"""PubMed XML cut into its records before any is parsed: memory and damage stay within one record.

A PubMed XML file is a root element (`PubmedArticleSet`) holding `PubmedArticle`,
`PubmedBookArticle` and `DeleteCitation` records. `RecordStream` reads the bytes a chunk at a time
and hands out each record's bytes with the line it starts on; the reader parses each on its own. So:

- a record that cannot be parsed (broken markup, nesting or a text over libxml2's limits) is one
  rejected record, and the records after it are read;
- a record over `MAX_RECORD_BYTES` is skipped without being held (only its first bytes are kept, to
  name its PMID);
- a file cut short (a truncated download or .gz) gives every record complete before the cut, then
  an error saying where the file ends.

A start tag is found by its bytes (`<PubmedArticle>`, `<PubmedArticle `...): in XML text a `<` is
always escaped, so these bytes only occur as markup (comments and CDATA, which PubMed does not write,
aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from evidence_tables.corpus.limits import MAX_RECORD_BYTES

RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet")
_CHUNK = 1 << 18
_OVERLAP = 64  # bytes kept from a scanned chunk: a tag may be split between two chunks
_HEAD = 1 << 16  # bytes kept of a record too large to read, to find its PMID
_START = re.compile(rb"<(PubmedArticle|PubmedBookArticle|DeleteCitation)(?=[\s/>])")
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[^<>]*?(/?)>")
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z][\w.-]*)[\"']")
_PMID = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")
_END = {tag: re.compile(rb"</" + tag.encode() + rb"\s*>") for tag in RECORD_TAGS}


@dataclass(frozen=True, slots=True)
class Piece:
    """One record's bytes (None: over the limit, skipped) and where it starts."""

    tag: str
    line: int
    data: bytes | None
    pmid: str | None = None


def first_pmid(data: bytes | bytearray) -> str | None:
    m = _PMID.search(data)
    return m.group(1).decode("ascii") if m else None


class RecordStream:
    """The records of one PubMed XML byte stream, in order. After iterating: `root` (the root element's
    name), `encoding` (from the XML declaration), `closed` (the root's end was read), `open_record`
    (tag and line of a record the stream ended inside, if any)."""

    def __init__(self, stream: IO[bytes], *, limit: int = MAX_RECORD_BYTES) -> None:
        self.stream = stream
        self.limit = limit
        self.root: str | None = None
        self.encoding: str | None = None
        self.closed = False
        self.open_record: tuple[str, int] | None = None
        self._buf = bytearray()
        self._line = 1  # line number of the first byte in the buffer
        self._read1 = getattr(stream, "read1", stream.read)

    def _drop(self, n: int) -> None:
        """Forget the first n bytes of the buffer, counting their lines."""
        self._line += self._buf.count(b"\n", 0, n)
        del self._buf[:n]

    def _read(self) -> bool:
        # read1: one read of the stream under the buffer. gzip's read(n) gathers several, and when one of
        # them fails (a truncated .gz) the data the others brought in this call is lost with it.
        chunk = self._read1(_CHUNK)
        self._buf += chunk
        return bool(chunk)

    def _prolog(self) -> None:
        """The declared encoding and the root element, from the first chunk of the file."""
        if m := _ENCODING.match(self._buf):
            self.encoding = m.group(1).decode("ascii")
        if m := _ROOT.search(self._buf):
            self.root = m.group(1).decode("ascii", "replace")
            self.closed = bool(m.group(2))

    def __iter__(self) -> Iterator[Piece]:
        more = self._read()
        while (
            more and len(self._buf) < _HEAD and not _ROOT.search(self._buf)
        ):  # a stream that trickles in
            more = self._read()
        self._prolog()
        while True:
            start = _START.search(self._buf)
            if start is None:
                if self.root and re.search(
                    rb"</" + re.escape(self.root.encode()) + rb"\s*>", self._buf
                ):
                    self.closed = True
                if not more:
                    return
                self._drop(max(0, len(self._buf) - _OVERLAP))
                more = self._read()
                continue
            tag = start.group(1).decode("ascii")  # before the buffer changes under the match
            self._drop(start.start())
            self.open_record = (tag, self._line)
            piece, more = self._record(tag, more)
            if piece is None:
                return  # the stream ended inside this record: `open_record` says where it began
            self.open_record = None
            yield piece

    def _record(self, tag: str, more: bool) -> tuple[Piece | None, bool]:
        """Read on to the end of the record at the start of the buffer: (its piece, or None when the stream
        ends first; whether there is more to read)."""
        line, end = self._line, _END[tag]
        scanned = 0
        while (found := end.search(self._buf, scanned)) is None:
            if len(self._buf) > self.limit:
                return self._skip(tag, line, end, more)
            scanned = max(0, len(self._buf) - _OVERLAP)
            if not more:
                return None, False
            more = self._read()
        with memoryview(self._buf) as view:
            data = bytes(view[: found.end()])  # one copy (a bytearray slice would be a second)
        self._drop(found.end())
        return Piece(tag, line, data), more

    def _skip(
        self, tag: str, line: int, end: re.Pattern[bytes], more: bool
    ) -> tuple[Piece | None, bool]:
        """Pass over a record too large to read, holding no more than a chunk of it."""
        pmid = first_pmid(self._buf[:_HEAD])
        while (found := end.search(self._buf)) is None:
            if not more:
                return None, False
            self._drop(max(0, len(self._buf) - _OVERLAP))
            more = self._read()
        self._drop(found.end())
        return Piece(tag, line, None, pmid), more
