"""Which arm, regimen or subgroup a value belongs to, in the text's own words.

Group phrases are read from around a value ("... in the docetaxel arm",
"with R-ICE", "for GV and GP arms, respectively") and lists of groups are split
to pair with lists of values in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence_tables.extractor.definitions import ARM_LABEL
from evidence_tables.extractor.document import Document, Sentence

_STOP = (
    r"(?=\s*(?:[,;:()\[\]]|\.(?:\s|$)|\s\(|\band\s+(?:was|were|had|has|is|are)\b|\band\s+(?:in\s+|with\s+|for\s+|among\s+|by\s+)?(?:a\s+|an\s+)?[\d(]|"
    r"\band\s+(?:was\s+|were\s+)?(?:not\s+(?:yet\s+)?(?:reached|estimable|evaluable)|NR\b)|\bor\s+\d|\bto\s+\d[\d.,]*\s*(?:%|months?|years?|weeks?|days?)|\bvs\b\.?|\bv\b\.?\s|\bversus\b|\b(?:as\s+)?compared\b|"
    r"\brespectively\b|\bwhereas\b|\bwhile\b|\bbut\b|(?<!older )(?<!younger )(?<!more )(?<!less )(?<!greater )(?<!fewer )\bthan\b|(?<!who )(?<!that )\bwas\b|(?<!who )(?<!that )\bwere\b|(?<!who )(?<!that )\bhad\b|\bP\s*[=<>]|"
    r"(?<!who )(?<!that )(?<!with )(?<!the )(?<!and )(?<!or )(?<!had )(?<!have )(?<!having )"
    r"\b(?:relapsed|progressed|recurred|responded|achieved|attained|developed|experienced)\b"
    r"(?=\s*(?:[,;.)]|$|in\b|after\b|within\b|at\b|during\b|by\b|on\b))|$))"
)
_AFTER = re.compile(
    r"^\s*(?:[\-\u2013]\s*)?(?:(?:months?|mo\.?|years?|weeks?|days?|%|percent)\s*)?(?:\([^()]*\)\s*)?\)?,?\s*"
    r"(?:respectively\s*,?\s*)?"
    # '63% was achieved in the high-risk cohort', 'a CR rate of 40% was seen with R-ICE'
    r"(?:(?:was|were)\s+(?:achieved|observed|seen|reported|noted|found|obtained|attained|documented|recorded)\s+"
    r"(?=(?:in|among|with|for)\b))?"
    r"(?:(?:of\s+(?:the\s+)?)?(?:patients|participants|subjects|cases)\s+(?=(?:in|with|among|on|receiving|treated|given)\b))?"
    r"(?P<prep>in|for|with|without|among|on|after|following|from|using|by|of|receiving|treated\s+with|given|"
    r"(?:who|that)\s+(?:had\s+)?received|allocated\s+to|assigned\s+to)\s+(?P<phrase>[^,;()]+?)"
    + _STOP,
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:the|all|both|each|this(?!\s+(?:[\w\-]+\s+){0,3}(?:population|cohort|series|sample)\b)|that|these|"
    r"those(?!\s+(?:who|with|without|in|not)\b)|"
    r"(?:(?:patients|participants|subjects|women|men|cases|those)\s+)?(?:(?:who|that)\s+)?(?:were\s+|had\s+been\s+)?"
    r"(?:received?|receiving|treated\s+with|given|randomi[sz]ed\s+to|allocated(?:\s+to)?|assigned\s+to)|"
    r"in|on|with|of|\d+(?!\s+(?:c?Gy|mg|mcg|\u00b5g|g|IU|units?|mL|weeks?|months?|days?|years?|cycles?|[\u00b5\u03bcmn]M)\b)"
    r"(?!\s+(?:or|and)\s+(?:more|fewer|less|greater|higher|lower|older|younger)\b))\s+",  # not '45 Gy group', '3 or more cycles'
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+vs\.?\s+|\s+versus\s+|\s+v\.?\s+|\s+or\s+)\s*", re.I
)
_TRAIL = re.compile(
    r"\s+(?:arms?|groups?|cohorts?|populations?|patients|subgroups?|regimens?)$", re.IGNORECASE
)
_NOT_GROUP = re.compile(
    r"^(?:median|mean|a\s+median|follow|range|\d[\d.,\u2009\u00a0]*(?![\d.,\u2009\u00a0]*\s*(?:c?Gy|mg|mcg|\u00b5g|g|IU|units?|mL|[\u00b5\u03bcmn]M|"
    r"weeks?|months?|days?|cycles?|years?\s+(?:or|and)\s+(?:older|younger|over|above))\b)(?=[\s%]|$)|p\b|hr\b|hazard|all\s+patients$|the\s+entire|the\s+whole|"
    r"the\s+overall|overall|total|both\s+arms|either\s+arm|each\s+arm|both\s+groups|either\s+group|"
    r"(?:the\s+|all\s+)?(?:patients|participants|subjects|cases|women|men)(?:\s+overall)?$|"
    r"(?:the\s+)?(?:whole\s+|entire\s+|overall\s+|total\s+|study\s+)?(?:cohort|population|series|sample)$|"
    r"(?:roughly\s+|about\s+|approximately\s+|nearly\s+|almost\s+|over\s+|more\s+than\s+|less\s+than\s+)?"
    r"(?:half|a\s+third|one[\s\-]third|two[\s\-]thirds|a\s+quarter|one[\s\-]quarter|most|the\s+majority|a\s+minority)\b)",
    re.IGNORECASE,
)
_POPULATION = re.compile(
    r"\b(?:lymphomas?|leuka?emias?|cancers?|myelomas?|carcinomas?|tumou?rs?|disease|refractory|"
    r"relapsed|malignanc\w+|sarcomas?|neoplasms?|syndromes?|LBCL|DLBCL|AML|ALL|CLL|MDS|NSCLC|SCLC)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    start: int
    end: int
    origin: bool = False  # a time origin ("from CAR-T infusion"), kept as `timepoint`


def clean(label: str) -> str | None:
    """Strip leading determiners and verbs: 'patients treated with R-ICE' -> 'R-ICE'."""
    text = label.strip(" ,.;:")
    for _ in range(4):
        new = _LEAD.sub("", text, count=1)
        if new == text:
            break
        text = new
    text = _STAT_BRACKET.sub("", text).strip(" ,.;:")  # 'Group A (range 10 to 310+ weeks)': Group A
    text = _TRAILING_ADVERB.sub("", text)  # 'patients who attained CR subsequently (relapsed)'
    if text != "A" and re.fullmatch(
        r"(?:the|a|an|this|these|those|its|their)", text, re.IGNORECASE
    ):
        return None  # a determiner left alone is no label (but 'A' alone names arm A)
    return text or None


_RISK_LEVEL = re.compile(
    r"\b(?:low|high|intermediate|standard|poor|adverse|favou?rable|very\s+high)[\s\-]+risk$",
    re.IGNORECASE,
)
_TRAILING_ADVERB = re.compile(r"\s+(?:subsequently|eventually|ultimately)$", re.IGNORECASE)
# What opens a statistic printed in brackets, not a name: '(range 10 to 310+ weeks)', '(p < 0.05)', '(95% CI ...)'.
STATISTIC = (
    r"(?:range|p\s*[<=>≤≥]|p\s+(?:less|greater)|p\s*value|95\s*%|CI\b|HR\b|IQR|n\s*=|median\b)"
)
_STAT_BRACKET = re.compile(rf"\s*[(\[]\s*{STATISTIC}[^()\[\]]*[)\]]\s*$", re.IGNORECASE)
_PEOPLE = (
    r"(?:patients|those|participants|subjects|women|men|children|adults|cases|"
    r"(?:complete\s+|partial\s+)?(?:non-?)?responders)\b"
)
_PEOPLE_OF = re.compile(rf"(?:the\s+)?(?:[\w\-+/]+\s+){{0,2}}?{_PEOPLE}", re.IGNORECASE)
# '89% of PET-negative and 67% of PET-positive patients': the first group borrows the people of the second
_PARALLEL_OF = re.compile(
    rf"\s*(?:,\s*)?(?:and|or|vs\.?|versus)\s+\d[\d.,]*\s*%\s+of\s+(?:the\s+)?(?:[\w\-+/]+\s+){{0,2}}?{_PEOPLE}",
    re.IGNORECASE,
)


def group_after(sent: Sentence, pos: int) -> Group | None:
    """The group phrase printed right after a value: '... 5.6 months with R-ICE'."""
    rest = sent.text[pos - sent.start :]
    m = _AFTER.match(rest)
    if not m:
        return None
    prep = m.group("prep").lower()
    phrase = m.group("phrase")
    if (
        prep == "of"
        and not _PEOPLE_OF.match(phrase)
        and not _names_treatment(sent, pos, phrase)
        and not _PARALLEL_OF.match(rest[m.end("phrase") :])
    ):
        return None
    if prep == "by" and not re.match(r"\s*,?\s*respectively\b", rest[m.end("phrase") :], re.I):
        return None  # 'reduced by 30%', but '3.0% and 2.4% by PBI and WBI, respectively'
    if prep == "by" and not _LISTED_BY.fullmatch(phrase):
        return None
    label = clean(phrase)
    start = pos + m.start("phrase")
    is_regimen = any(start <= r.start < pos + m.end("phrase") for r in sent.regimens)
    if not label or (_NOT_GROUP.match(label) and not is_regimen) or len(label) > 90:
        return None
    if prep == "of":
        inner = re.match(
            r"^(?:the\s+)?(?:patients|participants|subjects|those)\s+(?P<prep2>with|in|who|aged|receiving)\s+(?P<rest>.+)$",
            label,
            re.I,
        )
        if inner and _POPULATION.search(inner.group("rest")) and not is_regimen:
            return None
    if prep == "without":
        label = f"without {label}"  # '38% without maintenance': the trait is its absence
    origin = prep == "from" and not re.search(r"\b(?:arm|group|patients)\b", phrase, re.I)
    if origin:  # 'from CAR-T infusion': when the clock starts
        label = f"from {label}"
    return Group(label, start, pos + m.end("phrase"), origin)


_LIST_AFTER = re.compile(
    r"^\s*(?:months?|mo\.?|years?|weeks?|days?|%)?\s*\)?\s*,?\s*(?:respectively\s*,?\s*)?"
    r"(?P<prep>in|for|with|among|on|of|receiving|treated\s+with)\s+(?:the\s+)?"
    r"(?P<phrase>[^;()]+?)\s*(?:,\s*)?(?=\brespectively\b|[;.)]|$)",
    re.IGNORECASE,
)


def list_after(sent: Sentence, pos: int) -> Group | None:
    """A list of groups after a list of values: '... for A-AVD, BV-CHP and CHOP, respectively'."""
    m = _LIST_AFTER.match(sent.text[pos - sent.start :])
    if not m:
        return None
    return Group(m.group("phrase").strip(), pos + m.start("phrase"), pos + m.end("phrase"))


def _names_treatment(sent: Sentence, pos: int, phrase: str) -> bool:
    """Does a phrase name a treatment or arm ('of A-AVD', 'of docetaxel group')?"""
    if re.search(r"\b(?:arms?|groups?|regimens?)\b", phrase, re.I):
        return True
    start = pos + sent.text[pos - sent.start :].find(phrase)
    return any(start <= r.start < start + len(phrase) for r in sent.regimens)


_PAREN_DELIMS = re.compile(
    r"(?:^|\bbetween\s+|\band\s+|\bwith\s+|\bfor\s+|\bamong\s+|[,;:(]\s*|\bvs\.?\s+|\bversus\s+|"
    r"\bthan\s+|\bin\s+|\bon\s+|\bor\s+|\bto\s+|\bof\s+(?=(?:the\s+)?(?:[\w\-+/]+\s+){0,2}[\w\-+/]+\s*$))(?:the\s+)?",
    re.IGNORECASE,
)


_FRAGMENT = re.compile(
    r"(?:older|younger|over|under|more|less|(?:\d+\s+)?(?:years?|months?|weeks?|days?)(?:\s+old)?|"
    r"age|aged)",
    re.IGNORECASE,
)


_RESPONDERS = re.compile(r"(?:complete\s+|partial\s+)?(?:non-?)?responders?", re.IGNORECASE)


def group_paren_before(sent: Sentence, pos: int) -> Group | None:
    """A label printed before a bracketed value: 'T (47%, 95% CI 30-65%) and TL (52%)', '... in patients with
    TP53 mutations (CR/CRi 33%)', '... with extramedullary disease (ORR 35%; CR 9%)'."""
    before = sent.slice(max(sent.start, pos - 60), pos)
    opener = re.search(
        r"\s*[(\[]\s*(?:[nN]\s*=\s*\d[\d,]*\s*[;,]\s*)?"  # '(n = 44, 18.1 months)'
        r"(?:(?:ORR|PR|VGPR|OR)\s*[:=]?\s*\d+(?:\.\d+)?\s*%\s*[;,]\s*)?"  # '(ORR 35%; CR 9%)'
        r"(?:(?:CR|CRR|CRi|CRh|pCR|CMR|MRD|ORR|PR)(?:/\w{1,4})?(?:\s+rate)?\s*[:=,]?\s*"
        r"|(?:median\s+)?(?:OS|overall\s+survival)\s*(?:of\s+|[:=,]\s*)?)?$",
        before,
    )
    if not opener:
        return None
    head = before[: opener.start()]
    delims = list(_PAREN_DELIMS.finditer(head))
    if not delims:
        return None
    d = delims[-1]
    raw = head[d.end() :]
    if _FRAGMENT.fullmatch(clean(raw) or "") and len(delims) > 1:
        d = delims[-2]  # 'patients aged 60 years or older (CR 25%)': the label, not 'older'
        raw = head[d.end() :]
    if (
        not raw
        or not re.match(r"[A-Za-z0-9]", raw)
        or len(raw) > 50
        or _FRAGMENT.fullmatch(clean(raw) or "")
    ):
        return None
    if re.search(
        r"\b(?:was|were|is|are|had|has|have|showed|achieved|did|remained|reached)\b",
        raw,
        re.IGNORECASE,
    ):
        return None  # a clause, not a label: '... in the PC arm was significantly higher (38.6% vs 14.0%)'

    base = pos - len(before)
    start, end = base + d.end(), base + len(head)
    if any(
        c.start < end and start < c.end
        for c in sent.cues
        if c.label not in ("POPULATION", "TREATED", "SUBSET", "AGE")
        and not _RESPONDERS.fullmatch(c.text)
        and not _RISK_LEVEL.search(sent.slice(max(sent.start, c.start - 14), c.end))
    ):
        return None  # a measure's name, not a label (but 'responders' are people; 'low-risk' is a trait)
    label = clean(raw)
    if not label or _NOT_GROUP.match(label) or re.fullmatch(r"[\d\s.%]+", label):
        return None
    return Group(label, start, end)


