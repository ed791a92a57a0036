"""The entity index: one graph holding one copy of the description of every mentioned entity.

Every article graph repeats the description (class, labels, aliases, Wikidata link, link
confidence) of each entity it mentions, so a listing over the union of the article graphs must
make thousands of copies distinct again at every query. The index graph ``graph:_entities``
(``<{base}graph/_entities>``) holds each of those triples once, for every entity that some graph
mentions (``itsrdf:taIdentRef``) and that has one of the five kg classes, plus what the listings
would otherwise compute: ``kg:mentionCount`` (distinct (mention, graph) pairs), ``kg:articleCount`` (distinct
graphs with a mention) and ``skos:prefLabel`` (the least of its ``rdfs:label`` values, the label
a listing shows). The ``entities-by-type``, ``entity-names`` and ``wikidata-links`` queries read
it instead of the article graphs.

The index is derived data: ``kg build``, ``kg remove``, ``kg import`` and ``kg reason`` refresh
it, and ``kg export`` leaves it out (:mod:`kg.store` knows the graph as derived data). A
refresh is one SPARQL update request, which Oxigraph applies as one transaction, so readers see
the old index or the new one, never half of one.
It deletes the triples that are no longer true and inserts the missing ones, so an unchanged
entity costs no write. A store's first index (a new store) is read with a query and written as
one graph instead, which the store loads atomically too and faster than an update inserts it.

Whether the index is current is read from the store, not from what one run changed: each
refresh records, in kg's graph ``graph:_state``, a digest of what it was derived from (every
article's graph, content hash, kg version and model, the other graphs, the size of the inferred
graph: :func:`source_digest`), and a build refreshes the index whenever the store's digest
differs, changed articles or not. A build killed between its last article write and the refresh
leaves a digest that no longer matches, so the next run refreshes, though it skips every article.

The SPARQL is in ``queries/internal/``: ``entity-index-refresh.rq`` (the update),
``entity-index-descriptions.rq`` (a first index), ``has-entity-index.rq``,
``has-indexed-entities.rq``, and ``article-states.rq``, ``graph-size.rq``, ``index-state.rq``
for the digest.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.iri import INFERRED_GRAPH_ID, IRIMinter
from kg.settings import Settings
from kg.store import ENTITY_INDEX_GRAPH_ID, KGStore, bundled_sparql
from kg.vocab import KG

__all__ = [
    "ENTITY_INDEX_GRAPH_ID",
    "entity_index_current",
    "entity_index_graph",
    "entity_index_missing",
    "reads_entity_index",
    "refresh_entity_index",
    "require_entity_index",
    "source_digest",
]


def entity_index_graph(settings: Settings) -> ox.NamedNode:
    """The IRI of the index graph, ``<{base}graph/_entities>``."""
    return IRIMinter(settings.base_iri).kg_graph(ENTITY_INDEX_GRAPH_ID)


def source_digest(store: KGStore) -> str:
    """A digest of what the entity index is derived from: the graph, id, content hash, kg
    version and model of every article, the names of the other graphs, and the size of the
    inferred graph. Equal digests, equal inputs (an article's graph is a function of its text,
    kg version and model)."""
    lines = sorted(
        "\t".join("" if term is None else term.value for term in row)
        for row in store.query(bundled_sparql("internal/article-states")).rows
    )
    lines += sorted(f"graph\t{graph.value}" for graph in store.graph_names() if graph not in store.derived_graphs)
    inferred = store.iris.kg_graph(INFERRED_GRAPH_ID)
    size = store.query(bundled_sparql("internal/graph-size"), {"graph": inferred}).rows
    lines.append(f"inferred\t{size[0][1].value if size and size[0][1] is not None else 0}")
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _recorded_digest(store: KGStore) -> str | None:
    rows = store.query(bundled_sparql("internal/index-state")).rows
    return rows[0][0].value if rows and rows[0][0] is not None else None


def entity_index_current(store: KGStore) -> bool:
    """Whether the index was derived from the store as it is now (its recorded digest is the
    store's :func:`source_digest`); a store with nothing to index needs no index."""
    if not store.exists():
        return True
    if entity_index_missing(store):  # dropped by hand, or never written
        return False
    recorded = _recorded_digest(store)
    if recorded is None:  # no record: current only if there is no index either, nor anything to index
        return not store.query(bundled_sparql("internal/has-entity-index")).boolean
    return recorded == source_digest(store)


def refresh_entity_index(store: KGStore) -> None:
    """Bring the index graph up to date with the article graphs, in one atomic write: the
    update ``queries/internal/entity-index-refresh.rq``, or a first index loaded as one graph.

    The update names the index ``graph:_entities``; the prefix comes from the store (a
    :class:`~kg.store.KGStore` declares ``graph:`` under its base IRI), so no IRI is formatted
    into the text.

    Args:
        store: the store, held by the caller's writer.

    Raises:
        QueryError: the store rejects the update.
        StoreError: the store cannot be written.
    """
    try:
        digest = source_digest(store)
        if store.query(bundled_sparql("internal/has-entity-index")).boolean:
            store.update(bundled_sparql("internal/entity-index-refresh"))
        else:
            # a first index (a new store): nothing to compare with, so the triples are read and
            # written as one graph, which a store loads atomically (Oxigraph's bulk loader, a
            # Graph Store PUT): 1.35 s instead of 2.2 s for the update on the BBC store
            rows = store.query(bundled_sparql("internal/entity-index-descriptions")).rows
            store.replace_graphs([(store.index_graph, [ox.Quad(s, p, o, store.index_graph) for s, p, o in rows])])
        # recorded last: a refresh cut short leaves the old digest, and the next build refreshes
        stamp = ox.Quad(store.index_graph, KG.contentHash, ox.Literal(digest), store.state_graph)
        store.replace_graphs([(store.state_graph, [stamp])])
    except OSError as exc:
        raise StoreError(f"cannot refresh the entity index: {exc}") from None


def entity_index_missing(store: KGStore) -> bool:
    """Whether some entity of a kg class is mentioned but the index graph is absent (a store
    built by a kg older than the index, or changed by hand); an ASK that stops at the first
    indexed triple, and only then a second that stops at the first such entity."""
    if store.query(bundled_sparql("internal/has-entity-index")).boolean:
        return False
    return bool(store.query(bundled_sparql("internal/has-indexed-entities")).boolean)


def reads_entity_index(sparql: str, store: KGStore) -> bool:
    """Whether a query names the index graph (as ``graph:_entities`` or by its IRI)."""
    return f"graph:{ENTITY_INDEX_GRAPH_ID}" in sparql or store.index_graph.value in sparql


def require_entity_index(store: KGStore) -> None:
    """Fail with a clear message when a query would read an index the store lacks.

    Raises:
        QueryError: entities of a kg class are mentioned but there is no index graph.
    """
    if entity_index_missing(store):
        raise QueryError(
            "the store has no entity index (a build was interrupted before it, or an older kg "
            "built the store); run 'kg build' on it again to create it"
        )
