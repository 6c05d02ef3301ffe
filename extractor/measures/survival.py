"""Median overall survival: value and unit, 95% CI, 'not reached', group and time origin.

Rule ids:
- median_os.value: a duration owned by an OS cue ('median OS was 8 months');
- median_os.list: several durations of one printed list ('6.9 and 6.1 months', '15.3 vs 24.6 months');
- median_os.not_reached: 'not reached' / 'NR' owned by an OS cue;
- median_os.continuation: a sentence without a measure cue that continues the previous
  sentence's median OS values ('It was 19.6 months in patients bridged to transplantation.').
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Cue, Document, Sentence
from evidence_tables.extractor.gate import CONTINUES
from evidence_tables.extractor.groups import Group, group_after
from evidence_tables.extractor.measures.ownership import (
    MEASURE_LIST_JOIN,
    about_animals,
    ci_flags,
    context_flags,
    drop_overlapping,
    is_difference,
    owner,
)
from evidence_tables.extractor.measures.sentence_parts import clause_bounds
from evidence_tables.extractor.outcomes import FLAG_ARM_ORDER, FLAG_GROUP_UNCERTAIN, Outcome
from evidence_tables.extractor.population import PopulationResolver
from evidence_tables.extractor.population.labels import read_label
from evidence_tables.extractor.values import (
    INTERVAL_AFTER,
    UNIT,
    VALUE_LIST_JOIN,
    durations,
    in_brackets_after_cue,
    interval_after,
    intervals_in,
)

_MEASURES = ("OS", "OTHER_SURVIVAL", "FOLLOW_UP", "AGE")
# An age, not a time survived: '< 50 years of age', 'patients older than 65 years', '70 years old'.
# (and 'for 75 years or older', 'patients 65 years and over': an age bound naming a group)
_AGE_AFTER = re.compile(
    r"^\s*(?:of\s+age|old|of\s+life|(?:or|and)\s+(?:older|younger|over|above|more)\b)",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(r"\b(?:aged?|older|younger)\s+(?:than\s+)?(?:[<>≤≥]\s*)?$", re.IGNORECASE)
# The first bound of a band of ages: 'for 60-64 years', 'aged 65 to 69 years', 'and 18-39 years'.
_BAND_BEFORE = re.compile(
    r"(?<![\d.])(?:1[5-9]|[2-9]\d|1[01]\d)\s*(?:[-\u2013]|to)\s*$", re.IGNORECASE
)
_EITHER = re.compile(
    r"\b(?:in\s+)?(?:either|both|each\s+of\s+the\s+(?:two|2))\s+(?:arms?|groups?|cohorts?|parts?|phases?)\b"
    r"|\b(?:for|in)\s+(?:either|both)(?=\s*[,;)]|\s*$)",  # '(14.2 months for both, P = 0.98)'
    re.I,
)
_AGE_VALUE = re.compile(
    r"\s*(?:of\s+)?(?:[<>≤≥]=?\s*|(?:older|younger|more|less)\s+than\s+)?", re.IGNORECASE
)
_TIME_POINT_BEFORE = re.compile(r"\b(?:day|week|cycle|course|month)\s*$", re.IGNORECASE)
_THRESHOLD_BEFORE = re.compile(
    r"(?:[<>≤≥]=?|\b(?:within|beyond|before|after|than|over|under)\s+"
    # 'OS curves separated at approximately 24 months': a point in time
    r"|\b(?:at|from|by)\s+(?:approximately|about|around|roughly|nearly)\s+)\s*$",
    re.IGNORECASE,
)
_MST_STATED = re.compile(
    r"\s*(?:\)\s*)?(?:was|were|of|is|:|,|=|\()\s*(?:approximately\s+|about\s+)?(?:\d|not\s+reached|NR\b)",
    re.IGNORECASE,
)
_MEAN_BEFORE = re.compile(r"\bmean\s+(?:overall\s+)?$", re.IGNORECASE)
_VALUE_END = re.compile(r"\s*(?:%|months?|mo\b|years?|weeks?|days?)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Value:
    start: int
    end: int  # end of the unit (or of the NR cue)
    value: float | None
    unit: str | None
    owner: Cue | None
    listed_from: int | None = (
        None  # where the values of a measures list start: '(5.1 and 11.2 months, resp.)'
    )

    @property
    def lead(self) -> int:
        """Where the value's printed place starts for reading its group: the first of its measures list."""
        return self.start if self.listed_from is None else self.listed_from


