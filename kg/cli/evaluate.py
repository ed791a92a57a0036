"""``kg eval``: extraction scored against gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import ConfigOption, EvalFormat, handle_errors, settings_from
from kg.evaluate import evaluate_texts, format_report
from kg.store import open_store


@handle_errors
def eval_(
    gold_dir: Annotated[Path, typer.Argument(
        metavar="GOLD_DIR", help="Folder of gold *.json annotations (their format: docs/gold-format.md).")],
    texts: Annotated[Optional[Path], typer.Option(
        "--texts", metavar="DIR", help="Folder of the annotated texts [default: GOLD_DIR/../seeds].")] = None,
    store: Annotated[Optional[str], typer.Option(
        "--store", metavar="DIR|URL", help="Score this existing store instead of building the texts.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    config: ConfigOption = None,
) -> None:
    """Score extraction against gold annotations: entities, types, Wikidata links, relations.

    Without --store the gold texts are built into a temporary store first.

    Examples:

      kg eval ../shared/gold

      kg eval ../shared/gold --format json

      kg build ../shared/seeds --store seeds && kg eval ../shared/gold --store seeds
    """
    settings = settings_from(config, store=store)
    existing = open_store(settings) if store is not None else None
    report = evaluate_texts(gold_dir, settings, texts_dir=texts, store=existing)
    typer.echo(format_report(report, fmt.value), nl=False)
