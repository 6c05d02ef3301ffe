"""Exports written to real files and read back: Excel (two sheets, no formulas), CSV, JSON, Markdown, RIS."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from evidence_tables.db.export import ExportError, export, format_for, render
from evidence_tables.db.filters import Filters
from evidence_tables.db.reviews import mark
from evidence_tables.db.tables import LONG_COLUMNS, WIDE_COLUMNS


def test_xlsx_has_the_table_and_the_provenance_of_every_value(evidence_store, ids, tmp_path):
    mark(
        evidence_store,
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        "corrected",
        corrections={"value": 42.0},
        note="=SUM(A1:A9) is in the note",
    )
    result = export(evidence_store, tmp_path / "e.xlsx")
    assert (result.fmt, result.rows, result.sheets) == (
        "xlsx",
        6,
        ("evidence", "provenance", "pooled"),
    )
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    assert book.sheetnames == ["evidence", "provenance", "pooled"]
    evidence, provenance = book["evidence"], book["provenance"]
    assert [c.value for c in evidence[1]] == WIDE_COLUMNS and evidence.max_row == 7
    assert [c.value for c in provenance[1]] == LONG_COLUMNS and provenance.max_row == 13
    header = {c.value: i for i, c in enumerate(provenance[1])}
    chop = next(
        r
        for r in provenance.iter_rows(min_row=2, values_only=True)
        if r[header["measure"]] == "cr_rate" and r[header["group"]] == "R-CHOP"
    )
    assert (
        chop[header["value"]],
        chop[header["extracted_value"]],
        chop[header["review_status"]],
    ) == (42.0, 40.0, "corrected")
    assert chop[header["evidence"]] == "40% (20/50) with R-CHOP" and chop[header["start"]] == 46
    assert evidence.freeze_panes == "A2"


def test_no_xlsx_cell_becomes_a_formula(evidence_store, ids, tmp_path):
    mark(
        evidence_store,
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        "accepted",
        note="=SUM(A1:A9)",
    )
    mark(evidence_store, ids(evidence_store, "b2", "cr_rate"), "accepted", note="#N/A")
    export(evidence_store, tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    texts = [
        c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert not [
        c.coordinate
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    titles = [c for c in texts if c.value == '=HYPERLINK("http://x.test")']
    notes = [c for c in texts if c.value == "=SUM(A1:A9)"]
    assert len(titles) == 3 + 6 and len(notes) == 1  # the title on every row of a1, the note once
    assert all(c.data_type == "s" and c.quotePrefix for c in titles + notes)
    assert [c.data_type for c in texts if c.value == "#N/A"] == [
        "s"
    ]  # text, not an Excel error value
    with zipfile.ZipFile(tmp_path / "e.xlsx") as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_csv_json_markdown(evidence_store, tmp_path):
    export(evidence_store, tmp_path / "e.csv")
    csv = pd.read_csv(tmp_path / "e.csv")
    assert list(csv.columns) == WIDE_COLUMNS and len(csv) == 6
    assert csv.loc[0, "title"] == """'=HYPERLINK("http://x.test")"""  # defused for spreadsheets
    export(evidence_store, tmp_path / "e.json", long=True)
    records = json.loads((tmp_path / "e.json").read_text())
    assert (
        len(records) == 12
        and records[0]["evidence"] == "120"
        and records[0]["title"].startswith("=")
    )
    result = export(evidence_store, tmp_path / "e.md", filters=Filters(measures=("cr_rate",)))
    text = (tmp_path / "e.md").read_text()
    assert result.rows == 3 and text.startswith("| study_id") and "Days \\| pipes" in text
    assert len(text.strip().splitlines()) == 2 + 3