def _measure_cues(sent: Sentence) -> list[Cue]:
    # 'MST' is a median survival time where a value follows it ('MST was 14 months', '(MST, 38.2 vs 24.9
    # months)'), not in 'the MST group' (multisystemic therapy)
    os_cues = [
        c
        for c in sent.cues_labelled("OS")
        if c.text != "MST" or _MST_STATED.match(sent.text, c.end - sent.start)
    ]
    # 'median survival time from relapse': the survival time counted from relapse, not another measure's time
    others = [
        o
        for o in sent.cues_labelled("OTHER_SURVIVAL")
        if not (
            o.rule == "other.treatment_time" and any(c.start < o.start < c.end for c in os_cues)
        )
    ]
    return drop_overlapping(os_cues, others) + [
        c for c in sent.cues_labelled(*_MEASURES[1:]) if c.label != "OTHER_SURVIVAL" or c in others
    ]


def _named_after(sent: Sentence, cues: list[Cue], end: int) -> Cue | None:
    """A measure named right after the value is its own: '18.9 versus 17.5 months median time to relapse',
    '14.3 months (median OS)'."""
    for c in cues:
        gap = sent.slice(end, c.start) if c.start >= end else None
        if (
            gap is None
            or c.label not in ("OS", "OTHER_SURVIVAL")
            or not _NAMED_AFTER.fullmatch(gap)
        ):
            continue
        if c.label == "OS" and "median" not in (gap + c.text).lower():
            continue  # '185 vs. 36 weeks survival time': a time survived, not said to be the median
        return c
    return None


