"""Complete-response rates per regimen, arm or subgroup (CR, CR/CRi, CMR, pCR).

Overall response (ORR), partial response and 'CR + PR' own their own values and
so never become CR rates. Not CR rates either: 'complete response' in antiemetic
or pain trials (no emesis, no rescue medication), a CR status before the studied
treatment ('patients in CR at randomisation', 'At transplantation, 45% were in
CR'), and CR named inside the definition of another measure ('composite
response rate (CR, CRi or MLFS)').
"""

from __future__ import annotations

import re

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Cue, Document, Sentence
from evidence_tables.extractor.measures.rates import RateSpec, extract_rates
from evidence_tables.extractor.measures.relapse import (
    describes_people,
    names_a_disease_status,
    remission_of_the_relapsed,
)
from evidence_tables.extractor.outcomes import Outcome

_PRIOR = r"(?:randomi[sz]ation|enrol+ment|baseline|study\s+entry|inclusion|registration|entry|transplant\w*|screening)"
_PRIOR_AFTER = re.compile(
    rf"\b(?:at|before|prior\s+to)\s+(?:the\s+time\s+of\s+)?{_PRIOR}", re.IGNORECASE
)
_PRIOR_START = re.compile(
    rf"^\W*(?:at|before|prior\s+to|at\s+the\s+time\s+of)\s+{_PRIOR}", re.IGNORECASE
)
_BEFORE_BEGAN = re.compile(
    r"\bbefore\s+(?:\w+\s+){0,3}(?:began|started|was\s+started|initiation|start)\b", re.I
)
_STATUS_BEFORE = re.compile(
    r"\bin\s+(?:a\s+)?(?:first|second|third|1st|2nd)?\s*$"
    r"|\b(?:patients|those|cases)\s+(?:with\s+no|without|not\s+in)\s+$",  # 'patients with no CR at day 33'
    re.IGNORECASE,
)
_RESPONDERS_SCOPE = re.compile(
    r"^\W*(?:of|among|in)\s+(?:the\s+|these\s+|all\s+)?(?:\d[\d,]*\s+)?(?:patients|those|participants|subjects|"
    r"cases)\s+(?:who\s+)?(?:had\s+)?(?:achiev\w*|attain\w*|reach\w*|obtain\w*|in|with)\s+(?:a\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_OUTCOME_BEFORE = re.compile(
    r"\b(?:were|was|are|is|remained|remain|resulted|resulting|result|went|achieved)\s+in\s+"
    r"(?:a\s+)?(?:first\s+)?$",
    re.IGNORECASE,
)
_CR_WORDS = re.compile(r"\bcomplete\s+(?:response|remission)|\bCR\b", re.IGNORECASE)
_DISEASE = re.compile(
    r"\b(?:tumou?r|lymphoma|leuka?emia|myeloma|cancer|carcinoma|disease|marrow|metastas\w+|"
    r"patholog\w+|radiolog\w+|metabolic|PET|RECIST|Lugano|IWG)\b",
    re.IGNORECASE,
)


def _in_definition(sent: Sentence, cue: Cue) -> bool:
    """CR listed inside brackets that define another measure: 'composite response rate (CR, CRi or MLFS)'."""
    before = sent.slice(sent.start, cue.start)
    opened = before.rfind("(")
    if opened < 0 or ")" in before[opened:]:
        return False
    close = sent.text.find(")", cue.end - sent.start)
    inside = sent.text[opened + 1 : close if close >= 0 else len(sent.text)]
    return bool(re.search(r",|\bor\b", inside)) and not re.search(r"\d", inside)


# 'CR and PR rates were 40% and 30%, respectively': two measures listed, each with its rate, not one composite.
_TWO_RATES_RESPECTIVELY = re.compile(
    r"^[^.;%]{0,60}?\d+(?:\.\d+)?\s*%[^.;%]{0,30}?\b(?:and|vs\.?|versus)\s+"
    r"\d+(?:\.\d+)?\s*%,?\s*respectively\b",
    re.IGNORECASE,
)


def _listed_apart(sent: Sentence, composite: Cue) -> bool:
    return (
        composite.label == "CR_PR"
        and bool(re.search(r"\band\b", composite.text, re.I))
        and bool(_TWO_RATES_RESPECTIVELY.match(sent.text[composite.end - sent.start :]))
    )


# 'complete response plus near-complete response', 'CR or VGPR': a composite with a lesser response (the
# CR_PR cue takes 'CR + PR'; 'CR and PR rates were 52% and 27%, respectively' stays two measures).
_COMPOSITE_AFTER = re.compile(
    r"^\s*(?:rates?\s+)?(?:plus|\+|or|/)\s*(?:a\s+)?(?:near[\s\-]?complete|nCR|VGPR|very\s+good|"
    r"MLFS|morphologic\s+leuk)",
    re.IGNORECASE,
)


