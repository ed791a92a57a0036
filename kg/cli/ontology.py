"""``kg ontology``: a summary of the ontology (a module of its own: it needs rdflib only, not
pySHACL and owlrl as validation and reasoning do)."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from kg.cli import render
from kg.cli.common import TextFormat, emit_json, emit_lines, handle_errors
from kg.ontology import summarize


@handle_errors
def ontology(
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
) -> None:
    """Show the ontology's classes, properties and their alignments (Wikidata, PROV, schema.org).

    Example:

      kg ontology --format json
    """
    summary = summarize()
    if fmt is TextFormat.json:
        emit_json(dataclasses.asdict(summary))
        return
    emit_lines(render.ontology_blocks(summary))
