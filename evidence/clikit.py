"""What every command shares: error handling, the DB argument and opening the store.

Kept apart from `cli.py` so that command modules (`read_cli`, `review_cli`) can
import it without importing the click group that registers them.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click
from tqdm import tqdm

from evidence_tables.corpus import CorpusError
from evidence_tables.db import EvidenceDB, StoreError
from evidence_tables.db.filters import MEASURES, POOLED_MEASURES, Filters
from evidence_tables.db.formats import TEXT_FORMATS
from evidence_tables.extractor import ExtractionError
from evidence_tables.extractor.limits import FLAG_TEXT_TRUNCATED, MAX_RULES_CHARS
from evidence_tables.signals import exit_status

if TYPE_CHECKING:
    from evidence_tables.jobs import ExtractReport

F = TypeVar("F", bound=Callable[..., Any])
MAX_LISTED = 20  # problems listed one by one before "... and N more"


def _quiet_stdout() -> None:
    """Standard output was closed by its reader (`evidence table | head`): send what is left nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class MeasureChoice(click.Choice[str]):
    """A choice among measures (a live list of names, evidence_tables.registry), read each time it is
    checked or shown: a measure registered after the command was built is a choice too."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = names
        super().__init__(names)

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names)

    @choices.setter
    def choices(
        self, value: Sequence[str]
    ) -> None:  # click's __init__ sets it: the live list stays
        pass


def example_measure() -> str:
    """The measure the commands' examples name: the first pooled one, by name (the CR rate)."""
    return POOLED_MEASURES[0]


def with_example(func: F) -> F:
    """A command whose help says `{measure}` names `example_measure()` there (put it nearest the def)."""
    func.__doc__ = (func.__doc__ or "").replace("{measure}", example_measure())
    return func


def handle_errors(func: F) -> F:
    """Turn library errors into a message on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (
            BrokenPipeError
        ):  # the reader of our output has what it wanted: not an error (exit 0, as cat)
            _quiet_stdout()
            sys.exit(0)
        except (CorpusError, StoreError, ExtractionError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # an output file that cannot be written, a full disk
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (signals.Terminated)
            click.echo(
                exc.args[0]
                if exc.args
                else "Interrupted: finished work is saved; run the command again to "
                "go on (extract continues with what is left; extract --all starts over).",
                err=True,
            )
            sys.exit(exit_status(exc))

    return wrapper  # type: ignore[return-value]


def open_store(path: str) -> EvidenceDB:
    return EvidenceDB(path)


def state_notes(store: EvidenceDB, db_path: str, *, orphans: bool = True) -> None:
    """Say (on stderr) what a table read from this store leaves out: studies not yet extracted, orphaned decisions."""
    waiting = store.count_unextracted()
    if waiting:
        click.echo(
            f"note: {waiting} {'study is' if waiting == 1 else 'studies are'} not extracted yet and not "
            f"shown: run evidence extract {db_path}",
            err=True,
        )
    lost = store.count("orphaned_reviews") if orphans else 0
    if lost:
        click.echo(
            f"note: {lost} review decision{'' if lost == 1 else 's'} no longer "
            f"appl{'ies' if lost == 1 else 'y'} to any value: see evidence review {db_path}",
            err=True,
        )


_INPUT_SUFFIXES = (
    ".jsonl",
    ".ndjson",
    ".json",
    ".xml",
    ".gz",
    ".txt",
    ".text",
    ".nbib",
    ".medline",
    ".ris",
    ".csv",
    ".xlsx",
    ".pdf",
)


def _not_an_input(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """DB comes first: 'evidence import studies.jsonl review.db' would make the JSONL file a database."""
    if value.lower().endswith(_INPUT_SUFFIXES):
        raise click.BadParameter(
            f"{value!r} looks like an input or export file; DB is the evidence database "
            "(for example review.db), given first",
            ctx=ctx,
            param=param,
        )
    return value


db_argument = click.argument(
    "db_path", metavar="DB", type=click.Path(dir_okay=False), callback=_not_an_input
)
existing_db_argument = click.argument(
    "db_path", metavar="DB", type=click.Path(dir_okay=False, exists=True)
)


def jobs_option(help: str) -> Callable[[F], F]:
    """`--jobs/-j N`: processes to extract with (import --extract, extract)."""
    return click.option(
        "--jobs",
        "-j",
        "n_jobs",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help=help,
    )


quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar or summary (for scripts)."
)


def filter_options(*, measure: bool = True) -> Callable[[F], F]:
    """The filters every read command takes, handed to the command as one `filters=Filters(...)`."""
    options = [
        click.option(
            "--regimen", metavar="TEXT", help="Only values whose regimen or group contains TEXT."
        ),
        click.option(
            "--min-cohort",
            type=click.IntRange(min=0),
            metavar="N",
            help="Only studies with a cohort of at least N patients.",
        ),
        click.option(
            "--flagged", is_flag=True, help="Only values the extractor flagged for a look."
        ),
        click.option(
            "--search",
            metavar="QUERY",
            help="Only studies whose title or abstract match (words, or SQLite FTS5 syntax).",
        ),
    ]
    if measure:
        options.insert(
            0,
            click.option(
                "--measure",
                "measures",
                multiple=True,
                type=MeasureChoice(MEASURES),
                help="Only this measure (repeat for several).",
            ),
        )

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(
            *args: Any,
            regimen: str | None,
            min_cohort: int | None,
            flagged: bool,
            search: str | None,
            measures: tuple[str, ...] = (),
            **kwargs: Any,
        ) -> Any:
            filters = Filters(
                measures=tuple(measures),
                regimen=regimen or None,
                min_cohort=min_cohort,
                flagged=flagged,
                search=search or None,
            )
            return func(*args, filters=filters, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


FALLBACK_WIDTH = 120  # when the output is not a terminal (a pipe, a file)


def terminal_width() -> int:
    """Columns of the terminal ($COLUMNS first); FALLBACK_WIDTH when the output is a pipe or a file."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


