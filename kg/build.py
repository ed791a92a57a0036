"""The whole pipeline: sources -> NLP -> extraction -> RDF -> store, streaming.

Articles are read lazily, unchanged ones (same content hash, same kg version and model, in the
graph their id names) are skipped before any NLP, extraction runs where the executor says
(:mod:`kg.executors`: this process, ``jobs`` worker processes each loading the model once, or a
Dask cluster), and quads are written to the store in batches, one atomic graph replacement per
article. Articles longer than the ``max_article_chars`` setting are not built, with a line that
says so. The entity index (:mod:`kg.derived.entity_index`) is refreshed at the end of a build
that finds it derived from another state of the store than the present one (changed articles,
or an earlier build stopped before its refresh), after articles are removed, and after an import.

Every input ends up in the summary: written (new or updated), skipped (unchanged, or read twice),
or refused with its reason (unreadable, no text, a bad or already taken id, too long).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterator, NamedTuple, Sequence

import pyoxigraph as ox

from kg import __version__
from kg.derived.entity_index import entity_index_current, refresh_entity_index
from kg.errors import StoreError
from kg.graph import GraphBuilder
from kg.iri import INFERRED_GRAPH_ID, canonical_id
from kg.model import Article, SourceFailure
from kg.pipeline import pipeline_name
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
    """What a build did; ``failures`` lists each input that could not be built (refused, with
    the reason and, when it had one, its id), ``warnings`` the problems of inputs that were built
    anyway (e.g. an invalid date marker) or read twice."""

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
    """Ids of the articles written or skipped, in input order."""
    written_ids: list[str] = field(default_factory=list)
    """Ids of the articles written (new or updated), in input order."""
    skipped_ids: list[str] = field(default_factory=list)
    """Ids of the articles skipped (unchanged in the store), in input order."""
    inferred_dropped: bool = False
    """Whether the reasoner's graph was dropped: it could rest on the replaced articles."""
    index_refreshed: bool = False
    """Whether the entity index was refreshed (the store had changed since it was derived)."""

    @property
    def ok(self) -> bool:
        return self.failed == 0


ProgressCallback = Callable[[str, str], None]
"""Called with ``(event, article id or path)``; event is new/updated/skipped/failed."""


class ArticleState(NamedTuple):
    """What the store holds of one article: whether a build may skip it."""

    content_hash: str
    version: str
    model: str
    graph: ox.NamedNode
    shared: bool
    """Whether the graph holds other articles too (ids that differed only in Unicode
    normalisation shared one graph before ids were made canonical): rebuilt, never skipped."""


def _kg_graphs(store: KGStore) -> frozenset[ox.NamedNode]:
    """kg's own graphs, which an article of an older kg may have been written into (an id such
    as ``_inferred``) but which no build or removal of an article drops."""
    return store.derived_graphs | {store.iris.kg_graph(INFERRED_GRAPH_ID)}


