"""Data flows one way: corpus and extractor know nothing of each other or of SQLite; only the app imports all.

Everything lives in one import package, evidence_tables: the app is the package itself and corpus,
extractor, db and registry are its subpackages. Below, a loaded module is named by its part: `corpus`,
`extractor`, `db`, `registry` or `app` for the package's own modules (`package` for its empty __init__),
the top-level name for any other. The registry (what each measure is) is read by the extractor, the db
and the app, and reads none of them.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PKG = "evidence_tables"
PARTS = {"corpus", "extractor", "db", "registry"}


def part(module: str) -> str:
    names = module.split(".")
    if names[0] != PKG:
        return names[0]
    if len(names) == 1:
        return "package"  # evidence_tables/__init__.py itself: imported with any part, and imports nothing
    return names[1] if len(names) > 1 and names[1] in PARTS else "app"


def loaded(module: str) -> set[str]:
    """Parts loaded by importing `module` and every module inside it."""
    code = (
        f"import importlib, pkgutil, sys, {module}\n"
        f"for m in pkgutil.walk_packages({module}.__path__, '{module}.'):\n"
        f"    importlib.import_module(m.name)\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {part(m) for m in out.split()}


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        (f"{PKG}.corpus", {"spacy", "sqlite3", "sqlite_utils", "extractor", "db", "app", "pandas"}),
        (f"{PKG}.extractor", {"sqlite3", "sqlite_utils", "corpus", "db", "app", "lxml"}),
        (f"{PKG}.db", {"spacy", "extractor", "app", "httpx"}),
        (
            f"{PKG}.registry",
            {
                "spacy",
                "sqlite3",
                "sqlite_utils",
                "pandas",
                "numpy",
                "lxml",
                "httpx",
                "corpus",
                "extractor",
                "db",
                "app",
            },
        ),
    ],
    ids=["corpus", "extractor", "db", "registry"],
)
def test_import_direction(module, forbidden):
    assert not loaded(module) & forbidden


def test_only_the_app_composes_all_three():
    assert {"corpus", "extractor", "db"} <= loaded(PKG)


def loaded_by(modules: str) -> set[str]:
    """Parts loaded by importing these modules (comma-separated) in a fresh interpreter."""
    code = f"import sys, {modules}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {part(m) for m in out.split()}


def test_import_and_extract_load_no_table_libraries():
    """An extraction worker imports the command's modules again (its main module): what they load, each carries."""
    top = loaded_by(f"{PKG}.cli, {PKG}.jobs, {PKG}.extractor.parallel")
    assert "sqlite_utils" in top and not top & {
        "pandas",
        "numpy",
        "openpyxl",
        "matplotlib",
        "httpx",
        "spacy",
    }


def test_the_web_clients_stay_free_of_sqlite_and_spacy():
    loaded = loaded_by(
        f"{PKG}.corpus.eutils, {PKG}.corpus.europepmc, {PKG}.corpus.pubmed_search, "
        f"{PKG}.corpus.http"
    )
    assert "httpx" in loaded and not loaded & {
        "sqlite3",
        "sqlite_utils",
        "spacy",
        "db",
        "app",
        "extractor",
    }


def test_sqlite_utils_imported_without_pandas_still_lets_pandas_load():
    code = (
        f"import {PKG}.db, sqlite_utils.db as s; import pandas; "
        "print(s.pd is None, pandas.DataFrame({'a': [1]}).shape)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "(1,", "1)"]
