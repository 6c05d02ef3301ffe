"""corpus: study abstracts from files and web services, as `Article` records.

Knows nothing of spaCy or SQLite. Parsers are generators that yield `Article`,
`Deletion` and `Rejected` items, so one bad record never stops a file.
"""
from corpus.errors import CorpusError, FormatError, ParseError, SourceError
from corpus.files import detect_format, read_path
from corpus.models import Article, Deletion, Rejected, Item

__all__ = [
    "Article",
    "CorpusError",
    "Deletion",
    "FormatError",
    "Item",
    "ParseError",
    "Rejected",
    "SourceError",
    "detect_format",
    "read_path",
]
