"""``kg eval``: extraction scored against gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli.common import ConfigOption, handle_errors, settings_from
from kg.evaluate import evaluate_texts, format_report
from kg.store import open_store


@handle_errors
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold *.json annotations (see gold/FORMAT.md).")],
    texts: Annotated[Optional[Path], typer.Option("--texts", help="Folder of the annotated texts [default: GOLD_DIR/../seeds].")] = None,
    store: Annotated[Optional[str], typer.Option("--store", help="Score this existing store instead of building the texts.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    config: ConfigOption = None,
) -> None:
    """Score extraction against gold annotations: entities, types, Wikidata links, relations.

    Without --store the gold texts are built into a temporary store first.

    Examples:

      kg eval ../shared/gold

      kg eval ../shared/gold --format json

      kg eval gold/ --store ./kg-data
    """
    settings = settings_from(config, store=store)
    existing = open_store(settings) if store is not None else None
    report = evaluate_texts(gold_dir, settings, texts_dir=texts, store=existing)
    typer.echo(format_report(report, fmt), nl=False)
