"""Progress bars and the terminal's width: what the commands that do not print tables need (no pandas)."""
from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm

FALLBACK_WIDTH = 120  # when the output is not a terminal (a pipe, a file)


def terminal_width() -> int:
    """Columns of the terminal ($COLUMNS first); FALLBACK_WIDTH when the output is a pipe or a file."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


@contextmanager
def progress_bar(quiet: bool, *, unit: str, desc: str, total: int | None = None) -> Iterator[tqdm]:
    """A progress bar on stderr (hidden with --quiet or when stderr is not a terminal)."""
    bar = tqdm(total=total, unit=f" {unit}", desc=desc, file=sys.stderr, disable=True if quiet else None,
               dynamic_ncols=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()
