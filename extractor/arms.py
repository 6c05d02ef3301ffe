"""Study-level context: the arms or groups a study compares, and the treatment of a single-arm study.

Values printed without their group ('CR rates were 38% and 31%, respectively')
are paired, in order, with the groups the abstract named most recently in a list
('in LETPAL and chemotherapy arms, respectively', within the three sentences
before), else with the arms it introduced ('randomly assigned to A or B',
'A (n = 268) or B (n = 144)', '(63 TE and 62 TEL patients)').
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from evidence_tables.extractor.definitions import arm_definitions
from evidence_tables.extractor.document import Document, Sentence
from evidence_tables.extractor.groups import Group, clean, group_after
from evidence_tables.extractor.search.casefold import compile_folded, fold
from evidence_tables.extractor.search.word_start import word_start
from evidence_tables.extractor.treatment import study_treatment

# Case-insensitive patterns search the folded copy of the text (extractor.search.casefold: IGNORECASE is 3x slower);
# what their groups captured is read back from the text as printed (`_captured`).
_RANDOMIZED_TO = compile_folded(
    r"(?:randomi[sz]ed|randomly\s+assigned|randomly\s+allocated|allocated|assigned)\s+(?:\([^)]*\)\s+)?"
    # (the people assigned may come between: 'we randomly assigned 300 patients with myeloma to A or B')
    r"(?:\d[\d,]*\s+(?:[^,;()]{0,60}?\s+)?(?=to\s))?(?:in\s+a\s+\S+\s+ratio\s+)?(?:\d\s*:\s*\d\s+)?(?:to\s+(?:receive\s+)?(?:either\s+)?)"
    # (a name's bracket may be followed by one giving its size: 'A (LV) (n = 75; ...) or B (V) (n = 74)')
    r"(?P<a>[^,;()]+?)\s*(?P<aa>\([^)]*\)\s*)?(?:\([^)]*\)\s*)?,?\s+(?:or|versus|vs\.?)\s+(?:to\s+)?"
    r"(?P<b>[^,;()]+?)\s*(?P<bb>\([^)]*\))?(?:\s*\([^)]*\))?"
    r"(?=\s*(?:[,.;(]|$)|\s+(?:for|during|until|every|plus|in|at|with|as|on|and)\b)",
)
_SIZED = compile_folded(
    r"(?:^|[,;:(]\s*|\b(?:and|or|versus|vs\.?|received|receiving|to|with)\s+)"
    r"(?P<label>[A-Za-z][\w\-+/ ]{0,60}?)\s*(?:\(\s*n\s*=\s*\d[\d,]*[^)]*\)|,\s*n\s*=\s*\d[\d,]*)",
)
_SUBGROUP = re.compile(
    r"\b(?:patients|those|participants|subjects|women|men)\s+(?:with|without|aged|who)\b|\bhistology\b|"
    r"\bsubgroups?\b|\bsubtypes?\b|\bmutat\w+|\b(?:positive|negative)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(
    r"\b\d[\d,]*\s+(?P<a>[A-Z][\w\-+/]*)\s+(?:patients\s+)?(?:and|,)\s+\d[\d,]*\s+(?P<b>[A-Z][\w\-+/]*)\s+(?:patients|participants)"
    r"|\b(?P<a2>[A-Z][\w\-+/]*)\s+\d[\d,]*\s+patients\s*(?:and|,)\s+(?P<b2>[A-Z][\w\-+/]*)\s+\d[\d,]*\s+patients"
)
_LISTED = compile_folded(
    word_start("in", "for", "with", "between", "of", "among")
    # (the last preposition before the list: 'in PFS rate between LV and V arms' lists LV and V)
    + r"\s+(?:the\s+)?(?P<a>[A-Za-z](?:(?!\s(?:in|for|with|between|of|among|at)\s)[\w\-+/ ]){0,40}?)"
    r"\s+(?:and|vs\.?|versus|or)\s+"
    r"(?:the\s+)?(?P<b>[A-Za-z][\w\-+/ ]{0,40}?)\s+(?:arms?|groups?|cohorts?)\b"
    # (not 'stage IV NSCLC and an Eastern Cooperative Oncology Group performance status of 0 to 1')
    r"(?!\s+(?:performance|status|criteria|trial|study|classification|score|scale))",
)
_TREATED_COUNTS = compile_folded(
    r"\b(?P<na>\d[\d,]*)\s+(?:patients\s+)?(?:were\s+)?(?:treated\s+with|received|receiving|to|in|with)\s+(?:the\s+)?"
    r"(?P<a>[^;()]+?)\s*(?:\([^)]*\)\s*)?,?\s+and\s+(?P<nb>\d[\d,]*)\s+(?:patients\s+)?(?:(?:were\s+)?(?:treated\s+with|received|"
    r"receiving|to|in|with)\s+(?:the\s+)?)?(?P<b>[^,;().]+?)\s*(?:[,;.)]|$)",
)
# One arm of a list of three or more: '84 to R-mini-CHOP, 83 to R2-mini-CHOP and 82 to IR-mini-CHOP',
# '41 were assigned to arm A, 42 to arm B and 40 to arm C'.
_COUNT_ITEM = compile_folded(
    r"\b(?P<n>\d[\d,]*)\s+(?:patients\s+)?(?:(?:were|was)\s+)?(?:(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\s+)?"
    r"(?:to|in|received|receiving|treated\s+with)\s+(?:the\s+)?(?P<label>[A-Za-z](?:(?!\b(?:was|were)\b)[^,;().])*?)\s*"
    r"(?:\([^)]*\)\s*)?"
    r"(?=[,;.)]|$|\s+and\s+\d)"
)
_ALLOCATES = compile_folded(r"\b(?:assigned|allocated|randomi[sz]ed|received|treated)\b")
_ITEM_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|;\s*|\s+and\s+)")
_ABBREV = r"[A-Za-z][\w\-+/]{1,15}"
_N_SUFFIX = r"\s*(?:[;,]\s*n\s*=\s*\d[\d,]*\s*)?"  # '(VMP)' or '(VMP; n = 120)'
_ABBREV_N = _ABBREV + _N_SUFFIX
# The second arm's description runs on to the bracket that names it: 'or lenalidomide and reduced-dose
# dexamethasone (Rd-R; n = 197)', 'or ATRA plus idarubicin followed by consolidation (AIDA arm)'.
_NAME_BRACKET_AHEAD = compile_folded(
    r"(?P<words>(?:(?!\b(?:was|were|is|are|been|until|in\s+the|followed\s+(?:for|up)|the\s+primary)\b)[^,;.()]){1,60}?)"
    rf"\s*(?P<bb>\(\s*(?:{_ABBREV_N}|(?:[\w\-+/]+\s+){{0,3}}(?:arm|group))\))"
)
_SHORT_NAME = re.compile(rf"\(\s*({_ABBREV}){_N_SUFFIX}\)\s*")
_NAMED_ARM = re.compile(word_start("arm", "group") + r"\s+(?:[A-D]|[1-4])\b")
_LABEL_N = compile_folded(r"\((?P<label>[A-Za-z][\w\-+/ ]{0,30}?)[,;]\s*n\s*=\s*(?P<n>\d[\d,]*)\)")
_NOT_ARM = re.compile(
    r"^(?:total|all|overall|patients|the\s+study|median|a\s+total|phase|cohort|trial|both|either)\b",
    re.I,
)
_DOSING = re.compile(
    r"^(?:\w+\s+)?(?:cycles?|courses?|doses?|weeks?|months?)\s+of\s+", re.IGNORECASE
)


_INNERMOST = re.compile(r"\([^()\[\]]*\)|\[[^()\[\]]*\]")
# Prefilters, run over the whole text, written so that `re` skips ahead (extractor.search.word_start). The two size
# prefilters open with one class of every first character; a lookbehind then says which alternative that
# character opens, in the original order:
#   _HAS_SIZE       \b[nN]\s*= | \d\s+(?:patients\s+)?(?:were\s+)?(?:received|...|with)\b
#   _HAS_ARM_COUNT  the same | \d\s+[A-Z][\w\-+/]*\s+(?:patients\s+)?(?:and|,) | [A-Z][\w\-+/]*\s+\d+\s+patients
_N_EQUALS = r"(?<=[nN])(?<!\w[nN])\s*="  # '\b[nN]\s*=' after its first character
_COUNT_VERB = r"(?<=\d)\s+(?:patients\s+)?(?:were\s+)?(?:received|receiving|treated|to|in|with)\b"
_HAS_SIZE = re.compile(rf"[nN\d](?:{_N_EQUALS}|{_COUNT_VERB})")
_HAS_ARM_COUNT = re.compile(
    rf"[nN\dA-Z](?:{_N_EQUALS}|{_COUNT_VERB}|(?<=\d)\s+[A-Z][\w\-+/]*\s+(?:patients\s+)?(?:and|,)"
    r"|(?<=[A-Z])[\w\-+/]*\s+\d+\s+patients)"
)
_HAS_GROUP_WORD = compile_folded(word_start("arms?", "groups?", "cohorts?") + r"\b")
_HAS_ALLOCATION = compile_folded(
    word_start("randomi[sz]ed", "randomly", "allocated", "assigned") + r"\b"
)


def _sentences_matching(
    doc: Document, prefilter: re.Pattern[str], limit: int | None = None, *, folded: bool = False
) -> list[Sentence]:
    """The sentences (in order, among the first `limit`) where a cheap regular expression matches:
    one pass over the whole text (its folded copy for a `compile_folded` pattern) instead of one
    search per sentence."""
    starts = [s.start for s in doc.sentences]
    text = doc.folded if folded else doc.text
    # Matches come in order: stop at the first past the `limit` sentences, not at the end of the text.
    stop = starts[limit] if limit is not None and limit < len(starts) else len(text) + 1
    hits: set[int] = set()
    for m in prefilter.finditer(text):
        if m.start() >= stop:
            break
        hits.add(bisect_right(starts, m.start()) - 1)
    return [doc.sentences[i] for i in sorted(hits) if i >= 0]


def _captured(text: str, m: re.Match[str], group: str) -> str | None:
    """What a group of a match in the folded copy of `text` captured, as printed in `text`."""
    start, end = m.span(group)
    return None if start < 0 else text[start:end]


def _mask_brackets(text: str) -> str:
    """Blank out bracketed asides, keeping offsets: 'LETPAL [7.7% (CI)] and chemo' -> 'LETPAL ... and chemo'."""
    while True:
        masked = _INNERMOST.sub(lambda m: " " * len(m.group(0)), text)
        if masked == text:
            return masked
        text = masked


def _label(text: str, abbrev: str | None = None) -> str | None:
    # (not the number a thousands comma cut off: 'capecitabine 1,250 mg/m2' -> 'capecitabine')
    # (nor 'on day 1' of its schedule)
    label = clean(
        re.sub(r"(?:\s+(?:on\s+)?days?)?(?<=[a-z])\s+\d+$", "", _DOSING.sub("", clean(text) or ""))
    )
    if not label or _NOT_ARM.match(label) or len(label) > 60:
        return None
    if len(label.split()) > 1:
        label = re.sub(r"\s+(?:arms?|groups?)$", "", label, flags=re.I)
    short = _SHORT_NAME.fullmatch(abbrev or "")
    return f"{label} ({short.group(1)})" if short else label


def _arm_label(text: str, bracket: str | None) -> str | None:
    """An arm's label: the name its bracket gives it ('... (carboplatin arm)'), else its description."""
    named = re.fullmatch(
        r"\(\s*((?:[\w\-+/]+\s+){0,3}(?:arm|group))\s*\)\s*", bracket or "", re.IGNORECASE
    )
    if named and not _NOT_ARM.match(named.group(1)):
        return named.group(1)
    return _label(text, bracket)


