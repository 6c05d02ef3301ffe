"""extractor: spaCy rules that find outcome values in abstract text, with provenance.

Knows nothing of SQLite or of where texts come from. `Extractor().extract(text)`
returns `Outcome` records whose `start`/`end` index the text exactly.
"""
from extractor.errors import ExtractionError, PatternError
from extractor.extract import Extractor, extractor_version
from extractor.records import MEASURES, Outcome

__all__ = ["Extractor", "ExtractionError", "MEASURES", "Outcome", "PatternError", "extractor_version"]
