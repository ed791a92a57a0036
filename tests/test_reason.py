"""OWL RL materialisation into the separate inferred graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.derived.reason import infer, reason
from kg.derived.validate import to_rdflib_triple
from kg.iri import IRIMinter
from kg.settings import Settings
from kg.store.local import LocalStore

FIXTURE = Path(__file__).parent / "fixtures" / "article_valid.ttl"
SETTINGS = Settings()
IRIS = IRIMinter(SETTINGS.base_iri)
GRAPH = IRIS.graph("001_test")
INFERRED = IRIS.kg_graph("_inferred")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KG = "https://w3id.org/kg-news/ontology#"
ENTITY = "https://w3id.org/kg-news/entity/"


def _loaded(folder: Path, extra: str = "") -> LocalStore:
    """A store in ``folder`` holding the fixture article, and ``extra`` (Turtle) in its graph."""
    db = LocalStore(SETTINGS.replace(store=str(folder / "store")))
    folder.mkdir(parents=True, exist_ok=True)
    triples = [*ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TURTLE),
               *ox.parse(extra.encode(), format=ox.RdfFormat.TURTLE)]
    db.load_quads([ox.Quad(t.subject, t.predicate, t.object, GRAPH) for t in triples])
    return db


@pytest.fixture()
def store(tmp_path: Path) -> LocalStore:
    return _loaded(tmp_path)


def inferred(store: LocalStore) -> set[ox.Triple]:
    return {q.triple for q in store.quads(INFERRED)}


def test_reason_writes_only_new_triples_to_the_inferred_graph(store: LocalStore) -> None:
    before = {q.triple for q in store.quads(GRAPH)}
    result = reason(store)
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


def test_reason_says_each_step_as_it_starts(store: LocalStore) -> None:
    steps: list[str] = []
    result = reason(store, progress=steps.append)
    assert steps == [
        "reading 1 articles",
        f"closing the {result.input_triples:,} distinct triples a rule can read, of {result.read_triples:,}, under OWL RL",
        f"writing {result.inferred:,} inferred triples",
        "refreshing the entity index",
    ]


def test_reason_replaces_the_previous_inferred_graph(store: LocalStore) -> None:
    stale = ox.Quad(ox.NamedNode(ENTITY + "stale"), RDF_TYPE, ox.NamedNode(KG + "Place"), INFERRED)
    store.load_quads([stale])
    first = reason(store)
    second = reason(store)
    assert first.inferred == second.inferred == len(inferred(store))
    assert stale.triple not in inferred(store)
    assert IRIS.kg_graph("_inferred-staging") not in set(store.graph_names())


def test_symmetric_property_is_materialised(store: LocalStore) -> None:
    store.update(
        f"INSERT DATA {{ GRAPH {GRAPH} {{ <{ENTITY}Q7184> <{KG}alliedWith> <{ENTITY}Q423> }} }}"
    )
    reason(store)
    back = ox.Triple(ox.NamedNode(ENTITY + "Q423"), ox.NamedNode(KG + "alliedWith"), ox.NamedNode(ENTITY + "Q7184"))
    assert back in inferred(store)


def test_link_confidences_of_two_articles_stay_with_their_entities(store: LocalStore) -> None:
    """Each article states its own link confidence: one entity sure in one article and less
    sure in another gives no other entity either value (a functional property would equate them)."""
    other = IRIS.graph("002_test")
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    confidence = ox.NamedNode(KG + "linkConfidence")
    a, b = ox.NamedNode(ENTITY + "Q1"), ox.NamedNode(ENTITY + "Q2")
    store.load_quads([
        ox.Quad(a, RDF_TYPE, ox.NamedNode(KG + "State"), GRAPH),
        ox.Quad(a, confidence, ox.Literal("0.95", datatype=decimal), GRAPH),
        ox.Quad(b, RDF_TYPE, ox.NamedNode(KG + "State"), GRAPH),
        ox.Quad(b, confidence, ox.Literal("0.95", datatype=decimal), GRAPH),
        ox.Quad(b, RDF_TYPE, ox.NamedNode(KG + "State"), other),
        ox.Quad(b, confidence, ox.Literal("0.8", datatype=decimal), other),
    ])
    reason(store)
    assert not [t for t in inferred(store) if t.predicate == confidence]


def test_disjoint_classes_are_reported_as_inconsistencies(store: LocalStore) -> None:
    store.load_quads([ox.Quad(ox.NamedNode(ENTITY + "Q3881980"), RDF_TYPE, ox.NamedNode(KG + "Place"), GRAPH)])
    result = reason(store)
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
        assert reason(store).inferred > 0
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
        reason(store)
    assert remove_articles(["r2"], settings) == [] and not inferred_graph_exists(store)


def test_kg_graphs_cannot_be_removed_as_articles(tmp_path: Path) -> None:
    from kg.build import inferred_graph_exists, remove_articles
    from kg.derived.entity_index import ENTITY_INDEX_GRAPH_ID

    settings, store = _reasoned_store(tmp_path)
    assert remove_articles([ENTITY_INDEX_GRAPH_ID, "_inferred"], settings) == [ENTITY_INDEX_GRAPH_ID, "_inferred"]
    assert inferred_graph_exists(store) and store.iris.kg_graph(ENTITY_INDEX_GRAPH_ID) in store.graph_names()


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


def _as_rdflib(db: LocalStore, graph: ox.NamedNode) -> rdflib.Graph:
    result = rdflib.Graph()
    for q in db.quads(graph):
        result.add(to_rdflib_triple(q))
    return result


@pytest.mark.parametrize("case", ["none", *EXTRA])
def test_reasoning_over_the_triples_rules_read_gives_the_closure_of_them_all(case: str, tmp_path: Path) -> None:
    db = _loaded(tmp_path, EXTRA.get(case, ""))
    data = _as_rdflib(db, GRAPH)
    everything, messages_all = infer(data, every_triple=True)
    selected, messages = infer(data)
    assert isomorphic(selected, everything) and len(selected) > 0
    assert messages == messages_all
    result = reason(db)  # the store's path: read in passes, left-out triples read again
    assert isomorphic(_as_rdflib(db, INFERRED), everything)
    assert list(result.inconsistencies) == messages_all
    assert 0 < result.input_triples < result.read_triples == len(data)


def test_what_the_equality_cases_infer(tmp_path: Path) -> None:
    same = infer(_as_rdflib(_loaded(tmp_path / "equality", EXTRA["equality"]), GRAPH))[0]
    # the mention of "Zelensky" now also links the other holder: a copy of a left-out triple
    mention = rdflib.URIRef("https://w3id.org/kg-news/article/001_test#char=0,8")
    ta_ident = rdflib.URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")
    assert (mention, ta_ident, rdflib.URIRef(ENTITY + "Q57792")) in same
    _, messages = infer(_as_rdflib(_loaded(tmp_path / "ill-typed", EXTRA["ill-typed"]), GRAPH))
    assert any("'zero' does not match" in m for m in messages)
    transitive = infer(_as_rdflib(_loaded(tmp_path / "axiom", EXTRA["data axiom"]), GRAPH))[0]
    assert (rdflib.URIRef(ENTITY + "a"), rdflib.URIRef("http://example.org/p"), rdflib.URIRef(ENTITY + "c")) in transitive
