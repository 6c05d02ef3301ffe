"""Forest plots of one measure: rows under regimen headings, CI bars, value and n columns, and (pooled) a
diamond per regimen with its heterogeneity line. Long plots are split into pages.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display). The figure is laid out
from the measured width of its texts: labels, the value and n columns and the title each get the room
they need, so nothing is cut or runs into its neighbour. Median OS is plotted in months; rates in
percent, on an axis with a margin either side so that a marker at 0% or 100% is whole.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from evidence_tables.db.proportions import CONTINUITY
from evidence_tables.forest import (
    CORRECTION,
    DERIVED,
    NO_GROUP,
    NO_REGIMEN,
    ForestRow,
    Line,
    PooledRow,
    forest_rows,
    lines_of,
    paginate,
    pooled_rows,
)
from evidence_tables.registry import get, is_kind

SUFFIXES = (".png", ".svg", ".pdf")
COLOURS = {"extracted": "#1f5f8b", "corrected": "#c2410c", "pooled": "#111111"}
ROWS_PER_PAGE = 50  # lines (headings, values, pooled rows) on one page
ROW = 0.28  # inches a line
FONT = 9
LEGEND_FONT = 8
PAD = 0.18  # inches between columns and at the edges
PLOT_WIDTH = 4.2  # inches of the axis itself
_MEASURE = RendererAgg(10, 10, 72)  # measures text in points

__all__ = [
    "axis_label",
    "NO_GROUP",
    "NO_REGIMEN",
    "ROWS_PER_PAGE",
    "SUFFIXES",
    "ForestRow",
    "Line",
    "PooledRow",
    "forest_figure",
    "forest_pages",
    "forest_rows",
    "lines_of",
    "page_paths",
    "paginate",
    "plotted_count",
    "pooled_rows",
    "save_figure",
    "save_pages",
]


def _width(texts: list[str], size: float = FONT, bold: bool = False) -> float:
    """Inches the widest of these texts takes."""
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    return (
        max(
            (_MEASURE.get_text_width_height_descent(t, prop, ismath=False)[0] for t in texts if t),
            default=0.0,
        )
        / 72
    )


def _wrap(text: str, width: float, size: float) -> str:
    """The text broken into lines no wider than `width` inches (words kept whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width([lines[-1] + " " + word], size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def axis_label(measure: str) -> str:
    """The x axis of a measure's plot (registry: `axis`); a rate is drawn 0-100%, a duration in months."""
    return get(measure).axis or get(measure).label


def _percent(measure: str) -> bool:
    return not is_kind(measure, "duration")


def forest_pages(
    rows: list[ForestRow],
    measure: str,
    *,
    pooled: list[PooledRow] | None = None,
    title: str | None = None,
    per_page: int = ROWS_PER_PAGE,
    notes: tuple[str, ...] = (),
) -> list[Figure]:
    """The plot, a figure per page; every page has the same axis and columns."""
    lines = lines_of(rows, pooled)
    pages = paginate(lines, per_page)
    studies = len({r.study_id for r in rows})
    title = (
        title
        or f"{axis_label(measure)}: {len(rows)} values from {studies} studies, by regimen"
        + (", pooled (random effects)" if pooled is not None else "")
    )
    top = _x_limit(rows, measure)
    out = []
    for i, page in enumerate(pages):
        shown = title if len(pages) == 1 else f"{title} (page {i + 1} of {len(pages)})"
        out.append(_figure(page, lines, measure, shown, top, pooled is not None, notes))
    return out


def forest_figure(
    rows: list[ForestRow],
    measure: str,
    *,
    title: str | None = None,
    pooled: list[PooledRow] | None = None,
) -> Figure:
    """The whole plot on one page."""
    return forest_pages(rows, measure, pooled=pooled, title=title, per_page=0)[0]


def _figure(
    page: list[Line],
    every: list[Line],
    measure: str,
    title: str,
    top: float,
    weighted: bool,
    notes: tuple[str, ...],
) -> Figure:
    labels = [line.text for line in every if line.kind != "heading"]
    label_w = (
        max(
            _width(labels),
            _width(
                [f"{line.text} (continued)" for line in every if line.kind == "heading"], bold=True
            ),
        )
        + 0.1
    )
    values = [
        line.row.value_text
        for line in every
        if line.row is not None and line.kind != "heterogeneity"
    ]
    ns = [
        line.row.n_text for line in every if line.row is not None and line.kind != "heterogeneity"
    ]
    columns = [
        ("value (95% CI)", _width([*values, "value (95% CI)"], bold=True)),
        ("n/N" if _percent(measure) else "n", _width([*ns, "n/N"], bold=True)),
    ]
    if weighted and any(
        isinstance(line.row, ForestRow) and line.row.weight is not None for line in every
    ):
        columns.append(("weight", _width(["weight", "100.0%"], bold=True)))
    side_w = sum(w for _, w in columns) + PAD * (len(columns) - 1)
    fig_w = PAD + label_w + PLOT_WIDTH + PAD + side_w + PAD
    wrapped = _wrap(title, fig_w - 2 * PAD, 11)
    legend = _legend(page, measure, notes)
    entry = max(
        _width([str(h.get_label()) for h in legend], LEGEND_FONT) + 0.45, 1.0
    )  # marker and gaps
    ncols = 2 if 2 * entry <= fig_w - 2 * PAD else 1
    for h in legend:
        h.set_label(_wrap(str(h.get_label()), fig_w - 2 * PAD - 0.45, LEGEND_FONT))
    legend_lines = (
        sum(str(h.get_label()).count("\n") + 1 for h in legend[::ncols])
        if ncols == 1
        else math.ceil(len(legend) / 2)
    )
    head = 0.25 + 0.2 * (wrapped.count("\n") + 1)
    foot = 0.62 + 0.18 * legend_lines + 0.1
    body = ROW * (len(page) + 1)
    fig = Figure(figsize=(fig_w, head + body + foot))
    FigureCanvasAgg(fig)
    height = head + body + foot
    fig.text(PAD / fig_w, 1 - 0.12 / height, wrapped, ha="left", va="top", fontsize=11, gid="title")
    box = ((PAD + label_w) / fig_w, foot / height, PLOT_WIDTH / fig_w, body / height)
    ax = fig.add_axes(box)
    side = fig.add_axes(
        ((PAD + label_w + PLOT_WIDTH + PAD) / fig_w, foot / height, side_w / fig_w, body / height),
        sharey=ax,
    )
    ys = list(range(len(page), 0, -1))
    ax.set_ylim(0.4, len(page) + 1)
    ax.set_yticks(ys, [line.text for line in page])
    ax.tick_params(axis="y", length=0, labelsize=FONT)
    for line, tick in zip(page, ax.get_yticklabels()):
        if line.kind in ("heading", "pooled"):
            tick.set_fontweight("bold")
        if line.kind == "heterogeneity":
            tick.set_fontstyle("italic")
            tick.set_fontsize(FONT - 1)
    margin = 2.5 if _percent(measure) else 0.0
    ax.set_xlim(-margin if _percent(measure) else 0.0, top + margin)
    if _percent(measure):
        ax.set_xticks(range(0, 101, 20))
    plotted = [(y, line.row) for y, line in zip(ys, page) if line.kind == "value"]
    _draw_cis(ax, plotted, top)  # type: ignore[arg-type]
    _draw_points(ax, plotted, weighted)  # type: ignore[arg-type]
    _draw_pooled(ax, [(y, line.row) for y, line in zip(ys, page) if line.kind == "pooled"])  # type: ignore[misc]
    _write_side(side, page, columns, side_w, ys)
    ax.set_xlabel(axis_label(measure))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.legend(
        handles=legend,
        loc="lower left",
        bbox_to_anchor=(PAD / fig_w, 0.06 / height),
        ncols=ncols,
        frameon=False,
        fontsize=LEGEND_FONT,
        borderaxespad=0,
    )
    return fig


def _write_side(
    side, page: list[Line], columns: list[tuple[str, float]], side_w: float, ys: list[int]
) -> None:
    """The value, n (and weight) columns, each starting where the one before it ends."""
    side.set_xlim(0, side_w)
    side.axis("off")
    starts = [sum(w + PAD for _, w in columns[:i]) for i in range(len(columns))]
    gids = ["value-text", "n-text", "weight-text"]
    for (header, _), x in zip(columns, starts):
        side.text(x, len(page) + 0.6, header, fontweight="bold", va="center", fontsize=FONT)
    for y, line in zip(ys, page):
        if line.row is None or line.kind == "heterogeneity":
            continue
        weight = getattr(line.row, "weight", None)
        cells = [
            line.row.value_text,
            line.row.n_text,
            "100.0%" if line.kind == "pooled" else "" if weight is None else f"{weight:.1f}%",
        ]
        bold = "bold" if line.kind == "pooled" else "normal"
        for text, x, gid in zip(cells, starts, gids[: len(columns)]):
            side.text(x, y, text, va="center", fontsize=FONT, fontweight=bold, gid=gid)


def _x_limit(rows: list[ForestRow], measure: str) -> float:
    if _percent(measure):
        return 100.0
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    return max(values, default=12.0) * 1.1 or 12.0


def _draw_cis(ax, plotted: list[tuple[int, ForestRow]], top: float) -> None:
    """A bar from ci_low to ci_high; an open side (NE) runs to the axis edge with an arrow."""
    bars = [
        (y, r.low if r.low is not None else 0.0, r.high if r.high is not None else top)
        for y, r in plotted
        if r.low is not None or r.high is not None
    ]
    if bars:
        ax.hlines(
            [b[0] for b in bars],
            [b[1] for b in bars],
            [b[2] for b in bars],
            color="#555555",
            linewidth=1.2,
            gid="ci",
            zorder=2,
        )
    open_high = [(y, r) for y, r in plotted if r.low is not None and r.high is None]
    if open_high:
        ax.plot(
            [top] * len(open_high),
            [y for y, _ in open_high],
            linestyle="none",
            marker=">",
            color="#555555",
            markersize=5,
            clip_on=False,
            gid="ci-open",
        )
    unreached = [y for y, r in plotted if r.estimate is None]
    if unreached:
        ax.plot(
            [top] * len(unreached),
            unreached,
            linestyle="none",
            marker=">",
            color=COLOURS["extracted"],
            markerfacecolor="white",
            markersize=7,
            clip_on=False,
            gid="not-reached",
            zorder=3,
        )


def _draw_points(ax, plotted: list[tuple[int, ForestRow]], weighted: bool) -> None:
    """A square per value (a diamond if corrected; open if flagged); on a pooled plot its area follows its weight."""
    heaviest = max((r.weight or 0.0 for _, r in plotted), default=0.0) or 1.0
    for y, r in plotted:
        if r.estimate is None:
            continue
        kind = "corrected" if r.corrected else "extracted"
        size = 6 if r.weight is None else 4 + 8 * math.sqrt(r.weight / heaviest)
        ax.plot(
            [r.estimate],
            [y],
            linestyle="none",
            marker="D" if r.corrected else "s",
            markersize=size,
            color=COLOURS[kind],
            markerfacecolor="white" if r.flagged else COLOURS[kind],
            gid=f"points-{kind}",
            zorder=3,
            clip_on=False,
        )


def _draw_pooled(ax, pooled: list[tuple[int, PooledRow]]) -> None:
    for y, p in pooled:
        ax.add_patch(
            Polygon(
                [(p.low, y), (p.estimate, y + 0.32), (p.high, y), (p.estimate, y - 0.32)],
                closed=True,
                facecolor=COLOURS["pooled"],
                edgecolor=COLOURS["pooled"],
                gid="pooled-diamond",
                zorder=3,
            )
        )


def _legend(page: list[Line], measure: str, notes: tuple[str, ...]) -> list[Line2D]:
    """Legend entries for the kinds of marks on this page, then what the columns and signs mean."""

    def handle(
        label: str, marker: str = "none", colour: str = "black", face: str | None = None
    ) -> Line2D:
        return Line2D(
            [],
            [],
            linestyle="none",
            marker=marker,
            color=colour,
            markerfacecolor=face or colour,
            label=label,
        )

    rows = [line.row for line in page if line.kind == "value"]
    ci = (
        "95% CI as printed, else exact (Clopper-Pearson) from n/N"
        if _percent(measure)
        else "95% CI as printed"
    )
    weighted = any(r.weight is not None for r in rows)  # type: ignore[union-attr]
    if any(line.kind in ("pooled", "heterogeneity") for line in page) or weighted:
        ci = "exact 95% CI (Clopper-Pearson) of the counts pooled"
    out = [
        handle(
            f"study value{' (area: weight)' if weighted else ''}; bar: {ci}",
            "s",
            COLOURS["extracted"],
        )
    ]
    if any(line.kind == "pooled" for line in page):
        out.append(
            handle("pooled proportion and its 95% CI (random effects)", "D", COLOURS["pooled"])
        )
    if any(r.corrected for r in rows):  # type: ignore[union-attr]
        out.append(handle("corrected by a reviewer", "D", COLOURS["corrected"]))
    if any(r.flagged for r in rows):  # type: ignore[union-attr]
        out.append(
            handle("flagged by the extractor (open marker)", "s", COLOURS["extracted"], "white")
        )
    if any(r.estimate is None for r in rows):  # type: ignore[union-attr]
        out.append(
            handle("median not reached (at the right edge)", ">", COLOURS["extracted"], "white")
        )
    if _percent(measure):
        out.append(handle("n/N: patients with the outcome / in the group"))
    if any(r.n_text.startswith("n=") for r in rows):  # type: ignore[union-attr]
        out.append(handle("n=: patients in the group (blank where no count gives it)"))
    if any(DERIVED in r.n_text for r in rows):  # type: ignore[union-attr]
        out.append(
            handle(
                f"{DERIVED}: not both counts printed: the group's size or the events worked out "
                "(see evidence pool)"
            )
        )
    if any(r.n_text.endswith(CORRECTION) for r in rows):  # type: ignore[union-attr]
        out.append(
            handle(
                f"{CORRECTION}: 0 or all events: {CONTINUITY:g} added to events and non-events "
                "for pooling"
            )
        )
    return out + [handle(note) for note in notes]


def page_paths(path: str | Path, pages: int) -> list[Path]:
    """Where the pages go: the file itself for one page or a PDF; else name-1.png, name-2.png, ..."""
    path = Path(path)
    if pages == 1 or path.suffix.lower() == ".pdf":
        return [path]
    return [path.with_name(f"{path.stem}-{i}{path.suffix}") for i in range(1, pages + 1)]


def save_figure(fig: Figure, path: str | Path) -> Path:
    """PNG (150 dpi), SVG (text kept as text, so labels stay searchable and editable) or PDF."""
    path = Path(path)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, dpi=150)
    return path


def save_pages(figs: list[Figure], path: str | Path) -> list[Path]:
    """One file per page (PNG, SVG), or one PDF of every page."""
    targets = page_paths(path, len(figs))
    if len(targets) == 1 and len(figs) > 1:
        with PdfPages(targets[0]) as pdf:
            for fig in figs:
                pdf.savefig(fig)
        return targets
    return [save_figure(fig, target) for fig, target in zip(figs, targets)]


def plotted_count(rows: list[ForestRow]) -> int:
    """How many rows have a point (a median not reached has none)."""
    return sum(r.estimate is not None for r in rows)
