"""What a group phrase read from around a value says: a population, the whole cohort, a time origin, or
nothing usable (a phrase that ran on into the next clause).

A value is filed under the label a reviewer copies into a row; a label such as 'a hazard ratio of 0.59' is
no population: it is dropped, and the value is marked uncertain instead of filed wrongly. A phrase that
ran on past its people ('patients and partial responses in 5') is read by its head ('patients': the whole
cohort).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from evidence_tables.extractor.groups import Group
from evidence_tables.extractor.numbers import NUMBER_WORD

Reading = Literal["population", "whole", "all_arms", "origin", "when", "site", "count", "junk"]

_QUALIFIER = (
    r"(?:the|all|our|this|these|entire|whole|overall|total|study|treated|evaluable|assessable|eligible|"
    r"enrolled|included|pooled|combined|infused|analy[sz]ed|intention[\s\-]to[\s\-]treat|ITT|safety|full|per[\s\-]protocol|"
    r"efficacy|present|current|cohort\s+of)"
)
_WHOLE = re.compile(
    r"^(?:the\s+)?(?:whole|entire|overall|total)\s+(?:study\s+)?group$|"  # (but 'study group' is an arm)
    # 'this heavily pretreated population', 'our real-world cohort': the study's own people, described
    r"^(?:this|our)\s+(?:[\w\-]+\s+){0,3}(?:population|cohort|series|sample)(?:\s+of\s+.+)?$|"
    rf"^(?:{_QUALIFIER}\s+)+(?:women|men|children|adults)$|"  # 'all women' (but 'in children' is a group)
    r"^(?:women|men|children|adults)\s+(?:included|enrolled|treated|randomi[sz]ed|analy[sz]ed)$|"
    rf"^(?:{_QUALIFIER}\s+)*(?:patients|participants|subjects|cases|people|individuals|cohort|"
    r"population|series|sample|study(?:\s+population)?|trial(?:\s+population)?|analysis\s+set)"
    r"(?:\s+overall|\s+as\s+a\s+whole|\s+combined|\s+(?:included|enrolled|treated|analy[sz]ed|"
    r"randomi[sz]ed|evaluated|assessed|studied|recruited|registered)(?:\s+in\s+(?:the|this|our)\s+"
    r"(?:study|trial|analysis|cohort))?|\s+who\s+(?:underwent\s+randomi[sz]ation|were\s+randomi[sz]ed|"
    r"were\s+(?:enrolled|included|treated)|received\s+(?:at\s+least\s+one\s+dose|treatment|the\s+study\s+"
    r"(?:drug|treatment))))?$|^(?:overall|all|total|in\s+total|altogether)$|"
    # 'for the TNBC, HR+/HER2- and entire cohort, respectively': the list's last item, its head shared
    r"^(?:the\s+)?(?:entire|whole)$"
    # 'roughly half of the cohort (51%)': a share of everyone, not a subgroup
    r"|^(?:(?:roughly|about|approximately|nearly|almost|over|more\s+than|less\s+than|just\s+over|"
    r"just\s+under)\s+)?(?:half|a\s+third|one[\s\-]third|two[\s\-]thirds|a\s+quarter|one[\s\-]quarter|"
    r"three[\s\-]quarters|most|the\s+majority|a\s+minority)(?:\s+of\s+(?:the\s+|all\s+|our\s+)?(?:cohort|"
    r"patients|population|series|participants|subjects))?$",
    re.IGNORECASE,
)
_ALL_ARMS = re.compile(
    r"^(?:both|either|each\s+of\s+the\s+(?:two|2|three|3))\s+(?:arms?|groups?|cohorts?|parts?|phases?|"
    r"treatment\s+arms?)$|^(?:both|all)\s+(?:the\s+)?(?:arms|groups|cohorts|parts|phases)$"
    r"|^(?:both|either|all)\s+(?:the\s+)?(?:regimens|treatments|treatment\s+groups|schedules|doses)$"
    r"|^(?:arms|groups|parts|regimens|treatments)$"
    r"|^(?:the\s+)?(?:two|2|three|3)\s+(?:arms|groups|cohorts)$"  # '11.8 and 11.2 months in the two groups'
    r"|^(?:both|either|each)$",  # '(14.2 months for both)': the arms just compared
    re.IGNORECASE,
)
# A clause, a measure or a number swallowed with the words after a value: no population.
_JUNK = re.compile(
    r"^(?:an?|the)\s+(?:\d|hazard|median|mean|rate|risk|ratio|difference|odds)"  # 'a 5-year PFS', 'a hazard ratio'
    r"|\b(?:survival|PFS|EFS|DFS|RFS|TTP|hazard|odds\s+ratio|confidence|p\s*[=<>]|P\s*value|follow[\s\-]?up)\b"
    # (a confidence interval, not 'the CI therapy': an arm a continuous infusion names)
    r"|\bCI\b(?!\s+(?:therapy|arm|group|regimen|treatment|cohort|schedule))"
    r"|\b(?:response|remission)\s+rates?\b|^\d[\d.]*\s*%|\ba\s+median\s+(?:of\s+)?\d"
    r"|\brates?\s+of\s+\d"  # 'with an OS rate of 13.8%': another measure's value
    r"|\b(?:difference|differences|gain|improvement|prolongation)\b"
    r"|(?<!\bwho\s)(?<!\bthat\s)(?<!\bwhich\s)\b(?:occurred|was|were|is|are|showed|noted|observed|seen|reported)\b"
    r"|\bwhose(?:\s+[\w\-]+){0,2}$"  # 'patients whose disease' cut before its verb
    r"|\band\s+[^,]*\bin\s+\d+$|\b(?:in|of)\s+\d+$|^\d[\d.]*\s*(?:months?|years?|weeks?|days?)$",
    re.IGNORECASE,
)
_WHOSE = re.compile(
    r"^(?:the\s+)?(?:patients|those|participants|subjects|cases)\s+whose\s", re.IGNORECASE
)
_WHOSE_VERB = re.compile(r"(\bwhose\s+(?:[\w\-]+\s+){1,3}?)(?:was|were|is|are)\s", re.IGNORECASE)
# Part of a response's definition: 'complete remission with incomplete count recovery (CRi)'.
_RESPONSE_DEFINITION = re.compile(
    r"\b(?:incomplete|partial)\s+(?:(?:hematologic(?:al)?|haematologic(?:al)?|blood|count|platelet|"
    r"neutrophil)\s+)*(?:count\s+)?recovery\b",
    re.IGNORECASE,
)
# A counted time in the treatment, not a population: 'cycle 1', 'two cycles', 'the second course' (not
# 'after consolidation': a phase that may be an arm's).
_TREATMENT_TIME = re.compile(
    r"(?:the\s+)?(?:(?:first|second|third|fourth|\d+|one|two|three|four|six)\s+)?(?:cycles?|courses?)"
    r"(?:\s+(?:\d+|of\s+\w+))?",
    re.IGNORECASE,
)
# Where in the body, not who: 'relapsed in the marrow', 'recurrence in the pelvic wall'.
_SITE = re.compile(
    r"^(?:the\s+)?(?:(?:bone\s+)?marrow|CNS|central\s+nervous\s+system|brain|lungs?|liver|skin|"
    r"lymph\s+nodes?|nodes?|pelvi[cs]\w*(?:\s+wall)?|vagina\w*(?:\s+vault)?|testes|testis|breast|bones?|"
    r"peritoneum|(?:local|regional|distant|locoregional)(?:\s+sites?)?|meninges|skin\s+and\s+soft\s+tissue)$",
    re.IGNORECASE,
)

# A time origin that is an event of the disease defines who was followed ('OS from relapse': patients who
# relapsed); one that is a treatment or a date only says when the clock started ('after immunotherapy').
_ORIGIN = re.compile(r"^(?:after|following|from|since|post)\s+(?P<what>.+)$", re.IGNORECASE)
_EVENT = re.compile(
    r"\b(?:relaps\w*|progress\w*|recurr\w*|failure|failing|refractor\w*|resistan\w*|PD|POD\d*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Label:
    """A group phrase read: what it is, and the text to store (None for the whole cohort or a junk phrase)."""

    reading: Reading
    text: str | None


def read_label(group: Group) -> Label:
    """What a group phrase names."""
    text = " ".join(group.label.split())
    origin = _ORIGIN.match(text)
    if group.origin or origin:
        what = origin.group("what") if origin else text
        if _TREATMENT_TIME.fullmatch(what):
            return Label(
                "when", text
            )  # 'after cycle 1' vs 'after cycle 2': times, even set against each other
        if _EVENT.search(what):
            return Label("population", text)
        return Label(
            "origin",
            text
            if text.lower().startswith(("from ", "after ", "following ", "since ", "post "))
            else f"from {text}",
        )
    if _SITE.match(text):
        return Label("site", None)
    if _RESPONSE_DEFINITION.search(text):
        return Label(
            "site", None
        )  # 'CR with partial hematologic recovery (CRh)': what the measure is, no one's
    if re.fullmatch(r"(?:cycle|course)\s+\d+", text, re.IGNORECASE):
        return Label(
            "when", f"after {text}"
        )  # '58% after cycle 2': a time ('two cycles' may be people's)
    if _ALL_ARMS.match(text):
        return Label("all_arms", None)
    if _COUNTED_PEOPLE.fullmatch(text):
        return Label(
            "count", None
        )  # 'Thirty-two patients achieved CR (57%)': the numerator, no group
    if _WHOLE.match(text):
        return Label("whole", None)
    # 'patients whose disease was refractory': the verb of a relative clause, not one the phrase ran on to
    judged = _WHOSE_VERB.sub(r"\1", text) if _WHOSE.match(text) else text
    if _JUNK.search(judged) or len(text) > 90:
        head = re.split(
            r"\s+(?:and|but|while|whereas|after|at|within|during)\s+", text, maxsplit=1
        )[0]
        if head != text and _WHOLE.match(head):
            return Label(
                "whole", None
            )  # 'patients and partial responses in 5': the phrase ran on past its noun
        return Label("junk", None)
    return Label("population", text)


_COUNTED_PEOPLE = re.compile(
    rf"(?:\d[\d,]*|(?:{NUMBER_WORD})(?:[\s\-]+(?:{NUMBER_WORD}))?)\s+(?:\w+\s+)?"
    r"(?:patients|participants|subjects|cases|women|men|children|adults)",
    re.IGNORECASE,
)


def names_whole_cohort(text: str) -> bool:
    """'all patients', 'the 305 patients included', 'the study population': the whole cohort."""
    return bool(_WHOLE.match(" ".join(text.split())))
