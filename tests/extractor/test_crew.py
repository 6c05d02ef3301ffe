"""extractor.crew: workers forked from one started leader, results in order, and no worker left behind."""
from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_tables.extractor.crew import Crew, WorkerLost
from evidence_tables.extractor.errors import ExtractionError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="a Crew forks")


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """A test that would wait for a worker forever fails instead."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("timed out: the caller waited for a worker"))
    signal.alarm(30)
    yield
    signal.alarm(0)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed worker whose parent is gone may wait for init to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _gone(pids: set[int]) -> bool:
    deadline = time.monotonic() + 5
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_running(p) for p in pids)


def _starter(log: Path, work):
    def start():
        with log.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return work
    return start


def _pid_and_sum(chunk: list[int]) -> tuple[int, int]:
    time.sleep(0.01 * (chunk[0] % 3))  # finish out of order
    return os.getpid(), sum(chunk)


def test_results_come_back_in_order_from_workers_forked_after_one_start(tmp_path):
    log = tmp_path / "started"
    chunks = [[i, i + 1] for i in range(60)]
    with Crew(_starter(log, _pid_and_sum), 2) as crew:
        out = list(crew.ordered(chunks, ahead=5))
    assert [s for _, s in out] == [sum(c) for c in chunks]
    pids = {p for p, _ in out}
    assert len(pids) == 2  # both took work
    started = log.read_text().split()
    assert len(started) == 1 and int(started[0]) in pids  # the leader started once; the other was forked warm
    assert _gone(pids)


def test_an_error_in_a_worker_is_raised_in_the_caller_and_every_worker_ends(tmp_path):
    seen: set[int] = set()

    def work(chunk):
        if chunk == ["bad"]:
            raise ValueError("the rules failed on 'bad'")
        return os.getpid()

    with pytest.raises(ValueError, match="failed on 'bad'"):
        with Crew(_starter(tmp_path / "log", work), 2) as crew:
            for pid in crew.ordered([["a"], ["b"], ["c"], ["bad"], ["d"]], ahead=2):
                seen.add(pid)
    assert seen and _gone(seen | {int(p) for p in (tmp_path / "log").read_text().split()})


def test_an_error_that_cannot_be_pickled_arrives_as_text(tmp_path):
    class Local(Exception):  # a local class cannot be pickled
        pass

    def work(chunk):
        raise Local("odd")

    with pytest.raises(ExtractionError, match="Local: odd"):
        with Crew(_starter(tmp_path / "log", work), 2) as crew:
            list(crew.ordered([[1]], ahead=2))


def test_a_leader_that_cannot_start_says_why():
    def start():
        raise RuntimeError("no pipeline")

    with pytest.raises(RuntimeError, match="no pipeline"):
        with Crew(start, 2) as crew:
            list(crew.ordered([[1], [2]], ahead=2))


def test_a_killed_worker_is_reported_not_waited_for(tmp_path):
    def work(chunk):
        if chunk == ["die"]:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return os.getpid()

    with pytest.raises(WorkerLost, match="ended unexpectedly"):
        with Crew(_starter(tmp_path / "log", work), 2) as crew:
            list(crew.ordered([["a"], ["b"], ["die"], ["c"], ["d"], ["e"]], ahead=3))


def test_leaving_early_ends_the_workers_with_work_still_out(tmp_path):
    seen: set[int] = set()

    def work(chunk):
        time.sleep(0.01)
        return os.getpid(), "x" * 20_000  # results that fill the pipe: told to stop, workers would block

    with Crew(_starter(tmp_path / "log", work), 2) as crew:
        for pid, _ in crew.ordered([[i] for i in range(100)], ahead=20):
            seen.add(pid)
            if len(seen) == 2:
                break  # 20 chunks still out: the workers cannot just be told to stop
    assert _gone(seen)


def test_errors_come_in_input_order(tmp_path):
    """A later chunk failing first does not hide the earlier chunks' results, as with one process."""
    def work(chunk):
        if chunk == ["slow"]:
            time.sleep(0.3)
            return "slow done"
        raise ValueError(f"failed on {chunk[0]}")

    got = []
    with pytest.raises(ValueError, match="failed on fast"):
        with Crew(_starter(tmp_path / "log", work), 2) as crew:
            for result in crew.ordered([["slow"], ["fast"], ["later"]], ahead=3):
                got.append(result)
    assert got == ["slow done"]


def test_a_worker_killed_in_the_middle_of_sending_is_reported(tmp_path, monkeypatch):
    """Results larger than a pipe's buffer are written in pieces: a worker killed between them leaves
    half a message, which must not be waited on."""
    import struct

    import evidence_tables.extractor.crew as crew_module

    send = crew_module._send

    def half_then_die(results, index, reply):
        if reply == "die":
            os.write(results.fileno(), struct.pack("!i", 1_000_000) + b"x" * 1000)
            os.kill(os.getpid(), signal.SIGKILL)
        send(results, index, reply)

    monkeypatch.setattr(crew_module, "_send", half_then_die)  # the forked workers inherit it
    with pytest.raises(WorkerLost):
        with Crew(_starter(tmp_path / "log", lambda chunk: chunk[0]), 2) as crew:
            list(crew.ordered([["a"], ["b"], ["die"], ["c"], ["d"]], ahead=5))


def test_a_worker_that_dies_idle_does_not_hang_the_close(tmp_path):
    """An idle worker waits for work holding the task pipe's lock; if it dies, the others could never
    take the stop message, so they are killed instead of waited for."""
    log = tmp_path / "log"
    with Crew(_starter(log, lambda chunk: os.getpid()), 2) as crew:
        pids = set(crew.ordered([[i] for i in range(20)], ahead=4))
        os.kill(int(log.read_text()), signal.SIGKILL)
        time.sleep(0.2)
    assert _gone(pids)


def test_a_chunk_that_cannot_be_sent_raises_in_the_caller(tmp_path):
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        with Crew(_starter(tmp_path / "log", len), 2) as crew:
            list(crew.ordered([[1], [lambda: 2]], ahead=2))


def test_a_crew_needs_a_worker():
    with pytest.raises(ValueError, match="at least one worker"):
        Crew(lambda: len, 0)


def test_pipes_get_a_buffer_a_busy_caller_does_not_fill_at_once():
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are set on Linux only")
    from multiprocessing import Pipe

    from evidence_tables.extractor.crew import _PIPE_BYTES, _widen

    reader, writer = Pipe(duplex=False)
    before = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
    _widen(writer)
    after = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    assert after == (_PIPE_BYTES if limit >= _PIPE_BYTES else before)
    payload = b"x" * (_PIPE_BYTES // 2)
    if after == _PIPE_BYTES:
        writer.send_bytes(payload)  # half a megabyte in flight with nobody reading: no block
        assert reader.recv_bytes() == payload