def _sizes(doc: Document) -> list[tuple[str, int]]:
    """Group sizes the abstract prints: 'X (n = 30)', '(group A, n=30)', '68 received A and 73 B', '33 in A, and 34 in B'."""
    out: list[tuple[str, int]] = []
    for s in _sentences_matching(doc, _HAS_SIZE):
        lists = _count_lists(s)
        out += [(g.label, n) for found in lists for g, n in found]
        for m in _SIZED.finditer(s.folded):
            size = re.search(r"n\s*=\s*(\d[\d,]*)", s.folded[m.end("label") : m.end()])
            if size and (label := _label(s.text[m.start("label") : m.end("label")])):
                out.append((label, int(size.group(1).replace(",", ""))))
        for m in _LABEL_N.finditer(s.folded):
            out.append(
                (
                    s.text[m.start("label") : m.end("label")].strip(),
                    int(m.group("n").replace(",", "")),
                )
            )
        for m in (
            _TREATED_COUNTS.finditer(s.folded) if not lists else ()
        ):  # a longer list is read whole above
            for label, n in (
                (s.text[m.start("a") : m.end("a")], m.group("na")),
                (s.text[m.start("b") : m.end("b")], m.group("nb")),
            ):
                if (clean_label := _label(label)) and len(clean_label.split()) <= 5:
                    out.append((clean_label, int(n.replace(",", ""))))
    return out


