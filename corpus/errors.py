"""The corpus package's exception tree: every error it raises is a `CorpusError`."""

from __future__ import annotations


class CorpusError(Exception):
    """Base of every error raised by the corpus package."""

    def __init__(
        self, message: str, *, source: str | None = None, location: str | None = None
    ) -> None:
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


class FetchError(CorpusError):
    """A web service could not give an answer: network down, HTTP errors that outlasted every retry."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        location: str | None = None,
        status: int | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message, source=source, location=location)
        self.status = status
        self.attempts = attempts


class RateLimitError(FetchError):
    """The service kept refusing requests for rate (HTTP 429) after every retry."""


class ServiceError(FetchError):
    """The service answered HTTP 200 with an error message instead of data (`<ERROR>`, `esearchresult.ERROR`)."""


class HistoryExpiredError(ServiceError):
    """The E-utilities history session (WebEnv/query_key) expired or is unknown to the server."""


class SearchError(CorpusError):
    """The service rejected the search query itself, or it cannot be split finely enough to fetch it whole."""
