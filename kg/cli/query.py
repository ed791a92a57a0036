"""``kg query``, ``kg queries``: running and listing SPARQL queries."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import ConfigOption, StoreOption, emit_json, emit_lines, handle_errors, settings_from, warn
from kg.queries import format_result, list_queries, load_query, parse_params, run_query
from kg.store import open_store


@handle_errors
def query(
    source: Annotated[str, typer.Argument(help="A bundled query name (see 'kg queries'), a .rq file, or - for stdin.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="name=value; repeatable. <iri>, prefix:local, a number or text.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json (SPARQL 1.1 results formats).")] = "table",
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL UPDATE (queries are read-only otherwise).")] = False,
    timeout: Annotated[Optional[float], typer.Option("--timeout", help="Seconds before giving up [default: query_timeout setting].")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show the first N rows only (0 = all); the rest are not read.", min=0)] = 0,
    online: Annotated[bool, typer.Option("--online", help="Allow SERVICE and LOAD, which reach the network [env: KG_ONLINE].")] = False,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a SPARQL query over the union of the article graphs.

    Parameters are bound as RDF terms, never pasted into the query text. With --limit, reading
    stops after N rows, and stderr says when there were more.

    Examples:

      kg query troop-numbers --param state=entity:Q423

      kg query claims-by-speaker --limit 20

      kg query mentions -p entity=Zelensky --format json

      echo 'SELECT * WHERE { ?s a kg:Clash }' | kg query -
    """
    settings = settings_from(config, store=store, online=online or None)
    loaded = load_query(source)
    bindings = parse_params(param or [], loaded, base_iri=settings.base_iri)
    result = run_query(open_store(settings), loaded, bindings,
                       timeout if timeout is not None else settings.query_timeout, allow_update=update,
                       limit=limit or None)
    if update and result.kind == "select" and not result.columns:
        warn("update applied")
        return
    options = {"base_iri": settings.base_iri} if fmt == "table" else {}
    typer.echo(format_result(result, fmt, **options), nl=False)
    if result.truncated:
        warn(render.truncation_note(limit))


@handle_errors
def queries(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List the bundled queries with their parameters.

    Example:

      kg queries --format json
    """
    infos = list_queries()
    if fmt == "json":
        emit_json(render.queries_json(infos))
        return
    emit_lines(render.queries_lines(infos))
