"""Relapse / recurrence / progression rates, per group, with their time point.

Progression-free, relapse-free and event-free survival rates, hazard ratios,
relative risk reductions and response rates own their own values and are not
relapse rates. 'Relapsed/refractory' and 'recurrent' describe a population, not
an outcome.
"""

from __future__ import annotations

import re
from typing import cast

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Cue, Document, Sentence
from evidence_tables.extractor.measures.rates import RateSpec, extract_rates
from evidence_tables.extractor.measures.sentence_parts import clause_bounds
from evidence_tables.extractor.outcomes import Outcome
from evidence_tables.extractor.values import Rate

_DESCRIPTIVE = {"recurrent", "relapsing", "progressive", "progressing"}
_TIMEPOINT_BEFORE = re.compile(
    r"(?<![\w.])(?P<n>\d+(?:\.\d+)?|one|two|three|four|five|ten)[\-\u2010\u2011](?P<u>years?|months?|yr|mo)\b"
    r"|\b(?:at|within|by)\s+(?P<n2>\d+(?:\.\d+)?|one|two|three|four|five|ten)\s+(?P<u2>years?|months?)\b",
    re.I,
)
_TIMEPOINT_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:at|by|within|after)\s+(?P<n>\d+(?:\.\d+)?|one|two|three|five)\s+"
    r"(?P<u>years?|months?)\b",
    re.I,
)


_BEST_RESPONSE_CUE = re.compile(r"progressive(?:\s+disease)?|PD", re.IGNORECASE)
_STABLE = re.compile(r"\bstable\s+disease\b|\bSD\b", re.IGNORECASE)
_CAUSE = re.compile(
    r"\b(?:because\s+of|due\s+to|owing\s+to|caused\s+by|died\s+(?:of|from)|deaths?\s+(?:from|of)|"
    r"attributed\s+to)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_WHO_HAD = re.compile(
    r"\b(?:patients|those|subjects|cases|participants)\s+(?:who\s+had\s+|with\s+)"
    r"(?:(?:documented|confirmed|radiologic\w*|clinical|disease|early|late|first|subsequent)\s+)*"
    # 'for the 20 patients with isolated testicular relapse was 95%': who they are
    r"(?:(?:an?\s+)?(?:isolated|combined|extramedullary|testicular|CNS|hematologic|marrow|molecular|MRD|"
    r"local|locoregional|distant|systemic|oligoblastic|morphologic)\s+){0,3}$",
    re.IGNORECASE,
)
_SURVIVAL_FROM = re.compile(
    r"\bsurvival\s+(?:from|after|following|post)\s+(?:the\s+|first\s+|disease\s+)?$", re.I
)


# 'relapsed patients', 'relapsed disease', 'relapsed AML': the participle describes who, it measures nothing
_DESCRIBED = re.compile(
    r"^\s+(?:[\w\-]+\s+)?(?:patients|cases|subjects|participants|cohorts?|setting|"
    r"lymphomas?|leuka?emias?|myelomas?|tumou?rs?|cancers?|AML|ALL|CLL|DLBCL|LBCL|MM|NHL|HL|MCL|FL)\b"
)


def describes_people(sent: Sentence, cue: Cue) -> bool:
    """Is a relapse word an attribute of the population ('in relapsed patients', 'with relapsed disease')?"""
    if cue.text.lower() not in ("relapsed", "relapsing", "recurrent", "progressive", "progressing"):
        return False
    after = sent.text[cue.end - sent.start : cue.end - sent.start + 40]
    if (
        _DESCRIBED.match(after)
        or cue.text.lower() == "relapsed"
        and re.match(r"^\s+disease\b", after)
    ):
        return True
    return bool(_WHO_HAD.search(sent.slice(max(sent.start, cue.start - 45), cue.start)))


def names_a_disease_status(sent: Sentence, cue: Cue) -> bool:
    """'in first relapse', 'at second or later relapse': the patients' disease status, no relapse counted."""
    return bool(_IN_NTH_RELAPSE.search(sent.slice(max(sent.start, cue.start - 40), cue.start)))


