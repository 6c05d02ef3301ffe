"""extractor.parallel: the standard library's process pool, workers from a forkserver that built the pipeline,
results in input order, and no worker left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import evidence_tables.extractor.parallel as parallel
from evidence_tables.extractor.errors import ExtractionError
from evidence_tables.extractor.parallel import extract_many

TEXTS = [
    f"{n} patients were enrolled. Median overall survival was {n % 30 + 1} months."
    for n in range(40, 140)
]
ITEMS = [(t, i) for i, t in enumerate(TEXTS)]


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """A test that would wait for a worker forever fails instead."""
    signal.signal(
        signal.SIGALRM, lambda *_: pytest.fail("timed out: the caller waited for a worker")
    )
    signal.alarm(120)
    yield
    signal.alarm(0)


def _running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _gone(pids: set[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_running(p) for p in pids)


def _watched(monkeypatch) -> list[ProcessPoolExecutor]:
    """The executors extract_many starts, to read their workers' process ids."""
    pools: list[ProcessPoolExecutor] = []

    class Watched(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Watched)
    return pools


def _workers(pool: ProcessPoolExecutor) -> set[int]:
    return set(pool._processes or {})


def test_results_are_those_of_one_process_in_input_order():
    assert list(extract_many(ITEMS, jobs=2, chunk_size=3)) == list(
        extract_many(ITEMS, jobs=1, chunk_size=3)
    )


def test_the_workers_are_forked_from_a_forkserver_that_built_the_pipeline(monkeypatch):
    """Not from the command's process, which runs threads (tqdm's monitor; the executor's own)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver on this system: workers are spawned")
    from multiprocessing import forkserver

    pools = _watched(monkeypatch)
    found = extract_many(ITEMS, jobs=2, chunk_size=3)
    next(found)
    pids = _workers(pools[0])
    server = forkserver._forkserver._forkserver_pid
    assert pids and all(
        int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) == server
        for p in pids
    )
    assert parallel.PRELOAD in forkserver._forkserver._preload_modules
    found.close()


def test_leaving_early_ends_the_workers_with_work_still_out(monkeypatch):
    pools = _watched(monkeypatch)
    found = extract_many(ITEMS * 20, jobs=2, chunk_size=2)
    next(found)
    pids = _workers(pools[0])
    found.close()  # chunks still out: the workers are killed, not waited for
    assert pids and _gone(pids)


def test_the_workers_leave_when_the_work_is_done(monkeypatch):
    pools = _watched(monkeypatch)
    found = extract_many(ITEMS, jobs=2, chunk_size=2)
    first = [next(found)]
    pids = _workers(pools[0])
    assert first + list(found) == list(extract_many(ITEMS, jobs=1))
    assert pids and _gone(pids)


def test_an_error_ends_every_worker_and_earlier_results_come_first(monkeypatch, pool_faults):
    """A chunk's error is raised where its results would have come: the results before it are given."""
    monkeypatch.setattr(parallel, "_new", pool_faults.typo_in_a_rule)  # in the workers only
    pools = _watched(monkeypatch)
    items = ITEMS[:30] + [("CURSED: 40 patients were enrolled.", "cursed")] + ITEMS[30:]
    found = extract_many(items, jobs=2, chunk_size=2, keep_going=True)
    got = [next(found)[0]]
    pids = _workers(pools[0])
    with pytest.raises(TypeError, match="a rule tripped"):
        for key, _ in found:
            got.append(key)
    assert got == list(range(30))
    assert pids and _gone(pids)


def test_an_error_that_cannot_be_sent_arrives_as_text():
    class Local(Exception):  # a local class cannot be pickled
        pass

    assert isinstance(parallel._portable(ValueError("x")), ValueError)
    sent = parallel._portable(Local("odd"))
    assert isinstance(sent, ExtractionError) and "Local: odd" in str(sent)


def test_a_worker_ignores_ctrl_c_and_ends_on_sigterm():
    """Ctrl-C reaches the whole foreground process group: the caller stops the workers, which must not print
    tracebacks of their own; SIGTERM ends a worker at once."""
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        parallel._init(True, 10, False, parallel._new)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGINT, before[0])
        signal.signal(signal.SIGTERM, before[1])
        parallel._worker.clear()


def test_workers_are_not_forked_from_this_process(monkeypatch):
    """The command runs threads: a fork from it could copy a lock held by one of them. No fork here."""
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked from the caller"))
    assert list(extract_many(ITEMS[:10], jobs=2, chunk_size=2)) == list(
        extract_many(ITEMS[:10], jobs=1)
    )
