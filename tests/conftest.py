"""Shared fixtures: paths, a real SQLite store per test, one extractor per session."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the repo; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (it is only beside the repo in development and CI)")
    return SHARED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def store(tmp_path: Path):
    from db import EvidenceDB

    s = EvidenceDB(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def extractor():
    from extractor import Extractor

    return Extractor()


@pytest.fixture
def gz_copy(tmp_path: Path):
    """Gzip a fixture into tmp_path and return its path."""

    def make(name: str) -> Path:
        target = tmp_path / (name + ".gz")
        with (FIXTURES / name).open("rb") as src, gzip.open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        return target

    return make
