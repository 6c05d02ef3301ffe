from __future__ import annotations

import gzip
import json
import re

import pytest

from evidence_tables.corpus import Article, Rejected, SourceError, read_path
from evidence_tables.corpus.errors import FormatError
from evidence_tables.corpus.files import detect_format, expand_paths


def test_medline_nbib(fixtures):
    first, second, third = list(read_path(fixtures / "export.nbib"))
    assert isinstance(first, Article)
    assert first.study_id == "90000020"
    assert (
        first.title
        == "Venetoclax with azacitidine after intensive chemotherapy: an imaginary registry analysis."
    )
    assert first.abstract.startswith(
        "BACKGROUND: Relapsed AML has a poor prognosis. METHODS: Eighty-seven adults were identified."
    )
    assert first.abstract.endswith("The median overall survival was 7.4 months.")
    assert first.doi == "10.9999/imag.2021.77"
    assert first.authors == ("Schulz K", "Adeyemi O")  # the short form, as from PubMed XML
    assert first.year == 2021 and first.journal == "Imaginary Leukemia Research"
    assert first.publication_types == ("Journal Article", "Observational Study")
    assert isinstance(second, Rejected) and second.reason == "no abstract" and not second.is_error
    assert third.study_id == "90000022" and third.authors == ("Novak J",)


def test_medline_garbage_line_rejects_that_record_only(tmp_path):
    f = tmp_path / "bad.nbib"
    f.write_text(
        "PMID- 1\nAB  - Fine text.\n\nPMID- 2\nthis is not a field\nAB  - x\n\nPMID- 3\nAB  - Also fine.\n"
    )
    got = list(read_path(f))
    assert [type(g).__name__ for g in got] == ["Article", "Rejected", "Article"]
    assert got[1].location == "line 5" and got[1].record_id == "2"


def test_jsonl(fixtures):
    first, second = list(read_path(fixtures / "studies.jsonl"))
    assert (
        first.study_id == "syn-1"
        and first.pmid is None
        and first.year == 2022
        and first.doi == "10.9999/syn.1"
    )
    assert second.study_id == second.pmid == "90000030"  # PMID preferred as study id
    assert second.abstract.startswith("Median overall survival")


def test_jsonl_bad_lines_are_rejected_with_their_line_numbers(tmp_path):
    f = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "a", "abstract": "Fine."}),
        '{"id": "b", "abstract": "broken',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "c", "abstract": "   "}),
        json.dumps({"title": "no id", "abstract": "x"}),
        "",
        json.dumps({"id": "d", "text": "Also fine."}),
    ]
    f.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "e", "abstract": "caf\xe9"}\n')
    got = list(read_path(f))
    rejected = {g.location: g.reason for g in got if isinstance(g, Rejected)}
    assert [g.study_id for g in got if isinstance(g, Article)] == ["a", "d"]
    assert rejected["line 2"].startswith("invalid JSON")
    assert rejected["line 3"] == "expected a JSON object, got list"
    assert rejected["line 4"] == "no abstract"  # counted like a citation without one, not an error
    assert not next(g for g in got if isinstance(g, Rejected) and g.location == "line 4").is_error
    assert rejected["line 5"] == 'no "id" or "pmid"'
    assert rejected["line 8"].startswith("not UTF-8 (byte 0xe9")


def test_jsonl_values_python_refuses_are_rejected_not_crashes(tmp_path):
    f = tmp_path / "odd.jsonl"
    f.write_text(
        '{"id": "a", "n": '
        + "9" * 5000
        + ', "abstract": "x"}\n'  # over the int-conversion limit
        + "[" * 100_000
        + "\n"  # nesting deeper than the parser's recursion
        + '{"id": "b", "abstract": "Kept.\\r\\nSecond line."}\n',
        encoding="utf-8",
    )
    got = list(read_path(f))
    assert [g.location for g in got if isinstance(g, Rejected)] == ["line 1", "line 2"]
    assert all(g.reason.startswith("invalid JSON") for g in got if isinstance(g, Rejected))
    (kept,) = [g for g in got if isinstance(g, Article)]
    assert (
        kept.abstract == "Kept.\nSecond line."
    )  # offsets index what the store keeps, whatever the line ends


