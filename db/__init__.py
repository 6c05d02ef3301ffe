"""db: the evidence store (SQLite via sqlite-utils) and everything that reads it back.

sqlite-utils is imported first, without its optional pandas and numpy column types:
when pandas and numpy are installed, importing sqlite-utils imports them too, only
to map their scalar types to column types when a table is created from values.
This store declares its columns with Python types and never inserts pandas or numpy
values, and the two cost about 60 MB in every process that imports `db`, and again
in each extraction worker forked from it. The modules that build tables
(db.tables, db.export) import pandas themselves, as usual.
"""

if (
    __name__ != "evidence_tables.db"
):  # the folder is installed as evidence_tables.db; a top-level `db` is some other package
    raise ImportError(
        f"this folder is the package evidence_tables.db; import evidence_tables.db, not {__name__}"
    )
import sys

_OPTIONAL = ("pandas", "numpy")


def _import_sqlite_utils() -> None:
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in _OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import sqlite_utils  # noqa: F401,PLC0415
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_import_sqlite_utils()

from evidence_tables.db.errors import QueryError, QueryStopped, SchemaError, StoreError  # noqa: E402
from evidence_tables.db.rows import ImportReport, outcome_id  # noqa: E402
from evidence_tables.db.schema import SCHEMA_VERSION  # noqa: E402
from evidence_tables.db.store import EvidenceDB  # noqa: E402

__all__ = [
    "EvidenceDB",
    "ImportReport",
    "QueryError",
    "QueryStopped",
    "SCHEMA_VERSION",
    "SchemaError",
    "StoreError",
    "outcome_id",
]
