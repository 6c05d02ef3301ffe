"""A connection that may change only the tables named: what a web page that records decisions is allowed.

`writing_only(conn, {"reviews"})` sets an SQLite authorizer for the duration of a block: reads
are free, INSERT/UPDATE/DELETE are refused on any other table, and so is everything that
changes the schema, attaches another file or sets a PRAGMA. SQLite refuses the statement
itself ("not authorized"), so a bug in the code that writes cannot touch the rest of the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator
from contextlib import contextmanager

_ROW_WRITES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})
_ALLOWED = frozenset(
    {
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_TRANSACTION,
        sqlite3.SQLITE_SAVEPOINT,
        sqlite3.SQLITE_RECURSIVE,
    }
)


@contextmanager
def writing_only(conn: sqlite3.Connection, tables: Collection[str]) -> Iterator[sqlite3.Connection]:
    """Within the block, `conn` may write rows of `tables` only (and read anything)."""
    allowed = frozenset(tables)

    def authorize(
        action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
    ) -> int:
        if action in _ROW_WRITES:
            return sqlite3.SQLITE_OK if arg1 in allowed else sqlite3.SQLITE_DENY
        if action in _ALLOWED or (action == sqlite3.SQLITE_PRAGMA and arg2 is None):
            return sqlite3.SQLITE_OK  # reading a PRAGMA (table_info) is reading
        return sqlite3.SQLITE_DENY

    conn.set_authorizer(authorize)
    try:
        yield conn
    finally:
        conn.set_authorizer(None)
