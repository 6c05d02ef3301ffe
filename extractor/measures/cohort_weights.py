"""The weights of a cohort size candidate, as a table (measures/cohort.py applies it).

A count of people (`counts_people`) that something marks as the study's cohort (a population noun or an
inclusion verb after it, 'n =' or 'a total of' before it) is read once (`Reading`: the text around it
and what measures/cohort.py found there), then scored: 1.0, plus the weight of every record of
`WEIGHTS` whose test fires, in the table's order. A test is a regular expression over a window of the
sentence around the count (`Window`: an 'after' window is read with `re.match`, from the count on; the
others with `re.search`), or, where the test combines several readings, a small named predicate over
the `Reading` (its window then says what it reads). A record that names a rule gives it to the
candidate when it fires; a later one replaces it, so a total outranks an inclusion verb, which outranks
'n ='. Every record's example is a sentence of ours its test fires on
(tests/extractor/test_cohort_weights.py).

The weights of whole candidates (arms summed, a count in each arm, a part of a total) are named at the
end; measures/cohort.py applies them after the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Literal

from evidence_tables.extractor.document import Cue, Sentence
from evidence_tables.extractor.numbers import Number, hedge_before
from evidence_tables.extractor.search.casefold import compile_folded

# Patterns made with compile_folded search the folded text (extractor.search.casefold: IGNORECASE is 3x slower);
# all are compiled here, not looked up in re's cache for every number.
_PLANNED = compile_folded(
    r"\b(?:planned|target(?:ed)?|expected|estimated|projected|anticipated|intended|sample\s+size|"
    r"required|needed|would|to\s+enrol+|to\s+recruit|aimed\s+to\s+enrol+)\b[^.;]{0,30}$"
)
_SUBSET_NEAR = compile_folded(
    r"\b(?:of\s+whom|of\s+these|of\s+them|among\s+(?:them|these|those)|remaining|respectively)\b"
)
_PREDICATE_AFTER = compile_folded(
    r"^\s*(?:patients|participants|subjects|women|men|cases|adults|children)?\s*(?:\([^)]*\)\s*)?"
    r"(?:(?:who|that)\s+(?:had\s+|have\s+)?(?=died|developed|relapsed|progressed|experienced|discontinued|withdrew|"
    r"were\s+excluded|were\s+lost|did\s+not|received\s+(?:repeated|additional|prior|previous|a\s+second)))?"
    r"(?:received\s+(?:repeated|additional|prior|previous|a\s+second)|had|have|developed|achieved|died|experienced|discontinued|withdrew|were\s+excluded|were\s+lost|relapsed|"
    r"progressed|responded|showed|required|did\s+not|were\s+in|remained|completed|"
    r"proceeded|underwent\s+(?:surgery|transplant)|were\s+alive|were\s+censored)\b"
)
_OUTCOME_IN = compile_folded(
    r"\b(?:observed|seen|occurred|documented|reported|found|noted|detected|recorded)\s+"
    r"(?:in|among)\s+$"
)
_OUTCOME_COUNT = re.compile(
    r"^[^.;:]{0,60}?\b(?:(?:were|was)\s+(?:seen|observed|noted|found|reported|detected|"
    r"recorded|documented|diagnosed)|occurred|developed|experienced)\b",
    re.IGNORECASE,
)
_STUDY_OF = compile_folded(
    r"\b(?:analysis|study|series|cohort|trial|review|registry|report|audit)\s+(?:of|on|including)\s+"
    r"(?:the\s+|all\s+)?$"
)
_LATER_INCLUDED = re.compile(
    r",\s*(?:\w+\s+){0,3}?\d[\d,]*\s+[^\d.;]{0,80}?\b(?:(?:were|was|had\s+been)\s+(?:\w+\s+)?"
    r"(?:included|enrolled|eligible|randomi[sz]ed)|met\s+the)",
    re.IGNORECASE,
)
_ELIGIBLE_THEN_ENROLLED = re.compile(
    r"^[^.;]{0,120}?\b(?:were|was)\s+eligible\b[^.;]{0,80}?\b\d[\d,]*\s+(?:[A-Za-z\-]+\s+){0,2}?(?:were|was)\s+"
    r"(?:\w+\s+)?(?:enrolled|included|randomi[sz]ed|treated)\b",
    re.IGNORECASE,
)
_ARM_PREFIX = compile_folded(r"\b(?:in|of)\s+the\s+[\w\-+/ ]{1,40}?\s+(?:arm|group)\s*,\s*$")
_PEOPLE_BEFORE_N = re.compile(
    r"\b(?:patients|participants|subjects|women|men|adults|children|survivors|individuals|"
    r"volunteers|cases)\s*[(\[,]\s*[nN]\s*[=:]\s*$",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(r"^\s*(?:[\w\-]+\s+){0,3}?\(\s*\d+(?:\.\d+)?\s*%")
_EACH_AFTER = compile_folded(
    r"^\s*(?:[A-Za-z\-]+\s+){0,3}?(?:(?:in|to|for)\s+)?(?:each|per)\s+(?:arm|group|cohort)\b|"
    r"^\s*(?:[A-Za-z\-]+\s+){0,2}?in\s+each\s*[:;,.)]"
)  # '20 cases in each: Group C, ...'
_PERCENT_BRACKET_BEFORE = re.compile(r"\d\s*%\s*[(\[]\s*$")
_OF_BEFORE = re.compile(r"\d\s+(?:of|out\s+of)\s+(?:the\s+)?$")
_SHARE_OF_BEFORE = re.compile(r"(?:%|percent|per\s+cent)\s+of\s+(?:the\s+|all\s+)?$")
_EVALUABLE_AFTER = compile_folded(
    r"^\s*(?:[\w\-]+\s+){0,2}?(?:were\s+|was\s+)?(?:evaluable|assessable|analy[sz]able|"
    r"eligible\s+for\s+(?:response|efficacy))"
)
_RANDOMISED_AFTER = compile_folded(
    r"^\s*(?:patients\s+|participants\s+)?(?:were\s+)?(?:randomi[sz]ed|randomly\s+assigned|allocated|assigned)\s+"
    r"(?:to\s+)?(?!\(|to\s+(?:receive\s+)?(?:either|one|two|three|\d))[a-z]"
)
_POOL_BEFORE = compile_folded(r"(?:^|[;:]\s*|\bRESULTS?\s*:?\s*)of\s+(?:the\s+|all\s+)?$")
# What follows a count near 'screened' when the count is of those let in: '518 screened, 432 were randomized'.
_INCLUDED_AFTER_SCREENING = re.compile(
    r"^\s*(?:(?!and\b)[A-Za-z\-]+\s+){0,3}?(?:were\s+)?(?:(?:met|fulfill?ed|satisfied)\s+(?:all\s+)?the\s+|eligible|included|enrolled|randomi[sz]ed|randomly|allocated|"
    r"assigned|registered|treated)\b",
    re.I,
)


@dataclass(
    slots=True
)  # not frozen: one is made for every candidate, and a frozen one is slower to make
class Reading:
    """One count of people as measures/cohort.py read it, before it is scored."""

    sent: Sentence
    n: Number
    before: str  # the 25 characters before the count
    folded_before: str
    rest: str  # the sentence after the count
    folded_rest: str
    subject_of_inclusion: bool  # '... 212 adults with X were enrolled'
    pop_after: bool  # a population noun or a verb of the cohort after it, or an arm's verb
    arm_only: bool  # '172 received X', no population noun nor inclusion verb
    n_equals: bool  # 'n = 148', not '34% (n = 12)'
    total: bool  # 'a total of', 'overall', 'in total' right before it
    verb_before: bool  # 'randomly assigned 432 (216 per arm)'
    include: bool  # an inclusion verb governs it
    treated: bool  # a treatment verb governs it


@dataclass(frozen=True, slots=True)
class Window:
    """The text around the count a test reads: `chars` characters before it ('before'), the rest of the
    sentence or its first `chars` characters after it ('after'), `chars` on either side ('both'), or
    the whole sentence; the folded text (extractor.search.casefold) when `folded`."""

    side: Literal["before", "after", "both", "sentence"]
    chars: int | None = None
    folded: bool = False

    def text(self, r: Reading) -> str:
        sent, n = r.sent, r.n
        if self.side == "after":
            rest = r.folded_rest if self.folded else r.rest
            return rest if self.chars is None else rest[: self.chars]
        if self.side == "before" and self.chars == 25:  # read once, by measures/cohort.py
            return r.folded_before if self.folded else r.before
        read = sent.folded_slice if self.folded else sent.slice
        if self.side == "before":
            return read(max(sent.start, n.start - (self.chars or 0)), n.start)
        if self.side == "both":
            chars = self.chars or 0
            return read(max(sent.start, n.start - chars), min(sent.end, n.end + chars))
        return sent.folded if self.folded else sent.text

    def reader(self) -> Callable[[Reading], str]:
        """`text`, made once: the rest or the 25 characters before the count are read as they are."""
        if self.chars is None and self.side == "after":
            return attrgetter("folded_rest" if self.folded else "rest")
        if self.chars == 25 and self.side == "before":
            return attrgetter("folded_before" if self.folded else "before")
        return self.text

    def __str__(self) -> str:
        return self.side if self.chars is None else f"{self.side} {self.chars}"


Test = re.Pattern[str] | Callable[[Reading], bool]


@dataclass(frozen=True, slots=True)
class Weight:
    """One weight of a count's score: added when `test` fires on the count."""

    name: str
    test: Test  # a pattern over `window`, or a predicate over the whole reading
    window: Window
    weight: float
    reason: str
    example: str  # a sentence the test fires on (tests/extractor/test_cohort_weights.py)
    rule: str | None = None  # the rule id the candidate takes when this fires
    fires: Callable[[Reading], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fires", self._fires())

    def _fires(self) -> Callable[[Reading], bool]:
        """Whether the test fires on a reading (made once: scoring runs it for every candidate)."""
        test = self.test
        if not isinstance(test, re.Pattern):
            return test
        find, read = (
            (test.match if self.window.side == "after" else test.search),
            self.window.reader(),
        )
        return lambda r: find(read(r)) is not None


# ---- predicates: the tests that are more than one pattern over one window -------------------------


def _people_after(r: Reading) -> bool:
    return r.pop_after


def _n_equals(r: Reading) -> bool:
    return r.n_equals


def _n_equals_in_study(r: Reading) -> bool:
    return r.n_equals and r.sent.has("STUDY")


def _people_named_before_n(r: Reading) -> bool:
    """_PEOPLE_BEFORE_N over the 40 characters before an 'n =' count."""
    return r.n_equals and bool(
        _PEOPLE_BEFORE_N.search(r.sent.slice(max(r.sent.start, r.n.start - 40), r.n.start))
    )


def _included(r: Reading) -> bool:
    """An inclusion verb governs the count (INCLUDE cues within 60 characters of it, in its clause), the
    count is the subject of one, or the verb before it counts it."""
    return r.include


def _treated_only(r: Reading) -> bool:
    """A treatment verb (TREATED cues, 40 before / 50 after, in its clause) and no inclusion verb."""
    return r.treated and not r.include


def _total(r: Reading) -> bool:
    return r.total


def _near(cues: list[Cue], n: Number, distance: int) -> bool:
    return any(
        c.end <= n.start
        and n.start - c.end <= distance
        or c.start >= n.end
        and c.start - n.end <= distance
        for c in cues
    )


def _screened(r: Reading) -> bool:
    """A SCREENED cue within 40 characters, unless the count is of those then let in (a verb before it,
    or an inclusion verb a few words after it)."""
    return (
        _near(r.sent.cues_labelled("SCREENED"), r.n, 40)
        and not r.verb_before
        and not _INCLUDED_AFTER_SCREENING.match(r.rest)
    )


def _share_or_subset(r: Reading) -> bool:
    """A percent in brackets within the 45 characters after it, or 'of whom', 'among them',
    'respectively' within 30 characters on either side."""
    return bool(
        _PERCENT_AFTER.match(r.rest[:45])
        or _SUBSET_NEAR.search(
            r.sent.folded_slice(max(r.sent.start, r.n.start - 30), min(r.sent.end, r.n.end + 30))
        )
    )


def _eligible_then_enrolled(r: Reading) -> bool:
    return r.subject_of_inclusion and bool(_ELIGIBLE_THEN_ENROLLED.match(r.rest))


def _an_outcome_of_the_count(r: Reading) -> bool:
    """Something happened to them ('12 patients died', _PREDICATE_AFTER over the 60 characters after,
    unless they are the subject of an inclusion verb or '64% of' them did it), an outcome 'seen in'
    them, or a numerator ('4 of 25'), over the 25 characters before."""
    folded_before = r.folded_before
    return bool(
        (
            _PREDICATE_AFTER.match(r.folded_rest[:60])
            and not r.subject_of_inclusion
            and not _SHARE_OF_BEFORE.search(folded_before)  # '64% of 150 patients achieved CR'
        )
        or _OUTCOME_IN.search(folded_before)
        or _OF_BEFORE.search(r.before)
    )


def _randomised_to_one_arm(r: Reading) -> bool:
    """'120 patients were randomized to observation' (not after 'a total of')."""
    return bool(_RANDOMISED_AFTER.match(r.folded_rest)) and not r.total


def _pool_before_the_included(r: Reading) -> bool:
    """'Of 1,032 ...' opening the sentence or a clause, and a count 'were included' later on."""
    return bool(_POOL_BEFORE.search(r.folded_before) and _LATER_INCLUDED.search(r.rest))


def _hedged(r: Reading) -> bool:
    """numbers.hedge_before: 'approximately', 'over', 'more than' ... right before it (20 characters)."""
    return bool(hedge_before(r.sent.text, r.n.start - r.sent.start))


def _one_arm(r: Reading) -> bool:
    return r.arm_only


_EVENT_CUES = ("RELAPSE", "CR", "OTHER_SURVIVAL", "OTHER_MEASURE")


def _count_of_events(r: Reading) -> bool:
    """'were seen' / 'occurred' within 60 characters after it, and a measure cue within 50 of its end
    (not when the count is the subject of an inclusion verb)."""
    return (
        not r.subject_of_inclusion
        and bool(_OUTCOME_COUNT.match(r.rest))
        and any(r.n.end <= c.start <= r.n.end + 50 for c in r.sent.cues_labelled(*_EVENT_CUES))
    )


def _background(r: Reading) -> bool:
    return r.sent.background


BEFORE_25 = Window("before", 25)
BEFORE_25_FOLDED = Window("before", 25, folded=True)
BEFORE_40_FOLDED = Window("before", 40, folded=True)
AFTER = Window("after")
AFTER_FOLDED = Window("after", folded=True)
BOTH_30 = Window("both", 30, folded=True)
BOTH_60 = Window("both", 60)
SENTENCE = Window("sentence")

BASE_SCORE = 1.0  # every count of people that something marks as the cohort's

WEIGHTS: tuple[Weight, ...] = (
    Weight(
        "people_after",
        _people_after,
        AFTER,
        2,
        "a population noun within three words, or a verb of the cohort, after the count",
        "Our registry holds 214 adults with untreated follicular lymphoma.",
    ),
    Weight(
        "n_equals",
        _n_equals,
        BEFORE_25,
        1,
        "'n =' before it names a group's size (not a percent's denominator)",
        "Older patients (n = 148) received reduced-intensity conditioning.",
        rule="cohort_size.n_equals",
    ),
    Weight(
        "n_equals_in_study",
        _n_equals_in_study,
        SENTENCE,
        1,
        "'n =' in a sentence describing this study",
        "We reviewed our cohort (n = 96) of transplanted adults.",
    ),
    Weight(
        "people_named_before_n",
        _people_named_before_n,
        Window("before", 40),
        2,
        "the people are named right before 'n ='",
        "Eligible adults (n = 317) were stratified by centre.",
    ),
    Weight(
        "included",
        _included,
        BOTH_60,
        4,
        "an inclusion verb governs the count",
        "Between 2011 and 2016, 264 patients were enrolled at nine hospitals.",
        rule="cohort_size.enrolled",
    ),
    Weight(
        "treated",
        _treated_only,
        Window("both", 50),
        2,
        "a treatment verb governs it (and no inclusion verb)",
        "Thirty-eight patients were treated with azacitidine.",
    ),
    Weight(
        "total",
        _total,
        BEFORE_25_FOLDED,
        3,
        "'a total of', 'overall', 'in total' right before it",
        "A total of 530 children took part.",
        rule="cohort_size.total",
    ),
    Weight(
        "screened",
        _screened,
        Window("both", 40),
        -6,
        "counted at screening, not let in",
        "We screened 940 women for the trial.",
    ),
    Weight(
        "planned",
        _PLANNED,
        BEFORE_40_FOLDED,
        -5,
        "a planned or required sample size, not those enrolled",
        "The sample size needed was 300 patients.",
    ),
    Weight(
        "share_or_subset",
        _share_or_subset,
        BOTH_30,
        -3,
        "a share of a larger group: a percent after it, 'of whom', 'respectively' near it",
        "Of these, 45 patients (38%) relapsed within a year.",
    ),
    Weight(
        "each_after",
        _EACH_AFTER,
        AFTER_FOLDED,
        -3,
        "a count per arm: 'per arm', 'in each group' after it",
        "Sixty adults were allocated to each arm.",
    ),
    Weight(
        "eligible_then_enrolled",
        _eligible_then_enrolled,
        AFTER,
        -3,
        "the eligible pool, when a later count of the sentence was enrolled",
        "Overall, 1,204 women were eligible and 980 were enrolled.",
    ),
    Weight(
        "percent_bracket_before",
        _PERCENT_BRACKET_BEFORE,
        BEFORE_25,
        -3,
        "the count behind a percent: '82% (50 patients)'",
        "The response rate was 64% (41 patients).",
    ),
    Weight(
        "arm_prefix",
        _ARM_PREFIX,
        BEFORE_25_FOLDED,
        -3,
        "'In the X arm,' before it: one arm's count",
        "In the surgery arm, 57 patients underwent resection.",
    ),
    Weight(
        "outcome_of_the_count",
        _an_outcome_of_the_count,
        BOTH_60,
        -3,
        "those to whom something happened, or a numerator: '12 patients died', '4 of 25'",
        "Nineteen patients died within 30 days of surgery.",
    ),
    Weight(
        "evaluable_after",
        _EVALUABLE_AFTER,
        AFTER_FOLDED,
        -2,
        "the evaluable, a part of those enrolled",
        "Ninety-two patients were evaluable for response.",
    ),
    Weight(
        "randomised_to_one_arm",
        _randomised_to_one_arm,
        AFTER_FOLDED,
        -2,
        "randomized to a named arm: that arm's count",
        "Then 120 patients were randomized to observation.",
    ),
    Weight(
        "pool_before_the_included",
        _pool_before_the_included,
        AFTER,
        -4,
        "'Of 1,032 ..., 389 were included': the pool, not the cohort",
        "Of 1,450 registry patients, 612 were included.",
    ),
    Weight(
        "hedged",
        _hedged,
        Window("before", 20),
        -2,
        "a hedge before it ('approximately', 'over'): not an exact count",
        "Approximately 400 patients were recruited.",
    ),
    Weight(
        "one_arm",
        _one_arm,
        AFTER,
        -2,
        "'172 received X' and no population noun nor inclusion verb: one arm's count",
        "Of the remainder, 73 received cisplatin.",
    ),
    Weight(
        "study_of",
        _STUDY_OF,
        BEFORE_25_FOLDED,
        2,
        "'an analysis of', 'a series of' before it: the study's cohort",
        "This is a retrospective analysis of 671 consecutive patients.",
    ),
    Weight(
        "count_of_events",
        _count_of_events,
        AFTER,
        -3,
        "a count of events 'seen' or 'occurring', a measure named after it",
        "Twenty-two patients with late relapse were seen at our centre.",
    ),
    Weight(
        "background",
        _background,
        SENTENCE,
        -8,
        "a background sentence: another study's count",
        "BACKGROUND: Earlier trials enrolled 500 patients with myeloma.",
    ),
)

# ---- weights of whole candidates, applied by measures/cohort.py after the table ----------------------

SENTENCE_ORDER = (
    0.01  # times the sentence's index, taken off: of equal scores, the earlier sentence's
)
ARM_OF_A_RUN = -3  # a count of a run printed in parallel for the arms ('266 to GT and 263 to P')
SUM_OF_ARMS = 0.5  # the run's sum, over its best member's score
CONFIRMED_BY_RANDOMISED_ARMS = 3.0  # a total the arms of a randomised sentence add up to
CONFIRMED_BY_ARMS = 1.5  # a total the arms of another sentence add up to
PART_OF_A_TOTAL = (
    -4
)  # '701 women were randomly assigned to A (349 patients)': a bracket after a total
EACH_ARM = (
    4  # 'Forty patients were included in each arm' of two arms (80), over the count's own score
)
EACH_ARM_UNSCORED = 6.0  # the same, when the count alone is no candidate
MIN_SCORE = 2.5  # the best candidate's score must reach this
