"""The README's table of limits says what the code enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_tables.corpus.http import DEADLINE, MAX_ANSWER_BYTES
from evidence_tables.corpus.limits import (
    MAX_ABSTRACT_CHARS,
    MAX_MARKUP_DEPTH,
    MAX_RECORD_BYTES,
    MAX_XML_TEXT_BYTES,
)
from evidence_tables.db.connection import BUSY_TIMEOUT
from evidence_tables.db.readonly import FETCH_ROWS
from evidence_tables.extractor.limits import FLAG_TEXT_TRUNCATED, MAX_RULES_CHARS
from evidence_tables.read_cli import DEFAULT_SQL_TIMEOUT

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Limits, several writers, interruptions", 1)[1].split("\n## ", 1)[0]


def row(starts: str) -> str:
    (line,) = [line for line in section().splitlines() if line.startswith(f"| {starts}")]
    return line


@pytest.mark.parametrize(
    ("starts", "says"),
    [
        ("one record as read", f"| {MAX_RECORD_BYTES >> 20} MB |"),
        ("one abstract as stored", f"| {MAX_ABSTRACT_CHARS:,} characters |"),
        ("markup nested", f"| {MAX_MARKUP_DEPTH} levels"),
        ("one text or attribute", f"| {MAX_XML_TEXT_BYTES:,} bytes"),
        ("text the extraction rules read", f"| {MAX_RULES_CHARS:,} characters |"),
        (
            "one answer from PubMed",
            f"| {DEADLINE:g} s from request to last byte, {MAX_ANSWER_BYTES >> 20} MB |",
        ),
        ("`evidence sql`", f"| {DEFAULT_SQL_TIMEOUT:g} s of SQLite's work"),
        ("a writer waiting for another", f"| {BUSY_TIMEOUT:g} s |"),
    ],
)
def test_each_limit_in_the_readme_is_the_one_enforced(starts, says):
    assert says in row(starts)


def test_the_prose_around_the_table_agrees():
    text = section()
    assert f"{FETCH_ROWS} at a time" in text and f"up to {BUSY_TIMEOUT:g} s" in text
    assert f"`{FLAG_TEXT_TRUNCATED}`" in README.read_text(encoding="utf-8").split("## Scale")[0]
    assert f"first {MAX_RULES_CHARS:,} characters" in README.read_text(encoding="utf-8")
