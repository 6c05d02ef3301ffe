"""Pairing the values of one list with their groups inside one sentence.

Order of preference: vs-pairs repeated over populations ('A versus B were 17% versus 13% in P1 and 16%
versus 13% in P2'); a 'respectively' list of groups (after or before the values, in a bracket after them,
printed with the sentence's other values, else the groups the study named, else those the sentences before
gave their values); a comparative ('X had a lower CR rate than Y (25% vs 50%)', 'The A group showed ...');
a group printed after each value, a label before its bracket, or a label inside one bracket ('(A, 24%; B,
15%)'); for a single value, a group between the measure cue and the value; the other arm of a two-arm
trial for the one value left; the arms in the trial's order for values compared with no group (guessed:
flagged by the resolver).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Document, Sentence
from evidence_tables.extractor.groups import (
    STATISTIC,
    Group,
    clean,
    group_after,
    group_paren_before,
    list_after,
    share_head,
    split_group,
)
from evidence_tables.extractor.measures.sentence_parts import bracket_depths
from evidence_tables.extractor.numbers import parse_digits
from evidence_tables.extractor.population.scope import study_counts, subject_of
from evidence_tables.extractor.values import VALUE_LIST_JOIN

# The nouns that name people in the patterns below that read 'patients with X' ('those with X', 'women with X').
_PEOPLE_NOUN = r"patients|those|participants|subjects|women|men|children|cases"
# The comparative words a sentence sets two groups' values against each other with ('higher in X (a vs b)',
# 'longer than that of B', 'was lower (a vs b)'): one list for every pattern below that names them.
_COMPARATIVE = r"higher|lower|longer|shorter|better|worse|greater|superior|inferior"

_BEFORE = re.compile(
    r"(?:^|\s)(?P<prep>in|for|among|with|from|after|following|on|of)\s+(?P<phrase>[^,;]+?)"
    # (a word must end before the verb: 'in this heavily pretreated population was' is not 'in th' + 'is'; a
    # bracket set off by a space is an aside, one joined to a word is part of it: 'del(17p)')
    r"(?:\s+\([^)]*\))?\s*(?:,\s*)?(?<![A-Za-z])(?:was|were|is|are|of|:|(?<!who\s)(?<!that\s)(?:has|had)|reached|it\s+was)\b",
    re.IGNORECASE,
)


# What sets one value against the next: '12 vs 9 months', '40% versus 28%', 'compared with 6.1 months'.
VERSUS = re.compile(r"\b(?:vs\.?|versus|v\.?|compared\s+(?:with|to))(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Pairing:
    """The group of each value (None: none printed), and whether the order was guessed: values printed as
    a comparison with no group in the sentence, given to the study's arms in the order it named them."""

    groups: Sequence[Group | None]
    guessed: bool = False
    unsaid: tuple[bool, ...] | None = None  # per value, where parts of a sentence were paired apart

    def guessed_at(self, i: int) -> bool:
        """Was the order that gave value i its group guessed?"""
        if self.unsaid is not None and i < len(self.unsaid):
            return self.unsaid[i]
        return self.guessed


def pair(
    doc: Document,
    sent: Sentence,
    values: list[tuple[int, int]],
    cue_end: int,
    arms: Arms | None = None,
    *,
    measures_listed: bool = False,
) -> Pairing:
    """Pair each value (start, end after its unit/CI) with the group printed for it, or None. Values in
    clauses a semicolon parts ('the median OS of the entire cohort was 5.4 months; patients in CR had a
    longer median OS than those refractory (9.6 vs 4.2 months)') are paired clause by clause."""
    parts = _by_clause(sent, values, cue_end)
    if len(parts) > 1 and not any(  # (not a list 'A, 14.0 months; B, 10.1 months': read whole)
        _labelled_before(sent, v[0]) or _named_before(doc, sent, v[0]) for v in values
    ):
        groups: list[Group | None] = []
        unsaid: list[bool] = []
        for start, part in parts:
            paired = pair(doc, sent, part, start, arms, measures_listed=measures_listed)
            groups.extend(paired.groups)
            unsaid.extend(paired.guessed_at(i) for i in range(len(part)))
        return Pairing(groups, guessed=any(unsaid), unsaid=tuple(unsaid))
    found = _pair(doc, sent, values, cue_end, arms, measures_listed=measures_listed)
    return found if isinstance(found, Pairing) else Pairing(share_head(list(found)))


def _by_clause(
    sent: Sentence, values: list[tuple[int, int]], cue_end: int
) -> list[tuple[int, list[tuple[int, int]]]]:
    """The values in runs split by the semicolons (outside brackets) between them, each run with where its
    clause starts (the first: the measure's cue)."""
    if len(values) < 2 or ";" not in sent.slice(values[0][1], values[-1][0]):
        return [(cue_end, values)]
    depths = bracket_depths(sent.text)
    parts: list[tuple[int, list[tuple[int, int]]]] = [(cue_end, [values[0]])]
    for prev, value in zip(values, values[1:]):
        gap = sent.slice(prev[1], value[0])
        cut = next(
            (
                prev[1] + i
                for i, ch in enumerate(gap)
                if ch == ";" and depths[prev[1] - sent.start + i] == 0
            ),
            None,
        )
        if cut is None:
            parts[-1][1].append(value)
        else:
            parts.append((cut + 1, [value]))
    return parts


