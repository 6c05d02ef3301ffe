"""Worker processes forked from one warm worker (where the system can fork).

`multiprocessing.Pool` forks every worker from the caller, so each one imports spaCy
and builds its pipeline: about 0.6 s of CPU each. In a Crew the first worker (the
leader) does that once and then forks the others from itself. They start with the
pipeline built and share its memory pages. While the leader starts, the caller reads
input ahead (`ahead` chunks), so both cores stay busy.

Results come back in input order. The caller learns of a worker that dies (killed,
out of memory) through a pipe that worker alone holds open, and raises `WorkerLost`
instead of waiting for it. An error, Ctrl-C or closing the iterator early ends every worker.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any

from extractor.errors import ExtractionError

Chunk = list[Any]
Work = Callable[[Chunk], Any]  # what a worker does with one chunk
_STOP = None  # tells a worker to leave
_QUIT = object()  # tells the caller's sending thread to leave
_FAILED = -1  # the index of the message saying the leader could not start


class WorkerLost(ExtractionError):
    """A worker process ended while it had work."""


def _serve(work: Work, tasks: Connection, results: Connection, locks: tuple[Any, Any]) -> None:
    """Take chunks until told to stop (or the caller has gone); send back (index, result or error)."""
    read_lock, write_lock = locks
    while True:
        with read_lock:
            try:
                task = tasks.recv()
            except (EOFError, OSError):
                return
        if task is _STOP:
            return
        index, chunk = task
        try:
            reply: Any = work(chunk)
        except Exception as exc:  # noqa: BLE001  (the caller raises it)
            reply = exc
        _send(results, write_lock, index, reply)


def _send(results: Connection, write_lock: Any, index: int, reply: Any) -> None:
    try:
        data = pickle.dumps((index, reply))
    except Exception as exc:  # noqa: BLE001  (an error that cannot be pickled goes as text)
        data = pickle.dumps((index, ExtractionError(f"{type(reply).__name__}: {reply} (unpicklable: {exc})")))
    with write_lock:
        results.send_bytes(data)


def _lead(start: Callable[[], Work], jobs: int, pipes: tuple[Connection, Connection], lives: list[Connection],
          locks: tuple[Any, Any], callers: list[Connection]) -> None:
    """The leader: build once, fork the others from itself, serve, then wait for them."""
    os.setpgid(0, 0)  # a process group of its own, which its siblings join: the caller ends them all at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller handles Ctrl-C and stops the workers
    for conn in callers:  # the caller's ends, copied by the fork: its task pipe must end when the caller's does
        conn.close()
    tasks, results = pipes
    try:
        work = start()
    except Exception as exc:  # noqa: BLE001
        _send(results, locks[1], _FAILED, exc)
        return
    children = []
    for i in range(1, jobs):
        pid = os.fork()
        if pid == 0:  # a sibling: keep its own life line only, serve, leave without the leader's cleanup
            code = 1
            try:
                for life in lives[:i] + lives[i + 1:]:
                    life.close()
                _serve(work, tasks, results, locks)
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    for life in lives[1:]:
        life.close()
    _serve(work, tasks, results, locks)
    for pid in children:
        os.waitpid(pid, 0)


class Crew:
    """`jobs` worker processes running the `Work` that `start` makes in the leader."""

    def __init__(self, start: Callable[[], Work], jobs: int) -> None:
        ctx = multiprocessing.get_context("fork")
        task_reader, self._tasks = ctx.Pipe(duplex=False)
        self._results, result_writer = ctx.Pipe(duplex=False)
        lives = [ctx.Pipe(duplex=False) for _ in range(jobs)]
        self._lives = [r for r, _ in lives]
        self._leader = ctx.Process(target=_lead, daemon=True, args=(
            start, jobs, (task_reader, result_writer), [w for _, w in lives], (ctx.Lock(), ctx.Lock()),
            [self._tasks, self._results, *self._lives]))
        self._leader.start()
        try:
            os.setpgid(self._leader.pid, self._leader.pid)  # here too, as shells do: set before either goes on
        except OSError:
            pass  # it has set it itself, or already ended (its life line says so)
        for conn in (task_reader, result_writer, *(w for _, w in lives)):
            conn.close()  # only the workers hold these now: end of file means they have gone
        # A thread sends: a chunk larger than the pipe's buffer blocks until a worker reads it, and
        # meanwhile the caller must go on reading results, or workers block sending them.
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, daemon=True)
        self._sender.start()
        self.jobs = jobs
        self._out = 0  # chunks sent and not yet received

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close(wait_for_workers=kind is None)

    def ordered(self, chunks: Iterable[Chunk], ahead: int) -> Iterator[Any]:
        """The result of every chunk, in input order, with at most `ahead` chunks out at once."""
        source = iter(chunks)
        done: dict[int, Any] = {}
        sent = given = 0
        more = True
        while True:
            while more and sent - given < ahead:
                chunk = next(source, None)
                if more := chunk is not None:
                    self._outbox.put((sent, chunk))
                    sent += 1
                    self._out += 1
            if given == sent:
                return
            index, reply = self._receive()
            done[index] = reply
            while given in done:
                yield done.pop(given)
                given += 1

    def _send_all(self) -> None:
        while (item := self._outbox.get()) is not _QUIT:
            try:
                self._tasks.send(item)
            except OSError:
                return  # the workers have gone; the caller learns it from their life lines

    def _receive(self) -> tuple[int, Any]:
        """The next (index, result); raises the error a worker sent, or WorkerLost."""
        if self._results not in wait([self._results, *self._lives]):
            raise WorkerLost("a worker process ended unexpectedly (killed, or out of memory?)")
        try:
            index, reply = pickle.loads(self._results.recv_bytes())
        except EOFError as exc:
            raise WorkerLost("every worker process has ended") from exc
        self._out -= 1
        if isinstance(reply, BaseException):
            raise reply
        return index, reply

    def close(self, *, wait_for_workers: bool) -> None:
        """Stop the workers: let them leave once idle (only when no work is out: a worker blocked
        sending a result nobody reads would never leave), or end them at once."""
        if wait_for_workers and not self._out:
            for _ in range(self.jobs):
                self._outbox.put(_STOP)
        else:
            try:
                os.killpg(self._leader.pid, signal.SIGKILL)
            except OSError:
                self._leader.kill()
        self._leader.join()
        # With every reader gone, a send blocked on a full pipe fails and the thread leaves.
        self._outbox.put(_QUIT)
        self._sender.join()
        for conn in (self._tasks, self._results, *self._lives):
            conn.close()
