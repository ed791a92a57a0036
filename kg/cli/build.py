"""``kg build``, ``kg remove``, ``kg import``: writing articles into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.build import build_sources, import_dataset, inferred_graph_exists, remove_articles
from kg.cli import render
from kg.cli.common import (
    ConfigOption,
    QuietOption,
    StoreOption,
    build_progress,
    emit_json,
    emit_lines,
    handle_errors,
    printable,
    settings_from,
    warn,
)
from kg.executors import executor_for
from kg.store import open_store

INFERRED_DROPPED = (
    "kg: note: the inferred graph was dropped, as its inferences could rest on the changed "
    "articles; run 'kg reason' again to restore it"
)


@handle_errors
def build(
    sources: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs of .txt/.jsonl, or - for stdin.")],
    store: StoreOption = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Extraction processes.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Installed spaCy pipeline [env: KG_MODEL].")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract unchanged articles too.")] = False,
    online: Annotated[bool, typer.Option("--online", help="Also link through the Wikidata API (needs network).")] = False,
    executor: Annotated[str, typer.Option(
        "--executor", help="Where extraction runs: local, dask-local (--jobs workers) or dask://HOST:PORT.",
    )] = "local",
    fmt: Annotated[str, typer.Option("--format", help="Summary format: text or json.")] = "text",
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Read articles, extract entities and facts, and store one named graph per article.

    Unchanged articles (same content hash) are skipped; changed ones are replaced.

    Examples:

      kg build data/articles/ data/feed.jsonl

      kg build '../corpus/**/*.txt' --jobs 2 --store /tmp/kg

      cat article.txt | kg build -

      kg build corpus.jsonl --executor dask-local --jobs 4 --store http://localhost:7878
    """
    settings = settings_from(config, store=store, jobs=jobs, model=model, online=online or None)
    with build_progress(quiet or fmt == "json") as progress:
        summary = build_sources(sources, settings, force=force, progress=progress,
                                executor=executor_for(executor))
    for failure in summary.failures:
        warn(f"kg: failed: {printable(failure.path)}: {printable(failure.reason)}")
    for warning in summary.warnings:
        warn(f"kg: warning: {printable(warning.path)}: {printable(warning.reason)}")
    if summary.inferred_dropped:
        warn(INFERRED_DROPPED)
    if fmt == "json":
        emit_json(render.build_json(summary, settings.store))
    elif not quiet:
        emit_lines([render.build_line(summary, settings.store)])
    if summary.failed:
        raise typer.Exit(1)


@handle_errors
def remove(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of the articles to drop (see 'kg stats --articles').")],
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Drop articles and everything only they supported (the entity index is refreshed).

    Example:

      kg remove 003_7c537a3c81279077
    """
    settings = settings_from(config, store=store)
    kg_store = open_store(settings)
    had_inferred = kg_store.exists() and inferred_graph_exists(kg_store)
    missing = remove_articles(article_ids, settings, kg_store)
    for article_id in missing:
        warn(f"kg: error: no article {printable(repr(article_id))} in the store")
    if had_inferred and len(missing) < len(article_ids):
        warn(INFERRED_DROPPED)
    if missing:
        raise typer.Exit(1)


@handle_errors
def import_(
    path: Annotated[Path, typer.Argument(help="An N-Quads or TriG file (as written by 'kg export').")],
    store: StoreOption = None,
    config: ConfigOption = None,
) -> None:
    """Load an exported dataset into a store (graphs kept as they are) and index its entities.

    Example:

      kg import dataset.nq --store /tmp/copy
    """
    count = import_dataset(path, settings_from(config, store=store))
    warn(f"imported {count} quads into {store or 'the store'}")
