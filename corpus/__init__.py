"""corpus: study abstracts from files and web services, as `Article` records.

Knows nothing of spaCy or SQLite. Parsers are generators that yield `Article`,
`Deletion` and `Rejected` items, so one bad record never stops a file.
"""

if (
    __name__ != "evidence_tables.corpus"
):  # the folder is installed as evidence_tables.corpus; a top-level `corpus` is some other package
    raise ImportError(
        f"this folder is the package evidence_tables.corpus; import evidence_tables.corpus, not {__name__}"
    )
from evidence_tables.corpus.errors import CorpusError, FormatError, ParseError, SourceError
from evidence_tables.corpus.files import detect_format, read_path
from evidence_tables.corpus.models import Article, Deletion, Item, Rejected

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
