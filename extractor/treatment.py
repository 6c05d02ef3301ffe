"""The treatment of a single-arm study, read from its first sentences."""

from __future__ import annotations

from evidence_tables.extractor.document import Document
from evidence_tables.extractor.search.casefold import compile_folded
from evidence_tables.extractor.search.word_start import word_start

_CLASSES = {
    "chemotherapy",
    "CAR-T",
    "bispecific antibody",
    "checkpoint inhibitor",
    "chemoimmunotherapy",
    "allo-HCT",
    "ASCT",
    "radiotherapy",
    "surgery",
    "hypomethylating agent",
    "BTK inhibitor",
}
_SETTING = compile_folded(
    r"\b(?:after|following|failure\s+of|failing|progress\w*\s+(?:on|after)|relaps\w*\s+after|"
    r"refractory\s+to|resistant\s+to|previously\s+treated\s+with|prior|exposed\s+to|post|"
    r"pretreated\s+with|ineligible\s+for|unfit\s+for)\s+(?:[\w\-]+\s+){0,3}(?:or\s+|and\s+)?$"
)
_MULTI_ARM = compile_folded(
    word_start(
        "randomi[sz]ed",
        "randomly",
        "versus",
        r"vs\.?",
        r"compared\s+with",
        r"arms?\b",
        "placebo",
        r"control\s+group",
    )
)
_SINGLE_ARM = compile_folded(word_start(r"single[\s\-](?:arm|group)\b", r"one[\s\-]arm\b"))
# Drugs named as examples of other work: 'novel agents such as polatuzumab', 'alternatives including lenalidomide'.
_EXAMPLE = compile_folded(
    r"\b(?:such\s+as|e\.g\.,?|for\s+example|alternatives?|novel\s+agents?)\s+"
    r"(?:[\w\-]+\s+){0,2}(?:and\s+|or\s+|,\s*)?$"
)


def study_treatment(doc: Document) -> str | None:
    """The treatment of a single-arm study ('mosunetuzumab + polatuzumab vedotin'), else None.

    Read from the first sentences: the named drugs and regimens (treatment classes
    such as 'CAR-T' usually describe the setting, not the study treatment). A study
    that compares arms has no single treatment (`Arms.of` only asks when it found none).
    """
    first_half = doc.sentences[: max(3, len(doc.sentences) // 2)]
    single = _SINGLE_ARM.search(doc.folded)
    if not single and any(_MULTI_ARM.search(s.folded) for s in first_half):
        return None
    names: list[str] = []
    # the study's own first sentences: drugs named in the background ('novel agents such as polatuzumab
    # have shown promise') are other work, not what this study gave
    own = [s for s in doc.sentences if not s.background][:4]
    for s in own:
        for r in s.regimens:
            if _SETTING.search(doc.folded, max(0, r.start - 50), r.start):
                continue  # 'progressed after axicabtagene ciloleucel': the setting, not the study treatment
            if _EXAMPLE.search(doc.folded, max(0, r.start - 40), r.start):
                continue  # 'agents such as polatuzumab': examples of other work
            name = r.text.lower() if r.rule == "regimen.stem" else r.rule
            if name in _CLASSES or name in ("placebo", "observation", "best supportive care"):
                continue
            if name not in names:
                names.append(name)
    if not names or len(names) > 3:
        return None
    return " + ".join(names)
