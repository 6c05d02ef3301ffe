"""`evidence serve`: review the values in a web browser, beside their evidence, and browse the store (Datasette)."""

from __future__ import annotations

import socket

import click

from evidence_tables.clikit import existing_db_argument, handle_errors, open_store


@click.command()
@existing_db_argument
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets other machines in (with no login: anyone who can reach it "
    "can read the database and record decisions).",
)
@click.option(
    "--port",
    "-p",
    default=8001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--by",
    "reviewer",
    metavar="NAME",
    help="Who decides (kept with each decision made on the pages).",
)
@handle_errors
def serve(db_path: str, host: str, port: int, reviewer: str | None) -> None:
    """Serve the database in a web browser: review values beside their evidence, browse with Datasette.

    /-/review lists the values to look at, as `evidence review` does; each study's page
    shows its abstract with every value's evidence marked, and a form per value to accept,
    reject or correct it (keyboard: j/k to move, a, r, c to decide). Decisions go into the
    `reviews` table exactly as `evidence mark` records them, and both can be used at once.
    The rest is Datasette with the canned queries of `evidence metadata`.

    Example: evidence serve evidence-demo.db --by "N. Okafor"
    """
    from evidence_tables.web import server  # noqa: PLC0415  (Datasette and pandas, only when run)

    open_store(
        db_path
    ).close()  # an evidence database, its schema brought up to date (the pages only read it)
    try:
        with socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        ):
            pass
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(another server there? choose another with --port)"
        ) from None
    datasette = server.build(db_path, host=host, reviewer=reviewer)
    if not server.is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can read the database and "
            "record decisions (there is no login)",
            err=True,
        )
    click.echo(f"Review: {server.review_url(host, port)}", err=True)
    click.echo(
        f"Browse: {server.review_url(host, port).removesuffix('/-/review')}/  (Ctrl-C stops)",
        err=True,
    )
    try:
        server.run(datasette, host=host, port=port)
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped: nothing was left half done
        click.echo("stopped", err=True)
