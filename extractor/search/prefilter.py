"""Literal strings a regular expression cannot match without: a cheap test that it cannot match a text.

`str.find` skips through a text many times faster than `re` tries a pattern that opens with `\\b`
at every position (it finds no literal prefix to skip to), so `can_match` answers "no" for most
abstracts in a few substring tests where the search would read the whole text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _parser  # type: ignore[attr-defined]  # the parse tree re compiles from (sre_parse before 3.11; typeshed has no re._parser)
from typing import Any

_LITERAL, _BRANCH, _SUBPATTERN = _parser.LITERAL, _parser.BRANCH, _parser.SUBPATTERN


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


@lru_cache(maxsize=64)
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (None if none is known, or the
    pattern ignores case, where a literal stands for more than itself)."""
    if pattern.flags & re.IGNORECASE:
        return None
    return _needed(list(_parser.parse(pattern.pattern, pattern.flags)))


def can_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only if `pattern` cannot match anywhere in `text` (it lacks every literal it needs)."""
    needed = required_literals(pattern)
    return needed is None or any(s in text for s in needed)