def _named_for_list(sent: Sentence, cues: list[Cue], found: list[_Value]) -> list[_Value]:
    """The values listed before one whose measure is named after it share that measure: '18.9 versus 17.5
    months median time to relapse'."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        nxt = out[i + 1]
        if (
            nxt.owner is not None
            and nxt.owner.start >= nxt.end
            and nxt.owner is not out[i].owner
            and VALUE_LIST_JOIN.fullmatch(sent.slice(out[i].end, nxt.start))
        ):
            v = out[i]
            out[i] = _Value(v.start, v.end, v.value, v.unit, nxt.owner)
    return out


_SURVIVED_AFTER = re.compile(
    r"(?:\s*(?:,|and|or|vs\.?|versus)\s*\d+(?:\.\d+)?)*\s*(?:days?|weeks?|months?|years?)?\s*"
    r"(?:of\s+)?(?:overall\s+)?survival(?:\s+time)?\b",
    re.IGNORECASE,
)
_NAMED_AFTER = re.compile(r"\s*\(?\s*(?:median|the\s+median)?\s*", re.IGNORECASE)


def _owner(sent: Sentence, cues: list[Cue], pos: int) -> Cue | None:
    """The measure a value belongs to. An age claims only the value printed right after it ('aged 75 years'),
    not a survival reported later in the clause ('among patients aged 75 years or older, it was 3.9 years')."""
    c = owner(cues, pos)
    if c is not None and c.label == "AGE" and not _AGE_VALUE.fullmatch(sent.slice(c.end, pos)):
        return owner([x for x in cues if x is not c and x.end <= c.start], pos)
    return c


def _values(sent: Sentence, continuation: bool) -> list[_Value]:
    cues = _measure_cues(sent)
    if not continuation and not any(c.label == "OS" for c in cues):
        return []  # every value would be owned by another measure or by none: none is kept (below)
    found: list[_Value] = []
    for d in durations(sent):
        n = d.number
        if in_brackets_after_cue(sent, n.start, ("CI", "RANGE")) or is_difference(
            sent, n, d.unit_end
        ):
            continue
        if _THRESHOLD_BEFORE.search(sent.slice(max(sent.start, n.start - 24), n.start)):
            continue  # a bound defining a group or a window: 'early relapse (<3 months)', 'within 6 months
        if _TIME_POINT_BEFORE.search(sent.slice(max(sent.start, n.start - 8), n.start)):
            continue  # a numbered day or cycle: 'patients in CR at day 90 and 4.7 months in those who did not'
        if _AGE_AFTER.match(sent.text[d.unit_end - sent.start :]) or _AGE_BEFORE.search(
            sent.slice(max(sent.start, n.start - 20), n.start)
        ):
            continue
        if (
            d.unit.startswith("year")
            and n.value >= 15
            and _BAND_BEFORE.search(sent.slice(max(sent.start, n.start - 20), n.start))
        ):
            continue  # an age band naming a group: '41.7 months for 60-64 years', 'patients aged 65 to 69 years'
        if (
            _SURVIVED_AFTER.match(sent.text, n.end - sent.start)
            and "median" not in sent.slice(max(sent.start, n.start - 40), n.start).lower()
        ):
            continue  # '228 vs. 110 weeks survival time': times survived, not said to be medians
        found.append(
            _Value(
                n.start,
                d.unit_end,
                n.value,
                d.unit,
                _named_after(sent, cues, d.unit_end) or _owner(sent, cues, n.start),
            )
        )
    for nr in sent.cues_labelled("NOT_REACHED"):
        if in_brackets_after_cue(sent, nr.start, ("CI", "RANGE")) or _inside_interval(sent, nr):
            continue
        found.append(
            _Value(
                nr.start,
                nr.end,
                None,
                None,
                _listed_owner(sent, cues, nr) or _owner(sent, cues, nr.start),
            )
        )
    found.sort(key=lambda v: v.start)
    found = _named_for_list(sent, cues, found)
    found = [
        v
        for v in found
        if not (
            v.owner is not None
            and v.owner.label == "OS"
            and _MEAN_BEFORE.search(sent.slice(max(sent.start, v.owner.start - 12), v.owner.start))
        )
    ]  # 'mean OS': not the median
    keep = []
    for v in _measures_respectively(sent, cues, found):
        if v.owner is not None and v.owner.label == "OS":
            keep.append(v)
        elif v.owner is None and continuation:
            keep.append(v)
    return keep


def _measures_respectively(sent: Sentence, cues: list[Cue], found: list[_Value]) -> list[_Value]:
    """'Median PFS and OS were 6.3 and 15.8 months, respectively': the values after a list of measures
    are theirs in order (the last measure, which is nearest, owns them all otherwise). Only where the
    values come in runs as many as the measures, each run followed by 'respectively' or printed as one list
    ('2.8 and 13.2 months in A and 2.0 and 14.0 months in B'). Each list of measures with its own values:
    'TTP and OS were 8.2 and 21.5 months, respectively, in A, whereas TTP and OS were 6.1 and 17.0 months,
    respectively, in B'."""
    owners: list[Cue] = []
    for v in found:
        if v.owner is not None and not any(v.owner is o for o in owners):
            owners.append(v.owner)
    for last in owners:
        found = _listed_measures(sent, cues, found, last)
    return found


