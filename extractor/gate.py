"""The gate: which sentences spaCy sees, read from regular expressions over raw sentences, no tokenising.

A sentence can yield a value only if it has something countable (a digit, a number word,
'none'/'no'/'all') and either the words of a measure cue (overall survival, complete response,
relapse: for some token pattern, a word for each token it needs, read from the patterns
themselves, so the gate cannot drift from them) or the shape of a count of people (a number
followed by a population noun, or by 'were enrolled', or after 'n =' or 'a total of'). A sentence
right after one that can report median OS, or continues such a report, is kept too: it may
continue the report (`gate`). The sentence rules (STUDY, BACKGROUND) are extractor.sentence_rules.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from evidence_tables.extractor.cohort_vocabulary import (
    ARM_SUBJECT,
    ARM_VERBS,
    ARM_VERBS_AFTER_AUX,
    CRITERIA,
    CRITERIA_VERBS,
    INCLUSION_WORDS,
    PASSIVE_AUX,
    VERBS_AFTER_COUNT,
    VERBS_BEFORE_COUNT,
)
from evidence_tables.extractor.numbers import NUMBER_WORDS
from evidence_tables.extractor.rules import load_patterns
from evidence_tables.extractor.search.casefold import compile_folded, fold
from evidence_tables.registry import cue_labels

# Cue labels whose matches own rates and medians (the measures' `cue_labels`, evidence_tables.registry): the
# gate keeps their words. The built-in measures' labels; the gate reads those registered at the time.
MEASURE_LABELS = cue_labels()
# The words of a count of people, as the cohort rule reads them (extractor/cohort_vocabulary.py).
_VERBS_AFTER = frozenset(VERBS_AFTER_COUNT)  # 'N were <verb>'
# 'N ... were included', 'N met the inclusion criteria' cannot be written without these words after N.
_INCLUSION_WORDS = frozenset(INCLUSION_WORDS)
_CRITERIA_VERBS = frozenset(CRITERIA_VERBS)
_VERBS_BEFORE = frozenset(VERBS_BEFORE_COUNT)  # 'randomly assigned 432 (216 per arm)'
_AUX = [[aux] for aux in PASSIVE_AUX]
# 'N received X', 'N patients received X', 'N were given X': the first words of the clause after N.
_ARM_FIRST = [[verb] for verb in ARM_VERBS]
_ARM_STARTS = [[ARM_SUBJECT, verb] for verb in ARM_VERBS] + [
    [aux, verb] for aux in PASSIVE_AUX for verb in ARM_VERBS_AFTER_AUX
]
_COUNTABLE = NUMBER_WORDS | {"none", "no", "all", "not", "nr", "ne", "nobody", "neither"}
# The gate's tokens: \d[\d,.\u00b7]*%? | [A-Za-z]+ | [=:], written to open with one class of every first
# character (extractor.search.word_start: `re` then skips to where a token can start); a lookbehind
# says which alternative that character opens. The same matches, a third faster over every sentence.
_TOKEN = re.compile(r"[\dA-Za-z=:](?:(?<=\d)[\d,.\u00b7]*%?|(?<=[A-Za-z])[A-Za-z]*|)")


def _strings(pattern: list[dict[str, Any]]) -> set[str]:
    """Every literal word a token pattern can match (LOWER/TEXT/ORTH values and IN lists)."""
    words: set[str] = set()
    for token in pattern:
        for attr in ("LOWER", "TEXT", "ORTH"):
            spec = token.get(attr)
            values = (
                spec.get("IN", [])
                if isinstance(spec, dict)
                else [spec]
                if isinstance(spec, str)
                else []
            )
            for v in values:
                words.update(w.lower() for w in re.findall(r"[A-Za-z]+", v))
    return words


@lru_cache(maxsize=4)
def pattern_words(labels: frozenset[str]) -> frozenset[str]:
    """Lower-cased words of every token pattern with one of these labels."""
    words: set[str] = set()
    for p in load_patterns():
        if "pattern" in p and p["label"] in labels:
            words |= _strings(p["pattern"])
    return frozenset(words - _FUNCTION_WORDS)


# Words that patterns allow ('survived for a median') but that say nothing about a measure: every pattern
# also needs a word of its own, so leaving these out lets no match through the gate unparsed.
_FUNCTION_WORDS = frozenset({"a", "an", "the", "for", "of", "in"})


_POPULATION = frozenset({"POPULATION"})
_TOTAL_WORDS = frozenset({"total", "overall", "altogether"})
_N_EQUALS = (["n", "="], ["n", ":"])


@lru_cache(maxsize=1)
def _people_words() -> frozenset[str]:
    """Every word one of `_counts_people`'s tests needs to find: a sentence with none of them is not a
    count of people, and about half of the sentences asked have none."""
    return (
        pattern_words(_POPULATION)
        | _VERBS_AFTER
        | _TOTAL_WORDS
        | _INCLUSION_WORDS
        | {"n"}
        | _CRITERIA_VERBS
        | {w for start in _ARM_STARTS for w in start[1:]}
        | set(ARM_VERBS)
        | _VERBS_BEFORE
    )


def _counts_people(tokens: list[str], words: set[str], reach: int = 7) -> bool:
    """'305 patients', 'Forty-two consecutive adults', '97 were enrolled', 'n = 305', 'a total of 236'.
    (`words` is set(tokens); `reach`: how many tokens after a number its population noun may be, see
    `people_reach`.)"""
    if _people_words().isdisjoint(words):
        return False
    nouns = pattern_words(_POPULATION)
    for i, token in enumerate(tokens):
        if not (
            (token[0].isdigit() and token[-1] != "%") or token in NUMBER_WORDS
        ):  # a count, not a percent
            continue
        after = tokens[i + 1 : i + 1 + reach]
        if not nouns.isdisjoint(after):
            return True
        if after[:1] in _AUX and not _VERBS_AFTER.isdisjoint(after[1:3]):
            return True
        before = tokens[max(0, i - 3) : i]
        if not _TOTAL_WORDS.isdisjoint(before) or before[-2:] in _N_EQUALS:
            return True
        if before[-1:] and before[-1] in _VERBS_BEFORE:
            return (
                True  # 'randomly assigned 432 (216 per arm)' (measures/cohort.py: _INCLUDED_BEFORE)
            )
        clause = []  # the words up to the next number: '389 had documented progression and were included'
        for w in tokens[i + 1 : i + 25]:
            if w[0].isdigit():
                break
            clause.append(w)
        if clause[:1] in _ARM_FIRST or clause[:2] in _ARM_STARTS:
            return True
        if not _INCLUSION_WORDS.isdisjoint(clause) or (
            not _CRITERIA_VERBS.isdisjoint(clause) and CRITERIA in clause
        ):
            return True
    return False


_DIGIT = re.compile(r"\d")
# Characters that fold() turns into an ASCII letter although they are not one
# (see extractor.search.casefold).
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _lower_tokens(text: str, folded: str) -> list[str]:
    """The tokens of `text`, lower-cased. Read from the folded copy (one lower() instead of one per
    token) unless a character in it folds into an ASCII letter and would change the [A-Za-z]+ runs."""
    if text.isascii() or not any(ch in text for ch in _FOLDS_TO_ASCII):
        return _TOKEN.findall(folded)
    return [t.lower() for t in _TOKEN.findall(text)]


def worth_parsing(text: str, after_survival: bool, folded: str | None = None) -> bool:
    """The gate: can this sentence hold a value? (`folded` is `fold(text)` when the caller has it.)"""
    return gate(text, after_survival, folded)[0]


def gate(text: str, after_survival: bool, folded: str | None = None) -> tuple[bool, bool]:
    """(`worth_parsing`, and whether the next sentence may continue a median-OS report from this one).

    The next sentence may continue one (the continuation rule, measures/survival.py) only if it is parsed and
    can report median OS: an OS cue may match in it ('survived a median of', 'mOS'), it names survival,
    or it may itself continue the report before it ('Median OS was 10.1 months in arm A. It was 8.2
    months in arm B. It was ...')."""
    folded = fold(text) if folded is None else folded
    tokens = _lower_tokens(text, folded)
    words = set(tokens)
    if _COUNTABLE.isdisjoint(words) and not _DIGIT.search(text):
        return False, False
    if not (
        after_survival
        or _may_match_a_measure_cue(words)
        or _counts_people(tokens, words, people_reach(text))
    ):
        return False, False
    return True, bool(
        _NAMES_SURVIVAL.search(folded)
        or after_survival
        and CONTINUES.match(text)
        or _may_match_a_measure_cue(words, _OS)
    )


def people_reach(text: str) -> int:
    """How many of the gate's tokens after a count its population noun can be: the cohort rule reads it up
    to three words on (measures/cohort.py, _FEW_WORDS), a word being letters and hyphens or a label and
    its number ('type 2'): two tokens each, and one more for every hyphen ('120 newly-diagnosed
    treatment-naive non-small-cell patients')."""
    return 7 + text.count("-")


Need = tuple[
    frozenset[str], ...
]  # a token's values, each as the words it is printed with ('CI-R': ci, r)


def _token_need(token: dict[str, Any]) -> Need | None:
    """What a sentence holds wherever this token spec matches: all the words (lower-cased [A-Za-z]+ runs)
    of one of its values. None when the spec matches other than by exact value (REGEX, IS_DIGIT, ...),
    is optional ('?', '*', '!'), or has a value without a letter."""
    if (
        token.get("OP") not in (None, "+")
        or len(keys := set(token) - {"OP"}) != 1
        or (attr := keys.pop()) not in ("LOWER", "TEXT", "ORTH")
    ):
        return None
    spec = token[attr]
    values = (
        spec.get("IN")
        if isinstance(spec, dict) and set(spec) == {"IN"}
        else [spec]
        if isinstance(spec, str)
        else None
    )
    if not values or not all(re.search(r"[A-Za-z]", v) for v in values):
        return None
    return tuple(frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", v)) for v in values)


def measure_cue_needs(
    labels: frozenset[str] | None = None,
) -> dict[str, tuple[tuple[Need, ...], ...]]:
    """For every token pattern of these labels, the `_token_need` of each token that has one, indexed
    by one word of each value of one such token (its anchor): a sentence without any of those words
    cannot match the pattern. Empty if some pattern needs no exact word at all: then no sentence can
    be ruled out this way (`_may_match_a_measure_cue` keeps every one). `labels`: the measures' cue labels."""
    return _cue_needs(cue_labels() if labels is None else labels)


@lru_cache(maxsize=4)
def _cue_needs(labels: frozenset[str]) -> dict[str, tuple[tuple[Need, ...], ...]]:
    index: dict[str, list[tuple[Need, ...]]] = {}
    for p in load_patterns():
        if "pattern" not in p or p["label"] not in labels:
            continue
        needs = tuple(need for token in p["pattern"] if (need := _token_need(token)) is not None)
        if not needs:
            return {}
        anchor = min(needs, key=_commonness)
        for word in {max(value, key=_rarity) for value in anchor}:
            index.setdefault(word, []).append(needs)
    return {word: tuple(needs) for word, needs in index.items()}


# Cue words that many sentences hold without holding a cue ('median age', '95% CI', 'completed'): a
# pattern is looked up by other words where it has them (only speed depends on the choice).
_COMMON_CUE_WORDS = frozenset(
    {
        "median",
        "overall",
        "ci",
        "or",
        "r",
        "time",
        "times",
        "duration",
        "clinical",
        "complete",
        "completed",
        "probability",
        "rate",
        "rates",
        "free",
        "disease",
    }
)


def _rarity(word: str) -> tuple[bool, int]:
    return word not in _COMMON_CUE_WORDS, len(word)


def _commonness(need: Need) -> float:
    return sum(all(w in _COMMON_CUE_WORDS for w in value) for value in need) / len(need)


def _holds(need: Need, words: set[str]) -> bool:
    return any(value <= words for value in need)


def _may_match_a_measure_cue(words: set[str], labels: frozenset[str] | None = None) -> bool:
    """Can a token pattern of a measure label (OS, CR, RELAPSE) match in a sentence of these words? Only
    if it holds, for each token the pattern needs, the words of one of its values: 'median' alone is
    not 'median overall survival', nor 'complete' 'complete response'."""
    labels = cue_labels() if labels is None else labels
    index = _cue_needs(labels)
    if not index:
        return not pattern_words(labels).isdisjoint(words)
    return any(
        all(_holds(need, words) for need in needs)
        for word in words.intersection(index)
        for needs in index[word]
    )


_NAMES_SURVIVAL = compile_folded(r"\bsurvival\b|\bOS\b")
# A sentence that continues the one before it ('It was 19.6 months in ...'): measures/survival.py.
CONTINUES = re.compile(
    r"^\W*(?:it|this|that|and|whereas|while|compared|versus|vs|in\s+contrast|the\s+corresponding|"
    r"respective|in\s+those|among\s+those|\d)",
    re.IGNORECASE,
)
_OS = frozenset({"OS"})
