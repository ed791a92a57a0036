"""OWL RL materialisation into the separate inferred graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.iri import IRIMinter
from kg.reason import reason
from kg.settings import Settings

FIXTURE = Path(__file__).parent / "fixtures" / "article_valid.ttl"
SETTINGS = Settings()
IRIS = IRIMinter(SETTINGS.base_iri)
GRAPH = IRIS.graph("001_test")
INFERRED = IRIS.graph("_inferred")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KG = "https://w3id.org/kg-news/ontology#"
ENTITY = "https://w3id.org/kg-news/entity/"


@pytest.fixture()
def store() -> ox.Store:
    db = ox.Store()
    db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    return db


def inferred(store: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, INFERRED)}


def test_reason_writes_only_new_triples_to_the_inferred_graph(store: ox.Store) -> None:
    before = {q.triple for q in store.quads_for_pattern(None, None, None, GRAPH)}
    result = reason(store, SETTINGS)
    triples = inferred(store)
    assert result.inferred == len(triples) > 0
    assert result.articles == 1 and result.graph == INFERRED.value
    assert not triples & before
    person = ox.NamedNode(ENTITY + "Q3881980")
    assert ox.Triple(person, RDF_TYPE, ox.NamedNode(KG + "Agent")) in triples
    assert ox.Triple(person, RDF_TYPE, ox.NamedNode("http://www.wikidata.org/entity/Q5")) in triples
    part_of = ox.NamedNode("http://www.wikidata.org/prop/direct/P361")
    assert any(t.predicate == part_of for t in triples)
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    assert not any(t.subject == t.object for t in triples)
    assert result.inconsistencies == ()


def test_reason_replaces_the_previous_inferred_graph(store: ox.Store) -> None:
    stale = ox.Quad(ox.NamedNode(ENTITY + "stale"), RDF_TYPE, ox.NamedNode(KG + "Place"), INFERRED)
    store.add(stale)
    first = reason(store, SETTINGS)
    second = reason(store, SETTINGS)
    assert first.inferred == second.inferred == len(inferred(store))
    assert stale.triple not in inferred(store)
    assert IRIS.graph("_inferred-staging") not in set(store.named_graphs())


def test_symmetric_property_is_materialised(store: ox.Store) -> None:
    store.update(
        f"INSERT DATA {{ GRAPH {GRAPH} {{ <{ENTITY}Q7184> <{KG}alliedWith> <{ENTITY}Q423> }} }}"
    )
    reason(store, SETTINGS)
    back = ox.Triple(ox.NamedNode(ENTITY + "Q423"), ox.NamedNode(KG + "alliedWith"), ox.NamedNode(ENTITY + "Q7184"))
    assert back in inferred(store)


def test_disjoint_classes_are_reported_as_inconsistencies(store: ox.Store) -> None:
    store.add(ox.Quad(ox.NamedNode(ENTITY + "Q3881980"), RDF_TYPE, ox.NamedNode(KG + "Place"), GRAPH))
    result = reason(store, SETTINGS)
    assert result.inconsistencies
    assert any("Q3881980" in message for message in result.inconsistencies)
