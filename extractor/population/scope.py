"""The population a clause is scoped to by the words that open it.

- A leading 'In X,' / 'Among X,' / 'For X,' / 'Of the N X,' covers the clause after it, and the rest of the
  sentence unless another scope opens ('In arm B, 77% attained CR'; 'Among the 40 patients in CR, 12 relapsed').
- 'of these' / 'among them' opening a clause points back to the patients the text counted just before:
  '1,779 (59%) achieved CR1 and, of these, 58.9% relapsed' -> 'patients who achieved CR1'.

Only phrases that name people, an arm, cohort or subgroup, a disease or a trait count as a scope: 'In this
study,', 'In multivariate analysis,', 'In 2019,' do not. 'In our cohort,' names the whole cohort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evidence_tables.extractor.document import Document, Sentence
from evidence_tables.extractor.groups import Group, clean
from evidence_tables.extractor.numbers import NUMBER_WORD, NUMBER_WORDS, parse_digits, parse_words
from evidence_tables.extractor.population.labels import names_whole_cohort

_OPENERS = r"(?:^|[;:]\s*|,\s*(?:and|but|while|whereas)\s+|,\s+(?=(?:in|among|of)\s+(?:the\s+)?\d))"
_SCOPE = re.compile(
    _OPENERS
    + r"\W*(?P<prep>in|among|amongst|for|of|within)\s+(?:the\s+|all\s+|these\s+|those\s+|our\s+)?"
    rf"(?:(?P<n>\d[\d,]*|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))?)\s+)?"
    r"(?P<g>(?:[^,;:()]|\([^()]{0,40}\)){2,120}?)\s*(?:\([^()]*\)\s*)?"
    # 'In X, ...' / 'in the control group it was 26.4 months' / 'In the ATG group the corresponding figures were'
    r"(?:,\s+|\s+(?=(?:it|this|they|these)\s+(?:was|were|is|are|reached)\b|the\s+corresponding\b))",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(
    r"(?:^|[;:]\s*|,?\s*\b(?:and|but)\s+|,\s*)\W*(?:of|among|amongst|in)\s+(?:these|them|those|whom)(?:\s+(?:patients|cases))?"
    r"\s*,?\s+",
    re.IGNORECASE,
)
_PEOPLE = re.compile(
    r"\b(?:patients?|participants|subjects|those|responders|non-?responders|women|men|children|adults|"
    r"cases|survivors|recipients|pts|individuals)\b",
    re.IGNORECASE,
)
_DESIGNATED = re.compile(
    r"\b(?:arms?|groups?|cohorts?|subgroups?|subsets?|stratum|strata|phase|part|trial|"
    r"population)\b",
    re.IGNORECASE,
)
_TRAIT = re.compile(
    r"\b(?:[\w/]+-(?:mutated|mutant|positive|negative|expressing|rearranged|deleted|refractory|"
    r"relapsed|risk)|stage\s+[IVX\d]+\w*|(?:high|low|intermediate|standard|poor|favou?rable|adverse)"
    r"[\s\-]risk|wild[\s\-]type|de\s+novo|secondary|elderly|older|younger|aged)\b",
    re.IGNORECASE,
)
_DISEASE = re.compile(
    r"\b(?:lymphomas?|leuka?emias?|myelomas?|carcinomas?|cancers?|tumou?rs?|disease|sarcomas?|"
    r"malignanc\w+|syndromes?|neoplasms?|(?:DLBCL|LBCL|AML|ALL|CLL|MDS|CML|MM|FL|MCL|HL|NHL|PTCL|"
    r"APL|NSCLC|SCLC|HCC|RCC|CRC)\b)",
    re.IGNORECASE,
)
_NOT_SCOPE = re.compile(
    r"\b(?:analys[ie]s|study|studies|total|addition|contrast|summary|conclusion|multivariate|"
    r"multivariable|univariate|comparison|practice|particular|general|note|turn|fact|terms?|"
    r"brief|short|view|light|order|case\s+of|spite|response\s+to|regard|respect|absence|presence|"
    r"the\s+(?:present|current)|this\s+(?:setting|context|report|paper|trial)|our\s+(?:study|"
    r"experience|analysis)|years?|months?|\d{4})\b",
    re.IGNORECASE,
)
# Once the phrase names people first, a time is a trait of theirs; a study or an analysis is still no scope.
_PEOPLE_FIRST = r"(?:the\s+)?(?:patients|participants|subjects|those|women|men|children|adults)\s"
_NOT_STUDY_SCOPE = re.compile(
    r"\b(?:analys[ie]s|study|studies|multivariate|multivariable|univariate|comparison)\b",
    re.IGNORECASE,
)
_AGED = re.compile(
    r"\b(?:aged|older\s+than|younger\s+than)\s+[^,;]*?\b(?:years?|months?)\b", re.IGNORECASE
)
_WHOLE_SCOPE = re.compile(
    r"^(?:our|this|the\s+(?:whole|entire|overall|total|study))\s+(?:cohort|series|population|"
    r"sample)$|^(?:all\s+)?(?:patients|participants|subjects)(?:\s+overall)?$|^(?:overall|total)$",
    re.IGNORECASE,
)
# 'After HMA failure, median OS was 5.6 months': the patients an event happened to.
_EVENT_SCOPE = re.compile(
    _OPENERS
    + r"\W*(?P<g>(?:after|following|upon|at)\s+(?:the\s+)?[^,;:()]{0,50}?\b(?:failure|relaps\w*|progression|"
    r"recurrence|refractor\w*)\b[^,;:()]{0,20}?)\s*,\s+",
    re.IGNORECASE,
)
# 'N (x%) achieved CR1', '40 patients who attained a complete remission': the patients a later 'of these' means.
_COUNTED = re.compile(
    rf"(?:\d[\d,]*|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))?)\s*(?:\([^()]*\)\s*)?"
    r"(?:(?:patients?|participants|subjects|cases)\s+)?(?:(?:who|that)\s+)?(?:had\s+)?"
    r"(?P<verb>achieved|attained|reached|obtained|entered|were\s+in|went\s+into|responded|relapsed|progressed|"
    r"underwent|received|were\s+treated\s+with)\b\s*(?P<what>[^,;.()]{0,60}?)\s*(?=[,;.(]|\band\b|$)",
    re.IGNORECASE,
)


# 'Patients with ER-negative tumours had a pCR rate of 38%', 'The ASCT arm showed ...': the people a clause is about.
_SUBJECT = re.compile(
    _OPENERS
    + r"\W*(?P<g>(?:the\s+)?(?:patients|participants|subjects|those|women|men|children|adults|cases)\s+"
    r"(?:with|who|whose|in|treated|receiving|given|on|aged|harbou?ring|having|without|carrying|"
    # 'Patients transplanted with MRD had', 'Patients relapsing within a year had'
    r"(?:[a-z]+ly\s+)?[a-z]+(?:ed|ing)\s+(?:with|in|after|before|within|beyond|at|to|for|from|by|on))\b"
    r"[^,;:]{2,80}?"
    r"|(?:the\s+)?[^,;:]{1,40}?\s+(?:arm|group|cohort|subgroup)"
    # 'Stage III patients had ...', 'HIV-positive patients achieved ...' (not 'Most patients', 'The patients')
    r"|(?!(?:the|all|most|many|some|these|those|our|both|no|few|several|other|eligible|evaluable|treated|enrolled|"
    r"remaining|such|fewer|more|less|only|significantly|a|an|few)\b)(?:[\w\-+/]+\s+){1,3}(?:patients|participants|subjects|women|men|children|adults))\s+"
    r"(?:\([^()]*\)\s+)?"
    r"(?:had|has|have|showed|achieved|experienced|attained|reached|obtained|demonstrated|displayed|"
    r"fared\s+(?:worse|better|poorly|well)|lived|survived)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """A scope over a value: its group, or the whole cohort said in so many words ('In our cohort,')."""

    group: Group | None
    whole: bool = False


@lru_cache(maxsize=256)
def _openings(text: str) -> tuple[tuple[re.Match[str], ...], ...]:
    """The anaphors, event scopes and scopes a sentence opens its clauses with, read once per sentence however
    many values it gives."""
    return (
        tuple(_ANAPHOR.finditer(text)),
        tuple(_EVENT_SCOPE.finditer(text)),
        tuple(_SCOPE.finditer(text)),
    )


def scope_of(
    doc: Document, sent: Sentence, value_start: int, arm_labels: tuple[str, ...] = ()
) -> Scope | None:
    """The population the clause holding a value is scoped to by its opening words, if any."""
    best: tuple[int, Scope] | None = None
    anaphors, events, scopes = _openings(sent.text)
    for m in anaphors:
        if sent.start + m.end() <= value_start:
            group = _antecedent(doc, sent, sent.start + m.start())
            if group is True:
                best = (m.end(), Scope(None, whole=True))
            elif isinstance(group, Group):
                best = (m.end(), Scope(group))
    for m in events:
        if sent.start + m.end() <= value_start and (best is None or m.end() >= best[0]):
            best = (
                m.end(),
                Scope(
                    Group(
                        " ".join(m.group("g").split()),
                        sent.start + m.start("g"),
                        sent.start + m.end("g"),
                    )
                ),
            )
    for m in scopes:
        if sent.start + m.end() > value_start or (best is not None and m.end() < best[0]):
            continue
        found = _scope_group(doc, sent, m, arm_labels)
        if found is not None:
            best = (m.end(), found)
    if best is None:
        for m in _MEASURE_FOR.finditer(sent.text):
            gap = re.sub(r"\([^()]*\)", "", sent.slice(sent.start + m.end(), value_start))
            if sent.start + m.end() <= value_start and (
                _CARRIED.fullmatch(gap) or _VALUES_BEFORE.fullmatch(gap)
            ):
                found = _scope_group(doc, sent, m, arm_labels)
                best = (m.end(), found) if found is not None else best
    return best[1] if best else None


def sentence_openings(
    doc: Document, arm_labels: tuple[str, ...] = ()
) -> tuple[tuple[int, Scope], ...]:
    """The scope each sentence opens with ('In the frontline cohort, ...', 'Among the 117 patients treated
    with 200 mg, ...', 'Overall, ...' for the whole cohort), by sentence index."""
    out: list[tuple[int, Scope]] = []
    for s in doc.sentences:
        at = _HEADING.match(s.text)  # 'Results: Among the 117 patients treated with 200 mg, ...'
        pos = at.end() - len(at.group(1)) if at is not None else 0  # (from its colon: an opener)
        m = _SCOPE.match(s.text, pos)
        found = _scope_group(doc, s, m, arm_labels) if m is not None else None
        if found is None and _OVERALL_OPENING.match(s.text, pos):
            found = Scope(None, whole=True)
        if found is not None:
            out.append((s.index, found))
    return tuple(out)


def carried_scope(
    doc: Document, sent: Sentence, openings: tuple[tuple[int, Scope], ...]
) -> Group | None:
    """'In the frontline cohort, the median age was 71 years. The CR/CRi rate was 96%. ... In the relapsed/
    refractory cohort, the CR/CRi rate was 27%': where an abstract reports its cohorts one after another (two
    sentences open with scopes of one kind: 'In the X cohort,' and 'In the Y cohort,'), the scope a sentence
    opens with carries over the next sentences of its section that open none of their own (at most three)."""
    before = [(i, sc) for i, sc in openings if i < sent.index]
    if not before or any(i == sent.index for i, _ in openings):
        return None
    at, scope = before[-1]
    if scope.group is None or sent.index - at > _CARRIED_SENTENCES:
        return None
    head = _HEAD.match(sent.text)
    if head is not None and (_DISEASE.search(head.group(1)) or _TRAIT.search(head.group(1))):
        return None  # 'Triple negative breast cancers experience the highest pCR rate': its own subject
    if any(doc.sentences[k].heading != sent.heading for k in range(at, sent.index)):
        return None
    if not _carriable(doc, scope.group):
        return None
    label = scope.group.label
    if not any(
        i != at
        and sc.group is not None
        and _carriable(doc, sc.group)
        and _parallel(sc.group.label, label)
        for i, sc in openings
    ):
        return None
    return scope.group


def _carriable(doc: Document, group: Group) -> bool:
    """A part of the study's design (a cohort, arm, phase or part, or the patients given a treatment or dose),
    not a subgroup by trait ('patients with a TP53 mutation' is a subgroup the abstract steps into and out of)."""
    words = doc.text[group.start : group.end]
    return bool(_DESIGNATED.search(words) or _TREATED_PEOPLE.match(words))


_TREATED_PEOPLE = re.compile(
    r"(?:the\s+)?(?:patients|participants|subjects|those)\s+(?:who\s+(?:were\s+)?)?(?:treated|receiving|"
    r"received|given|assigned|allocated|randomi[sz]ed)\b",
    re.IGNORECASE,
)


_CARRIED_SENTENCES = 3
_HEADING = re.compile(r"[A-Z][A-Za-z ]{0,40}(:\s+)")
# A sentence's subject, up to its verb.
_HEAD = re.compile(
    r"([^,;:]{0,80}?)\s+(?:was|were|is|are|had|has|have|experienced?|achieved|showed|reached|attained)\b",
    re.IGNORECASE,
)
_OVERALL_OPENING = re.compile(
    r"\W*(?:overall|in\s+total|in\s+all\s+(?:\d+\s+)?patients|across\s+(?:all\s+)?(?:cohorts|arms|groups))\b",
    re.IGNORECASE,
)


def _parallel(a: str, b: str) -> bool:
    """Two scopes of one kind: 'frontline cohort' and 'relapsed/refractory cohort', 'patients treated with 200
    mg' and 'patients treated with 50 mg' (the same first or last word, different labels)."""
    wa, wb = a.lower().split(), b.lower().split()
    return wa != wb and bool(wa) and bool(wb) and (wa[0] == wb[0] or wa[-1] == wb[-1])


# 'Objective response rate for cohort 1 (n = 40) was 47.5%, with median overall survival of 28 months': the
# group of a sentence's first measure, carried to the values it goes on to give ', with' (no verb of their own).
# 'The pCR rate in postmenopausal patients was 18% and 5% in the A and B groups, and that in X was ...': the
# people a measure is given for, over the values printed right after it.
_VALUES_BEFORE = re.compile(
    r"(?:\s*\d[\d.]*\s*(?:%|months?|years?|weeks?|days?)?\s*(?:,|and|or|vs\.?|versus)?)*\s*"
    # 'The mCRc rate for X was 75% (CR, 18%; ...)': the CR item of a breakdown is X's too
    r"(?:\(\s*(?:CR|complete\s+(?:response|remission))\s*[,:=]?\s*)?",
    re.IGNORECASE,
)
_MEASURE_FOR = re.compile(
    r"\b(?:rates?|responses?|survival|OS|PFS|EFS|DFS|ORR|CR|remissions?|incidence|that|those)\)?\s+"
    r"(?P<prep>for|in|among|of)\s+(?P<g>[^,;:()]{2,60}?)(?:\s*\([^()]*\))?\s+(?:was|were|is|are)\b",
    re.IGNORECASE,
)
_CARRIED = re.compile(
    r"(?:(?!\b(?:was|were|is|are|had|has|in|among|for)\b)[^;])*?,\s*(?:with|and)\s+(?:(?!\b(?:was|were|is|are|"
    r"had|has|in|among|for)\b)[^;,])*",
    re.IGNORECASE,
)


def _scope_group(
    doc: Document, sent: Sentence, m: re.Match[str], arm_labels: tuple[str, ...]
) -> Scope | None:
    # 'In 104 patients treated with 50 mg at a median follow-up of 7.4 months,': the people, not when
    phrase = _FOLLOW_UP_TAIL.sub("", m.group("g").strip())
    # (once the phrase names people first, a time is a trait of theirs: 'Among women who were 50 years of
    # age or younger,', 'In patients relapsing within 12 months,'; a study or an analysis is still none)
    people = re.match(_PEOPLE_FIRST, phrase, re.I)
    if re.match(r"(?:these|them|those|whom)$", phrase, re.I) or (
        _NOT_STUDY_SCOPE if people else _NOT_SCOPE
    ).search(_AGED.sub("aged", phrase)):
        return None
    if _WHOLE_SCOPE.match(phrase) or names_whole_cohort(clean(phrase) or phrase):
        return Scope(None, whole=True)
    counted = m.groupdict().get("n")
    if (
        counted
        and _count(counted) in study_counts(doc.text)
        and not any(a.lower() in phrase.lower() for a in arm_labels)
    ):
        return Scope(None, whole=True)  # 'Among 64 patients with R/R AML,' in a study of those 64
    label = clean(phrase)
    if not label:
        return None
    start = sent.start + m.start("g")
    end = start + len(phrase)
    names_arm = any(a.lower() in phrase.lower() or phrase.lower() in a.lower() for a in arm_labels)
    regimen = any(start <= r.start < end for r in sent.regimens)
    if not (
        _PEOPLE.search(phrase)
        or _DESIGNATED.search(phrase)
        or _TRAIT.search(phrase)
        or _DISEASE.search(phrase)
        or names_arm
        or regimen
    ):
        return None
    if m.group("prep").lower() == "of" and not (
        _PEOPLE.search(phrase) or _DESIGNATED.search(phrase)
    ):
        return None  # 'Of note,' / 'Of AML, ...': 'of' scopes only counted people
    return Scope(Group(label, start, end))


_FOLLOW_UP_TAIL = re.compile(
    r"\s+(?:at|after|with)\s+(?:a\s+)?(?:median\s+)?follow[\s\-]?up\b.*$", re.IGNORECASE | re.DOTALL
)


def _antecedent(doc: Document, sent: Sentence, anaphor: int) -> Group | None | bool:
    """The patients counted last before an 'of these' (this sentence, else the one before); True when they are the
    whole cohort ('Forty patients were enrolled, of whom ...', 'N patients received a median of 4 cycles')."""
    spans = [(sent.start, anaphor)]
    if sent.index > 0 and not _PEOPLE_COUNT.search(sent.text, 0, anaphor - sent.start):
        before = doc.sentences[sent.index - 1]
        spans.insert(0, (before.start, before.end))
    for start, end in reversed(spans):
        last = None
        for m in _COUNTED.finditer(doc.text, start, end):
            last = m
        whole = None
        for w in _COUNTED_ALL.finditer(doc.text, start, end):
            whole = w
        if whole is not None and (last is None or whole.start() > last.start()):
            return True
        if last is not None:
            verb = " ".join(last.group("verb").split()).lower()
            what = last.group("what").strip()
            if verb in ("received", "underwent", "were treated with") and _EXPOSURE.match(what):
                return True
            if verb in ("responded", "relapsed", "progressed"):
                label = f"patients who {verb}"
            elif what:
                label = f"patients who {verb} {what}"
            else:
                continue
            return Group(label, last.start("verb"), last.end("what") if what else last.end("verb"))
    return None


# The cohort counted: 'Forty patients were enrolled', '120 were randomized'.
_COUNTED_ALL = re.compile(
    rf"(?:\d[\d,]*|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))?)\s+(?:[\w\-]+\s+){{0,3}}?"
    r"(?:(?:patients?|participants|subjects|cases|women|men|adults|children)\s+)?(?:were|was)\s+(?:\w+\s+)?"
    r"(?:enrolled|included|randomi[sz]ed|treated|registered|recruited|evaluable|analy[sz]ed)\b",
    re.IGNORECASE,
)
_PEOPLE_COUNT = re.compile(
    rf"(?:\d[\d,]*|\b(?:{NUMBER_WORD}))\s+(?:[\w\-]+\s+){{0,3}}?(?:patients?|participants|subjects|"
    r"cases|women|men|adults|children)\b",
    re.IGNORECASE,
)
_EXPOSURE = re.compile(
    r"(?:a\s+median|\d|at\s+least|the\s+(?:study|planned)|treatment|therapy|induction|all\b)",
    re.IGNORECASE,
)


def subject_of(sent: Sentence, value_start: int) -> Group | None:
    """The people the clause holding a (lone) value is about: 'Patients with X had a CR rate of 38%'."""
    found = None
    for m in _SUBJECT.finditer(sent.text):
        if sent.start + m.end() <= value_start:
            found = m
    if found is None:
        return None
    people = re.match(_PEOPLE_FIRST, found.group("g"), re.I)
    if (_NOT_STUDY_SCOPE if people else _NOT_SCOPE).search(_AGED.sub("aged", found.group("g"))):
        return None  # (but 'Women aged 40 years or older', 'Patients who relapsed within 6 months' are people)
    label = clean(found.group("g"))
    if not label or _WHOLE_SCOPE.match(label) or names_whole_cohort(label):
        return None
    words = re.findall(
        r"\w+(?:[\-/]\w+)*", found.group("g")
    )  # 'NPM1-mutated' is one word, not 'NPM', '1
    if any(
        w.isdigit() or all(part in NUMBER_WORDS for part in w.lower().split("-")) for w in words[:2]
    ):  # ('Thirty-two patients achieved CR (57%)' too)
        return None  # 'Four patients had a complete remission (30%)': a count, not a subgroup
    return Group(label, sent.start + found.start("g"), sent.start + found.end("g"))


# The study's own count: 'A total of 64 patients', 'We enrolled 64 adults', '64 patients were treated'.
_STUDY_COUNT = re.compile(
    r"\b(?:a\s+total\s+of|(?:we|this\s+study|the\s+study)\s+(?:prospectively\s+|retrospectively\s+)?"
    r"(?:enrolled|included|recruited|treated|analy[sz]ed|studied|reviewed|identified|evaluated|randomi[sz]ed)"
    r"(?:\s+a\s+total\s+of)?)\s+"
    rf"(?P<n>\d[\d,]*|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))?)\b",
    re.IGNORECASE,
)
_LEADING_COUNT = re.compile(
    rf"\d[\d,]*|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))?", re.IGNORECASE
)


def _count(text: str) -> float | None:
    text = text.strip()
    if text[:1].isdigit():
        return parse_digits(text)
    return parse_words(text.lower())


@lru_cache(maxsize=64)
def study_counts(text: str) -> frozenset[float]:
    """The counts of people an abstract gives as its whole study (enrolled, included, treated, analysed)."""
    found: set[float] = set()
    for m in _STUDY_COUNT.finditer(text):
        found.add(_count(m.group("n")) or 0.0)
    for m in _COUNTED_ALL.finditer(text):
        lead = _LEADING_COUNT.match(m.group(0))
        if lead is not None:
            found.add(_count(lead.group(0)) or 0.0)
    found.discard(0.0)
    return frozenset(found)
