"""Helpers for the reliability tests: the `evidence` command as a user runs it, and corpora built here.

Every probe file is written by the test that uses it, bounded in size; every command runs with a
timeout, so a regression shows as a failure, never as a hung suite.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_tables.demo import demo_corpus

EVIDENCE = str(Path(sys.executable).parent / "evidence")
OUTCOME_COLUMNS = ("study_id, measure, value, unit, group_label, regimen, ci_low, ci_high, numerator, denominator, "
                   "not_reached, timepoint, sentence, start, \"end\", rule, flags, extractor_version")


def evidence(*args: str, cwd: Path | None = None, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed command; text output."""
    return subprocess.run([EVIDENCE, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, **kwargs)


def spawn(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([EVIDENCE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            **kwargs)


def demo_records() -> list[dict]:
    return [json.loads(line) for line in demo_corpus().read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, ids: range | list[int], *, version: int = 0) -> Path:
    """Demo abstracts under ids s<i>; `version` > 0 changes each text (a revised record) the same way."""
    records = demo_records()
    with path.open("w", encoding="utf-8") as f:
        for i in ids:
            r = records[i % len(records)]
            text = r["abstract"] + (f" Revision {version} of record {i}." if version else f" Record {i}.")
            f.write(json.dumps({**r, "id": f"s{i}", "abstract": text}) + "\n")
    return path


def outcomes(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(f"SELECT {OUTCOME_COLUMNS} FROM outcomes ORDER BY study_id, start, measure, id").fetchall()


def studies(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT study_id, text_sha256, title FROM studies ORDER BY study_id").fetchall()


def statuses(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT command, status FROM runs ORDER BY started_at, run_id").fetchall()


@pytest.fixture
def clean_env() -> dict[str, str]:
    """The environment for subprocesses: no terminal progress bars, UTF-8 output."""
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}
