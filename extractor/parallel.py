"""Extraction in several processes, with results identical to one process and in input order.

The workers are a `concurrent.futures.ProcessPoolExecutor` whose processes come from a forkserver
(`spawn` where the system has none). The command runs threads (tqdm's monitor, the executor's own),
and a process that forks while another thread holds a lock leaves that lock held for ever in the
child; the forkserver is a fresh process of one thread, and the workers are forked from it. It
imports `extractor.preload` first, which builds the pipeline there: every worker starts with it built.

A worker rebuilds its pipeline once the vocabulary has grown by `refresh` strings: spaCy's
vocabulary keeps every new word it has seen, about half a kilobyte each with the tokenizer's cache
(measured), and would otherwise grow with the corpus. The bound is on what grows, so memory stays
flat whatever the text, and a corpus that reuses its words rebuilds rarely (the 5,390 real
abstracts add about 45,000 strings).

A worker builds its extractors with the caller's `_new`, sent to it by reference: a replacement
defined at a module's top level reaches the workers (tests use this; the workers do not inherit
the caller's memory).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from evidence_tables.extractor.errors import ExtractionError, WorkerLost
from evidence_tables.extractor.outcomes import Failure, Outcome

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from evidence_tables.extractor.extract import Extractor

Item = tuple[str, Any]  # (text, key)
Result = tuple[Any, list[Outcome] | Failure]
Build = Callable[[bool], "Extractor"]
PRELOAD = "evidence_tables.extractor.preload"
AHEAD = 96  # chunks out at once: while the workers start the caller reads on; 96 x 64 abstracts is ~10 MB of text
_worker: dict[str, Any] = {}


def _new(gate: bool) -> Extractor:
    from evidence_tables.extractor.extract import Extractor  # noqa: PLC0415  (spaCy is loaded where it is used)

    return Extractor(gate=gate)


def _strings(extractor: Extractor) -> int:
    return len(extractor.nlp.vocab.strings)


def _fresh(
    extractor: Extractor | None, built: int, gate: bool, refresh: int, build: Build
) -> tuple[Extractor, int]:
    """The extractor to use next and its vocabulary's size when built: a new one when there is none
    yet or its vocabulary has grown by more than `refresh` strings since."""
    if extractor is None or _strings(extractor) - built > refresh:
        extractor = build(gate)
        built = _strings(extractor)
    return extractor, built


def _init(gate: bool, refresh: int, keep_going: bool, build: Build) -> None:
    """A worker's start. The caller handles Ctrl-C (it stops the workers): a worker must not print a
    traceback for it; told to end (SIGTERM), a worker just ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker.update(
        extractor=None, gate=gate, refresh=refresh, keep_going=keep_going, build=build, built=0
    )


def _first(gate: bool, build: Build) -> Extractor | None:
    """The pipeline the forkserver built, if this worker came from one that did and builds as usual."""
    preload = sys.modules.get(PRELOAD)
    return preload.take(gate) if preload is not None and build is _new else None


def _run(chunk: list[Item]) -> list[Result]:
    """One chunk in a worker. The pipeline is built by the first task, not by the initializer: an
    error building it (a bad rule file) then reaches the caller as that task's error, where the
    executor would only say that the pool broke."""
    try:
        w = _worker
        if w["extractor"] is None and (warm := _first(w["gate"], w["build"])) is not None:
            w.update(extractor=warm, built=_strings(warm))
        extractor, built = _fresh(w["extractor"], w["built"], w["gate"], w["refresh"], w["build"])
        w.update(extractor=extractor, built=built)
        return list(extractor.pipe(chunk, keep_going=w["keep_going"]))
    except Exception as exc:  # not swallowed: raised again, in a form that reaches the caller
        if (portable := _portable(exc)) is exc:
            raise
        raise portable from None


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives pickling (the way back to the caller), else an ExtractionError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception as why:  # noqa: BLE001  (a local class, an error that needs arguments to unpickle)
        return ExtractionError(f"{type(exc).__name__}: {exc} (cannot be sent from a worker: {why})")
    return exc