def _pair(
    doc: Document,
    sent: Sentence,
    values: list[tuple[int, int]],
    cue_end: int,
    arms: Arms | None = None,
    *,
    measures_listed: bool = False,
) -> Sequence[Group | None] | Pairing:
    n = len(values)
    arms = arms or Arms()
    known = arms.for_sentence(sent.index, n)
    respectively = _respectively_after(sent, values) and not measures_listed
    if n >= 4 and (chunked := _lists_of_lists(doc, sent, values)) is not None:
        return chunked
    if n == 2 and (yes_no := _group_or_not(sent, values)) is not None:
        return yes_no
    opening = _prefix_list(sent, cue_end) if n >= 2 else None
    if (
        opening is not None
        and re.match(
            r"\s*,?\s*respectively\b", sent.text[opening.end - sent.start :], re.IGNORECASE
        )
    ):  # 'For PLD versus capecitabine, respectively, overall survival (median, 23.3 vs. 26.8 months)'
        split = split_group(doc.text, opening, n)
        if split:
            return split
    paired = _vs_pairs(doc, sent, values, cue_end, arms)
    if paired:
        return paired
    if n == 2 and (headed := _bracketed_with_head(sent, values)) is not None:
        return list(headed)
    if n >= 2 and (named := _each_bracketed_after_its_group(sent, values)) is not None:
        return named  # 'in CTZ group (14.8%) was doubled to CT group (7.7%), respectively': the names stand
    if n >= 2 and (respectively or _listed_before(sent, cue_end, values[0][0])):
        for after in (group_after(sent, values[-1][1]), list_after(sent, values[-1][1])):
            split = split_group(doc.text, after, n) if after else None
            if split:
                return split
            # '44% overall, and 55%, 40% and 32% in first, second and third salvage, respectively': the list is
            # the last values'; the first has its own group (here the whole cohort)
            split = (
                split_group(doc.text, after, n - 1)
                if after and n >= 3 and _apart(sent, values)
                else None
            )
            if split:
                return [group_after(sent, values[0][1])] + list(split)
        before = _group_before(sent, cue_end, values[0][0], allow_list=True)
        split = split_group(doc.text, before, n) if before else None
        if split:
            return split
        bracket = _bracket_list_after(sent, values[-1][1])
        split = split_group(doc.text, bracket, n) if bracket else None
        if split:
            return split
        prefix = _prefix_list(sent, cue_end)
        split = split_group(doc.text, prefix, n) if prefix and respectively else None
        if split:
            return split
        if respectively and n == 2 and (compared := _comparing(sent, cue_end)) is not None:
            return list(compared)
        if respectively and known:
            if n == 2 and list(known) == list(arms.trial):
                known = _in_the_order_named(sent, known, values[0][0])
            return _within(
                known,
                _opening_group(doc, sent, values[0][0])
                or (
                    _people_of_bracket(sent, values[0][0], known)
                    if _in_one_bracket(sent, values)
                    else None
                ),
            )
        if respectively and (others := _groups_of_other_values(sent, values)) is not None:
            return others
        if respectively and (recent := arms.recently_valued(sent.index, n)):
            return Pairing(
                recent, guessed=True
            )  # the groups the sentences before gave their values
    if (
        n >= 2
        and _compared(sent, values)
        and (bracket := _bracket_list_after(sent, values[-1][1])) is not None
    ):
        split = split_group(doc.text, bracket, n)  # '61% vs 38% (R-DA-EPOCH vs R-CHOP)'
        if split:
            return split
    if n == 2 and _same_bracket(sent, values):
        pair = _comparative(sent, cue_end, values[0][0], values[-1][1])
        if pair:
            return list(pair)
    if n == 2 and (headed := _bracketed_with_head(sent, values)) is not None:
        return list(headed)
    if n >= 2 and (labels := _every_value_bracketed(sent, values)) is not None:
        return labels
    out: list[Group | None] = [
        _bracket_label(sent, end)
        or _usable(group_after(sent, end))
        or (
            group_paren_before(sent, start)
            if _alone_in_bracket(sent, values, i)
            and not _second_of_a_bracketed_pair(sent, start, end)
            else None
        )
        or _labelled_before(sent, start)
        or _arm_with_colon_before(sent, start)
        or (_clause_group(sent, values[i - 1][1], start) if i else None)
        or _named_before(doc, sent, start)
        for i, (start, end) in enumerate(values)
    ]
    if (
        n >= 2
        and out[-1] is not None
        and all(o is None for o in out[:-1])
        and _adjacent(sent, values)
    ):
        split = split_group(
            doc.text, out[-1], n
        )  # '2.9 and 3.4 months in the placebo and erlotinib arms'
        if split:
            return list(split)
        widened = _versus_after(sent, out[-1])
        split = split_group(doc.text, widened, n) if widened is not None else None
        if split:  # '13.5 vs 11.3 months (HR, 0.95) for motolimod vs placebo'
            return list(split)
        if respectively and _shared_after_respectively(sent, values, out[-1]):
            return [out[-1]] * n
        if (
            n >= 3
        ):  # '80%, 65% and 40% in patients with 0, 1 and 2 or more risk factors': a list not split
            out[-1] = None
    if n == 1 and out[0] is None:
        out[0] = _group_before(sent, cue_end, values[0][0]) or _opening_group(
            doc, sent, values[0][0]
        )
    if n >= 2 and all(o is None for o in out):
        pair = _comparative(sent, cue_end, values[0][0], values[-1][1]) if n in (2, 3) else None
        if pair and n == 2:
            return list(pair)
        if pair and (three := _slashed_third(pair)) is not None:
            return three
        if n == 2 and not known and (with_rest := _subject_and_the_rest(sent, values)) is not None:
            return Pairing(with_rest, guessed=True)
        shared = _group_before(sent, cue_end, values[0][0])
        versus = any(VERSUS.search(sent.slice(a[1], b[0])) for a, b in zip(values, values[1:]))
        if (
            shared is not None
            and (measures_listed or not known)
            and not (versus and not measures_listed)
        ):
            return [shared] * n
        if shared is not None and versus and not measures_listed and not known:
            # values set against each other are not all of one group: 'The median survival of patients with X was
            # 10.8 months, compared with patients with Y (...) of 32.9 months' (else no group: see the resolver)
            rest = [_compared_group(sent, a[1], b[0]) for a, b in zip(values, values[1:])]
            return [shared, *rest] if all(rest) else [None] * n
        if known and (respectively or _compared(sent, values)):
            if n == 2 and (stated := _named_pair_before(doc, sent, values, arms)) is not None:
                return stated  # 'Median OS (azacitidine vs decitabine) was 10.4 vs 11.2 months'
            favoured = (
                _favoured_first(doc, sent, cue_end, values[0][0], arms)
                if n == 2 and list(known) == list(arms.trial)
                else None
            )
            return favoured or Pairing(list(known), guessed=not respectively)
        if n == 2 and (first := _favoured_before_median(sent, values[0][0])) is not None:
            return [first, None]  # the other of the comparison is not named
    if n >= 2 and out[0] is None and all(o is not None for o in out[1:]):
        # 'Patients receiving maintenance had a median OS of 48 months compared with 32 months for observation'
        out[0] = (
            _group_before(sent, cue_end, values[0][0])
            # ('Patients with X had a median survival of 32 months as compared with 22 months of Y, and 6.5
            # months with Z': every other value has its group, the subject is the first's)
            or subject_of(sent, values[0][0])
            or _opening_group(doc, sent, values[0][0])
        )
    if n == 2 and (out[0] is None) != (out[1] is None):
        given = out[0] or out[1]
        other = arms.other(given) if given is not None else None
        if other is not None:
            out = [out[0] or other, out[1] or other]
    if respectively and any(o is None for o in out):
        if _shared_after_respectively(sent, values, out[-1]):
            return [out[-1]] * n
        # 'x and y months for patients aged 60-64 and 65-69 years, respectively' where the list could not be
        # split: the one phrase found names a part of the list, not the value it is printed after
        return [None] * n
    return out


# The groups after values set against each other, named in their order: 'for A vs B', 'in the A versus the B arm'.
_VERSUS_AFTER = re.compile(
    r"(?:\s+(?:vs\.?|versus|v\.?)\s+(?:the\s+)?[A-Za-z0-9][^,;()]*?){1,3}"
    r"(?=\s*(?:[,;()]|\.(?:\s|$)|$)|\s+(?:respectively|was|were|had|and|but|whereas|while)\b)",
    re.IGNORECASE,
)


def _versus_after(sent: Sentence, group: Group) -> Group | None:
    """A group read after the last value that goes on 'vs B': the whole list 'A vs B', to split."""
    m = _VERSUS_AFTER.match(sent.text, group.end - sent.start)
    if m is None:
        return None
    return Group(sent.slice(group.start, sent.start + m.end()), group.start, sent.start + m.end())


def _in_the_order_named(sent: Sentence, arms: list[Group], first_value: int) -> list[Group]:
    """The two arms in the order the sentence names them before its values ('for A/C versus B/C in patients
    with X (n = 847; 12.6 v 10.9 months, respectively)' in a trial that named B first): each arm by a word
    of its name the other's lacks."""
    before = sent.slice(sent.start, first_value).lower()
    words = [set(re.findall(r"[a-z0-9][a-z0-9\-]+", a.label.lower())) for a in arms]
    at: list[int] = []
    for own, other in ((words[0], words[1]), (words[1], words[0])):
        found = [
            m.start()
            for w in own - other - {"plus", "and", "with", "alone", "the", "arm", "group"}
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", before)
        ]
        if not found:
            return arms
        at.append(min(found))
    return arms if at[0] <= at[1] else [arms[1], arms[0]]


def _lists_of_lists(
    doc: Document, sent: Sentence, values: list[tuple[int, int]]
) -> list[Group | None] | None:
    """'18% and 5% in the A and B groups, respectively, and that in X was 35% and 12% in the A and B groups,
    respectively'; '10% versus 6% for the 0 and 16 Gy groups and 18% versus 11% for the 10 and 26 Gy groups':
    lists one after another, each closed by the list of its groups. Every value must fall in one, and every
    list must split into as many groups as it has values."""
    out: list[Group | None] = []
    first = 0
    for i, (_, end) in enumerate(values):
        closing = group_after(sent, end) or list_after(sent, end)
        if closing is None:
            continue
        size = i - first + 1
        split = split_group(doc.text, closing, size) if size >= 2 else None
        if split is None:
            return None
        out.extend(share_head(list(split)))
        first = i + 1
    return out if first == len(values) else None


