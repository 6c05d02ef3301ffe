"""The db package's exception tree: every error it raises is a `StoreError`."""
from __future__ import annotations


class StoreError(Exception):
    """Base of every error raised by the db package."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SchemaError(StoreError):
    """The file is not an evidence database, or was written by a newer version of the tool."""


class QueryError(StoreError):
    """An ad-hoc read-only query failed (syntax, unknown column, or an attempt to write)."""


class ReviewError(StoreError):
    """A reviewer's decision cannot be recorded (unknown or ambiguous value id, bad correction)."""
