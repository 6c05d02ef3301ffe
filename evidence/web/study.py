"""What the study page shows of each value: its numbers, its review, and the fields a reviewer may correct.

Rows come from the `reviewed_outcomes` view (the value as reviewed, with its decision) and the
`orphaned_reviews` view; nothing here touches the database or the web framework.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evidence_tables.db.reviews import CORRECTABLE
from evidence_tables.registry import definitions, find, get, is_kind

FIELD_LABELS = {
    "value": "value",
    "unit": "unit",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
    "numerator": "n",
    "denominator": "N",
    "not_reached": "not reached",
    "group_label": "group",
    "regimen": "regimen",
    "timepoint": "time point",
}


def measure_label(measure: str) -> str:
    """'CR rate', 'Median OS' (registry: a measure's `label`); an unknown measure as it is stored."""
    m = find(measure)
    return m.label if m is not None else measure


def measure_labels() -> dict[str, str]:
    return {m.name: m.label for m in definitions()}


def correctable(measure: str) -> tuple[str, ...]:
    """The fields offered for correction (any of CORRECTABLE may be set from the command line)."""
    m = find(measure)
    return m.correctable if m is not None else ("value",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One input of a value's correction form, holding the value as reviewed (as text)."""

    name: str
    label: str
    text: str
    choices: tuple[tuple[str, str], ...] = ()  # (submitted, shown) for a yes/no field


@dataclass(frozen=True, slots=True, kw_only=True)
class Value:
    """One extracted value as the page shows it (numbers as reviewed; `extracted` as first found)."""

    number: int
    id: str
    measure: str
    measure_label: str
    shown: str
    group_label: str | None
    regimen: str | None
    ci: str | None
    counts: str | None
    timepoint: str | None
    rule: str
    flags: tuple[str, ...]
    evidence: str
    status: str | None
    decision: str | None
    note: str | None
    reviewer: str | None
    reviewed_at: str | None
    fields: tuple[Field, ...]


def plain(value: Any) -> str:
    """A stored number as a reviewer types it back: 40.0 -> '40', 12.4 -> '12.4', None -> ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def shown_value(row: Mapping[str, Any]) -> str:
    """'40%', '12.4 months', 'not reached', '80 patients'."""
    if is_kind(row["measure"], "duration") and row["not_reached"]:
        return "not reached"
    if row["value"] is None:
        return "(no value)"
    if is_kind(row["measure"], "count"):
        return f"{plain(row['value'])} {get(row['measure']).units[0]}"
    unit = row["unit"] or ""
    return (
        f"{plain(row['value'])}{unit}" if unit == "%" else f"{plain(row['value'])} {unit}".rstrip()
    )


def decision_text(decision: str | None, corrections: Sequence[tuple[str, Any]]) -> str | None:
    """'rejected', 'accepted', 'corrected: value=42, ci_low=(none)': what `evidence review` says."""
    if decision is None:
        return None
    if decision != "corrected":
        return decision
    parts = [
        f"{field}={'(none)' if v is None else ('true' if v is True else 'false' if v is False else plain(v))}"
        for field, v in corrections
    ]
    return "corrected: " + ", ".join(parts)


def value(
    number: int, row: Mapping[str, Any], evidence: str, *, typed: Mapping[str, str] | None = None
) -> Value:
    """One value of the page; `typed`: the correction fields as the reviewer typed them (shown after an error)."""
    low, high = row["ci_low"], row["ci_high"]
    ci = None if low is None and high is None else f"{plain(low) or 'NE'}–{plain(high) or 'NE'}"
    counts = None
    if row["numerator"] is not None:
        denominator = row["denominator"]
        counts = (
            f"{row['numerator']}/{denominator}"
            if denominator is not None
            else f"n={row['numerator']}"
        )
    corrections = tuple(json.loads(row["corrections"]).items()) if row["corrections"] else ()
    return Value(
        number=number,
        id=row["id"],
        measure=row["measure"],
        measure_label=measure_label(row["measure"]),
        shown=shown_value(row),
        group_label=row["group_label"],
        regimen=row["regimen"],
        ci=ci,
        counts=counts,
        timepoint=row["timepoint"],
        rule=row["rule"],
        flags=tuple(f for f in (row["flags"] or "").split(",") if f),
        evidence=evidence,
        status=row["review_status"],
        decision=decision_text(row["review_status"], corrections),
        note=row["review_note"],
        reviewer=row["reviewer"],
        reviewed_at=row["reviewed_at"],
        fields=form_fields(row, typed),
    )


def form_fields(
    row: Mapping[str, Any], typed: Mapping[str, str] | None = None
) -> tuple[Field, ...]:
    """The correction inputs of a value, holding its reviewed values (or what the reviewer typed)."""
    out = []
    for name in correctable(row["measure"]):
        if CORRECTABLE[name] is bool:
            text = "true" if row[name] else "false"
            choices: tuple[tuple[str, str], ...] = (("false", "no"), ("true", "yes"))
        else:
            text, choices = plain(row[name]), ()
        if typed is not None and name in typed:
            text = typed[name]
        out.append(Field(name=name, label=FIELD_LABELS[name], text=text, choices=choices))
    return tuple(out)


def values(abstract: str, rows: Sequence[Mapping[str, Any]]) -> list[Value]:
    """The page's values, numbered in the order of the abstract (rows come ordered by start, end, measure, id)."""
    return [value(i, row, abstract[row["start"] : row["end"]]) for i, row in enumerate(rows, 1)]


def authors(names: str | None, shown: int = 3) -> str | None:
    """'Okafor N, Lund E, Brennan M, et al.' from the stored JSON list."""
    listed = json.loads(names) if names else []
    if not listed:
        return None
    return ", ".join(listed[:shown]) + (", et al." if len(listed) > shown else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Orphan:
    """A decision that applies to no current value, as `evidence review` lists it."""

    review_id: int
    study_id: str
    measure: str
    decision: str
    reason: str
    evidence: str | None
    reviewer: str | None
    reviewed_at: str
    study_exists: bool


def orphans(rows: Sequence[Mapping[str, Any]]) -> list[Orphan]:
    """Rows of the `orphaned_reviews` view, for the page."""
    out = []
    for row in rows:
        corrections = tuple(json.loads(row["corrections"]).items()) if row["corrections"] else ()
        out.append(
            Orphan(
                review_id=row["review_id"],
                study_id=row["study_id"],
                measure=row["measure"],
                decision=decision_text(row["decision"], corrections) or "",
                reason=row["orphan_reason"],
                evidence=" ".join((row["evidence"] or "").split()) or None,
                reviewer=row["reviewer"],
                reviewed_at=row["reviewed_at"],
                study_exists=row["orphan_reason"] != "study removed",
            )
        )
    return out