def _count_lists(s: Sentence) -> list[list[tuple[Group, int]]]:
    """Lists of three or more arms with their sizes, one item after another ('84 to A, 83 to B and 82 to C')."""
    lists: list[list[tuple[Group, int]]] = []
    if not _ALLOCATES.search(s.folded):
        return []  # 'aged 18 to 39, 40 to 59 and 60 to 80 years': ranges, not arms
    run: list[tuple[Group, int]] = []
    last_end = -1
    for m in _COUNT_ITEM.finditer(s.folded):
        label = _label(s.text[m.start("label") : m.end("label")])
        item = (
            (
                Group(label, s.start + m.start("label"), s.start + m.end("label")),
                int(m.group("n").replace(",", "")),
            )
            if label
            else None
        )
        if item and run and _ITEM_GAP.fullmatch(s.folded, last_end, m.start()):
            run.append(item)
        else:
            lists.append(run)
            run = [item] if item else []
        last_end = m.end()
    lists.append(run)
    return [r for r in lists if len(r) >= 3 and len({g.label.lower() for g, _ in r}) == len(r)]


# Arms are introduced in the methods, before the results: the sentences searched for them (a structured abstract
# with a long background and methods can run past 20).
_METHODS_SENTENCES = 24


def _trial_arms(doc: Document) -> list[Group]:
    for s in _sentences_matching(doc, _HAS_SIZE, _METHODS_SENTENCES):
        for counted in _count_lists(s):
            return [g for g, _ in counted]
    for s in _sentences_matching(doc, _HAS_ALLOCATION, _METHODS_SENTENCES, folded=True):
        m = _RANDOMIZED_TO.search(s.folded)
        if m:
            a = _arm_label(s.text[m.start("a") : m.end("a")], _captured(s.text, m, "aa"))
            b_end, bb = m.end("b"), _captured(s.text, m, "bb")
            if bb is None and (named := _NAME_BRACKET_AHEAD.match(s.folded, b_end)):
                b_end, bb = (
                    named.end("words"),
                    s.text[named.start("bb") : named.end("bb")],
                )  # '... or Rd (Rd-R; n = 197)'
            b = _arm_label(s.text[m.start("b") : b_end], bb)
            if a and b:
                return [
                    Group(a, s.start + m.start("a"), s.start + m.end("a")),
                    Group(b, s.start + m.start("b"), s.start + b_end),
                ]
    for s in _sentences_matching(doc, _HAS_ARM_COUNT, _METHODS_SENTENCES):
        found: list[Group] = []
        for m in _SIZED.finditer(s.folded):
            label = _label(s.text[m.start("label") : m.end("label")])
            if label and _SUBGROUP.search(label):
                continue  # 'in patients with adenocarcinoma (n = 847; ...)': a subgroup's size, no arm
            if label and label.lower() not in {g.label.lower() for g in found}:
                found.append(Group(label, s.start + m.start("label"), s.start + m.end("label")))
        if len(found) >= 2:
            return found
        m = _TREATED_COUNTS.search(s.folded)
        if (
            m
            and (a := _label(s.text[m.start("a") : m.end("a")]))
            and (b := _label(s.text[m.start("b") : m.end("b")]))
        ):
            return [
                Group(a, s.start + m.start("a"), s.start + m.end("a")),
                Group(b, s.start + m.start("b"), s.start + m.end("b")),
            ]
        m = _COUNTED.search(s.text)
        if m:
            a, b = ("a", "b") if m.group("a") else ("a2", "b2")
            return [
                Group(m.group(a), s.start + m.start(a), s.start + m.end(a)),
                Group(m.group(b), s.start + m.start(b), s.start + m.end(b)),
            ]
    return _named_arms(doc) or _title_arms(doc)


