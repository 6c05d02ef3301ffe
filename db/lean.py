"""sqlite-utils without its optional pandas and numpy column types.

When pandas and numpy are installed, importing sqlite-utils imports them too, only
to map their scalar types to column types when a table is created from values.
This store declares its columns with Python types and never inserts pandas or numpy
values, and the two cost about 60 MB in every process that imports `db`, and again
in each extraction worker forked from it. So they are hidden while sqlite-utils is
first imported; the modules that build tables import pandas themselves, as usual.
"""
from __future__ import annotations

import sys

_OPTIONAL = ("pandas", "numpy")


def import_sqlite_utils() -> None:
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
