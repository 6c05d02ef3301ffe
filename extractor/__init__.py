"""extractor: spaCy rules that find outcome values in abstract text, with provenance.

Knows nothing of SQLite or of where texts come from. `Extractor().extract(text)`
returns `Outcome` records whose `start`/`end` index the text exactly. spaCy is
imported only when an `Extractor` is first asked for, so a process that only
stores results (or only needs the version) stays small.
"""

if (
    __name__ != "evidence_tables.extractor"
):  # the folder is installed as evidence_tables.extractor; a top-level `extractor` is some other package
    raise ImportError(
        f"this folder is the package evidence_tables.extractor; import evidence_tables.extractor, not {__name__}"
    )
from typing import Any

from evidence_tables.extractor.errors import ExtractionError, PatternError
from evidence_tables.extractor.outcomes import MEASURES, Failure, Outcome
from evidence_tables.extractor.version import extractor_version

__all__ = [
    "Extractor",
    "ExtractionError",
    "Failure",
    "MEASURES",
    "Outcome",
    "PatternError",
    "extractor_version",
]


def __getattr__(name: str) -> Any:
    if name == "Extractor":
        from evidence_tables.extractor.extract import Extractor  # noqa: PLC0415

        return Extractor
    raise AttributeError(f"module 'evidence_tables.extractor' has no attribute {name!r}")
