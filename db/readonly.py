"""Read-only SQL over an evidence database: what `evidence sql` and the pandas readers use.

The connection is opened read-only (`mode=ro`, `query_only`) and, since a read-only
connection could still create files or change settings, an authorizer refuses
ATTACH/DETACH (and so VACUUM INTO) and PRAGMAs that set something, with a message
that says so instead of SQLite's "disk I/O error" or "too many attached databases".
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Pragmas that take an argument and only read (`PRAGMA table_info(studies)`).
_READING_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check", "function_list", "pragma_list", "collation_list",
    "module_list", "compile_options",
})
REFUSED = "read-only queries may not {}"


def _authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _source: str | None) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _READING_PRAGMAS:
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


def run(con: sqlite3.Connection, sql: str, params: dict[str, Any] | list[Any] | None = None
        ) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of one statement; sqlite3.Error propagates for the caller to translate."""
    cur = con.execute(sql, params or [])
    return [d[0] for d in cur.description or []], cur.fetchall()
