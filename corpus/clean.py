"""Small text helpers shared by the readers: whitespace, ids, years."""

from __future__ import annotations

import re

_BREAKS = "\t\r\n\f\v"  # ASCII whitespace other than the space
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)", re.IGNORECASE)


def squash(text: str | None) -> str | None:
    """Collapse runs of ASCII whitespace to one space and strip; None when nothing is left.

    Unicode spaces inside numbers (thin U+2009, no-break U+00A0) are kept as
    printed: the extractor reads them, and offsets must index the stored text.
    """
    if text is None:
        return None
    # str.replace scans in C: three times faster than one regex over runs of whitespace.
    for ch in _BREAKS:
        if ch in text:
            text = text.replace(ch, " ")
    while "  " in text:  # a run of n spaces takes log2(n) passes
        text = text.replace("  ", " ")
    out = text.strip()
    return out or None


EXPONENT = re.compile(r"\s*[\-\u2212+]?\s*\d{1,3}\s*")


def superscript(before: str, sup: str) -> str:
    """How a superscript is written into plain text: an exponent after a number keeps a caret
    ('10<sup>9</sup>/L' -> '10^9/L', not '109/L'); anything else as it is."""
    if before[-1:].isdigit() and EXPONENT.fullmatch(sup):
        return "^" + sup.strip()
    return sup


def first_year(text: str | None) -> int | None:
    """The first plausible four-digit year in a free-text date ("1998 Dec-1999 Jan" -> 1998)."""
    if not text:
        return None
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def find_doi(text: str | None) -> str | None:
    """A DOI inside free text such as "10.1038/s41375-022-01739-2 [doi]"."""
    if not text:
        return None
    m = _DOI.search(text)
    return m.group(1).rstrip(".,;") if m else None


def clean_pmid(value: object) -> str | None:
    """A PMID as a string of digits, or None when the value is not one."""
    if value is None or isinstance(value, bool):
        return None
    s = str(value).strip()
    return s if s.isdigit() and s != "0" else None
