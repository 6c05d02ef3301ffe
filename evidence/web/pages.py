"""The review pages' views: the queue, one study (GET), and a decision on one of its values (POST).

Reads go through Datasette's read connections; a decision goes through Datasette's one write
connection (`execute_write_fn`), which may change only the `reviews` table while it records it
(db.write_guard), using the same library functions as `evidence mark`. A POST must carry the
page's CSRF token: Datasette checks it against its cookie, and, since Datasette lets a request
with no cookie at all through, this module checks it again.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any
from urllib.parse import quote, unquote, urlencode

from datasette import Forbidden, Request, Response
from datasette.utils import tilde_encode

from evidence_tables.db import EvidenceDB, StoreError
from evidence_tables.db.connection import BUSY_TIMEOUT, ImmediateDatabase
from evidence_tables.db.filters import MEASURES, Filters
from evidence_tables.db.write_guard import writing_only
from evidence_tables.web import decisions, highlight, queue as queue_rows, study as study_view

PLUGIN = "evidence-tables"  # the plugin's name, and its key in the metadata's `plugins`
QUEUE_PATH = "/-/review"
VALUES_SQL = 'SELECT * FROM reviewed_outcomes WHERE study_id = ? ORDER BY start, "end", measure, id'
ORPHANS_SQL = "SELECT * FROM orphaned_reviews WHERE study_id = ? ORDER BY review_id"
NEXT_SQL = (
    "SELECT study_id FROM reviewed_outcomes WHERE review_status IS NULL AND study_id != :id "
    "GROUP BY study_id ORDER BY study_id <= :id, study_id LIMIT 1"
)
PAGE_SIZE = 200
KEYS = (
    ("j / k", "next / previous value"),
    ("a", "accept"),
    ("r", "reject"),
    ("c", "correct (Enter saves)"),
    ("n", "note"),
    ("u", "clear the decision"),
    ("Esc", "leave a field"),
    ("]", "next study to review"),
)


def host_name(scope: dict) -> str:
    """The host a request was sent to, without its port ('127.0.0.1', 'localhost', '::1')."""
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


class Missing(Exception):
    """What a page asks for is not here (answered 404 with the message, and no traceback on the console)."""


async def _database(datasette: Any, request: Request) -> Any:
    name = _config(datasette).get("database")
    if name not in datasette.databases:
        raise Missing(
            "no evidence database is being reviewed here (start the server with evidence serve DB)"
        )
    await datasette.ensure_permissions(request.actor, [("view-database", name), "view-instance"])
    return datasette.databases[name]


async def _not_found(datasette: Any, request: Request, message: str) -> Response:
    html = await datasette.render_template(
        "error.html", {"title": "Not found", "error": message}, request=request
    )
    return Response.html(html, status=404)


def study_path(datasette: Any, study_id: str) -> str:
    return datasette.urls.path(f"{QUEUE_PATH}/{quote(study_id, safe='')}")


async def queue(request: Request, datasette: Any) -> Response:
    """`/-/review`: the values to look at, as `evidence review` lists them, with its filters."""
    try:
        db = await _database(datasette, request)
    except Missing as exc:
        return await _not_found(datasette, request, str(exc))
    if request.method == "POST":
        return await _decide(request, datasette, db, None)
    args = request.args
    filters = Filters(
        measures=tuple(m for m in args.getlist("measure") if m in MEASURES),
        regimen=(args.get("regimen") or "").strip() or None,
        search=(args.get("search") or "").strip() or None,
        flagged=bool(args.get("flagged")),
    )
    include = bool(args.get("all"))
    page = max(int(args.get("page")) if (args.get("page") or "").isdigit() else 1, 1)
    error, status = None, 200
    try:
        listing = await db.execute_fn(
            lambda conn: queue_rows.listing(_store(conn), filters, include_reviewed=include)
        )
    except StoreError as exc:
        listing, error, status = queue_rows.Listing(), exc.message, 400
    page = min(page, max(1, -(-len(listing.rows) // PAGE_SIZE)))  # past the end: the last page
    rows = listing.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    query = [(k, v) for k in args.keys() if k != "page" for v in args.getlist(k)]
    more = urlencode([*query, ("page", page + 1)]) if page * PAGE_SIZE < len(listing.rows) else None
    less = urlencode([*query, ("page", page - 1)]) if page > 1 else None
    context = {
        "listing": listing,
        "rows": rows,
        "first": (page - 1) * PAGE_SIZE,
        "more": more,
        "less": less,
        "error": error,
        "measures": MEASURES,
        "chosen": filters.measures,
        "args": args,
        "include": include,
        "database": db.name,
        "study_path": lambda sid: study_path(datasette, sid),
        "queue_path": datasette.urls.path(QUEUE_PATH),
        "page_size": PAGE_SIZE,
    }
    html = await datasette.render_template("evidence_review_queue.html", context, request=request)
    return Response.html(html, status=status)


async def study(request: Request, datasette: Any) -> Response:
    """`/-/review/<study_id>`: the abstract with every value's evidence marked, and a form per value."""
    try:
        db = await _database(datasette, request)
        study_id = unquote(request.url_vars["study_id"])
        if request.method == "POST":
            return await _decide(request, datasette, db, study_id)
        return await _study_page(request, datasette, db, study_id)
    except Missing as exc:
        return await _not_found(datasette, request, str(exc))