def _skip_cue(sent: Sentence, cue: Cue) -> bool:
    if describes_people(sent, cue):
        return True
    if any(
        o.start < cue.end and cue.start < o.end
        for o in sent.cues_labelled("OTHER_SURVIVAL", "EFFECT")
    ):
        return True
    after = sent.text[cue.end - sent.start : cue.end - sent.start + 20].lower()
    before = sent.slice(max(sent.start, cue.start - 5), cue.start).lower()
    if re.match(r"^\s*(?:/|or|and)?\s*refractory", after) or before.endswith(("non-", "non ")):
        return True
    if re.match(r"^\s*(?:,\s*)?(?:or|and/or|/)\s*(?:died|death|deaths|dying)\b", after):
        return True  # '33% relapsed or died': an event of relapse-free survival, deaths counted with it
    if re.match(
        r"^\s*[\-\u2010\u2011]\s*(?:free|related|specific|associated|directed)\b|^\s+free\b", after
    ):
        return True
    if re.search(
        r"\bfree\s+(?:of|from)\s+$", sent.slice(max(sent.start, cue.start - 12), cue.start), re.I
    ):
        return True  # 'remaining free of relapse (53% vs 14%)': a relapse-free survival
    if re.search(
        r"\b(?:with\s+no|without|freedom\s+from|absence\s+of)\s+(?:[\w\-]+\s+)?$",
        sent.slice(max(sent.start, cue.start - 30), cue.start),
        re.I,
    ):
        return True  # 'patients with no radiographic progression at 2 years, 89%': those spared, not a rate of it
    if re.match(r"^[\-\u2010\u2011]?L?\d", after, re.I) and cue.text.upper() == "PD":
        return True  # PD-1, PD-L1: a receptor, not progressive disease
    if cue.text == "PD" and (
        re.search(r"\b(?:in|group|arm)\s+$", sent.slice(max(sent.start, cue.start - 8), cue.start))
        or re.match(r"^\s*(?:group|arm)\b", after)
    ):
        return True  # '23.4% in PD, 27.2% in P group', 'Group PD': a group's name, not progressive disease
    if _SURVIVAL_FROM.search(sent.slice(max(sent.start, cue.start - 25), cue.start)):
        return True  # 'survival from relapse (7% vs 9%)': a survival, timed from the relapse
    if _CAUSE.search(sent.slice(max(sent.start, cue.start - 40), cue.start)):
        return True  # 'died of tumour recurrence', 'deaths, mostly due to disease progression': a cause, not a rate
    if _BEST_RESPONSE_CUE.fullmatch(cue.text) and (
        sent.has("PR", "CR_PR") or _STABLE.search(sent.text)
    ):
        return True  # 'CR 40%, PR 30%, progressive disease 12%': a best-response category, not a relapse
    if _WHO_HAD.search(sent.slice(max(sent.start, cue.start - 45), cue.start)):
        return True  # 'crossover in 52% of patients with documented progression': who, not what was measured
    if _WHO_VERB.search(sent.slice(max(sent.start, cue.start - 70), cue.start)) and re.match(
        r"(?:relapsed|progressed|recurred)$", cue.text, re.IGNORECASE
    ):
        return True  # 'Of 45 patients who relapsed after CAR-T, 20% achieved CR' (not 'the proportion of ...')
    if _before_the_study(sent, cue):
        return True  # '42% had relapsed after prior ASCT', 'progressed within 24 months of first-line therapy'
    if _AT_THE_EVENT.search(sent.slice(max(sent.start, cue.start - 40), cue.start)) and re.match(
        r"\s*(?:\([^()]*\)\s*)?,", after
    ):
        return True  # 'At the time of relapse, 35% had ...', 'After progression, 60% received ...': a time
    if _UNTIL.search(sent.slice(max(sent.start, cue.start - 40), cue.start)):
        return True  # '29% and 47% were treated until progression': when treatment stopped, not a rate of it
    if _NOT_BEFORE.search(sent.slice(max(sent.start, cue.start - 40), cue.start)):
        return True  # '26 patients (68%) had not developed recurrence', 'for reasons other than progression'
    if _AS_BEST_RESPONSE.match(sent.text, cue.end - sent.start):
        return True  # 'one patient (3.1%) had progression of disease as best response': a best response
    if names_a_disease_status(sent, cue):
        return True  # 'CR rates were 58% in first relapse and 26% in second or later relapse': a disease status
    return cue.text.lower() in _DESCRIPTIVE and not re.match(r"^\s*disease\b", after)


