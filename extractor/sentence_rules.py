"""Sentence rules: regular expressions over raw sentences, no tokenising.

The entries of patterns/*.jsonl with a "regex" (not a token "pattern") mark where the study's
own report starts (STUDY, STUDY_COHORT), which sentences describe other work (BACKGROUND), and
an abstract about emesis or pain (NONDISEASE_CONTEXT). `sentence_rules` compiles them; `label_regexes`
joins each label's rules into one alternation (its case-insensitive rules searching the folded
text); `labels_of` answers which labels a sentence has, `match_starts` where a label matches in a
whole text. Which sentences spaCy parses is decided elsewhere (extractor.gate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from evidence_tables.extractor.rules import load_patterns
from evidence_tables.extractor.search.casefold import fold, lower_literals
from evidence_tables.extractor.search.prefilter import can_match


@dataclass(frozen=True, slots=True)
class SentenceRule:
    id: str
    label: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def sentence_rules() -> tuple[SentenceRule, ...]:
    return tuple(
        SentenceRule(p["id"], p["label"], re.compile(p["regex"]))
        for p in load_patterns()
        if "regex" in p
    )


@lru_cache(maxsize=1)
def label_regexes() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Per label, the alternation of its rules (it matches where any rule does), split in two:
    the case-insensitive rules, compiled to search the folded text (extractor.search.casefold:
    IGNORECASE is 3x slower), and the case-sensitive ones, which search the text as printed."""
    return alternations(sentence_rules())


def alternations(
    rules: Iterable[SentenceRule],
) -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """See `label_regexes`. A case-insensitive rule that cannot be folded (a non-ASCII letter:
    'waldenström') searches the printed text with a scoped (?i:...) instead."""
    folded: dict[str, list[str]] = {}
    printed: dict[str, list[str]] = {}
    for r in rules:
        if r.regex.flags & re.IGNORECASE:
            try:
                folded.setdefault(r.label, []).append(f"(?:{lower_literals(r.regex.pattern)})")
            except ValueError:
                printed.setdefault(r.label, []).append(
                    f"(?i:{r.regex.pattern.removeprefix('(?i)')})"
                )
        else:
            printed.setdefault(r.label, []).append(f"(?:{r.regex.pattern})")
    return {
        label: (
            re.compile("|".join(folded[label])) if label in folded else None,
            re.compile("|".join(printed[label])) if label in printed else None,
        )
        for label in {**folded, **printed}
    }


def labels_of(
    text: str, only: frozenset[str] | None = None, folded: str | None = None
) -> frozenset[str]:
    """Labels of the sentence rules (all, or `only` these labels) that match a sentence
    (`folded` is `fold(text)` when the caller has it)."""
    regexes = label_regexes()
    if only is not None:
        regexes = {label: regexes[label] for label in only if label in regexes}
        if not regexes:  # most sentences after the study's report starts
            return _NO_LABELS
    if folded is None:
        folded = fold(text)
    return frozenset(
        label
        for label, (on_folded, on_text) in regexes.items()
        if on_folded is not None
        and on_folded.search(folded)
        or on_text is not None
        and on_text.search(text)
    )


_NO_LABELS: frozenset[str] = frozenset()


def match_starts(label: str, text: str, folded: str) -> list[int]:
    """Where the rules of a label match in a whole text (`folded` is `fold(text)`)."""
    on_folded, on_text = label_regexes()[label]
    # The rules' words first (extractor.search.prefilter): most abstracts name no emesis or pain, and
    # a few substring tests skip a search that tries the whole text (a tenth of building the Document).
    starts = (
        [m.start() for m in on_folded.finditer(folded)]
        if on_folded is not None and can_match(on_folded, folded)
        else []
    )
    return (
        sorted(starts + [m.start() for m in on_text.finditer(text)])
        if on_text is not None and can_match(on_text, text)
        else starts
    )