# A trial's title naming what it compares: 'Effect of selumetinib vs chemotherapy on ...', 'Phase III randomized
# trial of sunitinib versus capecitabine in patients with ...', 'Radiotherapy plus nimotuzumab or placebo in ...'.
_TITLE_VS = re.compile(
    r"^(?:TITLE\s*[:.]?\s*)?(?:[^;]{0,80}?\b(?:(?:trial|study|comparison|effect|efficacy|results|evaluation)\s+"
    r"(?:of|evaluating|comparing|between)|evaluating|comparing|between)\s+)?"
    r"(?P<a>[A-Za-z0-9][^,:;()]{1,80}?)\s+(?:versus|vs\.?|v\.?|or|compared\s+with)\s+"
    r"(?P<b>[A-Za-z0-9][^,:;()]{1,60}?)(?=\s+(?:in|for|on|as|after|among|with|to|at)\b|\s*[:;,.(]|$)",
    re.IGNORECASE,  # (two sentences of each randomised abstract: no need to search a folded copy)
)
_RANDOMIZED = compile_folded(r"\brandomi[sz]\w+|\brandomly\b")
# 'Phase III Study Comparing Cisplatin Plus Gemcitabine With Cisplatin Plus Pemetrexed in ...'
_TITLE_COMPARING = re.compile(
    r"\bcomparing\s+(?:the\s+)?(?P<a>[A-Za-z0-9][^,;:()]{1,70}?)\s+(?:with|to|versus|vs\.?)\s+"
    r"(?:the\s+)?(?P<b>[A-Za-z0-9][^,;:()]{1,70}?)(?=\s+(?:in|for|among|as|on|after)\b|\s*[:;,.(]|$)",
    re.IGNORECASE,
)


