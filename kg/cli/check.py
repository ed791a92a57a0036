"""``kg validate``, ``kg reason``: the article graphs against the shapes and the ontology's rules."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Optional

import typer

from kg.cli import render
from kg.cli.common import (
    ConfigOption,
    Inference,
    QuietOption,
    StoreOption,
    TextFormat,
    count_progress,
    emit_json,
    emit_lines,
    handle_errors,
    settings_from,
    status,
    warn,
)
from kg.derived.reason import reason as run_reasoner
from kg.derived.validate import validate_store
from kg.store import open_store


@handle_errors
def validate(
    article_ids: Annotated[Optional[list[str]], typer.Argument(
        metavar="ARTICLE_ID", help="Article ids to check (default: all).")] = None,
    store: StoreOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    inference: Annotated[Inference, typer.Option("--inference", help="SHACL pre-inference.")] = Inference.none,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, metavar="N", help="Validation processes (default: the build's jobs).")] = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Check the article graphs against the SHACL shapes; exit 1 if any violation is found.

    Examples:

      kg validate --format json

      kg validate 2024-10-24-pentagon-confirms --jobs 2
    """
    settings = settings_from(config, store=store, jobs=jobs)
    with count_progress("validating", "articles", quiet) as progress:
        report = validate_store(open_store(settings), article_ids or None, inference=inference.value,
                                jobs=settings.jobs, progress=progress)
    if fmt is TextFormat.json:
        emit_json(render.validation_json(report))
    else:
        emit_lines(render.validation_lines(report))
    if not report.conforms:
        raise typer.Exit(1)


@handle_errors
def reason(
    article_ids: Annotated[Optional[list[str]], typer.Argument(
        metavar="ARTICLE_ID", help="Article ids to reason over (default: all).")] = None,
    store: StoreOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Materialise OWL RL consequences into the graph graph:_inferred (replacing it), then
    refresh the entity index, which inferred classes and labels can change. The closure is
    computed in memory over all the articles, over the triples an OWL RL rule can read (about a
    third of them; ~0.1 s per BBC article).

    Queries see the inferred triples in the union graph.

    Example:

      kg reason && kg query entities-by-type --param type=kg:Person
    """
    kg_store = open_store(settings_from(config, store=store))
    with kg_store.writer(), status(quiet) as step:
        result = run_reasoner(kg_store, article_ids or None, progress=step)
    if fmt is TextFormat.json:
        emit_json(dataclasses.asdict(result))
    else:
        emit_lines([render.reasoning_line(result)])
    for message in result.inconsistencies:
        warn(f"kg: warning: inconsistency: {message}")
