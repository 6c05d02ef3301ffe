"""Forest plots: the rows drawn (read back from the matplotlib Axes), the files written, the command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from evidence_tables.db.filters import Filters
from evidence_tables.db.reviews import mark
from evidence_tables.plot import (
    NO_REGIMEN,
    ForestRow,
    forest_figure,
    forest_pages,
    forest_rows,
    lines_of,
    paginate,
    pooled_rows,
    save_figure,
)


def drawn(fig, gid: str) -> list[tuple[float, float]]:
    """(x, y) of every marker drawn with this gid."""
    ax = fig.axes[0]
    return [
        (float(x), float(y))
        for line in ax.lines
        if line.get_gid() == gid
        for x, y in zip(line.get_xdata(), line.get_ydata())
    ]


def labels(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def side_texts(fig, gid: str) -> list[str]:
    return [t.get_text() for t in fig.axes[1].texts if t.get_gid() == gid]


def title(fig) -> str:
    return " ".join(t.get_text() for t in fig.texts if t.get_gid() == "title")


def test_cr_rates_are_grouped_by_regimen_with_n(evidence_store):
    rows = forest_rows(evidence_store, "cr_rate")
    assert [(r.regimen, r.study_id, r.estimate, r.n_text) for r in rows] == [
        ("R-CHOP", "a1", 40.0, "20/50"),
        ("R-CVP", "a1", 30.0, "15/50"),
        (NO_REGIMEN, "b2", 50.0, "15/30"),
    ]
    fig = forest_figure(rows, "cr_rate")
    assert labels(fig) == [
        "R-CHOP",
        "Okafor 2023 [a1]",
        "R-CVP",
        "Okafor 2023 [a1]",
        NO_REGIMEN,
        "Brennan 2021 [b2]",
    ]
    assert [t.get_fontweight() for t in fig.axes[0].get_yticklabels()][::2] == ["bold"] * 3
    ys = dict(zip(labels(fig), fig.axes[0].get_yticks()))
    assert sorted(drawn(fig, "points-extracted")) == sorted([(40.0, 5.0), (30.0, 3.0), (50.0, 1.0)])
    assert ys["R-CHOP"] == 6 and fig.axes[0].get_xlim() == (
        -2.5,
        102.5,
    )  # room for a whole marker at 0 or 100%
    assert side_texts(fig, "n-text") == ["20/50", "15/50", "15/30"]
    # no printed CI: the exact (Clopper-Pearson) one of the counts
    assert side_texts(fig, "value-text") == [
        "40% (26.4-54.8)",
        "30% (17.9-44.6)",
        "50% (31.3-68.7)",
    ]
    (bars,) = [c for c in fig.axes[0].collections if c.get_gid() == "ci"]
    assert sorted(round(s[0][0], 2) for s in bars.get_segments()) == [17.86, 26.41, 31.3]
    assert "3 values from 2 studies" in title(fig)


def test_median_os_is_drawn_in_months_with_its_ci(evidence_store):
    fig = forest_figure(forest_rows(evidence_store, "median_os"), "median_os")
    assert labels(fig) == [
        "R-CHOP",
        "Okafor 2023 [a1]",
        "R-CVP",
        "Okafor 2023 [a1]",
        NO_REGIMEN,
        "Brennan 2021 [b2]",
    ]
    assert sorted(drawn(fig, "points-extracted")) == [
        (9.86, 1.0),
        (24.0, 5.0),
    ]  # 300 days -> 9.86 months
    (bars,) = [c for c in fig.axes[0].collections if c.get_gid() == "ci"]
    segments = sorted((round(s[0][0], 2), round(s[1][0], 2), s[0][1]) for s in bars.get_segments())
    assert segments == [(6.57, 13.14, 1.0), (18.0, 30.0, 5.0)]
    assert drawn(fig, "not-reached") == [(fig.axes[0].get_xlim()[1], 3.0)]
    assert side_texts(fig, "value-text") == ["24 mo (18-30)", "not reached", "300 d (200-400)"]
    # the arm's n (from its CR rate's n/N), never the study's 120; the whole cohort's N for b2
    assert side_texts(fig, "n-text") == ["n=50", "n=50", "n=30"]


def test_reviews_show_in_the_plot(evidence_store, ids):
    mark(
        evidence_store,
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        "corrected",
        corrections={"value": 42.0},
    )
    mark(evidence_store, ids(evidence_store, "b2", "cr_rate"), "rejected")
    fig = forest_figure(forest_rows(evidence_store, "cr_rate"), "cr_rate")
    assert drawn(fig, "points-corrected") == [(42.0, 3.0)]
    assert drawn(fig, "points-extracted") == [
        (30.0, 1.0)
    ]  # flagged (open marker); b2's rejected value is gone
    assert NO_REGIMEN not in labels(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert (
        "corrected by a reviewer" in legend and "flagged by the extractor (open marker)" in legend
    )


def test_filters_choose_the_rows(evidence_store):
    assert [
        r.study_id for r in forest_rows(evidence_store, "cr_rate", Filters(min_cohort=100))
    ] == ["a1", "a1"]
    assert [r.regimen for r in forest_rows(evidence_store, "cr_rate", Filters(regimen="cvp"))] == [
        "R-CVP"
    ]
    assert forest_rows(evidence_store, "relapse_rate", Filters(search="radiotherapy")) == []


def test_png_and_svg_files(evidence_store, tmp_path):
    fig = forest_figure(forest_rows(evidence_store, "cr_rate"), "cr_rate")
    png = save_figure(fig, tmp_path / "cr.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    svg = save_figure(fig, tmp_path / "cr.svg").read_text()
    assert svg.count("Okafor 2023 [a1]") == 2 and "Brennan 2021 [b2]" in svg and "15/30" in svg


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_plot_command(run, evidence_store, tmp_path):
    db = str(evidence_store.path)
    result = run("plot", db, "--measure", "median_os", "-o", "os.png")
    assert (
        result.exit_code == 0
        and "wrote os.png: 3 rows (2 with a point) from 2 studies" in result.output
    )
    assert (tmp_path / "os.png").stat().st_size > 10_000
    result = run(
        "plot",
        db,
        "--measure",
        "cr_rate",
        "--regimen",
        "CHOP",
        "--title",
        "CR with R-CHOP",
        "-o",
        "cr.svg",
    )
    assert result.exit_code == 0 and "CR with R-CHOP" in (tmp_path / "cr.svg").read_text()
    result = run("plot", db, "--measure", "relapse_rate", "--flagged", "-o", "none.png")
    assert (
        result.exit_code == 1
        and "nothing to plot" in result.output
        and not (tmp_path / "none.png").exists()
    )
    assert run("plot", db, "--measure", "cr_rate", "-o", "cr.gif").exit_code == 2
    assert run("plot", db, "--measure", "cohort_size", "-o", "n.png").exit_code == 2


# ---- labels, layout, pages and pooled plots ------------------------------------------------------------


def test_labels_never_repeat_the_id():
    from evidence_tables.forest import study_label

    assert study_label("Okafor N", 2023, "a1") == "Okafor 2023 [a1]"
    assert study_label(None, 2021, "b2") == "b2 (2021)"
    assert study_label(None, None, "c3", "ABVD arm") == "c3 ABVD arm"


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from tests.app.synthetic_review import build

    store = build(tmp_path_factory.mktemp("many") / "many.db", studies=60)
    yield store
    store.close()


def extents(fig) -> dict[str, list]:
    """Pixel boxes of what a reader must see whole: labels, columns, title, axis label, legend texts."""
    renderer = fig.canvas.get_renderer()
    ax, side = fig.axes[:2]
    return {
        "labels": [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()],
        "side": [
            (t.get_gid(), t.get_position()[1], t.get_window_extent(renderer)) for t in side.texts
        ],
        "title": [t.get_window_extent(renderer) for t in fig.texts if t.get_gid() == "title"],
        "xlabel": [ax.xaxis.label.get_window_extent(renderer)],
        "legend": [t.get_window_extent(renderer) for t in fig.legends[0].get_texts()],
    }


def assert_readable(fig) -> None:
    fig.canvas.draw()
    inside = fig.bbox
    boxes = extents(fig)
    for kind in ("labels", "title", "xlabel", "legend"):
        for box in boxes[kind]:
            assert (
                inside.x0 <= box.x0
                and box.x1 <= inside.x1
                and inside.y0 <= box.y0
                and box.y1 <= inside.y1
            ), kind
    rows: dict[float, list] = {}
    for gid, y, box in boxes["side"]:
        assert box.x1 <= inside.x1, gid  # no column runs off the right edge
        rows.setdefault(y, []).append(box)
    for y, cells in rows.items():  # value, n, weight: each ends before the next begins
        cells.sort(key=lambda b: b.x0)
        assert all(a.x1 < b.x0 for a, b in zip(cells, cells[1:])), y
    axes = fig.axes[0].get_window_extent(fig.canvas.get_renderer())
    assert all(t.y0 > axes.y1 for t in boxes["title"])
    assert all(legend.y1 < boxes["xlabel"][0].y0 for legend in boxes["legend"])


@pytest.mark.parametrize("measure", ["cr_rate", "median_os", "relapse_rate"])
def test_nothing_is_cut_or_runs_into_its_neighbour(many, measure):
    rows = forest_rows(many, measure)
    long_title = (
        "Complete response after two or more prior lines: every series and trial we found, by regimen "
        * 2
    )
    for fig in forest_pages(rows, measure, title=long_title):
        assert_readable(fig)
        assert title(fig).count("\n") >= 1  # the long title is wrapped, not cut


def test_markers_at_0_and_100_percent_are_whole(many):
    rows, pooled, _ = pooled_rows(many, "cr_rate")
    assert {r.estimate for r in rows} >= {0.0, 100.0}
    for fig in forest_pages(rows, "cr_rate", pooled=pooled):
        fig.canvas.draw()
        ax = fig.axes[0]
        box = ax.get_window_extent(fig.canvas.get_renderer())
        for line in ax.lines:
            if not (line.get_gid() or "").startswith("points-"):
                continue
            radius = line.get_markersize() / 2 * fig.dpi / 72
            x, _ = ax.transData.transform((line.get_xdata()[0], line.get_ydata()[0]))
            assert box.x0 <= x - radius and x + radius <= box.x1


def test_a_long_plot_is_split_into_pages(many):
    rows = forest_rows(many, "cr_rate")
    lines = lines_of(rows)
    assert len(lines) > 2 * 40
    pages = paginate(lines, 40)
    assert len(pages) >= 3 and all(len(p) <= 40 for p in pages)
    assert [line for page in pages for line in page if line.kind == "value"] == [
        line for line in lines if line.kind == "value"
    ]
    assert all(page[0].kind == "heading" for page in pages)  # a page opens with its regimen
    figs = forest_pages(rows, "cr_rate", per_page=40)
    assert len(figs) == len(pages) and all(fig.get_figheight() < 16 for fig in figs)
    assert "(page 1 of" in title(figs[0])


def test_a_regimen_longer_than_a_page_continues_under_its_heading():
    rows = [
        ForestRow(
            regimen="Pola-BR",
            study_id=f"s{i}",
            label=f"s{i}",
            estimate=40.0,
            low=None,
            high=None,
            value_text="40%",
            n_text="",
            corrected=False,
            flagged=False,
        )
        for i in range(25)
    ]
    pages = paginate(lines_of(rows), 10)
    assert [p[0].text for p in pages] == ["Pola-BR"] + ["Pola-BR (continued)"] * (len(pages) - 1)
    assert sum(line.kind == "value" for p in pages for line in p) == 25 and all(
        len(p) <= 10 for p in pages
    )


def test_pooled_plot_has_a_diamond_and_heterogeneity_per_regimen(many):
    rows, pooled, report = pooled_rows(many, "cr_rate")
    fig = forest_figure(rows, "cr_rate", pooled=pooled)
    diamonds = [p for p in fig.axes[0].patches if p.get_gid() == "pooled-diamond"]
    assert len(diamonds) == len(pooled) == 6
    for diamond, p in zip(diamonds, pooled):
        xs = sorted(x for x, _ in diamond.get_xy()[:4])
        assert xs == pytest.approx([p.low, p.estimate, p.estimate, p.high])
    texts = labels(fig)
    assert sum(t.startswith("Random effects, k = ") for t in texts) == 6
    assert sum(t.startswith("I² ") and ", tau² " in t and ", p " in t for t in texts) == 6
    weights = [float(t.rstrip("%")) for t in side_texts(fig, "weight-text") if t != "100.0%"]
    assert sum(weights) == pytest.approx(
        600.0, abs=0.5
    )  # six regimens' weights, each summing to 100%
    assert "+" in " ".join(side_texts(fig, "n-text"))  # the studies with 0 or all events are marked
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "0.5 added" in legend and "pooled proportion" in legend
    assert_readable(fig)


def test_the_plot_command_writes_pages_and_pooled_plots(many, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = str(many.path)
    result = CliRunner().invoke(
        cli, ["plot", db, "--measure", "cr_rate", "-o", "cr.png"], catch_exceptions=False
    )
    assert result.exit_code == 0 and "wrote 2 pages, cr-1.png to cr-2.png" in result.output
    assert (tmp_path / "cr-2.png").exists() and not (tmp_path / "cr.png").exists()
    result = CliRunner().invoke(
        cli, ["plot", db, "--measure", "cr_rate", "--pooled", "-o", "cr.pdf"]
    )
    assert (
        result.exit_code == 0
        and "wrote cr.pdf (2 pages)" in result.output
        and ", 6 pooled" in result.output
    )
    assert (tmp_path / "cr.pdf").read_bytes().count(b"/Type /Page\n") + (
        tmp_path / "cr.pdf"
    ).read_bytes().count(b"/Type /Page ") >= 2
    result = CliRunner().invoke(
        cli, ["plot", db, "--measure", "cr_rate", "--rows-per-page", "0", "-o", "one.png"]
    )
    assert result.exit_code == 0 and "warning: " in result.output and "pixels tall" in result.output
    result = CliRunner().invoke(
        cli, ["plot", db, "--measure", "median_os", "--pooled", "-o", "os.png"]
    )
    assert result.exit_code == 2 and "only a rate is pooled" in result.output


@pytest.mark.parametrize("per_page", [6, 7, 11, 16, 23, 30])
def test_pages_keep_every_line_and_each_pooled_row_with_its_heterogeneity(many, per_page):
    rows, pooled, _ = pooled_rows(many, "cr_rate")
    lines = lines_of(rows, pooled)
    pages = paginate(lines, per_page)
    assert all(len(page) <= per_page for page in pages)
    assert [line for page in pages for line in page if line.kind != "heading"] == [
        line for line in lines if line.kind != "heading"
    ]
    assert not any(page[-1].kind in ("pooled", "heading") for page in pages)
    full = [len(page) for page in pages[:-1]]
    assert (
        sum(full) / len(full) > per_page * 0.6
    )  # regimens longer than a page fill the page they start on
