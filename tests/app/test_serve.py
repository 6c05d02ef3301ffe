"""`evidence serve` over plain HTTP: the review pages, a decision posted to them, and what is refused.

A real server process on 127.0.0.1 (the `serve` fixture), a real SQLite file, httpx as the client.
"""

from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from evidence_tables.corpus import Article
from evidence_tables.db import ImportReport
from evidence_tables.db.reviews import mark
from tests.conftest import _outcome

HOSTILE = (
    "<script>alert('abstract')</script> In 40 patients treated with R-CHOP & more, "
    "the CR rate was 55% in the <b>bulky</b> group."
)
TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


class Marks(HTMLParser):
    """The text inside `<mark data-outcome=ID>` elements, joined per ID (marks nest)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []
        self.text: dict[str, str] = {}
        self.scripts: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.open.append(dict(attrs).get("data-outcome"))
        if tag == "script":
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open.pop()
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts.append(data)
        for outcome in self.open:
            if outcome:
                self.text[outcome] = self.text.get(outcome, "") + data


def marks_of(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


@pytest.fixture
def hostile_store(evidence_store):
    """The test store plus study d4, whose abstract holds a <script> and whose group label holds markup."""
    evidence_store.import_items(
        [
            Article(
                study_id="d4", abstract=HOSTILE, title="<i>Title</i> & co", source="t", location="4"
            )
        ],
        ImportReport(),
    )
    values = [
        _outcome(HOSTILE, "cohort_size", "40 patients", value=40),
        _outcome(
            HOSTILE,
            "cr_rate",
            "CR rate was 55% in the <b>bulky</b> group",
            value=55.0,
            group_label='<b>bulky</b> "group"',
        ),
    ]
    evidence_store.save_outcomes(
        [("d4", evidence_store.study("d4")["text_sha256"], values)], version="test", run_id="r1"
    )
    return evidence_store


@pytest.fixture
def client():
    with httpx.Client(trust_env=False, follow_redirects=False, timeout=30) as c:
        yield c


def page(client: httpx.Client, url: str) -> tuple[str, str]:
    """The page's HTML and its CSRF token (the cookie goes with the client)."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.text, TOKEN.search(response.text).group(1)


def test_the_study_page_marks_every_value_and_escapes_the_abstract(hostile_store, serve, client):
    base = serve(hostile_store.path)
    html, _ = page(client, f"{base}/-/review/d4")
    assert "&lt;script&gt;alert(&#39;abstract&#39;)&lt;/script&gt;" in html
    assert (
        "&lt;b&gt;bulky&lt;/b&gt; &#34;group&#34;" in html
        and "&lt;i&gt;Title&lt;/i&gt; &amp; co" in html
    )
    parsed = marks_of(html)
    assert not any(
        "alert" in s for s in parsed.scripts
    )  # the abstract's script is text, never a script
    values = hostile_store.outcomes("d4")
    assert parsed.text == {v["id"]: HOSTILE[v["start"] : v["end"]] for v in values}
    assert 'class="m-cr_rate s-open"' in html  # one colour per measure


def test_nested_evidence_is_marked_whole(evidence_store, serve, client):
    """a1's CR values: each value's marks hold exactly its evidence, however the spans lie."""
    base = serve(evidence_store.path)
    html, _ = page(client, f"{base}/-/review/a1")
    text = evidence_store.study("a1")["abstract"]
    assert marks_of(html).text == {
        v["id"]: text[v["start"] : v["end"]] for v in evidence_store.outcomes("a1")
    }


def reviews_of(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            'SELECT review_id, outcome_id, study_id, measure, start, "end", group_label, text_sha256, '
            "evidence, extracted_value, decision, corrections, note, reviewer FROM reviews "
            "ORDER BY review_id"
        ).fetchall()
    finally:
        con.close()


def everything_but_reviews(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'reviews' "
                "AND name NOT LIKE 'studies_fts%'"
            )
        ]
        return {t: con.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in tables} | {
            "schema": con.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall(),
            "user_version": con.execute("PRAGMA user_version").fetchall(),
        }
    finally:
        con.close()


