"""Installed like a well-kept Python tool: one import package of its own name, a fast command line,
standard input and output, shell completion, and plots as an extra."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = str(Path(sys.executable).parent / "evidence")
HEAVY = (
    "pandas",
    "numpy",
    "openpyxl",
    "httpx",
    "matplotlib",
    "spacy",
    "scipy",
    "statsmodels",
    "datasette",
    "uvicorn",
)
COMMANDS = (
    "demo",
    "fetch",
    "import",
    "extract",
    "run",
    "table",
    "explain",
    "review",
    "mark",
    "serve",
    "export",
    "plot",
    "pool",
    "sql",
    "metadata",
)


def evidence(
    *args: str, input: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run([EVIDENCE, *args], input=input, capture_output=True, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_holds_one_package_of_its_own_name(wheel):
    top = {name.split("/")[0] for name in wheel.namelist()}
    assert {t for t in top if not t.endswith(".dist-info")} == {"evidence_tables"}
    (info,) = [t for t in top if t.endswith(".dist-info")]
    assert info.startswith("evidence_tables-")
    meta = wheel.read(f"{info}/METADATA").decode()
    assert "Name: evidence-tables" in meta
    assert "Provides-Extra: plot" in meta and "matplotlib" in meta
    assert "evidence = evidence_tables.cli:main" in wheel.read(f"{info}/entry_points.txt").decode()


def test_the_wheel_carries_the_patterns_the_lexicon_the_demo_and_the_pages(wheel):
    names = set(wheel.namelist())
    patterns = {
        f"evidence_tables/extractor/patterns/{p.name}"
        for p in (ROOT / "extractor" / "patterns").glob("*.jsonl")
    }
    assert patterns and patterns <= names
    assert "evidence_tables/extractor/lexicon/regimens.tsv" in names
    assert "evidence_tables/demo/abstracts.jsonl" in names
    assert {
        "evidence_tables/web/templates/evidence_review_study.html",
        "evidence_tables/web/static/review.js",
        "evidence_tables/web/templates/evidence_review_queue.html",
        "evidence_tables/web/static/review.css",
    } <= names
    assert {
        "evidence_tables/corpus/pubmed_xml.py",
        "evidence_tables/db/store.py",
        "evidence_tables/extractor/measures/rates.py",
        "evidence_tables/cli.py",
    } <= names


@pytest.mark.parametrize("where", ["repository root", "elsewhere"])
@pytest.mark.parametrize("name", ["db", "corpus", "extractor", "evidence"])
def test_the_folders_are_not_top_level_packages(name, where, tmp_path):
    cwd = ROOT if where == "repository root" else tmp_path
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"], cwd=cwd, capture_output=True, text=True
    )
    assert result.returncode != 0
    if where == "repository root":  # the folder is found, and says what to import instead
        assert "import evidence_tables" in result.stderr


def test_the_package_imports_from_the_repository_root():
    code = "import evidence_tables.db, evidence_tables.corpus, evidence_tables.extractor, evidence_tables.cli"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_loads_no_heavy_library(command):
    code = (
        "import sys\nfrom evidence_tables.cli import cli\n"
        f"args = {[c for c in (command, '--help') if c]!r}\n"
        "try:\n    cli(args, prog_name='evidence')\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        f"print('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "loaded:", (
        f"{command or 'evidence'} --help loaded it"
    )


def test_help_lists_the_commands_in_a_reviewers_order():
    section = evidence("--help").stdout.decode().split("Commands:")[1]
    assert [line.split()[0] for line in section.strip().splitlines()] == list(COMMANDS)


def test_help_summaries_say_what_each_command_says_of_itself():
    """The summaries of `evidence --help` are data (no import); they must not drift from the commands."""
    import click

    from evidence_tables.cli import COMMANDS as SPECS, cli

    ctx = click.Context(cli)
    for spec in SPECS:
        command = cli.get_command(ctx, spec.name)
        first = (command.help or "").split(".")[0].split(":")[0].lower()
        summary = spec.summary.lower()
        assert set(first.split()) & set(summary.split()) - {"the", "a", "of", "and", "or"}, (
            spec.name
        )


def test_shell_completion_of_command_names():
    env = {
        **os.environ,
        "_EVIDENCE_COMPLETE": "bash_complete",
        "COMP_WORDS": "evidence ex",
        "COMP_CWORD": "1",
    }
    out = subprocess.run([EVIDENCE], env=env, capture_output=True, text=True, timeout=60).stdout
    assert out.split() == ["plain,extract", "plain,explain", "plain,export"]


# ---- standard input and output -------------------------------------------------------------------------


def study(i: int) -> dict:
    return {
        "id": f"s{i}",
        "title": f"Study {i}",
        "abstract": f"A total of {40 + i} patients were enrolled. Complete response was achieved in {10 + i % 20} "
        f"of {40 + i} patients.",
    }


def test_import_reads_standard_input_in_any_format(tmp_path):
    db = str(tmp_path / "r.db")
    lines = "".join(json.dumps(study(i)) + "\n" for i in range(3)).encode()
    result = evidence("import", db, "-", input=lines)
    assert result.returncode == 0, result.stderr
    assert b"3 added" in result.stderr
    xml_gz = gzip.compress((FIXTURES / "efetch_two_articles.xml").read_bytes())
    result = evidence("import", db, "-", input=xml_gz)
    assert result.returncode == 0 and b"2 added" in result.stderr, result.stderr
    ids = json.loads(
        evidence(
            "sql", db, "select study_id, source from studies order by study_id", "--json"
        ).stdout
    )
    assert {r["source"] for r in ids} == {"stdin"} and len(ids) == 5


def test_standard_input_of_no_known_format_is_named_and_refused(tmp_path):
    db = str(tmp_path / "r.db")
    result = evidence("import", db, "-", input=b"just some words\n")
    assert result.returncode == 1 and b"stdin: format not recognised" in result.stderr
    result = evidence(
        "import", db, "-", "--format", "text", input=b"Twenty patients were treated.\n"
    )
    assert result.returncode == 0 and b"1 added" in result.stderr


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("filled") / "r.db")
    lines = "".join(json.dumps(study(i)) + "\n" for i in range(2500)).encode()
    assert evidence("import", db, "-", "--extract", "-q", input=lines).returncode == 0
    return db


def test_table_and_export_write_to_standard_output(filled):
    csv = evidence("table", filled, "--csv", "-o", "-").stdout.decode().splitlines()
    assert csv[0].startswith("study_id,") and len(csv) == 2501
    tsv = evidence("export", filled, "-o", "-", "--format", "tsv").stdout.decode().splitlines()
    assert tsv[0].startswith("study_id\tpmid\t") and len(tsv) == 2501
    xlsx = evidence("export", filled, "-o", "-", "--format", "xlsx").stdout
    assert openpyxl.load_workbook(io.BytesIO(xlsx)).sheetnames == [
        "evidence",
        "provenance",
        "pooled",
    ]
    refused = evidence("export", filled, "-o", "-")
    assert refused.returncode == 2 and b"--format" in refused.stderr


@pytest.mark.parametrize(
    "command",
    [("table",), ("sql", "select * from outcomes"), ("review",)],
    ids=["table", "sql", "review"],
)
def test_table_sql_and_review_share_the_output_options(filled, command):
    nl = evidence(*command[:1], filled, *command[1:], "--nl").stdout.decode().splitlines()
    assert len(nl) >= 400 and all(isinstance(json.loads(line), dict) for line in nl)
    tsv = evidence(*command[:1], filled, *command[1:], "--tsv").stdout.decode().splitlines()
    bare = (
        evidence(*command[:1], filled, *command[1:], "--tsv", "--no-headers")
        .stdout.decode()
        .splitlines()
    )
    assert "\t" in tsv[0] and tsv[1:] == bare
    markdown = (
        evidence(*command[:1], filled, *command[1:], "--markdown").stdout.decode().splitlines()
    )
    assert markdown[0].startswith("|") and set(markdown[1]) <= {"|", "-", ":"}
    both = evidence(*command[:1], filled, *command[1:], "--csv", "--json")
    assert both.returncode == 2


def test_sql_takes_named_parameters(filled):
    out = evidence(
        "sql",
        filled,
        "select study_id from studies where study_id in (:a, :b) order by 1",
        "-p",
        "a",
        "s7",
        "-p",
        "b",
        "s11",
        "--csv",
        "--no-headers",
    ).stdout.decode()
    assert out.split() == ["s11", "s7"]


@pytest.mark.parametrize(
    "args",
    [("table",), ("table", "--csv"), ("sql", "select * from outcomes"), ("review", "--nl")],
    ids=["table", "csv", "sql", "review"],
)
def test_a_reader_that_stops_early_is_no_error(filled, args):
    """`evidence table DB | head`: the reader closes the pipe; the command ends quietly with status 0."""
    proc = subprocess.Popen(
        [EVIDENCE, args[0], filled, *args[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Error" not in err


def test_plot_without_matplotlib_names_the_extra(filled, tmp_path):
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from evidence_tables.cli import cli\n"
        f"cli(['plot', {filled!r}, '--measure', 'cr_rate', '-o', {str(tmp_path / 'p.png')!r}], prog_name='evidence')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert (
        "pip install 'evidence-tables[plot]'" in result.stderr and "Traceback" not in result.stderr
    )


def test_a_closed_output_pipe_is_no_error_whatever_click_does():
    """click 8.5 quiets a broken pipe itself; older releases (the range allows 8.1) report it and exit 1."""
    code = (
        "import click\nfrom evidence_tables.clikit import handle_errors\n"
        "@click.command()\n@handle_errors\ndef cmd():\n    raise BrokenPipeError(32, 'Broken pipe')\n"
        "cmd([], standalone_mode=False)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
