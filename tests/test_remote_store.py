"""The remote store (issue 9): a build into an ``oxigraph serve`` endpoint equals a local build.

Starts the Oxigraph server (the ``oxigraph`` binary of the PyPI ``oxigraph`` package, next to
the interpreter, or on ``PATH``) on a free localhost port; skips when it is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.queries.browse import describe_entity, find_entity, list_entities
from kg.queries.link import link_store_entities
from kg.build import build_sources, remove_articles
from kg.derived.entity_index import entity_index_graph
from kg.errors import QueryError, StoreError
from kg.queries import run_query
from kg.store.remote import RemoteStore, bind_values
from kg.settings import Settings
from kg.store.local import LocalStore
from kg.derived.validate import validate_store
from kg.vocab import ITSRDF

from conftest import assert_same_dataset, dataset_lines, free_port, write_texts

ARTICLES = {
    "r1.txt": "North Korea has sent about 10,000 troops to Russia's Kursk region, "
              "Ukrainian President Volodymyr Zelensky said on Friday.\n",
    "r2.txt": "NATO Secretary General Mark Rutte met officials in Brussels. "
              "Russia and North Korea signed a defence pact in June.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_texts(tmp_path_factory.mktemp("corpus"), ARTICLES)


@pytest.fixture(scope="module")
def builds(server, corpus, tmp_path_factory):
    local = Settings(store=str(tmp_path_factory.mktemp("local") / "store"))
    remote = Settings(store=server)
    local_summary = build_sources([str(corpus)], local)
    remote_summary = build_sources([str(corpus)], remote)
    return local, remote, local_summary, remote_summary


def test_remote_build_is_isomorphic_to_local(builds):
    local, remote, local_summary, remote_summary = builds
    assert remote_summary.failed == 0 and remote_summary.new == 2
    assert remote_summary.quads == local_summary.quads
    store = RemoteStore(remote)
    assert sorted(g.value for g in store.graph_names()) == sorted(g.value for g in LocalStore(local).graph_names())
    assert_same_dataset(dataset_lines(store.quads()), dataset_lines(LocalStore(local).quads()))
    index = entity_index_graph(remote)
    remote_index = dataset_lines(store.quads(index))
    assert remote_index and remote_index == dataset_lines(LocalStore(local).quads(index))


@pytest.mark.parametrize("union", ["parameter", "dataset"])
def test_listing_queries_read_the_remote_index(builds, union):
    local, remote, _, _ = builds
    for name in ("entities-by-type", "entity-names", "wikidata-links"):
        remote_rows = run_query(RemoteStore(remote, union=union), name).rows
        assert remote_rows and sorted(map(str, remote_rows)) == sorted(map(str, run_query(LocalStore(local), name).rows))


@pytest.mark.parametrize("union", ["parameter", "dataset"])
def test_browsing_and_validation_match_local(builds, union):
    """kg entities, kg show, kg link's listing and kg validate in two processes, on the endpoint."""
    local, remote, _, _ = builds
    remote_store, local_store = RemoteStore(remote, union=union), LocalStore(local)
    assert list_entities(remote_store) == list_entities(local_store) != []
    rutte = find_entity(local_store, "Rutte")
    assert len(rutte) == 1 and find_entity(remote_store, "rutte") == rutte
    assert describe_entity(remote_store, "Rutte") == describe_entity(local_store, "Rutte")
    assert link_store_entities(remote_store, remote).as_dict() == link_store_entities(local_store, local).as_dict()
    remote_report = validate_store(remote_store, jobs=2)
    assert remote_report.articles == 2 and remote_report.violations == validate_store(local_store).violations


def test_limit_on_the_endpoint_matches_local(builds):
    local, remote, _, _ = builds
    for name in ("entities-by-type", "CONSTRUCT { ?e a ?c } WHERE { GRAPH ?g { ?e a ?c } }"):
        remote_first, local_first = (run_query(s, name, limit=2) for s in (RemoteStore(remote), LocalStore(local)))
        assert remote_first.truncated and local_first.truncated
        assert len(remote_first.rows or remote_first.triples) == 2
        assert remote_first.rows == local_first.rows  # entities-by-type is ordered; CONSTRUCT has none