def _listed_measures(
    sent: Sentence, cues: list[Cue], found: list[_Value], last: Cue
) -> list[_Value]:
    """`_measures_respectively` for the values one cue owns."""
    # the measures as printed: not a cue inside a longer one ('event-free' of 'event-free survival')
    ordered = sorted(
        (
            c
            for c in cues
            if c is last
            or not any(
                o.start <= c.start and c.end <= o.end and o.end - o.start > c.end - c.start
                for o in cues
            )
        ),
        key=lambda c: c.start,
    )
    # 'overall survival (OS) were': the abbreviation in brackets is its long form's twin; the list is read from
    # the long form
    at = ordered.index(last)
    if (
        at > 0
        and re.fullmatch(r"\s*\(\s*", sent.slice(ordered[at - 1].end, last.start))
        and sent.text[last.end - sent.start : last.end - sent.start + 1] == ")"
    ):
        at -= 1
    listed = [last]
    head = ordered[at]
    for c in reversed(ordered[:at]):
        # 'progression-free survival (PFS) and OS': the abbreviation's bracket closes before the join
        gap = re.sub(r"^\s*(?:\([A-Za-z\-]{1,8}\)|\))", "", sent.slice(c.end, head.start))
        if not MEASURE_LIST_JOIN.fullmatch(gap):
            break
        listed.insert(0, c)
        head = c
    owned = [v for v in found if v.owner is last]
    k = len(listed)
    # one run of values per group: '(5.1 and 11.2 months, respectively) ... (4.0 and 10.3 months, respectively)'
    runs = [owned[i : i + k] for i in range(0, len(owned), k)]
    if (
        k < 2
        or len(owned) % k
        or not all(
            "respectively" in sent.folded_slice(run[-1].end, sent.end)[:40] or _joined(sent, run)
            for run in runs
        )
    ):
        return found
    theirs = {id(v): (c, run[0].start) for run in runs for v, c in zip(run, listed)}
    return [
        _Value(v.start, v.end, v.value, v.unit, theirs[id(v)][0], theirs[id(v)][1])
        if id(v) in theirs
        else v
        for v in found
    ]


def _joined(sent: Sentence, run: list[_Value]) -> bool:
    """Values printed as one list, each with its own interval at most: 'PFS and OS were 6.3 (95% CI, 4.1-8.0)
    and 15.8 months' reads as 'respectively' even where the word is left out."""
    return all(_RUN_JOIN.fullmatch(sent.slice(a.end, b.start)) for a, b in zip(run, run[1:]))


_RUN_JOIN = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:,\s*(?:and\s+)?|and\s+)", re.IGNORECASE)


def _listed_owner(sent: Sentence, cues: list[Cue], nr: Cue) -> Cue | None:
    """'the median overall survival (OS) and PFS were not reached': the measures listed before a plural 'were
    not reached' are all not reached, OS among them."""
    last = _owner(sent, cues, nr.start)
    if (
        last is None
        or last.label == "OS"
        or not re.match(
            r"^\s*(?:\([A-Za-z]{1,6}\)\s*)?(?:have\s+|had\s+)?(?:both\s+)?"
            r"(?:were|have|had|are)\b",
            sent.slice(last.end, nr.start),
        )
    ):
        return None
    ordered = sorted(cues, key=lambda c: c.start)
    k = ordered.index(last)
    while k > 0:
        prev = ordered[k - 1]
        gap = re.sub(r"^\s*(?:\([A-Za-z]{1,6}\)|\))", "", sent.slice(prev.end, ordered[k].start))
        if not MEASURE_LIST_JOIN.fullmatch(gap):
            return None
        if prev.label == "OS":
            return prev
        k -= 1
    return None


def _inside_interval(sent: Sentence, cue: Cue) -> bool:
    before = sent.slice(max(sent.start, cue.start - 14), cue.start)
    return bool(re.search(r"\d\s*(?:[\-\u2013\u2014]|to)\s*$", before))


def _rule(v: _Value, many: bool, continuation: bool) -> str:
    if v.owner is None and continuation:
        return "median_os.continuation"
    if v.value is None:
        return "median_os.not_reached"
    return "median_os.list" if many else "median_os.value"


