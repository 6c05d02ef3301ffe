"""The words that make a number a count of the study's people, each list written once.

The cohort rule (`measures/cohort.py`) builds its regular expressions from these lists, and the gate
(`extractor/gate.py`) keeps a sentence for spaCy only if it holds the words one of those expressions
needs: the two read the same lists, so they cannot drift apart. Lower-case words, in the order the
rule's alternatives try them; `alternatives` writes a list as a regex. (A module of its own: the
gate cannot import `measures/cohort.py`, which imports `document.py`, which imports the gate.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The auxiliaries of a count's passive verb: '97 were enrolled', 'one was given X'.
PASSIVE_AUX = ("were", "was")
# 'N were <verb>', 'N were later <verb>': a count of people (cohort: _VERB_AFTER).
VERBS_AFTER_COUNT = (
    "enrolled",
    "included",
    "randomized",
    "randomised",
    "recruited",
    "treated",
    "analyzed",
    "analysed",
    "registered",
    "accrued",
    "assigned",
    "identified",
    "studied",
)
# 'N with ... were included', 'N had been randomised', 'N were eligible': the cohort's subject, some
# words before its inclusion verb (cohort: SUBJECT_OF_INCLUSION).
INCLUSION_WORDS = (
    "enrolled",
    "included",
    "randomized",
    "randomised",
    "recruited",
    "registered",
    "accrued",
    "eligible",
)
# 'N met all the inclusion criteria' (cohort: SUBJECT_OF_INCLUSION): a verb of these and 'criteria'.
CRITERIA_VERBS = ("met", "fulfilled", "fulfiled", "satisfied")
CRITERIA = "criteria"
# 'randomly assigned 432 (216 per arm)': the verbs read right before a count (cohort: _INCLUDED_BEFORE).
VERBS_BEFORE_COUNT = (
    "assigned",
    "allocated",
    "randomized",
    "randomised",
    "enrolled",
    "included",
    "recruited",
    "registered",
)
# '172 received X', '172 patients underwent Y': one arm's count (cohort: ARM_VERB), its subject
# perhaps named ...
ARM_SUBJECT = "patients"
ARM_VERBS = ("received", "receiving", "underwent")
# ... or '86 were given Y' (after a PASSIVE_AUX).
ARM_VERBS_AFTER_AUX = ("treated", "given", "assigned", "allocated", "randomized", "randomised")


def alternatives(words: Iterable[str]) -> str:
    """`(?:w1|w2|...)`: a regex matching exactly one of these words (no word boundary added)."""
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"
