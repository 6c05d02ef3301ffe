"""Data flows one way: corpus and extractor know nothing of each other or of SQLite; only the app imports all."""
from __future__ import annotations

import subprocess
import sys

import pytest


def loaded(module: str) -> set[str]:
    """Top-level packages loaded by importing `module` and every module inside it."""
    code = (f"import importlib, pkgutil, sys, {module}\n"
            f"for m in pkgutil.walk_packages({module}.__path__, '{module}.'):\n"
            f"    importlib.import_module(m.name)\n"
            "print('\\n'.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[0] for m in out.split()}


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("corpus", {"spacy", "sqlite3", "sqlite_utils", "extractor", "db", "evidence", "pandas"}),
     ("extractor", {"sqlite3", "sqlite_utils", "corpus", "db", "evidence", "lxml"}),
     ("db", {"spacy", "extractor", "evidence", "httpx"})],
    ids=["corpus", "extractor", "db"],
)
def test_import_direction(module, forbidden):
    assert not loaded(module) & forbidden


def test_only_the_app_composes_all_three():
    assert {"corpus", "extractor", "db"} <= loaded("evidence")


def loaded_by(modules: str) -> set[str]:
    """Top-level packages loaded by importing these modules (comma-separated) in a fresh interpreter."""
    code = f"import sys, {modules}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[0] for m in out.split()}


def test_import_and_extract_load_no_table_libraries():
    """Extraction workers are forked from the command's process: what it loads, each of them carries."""
    top = loaded_by("evidence.cli, evidence.jobs, extractor.parallel")
    assert "sqlite_utils" in top and not top & {"pandas", "numpy", "openpyxl", "matplotlib", "httpx", "spacy"}


def test_the_web_clients_stay_free_of_sqlite_and_spacy():
    loaded = loaded_by("corpus.eutils, corpus.europepmc, corpus.pubmed_search, corpus.http")
    assert "httpx" in loaded and not loaded & {"sqlite3", "sqlite_utils", "spacy", "db", "evidence", "extractor"}


def test_sqlite_utils_imported_without_pandas_still_lets_pandas_load():
    code = ("import db, sqlite_utils.db as s; import pandas; "
            "print(s.pd is None, pandas.DataFrame({'a': [1]}).shape)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "(1,", "1)"]
