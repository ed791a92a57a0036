"""OWL RL materialisation into the separate inferred graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.iri import IRIMinter
from kg.reason import infer, reason
from kg.settings import Settings
from kg.store import LocalStore

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


def test_reason_says_each_step_as_it_starts(store: ox.Store) -> None:
    steps: list[str] = []
    result = reason(store, SETTINGS, progress=steps.append)
    assert steps == [
        "reading 1 articles",
        f"closing the {result.input_triples:,} distinct triples a rule can read, of {result.read_triples:,}, under OWL RL",
        f"writing {result.inferred:,} inferred triples",
        "refreshing the entity index",
    ]


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


# a changed article takes the inferred graph with it ---------------------------------------------
TEXTS = {
    "r1.txt": "President Vladimir Putin of Russia met Kim Jong Un in Pyongyang on June 19, 2024.\n",
    "r2.txt": "Ukrainian forces clashed with North Korean troops in Kursk on November 5.\n",
}


def _reasoned_store(folder: Path) -> tuple[Settings, LocalStore]:
    from kg.build import build_sources

    from conftest import write_texts

    settings = Settings(store=str(folder / "store"))
    assert build_sources([str(write_texts(folder, TEXTS))], settings).new == 2
    store = LocalStore(settings)
    with store.writer():
        assert reason(store, settings).inferred > 0
    return settings, store


def test_new_articles_keep_the_inferred_graph_changed_or_removed_ones_drop_it(tmp_path: Path) -> None:
    from kg.build import build_sources, inferred_graph_exists, remove_articles

    settings, store = _reasoned_store(tmp_path)
    (tmp_path / "r3.txt").write_text("Kim Jong Un visited Moscow.\n", encoding="utf-8")
    added = build_sources([str(tmp_path)], settings)  # its inferences stay true: kept
    assert added.new == 1 and not added.inferred_dropped and inferred_graph_exists(store)

    (tmp_path / "r1.txt").write_text(TEXTS["r1.txt"].replace("June 19", "June 20"), encoding="utf-8")
    changed = build_sources([str(tmp_path)], settings)
    assert changed.updated == 1 and changed.inferred_dropped and not inferred_graph_exists(store)

    with store.writer():
        reason(store, settings)
    assert remove_articles(["r2"], settings) == [] and not inferred_graph_exists(store)


def test_kg_graphs_cannot_be_removed_as_articles(tmp_path: Path) -> None:
    from kg.build import inferred_graph_exists, remove_articles
    from kg.entity_index import ENTITY_INDEX_GRAPH_ID

    settings, store = _reasoned_store(tmp_path)
    assert remove_articles([ENTITY_INDEX_GRAPH_ID, "_inferred"], settings) == [ENTITY_INDEX_GRAPH_ID, "_inferred"]
    assert inferred_graph_exists(store) and store.iris.graph(ENTITY_INDEX_GRAPH_ID) in store.graph_names()


# the closure of the triples a rule can read is the closure of them all ---------------------------
ROLE = "https://w3id.org/kg-news/article/001_test#role-test"
EXTRA = {
    # kg:roleHolder is functional: two holders of one role are the same person, and every
    # triple about either (the mentions' links included) is copied onto the other
    "equality": f"<{ROLE}> a <{KG}Role> ; <{KG}roleHolder> <{ENTITY}Q3881980> , <{ENTITY}Q57792> .",
    # kg:linkConfidence is functional: two values make two literals equal
    "literal equality": f"<{ENTITY}Q3881980> <{KG}linkConfidence> 0.5 .",
    # an offset no rule reads, whose lexical form is not a number
    "ill-typed": "<https://w3id.org/kg-news/article/001_test#char=0,8> "
    "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> "
    "\"zero\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .",
    # an axiom stated in the data makes a property no axiom of the ontology names readable
    "data axiom": "<http://example.org/p> a <http://www.w3.org/2002/07/owl#TransitiveProperty> . "
    f"<{ENTITY}a> <http://example.org/p> <{ENTITY}b> . <{ENTITY}b> <http://example.org/p> <{ENTITY}c> .",
    # an equal of a class: the copies of the triples typed with it feed the class rules
    "class equality": f"<{ROLE}> a <{KG}Role> ; <{KG}roleHolder> <{ENTITY}Q3881980> , <{KG}Organization> . "
    f"<{ENTITY}x> a <{ENTITY}Q3881980> .",
}


def _loaded(extra: str) -> ox.Store:
    db = ox.Store()
    db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    db.load(extra.encode(), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    return db


def _as_rdflib(db: ox.Store, graph: ox.NamedNode) -> rdflib.Graph:
    from kg.validate import to_rdflib_triple

    result = rdflib.Graph()
    for q in db.quads_for_pattern(None, None, None, graph):
        result.add(to_rdflib_triple(q))
    return result


@pytest.mark.parametrize("case", ["none", *EXTRA])
def test_reasoning_over_the_triples_rules_read_gives_the_closure_of_them_all(case: str) -> None:

    db = _loaded(EXTRA.get(case, ""))
    data = _as_rdflib(db, GRAPH)
    everything, messages_all = infer(data, every_triple=True)
    selected, messages = infer(data)
    assert isomorphic(selected, everything) and len(selected) > 0
    assert messages == messages_all
    result = reason(db, SETTINGS)  # the store's path: read in passes, left-out triples read again
    assert isomorphic(_as_rdflib(db, INFERRED), everything)
    assert list(result.inconsistencies) == messages_all
    assert 0 < result.input_triples < result.read_triples == len(data)


def test_what_the_equality_cases_infer() -> None:
    same = infer(_as_rdflib(_loaded(EXTRA["equality"]), GRAPH))[0]
    # the mention of "Zelensky" now also links the other holder: a copy of a left-out triple
    mention = rdflib.URIRef("https://w3id.org/kg-news/article/001_test#char=0,8")
    ta_ident = rdflib.URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")
    assert (mention, ta_ident, rdflib.URIRef(ENTITY + "Q57792")) in same
    _, messages = infer(_as_rdflib(_loaded(EXTRA["ill-typed"]), GRAPH))
    assert any("'zero' does not match" in m for m in messages)
    transitive = infer(_as_rdflib(_loaded(EXTRA["data axiom"]), GRAPH))[0]
    assert (rdflib.URIRef(ENTITY + "a"), rdflib.URIRef("http://example.org/p"), rdflib.URIRef(ENTITY + "c")) in transitive
