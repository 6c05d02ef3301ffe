"""HTML in Europe PMC abstracts to the store's plain text: headings become `LABEL: text` paragraphs.

Only real tags are removed: a name from a known list, with attributes of the
form `name="value"`. Abstracts are full of `<` that are not tags (`P < .05`,
`<1 year`, `a<b and c>d`), and a generic `<[^>]+>` would eat the text between.
"""

from __future__ import annotations

import html
import re

from evidence_tables.corpus.clean import squash, superscript

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = (
    "p",
    "br",
    "div",
    "section",
    "ul",
    "ol",
    "li",
    "abstract",
    "title",
    "sec",
    "table",
    "tr",
    "td",
)
_INLINE = (
    "i",
    "b",
    "u",
    "em",
    "strong",
    "sub",
    "sup",
    "span",
    "sc",
    "small",
    "a",
    "font",
    "tt",
    "mml:math",
    "math",
    "inline-formula",
    "italic",
    "bold",
    "underline",
)
_NAMES = "|".join(
    re.escape(n) for n in sorted(_HEADINGS + _BLOCKS + _INLINE, key=len, reverse=True)
)
_TAG = re.compile(
    rf"<(/?)({_NAMES})((?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\s*/?>",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"<(h[1-6])(?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*\s*>(.*?)</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


_SUP = re.compile(r"(\d)<sup>([^<>]{1,8})</sup>", re.IGNORECASE)


def _plain(fragment: str) -> str:
    """Text of an inline fragment: tags removed (block tags leave a space), entities decoded."""
    fragment = _SUP.sub(
        lambda m: m.group(1) + superscript(m.group(1), html.unescape(m.group(2))), fragment
    )
    out = _TAG.sub(lambda m: "" if m.group(2).lower() in _INLINE else " ", fragment)
    return html.unescape(out)


def html_to_text(fragment: str | None) -> str | None:
    """Inline HTML (a title) to one line of plain text; None when nothing is left."""
    return squash(_plain(fragment)) if fragment else None


def html_abstract(fragment: str | None) -> str | None:
    """An abstract with `<h4>Methods</h4>...` sections as ``Methods: ...`` paragraphs, one per section.

    Text before the first heading is an unlabelled paragraph; a heading with no
    text after it is kept as ``Label:`` (as the PubMed reader does).
    """
    if not fragment:
        return None
    parts: list[str] = []
    label, pos = None, 0
    for m in _HEADING.finditer(fragment):
        _add_section(parts, label, fragment[pos : m.start()])
        label, pos = (html_to_text(m.group(2)) or "").rstrip(":").strip() or None, m.end()
    _add_section(parts, label, fragment[pos:])
    return "\n".join(parts) or None


def _add_section(parts: list[str], label: str | None, fragment: str) -> None:
    body = html_to_text(fragment)
    if label and body:
        parts.append(f"{label}: {body}")
    elif body or label:
        parts.append(body or f"{label}:")
