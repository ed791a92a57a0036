"""``kg link``: the stored entities linked to Wikidata again (a module of its own: the linker
loads the gazetteer's and the Wikidata client's modules, which the other commands do without)."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli import render
from kg.cli.common import (
    ConfigOption,
    QuietOption,
    StoreOption,
    TextFormat,
    count_progress,
    emit_json,
    emit_lines,
    handle_errors,
    settings_from,
    warn,
)
from kg.linking.wikidata import WikidataClient
from kg.queries.link import explain_link, link_store_entities
from kg.store import open_store


@handle_errors
def link(
    online: Annotated[bool, typer.Option("--online", help="Ask Wikidata for entities the gazetteer lacks (needs network).")] = False,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format (json lists every entity's outcome).")] = TextFormat.text,
    explain: Annotated[str | None, typer.Option("--explain", metavar="NAME",
                                                help="Show why NAME links as it does: candidates, evidence, confidence.")] = None,
    quiet: QuietOption = False,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Link the stored entities to Wikidata and report linked / ambiguous / unlinked counts.

    Offline by default (the bundled gazetteer); with --online, entities the gazetteer lacks
    are looked up through the Wikidata API: one search per name and one request per 50
    candidates, one request a second, each answer cached on disk so an interrupted run resumes
    where it stopped. Exit 1 when look-ups failed (those entities stay unlinked). Links are
    written by 'kg build' (use 'kg build --online --force' to store online links).

    Examples:

      kg link

      kg link --format json

      kg link --explain Kursk
    """
    settings = settings_from(config, store=store, online=online or None)
    client = WikidataClient(settings) if settings.online else None
    if explain is not None:
        explanations = explain_link(open_store(settings), settings, explain, client=client)
        if fmt is TextFormat.json:
            emit_json(render.explain_json(explain, explanations, settings.link_threshold))
        else:
            emit_lines(render.explain_lines(explain, explanations, settings.link_threshold))
        return
    with count_progress("asking Wikidata", "requests", quiet or client is None) as progress:
        report = link_store_entities(open_store(settings), settings, client=client, progress=progress)
    failures = client.failures if client is not None else []
    if fmt is TextFormat.json:
        emit_json({**render.link_json(report), "failures": failures})
    else:
        emit_lines(render.link_lines(report))
    if failures:
        warn(f"kg: failed: {failures[0]}" + (f" (and {len(failures) - 1} more look-ups)" if len(failures) > 1 else ""))
        raise typer.Exit(1)