def _stored_states(store: KGStore) -> dict[str, list[ArticleState]]:
    """Every article of the store by canonical id; an id may be in several graphs (an IRI of
    an older kg besides the present one)."""
    if not store.exists():  # a new store has nothing to skip
        return {}
    rows = [row for row in store.query(bundled_sparql("internal/article-states")).rows
            if row[0] is not None and isinstance(row[4], ox.NamedNode)]
    per_graph = collections.Counter(graph for graph, _, _ in {(row[4], row[0], row[1]) for row in rows})
    states: dict[str, list[ArticleState]] = {}
    for article_id, content_hash, version, model, graph in rows:
        states.setdefault(canonical_id(article_id.value), []).append(ArticleState(
            content_hash.value if content_hash is not None else "",
            version.value if version is not None else "",
            model.value if model is not None else "",
            graph, per_graph[graph] > 1,  # type: ignore[arg-type]
        ))
    return states


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
    stale_graphs: set[ox.NamedNode] = set()

    def refuse(failure: SourceFailure) -> None:
        summary.failed += 1
        summary.failures.append(failure)
        notify("failed", failure.path)

    kept = _kg_graphs(store)
    with store.writer():
        states = _stored_states(store)
        model_name = pipeline_name(settings.model)  # a pipeline folder counts by its name

        def unchanged(article: Article) -> bool:
            """Whether the store holds this article as this build would write it; notes the
            graphs an older kg kept it in, to drop."""
            graph = store.iris.graph(article.id)
            found = states.get(article.id, [])
            stale_graphs.update(s.graph for s in found if s.graph != graph and s.graph not in kept)
            current = [s for s in found if s.graph == graph]
            return (
                not force and len(current) == 1 and not current[0].shared
                and current[0].content_hash == article.content_hash
                and current[0].version == __version__
                and current[0].model.split(" ")[0] == model_name
            )

        def to_extract() -> Iterator[Article]:
            for item in read_sources(sources, stdin=stdin):
                if isinstance(item, SourceFailure):
                    if item.repeat_of is not None:  # the same article again: read once
                        summary.warnings.append(item)
                        continue
                    refuse(item)
                    continue
                summary.warnings.extend(SourceFailure(item.path or item.id, w) for w in item.warnings)
                if settings.max_article_chars and len(item.text) > settings.max_article_chars:
                    refuse(SourceFailure(
                        item.path or item.id,
                        f"article of {len(item.text):,} characters, longer than the max_article_chars "
                        f"setting ({settings.max_article_chars:,}); not built (split it, or raise the "
                        "setting: KG_MAX_ARTICLE_CHARS)",
                        article_id=item.id,
                    ))
                    continue
                if unchanged(item):
                    summary.skipped += 1
                    summary.article_ids.append(item.id)
                    summary.skipped_ids.append(item.id)
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
                refuse(result)
                continue
            quads = builder.quads(result, now)
            article_id = result.article.id
            summary.warnings.extend(SourceFailure(result.article.path or article_id, w) for w in result.warnings)
            event = "updated" if article_id in states else "new"
            setattr(summary, event, getattr(summary, event) + 1)
            summary.quads += len(quads)
            summary.article_ids.append(article_id)
            summary.written_ids.append(article_id)
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
        for graph in sorted(stale_graphs, key=lambda g: g.value):  # after the article's new graph is written
            store.remove_graph(graph)
        if summary.updated:
            summary.inferred_dropped = store.remove_graph(store.iris.kg_graph(INFERRED_GRAPH_ID))
        # the index is refreshed from the store's state, not from what this run changed: a build
        # stopped between its last write and the refresh left an index that this one repairs
        if summary.new or summary.updated or stale_graphs or not entity_index_current(store):
            # the store is not compacted afterwards: the entity listings read the index 15-30%
            # slower from a compacted store, and the other queries no faster (bench/README.md)
            refresh_entity_index(store)
            summary.index_refreshed = True

    summary.entities = len(entity_keys)
    summary.seconds = time.perf_counter() - started
    return summary


def remove_articles(article_ids: Sequence[str], settings: Settings, store: KGStore | None = None) -> list[str]:
    """Drop articles (their graphs and everything only they supported) and refresh the entity
    index; return the ids that were not in the store.

    An id is read in its canonical form (:func:`kg.iri.canonical_id`), and every graph that
    holds an article of that id is dropped (an older kg kept ids starting with ``_`` under
    another IRI). The reasoner's graph (``kg reason``) is dropped with them, since its
    inferences could rest on the removed articles: see :func:`inferred_graph_exists` to tell
    the user beforehand.
    """
    store = store or open_store(settings)
    missing = []
    with store.writer():
        states = _stored_states(store)
        removed = False
        for article_id in article_ids:
            wanted = canonical_id(article_id)
            graphs = {state.graph for state in states.get(wanted, [])} - _kg_graphs(store)
            graphs.add(store.iris.graph(wanted))
            dropped = [store.remove_graph(graph) for graph in sorted(graphs, key=lambda g: g.value)]
            if any(dropped):
                removed = True
            else:
                missing.append(article_id)
        if removed:
            store.remove_graph(store.iris.kg_graph(INFERRED_GRAPH_ID))
            refresh_entity_index(store)
    return missing


