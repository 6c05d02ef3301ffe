"""Extractors that misbehave, for the tests of `extract_many(..., jobs=2)`.

The extraction workers are forked from a forkserver, not from the test process: a monkeypatch made in
the test does not reach them. What does is `extractor.parallel._new`, sent to each worker by reference:
a test replaces it with one of these factories (module-level, importable by name: the `pool_faults`
fixture puts this folder on sys.path, which the workers are given too), and the factory does its
mischief inside the worker.
"""

from __future__ import annotations

import os
import signal

from evidence_tables.extractor import measure_rules
from evidence_tables.extractor.errors import PatternError
from evidence_tables.extractor.extract import Extractor
from evidence_tables.extractor.measures import survival

CURSED = "CURSED"  # a text holding this word trips the faulty rules below


def broken_pipeline(gate: bool) -> Extractor:
    """A worker that cannot build its pipeline (as with a bad rule file)."""
    raise PatternError("bad rule", file="patterns/x.jsonl", line=3)


class Mortal(Extractor):
    """Dies (SIGKILL, as the out-of-memory killer would) on a chunk holding the text 'die'."""

    def pipe(self, items, **kwargs):  # type: ignore[no-untyped-def]
        items = list(items)
        if any(text == "die" for text, _ in items):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().pipe(items, **kwargs)


def mortal(gate: bool) -> Extractor:
    return Mortal(gate=gate)


def _faulty_median_os(error: type[Exception]):  # type: ignore[no-untyped-def]
    real = survival.median_os

    def median_os(d, arms):  # type: ignore[no-untyped-def]
        if CURSED in d.text:
            raise error("a rule tripped")
        return real(d, arms)

    median_os.faulty = True  # type: ignore[attr-defined]
    return median_os


def _with_faulty_rule(gate: bool, error: type[Exception]) -> Extractor:
    if not getattr(survival.median_os, "faulty", False):  # this worker's own module: patched once
        survival.median_os = _faulty_median_os(error)
        measure_rules._imported.cache_clear()  # the registry's rule is looked up again, the faulty one
    return Extractor(gate=gate)


def typo_in_a_rule(gate: bool) -> Extractor:
    """The median OS rule raises TypeError on a cursed text: a programming error, as a typo would make."""
    return _with_faulty_rule(gate, TypeError)


def text_trips_a_rule(gate: bool) -> Extractor:
    """The median OS rule raises ValueError on a cursed text: what a number it cannot read raises."""
    return _with_faulty_rule(gate, ValueError)
