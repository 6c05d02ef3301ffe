"""Soak: two writers and a reader on one database for about a minute; nothing lost, nothing refused.

Writer 1 imports file after file (new records, and revised texts of earlier ones); writer 2 runs
`extract --jobs 2` again and again; a reader checks, all the while, that what it sees is whole (no
value from an outdated text, no span outside its abstract, SQLite's quick_check) and holds read
transactions open for seconds at a time, during which the writers must go on committing (WAL). At the
end every command has succeeded, every run is recorded `ok`, and after one last `extract` the
database equals one built by a single process doing the same imports in the same order.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from .conftest import demo_records, evidence, outcomes, statuses, studies

SECONDS = 60  # how long the writers start new commands
PER_FILE = 300
REVISED = 40  # records of an earlier file revised in each file

CHECKS = {  # query -> the one value it must return, whenever it runs
    "SELECT COUNT(*) FROM outcomes o JOIN studies s USING (study_id) JOIN extractions e USING (study_id) "
    "WHERE e.text_sha256 != s.text_sha256": "0",  # values of a text that has since changed
    'SELECT COUNT(*) FROM outcomes o JOIN studies s USING (study_id) WHERE o."end" > length(s.abstract)': "0",
    "SELECT COUNT(*) FROM outcomes o WHERE NOT EXISTS "
    "(SELECT 1 FROM extractions e WHERE e.study_id = o.study_id)": "0",
    "PRAGMA quick_check": "ok",
}


def write_file(path: Path, k: int) -> Path:
    """File k: PER_FILE new records, and a revision (text changed) of REVISED records of file k - 2."""
    records = demo_records()
    pairs = [(i, 0) for i in range(k * PER_FILE, (k + 1) * PER_FILE)]
    if k >= 2:
        pairs += [((k - 2) * PER_FILE + j, k) for j in range(REVISED)]
    with path.open("w", encoding="utf-8") as f:
        for i, version in pairs:
            r = records[i % len(records)]
            text = r["abstract"] + (
                f" Revision {version} of record {i}." if version else f" Record {i}."
            )
            f.write(json.dumps({**r, "id": f"s{i}", "abstract": text}) + "\n")
    return path


class Soak:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / "soak.db"
        self.until = time.monotonic() + SECONDS
        self.imported: list[Path] = []
        self.failures: list[str] = []
        self.extracts = 0
        self.checks = 0
        self.holds: list[
            tuple[int, int]
        ] = []  # runs recorded before and after a held read transaction

    def run(self, *args: str) -> None:
        result = evidence(*args, "-q", timeout=180)
        if result.returncode != 0:
            self.failures.append(
                f"{args[0]} exited {result.returncode}: {result.stderr.strip()[-500:]}"
            )

    def importer(self) -> None:
        k = 0
        while time.monotonic() < self.until and not self.failures:
            path = write_file(self.folder / f"part{k:03d}.jsonl", k)
            self.run("import", str(self.db), str(path))
            self.imported.append(path)
            k += 1

    def extractor(self) -> None:
        while time.monotonic() < self.until and not self.failures:
            self.run("extract", str(self.db), "--jobs", "2")
            self.extracts += 1

    def reader(self) -> None:
        while time.monotonic() < self.until and not self.failures:
            for sql, expected in CHECKS.items():
                result = evidence("sql", str(self.db), sql, "--csv", "--no-headers", timeout=60)
                if result.returncode != 0 or result.stdout.strip() != expected:
                    self.failures.append(
                        f"{sql}: {result.returncode} {result.stdout.strip()} {result.stderr.strip()}"
                    )
                self.checks += 1
            self.hold()

    def hold(self, seconds: float = 3.0) -> None:
        """A read transaction left open for seconds: the writers must not wait for it."""
        runs = "SELECT COUNT(*) FROM runs WHERE status != 'running'"
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as reader:
            reader.execute("BEGIN")
            before = reader.execute(runs).fetchone()[0]
            time.sleep(seconds)
            reader.execute("COMMIT")
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as fresh:
            self.holds.append((before, fresh.execute(runs).fetchone()[0]))


def test_two_writers_and_a_reader_for_a_minute_lose_nothing(tmp_path):
    soak = Soak(tmp_path)
    write_file(tmp_path / "seed.jsonl", 1000)  # the database exists before the reader starts
    assert evidence("import", str(soak.db), str(tmp_path / "seed.jsonl"), "-q").returncode == 0
    workers = [
        threading.Thread(target=getattr(soak, name), name=name)
        for name in ("importer", "extractor", "reader")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=SECONDS + 300)
    assert not any(worker.is_alive() for worker in workers), "the soak did not end"
    assert not soak.failures, soak.failures
    assert len(soak.imported) >= 5 and soak.extracts >= 3 and soak.checks >= 20, vars(soak)
    assert sum(after > before for before, after in soak.holds) >= len(soak.holds) // 2, (
        soak.holds
    )  # WAL: not blocked

    assert evidence("extract", str(soak.db), "-q").returncode == 0
    assert {status for _, status in statuses(soak.db)} == {"ok"}
    alone = tmp_path / "alone.db"
    assert (
        evidence(
            "import", str(alone), str(tmp_path / "seed.jsonl"), *map(str, soak.imported), "-q"
        ).returncode
        == 0
    )
    assert evidence("extract", str(alone), "--jobs", "2", "-q").returncode == 0
    assert studies(soak.db) == studies(alone)
    assert outcomes(soak.db) == outcomes(alone)
    ids = {
        json.loads(line)["id"]
        for path in [tmp_path / "seed.jsonl", *soak.imported]
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    assert [s[0] for s in studies(soak.db)] == sorted(ids)  # every record imported is there
