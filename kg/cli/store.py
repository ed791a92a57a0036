"""``kg stats``, ``kg export``: what the store holds."""

from __future__ import annotations

import enum
import io
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import (
    ConfigOption,
    StoreOption,
    TextFormat,
    emit_json,
    emit_lines,
    handle_errors,
    settings_from,
    warn,
)
from kg.export import EXPORTS, VIEWS, export_view
from kg.store import EXPORT_FORMATS, open_store

ExportFormat = enum.Enum("ExportFormat", {name: name for name in [*EXPORT_FORMATS, *EXPORTS]}, type=str)
"""The RDF formats of the store and the analysts' views of :mod:`kg.export`."""


@handle_errors
def stats(
    store: StoreOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    articles: Annotated[bool, typer.Option("--articles", help="Also list article ids.")] = False,
    config: ConfigOption = None,
) -> None:
    """Count articles, entities by class and quads in the store.

    Examples:

      kg stats --format json

      kg stats --articles
    """
    kg_store = open_store(settings_from(config, store=store))
    result = kg_store.stats()
    article_ids = kg_store.article_ids() if articles else None
    if fmt is TextFormat.json:
        emit_json(render.stats_json(result, article_ids))
        return
    emit_lines(render.stats_lines(result, article_ids or ()))


@handle_errors
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="An RDF format, or a view for other tools.")] = "turtle",  # type: ignore[assignment]
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE|DIR", help="File to write (default: stdout); a folder for csv.")] = None,
    graph: Annotated[Optional[str], typer.Option("--graph", metavar="ARTICLE_ID", help="Only this article's graph.")] = None,
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Export the graph. Turtle, N-Triples and RDF/XML merge the article graphs; TriG, N-Quads
    and JSON-LD keep one named graph per article.

    For other tools: geojson (the places, for a map), graphml and gexf (the entity network of
    co-mentions, for Gephi), csv (one file per fact type in the folder -o names). JSON-LD comes
    with a @context of kg's prefixes.

    Examples:

      kg export > graph.ttl

      kg export --format trig -o dataset.trig

      kg export --graph 2024-10-24-pentagon-confirms --format ntriples

      kg export --format geojson -o places.geojson

      kg export --format csv -o facts/
    """
    kg_store = open_store(settings_from(config, store=store))
    name = fmt.value if isinstance(fmt, enum.Enum) else str(fmt)
    if name in VIEWS:
        written = export_view(kg_store, name, output, article_id=graph)
        if output is not None:
            warn(f"wrote {written} to {output}")
        return
    if output is None:
        buffer = io.BytesIO()
        kg_store.export(name, buffer, article_id=graph)
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(output.name + ".part")
    with tmp.open("wb") as handle:
        count = kg_store.export(name, handle, article_id=graph)
    tmp.replace(output)
    warn(f"wrote {count} statements to {output}")
