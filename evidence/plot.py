"""Forest-style dot plots of one measure: a row per study and group, grouped by regimen, CI bars where known.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display needed). Median OS is
plotted in months (days/30.4375, weeks*7/30.4375, years*12); rates in percent.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from evidence_tables.db.filters import PLOTTED_MEASURES, Filters
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.tables import long_table, studies_table
from evidence_tables.db.units import to_months
from evidence_tables.display import author_year, duration, missing, rate

MEASURES = PLOTTED_MEASURES
AXIS = {"cr_rate": "Complete response rate (%)", "relapse_rate": "Relapse / progression rate (%)",
        "median_os": "Median overall survival (months)"}
NO_REGIMEN = "No regimen named"
SUFFIXES = (".png", ".svg", ".pdf")
COLOURS = {"extracted": "#1f5f8b", "corrected": "#c2410c"}
MAX_LABEL = 48
N_COLUMN = 0.72  # where the n column starts in the side panel (0-1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ForestRow:
    """One plotted value: where it sits (regimen heading, label), what it is, and what to say beside it."""

    regimen: str
    study_id: str
    label: str
    estimate: float | None
    low: float | None
    high: float | None
    value_text: str
    n_text: str
    corrected: bool
    flagged: bool


def forest_rows(store: EvidenceDB, measure: str, filters: Filters | None = None) -> list[ForestRow]:
    """The values of `measure` passing `filters` (rejected ones left out), ordered by regimen then study."""
    chosen = dataclasses.replace(filters or Filters(), measures=(measure,))
    values = long_table(store, chosen)
    values = values[values["review_status"].fillna("") != "rejected"]
    studies = studies_table(store, chosen)
    cohorts = dict(zip(studies["study_id"], studies["cohort_size"]))
    rows = [_row(r, measure, cohorts.get(r["study_id"])) for r in values.to_dict("records")]
    return sorted(rows, key=lambda r: (r.regimen == NO_REGIMEN, r.regimen.lower(), r.label.lower()))


def _row(r: dict, measure: str, cohort: object) -> ForestRow:
    regimen = NO_REGIMEN if missing(r["regimen"]) else str(r["regimen"])
    label = f"{author_year(r) or r['study_id']} [{r['study_id']}]"
    if not missing(r["group_label"]) and r["group_label"] != r["regimen"]:
        label += f" {r['group_label']}"
    label = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
    if measure == "median_os":
        unit = r["unit"]
        estimate, low, high = (to_months(_num(r[k]), unit) for k in ("value", "ci_low", "ci_high"))
        text = duration(r["value"], unit, r["ci_low"], r["ci_high"], r["not_reached"])
    else:
        estimate, low, high = _num(r["value"]), _num(r["ci_low"]), _num(r["ci_high"])
        text = rate(r["value"])
    if not missing(r["numerator"]) and not missing(r["denominator"]):
        n_text = f"{int(r['numerator'])}/{int(r['denominator'])}"
    elif not missing(r["denominator"]):
        n_text = f"n={int(r['denominator'])}"
    else:
        n_text = "" if missing(cohort) else f"N={int(cohort)}"  # type: ignore[call-overload]
    return ForestRow(regimen=regimen, study_id=str(r["study_id"]), label=label, estimate=estimate, low=low,
                     high=high, value_text=text, n_text=n_text, corrected=r["review_status"] == "corrected",
                     flagged=not missing(r["flags"]))


def _num(value: object) -> float | None:
    return None if missing(value) else float(value)  # type: ignore[arg-type]


def forest_figure(rows: list[ForestRow], measure: str, *, title: str | None = None) -> Figure:
    """The plot: regimen headings in bold, a dot per row, CI bars where known, value and n on the right."""
    lines: list[tuple[str, ForestRow | None]] = []  # (regimen, None) is the regimen's heading
    for row in rows:
        if not lines or lines[-1][0] != row.regimen:
            lines.append((row.regimen, None))
        lines.append((row.regimen, row))
    fig = Figure(figsize=(10, 1.6 + 0.3 * len(lines)), layout="constrained")
    FigureCanvasAgg(fig)
    ax, side = fig.subplots(1, 2, sharey=True, width_ratios=[3.6, 1.6])
    ys = list(range(len(lines), 0, -1))
    top = _x_limit(rows, measure)
    ax.set_xlim(0, top)
    ax.set_ylim(0.3, len(lines) + 0.7)
    ax.set_yticks(ys, [row.label if row else heading for heading, row in lines])
    for (heading, row), tick in zip(lines, ax.get_yticklabels()):
        if row is None:
            tick.set_fontweight("bold")
    plotted = [(y, r) for y, (_, r) in zip(ys, lines) if r is not None]
    _draw_cis(ax, plotted, top)
    for kind, colour in COLOURS.items():
        points = [(y, r) for y, r in plotted if r.estimate is not None and r.corrected == (kind == "corrected")]
        for flagged in (False, True):
            chosen = [(y, r) for y, r in points if r.flagged == flagged]
            if chosen:
                ax.plot([r.estimate for _, r in chosen], [y for y, _ in chosen], linestyle="none",
                        marker="D" if kind == "corrected" else "s", markersize=6, color=colour,
                        markerfacecolor="white" if flagged else colour, gid=f"points-{kind}", zorder=3)
    _write_side(side, plotted, len(lines))
    ax.set_xlabel(AXIS[measure])
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    studies = len({r.study_id for r in rows})
    ax.set_title(title or f"{AXIS[measure]}: {len(rows)} values from {studies} studies, by regimen", loc="left")
    fig.legend(handles=_legend(rows, measure), loc="outside lower center", ncols=2, frameon=False, fontsize=8)
    return fig


def _write_side(side, plotted: list[tuple[int, ForestRow]], n_lines: int) -> None:
    """The value and n columns, in an axes of their own so that the layout leaves room for them."""
    side.set_xlim(0, 1)
    side.axis("off")
    side.text(0.0, n_lines + 0.55, "value", fontweight="bold", va="center", fontsize=9)
    side.text(N_COLUMN, n_lines + 0.55, "n", fontweight="bold", va="center", fontsize=9)
    for y, r in plotted:
        side.text(0.0, y, r.value_text, va="center", fontsize=9, gid="value-text")
        side.text(N_COLUMN, y, r.n_text, va="center", fontsize=9, gid="n-text")


def _x_limit(rows: list[ForestRow], measure: str) -> float:
    if measure != "median_os":
        return 100.0
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    return max(values, default=12.0) * 1.1 or 12.0


def _draw_cis(ax, plotted: list[tuple[int, ForestRow]], top: float) -> None:
    """A bar from ci_low to ci_high; an open side (NE) runs to the axis edge with an arrow."""
    bars = [(y, r.low if r.low is not None else 0.0, r.high if r.high is not None else top)
            for y, r in plotted if r.low is not None or r.high is not None]
    if bars:
        ax.hlines([b[0] for b in bars], [b[1] for b in bars], [b[2] for b in bars], color="#555555",
                  linewidth=1.2, gid="ci", zorder=2)
    open_high = [(y, r) for y, r in plotted if r.low is not None and r.high is None]
    if open_high:
        ax.plot([top] * len(open_high), [y for y, _ in open_high], linestyle="none", marker=">", color="#555555",
                markersize=5, clip_on=False, gid="ci-open")
    unreached = [y for y, r in plotted if r.estimate is None]
    if unreached:
        ax.plot([top] * len(unreached), unreached, linestyle="none", marker=">", color=COLOURS["extracted"],
                markerfacecolor="white", markersize=7, clip_on=False, gid="not-reached", zorder=3)


def _legend(rows: list[ForestRow], measure: str) -> list[Line2D]:
    """Legend entries for the kinds of marks this plot has."""
    def handle(label: str, marker: str, colour: str, face: str | None = None) -> Line2D:
        return Line2D([], [], linestyle="none", marker=marker, color=colour, markerfacecolor=face or colour,
                      label=label)

    out = [handle("extracted value (bar: 95% CI where reported)", "s", COLOURS["extracted"])]
    if any(r.corrected for r in rows):
        out.append(handle("corrected by a reviewer", "D", COLOURS["corrected"]))
    if any(r.flagged for r in rows):
        out.append(handle("flagged by the extractor (open marker)", "s", COLOURS["extracted"], "white"))
    if any(r.estimate is None for r in rows):
        out.append(handle("median not reached (at the right edge)", ">", COLOURS["extracted"], "white"))
    counts = "n/N: patients with the outcome / in the group;  " if measure != "median_os" else ""
    out.append(Line2D([], [], linestyle="none", label=counts + "N=: patients in the study"))
    return out


def save_figure(fig: Figure, path: str | Path) -> Path:
    """PNG (150 dpi), SVG (text kept as text, so labels stay searchable and editable) or PDF."""
    path = Path(path)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, dpi=150)
    return path


def plotted_count(rows: list[ForestRow]) -> int:
    """How many rows have a point (a median not reached has none)."""
    return sum(r.estimate is not None for r in rows)
