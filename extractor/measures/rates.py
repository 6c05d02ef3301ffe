"""Rates owned by a cue: the shared machinery of CR rates and relapse rates.

A proportion belongs to the measure whose cue governs it: a printed layout
first (labelled lists, bracketed pairs, 'none of ...'), else a cue after it
reached through a verb ('approximately 30% of the patients ... had a complete
response'), else the last cue printed before it in the same clause ('CR was
achieved in 12 of 40 patients (30%)', 'ORR 80% with CR 45%').
Rule ids: `<measure>.cue_rate` (cue before), `<measure>.rate_cue` (cue after),
`<measure>.list` (several values of one list), `<measure>.labelled_list`,
`<measure>.bracketed`, `<measure>.none` (0%), `<measure>.all` (100%),
`<measure>.count_over_group` (a count over a group size printed elsewhere); each
followed by `/` and the id of the cue pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Cue, Document, Sentence
from evidence_tables.extractor.groups import Group, group_after, split_group
from evidence_tables.extractor.measures.ownership import (
    MEASURE_LIST_JOIN,
    about_animals,
    ci_flags,
    drop_overlapping,
    owner,
)
from evidence_tables.extractor.measures.positional import (
    NOT_THIS_MEASURE,
    VERB,
    Claim,
    bracketed_pairs,
    count_claims,
    labelled_list,
    people_of,
    receiving_group,
    zero_statements,
)
from evidence_tables.extractor.measures.rate_checks import (
    OF_THE_N,
    is_benchmark,
    is_relative,
    rate_flags,
)
from evidence_tables.extractor.measures.sentence_parts import bracket_depths, clause_bounds
from evidence_tables.extractor.numbers import NUMBER_WORD
from evidence_tables.extractor.outcomes import (
    FLAG_ARM_ORDER,
    FLAG_GROUP_UNCERTAIN,
    Measure,
    Outcome,
)
from evidence_tables.extractor.population import Population, PopulationResolver
from evidence_tables.extractor.values import Rate, interval_after, rates

# Between a rate and the verb cue it is the subject of:
_TO_VERB_CUE = re.compile(
    rf"[\s)\]]*(?:(?:{OF_THE_N})?"  # '25% of (the 80) patients relapsed'
    r"(?:[\w/+\-]+\s+){0,3}?"  # '9% of MRD-negative patients relapsed'
    r"(?:patients|participants|(?:complete\s+|partial\s+)?responders)\s+)?"
    r"(?:(?:in|with|on|receiving|given|after)\s+(?:a\s+)?"
    r"[\w/+\-]+(?:\s+[\w/+\-]+)?\s+)?(?:subsequently\s+|later\s+|eventually\s+)?(?:had\s+)?",
    re.IGNORECASE,
)
# Events counted by a plural noun between a count and its percent: '12 CRs (48%)', 'four relapses (9%)'.
_EVENT_NOUN = re.compile(
    r"(?:CRs|pCRs|CMRs|complete\s+(?:responses|remissions|metabolic\s+responses)|relapses|"
    r"recurrences|progressions)$",
    re.IGNORECASE,
)
_PERCENT_LEFT = re.compile(r"\s*[(\[]\s*\d+(?:\.\d+)?\s*%\s*[)\]]?")
_VERB_CUE = re.compile(
    r"^(?:relapsed|progressed|recurred|relapses?|progressions?|recurrences?)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class RateSpec:
    measure: Measure
    targets: tuple[str, ...]
    competitors: tuple[str, ...]
    skip_cue: Callable[[Sentence, Cue], bool] = lambda s, c: False
    skip_sentence: Callable[[Sentence], bool] = lambda s: False
    timepoint: Callable[[Sentence, Cue, Rate], str | None] = lambda s, c, r: None
    counts: bool = False  # responders counted over a group size printed elsewhere
    skip_competitor: Callable[[Sentence, Cue], bool] = lambda s, c: False
    skip_rate: Callable[[Sentence, Rate], bool] = lambda s, r: (
        False
    )  # a proportion that is no measure


def _forward(sent: Sentence, rate: Rate, cues: list[Cue], others: list[Rate]) -> Cue | None:
    """A cue after the rate, reached through a verb in the same clause: '30% of ... had a CR'.

    A rate inside brackets reaches nothing after the closing bracket."""
    _, clause_end = clause_bounds(sent, rate.end)
    depth = bracket_depths(sent.text)[rate.start - sent.start]
    people = people_of(sent, rate.end, clause_end)
    for c in sorted(cues, key=lambda c: c.start):
        if c.start < rate.end or c.start > clause_end:
            continue
        if people is not None and people.start <= c.start < people.end:
            continue  # '9% of MRD-negative patients relapsed': a word of the people's, not their measure
        gap = sent.slice(rate.end, c.start)
        if depth > 0 and gap.count(")") + gap.count("]") > gap.count("(") + gap.count("["):
            return None
        between = [o for o in others if rate.end <= o.start < c.start]
        if between and not _coordinated_subjects(sent, rate, between):
            return None
        if len(gap) > 140:
            return None
        if re.search(
            r"\b(?:and|or|but|while|whereas)\s+(?:the|a|an|its|their|this|that)\b",
            gap,
            re.IGNORECASE,
        ):
            return None  # a new noun phrase begins: the rate is not the subject of what follows
        if re.search(
            rf"(?<![\w-]){VERB}\b[^,;]*,\s*(?:with|and|while|whereas)\b", gap, re.IGNORECASE
        ):
            return None  # '46% achieved a radiologic response, with pCR in 4%': the verb's object came first
        if re.search(rf"(?<![\w-]){VERB}\b", gap, re.IGNORECASE) and not re.search(
            r"\b(?:and|or)\s*$", gap
        ):
            return c
        last_gap = (
            sent.slice(between[-1].end, c.start) if between else gap
        )  # '15% on A and 58% on B progressed'
        if _VERB_CUE.match(c.text) and _TO_VERB_CUE.fullmatch(last_gap):
            return c
        return None
    return None


# A value stated as a measure's: 'the overall response rate was 84.4%', 'CR rate of 40%', 'ORR: 61%'.
_STATED = re.compile(
    r"\s*(?:\([^()]{1,15}\)\s*)?(?:rates?\s+)?(?:was|were|is|are|of|reached|:|=)\s*"
    r"(?:approximately\s+|about\s+|nearly\s+)?",
    re.IGNORECASE,
)


def _named_other_rate(sent: Sentence, rate: Rate, cue: Cue) -> bool:
    """The value follows '<X> rates of' naming a measure after the cue that would own it."""
    base = max(sent.start, rate.start - 60)
    named = _RATE_NAMED_BEFORE.search(sent.slice(base, rate.start))
    return named is not None and cue.end <= base + named.start("what")


# A rate named right before its value by words that are no measure cue: 'DC and OR rates of 40% and 32%'.
_RATE_NAMED_BEFORE = re.compile(
    r"\b(?P<what>[A-Za-z][\w\-/]*(?:\s+(?:and|or)\s+[A-Za-z][\w\-/]*)?)\s+rates?\s+(?:of|was|were)\s*"
    r"(?:\d[\d.]*\s*%\s*(?:\([^()]*\)\s*)?(?:,\s*|and\s+)*)*$",
    re.IGNORECASE,
)
# A response category named right after a value: '3 (10%) partial responders', '24 (75%) stable disease'.
_RESPONSE_NAMED_AFTER = re.compile(
    r"\s*\)?\s*(?:had\s+(?:an?\s+)?|achieved\s+(?:an?\s+)?)?(?P<what>(?:partial|minor|complete|"
    r"objective|overall)\s+(?:respon\w+|remissions?)|stable\s+disease|progressive\s+disease|"
    r"(?:PR|SD|PD|VGPR|MR|ORR|CR|CRi|CRh|MLFS)(?![\w\-/]))",
    re.IGNORECASE,
)
# Brackets between a measure and its value: 'the confirmed ORR (by independent review using RECIST v1.1) was'.
_ASIDES = re.compile(r"\s*\([^()]*\)\s*")
# A rate printed right before the name of what it measures: '58% CR, 27% PR', 'a 56% CR rate with 7-3',
# '11 (33%) stringent complete responses'.
_NOUN_GAP = re.compile(
    r"[\s)\]]*(?:an?\s+)?(?:(?:stringent|very\s+good|near|morphologic\w*|radiologic\w*|histologic\w*|clinical|"
    r"pathologic\w*|metabolic|molecular|cytogenetic|hematologic\w*|sustained|durable|confirmed|"
    r"best|overall|objective)[\s\-]+){0,2}",
    re.IGNORECASE,
)


def _noun_after(sent: Sentence, rate: Rate, cues: list[Cue]) -> Cue | None:
    """The measure named right after a rate (nothing but modifiers between): it owns the rate."""
    after = [
        c
        for c in cues
        if c.start >= rate.end and not _status_word(sent, c) and not _population_word(sent, c)
    ]
    if not after:
        return None
    first = min(after, key=lambda c: c.start)
    return first if _NOUN_GAP.fullmatch(sent.slice(rate.end, first.start)) else None


# 'from 47% to 51%', '15% to 25% of patients': a range of rates, not a value (unless each has its group).
_RANGE_GAP = re.compile(r"\s*(?:%\s*)?(?:to|[\-\u2013\u2014])\s*", re.IGNORECASE)


def _in_range(sent: Sentence, rate: Rate, found: list[Rate]) -> bool:
    """'30%-70%', 'ranged from 47% to 51%', 'a CR in 15% to 25% of patients': a range, not two values (but 'rose
    from 30% to 45% after consolidation' is two)."""
    for a, b in zip(found, found[1:]):
        if (
            rate not in (a, b)
            or a.numerator is not None
            or b.numerator is not None
            or not _RANGE_GAP.fullmatch(sent.slice(a.end, b.start))
        ):
            continue
        if not re.search(r"\bto\b", sent.slice(a.end, b.start), re.IGNORECASE):
            return True  # '30%-70%': a dash joins the ends of one range
        before = sent.slice(max(sent.start, a.start - 40), a.start)
        if (
            _RANGE_SAID.search(before)
            or re.search(r"\bin\s+$", before)
            and _OF_AFTER.match(sent.text, b.end - sent.start)
        ):
            return True
    return False


_RANGE_SAID = re.compile(
    r"\b(?:rang\w*|between|across|varied|varying)\b[^.;%]{0,30}$", re.IGNORECASE
)
_OF_AFTER = re.compile(r"\s*of\b", re.IGNORECASE)


# Between rates listed as one subject: nothing, or each rate's own group ('17% of those on A and 4% of those on B')
_SUBJECT_GAP = re.compile(
    r"\s*(?:,?\s*including\s+(?:the\s+)?)?(?:of\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}?(?:those|patients|participants|subjects|women|men)\b"
    r"[^,;%()]{0,60}?\s*|"
    r"(?:on|with|in|receiving|given|after)\s+[^,;%()\d]{1,40}?\s*)?(?:,\s*)?(?:and|or)?\s*",
    re.IGNORECASE,
)


def _coordinated_subjects(sent: Sentence, rate: Rate, between: list[Rate]) -> bool:
    """'Three NCT patients (3.4%) and one NET patient (1.2%) showed pCR': rates listed as the subject."""
    chain = [rate, *between]
    return all(_SUBJECT_GAP.fullmatch(sent.slice(a.end, b.start)) for a, b in zip(chain, chain[1:]))


def _bracket_scope(sent: Sentence, cue: Cue, pos: int) -> bool:
    """A cue inside brackets ('ORR 35% (CR 3%)') governs nothing after its closing bracket."""
    depths = bracket_depths(sent.text)
    inside = depths[cue.start - sent.start]
    if inside <= 0:
        return True
    return min(depths[cue.end - sent.start : pos - sent.start + 1], default=inside) >= inside


def _population_word(sent: Sentence, c: Cue) -> bool:
    """'relapse among responders': people named by a response word, not a response measure."""
    return bool(
        re.fullmatch(r"(?:(?:complete|partial|major)\s+)?(?:non-?)?responders", c.text, re.I)
        and re.search(
            r"\b(?:among|in|of|for|from)\s+(?:the\s+|all\s+)?(?:[\w\-]+\s+)?$",
            sent.slice(max(sent.start, c.start - 25), c.start),
            re.I,
        )
        # ('the rate of complete responders was 35%': the measure, named by its people)
        and not re.search(
            r"\b(?:rates?|proportion|percentage|number|share)\s+of\s+(?:the\s+)?$",
            sent.slice(max(sent.start, c.start - 25), c.start),
            re.I,
        )
    )


def _status_word(sent: Sentence, c: Cue) -> bool:
    """'58% of MRD-negative patients': a measure's name used for a status that defines a group."""
    return c.label == "OTHER_MEASURE" and bool(
        re.match(
            r"\)?\s*[\-\u2013\s]?\s*(?:negative|positive|neg|pos)\b",
            sent.text[c.end - sent.start :],
            re.I,
        )
    )


# '..., and 60% of responders were MRD negative': a value with a predicate of its own, another measure's.
_OWN_PREDICATE = re.compile(
    r"\s*\)?\s*of\s+(?:the\s+|these\s+|all\s+)?[\w\-/+ ]{1,40}?\s+(?:were|was|had|became|remained|showed|"
    r"converted|turned)\s+(?!in\b|observed\b|seen\b|noted\b|reported\b)",
    re.IGNORECASE,
)


def _backward(sent: Sentence, rate: Rate, cues: list[Cue]) -> Cue | None:
    if _OWN_PREDICATE.match(sent.text, rate.end - sent.start) and re.search(
        r"(?:,\s*(?:and|but|while|whereas)?|;|\b(?:and|while|whereas))\s*$",
        sent.slice(max(sent.start, rate.start - 15), rate.start),
    ):
        return None  # (its own clause, after a comma or 'and': not the measure named before)
    usable = [
        c
        for c in cues
        if not (
            c.label == "OTHER_MEASURE"
            and re.search(
                r"\b(?:with|without|having|had|for)\s+(?:\w+\s+)?$",
                sent.slice(max(sent.start, c.start - 20), c.start),
                re.I,
            )
        )
        and not _population_word(sent, c)
        and not _status_word(sent, c)
        and _bracket_scope(sent, c, rate.start)
    ]
    c = owner(usable, rate.start)
    if c is None:
        return None
    if _named_other_rate(sent, rate, c):
        return None  # 'for DC and OR rates of 40% and 32%': the rates of what is named right before
    clause_start, _ = clause_bounds(sent, rate.start)
    if (
        c.start < clause_start
        and len(sent.slice(c.end, rate.start)) > 60
        and not _IT_WAS.search(sent.slice(clause_start, rate.start))
    ):
        return None  # (but '..., whereas among those with Y it was 71%': 'it' is the measure named before)
    return c


def _counted_with_own_verb(sent: Sentence, rate: Rate, targets: list[Cue]) -> bool:
    """A count in a clause of its own whose verb names no target measure ('; nine additional patients (41%)
    achieved a morphologic leukemia-free state'), not '; 9 patients (41%) achieved CR'."""
    verb = _COUNT_WITH_OWN_VERB.match(sent.text, rate.end - sent.start)
    if verb is None or not _NEW_CLAUSE_COUNT.search(
        sent.slice(max(sent.start, rate.start - 60), rate.start)
    ):
        return False
    after = sent.start + verb.end()
    return not any(after <= c.start < after + 40 for c in targets)


# A count in its own clause with its own verb: '; nine additional patients (41%) achieved ...'.
_COUNT_WITH_OWN_VERB = re.compile(
    r"\s*\)?\s*(?:achieved|attained|reached|obtained|had|experienced|developed|went)\b",
    re.IGNORECASE,
)
_NEW_CLAUSE_COUNT = re.compile(
    r"(?:;|,\s*(?:and|while|whereas|but))\s*(?:[^;,()]{1,50}\(\s*)?$", re.IGNORECASE
)
_IT_WAS = re.compile(
    r"\b(?:it|this|the\s+rate)\s+was\s+(?:about\s+|approximately\s+|only\s+)?$", re.I
)


_MEASURE_ADJ = (
    r"(?:clinical|pathologic\w*|radiologic\w*|metabolic|overall|objective|partial|complete|molecular|"
    r"cytogenetic|major|best)"
)


# 'The overall and complete response rates were 100% and 97%': adjectives of other measures listed before a
# cue that opens with its own ('complete response rates'), one value each, in order.
_OTHER_MEASURE_ADJ = re.compile(
    r"\b(?P<adj>(?:(?:overall|objective|partial|best|major)\s*(?:,\s*|\s+(?:and|or)\s+|/\s*))+)$",
    re.I,
)


# The values printed right after the measures' name: 'rates (CRRs) were 100% and 97%'.
_LIST_STATED = re.compile(
    r"\s*\)?\s*(?:rates?\s*)?(?:\([^()]*\)\s*)?(?:rates?\s*)?(?:were|was|of|:)\s*$", re.IGNORECASE
)


def _without_other_measures_first(sent: Sentence, claims: list[Claim]) -> list[Claim]:
    """Claims without the values that belong to the other measures an adjective list names before the cue."""
    out: list[Claim] = []
    for cue in dict.fromkeys(c.cue for c in claims):
        mine = [c for c in claims if c.cue is cue]
        # 'complete response rates (CRRs)': the abbreviation's long form carries the adjectives
        head = next(
            (
                o
                for o in sent.cues_labelled(cue.label)
                if o.end <= cue.start and re.fullmatch(r"\s*\(\s*", sent.slice(o.end, cue.start))
            ),
            cue,
        )
        m = _OTHER_MEASURE_ADJ.search(sent.slice(max(sent.start, head.start - 40), head.start))
        k = (
            len(
                [
                    w
                    for w in re.findall(r"[A-Za-z]+", m.group("adj"))
                    if w.lower() not in ("and", "or")
                ]
            )
            if m
            else 0
        )
        stated = _LIST_STATED.match(sent.slice(cue.end, mine[0].rate.start)) if mine else None
        if (
            k
            and stated
            and len(mine) == k + 1
            and all(c.kind in ("cue_rate", "list") for c in mine)
        ):
            mine = mine[k:]
        elif k and not stated and re.match(r"partial\b", m.group("adj") if m else "", re.I):
            mine = []  # 'Partial and complete remissions were seen in 6/10': one measure of both, no CR rate
        out += mine
    return sorted(out, key=lambda c: c.rate.start)


def measures_listed(sent: Sentence, cue: Cue) -> bool:
    """'The clinical and pathological complete remission rates ... were 28.6% and 26.5% respectively':
    the 'respectively' pairs values with measures, not with groups."""
    before = sent.slice(max(sent.start, cue.start - 60), cue.start)
    return bool(
        re.search(rf"\b{_MEASURE_ADJ}\s+(?:and|or|/)\s+(?:{_MEASURE_ADJ}\s+)?$", before, re.I)
    )


# Between two measures of a list whose values follow 'respectively', with their qualifiers: 'overall response,
# minimal residual disease (MRD)-negative complete response (CR), MRD-positive CR, and partial response rates'.
_QUALIFIED_JOIN = re.compile(
    r"\s*(?:\(\s*[A-Za-z]{1,6}\s*\)\s*)?(?:rates?\s*)?(?:,\s*(?:and\s+|or\s+)?|/|\s+(?:and|or|&)\s+)"
    r"(?:the\s+)?(?:[A-Za-z][\w\-\u2013]*+\s*(?:\(\s*[A-Za-z]{1,6}\s*\)\s*)?[\-\u2013]?\s*){0,4}",
    re.IGNORECASE,
)


def _joined(gap: str) -> bool:
    if _COUNTED_ITEM.search(gap):
        return False  # 'One complete response, eight partial responses, ...': counts, not a list of measures
    return bool(
        MEASURE_LIST_JOIN.fullmatch(gap) or len(gap) <= 100 and _QUALIFIED_JOIN.fullmatch(gap)
    )


_COUNTED_ITEM = re.compile(rf"(?:\d+|\b(?:{NUMBER_WORD}))\s+$", re.IGNORECASE)


def _coordinated(
    sent: Sentence, cues: list[Cue], found: list[Rate]
) -> dict[int, tuple[Cue, Group | None]]:
    """'ORR and CR rates were 60% and 30%, respectively': values paired in order with coordinated cues."""
    ordered = sorted((c for c in cues if not _status_word(sent, c)), key=lambda c: c.start)
    # 'complete response (CR)': the bracketed abbreviation is the same measure, not the next of the list
    ordered = [
        c
        for k, c in enumerate(ordered)
        if not (
            k
            and c.label == ordered[k - 1].label
            and re.fullmatch(r"\s*\(\s*", sent.slice(ordered[k - 1].end, c.start))
        )
    ]
    out: dict[int, tuple[Cue, Group | None]] = {}
    i = 0
    while i < len(ordered):
        run = [ordered[i]]
        while i + 1 < len(ordered) and _joined(sent.slice(run[-1].end, ordered[i + 1].start)):
            i += 1
            run.append(ordered[i])
        i += 1
        if len(run) < 2 or len({c.label for c in run}) < 2:
            continue
        after = [r for r in found if r.start > run[-1].end]
        if len(after) < len(run):
            continue
        tail = sent.text[after[len(run) - 1].end - sent.start :]
        if re.match(r"^[^.;]{0,40}?\brespectively\b", tail, re.I):
            out.update({r.start: (c, None) for r, c in zip(after, run)})
            continue
        out.update(_interleaved(sent, run, after))
    return out


_IN_TUPLE = re.compile(r"\s*(?:,\s*|\s+and\s+|\s+)", re.IGNORECASE)


def _interleaved(
    sent: Sentence, run: list[Cue], after: list[Rate]
) -> dict[int, tuple[Cue, Group | None]]:
    """'Survival and relapse rates were 91% and 15% in A, 59% and 35% in B, and 69% and 19% in C,
    respectively': the values come in tuples, one per group, each in the order of the measures."""
    k = len(run)
    for j in range(len(after) // k, 1, -1):
        values = after[: k * j]
        tail = sent.text[values[-1].end - sent.start :]
        tuples = [values[t * k : (t + 1) * k] for t in range(j)]
        if not re.match(r"^[^.;%]{0,90}?\brespectively\b", tail, re.I):
            continue
        groups = [group_after(sent, t[-1].end) for t in tuples]
        if all(
            _IN_TUPLE.fullmatch(sent.slice(a.end, b.start))
            for t in tuples
            for a, b in zip(t, t[1:])
        ) and all(groups):
            return {r.start: (run[i % k], groups[i // k]) for i, r in enumerate(values)}
    return {}


def _count_end(sent: Sentence, r: Rate) -> int | None:
    """Where the count of a 'count (percent)' rate ends: '12' of '12 CRs (48%)'."""
    if r.numerator is None or r.denominator is not None:
        return None
    first = next((n for n in sent.numbers if n.start == r.start), None)
    return first.end if first is not None else None


def _inner_verb_cue(sent: Sentence, r: Rate, targets: list[Cue]) -> Claim | None:
    """'18 of the 30 patients in CR relapsed (60%)': the verb cue sits inside the rate, between its counts and
    its percent; the words before the verb name the group. Or a plural event noun right after the count:
    '12 CRs (48%)', 'twelve complete responses (48%)'."""
    counted = r.inner_end if r.inner_end is not None else _count_end(sent, r)
    noun = next(
        (
            c
            for c in targets
            if counted is not None
            and counted <= c.start < r.end
            and _EVENT_NOUN.match(c.text)
            and not sent.slice(counted, c.start).strip()
            and _PERCENT_LEFT.fullmatch(sent.slice(c.end, r.end))
        ),
        None,
    )
    if noun is not None:
        return Claim(r, noun, "rate_cue", None)
    if r.inner_end is None:
        return None
    cue = next(
        (c for c in targets if r.inner_end <= c.start < r.end and _VERB_CUE.match(c.text)), None
    )
    if cue is None or not _TO_VERB_CUE.fullmatch(sent.slice(r.inner_end, cue.start)):
        return None
    words = sent.slice(r.inner_end, cue.start)
    label = " ".join(words.split())
    start = r.inner_end + len(words) - len(words.lstrip())
    group = Group(label, start, start + len(label)) if re.search(r"[A-Za-z]{2}", label) else None
    return Claim(r, cue, "rate_cue", group)


def _claims(sent: Sentence, spec: RateSpec, targets: list[Cue], arms: Arms) -> list[Claim]:
    competitors = [
        c for c in sent.cues_labelled(*spec.competitors) if not spec.skip_competitor(sent, c)
    ]
    cues = targets + drop_overlapping(competitors, targets)
    claims = zero_statements(sent, targets, lambda pos: clause_bounds(sent, pos)[1])
    found = [
        r for r in rates(sent) if not any(z.rate.start <= r.start < z.rate.end for z in claims)
    ]
    found = [
        r
        for r in found
        if not is_relative(sent, r) and not is_benchmark(sent, r) and not spec.skip_rate(sent, r)
    ]
    found = [r for r in found if not _in_range(sent, r, found)]
    bracketed, used = bracketed_pairs(sent, found, targets)
    listed = labelled_list(sent, found, targets)
    claims += bracketed + [c for c in listed if c.kind != NOT_THIS_MEASURE]
    used |= {c.rate.start for c in listed}
    paired = _coordinated(sent, cues, found)
    for r in found:
        if r.start in used:
            continue
        inner = _inner_verb_cue(sent, r, targets) if r.start not in paired else None
        if inner is not None:
            claims.append(inner)
            continue
        noun = None if r.start in paired else _noun_after(sent, r, cues)
        if noun is not None and noun not in targets:
            continue  # '27% PR': another measure's value, printed before its name
        back = _backward(sent, r, cues)
        if (
            noun is None
            and back is not None
            and _STATED.fullmatch(_ASIDES.sub(" ", sent.slice(back.end, r.start)))
        ):
            fwd = None  # 'the overall response rate was 84.4% and 15 of 32 reached CR': the rate is the ORR's
        else:
            fwd = None if r.start in paired else noun or _forward(sent, r, cues, found)
        if (
            noun is None
            and r.denominator
            is None  # ('Four of the seven complete responders relapsed': the people)
            and (lesser := _RESPONSE_NAMED_AFTER.match(sent.text, r.end - sent.start))
        ):
            at = sent.start + lesser.start("what")
            if not any(c.start <= at < c.end for c in targets):
                continue  # '... and 3 (10%) partial responders': the value of the response named after it
        if fwd is None and _counted_with_own_verb(sent, r, targets):
            continue  # '...; nine additional patients (41%) achieved MLFS': not the measure before
        cue = paired[r.start][0] if r.start in paired else fwd or back
        if cue is None or cue not in targets:
            continue
        upto = min(
            [o.start for o in found if r.end <= o.start < cue.start], default=cue.start
        )  # not past the next rate
        listed_group = paired[r.start][1] if r.start in paired else None
        claims.append(
            Claim(
                r,
                cue,
                "rate_cue" if fwd else "cue_rate",
                listed_group
                or (
                    receiving_group(sent, r.end, upto) or people_of(sent, r.end, upto)
                    if fwd
                    else None
                ),
            )
        )
    if spec.counts:
        claims += count_claims(
            sent, targets, claims, arms.size_of, lambda pos: clause_bounds(sent, pos)
        )
    return sorted(claims, key=lambda c: c.rate.start)


def extract_rates(doc: Document, spec: RateSpec, arms: Arms | None = None) -> list[Outcome]:
    out: list[Outcome] = []
    arms = (
        arms or Arms()
    )  # what it knows is read when first asked for, for a value (extractor.arms)
    resolver = PopulationResolver(doc, arms)
    for sent in doc.sentences:
        # A sentence without a target cue first: the test is a set's, and most sentences have none.
        if (
            sent.cue_labels.isdisjoint(spec.targets)
            or sent.background
            or spec.skip_sentence(sent)
            or about_animals(sent)
        ):
            continue
        targets = [c for c in sent.cues_labelled(*spec.targets) if not spec.skip_cue(sent, c)]
        if not targets:
            continue
        claims = _without_other_measures_first(sent, _claims(sent, spec, targets, arms))
        # 'No recurrence occurred in either group': the value for each arm
        claims = [
            Claim(c.rate, c.cue, c.kind, arm)
            for c in claims
            for arm in (resolver.every_arm(sent, c.group, (c.rate.start, c.rate.end)) or (c.group,))
        ]
        populations = _populations(doc, sent, claims, resolver, arms.treatment)
        out.extend(_outcome(sent, spec, c, p, len(claims)) for c, p in zip(claims, populations))
    return out


def _populations(
    doc: Document,
    sent: Sentence,
    claims: list[Claim],
    resolver: PopulationResolver,
    treatment: str | None,
) -> list[Population]:
    """The population of each claim: values of one cue are paired together (one list); a group a layout
    found stands; what is left is read around each value. The resolver settles each."""
    groups: list[Group | None] = [c.group for c in claims]
    guessed = [False] * len(claims)
    plain = [
        i
        for i, c in enumerate(claims)
        if c.group is None and c.kind in ("cue_rate", "bracketed", "rate_cue")
    ]
    runs: list[list[int]] = []
    for i in plain:
        if runs and claims[runs[-1][-1]].cue is claims[i].cue:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if (split := _split_after_noun(doc, sent, [claims[i] for i in run])) is not None:
            for i, part in zip(run, split):
                groups[i] = part
            continue
        spans = [(claims[i].rate.start, claims[i].rate.end) for i in run]
        cue = claims[run[0]].cue
        paired = resolver.pair(sent, spans, cue.end, measures_listed=measures_listed(sent, cue))
        for k, (i, g) in enumerate(zip(run, paired.groups)):
            c = claims[i]
            if g is not None and any(
                g.start <= t.start < g.end for t in sent.cues_labelled(c.cue.label)
            ):
                g = None  # 'in 25% of patients achieving a complete response': the measure, not a group
            inner = group_after(sent, c.rate.inner_end) if g is None and c.rate.inner_end else None
            groups[i] = (
                _after_its_noun(sent, c)
                or g
                or inner
                or _count_label(sent, c.rate)
                or _relative_after(sent, c.rate, c.cue.label)
                or (_clause_regimen(doc, sent, c, treatment) if len(claims) == 1 else None)
            )
            guessed[i] = paired.guessed_at(k) and g is not None
    peers = tuple(((c.rate.start, c.rate.end), g is not None) for c, g in zip(claims, groups))
    settled = [
        resolver.settle(sent, (c.rate.start, c.rate.end), g, guessed=q, peers=peers)
        for c, g, q in zip(claims, groups, guessed)
    ]
    return resolver.set_against(sent, [(c.rate.start, c.rate.end) for c in claims], settled)


_RATE_WORD = re.compile(r"\s*rates?\b", re.IGNORECASE)


def _split_after_noun(doc: Document, sent: Sentence, run: list[Claim]) -> list[Group] | None:
    """'four (11%) and 15 (38%) relapses in the A and B arms': rates listed as the subject of one noun take
    the groups listed after it, in order."""
    if len(run) < 2 or any(c.kind != "rate_cue" for c in run):
        return None
    found = _after_its_noun(sent, run[-1])
    return split_group(doc.text, found, len(run)) if found is not None else None


def _after_its_noun(sent: Sentence, claim: Claim) -> Group | None:
    """'a 56% CR rate with 7-3 therapy': the group printed after the measure that follows the value."""
    if claim.cue.start < claim.rate.end or not _NOUN_GAP.fullmatch(
        sent.slice(claim.rate.end, claim.cue.start)
    ):
        return None
    end = claim.cue.end
    if (word := _RATE_WORD.match(sent.text, end - sent.start)) is not None:
        end = sent.start + word.end()
    found = group_after(sent, end)
    return found if found is not None and not found.origin else None


_COUNT_LABEL = re.compile(
    r"^\s+(?P<label>[A-Za-z][\w\-+/]*(?:\s+[A-Za-z][\w\-+/]*){0,2}?)\s+"
    r"(?:patients?|participants?|subjects?|cases?|women|men)\b"
    # '10 of 29 LD and 3 of 59 ED patients': a short label whose noun comes after the list
    r"|^\s+(?P<short>(?=[\w\-+/]*[A-Z\-])[A-Za-z][\w\-+/]*)\s*(?:,\s*|\s+(?:and|or|vs\.?|versus)\s+)\d"
    # 'three of the 52 patients in remission experienced relapse': the people and their state
    r"|^\s+(?P<state>(?:patients|participants|subjects|cases)\s+(?:in|with|who|aged|receiving|treated)\b"
    r"[^,;()]{2,50}?)(?=\s+(?:had|have|experienced|achieved|relapsed|progressed|developed|were|"
    r"attained|obtained|reached|remained)\b)"
    # 'relapse in 8 of 20 responders (40%)': people named by their response
    r"|^\s+(?P<responders>(?:complete\s+|partial\s+)?(?:non-?)?responders)\b"
)
_NOT_LABEL = re.compile(
    r"^(?:evaluable|assessable|consecutive|additional|more|other|further|of|eligible|enrolled|"
    r"treated|randomi[sz]ed|included|adult|elderly|older|younger|the|these|all)\b",
    re.IGNORECASE,
)


def _count_label(sent: Sentence, rate: Rate) -> Group | None:
    """'Three NCT patients (3.4%)', '126 of the 170 DNR60 patients': the group named between a count
    (or its denominator) and its noun."""
    if rate.numerator is None:
        return None
    counts = [n for n in sent.numbers if n.start == rate.start]
    if rate.denominator is not None:
        counts += [
            n
            for n in sent.numbers
            if rate.start < n.start < rate.end and n.value == rate.denominator
        ][:1]  # (the first: '9 of 30 responders (30%)' prints the denominator again as a percent)
    # after the count, or after the whole rate: '9/40 (22.5%) MRD-negative and 21/38 (55.3%) MRD-positive patients'
    for pos in [n.end for n in counts] + [rate.end]:
        m = _COUNT_LABEL.match(sent.text[pos - sent.start :])
        key = next(
            (k for k in ("label", "short", "state", "responders") if m is not None and m.group(k)),
            None,
        )
        if m is not None and key is not None and not _NOT_LABEL.match(m.group(key)):
            start = pos + m.start(key)
            return Group(m.group(key), start, start + len(m.group(key)))
    return None


def _relative_after(sent: Sentence, rate: Rate, measure: str) -> Group | None:
    """'11 of 24 patients (45.8%) who did not undergo transplant': the people of a counted rate, said by the
    relative clause after its percent (not one that names what the rate counts: 'who relapsed')."""
    if rate.numerator is None or not re.search(
        r"\b(?:patients|participants|subjects|cases|children|adults)\s*\(?[^()]*\)?\s*$",
        sent.slice(rate.start, rate.end),
        re.I,
    ):
        return None
    m = _WHO_AFTER.match(sent.text, rate.end - sent.start)
    if m is None or _CLAUSE_VERB.search(m.group("g")):
        return None
    start = sent.start + m.start("g")
    if any(start <= c.start < start + len(m.group("g")) for c in sent.cues_labelled(measure)):
        return None
    return Group(f"patients {m.group('g')}", start, start + len(m.group("g")))


_WHO_AFTER = re.compile(
    r"\s*\)?\s*(?P<g>(?:who|that)\s+[^,;:()]{3,70}?)(?=\s*(?:[,;:()]|\.(?:\s|$)|$|\band\b|\bwhereas\b|\bwhile\b))",
    re.I,
)
# (not 'who relapsed', 'who achieved CR': the event or the response the rate counts)
_CLAUSE_VERB = re.compile(
    r"^(?:who|that)\s+(?:\w+\s+)?(?:relapsed|progressed|recurred|died)\b", re.I
)


def _clause_regimen(
    doc: Document, sent: Sentence, claim: Claim, treatment: str | None
) -> Group | None:
    """In a study of several treatments, the one treatment named in the value's clause ('Pembrolizumab produced CR in 2 of 12')."""
    if treatment is not None:
        return None
    start, end = clause_bounds(sent, claim.rate.start)
    named = [r for r in sent.regimens if start <= r.start < end and r.end <= claim.rate.start]
    names = {r.rule if r.rule != "regimen.stem" else r.text.lower() for r in named}
    if len(names) != 1:
        return None
    r = named[0]
    return Group(r.text, r.start, r.end)


def _outcome(sent: Sentence, spec: RateSpec, c: Claim, p: Population, n: int) -> Outcome:
    kind = "list" if n > 1 and c.kind == "cue_rate" else c.kind
    r, cue = c.rate, c.cue
    start, end = min(r.start, cue.start), max(r.end, cue.end)
    if end - start > 250:
        start, end = r.start, r.end
    ci = interval_after(sent, r.end, ci_in_sentence=False) if c.kind != "count_over_group" else None
    low, high = (ci.low, ci.high) if ci else (None, None)
    flags = (
        rate_flags(r, sent)
        + tuple(ci_flags(r.value, low, high))
        + ((FLAG_GROUP_UNCERTAIN,) if p.uncertain else ())
        + ((FLAG_ARM_ORDER,) if p.from_arm_order else ())
    )
    return Outcome(
        measure=spec.measure,
        value=r.value,
        unit="%",
        start=start,
        end=end,
        sentence=sent.text,
        ci_low=low,
        ci_high=high,
        rule=f"{spec.measure}.{kind}/{cue.rule}",
        group_label=p.label,
        regimen=p.regimen,
        numerator=r.numerator,
        denominator=r.denominator,
        timepoint=spec.timepoint(sent, cue, r) or p.origin,
        flags=flags,
    )
