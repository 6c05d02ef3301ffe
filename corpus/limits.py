"""What one record may hold, and reading that never holds more than that in memory.

The readers stream: memory is bounded by these limits, not by the size of a file or of a line in it.
A record over a limit is rejected by name (file, line, reason) and the rest of the file is read on.

- `MAX_RECORD_BYTES`: one record as read: a PubMed XML record, a JSON line or an item of a .json
  array, a MEDLINE record, a whole .txt file. The largest real PubMed records (thousands of
  authors with affiliations) are a few megabytes.
- `MAX_ABSTRACT_CHARS`: the text of one abstract as stored. Real abstracts are under 10,000
  characters; a longer text (a full paper saved as .txt) is stored, and extraction reads its
  first `extractor.limits.MAX_RULES_CHARS` characters (the values say so in their flags).
- `MAX_MARKUP_DEPTH` and `MAX_XML_TEXT_BYTES`: libxml2's own limits, kept (the XML reader does not
  ask for `huge_tree`): elements nested deeper than this in one record, or one text or attribute
  value longer than this, reject the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, overload

from evidence_tables.corpus.models import Article, Item, Rejected

MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_ABSTRACT_CHARS = 1_000_000
MAX_MARKUP_DEPTH = 255
MAX_XML_TEXT_BYTES = 10_000_000
_DRAIN = 1 << 20  # bytes read at a time while skipping the rest of an over-long line
_SURROGATE = re.compile("[\ud800-\udfff]")


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def too_large(what: str = "record") -> str:
    return f"{what} over {megabytes(MAX_RECORD_BYTES)}, the limit of one record: not read"


def printable(text: str) -> str:
    """Text safe to print and store: an unpaired surrogate (not Unicode) written as its escape."""
    return (
        _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        if _SURROGATE.search(text)
        else text
    )


@overload
def screen(item: Article | Rejected) -> Article | Rejected: ...
@overload
def screen(item: Item) -> Item: ...
def screen(item: Item) -> Item:
    """An Article that breaks a limit becomes a named rejection; everything else passes as it is.

    JSON may hold unpaired surrogates (`"\\ud800"`), which are not text: SQLite, the hash of the
    abstract and every output would fail on them."""
    if not isinstance(item, Article):
        return item
    for name in ("study_id", "abstract", "title", "doi", "journal", "pmid"):
        value = getattr(item, name)
        if value is not None and (m := _SURROGATE.search(value)):
            return _rejected(
                item,
                f'"{name}" holds \\u{ord(m.group()):04x} at character {m.start() + 1}, an '
                "unpaired surrogate (not Unicode text): the file's writer broke it",
            )
    for name in ("authors", "publication_types"):
        if any(_SURROGATE.search(v) for v in getattr(item, name)):
            return _rejected(item, f'"{name}" holds an unpaired surrogate (not Unicode text)')
    if len(item.abstract) > MAX_ABSTRACT_CHARS:
        return _rejected(
            item,
            f"abstract of {len(item.abstract):,} characters: over the limit of "
            f"{MAX_ABSTRACT_CHARS:,}",
        )
    return item


def _rejected(item: Article, reason: str) -> Rejected:
    return Rejected(
        source=item.source or "",
        location=item.location or "?",
        record_id=printable(item.study_id),
        reason=reason,
    )


def read_capped(stream: IO[bytes], cap: int = MAX_RECORD_BYTES) -> bytes | None:
    """The rest of the stream, or None when it holds more than `cap` bytes (of which at most cap + 1 were read)."""
    data = stream.read(cap + 1)
    return None if len(data) > cap else data


def capped_lines(
    stream: IO[bytes], cap: int = MAX_RECORD_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a byte stream; None for a line longer than `cap`, which is skipped without
    being held (memory stays within `cap` whatever the line's length)."""
    number = 0
    while line := stream.readline(cap + 1):
        number += 1
        if len(line) <= cap or line.endswith(b"\n"):
            yield number, line
            continue
        while (rest := stream.readline(_DRAIN)) and not rest.endswith(b"\n"):
            pass
        yield number, None
