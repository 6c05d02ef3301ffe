"""The run log: one `runs` row per import, extract or fetch, with what it read and how it ended.

A run records the process that made it (`host`, `pid`). A process killed outright
(`kill -9`, power loss) never writes its end, so the next run on the same machine
closes such rows as `abandoned` instead of leaving them `running` for ever. A row
whose process is alive, or which was started on another machine, is left alone.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

ABANDONED = "abandoned"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def close_abandoned(db: sqlite_utils.Database) -> list[str]:
    """Mark this machine's `running` rows whose process has gone as abandoned; return their run ids."""
    host = socket.gethostname()
    gone = [
        run_id
        for run_id, pid in db.execute(
            "SELECT run_id, pid FROM runs WHERE status = 'running' AND host = ? AND pid IS NOT NULL",
            [host],
        ).fetchall()
        if pid != os.getpid() and not _alive(pid)
    ]
    for run_id in gone:
        db.table("runs").update(
            run_id, {"status": ABANDONED}
        )  # finished_at stays empty: the end is unknown
    return gone


def start(
    db: sqlite_utils.Database,
    command: str,
    *,
    tool_version: str,
    versions: dict[str, str] | None = None,
    inputs: list[str] | None = None,
    query: str | None = None,
) -> str:
    """Insert a `running` row for this process (closing abandoned ones first); return its run id."""
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    with db.atomic():
        close_abandoned(db)
        db.table("runs").insert(
            {
                "run_id": run_id,
                "command": command,
                "started_at": now(),
                "status": "running",
                "tool_version": tool_version,
                "versions": json.dumps(versions or {}),
                "inputs": json.dumps(inputs or []),
                "query": query,
                "host": socket.gethostname(),
                "pid": os.getpid(),
            }
        )
    return run_id


def finish(
    db: sqlite_utils.Database,
    run_id: str,
    *,
    status: str,
    counts: dict[str, Any],
    query_translation: str | None = None,
) -> None:
    """Record how a run ended (ok, failed, interrupted) and what it counted."""
    db.table("runs").update(
        run_id,
        {
            "finished_at": now(),
            "status": status,
            "counts": json.dumps(counts),
            "query_translation": query_translation,
        },
    )
