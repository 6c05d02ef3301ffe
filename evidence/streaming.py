"""Query results written as they arrive: what `evidence sql` prints, in the shared output formats.

Rows are written a batch at a time, never collected first, so a result of any size goes out in
the memory of one batch (and the first rows show at once). No pandas: the values are SQLite's own.

- csv, tsv: a header line, then one line a row (text a spreadsheet would run as a formula gets a
  leading `'`, as in every export); NULL is empty.
- nl: one JSON object a line; json: one JSON array, written an object at a time.
- markdown: a pipe table (cells not padded: it renders the same).
- plain: aligned columns, sized on the first `PLAIN_SAMPLE` rows; longer cells are cut to
  `PLAIN_WIDTH` characters with an ellipsis (the other formats keep every character).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

from evidence_tables.db.formats import defuse

BATCH = 500  # rows written at once
PLAIN_SAMPLE = 1000
PLAIN_WIDTH = 70


def _json_value(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex()
    return value


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def write_rows(
    columns: list[str], rows: Iterable[tuple], fmt: str | None, out: TextIO, *, headers: bool = True
) -> int:
    """Write `rows` to `out` in `fmt` (None: an aligned plain table); return how many were written."""
    writer = {
        "csv": _delimited,
        "tsv": _delimited,
        "nl": _lines,
        "json": _array,
        "markdown": _markdown,
    }.get(fmt or "", _plain)
    return writer(columns, rows, out, headers=headers, fmt=fmt)


def _delimited(
    columns: list[str], rows: Iterable[tuple], out: TextIO, *, headers: bool, fmt: str | None
) -> int:
    writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    if headers:
        writer.writerow(columns)
    n = 0
    for batch in _batches(rows):
        writer.writerows([defuse(v) for v in row] for row in batch)
        n += len(batch)
    return n


def _object(columns: list[str], row: tuple) -> str:
    return json.dumps(dict(zip(columns, map(_json_value, row))), ensure_ascii=False)


def _lines(
    columns: list[str], rows: Iterable[tuple], out: TextIO, *, headers: bool, fmt: str | None
) -> int:
    n = 0
    for batch in _batches(rows):
        out.write("".join(_object(columns, row) + "\n" for row in batch))
        n += len(batch)
    return n


def _array(
    columns: list[str], rows: Iterable[tuple], out: TextIO, *, headers: bool, fmt: str | None
) -> int:
    n = 0
    for batch in _batches(rows):
        out.write(("[\n" if n == 0 else ",\n") + ",\n".join(_object(columns, row) for row in batch))
        n += len(batch)
    out.write("[]\n" if n == 0 else "\n]\n")
    return n


def _cell(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _markdown(
    columns: list[str], rows: Iterable[tuple], out: TextIO, *, headers: bool, fmt: str | None
) -> int:
    def line(cells: Iterable[object]) -> str:
        return "| " + " | ".join(_cell(c).replace("|", "\\|") for c in cells) + " |\n"

    if headers:
        out.write(line(columns) + "|" + "|".join("---" for _ in columns) + "|\n")
    n = 0
    for batch in _batches(rows):
        out.write("".join(line(row) for row in batch))
        n += len(batch)
    return n


def _plain(
    columns: list[str], rows: Iterable[tuple], out: TextIO, *, headers: bool, fmt: str | None
) -> int:
    it = iter(rows)
    sample = list(islice(it, PLAIN_SAMPLE))
    if not sample:
        out.write("(no rows)\n")
        return 0

    def cells(row: Iterable[object]) -> list[str]:
        texts = [_cell(v) for v in row]
        return [t if len(t) <= PLAIN_WIDTH else t[: PLAIN_WIDTH - 1] + "…" for t in texts]

    numeric = [
        all(v is None or isinstance(v, (int, float)) for v in column) for column in zip(*sample)
    ]
    widths = [len(c) for c in columns] if headers else [0] * len(columns)
    for row in sample:
        widths = [max(w, len(c)) for w, c in zip(widths, cells(row))]

    def line(texts: list[str]) -> str:
        padded = [
            t.rjust(w) if right else t.ljust(w) for t, w, right in zip(texts, widths, numeric)
        ]
        return "  ".join(padded).rstrip() + "\n"

    if headers:
        out.write(line(list(columns)))
    n = 0
    for batch in _batches(sample):
        out.write("".join(line(cells(row)) for row in batch))
        n += len(batch)
    for batch in _batches(it):
        out.write("".join(line(cells(row)) for row in batch))
        n += len(batch)
    return n