_NOT_BEFORE = re.compile(
    r"\b(?:had|have|has|did|were|was)\s+not\s+(?:yet\s+)?(?:developed|experienced|had|shown|"
    r"relapsed|progressed|recurred)\s+(?:a\s+|any\s+)?(?:[\w\-]+\s+)?$"
    r"|\b(?:reasons?|causes?)\s+other\s+than\s+(?:[\w\-]+\s+)?$",
    re.IGNORECASE,
)
_AS_BEST_RESPONSE = re.compile(
    r"(?:\s+of\s+disease)?\s+as\s+(?:their\s+|the\s+)?best\s+response\b", re.I
)
_UNTIL = re.compile(
    r"\b(?:until|till|up\s+to|before|prior\s+to)\s+(?:the\s+time\s+of\s+)?(?:(?:disease|documented|radiographic|"
    r"confirmed|objective|first)\s+)*$",
    re.IGNORECASE,
)
_AT_THE_EVENT = re.compile(
    r"\b(?:at|after|following|upon|since|before)\s+(?:the\s+time\s+of\s+|(?:first|second|disease|their)\s+)?$",
    re.IGNORECASE,
)
_IN_NTH_RELAPSE = re.compile(
    r"\b(?:in|at|or|and)\s+(?:(?:first|second|third|1st|2nd|3rd|later|subsequent|early|late|multiple)\s+(?:or\s+later\s+|or\s+"
    r"subsequent\s+|or\s+more\s+)?)+$",
    re.IGNORECASE,
)
# 'patients who relapsed', 'those who progressed': the people, unless their share is what is given
_WHO_VERB = re.compile(
    r"(?<!proportion of )(?<!percentage of )(?<!number of )(?<!rate of )(?<!incidence of )"
    r"(?<!proportion of the )(?<!percentage of the )(?<!number of the )"
    r"\b(?:patients|those|participants|subjects|cases)\s+(?:who|in\s+whom\s+(?:the\s+)?[\w\-]+)\s+"
    r"(?:subsequently\s+|later\s+|had\s+)?$",
    re.IGNORECASE,
)
# The patients' history before the study: 'relapsed after prior ASCT', 'progressed on their last therapy',
# 'within 24 months of first-line chemoimmunotherapy', 'at enrollment, 61% had progression'.
_PRIOR_AFTER = re.compile(
    r"^[^.;]{0,50}?\b(?:prior|previous|preceding|first[\s\-]line|front[\s\-]?line|"
    r"(?:their\s+)?last\s+(?:line|therapy|treatment|regimen)|(?:≥|>=)?\s*\d\s+(?:or\s+more\s+)?lines?)\b",
    re.IGNORECASE,
)
_AT_ENTRY = re.compile(
    r"\b(?:at|before)\s+(?:study\s+)?(?:enrol(?:l)?ment|baseline|study\s+entry|entry|inclusion|"
    r"screening|registration)\b",
    re.IGNORECASE,
)


def _before_the_study(sent: Sentence, cue: Cue) -> bool:
    start, end = clause_bounds(sent, cue.start)
    if _AT_ENTRY.search(sent.slice(start, end)):
        return True
    return bool(_PRIOR_AFTER.match(sent.slice(cue.end, end)))


