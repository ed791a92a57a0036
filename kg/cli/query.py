"""``kg query``, ``kg queries``: running and listing SPARQL queries."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import (
    ColumnsOption,
    ConfigOption,
    IrisOption,
    StoreOption,
    TableFormat,
    TextFormat,
    columns_list,
    emit_json,
    emit_lines,
    handle_errors,
    settings_from,
    warn,
)
from kg.errors import UsageError
from kg.queries import format_result, list_queries, load_query, parse_params, run_query
from kg.queries.results import select_columns
from kg.store import open_store


def query_names(incomplete: str) -> list[str]:
    """Shell completion of a query name: the bundled queries."""
    return [q.name for q in list_queries() if q.name.startswith(incomplete)]


def check_repeated(pairs: list[str]) -> None:
    """A parameter given twice is a mistake (the query binds one value per parameter)."""
    seen: set[str] = set()
    for pair in pairs:
        name = pair.partition("=")[0].strip()
        if name in seen:
            raise UsageError(f"parameter {name!r} is given twice; a query binds one value per parameter "
                             "(an entity name matching several entities runs the query for each)")
        seen.add(name)


@handle_errors
def query(
    source: Annotated[str, typer.Argument(
        metavar="NAME|FILE.rq|-", autocompletion=query_names,
        help="A bundled query name (see 'kg queries'), a .rq file, or - for stdin.")],
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", metavar="NAME=VALUE",
        help="Bind a parameter (repeatable, once per name): a prefixed name (entity:Q423), <iri>, "
             "an entity's name, a number or text.")] = None,
    fmt: Annotated[TableFormat, typer.Option(
        "--format", "-f", help="Output: a table, or the SPARQL 1.1 CSV, TSV or JSON results formats.")] = TableFormat.table,
    columns: ColumnsOption = None,
    iris: IrisOption = False,
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL UPDATE (queries are read-only otherwise).")] = False,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", min=0, metavar="SECONDS", help="Give up after this long [default: the query_timeout setting, 30].")] = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=0, metavar="N", help="Show the first N rows only (0 = all); the rest are not read.")] = 0,
    online: Annotated[bool, typer.Option("--online", help="Allow SERVICE and LOAD, which reach the network [env: KG_ONLINE].")] = False,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a SPARQL query over the union of the article graphs.

    Parameters are bound as RDF terms, never pasted into the query text. A table shows each
    entity by its label (--iris: by its prefixed name) and fits the terminal; --columns picks
    columns. With --limit, reading stops after N rows, and stderr says when there were more.

    Examples:

      kg query troop-numbers --param state=entity:Q423

      kg query troop-numbers --columns state,value,speakerLabel,date

      kg query claims-by-speaker --limit 20 --iris

      kg query mentions -p entity=Zelenskyy --format json

      echo 'SELECT * WHERE { ?s a kg:Clash }' | kg query -
    """
    settings = settings_from(config, store=store, online=online or None)
    check_repeated(param or [])
    loaded = load_query(source)
    bindings = parse_params(param or [], loaded, base_iri=settings.base_iri)
    result = run_query(open_store(settings), loaded, bindings,
                       timeout if timeout is not None else settings.query_timeout, allow_update=update,
                       limit=limit or None)
    if update and result.kind == "select" and not result.columns:
        warn("update applied")
        return
    result = select_columns(result, columns_list(columns), paired=fmt is TableFormat.table)
    options = {"base_iri": settings.base_iri, "iris": iris} if fmt is TableFormat.table else {}
    typer.echo(format_result(result, fmt.value, **options), nl=False)
    if result.truncated:
        warn(render.truncation_note(limit))


@handle_errors
def queries(
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
) -> None:
    """List the bundled queries with their parameters.

    Each parameter's example is a command line that runs as it is on the sample articles.

    Example:

      kg queries --format json
    """
    infos = list_queries()
    if fmt is TextFormat.json:
        emit_json(render.queries_json(infos))
        return
    emit_lines(render.queries_lines(infos))
