"""The regimen lexicon: how drugs, named regimens and treatment classes are written.

Kept as data (lexicon/regimens.tsv: term, canonical name, kind). Acronyms
without a run of three lowercase letters ("Pd", "R-ICE", "FTD/TPI") match
case-sensitively so that "PD" (progressive disease) is not pomalidomide-
dexamethasone; longer names match ignoring case. Unknown drugs are recognised
by their INN stems (-mab, -nib, -lisib, -leucel, -domide, ...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from extractor.errors import PatternError

KINDS = ("regimen", "drug", "class", "procedure", "control")
STEM_REGEX = (
    r"^[a-z][a-z\-]{2,}(?:mab|tinib|fenib|anib|rafenib|lisib|leucel|domide|platin|taxel|rubicin|parib|ciclib|"
    r"zomib|toclax|tecan|mustine|citabine|trexate|posid|ctinib|limus|tansine|deruxtecan|sertib|degib|vedotin|"
    r"mafodotin|govitecan|tirelvimab|lisib|stat)$"
)
STEM_RULE = "regimen.stem"


def case_sensitive(term: str) -> bool:
    """True for acronyms that must match exactly as written."""
    return re.search(r"[a-z]{3,}", term) is None


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    canonical: str
    kind: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    entries: tuple[Entry, ...]

    def canonical(self, text: str) -> str | None:
        """Canonical name of a written form, or None when it is not in the lexicon."""
        for e in self.entries:
            if (e.term == text) if case_sensitive(e.term) else (e.term.lower() == text.lower()):
                return e.canonical
        return None

    def span_patterns(self) -> list[dict[str, Any]]:
        """SpanRuler patterns: phrase patterns (id = canonical name), plus the INN-stem rule."""
        out: list[dict[str, Any]] = []
        for e in self.entries:
            if case_sensitive(e.term):
                continue
            out.append({"label": "REGIMEN", "pattern": e.term, "id": e.canonical})
        out.append({"label": "REGIMEN", "pattern": [{"LOWER": {"REGEX": STEM_REGEX}}], "id": STEM_RULE})
        return out

    def acronym_patterns(self) -> list[dict[str, Any]]:
        """Case-sensitive phrase patterns for acronyms (matched on ORTH)."""
        return [{"label": "REGIMEN", "pattern": e.term, "id": e.canonical}
                for e in self.entries if case_sensitive(e.term)]


def load_lexicon(text: str | None = None, name: str = "regimens.tsv") -> Lexicon:
    """Read the lexicon (the bundled TSV unless `text` is given); raise PatternError on a bad line."""
    if text is None:
        text = (resources.files("extractor") / "lexicon" / name).read_text(encoding="utf-8")
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or not all(c.strip() for c in cols):
            raise PatternError("expected three tab-separated columns: term, canonical, kind", file=name, line=number)
        term, canonical, kind = (c.strip() for c in cols)
        if kind not in KINDS:
            raise PatternError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}", file=name, line=number)
        key = term if case_sensitive(term) else term.lower()
        if key in seen and seen[key] != canonical:
            raise PatternError(f"{term!r} maps to both {seen[key]!r} and {canonical!r}", file=name, line=number)
        seen[key] = canonical
        entries.append(Entry(term, canonical, kind))
    return Lexicon(tuple(entries))
