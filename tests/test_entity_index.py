"""The entity index graph: what a build, a removal, an import and reasoning leave in it, and the
bundled queries that read it, against their former texts over the article graphs."""

from __future__ import annotations

import collections
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build_sources, import_dataset, remove_articles
from kg.derived.entity_index import ENTITY_INDEX_GRAPH_ID, entity_index_graph, refresh_entity_index
from kg.derived.reason import reason
from kg.errors import QueryError, StoreError
from kg.queries import compact, list_queries, load_query, parse_params, run_query
from kg.settings import Settings
from kg.store.local import LocalStore
from kg.vocab import ENTITY_CLASSES, ITSRDF, KG, RDF, RDFS, SKOS, XSD

from conftest import assert_same_dataset, corpus_fixture_store, write_texts

ARTICLES = {
    "a1.txt": "NATO Secretary General Mark Rutte met Volodymyr Zelensky in Kyiv on Monday. Zelensky thanked Rutte.\n",
    "a2.txt": "Mark Rutte visited Brussels on Tuesday.\n",
}
RUTTE = "entity:Q57792"
BRUSSELS = "entity:Q240"
INDEXED = (RDF.type, RDFS.label, SKOS.altLabel, SKOS.exactMatch, KG.linkConfidence)

# The queries that read the index as they were before it: over the union of the article graphs,
# each description made distinct per entity. The rewritten queries must answer exactly as these.
OLD_QUERIES = {
    "entities-by-type": """
SELECT ?type ?entity ?label ?wikidata ?mentions ?articles
WHERE {
  { SELECT DISTINCT ?entity ?type WHERE {
      VALUES ?type { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }
      ?entity a ?type . } }
  { SELECT ?entity (COUNT(*) AS ?mentions) (COUNT(DISTINCT ?g) AS ?articles)
    WHERE { GRAPH ?g { ?mention itsrdf:taIdentRef ?entity } } GROUP BY ?entity }
  OPTIONAL { SELECT ?entity ?label ?key WHERE {
      { SELECT ?entity (MIN(?name) AS ?label) WHERE { ?entity rdfs:label ?name } GROUP BY ?entity }
      BIND(SUBSTR(?label, 1, 15) AS ?key) } }
  OPTIONAL { SELECT ?entity (MIN(?item) AS ?wikidata)
    WHERE { SELECT DISTINCT ?entity ?item WHERE { ?entity skos:exactMatch ?item } } GROUP BY ?entity }
}
ORDER BY DESC(?mentions) DESC(?articles) ?key ?label""",
    "entity-names": """
SELECT ?entity ?type ?name ?preferred
WHERE {
  { SELECT DISTINCT ?entity ?type WHERE {
      VALUES ?type { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }
      ?entity a ?type . } }
  { SELECT DISTINCT ?entity WHERE { ?mention itsrdf:taIdentRef ?entity } }
  { SELECT DISTINCT ?entity ?name ?preferred WHERE {
      { ?entity rdfs:label ?name BIND(true AS ?preferred) }
      UNION
      { ?entity skos:altLabel ?name BIND(false AS ?preferred) } } }
}
ORDER BY DESC(?preferred)""",
    "wikidata-links": """
SELECT ?linked ?type ?entity ?label ?wikidata ?confidence
WHERE {
  { SELECT DISTINCT ?entity ?wikidata ?linked WHERE {
      { SELECT DISTINCT ?entity WHERE { ?mention itsrdf:taIdentRef ?entity } }
      OPTIONAL { SELECT DISTINCT ?entity ?wikidata WHERE {
          ?entity skos:exactMatch ?wikidata FILTER(STRSTARTS(STR(?wikidata), STR(wd:))) } }
      BIND(BOUND(?wikidata) AS ?linked) } }
  { SELECT DISTINCT ?entity ?type WHERE {
      VALUES ?type { kg:Person kg:State kg:MilitaryUnit kg:Organization kg:Place }
      ?entity a ?type . } }
  OPTIONAL { SELECT DISTINCT ?entity ?label WHERE { ?entity rdfs:label ?label } }
  OPTIONAL { SELECT DISTINCT ?entity ?confidence WHERE { ?entity kg:linkConfidence ?confidence } }
}
ORDER BY ?linked""",
    "claims-by-speaker": """
SELECT DISTINCT ?speaker ?speakerLabel ?source ?sourceLabel ?date ?cue ?content ?modality ?negated ?article
WHERE {
  {
    SELECT ?claim ?source ?sourceLabel ?speaker WHERE {
      { SELECT ?claim WHERE { ?claim a kg:Claim } }
      OPTIONAL {
        SELECT DISTINCT ?claim ?source ?sourceLabel WHERE {
          ?claim kg:source ?source .
          OPTIONAL { ?source rdfs:label ?sourceLabel }
        }
      }
      { SELECT ?claim ?speaker (true AS ?named) WHERE { ?claim kg:speaker ?speaker } }
      UNION
      { SELECT ?claim ?speaker (false AS ?named) WHERE { ?claim kg:source ?speaker FILTER NOT EXISTS { ?claim kg:speaker ?namedSpeaker } } }
      FILTER(?named || sameTerm(?source, ?speaker))
    }
  }
  { SELECT ?claim ?a WHERE { ?claim prov:wasDerivedFrom ?a } }
  { SELECT ?a ?article WHERE { ?a dcterms:identifier ?article } }
  OPTIONAL {
    SELECT ?speaker ?speakerLabel ?labelKey1 ?labelKey2 WHERE {
      {
        SELECT DISTINCT ?speaker ?speakerLabel WHERE {
          { SELECT DISTINCT ?speaker WHERE { { ?anyClaim kg:speaker ?speaker } UNION { ?anyClaim kg:source ?speaker } } }
          ?speaker rdfs:label ?speakerLabel
        }
      }
      BIND(SUBSTR(?speakerLabel, 1, 15) AS ?labelKey1)
      BIND(SUBSTR(?speakerLabel, 16) AS ?labelKey2)
    }
  }
  OPTIONAL { SELECT ?claim ?date WHERE { ?claim kg:date ?date } }
  OPTIONAL {
    SELECT ?claim ?cue ?content ?modality ?negated WHERE {
      { SELECT ?claim ?cue WHERE { ?claim kg:cue ?cue } }
      { SELECT ?claim ?content WHERE { ?claim kg:content ?content } }
      { SELECT ?claim ?modality WHERE { ?claim kg:modality ?modality } }
      { SELECT ?claim ?negated WHERE { ?claim kg:negated ?negated } }
    }
  }
  BIND(SUBSTR(?article, 1, 15) AS ?articleKey1)
  BIND(SUBSTR(?article, 16) AS ?articleKey2)
}
ORDER BY ?labelKey1 ?labelKey2 STR(?date) ?articleKey1 ?articleKey2 ?content ?speakerLabel ?article""",
    "alliances-hostilities": """
SELECT ?relation ?side1 ?label1 ?side2 ?label2 ?articles ?since
WHERE {
  {
    SELECT ?relation ?side1 ?side2 (COUNT(DISTINCT ?a) AS ?articles) WHERE {
      {
        SELECT DISTINCT ?relation ?side1 ?side2 WHERE {
          VALUES ?relation { kg:alliedWith kg:fightsAgainst }
          { ?side1 ?relation ?side2 } UNION { ?side2 ?relation ?side1 }
          FILTER(STR(?side1) < STR(?side2))
        }
      }
      ?assertion a kg:RelationAssertion ; rdf:predicate ?relation ; prov:wasDerivedFrom ?a .
      { ?assertion rdf:subject ?side1 ; rdf:object ?side2 } UNION { ?assertion rdf:subject ?side2 ; rdf:object ?side1 }
    }
    GROUP BY ?relation ?side1 ?side2
  }
  OPTIONAL { SELECT ?side1 (MIN(?name1) AS ?label1) WHERE { ?side1 rdfs:label ?name1 } GROUP BY ?side1 }
  OPTIONAL { SELECT ?side2 (MIN(?name2) AS ?label2) WHERE { ?side2 rdfs:label ?name2 } GROUP BY ?side2 }
  OPTIONAL {
    SELECT ?relation ?side1 ?side2 (MIN(STR(?eventDate)) AS ?since) WHERE {
      VALUES (?relation ?eventKind) { (kg:alliedWith kg:Agreement) (kg:fightsAgainst kg:Clash) }
      {
        SELECT DISTINCT ?relation ?side1 ?side2 WHERE {
          VALUES ?relation { kg:alliedWith kg:fightsAgainst }
          { ?side1 ?relation ?side2 } UNION { ?side2 ?relation ?side1 }
          FILTER(STR(?side1) < STR(?side2))
        }
      }
      ?event a ?eventKind ; kg:date ?eventDate .
      ?event kg:participant|kg:agent ?p1 . ?event kg:participant|kg:agent ?p2 .
      ?p1 (kg:partOf|kg:belongsToState)? ?side1 .
      ?p2 (kg:partOf|kg:belongsToState)? ?side2 .
    }
    GROUP BY ?relation ?side1 ?side2
  }
}
ORDER BY ?relation ?label1 ?label2""",
    "deployments": """
SELECT DISTINCT ?place ?placeLabel ?date ?dateText ?unit ?unitLabel ?state ?stateLabel ?troops ?modality ?article
WHERE {
  VALUES ?kind { kg:Deployment kg:TroopTransfer }
  ?event a ?kind ; prov:wasDerivedFrom ?a .
  ?event kg:place|kg:destination ?place .
  ?a dcterms:identifier ?article .
  OPTIONAL { SELECT DISTINCT ?place ?placeLabel WHERE { ?place rdfs:label ?placeLabel } }
  OPTIONAL {
    SELECT ?event ?unit ?unitLabel ?unitState ?unitStateLabel WHERE {
      ?event kg:agent|kg:deployedUnit ?unit .
      OPTIONAL { SELECT DISTINCT ?unit ?unitLabel WHERE { ?unit rdfs:label ?unitLabel } }
      OPTIONAL {
        SELECT ?unit ?unitState ?unitStateLabel WHERE {
          { SELECT DISTINCT ?unit ?unitState WHERE { ?unit kg:partOf|kg:belongsToState ?unitState } }
          { SELECT DISTINCT ?unitState WHERE { ?unitState a kg:State } }
          OPTIONAL { SELECT DISTINCT ?unitState ?unitStateLabel WHERE { ?unitState rdfs:label ?unitStateLabel } }
        }
      }
    }
  }
  OPTIONAL {
    SELECT ?event ?sender ?senderLabel WHERE {
      ?event kg:sendingState ?sender .
      OPTIONAL { SELECT DISTINCT ?sender ?senderLabel WHERE { ?sender rdfs:label ?senderLabel } }
    }
  }
  BIND(BOUND(?unit) && EXISTS { ?unit a kg:State } AS ?agentIsState)
  BIND(COALESCE(?sender, ?unitState, IF(?agentIsState, ?unit, ?nothing)) AS ?state)
  BIND(COALESCE(?senderLabel, ?unitStateLabel, IF(?agentIsState, ?unitLabel, ?nothing)) AS ?stateLabel)
  OPTIONAL { ?event kg:date ?date }
  OPTIONAL { ?event kg:dateText ?dateText }
  OPTIONAL { ?event kg:troopCount/kg:value ?troops }
  OPTIONAL { ?event kg:modality ?modality }
}
ORDER BY ?placeLabel STR(?date) ?article""",
    "places": """
SELECT ?place ?label ?wikidata ?longitude ?latitude ?wkt ?articles
WHERE {
  {
    SELECT ?place ?wkt (COUNT(DISTINCT ?article) AS ?articles) WHERE {
      { SELECT DISTINCT ?place ?geometry WHERE { ?place geo:hasGeometry ?geometry } }
      { SELECT DISTINCT ?geometry ?wkt WHERE { ?geometry geo:asWKT ?wkt } }
      OPTIONAL { ?place kg:mentionedIn ?article }
    }
    GROUP BY ?place ?wkt
  }
  OPTIONAL {
    SELECT ?place (MIN(?name) AS ?label) WHERE {
      { SELECT DISTINCT ?place WHERE { ?place geo:hasGeometry ?geometry } }
      ?place rdfs:label ?name
    }
    GROUP BY ?place
  }
  OPTIONAL {
    SELECT ?place (MIN(?item) AS ?wikidata) WHERE {
      { SELECT DISTINCT ?place WHERE { ?place geo:hasGeometry ?geometry } }
      ?place skos:exactMatch ?item
    }
    GROUP BY ?place
  }
  BIND(STRBEFORE(STRAFTER(STR(?wkt), "("), ")") AS ?coords)
  BIND(xsd:decimal(STRBEFORE(?coords, " ")) AS ?longitude)
  BIND(xsd:decimal(STRAFTER(?coords, " ")) AS ?latitude)
}
ORDER BY ?label""",
    "roles": """
SELECT DISTINCT ?holder ?holderLabel ?title ?organization ?organizationLabel ?article ?sentence
WHERE {
  ?role a kg:Role ; kg:roleHolder ?holder ; kg:roleTitle ?title ; prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { SELECT DISTINCT ?holder ?holderLabel WHERE { ?holder rdfs:label ?holderLabel } }
  OPTIONAL {
    SELECT ?role ?organization ?organizationLabel WHERE {
      ?role kg:roleIn ?organization .
      OPTIONAL { SELECT DISTINCT ?organization ?organizationLabel WHERE { ?organization rdfs:label ?organizationLabel } }
    }
  }
  OPTIONAL { ?role kg:sentence/nif:anchorOf ?sentence }
}
ORDER BY ?holderLabel ?title ?article""",
    "timeline": """
SELECT ?date ?dateText ?kind ?label ?place ?placeLabel
       (GROUP_CONCAT(DISTINCT ?participantLabel; separator="; ") AS ?participants) ?article
WHERE {
  VALUES ?kind { kg:Deployment kg:TroopTransfer kg:Clash kg:Meeting kg:Summit kg:Agreement kg:Sighting kg:Election kg:Event }
  ?event a ?kind ; prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { ?event rdfs:label ?label }
  OPTIONAL { ?event kg:date ?date }
  OPTIONAL { ?event kg:dateText ?dateText }
  OPTIONAL {
    SELECT ?event ?place ?placeLabel WHERE {
      ?event kg:place ?place .
      OPTIONAL { SELECT DISTINCT ?place ?placeLabel WHERE { ?place rdfs:label ?placeLabel } }
    }
  }
  OPTIONAL { ?event kg:participant/rdfs:label ?participantLabel }
}
GROUP BY ?event ?date ?dateText ?kind ?label ?place ?placeLabel ?article
ORDER BY (!BOUND(?date)) STR(?date) ?kind ?label ?article""",
    "troop-numbers": """
SELECT DISTINCT ?state ?stateLabel ?value ?approximate ?figures ?unitLabel ?quantityText
                ?speakerLabel ?source ?date ?article
WHERE {
  {
    SELECT DISTINCT ?quantity ?unit ?state WHERE {
      ?quantity a kg:Quantity ; kg:quantityOf ?unit .
      OPTIONAL {
        { SELECT DISTINCT ?unit ?s WHERE { ?unit kg:partOf|kg:belongsToState ?s } }
        { SELECT DISTINCT ?s WHERE { ?s a kg:State } }
      }
      BIND(IF(EXISTS { ?unit a kg:State }, ?unit, COALESCE(?s, ?unit)) AS ?state)
    }
  }
  ?quantity kg:value ?value .
  ?holder kg:troopCount ?quantity ; prov:wasDerivedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { SELECT DISTINCT ?state ?stateLabel WHERE { ?state rdfs:label ?stateLabel } }
  OPTIONAL { SELECT DISTINCT ?unit ?unitLabel WHERE { ?unit rdfs:label ?unitLabel } }
  OPTIONAL { ?quantity kg:approximate ?approximate }
  OPTIONAL { ?quantity kg:quantityText ?quantityText }
  OPTIONAL {
    ?claim a kg:Claim ; kg:troopCount ?quantity .
    OPTIONAL {
      SELECT ?claim ?speakerLabel WHERE {
        ?claim kg:speaker ?speaker .
        OPTIONAL { SELECT DISTINCT ?speaker ?speakerLabel WHERE { ?speaker rdfs:label ?speakerLabel } }
      }
    }
    OPTIONAL { ?claim kg:source ?source }
    OPTIONAL { ?claim kg:date ?claimDate }
  }
  OPTIONAL { ?a dcterms:date ?articleDate }
  BIND(COALESCE(?claimDate, ?articleDate) AS ?date)
  {
    SELECT ?state (GROUP_CONCAT(DISTINCT STR(?v); separator=" vs ") AS ?figures)
    WHERE {
      SELECT DISTINCT ?state ?v WHERE {
        ?q0 a kg:Quantity ; kg:value ?v ; kg:quantityOf ?u0 .
        OPTIONAL {
          { SELECT DISTINCT ?u0 ?s0 WHERE { ?u0 kg:partOf|kg:belongsToState ?s0 } }
          { SELECT DISTINCT ?s0 WHERE { ?s0 a kg:State } }
        }
        BIND(IF(EXISTS { ?u0 a kg:State }, ?u0, COALESCE(?s0, ?u0)) AS ?state)
      } ORDER BY xsd:integer(?v)
    }
    GROUP BY ?state
  }
}
ORDER BY ?stateLabel xsd:integer(?value) ?article""",
}
PARAMS = {
    "entities-by-type": [{}, {"type": "kg:Person"}, {"type": "Place"}, {"type": "kg:Agent"}],
    "entity-names": [{}, {"entity": RUTTE}, {"entity": "entity:Q7184"}],
    "wikidata-links": [{}, {"linked": "true"}, {"linked": "false"}],
    "claims-by-speaker": [{}, {"speaker": "entity:Q3881980"}],
    "alliances-hostilities": [{}, {"relation": "kg:fightsAgainst"}],
    "deployments": [{}, {"place": "entity:Q3178"}],
    "places": [{}],
    "roles": [{}, {"holder": RUTTE}],
    "timeline": [{}, {"kind": "kg:Clash"}],
    "troop-numbers": [{}, {"state": "entity:Q423"}],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_texts(tmp_path_factory.mktemp("articles"), ARTICLES)


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> LocalStore:
    settings = Settings(store=str(tmp_path_factory.mktemp("built") / "store"))
    summary = build_sources([str(corpus)], settings)
    assert summary.ok and summary.new == 2, summary.failures
    return LocalStore(settings)


def index_lines(store: LocalStore) -> set[str]:
    return {str(q.triple) for q in store.quads(entity_index_graph(store.settings))}


def described(store: LocalStore, entity: str) -> dict[str, set[str]]:
    """``{predicate: values}`` of one entity in the index, compacted."""
    found: dict[str, set[str]] = collections.defaultdict(set)
    for quad in store.quads(entity_index_graph(store.settings)):
        if compact(quad.subject) == entity:
            found[compact(quad.predicate)].add(compact(quad.object))
    return dict(found)


def expected_index(store: LocalStore) -> set[str]:
    """The index computed in Python from the article graphs, independently of the update."""
    mentions: dict[ox.NamedNode, set[tuple]] = collections.defaultdict(set)
    values: dict[ox.NamedNode, set[tuple]] = collections.defaultdict(set)
    classes = {KG[c] for c in ENTITY_CLASSES}
    for q in store.quads():
        if q.predicate == ITSRDF.taIdentRef:
            mentions[q.object].add((q.subject, q.graph_name))
        elif q.predicate in INDEXED and (q.predicate != RDF.type or q.object in classes):
            values[q.subject].add((q.predicate, q.object))
    triples = set()
    for entity, rows in mentions.items():
        if not any(p == RDF.type for p, _ in values[entity]):
            continue
        triples |= {ox.Triple(entity, p, o) for p, o in values[entity]}
        triples.add(ox.Triple(entity, KG.mentionCount, ox.Literal(str(len(rows)), datatype=XSD.integer)))
        articles = len({graph for _, graph in rows})
        triples.add(ox.Triple(entity, KG.articleCount, ox.Literal(str(articles), datatype=XSD.integer)))
        labels = [o.value for p, o in values[entity] if p == RDFS.label]
        if labels:
            triples.add(ox.Triple(entity, SKOS.prefLabel, ox.Literal(min(labels))))
    return {str(t) for t in triples}


# what the index holds ------------------------------------------------------------------------------
def test_build_writes_one_description_per_entity_with_its_counts(built: LocalStore) -> None:
    rutte = described(built, RUTTE)
    assert rutte["kg:mentionCount"] == {"3"} and rutte["kg:articleCount"] == {"2"}
    assert rutte["rdf:type"] == {"kg:Person"} and rutte["rdfs:label"] == {"Mark Rutte"}
    assert rutte["skos:prefLabel"] == {"Mark Rutte"} and "Rutte" in rutte["skos:altLabel"]
    assert rutte["skos:exactMatch"] == {"wd:Q57792"}
    assert described(built, BRUSSELS)["kg:articleCount"] == {"1"}
    assert_same_dataset(index_lines(built), expected_index(built))
    counts = [q.object for q in built.quads(entity_index_graph(built.settings)) if q.predicate == KG.mentionCount]
    assert counts and all(c.datatype == XSD.integer for c in counts)


def test_refresh_is_idempotent_and_equals_a_fresh_index(built: LocalStore, corpus: Path) -> None:
    before = index_lines(built)
    summary = build_sources([str(corpus)], built.settings, force=True)
    assert summary.updated == 2
    assert index_lines(built) == before
    with built.writer():
        refresh_entity_index(built)
        assert index_lines(built) == before
        built.update("DROP GRAPH graph:_entities")
        refresh_entity_index(built)
    assert index_lines(built) == before


def test_remove_drops_the_counts_and_the_entities_only_it_mentioned(corpus: Path, tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "store"))
    build_sources([str(corpus)], settings)
    store = LocalStore(settings)
    assert BRUSSELS in {compact(q.subject) for q in store.quads(entity_index_graph(settings))}
    assert remove_articles(["a2"], settings) == []
    rutte = described(store, RUTTE)
    assert rutte["kg:mentionCount"] == {"2"} and rutte["kg:articleCount"] == {"1"}
    assert described(store, BRUSSELS) == {}
    assert_same_dataset(index_lines(store), expected_index(store))


