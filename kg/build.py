"""The whole pipeline: sources -> NLP -> extraction -> RDF -> store, streaming.

Articles are read lazily, unchanged ones (same content hash, same kg version and model) are
skipped before any NLP, extraction runs where the executor says (:mod:`kg.executors`: this
process, ``jobs`` worker processes each loading the model once, or a Dask cluster), and quads
are written to the store in batches, one atomic graph replacement per article. The entity index
(:mod:`kg.derived.entity_index`) is refreshed at the end of a build that changed the store, after
articles are removed, and after an import.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterator, Sequence

import pyoxigraph as ox

from kg import __version__
from kg.derived.entity_index import entity_index_missing, refresh_entity_index
from kg.errors import StoreError
from kg.graph import GraphBuilder
from kg.iri import INFERRED_GRAPH_ID, is_article_id
from kg.model import Article, SourceFailure
from kg.executors import Executor, local_executor
from kg.settings import Settings
from kg.sources import read_sources
from kg.store import KGStore, bundled_sparql, open_store

WRITE_BATCH_ARTICLES = 128
WRITE_BATCH_QUADS = 200_000
WRITE_BATCH_SECONDS = 10.0
"""A batch is written when it has this many articles or quads, or is this old: each write is
one atomic ingestion into the store, and fewer, larger ones cost the store less (bench/README.md),
while the age bound keeps a slow build's articles showing up in queries as it goes."""


@dataclass
class BuildSummary:
    """What a build did; ``failures`` lists each input that could not be built, ``warnings``
    the problems of inputs that were built anyway (e.g. an invalid date marker)."""

    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    entities: int = 0
    quads: int = 0
    seconds: float = 0.0
    failures: list[SourceFailure] = field(default_factory=list)
    warnings: list[SourceFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    inferred_dropped: bool = False
    """Whether the reasoner's graph was dropped: it could rest on the replaced articles."""

    @property
    def ok(self) -> bool:
        return self.failed == 0


ProgressCallback = Callable[[str, str], None]
"""Called with ``(event, article id or path)``; event is new/updated/skipped/failed."""


def _stored_states(store: KGStore) -> dict[str, tuple[str, str, str]]:
    if not store.exists():  # a new store has nothing to skip
        return {}
    result = store.query(bundled_sparql("internal/article-states"))
    return {
        row[0].value: tuple(t.value if t is not None else "" for t in row[1:])  # type: ignore[misc]
        for row in result.rows
        if row[0] is not None
    }


def build_sources(
    sources: Sequence[str],
    settings: Settings,
    *,
    store: KGStore | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    stdin: IO[str] | None = None,
    executor: Executor | None = None,
) -> BuildSummary:
    """Build (or update) the graph of every article in ``sources`` into the store."""
    started = time.perf_counter()
    store = store or open_store(settings)
    summary = BuildSummary()
    builder = GraphBuilder(settings.base_iri)
    notify = progress or (lambda event, name: None)
    entity_keys: set[str] = set()
    run = executor or local_executor

    with store.writer():
        states = _stored_states(store)
        model_name = settings.model

        def to_extract() -> Iterator[Article]:
            for item in read_sources(sources, stdin=stdin):
                if isinstance(item, SourceFailure):
                    summary.failed += 1
                    summary.failures.append(item)
                    notify("failed", item.path)
                    continue
                summary.warnings.extend(SourceFailure(item.path or item.id, w) for w in item.warnings)
                state = states.get(item.id)
                if (
                    not force
                    and state is not None
                    and state[0] == item.content_hash
                    and state[1] == __version__
                    and state[2].split(" ")[0] == model_name
                ):
                    summary.skipped += 1
                    summary.article_ids.append(item.id)
                    notify("skipped", item.id)
                    continue
                yield item

        pending: list[tuple[str, list]] = []
        pending_quads = 0
        pending_since = 0.0  # when the oldest pending article arrived
        now = dt.datetime.now(dt.timezone.utc)

        def flush() -> None:
            nonlocal pending, pending_quads
            if pending:
                store.replace_articles(pending)
                pending, pending_quads = [], 0

        for result in run(to_extract(), settings):
            if isinstance(result, SourceFailure):
                summary.failed += 1
                summary.failures.append(result)
                notify("failed", result.path)
                continue
            quads = builder.quads(result, now)
            article_id = result.article.id
            summary.warnings.extend(SourceFailure(result.article.path or article_id, w) for w in result.warnings)
            event = "updated" if article_id in states else "new"
            setattr(summary, event, getattr(summary, event) + 1)
            summary.quads += len(quads)
            summary.article_ids.append(article_id)
            entity_keys.update(e.key for e in result.entities)
            if not pending:
                pending_since = time.monotonic()
            pending.append((article_id, quads))
            pending_quads += len(quads)
            if (
                len(pending) >= WRITE_BATCH_ARTICLES
                or pending_quads >= WRITE_BATCH_QUADS
                or time.monotonic() - pending_since >= WRITE_BATCH_SECONDS
            ):
                flush()
            notify(event, article_id)
        flush()
        if summary.updated:
            summary.inferred_dropped = store.remove_article(INFERRED_GRAPH_ID)
        # a store built before the entity index gets one on its next build, changed or not
        if summary.new or summary.updated or (states and entity_index_missing(store)):
            # the store is not compacted afterwards: the entity listings read the index 15-30%
            # slower from a compacted store, and the other queries no faster (bench/README.md)
            refresh_entity_index(store)

    summary.entities = len(entity_keys)
    summary.seconds = time.perf_counter() - started
    return summary


def remove_articles(article_ids: Sequence[str], settings: Settings, store: KGStore | None = None) -> list[str]:
    """Drop articles (their graphs and everything only they supported) and refresh the entity
    index; return the ids that were not in the store.

    The reasoner's graph (``kg reason``) is dropped with them, since its inferences could rest
    on the removed articles: see :func:`inferred_graph_exists` to tell the user beforehand.
    """
    store = store or open_store(settings)
    missing = []
    with store.writer():
        for article_id in article_ids:
            if not is_article_id(article_id) or not store.remove_article(article_id):
                missing.append(article_id)
        if len(missing) < len(article_ids):
            store.remove_article(INFERRED_GRAPH_ID)
            refresh_entity_index(store)
    return missing


def inferred_graph_exists(store: KGStore) -> bool:
    """Whether the store holds the reasoner's graph (which a build or removal that changes
    articles drops, see :func:`build_sources` and :func:`remove_articles`)."""
    return store.iris.graph(INFERRED_GRAPH_ID) in store.graph_names()


def import_dataset(path: str | os.PathLike[str], settings: Settings) -> int:
    """Load an N-Quads/TriG (or any RDF) file into the store and refresh its entity index;
    return the number of quads.

    Raises:
        StoreError: no such file, or it cannot be parsed.
    """
    source = Path(path)
    if not source.is_file():
        raise StoreError(f"no such file: {source}")
    try:
        rdf_format = ox.RdfFormat.from_extension(source.suffix.lstrip(".")) or ox.RdfFormat.N_QUADS
    except ValueError:
        rdf_format = ox.RdfFormat.N_QUADS
    try:
        quads = list(ox.parse(path=str(source), format=rdf_format))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot import {source}: {exc}") from None
    store = open_store(settings)
    with store.writer():
        store.load_quads(quads)
        refresh_entity_index(store)
    return len(quads)