def split_list(text: str, n: int) -> list[str] | None:
    """'GV and GP arms' -> ['GV', 'GP']; 'A, B and C' -> 3 names; None unless exactly n parts."""
    text = text.strip(" ,.;:")
    both = _WITH_AND_WITHOUT.fullmatch(text)
    if both and n == 2:  # 'patients with and without TP53 mutation': each part has the trait
        return [
            clean(f"{both.group('pre')}{both.group('a')} {both.group('rest')}") or "",
            f"{both.group('b')} {both.group('rest')}",
        ]
    shared_tail = _TRAIL.search(text)
    core = _OR_MORE.sub(
        "\x00", text[: shared_tail.start()] if shared_tail else text
    )  # 'third or later': one item
    parts = [p.replace("\x00", " or ") for p in _SPLIT.split(core) if p and p.strip()]
    if len(parts) != n:
        loose = [
            p.replace("\x00", " or ")
            for p in re.split(
                r"\s*(?:,\s*(?:and\s+)?|\s+vs\.?\s+|\s+versus\s+)\s*", core, flags=re.I
            )
            if p.strip()
        ]
        if len(loose) != n:
            return None
        parts = loose
    parts = _shared_head(_plural_head(parts))
    if shared_tail and all(
        _BARE_LABEL.fullmatch(p.strip()) for p in parts
    ):  # 'the A and B arms': arm A, arm B
        head = re.sub(r"s$", "", shared_tail.group().strip().lower())
        if head in ("arm", "group", "cohort"):
            parts = [f"{head} {p.strip()}" for p in parts]
    elif shared_tail and re.fullmatch(r"\s+(?:arm|group|cohort)s?", shared_tail.group(), re.I):
        # 'the study and the control group': 'study group', which alone would read as the whole study
        head = re.sub(r"s$", "", shared_tail.group().strip().lower())
        parts = [f"{p.strip()} {head}" if _STUDY_ITSELF.fullmatch(p.strip()) else p for p in parts]
    # 'high-, intermediate- and low-risk': a suspended hyphen takes the last item's second half
    suffix = re.search(r"-([A-Za-z][\w\-]*(?:\s+\w+)?)$", parts[-1].strip())
    if suffix:
        parts = [f"{p.strip()}{suffix.group(1)}" if p.strip().endswith("-") else p for p in parts]
    out = []
    for p in parts:
        c = clean(re.sub(r"\s*\([^)]*\)\s*$", "", p))
        if not c:
            return None
        out.append(c)
    return out


