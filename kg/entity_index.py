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
it, and ``kg export`` leaves it out. A refresh is one SPARQL update request, which Oxigraph
applies as one transaction, so readers see the old index or the new one, never half of one.
It deletes the triples that are no longer true and inserts the missing ones, so an unchanged
entity costs no write. A store's first index (a new store) is read with a query and written as
one graph instead, which the store loads atomically too and faster than an update inserts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.iri import IRIMinter
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.store import KGStore

ENTITY_INDEX_GRAPH_ID = "_entities"
"""Id of the index graph; graphs whose id starts with ``_`` are not article graphs."""

StoreLike = Union["KGStore", ox.Store]

# One row per triple the index should hold. Each description part is made distinct (or
# aggregated) in its own sub-select and joined to the indexed entities by hash. Every branch of
# the union binds ?entity: a branch without it makes Oxigraph join entity by entity (25 s instead
# of 1 s on the BBC store). An update has no union default graph, so the article graphs (and
# _inferred) are read with GRAPH ?g, leaving out the index itself.
_DESCRIPTIONS = """{
  SELECT ?entity ?p ?o WHERE {
    {
      SELECT ?entity ?mentions ?articles WHERE {
        {
          SELECT ?entity (COUNT(*) AS ?mentions) (COUNT(DISTINCT ?g) AS ?articles) WHERE {
            GRAPH ?g { ?mention itsrdf:taIdentRef ?entity } FILTER(?g != graph:_entities)
          } GROUP BY ?entity
        }
        {
          SELECT DISTINCT ?entity WHERE {
            VALUES ?class { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }
            GRAPH ?g { ?entity a ?class } FILTER(?g != graph:_entities)
          }
        }
      }
    }
    {
      {
        SELECT DISTINCT ?entity ?p ?value WHERE {
          VALUES ?p { rdfs:label skos:altLabel skos:exactMatch kg:linkConfidence }
          GRAPH ?g { ?entity ?p ?value } FILTER(?g != graph:_entities)
        }
      } UNION {
        SELECT DISTINCT ?entity ?p ?value WHERE {
          VALUES ?p { rdf:type }
          VALUES ?value { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }
          GRAPH ?g { ?entity ?p ?value } FILTER(?g != graph:_entities)
        }
      } UNION {
        SELECT ?entity (skos:prefLabel AS ?p) (MIN(?name) AS ?value) WHERE {
          GRAPH ?g { ?entity rdfs:label ?name } FILTER(?g != graph:_entities)
        } GROUP BY ?entity
      } UNION {
        SELECT DISTINCT ?entity ?p WHERE {
          VALUES ?p { kg:mentionCount kg:articleCount }
          GRAPH ?g { ?mention itsrdf:taIdentRef ?entity } FILTER(?g != graph:_entities)
        }
      }
    }
    BIND(COALESCE(?value, IF(?p = kg:mentionCount, ?mentions, ?articles)) AS ?o)
  }
}"""

# The wanted triples (side 1) and the indexed ones (side 2) are grouped: a triple on one side
# only is inserted or deleted. ?none is never bound, so IF(…, ?entity, ?none) leaves the subject
# unbound on the other side, and an update template skips a triple with an unbound variable.
# On the unchanged BBC store this takes 1.1 s, against 1.25 s for DELETE … MINUS then INSERT …
# MINUS (the wanted triples computed twice) and over 3 s for DROP then INSERT, which rewrites
# every triple; creating the index there (~67,000 triples) takes 2.2 s this way, 1.35 s as a
# query and a bulk load (refresh_entity_index).
_REFRESH = """
DELETE { GRAPH graph:_entities { ?stale ?p ?o } }
INSERT { GRAPH graph:_entities { ?missing ?p ?o } }
WHERE {
  {
    SELECT ?entity ?p ?o (SUM(?side) AS ?sides) WHERE {
      { DESCRIPTIONS BIND(1 AS ?side) }
      UNION
      { GRAPH graph:_entities { ?entity ?p ?o } BIND(2 AS ?side) }
    } GROUP BY ?entity ?p ?o
  }
  BIND(IF(?sides = 2, ?entity, ?none) AS ?stale)
  BIND(IF(?sides = 1, ?entity, ?none) AS ?missing)
}""".replace("DESCRIPTIONS", _DESCRIPTIONS)

_SELECT_DESCRIPTIONS = "SELECT ?entity ?p ?o WHERE " + _DESCRIPTIONS
_HAS_INDEX = "ASK { GRAPH graph:_entities { ?entity ?p ?o } }"
_HAS_ENTITIES = """ASK {
  ?mention itsrdf:taIdentRef ?entity .
  ?entity a ?class VALUES ?class { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }
}"""


def entity_index_graph(settings: Settings) -> ox.NamedNode:
    """The IRI of the index graph, ``<{base}graph/_entities>``."""
    return IRIMinter(settings.base_iri).graph(ENTITY_INDEX_GRAPH_ID)


def refresh_entity_index(store: StoreLike, settings: Settings) -> None:
    """Bring the index graph up to date with the article graphs, in one atomic write: the update
    below, or a first index loaded as one graph.

    The update names the index ``graph:_entities``; the prefix comes from the store (a
    :class:`~kg.store.KGStore` declares ``graph:`` under its base IRI), so no IRI is formatted
    into the text.

    Args:
        store: a :class:`kg.store.KGStore` or a bare :class:`pyoxigraph.Store` (as
            :mod:`kg.reason` accepts), held by the caller's writer.
        settings: gives the base IRI the graphs of a bare :class:`pyoxigraph.Store` are named
            under.

    Raises:
        QueryError: the store rejects the update.
        StoreError: the store cannot be written.
    """
    try:
        if isinstance(store, ox.Store):
            store.update(_REFRESH, prefixes=IRIMinter(settings.base_iri).prefixes())
        elif store.query(_HAS_INDEX).boolean:
            store.update(_REFRESH)
        else:
            # a first index (a new store): nothing to compare with, so the triples are read and
            # written as one graph, which a store loads atomically (Oxigraph's bulk loader, a
            # Graph Store PUT): 1.35 s instead of 2.2 s for the update on the BBC store
            rows = store.query(_SELECT_DESCRIPTIONS).rows
            store.replace_articles([(ENTITY_INDEX_GRAPH_ID, [ox.Quad(s, p, o, store.index_graph) for s, p, o in rows])])
    except OSError as exc:
        raise StoreError(f"cannot refresh the entity index: {exc}") from None


def entity_index_missing(store: "KGStore") -> bool:
    """Whether some entity of a kg class is mentioned but the index graph is absent (a store
    built by a kg older than the index, or changed by hand); an ASK that stops at the first
    indexed triple, and only then a second that stops at the first such entity."""
    if store.query(_HAS_INDEX).boolean:
        return False
    return bool(store.query(_HAS_ENTITIES).boolean)


def reads_entity_index(sparql: str, store: "KGStore") -> bool:
    """Whether a query names the index graph (as ``graph:_entities`` or by its IRI)."""
    return f"graph:{ENTITY_INDEX_GRAPH_ID}" in sparql or store.index_graph.value in sparql


def require_entity_index(store: "KGStore") -> None:
    """Fail with a clear message when a query would read an index the store lacks.

    Raises:
        QueryError: entities of a kg class are mentioned but there is no index graph.
    """
    if entity_index_missing(store):
        raise QueryError(
            "the store has no entity index (it was built by an older kg); "
            "run 'kg build' on it again to create it"
        )
