"""How the store connects to its SQLite file so that several processes can write to it at once.

An evidence database is often written by two commands at the same time: `extract` running while new
search results are imported or fetched, or two imports. SQLite lets one writer in at a time; the
others must wait for it, not fail:

- every write transaction starts `BEGIN IMMEDIATE`, taking the write lock before it reads. A
  deferred transaction (sqlite-utils' `atomic()` begins one) reads first and asks for the lock at its
  first write; if another process wrote in between, or holds the lock then, SQLite cannot let it wait
  (its snapshot would be stale) and answers "database is locked" at once, whatever the busy timeout;
- a process that finds the lock taken waits up to `BUSY_TIMEOUT` seconds (SQLite's busy handler),
  far longer than the longest transaction the tool writes (an import transaction of 2,000 real
  abstracts takes 0.2-0.3 s here);
- the file is in WAL mode, so readers (`evidence sql`, Datasette, the table commands) never block a
  writer and are never blocked by one.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT = 60.0  # seconds a writer waits for another one before giving up


class ImmediateDatabase(sqlite_utils.Database):
    """A sqlite-utils Database whose transactions take the write lock when they begin.

    `atomic()` (which every sqlite-utils write method uses, and so does the store) begins
    `BEGIN IMMEDIATE` instead of a deferred `BEGIN`; nested blocks are savepoints, as in sqlite-utils.
    Statements run outside any block begin their implicit transaction IMMEDIATE too."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[ImmediateDatabase]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def connect(path: str | Path) -> ImmediateDatabase:
    """The store's connection to `path`: busy timeout, immediate transactions, WAL mode."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT)
    try:
        conn.isolation_level = "IMMEDIATE"  # the transactions sqlite3 opens itself before a write
        db = ImmediateDatabase(conn)
        db.execute("PRAGMA journal_mode=WAL")
    except BaseException:
        conn.close()
        raise
    return db