def _intervals(sent: Sentence, values: list[_Value]) -> list[tuple[float | None, float | None]]:
    has_ci = sent.has("CI")
    out = []
    for v in values:
        iv = interval_after(sent, v.end, ci_in_sentence=has_ci) if v.value is not None else None
        out.append((iv.low, iv.high) if iv else (None, None))
    listed = [v for v in values if v.value is not None]
    if len(listed) >= 2 and all(ci == (None, None) for ci in out) and has_ci:
        ci = sent.cues_labelled("CI")[-1]
        if ci.start > listed[-1].start:
            found = intervals_in(sent, ci.end, sent.end)
            if len(found) >= len(listed):
                it = iter(found)
                out = [
                    ((iv := next(it)).low, iv.high) if v.value is not None else (None, None)
                    for v in values
                ]
    return out


def _expanded_groups(sent: Sentence, groups: Sequence[Group | None]) -> list[Group | None]:
    """'13.1 months in both arms': no group, so that the value is given to each arm below."""
    return [None if g is not None and read_label(g).reading == "all_arms" else g for g in groups]


def _expand_either(
    doc: Document,
    sent: Sentence,
    values: list[_Value],
    groups: list[Group | None],
    arms: list[Group],
    recent: list[Group] | None = None,
) -> tuple[list[_Value], list[Group | None]]:
    """'not reached in either arm' -> one value per arm the abstract names, or else per group the same
    sentence gives its other values ('87.9% for PET-negative and 71.4% for PET-positive patients; median OS
    had not been reached in either group'), or else per group a sentence just before gave its values ('15.5% in
    the nelarabine arm versus 27.6% in the standard arm. ... not reached in either arm')."""
    if len(values) != 1 or groups[0] is not None or not _EITHER.search(sent.text):
        return values, groups
    if len(arms) < 2:
        # the groups the same sentence gives its other values, or its 'not reached' ('18.1 months in phase Ib and
        # not reached in phase II; median OS was not reached in either part')
        ends = [
            n.end if n.percent or u is None else sent.start + u.end()
            for n in sent.numbers
            if n.percent or (u := _VALUE_END.match(sent.text, n.end - sent.start))
        ]
        ends += [c.end for c in sent.cues_labelled("NOT_REACHED") if c.start != values[0].start]
        named = [
            g
            for e in sorted(ends)
            if (g := group_after(sent, e)) is not None
            and not _EITHER.search(g.label)
            and not g.origin
        ]
        arms = [
            g
            for i, g in enumerate(named)
            if g.label.lower() not in {h.label.lower() for h in named[:i]}
        ]
        # else the arms a sentence just before compared, without the subgroup they were compared in
        if len(arms) != 2:
            arms = [_without_subset(g) for g in recent or []]
        if len(arms) != 2:
            return values, groups
    return [values[0]] * len(arms), list(arms)


_SUBSET_AFTER = re.compile(
    r"\s+(?:in|among|within)\s+(?:the\s+)?[^,;]+?\s+(?:subgroup|subset|population|cohort)$",
    re.IGNORECASE,
)


def _without_subset(group: Group) -> Group:
    """'chemotherapy alone in the LP52+ subgroup' -> 'chemotherapy alone'."""
    m = _SUBSET_AFTER.search(group.label)
    if m is None or m.start() == 0:
        return group
    return Group(group.label[: m.start()], group.start, group.start + m.start(), group.origin)