def _check_rules() -> None:
    """Read the rule files and lexicon once in the caller, so a broken one is reported before any worker starts."""
    from evidence_tables.extractor.lexicon import load_lexicon  # noqa: PLC0415
    from evidence_tables.extractor.rules import load_patterns  # noqa: PLC0415

    load_patterns()
    load_lexicon()


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_many(
    items: Iterable[Item],
    *,
    jobs: int = 1,
    chunk_size: int = 64,
    gate: bool = True,
    refresh: int = 100_000,
    extractor: Extractor | None = None,
    keep_going: bool = False,
    eager: bool = False,
) -> Generator[Result, None, None]:
    """(key, outcomes) for every (text, key), in order, using `jobs` processes (see `Extractor.pipe`).

    Each process rebuilds its pipeline once the vocabulary has gained `refresh` strings. The workers
    start when the first item has been read, so none starts when there is nothing to extract; with
    `eager` they start before it (an import: while it parses its first transaction). They start in
    a thread of their own: the first waits for the forkserver to build the pipeline (about a second,
    once per command) while the caller reads on."""
    if jobs <= 1:
        local, built = (
            (extractor, 0) if extractor is not None else _fresh(None, 0, gate, refresh, _new)
        )
        for chunk in _chunks(items, chunk_size):
            if extractor is None:  # a caller's own extractor is used as it is
                local, built = _fresh(local, built, gate, refresh, _new)
            yield from local.pipe(chunk, batch_size=chunk_size, keep_going=keep_going)
        return
    _check_rules()
    chunks = _chunks(items, chunk_size)
    if not eager:
        first = next(chunks, None)
        if first is None:
            return  # nothing to extract: start no workers
        chunks = chain([first], chunks)
    with _pool(jobs, (gate, refresh, keep_going, _new)) as pool:
        for found in _ordered(pool, chunks, AHEAD):
            yield from found


def _context() -> BaseContext:
    """The forkserver, preloading the pipeline, where the system has one; else spawn (Windows, macOS
    without it): each spawned worker then builds its own."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # Read when the forkserver starts, once per process. "__main__": the forkserver imports the caller's
    # main module (the `evidence` script) once, instead of each worker as it starts.
    ctx.set_forkserver_preload(["__main__", PRELOAD])
    return ctx


@contextmanager
def _pool(jobs: int, initargs: tuple[Any, ...]) -> Iterator[ProcessPoolExecutor]:
    """`jobs` workers, started at once in a thread; they finish and leave when the block ends, and are
    killed when it is left by an error, Ctrl-C or SIGTERM (signals.Terminated) or a consumer that stops
    early (GeneratorExit)."""
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init, initargs=initargs)
    starting = threading.Thread(target=_start, args=(pool, jobs), name="start-workers", daemon=True)
    try:
        starting.start()
        yield pool
    except BaseException:
        starting.join()  # at most until the forkserver has forked the worker it is starting
        _kill(pool)
        raise
    starting.join()
    pool.shutdown(wait=True)


def _start(pool: ProcessPoolExecutor, jobs: int) -> None:
    """Start every worker and let it take its pipeline, with empty chunks: the executor starts a worker as
    a chunk is submitted, and the first start waits for the forkserver to build the pipeline."""
    try:
        for _ in range(jobs):
            pool.submit(_run, [])
    except (
        RuntimeError,
        OSError,
    ):  # the pool broke or was shut down: the caller's own chunks say why
        return


def _kill(pool: ProcessPoolExecutor) -> None:
    """Cancel the chunks not started and kill the workers: the results of those running would not be read.
    (`_processes` is the executor's own; Python 3.14 adds `kill_workers()` for this.)"""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.kill()
    for process in workers:
        process.join()


def _ordered(
    pool: ProcessPoolExecutor, chunks: Iterable[list[Item]], ahead: int
) -> Iterator[list[Result]]:
    """The results of every chunk, in input order, with at most `ahead` chunks out at once (memory stays flat
    however many abstracts there are); a chunk's error is raised where its results would have come."""
    window: deque[Future[list[Result]]] = deque()
    for chunk in chunks:
        window.append(pool.submit(_run, chunk))
        if len(window) >= ahead:
            yield _result(window.popleft())
    while window:
        yield _result(window.popleft())


def _result(future: Future[list[Result]]) -> list[Result]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerLost("a worker process ended unexpectedly (killed, or out of memory?)") from exc
