"""Sentence-level context and the gate: regular expressions over raw sentences, no tokenising.

- Sentence rules (patterns/*.jsonl entries with a "regex") mark where the study's
  own report starts (STUDY) and which sentences describe other work (BACKGROUND).
- The gate decides which sentences spaCy sees: only a sentence holding a word of
  a value-owning cue pattern (derived from the token patterns themselves, so it
  cannot drift from them) and something countable (a digit, a number word,
  'none'/'no'/'all', 'not reached') can yield a value. A sentence right after one
  that names overall survival is kept too (it may continue the report).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractor.numbers import NUMBER_WORDS

# Cue labels whose matches can own a value (see measures/*): the gate keeps their words.
OWNING_LABELS = frozenset({"OS", "NOT_REACHED", "CR", "RELAPSE", "CUM_INC", "POPULATION", "INCLUDE", "TREATED",
                           "TOTAL", "N_EQUALS"})
_COUNTABLE = NUMBER_WORDS | {"none", "no", "all", "not", "nr", "ne", "nobody", "neither"}
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class SentenceRule:
    id: str
    label: str
    regex: re.Pattern[str]


def _strings(pattern: list[dict[str, Any]]) -> set[str]:
    """Every literal word a token pattern can match (LOWER/TEXT/ORTH values and IN lists)."""
    words: set[str] = set()
    for token in pattern:
        for attr in ("LOWER", "TEXT", "ORTH"):
            spec = token.get(attr)
            values = spec.get("IN", []) if isinstance(spec, dict) else [spec] if isinstance(spec, str) else []
            for v in values:
                words.update(w.lower() for w in _WORD.findall(v))
    return words


@lru_cache(maxsize=1)
def gate_words() -> frozenset[str]:
    """Lower-cased words of every value-owning cue pattern."""
    from extractor.pipeline import load_patterns  # noqa: PLC0415

    words: set[str] = set()
    for p in load_patterns():
        if "pattern" in p and p["label"] in OWNING_LABELS:
            words |= _strings(p["pattern"])
    return frozenset(words)


@lru_cache(maxsize=1)
def sentence_rules() -> tuple[SentenceRule, ...]:
    from extractor.pipeline import load_patterns  # noqa: PLC0415

    return tuple(SentenceRule(p["id"], p["label"], re.compile(p["regex"])) for p in load_patterns() if "regex" in p)


def _scoped(regex: str) -> str:
    """'(?i)x' -> '(?i:x)', so rules can be joined into one alternation."""
    return f"(?i:{regex[4:]})" if regex.startswith("(?i)") else f"(?:{regex})"


@lru_cache(maxsize=1)
def label_regexes() -> dict[str, re.Pattern[str]]:
    """One regular expression per label: the alternation of its rules (it matches where any rule does)."""
    by_label: dict[str, list[str]] = {}
    for r in sentence_rules():
        by_label.setdefault(r.label, []).append(_scoped(r.regex.pattern))
    return {label: re.compile("|".join(parts)) for label, parts in by_label.items()}


def labels_of(text: str, only: frozenset[str] | None = None) -> frozenset[str]:
    """Labels of the sentence rules (all, or `only` these labels) that match a sentence."""
    return frozenset(label for label, regex in label_regexes().items()
                     if (only is None or label in only) and regex.search(text))


_DIGIT = re.compile(r"\d")


def worth_parsing(text: str, after_survival: bool) -> bool:
    """The gate: can this sentence hold a value?"""
    words = {w.lower() for w in _WORD.findall(text)}
    countable = bool(words & _COUNTABLE) or _DIGIT.search(text) is not None
    if not countable:
        return False
    return after_survival or bool(words & gate_words())


def names_survival(text: str) -> bool:
    return bool(re.search(r"\bsurvival\b|\bOS\b", text, re.IGNORECASE))
