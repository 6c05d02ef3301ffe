"""Study-level context: the arms or groups a study compares, and the treatment of a single-arm study.

Values printed without their group ('CR rates were 38% and 31%, respectively')
are paired with the arms the abstract introduced earlier, in the order it
introduced them: 'randomly assigned to A or B', 'A (n = 268) or B (n = 144)',
'(63 TE and 62 TEL patients)'.
"""
from __future__ import annotations

import re

from extractor.document import Document
from extractor.groups import Group, clean

_RANDOMIZED_TO = re.compile(
    r"(?:randomi[sz]ed|randomly\s+assigned|randomly\s+allocated|allocated|assigned)\s+(?:\([^)]*\)\s+)?"
    r"(?:in\s+a\s+\S+\s+ratio\s+)?(?:\d:\d\s+)?(?:to\s+(?:receive\s+)?(?:either\s+)?)"
    r"(?P<a>[^,;()]+?)\s*(?:\([^)]*\)\s*)?,?\s+(?:or|versus|vs\.?)\s+(?P<b>[^,;()]+?)\s*(?:\(|[,.;]|$)",
    re.IGNORECASE,
)
_SIZED = re.compile(
    r"(?:^|[,;:(]\s*|\b(?:and|or|versus|vs\.?|received|receiving|to|with)\s+)"
    r"(?P<label>[A-Za-z][\w\-+/ ]{0,60}?)\s*(?:\(\s*n\s*=\s*\d[\d,]*[^)]*\)|,\s*n\s*=\s*\d[\d,]*)",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\b\d[\d,]*\s+(?P<a>[A-Z][\w\-+/]*)\s+and\s+\d[\d,]*\s+(?P<b>[A-Z][\w\-+/]*)\s+(?:patients|participants)")
_NOT_ARM = re.compile(r"^(?:total|all|overall|patients|the\s+study|median|a\s+total|phase|cohort|trial)\b", re.I)
_CLASSES = {"chemotherapy", "CAR-T", "bispecific antibody", "checkpoint inhibitor", "chemoimmunotherapy",
            "allo-HCT", "ASCT", "radiotherapy", "surgery", "hypomethylating agent", "BTK inhibitor"}
_MULTI_ARM = re.compile(r"\b(?:randomi[sz]ed|randomly|versus|vs\.?|compared\s+with|arms?\b|placebo|control\s+group)", re.I)


def _label(text: str) -> str | None:
    label = clean(text)
    if not label or _NOT_ARM.match(label) or len(label) > 60:
        return None
    return re.sub(r"\s+(?:arms?|groups?)$", "", label, flags=re.I) if len(label.split()) > 1 else label


def trial_arms(doc: Document) -> list[Group]:
    """The arms or comparison groups the abstract introduces, in order (empty if it names fewer than two)."""
    for s in doc.sentences[:14]:
        m = _RANDOMIZED_TO.search(s.text)
        if m:
            a, b = _label(m.group("a")), _label(m.group("b"))
            if a and b:
                return [Group(a, s.start + m.start("a"), s.start + m.end("a")),
                        Group(b, s.start + m.start("b"), s.start + m.end("b"))]
    for s in doc.sentences[:14]:
        found = []
        for m in _SIZED.finditer(s.text):
            label = _label(m.group("label"))
            if label and label.lower() not in {g.label.lower() for g in found}:
                found.append(Group(label, s.start + m.start("label"), s.start + m.end("label")))
        if len(found) >= 2:
            return found
        m = _COUNTED.search(s.text)
        if m:
            return [Group(m.group("a"), s.start + m.start("a"), s.start + m.end("a")),
                    Group(m.group("b"), s.start + m.start("b"), s.start + m.end("b"))]
    return []


def study_treatment(doc: Document) -> str | None:
    """The treatment of a single-arm study ('mosunetuzumab + polatuzumab vedotin'), else None.

    Read from the first sentences: the named drugs and regimens (treatment classes
    such as 'CAR-T' usually describe the setting, not the study treatment). A study
    that compares arms has no single treatment.
    """
    if _MULTI_ARM.search(doc.text):
        return None
    names: list[str] = []
    for s in doc.sentences[:4]:
        for r in s.regimens:
            name = r.text.lower() if r.rule == "regimen.stem" else r.rule
            if name in _CLASSES or name in ("placebo", "observation", "best supportive care"):
                continue
            if name not in names:
                names.append(name)
    if not names or len(names) > 3:
        return None
    return " + ".join(names)
