"""``kg serve``: the graph in a browser."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.common import ConfigOption, StoreOption, TextFormat, emit_json, handle_errors, settings_from, warn
from kg.serve import serve as run_server


@handle_errors
def serve(
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on; another than 127.0.0.1 exposes the graph to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Port to listen on.", min=1, max=65535)] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the home page in a browser once listening.")] = False,
    online: Annotated[bool, typer.Option("--online", help="Allow SERVICE (federated queries to other endpoints, e.g. Wikidata).")] = False,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="How the listening line is written.")] = TextFormat.text,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Serve the graph in a browser: a SPARQL endpoint, entity and article pages, timeline, troop figures, map.

    Read-only. Every page has a JSON twin (/entity/Q423.json); /sparql speaks the SPARQL 1.1
    Protocol; query time and rows are capped (serve_timeout, serve_max_rows settings). The
    store is held open while serving, so a build waits until the server stops; before it
    listens, the server reads what the entity pages list for every entity and the /sparql
    answers of the bundled queries that need no parameter (seconds for thousands of articles).

    Examples:

      kg serve                       # http://127.0.0.1:8000/

      kg serve --port 8080 --open

      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a kg:State }' http://127.0.0.1:8000/sparql
    """
    settings = settings_from(config, store=store, online=online or None)

    def started(url: str) -> None:
        if fmt == TextFormat.json:
            emit_json({"url": url, "store": settings.store, "online": online})
        else:
            warn(f"serving {settings.store} at {url} (Ctrl+C stops)")

    def reading() -> None:
        if fmt != TextFormat.json:
            warn(f"reading {settings.store}: what its pages list, before listening")

    run_server(settings, host=host, port=port, online=online, open_browser=open_browser, started=started,
               reading=reading)