def _shared_after_respectively(
    sent: Sentence, values: list[tuple[int, int]], group: Group | None
) -> bool:
    """'8%, 15% and 21% at 1, 2 and 3 years, respectively, in the high-dose group': the one 'respectively' of
    the sentence paired the values with something printed before (years); the group after it is every
    value's (not where the sentence has another 'respectively' list: each list has its own group)."""
    return (
        group is not None
        and len(re.findall(r"\brespectively\b", sent.text, re.I)) == 1
        and bool(re.search(r"\brespectively\b", sent.slice(values[-1][1], group.start), re.I))
    )


def _each_bracketed_after_its_group(
    sent: Sentence, values: list[tuple[int, int]]
) -> list[Group | None] | None:
    """Every value alone in a bracket right after a group's name ('A (14.8%) ... B (7.7%)'): those names,
    different from each other, whatever a 'respectively' after them seems to say."""
    found: list[Group | None] = []
    for i, (start, _) in enumerate(values):
        before = sent.slice(max(sent.start, start - 3), start)
        if not re.search(r"[(\[]\s*$", before):
            return None
        close = sent.text.find(")", start - sent.start)
        if any(v[0] < sent.start + close for v in values[i + 1 :]) and close >= 0:
            return None  # another value in the same bracket
        group = group_paren_before(sent, start)
        if group is None:
            return None
        found.append(group)
    labels = {g.label.lower() for g in found if g is not None}
    return found if len(labels) == len(found) else None


_WITH_TRAIT = re.compile(
    rf"(?P<people>(?:the\s+)?(?:{_PEOPLE_NOUN}))\s+with\s+"
    r"(?P<trait>.+)",
    re.IGNORECASE,
)


# 'The CR rate among patients with secondary AML was lower (18% vs 44%)': the people a measure is given for,
# set against the others by a comparative.
_MEASURED_AMONG = re.compile(
    r"\b(?:rates?|survival|OS|incidence)\s+(?:among|in|for|of)\s+"
    rf"(?P<g>(?:the\s+)?(?:{_PEOPLE_NOUN})\s+with\s+[^,;()]{{2,60}}?)\s+(?:was|were)\s+"
    rf"(?:significantly\s+|markedly\s+|much\s+)?(?:{_COMPARATIVE})"
    r"\s*\($",
    re.IGNORECASE,
)


def _measured_among(sent: Sentence, start: int) -> Group | None:
    m = _MEASURED_AMONG.search(sent.slice(sent.start, start))
    if m is None:
        return None
    return Group(m.group("g"), sent.start + m.start("g"), sent.start + m.end("g"))


def _subject_and_the_rest(
    sent: Sentence, values: list[tuple[int, int]]
) -> list[Group | None] | None:
    """'Patients with elevated endoglin had decreased overall survival (median 645 vs. 947 days)': two values
    set against each other, of the subject and of the patients without its trait (by convention: flagged)."""
    if not VERSUS.search(sent.slice(values[0][1], values[1][0])):
        return None
    subject = subject_of(sent, values[0][0]) or _measured_among(sent, values[0][0])
    trait = _WITH_TRAIT.fullmatch(subject.label) if subject is not None else None
    if (
        subject is None
        or trait is None
        or re.search(r"\b(?:and|or|without)\b", trait.group("trait"))
    ):
        return None
    rest = f"{trait.group('people')} without {trait.group('trait')}"
    return [subject, Group(rest, subject.start, subject.end)]


_OR_NOT = re.compile(
    r"\s*(?:vs\.?|versus|or)\s+not\b(?!\s+(?:reached|estimable|evaluable))", re.IGNORECASE
)


def _group_or_not(sent: Sentence, values: list[tuple[int, int]]) -> list[Group | None] | None:
    """'13.6 vs 7.9 months for patients achieving CR/CRi vs not': the group, and the patients it is not."""
    if not VALUE_LIST_JOIN.fullmatch(sent.slice(values[0][1], values[1][0])):
        return None
    named = group_after(sent, values[1][1])
    if named is None or not _OR_NOT.match(sent.text, named.end - sent.start):
        return None
    doing = re.match(
        r"(?P<who>(?:the\s+)?(?:patients|those|participants|subjects|cases))\s+(?P<what>.+)",
        named.label,
        re.IGNORECASE,
    )
    other = f"{doing.group('who')} not {doing.group('what')}" if doing else f"not {named.label}"
    return [named, Group(other, named.start, named.end)]


# 'lower in A than the control group (37% vs 77%)': the group before the bracket is the comparison's second.
_AFTER_THAN = re.compile(
    r"\b(?:than|as\s+(?:much|high|low|great|often|long|many)\s+as)\b[^()]*\(\s*$", re.IGNORECASE
)


def _second_of_a_bracketed_pair(sent: Sentence, start: int, end: int) -> bool:
    """'lower in A than the control group (37% vs. 77%)': the group before a bracket of two values set against
    each other, after 'than', is the second's (but in 'than those given B (15.7%)' it is the value's own)."""
    if not _AFTER_THAN.search(sent.slice(max(sent.start, start - 80), start)):
        return False
    close = sent.text.find(")", end - sent.start)
    return bool(VERSUS.search(sent.text[end - sent.start : close if close >= 0 else None]))


_PAIR_NAMED = re.compile(
    r"(?P<a>[A-Za-z][\w\-+/]*(?:\s+[\w\-+/]+){0,3}?)\s+(?:vs\.?|versus)\s+"
    r"(?P<b>[A-Za-z][\w\-+/]*(?:\s+[\w\-+/]+){0,3}?)\s*(?=[):,;]|\s+(?:was|were)\b)",
    re.IGNORECASE,
)


def _named_pair_before(
    doc: Document, sent: Sentence, values: list[tuple[int, int]], arms: Arms
) -> list[Group | None] | None:
    """'Median OS (A vs B) was 10.4 vs 11.2 months', 'CR rate, A vs B: 18% vs 21%': the trial's two arms,
    named in the order of the values set against each other after them."""
    if len(arms.trial) != 2 or not VERSUS.search(sent.slice(values[0][1], values[1][0])):
        return None
    found = None
    for m in _PAIR_NAMED.finditer(sent.text, 0, values[0][0] - sent.start):
        found = m
    if found is None:
        return None
    out: list[Group | None] = []
    for key in ("a", "b"):
        name = found.group(key).strip()
        meant = (doc.abbreviations.get(name) or "").lower()
        hits = [
            a
            for a in arms.trial
            if name.lower() in a.label.lower() or meant and meant == a.label.lower()
        ]
        if len(hits) != 1:
            return None
        out.append(Group(name, sent.start + found.start(key), sent.start + found.end(key)))
    return (
        out if out[0] is not None and out[1] is not None and out[0].label != out[1].label else None
    )


def _alone_in_bracket(sent: Sentence, values: list[tuple[int, int]], i: int) -> bool:
    """No next value inside the bracket this one opens: 'in breast and axilla (21, 17 and 19%)' names what was
    measured for every value of the bracket, not the first value's group."""
    if i + 1 >= len(values):
        return True
    close = sent.text.find(")", values[i][0] - sent.start)
    inside = [v for v in values[i:] if close < 0 or v[0] < sent.start + close]
    if len(inside) == 1:
        return True
    # 'longer in the EoP arm (14 vs 9.5 months)': two values set against each other, the named first
    return len(inside) == 2 and bool(VERSUS.search(sent.slice(inside[0][1], inside[1][0])))


def _named_before(doc: Document, sent: Sentence, start: int) -> Group | None:
    """'(DRd 39.2%; VRd-lite 30.8%)', ': DRd 28.5%, VRd-lite 39.0%': a value right after the name of a
    regimen or of an abbreviation the abstract defined, printed as an item of a list."""
    m = _NAME_BEFORE.search(sent.slice(max(sent.start, start - 30), start))
    if m is None:
        return None
    a = max(sent.start, start - 30) + m.start("label")
    b = a + len(m.group("label"))
    named = m.group("label") in doc.abbreviations or any(
        r.start < b and a < r.end for r in sent.regimens
    )
    if not named or any(c.start < b and a < c.end for c in sent.cues):
        return None  # ('CR 30%': a measure's name)
    return Group(m.group("label"), a, b)


