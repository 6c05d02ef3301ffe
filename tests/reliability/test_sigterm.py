"""Row 14: SIGTERM (kill, timeout, a job scheduler) is handled as Ctrl-C is: work kept, run recorded, workers ended."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

from .conftest import evidence, outcomes, spawn, statuses, write_jsonl


def running_with(db: Path) -> list[int]:
    """Processes whose command line names this database (the command and its workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(db).encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (the workers come from a forkserver: their command line names no database)."""
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                children = {int(c) for c in (task / "children").read_text().split()}
                todo.extend(children - found)
                found |= children
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def wait_for_extraction(db: Path, proc, timeout: float = 60) -> None:
    """Until the command has saved a first transaction of results (its workers are busy)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        with sqlite3.connect(db) as con:
            if con.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError("no extraction saved")


def test_sigterm_during_extract_jobs_2_is_an_interruption(tmp_path):
    db = tmp_path / "r.db"
    assert (
        evidence(
            "import", str(db), str(write_jsonl(tmp_path / "a.jsonl", range(16000))), "-q"
        ).returncode
        == 0
    )
    proc = spawn("extract", str(db), "--jobs", "2")
    wait_for_extraction(db, proc)
    below = descendants(proc.pid)
    assert len(below) >= 3  # the forkserver and two workers at least
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert "Interrupted: finished work is saved" in err and "Traceback" not in err
    assert statuses(db)[-1] == ("extract", "interrupted")
    deadline = time.monotonic() + 10
    while (
        left := [p for p in running_with(db) if p != os.getpid()] + [p for p in below if alive(p)]
    ) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, "worker processes outlived the command"
    # the next run goes on from there, and ends where one uninterrupted run would
    assert evidence("extract", str(db), "--jobs", "2", "-q").returncode == 0
    alone = tmp_path / "alone.db"
    assert evidence("import", str(alone), str(tmp_path / "a.jsonl"), "-q").returncode == 0
    assert evidence("extract", str(alone), "-q").returncode == 0
    assert outcomes(db) == outcomes(alone)


def test_sigterm_during_import_keeps_what_was_stored(tmp_path):
    db = tmp_path / "r.db"
    data = write_jsonl(tmp_path / "a.jsonl", range(20000))
    proc = spawn("import", str(db), str(data), "-q")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None
        if db.exists():
            with sqlite3.connect(db) as con:
                if (
                    "studies" in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
                    and con.execute("SELECT COUNT(*) FROM studies").fetchone()[0]
                ):
                    break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "Traceback" not in err, err
    assert statuses(db)[-1] == ("import", "interrupted")
    assert evidence("import", str(db), str(data), "-q").returncode == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM studies").fetchone()[0] == 20000


def test_ctrl_c_at_a_terminal_during_extract_jobs_2_is_an_interruption(tmp_path):
    """A terminal sends Ctrl-C to the whole foreground process group: the forkserver and the workers too.
    They ignore it; the command stops them, prints no traceback and exits 130."""
    db = tmp_path / "r.db"
    assert (
        evidence(
            "import", str(db), str(write_jsonl(tmp_path / "a.jsonl", range(16000))), "-q"
        ).returncode
        == 0
    )
    proc = spawn(
        "extract", str(db), "--jobs", "2", start_new_session=True
    )  # its own group, as a shell's job
    wait_for_extraction(db, proc)
    below = descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Interrupted: finished work is saved" in err and "Traceback" not in err, err
    assert statuses(db)[-1] == ("extract", "interrupted")
    deadline = time.monotonic() + 10
    while (left := [p for p in below if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, "worker processes outlived the command"


def test_an_interruption_while_saving_ends_the_workers_at_once(tmp_path, monkeypatch):
    """SIGTERM or Ctrl-C may arrive while the command writes a transaction, not only while it waits for
    the workers. The exception's traceback keeps the extraction's frame alive until the process exits,
    so the workers must be ended on the way out, not when the generator is collected (else the command
    waits for every chunk still out before it can exit)."""
    from evidence_tables.db import EvidenceDB
    from evidence_tables.jobs import extract_pending, import_files
    from evidence_tables.signals import Terminated

    store = EvidenceDB(tmp_path / "r.db")
    import_files(store, [write_jsonl(tmp_path / "a.jsonl", range(3000))])
    workers: list[int] = []

    def interrupted(*_args, **_kwargs):
        workers.extend(p.pid for p in multiprocessing.active_children())
        raise Terminated

    monkeypatch.setattr(store, "save_outcomes", interrupted)
    try:
        extract_pending(store, jobs=2, batch_size=50)
    except Terminated:
        # the traceback is alive here, as it is in the CLI's handler while it prints and exits
        deadline = time.monotonic() + 10
        while (left := [p for p in workers if alive(p)]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert workers and not left, "the workers outlived the interruption"
    else:
        raise AssertionError("the interruption did not reach the caller")
    assert statuses(tmp_path / "r.db")[-1] == ("extract", "interrupted")
