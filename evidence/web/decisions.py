"""A decision posted from the review page, recorded through the library functions `evidence mark` uses.

The form posts `outcome` (a value id), `decision` (accept, reject, correct or clear), the
correction fields and `note`; or `review` (a recorded decision's number) with `decision=clear`
to remove an orphaned decision. A correction keeps only the fields whose text differs from the
value as it stands (as reviewed), so a form that shows every field and gets one changed records
exactly what `evidence mark ID --set FIELD=VALUE` records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evidence_tables.db.errors import ReviewError
from evidence_tables.db.reviews import (
    CORRECTABLE,
    clear,
    concerns,
    drop,
    mark,
    parse_corrections,
    resolve,
)
from evidence_tables.db.store import EvidenceDB
from evidence_tables.web.study import decision_text, shown_value

FORM_DECISIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected", "clear": None}


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """What a POST asks for: a decision on `outcome`, or removing the recorded decision `review`."""

    decision: str
    outcome: str | None = None
    review: int | None = None
    typed: dict[str, str] = field(default_factory=dict)  # correction fields as typed
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Recorded:
    """What was done, in words for the page, and the value it was done on (None for an orphaned decision)."""

    message: str
    outcome: str | None
    warnings: tuple[str, ...] = ()


def read(form: Mapping[str, str]) -> Submission:
    """The submission in a posted form; a form that asks for nothing known is a ReviewError."""
    decision = form.get("decision", "").strip()
    if decision not in FORM_DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(FORM_DECISIONS)}, not {decision!r}")
    typed = {name: form[name] for name in CORRECTABLE if name in form}
    note = (form.get("note") or "").strip() or None
    review = (form.get("review") or "").strip().lstrip("#")
    if review:
        if not review.isdigit() or decision != "clear":
            raise ReviewError(
                "a recorded decision (review) can only be cleared: review=N with decision=clear"
            )
        return Submission(decision=decision, review=int(review))
    outcome = (form.get("outcome") or "").strip()
    if not outcome:
        raise ReviewError("say which value: the form field `outcome` holds its id")
    return Submission(decision=decision, outcome=outcome, typed=typed, note=note)


def changed(current: Mapping[str, Any], typed: Mapping[str, str]) -> dict[str, Any]:
    """The typed fields whose value differs from `current` (a `reviewed_outcomes` row), typed as `--set` types them."""
    fixes = {}
    for name, text in typed.items():
        new = parse_corrections([f"{name}={text}"])[name]
        old = current[name]
        if CORRECTABLE[name] is bool:
            old = bool(old)
        elif CORRECTABLE[name] is float and old is not None:
            old = float(old)
        if new != old:
            fixes[name] = new
    return fixes


def record(
    store: EvidenceDB,
    submission: Submission,
    *,
    reviewer: str | None = None,
    study_id: str | None = None,
) -> Recorded:
    """Record the submission through `db.reviews` (mark, clear, drop); `study_id`: the value must be in it."""
    if submission.review is not None:
        gone = drop(store, submission.review)
        return Recorded(
            message=f"decision #{gone.review_id} on {gone.study_id} {gone.measure} removed",
            outcome=None,
        )
    assert submission.outcome is not None
    outcome = resolve(store, submission.outcome)
    if study_id is not None and outcome["study_id"] != study_id:
        raise ReviewError(
            f"value {outcome['id']} belongs to study {outcome['study_id']}, not {study_id}"
        )
    label = _label(outcome)
    if submission.decision == "clear":
        removed = clear(store, outcome["id"])
        return Recorded(message=f"{label}: {removed} decision(s) removed", outcome=outcome["id"])
    decision = FORM_DECISIONS[submission.decision]
    fixes: dict[str, Any] = {}
    if decision == "corrected":
        current = next(
            iter(store.db.query("SELECT * FROM reviewed_outcomes WHERE id = ?", [outcome["id"]]))
        )
        fixes = changed(current, submission.typed)
        if not fixes:
            raise ReviewError(
                "nothing to correct: change a field first (or accept or reject the value)"
            )
    done = mark(
        store,
        outcome["id"],
        decision,  # type: ignore[arg-type]
        corrections=fixes,
        note=submission.note,
        reviewer=reviewer,
    )
    text = f"{label}: {decision_text(done.decision, done.corrections)}"
    if done.note:
        text += f" (note: {done.note})"
    return Recorded(
        message=text,
        outcome=outcome["id"],
        warnings=tuple(f"check: {c}" for c in concerns(store, outcome["id"])),
    )


def _label(outcome: Mapping[str, Any]) -> str:
    """'demo-05 <measure> [Pola-BR] 40%': the value as extracted, as `evidence mark` names it."""
    group = f" [{outcome['group_label']}]" if outcome["group_label"] else ""
    return f"{outcome['study_id']} {outcome['measure']}{group} {shown_value(outcome)}"
