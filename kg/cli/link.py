"""``kg link``: the stored entities linked to Wikidata again (a module of its own: the linker
loads the gazetteer's and the Wikidata client's modules, which the other commands do without)."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli import render
from kg.cli.common import ConfigOption, StoreOption, emit_json, emit_lines, handle_errors, settings_from
from kg.queries.link import explain_link, link_store_entities
from kg.store import open_store


@handle_errors
def link(
    online: Annotated[bool, typer.Option("--online", help="Ask Wikidata for entities the gazetteer lacks (needs network).")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json (with every entity's outcome).")] = "text",
    explain: Annotated[str | None, typer.Option("--explain", metavar="NAME",
                                                help="Show why NAME links as it does: candidates, evidence, confidence.")] = None,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Link the stored entities to Wikidata and report linked / ambiguous / unlinked counts.

    Offline by default (the bundled gazetteer); with --online, entities the gazetteer lacks
    are looked up through the Wikidata API (cached on disk, rate-limited). Links are written
    by 'kg build' (use 'kg build --online --force' to store online links).

    Examples:

      kg link

      kg link --online --format json

      kg link --explain Kursk
    """
    settings = settings_from(config, store=store, online=online or None)
    if explain is not None:
        explanations = explain_link(open_store(settings), settings, explain)
        if fmt == "json":
            emit_json(render.explain_json(explain, explanations, settings.link_threshold))
        else:
            emit_lines(render.explain_lines(explain, explanations, settings.link_threshold))
        return
    report = link_store_entities(open_store(settings), settings)
    if fmt == "json":
        emit_json(render.link_json(report))
        return
    emit_lines(render.link_lines(report))
