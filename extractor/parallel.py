"""Extraction in several processes, with results identical to one process and in input order.

Where the system can fork, the first worker builds the `Extractor` and forks the others
from itself (extractor.crew); elsewhere each spawned worker builds its own. A worker
rebuilds its pipeline once the vocabulary has grown by `refresh` strings: spaCy's
vocabulary keeps every new word it has seen, about half a kilobyte each with the
tokenizer's cache (measured), and would otherwise grow with the corpus. The bound is on
what grows, so memory stays flat whatever the text, and a corpus that reuses its words
rebuilds rarely (the 5,390 real abstracts add about 45,000 strings).
"""
from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from evidence_tables.extractor.crew import Crew
from evidence_tables.extractor.records import Failure, Outcome

if TYPE_CHECKING:
    from evidence_tables.extractor.extract import Extractor

Item = tuple[str, Any]  # (text, key)
_worker: dict[str, Any] = {}


def _new(gate: bool) -> Extractor:
    from evidence_tables.extractor.extract import Extractor  # noqa: PLC0415  (spaCy is loaded where it is used)

    return Extractor(gate=gate)


def _strings(extractor: Extractor) -> int:
    return len(extractor.nlp.vocab.strings)


def _fresh(extractor: Extractor | None, built: int, gate: bool, refresh: int) -> tuple[Extractor, int]:
    """The extractor to use next and its vocabulary's size when built: a new one when there is none
    yet or its vocabulary has grown by more than `refresh` strings since."""
    if extractor is None or _strings(extractor) - built > refresh:
        extractor = _new(gate)
        built = _strings(extractor)
    return extractor, built


def _init(gate: bool, refresh: int, keep_going: bool) -> None:
    # The parent handles Ctrl-C (it stops the pool); workers must not print tracebacks for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a worker told to end just ends (no traceback)
    _worker.update(extractor=None, gate=gate, refresh=refresh, keep_going=keep_going, built=0)


def _run(chunk: list[Item]) -> list[tuple[Any, list[Outcome] | Failure]]:
    # The pipeline is built by the first task, not by the initializer: an error building it (a bad
    # rule file) then reaches the caller through the task's result instead of respawning workers.
    extractor, built = _fresh(_worker["extractor"], _worker["built"], _worker["gate"], _worker["refresh"])
    _worker.update(extractor=extractor, built=built)
    return list(extractor.pipe(chunk, keep_going=_worker["keep_going"]))


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


def extract_many(items: Iterable[Item], *, jobs: int = 1, chunk_size: int = 64, gate: bool = True,
                 refresh: int = 100_000, extractor: Extractor | None = None,
                 keep_going: bool = False, eager: bool = False) -> Iterator[tuple[Any, list[Outcome] | Failure]]:
    """(key, outcomes) for every (text, key), in order, using `jobs` processes (see `Extractor.pipe`).

    Each process rebuilds its pipeline once the vocabulary has gained `refresh` strings. The workers
    start when the first item has been read, so none starts when there is nothing to extract; with
    `eager` they start first: a caller that grows while it makes the items (an import storing its first
    transaction) forks them while it is small, and they copy none of that memory."""
    if jobs <= 1:
        local, built = (extractor, 0) if extractor is not None else _fresh(None, 0, gate, refresh)
        for chunk in _chunks(items, chunk_size):
            if extractor is None:  # a caller's own extractor is used as it is
                local, built = _fresh(local, built, gate, refresh)
            yield from local.pipe(chunk, batch_size=chunk_size, keep_going=keep_going)
        return
    _check_rules()
    chunks = _chunks(items, chunk_size)
    if not eager:
        first = next(chunks, None)
        if first is None:
            return  # nothing to extract: start no workers
        chunks = chain([first], chunks)
    if "fork" not in multiprocessing.get_all_start_methods():
        yield from _pooled(chunks, jobs, gate, refresh, keep_going)
        return

    def start() -> Callable[[list[Item]], list[tuple[Any, list[Outcome] | Failure]]]:
        _init(gate, refresh, keep_going)
        _run([])  # build the pipeline before the leader forks the others
        return _run

    with Crew(start, jobs) as crew:
        # Chunks read ahead: while the first worker starts (about 0.6 s) the caller reads on, and memory
        # stays flat (96 chunks of 64 abstracts is about 10 MB of text).
        for found in crew.ordered(chunks, ahead=96):
            yield from found


def _pooled(chunks: Iterator[list[Item]], jobs: int, gate: bool, refresh: int,
            keep_going: bool) -> Iterator[tuple[Any, list[Outcome] | Failure]]:
    """Where processes cannot fork: a Pool of spawned workers, each building its own pipeline."""
    window: deque[Any] = deque()
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_init, initargs=(gate, refresh, keep_going)) as pool:
        # A bounded window of chunks in flight: memory stays flat however many abstracts there are
        # (Pool.imap would read the whole input ahead), and results come back in input order.
        for chunk in chunks:
            window.append(pool.apply_async(_run, (chunk,)))
            if len(window) >= 4 * jobs:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()
