"""``kg stats``, ``kg export``: what the store holds."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import ConfigOption, StoreOption, emit_json, emit_lines, handle_errors, settings_from, warn
from kg.store import open_store


@handle_errors
def stats(
    store: StoreOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    articles: Annotated[bool, typer.Option("--articles", help="Also list article ids.")] = False,
    config: ConfigOption = None,
) -> None:
    """Count articles, entities by class and quads in the store.

    Example:

      kg stats --format json
    """
    kg_store = open_store(settings_from(config, store=store))
    result = kg_store.stats()
    article_ids = kg_store.article_ids() if articles else None
    if fmt == "json":
        emit_json(render.stats_json(result, article_ids))
        return
    emit_lines(render.stats_lines(result, article_ids or ()))


@handle_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="turtle, trig, ntriples, nquads, jsonld or rdfxml.")] = "turtle",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    graph: Annotated[Optional[str], typer.Option("--graph", help="Only this article's graph.")] = None,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Export the graph. Turtle, N-Triples and RDF/XML merge the article graphs; TriG, N-Quads
    and JSON-LD keep one named graph per article.

    Examples:

      kg export > graph.ttl

      kg export --format trig -o dataset.trig

      kg export --graph 003_7c537a3c81279077 --format ntriples
    """
    kg_store = open_store(settings_from(config, store=store))
    if output is None:
        buffer = io.BytesIO()
        kg_store.export(fmt, buffer, article_id=graph)
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(output.name + ".part")
    with tmp.open("wb") as handle:
        count = kg_store.export(fmt, handle, article_id=graph)
    tmp.replace(output)
    warn(f"wrote {count} statements to {output}")