def test_rebuilding_a_store_without_the_index_creates_it(corpus: Path, tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "store"))
    build_sources([str(corpus)], settings)
    store = LocalStore(settings)
    before = index_lines(store)
    store.update("DROP GRAPH graph:_entities")  # as a kg older than the index left it
    with pytest.raises(QueryError, match="kg build"):
        run_query(store, "entities-by-type")
    summary = build_sources([str(corpus)], settings)
    assert summary.skipped == 2 and index_lines(store) == before
    assert run_query(store, "entities-by-type").rows


def test_import_rebuilds_the_index_and_export_leaves_it_out(built: LocalStore, tmp_path: Path) -> None:
    index = entity_index_graph(built.settings)
    assert index in built.graph_names() and index not in {q.graph_name for q in built.quads()}
    for fmt in ("nquads", "trig"):
        buffer = io.BytesIO()
        built.export(fmt, buffer)
        rdf_format = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG
        exported = list(ox.parse(buffer.getvalue(), format=rdf_format))
        assert exported and index not in {q.graph_name for q in exported}, fmt
    with pytest.raises(StoreError, match="no article"):
        built.export("nquads", io.BytesIO(), article_id=ENTITY_INDEX_GRAPH_ID)
    stats = built.stats()  # the index is neither an article nor exported data
    assert (stats.articles, stats.graphs, stats.quads) == (2, 2, len(built.quads()))
    path = tmp_path / "dataset.nq"
    with path.open("wb") as output:
        built.export("nquads", output)
    copy = Settings(store=str(tmp_path / "copy"))
    import_dataset(path, copy)
    assert index_lines(LocalStore(copy)) == index_lines(built)


