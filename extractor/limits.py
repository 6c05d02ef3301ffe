"""How much of one abstract the rules read: extraction time is bounded by this, not by the text.

The rules take time in proportion to the text (about 20 microseconds a character where it is
dense with numbers, measured), so a 63 MB "abstract" would hold one worker for half an hour. The
rules read the first `MAX_RULES_CHARS` characters, cut at a space; every value found in such an
abstract carries the flag `FLAG_TEXT_TRUNCATED`. Real abstracts are under 10,000 characters (the
longest of the 5,390 in ../shared is 9,170) and are read whole.
"""

from __future__ import annotations

MAX_RULES_CHARS = 50_000
FLAG_TEXT_TRUNCATED = "text_truncated"
_BACK = 1_000  # how far back from the limit a space is looked for


def rules_text(text: str) -> str:
    """The part of `text` the rules read: all of it, or its first MAX_RULES_CHARS characters cut at a space."""
    if len(text) <= MAX_RULES_CHARS:
        return text
    space = max(
        text.rfind(" ", MAX_RULES_CHARS - _BACK, MAX_RULES_CHARS),
        text.rfind("\n", MAX_RULES_CHARS - _BACK, MAX_RULES_CHARS),
    )
    return text[: space if space > 0 else MAX_RULES_CHARS]
