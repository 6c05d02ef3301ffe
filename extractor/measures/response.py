"""Complete-response rates per regimen, arm or subgroup (CR, CR/CRi, CMR, pCR).

Overall response (ORR), partial response and 'CR + PR' own their own values and
so never become CR rates; 'complete response' in antiemetic or pain trials
(no emesis, no rescue medication) is not a disease response and is skipped.
"""
from __future__ import annotations

import re

from extractor.document import Cue, Document, Sentence

from extractor.groups import Group
from extractor.measures.rates import RateSpec, extract_rates
from extractor.records import Outcome

_PRIOR_STATUS = re.compile(r"^\s*(?:\d\s*)?(?:at|before|prior\s+to)\s+(?:randomi[sz]ation|enrol+ment|baseline|study\s+entry|"
                           r"inclusion|registration|entry|transplant\w*)", re.IGNORECASE)


def _skip_cue(sent: Sentence, cue: Cue) -> bool:
    if any(o.start < cue.end and cue.start < o.end for o in sent.of("CR_PR", "CR_OTHER")):
        return True
    after = sent.text[cue.end - sent.start:cue.end - sent.start + 40]
    before = sent.slice(max(sent.start, cue.start - 12), cue.start).lower()
    if _PRIOR_STATUS.match(after):
        return True
    wider = sent.slice(max(sent.start, cue.start - 40), cue.start)
    return bool(re.search(r"\b(?:patients|those|subjects|cases|\d+)\s+(?:who\s+were\s+)?in\s+(?:a\s+)?(?:first\s+|second\s+)?$",
                          wider, re.I)) and not before.endswith("were in ")


def _skip_sentence(sent: Sentence) -> bool:
    return sent.has("NONDISEASE")


SPEC = RateSpec(
    measure="cr_rate",
    targets=("CR",),
    competitors=("ORR", "PR", "CR_PR", "CR_OTHER", "RELAPSE", "OS", "OTHER_SURVIVAL", "EFFECT", "CUM_INC",
                 "OTHER_MEASURE"),
    skip_cue=_skip_cue,
    skip_sentence=_skip_sentence,
)


def cr_rates(doc: Document, arms: list[Group] | None = None) -> list[Outcome]:
    return extract_rates(doc, SPEC, arms)



