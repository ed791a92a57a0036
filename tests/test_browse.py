"""``kg entities``, ``kg show`` and ``kg link`` (kg.queries.browse, kg.queries.link) read the
entity index: each answer is checked against the former queries over the union of the article
graphs, which joined every article's copy of every description and took minutes on a store of a
few thousand articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.queries.browse import describe_entity, find_entity, list_entities
from kg.queries.link import link_store_entities
from kg.errors import QueryError
from kg.linking import LinkContext
from kg.store.local import LocalStore

from conftest import corpus_fixture_store

E = "https://w3id.org/kg-news/entity/"

# The former texts, over the article graphs (the fixture's entities have one label each, so the
# label they sampled is the index's skos:prefLabel).
OLD_LIST = """
SELECT ?cls ?e (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?m) AS ?mentions)
       (COUNT(DISTINCT ?article) AS ?articles) (SAMPLE(?q) AS ?wikidata)
WHERE {
  ?m itsrdf:taIdentRef ?e ; nif:referenceContext/nif:sourceUrl ?article .
  ?e a ?cls ; rdfs:label ?l .
  OPTIONAL { ?e skos:exactMatch ?q }
  FILTER(?cls IN (kg:Person, kg:State, kg:MilitaryUnit, kg:Organization, kg:Place))
}
GROUP BY ?cls ?e
"""
OLD_LINKABLE = """
SELECT ?e ?label ?cls ?article ?qid WHERE {
  ?m itsrdf:taIdentRef ?e ; nif:referenceContext/nif:sourceUrl ?article .
  ?e a ?cls ; rdfs:label ?label .
  FILTER(?cls IN (kg:Person, kg:State, kg:Organization, kg:Place))
  OPTIONAL { ?e skos:exactMatch ?qid }
}
"""
OLD_FACTS_OF_EVENTS_AND_CLAIMS = """
SELECT DISTINCT ?e ?kind ?text ?id WHERE {
  {
    ?c a kg:Claim ; kg:speaker ?e ; kg:content ?content ; prov:wasDerivedFrom/dcterms:identifier ?id .
    OPTIONAL { ?c kg:date ?date }
    OPTIONAL { ?c kg:cue ?cue }
    BIND("claim" AS ?kind)
    BIND(CONCAT(COALESCE(STR(?date), "undated"), " ", COALESCE(?cue, "said"), ": ", ?content) AS ?text)
  } UNION {
    ?ev kg:agent|kg:participant|kg:place ?e ; a ?class ; prov:wasDerivedFrom/dcterms:identifier ?id .
    FILTER(?class IN (kg:Deployment, kg:TroopTransfer, kg:Clash, kg:Meeting, kg:Summit, kg:Agreement))
    OPTIONAL { ?ev kg:date ?date }
    OPTIONAL { ?ev kg:place/rdfs:label ?where }
    BIND("event" AS ?kind)
    BIND(CONCAT(STRAFTER(STR(?class), "#"), IF(BOUND(?where), CONCAT(" in ", ?where), ""),
                IF(BOUND(?date), CONCAT(" on ", STR(?date)), "")) AS ?text)
  }
}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LocalStore:
    return corpus_fixture_store(tmp_path_factory.mktemp("browse") / "store")


def short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def test_entities_are_the_former_listing_most_mentioned_first(store: LocalStore) -> None:
    rows = list_entities(store)
    expected = {
        (e.value, short(cls.value), label.value, int(mentions.value), int(articles.value),
         short(qid.value) if qid else None)
        for cls, e, label, mentions, articles, qid in store.query(OLD_LIST).rows
    }
    assert {(r.iri, r.cls, r.label, r.mentions, r.articles, r.wikidata) for r in rows} == expected
    assert len(rows) == len(expected) >= 8
    assert [r.mentions for r in rows] == sorted((r.mentions for r in rows), reverse=True)
    troops = next(r for r in rows if r.iri == E + "MilitaryUnit/north-korean-troops")
    assert (troops.cls, troops.articles, troops.wikidata) == ("MilitaryUnit", 3, None)


