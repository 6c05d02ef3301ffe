"""The extractor's version: the package version plus a hash of every rule, so a change re-extracts.

Importable without spaCy (the process that writes results does not need a pipeline).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata, resources


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A short hash of every rule file, lexicon and extractor module: changes force re-extraction."""
    digest = hashlib.sha256()
    root = resources.files("evidence_tables.extractor")
    for sub in ("patterns", "lexicon", "."):
        folder = root / sub if sub != "." else root
        for f in sorted(folder.iterdir(), key=lambda x: x.name):
            if f.name.endswith((".jsonl", ".tsv", ".py")):
                digest.update(f.name.encode())
                digest.update(f.read_bytes())
    for package in ("measures", "population"):
        for f in sorted((root / package).iterdir(), key=lambda x: x.name):
            if f.name.endswith(".py"):
                digest.update(f.read_bytes())
    return digest.hexdigest()[:10]


def extractor_version() -> str:
    """Package version plus a hash of the rules: stored with every value; a change re-extracts."""
    try:
        base = metadata.version("evidence-tables")
    except metadata.PackageNotFoundError:
        base = "0"
    return f"{base}+rules.{rules_version()}"
