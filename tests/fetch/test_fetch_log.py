"""The fetch_items migration and the layering of the new modules."""

from __future__ import annotations

import subprocess
import sys

import sqlite_utils

from evidence_tables.db import EvidenceDB
from evidence_tables.db.schema import MIGRATIONS, SCHEMA_VERSION, _v1, _v_fetch_status


def test_a_version_1_database_gains_fetch_items(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    _v1(old)
    old.execute("PRAGMA user_version = 1")
    old.close()
    store = EvidenceDB(path)
    assert _v_fetch_status in MIGRATIONS and SCHEMA_VERSION == len(MIGRATIONS)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db["fetch_items"].pks == ["run_id", "record_id"]
    _v_fetch_status(
        store.db
    )  # self-contained: running it again (after a merge reorders steps) changes nothing
    assert set(store.db["fetch_items"].columns_dict) == {
        "run_id",
        "source",
        "record_id",
        "status",
        "reason",
        "updated_at",
    }


def test_the_commands_are_registered_whichever_module_is_imported_first():
    for first in ("evidence_tables.cli", "evidence_tables.fetch_cli"):
        code = (
            f"import click, {first}; from evidence_tables.cli import cli; ctx = click.Context(cli); "
            "print([n for n in cli.list_commands(ctx) if cli.get_command(ctx, n)])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert "'fetch'" in out and "'run'" in out and "'import'" in out, first
