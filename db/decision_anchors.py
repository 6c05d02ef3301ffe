"""Moving reviewers' decisions along when an abstract's text changes.

A decision is anchored on a span of the abstract it was made on. When a new
version of the abstract arrives (a corrected record, an added sentence), the
span is looked up in the new text together with the words around it: where that
piece of text occurs exactly once, the decision moves to it (new offsets, new
text hash) and applies to the value extracted there. Where the words around the
value changed, or the piece occurs twice, the decision is left where it was and
shows as orphaned: a reviewer must look again.
"""

from __future__ import annotations

import sqlite_utils

CONTEXTS = (60, 20)  # characters of unchanged text wanted on each side, widest first


def moved_span(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where old[start:end] is in `new`, judged by the text around it; None when not found or not unique."""
    for width in CONTEXTS:
        a, b = max(0, start - width), min(len(old), end + width)
        piece = old[a:b]
        first = new.find(piece)
        if first >= 0 and new.find(piece, first + 1) < 0:
            return first + start - a, first + end - a
    return None


def reanchor(
    db: sqlite_utils.Database, study_id: str, old: tuple[str, str], new: tuple[str, str]
) -> tuple[int, int]:
    """Move the study's decisions made on the old (abstract, sha) to the new one; return (moved, left behind)."""
    old_text, old_sha = old
    new_text, new_sha = new
    moved = left = 0
    rows = db.execute(
        'SELECT review_id, start, "end" FROM reviews WHERE study_id = ? AND text_sha256 = ?',
        [study_id, old_sha],
    ).fetchall()
    for review_id, start, end in rows:
        span = moved_span(old_text, new_text, start, end)
        if span is None:
            left += 1
            continue
        db.execute(
            'UPDATE reviews SET start = ?, "end" = ?, text_sha256 = ? WHERE review_id = ?',
            [span[0], span[1], new_sha, review_id],
        )
        moved += 1
    return moved, left
