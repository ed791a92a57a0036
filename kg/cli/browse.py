"""``kg entities``, ``kg show``: the stored entities."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import (
    ColumnsOption,
    ConfigOption,
    IrisOption,
    LimitOption,
    StoreOption,
    TableFormat,
    TextFormat,
    columns_list,
    emit_json,
    emit_lines,
    handle_errors,
    settings_from,
)
from kg.model import EntityClass
from kg.queries import format_result
from kg.queries.browse import describe_entity, entities_result, list_entities
from kg.queries.results import select_columns
from kg.store import open_store


@handle_errors
def entities(
    entity_type: Annotated[Optional[EntityClass], typer.Option("--type", "-t", help="Only entities of this class.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
    limit: LimitOption = 0,
    columns: ColumnsOption = None,
    iris: IrisOption = False,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """List entities with their class, mention and article counts and Wikidata link.

    A table names each entity by its label; --iris shows the prefixed name instead, which
    'kg show' and the entity parameters of 'kg query' take back as they are.

    Examples:

      kg entities --type MilitaryUnit

      kg entities --iris --limit 5

      kg entities --format json --limit 20
    """
    kg_store = open_store(settings_from(config, store=store))
    rows = list_entities(kg_store, entity_type.value if entity_type else None)
    rows = rows[:limit] if limit else rows
    if fmt is TableFormat.json:
        emit_json(render.entities_json(rows, kg_store.prefixes))
        return
    result = select_columns(entities_result(rows), columns_list(columns), paired=fmt is TableFormat.table)
    options = {"base_iri": kg_store.settings.base_iri, "iris": iris} if fmt is TableFormat.table else {}
    typer.echo(format_result(result, fmt.value, **options), nl=False)


@handle_errors
def show(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="An entity as kg prints it: a label, an alias, a prefixed name (entity:Q57792) or an IRI.")],
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Show one entity: types, labels, Wikidata link, relations and the sentences that mention it.

    A name that fits several entities is an error listing each with its prefixed name, label,
    class and counts: pass one of those names.

    Examples:

      kg show Zelenskyy

      kg show entity:Q57792 --format json

      kg show "North Korean troops"
    """
    info = describe_entity(open_store(settings_from(config, store=store)), name)
    if fmt is TextFormat.json:
        emit_json(render.entity_json(info))
        return
    emit_lines(render.entity_lines(info))
