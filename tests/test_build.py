"""The end-to-end pipeline: build, re-build, export, remove (issue 2 acceptance)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from kg.build import build_sources, remove_articles
from kg.store import open_store

from conftest import SEEDS, needs_seeds


def _mentions(store):
    return store.query(
        """SELECT ?m ?anchor ?begin ?end ?text WHERE {
             ?m a nif:Phrase ; nif:anchorOf ?anchor ; nif:beginIndex ?begin ; nif:endIndex ?end ;
                nif:referenceContext ?ctx ; itsrdf:taIdentRef ?e .
             ?ctx nif:isString ?text }"""
    ).rows


def test_data_builds_and_every_mention_slices_its_text(data_store):
    settings, summary = data_store
    assert summary.failed == 0 and summary.new == 8
    rows = _mentions(open_store(settings))
    assert len(rows) > 40
    for _, anchor, begin, end, text in rows:
        assert text.value[int(begin.value):int(end.value)] == anchor.value


@needs_seeds
def test_seed_mentions_slice_exactly(seed_store):
    settings, summary = seed_store
    assert summary.new == 5 and summary.failed == 0
    rows = _mentions(open_store(settings))
    assert len(rows) > 100
    bad = [(a.value, t.value[int(b.value):int(e.value)]) for _, a, b, e, t in rows
           if t.value[int(b.value):int(e.value)] != a.value]
    assert bad == []


@needs_seeds
def test_turtle_export_holds_everything_and_matches_the_store(seed_store):
    settings, _ = seed_store
    store = open_store(settings)
    buffer = io.BytesIO()
    store.export("turtle", buffer)
    exported = rdflib.Graph().parse(data=buffer.getvalue().decode("utf-8"), format="turtle")

    union = rdflib.Graph()
    nquads = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS).decode()
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(exported, union)

    kg = rdflib.Namespace("https://w3id.org/kg-news/ontology#")
    nif = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    articles = {str(o) for o in exported.objects(None, rdflib.DCTERMS.identifier)}
    assert articles == {p.stem for p in SEEDS.glob("*.txt")}
    mentions = set(exported.subjects(rdflib.RDF.type, nif.Phrase))
    assert len(mentions) == len(_mentions(store))
    classes = {kg[c] for c in ("Person", "State", "MilitaryUnit", "Organization", "Place")}
    entities = {s for c in classes for s in exported.subjects(rdflib.RDF.type, c)}
    referenced = set(exported.objects(None, rdflib.URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")))
    assert referenced <= entities


@needs_seeds
def test_rebuild_changes_nothing_and_remove_drops_one_graph(tmp_path):
    from kg.settings import Settings

    settings = Settings(store=str(tmp_path / "store"))
    first = build_sources([str(SEEDS)], settings)
    store = open_store(settings)
    before = sorted(map(str, store.quads()))
    second = build_sources([str(SEEDS)], settings)
    assert (second.new, second.updated, second.skipped) == (0, 0, first.new)
    assert sorted(map(str, store.quads())) == before

    victim = "003_7c537a3c81279077"
    assert remove_articles([victim], settings) == []
    graphs = {g.value for g in store.graph_names()}
    assert store.iris.graph(victim).value not in graphs
    assert len(graphs) == 6 and store.iris.kg_graph("_entities").value in graphs  # 4 articles, the entity index and its state
    assert remove_articles([victim], settings) == [victim]


def test_changed_article_is_updated(tmp_path):
    from kg.settings import Settings

    settings = Settings(store=str(tmp_path / "store"))
    source = tmp_path / "a.txt"
    source.write_text("NATO met in Brussels on Monday.", encoding="utf-8")
    assert build_sources([str(source)], settings).new == 1
    source.write_text("NATO met in Brussels on Tuesday.", encoding="utf-8")
    summary = build_sources([str(source)], settings)
    assert (summary.new, summary.updated) == (0, 1)
    texts = open_store(settings).query("SELECT ?t WHERE { ?c nif:isString ?t }").rows
    assert [r[0].value for r in texts] == ["NATO met in Brussels on Tuesday."]


def test_bulk_and_transactional_writes_store_the_same_graphs(tmp_path, monkeypatch):
    """A batch below ``BULK_ATOMIC_QUADS`` goes through Oxigraph's bulk loader, a larger one
    through a transaction: both replace each article graph, and leave the others alone."""
    import kg.store.local
    from kg.settings import Settings
    from kg.store.local import LocalStore

    def articles(version):
        store = LocalStore(Settings(store=str(tmp_path / "unused")))
        graphs = []
        for i in range(3):
            g = store.iris.graph(f"a{i}")
            quads = [ox.Quad(ox.NamedNode(f"urn:s{j}"), ox.NamedNode("urn:p"), ox.Literal(f"{version}-{i}-{j}"), g)
                     for j in range(5)]
            quads.append(ox.Quad(ox.NamedNode("urn:shared"), ox.NamedNode("urn:p"), ox.Literal("same"), g))
            graphs.append((f"a{i}", quads))
        return graphs

    stored = {}
    for name, limit in (("bulk", kg.store.local.BULK_ATOMIC_QUADS), ("transaction", 1)):
        monkeypatch.setattr(kg.store.local, "BULK_ATOMIC_QUADS", limit)
        store = LocalStore(Settings(store=str(tmp_path / name)))
        with store.writer():
            store.replace_articles(articles(1))
            store.replace_articles(articles(2)[:2])  # a0, a1 replaced; a2 keeps version 1
        stored[name] = set(store.quads())
    expected = {q for _, quads in articles(2)[:2] + articles(1)[2:] for q in quads}
    assert stored["bulk"] == stored["transaction"] == expected


def test_writes_are_batched_by_count_and_by_age(tmp_path, monkeypatch):
    """A build writes a batch when it is full or when its oldest article has waited
    ``WRITE_BATCH_SECONDS``."""
    import kg.build
    from kg.derived.entity_index import ENTITY_INDEX_GRAPH_ID
    from kg.settings import Settings
    from kg.store.local import LocalStore

    class Recording(LocalStore):
        def __init__(self, settings):
            super().__init__(settings)
            self.batches = []

        def replace_articles(self, graphs):
            if graphs[0][0] != ENTITY_INDEX_GRAPH_ID:  # a new store's first index is written so too
                self.batches.append(len(graphs))
            super().replace_articles(graphs)

    from conftest import DATA

    written = {}
    for name, seconds in (("full", 3600.0), ("aged", 0.0)):
        monkeypatch.setattr(kg.build, "WRITE_BATCH_SECONDS", seconds)
        store = Recording(Settings(store=str(tmp_path / name)))
        summary = build_sources([str(DATA)], store.settings, store=store)
        assert summary.new == 8
        written[name] = (store.batches, set(store.quads()))
    assert written["full"][0] == [8]  # fewer than WRITE_BATCH_ARTICLES: one batch at the end
    assert written["aged"][0] == [1] * 8  # each article waited long enough to be written alone

    def timeless(quads):  # the two builds ran at different times
        return {q for q in quads if not q.predicate.value.endswith("endedAtTime")}

    assert timeless(written["full"][1]) == timeless(written["aged"][1])
