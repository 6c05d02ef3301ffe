"""The review pages, a Datasette plugin: `/-/review` (the queue) and `/-/review/<study_id>` (one study).

`evidence serve` registers this module with Datasette's plugin manager (`register()`, once per
process) before it builds the Datasette instance, so its templates and static files are found
as any installed plugin's are; a plain `datasette` command does not load it. The database the
pages read and write is named in the plugin's configuration (metadata `plugins`), as are the
reviewer recorded with each decision and, when serving on a loopback address, the host names
the server answers to (a page elsewhere on the web cannot reach it by renaming itself).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import Response, hookimpl
from datasette.plugins import pm

from evidence_tables.web import pages
from evidence_tables.web.pages import PLUGIN, QUEUE_PATH


def register() -> None:
    """Add the plugin to Datasette's plugin manager (a second call does nothing)."""
    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)


@hookimpl
def register_routes() -> list[tuple[str, Callable[..., Awaitable[Response]]]]:
    return [
        (rf"^{QUEUE_PATH}$", pages.queue),
        (rf"^{QUEUE_PATH}/(?P<study_id>[^/]+)$", pages.study),
    ]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path(QUEUE_PATH), "label": "Review extracted values"}]


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """Refuse requests whose Host is not one the configuration allows (DNS rebinding), when it names any."""

    def wrap(app: Any) -> Any:
        async def guarded(scope: dict, receive: Any, send: Any) -> None:
            hosts = (datasette.plugin_config(PLUGIN) or {}).get("hosts")
            if scope["type"] == "http" and hosts and pages.host_name(scope) not in hosts:
                response = Response.text(
                    f"This server answers to {', '.join(hosts)} only (see evidence serve --host).",
                    status=403,
                )
                await response.asgi_send(send)
                return
            await app(scope, receive, send)

        return guarded

    return wrap


__all__ = ["PLUGIN", "QUEUE_PATH", "register"]
