"""Rows 2-7: hostile or damaged input files are named rejections, never tracebacks, lost files or unbounded memory.

Each probe file is built here. Memory is measured on the real command (its own peak RSS, from
wait4) and the command runs under an address-space limit, so that a regression fails the test
instead of exhausting the machine.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import tempfile
import time
import zlib
from pathlib import Path

import pytest

from evidence_tables.corpus import Article, Rejected, read_path
from evidence_tables.corpus.eutils_parse import parse_efetch
from evidence_tables.corpus.limits import MAX_MARKUP_DEPTH

from .conftest import MB, evidence, measured


def count(db: Path, sql: str = "SELECT COUNT(*) FROM studies") -> int:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchone()[0]


def study_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT study_id FROM studies ORDER BY study_id")]


def pubmed_record(
    pmid: int, abstract: str = "Forty patients were treated; CR was 40%.", *, attrs: str = ""
) -> str:
    return (
        f'<PubmedArticle><MedlineCitation><PMID Version="1">{pmid}</PMID><Article{attrs}><Journal><Title>J</Title>'
        f"<JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>Study {pmid}</ArticleTitle><Abstract><AbstractText>{abstract}</AbstractText></Abstract>"
        f"</Article></MedlineCitation></PubmedArticle>\n"
    )


def pubmed_file(records: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n'
        + "".join(records)
        + "</PubmedArticleSet>\n"
    )


def later_file(tmp_path: Path) -> Path:
    """A good file imported after the hostile one: it must be read too."""
    path = tmp_path / "later.jsonl"
    path.write_text(
        json.dumps({"id": "later-1", "abstract": "Twenty patients were enrolled."}) + "\n"
    )
    return path


# ---- row 2: markup nested 1,500 deep --------------------------------------------------------------------------
DEEP = "<i>" * 1500 + "deep" + "</i>" * 1500


def test_deep_markup_is_one_rejected_record_and_the_rest_are_read(tmp_path):
    xml = tmp_path / "deep.xml"
    xml.write_text(pubmed_file([pubmed_record(1), pubmed_record(2, DEEP), pubmed_record(3)]))
    result = evidence("import", "r.db", str(xml), str(later_file(tmp_path)), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"rejected deep.xml:line 4 (2): markup nested deeper than {MAX_MARKUP_DEPTH} levels"
        in result.stderr
    )
    assert study_ids(tmp_path / "r.db") == ["1", "3", "later-1"]


def test_markup_as_deep_as_the_parser_allows_is_read_whole():
    inner = "<b>" * 200 + "CR 40%" + "</b>" * 200
    (item,) = read_path_bytes(
        pubmed_file([pubmed_record(5, f"Results: {inner} in 20 patients.")]).encode()
    )
    assert isinstance(item, Article) and item.abstract == "Results: CR 40% in 20 patients."


def test_deep_markup_in_an_efetch_answer_rejects_that_record_only():
    body = pubmed_file([pubmed_record(1), pubmed_record(2, DEEP), pubmed_record(3)]).encode()
    items = parse_efetch(body)
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"]
    assert items[1].record_id == "2" and "nested deeper" in items[1].reason


def read_path_bytes(data: bytes, name: str = "probe.xml") -> list:
    folder = Path(tempfile.mkdtemp())
    (folder / name).write_bytes(data)
    return list(read_path(folder / name))


# ---- row 3: lone surrogates in JSON ---------------------------------------------------------------------------
def test_unpaired_surrogates_are_named_rejections_and_nothing_else_is_lost(tmp_path):
    lines = [
        '{"id": "ok-1", "abstract": "Ten patients."}',
        '{"id": "bad\\ud800", "abstract": "Eleven patients."}',
        '{"id": "ok-2", "abstract": "Twelve patients."}',
        '{"id": "t", "title": "bad\\udfff title", "abstract": "Thirteen patients."}',
        '{"id": "a", "abstract": "Fourteen \\ud83d patients."}',
        '{"id": "ok-3", "abstract": "Fifteen patients \\ud83d\\ude00 (a paired surrogate is an emoji)."}',
    ]
    (tmp_path / "s.jsonl").write_text("\n".join(lines) + "\n")
    many = "\n".join(json.dumps({"id": f"m{i}", "abstract": f"{i} patients."}) for i in range(2500))
    (tmp_path / "t.jsonl").write_text(many + "\n")  # a file after it, larger than one transaction
    result = evidence(
        "import", "r.db", "s.jsonl", "t.jsonl", str(later_file(tmp_path)), cwd=tmp_path
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'rejected s.jsonl:line 2 (bad\\ud800): "study_id" holds \\ud800' in result.stderr
    assert 'rejected s.jsonl:line 4 (t): "title" holds \\udfff' in result.stderr
    assert 'rejected s.jsonl:line 5 (a): "abstract" holds \\ud83d at character 10' in result.stderr
    assert count(tmp_path / "r.db") == 3 + 2500 + 1
    assert (
        "😀"
        in sqlite3.connect(tmp_path / "r.db")
        .execute("SELECT abstract FROM studies WHERE study_id = 'ok-3'")
        .fetchone()[0]
    )


def test_surrogates_in_a_json_array_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[{"id": "x\\udc00", "abstract": "One."}, {"id": "y", "abstract": "Two."}]')
    got = list(read_path(path))
    assert (
        isinstance(got[0], Rejected) and got[0].location == "item 1" and isinstance(got[1], Article)
    )


def test_surrogates_in_a_europe_pmc_answer_reject_that_record_only():
    from evidence_tables.corpus.europepmc import parse_search

    body = (
        '{"hitCount": 2, "resultList": {"result": ['
        '{"pmid": "1", "abstractText": "Bad \\ud800 text."}, {"pmid": "2", "abstractText": "Ten patients."}]}}'
    )
    page = parse_search(body.encode())
    assert (
        isinstance(page.items[0], Rejected)
        and page.items[0].record_id == "1"
        and "\\ud800" in page.items[0].reason
    )
    assert isinstance(page.items[1], Article)


# ---- row 4: memory bounded by the limits, not by the input ----------------------------------------------------
def gzip_stream(path: Path, head: bytes, filler: bytes, size: int, tail: bytes) -> Path:
    """A gzip file of head + `size` bytes of filler + tail, written without holding it."""
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(head)
        block = filler * (MB // len(filler))
        for _ in range(size // len(block)):
            f.write(block)
        f.write(tail)
    return path


def test_a_huge_attribute_in_a_small_gz_is_skipped_in_bounded_memory(tmp_path):
    head = (
        pubmed_file([pubmed_record(1)]).removesuffix("</PubmedArticleSet>\n")
        + '<PubmedArticle><MedlineCitation><PMID Version="1">2</PMID><Article Note="'
    ).encode()
    tail = (
        '"><Journal><Title>J</Title></Journal><Abstract><AbstractText>x</AbstractText></Abstract></Article>'
        "</MedlineCitation></PubmedArticle>\n" + pubmed_record(3) + "</PubmedArticleSet>\n"
    ).encode()
    probe = gzip_stream(tmp_path / "huge.xml.gz", head, b"x", 600 * MB, tail)
    assert probe.stat().st_size < 3 * MB
    result = measured("import", "r.db", "huge.xml.gz", str(later_file(tmp_path)), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (
        "rejected huge.xml.gz:line 4 (2): <PubmedArticle> over 16 MB, the limit of one record"
        in result.stderr
    )
    assert study_ids(tmp_path / "r.db") == ["1", "3", "later-1"]
    assert result.peak_mb < 150, result.peak_mb


@pytest.mark.parametrize("kind", ["jsonl", "txt", "medline"])
def test_a_gigabyte_line_is_rejected_in_bounded_memory(tmp_path, kind):
    size = 1024 * MB
    if kind == "jsonl":
        probe = gzip_stream(
            tmp_path / "big.jsonl.gz",
            b'{"id": "ok", "abstract": "Ten patients."}\n{"id": "big", "abstract": "',
            b"x",
            size,
            b'"}\n{"id": "ok2", "abstract": "Eleven patients."}\n',
        )
        expected, kept = "rejected big.jsonl.gz:line 2: line over 16 MB", ["later-1", "ok", "ok2"]
    elif kind == "txt":
        probe = gzip_stream(tmp_path / "big.txt.gz", b"Ten patients ", b"x", size, b".\n")
        expected, kept = "rejected big.txt.gz:line 1 (big): file over 16 MB", ["later-1"]
    else:
        probe = gzip_stream(
            tmp_path / "big.nbib.gz",
            b"PMID- 1\nAB  - Ten patients.\n\nPMID- 2\nAB  - ",
            b"x",
            size,
            b"\n\nPMID- 3\nAB  - Twelve patients.\n",
        )
        expected, kept = "rejected big.nbib.gz:line 5 (2): line over 16 MB", ["1", "3", "later-1"]
    result = measured("import", "r.db", probe.name, str(later_file(tmp_path)), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert expected in result.stderr, result.stderr
    assert study_ids(tmp_path / "r.db") == kept
    assert result.peak_mb < 150, result.peak_mb


def test_dev_zero_is_rejected_not_read_for_ever(tmp_path):
    result = measured(
        "import", "r.db", "/dev/zero", str(later_file(tmp_path)), cwd=tmp_path, timeout=60
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "rejected zero:line 1 (zero): file over 16 MB, the limit of one record" in result.stderr
    assert study_ids(tmp_path / "r.db") == ["later-1"] and result.peak_mb < 150


def test_a_json_array_is_read_item_by_item(tmp_path):
    """A .json array of many studies is never held whole: memory stays near one item."""
    path = tmp_path / "many.json"
    item = json.dumps({"id": "{}", "abstract": "x" * 20_000})
    with path.open("w") as f:
        f.write("[" + ",\n".join(item.replace("{}", f"s{i}", 1) for i in range(5000)) + "]")
    assert path.stat().st_size > 95 * MB
    result = measured("import", "r.db", "many.json", "-q", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert count(tmp_path / "r.db") == 5000 and result.peak_mb < 250, result.peak_mb


# ---- row 5: a MEDLINE field of 80,000 lines -------------------------------------------------------------------
def test_a_medline_field_of_many_lines_takes_linear_time(tmp_path):
    piece = "and forty patients had a response"
    lines = ["PMID- 7", "AB  - Ten patients.", "TI  - Results:"] + [f"      {piece}"] * 80_000
    (tmp_path / "long.nbib").write_text("\n".join(lines) + "\n\nPMID- 8\nAB  - Ten patients.\n")
    started = time.monotonic()
    result = evidence("import", "r.db", "long.nbib", cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and time.monotonic() - started < 20
    expected = len("Results:") + 80_000 * (1 + len(piece))
    assert (
        count(tmp_path / "r.db", "SELECT length(title) FROM studies WHERE study_id = '7'")
        == expected
    )


# ---- row 6: a MEDLINE file cut mid-record ---------------------------------------------------------------------
NBIB = """PMID- 11
TI  - First.
AB  - Twenty patients were treated and 40% had a complete
      response.
