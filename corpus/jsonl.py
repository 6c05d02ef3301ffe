"""Reader for JSON Lines: one study per line.

Each line is an object with ``id`` or ``pmid``, ``abstract`` or ``text``, and
optionally ``title``, ``doi``, ``journal``, ``year``, ``authors``,
``publication_types``. A bad line is rejected with its number; the rest of the
file is read.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from evidence_tables.corpus.clean import clean_pmid, first_year, squash
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
        return Rejected(source=source, location=where, reason=f"expected a JSON object, got {type(obj).__name__}")
    pmid = clean_pmid(obj.get("pmid"))
    given = obj.get("id")
    study_id = pmid or (str(given).strip() if given not in (None, "") else None)
    if not study_id:
        return Rejected(source=source, location=where, reason='no "id" or "pmid"')
    text = obj.get("abstract") if obj.get("abstract") is not None else obj.get("text")
    if text is None or isinstance(text, str) and not text.strip():  # like a citation without an abstract
        return Rejected(source=source, location=where, record_id=study_id, reason="no abstract", is_error=False)
    if not isinstance(text, str):
        return Rejected(source=source, location=where, record_id=study_id,
                        reason=f'"abstract"/"text" should be a string, got {type(text).__name__}')
    year = obj.get("year")
    return Article(
        study_id=study_id,
        pmid=pmid,
        abstract=text.replace("\r\n", "\n").strip(),
        title=squash(obj.get("title")) if isinstance(obj.get("title"), str) else None,
        doi=squash(obj.get("doi")) if isinstance(obj.get("doi"), str) else None,
        journal=squash(obj.get("journal")) if isinstance(obj.get("journal"), str) else None,
        year=year if isinstance(year, int) and not isinstance(year, bool) else first_year(str(year) if year else None),
        authors=_strings(obj.get("authors")),
        publication_types=_strings(obj.get("publication_types")),
        source=source,
        location=where,
    )


def read_jsonl(lines: Iterable[tuple[int, bytes]], source: str) -> Iterator[Item]:
    """Yield one item per non-blank line of raw bytes (decoded here, so one bad line stays one bad line)."""
    for number, raw in lines:
        where = f"line {number}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(source=source, location=where, reason=f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(source=source, location=where, reason=f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except (ValueError, RecursionError) as exc:  # over-long integers, nesting too deep
            yield Rejected(source=source, location=where, reason=f"invalid JSON: {exc}"[:200])
            continue
        yield parse_object(obj, source, where)


def read_json_array(data: bytes, source: str) -> Iterator[Item]:
    """A .json file holding one array of study objects (read whole: use JSONL for large files)."""
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield Rejected(source=source, location="file", reason=f"not UTF-8 (byte 0x{data[exc.start]:02x})")
        return
    except (ValueError, RecursionError) as exc:
        yield Rejected(source=source, location="file", reason=f"invalid JSON: {exc}"[:200])
        return
    if not isinstance(items, list):
        yield Rejected(source=source, location="file", reason="expected a JSON array of study objects (or JSON Lines)")
        return
    for number, obj in enumerate(items, 1):
        yield parse_object(obj, source, f"item {number}")