def test_reasoning_refreshes_the_index(tmp_path: Path) -> None:
    """An entity typed only by inference (kg:holdsRole has domain kg:Person) is indexed once
    ``kg reason`` has written the inferred graph."""
    settings = Settings(store=str(tmp_path / "store"))
    store = LocalStore(settings)
    iris = store.iris
    graph = iris.graph("001_test")
    fixture = ox.parse(path=str(Path(__file__).parent / "fixtures" / "article_valid.ttl"), format=ox.RdfFormat.TURTLE)
    someone = iris.entity("Person", "Someone")
    role = iris.fact("001_test", "role", "someone")
    mention = iris.span("001_test", "mention", 0, 4)
    extra = ((mention, ITSRDF.taIdentRef, someone), (someone, KG.holdsRole, role),
             (someone, RDFS.label, ox.Literal("Someone")))
    store.load_quads([ox.Quad(t.subject, t.predicate, t.object, graph) for t in fixture]
                     + [ox.Quad(*triple, graph) for triple in extra])
    index = entity_index_graph(settings)
    reason(store)
    assert ox.Quad(someone, RDF.type, KG.Person, index) in store.quads(index)
    assert ox.Quad(someone, KG.mentionCount, ox.Literal(1), index) in store.quads(index)


# the queries that read it ------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["fixture", "built"])
def any_store(request, built: LocalStore, tmp_path_factory) -> LocalStore:
    if request.param == "built":
        return built
    return corpus_fixture_store(tmp_path_factory.mktemp("fixture"))