_WITH_AND_WITHOUT = re.compile(
    r"(?P<pre>.*?)(?<!\w)(?P<a>with|without|older|younger)\s+(?:and|or|vs\.?|versus)\s+"
    r"(?P<b>with|without|older|younger)\s+(?P<rest>(?<=with\s)\S.*|(?<=without\s)\S.*|than\s+\S.*)",
    re.IGNORECASE,
)  # 'patients with and without TP53 mutation', 'patients older and younger than 65 years'
_LISTED_BY = re.compile(
    r"[A-Za-z][\w\-+/]*(?:\s+[\w\-+/]+)?(?:\s*,\s*|\s+and\s+|\s+vs\.?\s+)[A-Za-z][\w\-+/]*(?:\s+[\w\-+/]+)?"
)
_STUDY_ITSELF = re.compile(r"(?:the\s+)?(?:study|trial|treatment|intervention)", re.IGNORECASE)
_OR_MORE = re.compile(
    r"\s+or\s+(?=(?:later|more|higher|greater|older|above|worse|fewer|lower)\b)", re.IGNORECASE
)
_LEVEL = r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|low|intermediate|high|very\s+low|very\s+high|early|late)"
_LEVEL_ONLY = re.compile(
    rf"(?:(?:the\s+)?(?:patients|those|participants)\s+(?:in|with|at|on)\s+)?(?P<level>{_LEVEL})",
    re.IGNORECASE,
)
_LEVEL_HEAD = re.compile(
    rf"{_LEVEL}(?:\s+or\s+(?:later|more|higher|greater))?[\s\-]+(?P<head>[A-Za-z][\w\- ]*)",
    re.IGNORECASE,
)


