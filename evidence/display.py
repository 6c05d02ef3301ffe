"""Compact terminal renderings of the evidence tables (exports keep every column; these pick and shorten).

Each `*_lines` function turns a frame into text lines that fit `width` columns where they can: the
flexible columns (group, author, evidence) are cut with an ellipsis before anything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from evidence_tables.registry import Measure, definitions, find, is_kind, study_size

UNIT_SHORT = {"days": "d", "weeks": "wk", "months": "mo", "years": "y"}
CORRECTED, FLAGGED = "*", "!"
EXACT_CI = "exact 95% CI"
LEGEND = (
    f"{CORRECTED} corrected by a reviewer   {FLAGGED} flagged by the extractor (details: --long)"
)


@dataclass(frozen=True, slots=True)
class Column:
    """One terminal column: header and cell text of a row.

    `min_width`: may be cut down to this (None: never cut). `optional`: left out when every cell is empty.
    `drop`: when the row still does not fit, columns with a `drop` rank are left out, lowest rank first.
    """

    header: str
    cell: Callable[[dict[str, Any]], str]
    right: bool = False
    min_width: int | None = None
    optional: bool = False
    drop: int | None = None


def missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def num(value: Any) -> str:
    return "" if missing(value) else f"{float(value):g}"


def rate(value: Any, numerator: Any = None, denominator: Any = None, timepoint: Any = None) -> str:
    if missing(value):
        return ""
    text = f"{float(value):g}%"
    if not missing(numerator) and not missing(denominator):
        text += f" {int(numerator)}/{int(denominator)}"
    if not missing(timepoint):
        text += f" at {timepoint}"
    return text


def duration(
    value: Any, unit: Any, low: Any = None, high: Any = None, not_reached: Any = False
) -> str:
    if not missing(not_reached) and bool(not_reached):
        return "not reached"
    if missing(value):
        return ""
    text = f"{float(value):g} {UNIT_SHORT.get(unit, unit or '')}".rstrip()
    if not (missing(low) and missing(high)):
        text += f" ({num(low) or 'NE'}-{num(high) or 'NE'})"
    return text


def author_year(row: dict[str, Any]) -> str:
    name = row.get("first_author")
    surname = "" if missing(name) else str(name).split(",")[0]
    parts = surname.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isupper() and len(parts[1]) <= 3:  # "Okafor N" -> "Okafor"
        surname = parts[0]
    year: Any = row.get("year")  # a number unless missing()
    return " ".join(p for p in (surname, "" if missing(year) else str(int(year))) if p)


def marks(row: dict[str, Any], measure: str) -> str:
    status, flags = row.get("review_status"), row.get("flags")
    out = CORRECTED if isinstance(status, str) and f"{measure} corrected" in status else ""
    return out + (FLAGGED if isinstance(flags, str) and f"{measure}:" in flags else "")


def short_name(measure: Any) -> str:
    """A measure as the terminal's measure column names it ('CR', 'median OS'; registry: `short`)."""
    m = find(measure)
    return m.short if m is not None else str(measure)


def value_text(row: dict[str, Any]) -> str:
    """A long-table value as a reviewer reads it: `40%`, `12.4 mo (8-16)`, `not reached`, `214`."""
    measure = row["measure"]
    if is_kind(measure, "duration"):
        return duration(
            row["value"], row["unit"], row["ci_low"], row["ci_high"], row["not_reached"]
        )
    if is_kind(measure, "count"):
        return num(row["value"])
    return rate(row["value"], row["numerator"], row["denominator"], row["timepoint"])


def exact_interval(row: dict[str, Any]) -> str:
    """A rate's exact (Clopper-Pearson) 95% CI from its counts, `19.0-33.2` (empty without counts)."""
    low: Any = row.get("exact_ci_low")  # numbers unless missing()
    high: Any = row.get("exact_ci_high")
    return "" if missing(low) or missing(high) else f"{float(low):.1f}-{float(high):.1f}"


def _wide_cell(m: Measure) -> Callable[[dict[str, Any]], str]:
    """A measure's cell of a wide-table row: its value as `value_text` writes it, from its wide columns."""

    def cell(r: dict[str, Any]) -> str:
        def field(long: str) -> Any:
            wide = m.name if m.per_study and long == "value" else m.wide_column(long)
            return None if wide is None else r[wide]

        if m.kind == "duration":
            text = duration(
                field("value"),
                field("unit"),
                field("ci_low"),
                field("ci_high"),
                field("not_reached"),
            )
        elif m.kind == "count":
            text = num(field("value"))
        else:
            text = rate(
                field("value"), field("numerator"), field("denominator"), field("timepoint")
            )
        return text + marks(r, m.name)

    return cell


