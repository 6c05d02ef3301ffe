"""Row 9: `evidence sql` streams its rows, stops at its --timeout, and Ctrl-C (or SIGTERM) stops any query."""

from __future__ import annotations

import signal
import time

import pytest

from .conftest import evidence, measured, spawn

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "r.db"
    assert evidence("demo", "--db", str(path), "-q").returncode == 0
    return path


def started(proc, seconds: float = 1.5) -> None:
    """Give the command time to start its query (importing Python takes most of a second)."""
    time.sleep(seconds)
    assert proc.poll() is None, proc.communicate()


@pytest.mark.parametrize(
    ("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_a_runaway_query_stops_at_once_on_ctrl_c_or_sigterm(db, sig, status):
    proc = spawn("sql", str(db), FOREVER + "SELECT count(*) FROM c", "--timeout", "0")
    started(proc)
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=10)
    except Exception:
        proc.kill()
        proc.communicate()
        raise
    assert time.monotonic() - sent < 5
    assert (
        proc.returncode == status
        and "Interrupted: the query was stopped." in err
        and "Traceback" not in err
    )


def test_a_runaway_query_stops_at_its_timeout(db):
    started_at = time.monotonic()
    result = evidence(
        "sql", str(db), FOREVER + "SELECT count(*) FROM c", "--timeout", "1", timeout=30
    )
    assert result.returncode == 1 and "stopped after 1 s of work (--timeout" in result.stderr
    assert time.monotonic() - started_at < 15


def test_rows_are_printed_as_they_come_not_collected_first(db):
    """An endless result: the first rows arrive at once; --timeout then ends it."""
    proc = spawn("sql", str(db), FOREVER + "SELECT x FROM c", "--csv", "--timeout", "3")
    assert proc.stdout is not None
    first = proc.stdout.readline(), proc.stdout.readline()
    assert first == ("x\n", "1\n")
    proc.stdout.close()  # a reader that stops early: the command ends quietly
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=30) == 0 and "Traceback" not in err, err


@pytest.mark.parametrize("fmt", ["--csv", "--nl", "--json", "--markdown", "--tsv", None])
def test_a_large_result_streams_in_bounded_memory(db, tmp_path, fmt):
    big = (
        FOREVER.replace("FROM c)", "FROM c WHERE x < 1000000)")
        + "SELECT x, printf('%.200c', 'a') AS pad, x * 1.5 AS half FROM c"
    )
    result = measured(
        "sql", str(db), big, *([fmt] if fmt else []), cwd=tmp_path, discard_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.peak_mb < 80, result.peak_mb  # 200 MB of output