def median_os(doc: Document, arms: Arms | None = None) -> list[Outcome]:
    out: list[Outcome] = []
    active = False
    arms = (
        arms or Arms()
    )  # what it knows is read when first asked for, for a value (extractor.arms)
    resolver = PopulationResolver(doc, arms)
    for sent in doc.sentences:
        if sent.background:
            active = False
            continue
        if not sent.cues and not sent.numbers:  # not parsed: it cannot hold a value
            active = False
            continue
        if not active and "OS" not in sent.cue_labels:
            continue  # neither an OS cue to own a value nor a report to continue (_values finds none)
        cues = _measure_cues(sent)
        # '... was 38 weeks. It was 44 weeks among those given X and 30 weeks ..., although PFS at 6 months ...':
        # a measure named in a later clause does not stop the sentence continuing the last; one in the same
        # clause owns the values ('The corresponding figures were 10 and 8 months for event-free survival').
        continuation = (
            active
            and bool(CONTINUES.match(sent.text))
            and (not cues or clause_bounds(sent, sent.start)[1] <= cues[0].start)
        )
        values = [] if about_animals(sent) else _values(sent, continuation)
        # A next sentence may continue only a sentence that reported median OS ('It was 19.6 months in ...').
        active = bool(values) and (not cues or cues[-1].label == "OS")
        if not values:
            continue
        cue_end = values[0].owner.end if values[0].owner else sent.start
        cis = _intervals(sent, values)
        spans = [(v.lead, _after_ci(sent, v)) for v in values]
        paired = resolver.pair(sent, spans, cue_end)
        groups = _expanded_groups(sent, paired.groups)
        expanded, groups = _expand_either(
            doc, sent, values, groups, list(arms.trial), arms.recently_valued(sent.index, 2)
        )
        if len(expanded) != len(values):
            cis = cis * len(expanded)
            spans = spans * len(expanded)
            values = expanded
        many = len(values) > 1
        groups = [
            None
            if g is not None
            and any(g.start <= c.start < g.end for c in sent.cues_labelled("OS", "OTHER_SURVIVAL"))
            else g
            for g in groups
        ]
        pops = resolver.set_against(
            sent,
            spans,
            [
                resolver.settle(
                    sent,
                    span,
                    g,
                    guessed=(
                        paired.guessed_at(k)
                        if len(groups) == len(paired.groups)
                        else paired.guessed
                    )
                    and g is not None,
                    peers=tuple((s, o is not None) for s, o in zip(spans, groups)),
                )
                for k, (span, g) in enumerate(zip(spans, groups))
            ],
        )
        for v, p, (lo, hi) in zip(values, pops, cis):
            start = v.owner.start if v.owner and 0 <= v.start - v.owner.start < 250 else v.start
            lead = re.search(r"\bmedian\s+$", sent.slice(max(sent.start, start - 8), start), re.I)
            if v.owner and lead:
                start = max(sent.start, start - 8) + lead.start()
            flags = (
                ci_flags(v.value, lo, hi)
                + context_flags(sent)
                + ([FLAG_GROUP_UNCERTAIN] if p.uncertain else [])
                + ([FLAG_ARM_ORDER] if p.from_arm_order else [])
            )
            out.append(
                Outcome(
                    measure="median_os",
                    value=v.value,
                    unit=v.unit,
                    start=start,
                    end=v.end,
                    sentence=sent.text,
                    rule=_rule(v, many, continuation),
                    group_label=p.label,
                    regimen=p.regimen,
                    ci_low=lo,
                    ci_high=hi,
                    not_reached=v.value is None,
                    timepoint=p.origin,
                    flags=tuple(flags),
                )
            )
    return out


def _after_ci(sent: Sentence, v: _Value) -> int:
    """Where a value's printed form ends: after its interval, and after a unit that follows the interval
    ('4.5 [3.0-6.2] months'), so that a group named next is read from there."""
    iv = interval_after(sent, v.end, ci_in_sentence=sent.has("CI")) if v.value is not None else None
    end = v.end
    if iv is not None:
        # '(95% CI, 18.2 to not reached [NR])': the abbreviation of a bound, then the bracket closes
        close = re.match(r"(?:\s*\[[A-Za-z]{1,4}\])?\s{0,2}[)\]]", sent.text[iv.end - sent.start :])
        end = iv.end + close.end() if close else iv.end
    elif v.value is not None and (bracket := INTERVAL_AFTER.match(sent.text[v.end - sent.start :])):
        end = v.end + bracket.end()
    if end != v.end and (unit := UNIT.match(sent.text[end - sent.start :])):
        end += unit.end()
    return end