SO  - J Test. 2020;1:1.

PMID- 12
TI  - Second.
AB  - Thirty patients were treated and 50% had a complete
      response that lasted.
SO  - J Test. 2020;1:2.
"""


@pytest.mark.parametrize("cut", ["mid-line", "at-a-line-end"])
def test_a_medline_file_cut_mid_record_does_not_store_the_cut_text(tmp_path, cut):
    at = NBIB.index("and 50%") if cut == "mid-line" else NBIB.index("      response that")
    (tmp_path / "cut.nbib").write_text(NBIB[:at])
    result = evidence("import", "r.db", "cut.nbib", cwd=tmp_path)
    assert (
        result.returncode == 1 and "rejected cut.nbib:line 7 (12): record cut off" in result.stderr
    )
    assert study_ids(tmp_path / "r.db") == ["11"]


def test_a_whole_medline_file_still_imports(tmp_path):
    (tmp_path / "whole.nbib").write_text(NBIB)
    assert evidence("import", "r.db", "whole.nbib", cwd=tmp_path).returncode == 0
    assert study_ids(tmp_path / "r.db") == ["11", "12"]


# ---- row 7: a truncated .xml.gz keeps every complete record -----------------------------------------------------
def test_a_truncated_gz_keeps_every_record_complete_before_the_cut(tmp_path):
    records = [
        pubmed_record(100_000 + i, f"Patients numbered {i} were treated; CR was {i % 90}%.")
        for i in range(5000)
    ]
    data = gzip.compress(pubmed_file(records).encode(), compresslevel=6)
    cut = data[: int(len(data) * 0.7)]
    (tmp_path / "cut.xml.gz").write_bytes(cut)
    readable = zlib.decompressobj(wbits=31).decompress(cut)  # what can be read of it
    complete = readable.count(b"</PubmedArticle>")
    assert 3000 < complete < 4000
    result = evidence("import", "r.db", "cut.xml.gz", cwd=tmp_path)
    assert (
        result.returncode == 1
        and "file failed: cut.xml.gz" in result.stderr
        and "truncated" in result.stderr
    )
    assert count(tmp_path / "r.db") == complete


def test_an_xml_file_cut_between_records_is_reported(tmp_path):
    text = pubmed_file([pubmed_record(1), pubmed_record(2)])
    items = []
    from evidence_tables.corpus import ParseError
    from evidence_tables.corpus.pubmed_xml import read_pubmed_xml

    with pytest.raises(ParseError, match="ends before </PubmedArticleSet>"):
        for item in read_pubmed_xml(
            io.BytesIO(text[: text.index("</PubmedArticleSet>")].encode()), "cut.xml"
        ):
            items.append(item)
    assert [i.study_id for i in items] == ["1", "2"]


def test_a_stream_arriving_a_few_bytes_at_a_time_is_read_whole_and_checked(fixtures):
    from evidence_tables.corpus import ParseError
    from evidence_tables.corpus.pubmed_xml import read_pubmed_xml

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data, self.at = data, 0

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            out = self.data[self.at : self.at + 7]
            self.at += len(out)
            return out

        read1 = read

    data = (fixtures / "efetch_two_articles.xml").read_bytes()
    assert [getattr(i, "study_id", None) for i in read_pubmed_xml(Trickle(data), "t")][:2] == [
        "90000001",
        "90000002",
    ]
    with pytest.raises(ParseError, match="ends before </PubmedArticleSet>"):
        list(read_pubmed_xml(Trickle(data[: data.rindex(b"</PubmedArticleSet>")]), "t"))
