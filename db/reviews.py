"""A reviewer's decisions on extracted values: accept, reject or correct, kept across re-extraction.

Decisions live in the `reviews` table, apart from `outcomes` (which re-extraction replaces). Each is
anchored on the study, the measure, the span (`start`, `end`) and the abstract text it was made on;
the `reviewed_outcomes` view applies it to the current value at that span. A decision whose value no
longer exists (the abstract changed, the study was removed, the extractor no longer finds a value at
that span) is kept and listed by `orphaned()`: nothing a reviewer decided is dropped silently.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from evidence_tables.db.errors import ReviewError, StoreError
from evidence_tables.db.store import EvidenceDB, now
from evidence_tables.registry import find

Decision = Literal["accepted", "rejected", "corrected"]
DECISIONS: tuple[Decision, ...] = ("accepted", "rejected", "corrected")
# Fields a reviewer may correct, with the type each is stored as (an empty text means NULL).
CORRECTABLE: dict[str, type] = {
    "value": float,
    "unit": str,
    "ci_low": float,
    "ci_high": float,
    "numerator": int,
    "denominator": int,
    "not_reached": bool,
    "group_label": str,
    "regimen": str,
    "timepoint": str,
}
MIN_PREFIX = 4
_TRUE, _FALSE = {"1", "true", "yes", "y"}, {"0", "false", "no", "n"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    """One recorded decision; `orphan_reason` is set when it no longer applies to any value."""

    review_id: int
    outcome_id: str
    study_id: str
    measure: str
    start: int
    end: int
    group_label: str | None
    decision: Decision
    corrections: tuple[tuple[str, Any], ...]
    note: str | None
    reviewer: str | None
    reviewed_at: str
    evidence: str | None
    extracted_value: float | None
    orphan_reason: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Review:
        fixes = json.loads(row["corrections"]) if row["corrections"] else {}
        return cls(
            review_id=row["review_id"],
            outcome_id=row["outcome_id"],
            study_id=row["study_id"],
            measure=row["measure"],
            start=row["start"],
            end=row["end"],
            group_label=row["group_label"],
            decision=row["decision"],
            corrections=tuple(fixes.items()),
            note=row["note"],
            reviewer=row["reviewer"],
            reviewed_at=row["reviewed_at"],
            evidence=row["evidence"],
            extracted_value=row["extracted_value"],
            orphan_reason=row.get("orphan_reason"),
        )


def parse_corrections(assignments: Iterable[str]) -> dict[str, Any]:
    """`["value=42", "ci_low="]` -> `{"value": 42.0, "ci_low": None}`; unknown fields and bad numbers raise."""
    out: dict[str, Any] = {}
    for text in assignments:
        field, sep, raw = text.partition("=")
        field, raw = field.strip(), raw.strip()
        if not sep or field not in CORRECTABLE:
            raise ReviewError(
                f"cannot set {text!r}: use FIELD=VALUE with FIELD one of {', '.join(CORRECTABLE)}"
            )
        out[field] = _typed(field, raw)
    return out


def _typed(field: str, raw: str) -> Any:
    kind = CORRECTABLE[field]
    if raw == "":
        return False if kind is bool else None
    try:
        if kind is bool:
            if raw.lower() not in _TRUE | _FALSE:
                raise ValueError(raw)
            return raw.lower() in _TRUE
        if kind is int:
            return int(raw)
        if kind is float:
            number = float(raw)
            if not math.isfinite(number):
                raise ValueError(raw)
            return number
    except ValueError as exc:
        wanted = {bool: "true or false", int: "a whole number", float: "a number"}[kind]
        raise ReviewError(f"{field}={raw!r}: expected {wanted}") from exc
    return raw


def resolve(store: EvidenceDB, ref: str) -> dict[str, Any]:
    """The current outcome row whose id is `ref` or starts with it (at least 4 characters, unique)."""
    ref = ref.strip().lower()
    rows = list(store.db.query("SELECT * FROM outcomes WHERE id = ?", [ref]))
    if not rows and len(ref) >= MIN_PREFIX:
        rows = list(
            store.db.query(
                "SELECT * FROM outcomes WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
                [ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
            )
        )
    if not rows:
        raise ReviewError(
            f"no value with id {ref!r} (ids are listed by `evidence review` and `evidence table --long`)",
            path=store.path,
        )
    if len(rows) > 1:
        raise ReviewError(
            f"id {ref!r} matches several values ({', '.join(r['id'] for r in rows)}): give more of it",
            path=store.path,
        )
    return rows[0]


def _check(outcome: Mapping[str, Any], fixes: Mapping[str, Any]) -> None:
    result = {**outcome, **fixes}
    measure, value = result["measure"], result["value"]
    defined = find(measure)
    kind = defined.kind if defined is not None else None
    if kind == "rate" and value is not None and not 0 <= value <= 100:
        raise ReviewError(f"{measure} is a percent: {value:g} is outside 0-100")
    if (
        kind == "count"
        and defined is not None
        and value is not None
        and (value < 1 or value != int(value))
    ):
        raise ReviewError(f"{measure} is a count of {defined.units[0]}: {value:g} is not one")
    if (
        kind == "duration"
        and defined is not None
        and (value is None) != bool(result["not_reached"])
    ):
        raise ReviewError(
            f"a {defined.noun} has either a value or not_reached=true, not both and not neither"
        )
    low, high = result["ci_low"], result["ci_high"]
    if low is not None and high is not None and low > high:
        raise ReviewError(f"ci_low {low:g} is above ci_high {high:g}")
    units = defined.units if defined is not None else None
    if units and result["unit"] is not None and result["unit"] not in units:
        raise ReviewError(f"{measure} is stored in {' or '.join(units)}, not {result['unit']!r}")


def concerns(store: EvidenceDB, outcome_id: str) -> list[str]:
    """What looks wrong with a value as the reviewer left it (said, not refused): an estimate outside its CI."""
    rows = list(
        store.db.query(
            "SELECT value, ci_low, ci_high FROM reviewed_outcomes WHERE id = ?", [outcome_id]
        )
    )
    if not rows:
        return []
    value, low, high = rows[0]["value"], rows[0]["ci_low"], rows[0]["ci_high"]
    if value is not None and low is not None and high is not None and not low <= value <= high:
        return [f"the value {value:g} lies outside its 95% CI {low:g}-{high:g}"]
    return []


def current(store: EvidenceDB, outcome_id: str) -> Review | None:
    """The decision that applies to a current value now, if any."""
    rows = list(
        store.db.query(
            "SELECT r.* FROM reviews r JOIN review_links l ON l.review_id = r.review_id "
            "WHERE l.outcome_id = ? ORDER BY r.review_id DESC LIMIT 1",
            [outcome_id],
        )
    )
    return Review.from_row(rows[0]) if rows else None


def mark(
    store: EvidenceDB,
    ref: str,
    decision: Decision,
    *,
    corrections: Mapping[str, Any] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> Review:
    """Record a decision on the value `ref`, replacing any earlier decision on it.

    A correction on a value already corrected adds to the earlier corrections
    (`--set ci_low=50` then `--set ci_high=75` keeps both); the new field wins."""
    if decision not in DECISIONS:
        raise ReviewError(f"unknown decision {decision!r}")
    fixes = dict(corrections or {})
    if (decision == "corrected") != bool(fixes):
        raise ReviewError(
            "a correction needs at least one FIELD=VALUE, and only a correction takes them"
        )
    outcome = resolve(store, ref)
    earlier = current(store, outcome["id"])
    if decision == "corrected" and earlier is not None and earlier.decision == "corrected":
        fixes = {**dict(earlier.corrections), **fixes}
    _check(outcome, fixes)
    study = store.study(outcome["study_id"])
    if study is None:  # outcomes reference studies (foreign key): only a damaged file gets here
        raise ReviewError(f"value {outcome['id']} belongs to no stored study", path=store.path)
    row = {
        "outcome_id": outcome["id"],
        "study_id": outcome["study_id"],
        "measure": outcome["measure"],
        "start": outcome["start"],
        "end": outcome["end"],
        "group_label": outcome["group_label"],
        "text_sha256": study["text_sha256"],
        "evidence": study["abstract"][outcome["start"] : outcome["end"]],
        "extracted_value": outcome["value"],
        "decision": decision,
        "corrections": json.dumps(fixes) if fixes else None,
        "note": note or None,
        "reviewer": reviewer or None,
        "reviewed_at": now(),
    }
    try:
        with store.db.atomic():
            _forget(store, outcome["id"])
            review_id = store.db.table("reviews").insert(row).last_pk
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"could not record the review: {exc}", path=store.path) from exc
    return Review.from_row({**row, "review_id": review_id})


def clear(store: EvidenceDB, ref: str) -> int:
    """Remove the decisions on the value `ref`; return how many were removed."""
    outcome = resolve(store, ref)
    with store.db.atomic():
        return _forget(store, outcome["id"])


def drop(store: EvidenceDB, review_id: int) -> Review:
    """Remove one recorded decision by its review id (how orphaned decisions are listed); return it."""
    rows = list(store.db.query("SELECT * FROM reviews WHERE review_id = ?", [review_id]))
    if not rows:
        raise ReviewError(
            f"no decision #{review_id} (decisions are listed by `evidence review`)", path=store.path
        )
    with store.db.atomic():
        store.db.execute("DELETE FROM reviews WHERE review_id = ?", [review_id])
    return Review.from_row(rows[0])


def _forget(store: EvidenceDB, outcome_id: str) -> int:
    cursor = store.db.execute(
        "DELETE FROM reviews WHERE review_id IN (SELECT review_id FROM review_links WHERE outcome_id = ?)",
        [outcome_id],
    )
    return cursor.rowcount


def reviews(store: EvidenceDB) -> list[Review]:
    """Every recorded decision, oldest first (orphaned ones included)."""
    orphans = {r.review_id: r.orphan_reason for r in orphaned(store)}
    return [
        Review.from_row({**row, "orphan_reason": orphans.get(row["review_id"])})
        for row in store.db.query("SELECT * FROM reviews ORDER BY review_id")
    ]


def orphaned(store: EvidenceDB) -> list[Review]:
    """Decisions that apply to no current value, with the reason (abstract changed, study removed, ...)."""
    return [
        Review.from_row(row)
        for row in store.db.query("SELECT * FROM orphaned_reviews ORDER BY study_id, review_id")
    ]