# Where the relapses were, as shares of them: 'the site of first relapse was locoregional 158 (64%) and distant
# 87 (36%)', 'relapses occurred in 21 (43%) of 49, predominantly in the CNS (71%) and bone marrow (52%)'.
_SITES_BEFORE = re.compile(
    r"(?:\bsites?\s+of\s+(?:first\s+|the\s+first\s+)?(?:relapses?|recurrences?|progression)\b"
    r"|\b(?:predominantly|mainly|mostly|chiefly|most\s+often)\s+(?:in|at|to)\b"
    r"|\b(?:relapses?|recurrences?)\s+(?:were\s+|was\s+)?(?:confined|limited|restricted|localized)\s+to\b"
    r"|\b(?:relapses?|recurrences?)\s*,?\s+at\s+(?:[\w/]+\s+){0,4}sites?\b"
    # 'Markers of MRD relapse included mutant NPM1 (77%), CBFB::MYH11 (4%) ...': what the relapses were, each
    # share bracketed after its name (not 'consisted of 4% isolated local ...', rates of all patients)
    r"|\b(?:relapses?|recurrences?|progressions?)\s+(?:\w+\s+){0,2}?(?:included|comprised)\b(?=[^.;]*\(\s*$)"
    r")[^.;]*$",
    re.I,
)


def _share_of_relapses(sent: Sentence, rate: Rate) -> bool:
    """(Not 'CNS metastases as first site of relapse was 3% (8 of 251 patients)': a rate over all the patients.)
    Also 'Relapses involving the CNS accounted for 21% of all relapses': a share of the relapses."""
    if rate.denominator is None and (
        _OF_THE_RELAPSES.match(sent.text, rate.end - sent.start)
        or _OF_THE_RELAPSED.match(sent.text, rate.end - sent.start)
    ):
        return True  # '16% of local recurrences', 'In 63.6% of patients in whom cancer recurred, ...': shares
    if _MOST_RELAPSES.search(sent.slice(max(sent.start, rate.start - 100), rate.start)):
        return True  # 'Most relapses (70%) occurred within the first year'
    if _REASON_AFTER.match(sent.text, rate.end - sent.start) or _REASON_BEFORE.search(
        sent.slice(max(sent.start, rate.start - 80), rate.start)
    ):
        return True  # 'Disease progression was the most common reason for discontinuation (41%)'
    return rate.denominator is None and bool(
        _SITES_BEFORE.search(sent.slice(max(sent.start, rate.start - 80), rate.start))
    )


_MOST_RELAPSES = re.compile(
    r"\b(?:most|the\s+majority\s+of|all|half\s+of|nearly\s+all)\s+(?:the\s+|these\s+)?"
    r"(?:relapses|recurrences|progressions|events)\s*(?:\(?\s*|"
    # 'Most recurrences were invasive (77%) and ipsilateral (59%)': what the relapses were
    r"(?:were|was)\s+[^.;()]{1,40}\(\s*(?:\d[\d.]*\s*%\s*\)\s*(?:,|and)\s+[^.;()]{1,40}\(\s*)*)$",
    re.IGNORECASE,
)
_REASON = r"(?:most\s+common|main|leading|primary|major|principal)\s+(?:reason|cause)"
_REASON_BEFORE = re.compile(rf"\b{_REASON}\b[^.;]*$", re.IGNORECASE)
_REASON_AFTER = re.compile(rf"\s*\)?\s*(?:,\s*)?(?:was|were)\s+the\s+{_REASON}\b", re.IGNORECASE)
_OF_THE_RELAPSED = re.compile(
    r"\s*of\s+(?:the\s+|all\s+)?(?:patients|those|cases|participants)\s+(?:who|in\s+whom|whose)\s+"
    r"(?:(?:the\s+)?(?:cancer|disease|tumou?r|lymphoma|leuka?emia)\s+|subsequently\s+|later\s+)?"
    r"(?:relapsed|recurred|progressed|had\s+(?:a\s+)?(?:relapse|recurrence|progression))\b",
    re.IGNORECASE,
)
_OF_THE_RELAPSES = re.compile(
    r"\s*of\s+(?:all\s+|the\s+|these\s+)?(?:(?:local|locoregional|local-regional|regional|distant|"
    r"systemic|first|late|early)\s+)?(?:relapses|recurrences|progressions|events|failures)\b",
    re.IGNORECASE,
)