# 'This randomised study compared docetaxel with 5-FU plus vinorelbine', 'to compare BuFlu (...) with BuCy (...)',
# 'an MRC study comparing 45 Gy (in 20 fractions) with 60 Gy (in 30 fractions)'.
# 'In a randomized, double-blind study, 31 patients ... received subcutaneous injections of either placebo or
# oxidized mannan-MUC1'.
_RECEIVED_EITHER = re.compile(
    r"\b(?:received|receive|receiving|given|treated\s+with)\s+(?:[\w\-]+\s+){0,3}?(?:of\s+)?either\s+"
    r"(?P<a>[A-Za-z0-9][^,;()]{1,60}?)\s*(?:\([^()]*\)\s*)?,?\s+or\s+(?P<b>[A-Za-z0-9][^,;()]{1,60}?)"
    r"(?=\s*(?:[,.;(]|$)|\s+(?:as|in|for|to|on|at|during|until|every|after|before)\b)",
    re.IGNORECASE,
)
_COMPARING = re.compile(
    r"\bcompar(?:e|ed|es|ing)\s+(?:the\s+)?(?P<a>[A-Za-z0-9][^,;()]{1,70}?)\s*(?:\([^()]*\)\s*)?\s+(?:with|to|versus|vs\.?)\s+"
    r"(?:the\s+)?(?P<b>[A-Za-z0-9][^,;()]{1,70}?)\s*(?:\([^()]*\))?(?=\s*(?:[,.;(]|$)|\s+(?:as|in|for|of|given|after|on|among)\b)",
    re.IGNORECASE,
)


def _title_arms(doc: Document) -> list[Group]:
    """The two arms a randomised trial's title compares, or its methods say it compared (when the abstract
    introduces them nowhere else)."""
    if not _RANDOMIZED.search(doc.folded):
        return []
    for s in doc.sentences[:_METHODS_SENTENCES]:
        # ('Phase III Study Comparing A With B in ...': a title comparing, as the methods would)
        candidates = (
            [_TITLE_VS.match(s.text), _TITLE_COMPARING.search(s.text)] if s.index < 2 else []
        )
        if _RANDOMIZED.search(s.folded):
            candidates += [_COMPARING.search(s.text), _RECEIVED_EITHER.search(s.text)]
        for m in candidates:
            if m is not None and (arms := _two_arms(s, m)):
                return arms
    return []