def wide_columns() -> list[Column]:
    """The wide table's terminal columns: the study, its size, the group, then a column per measure."""
    size = study_size()
    return [
        Column("study", lambda r: str(r["study_id"])),
        Column("author year", author_year, min_width=8, drop=1),
        Column(size.header, _wide_cell(size), right=True),
        Column(
            "group",
            lambda r: "" if missing(r["group"]) else str(r["group"]),
            min_width=10,
            optional=True,
        ),
        *(
            Column(m.header, _wide_cell(m), min_width=m.min_width, optional=True)
            for m in definitions()
            if m.wide and not m.per_study
        ),
    ]


LONG = [
    Column("id", lambda r: str(r["id"])[:8]),
    Column("study", lambda r: str(r["study_id"])),
    Column("measure", lambda r: short_name(r["measure"])),
    Column(
        "group",
        lambda r: "" if missing(r["group"]) else str(r["group"]),
        min_width=8,
        optional=True,
    ),
    Column("value", value_text),
    Column(EXACT_CI, lambda r: exact_interval(r), optional=True),
    Column(
        "review",
        lambda r: "" if missing(r["review_status"]) else str(r["review_status"]),
        optional=True,
    ),
    Column(
        "flags",
        lambda r: "" if missing(r["flags"]) else str(r["flags"]),
        min_width=6,
        optional=True,
        drop=1,
    ),
    Column("evidence", lambda r: " ".join(str(r["evidence"]).split()), min_width=12, drop=2),
]

ORPHANS = [
    Column("review", lambda r: f"#{r['review_id']}"),
    Column("study", lambda r: str(r["study_id"])),
    Column("measure", lambda r: short_name(r["measure"])),
    Column("decision", lambda r: decision_text(r), min_width=12),
    Column("why it no longer applies", lambda r: str(r["orphan_reason"])),
    Column(
        "evidence then", lambda r: " ".join(str(r["evidence"] or "").split()), min_width=10, drop=1
    ),
]


def decision_text(review: dict[str, Any]) -> str:
    """`rejected`, `accepted`, or `corrected: value 40 -> 42` (what the reviewer decided)."""
    if review["decision"] != "corrected":
        return str(review["decision"])
    changes = ", ".join(f"{field}={_plain(value)}" for field, value in review["corrections"])
    return f"corrected: {changes}"


def _plain(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}" if isinstance(value, float) else str(value)


def wide_lines(frame: pd.DataFrame, width: int) -> list[str]:
    """The wide table, a study's own cells shown on its first row only."""
    return render(
        frame, wide_columns(), width, repeat_blank=("study", "author year", study_size().header)
    )


def long_lines(frame: pd.DataFrame, width: int, *, exact: bool = True) -> list[str]:
    """One line per value; `exact=False` leaves out the exact-CI column (the review queue: room for flags)."""
    return render(frame, LONG if exact else [c for c in LONG if c.header != EXACT_CI], width)


def orphan_lines(reviews: Sequence[dict[str, Any]], width: int) -> list[str]:
    return render(pd.DataFrame(list(reviews)), ORPHANS, width)


def render(
    frame: pd.DataFrame, columns: Sequence[Column], width: int, *, repeat_blank: Sequence[str] = ()
) -> list[str]:
    """Rows as aligned text lines (header first), fitted to `width` as far as the columns allow."""
    rows = cast(list[dict[str, Any]], frame.to_dict("records"))  # the columns are named by str
    cells = _blank_repeats(
        [[c.cell(r) for c in columns] for r in rows],
        [i for i, c in enumerate(columns) if c.header in repeat_blank],
    )
    keep = [i for i, c in enumerate(columns) if not c.optional or any(line[i] for line in cells)]
    while True:
        shown = [columns[i] for i in keep]
        widths = [max([len(columns[i].header), *(len(line[i]) for line in cells)]) for i in keep]
        if _fit(widths, shown, width - 2 * (len(shown) - 1)):
            break
        droppable = [i for i in keep if columns[i].drop is not None]
        if not droppable:
            break
        keep.remove(min(droppable, key=lambda i: columns[i].drop or 0))
    out = ["  ".join(_pad(c.header, w, c.right) for c, w in zip(shown, widths)).rstrip()]
    for line in cells:
        out.append(
            "  ".join(
                _pad(_cut(line[i], w), w, c.right) for i, c, w in zip(keep, shown, widths)
            ).rstrip()
        )
    return out


def _blank_repeats(cells: list[list[str]], blanks: list[int]) -> list[list[str]]:
    """Cells of the `blanks` columns left empty while they repeat the row above."""
    out, previous = [], None
    for line in cells:
        key = [line[i] for i in blanks]
        shown = list(line)
        if blanks and key == previous:
            for i in blanks:
                shown[i] = ""
        out.append(shown)
        previous = key
    return out


def _fit(widths: list[int], columns: Sequence[Column], room: int) -> bool:
    """Cut the widest cuttable column by one, again and again, until the row fits; say whether it does."""
    while sum(widths) > room:
        cuttable = [
            i for i, c in enumerate(columns) if c.min_width is not None and widths[i] > c.min_width
        ]
        if not cuttable:
            return False
        widths[max(cuttable, key=lambda j: widths[j])] -= 1
    return True


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _pad(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)
