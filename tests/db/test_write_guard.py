"""A connection under `writing_only` changes the tables named and nothing else (what the review pages get)."""

from __future__ import annotations

import sqlite3

import pytest

from evidence_tables.db.reviews import clear, mark
from evidence_tables.db.write_guard import writing_only

REFUSED = [
    "DELETE FROM outcomes",
    "UPDATE studies SET title = 'x'",
    "INSERT INTO extractions SELECT * FROM extractions",
    "CREATE TABLE t (a)",
    "DROP VIEW evidence",
    "ALTER TABLE reviews ADD COLUMN x",
    "PRAGMA user_version = 99",
    "ATTACH ':memory:' AS other",
    "CREATE TRIGGER t AFTER INSERT ON reviews BEGIN DELETE FROM outcomes; END",
]


def test_the_reviews_table_takes_decisions(evidence_store, ids):
    value = ids(evidence_store, "a1", "cr_rate", "R-CHOP")
    with writing_only(evidence_store.db.conn, {"reviews"}):
        mark(evidence_store, value, "corrected", corrections={"value": 42.0})
        mark(evidence_store, value, "rejected", note="twice")
        assert evidence_store.count("reviews") == 1
        assert clear(evidence_store, value) == 1


@pytest.mark.parametrize("sql", REFUSED, ids=[s.split(" (")[0][:30] for s in REFUSED])
def test_everything_else_is_refused(evidence_store, sql):
    conn = evidence_store.db.conn
    before = conn.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0]
    with (
        writing_only(conn, {"reviews"}),
        pytest.raises(sqlite3.DatabaseError, match="not authorized"),
    ):
        conn.execute(sql)
    assert conn.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0] == before
    assert conn.execute("PRAGMA user_version").fetchone()[0] != 99


def test_the_guard_ends_with_its_block(evidence_store):
    conn = evidence_store.db.conn
    with writing_only(conn, {"reviews"}):
        pass
    conn.execute("UPDATE studies SET title = 'after' WHERE study_id = 'c3'")
    assert evidence_store.study("c3")["title"] == "after"
