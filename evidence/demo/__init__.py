"""The bundled demo corpus: hematology/oncology abstracts written for this project (no real patients)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_corpus() -> Path:
    """Path of the demo JSONL file inside the installed package."""
    return Path(str(resources.files("evidence_tables.demo") / "abstracts.jsonl"))
