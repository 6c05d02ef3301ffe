"""The schema a user sees (tables, views, their columns) is generated in part from the registered measures
(the `evidence` view): it stays, to the character, what it was when it was written out by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from evidence_tables.db.store import EvidenceDB

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema.sql"


def test_a_new_store_has_the_schema_it_always_had(tmp_path):
    path = tmp_path / "new.db"
    EvidenceDB(path).db.conn.close()
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        )
        schema = "".join(f"-- {kind} {name}\n{sql};\n" for kind, name, sql in rows)
    assert schema == FIXTURE.read_text()
