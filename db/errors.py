"""The db package's exception tree (every error it raises is a `StoreError`), and `translated`, which turns
SQLite's errors into it at the boundary of the store's methods."""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from evidence_tables.db.connection import BUSY_TIMEOUT


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


class QueryStopped(QueryError):
    """A query was stopped before its end: it ran over its time limit, or the user interrupted it."""

    def __init__(self, message: str, *, path: str | None = None, why: str = "timeout") -> None:
        super().__init__(message, path=path)
        self.why = why


class ReviewError(StoreError):
    """A reviewer's decision cannot be recorded (unknown or ambiguous value id, bad correction)."""


F = TypeVar("F", bound=Callable[..., Any])


def sqlite_message(exc: sqlite3.Error) -> str:
    """SQLite's message, and what to do when it gave up waiting for another writer."""
    if isinstance(exc, sqlite3.OperationalError) and "database is locked" in str(exc):
        return (
            f"{exc}: another process kept it locked for over {BUSY_TIMEOUT:.0f} s (an import, extract or fetch "
            "still running?); run the command again when that is done"
        )
    return str(exc)


def translated(action: str) -> Callable[[F], F]:
    """SQLite errors inside a store method (of an object with a `path`) become StoreError naming what was being done ('database is locked')."""

    def wrap(func: F) -> F:
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def gen(self: Any, *args: Any, **kwargs: Any) -> Any:
                try:
                    yield from func(self, *args, **kwargs)
                except sqlite3.Error as exc:
                    raise StoreError(f"{action}: {sqlite_message(exc)}", path=self.path) from exc

            return gen  # type: ignore[return-value]

        @functools.wraps(func)
        def plain(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return func(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise StoreError(f"{action}: {sqlite_message(exc)}", path=self.path) from exc

        return plain  # type: ignore[return-value]

    return wrap
