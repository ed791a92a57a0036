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