_PLURAL_HEAD = re.compile(
    rf"(?P<head>arm|group|cohort|part|phase|stage)s?\s+(?P<label>{ARM_LABEL})", re.IGNORECASE
)
_BARE_LABEL = re.compile(ARM_LABEL)


def _plural_head(parts: list[str]) -> list[str]:
    """'arms A and B' (or 'arm A and B') -> 'arm A', 'arm B' (not 'arms A', 'B')."""
    first = _PLURAL_HEAD.fullmatch(parts[0].strip())
    if first is None or not all(_BARE_LABEL.fullmatch(p.strip()) for p in parts[1:]):
        return parts
    return [
        f"{first.group('head')} {label}"
        for label in [first.group("label"), *(p.strip() for p in parts[1:])]
    ]


_DOSE_HEAD = re.compile(r"\d[\d.]*\s+(?P<unit>[A-Za-z/]+)(?:\s+(?P<head>.+))?")


def _shared_head(parts: list[str]) -> list[str]:
    """'first, second and third or later salvage' -> 'first salvage', 'second salvage', 'third or later salvage';
    'low, intermediate and high risk' -> '... risk' (the noun the last item ends with belongs to all)."""
    dosed = _DOSE_HEAD.fullmatch(parts[-1].strip())
    if (
        dosed and len(parts) >= 2
    ):  # '10 and 26 Gy boost' -> '10 Gy boost'; '0 Gy and 16 Gy boost' -> '0 Gy boost'
        unit, head = dosed.group("unit"), dosed.group("head") or ""
        shared = []
        for p in parts[:-1]:
            m = re.fullmatch(rf"(\d[\d.]*)(?:\s+{re.escape(unit)})?", p.strip())
            if m is None:
                break
            shared.append(f"{m.group(1)} {unit} {head}".rstrip())
        else:
            return [*shared, parts[-1].strip()]
    levels = [_LEVEL_ONLY.fullmatch(p.strip()) for p in parts[:-1]]
    last = _LEVEL_HEAD.fullmatch(parts[-1].strip())
    if len(parts) < 2 or last is None or not all(levels):
        return parts
    return [f"{m.group('level')} {last.group('head')}" for m in levels if m] + [parts[-1].strip()]