_NAME_BEFORE = re.compile(r"(?:^|[(;:,]\s*)(?P<label>[A-Za-z][\w\-+/]{1,24})\s+$")


def _clause_group(sent: Sentence, prev_end: int, start: int) -> Group | None:
    """'In X, median OS was 13.9 months, and in those with Y it was 10.2 months': a value of a clause of its
    own, whose group opens that clause."""
    if not _NEW_CLAUSE.match(sent.slice(prev_end, start)):
        return None
    return _group_before(sent, prev_end, start)


_NEW_CLAUSE = re.compile(
    r"[\s)]*(?:,\s*|;\s*)(?:and|while|whereas|but)?\s*(?:(?:that|those)\s+(?:of|in|for|among)|in|among|for)\b",
    re.I,
)


_BRACKET_LIST = re.compile(
    r"\s*(?:%|months?|mo\.?|years?|weeks?|days?)?\s*,?\s*(?:respectively\s*,?\s*)?[(\[]\s*"
    r"(?:for\s+|in\s+|with\s+)?(?P<list>[A-Za-z][^()\[\]\d%=]{1,80}?\s+(?:vs\.?|versus|v\.?|and)\s+"
    r"[^()\[\]\d%=]{1,60}?)\s*(?:,\s*respectively\s*)?[)\]]",
    re.IGNORECASE,
)


def _bracket_list_after(sent: Sentence, pos: int) -> Group | None:
    """'61% vs 38% (R-DA-EPOCH vs R-CHOP)': the groups, listed in a bracket right after the values."""
    m = _BRACKET_LIST.match(sent.text, pos - sent.start)
    if m is None:
        return None
    return Group(m.group("list"), sent.start + m.start("list"), sent.start + m.end("list"))


# '(CRS + H, 14.9 [97.2% CI, 8.7 to 17.7] months; CRS-A, 14.9 [...] months)', '(A, 24%; B, 15%)': each value
# after its label, the items of one bracket.
_LABELLED_BEFORE = re.compile(
    r"[(;]\s*(?P<label>[A-Za-z][^,;:()\[\]%\d]{0,30}?(?:\s*\+\s*[A-Za-z][\w\-]*)?)\s*,\s*$"
)


_NOT_A_LABEL = re.compile(
    r"(?:median|mean|range|n|p|hr|or|ci|95|mo|overall|of\s+(?:these|them|whom)|in\s+contrast|"
    r"in\s+addition|in\s+total|in\s+summary|by\s+contrast|thus|therefore|then|finally|"
    r"also|moreover|furthermore|additionally|similarly|conversely|importantly|however|"
    r"[a-z]+ly)\b|(?:among|in|of)\s+(?:these|them|those)$",
    re.IGNORECASE,
)


def _labelled_before(sent: Sentence, start: int) -> Group | None:
    m = _LABELLED_BEFORE.search(sent.slice(max(sent.start, start - 45), start))
    if m is None or _NOT_A_LABEL.match(m.group("label").strip()):
        return None  # not '...; however, 25% relapsed', '; of these, 10 (25%) relapsed'
    base = max(sent.start, start - 45)
    a, b = base + m.start("label"), base + m.end("label")
    if any(
        c.start < b and a < c.end
        for c in sent.cues
        if c.label not in ("POPULATION", "TREATED", "SUBSET")
    ):
        return None  # '(OS, 15.4 v 12.7 months)': the measure's name, not a label
    return Group(m.group("label").strip(), a, b)


# 'between the arms: arm A: 15.8 versus arm B: 17.9 months': each value after its arm's name and a colon.
_ARM_COLON = re.compile(
    r"(?:^|[:(;,]\s*|\b(?:versus|vs\.?|and)\s+)(?P<label>(?:arm|group|cohort)\s+(?:[A-D]|\d{1,2}|I{1,3}|IV))"
    r"\s*:\s*$",
    re.IGNORECASE,
)


def _arm_with_colon_before(sent: Sentence, start: int) -> Group | None:
    base = max(sent.start, start - 30)
    m = _ARM_COLON.search(sent.slice(base, start))
    if m is None:
        return None
    return Group(m.group("label"), base + m.start("label"), base + m.end("label"))


_COMPARED_TO = re.compile(
    r"^\s*(?:months?|mo\.?|years?|weeks?|days?|%)?\s*(?:\([^()]*\)\s*)?,?\s*(?:when\s+)?"
    r"(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?:the\s+|those\s+)?(?P<g>(?:patients|those|participants)"
    r"\s+[^()]{3,90}?)\s*(?:\([^()]*\)\s*)?(?:of|was|were|:|,)?\s*$",
    re.IGNORECASE,
)


def _compared_group(sent: Sentence, end: int, start: int) -> Group | None:
    """The group named between two compared values: '..., compared with patients with a normal level (...) of'."""
    m = _COMPARED_TO.match(sent.slice(end, start))
    if m is None:
        return None
    label = clean(m.group("g"))
    return Group(label, end + m.start("g"), end + m.end("g")) if label else None


def _bracketed_with_head(
    sent: Sentence, values: list[tuple[int, int]]
) -> tuple[Group, Group] | None:
    """'between younger (66%) and older (59%) patients': two values, each in a bracket after its group's word,
    the noun they share printed after the second."""
    base = max(sent.start, values[0][0] - 50)
    trait = _WITH_WITHOUT_BRACKETED.search(sent.slice(base, sent.end))
    if trait is not None and (
        base + trait.start("v1") <= values[0][0] < base + trait.end("v1")
        and base + trait.start("v2") <= values[1][0] < base + trait.end("v2")
    ):  # 'between patients with (41%) and without (44%) prior HSCT'
        people, what = trait.group("people"), trait.group("trait")
        return (
            Group(
                f"{people} {trait.group('a')} {what}",
                base + trait.start("a"),
                base + trait.end("trait"),
            ),
            Group(
                f"{people} {trait.group('b')} {what}",
                base + trait.start("b"),
                base + trait.end("trait"),
            ),
        )
    m = _HEADED.search(sent.slice(base, sent.end))
    if m is None:
        return None
    if not (
        base + m.start("v1") <= values[0][0] < base + m.end("v1")
        and base + m.start("v2") <= values[1][0] < base + m.end("v2")
    ):
        return None
    head = m.group("head")
    a, b = m.group("a"), m.group("b")
    return (
        Group(f"{a} {head}", base + m.start("a"), base + m.end("a")),
        Group(f"{b} {head}", base + m.start("b"), base + m.end("b")),
    )


_WITH_WITHOUT_BRACKETED = re.compile(
    rf"\b(?P<people>{_PEOPLE_NOUN})\s+(?P<a>with|without)\s*\((?P<v1>[^()]{{1,40}})\)\s*"
    r"(?:and|vs\.?|versus|or|than)\s+(?:those\s+|patients\s+)?(?P<b>with|without)\s*\((?P<v2>[^()]{1,40})\)\s+"
    r"(?P<trait>[^,;.()]{2,60}?)(?=\s*(?:[,;.()]|$|\b(?:was|were|and|but|who)\b))",
    re.IGNORECASE,
)
_HEADED = re.compile(
    r"\b(?:between|in|for|among)\s+(?:the\s+)?(?P<a>[A-Za-z][\w\-+/]*)\s*\((?P<v1>[^()]{1,40})\)\s*"
    r"(?:and|vs\.?|versus|than(?:\s+(?:in|for|among))?)\s+(?:the\s+)?(?P<b>[A-Za-z][\w\-+/]*)\s*\((?P<v2>[^()]{1,40})\)\s+"
    r"(?P<head>patients|participants|subjects|cohorts|groups|arms|cases|women|men|adults|children)\b",
    re.IGNORECASE,
)


def _bracket_label(sent: Sentence, end: int) -> Group | None:
    """A group named in a bracket right after the value: '61% (R-CHOP) and 58% (R-CHOEP)', '21% (arm A)'. Only
    a regimen the lexicon knows or an arm, cohort or group by name: not '(n = 18)', '(P = .02)', '(CR)'."""
    m = _BRACKET_LABEL.match(sent.text, end - sent.start)
    if m is None:
        return None
    a, b = sent.start + m.start("label"), sent.start + m.end("label")
    label = m.group("label")
    regimen = any(r.start <= a + 1 and r.end >= b - 1 for r in sent.regimens)
    if not (regimen or _NAMED_ARM.fullmatch(label)):
        return None
    return Group(label, a, b)


