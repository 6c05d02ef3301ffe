from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils

from evidence_tables.db import schema


@pytest.fixture
def database_before(tmp_path: Path) -> Callable[[Callable[[sqlite_utils.Database], None]], Path]:
    """`database_before(schema._v_x)`: the path of a database file whose schema stops just before that
    migration step (user_version says so), as a database written by an older version of the tool."""

    def make(step: Callable[[sqlite_utils.Database], None]) -> Path:
        path = tmp_path / "old.db"
        db = sqlite_utils.Database(path)
        before = schema.MIGRATIONS.index(step)
        for earlier in schema.MIGRATIONS[:before]:
            earlier(db)
        db.execute(f"PRAGMA user_version = {before}")
        db.close()
        return path

    return make
