"""The command line as a reviewer uses it: real files, a real SQLite database, exit codes."""

from __future__ import annotations

import json
import sqlite3

import click
import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_every_command_has_help_with_an_example(run):
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in (command.help or ""), f"{name} help lacks an example"


def test_import_extract_table_sql(run, fixtures):
    result = run(
        "import",
        "r.db",
        str(fixtures / "efetch_two_articles.xml"),
        str(fixtures / "studies.jsonl"),
        str(fixtures / "export.nbib"),
        str(fixtures / "single_study.txt"),
    )
    assert result.exit_code == 0, result.output
    assert "7 added" in result.output and "2 without abstract" in result.output
    result = run("extract", "r.db")
    assert result.exit_code == 0 and "7 studies extracted" in result.output
    again = run("extract", "r.db")
    assert again.exit_code == 0 and "nothing to extract, every study is up to date" in again.output
    table = run("table", "r.db", "--csv")
    assert table.exit_code == 0
    lines = table.output.strip().splitlines()
    assert lines[0].startswith(
        "study_id,pmid,first_author,year,publication_type,title,cohort_size,group"
    )
    assert any(line.startswith("syn-1,") and ",64," in line for line in lines)
    out = run(
        "sql",
        "r.db",
        "select measure, count(*) as n from outcomes group by measure order by measure",
        "--json",
    )
    rows = json.loads(out.output)
    assert {r["measure"] for r in rows} >= {"cohort_size", "median_os", "cr_rate"}


def test_bad_records_are_named_and_exit_status_is_1(run, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(
        '{"id": "a", "abstract": "Twenty patients were enrolled."}\n{"id": "b", "abstract": \n'
    )
    result = run("import", "r.db", str(f))
    assert result.exit_code == 1
    assert (
        "in.jsonl:line 2" in result.output
        and "invalid JSON" in result.output
        and "1 added" in result.output
    )
    assert (
        sqlite3.connect(tmp_path / "r.db").execute("select count(*) from studies").fetchone()[0]
        == 1
    )


def test_truncated_file_keeps_what_was_read(run, fixtures, tmp_path):
    data = (fixtures / "efetch_two_articles.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b"90000003")])
    result = run("import", "r.db", str(cut))
    assert (
        result.exit_code == 1
        and "file failed: cut.xml:line" in result.output
        and "2 added" in result.output
    )


def test_reimport_reports_unchanged(run, fixtures):
    run("import", "r.db", str(fixtures / "studies.jsonl"))
    result = run("import", "r.db", str(fixtures / "studies.jsonl"))
    assert result.exit_code == 0 and "0 added" in result.output and "2 unchanged" in result.output


def test_table_exports(run, fixtures, tmp_path):
    run("import", "r.db", str(fixtures / "studies.jsonl"))
    run("extract", "r.db")
    assert run("table", "r.db", "--xlsx", "-o", "t.xlsx").exit_code == 0
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["evidence"]
    assert sheet["A1"].value == "study_id" and sheet.max_row == 3
    assert run("table", "r.db", "-o", "t.md").exit_code == 0
    assert (tmp_path / "t.md").read_text().startswith("| study_id")
    assert json.loads(run("table", "r.db", "--json").output)[0]["study_id"] == "90000030"
    assert run("table", "r.db", "--xlsx").exit_code == 2  # xlsx needs a file


def test_sql_errors_are_messages(run, fixtures):
    run("import", "r.db", str(fixtures / "studies.jsonl"))
    result = run("sql", "r.db", "drop table studies")
    assert result.exit_code == 1 and "Error:" in result.output
    assert run("sql", "missing.db", "select 1").exit_code == 2


def test_demo_builds_and_prints_the_table(run, tmp_path):
    result = run("demo", "--quiet")
    assert result.exit_code == 0
    assert "demo-01" in result.output and "214" in result.output
    con = sqlite3.connect(tmp_path / "evidence-demo.db")
    assert con.execute("select count(*) from studies").fetchone()[0] == 12
    again = run("demo", "--quiet")
    assert again.exit_code == 0
    assert con.execute("select count(*) from studies").fetchone()[0] == 12


def test_not_a_database_is_an_error_not_a_traceback(run, tmp_path):
    (tmp_path / "x.db").write_text("not sqlite" * 200)
    result = run("extract", "x.db")
    assert result.exit_code == 1 and result.output.startswith("Error:")


def test_extract_on_an_empty_database_says_what_to_do(run, tmp_path):
    from evidence_tables.db import EvidenceDB

    EvidenceDB(tmp_path / "empty.db").close()
    result = run("extract", str(tmp_path / "empty.db"))
    assert (
        result.exit_code == 0
        and "no studies yet" in result.output
        and "evidence import" in result.output
    )


def test_an_input_file_given_as_the_database_is_refused_untouched(run, tmp_path, fixtures):
    swapped = tmp_path / "studies.jsonl"
    swapped.write_bytes(b"")
    result = run("import", str(swapped), str(fixtures / "studies.jsonl"))
    assert result.exit_code == 2 and "looks like an input or export file" in result.output
    assert swapped.read_bytes() == b""


def test_tables_say_what_they_leave_out(run, fixtures):
    run("import", "r.db", str(fixtures / "studies.jsonl"))
    before = run("table", "r.db")
    assert (
        before.exit_code == 0
        and "not extracted yet and not shown: run evidence extract r.db" in before.stderr
    )
    run("extract", "r.db")
    assert "not extracted yet" not in run("table", "r.db").stderr


def test_one_output_format_at_a_time_and_sql_keeps_integers(run, fixtures):
    run("import", "r.db", str(fixtures / "studies.jsonl"))
    assert run("table", "r.db", "--csv", "--json").exit_code == 2
    assert run("sql", "r.db", "select 1", "--csv", "--json").exit_code == 2
    years = run("sql", "r.db", "select year from studies order by year", "--csv").stdout.split()
    assert years[0] == "year" and "2022" in years and "2022.0" not in years


def test_a_mistyped_command_gets_a_suggestion(run):
    result = CliRunner().invoke(cli, ["tabel", "x.db"])
    assert result.exit_code == 2 and "Did you mean 'table'?" in result.output