def test_rebuild_skips_unchanged_articles(builds, corpus):
    _, remote, _, _ = builds
    summary = build_sources([str(corpus)], remote)
    assert (summary.skipped, summary.new, summary.updated) == (2, 0, 0)


def test_query_with_bindings_matches_local(builds):
    local, remote, _, _ = builds
    sparql = "SELECT ?article ?title WHERE { ?a a kg:Article ; dcterms:identifier ?article ; dcterms:title ?title }"
    binding = {"article": ox.Literal("r1")}
    remote_rows = RemoteStore(remote).query(sparql, binding).rows
    assert remote_rows == LocalStore(local).query(sparql, binding).rows
    assert len(remote_rows) == 1 and remote_rows[0][0] == ox.Literal("r1")
    assert RemoteStore(remote).query("ASK { ?a dcterms:identifier ?id }", {"id": ox.Literal("nope")}).boolean is False


def test_values_are_serialised_terms_not_text():
    sparql = 'SELECT ?x WHERE { ?x rdfs:label "{" }'
    hostile = ox.Literal('x" } . ?s ?p ?o . FILTER("')
    bound = bind_values(sparql, {"x": hostile})
    assert bound.startswith('SELECT ?x WHERE { VALUES (?x) { ("x\\" } . ?s ?p ?o . FILTER(\\"") }')
    with pytest.raises(QueryError):
        bind_values(sparql, {"x y": hostile})


def test_syntax_error_is_a_query_error(builds):
    _, remote, _, _ = builds
    with pytest.raises(QueryError, match="syntax"):
        RemoteStore(remote).query("SELECT * WHERE { ?s ?p }")


def test_remove(builds, corpus):
    local, remote, _, _ = builds
    assert remove_articles(["r2", "missing"], remote) == ["missing"]
    store = RemoteStore(remote)
    assert sorted(g.value for g in store.graph_names()) == sorted([store.iris.kg_graph("_entities").value, store.iris.kg_graph("_state").value, store.iris.graph("r1").value])
    assert store.article_ids() == ["r1"]
    indexed = {q.subject for q in store.quads(entity_index_graph(remote))}
    mentioned = {q.object for q in store.quads(store.iris.graph("r1")) if q.predicate == ITSRDF.taIdentRef}
    assert indexed and indexed == mentioned  # the entities only r2 mentioned left the index
    build_sources([str(corpus)], remote)  # put it back for any later test
    assert store.article_ids() == ["r1", "r2"]


def test_unreachable_endpoint_is_a_store_error():
    store = RemoteStore(Settings(store=f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(StoreError, match="cannot reach"):
        store.query("ASK {}")


def test_prefixes_name_the_store_graphs_and_a_query_declaration_wins(builds):
    local, remote, _, _ = builds
    for store in (RemoteStore(remote), LocalStore(local)):
        assert store.prefixes["graph"] == store.settings.base_iri + "graph/"
        named = store.query("SELECT (graph:_entities AS ?g) WHERE {}").rows
        assert named == ((store.iris.kg_graph("_entities"),),)
        own = store.query("PREFIX graph: <urn:other/>\nSELECT (graph:x AS ?g) WHERE {}").rows
        assert own == ((ox.NamedNode("urn:other/x"),),)


def test_syntax_error_position_counts_the_query_lines_only(builds):
    _, remote, _, _ = builds
    with pytest.raises(QueryError, match=r"\b2:\d+"):
        RemoteStore(remote).query("SELECT *\nWHERE { ?s ?p }")


def test_reasoning_on_the_endpoint_matches_local(builds):
    """kg reason reads the article graphs and writes the inferred graph over the protocol."""
    from kg.derived.reason import reason

    local, remote, _, _ = builds
    results = [reason(store) for store in (LocalStore(local), RemoteStore(remote))]
    assert results[0].inferred == results[1].inferred > 0 and results[0].read_triples == results[1].read_triples > 0
    graph = LocalStore(local).iris.kg_graph("_inferred")
    assert_same_dataset(dataset_lines(RemoteStore(remote).quads(graph)), dataset_lines(LocalStore(local).quads(graph)))