def inferred_graph_exists(store: KGStore) -> bool:
    """Whether the store holds the reasoner's graph (which a build or removal that changes
    articles drops, see :func:`build_sources` and :func:`remove_articles`)."""
    return store.iris.kg_graph(INFERRED_GRAPH_ID) in store.graph_names()


# import ----------------------------------------------------------------------------------------
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY")


def _declares_xml_entities(path: Path) -> bool:
    """Whether an XML file declares DTD entities (``<!ENTITY``), read in the encodings XML
    allows without a declaration it could hide behind: UTF-8, UTF-16 in either byte order."""
    patterns = [_ENTITY_DECLARATION] + [
        re.compile(re.escape("<!ENTITY".encode(codec))) for codec in ("utf-16-le", "utf-16-be")
    ]
    overlap = 16
    with path.open("rb") as handle:
        tail = b""
        while True:
            block = handle.read(1 << 20)
            if not block:
                return False
            window = tail + block
            if any(pattern.search(window) for pattern in patterns):
                return True
            tail = window[-overlap:]


def import_dataset(path: str | os.PathLike[str], settings: Settings) -> int:
    """Load a dataset (N-Quads, TriG or JSON-LD, as ``kg export`` writes them) into the store,
    each named graph replacing the store's graph of that name, and refresh the entity index;
    return the number of quads.

    Refused, with nothing written: a file of triples without graphs (Turtle, N-Triples, RDF/XML,
    N3) or a dataset with statements in its default graph, which no kg command would see (kg
    keeps every statement in an article's graph), and XML that declares DTD entities, whose
    expansion ("billion laughs") can exhaust any memory. Quads in kg's derived graphs (the
    entity index and its state) are left out: the refresh derives them again.

    Raises:
        StoreError: no such file, it cannot be parsed, or it is refused (see above).
    """
    source = Path(path)
    if not source.is_file():
        raise StoreError(f"no such file: {source}")
    try:
        rdf_format = ox.RdfFormat.from_extension(source.suffix.lstrip(".")) or ox.RdfFormat.N_QUADS
    except ValueError:
        rdf_format = ox.RdfFormat.N_QUADS
    if rdf_format == ox.RdfFormat.RDF_XML:
        try:
            if _declares_xml_entities(source):
                raise StoreError(
                    f"cannot import {source}: it declares XML entities (<!ENTITY …>), whose expansion "
                    "can exhaust any memory; kg reads no DTD entities"
                )
        except OSError as exc:
            raise StoreError(f"cannot read {source}: {exc.strerror or exc}") from None
    if not rdf_format.supports_datasets:
        raise StoreError(
            f"cannot import {source}: {rdf_format.name} holds triples without named graphs, and kg "
            "keeps every statement in an article's graph; import a dataset (TriG, N-Quads or "
            "JSON-LD, as 'kg export --format trig|nquads|jsonld' writes it)"
        )
    try:
        quads = list(ox.parse(path=str(source), format=rdf_format))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot import {source}: {exc}") from None
    except OSError as exc:
        raise StoreError(f"cannot import {source}: {exc}") from None
    outside = sum(1 for q in quads if not isinstance(q.graph_name, ox.NamedNode))
    if outside:
        raise StoreError(
            f"cannot import {source}: {outside:,} of its {len(quads):,} statements are outside any "
            "graph named by an IRI (in the default graph), where no kg command would see them; kg "
            "keeps every statement in an article's graph (import a dataset as 'kg export' writes it)"
        )
    store = open_store(settings)
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    for quad in quads:
        if quad.graph_name not in store.derived_graphs:
            graphs.setdefault(quad.graph_name, []).append(quad)  # type: ignore[arg-type]
    with store.writer():
        store.replace_graphs(list(graphs.items()))
        refresh_entity_index(store)
    return sum(len(g) for g in graphs.values())