def _two_arms(s: Sentence, m: re.Match[str]) -> list[Group] | None:
    a, b = _label(m.group("a")), _label(m.group("b"))
    suspended = re.search(r"\s(with|plus)$", a or "", re.IGNORECASE)
    if a and suspended and b and b.lower().startswith("without "):
        # 'gemcitabine with or without erlotinib': each arm whole
        a, b = f"{a} {b[len('without ') :]}", f"{a[: suspended.start()]} {b}"
    if (
        not a
        or not b
        or a.lower() == b.lower()
        or any(re.fullmatch(r"[\d.\s]+|.*\bphase\b.*", x, re.IGNORECASE) for x in (a, b))
        or any(re.search(r"\s(?:with|plus|and|or|of|to)$", x, re.IGNORECASE) for x in (a, b))
        or any(
            re.search(
                r"\b(?:were|was|randomi[sz]ed|received|assigned|allocated|randomly|enrolled)\b|^we\b",
                x,
                re.IGNORECASE,
            )
            for x in (a, b)
        )
    ):
        return None
    return [
        Group(a, s.start + m.start("a"), s.start + m.end("a")),
        Group(b, s.start + m.start("b"), s.start + m.end("b")),
    ]


def _named_arms(doc: Document) -> list[Group]:
    """Arms the abstract calls 'arm A' and 'arm B' (or 'group 1', 'group 2'), in order of first mention."""
    found: dict[str, Group] = {}
    for m in _NAMED_ARM.finditer(doc.text):
        key = re.sub(r"\s+", " ", m.group(0)).lower()
        found.setdefault(key, Group(re.sub(r"\s+", " ", m.group(0)), m.start(), m.end()))
    arms = sorted(found.values(), key=lambda g: g.label.lower())
    if 2 <= len(arms) <= 4:
        return arms
    # arms named by their role and defined by what they received: '... plus letrozole (study group) or the same
    # chemotherapy alone (control group)', in the order the abstract defines them
    defined = [
        (name, doc.text.lower().find(name.lower()))
        for name in arm_definitions(doc.text, doc.folded)
    ]
    roles = [
        Group(name, at, at + len(name))
        for name, at in sorted(defined, key=lambda x: x[1])
        if at >= 0 and not _NAMED_ARM.fullmatch(name)
    ]
    return roles if 2 <= len(roles) <= 4 else []


_VALUE_UNIT = re.compile(r"\s*(?:%|months?|mo\b|years?|weeks?|days?)", re.IGNORECASE)


def _value_lists(doc: Document) -> list[tuple[int, list[Group]]]:
    # (population.labels is read by the resolver, which reads Arms: imported here, when first needed)
    from evidence_tables.extractor.population.labels import read_label  # noqa: PLC0415

    out = []
    for s in doc.sentences:
        if s.background or len(s.numbers) < 2:
            continue
        found: list[Group] = []
        for number in s.numbers:
            unit = None if number.percent else _VALUE_UNIT.match(s.text, number.end - s.start)
            if unit is None and not number.percent:
                continue
            g = group_after(s, number.end if unit is None else s.start + unit.end())
            if (
                g is not None
                and not g.origin
                and g.label.lower() not in {f.label.lower() for f in found}
                and read_label(g).reading != "junk"  # not 'was not reached in'
            ):
                found.append(g)
        if len(found) >= 2:
            out.append((s.index, found))
    return out


def _listed(doc: Document) -> list[tuple[int, list[Group]]]:
    from evidence_tables.extractor.population.labels import read_label  # noqa: PLC0415  (as above)

    out = []
    for s in _sentences_matching(doc, _HAS_GROUP_WORD, folded=True):
        masked = _mask_brackets(s.text)
        for m in _LISTED.finditer(fold(masked)):
            a, b = (
                _label(masked[m.start("a") : m.end("a")]),
                _label(masked[m.start("b") : m.end("b")]),
            )
            if (
                a
                and b
                and all(  # not 'in arm B and was not reached in arm A'
                    read_label(Group(x, 0, 0)).reading != "junk" for x in (a, b)
                )
            ):
                out.append(
                    (
                        s.index,
                        [
                            Group(a, s.start + m.start("a"), s.start + m.end("a")),
                            Group(b, s.start + m.start("b"), s.start + m.end("b")),
                        ],
                    )
                )
    return out