def _every_value_bracketed(sent: Sentence, values: list[tuple[int, int]]) -> list[Group] | None:
    """'30.1 months (favorable), 15.2 months (intermediate) and 8.0 months (adverse)': every value of a list
    followed by a short name in brackets, the list's layout: the names are the groups (any words, not only
    regimens and arms, but no statistic and no measure)."""
    out = []
    for _, end in values:
        m = _BRACKET_LABEL.match(sent.text, end - sent.start)
        if m is None:
            return None
        a, b = sent.start + m.start("label"), sent.start + m.end("label")
        label = m.group("label")
        if (
            len(label.split())
            > 5  # ('6 months (Grade 2 and 4 tumors) and 9 months (Grade 3 tumors)')
            or re.match(STATISTIC, label, re.I)
            or re.search(r"\b(?:vs|versus|respectively|months?|years?|weeks?|days?)\b", label, re.I)
            or any(c.start < b and a < c.end and c.label in _MEASURE_NAMES for c in sent.cues)
        ):
            return None
        out.append(Group(label, a, b))
    return out


# Cues naming what a value measures ('(CR)', '(OS)'): no group names ('(adverse)' is a risk group).
_MEASURE_NAMES = frozenset(
    {
        "OS",
        "OTHER_SURVIVAL",
        "CR",
        "CR_PR",
        "CR_OTHER",
        "PR",
        "ORR",
        "RELAPSE",
        "CUM_INC",
        "FOLLOW_UP",
        "EFFECT",
    }
)
# ('37.7 months (gemcitabine; HR, 0.82)': the group first in a bracket that goes on with statistics)
_BRACKET_LABEL = re.compile(
    r"\s*[(\[]\s*(?P<label>[A-Za-z][^()\[\];,=<>%]{0,40}?)\s*(?:[)\]]|;(?=[^()]*[)\]]))"
)
_NAMED_ARM = re.compile(
    r"(?:the\s+)?(?:(?:arm|group|cohort)\s+(?:[A-Z]|\d{1,2}|I{1,3}|IV)|[\w\-+/]+(?:\s+[\w\-+/]+)?\s+"
    r"(?:arm|group|cohort))",
    re.IGNORECASE,
)


def _usable(group: Group | None) -> Group | None:
    """A group phrase read after a value, unless it is no population ('with a hazard ratio of 0.59')."""
    from evidence_tables.extractor.population.labels import read_label  # noqa: PLC0415  (labels imports groups)

    return None if group is None or read_label(group).reading == "junk" else group


def _groups_of_other_values(
    sent: Sentence, values: list[tuple[int, int]]
) -> Sequence[Group | None] | None:
    """'After a follow-up of 34 months for the VEN and 21 months for the TPC cohort, median OS was 15.8 and
    10.5 months, respectively': as many groups as values, each printed after another value of the sentence."""
    taken = {start for start, _ in values}
    found: list[Group] = []
    for number in sent.numbers:
        if number.start in taken or number.start >= values[0][0]:
            continue
        unit = re.match(
            r"\s*(?:%|months?|mo\b|years?|weeks?|days?)", sent.text[number.end - sent.start :], re.I
        )
        g = _usable(group_after(sent, number.end + (unit.end() if unit else 0)))
        if g is not None and g.label.lower() not in {f.label.lower() for f in found}:
            found.append(g)
    if (
        len(found) == 1 and len(values) > 1
    ):  # 'Median PFS was 11.2 and 4.9 months for LD and ED, respectively, and ...'
        return split_group(sent.text if sent.start == 0 else _text_of(sent), found[0], len(values))
    if len(found) != len(values):
        return None
    tail = _TRAIL_WORDS.sub("", found[-1].label)
    if (
        tail != found[-1].label
    ):  # 'for the VEN and ... for the TPC cohort': the shared noun is the last one's
        found[-1] = Group(tail, found[-1].start, found[-1].end)
    return list(found)


def _text_of(sent: Sentence) -> str:
    """A text in which the sentence's offsets hold (split_group finds each name by offset)."""
    return " " * sent.start + sent.text


_TRAIL_WORDS = re.compile(r"\s+(?:arm|group|cohort)$", re.IGNORECASE)


