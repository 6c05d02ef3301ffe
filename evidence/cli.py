"""The `evidence` command: a click group over command modules, each a thin layer on the libraries.

Only this package prints. Exit codes: 0 done; 1 done, but some records or files
failed (each named on stderr); 2 usage error; 130 interrupted (what was done is kept).

The commands are declared once, as data (`COMMANDS`): name, where the command lives, and the line
`--help` shows for it, in the order a reviewer works. A command's module is imported only when that
command runs (or its own `--help` is asked for), so `evidence --help` loads none of pandas, numpy,
openpyxl, httpx, matplotlib or spaCy, and neither does `import` or `extract` (nor the extraction
workers, which import this module again).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import click
from click.shell_completion import CompletionItem

from evidence_tables import signals


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command of the group: its name, `module:attribute`, and the one line `evidence --help` shows."""

    name: str
    target: str
    summary: str


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "demo",
        "evidence_tables.ingest_cli:demo",
        "Build a demo database from bundled abstracts; print its table.",
    ),
    CommandSpec(
        "fetch",
        "evidence_tables.fetch_cli:fetch",
        "Fetch the abstracts of a PubMed or Europe PMC search.",
    ),
    CommandSpec(
        "import",
        "evidence_tables.ingest_cli:import_",
        "Import abstracts: PubMed XML, MEDLINE, JSONL, text (- for stdin).",
    ),
    CommandSpec(
        "extract",
        "evidence_tables.ingest_cli:extract",
        "Extract cohort size, relapse rate, median OS, CR rates.",
    ),
    CommandSpec(
        "run",
        "evidence_tables.fetch_cli:run_",
        "Fetch a search, extract it and print the evidence table.",
    ),
    CommandSpec(
        "table",
        "evidence_tables.read_cli:table",
        "Show the evidence table: a row per study and group.",
    ),
    CommandSpec(
        "explain",
        "evidence_tables.read_cli:explain",
        "Print a study's abstract with every value marked.",
    ),
    CommandSpec(
        "review",
        "evidence_tables.review_cli:review",
        "List the values that need a look, flagged ones first.",
    ),
    CommandSpec("mark", "evidence_tables.review_cli:mark", "Accept, reject or correct one value."),
    CommandSpec(
        "serve",
        "evidence_tables.serve_cli:serve",
        "Serve the database in a browser: review values, browse tables.",
    ),
    CommandSpec(
        "export",
        "evidence_tables.read_cli:export",
        "Export the table: Excel, CSV, TSV, JSON, Markdown, RIS.",
    ),
    CommandSpec(
        "plot", "evidence_tables.read_cli:plot", "Draw a forest plot of one measure, by regimen."
    ),
    CommandSpec(
        "pool",
        "evidence_tables.pool_cli:pool",
        "Pool a CR or relapse rate per regimen (random effects).",
    ),
    CommandSpec(
        "sql", "evidence_tables.read_cli:sql", "Run a read-only SQL query and print the result."
    ),
    CommandSpec(
        "metadata",
        "evidence_tables.read_cli:metadata",
        "Write Datasette metadata: columns and canned queries.",
    ),
)
BY_NAME = {spec.name: spec for spec in COMMANDS}


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use (click's documented lazy-loading pattern),
    listed in `COMMANDS` order with their summaries, without importing them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [spec.name for spec in COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = BY_NAME.get(cmd_name)
        if spec is None:
            return None
        if cmd_name not in self.commands:
            module, attribute = spec.target.split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands[cmd_name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(spec.name, spec.summary) for spec in COMMANDS])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names complete from `COMMANDS` (importing no command); options as click does."""
        names = [
            CompletionItem(spec.name, help=spec.summary)
            for spec in COMMANDS
            if spec.name.startswith(incomplete)
        ]
        return names + click.Command.shell_complete(self, ctx, incomplete)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except (
            click.exceptions.NoSuchCommand
        ) as exc:  # suggest every command ('Did you mean table?')
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evidence-tables", prog_name="evidence")
def cli() -> None:
    """Literature-to-evidence tables: import abstracts, extract outcome values with provenance, read them back.

    Shell completion: eval "$(_EVIDENCE_COMPLETE=bash_source evidence)" (zsh_source, fish_source).

    Example: evidence demo
    """


def main() -> None:
    signals.install()  # SIGTERM is handled as Ctrl-C is: work saved, run recorded as interrupted
    cli(prog_name="evidence")


__all__ = ["COMMANDS", "CommandSpec", "cli", "main"]