@dataclass(
    frozen=True, eq=False
)  # compared by identity: what it knows is read lazily (no slots: cached_property)
class Arms:
    """The groups a study compares: its arms, and the lists of groups its sentences name.

    Everything is read from `doc` when first asked for: the measures ask only about a sentence
    that holds a value, and most abstracts have none (of 5,390 real ones, fewer than 300 report
    a value other than the cohort size). Without a document a study has no arms.
    """

    doc: Document | None = field(default=None, repr=False)

    @classmethod
    def of(cls, doc: Document) -> Arms:
        return cls(doc)

    @cached_property
    def trial(self) -> tuple[Group, ...]:
        """The arms the study compares (randomised to, or printed with their sizes)."""
        return () if self.doc is None else tuple(_trial_arms(self.doc))

    @cached_property
    def treatment(self) -> str | None:
        """The treatment of a single-arm study (a study with arms has none)."""
        return None if self.doc is None or self.trial else study_treatment(self.doc)

    @cached_property
    def listed(self) -> tuple[tuple[int, tuple[Group, ...]], ...]:
        """(sentence index, the groups that sentence lists), in order."""
        return () if self.doc is None else tuple((i, tuple(g)) for i, g in _listed(self.doc))

    @cached_property
    def sizes(self) -> tuple[tuple[str, int], ...]:
        """(group label, size) as printed."""
        return () if self.doc is None else tuple(_sizes(self.doc))

    def size_of(self, label: str) -> int | None:
        """The printed size of the group a label names (the one size whose label shares its distinctive words)."""
        words = _words(label)
        hits = {
            n
            for name, n in self.sizes
            if words and words == _words(name) or (words and words <= _words(name))
        }
        return hits.pop() if len(hits) == 1 else None

    @cached_property
    def value_lists(self) -> tuple[tuple[int, list[Group]], ...]:
        """(sentence index, the groups its values are printed with: '9.6 months with A and 7.2 months with
        B'), for sentences that give two or more values each with its own group, in order."""
        return () if self.doc is None else tuple(_value_lists(self.doc))

    def recently_valued(self, index: int, n: int) -> list[Group]:
        """The groups that the last of the three sentences before `index` to print n values with n groups
        gave them ('... with A and ... with B. Progression occurred in 44% and 63%, respectively.')."""
        for i, groups in reversed(self.value_lists):
            if index - 3 <= i < index and len(groups) == n:
                return list(groups)
        return []

    def for_sentence(self, index: int, n: int) -> list[Group]:
        """Groups to pair n unlabelled values with in sentence `index`: a recent list, else the arms."""
        for i, groups in reversed(self.listed):
            if index - 3 <= i <= index and len(groups) == n:
                return list(groups)
        return list(self.trial) if len(self.trial) == n else []

    def other(self, group: Group) -> Group | None:
        """In a two-arm trial, the arm that is not `group`."""
        if len(self.trial) != 2:
            return None
        name = re.sub(r"^the\s+|\s+(?:arm|group)$", "", group.label.lower())
        same = [
            a.label.lower() == name for a in self.trial
        ]  # 'the drug B arm' is drug B, not drug A
        if same.count(True) == 1:
            return self.trial[same.index(False)]
        words = set(re.findall(r"[a-z0-9+\-/]+", group.label.lower())) - {"arm", "group", "the"}
        hits = [
            bool(words & set(re.findall(r"[a-z0-9+\-/]+", a.label.lower()))) for a in self.trial
        ]
        if hits.count(True) != 1:
            return None
        return self.trial[hits.index(False)]


def _words(label: str) -> set[str]:
    stop = {
        "the",
        "arm",
        "arms",
        "group",
        "groups",
        "patients",
        "cohort",
        "in",
        "with",
        "of",
        "a",
        "received",
        "treated",
    }
    return set(re.findall(r"[a-z0-9+\-/]+", label.lower())) - stop
