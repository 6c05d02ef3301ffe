"""The README's "Reading and correcting the evidence" works as written: the browser first, then four commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def blocks() -> list[list[list[str]]]:
    """The section's bash blocks, in order, each as its commands."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Reading and correcting the evidence", 1)[1].split("\n## ", 1)[0]
    return [
        [shlex.split(line, comments=True) for line in block.strip().splitlines()]
        for block in re.findall(r"```bash\n(.*?)```", section, re.S)
    ]


def walkthrough() -> list[list[str]]:
    """The terminal walk-through: the section's block of four commands."""
    return next(b for b in blocks() if b[0][:2] == ["evidence", "demo"])


def test_the_browser_path_comes_first():
    """The section opens with `evidence serve` on the demo database (tests/app/test_review_browser.py drives it)."""
    assert blocks()[0] == [["evidence", "serve", "evidence-demo.db"]]


def test_four_commands_from_demo_to_excel_plot_and_correction(tmp_path, monkeypatch):
    commands = walkthrough()
    assert [c[:2] for c in commands] == [
        ["evidence", "demo"],
        ["evidence", "export"],
        ["evidence", "plot"],
        ["evidence", "mark"],
    ]
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args in commands[:3]:
        result = runner.invoke(cli, args[1:], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "evidence.xlsx").exists() and (tmp_path / "cr.png").stat().st_size > 10_000
    # The README names today's demo id; the reader takes one from the provenance sheet just written,
    # which stays true however the extractor changes the demo's values.
    mark = commands[3]
    assert re.fullmatch(r"[0-9a-f]{8}", mark[3])
    sheet = openpyxl.load_workbook(tmp_path / "evidence.xlsx")["provenance"]
    header = [c.value for c in sheet[1]]
    cr_ids = [
        r[header.index("id")]
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[header.index("measure")] == "cr_rate"
    ]
    chosen = mark[3] if any(i.startswith(mark[3]) for i in cr_ids) else cr_ids[0][:8]
    result = runner.invoke(cli, [*mark[1:3], chosen, *mark[4:]], catch_exceptions=False)
    assert (
        result.exit_code == 0 and "corrected: value=42 (note: Table 2 gives 42%)" in result.output
    )
    table = runner.invoke(
        cli, ["table", "evidence-demo.db", "--long", "--measure", "cr_rate", "--csv"]
    ).output
    assert "corrected" in table and "Table 2 gives 42%" in table


@pytest.mark.parametrize(
    "command", ["table", "export", "plot", "pool", "review", "mark", "serve", "metadata"]
)
def test_the_readme_mentions_every_reader_command(command):
    assert f"evidence {command} " in README.read_text(encoding="utf-8")