@contextmanager
def progress_bar(quiet: bool, *, unit: str, desc: str, total: int | None = None) -> Iterator[tqdm]:
    """A progress bar on stderr (hidden with --quiet or when stderr is not a terminal)."""
    bar = tqdm(
        total=total,
        unit=f" {unit}",
        desc=desc,
        file=sys.stderr,
        disable=True if quiet else None,
        dynamic_ncols=True,
        leave=False,
    )
    try:
        yield bar
    finally:
        bar.close()


def say_extracted(db_path: str, report: ExtractReport) -> None:
    parts = ", ".join(f"{v} {k}" for k, v in sorted(report.by_measure.items())) or "no values"
    studies = f"{report.studies} {'study' if report.studies == 1 else 'studies'}"
    click.echo(f"{db_path}: {studies} extracted, {report.outcomes} values ({parts})", err=True)
    if report.truncated:
        many = report.truncated != 1
        click.echo(
            f"note: {report.truncated} abstract{'s' if many else ''} longer than {MAX_RULES_CHARS:,} characters: "
            f"values from {'their' if many else 'its'} first {MAX_RULES_CHARS:,} only, flagged "
            f"{FLAG_TEXT_TRUNCATED}",
            err=True,
        )


def say_failed(report: ExtractReport) -> None:
    """The studies the rules failed on (left unextracted; the next run tries them again)."""
    for i, (study_id, why) in enumerate(report.failed):
        if i == MAX_LISTED:
            click.echo(f"  ... and {len(report.failed) - MAX_LISTED} more not extracted", err=True)
            break
        click.echo(f"  not extracted {study_id}: {why}", err=True)


_FORMAT_HELP = {
    "csv": "Output CSV.",
    "tsv": "Output tab-separated values.",
    "json": "Output a JSON array of objects.",
    "nl": "Output newline-delimited JSON (one object a line).",
    "markdown": "Output a Markdown table.",
    "xlsx": "Write an Excel workbook (needs -o FILE, or -o - for standard output).",
}


def output_options(*, xlsx: bool = False) -> Callable[[F], F]:
    """The output options `table`, `sql` and `review` share (sqlite-utils' names): --csv --tsv --json --nl
    --markdown (and --xlsx where a file is written) and --no-headers, handed over as `fmt` and `headers`."""
    formats = (*TEXT_FORMATS, "xlsx") if xlsx else TEXT_FORMATS
    options = [
        click.option(f"--{fmt}", "fmts", flag_value=fmt, multiple=True, help=_FORMAT_HELP[fmt])
        for fmt in formats
    ]
    options.append(
        click.option(
            "--no-headers",
            is_flag=True,
            help="Leave out the header line (CSV, TSV, Markdown and the plain table).",
        )
    )

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, fmts: tuple[str, ...], no_headers: bool, **kwargs: Any) -> Any:
            if len(set(fmts)) > 1:
                raise click.UsageError(f"choose one of {', '.join('--' + f for f in formats)}")
            return func(*args, fmt=fmts[0] if fmts else None, headers=not no_headers, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate
