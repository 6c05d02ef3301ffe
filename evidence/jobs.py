"""The jobs the commands run: each composes corpus, extractor and db; none prints."""

from __future__ import annotations

import platform
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_tables.corpus import CorpusError, read_path
from evidence_tables.corpus.files import Format, expand_paths
from evidence_tables.db import EvidenceDB, ImportReport
from evidence_tables.extractor import Failure, extractor_version
from evidence_tables.extractor.limits import MAX_RULES_CHARS
from evidence_tables.extractor.parallel import Result, extract_many

if TYPE_CHECKING:
    from evidence_tables.extractor.extract import Extractor

Progress = Callable[[int], object]  # told the count done; what it returns is not read
Pending = Iterator[tuple[str, tuple[str, str]]]  # (abstract, (study_id, text_sha256))


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("evidence-tables", "spacy", "sqlite-utils", "httpx", "pandas"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


@dataclass(slots=True)
class ExtractReport:
    studies: int = 0  # extracted and saved
    outcomes: int = 0
    by_measure: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (study_id, why): left unextracted
    truncated: int = (
        0  # abstracts longer than the rules read (their values are flagged text_truncated)
    )
    run_id: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def import_files(
    store: EvidenceDB,
    paths: Iterable[str | Path],
    *,
    fmt: Format | None = None,
    on_file: Callable[[Path], None] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every file; a file that breaks part-way keeps what was read and is reported as failed."""
    files = expand_paths(list(paths))
    report = ImportReport()
    with _import_run(store, files, report):
        for _ in _import_batches(store, files, report, fmt=fmt, on_file=on_file, progress=progress):
            pass
    return report


def extract_pending(
    store: EvidenceDB,
    extractor: Extractor | None = None,
    *,
    everything: bool = False,
    batch_size: int = 500,
    jobs: int = 1,
    gate: bool = True,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ExtractReport:
    """Extract outcomes for every study the current extractor version has not processed.

    Abstracts are read in pages, extracted in `jobs` processes, and written in
    transactions of `batch_size` studies; an interruption keeps every finished
    transaction, and the next run continues with the rest.
    """
    version = extractor.version if extractor is not None else extractor_version()
    if on_total:
        on_total(store.count_pending(version, everything=everything))
    with _extract_run(store, version) as report:
        pending = (
            (text, (sid, sha)) for sid, text, sha in store.pending(version, everything=everything)
        )
        _extract_into(
            store,
            pending,
            report,
            version,
            jobs=jobs,
            gate=gate,
            extractor=extractor,
            batch_size=batch_size,
            progress=progress,
        )
    return report


def import_and_extract(
    store: EvidenceDB,
    paths: Iterable[str | Path],
    *,
    fmt: Format | None = None,
    jobs: int = 1,
    gate: bool = True,
    on_file: Callable[[Path], None] | None = None,
    progress: Progress | None = None,
) -> tuple[ImportReport, ExtractReport]:
    """`import_files` and `extract_pending` overlapped: the workers extract the studies of one import
    transaction while the main process parses and stores the next. Studies pending from before, or
    changed in place by this import, are extracted at the end. Each half is recorded as its own run."""
    files = expand_paths(list(paths))
    version = extractor_version()
    imported = ImportReport()
    cursor = store.last_rowid()  # studies stored by this import get higher rowids

    def stored_since() -> Pending:
        nonlocal cursor
        while rows := store.pending_page(version, after=cursor):
            for rid, sid, text, sha in rows:
                cursor = rid
                yield text, (sid, sha)

    stopped = ["failed"]  # how the import ends if the extraction consuming it stops early

    def fresh() -> Generator[
        tuple[str, tuple[str, str]], None, None
    ]:  # a Pending that closing() can close
        with _import_run(store, files, imported, stopped=stopped):
            for _ in _import_batches(
                store, files, imported, fmt=fmt, on_file=on_file, progress=progress
            ):
                yield from stored_since()

    with _extract_run(store, version) as extracted:
        with closing(fresh()) as items:
            try:
                # The workers start before the import's first transaction (see extract_many's `eager`):
                # they are ready when its studies are.
                _extract_into(store, items, extracted, version, jobs=jobs, gate=gate, eager=True)
            except KeyboardInterrupt:
                stopped[0] = "interrupted"
                raise
        rest = ((text, (sid, sha)) for sid, text, sha in store.pending(version))
        _extract_into(store, rest, extracted, version, jobs=jobs, gate=gate)
    return imported, extracted


def _import_batches(
    store: EvidenceDB,
    files: list[Path],
    report: ImportReport,
    *,
    fmt: Format | None,
    on_file: Callable[[Path], None] | None,
    progress: Progress | None,
) -> Iterator[None]:
    """Import file after file, pausing after each transaction."""
    for f in files:
        if on_file:
            on_file(f)
        try:
            yield from store.import_batches(_counted(read_path(f, fmt), progress), report)
        except CorpusError as exc:
            report.failed_files.append(str(exc))
        yield  # the file's last transaction


@contextmanager
def _recorded(
    store: EvidenceDB,
    run_id: str,
    *,
    ok: Callable[[], bool],
    counts: Callable[[], dict[str, int]],
    stopped: list[str] | None = None,
) -> Iterator[None]:
    """Record how a run ends: ok or partial, interrupted (Ctrl-C), failed, or, when the extraction consuming
    an import generator stops it early, as `stopped` says."""
    status = "failed"
    try:
        yield
        status = "ok" if ok() else "partial"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    except GeneratorExit:
        status = stopped[0] if stopped else "failed"
        raise
    finally:
        store.finish_run(run_id, status=status, counts=counts())


@contextmanager
def _import_run(
    store: EvidenceDB, files: list[Path], report: ImportReport, stopped: list[str] | None = None
) -> Iterator[ImportReport]:
    run_id = store.start_run("import", versions=versions(), inputs=[str(f) for f in files])
    with _recorded(store, run_id, ok=lambda: report.ok, counts=report.counts, stopped=stopped):
        yield report


@contextmanager
def _extract_run(store: EvidenceDB, version: str) -> Iterator[ExtractReport]:
    report = ExtractReport()
    report.run_id = store.start_run("extract", versions={**versions(), "extractor": version})
    with _recorded(
        store,
        report.run_id,
        ok=lambda: report.ok,
        counts=lambda: {
            "studies": report.studies,
            "outcomes": report.outcomes,
            "failed": len(report.failed),
            "truncated": report.truncated,
            **report.by_measure,
        },
    ):
        yield report


def _extract_into(
    store: EvidenceDB,
    pending: Iterable[tuple[str, tuple[str, str]]],
    report: ExtractReport,
    version: str,
    *,
    jobs: int,
    gate: bool,
    extractor: Extractor | None = None,
    batch_size: int = 500,
    progress: Progress | None = None,
    eager: bool = False,
) -> None:
    """Extract and save; an abstract the rules fail on is reported and left pending, the others go on.
    (`eager`: see `extract_many`.)"""
    # Closed on the way out, so that an interruption while saving (not only while waiting for the
    # workers) ends them at once: the exception's traceback keeps this frame, and with it an open
    # generator and its pool, alive until the process exits.
    with closing(
        extract_many(
            _noting_long(pending, report),
            jobs=jobs,
            gate=gate,
            extractor=extractor,
            keep_going=True,
            eager=eager,
        )
    ) as results:
        _save_chunks(store, results, report, version, batch_size=batch_size, progress=progress)


def _save_chunks(
    store: EvidenceDB,
    results: Iterator[Result],
    report: ExtractReport,
    version: str,
    *,
    batch_size: int,
    progress: Progress | None,
) -> None:
    while chunk := list(islice(results, batch_size)):
        done = [(sid, sha, found) for (sid, sha), found in chunk if not isinstance(found, Failure)]
        report.failed += [
            (sid, found.reason) for (sid, _), found in chunk if isinstance(found, Failure)
        ]
        saved = store.save_outcomes(done, version=version, run_id=report.run_id or "")
        report.studies += len(saved.study_ids)
        report.outcomes += saved.rows
        for measure, n in saved.by_measure.items():
            report.by_measure[measure] = report.by_measure.get(measure, 0) + n
        if progress:
            progress(len(chunk))


def _noting_long(pending: Iterable[tuple[str, tuple[str, str]]], report: ExtractReport) -> Pending:
    for text, key in pending:
        report.truncated += len(text) > MAX_RULES_CHARS
        yield text, key


def _counted(items: Iterable, progress: Progress | None) -> Iterator:
    for item in items:
        yield item
        if progress:
            progress(1)
