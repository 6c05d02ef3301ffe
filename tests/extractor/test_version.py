"""The extractor's version changes with what the extractor outputs: RULES_VERSION for the code, a hash for the
rule data; a comment edited in a module re-extracts nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import evidence_tables.extractor as extractor_package
from evidence_tables.extractor import version


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the extractor package's folder."""
    copy = tmp_path / "extractor"
    shutil.copytree(
        Path(extractor_package.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    return copy


def test_a_comment_in_a_module_changes_nothing(package):
    before = version.data_hash(package)
    for module in (
        package / "extract.py",
        package / "measures" / "rates.py",
        package / "population" / "scope.py",
    ):
        module.write_text(module.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    (package / "new_module.py").write_text("X = 1\n", encoding="utf-8")
    assert version.data_hash(package) == before


@pytest.mark.parametrize(
    "data", ["patterns/survival.jsonl", "patterns/context.jsonl", "lexicon/regimens.tsv"]
)
def test_an_edit_to_a_pattern_or_the_lexicon_changes_the_version(package, data):
    before = version.data_hash(package)
    f = package / data
    f.write_bytes(f.read_bytes().replace(b"\n", b"\n\n", 1))
    assert version.data_hash(package) != before


def test_a_new_pattern_file_changes_the_version(package):
    before = version.data_hash(package)
    (package / "patterns" / "extra.jsonl").write_text("{}\n", encoding="utf-8")
    with_extra = version.data_hash(package)
    assert with_extra != before
    (package / "patterns" / "notes.txt").write_text("not a rule file\n", encoding="utf-8")
    assert version.data_hash(package) == with_extra


def test_the_version_is_rules_version_and_the_installed_data(monkeypatch):
    installed = version.data_hash(Path(extractor_package.__file__).parent)
    assert version.extractor_version() == f"rules.{version.RULES_VERSION}+data.{installed}"
    version.rules_version.cache_clear()
    monkeypatch.setattr(
        version, "RULES_VERSION", version.RULES_VERSION + 1
    )  # a code change that alters output
    try:
        assert version.extractor_version() == f"rules.{version.RULES_VERSION}+data.{installed}"
    finally:
        monkeypatch.undo()
        version.rules_version.cache_clear()
    assert isinstance(version.RULES_VERSION, int)
