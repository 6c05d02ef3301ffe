"""Literal strings a regular expression cannot match without: a cheap test that it cannot match a text.

`str.find` skips through a text many times faster than `re` tries a pattern that opens with `\\b`
at every position (it finds no literal prefix to skip to), so `can_match` answers "no" for most
abstracts in a few substring tests where the search would read the whole text.

The literals are read from the parse tree `re` compiles from: CPython's private `re._parser` (no
public API gives it, and the libraries that read Python regexes, such as interegular or sre_yield,
read that same module or parse another dialect). Being private, it may change in any Python release,
so it is used only where it is known to work: if it is missing, its parse raises, or it fails the
known answers of `_SELF_CHECK` at import, `required_literals` returns None for every pattern and
`can_match` always answers "maybe" (no prefilter: the same matches, only slower).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # the parse tree re compiles from (sre_parse before 3.11; typeshed has no re._parser)
    from re import _parser  # type: ignore[attr-defined]

    _LITERAL, _BRANCH, _SUBPATTERN = _parser.LITERAL, _parser.BRANCH, _parser.SUBPATTERN
except (ImportError, AttributeError):  # pragma: no cover - a Python without it
    _parser = None


def _needed(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Strings one of which every match of this sequence of parse items contains, or None if none is known.
    Every item of a sequence is matched, so the first item that gives an answer gives one for all:
    a run of literal characters, or an alternation each of whose branches has an answer."""
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            return frozenset({"".join(run)})
        if op is _BRANCH:
            found = [_needed(list(branch)) for branch in av[1]]
            if all(f is not None for f in found):
                return frozenset().union(*found)  # type: ignore[arg-type]
        elif op is _SUBPATTERN and not av[1] and not av[2]:  # a group that sets no flags
            if (inner := _needed(list(av[3]))) is not None:
                return inner
    return None


def _parsed_literals(regex: str, flags: int) -> frozenset[str] | None:
    """`_needed` of the parse of `regex`, or None where the private parser is missing or fails."""
    if _parser is None:
        return None
    try:
        return _needed(list(_parser.parse(regex, flags)))
    except Exception:  # a parse tree of another shape: no prefilter, the same matches
        return None


# Patterns and the literals every match of each needs: what this module reads from the parse tree of
# the Python it was written on. Another answer means the tree has changed: the prefilter is then off.
_SELF_CHECK: tuple[tuple[str, frozenset[str] | None], ...] = (
    (r"\b(?:emesis|pain\w*)\b", frozenset({"emesis", "pain"})),
    (r"(?:the\s+)?authors\s+x", frozenset({"authors"})),
    (r"(?P<g>ab|cd)", frozenset({"ab", "cd"})),
    (r"(?i:ab)cd", frozenset({"cd"})),
    (r"(?:ab|\d)", None),
    (r"a?b*", None),
)


def _parser_works() -> bool:
    return all(_parsed_literals(regex, 0) == needed for regex, needed in _SELF_CHECK)


_WORKS = _parser_works()


@lru_cache(maxsize=64)
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (None if none is known, or the
    pattern ignores case, where a literal stands for more than itself, or `re`'s private parser
    is not the one this module knows: see the module docstring)."""
    if not _WORKS or pattern.flags & re.IGNORECASE:
        return None
    return _parsed_literals(pattern.pattern, pattern.flags)


def can_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only if `pattern` cannot match anywhere in `text` (it lacks every literal it needs)."""
    needed = required_literals(pattern)
    return needed is None or any(s in text for s in needed)
