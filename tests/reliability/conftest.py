"""Helpers for the reliability tests: the `evidence` command as a user runs it, and corpora built here.

Every probe file is written by the test that uses it, bounded in size; every command runs with a
timeout, so a regression shows as a failure, never as a hung suite.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from evidence_tables.demo import demo_corpus

EVIDENCE = str(Path(sys.executable).parent / "evidence")
MB = 1024 * 1024
OUTCOME_COLUMNS = (
    "study_id, measure, value, unit, group_label, regimen, ci_low, ci_high, numerator, denominator, "
    'not_reached, timepoint, sentence, start, "end", rule, flags, extractor_version'
)


def evidence(
    *args: str, cwd: Path | None = None, timeout: float = 120, **kwargs
) -> subprocess.CompletedProcess:
    """Run the installed command; text output."""
    return subprocess.run(
        [EVIDENCE, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, **kwargs
    )


def _foreground() -> None:
    """Ctrl-C as at a terminal: a suite started in the background (`pytest &` in a script) runs with SIGINT
    ignored, which its children inherit; the command under test is a foreground job."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [EVIDENCE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        preexec_fn=_foreground,
        **kwargs,
    )


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float


# A small process between the test and the command: a process's peak RSS counts the memory of the
# process it was forked from (Linux keeps the larger of the two at exec), and pytest itself grows to
# hundreds of megabytes over the suite. This one forks the command from itself (a few megabytes),
# limits its address space, and reports its peak RSS and exit status.
_WRAPPER = """
import os, resource, sys
report, limit, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def measured(
    *args: str, cwd: Path, memory_mb: int = 1024, timeout: float = 120, discard_output: bool = False
) -> Measured:
    """Run `evidence` with at most `memory_mb` of address space; its exit code, output, peak RSS and time
    (`discard_output`: standard output goes to /dev/null, unread)."""
    report = cwd / ".peak_rss"
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, str(report), str(memory_mb * MB), EVIDENCE, *args],
        stdout=subprocess.DEVNULL if discard_output else subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the command too, not only the process between
        proc.communicate()
        raise
    peak = int(report.read_text()) / 1024
    return Measured(
        proc.returncode,
        (out or b"").decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        peak,
        time.monotonic() - started,
    )


def demo_records() -> list[dict]:
    return [
        json.loads(line)
        for line in demo_corpus().read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def write_jsonl(path: Path, ids: range | list[int], *, version: int = 0) -> Path:
    """Demo abstracts under ids s<i>; `version` > 0 changes each text (a revised record) the same way."""
    records = demo_records()
    with path.open("w", encoding="utf-8") as f:
        for i in ids:
            r = records[i % len(records)]
            text = r["abstract"] + (
                f" Revision {version} of record {i}." if version else f" Record {i}."
            )
            f.write(json.dumps({**r, "id": f"s{i}", "abstract": text}) + "\n")
    return path


def outcomes(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            f"SELECT {OUTCOME_COLUMNS} FROM outcomes ORDER BY study_id, start, measure, id"
        ).fetchall()


def studies(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT study_id, text_sha256, title FROM studies ORDER BY study_id"
        ).fetchall()


def statuses(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT command, status FROM runs ORDER BY rowid").fetchall()