def test_entities_of_one_class(store: LocalStore) -> None:
    people = list_entities(store, "Person")
    assert {r.label for r in people} == {"Volodymyr Zelenskyy", "Mark Rutte"}
    assert {r.cls for r in people} == {"Person"}
    with pytest.raises(QueryError, match="unknown type 'Pope'"):
        list_entities(store, "Pope")


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Mark Rutte", ["Q57792"]),
        ("mark RUTTE", ["Q57792"]),  # case-insensitive
        ("Rutte", ["Q57792"]),  # the end of a label, as whole words
        ("Zelensky", ["Q3881980"]),  # an alias
        ("south korea's spy-agency", ["Organization/national-intelligence-service"]),  # punctuation
        ("Korea", ["Q423", "Q884"]),  # two labels end with it: both, for the caller to choose
        ("utte", []),  # not a whole word
        ("Kim Jong Un", []),
    ],
)
def test_find_entity_by_label_alias_or_last_words(store: LocalStore, name: str, found: list[str]) -> None:
    assert find_entity(store, name) == [E + f for f in found]


def test_find_entity_passes_an_iri_through(store: LocalStore) -> None:
    assert find_entity(store, E + "Q57792") == [E + "Q57792"]


def test_describe_lists_the_events_and_claims_the_former_query_found(store: LocalStore) -> None:
    for name, iri in (("Zelensky", "Q3881980"), ("North Korea", "Q423"), ("Kursk", "Q3178")):
        info = describe_entity(store, name)
        assert info.iri == E + iri
        old = {(kind.value, text.value, article.value)
               for _, kind, text, article in store.query(OLD_FACTS_OF_EVENTS_AND_CLAIMS, {"e": NamedNode(info.iri)}).rows}
        # the facts are data now; the former query baked a claim's date and cue into its text
        new = {(f.kind, f"{f.date or 'undated'} {f.cue or 'said'}: {f.text}" if f.kind == "claim" else f.text,
                f.article) for f in info.facts if f.kind in ("claim", "event")}
        assert old and new == old
    assert any(f.kind == "claim" for f in describe_entity(store, "Zelensky").facts)
    assert any(f.kind == "event" for f in describe_entity(store, "Kursk").facts)
    with pytest.raises(QueryError, match=r"names 2 entities, pass one of them: entity:Q423 \(North Korea, State, 2 mentions"):
        describe_entity(store, "Korea")
    with pytest.raises(QueryError, match="no entity named"):
        describe_entity(store, "Atlantis")


def test_link_report_is_the_one_the_former_query_gave(store: LocalStore, monkeypatch) -> None:
    captured: list = []
    monkeypatch.setattr("kg.queries.link.link_report", lambda items, **_: captured.extend(items))
    link_store_entities(store, store.settings)

    # the former reading: labels and classes per entity, QIDs per article (by its source URL)
    described: dict[str, tuple[str, str]] = {}
    articles: dict[str, set[str]] = {}
    qids: dict[str, set[str]] = {}
    states: dict[str, set[str]] = {}
    for e, label, cls, article, qid in store.query(OLD_LINKABLE).rows:
        described[e.value] = (label.value, short(cls.value))
        articles.setdefault(e.value, set()).add(article.value)
        if qid is not None:
            qids.setdefault(article.value, set()).add(short(qid.value))
            if short(cls.value) == "State":
                states.setdefault(article.value, set()).add(short(qid.value))
    expected = [
        (*described[e], LinkContext.of(set().union(*(qids.get(a, set()) for a in articles[e])),
                                       set().union(*(states.get(a, set()) for a in articles[e]))))
        for e in sorted(described)
    ]
    assert captured == expected
    assert ("Mark Rutte", "Person") in {item[:2] for item in captured}
    assert "MilitaryUnit" not in {item[1] for item in captured}  # units have no Wikidata items to link


def test_link_report_counts_offline(store: LocalStore) -> None:
    counts = link_store_entities(store, store.settings).as_dict()
    linkable = [r for r in list_entities(store) if r.cls != "MilitaryUnit"]
    assert counts["total"] == len(linkable) == counts["linked"] + counts["ambiguous"] + counts["unlinked"]
    assert counts["linked"] >= 5  # the fixture's states, people and NATO are in the gazetteer


def test_a_store_without_the_index_says_to_build_again(tmp_path: Path) -> None:
    old = corpus_fixture_store(tmp_path / "old", index=False)
    for call in (lambda: list_entities(old), lambda: find_entity(old, "Rutte"),
                 lambda: link_store_entities(old, old.settings)):
        with pytest.raises(QueryError, match="run 'kg build'"):
            call()