def share_head(groups: list[Group | None]) -> list[Group | None]:
    """Groups printed one per value, the noun with the last only: '3.9 months for early and 11.4 months for
    late progression' -> 'early progression', 'late progression'."""
    found = [g for g in groups if g is not None]
    if len(found) < 2 or len(found) != len(groups):
        return groups
    labels = [g.label for g in found]
    for start in range(
        len(labels) - 1
    ):  # the last items may be a list of their own: 'overall, early and late X'
        shared = _shared_head(labels[start:])
        if shared == labels[start:]:
            shared = _shared_tail(labels[start:])
        if shared != labels[start:]:
            labels = labels[:start] + shared
            break
    return [Group(label, g.start, g.end, g.origin) for g, label in zip(found, labels)]


def _shared_tail(labels: list[str]) -> list[str]:
    """'low-risk', 'intermediate-risk', 'high-risk patients': single words of one shape ('-risk', '-mutated'),
    the words after the last one's belong to all."""
    *firsts, last = [x.strip() for x in labels]
    words = last.split()
    shape = re.search(r"-\w+$", words[0]) if len(words) >= 2 else None
    if shape is None or not all(
        " " not in f and f.lower().endswith(shape.group().lower()) for f in firsts
    ):
        return labels
    tail = " ".join(words[1:])
    return [f"{f} {tail}" for f in firsts] + [last]