def test_a_decision_posted_stores_what_evidence_mark_stores(
    evidence_store, ids, serve, client, tmp_path
):
    twin = tmp_path / "twin.db"
    with sqlite3.connect(twin) as copy:
        evidence_store.db.conn.backup(copy)
    copy.close()
    before = everything_but_reviews(Path(evidence_store.path))
    corrected, rejected = (
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        ids(evidence_store, "b2", "cr_rate"),
    )
    base = serve(evidence_store.path, "--by", "N. Okafor")

    html, token = page(client, f"{base}/-/review/a1")
    form = {
        "csrftoken": token,
        "outcome": corrected,
        "decision": "correct",
        "value": "42",
        "numerator": "20",
        "denominator": "50",
        "group_label": "R-CHOP",
        "regimen": "R-CHOP",
        "ci_low": "",
        "ci_high": "",
        "timepoint": "",
        "note": "Table 2 gives 42%",
    }
    response = client.post(f"{base}/-/review/a1", data=form)
    assert response.status_code == 303 and response.headers["location"].startswith(
        "/-/review/a1#v-"
    )
    shown = client.get(base + response.headers["location"]).text
    assert (
        "a1 cr_rate [R-CHOP] 40%: corrected: value=42 (note: Table 2 gives 42%)" in shown
    )  # what mark prints
    assert "corrected: value=42 by N. Okafor" in shown

    _, token = page(client, f"{base}/-/review/b2")
    response = client.post(
        f"{base}/-/review/b2", data={"csrftoken": token, "outcome": rejected, "decision": "reject"}
    )
    assert response.status_code == 303

    runner = CliRunner()
    for args in (["--set", "value=42", "--note", "Table 2 gives 42%"], ["--reject"]):
        outcome = corrected if "--set" in args else rejected
        result = runner.invoke(cli, ["mark", str(twin), outcome, *args, "--by", "N. Okafor"])
        assert result.exit_code == 0, result.output
    assert reviews_of(Path(evidence_store.path)) == reviews_of(twin)
    assert len(reviews_of(twin)) == 2
    assert (
        everything_but_reviews(Path(evidence_store.path)) == before
    )  # the pages write nothing else


def test_the_pages_and_the_command_line_share_the_database(evidence_store, ids, serve, client):
    target = ids(evidence_store, "b2", "median_os")
    base = serve(evidence_store.path)
    assert (
        CliRunner()
        .invoke(cli, ["mark", str(evidence_store.path), target[:8], "--reject"])
        .exit_code
        == 0
    )
    html, token = page(client, f"{base}/-/review/b2")
    assert re.search(
        rf'data-outcome="{target}">\s*<div class="value-head">.*?badge s-rejected', html, re.S
    )
    response = client.post(
        f"{base}/-/review/b2", data={"csrftoken": token, "outcome": target, "decision": "accept"}
    )
    assert response.status_code == 303
    listed = json.loads(
        CliRunner().invoke(cli, ["review", str(evidence_store.path), "--all", "--json"]).stdout
    )
    assert {r["id"]: r["review_status"] for r in listed}[target] == "accepted"


def test_any_study_id_has_a_page(evidence_store, serve, client):
    odd = 'notes/a "b" <c>.txt'
    evidence_store.import_items(
        [Article(study_id=odd, abstract="Twelve patients.", source="t", location="1")],
        ImportReport(),
    )
    evidence_store.save_outcomes(
        [
            (
                odd,
                evidence_store.study(odd)["text_sha256"],
                [_outcome("Twelve patients.", "cohort_size", "Twelve", value=12)],
            )
        ],
        version="test",
        run_id="r1",
    )
    base = serve(evidence_store.path)
    link = re.search(r'href="(/-/review/notes[^"#]*)#', client.get(f"{base}/-/review").text).group(
        1
    )
    html = client.get(base + link).text
    assert "notes/a &#34;b&#34; &lt;c&gt;.txt" in html and "<mark data-outcome" in html
    row = re.search(r'<a href="([^"]+)">row in Datasette</a>', html).group(1)
    assert (
        client.get(base + row.replace("&amp;", "&") + ".json?_shape=array").json()[0]["study_id"]
        == odd
    )


def test_a_post_without_the_pages_token_is_refused(evidence_store, ids, serve, client):
    base = serve(evidence_store.path)
    target = ids(evidence_store, "b2", "cr_rate")
    _, token = page(client, f"{base}/-/review/b2")  # the client now holds the CSRF cookie
    wrong = client.post(
        f"{base}/-/review/b2",
        data={"csrftoken": token[:-2] + "xx", "outcome": target, "decision": "reject"},
    )
    missing = client.post(f"{base}/-/review/b2", data={"outcome": target, "decision": "reject"})
    # A page elsewhere posting through the reviewer's browser: no cookie goes with it (SameSite), no token either.
    with httpx.Client(trust_env=False) as stranger:
        foreign = stranger.post(
            f"{base}/-/review/b2",
            data={"outcome": target, "decision": "reject"},
            headers={"Origin": "http://elsewhere.example"},
        )
    assert [wrong.status_code, missing.status_code, foreign.status_code] == [403, 403, 403]
    assert reviews_of(Path(evidence_store.path)) == []


