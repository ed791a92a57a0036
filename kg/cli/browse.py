"""``kg entities``, ``kg show``: the stored entities."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import ConfigOption, StoreOption, emit_json, emit_lines, handle_errors, settings_from
from kg.queries import format_result
from kg.queries.browse import describe_entity, entities_result, list_entities
from kg.store import open_store


@handle_errors
def entities(
    entity_type: Annotated[Optional[str], typer.Option("--type", "-t", help="Person, State, MilitaryUnit, Organization or Place.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many (0 = all).")] = 0,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """List entities with their class, mention and article counts and Wikidata link.

    Examples:

      kg entities --type MilitaryUnit

      kg entities --format json --limit 20
    """
    rows = list_entities(open_store(settings_from(config, store=store)), entity_type)
    typer.echo(format_result(entities_result(rows[:limit] if limit else rows), fmt), nl=False)


@handle_errors
def show(
    name: Annotated[str, typer.Argument(help="An entity's label, alias or IRI.")],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Show one entity: types, labels, Wikidata link, relations and the sentences that mention it.

    Examples:

      kg show Zelensky

      kg show "North Korean troops" --format json
    """
    info = describe_entity(open_store(settings_from(config, store=store)), name)
    if fmt == "json":
        emit_json(dataclasses.asdict(info))
        return
    emit_lines(render.entity_lines(info))