@pytest.mark.parametrize("name", sorted(OLD_QUERIES))
def test_listing_queries_answer_as_their_former_texts(any_store: LocalStore, built: LocalStore, name: str) -> None:
    query = load_query(name)
    for params in PARAMS[name]:
        bindings = parse_params(params, query)
        new = run_query(any_store, query, bindings)
        old = run_query(any_store, load_query(OLD_QUERIES[name]), bindings)
        assert new.columns == old.columns
        # the two sentences of the built store state no claim, alliance, troop movement, troop
        # number or clash
        assert new.rows or params == {"type": "kg:Agent"} or (any_store is built and (
            name in ("claims-by-speaker", "alliances-hostilities", "deployments", "troop-numbers")
            or params == {"kind": "kg:Clash"}
        )), (name, params)
        assert collections.Counter(new.rows) == collections.Counter(old.rows), (name, params)


def test_entities_by_type_keeps_its_order(any_store: LocalStore) -> None:
    result = run_query(any_store, "entities-by-type")
    keys = [(-int(r[4].value), -int(r[5].value), r[2].value if r[2] else "") for r in result.rows]
    assert keys == sorted(keys)


def test_other_queries_answer_the_same_with_the_index(tmp_path: Path) -> None:
    """The index's copies in the union default graph change no other query's answer."""
    plain = corpus_fixture_store(tmp_path / "plain", index=False)
    indexed = corpus_fixture_store(tmp_path / "indexed")
    checked = 0
    for info in list_queries():
        query = load_query(info.name)
        if info.network or "graph:_entities" in query.text:
            continue
        runs = [] if any(p.required for p in info.params) else [{}]
        # the examples name data/'s articles: an article query reads one of this store's
        runs += [{p.name: plain.article_ids()[0] if info.scope == "article" else p.example}
                 for p in info.params if p.example and p.kind != "entity"]
        for params in runs:
            bindings = parse_params(params, query)
            expected = collections.Counter(run_query(plain, query, bindings).rows)
            assert collections.Counter(run_query(indexed, query, bindings).rows) == expected, (info.name, params)
            checked += 1
    # the queries that do not read the index (articles, article-facts), with their example parameters
    assert checked >= 2


def test_a_store_without_the_index_says_to_build_again(tmp_path: Path) -> None:
    old = corpus_fixture_store(tmp_path / "old", index=False)
    for name in OLD_QUERIES:
        with pytest.raises(QueryError, match="run 'kg build'"):
            run_query(old, name)
    query = load_query("troop-numbers")  # an entity given by name is looked up in the index
    with pytest.raises(QueryError, match="entity index"):
        run_query(old, query, parse_params(["state=North Korea"], query))
    assert run_query(old, "articles").rows  # queries over the article graphs still work

    empty = LocalStore(Settings(store=str(tmp_path / "empty")))
    empty.load_quads([ox.Quad(ox.NamedNode("urn:x"), RDFS.label, ox.Literal("x"), empty.iris.graph("a"))])
    assert run_query(empty, "entities-by-type").rows == ()  # nothing mentioned: nothing to index
