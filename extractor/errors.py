"""The extractor package's exception tree: every error it raises is an `ExtractionError`."""

from __future__ import annotations


class ExtractionError(Exception):
    """Base of every error raised by the extractor package."""


class PatternError(ExtractionError):
    """A rule file (patterns/*.jsonl) or the regimen lexicon is malformed."""

    def __init__(self, message: str, *, file: str, line: int | None = None) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.message = message
        self.file = file
        self.line = line

    def __reduce__(self) -> tuple:  # keyword-only arguments: picklable from a worker process
        return (_rebuild, (self.message, self.file, self.line))


def _rebuild(message: str, file: str, line: int | None) -> PatternError:
    return PatternError(message, file=file, line=line)


class WorkerLost(ExtractionError):
    """An extraction worker process ended while it had work (killed, or out of memory)."""
