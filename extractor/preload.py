"""The pipeline the extraction workers start with: imported once, by their forkserver (extractor.parallel).

Importing this module builds a pipeline. The forkserver imports it before it forks any worker, so
every worker starts with the pipeline built (spaCy imported, tokenizer and cue matcher compiled:
about 0.6 s of CPU each otherwise) and shares its memory pages with the others until it writes them.
Nothing else imports it.
"""

from __future__ import annotations

from evidence_tables.extractor.errors import ExtractionError
from evidence_tables.extractor.extract import Extractor

_built: list[Extractor] = []
try:
    _built.append(Extractor())
except (
    ExtractionError
):  # a broken rule file: each worker builds its own, and its first task says why
    pass


def take(gate: bool) -> Extractor | None:
    """The pipeline built at import, to the first caller in this process; None after it, or if none was built."""
    if not _built:
        return None
    built = _built.pop()
    return Extractor(built.nlp, built.lexicon, gate=gate)
