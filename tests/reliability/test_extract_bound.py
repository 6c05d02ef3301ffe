"""Row 8: extracting one abstract is bounded in time, whatever its length; the values say when it was cut."""

from __future__ import annotations

import json
import sqlite3
import time

from evidence_tables.corpus import Article
from evidence_tables.db import EvidenceDB, ImportReport
from evidence_tables.extractor.limits import FLAG_TEXT_TRUNCATED, MAX_RULES_CHARS, rules_text

from .conftest import evidence

# One sentence (no full stop) dense with values: the rules' slowest shape measured, about 20 us a character.
UNIT = (
    "the complete response rate was 45% (9/20) with R-CHOP versus 30% (6/20) with R-CVP and median overall "
    "survival 24 months (95% CI 18-30) in 120 patients who relapsed in 25%, "
)


def test_a_huge_single_sentence_abstract_is_extracted_in_bounded_time_and_flagged(tmp_path):
    huge = "Results: " + UNIT * (5_000_000 // len(UNIT)) + "end."
    db = tmp_path / "r.db"
    store = EvidenceDB(db)
    store.import_items(
        [
            Article(study_id="huge", abstract=huge, source="t", location="1"),
            Article(
                study_id="small", abstract="Results: " + UNIT + "end.", source="t", location="2"
            ),
        ],
        ImportReport(),
    )
    store.close()
    started = time.monotonic()
    result = evidence("extract", str(db), "--jobs", "2", timeout=90)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 45
    assert (
        f"note: 1 abstract longer than {MAX_RULES_CHARS:,} characters: values from its first"
        in result.stderr
    )
    with sqlite3.connect(db) as con:
        rows = con.execute('SELECT study_id, flags, start, "end" FROM outcomes').fetchall()
    huge_rows = [r for r in rows if r[0] == "huge"]
    assert huge_rows and all(FLAG_TEXT_TRUNCATED in (r[1] or "") for r in huge_rows)
    assert max(r[3] for r in huge_rows) <= MAX_RULES_CHARS
    assert all(FLAG_TEXT_TRUNCATED not in (r[1] or "") for r in rows if r[0] == "small")
    with sqlite3.connect(db) as con:
        counts = json.loads(
            con.execute("SELECT counts FROM runs WHERE command = 'extract'").fetchone()[0]
        )
    assert counts["truncated"] == 1


def test_the_text_the_rules_read_is_cut_at_a_space_and_short_texts_are_whole():
    assert rules_text("Ten patients.") == "Ten patients."
    long = "word " * (MAX_RULES_CHARS // 5 + 100)
    cut = rules_text(long)
    assert len(cut) <= MAX_RULES_CHARS and long.startswith(cut) and cut.endswith("word")


def test_values_from_a_cut_abstract_are_those_of_its_first_part(extractor):
    first = "Results: " + UNIT * (MAX_RULES_CHARS // len(UNIT) - 1) + "end. "
    text = first + "A further 300 patients were enrolled. " * 2000
    cut = extractor.extract(text)
    whole = extractor.extract(rules_text(text))
    assert [(o.measure, o.value, o.start, o.end) for o in cut] == [
        (o.measure, o.value, o.start, o.end) for o in whole
    ]
    assert all(FLAG_TEXT_TRUNCATED in o.flags for o in cut)
    assert not any(FLAG_TEXT_TRUNCATED in o.flags for o in whole)
