"""db: the evidence store (SQLite via sqlite-utils) and everything that reads it back."""
from db.lean import import_sqlite_utils

import_sqlite_utils()  # first: see db/lean.py

from db.errors import QueryError, SchemaError, StoreError  # noqa: E402
from db.records import ImportReport, outcome_id  # noqa: E402
from db.schema import SCHEMA_VERSION  # noqa: E402
from db.store import EvidenceDB  # noqa: E402

__all__ = ["EvidenceDB", "ImportReport", "QueryError", "SCHEMA_VERSION", "SchemaError", "StoreError", "outcome_id"]