def test_a_bad_correction_is_shown_on_the_page_and_stores_nothing(
    evidence_store, ids, serve, client
):
    base = serve(evidence_store.path)
    target = ids(evidence_store, "a1", "cr_rate", "R-CHOP")
    _, token = page(client, f"{base}/-/review/a1")
    response = client.post(
        f"{base}/-/review/a1",
        data={"csrftoken": token, "outcome": target, "decision": "correct", "value": "140"},
    )
    assert response.status_code == 400
    assert "cr_rate is a percent: 140 is outside 0-100" in response.text
    assert 'value="140"' in response.text  # what was typed stays in the form
    nothing = client.post(
        f"{base}/-/review/a1",
        data={"csrftoken": token, "outcome": target, "decision": "correct", "value": "40"},
    )
    assert nothing.status_code == 400 and "nothing to correct" in nothing.text
    elsewhere = client.post(
        f"{base}/-/review/b2", data={"csrftoken": token, "outcome": target, "decision": "accept"}
    )
    assert elsewhere.status_code == 400 and "belongs to study a1, not b2" in elsewhere.text
    assert reviews_of(Path(evidence_store.path)) == []


def test_the_queue_lists_what_evidence_review_lists(evidence_store, ids, serve, client):
    mark(evidence_store, ids(evidence_store, "b2", "cr_rate"), "accepted")
    orphan = ids(evidence_store, "c3", "cohort_size")
    lost = mark(evidence_store, orphan, "corrected", corrections={"value": 14.0}).review_id
    evidence_store.db.execute(
        "DELETE FROM outcomes WHERE id = ?", [orphan]
    )  # the extractor no longer finds it
    evidence_store.db.conn.commit()
    base = serve(evidence_store.path)
    for query, options in (
        ("", []),
        ("?measure=cr_rate&all=1", ["--measure", "cr_rate", "--all"]),
        ("?regimen=chop&flagged=", ["--regimen", "chop"]),
    ):
        html = client.get(f"{base}/-/review{query}").text
        listed = re.findall(r'<tr data-outcome="([0-9a-f]+)">', html)
        result = CliRunner().invoke(cli, ["review", str(evidence_store.path), "--json", *options])
        expected = [(r["id"], r["study_id"]) for r in json.loads(result.stdout)]
        assert listed == [i for i, _ in expected] and listed, query
        assert all(f'href="/-/review/{study}#v-{i}"' in html for i, study in expected)
    html = client.get(f"{base}/-/review").text
    assert "1 orphaned decision" in html and "value no longer extracted at this span" in html
    assert "corrected: value=14" in html and f'name="review" value="{lost}"' in html
    study = client.get(f"{base}/-/review/c3").text.split("Decisions that no longer apply")[1]
    assert f"#{lost}" in study and "corrected: value=14" in study


def test_pages_answer_only_to_this_machines_names(evidence_store, serve, client):
    base = serve(evidence_store.path)
    assert client.get(f"{base}/-/review", headers={"Host": "localhost:1"}).status_code == 200
    assert (
        client.get(f"{base}/-/review", headers={"Host": "rebound.example:8001"}).status_code == 403
    )


def test_unknown_study_and_busy_port(evidence_store, serve, client):
    base = serve(evidence_store.path)
    assert client.get(f"{base}/-/review/nope").status_code == 404
    port = base.rsplit(":", 1)[1]
    result = CliRunner().invoke(cli, ["serve", str(evidence_store.path), "--port", port])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output


def test_a_decision_waits_for_another_writer_and_then_lands(evidence_store, ids, serve, client):
    """An extract or import holding the write lock: the page's decision waits for it, as the commands do."""
    import threading
    import time

    target = ids(evidence_store, "b2", "median_os")
    base = serve(evidence_store.path)
    _, token = page(client, f"{base}/-/review/b2")
    answers: list[httpx.Response] = []
    other = sqlite3.connect(evidence_store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    post = threading.Thread(
        target=lambda: answers.append(
            client.post(
                f"{base}/-/review/b2",
                data={"csrftoken": token, "outcome": target, "decision": "reject"},
                timeout=90,
            )
        )
    )
    post.start()
    time.sleep(6.0)  # longer than sqlite3's default busy timeout of 5 s
    assert not answers  # still waiting for the lock
    other.execute("COMMIT")
    other.close()
    post.join(60)
    assert answers and answers[0].status_code == 303, answers and answers[0].text
    assert target in {r[1] for r in reviews_of(Path(evidence_store.path))}
