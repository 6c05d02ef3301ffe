"""`evidence serve` as a reviewer starts it: a real process listening on 127.0.0.1, stopped after the test."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

EVIDENCE = str(Path(sys.executable).parent / "evidence")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """`serve(db, *options)` starts `evidence serve db --port P *options` and returns its base URL."""
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(db: str | Path, *options: str) -> str:
        port = free_port()
        log = tmp_path / f"serve-{port}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [EVIDENCE, "serve", str(db), "--port", str(port), *options],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        started.append((proc, log))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        with httpx.Client(trust_env=False) as client:
            while True:
                try:
                    client.get(base + "/-/versions.json").raise_for_status()
                    return base
                except httpx.HTTPError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            f"evidence serve did not start: {log.read_text()}"
                        ) from None
                    time.sleep(0.2)

    yield start
    for proc, log in started:
        proc.terminate()
        code = proc.wait(timeout=20)
        assert code in (0, -signal.SIGTERM) and "Traceback" not in log.read_text(), (
            log.read_text()
        )  # a clean stop