async def _study_page(
    request: Request,
    datasette: Any,
    db: Any,
    study_id: str,
    *,
    error: str | None = None,
    failed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    found = (await db.execute("SELECT * FROM studies WHERE study_id = ?", [study_id])).rows
    if not found:
        raise Missing(f"no study {study_id!r} in {db.name}")
    record = dict(found[0])
    rows = [dict(r) for r in (await db.execute(VALUES_SQL, [study_id])).rows]
    values = study_view.values(record["abstract"], rows)
    if failed and failed.get("outcome"):  # show what the reviewer typed, beside the error
        values = [
            v
            if v.id != failed["outcome"]
            else study_view.value(v.number, row, v.evidence, typed=failed)
            for v, row in zip(values, rows)
        ]
    orphans = [dict(r) for r in (await db.execute(ORPHANS_SQL, [study_id])).rows]
    extracted = (
        await db.execute(
            "SELECT 1 FROM extractions WHERE study_id = ? AND text_sha256 = ?",
            [study_id, record["text_sha256"]],
        )
    ).rows
    following = (await db.execute(NEXT_SQL, {"id": study_id})).rows
    context = {
        "study": record,
        "authors": study_view.authors(record["authors"]),
        "values": values,
        "by_id": {v.id: v for v in values},
        "runs": highlight.runs(record["abstract"], rows),
        "orphans": study_view.orphans(orphans),
        "extracted": bool(extracted),
        "error": error,
        "failed": failed or {},
        "keys": KEYS,
        "next_path": study_path(datasette, following[0][0]) if following else None,
        "queue_path": datasette.urls.path(QUEUE_PATH),
        "database": db.name,
        "row_path": datasette.urls.row(db.name, "studies", tilde_encode(study_id)),
        "measure_labels": study_view.measure_labels(),
        "reviewer": _config(datasette).get("reviewer"),
    }
    html = await datasette.render_template("evidence_review_study.html", context, request=request)
    return Response.html(html, status=status)


async def _decide(request: Request, datasette: Any, db: Any, study_id: str | None) -> Response:
    form = await request.post_vars()
    if not secrets.compare_digest(form.get("csrftoken", ""), request.scope["csrftoken"]()):
        raise Forbidden(
            "form expired or sent from another site (no valid CSRF token): reload the page and try again"
        )
    reviewer = _config(datasette).get("reviewer")
    back = (
        study_path(datasette, study_id) if study_id is not None else datasette.urls.path(QUEUE_PATH)
    )

    def write(conn: sqlite3.Connection) -> tuple[decisions.Recorded, str | None]:
        store = _store(conn)
        with writing_only(conn, {"reviews"}):
            done = decisions.record(
                store, decisions.read(form), reviewer=reviewer, study_id=study_id
            )
        return done, _after(conn, done, form.get("decision"))

    try:
        done, target = await db.execute_write_fn(write)
    except (
        StoreError,
        sqlite3.Error,
    ) as exc:  # a bad decision, or the database busy beyond SQLite's timeout
        message = exc.message if isinstance(exc, StoreError) else f"the database said: {exc}"
        if study_id is None:
            datasette.add_message(request, f"Not recorded: {message}", datasette.ERROR)
            return Response.redirect(back, status=303)
        return await _study_page(
            request, datasette, db, study_id, error=message, failed=form, status=400
        )
    datasette.add_message(request, done.message, datasette.INFO)
    for warning in done.warnings:
        datasette.add_message(request, warning, datasette.WARNING)
    return Response.redirect(
        back + (f"#v-{target}" if target and study_id is not None else ""), status=303
    )


def _after(conn: sqlite3.Connection, done: decisions.Recorded, decision: str | None) -> str | None:
    """The value to show next: the one after the decided value (the same one after a clear)."""
    if done.outcome is None or decision == "clear":
        return done.outcome
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM outcomes WHERE study_id = (SELECT study_id FROM outcomes "
            'WHERE id = ?) ORDER BY start, "end", measure, id',
            [done.outcome],
        )
    ]
    at = ids.index(done.outcome) if done.outcome in ids else -1
    return ids[at + 1] if 0 <= at < len(ids) - 1 else done.outcome


def _store(conn: sqlite3.Connection) -> EvidenceDB:
    """The evidence store on Datasette's write connection (the schema is current: evidence serve migrated it).

    It writes as every command does: the transaction takes the write lock when it begins, and waits for
    another writer (an extract, an import) as long as they wait for each other."""
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    return EvidenceDB(ImmediateDatabase(conn))
