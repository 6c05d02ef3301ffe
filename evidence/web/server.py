"""Datasette on one evidence database, with the project's metadata and the review pages: what `evidence serve` runs."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette

from evidence_tables.db.metadata import datasette_metadata
from evidence_tables.web import PLUGIN, QUEUE_PATH, register

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build(db_path: str | Path, *, host: str, reviewer: str | None = None) -> Datasette:
    """A Datasette instance serving the database with its metadata (canned queries) and the review pages.

    On a loopback address the pages answer only to loopback host names, so that a web page
    elsewhere cannot reach them through a host name of its own pointed at this machine."""
    register()
    metadata = datasette_metadata(db_path)
    config: dict[str, Any] = {"database": Path(db_path).stem, "reviewer": reviewer}
    if is_loopback(host):
        config["hosts"] = sorted({*LOOPBACK_NAMES, host})
    metadata["plugins"] = {PLUGIN: config}
    return Datasette([str(db_path)], metadata=metadata)


def review_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{QUEUE_PATH}"


def run(datasette: Datasette, *, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    uvicorn.run(
        datasette.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1
    )
