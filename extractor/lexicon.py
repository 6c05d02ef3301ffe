"""The regimen lexicon: how drugs, named regimens and treatment classes are written.

Kept as data (lexicon/regimens.tsv: term, canonical name, kind). Matched with
regular expressions over the raw text (no tokenising), longest form first.
Acronyms without a run of three lowercase letters ("Pd", "R-ICE", "FTD/TPI")
match case-sensitively so that "PD" (progressive disease) is not pomalidomide-
dexamethasone; longer names match ignoring case. Unknown drugs are recognised
by their INN stems (-mab, -nib, -lisib, -leucel, -domide, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

from evidence_tables.extractor.errors import PatternError
from evidence_tables.extractor.numbers import NUMBER_WORDS

KINDS = ("regimen", "drug", "class", "procedure", "control")
STEM_SUFFIXES = (
    "mab",
    "tinib",
    "fenib",
    "anib",
    "rafenib",
    "lisib",
    "leucel",
    "domide",
    "platin",
    "taxel",
    "rubicin",
    "parib",
    "ciclib",
    "zomib",
    "toclax",
    "tecan",
    "mustine",
    "citabine",
    "trexate",
    "posid",
    "ctinib",
    "limus",
    "tansine",
    "deruxtecan",
    "sertib",
    "degib",
    "vedotin",
    "mafodotin",
    "govitecan",
    "stat",
)
_LONG_WORDS = re.compile(r"(?<![A-Za-z])[A-Za-z]{6,}(?![A-Za-z])")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
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
class Mention:
    """A regimen, drug or class named in the text: `rule` is its canonical name (or the stem rule id)."""

    text: str
    rule: str
    start: int
    end: int
    label: str = "REGIMEN"


def _alternation(terms: list[str], fold: bool = False, not_after: str = "") -> str:
    """A regular expression for a set of strings, factored as a trie so matching does not try each term in turn.

    At every branch longer continuations come first, so the longest term wins ('R-CHOP-21' over 'R-CHOP').
    `not_after`, a character class, must not precede a match. It is checked right after the first
    character ('R(?<![A-Za-z0-9]R)...'): with a lookbehind in front of the alternation `re` tries every
    position; with a literal first it skips to the characters that can start a term.
    """
    trie: dict[str, dict] = {}
    for term in set(terms):
        node = trie
        for ch in term.lower() if fold else term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict], top: bool = False) -> str:
        guard = (
            (lambda ch: f"(?<!{not_after}{re.escape(ch)})")
            if top and not_after
            else (lambda ch: "")
        )
        branches = [
            re.escape(ch) + guard(ch) + build(child) for ch, child in sorted(node.items()) if ch
        ]
        end = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie, top=True)


@dataclass(frozen=True)
class Lexicon:
    """The lexicon entries and, built once on first use, the regular expressions that find them."""

    entries: tuple[Entry, ...]

    @cached_property
    def _matchers(
        self,
    ) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, str], dict[str, str]]:
        names = [e.term for e in self.entries if not case_sensitive(e.term)]
        acronyms = [e.term for e in self.entries if case_sensitive(e.term)]
        # Acronyms start with one of few (capital) letters: the guard after the first character skips
        # ahead faster. Names are searched in " " + the lower-cased text, behind the character before
        # them (see `_names`).
        return (
            re.compile(rf"[^A-Za-z0-9]({_alternation(names, fold=True)})(?![A-Za-z0-9])"),
            re.compile(
                r"({})(?![A-Za-z0-9])".format(_alternation(acronyms, not_after="[A-Za-z0-9]"))
            ),
            re.compile(rf"[^a-z](?:{_alternation([s[::-1] for s in STEM_SUFFIXES])})"),
            {e.term.lower(): e.canonical for e in self.entries if not case_sensitive(e.term)},
            {e.term: e.canonical for e in self.entries if case_sensitive(e.term)},
        )

    @cached_property
    def numbered_terms(self) -> tuple[str, ...]:
        """The terms, lower-cased, in which a number can start ('R-CHOP-21', '7+3', '5-FU'): a digit, a
        decimal point or a number word, longest first. Where none is printed, no number lies inside a mention."""
        return tuple(
            sorted(
                {
                    e.term.lower()
                    for e in self.entries
                    if re.search(r"[\d.\u00b7]", e.term)
                    or not NUMBER_WORDS.isdisjoint(re.findall(r"[a-z]+", e.term.lower()))
                },
                key=lambda t: (-len(t), t),
            )
        )

    def find(self, text: str) -> list[Mention]:
        """Every regimen mention in `text`, longest first where they overlap ('R-CHOP-21' over 'CHOP')."""
        names, acronyms, stems, by_name, by_acronym = self._matchers
        lowered = text.lower()  # same length as text for the scripts abstracts use; checked below
        if len(lowered) != len(text):
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        found = self._names(text, lowered, names, by_name)
        found += [
            Mention(m.group(1), by_acronym[m.group(1)], m.start(1), m.end(1))
            for m in acronyms.finditer(text)
        ]
        found += self._stems(text, lowered, stems)
        out: list[Mention] = []
        for m in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out

    @staticmethod
    def _names(
        text: str, lowered: str, names: re.Pattern[str], by_name: dict[str, str]
    ) -> list[Mention]:
        """Every match of `(?<![A-Za-z0-9])(names)(?![A-Za-z0-9])` in `lowered`. For speed the pattern
        reads the character before a name ([^A-Za-z0-9], a space before the text's start) instead of
        looking behind: a pattern that opens with a character class lets `re` skip to the few places
        where it holds, a lookbehind makes it try every position (a third slower). A name ends in a
        letter or digit, so the character after a match, which the next one may open with, is never
        consumed: the matches are the same (a test holds them equal)."""
        return [
            Mention(
                text[m.start(1) - 1 : m.end(1) - 1],
                by_name[m.group(1)],
                m.start(1) - 1,
                m.end(1) - 1,
            )
            for m in names.finditer(" " + lowered)
        ]

    @staticmethod
    def _stem_ends(lowered: str, stems: re.Pattern[str]) -> list[tuple[int, int]]:
        """(start, end) of every match of `(?:suffixes)(?![a-z])` in `lowered`, in order. For speed they are
        found in the reversed text ('bam' for 'mab'), each after the character that ends its run of
        letters ([^a-z], a space past the text's end): `re` skips to the ends of words, instead of
        trying at every letter that can open a suffix (most of them), which took 40% longer. A suffix
        is letters only and ends its run, so at most one match ends a run and the two ways find the
        same runs; where more than one suffix fits (-rafenib, -fenib) the start is the longest's, as
        the forward search's leftmost match (a test holds them equal)."""
        n, reverse = len(lowered), (lowered + " ")[::-1]
        return [(n - m.end() + 1, n - m.start()) for m in reversed(list(stems.finditer(reverse)))]

    @staticmethod
    def _stems(text: str, lowered: str, stem_ends: re.Pattern[str]) -> list[Mention]:
        """Words of six letters or more that end in a drug stem ('-mab', '-tinib'): found from where a stem
        ends a run of letters in the lower-cased text (few places) instead of from every long word."""
        if (
            "\u212a" in text
        ):  # the Kelvin sign lowers to 'k' and would join runs of letters: read every word
            return [
                Mention(m.group(0), STEM_RULE, m.start(), m.end())
                for m in _LONG_WORDS.finditer(text)
                if m.group(0).lower().endswith(STEM_SUFFIXES)
            ]
        found = []
        for start, end in Lexicon._stem_ends(lowered, stem_ends):
            while start > 0 and text[start - 1] in _ASCII_LETTERS:
                start -= 1
            word = _LONG_WORDS.fullmatch(text, start, end)  # the whole run, in the text as printed
            if word and (end == len(text) or text[end] not in _ASCII_LETTERS):
                found.append(Mention(word.group(0), STEM_RULE, start, end))
        return found


def load_lexicon(text: str | None = None, name: str = "regimens.tsv") -> Lexicon:
    """Read the lexicon (the bundled TSV unless `text` is given); raise PatternError on a bad line."""
    if text is None:
        text = (resources.files("evidence_tables.extractor") / "lexicon" / name).read_text(
            encoding="utf-8"
        )
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or not all(c.strip() for c in cols):
            raise PatternError(
                "expected three tab-separated columns: term, canonical, kind",
                file=name,
                line=number,
            )
        term, canonical, kind = (c.strip() for c in cols)
        if kind not in KINDS:
            raise PatternError(
                f"unknown kind {kind!r}; one of {', '.join(KINDS)}", file=name, line=number
            )
        key = term if case_sensitive(term) else term.lower()
        if key in seen and seen[key] != canonical:
            raise PatternError(
                f"{term!r} maps to both {seen[key]!r} and {canonical!r}", file=name, line=number
            )
        seen[key] = canonical
        entries.append(Entry(term, canonical, kind))
    return Lexicon(tuple(entries))