def _apart(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """The first value stands apart before a list of the others: '44% overall, and in 55%, 40% and 32% ...'."""
    return bool(
        re.search(r"\b(?:and|whereas|while|but)\b", sent.slice(values[0][1], values[1][0]))
        and re.match(r"^\s*,", sent.slice(values[1][1], values[2][0]))
    )


_VS = re.compile(
    r"^\s*(?:months?|mo\.?|years?|weeks?|days?|%)?\s*(?:vs\.?|versus|v\.?)\s*$", re.IGNORECASE
)


# 'OS was longer in arm B (median 18.2 vs 11.4 months)', 'OS favoured arm B (...)': the arm a comparison names.
_FAVOURED = re.compile(
    r"\b(?:longer|shorter|better|worse|improved|superior|inferior|prolonged|higher|lower|greater|"
    r"favou?r(?:ed|ing|s)?)\s+(?:(?:in|with|for|among|on)\s+)?(?:the\s+)?(?P<g>[^,;:()]{2,60}?)\s*(?:[(,;:]|$)",
    re.IGNORECASE,
)


# 'The ASCT group showed a lower relapse rate (58% vs 70%)': the arm the clause is about has the first value.
_ARM_SUBJECT = re.compile(
    r"^\W*(?:the\s+)?(?P<g>[^,;()]{1,40}?)\s+(?:arm|group|cohort)\s+(?:had|has|have|showed|achieved|"
    r"experienced|reached|attained|obtained|was\s+associated\s+with)\b",
    re.IGNORECASE,
)


# 'Gilteritinib also produced a higher CR/CRh rate: 34.0% compared with 15.3%': a subject that names one arm.
_NAMED_SUBJECT = re.compile(
    # ('Compared with azacitidine, decitabine improved median OS (11.2 vs 10.4 months)': the subject first;
    # 'In this final analysis, SG (n = 267) improved median OS (OS; 11.8 v 6.9 months)')
    r"^\W*(?:in\s+(?:this|the)\s+(?:[\w\-]+\s+){0,3}analysis\s*,\s*)?(?:the\s+)?"
    # (not 'The addition of IFN to 5-FU improved ...': the combination, named by what it adds)
    r"(?!(?:addition|adding|use|combination)\b)(?P<g>[^,;()]{1,40}?)\s+"
    r"(?:\([^()]*\)\s+)?(?:also\s+)?(?:produced|resulted\s+in|led\s+to|"
    r"yielded|induced|had|showed|achieved|was\s+associated\s+with|improved|prolonged)\b",
    re.IGNORECASE,
)
_COMPARED_SUBJECT = re.compile(
    r"^\W*(?:as\s+)?compared\s+(?:with|to)\s+[^,;()]{1,40},\s*(?:the\s+)?(?P<g>[^,;()]{1,40}?)\s+"
    r"(?:also\s+|significantly\s+)?(?:produced|resulted\s+in|led\s+to|yielded|induced|had|showed|achieved|"
    r"improved|prolonged|increased|extended)\b",
    re.IGNORECASE,
)


def _favoured_first(
    doc: Document, sent: Sentence, cue_end: int, value_start: int, arms: Arms
) -> list[Group | None] | None:
    """The two arms, the one a comparison before the values names first: its value is printed first
    ('longer in arm B (median 18.2 vs 11.4 months)' is arm B's 18.2), whatever order the trial named them in.
    The arm is named as the trial names it, or by its name where the trial printed what it is ('weekly
    docetaxel (arm A)')."""
    if len(arms.trial) != 2:
        return None
    m = (
        _FAVOURED.search(sent.slice(cue_end, value_start))
        or _ARM_SUBJECT.match(sent.slice(sent.start, value_start))
        or _NAMED_SUBJECT.match(sent.slice(sent.start, value_start))
        or _COMPARED_SUBJECT.match(sent.slice(sent.start, value_start))
    )
    if m is None or _against_the_direction(sent, value_start):
        return None
    named = _TRAIL_WORDS.sub("", m.group("g").strip()).lower()  # 'the drug B group': drug B
    meant = (doc.abbreviations.get(m.group("g").strip()) or "").lower()
    hits = [a for a in arms.trial if named in a.label.lower() or meant and a.label.lower() == meant]
    if len(hits) == 1:
        return [hits[0], next(a for a in arms.trial if a is not hits[0])]
    other = arms.other(Group(m.group("g"), 0, 0))
    return None if other is None else [next(a for a in arms.trial if a is not other), other]


_MORE = re.compile(
    r"\b(?:higher|longer|improved|better|greater|increased|prolonged|superior)\b", re.IGNORECASE
)
_LESS = re.compile(r"\b(?:lower|shorter|worse|reduced|inferior|poorer)\b", re.IGNORECASE)


def _against_the_direction(sent: Sentence, value_start: int) -> bool:
    """'the weekly schedule achieved higher pCR (41% vs. 69%)': the first value is not the larger the words
    say the favoured arm had; the text contradicts itself, and no order is taken from it."""
    before = sent.slice(max(sent.start, value_start - 120), value_start)
    more, less = _MORE.search(before), _LESS.search(before)
    if bool(more) == bool(less):
        return False
    # (the values: not a count in a bracket after the first, '48% (n = 70) versus 30%')
    numbers = [n.value for n in sent.numbers if n.start >= value_start and _is_value(sent, n)][:2]
    if len(numbers) < 2 or numbers[0] == numbers[1]:
        return False
    first, second = numbers
    return (first < second) if more else (first > second)


def _vs_pairs(
    doc: Document, sent: Sentence, values: list[tuple[int, int]], cue_end: int, arms: Arms
) -> Sequence[Group | None] | Pairing | None:
    """'A versus B were 17% versus 13% in P1, 16% versus 13% in P2': each pair gets A and B, plus its population."""
    n = len(values)
    if n < 2 or n % 2:
        return None
    pairs = [(values[i], values[i + 1]) for i in range(0, n, 2)]
    if not all(_VS.match(sent.slice(a[1], b[0])) for a, b in pairs):
        return None
    if n == 2:
        population = group_after(sent, values[1][1])
        if (
            population is None
            or len(arms.trial) != 2
            or group_after(sent, values[0][1]) is not None
            or any(_shares_words(population.label, a.label) for a in arms.trial)
            # '12.4% versus 13.8% in the control group': the second value's arm, not both arms' subgroup
            or re.search(r"\b(?:arms?|groups?)\b", population.label, re.IGNORECASE)
            or _versus_after(sent, population) is not None  # '... in A versus B': the two groups
        ):
            return None
    before = _group_before(sent, cue_end, values[0][0], allow_list=True)
    two = split_group(doc.text, before, 2) if before else None
    two = two or (
        _in_the_order_named(sent, list(arms.trial), values[0][0]) if len(arms.trial) == 2 else None
    )
    # (else the two groups a list named just before: 'in the standard and intensive groups, respectively,
    # with a relapse rate of 86% vs 62% at 2 years, and 100% vs 81% at 5 years', in that order, unsaid)
    listed = None if two or n < 4 else arms.for_sentence(sent.index, 2)
    two = two or listed
    if not two:
        return None
    out: list[Group | None] = []
    for k, ((start, _), (_, end)) in enumerate(pairs):
        population = (
            group_after(sent, end)
            or (_bracket_owner(sent, start, first=k == 0) if n >= 4 else None)
            # 'in patients with X (n = 847; 12.6 v 10.9 months, respectively)': the people of the bracket
            or (_people_of_bracket(sent, start, two) if n >= 4 else None)
        )
        for arm in two:
            label = f"{arm.label}, {population.label}" if population else arm.label
            out.append(Group(label, arm.start, arm.end))
    return Pairing(out, guessed=True) if listed else out


def _people_of_bracket(sent: Sentence, start: int, arms: Sequence[Group]) -> Group | None:
    """'in patients with X (n = 847; 12.6 v 10.9 months, respectively)': the people named right before the
    bracket a pair of the arms' values is in (not an arm's own name: '... versus B (23.6 v 19.2 months)')."""
    group = _usable(group_paren_before(sent, start))
    if group is None or any(_shares_words(group.label, a.label) for a in arms):
        return None
    # people, not a site ('pCR in primary tumor (18% vs 6%, respectively)')
    named = sent.slice(max(sent.start, group.start - 25), group.end)
    return group if _PEOPLE_OR_TRAIT.search(named) else None


_PEOPLE_OR_TRAIT = re.compile(
    rf"\b(?:{_PEOPLE_NOUN}|histolog\w*|subtypes?|mutat\w+|positive|negative|stage|risk|\w*carcinomas?)\b",
    re.IGNORECASE,
)


_THAN_OWNER = re.compile(
    r"\bthan\s+(?:in\s+)?(?P<g>(?:those|patients)\s+(?:with|without|in|who)\s+[^,;()]{1,50}?)\s*\([^()]*$",
    re.IGNORECASE,
)


def _bracket_owner(sent: Sentence, start: int, *, first: bool) -> Group | None:
    """'Patients with Del19 had better OS (45.3 vs 33.3 months, respectively) than those with L858R (31.4 vs
    28.9 months, respectively)': the people whose pair of arms' values a bracket holds (the sentence's subject
    for the first bracket, the people after 'than' for the next)."""
    if first:
        than = re.search(
            r"\bthan\s+(?:in\s+)?(?:those|patients)\s+(?:with|without|in|who)\b", sent.text
        )
        return subject_of(sent, start) if than else None
    m = _THAN_OWNER.search(sent.slice(max(sent.start, start - 80), start))
    if m is None:
        return None
    g0 = max(sent.start, start - 80) + m.start("g")
    return Group(m.group("g"), g0, g0 + len(m.group("g")))


_OPENING = re.compile(
    r"^\W*(?:among|in|for)\s+(?:the\s+|all\s+|these\s+)?(?:(?P<n>\d[\d,]*)\s+)?(?P<g>[^,;:()]{3,80}?)"
    r"\s*(?:\([^()]*\))?,\s+",
    re.IGNORECASE,
)
_OPENING_POPULATION = re.compile(
    r"\b(?:patients|participants|subjects|those|responders|women|men|children|adults|"
    r"subgroup|cohort|cases)\b",
    re.IGNORECASE,
)
_NOT_OPENING = re.compile(
    r"\b(?:analys[ie]s|study|trial|total|overall|addition|contrast|summary|conclusion|"
    r"multivariate|multivariable|univariate|comparison|practice|particular|general)\b",
    re.IGNORECASE,
)


def _within(arms: list[Group], population: Group | None) -> list[Group | None]:
    """Arms of the study, inside the population a sentence opens with: 'carboplatin arm, triple-negative subgroup'."""
    from evidence_tables.extractor.population.labels import names_whole_cohort  # noqa: PLC0415

    if population is None or names_whole_cohort(population.label):
        return list(arms)
    return [Group(f"{a.label}, {population.label}", a.start, a.end) for a in arms]


def _opening_group(doc: Document, sent: Sentence, value_start: int) -> Group | None:
    """'Among patients with TP53 mutations, the median OS was 5.3 months': the population the sentence opens with
    (not 'Among 64 patients with R/R AML,' in a study of those 64: everyone)."""
    skip = lead.end() if (lead := _ADVERBIAL.match(sent.text)) else 0  # 'In contrast, in X, ...'
    m = _OPENING.match(sent.text[skip:])
    if not m or sent.start + skip + m.end() > value_start:
        return None
    if m.group("n") and parse_digits(m.group("n")) in study_counts(doc.text):
        return None
    phrase = m.group("g")
    if not _OPENING_POPULATION.search(phrase) or _NOT_OPENING.search(phrase):
        return None
    label = clean(phrase)
    if not label:
        return None
    return Group(label, sent.start + skip + m.start("g"), sent.start + skip + m.end("g"))


_PREFIX = re.compile(
    r"^\W*(?:with|for|in|among|after)\s+(?:the\s+)?(?P<list>[^;:]+),\s+(?=\S)", re.IGNORECASE
)


def _comparing(sent: Sentence, cue_end: int) -> tuple[Group, Group] | None:
    """'When comparing placebo with marimastat, ... (median, 26.6 months v 24.7 months, respectively)'."""
    m = _COMPARING.match(sent.slice(sent.start, cue_end))
    if m is None:
        return None
    a, b = clean(m.group("a")), clean(m.group("b"))
    if not a or not b or re.search(r"\b(?:older|younger|more|less|greater|fewer)$", a, re.I):
        return None  # ('in patients older and younger than 65 years': an age, not two groups)
    return (
        Group(a, sent.start + m.start("a"), sent.start + m.end("a")),
        Group(b, sent.start + m.start("b"), sent.start + m.end("b")),
    )


_COMPARING = re.compile(
    r"^\W*(?:when\s+|in\s+)?compar(?:ing|ed|ison\s+of)\s+(?:the\s+)?(?P<a>[^,;:()]{2,60}?)\s+"
    r"(?:with|to|and|versus|vs\.?)\s+(?:the\s+)?(?P<b>[^,;:()]{2,60}?)\s*,",
    re.IGNORECASE,
)


def _prefix_list(sent: Sentence, cue_end: int) -> Group | None:
    """'With epcoritamab, glofitamab and mosunetuzumab, median OS was ...': groups opening the sentence."""
    m = _PREFIX.match(sent.slice(sent.start, cue_end))
    if not m or not re.search(r"\b(?:and|or|vs\.?|versus)\b", m.group("list")):
        return None
    if re.search(r"\d[\d.]*\s*(?:%|months?|years?|weeks?|days?)\b|\bfollow", m.group("list"), re.I):
        return None  # 'After a median follow-up of 34 months for A and 21 months for B,': values, not a list of groups
    return Group(m.group("list"), sent.start + m.start("list"), sent.start + m.end("list"))


def _shares_words(a: str, b: str) -> bool:
    stop = {"the", "arm", "group", "patients", "in", "with", "of", "and", "plus"}
    return bool(
        (set(re.findall(r"[a-z0-9+\-/]+", a.lower())) - stop)
        & (set(re.findall(r"[a-z0-9+\-/]+", b.lower())) - stop)
    )


def _in_one_bracket(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """Every value inside one bracket: '(n = 812; 12.4 v 10.8 months, respectively)'."""
    before = sent.slice(max(sent.start, values[0][0] - 40), values[0][0])
    opened = before.rfind("(")
    return (
        opened >= 0
        and ")" not in before[opened:]
        and ")" not in sent.slice(values[0][0], values[-1][0])
    )


def _same_bracket(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """'(25% vs 50%)': two values inside one bracket."""
    before = sent.slice(max(sent.start, values[0][0] - 3), values[0][0])
    return "(" in before and bool(_VS.match(sent.slice(values[0][1], values[1][0])))


def _respectively_after(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """'respectively' printed after the last value with no other number in between (so it is this list's)."""
    m = re.search(r"\brespectively\b", sent.text[values[-1][1] - sent.start :], re.I)
    if not m:
        return False
    # numbers in a bracket after the last value (its CI, a P value) are not another list's values
    between = sent.slice(values[-1][1], values[-1][1] + m.start())
    between = re.sub(r"^[^()\[\]]*?[)\]]", "", between)  # the rest of the last value's own bracket
    between = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|\b[Pp]\s*[=<>\u2264\u2265]\s*[\d.]+", "", between)
    # numbers in the groups' own words are no values: 'for patients aged 60-64 and 65-69 years', 'ELN 2017'
    return not any(_VALUE_IN_TEXT.finditer(between))


# A value printed in running text: a percent or a time, but not a band of ages ('65-69 years').
_VALUE_IN_TEXT = re.compile(
    r"(?<![\d.\-\u2013])(?!(?:1[5-9]|[2-9]\d|1[01]\d)\s*[-\u2013]\s*\d+\s*(?:years?|y)\b)"
    r"\d[\d.,]*(?:\s*[-\u2013]\s*\d[\d.,]*)?\s*(?:%|percent\b|months?\b|mo\b|years?\b|weeks?\b|days?\b)",
    re.IGNORECASE,
)


def _compared(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """Values printed as a comparison: '(38.7% vs. 12.7%)', '15.3 and 24.6 months'."""
    return all(
        re.search(
            r"\b(?:vs|versus|v|and|or|compared\s+(?:with|to))\b|,", sent.slice(a[1], b[0]), re.I
        )
        for a, b in zip(values, values[1:])
    )


def _adjacent(sent: Sentence, values: list[tuple[int, int]]) -> bool:
    """Values printed one after the other as a list: '2.9 and 3.4 months', '40%, 35% and 20%', '10% vs 6%'."""
    return all(
        VALUE_LIST_JOIN.fullmatch(sent.slice(a[1], b[0])) for a, b in zip(values, values[1:])
    )


def _listed_before(sent: Sentence, cue_end: int, first: int) -> bool:
    between = sent.slice(cue_end, first)
    return bool(re.search(r"\b(?:and|versus|vs)\b", between, re.I)) and bool(
        re.search(r"\b(?:were|was)\b", between)
    )


def _group_before(
    sent: Sentence, cue_end: int, value_start: int, allow_list: bool = False
) -> Group | None:
    between = sent.slice(cue_end, value_start)
    if not allow_list and any(
        cue_end <= n.start < value_start and _is_value(sent, n) for n in sent.numbers
    ):
        return None  # another value between: a list (but not '... achieving a 3-log reduction was 21 months')
    m = None
    for m in _BEFORE.finditer(between):  # noqa: B007  (keeps the last match)
        pass
    if m is None:
        return None
    label = clean(m.group("phrase"))
    if (
        m.group("prep").lower() == "of"
        and not re.search(r"\b(?:arms?|groups?|cohorts?)\b", label or "", re.I)
        and not _OF_PEOPLE.match(m.group("phrase"))
    ):
        return None  # 'median OS of 8 months', but 'median survival of patients with elevated LDH was 9.2 months'
    if not label or re.match(
        r"^(?:median|the\s+entire|the\s+whole|all|overall|total|months?|a\s+median|this|"
        r"both|either|the\s+study|the\s+trial|the\s+cohort|the\s+overall)",
        label,
        re.I,
    ):
        return None
    start = max(cue_end, sent.start) + m.start("phrase")
    prep = m.group("prep").lower()
    if prep in ("from",):
        return Group(f"from {label}", start, start + len(m.group("phrase")), True)
    if prep in ("after", "following"):
        label = f"{prep} {label}"
    return Group(label, start, start + len(m.group("phrase")))


_OF_PEOPLE = re.compile(
    r"(?:the\s+|all\s+)?(?:[\w\-]+\s+){0,2}?(?:patients|those|participants|subjects|cases|"
    r"responders|non-?responders|women|men|children|adults)\b",
    re.IGNORECASE,
)


def _is_value(sent: Sentence, n) -> bool:  # noqa: ANN001  (a Number)
    """A number printed as a value (a percent, or with a time unit), not one inside a group's words: not a
    bound ('early relapse (<3 months)'), an age ('aged 75 years', '60 years or older') or a timepoint
    ('relapse at 2 years among patients in CR was 31%')."""
    after = sent.text[n.end - sent.start :]
    if _BOUND_BEFORE.search(sent.slice(max(sent.start, n.start - 12), n.start)) or _AGE_AFTER.match(
        after
    ):
        return False
    return bool(n.percent or re.match(r"^\s*(?:months?|mo\b|years?|weeks?|days?)", after, re.I))


_BOUND_BEFORE = re.compile(
    r"(?:[<>≤≥]=?|\baged?|\b(?:within|beyond|over|under|than|at)\s+)\s*$", re.IGNORECASE
)
_AGE_AFTER = re.compile(
    r"^\s*(?:years?|yrs?)\s*(?:of\s+age|old|or\s+(?:older|younger|more|less|above|below))\b",
    re.IGNORECASE,
)


# 'in A than in B', and the groups of a list before in the same sentence: 'was 33.5% with A versus 15.1% with B,
# and the composite rate was 61.8% versus 24.5%' (the values between them are skipped, not read as groups).
_THAT_OF = re.compile(
    r"\b(?:of|in|for)\s+(?:the\s+)?(?P<a>[^,;()]{1,40}?\s+(?:arm|group|cohort))\s+(?:was|were)\s+"
    rf"(?:\w+\s+)?(?:{_COMPARATIVE})\s+than\s+"
    r"(?:that|those)\s+(?:of|in|for)\s+(?:the\s+)?(?P<b>[^,;()]{1,40}?\s+(?:arm|group|cohort))\s*\(\s*$",
    re.IGNORECASE,
)
_COMPARED_GROUPS = re.compile(
    r"\b(?:in|for|with|among|after|following)\s+(?:the\s+)?(?P<a>[^,;()%]+?)\s+(?:than|compared\s+with|vs\.?|versus)\s+"
    r"(?:\d[\d.]*\s*%\s+(?:of\s+(?:the\s+)?patients\s+)?)?(?:in\s+|for\s+|with\s+|among\s+|after\s+|following\s+)?"
    r"(?:the\s+)?(?P<b>[^,;()%]+?)"
    r"\s*(?:\(|,|$)",
    re.IGNORECASE,
)


_FAVOURED_BEFORE_MEDIAN = re.compile(
    r"\b(?:in|with|for)\s+(?:the\s+)?(?P<g>[^,;()]{2,60}?)\s*[(\[]\s*median\s*[:=,]?\s*$"
    # 'Relapse incidence was higher in MRD-positive patients (48% vs 19%)'
    rf"|\b(?:{_COMPARATIVE}|improved)\s+(?:in|with|for|among)\s+"
    r"(?:the\s+)?(?P<g2>[^,;()]{2,60}?)\s*[(\[]\s*$",
    re.IGNORECASE,
)


def _favoured_before_median(sent: Sentence, start: int) -> Group | None:
    """'improved in the experimental arm (median, 16.7 v 12.1 months)': the group named before the bracket
    has the first value of the comparison."""
    base = max(sent.start, start - 80)
    m = _FAVOURED_BEFORE_MEDIAN.search(sent.slice(base, start))
    key = "g" if m is not None and m.group("g") else "g2"
    label = clean(m.group(key)) if m else None
    if m is None or not label or (key == "g2" and _against_the_direction(sent, start)):
        return None
    return Group(label, base + m.start(key), base + m.end(key))


def _slashed_third(pair: tuple[Group, Group]) -> list[Group] | None:
    """'lower in MAC than in RIC/NMAC (26% vs 38% vs 40%)': three values, two groups of which one is two
    joined by a slash: MAC, RIC, NMAC."""
    out: list[Group] = []
    for g in pair:
        m = re.fullmatch(r"([A-Za-z][\w\-+]*)\s*/\s*([A-Za-z][\w\-+]*)", g.label)
        if m:
            out += [
                Group(m.group(1), g.start, g.start + len(m.group(1))),
                Group(m.group(2), g.end - len(m.group(2)), g.end),
            ]
        else:
            out.append(g)
    return out if len(out) == 3 else None


def _comparative(sent: Sentence, cue_end: int, first: int, last: int) -> tuple[Group, Group] | None:
    """'longer in the maintenance group than in the observation group (32.3 v 23.5 months)'."""
    window_start = max(sent.start, cue_end - 200)
    between = sent.slice(window_start, first)
    that_of = _THAT_OF.search(sent.slice(sent.start, first))
    if that_of is not None and not _against_the_direction(sent, first):
        # 'The overall survival of the TX arm was longer than that of the NX arm (32 vs. 27 months)'
        return (
            Group(
                that_of.group("a"), sent.start + that_of.start("a"), sent.start + that_of.end("a")
            ),
            Group(
                that_of.group("b"), sent.start + that_of.start("b"), sent.start + that_of.end("b")
            ),
        )
    m = _COMPARED_GROUPS.search(between)
    if not m or re.search(r"\b(?:had|has|have|was|were|showed|achieved)\b", m.group("a"), re.I):
        return _subject_than(sent, first, last)
    a, b = clean(m.group("a")), clean(m.group("b"))
    if not a or not b or re.search(r"\b(?:older|younger|more|less|greater|fewer)$", a, re.I):
        return None  # ('in patients older and younger than 65 years': an age, not two groups)
    base = window_start
    return (
        Group(a, base + m.start("a"), base + m.end("a")),
        Group(b, base + m.start("b"), base + m.end("b")),
    )


_SUBJECT = re.compile(
    r"^\W*(?P<a>[A-Za-z][^,;()]{2,80}?)(?<!\swho)(?<!\sthat)(?<!\swho\shad)(?<!\swho\shave)\s+(?:had|has|have|showed|achieved|experienced|reached|"
    r"attained|obtained|was\s+associated\s+with|were\s+associated\s+with|"
    # 'women assigned to X were more likely to have a pCR than those assigned to Y (53% v 28%)'
    r"(?:was|were)\s+(?:more|less)\s+likely\s+to\s+(?:have|achieve|attain|reach|experience))\b",
    re.IGNORECASE,
)


_SCOPE_OPENER = re.compile(r"\W*(?:among|in)\s+[^,;()]{1,80},\s*", re.IGNORECASE)
_ADVERBIAL = re.compile(
    r"\W*(?:in\s+contrast|however|moreover|in\s+addition|furthermore|notably|interestingly|"
    r"importantly|similarly|conversely|overall|likewise|additionally)\s*,\s*",
    re.IGNORECASE,
)
_COMPARED_AFTER = re.compile(
    r"^.{0,40}?\)\s*,?\s*(?:(?:when\s+)?compared\s+(?:to|with)|than(?:\s+(?:in|for|with|among))?)\s+"
    r"(?:the\s+|those\s+)?"
    r"(?P<b>[^(,;]+?)\s*(?:[(,;]|\.?$)",
    re.IGNORECASE,
)


def _subject_than(sent: Sentence, first: int, last: int) -> tuple[Group, Group] | None:
    """'Patients relapsing early had a lower CR rate than later relapsers (25% vs 50%)'; 'Patients with high
    miR-21 had worse OS (5.1 vs 15.3 months) compared to patients with low miR-21' (`last`: the end of the
    last value)."""
    whole = sent.slice(sent.start, first)
    cut = max(whole.rfind(";"), whole.rfind(":")) + 1  # the clause the values are in
    if (opener := _ADVERBIAL.match(whole, cut)) is not None:
        cut = (
            opener.end()
        )  # 'In contrast, women with X had shorter OS than those without X (11.5 vs 14.4 months)'
    if (scoped := _SCOPE_OPENER.match(whole, cut)) is not None:
        cut = (
            scoped.end()
        )  # 'Among 72 women who received X, women assigned to A were more likely ... than'
    head, head_start = whole[cut:], sent.start + cut
    subject = _SUBJECT.match(head)
    if not subject:
        return None
    than = re.search(
        r"\bthan\s+(?:in\s+|for\s+|with\s+|among\s+)?(?:the\s+|those\s+)?(?P<b>[^(,;]+?)\s*[(,]\s*$",
        head,
        re.I,
    )
    base, other = head_start, than
    if not than:
        base, other = last, _COMPARED_AFTER.match(sent.slice(last, sent.end))
    if not other:
        return None
    a, b = clean(subject.group("a")), clean(other.group("b"))
    if not a or not b:
        return None
    return (
        Group(a, head_start + subject.start("a"), head_start + subject.end("a")),
        Group(b, base + other.start("b"), base + other.end("b")),
    )
