"""Read-only SQL over an evidence database: what `evidence sql` and the pandas readers use.

The connection is opened read-only (`mode=ro`, `query_only`) and, since a read-only
connection could still create files or change settings, an authorizer refuses
ATTACH/DETACH (and so VACUUM INTO) and PRAGMAs that set something, with a message
that says so instead of SQLite's "disk I/O error" or "too many attached databases".

`RowStream` runs a query whose rows are fetched as they are read (memory holds one
batch, whatever the result's size), with a time limit on the work SQLite does and a
`stop()` that a signal handler may call: SQLite's progress handler checks both every
`PROGRESS_STEPS` virtual-machine steps, so even a query that never returns a row (a
runaway recursive CTE) ends.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from evidence_tables.db.errors import QueryError, QueryStopped

# Pragmas that take an argument and only read (`PRAGMA table_info(studies)`).
_READING_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
        "function_list",
        "pragma_list",
        "collation_list",
        "module_list",
        "compile_options",
    }
)
REFUSED = "read-only queries may not {}"


def _authorize(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _source: str | None
) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if (
        action == sqlite3.SQLITE_PRAGMA
        and arg2 is not None
        and (arg1 or "").lower() not in _READING_PRAGMAS
    ):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection to `path` that cannot write to it or to anything else."""
    con = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
    con.execute("PRAGMA query_only = ON")
    con.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)  # belt and braces: ATTACH would create files
    con.set_authorizer(_authorize)
    return con


def explain(exc: sqlite3.Error, sql: str) -> str:
    """SQLite's message, or what was refused in words a user can act on."""
    message = str(exc)
    words = sql.lstrip().lower()
    if any(t in message for t in ("not authorized", "authorization denied", "too many attached")):
        if words.startswith("pragma"):
            return REFUSED.format("set a PRAGMA (reading one, or PRAGMA table_info(...), is fine)")
        return REFUSED.format("ATTACH, DETACH or VACUUM INTO another file")
    if "readonly" in message:
        return REFUSED.format("change the database") + f" ({message})"
    return message


PROGRESS_STEPS = 10_000  # SQLite steps between two checks (a check costs about a microsecond)
FETCH_ROWS = 500  # rows fetched at a time


class RowStream:
    """The rows of one read-only statement, fetched `FETCH_ROWS` at a time as they are iterated; the
    statement starts when its columns or rows are first asked for.

    `timeout` (seconds, None for none) bounds the time spent inside SQLite, not the time the caller
    takes to write the rows out. When the time is up or `stop()` was called, the statement is
    abandoned and sqlite3 raises OperationalError ("interrupted"); `stopped` then says why."""

    def __init__(
        self,
        con: sqlite3.Connection,
        sql: str,
        params: dict[str, Any] | list[Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        self.timeout = timeout
        self.stopped: str | None = None  # "timeout", or what stop() was told
        self._con, self._sql, self._params = con, sql, params or []
        self._cursor: sqlite3.Cursor | None = None
        self._spent = 0.0
        self._since = time.monotonic()

    @property
    def columns(self) -> list[str]:
        """The result's column names (asking for them starts the statement)."""
        return [d[0] for d in self._started().description or []]

    def _started(self) -> sqlite3.Cursor:
        if (
            self._cursor is None
        ):  # SQLite works until the first row here: this may be most of the work
            self._con.set_progress_handler(self._progress, PROGRESS_STEPS)
            self._cursor = self._timed(self._con.execute, self._sql, self._params)
        return self._cursor

    def stop(self, why: str = "stopped") -> None:
        """End the statement at its next check (safe to call from a signal handler)."""
        self.stopped = self.stopped or why

    def _progress(self) -> int:
        if (
            self.stopped is None
            and self.timeout
            and self._spent + time.monotonic() - self._since > self.timeout
        ):
            self.stopped = "timeout"
        return self.stopped is not None  # true: SQLite abandons the statement

    def _timed(self, step: Any, *args: Any) -> Any:
        self._since = time.monotonic()
        try:
            return step(*args)
        finally:
            self._spent += time.monotonic() - self._since

    def __iter__(self) -> Iterator[tuple]:
        while True:
            if (
                self.stopped
            ):  # stopped while the caller was writing rows out: no progress check came
                raise sqlite3.OperationalError("interrupted")
            rows = self._timed(self._started().fetchmany, FETCH_ROWS)
            if not rows:
                return
            yield from rows


@contextmanager
def streamed(
    con: sqlite3.Connection,
    sql: str,
    params: dict[str, Any] | list[Any] | None = None,
    *,
    timeout: float | None = None,
    path: str | None = None,
    close: bool = True,
) -> Iterator[RowStream]:
    """A RowStream over `con`, its errors translated: QueryStopped when it ran over `timeout` seconds of work
    or `stop()` was called, QueryError when SQLite refused it. `close`: close `con` after."""
    rows = RowStream(con, sql, params, timeout=timeout)
    try:
        yield rows
    except sqlite3.Error as exc:
        if rows.stopped == "timeout":
            raise QueryStopped(
                f"the query was stopped after {timeout:g} s of work (--timeout; 0 for no limit)",
                path=path,
            ) from exc
        if rows.stopped:
            raise QueryStopped("the query was interrupted", path=path, why=rows.stopped) from exc
        raise QueryError(explain(exc, sql), path=path) from exc
    finally:
        con.set_progress_handler(None, 0)
        if close:
            con.close()