def _skip_cue(sent: Sentence, cue: Cue) -> bool:
    if any(
        o.start < cue.end and cue.start < o.end and not _listed_apart(sent, o)
        for o in sent.cues_labelled("CR_PR", "CR_OTHER")
    ):
        return True
    if cue.text == "CR" and re.search(
        r"[A-Za-z][\-\u2010\u2011]$", sent.slice(max(sent.start, cue.start - 2), cue.start)
    ):
        return True  # a formulation: 'carbamazepine-CR', '165 mg PGB-CR' (controlled release)
    after = sent.text[cue.end - sent.start : cue.end - sent.start + 45]
    if cue.text == "CR" and re.match(r"[\-\u2010\u2011](?!MRD)[A-Z]{2,}", after):
        return True  # 'CR-SAEs' (catheter-related serious adverse events), 'CR-BSI'
    before = sent.slice(max(sent.start, cue.start - 25), cue.start)
    clause = re.split(r";", sent.slice(sent.start, cue.start))[-1]
    if _PRIOR_AFTER.search(after) or _PRIOR_START.match(clause) or _BEFORE_BEGAN.search(clause):
        return True
    if _STATUS_BEFORE.search(before) and not _OUTCOME_BEFORE.search(before):
        return True
    if _RESPONDERS_SCOPE.match(clause) and re.match(r"[^,;\d]{0,40},", after):
        return True  # 'Of 19 patients achieving CR, 5 relapsed (26%)': who they are, not a CR rate
    if re.search(r"\bnear[\s\-\u2010\u2011]?$", before, re.IGNORECASE):
        return True  # 'near-complete response' (nCR) is no complete response
    if _COMPOSITE_AFTER.match(after):
        return True  # 'complete response plus near-complete response rate': a composite, not CR
    return _in_definition(sent, cue)


# 'calorie restriction (CR)', 'controlled-release (CR)': the abstract's own CR is not a complete response.
# The bracket is found first (a literal: fast), then the words before it (a search for them over the
# whole text cost a tenth of the extraction).
_ABBREVIATIONS = ("CR", "CMR", "pCR")
_WORDS_BEFORE = re.compile(r"[A-Za-z][\w\-]*(?:\s+[\w\-]+){0,2}\s*$")
_RESPONSE_WORDS = re.compile(r"respon|remission|\bcomplete\s*$", re.IGNORECASE)


def _means_else(text: str, short: str) -> bool:
    """Is the first 'X (CR)' of the text an X that is no response ('calorie restriction (CR)', 'competitive meal
    replacement (CMR)', 'cardiac magnetic resonance (CMR)')?"""
    for bracket in re.finditer(rf"\(\s*{short}\s*[),;]", text):
        words = _WORDS_BEFORE.search(text, max(0, bracket.start() - 80), bracket.start())
        if words is not None:
            return not _RESPONSE_WORDS.search(words.group())
    return False


def _spec(doc: Document) -> RateSpec:
    context = [s for s in doc.sentences if s.has("NONDISEASE_CONTEXT")]
    defined = any(_CR_WORDS.search(s.text) for s in context)
    antiemetic = defined or len(context) >= 3  # an abstract about emesis or pain, not about tumours
    other = {a for a in _ABBREVIATIONS if a in doc.text and _means_else(doc.text, a)}

    def skip_cue(sent: Sentence, cue: Cue) -> bool:
        return cue.text in other or _skip_cue(sent, cue) or remission_of_the_relapsed(sent, cue)

    def skip_sentence(sent: Sentence) -> bool:
        if sent.has("NONDISEASE"):
            return True
        return antiemetic and not _DISEASE.search(sent.text)

    return RateSpec(
        measure="cr_rate",
        targets=("CR",),
        competitors=(
            "ORR",
            "PR",
            "CR_PR",
            "CR_OTHER",
            "RELAPSE",
            "OS",
            "OTHER_SURVIVAL",
            "EFFECT",
            "CUM_INC",
            "OTHER_MEASURE",
        ),
        skip_cue=skip_cue,
        skip_competitor=lambda sent, cue: (
            cue.label == "RELAPSE"
            and (describes_people(sent, cue) or names_a_disease_status(sent, cue))
        ),
        skip_sentence=skip_sentence,
        counts=True,
    )


def cr_rates(doc: Document, arms: Arms | None = None) -> list[Outcome]:
    return extract_rates(doc, _spec(doc), arms)
