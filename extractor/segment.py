"""Sentence boundaries without tokenising: a pass of regular expressions over the raw text.

Rules (the same the spaCy sentencizer plus `sentence_fixes` applied before):
- every line break ends a sentence (structured abstracts put sections on lines);
- '.', '!' or '?' followed by whitespace ends a sentence, unless the next text
  starts with a lowercase letter or one of '([,;%', or the word before the stop
  is an abbreviation ('et al.', 'vs.', 'approx.', 'Fig.', 'e.g.', 'U.S.');
- a run longer than MAX_SENTENCE characters is cut at its last '; ', ', ' or space.
Sentences are (start, end) offsets into the text, trailing spaces excluded.
"""

from __future__ import annotations

import re
import string

ABBREVIATIONS = frozenset(
    "al approx vs v no nos fig figs ca cf resp mo mos yr yrs wk wks pts pt incl dr min max med est ref refs "
    "eq eqs vol suppl jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms st".split()
)
MAX_SENTENCE = 2000  # characters; longer runs without a stop are cut (rules are not built for them)
_STOP = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
# The word before a stop, as a pattern; `_word_before` finds the same faster (a test holds them equal).
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_WORD_CHARS = frozenset(string.ascii_letters + ".")
_NEXT = re.compile(r"\s*(\S)")


def _word_before(line: str, end: int) -> str:
    """What `_WORD_BEFORE.search(line, max(0, end - 40), end)` finds ('' for no match), read backwards
    from the stop instead of trying the pattern at each of the 40 positions before it."""
    start, low = end, max(0, end - 40)
    while start > low and line[start - 1] in _WORD_CHARS:
        start -= 1
    while start < end and line[start] == ".":  # the match opens with a letter
        start += 1
    return line[start:end]


def _ends_sentence(line: str, stop: re.Match[str]) -> bool:
    nxt = _NEXT.match(line, stop.end())
    if nxt is None:
        return False
    first = nxt.group(1)
    if first.islower() or first in "([,;%":
        return False
    if stop.group(0).startswith("."):
        w = _word_before(line, stop.start())
        if w and (w.lower() in ABBREVIATIONS or "." in w):
            return False
    return True


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order, covering every non-space character."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for stop in _STOP.finditer(line):
            if _ends_sentence(line, stop):
                _add(out, text, start, pos + stop.end())
                start = pos + stop.end()
        _add(out, text, start, pos + len(line))
        pos += len(line) + 1
    return out


def _add(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:  # no stop for pages (a table pasted as text): cut at a break
        window = text[start : start + MAX_SENTENCE]
        cuts = (window.rfind(sep) for sep in ("; ", ", ", " "))
        cut = next((c + 1 for c in cuts if c > MAX_SENTENCE // 2), MAX_SENTENCE)
        cut += start
        _add(out, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
