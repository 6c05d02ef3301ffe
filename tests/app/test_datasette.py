"""The database opens in Datasette as it is, and the canned queries of `evidence metadata` answer (JSON API)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli
from evidence_tables.db.reviews import mark

pytest.importorskip("datasette")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(base: str, path: str):
    with NO_PROXY.open(base + path, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def datasette(evidence_store, ids, tmp_path):
    """Datasette serving the test database with the written metadata; yields its base URL."""
    mark(
        evidence_store,
        ids(evidence_store, "a1", "cr_rate", "R-CHOP"),
        "corrected",
        corrections={"value": 42.0},
    )
    mark(evidence_store, ids(evidence_store, "b2", "cr_rate"), "rejected")
    result = CliRunner().invoke(
        cli, ["metadata", str(evidence_store.path), "-o", str(tmp_path / "metadata.json")]
    )
    assert result.exit_code == 0, result.output
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(evidence_store.path),
            "-m",
            str(tmp_path / "metadata.json"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"datasette did not start: {server.stdout.read().decode()}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


def test_canned_queries_answer(datasette):
    crs = get(datasette, "/evidence/cr_rate_by_regimen.json?_shape=array")
    assert [
        (r["regimen"], r["study_id"], r["cr_rate_percent"], r["review_status"]) for r in crs
    ] == [("R-CHOP", "a1", 42.0, "corrected"), ("R-CVP", "a1", 30.0, None)]
    assert crs[0]["evidence"] == "40% (20/50) with R-CHOP"
    os_ = get(datasette, "/evidence/median_os_by_study.json?_shape=array")
    assert [
        (r["study_id"], r["median_os"], r["unit"], r["median_os_months"], r["not_reached"])
        for r in os_
    ] == [
        ("a1", 24.0, "months", 24.0, 0),
        ("a1", None, None, None, 1),
        ("b2", 300.0, "days", 9.86, 0),
    ]
    flagged = get(datasette, "/evidence/values_flagged_for_review.json?_shape=array")
    assert [(r["study_id"], r["measure"], r["flags"]) for r in flagged] == [
        ("a1", "cr_rate", "count_percent_mismatch")
    ]


def test_the_database_browses_as_it_is(datasette):
    meta = get(datasette, "/-/metadata.json")
    queries = meta["databases"]["evidence"]["queries"]
    assert [q["title"] for q in queries.values()] == [
        "CR rate by regimen",
        "median OS by study",
        "values flagged for review",
    ]
    assert meta["databases"]["evidence"]["tables"]["outcomes"]["columns"]["flags"].startswith(
        "Why the extractor"
    )
    found = get(datasette, "/evidence/studies.json?_search=radiotherapy&_shape=array")
    assert [r["study_id"] for r in found] == ["c3"]  # Datasette finds the full-text index by itself
    view = get(datasette, "/evidence/evidence.json?_shape=array")
    assert {r["study_id"]: r["cr_rates"] for r in view}[
        "a1"
    ] == "R-CHOP: 42% (20/50) (corrected); R-CVP: 30% (15/50)"
