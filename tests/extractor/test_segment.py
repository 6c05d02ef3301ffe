"""segment._word_before reads backwards what the pattern it replaces finds."""

from __future__ import annotations

import random

from evidence_tables.extractor.segment import _WORD_BEFORE, _word_before


def test_word_before_equals_the_pattern_on_random_text() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        line = "".join(rng.choice("aZq.. 1é\t,") for _ in range(rng.randint(0, 60)))
        end = rng.randint(0, len(line))
        m = _WORD_BEFORE.search(line, max(0, end - 40), end)
        assert _word_before(line, end) == (m.group(1) if m else ""), (line, end)
