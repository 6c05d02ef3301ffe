"""The jobs the commands run: each composes corpus, extractor and db; none prints."""
from __future__ import annotations

import platform
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from corpus import CorpusError, read_path
from corpus.files import Format, expand_paths
from db import EvidenceDB, ImportReport
from extractor import extractor_version
from extractor.parallel import extract_many

if TYPE_CHECKING:
    from extractor.extract import Extractor

Progress = Callable[[int], None]


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("evidence", "spacy", "sqlite-utils", "httpx", "pandas"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def import_files(store: EvidenceDB, paths: Iterable[str | Path], *, fmt: Format | None = None,
                 on_file: Callable[[Path], None] | None = None, progress: Progress | None = None) -> ImportReport:
    """Import every file; a file that breaks part-way keeps what was read and is reported as failed."""
    files = expand_paths(list(paths))
    report = ImportReport()
    run_id = store.start_run("import", versions=versions(), inputs=[str(f) for f in files])
    status = "failed"
    try:
        for f in files:
            if on_file:
                on_file(f)
            try:
                store.import_items(_counted(read_path(f, fmt), progress), report)
            except CorpusError as exc:
                report.failed_files.append(str(exc))
        status = "ok" if report.ok else "partial"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(run_id, status=status, counts=report.counts())
    return report


def _counted(items: Iterable, progress: Progress | None) -> Iterator:
    for item in items:
        yield item
        if progress:
            progress(1)


@dataclass(slots=True)
class ExtractReport:
    studies: int = 0
    outcomes: int = 0
    by_measure: dict[str, int] = field(default_factory=dict)
    run_id: str | None = None


def extract_pending(store: EvidenceDB, extractor: Extractor | None = None, *, everything: bool = False,
                    batch_size: int = 500, jobs: int = 1, gate: bool = True, progress: Progress | None = None,
                    on_total: Callable[[int], None] | None = None) -> ExtractReport:
    """Extract outcomes for every study the current extractor version has not processed.

    Abstracts are read in pages, extracted in `jobs` processes, and written in
    transactions of `batch_size` studies; an interruption keeps every finished
    transaction, and the next run continues with the rest.
    """
    version = extractor.version if extractor is not None else extractor_version()
    report = ExtractReport()
    if on_total:
        on_total(store.count_pending(version, everything=everything))
    run_id = store.start_run("extract", versions={**versions(), "extractor": version})
    report.run_id = run_id
    status = "failed"
    try:
        pending = ((text, (sid, sha)) for sid, text, sha in store.pending(version, everything=everything))
        results = extract_many(pending, jobs=jobs, gate=gate, extractor=extractor)
        while True:
            chunk = [(sid, sha, outs) for (sid, sha), outs in islice(results, batch_size)]
            if not chunk:
                break
            report.outcomes += store.save_outcomes(chunk, version=version, run_id=run_id)
            report.studies += len(chunk)
            for _, _, outs in chunk:
                for o in outs:
                    report.by_measure[o.measure] = report.by_measure.get(o.measure, 0) + 1
            if progress:
                progress(len(chunk))
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        store.finish_run(run_id, status=status,
                         counts={"studies": report.studies, "outcomes": report.outcomes, **report.by_measure})
    return report
