"""Case-insensitive matching without `re.IGNORECASE`: a lower-cased copy of the text, searched case-sensitively.

Python's `re` is about 3x slower with IGNORECASE (it folds every character it
compares and loses its literal-prefix search). `fold(text)` is a copy of `text`
with the same length and offsets, and `compile_folded(regex)` compiles a
case-insensitive pattern written for the original text so that it finds exactly
the same matches, at the same offsets, in the folded copy:

- `fold` lower-cases, and also maps the three characters that IGNORECASE treats
  as an ASCII letter but `str.lower` does not lower to one: dotless 'ı' and
  dotted 'İ' (match 'i'; 'İ'.lower() is even two characters long) and long 'ſ'
  (matches 's'). The Kelvin sign lowers to 'k' by itself. Lower-casing keeps
  every character's class (word, digit, space), so \\w, \\d, \\s and \\b agree.
- `compile_folded` lower-cases the pattern's literal letters (not escapes such as
  \\S or \\W, not group names), so the pattern must have no case-sensitive part
  and no letters outside ASCII (IGNORECASE has its own twins for some, 'µ' ~ 'μ';
  characters without case, '≤' or '–', are fine).
"""

from __future__ import annotations

import re

_IGNORECASE_TWINS = str.maketrans({"\u0131": "i", "\u0130": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """`text` lower-cased for `compile_folded` patterns: same length, same offsets."""
    lowered = text.lower()
    if len(lowered) == len(text) and "\u0131" not in lowered and "\u017f" not in lowered:
        return lowered  # the usual case: no character needs more than str.lower
    return text.translate(_IGNORECASE_TWINS).lower()


def lower_literals(regex: str) -> str:
    """A case-insensitive regex rewritten for folded text: its literal letters lower-cased."""
    if regex.startswith("(?i)"):
        regex = regex[4:]
    if any(not ch.isascii() and ch.lower() != ch.upper() for ch in regex) or "\\N" in regex:
        raise ValueError(f"letters outside ASCII: {regex!r}")
    out: list[str] = []
    i = 0
    while i < len(regex):
        if regex[i] == "\\":  # an escape keeps its case: \S is not \s
            out.append(regex[i : i + 2])
            i += 2
        elif regex.startswith("(?P<", i):  # a group name keeps its case
            end = regex.index(">", i) + 1
            out.append(regex[i:end])
            i = end
        elif regex.startswith("(?", i) and (
            regex[i + 2 : i + 3].isalpha() or regex[i + 2 : i + 3] == "-"
        ):
            raise ValueError(f"inline flags or named references are not supported: {regex!r}")
        else:
            out.append(regex[i].lower())
            i += 1
    return "".join(out)


def compile_folded(regex: str) -> re.Pattern[str]:
    """Compile a case-insensitive pattern to search `fold(text)` (see the module docstring)."""
    return re.compile(lower_literals(regex))
