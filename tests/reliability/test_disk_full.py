"""Row 10: an export on a full disk is a one-line error, and the file it would have replaced is left as it was.

A full disk is made two ways: a small full tmpfs mounted in a private mount namespace (`unshare`;
where the system does not allow it, as in some containers, that case falls back to the other), and a
file-size limit (RLIMIT_FSIZE, which every system has): a write past it fails as a write to a full
disk does (EFBIG instead of ENOSPC). Standard output on a full disk is /dev/full.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from .conftest import EVIDENCE, evidence, write_jsonl

LIMIT = 64 * 1024  # bytes: above SQLite's 32 KB shared-memory file, below the exports


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("full")
    path = folder / "r.db"
    assert (
        evidence(
            "import", str(path), str(write_jsonl(folder / "a.jsonl", range(400))), "-q"
        ).returncode
        == 0
    )
    assert evidence("extract", str(path), "-q").returncode == 0
    return path


def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True
    )
    return probe.returncode == 0


def export_on_full_disk(
    how: str, db: Path, folder: Path, target: str
) -> tuple[subprocess.CompletedProcess, list[str], bytes]:
    """`evidence export DB -o folder/target` where folder's filesystem cannot take the file; the command's
    result, then what the folder holds and the target's content."""
    if how == "full-filesystem" and _can_mount():
        keep = Path(str(folder) + ".keep")
        shutil.copytree(folder, keep)
        script = (
            'dir="$1"; keep="$2"; target="$3"; shift 3; '
            'mount -t tmpfs -o size=32k tmpfs "$dir" && cp "$keep/$target" "$dir/" && '
            'dd if=/dev/zero of="$dir/filler" bs=4k count=64 2>/dev/null; '
            '"$@"; status=$?; rm "$dir/filler"; ls -A "$dir" > "$keep/listing"; '
            'cat "$dir/$target" > "$keep/content"; exit $status'
        )
        result = subprocess.run(
            [
                "unshare",
                "-rm",
                "sh",
                "-c",
                script,
                "sh",
                str(folder),
                str(keep),
                target,
                EVIDENCE,
                "export",
                str(db),
                "-o",
                str(folder / target),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result, (keep / "listing").read_text().split(), (keep / "content").read_bytes()

    def limit() -> None:
        signal.signal(
            signal.SIGXFSZ, signal.SIG_IGN
        )  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    result = subprocess.run(
        [EVIDENCE, "export", str(db), "-o", str(folder / target)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    return result, sorted(p.name for p in folder.iterdir()), (folder / target).read_bytes()


@pytest.mark.parametrize("how", ["full-filesystem", "file-size-limit"])
@pytest.mark.parametrize("target", ["evidence.xlsx", "evidence.csv"])
def test_an_export_on_a_full_disk_fails_cleanly_and_keeps_the_old_file(db, tmp_path, how, target):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / target).write_bytes(b"the export of last week\n")
    result, listing, content = export_on_full_disk(how, db, folder, target)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, (
        result.stderr
    )
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {folder / target}: cannot write: ") and (
        "No space left on device" in line or "File too large" in line
    )
    assert content == b"the export of last week\n"
    assert listing == [target]  # no half-written temporary file left behind


@pytest.mark.parametrize(
    "args",
    [
        ("export", "-o", "-", "--format", "xlsx"),
        ("export", "-o", "-", "--format", "csv"),
        ("table", "--csv"),
        ("sql", "select * from outcomes"),
        ("review", "--nl"),
    ],
    ids=["xlsx", "csv", "table", "sql", "review"],
)
def test_standard_output_on_a_full_disk_is_a_clean_error(db, args):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [EVIDENCE, args[0], str(db), *args[1:]],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, (
        result.stderr
    )
    assert "No space left on device" in result.stderr