def _timepoint(sent: Sentence, cue: Cue, rate: Rate) -> str | None:
    window = sent.slice(max(sent.start, cue.start - 50), cue.start)
    m = None
    for m in _TIMEPOINT_BEFORE.finditer(window):  # noqa: B007  (keeps the last match)
        pass
    if m is None:
        m = _TIMEPOINT_AFTER.match(sent.text[rate.end - sent.start :])
    if m is None:
        return None
    number = m.groupdict().get("n") or m.groupdict().get("n2")
    unit = cast(
        str, m.groupdict().get("u") or m.groupdict().get("u2")
    ).lower()  # every match has one
    unit = {"yr": "years", "mo": "months"}.get(unit, unit if unit.endswith("s") else unit + "s")
    if number in ("one", "1"):
        unit = unit.rstrip("s")
    return f"{number} {unit}"


def _status_cue(sent: Sentence, cue: Cue) -> bool:
    """'Relapse after second CR occurred in 8 of 19', '3 of the 5 complete responders relapsed': a remission
    status, or the people who have it, not a competing CR rate."""
    if cue.label in ("CR", "ORR") and re.search(r"\bresponders?$", cue.text, re.I):
        return True
    lead = _composite_start(sent, cue)
    before = sent.slice(max(sent.start, lead - 30), lead)
    return cue.label == "CR" and bool(
        re.search(
            r"\b(?:after|in|achiev\w*|attain\w*|with|reached|reaching)\s+"
            r"(?:a\s+)?(?:first|second|third|complete)?\s*$",
            before,
            re.I,
        )
    )


def _composite_start(sent: Sentence, cue: Cue) -> int:
    """Where a composite remission starts when `cue` is its second part: 'CR/CRi', 'CR + CRi', 'CR or CRh'."""
    m = re.search(
        r"\bCRc?\s*(?:/|\+|or)\s*$", sent.slice(max(sent.start, cue.start - 8), cue.start)
    )
    return cue.start - len(m.group(0)) if m else cue.start


def remission_of_the_relapsed(sent: Sentence, cue: Cue) -> bool:
    """'relapse among patients in CR/CRi was 46%', 'Relapse after CR + CRi occurred in 33 of 78', 'relapse
    was 21% for CR1 and 28% for CR2': a remission status naming who relapsed, after a relapse cue of the
    same clause; not a CR rate of its own. ('The ORR was 60%, with CR in 30%' has no relapse cue.)"""
    if cue.label != "CR":
        return False
    start, _ = clause_bounds(sent, cue.start)
    lead = _composite_start(sent, cue)
    if not any(
        start <= r.start and r.end <= lead and not describes_people(sent, r)
        for r in sent.cues_labelled("RELAPSE")
    ):
        return (
            False  # (not 'Of 38 patients who relapsed, 24% achieved CR': a CR rate of the relapsed)
        )
    before = sent.slice(max(sent.start, lead - 30), lead)
    if re.fullmatch(r"CR\d", cue.text):
        return bool(re.search(r"\b(?:for|in|after|of)\s+$", before))
    return bool(
        re.search(
            r"\b(?:after|following|in|with|among|(?:who|that)\s+(?:had\s+)?(?:achieved|attained|reached))\s+"
            r"(?:a\s+)?(?:first|second|third|complete)?\s*$",
            before,
            re.I,
        )
    )


SPEC = RateSpec(
    measure="relapse_rate",
    targets=("RELAPSE",),
    competitors=(
        "OTHER_SURVIVAL",
        "OS",
        "EFFECT",
        "ORR",
        "CR",
        "PR",
        "CR_PR",
        "CUM_INC",
        "FOLLOW_UP",
        "OTHER_MEASURE",
    ),
    skip_cue=_skip_cue,
    skip_competitor=lambda sent, cue: (
        _status_cue(sent, cue) or remission_of_the_relapsed(sent, cue)
    ),
    skip_rate=_share_of_relapses,
    timepoint=_timepoint,
    counts=True,
)


def relapse_rates(doc: Document, arms: Arms | None = None) -> list[Outcome]:
    return extract_rates(doc, SPEC, arms)
