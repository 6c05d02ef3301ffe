"""squash: every run of ASCII whitespace becomes one space, Unicode spaces stay as printed."""

from __future__ import annotations

import random
import re

from evidence_tables.corpus.clean import squash


def _reference(text: str) -> str | None:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip() or None


def test_squash_equals_the_plain_definition_on_random_text():
    pieces = [
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\f",
        "\v",
        " \n ",
        "a",
        "7",
        "\u00a0",
        "\u2009",
        "\u3000",
        "\x1c",
    ]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert squash(text) == _reference(text), repr(text)


def test_squash_keeps_unicode_spaces_inside_numbers():
    assert (
        squash("  1\u2009204 patients\n\n were  included ") == "1\u2009204 patients were included"
    )
    assert squash(" \t\n") is None
    assert squash(None) is None
