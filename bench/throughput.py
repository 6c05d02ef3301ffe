"""Throughput and memory of `evidence import` + `evidence extract` on PubMed-baseline-shaped input.

Builds N abstracts (the real abstracts of ../shared/data/abstracts/real_abstracts.jsonl repeated
with new PMIDs) as gzipped PubMed XML files of 10,000 records, then measures over the same texts:

- import: `evidence import DB *.xml.gz` (a subprocess, as a user runs it);
- extract: `evidence extract DB --jobs J`;
- end to end, two commands: N / (import time + extract time);
- end to end, one command: `evidence import DB2 *.xml.gz --extract --jobs J` (extraction overlaps the
  import), into a fresh database; its outcomes must equal the two-command database's;
- baselines in this process: spaCy's bare blank-English tokenizer, and a plain-regex extractor;
- peak memory of each command's whole process tree, sampled from /proc every 50 ms: the sum of
  RSS (pages a parent shares with its forked workers counted in each) and of PSS (shared pages
  divided among the processes sharing them: what the tree really occupies).

Prints a table of abstracts per second, ratios to the tokenizer, peak RSS, and the time a full
PubMed baseline (about 36 million records) would take at the end-to-end rate.

Usage:  python bench/throughput.py [--n 10000] [--jobs 2] [--out bench/out]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

SHARED = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "abstracts" / "real_abstracts.jsonl"
)
BASELINE_RECORDS = 36_000_000
PER_FILE = 10_000


def texts(n: int) -> Iterator[str]:
    """The first n texts of the real corpus, cycled."""
    source = [
        json.loads(line)["text"]
        for line in SHARED.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return itertools.islice(itertools.cycle(source), n)


def write_corpus(n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    stream = texts(n)
    for part in range(0, n, PER_FILE):
        path = folder / f"bench{part // PER_FILE + 1:04d}.xml.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as f:
            f.write('<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n')
            for i, text in enumerate(itertools.islice(stream, PER_FILE), start=part):
                f.write(
                    f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{40_000_000 + i}'
                    "</PMID><Article><Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue>"
                    f"<Title>Benchmark Journal</Title></Journal><ArticleTitle>Record {i}</ArticleTitle><Abstract>"
                    f"<AbstractText>{escape(text)}</AbstractText></Abstract></Article></MedlineCitation>"
                    "</PubmedArticle>\n"
                )
            f.write("</PubmedArticleSet>\n")
        files.append(path)
    return files


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _field_kb(path: str, field: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd: list[str]) -> tuple[float, float, float, float]:
    """Run a command; return (seconds, peak RSS of its process tree, peak RSS of its main process,
    peak PSS of its process tree), memory in MB.

    RSS is each process's own high-water mark (VmHWM, kept by the kernel, so no peak falls between
    samples), summed over the processes alive together: an upper bound, counting pages a parent
    shares with its forked workers once per process. PSS divides shared pages among the processes
    sharing them; the kernel keeps no peak of it, so it is sampled, every 0.5 s: reading it walks
    page tables, and on two cores the sampler's CPU is taken from the command it measures (every
    50 ms, it took 0.6 s of CPU in a 6 s run)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    hwm: dict[int, int] = {}
    peak_tree = peak_pss = 0

    def sample() -> None:
        nonlocal peak_tree, peak_pss
        tick = 0
        while proc.poll() is None:
            pids = _tree(proc.pid)
            for p in pids:
                hwm[p] = max(hwm.get(p, 0), _field_kb(f"/proc/{p}/status", "VmHWM:"))
            peak_tree = max(peak_tree, sum(hwm[p] for p in pids))
            if tick % 5 == 0:
                peak_pss = max(
                    peak_pss, sum(_field_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
                )
            tick += 1
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    return seconds, peak_tree / 1024, hwm.get(proc.pid, 0) / 1024, peak_pss / 1024


def tokenizer_rate(n: int) -> float:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    corpus = list(texts(n))  # read before the clock starts: the baseline is tokenizing alone
    start = time.perf_counter()
    for _ in tokenizer.pipe(corpus, batch_size=256):
        pass
    return n / (time.perf_counter() - start)


_REGEX_BASELINE = [
    re.compile(
        r"median\s+(?:overall\s+)?survival[^.;]{0,60}?(\d+(?:\.\d+)?)\s*(?:months?|years?|weeks?|days?)",
        re.I,
    ),
    re.compile(r"complete\s+(?:response|remission)[^.;]{0,60}?(\d+(?:\.\d+)?)\s*%", re.I),
    re.compile(r"(?:relapse|recurrence|progression)[^.;]{0,60}?(\d+(?:\.\d+)?)\s*%", re.I),
    re.compile(
        r"(\d[\d,]*)\s+(?:patients|participants)\s+(?:were\s+)?(?:enrolled|included|randomi[sz]ed)",
        re.I,
    ),
]


def regex_rate(n: int) -> float:
    corpus = list(texts(n))
    start = time.perf_counter()
    found = 0
    for text in corpus:
        for pattern in _REGEX_BASELINE:
            found += sum(1 for _ in pattern.finditer(text))
    return n / (time.perf_counter() - start)


def _outcomes(db: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(db) as con:
        return con.execute(
            'SELECT study_id, measure, value, group_label, start, "end", rule FROM outcomes '
            "ORDER BY study_id, start, measure, group_label"
        ).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=10_000, help="abstracts (default 10,000)")
    ap.add_argument("--jobs", type=int, default=2, help="extraction processes (default 2)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out", help="work folder")
    beside = (
        Path(sys.executable).parent / "evidence"
    )  # the venv this script runs in, activated or not
    ap.add_argument(
        "--evidence",
        default=str(beside) if beside.exists() else shutil.which("evidence") or "evidence",
        help="the evidence command (default: the one installed beside this Python)",
    )
    a = ap.parse_args()
    if not SHARED.exists():
        raise SystemExit(f"needs {SHARED} (the shared corpus beside the repo)")
    work = a.out / f"n{a.n}"
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.perf_counter()
    files = write_corpus(a.n, work / "xml")
    print(
        f"corpus: {a.n:,} abstracts in {len(files)} PubMed XML .gz files "
        f"({sum(f.stat().st_size for f in files) / 1e6:.0f} MB) written in {time.perf_counter() - t0:.0f} s"
    )
    db = work / "bench.db"
    t_import, rss_import, _, pss_import = run(
        [a.evidence, "import", str(db), *map(str, files), "--quiet"]
    )
    t_extract, rss_extract, rss_extract_main, pss_extract = run(
        [a.evidence, "extract", str(db), "--jobs", str(a.jobs), "--quiet"]
    )
    db2 = work / "bench-one-command.db"
    t_one, rss_one, rss_one_main, pss_one = run(
        [
            a.evidence,
            "import",
            str(db2),
            *map(str, files),
            "--extract",
            "--jobs",
            str(a.jobs),
            "--quiet",
        ]
    )
    same = _outcomes(db) == _outcomes(db2)
    tok = tokenizer_rate(a.n)
    rgx = regex_rate(a.n)
    e2e = a.n / (t_import + t_extract)
    rows = [
        ("import (XML.gz -> SQLite)", a.n / t_import, f"{rss_import:.0f}", f"{pss_import:.0f}"),
        (
            f"extract (--jobs {a.jobs})",
            a.n / t_extract,
            f"{rss_extract:.0f} (main {rss_extract_main:.0f})",
            f"{pss_extract:.0f}",
        ),
        (
            "end to end: import, extract",
            e2e,
            f"{max(rss_import, rss_extract):.0f}",
            f"{max(pss_import, pss_extract):.0f}",
        ),
        (
            "end to end: import --extract",
            a.n / t_one,
            f"{rss_one:.0f} (main {rss_one_main:.0f})",
            f"{pss_one:.0f}",
        ),
        ("baseline: bare spaCy tokenizer", tok, "", ""),
        ("baseline: plain regex", rgx, "", ""),
    ]
    print(
        f"\n{'stage':30} {'abstracts/s':>11} {'x tokenizer':>11} {'peak RSS MB (sum)':>20} {'peak PSS MB':>11}"
    )
    for name, rate, rss, pss in rows:
        print(f"{name:30} {rate:11,.0f} {rate / tok:11.2f} {rss:>20} {pss:>11}")
    best = max(e2e, a.n / t_one)
    hours = BASELINE_RECORDS / best / 3600
    print(
        f"\nfull PubMed baseline (~{BASELINE_RECORDS / 1e6:.0f}M records) at the best end-to-end rate: "
        f"{hours:.1f} h on this machine"
    )
    print(f"one-command outcomes {'equal' if same else 'DIFFER FROM'} the two-command outcomes")
    print(
        f"wall: import {t_import:.1f} s, extract {t_extract:.1f} s, import --extract {t_one:.1f} s; "
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(
        "memory: RSS (sum) counts pages a parent shares with its forked workers once per process; "
        "PSS divides them (what the job occupies)"
    )


if __name__ == "__main__":
    main()
