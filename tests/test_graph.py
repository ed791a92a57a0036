"""The RDF stage: an extraction becomes exactly the expected named graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import __version__
from kg.graph import GraphBuilder
from kg.model import Article, Entity, Extraction, Mention, Span

FIXTURE = Path(__file__).parent / "fixtures" / "graph_small.trig"


def _extraction() -> Extraction:
    article = Article(id="a1", text="NATO met.", content_hash="sha256:x", date="2024-10-01", title="NATO met.")
    nato = Entity(key="Q7184", cls="Organization", label="NATO", aliases=("the alliance",),
                  wikidata="Q7184", link_confidence=0.95)
    mention = Mention(0, 4, "NATO", "Q7184", Span(0, 9))
    return Extraction(article, (nato,), (mention,), (Span(0, 9),), model="test_model 1.0")


def _as_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode()
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def test_graph_matches_golden_fixture():
    quads = GraphBuilder("https://example.org/").quads(
        _extraction(), dt.datetime(2024, 10, 2, tzinfo=dt.timezone.utc)
    )
    assert {q.graph_name.value for q in quads} == {"https://example.org/graph/a1"}
    expected_text = FIXTURE.read_text(encoding="utf-8").replace("VERSION", __version__)
    expected_ds = rdflib.Dataset()
    expected_ds.parse(data=expected_text, format="trig")
    expected = rdflib.Graph()
    for s, p, o, _ in expected_ds.quads((None, None, None, None)):
        expected.add((s, p, o))
    actual = _as_rdflib(quads)
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError(
            "graphs differ\nonly in actual:\n" + only_actual.serialize(format="nt")
            + "\nonly in expected:\n" + only_expected.serialize(format="nt")
        )


def test_same_extraction_gives_same_quads():
    when = dt.datetime(2024, 10, 2, tzinfo=dt.timezone.utc)
    builder = GraphBuilder("https://example.org/")
    assert builder.quads(_extraction(), when) == GraphBuilder("https://example.org/").quads(_extraction(), when)


def test_troops_somewhere_are_in_every_place_the_article_says_holds_it():
    """A deployment to the Kursk region, which the article puts in western Russia, in Russia: its
    kg:place holds all three; a clash there keeps its one place."""
    from kg.model import Event, Relation

    text = "Troops were sent to the Kursk region in western Russia and clashed there."
    article = Article(id="a2", text=text, content_hash="sha256:y", date="2024-10-01", title="T")
    entities = (
        Entity("Q3178", "Place", "Kursk Oblast", wikidata="Q3178", link_confidence=0.95),
        Entity("Place/western-russia", "Place", "western Russia"),
        Entity("Q159", "State", "Russia", wikidata="Q159", link_confidence=0.95),
    )
    sentence = Span(0, len(text))
    mentions = (Mention(24, 36, "Kursk region", "Q3178", sentence),
                Mention(40, 54, "western Russia", "Place/western-russia", sentence),
                Mention(48, 54, "Russia", "Q159", sentence))
    relations = (Relation("located_in", "Q3178", "Place/western-russia", sentence, 0.8),
                 Relation("located_in", "Place/western-russia", "Q159", sentence, 0.75))
    events = (Event("Deployment", sentence, 0.8, place="Q3178", trigger="sent"),
              Event("Clash", sentence, 0.7, place="Q3178", trigger="clashed"))
    extraction = Extraction(article, entities, mentions, (sentence,), relations=relations, events=events,
                            model="m")
    when = dt.datetime(2024, 10, 2, tzinfo=dt.timezone.utc)
    graph = _as_rdflib(GraphBuilder("https://example.org/").quads(extraction, when))
    kg_ns = "https://w3id.org/kg-news/ontology#"
    places = {}
    for event, kind in graph.subject_objects(rdflib.RDF.type):
        if str(kind) in (kg_ns + "Deployment", kg_ns + "Clash"):
            where = graph.objects(event, rdflib.URIRef(kg_ns + "place"))
            places[str(kind).rsplit("#", 1)[1]] = {str(o).rsplit("/", 1)[1] for o in where}
    assert places == {"Deployment": {"Q3178", "western-russia", "Q159"}, "Clash": {"Q3178"}}
