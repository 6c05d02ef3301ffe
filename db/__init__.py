"""db: the evidence store (SQLite via sqlite-utils) and everything that reads it back."""
from db.errors import QueryError, SchemaError, StoreError
from db.records import ImportReport, outcome_id
from db.schema import SCHEMA_VERSION
from db.store import EvidenceDB

__all__ = ["EvidenceDB", "ImportReport", "QueryError", "SCHEMA_VERSION", "SchemaError", "StoreError", "outcome_id"]