def test_ris_lists_the_included_studies(evidence_store, tmp_path):
    result = export(evidence_store, tmp_path / "refs.ris", filters=Filters(measures=("median_os",)))
    text = (tmp_path / "refs.ris").read_text()
    assert result.rows == 2 and text.count("TY  - JOUR") == 2 and text.count("ER  - ") == 2
    first = text.split("\n\n")[0].splitlines()
    assert first[0] == "TY  - JOUR" and first[-1] == "ER  - "
    assert first[1:3] == ["AU  - Okafor N", "AU  - Lund E"]
    assert (
        'TI  - =HYPERLINK("http://x.test")' in first
        and "JO  - J Test" in first
        and "PY  - 2023" in first
    )
    assert "DO  - 10.1/a1" in first and "AN  - 111" in first and "ID  - a1" in first
    assert "UR  - https://pubmed.ncbi.nlm.nih.gov/111/" in first
    abstract = next(line for line in first if line.startswith("AB  - "))
    assert abstract.endswith("Relapse at 2 years: 25%.")
    second = text.split("\n\n")[1]
    assert (
        "ID  - b2" in second
        and "AN  -" not in second
        and "DO  -" not in second
        and "JO  -" not in second
    )


def test_ris_leaves_out_studies_whose_values_were_all_rejected(evidence_store, ids, tmp_path):
    mark(evidence_store, ids(evidence_store, "c3", "cohort_size"), "rejected")
    assert export(evidence_store, tmp_path / "refs.ris").rows == 2


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.CSV", "csv"),
        ("a.xlsx", "xlsx"),
        ("a.md", "markdown"),
        ("a.ris", "ris"),
        ("a.json", "json"),
    ],
)
def test_format_from_the_file_name(name, fmt):
    assert format_for(name) == fmt


def test_unknown_format_and_unwritable_path_are_export_errors(evidence_store, tmp_path):
    with pytest.raises(ExportError, match="cannot tell the format"):
        format_for("table.docx")
    for name in (
        "e.csv",
        "e.xlsx",
        "e.ris",
    ):  # refused before any writer starts (openpyxl left tracebacks)
        with pytest.raises(ExportError, match="folder .*missing-dir does not exist"):
            export(evidence_store, tmp_path / "missing-dir" / name)
    with pytest.raises(ExportError, match="asked for csv but the file name ends .xlsx"):
        export(evidence_store, tmp_path / "e.xlsx", "csv")
    assert not (tmp_path / "e.xlsx").exists()
    with pytest.raises(ExportError, match="not a text format"):
        render(pd.DataFrame(), "ris")


@pytest.mark.parametrize("name", ["e.xlsx", "e.csv"])
def test_a_failed_export_leaves_the_earlier_file_as_it_was(
    evidence_store, tmp_path, monkeypatch, name
):
    import errno

    import evidence_tables.db.export as export_module

    target = tmp_path / name
    target.write_bytes(b"the reviewer's earlier export")
    target.chmod(0o640)

    def disk_full(frames, fmt, out):
        out.write(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "_write_frames", disk_full)
    with pytest.raises(ExportError, match="No space left on device"):
        export(evidence_store, target)
    assert target.read_bytes() == b"the reviewer's earlier export"
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".")
    ] == []  # no temporary file left
    monkeypatch.undo()
    export(evidence_store, target)
    assert target.stat().st_size > 100 and (target.stat().st_mode & 0o777) == 0o640


def test_tsv_and_newline_json_and_headerless_text(evidence_store, tmp_path):
    frame = pd.DataFrame({"a": ["=x", "y"], "b": [1, None]})
    assert render(frame, "tsv") == "a\tb\n'=x\t1.0\ny\t\n"
    assert render(frame, "tsv", headers=False) == "'=x\t1.0\ny\t\n"
    assert [json.loads(line) for line in render(frame, "nl").splitlines()] == [
        {"a": "=x", "b": 1.0},
        {"a": "y", "b": None},
    ]
    assert render(frame, "markdown", headers=False).splitlines()[0].startswith("|")
    assert (format_for("x.tsv"), format_for("x.jsonl")) == ("tsv", "nl")