def split_group(text: str, group: Group, n: int) -> list[Group] | None:
    """A listed group split into n groups, each with its own offsets in `text` (the abstract)."""
    names = split_list(group.label, n)
    if names is None:
        return None
    out, cursor = [], group.start
    for name in names:
        at = text.find(name, cursor, group.end + 1)
        if at < 0:
            out.append(Group(name, group.start, group.end, group.origin))
            continue
        out.append(Group(name, at, at + len(name), group.origin))
        cursor = at + len(name)
    return out


def regimen_of(doc: Document, sent: Sentence, start: int, end: int) -> str | None:
    """Canonical regimen named between two offsets: lexicon entries, stems, or abbreviations defined in the abstract."""
    names: list[str] = []
    written: set[str] = set()
    for r in (r for s in doc.sentences if s.start <= end and start < s.end for r in s.regimens):
        if start <= r.start and r.end <= end:
            written.add(r.text)
            name = r.text.lower() if r.rule == "regimen.stem" else r.rule
            if name not in names:
                names.append(name)
    text = doc.text[start:end]
    for short, long_form in doc.abbreviations.items():
        if short in written:
            continue
        if re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text) and long_form not in names:
            if not any(n.lower() in long_form.lower() for n in names):
                names.append(long_form)
    if not names:
        return None
    joiner = " / " if re.search(r"\bor\b", text) else " + "
    return joiner.join(names)
