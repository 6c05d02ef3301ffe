"""extractor: spaCy rules that find outcome values in abstract text, with provenance.

Knows nothing of SQLite or of where texts come from. `Extractor().extract(text)`
returns `Outcome` records whose `start`/`end` index the text exactly. spaCy is
imported only when an `Extractor` is first asked for, so a process that only
stores results (or only needs the version) stays small.
"""
from typing import Any

from extractor.errors import ExtractionError, PatternError
from extractor.records import MEASURES, Failure, Outcome
from extractor.version import extractor_version

__all__ = ["Extractor", "ExtractionError", "Failure", "MEASURES", "Outcome", "PatternError", "extractor_version"]


def __getattr__(name: str) -> Any:
    if name == "Extractor":
        from extractor.extract import Extractor  # noqa: PLC0415

        return Extractor
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
