"""The rule files (patterns/*.jsonl) read and checked, without loading spaCy.

A process that only needs to know the rules are sound (the parent of extraction
workers) reads them here and stays small; the pipeline compiles them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from evidence_tables.extractor.errors import PatternError


def _pattern_files() -> list[Any]:
    folder = resources.files("evidence_tables.extractor") / "patterns"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".jsonl")), key=lambda f: f.name)


def load_patterns() -> list[dict[str, Any]]:
    """All rules, each with `id`, `label`, an `example` it must match and either a spaCy token
    `pattern` (cue ruler) or a sentence `regex` (sentence rules, see extractor.sentence_rules)."""
    patterns: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for f in _pattern_files():
        for number, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"invalid JSON: {exc.msg}", file=f.name, line=number) from exc
            missing = {"id", "label", "example"} - set(entry)
            if missing or ("pattern" in entry) == ("regex" in entry):
                what = (
                    ", ".join(sorted(missing))
                    or 'exactly one of "pattern" (tokens) or "regex" (sentence)'
                )
                raise PatternError(f"missing {what}", file=f.name, line=number)
            if entry["id"] in seen:
                raise PatternError(
                    f"duplicate id {entry['id']!r} (also in {seen[entry['id']]})",
                    file=f.name,
                    line=number,
                )
            seen[entry["id"]] = f"{f.name}:{number}"
            patterns.append(entry)
    return patterns
