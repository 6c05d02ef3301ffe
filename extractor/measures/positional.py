"""Printed layouts that decide ownership by position rather than by the nearest cue.

- labelled lists after a colon: 'CR rates were as follows: bispecific antibodies, 34%; polatuzumab-based, 19%';
- bracketed pairs under a bracketed cue: 'overall response rate (complete response rate) was 61% (35%)',
  'overall (complete) response rates were 67% (38%)': the bracketed value belongs to the bracketed cue;
- zero and all statements: 'None of the patients receiving X had a complete response' (0%),
  'no complete responses were seen with nivolumab' (0%), 'All patients achieved a complete remission' (100%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence_tables.extractor.document import Cue, Sentence
from evidence_tables.extractor.groups import Group, clean
from evidence_tables.extractor.numbers import NUMBER_WORD, Number, parse_words
from evidence_tables.extractor.values import Rate

_ZERO = re.compile(
    r"\b(?P<zero>none\s+of\s+(?:the\s+|these\s+)?(?:(?P<den>\d+)\s+)?|no\s+(?=patients?\b|one\b|participants?\b|"
    r"subjects?\b|cases?\b|complete\b|CRs?\b|pCRs?\b|relapses?\b|recurrences?\b)|not\s+a\s+single\s+|"
    r"(?P<all>all\s+(?:(?P<allden>\d+|(?:"
    + NUMBER_WORD
    + r"))\s+)?(?=patients|participants|subjects|cases)))",
    re.IGNORECASE,
)
VERB = (
    r"(?:had|has|have|achieved|achieving|attained|obtained|reached|experienced|showed|developed|relapsed|"
    r"progressed|recurred|suffered|presented|were\s+in|remained\s+in|went\s+into|converted|achieve|attain|"
    r"obtain|experience|show|develop|relapse|progress|recur|reported|produced|yielded|induced)"
)
_RECEIVING = re.compile(
    r"(?:receiving|received|treated\s+with|given|allocated\s+to|assigned\s+to|in\s+the|on|under|with|after)\s+"
    r"(?P<g>.+?)\s+(?:who\s+|that\s+)?(?:ha[sd]|have|achieved|attained|obtained|reached|experienced|showed|"
    r"developed|relapsed|progressed|recurred|went|remained|were|was|converted)\b",
    re.IGNORECASE,
)
# The first of rates listed as one subject: '17.1% of those on lenalidomide and 3.6% of those ...'
_RECEIVING_LISTED = re.compile(
    r"^\s*of\s+(?:the\s+)?(?:those|patients)\s+(?:receiving|treated\s+with|given|on|under|with)\s+"
    r"(?P<g>[^,;()%]+?)\s*(?:,\s*)?(?:and|or)\s+\S?$",
    re.IGNORECASE,
)
_BRACKETED_CUE = re.compile(
    r"[(\[]\s*(?:complete(?:\s+response)?(?:\s+rates?)?|CR(?:\s+rates?)?|pCR(?:\s+rates?)?)\s*[)\]]",
    re.IGNORECASE,
)
_LABELLED_ITEM = re.compile(
    r"(?:^|[;:(]|,\s+and|\band)\s*(?P<label>[A-Za-z][^,;:%()]{0,60}?)\s*,\s*(?P<value>\d)"
)
# Response categories labelling the items of a breakdown ('CR/CRi 96% (CR, 90%; CRi, 6%)', 'mCRc 75% (CR, 18%;
# CR with incomplete platelet recovery, 18%; morphologic leukemia-free state, 36%)'): the CR item is a CR rate
# of the breakdown's people, the others are no CR rates.
# The event named inside a relative clause: 'all patients who experienced a recurrence', 'none of those who
# relapsed' (not 'all 10 patients who achieved CR relapsed', whose cue is the main verb).
_WHO_HAD_IT = re.compile(
    r"\b(?:who|that)\s+(?:had\s+|have\s+)?(?:(?:experienced|developed|had|suffered|showed)\s+"
    r"(?:an?\s+|any\s+)?(?:[\w\-]+\s+)?|(?:achieved|attained|reached|obtained)\s+(?:an?\s+)?)?$",
    re.IGNORECASE,
)
NOT_THIS_MEASURE = (
    "not_this_measure"  # a Claim's kind for an item that is another response category's
)
CR_ALONE = re.compile(r"(?:CR|complete\s+(?:response|remission))", re.IGNORECASE)
RESPONSE_CATEGORY = re.compile(
    r"(?:CR[ihp]?|CRc|CRh|MLFS|PR|VGPR|sCR|nCR|SD|PD|ORR|MR|"
    r"(?:complete|partial)\s+(?:response|remission)(?:\s+with\s+[^,;]+)?|CR\s+with\s+[^,;]+|"
    r"morphologic(?:al)?\s+leuka?emia[\s\-\u2013]+free\s+state|stable\s+disease|progressive\s+disease)",
    re.IGNORECASE,
)
# A bracket of labelled values right after the cue's clause: '... higher after FLOT plus ATZ (A, 24%; B, 15%)'.
_LABELLED_BRACKET = re.compile(r"\(\s*[A-Za-z][^,;:%()]{0,30}?\s*,\s*\d[\d.]*\s*%\s*;")


@dataclass(frozen=True, slots=True)
class Claim:
    """A rate given to a cue by layout, with the group the layout names (if any)."""

    rate: Rate
    cue: Cue
    kind: str
    group: Group | None


def receiving_group(sent: Sentence, start: int, end: int) -> Group | None:
    """'... of the patients that received X had ...' -> X."""
    text = sent.slice(start, end + 1)
    m = _RECEIVING.search(text) or _RECEIVING_LISTED.match(text)
    if not m:
        return None
    raw = re.split(
        r"\s+(?:after|who|with\s+a|at|during|following|because)\s+", m.group("g"), maxsplit=1
    )[0]
    label = clean(raw)
    if not label or re.match(r"^(?:patients?|the\s+study|this|median)\b", label, re.I):
        return None
    g0 = max(start, sent.start) + m.start("g")
    return Group(label, g0, g0 + len(raw))


def people_of(sent: Sentence, start: int, end: int) -> Group | None:
    """'34% of TP53-mutated patients achieved CR', '9% of MRD-negative patients relapsed': the people the
    rate is of, when words set them apart (not 'of the 80 patients', 'of all patients')."""
    text = sent.slice(start, end)
    m = _PEOPLE_WHO.match(text)  # '30% of patients who achieved CR relapsed'
    if m is None:
        m = _PEOPLE_OF.match(text)
        if m is None or _NOT_SET_APART.fullmatch(m.group("mods")):
            return None
    g0 = start + m.start("g")
    return Group(clean(m.group("g")) or m.group("g"), g0, g0 + len(m.group("g")))


_PEOPLE_OF = re.compile(
    r"\s*\)?\s*of\s+(?:the\s+|these\s+)?(?:\d[\d,]*\s+)?(?P<g>(?P<mods>(?:[\w/+\-()]+\s+){1,3}?)"
    r"(?:patients|participants|subjects|cases|adults|children|women|men)\b)",
    re.IGNORECASE,
)
# '30% of patients who achieved CR relapsed': a relative clause that says who they are, before the verb of
# what the rate counts (the CR is theirs, not the rate's).
_PEOPLE_WHO = re.compile(
    r"\s*\)?\s*of\s+(?:the\s+|these\s+|all\s+)?(?:\d[\d,]*\s+)?(?P<g>(?:[\w/+\-]+\s+){0,2}?"
    r"(?:patients|participants|subjects|cases|adults|children|women|men)\s+(?:who|that)\s+(?:had\s+)?"
    r"(?:achieved|attained|reached|obtained|were\s+in|responded)\b[^,;()]{0,40}?)"
    r"(?=\s+(?:(?:subsequently|later|eventually|ultimately|then)\s+)?(?:had\s+|have\s+)?"
    r"(?:relapsed|progressed|recurred|died|experienced|developed)\b)",
    re.IGNORECASE,
)
_NOT_SET_APART = re.compile(
    r"(?:(?:the|these|all|evaluable|eligible|enrolled|treated|included|assessable|remaining|"
    r"those|such|our|study|trial|\d[\d,]*)\s+)+",
    re.IGNORECASE,
)


def zero_statements(sent: Sentence, targets: list[Cue], clause_end) -> list[Claim]:
    """'None of ... had a CR' -> 0%; 'All N patients achieved CR' -> 100%."""
    from evidence_tables.extractor.groups import group_after  # noqa: PLC0415

    out = []
    for m in _ZERO.finditer(sent.text):
        a = sent.start + m.start()
        if (
            m.group("all")
            and m.group(0)[:3] == "ALL"
            and not sent.text[m.start() : m.start() + 12].isupper()
        ):
            continue  # 'ALL patients': acute lymphoblastic leukaemia (all caps only in an all-caps heading)
        if m.group("zero") and re.search(
            r"\b(?:with|without|had|having|for)\s+$", sent.slice(max(sent.start, a - 12), a), re.I
        ):
            continue  # 'patients with no CR at day 33': a status that defines a group, not a result
        end = clause_end(a)
        cue = next((c for c in targets if a < c.start <= end and c.start - a < 160), None)
        if cue is None:
            continue
        gap = sent.slice(a + len(m.group(0)), cue.start)
        after_cue = sent.slice(cue.end, cue.end + 40)
        direct = (
            m.group("zero")
            and m.group("zero").lower().startswith("no ")
            and not gap.strip()
            and (
                re.search(
                    rf"\b(?:{VERB}|were|was|is|are|there)\s+(?:\w+\s+)?$",
                    sent.slice(max(sent.start, a - 25), a),
                    re.I,
                )
                or re.search(rf"\b(?:{VERB}|were|was|occurred|seen|observed)\b", after_cue, re.I)
            )
        )
        # ('no complete remission (CR) at day 33, t(4;11), ...': a criterion in a list, not a result)
        if (
            not direct
            and not re.search(rf"\b{VERB}\b|\bwere\b|\bwas\b", gap + after_cue, re.I)
            and not re.fullmatch(VERB, cue.text, re.I)
        ):  # 'All nine patients relapsed': the cue is the verb
            continue
        if re.search(
            r"\b(?:until|till|up\s+to|to|before|at\s+the\s+time\s+of)\s+(?:\w+\s+)?$", gap, re.I
        ):
            continue  # 'All patients were followed until disease progression': when follow-up ends, no result
        if _WHO_HAD_IT.search(gap):
            continue  # 'all patients who experienced a recurrence were disease-free': who they are, no result
        is_all = bool(m.group("all"))
        den_text = m.group("den") or m.group("allden")
        den = (
            int(den_text)
            if den_text and den_text.isdigit()
            else (int(parse_words(den_text) or 0) or None if den_text else None)
        )
        value = 100.0 if is_all else 0.0
        rate = Rate(a, cue.end, value, (den if is_all else 0) if den else None, den)
        group = receiving_group(sent, a, cue.start)
        if group is None:
            seen = re.match(
                r"^\s*(?:\([^)]*\)\s*)?(?:(?:were|was)\s+(?:seen|observed|recorded|noted|achieved|reported)|"
                r"(?:have|has|had)\s+(?:been\s+(?:seen|observed|recorded|noted|reported)|occurred)|"
                r"occurred)",
                sent.text[cue.end - sent.start :],
            )
            group = group_after(sent, cue.end + (seen.end() if seen else 0))
        out.append(Claim(rate, cue, "all" if is_all else "none", group))
    return out


def bracketed_pairs(
    sent: Sentence, rates: list[Rate], targets: list[Cue]
) -> tuple[list[Claim], set[int]]:
    """Under 'ORR (CR rate)': in every 'a% (b%)' the bracketed b% is the CR rate; a% is claimed by the ORR."""
    m = _BRACKETED_CUE.search(sent.text)
    if not m:
        return [], set()
    cue = next(
        (c for c in targets if sent.start + m.start() <= c.start < sent.start + m.end()), None
    )
    if cue is None:
        return [], set()
    claims, used = [], set()
    for first, second in zip(rates, rates[1:]):
        if first.start < cue.end:
            continue
        if re.fullmatch(r"\s*[(\[]\s*", sent.slice(first.end, second.start)):
            claims.append(Claim(second, cue, "bracketed", None))
            used.update({first.start, second.start})
    return claims, used


def labelled_list(sent: Sentence, rates: list[Rate], targets: list[Cue]) -> list[Claim]:
    """'CR rates were as follows: A, 34%; B, 19%' -> each value with the label printed before it."""
    claims = []
    for cue in targets:
        colon = sent.text.find(":", cue.end - sent.start)
        if colon < 0 or colon - (cue.end - sent.start) > 50:
            bracket = _LABELLED_BRACKET.search(sent.text, cue.end - sent.start)
            if bracket is None or bracket.start() - (cue.end - sent.start) > 90:
                continue
            colon = bracket.start()
        body_start = sent.start + colon
        for m in _LABELLED_ITEM.finditer(sent.text, colon):
            value_at = sent.start + m.start("value")
            rate = next((r for r in rates if r.start == value_at), None)
            label = clean(m.group("label"))
            if rate is None or not label:
                continue
            category = re.sub(r"^and\s+", "", label, flags=re.IGNORECASE)
            if RESPONSE_CATEGORY.fullmatch(category):  # '(CR, 90%; CRi, 6%)': a breakdown, no group
                kind = "labelled_list" if CR_ALONE.fullmatch(category) else NOT_THIS_MEASURE
                claims.append(Claim(rate, cue, kind, None))
                continue
            g0 = sent.start + m.start("label")
            claims.append(
                Claim(
                    rate,
                    cue,
                    "labelled_list",
                    Group(label, g0, g0 + len(m.group("label").rstrip())),
                )
            )
        if claims and claims[0].rate.start > body_start:
            return claims + _composite_with_lesser_responses(sent, rates, cue, claims, colon)
    return []


def _composite_with_lesser_responses(
    sent: Sentence, rates: list[Rate], cue: Cue, claims: list[Claim], bracket: int
) -> list[Claim]:
    """'composite CR rate was 71% (CR, 19%; ...; and morphologic leukemia-free state, 36%)': a composite
    that counts MLFS or a partial response is no CR rate (GUIDE), the value before the bracket."""
    lesser = any(
        _LESSER_RESPONSE.search(
            sent.text, c.rate.start - sent.start - 70, c.rate.start - sent.start
        )
        for c in claims
        if c.kind == NOT_THIS_MEASURE
    )
    parent = next(
        (r for r in rates if 0 <= sent.start + bracket - r.end <= 2 and r.start >= cue.end), None
    )
    if not lesser or parent is None or sent.text[bracket] != "(":
        return []
    return [Claim(parent, cue, NOT_THIS_MEASURE, None)]


_LESSER_RESPONSE = re.compile(
    r"(?:\bMLFS|leuka?emia[\s\-\u2013]+free\s+state|\bPR|\bVGPR|partial\s+(?:response|remission))"
    r"\s*,\s*$",
    re.IGNORECASE,
)


_COUNT_GAP = re.compile(
    r"^\s*(?:patients?\s+|participants?\s+)?(?:(?:have|has|had)\s+)?"
    r"(?:(?:subsequently|later|eventually|ultimately|then|since)\s+)?"  # '14 subsequently progressed'
    r"(?:(?:achieved|attained|obtained|had|reached)\s+)?(?:an?\s+)?$",
    re.IGNORECASE,
)
# Best-response categories ('1 CR, 5 PR, 19 SD and 9 PD'): PD counted there is a category, not a relapse count.
_RESPONSE_CATEGORY = re.compile(r"^(?:PD|progressive(?:\s+disease)?)$", re.IGNORECASE)
_OF_THE = re.compile(
    r"\b(?:of|among)\s+(?:the\s+|these\s+)?(?P<d>\d+)\b(?P<who>[^,;]*),\s*$", re.IGNORECASE
)
_NOT_PEOPLE_WORD = re.compile(
    r"^\s*(?:[\-\u2013]\s*)?(?:months?|mo\b|years?|weeks?|days?|hours?|cycles?|courses?|"
    r"doses?|%|mg|g\b|kg|m2|centres?|centers?|sites?|countries|trials?|studies)",
    re.I,
)
_IN_GROUP = re.compile(
    r"\b(?:in|from)\s+(?:the\s+)?(?P<g>[A-Za-z][^,;()]{0,40}?\s+(?:arm|group))\b", re.IGNORECASE
)


def count_claims(
    sent: Sentence, targets: list[Cue], taken: list[Claim], size_of, clause
) -> list[Claim]:
    """'Six CR ... were recorded in the TEGAFIRI arm' (arm of 68) or 'Of the 31 evaluable cases, 1 achieved CR':
    a count of responders over a denominator the abstract prints elsewhere, computed to one decimal."""
    out = []
    for cue in targets:
        start, end = clause(cue.start)
        if any(start <= c.rate.start < end for c in taken) or _RESPONSE_CATEGORY.match(cue.text):
            continue
        count = next(
            (
                n
                for n in reversed(sent.numbers)
                if n.end <= cue.start and _COUNT_GAP.match(sent.slice(n.end, cue.start))
            ),
            None,
        )
        if count is None and (after := _COUNT_AFTER_CUE.match(sent.text, cue.end - sent.start)):
            # 'CR was achieved in 6 patients': the count after the cue
            count = next(
                (n for n in sent.numbers if n.start == sent.start + after.start("n")), None
            )
        if count is None or count.percent or not count.is_int:
            continue
        head = sent.slice(start, min(count.start, cue.start))
        if re.search(r"\b(?:of|out\s+of|/)\s*$", head):
            continue
        groups = [m for m in _IN_GROUP.finditer(sent.text) if start <= sent.start + m.start() < end]
        group = None
        if groups:
            m = groups[0]
            group = Group(
                clean(m.group("g")) or m.group("g"),
                sent.start + m.start("g"),
                sent.start + m.end("g"),
            )
        of_the = _OF_THE.search(head)
        if of_the and _NOT_PEOPLE_WORD.match(of_the.group("who")):
            of_the = None  # 'At a median follow-up of 14 months, 9 patients had relapsed': a time, not a denominator
        if of_the and group is None and (who := clean(of_the.group("who"))):
            g0 = max(start, sent.start) + of_the.start("who")
            group = Group(
                who, g0, g0 + len(of_the.group("who"))
            )  # 'Among the 16 patients who achieved CR, 11 relapsed'
        denominator = (
            int(of_the.group("d")) if of_the else (size_of(group.label) if group else None)
        )
        if denominator is None and group is None and (whom := _of_whom(sent, count)) is not None:
            denominator, group = whom
        if denominator is None and (scoped := _sized_scope(sent, min(count.start, cue.start))):
            denominator, group = (
                scoped  # 'Among patients with a TP53 mutation (n=24), 6 achieved CR'
            )
        if not denominator or denominator < count.value:
            continue
        value = round(100 * count.value / denominator, 1)
        first, last = (count.start, cue.end) if count.start < cue.start else (cue.start, count.end)
        printed = _PRINTED_PERCENT.match(sent.text, last - sent.start)
        if printed and abs(float(printed.group("v")) - value) < 1:
            # 'Of 19 patients achieving CR, 5 relapsed (26%)': the percent as printed
            rate = Rate(
                first,
                sent.start + printed.end(),
                float(printed.group("v")),
                int(count.value),
                denominator,
            )
        else:
            rate = Rate(first, last, value, int(count.value), denominator, computed=True)
        out.append(Claim(rate, cue, "count_over_group", group))
    return out


_PRINTED_PERCENT = re.compile(r"\s*\(\s*(?P<v>\d+(?:\.\d+)?)\s*%\s*\)")
_RECEIVED_OF_WHOM = re.compile(
    rf"(?P<d>\d+|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))*)\s+(?:[\w\-]+\s+){{0,2}}?(?:patients|participants|subjects)\s+"
    r"(?:received|were\s+(?:treated\s+with|given)|underwent)\s+(?!(?:prior|previous|earlier)\b|\d)"
    r"(?P<x>[^,;()]{2,60}?)(?:\s+(?:for|at|during|until|every|as)\b[^,;()]*)?\s*(?:\([^)]*\)\s*)?,\s*"
    r"(?:of|among)\s+(?:whom|them|these)\s*,?\s*$",
    re.IGNORECASE,
)


_COUNT_AFTER_CUE = re.compile(
    rf"\s*(?:was|were)\s+(?:achieved|attained|obtained|observed|seen|documented|reached)\s+(?:in|by)\s+"
    rf"(?P<n>\d+|(?:{NUMBER_WORD}))\s+(?:patients|participants|subjects|cases)\b(?!\s*[(\[]\s*\d)",
    re.IGNORECASE,
)
# A clause opened by a group whose size is printed: 'Among patients with a TP53 mutation (n=24), '
_SIZED_SCOPE = re.compile(
    r"^\W*(?:among|in|of|for)\s+(?:the\s+)?(?P<who>[^,;()]{3,80}?)\s*[(\[]\s*n\s*=\s*(?P<d>\d+)\s*[)\]]\s*,\s*"
    r"(?P<rest>[^,;]*)$",
    re.IGNORECASE,
)


def _sized_scope(sent: Sentence, pos: int) -> tuple[int, Group] | None:
    m = _SIZED_SCOPE.match(sent.slice(sent.start, pos))
    if m is None:
        return None
    g0 = sent.start + m.start("who")
    return int(m.group("d")), Group(
        clean(m.group("who")) or m.group("who"), g0, g0 + len(m.group("who"))
    )


def _of_whom(sent: Sentence, count: Number) -> tuple[int, Group] | None:
    """'Fifteen patients received pirtobrutinib, of whom 4 obtained a complete response': 4 of 15, with pirtobrutinib."""
    m = _RECEIVED_OF_WHOM.search(sent.slice(sent.start, count.start))
    if m is None:
        return None
    d = next((n for n in sent.numbers if n.start == sent.start + m.start("d")), None)
    if d is None or not d.is_int:
        return None
    g0 = sent.start + m.start("x")
    return int(d.value), Group(m.group("x"), g0, g0 + len(m.group("x")))
