"""The corpus package's exception tree: every error it raises is a `CorpusError`."""
from __future__ import annotations


class CorpusError(Exception):
    """Base of every error raised by the corpus package."""

    def __init__(self, message: str, *, source: str | None = None, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.location = location

    def __str__(self) -> str:
        where = ":".join(p for p in (self.source, self.location) if p)
        return f"{where}: {self.message}" if where else self.message


class SourceError(CorpusError):
    """A file or stream could not be opened or read (missing, unreadable, not gzip)."""


class FormatError(CorpusError):
    """The format of a file could not be recognised or is not supported."""


class ParseError(CorpusError):
    """A file stopped being parseable part-way (truncated or malformed XML, bad encoding)."""