def test_json_array_file(tmp_path):
    f = tmp_path / "export.json"
    f.write_text(
        json.dumps(
            [{"pmid": "90000101", "abstract": "One."}, {"id": "x"}, {"id": "c", "abstract": "Two."}]
        )
    )
    got = list(read_path(f))
    assert [g.study_id for g in got if isinstance(g, Article)] == ["90000101", "c"]
    (rejected,) = [g for g in got if isinstance(g, Rejected)]
    assert (
        rejected.location.startswith("item 2")
        and rejected.reason == "no abstract"
        and not rejected.is_error
    )
    (tmp_path / "object.json").write_text(
        '{"id": "a", "abstract": "x"}'
    )  # one object is one JSON line
    assert [g.study_id for g in read_path(tmp_path / "object.json")] == ["a"]
    (tmp_path / "broken.json").write_text('[{"id": "a", ')
    (bad,) = read_path(tmp_path / "broken.json")
    assert (
        isinstance(bad, Rejected)
        and bad.location == "item 1"
        and bad.reason.startswith("invalid JSON")
    )


def test_plain_text_file(fixtures):
    (article,) = list(read_path(fixtures / "single_study.txt"))
    assert article.study_id == "single_study"
    assert article.abstract.startswith("Thirty-one patients") and article.abstract.endswith(
        "5.5 months."
    )


def test_text_in_wrong_encoding_is_rejected_not_guessed(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Patients were followed.\nMédiane 5 mois.".encode("latin-1"))
    (item,) = list(read_path(f))
    assert isinstance(item, Rejected) and item.location == "line 2" and "UTF-8" in item.reason


@pytest.mark.parametrize(
    "name", ["empty.txt", "empty.jsonl", "empty.nbib", "empty.xml", "empty.xml.gz", "empty.json"]
)
def test_an_empty_file_fails_the_same_way_whatever_its_format(tmp_path, name):
    f = tmp_path / name
    if name.endswith(".gz"):
        f.write_bytes(gzip.compress(b"\n"))
    else:
        f.write_bytes(b"\xef\xbb\xbf  \n\n" if name.endswith(".txt") else b"")
    with pytest.raises(FormatError, match=rf"^{re.escape(name)}: empty file: nothing to import"):
        list(read_path(f))


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"<?xml version='1.0'?><PubmedArticleSet>", "x.dat", "pubmed-xml"),
        (b'\xef\xbb\xbf{"id": 1}', "x.dat", "jsonl"),
        (b"\nPMID- 123\nOWN - NLM", "pubmed-set.txt", "medline"),
        (b"Plain words.", "notes.txt", "text"),
        (b"", "empty.jsonl", "jsonl"),
    ],
    ids=["xml-by-content", "jsonl-with-bom", "medline-saved-as-txt", "text", "empty-by-suffix"],
)
def test_detect_format(head, name, expected):
    assert detect_format(head, name) == expected


@pytest.mark.parametrize(
    ("head", "name", "message"),
    [
        (b"TY  - JOUR\nTI  - A trial\nER  -", "refs.ris", "RIS"),
        (b"%PDF-1.7\n", "paper.pdf", "PDF"),
        (b"SQLite format 3\x00", "review.db", "first argument"),
        (b"study,value\n1,2\n", "table.csv", "--format text"),
        (b"Plain words.", "weird.dat", "--format text"),
    ],
    ids=["ris", "pdf", "database", "csv", "unknown-suffix"],
)
def test_files_that_are_not_abstracts_are_refused_not_read_as_one(head, name, message):
    with pytest.raises(FormatError, match=message) as info:
        detect_format(head, name)
    assert info.value.source == name


def test_format_text_reads_any_file_as_one_abstract(tmp_path):
    f = tmp_path / "abstract.dat"
    f.write_text("Forty patients were treated.")
    with pytest.raises(FormatError):
        list(read_path(f))
    (article,) = read_path(f, "text")
    assert article.study_id == "abstract.dat" and article.abstract == "Forty patients were treated."


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="No such file"):
        list(read_path(tmp_path / "nope.xml"))


def test_directory_expands_to_its_readable_files(fixtures):
    names = [p.name for p in expand_paths([fixtures])]
    assert "studies.jsonl" in names and "export.nbib" in names and names == sorted(names)


def test_a_file_blank_for_its_first_kilobytes_is_not_empty(tmp_path):
    f = tmp_path / "padded.jsonl"
    f.write_text(
        "\n" * 9000 + '{"id": "a", "abstract": "Forty patients were enrolled."}\n', encoding="utf-8"
    )
    (item,) = list(read_path(f))
    assert isinstance(item, Article) and item.study_id == "a"
