r"""Regular expressions written so that `re` can skip ahead to where a match can start.

`re` searches fast when a pattern opens with a literal character or one character
class: it jumps between the places where that character occurs. A pattern that
opens with `\b`, a lookbehind, or alternatives that start differently is tried in
full at every position of the text (about 2x slower on abstracts). `word_start`
writes `\b(?:alt1|alt2)` with the boundary moved after the first character:
'a(?<!\wa)rms?' matches exactly where '\barms?' does.
"""

from __future__ import annotations

import re


def word_start(*alternatives: str) -> str:
    r"""`\b(?:alt1|alt2|...)`, for alternatives that each open with a literal letter or digit."""
    out = []
    for alt in alternatives:
        first = alt[:1]
        if not first.isalnum() or alt[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"must open with a literal letter or digit: {alt!r}")
        out.append(rf"{re.escape(first)}(?<!\w{re.escape(first)}){alt[1:]}")
    return "(?:" + "|".join(out) + ")"
