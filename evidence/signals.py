"""Signals: SIGTERM is handled as Ctrl-C is, and a running SQLite statement can be told to stop.

Python turns Ctrl-C (SIGINT) into KeyboardInterrupt, and every command already keeps its finished
work and records its run as `interrupted` when one arrives. SIGTERM (what `kill`, `timeout`,
systemd and job schedulers send) ends a Python process on the spot by default: its run stays
`running` and its extraction workers die in the middle of their work. `install()` makes SIGTERM
raise `Terminated`, a KeyboardInterrupt, so the same code handles both (exit status 143, 128 + 15,
instead of 130).

While SQLite runs a statement Python runs no signal handler, and an exception raised inside
SQLite's progress callback is swallowed by sqlite3. `diverted(stop)` makes both signals call
`stop` instead of raising, so that the statement can be told to end at its next progress check.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

INTERRUPTED, TERMINATED = "interrupted", "terminated"
_SIGNALS: dict[int, str] = {
    signal.SIGINT: INTERRUPTED,
    signal.SIGTERM: TERMINATED,
}  # a handler is given an int


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Python raises KeyboardInterrupt for Ctrl-C."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated  # no message: the command says what it kept, as for Ctrl-C


def install() -> None:
    """SIGTERM raises Terminated from now on (in the main thread, where handlers can be set)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def exit_status(exc: KeyboardInterrupt) -> int:
    return 143 if isinstance(exc, Terminated) else 130


def reraise(why: str, message: str) -> KeyboardInterrupt:
    """The exception a stop for `why` (INTERRUPTED or TERMINATED) is reported as; the CLI prints `message`."""
    return Terminated(message) if why == TERMINATED else KeyboardInterrupt(message)


@contextmanager
def diverted(stop: Callable[[str], None]) -> Iterator[None]:
    """Inside the block Ctrl-C and SIGTERM call `stop(INTERRUPTED or TERMINATED)` instead of raising."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {
        sig: signal.signal(sig, lambda signum, _frame: stop(_SIGNALS[signum])) for sig in _SIGNALS
    }
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
