"""Worker processes forked from one warm worker (where the system can fork).

`multiprocessing.Pool` forks every worker from the caller, so each one imports spaCy
and builds its pipeline: about 0.6 s of CPU each. In a Crew the first worker (the
leader) does that once and then forks the others from itself. They start with the
pipeline built and share its memory pages. While the leader starts, the caller reads
input ahead (`ahead` chunks), so both cores stay busy.

Results come back in input order, and so do errors. Each worker sends its results
through a pipe of its own, which also tells the caller when that worker has died
(killed, out of memory): the caller raises `WorkerLost` instead of waiting for ever. An
error, Ctrl-C or leaving the iterator early kills the workers' process group.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any, cast

from evidence_tables.extractor.errors import ExtractionError

try:
    import fcntl
except ImportError:  # Windows, where no process forks (extractor.parallel spawns a Pool there)
    fcntl = None  # type: ignore[assignment]

Chunk = list[Any]
Work = Callable[[Chunk], Any]  # what a worker does with one chunk
_STOP = b""  # tells a worker to leave
_QUIT = object()  # tells the caller's sending thread to leave
_FAILED = -1  # the index of the message saying the leader could not start
_LEAVE_WITHIN = 10.0  # seconds idle workers get to leave once told to, before they are killed


class WorkerLost(ExtractionError):
    """A worker process ended while it had work."""


def _serve(work: Work, tasks: Connection, read_lock: Any, results: Connection) -> None:
    """Take chunks until told to stop (or the caller has gone); send back (index, result or error)."""
    while True:
        with read_lock:
            try:
                data = tasks.recv_bytes()
            except (EOFError, OSError):
                return
        if data == _STOP:
            return
        index, chunk = pickle.loads(data)
        try:
            reply: Any = work(chunk)
        except Exception as exc:  # noqa: BLE001  (the caller raises it, in order)
            reply = exc
        _send(results, index, reply)


def _send(results: Connection, index: int, reply: Any) -> None:
    results.send_bytes(_sendable(index, reply))


def _sendable(index: int, reply: Any) -> bytes:
    """(index, reply) pickled; what cannot travel (a local class, an error that pickles but needs
    arguments to unpickle) goes as an ExtractionError naming it."""
    try:
        data = pickle.dumps((index, reply))
        if isinstance(reply, BaseException):
            pickle.loads(data)
        return data
    except Exception as exc:  # noqa: BLE001
        return pickle.dumps((index, ExtractionError(f"{type(reply).__name__}: {reply} (cannot be sent: {exc})")))


def _lead(start: Callable[[], Work], tasks: Connection, read_lock: Any, lines: list[Connection],
          callers: list[Connection]) -> None:
    """The leader: build once, fork the others from itself, serve, then wait for them."""
    os.setpgid(0, 0)  # a process group of its own, which its siblings join: the caller ends them all at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller handles Ctrl-C and stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the caller's handler: a worker told to end just ends
    for conn in callers:  # the caller's ends, copied by the fork: its task pipe must end when the caller's does
        conn.close()
    try:
        work = start()
    except Exception as exc:  # noqa: BLE001
        _send(lines[0], _FAILED, exc)
        return
    children = []
    for i in range(1, len(lines)):
        with warnings.catch_warnings():  # Python 3.12 warns of forking with threads (numpy's pool: unused here)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # a sibling: keep its own results line, serve, leave without the leader's cleanup
            code = 1
            try:
                for line in lines[:i] + lines[i + 1:]:
                    line.close()
                _serve(work, tasks, read_lock, lines[i])
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    for line in lines[1:]:
        line.close()
    _serve(work, tasks, read_lock, lines[0])
    for pid in children:
        os.waitpid(pid, 0)


def _widen(*conns: Connection) -> None:
    """Give pipes a buffer of 1 MB where the system lets us (Linux; 64 KB is the default). While the
    caller stores a transaction of imported studies (a quarter of a second), a worker goes on with
    the chunks it has instead of waiting for the caller to read its last results; and the sender
    thread hands the workers their next chunks without waiting for the caller to let it run."""
    if fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux only
        return
    for conn in conns:
        try:
            fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        except OSError:
            return  # more than /proc/sys/fs/pipe-max-size allows: the default buffer


_PIPE_BYTES = 1 << 20


class Crew:
    """`jobs` worker processes running the `Work` that `start` makes in the leader."""

    def __init__(self, start: Callable[[], Work], jobs: int) -> None:
        if jobs < 1:
            raise ValueError(f"a crew needs at least one worker, not {jobs}")
        ctx = multiprocessing.get_context("fork")
        task_reader, self._tasks = ctx.Pipe(duplex=False)
        pipes = [ctx.Pipe(duplex=False) for _ in range(jobs)]
        self._lines = [r for r, _ in pipes]  # one results pipe per worker: end of file means it has gone
        self._leader = ctx.Process(target=_lead, daemon=True, args=(
            start, task_reader, ctx.Lock(), [w for _, w in pipes], [self._tasks, *self._lines]))
        self._leader.start()
        assert self._leader.pid is not None  # start() has set it
        try:
            os.setpgid(self._leader.pid, self._leader.pid)  # here too, as shells do: set before either goes on
        except OSError:
            pass  # it has set it itself, or already ended (its results line says so)
        _widen(self._tasks, *self._lines)
        for conn in (task_reader, *(w for _, w in pipes)):
            conn.close()  # only the workers hold these now
        self.jobs = jobs
        self._sent = self._given = 0  # chunks sent; chunks whose results were given back
        self._done: dict[int, Any] = {}
        # A thread sends: a chunk larger than the pipe's buffer blocks until a worker reads it, and
        # meanwhile the caller must go on reading results, or workers block sending them.
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, daemon=True)
        try:
            self._sender.start()
        except BaseException:
            self._kill()
            raise

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close(wait_for_workers=kind is None)

    def ordered(self, chunks: Iterable[Chunk], ahead: int) -> Iterator[Any]:
        """The result of every chunk, in input order, with at most `ahead` chunks out at once; a chunk's
        error is raised where its result would have come."""
        if ahead < 1:
            raise ValueError(f"ahead must be at least 1, not {ahead}")
        source = iter(chunks)
        more = True
        while True:
            while more and self._sent - self._given < ahead:
                chunk = next(source, None)
                if more := chunk is not None:
                    self._outbox.put(pickle.dumps((self._sent, chunk)))  # here: a chunk that cannot be sent raises
                    self._sent += 1
            if self._given == self._sent:
                return
            while self._given not in self._done:
                index, reply = self._receive()
                self._done[index] = reply
            reply = self._done.pop(self._given)
            self._given += 1
            if isinstance(reply, BaseException):
                raise reply
            yield reply

    def _send_all(self) -> None:
        while (data := self._outbox.get()) is not _QUIT:
            try:
                self._tasks.send_bytes(data)
            except OSError:
                return  # the workers have gone; the caller learns it from their results lines

    def _receive(self) -> tuple[int, Any]:
        """The next message from any worker. A worker's end of file is reported only when no other
        has a message: a leader that could not start says why before its siblings' lines end."""
        lost: BaseException | None = None
        for line in cast(list[Connection], wait(self._lines)):  # (some of the lines it is given)
            try:
                index, reply = pickle.loads(line.recv_bytes())
            except (EOFError, OSError) as exc:  # gone, perhaps in the middle of a message
                lost = exc
                continue
            if index == _FAILED:
                raise reply
            return index, reply
        raise WorkerLost("a worker process ended unexpectedly (killed, or out of memory?)") from lost

    def close(self, *, wait_for_workers: bool) -> None:
        """Stop the workers: tell them to leave when none has work out or has died (a worker blocked
        sending a result nobody reads, or waiting on a lock a dead one held, would never leave); else,
        or if they do not leave in time, kill them."""
        if wait_for_workers and self._sent == self._given + len(self._done) and not wait(self._lines, 0):
            for _ in range(self.jobs):
                self._outbox.put(_STOP)
            left = set(self._lines)
            while left and (ready := cast(list[Connection], wait(list(left), _LEAVE_WITHIN))):
                left -= {line for line in ready if _eof(line)}  # each line ends as its worker leaves
            if left:
                self._kill()
        else:
            self._kill()
        self._leader.join()
        self._outbox.put(_QUIT)  # with every reader gone, a send blocked on a full pipe fails too
        self._sender.join()
        for conn in (self._tasks, *self._lines):
            conn.close()

    def _kill(self) -> None:
        assert self._leader.pid is not None  # started in __init__
        try:
            os.killpg(self._leader.pid, signal.SIGKILL)
        except OSError:
            self._leader.kill()


def _eof(line: Connection) -> bool:
    try:
        line.recv_bytes()
    except (EOFError, OSError):
        return True
    return False
