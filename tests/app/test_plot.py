"""Forest plots: the rows drawn (read back from the matplotlib Axes), the files written, the command."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from evidence_tables.db.filters import Filters
from evidence_tables.db.reviews import mark
from evidence_tables.cli import cli
from evidence_tables.plot import NO_REGIMEN, forest_figure, forest_rows, save_figure


def drawn(fig, gid: str) -> list[tuple[float, float]]:
    """(x, y) of every marker drawn with this gid."""
    ax = fig.axes[0]
    return [(float(x), float(y)) for line in ax.lines if line.get_gid() == gid
            for x, y in zip(line.get_xdata(), line.get_ydata())]


def labels(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def side_texts(fig, gid: str) -> list[str]:
    return [t.get_text() for t in fig.axes[1].texts if t.get_gid() == gid]


def test_cr_rates_are_grouped_by_regimen_with_n(evidence_store):
    rows = forest_rows(evidence_store, "cr_rate")
    assert [(r.regimen, r.study_id, r.estimate, r.n_text) for r in rows] == [
        ("R-CHOP", "a1", 40.0, "20/50"), ("R-CVP", "a1", 30.0, "15/50"), (NO_REGIMEN, "b2", 50.0, "15/30")]
    fig = forest_figure(rows, "cr_rate")
    assert labels(fig) == ["R-CHOP", "Okafor 2023 [a1]", "R-CVP", "Okafor 2023 [a1]", NO_REGIMEN, "Brennan 2021 [b2]"]
    assert [t.get_fontweight() for t in fig.axes[0].get_yticklabels()][::2] == ["bold"] * 3
    ys = {label: y for label, y in zip(labels(fig), fig.axes[0].get_yticks())}
    assert sorted(drawn(fig, "points-extracted")) == sorted([(40.0, 5.0), (30.0, 3.0), (50.0, 1.0)])
    assert ys["R-CHOP"] == 6 and fig.axes[0].get_xlim() == (0.0, 100.0)
    assert side_texts(fig, "n-text") == ["20/50", "15/50", "15/30"]
    assert side_texts(fig, "value-text") == ["40%", "30%", "50%"]
    assert "3 values from 2 studies" in fig.axes[0].get_title(loc="left")


def test_median_os_is_drawn_in_months_with_its_ci(evidence_store):
    fig = forest_figure(forest_rows(evidence_store, "median_os"), "median_os")
    assert labels(fig) == ["R-CHOP", "Okafor 2023 [a1]", "R-CVP", "Okafor 2023 [a1]", NO_REGIMEN, "Brennan 2021 [b2]"]
    assert sorted(drawn(fig, "points-extracted")) == [(9.86, 1.0), (24.0, 5.0)]  # 300 days -> 9.86 months
    (bars,) = [c for c in fig.axes[0].collections if c.get_gid() == "ci"]
    segments = sorted((round(s[0][0], 2), round(s[1][0], 2), s[0][1]) for s in bars.get_segments())
    assert segments == [(6.57, 13.14, 1.0), (18.0, 30.0, 5.0)]
    assert drawn(fig, "not-reached") == [(fig.axes[0].get_xlim()[1], 3.0)]
    assert side_texts(fig, "value-text") == ["24 mo (18-30)", "not reached", "300 d (200-400)"]
    assert side_texts(fig, "n-text") == ["N=120", "N=120", "N=30"]


def test_reviews_show_in_the_plot(evidence_store, ids):
    mark(evidence_store, ids(evidence_store, "a1", "cr_rate", "R-CHOP"), "corrected", corrections={"value": 42.0})
    mark(evidence_store, ids(evidence_store, "b2", "cr_rate"), "rejected")
    fig = forest_figure(forest_rows(evidence_store, "cr_rate"), "cr_rate")
    assert drawn(fig, "points-corrected") == [(42.0, 3.0)]
    assert drawn(fig, "points-extracted") == [(30.0, 1.0)]  # flagged (open marker); b2's rejected value is gone
    assert NO_REGIMEN not in labels(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "corrected by a reviewer" in legend and "flagged by the extractor (open marker)" in legend


def test_filters_choose_the_rows(evidence_store):
    assert [r.study_id for r in forest_rows(evidence_store, "cr_rate", Filters(min_cohort=100))] == ["a1", "a1"]
    assert [r.regimen for r in forest_rows(evidence_store, "cr_rate", Filters(regimen="cvp"))] == ["R-CVP"]
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
    assert result.exit_code == 0 and "wrote os.png: 3 rows (2 with a point) from 2 studies" in result.output
    assert (tmp_path / "os.png").stat().st_size > 10_000
    result = run("plot", db, "--measure", "cr_rate", "--regimen", "CHOP", "--title", "CR with R-CHOP", "-o", "cr.svg")
    assert result.exit_code == 0 and "CR with R-CHOP" in (tmp_path / "cr.svg").read_text()
    result = run("plot", db, "--measure", "relapse_rate", "--flagged", "-o", "none.png")
    assert result.exit_code == 1 and "nothing to plot" in result.output and not (tmp_path / "none.png").exists()
    assert run("plot", db, "--measure", "cr_rate", "-o", "cr.gif").exit_code == 2
    assert run("plot", db, "--measure", "cohort_size", "-o", "n.png").exit_code == 2
