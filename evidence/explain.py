"""`evidence explain`: one study's abstract with every extracted span marked, for a reviewer's audit."""

from __future__ import annotations

import textwrap
from typing import Any

from evidence_tables.extractor.numbers import fmt
from evidence_tables.registry import get, is_kind


def describe(o: dict[str, Any]) -> str:
    """One outcome row as a reviewer reads it: '8 months (95% CI 6.1-9.8) [patients with relapse]'."""
    if is_kind(o["measure"], "duration") and o["not_reached"]:
        value = "not reached"
    elif is_kind(o["measure"], "count"):
        value = f"{fmt(o['value'])} {get(o['measure']).units[0]}"
    else:
        value = f"{fmt(o['value'])}{'%' if o['unit'] == '%' else ' ' + (o['unit'] or '')}"
    parts = [value]
    if o["numerator"] is not None:
        parts.append(
            f"({o['numerator']}/{o['denominator']})"
            if o["denominator"]
            else f"(n={o['numerator']})"
        )
    if o["ci_low"] is not None or o["ci_high"] is not None:
        parts.append(
            f"(95% CI {fmt(o['ci_low']) if o['ci_low'] is not None else 'NE'}-"
            f"{fmt(o['ci_high']) if o['ci_high'] is not None else 'NE'})"
        )
    if o["group_label"]:
        parts.append(f"[{o['group_label']}]")
    if o["regimen"]:
        parts.append(f"regimen={o['regimen']}")
    if o["timepoint"]:
        parts.append(f"at/from {o['timepoint']}")
    return " ".join(parts)


def mark(abstract: str, outcomes: list[dict[str, Any]]) -> str:
    """The abstract with each span wrapped in numbered brackets: '⟦1 ... ⟧1'."""
    inserts: list[tuple[int, int, str]] = []
    for number, o in enumerate(outcomes, 1):
        inserts.append((o["start"], 1, f"⟦{number} "))
        inserts.append((o["end"], 0, f" ⟧{number}"))
    out, cursor = [], 0
    for pos, _, text in sorted(inserts, key=lambda x: (x[0], x[1])):
        out.append(abstract[cursor:pos])
        out.append(text)
        cursor = pos
    out.append(abstract[cursor:])
    return "".join(out)


def explain(study: dict[str, Any], outcomes: list[dict[str, Any]], *, width: int = 100) -> str:
    """The whole audit view of one study as text."""
    head = [f"{study['study_id']}: {study['title'] or '(no title)'}"]
    meta = ", ".join(str(x) for x in (study.get("journal"), study.get("year")) if x)
    if meta:
        head.append(meta)
    body = "\n".join(
        textwrap.fill(p, width) if p.strip() else ""
        for p in mark(study["abstract"], outcomes).split("\n")
    )
    legend = []
    for number, o in enumerate(outcomes, 1):
        flags = f"  flags: {o['flags']}" if o["flags"] else ""
        legend.append(
            f"{number:>3}. {o['measure']:<13} {describe(o)}\n     rule {o['rule']}  id {o['id']}  "
            f"offsets {o['start']}-{o['end']}{flags}"
        )
    if not legend:
        legend.append("  (no values extracted from this study)")
    return "\n".join(head + ["", body, "", "Extracted values:"] + legend)
