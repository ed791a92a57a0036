"""The bundled queries on a hand-written three-article corpus, and the query machinery."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.queries import (
    QUERIES_DIR,
    classify,
    compact,
    format_result,
    list_queries,
    load_query,
    parse_params,
    resolve_entity,
    run_query,
    to_term,
)
from kg.settings import Settings
from kg.store import QueryResult
from kg.store.local import LocalStore

from conftest import corpus_fixture_store

E = "https://w3id.org/kg-news/entity/"
NK_TROOPS = "entity:MilitaryUnit/north-korean-troops"
UA_FORCES = "entity:MilitaryUnit/armed-forces-of-ukraine"
NIS = "entity:Organization/national-intelligence-service"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return corpus_fixture_store(tmp_path_factory.mktemp("store"))


def rows(store: LocalStore, name: str, *columns: str, **params: str) -> set[tuple[str, ...]]:
    """Run a bundled query and return the chosen columns of each row, compacted, as a set."""
    query = load_query(name)
    result = run_query(store, query, parse_params([f"{k}={v}" for k, v in params.items()], query))
    index = [result.columns.index(c) for c in columns]
    out = [tuple(compact(row[i]) for i in index) for row in result.rows]
    return set(out)


def ordered(store: LocalStore, name: str, *columns: str, **params: str) -> list[tuple[str, ...]]:
    query = load_query(name)
    result = run_query(store, query, parse_params([f"{k}={v}" for k, v in params.items()], query))
    index = [result.columns.index(c) for c in columns]
    return [tuple(compact(row[i]) for i in index) for row in result.rows]


# the catalogue ----------------------------------------------------------------------------------
def test_catalogue_has_at_least_twelve_documented_queries() -> None:
    infos = [q for q in list_queries() if not q.network]
    assert len(infos) >= 12
    for info in infos:
        assert info.title and info.description and info.example, info.name
        assert info.path is not None and info.path.parent == QUERIES_DIR


def test_every_parameter_is_a_selected_variable() -> None:
    """Oxigraph only substitutes projected variables; a header must not promise others."""
    for info in list_queries():
        text = info.path.read_text(encoding="utf-8")  # type: ignore[union-attr]
        select = text[text.index("SELECT"):text.index("WHERE")]
        for param in info.params:
            assert f"?{param.name}" in select or "SELECT *" in select, (info.name, param.name)


def test_every_local_query_runs_with_and_without_its_parameters(store: LocalStore) -> None:
    for info in list_queries():
        if info.network:
            continue
        query = load_query(info.name)
        if not any(p.required for p in info.params):
            assert run_query(store, query).columns
        for param in info.params:
            if param.example:
                # the examples name data/'s articles (tests/test_examples.py runs them there)
                value = store.article_ids()[0] if info.scope == "article" else param.example
                result = run_query(store, query, parse_params([f"{param.name}={value}"], query))
                assert result.columns, (info.name, param.name)


def test_an_unknown_article_is_an_error_not_an_empty_answer(store: LocalStore) -> None:
    query = load_query("article-facts")
    with pytest.raises(QueryError, match="no article 'nope' in the store"):
        run_query(store, query, parse_params(["article=nope"], query))


def test_header_parsing_of_a_federated_query(tmp_path: Path) -> None:
    (tmp_path / "remote.rq").write_text(
        "# title: Remote\n# description: needs the network\n"
        "# param: type = kg:State   (optional, one class)\n"
        "SELECT ?type WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s a ?type } }\n"
    )
    (info,) = list_queries(tmp_path)
    assert info.network and info.params[0].name == "type" and not info.params[0].required


# one golden answer per query ---------------------------------------------------------------------
def test_entities_by_type(store: LocalStore) -> None:
    assert rows(store, "entities-by-type", "entity", "mentions", "articles", type="MilitaryUnit") == {
        (NK_TROOPS, "3", "3"),
        (UA_FORCES, "1", "1"),
    }
    everything = rows(store, "entities-by-type", "type", "label")
    assert len(everything) == 10
    assert ("kg:Person", "Volodymyr Zelenskyy") in everything
    assert rows(store, "entities-by-type", "label", type="kg:Place") == {("Kursk Oblast",)}


def test_entity_names(store: LocalStore) -> None:
    assert rows(store, "entity-names", "name", "preferred", entity="entity:Q3881980") == {
        ("Volodymyr Zelenskyy", "true"),
        ("Zelensky", "false"),
    }


def test_roles(store: LocalStore) -> None:
    expected = {("Mark Rutte", "Secretary General", "NATO", "t1")}
    assert rows(store, "roles", "holderLabel", "title", "organizationLabel", "article") == expected
    assert rows(store, "roles", "holderLabel", "title", "organizationLabel", "article", holder="mark rutte") == expected
    assert rows(store, "roles", "title", holder="entity:Q3881980") == set()


def test_deployments(store: LocalStore) -> None:
    columns = ("placeLabel", "date", "unitLabel", "stateLabel", "troops", "article")
    assert rows(store, "deployments", *columns) == {
        ("Kursk Oblast", "2024-10", "North Korean troops", "North Korea", "10000", "t1"),
        ("Russia", "2024-10-18", "North Korean troops", "North Korea", "3000", "t2"),
    }
    assert rows(store, "deployments", "article", place="Kursk") == {("t1",)}
    assert rows(store, "deployments", "article", place="<" + E + "Q159>") == {("t2",)}


def test_troop_numbers_side_by_side(store: LocalStore) -> None:
    columns = ("stateLabel", "value", "approximate", "figures", "speakerLabel", "source", "date", "article")
    expected = {
        ("North Korea", "10000", "true", "3000 vs 10000", "Volodymyr Zelenskyy", "", "2024-10-25", "t1"),
        ("North Korea", "3000", "false", "3000 vs 10000", "National Intelligence Service",
         "entity:Q884", "2024-10-18", "t2"),
    }
    assert rows(store, "troop-numbers", *columns) == expected
    assert rows(store, "troop-numbers", *columns, state="entity:Q423") == expected
    assert rows(store, "troop-numbers", *columns, state="North Korea") == expected
    assert rows(store, "troop-numbers", *columns, state="entity:Q159") == set()


def test_timeline_is_ordered_by_date(store: LocalStore) -> None:
    assert ordered(store, "timeline", "date", "kind", "placeLabel", "article") == [
        ("2024-06", "kg:Agreement", "", "t2"),
        ("2024-10", "kg:Deployment", "Kursk Oblast", "t1"),
        ("2024-10-18", "kg:Deployment", "Russia", "t2"),
        ("2024-11-05", "kg:Clash", "Kursk Oblast", "t3"),
    ]
    assert rows(store, "timeline", "participants", kind="Clash") == {
        ("Armed Forces of Ukraine; North Korean troops",),
    } or rows(store, "timeline", "participants", kind="Clash") == {
        ("North Korean troops; Armed Forces of Ukraine",),
    }


def test_claims_by_speaker(store: LocalStore) -> None:
    columns = ("speakerLabel", "date", "cue", "article")
    assert rows(store, "claims-by-speaker", *columns) == {
        ("Volodymyr Zelenskyy", "2024-10-25", "said", "t1"),
        ("Mark Rutte", "", "confirmed", "t1"),
        ("National Intelligence Service", "2024-10-18", "said", "t2"),
    }
    assert rows(store, "claims-by-speaker", "content", speaker="zelensky") == {
        ("North Korea sent about 10,000 troops to Kursk in October",),
    }
    assert rows(store, "claims-by-speaker", "content", speaker="<" + E + "Q57792>") == {("the deployment",)}


def test_article_facts(store: LocalStore) -> None:
    assert rows(store, "article-facts", "kind", "subject", "predicate", "object", "date", article="t3") == {
        ("relation", "Armed Forces of Ukraine", "fightsAgainst", "North Korean troops", ""),
        ("relation", "Kursk Oblast", "locatedIn", "Russia", ""),
        ("event", "Armed Forces of Ukraine", "Clash", "Kursk Oblast", "2024-11-05"),
        ("event", "North Korean troops", "Clash", "Kursk Oblast", "2024-11-05"),
    }
    t1 = rows(store, "article-facts", "kind", "subject", "predicate", "object", article="t1")
    assert ("role", "Mark Rutte", "Secretary General", "NATO") in t1
    assert ("claim", "Mark Rutte", "confirmed", "the deployment") in t1
    assert {kind for kind, *_ in t1} == {"relation", "role", "event", "claim"}


def test_article_facts_needs_its_article() -> None:
    with pytest.raises(QueryError, match="article"):
        parse_params([], load_query("article-facts"))


def test_mentions_by_name_or_iri(store: LocalStore) -> None:
    expected = {("t1", "troops", "44", "50"), ("t2", "North Korean soldiers", "55", "76"),
                ("t3", "North Korean troops", "30", "49")}
    assert rows(store, "mentions", "article", "anchor", "begin", "end", entity=NK_TROOPS) == expected
    assert rows(store, "mentions", "article", "anchor", "begin", "end", entity="north korean SOLDIERS") == expected
    assert rows(store, "mentions", "sentence", entity="Kursk") == {
        ("Zelensky said North Korea sent about 10,000 troops to Kursk in October.",),
        ("Ukrainian forces clashed with North Korean troops in Kursk on November 5.",),
        ("Kursk lies in Russia.",),
    }
    assert rows(store, "mentions", "article", entity="Nobody At All") == set()
    # every mention of every entity of the fixture, one entity at a time: 17 in all
    entities = {e for (e,) in rows(store, "entities-by-type", "entity")}
    assert sum(len(rows(store, "mentions", "begin", "article", entity=e)) for e in entities) == 17


def test_mentions_needs_its_entity(store: LocalStore) -> None:
    """A listing of every mention of every entity is a dump, not a question: it needs an entity."""
    with pytest.raises(QueryError, match="entity"):
        parse_params([], load_query("mentions"))
    with pytest.raises(QueryError, match="needs the parameter"):
        run_query(store, load_query("mentions"))


def test_co_mentions(store: LocalStore) -> None:
    columns = ("label1", "label2", "sentences", "articles")
    troops = rows(store, "co-mentions", *columns, entity1=NK_TROOPS)
    assert ("North Korean troops", "Kursk Oblast", "2", "2") in troops
    assert ("Kursk Oblast", "North Korean troops", "2", "2") in rows(store, "co-mentions", *columns, entity1="Kursk")
    assert ("Mark Rutte", "NATO", "1", "1") in rows(store, "co-mentions", *columns, entity1="Mark Rutte")
    # the neighbourhoods of all entities hold each of the fixture's 17 pairs once from either end
    entities = {e for (e,) in rows(store, "entities-by-type", "entity")}
    pairs = [row for e in sorted(entities)
             for row in rows(store, "co-mentions", "entity1", "entity2", "sentences", "articles", entity1=e)]
    assert not any(a == b for a, b, *_ in pairs)
    assert len(pairs) == 34
    assert {(b, a, *n) for a, b, *n in pairs} == set(pairs)
    strongest = ordered(store, "co-mentions", "label2", "sentences", entity1=NK_TROOPS)
    assert strongest[0] == ("Kursk Oblast", "2")


def test_co_mentions_needs_its_entity() -> None:
    with pytest.raises(QueryError, match="entity1"):
        parse_params([], load_query("co-mentions"))


def test_alliances_and_hostilities(store: LocalStore) -> None:
    columns = ("relation", "label1", "label2", "articles", "since")
    expected = {
        ("kg:alliedWith", "Russia", "North Korea", "1", "2024-06"),
        ("kg:fightsAgainst", "Armed Forces of Ukraine", "North Korean troops", "1", "2024-11-05"),
    }
    assert rows(store, "alliances-hostilities", *columns) == expected
    assert rows(store, "alliances-hostilities", *columns, relation="kg:alliedWith") == {
        ("kg:alliedWith", "Russia", "North Korea", "1", "2024-06"),
    }


def test_wikidata_links(store: LocalStore) -> None:
    unlinked = {("Armed Forces of Ukraine",), ("National Intelligence Service",), ("North Korean troops",)}
    assert rows(store, "wikidata-links", "label", linked="false") == unlinked
    linked = rows(store, "wikidata-links", "label", "wikidata", linked="true")
    assert ("Mark Rutte", "wd:Q57792") in linked and len(linked) == 7
    assert len(rows(store, "wikidata-links", "entity")) == 10


def test_places_with_coordinates(store: LocalStore) -> None:
    assert rows(store, "places", "label", "wikidata", "longitude", "latitude", "articles") == {
        ("Kursk Oblast", "wd:Q3178", "36.19", "51.73", "2"),
    }


def test_articles(store: LocalStore) -> None:
    assert ordered(store, "articles", "article", "date", "entities", "events", "claims") == [
        ("t2", "2024-10-19", "5", "2", "1"),
        ("t1", "2024-10-25", "6", "1", "2"),
        ("t3", "2024-11-06", "4", "1", "0"),
    ]


# parameters are data ------------------------------------------------------------------------------
HOSTILE = ['"} ; DROP ALL { "', "x' } ; CLEAR ALL ; SELECT * { '", "} } DELETE WHERE { ?s ?p ?o }", '\\" }']


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_is_bound_as_data(store: LocalStore, value: str) -> None:
    before = len(store.quads())
    query = load_query("article-facts")
    params = parse_params([f"article={value}"], query)
    assert isinstance(params["article"], ox.Literal)
    with pytest.raises(QueryError, match="no article"):  # looked up as an article id: there is none
        run_query(store, query, params)
    speaker = load_query("claims-by-speaker")
    assert run_query(store, speaker, parse_params([f"speaker={value}"], speaker)).rows == ()
    assert len(store.quads()) == before


def test_values_become_the_right_terms() -> None:
    assert to_term("<https://w3id.org/kg-news/entity/Q423>") == ox.NamedNode(E + "Q423")
    assert to_term("entity:Q423") == ox.NamedNode(E + "Q423")
    assert to_term("wd:Q423") == ox.NamedNode("http://www.wikidata.org/entity/Q423")
    assert to_term("10000").datatype.value.endswith("#integer")
    assert to_term("0.5").datatype.value.endswith("#decimal")
    assert to_term("true") == ox.Literal(True)
    assert to_term("Kim Jong-un") == ox.Literal("Kim Jong-un")
    assert to_term('"kg:Person"') == ox.Literal("kg:Person")
    assert to_term("Note: something") == ox.Literal("Note: something")
    assert to_term("001_f0297d7a4fa8c507", "string") == ox.Literal("001_f0297d7a4fa8c507")
    assert to_term("Person", "class").value.endswith("#Person")
    with pytest.raises(QueryError, match="not a valid IRI"):
        to_term("<not an iri>")
    with pytest.raises(QueryError, match="not an IRI"):
        to_term("North Korea", "iri")
    with pytest.raises(QueryError, match="not a class"):
        to_term("Nonsense", "class")


def test_unknown_parameter_lists_the_valid_ones() -> None:
    with pytest.raises(QueryError, match="valid parameters: state"):
        parse_params(["country=Q423"], load_query("troop-numbers"))
    with pytest.raises(QueryError, match="name=value"):
        parse_params(["state"], load_query("troop-numbers"))


def test_adhoc_query_accepts_its_own_variables(store: LocalStore) -> None:
    query = load_query("SELECT ?entity ?label WHERE { ?entity rdfs:label ?label }")
    params = parse_params(["entity=entity:Q423"], query)
    assert {compact(r[1]) for r in run_query(store, query, params).rows} == {"North Korea"}
    with pytest.raises(QueryError, match="no parameter 'nope'"):
        parse_params(["nope=1"], query)


def test_resolve_entity_is_case_and_punctuation_insensitive(store: LocalStore) -> None:
    assert resolve_entity(store, "ZELENSKY") == [ox.NamedNode(E + "Q3881980")]
    assert resolve_entity(store, "south korea's spy-agency") == [
        ox.NamedNode(E + "Organization/national-intelligence-service")
    ]


# read-only, errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
        "DROP ALL",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <urn:x> CLEAR DEFAULT",
    ],
)
def test_update_is_refused_on_the_query_path(store: LocalStore, text: str) -> None:
    before = len(store.quads())
    assert classify(text) == "update"
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, load_query(text if "{" in text else "-", stdin=io.StringIO(text)))
    assert len(store.quads()) == before


def test_update_runs_when_allowed(tmp_path: Path) -> None:
    kg_store = corpus_fixture_store(tmp_path)
    before = len(kg_store.quads())
    query = load_query("DELETE WHERE { GRAPH ?g { ?s a kg:Quantity } }")
    run_query(kg_store, query, allow_update=True)
    assert len(kg_store.quads()) == before - 2


def test_syntax_error_names_line_and_column(store: LocalStore) -> None:
    query = load_query("SELECT ?s WHERE {\n  ?s ?p \"unterminated }\n")
    with pytest.raises(QueryError, match=r"2:\d+"):
        run_query(store, query)


def test_unknown_query_name_lists_the_catalogue() -> None:
    with pytest.raises(QueryError, match="troop-numbers"):
        load_query("no-such-query")


def test_load_from_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    assert load_query(str(path)).info.title == "Mine"
    assert load_query("-", stdin=io.StringIO("ASK { ?s ?p ?o }")).text.startswith("ASK")


# formatting ------------------------------------------------------------------------------------
def test_formats(store: LocalStore) -> None:
    result = run_query(store, load_query("places"))
    table = format_result(result, "table", width=200)
    assert "Kursk Oblast" in table and "entity:Q3178" not in table and "1 row" in table
    assert "entity:Q3178" in format_result(result, "table", width=200, iris=True)
    csv_text = format_result(result, "csv")
    assert csv_text.splitlines()[0] == "place,label,wikidata,longitude,latitude,wkt,articles"
    assert csv_text.splitlines()[1].startswith(E + "Q3178,Kursk Oblast,")
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].startswith("?place\t?label") and tsv[1].startswith(f"<{E}Q3178>\t\"Kursk Oblast\"")
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"][0] == "place"
    binding = data["results"]["bindings"][0]
    assert binding["place"] == {"type": "uri", "value": E + "Q3178"}
    assert binding["label"] == {"type": "literal", "value": "Kursk Oblast"}
    assert binding["articles"]["datatype"].endswith("#integer")
    ask = run_query(store, load_query("ASK { ?s a kg:Clash }"))
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}
    ask = QueryResult(boolean=True)
    assert format_result(ask, "csv").splitlines() == ["boolean", "true"]
    with pytest.raises(QueryError, match="unknown output format"):
        format_result(result, "xml")


def test_parameters_also_work_as_a_values_block(store: LocalStore) -> None:
    """A remote endpoint gets parameters as a VALUES block first in the outer WHERE; every
    bundled query must accept that too (so no parameter may be the target of an outer BIND)."""
    for info in list_queries():
        if info.network:
            continue
        query = load_query(info.name)
        for param in info.params:
            if not param.example:
                continue
            if info.scope == "article":  # reads one article's graph, not the union
                continue
            bindings = parse_params([f"{param.name}={param.example}"], query)
            term = bindings[param.name]
            if isinstance(term, ox.Literal) and param.kind == "entity":
                continue
            where = query.text.index("WHERE {") + len("WHERE {")
            text = f"{query.text[:where]} VALUES ?{param.name} {{ {term} }} {query.text[where:]}"
            via_values = store.query(text)
            via_substitution = run_query(store, query, bindings)
            assert set(via_values.rows) == set(via_substitution.rows), (info.name, param.name)


# the CLI -------------------------------------------------------------------------------------------
def test_cli_query_json_and_errors(store: LocalStore) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["query", "troop-numbers", "--store", str(store.path),
                                 "--param", "state=North Korea", "--format", "json"])
    assert result.exit_code == 0, result.output
    values = {b["value"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
    assert values == {"3000", "10000"}
    refused = runner.invoke(app, ["query", "-", "--store", str(store.path)], input="DROP ALL")
    assert refused.exit_code == QueryError.exit_code
    listing = runner.invoke(app, ["queries", "--format", "json"])
    assert listing.exit_code == 0 and "troop-numbers" in {q["name"] for q in json.loads(listing.stdout)}


def test_every_query_runs_on_the_graph_built_from_data(tmp_path: Path) -> None:
    """The queries against what the real pipeline writes (skipped when data/ has no articles)."""
    data = Path(__file__).parent.parent / "data"
    if not any(data.rglob("*.txt")) and not any(data.rglob("*.jsonl")):
        pytest.skip("no articles in data/")
    from kg.build import build_sources

    settings = Settings(store=str(tmp_path / "store"))
    summary = build_sources([str(data)], settings)
    assert summary.new > 0
    built = LocalStore(settings)
    for info in list_queries():
        if info.network or any(p.required for p in info.params):
            continue
        assert run_query(built, load_query(info.name)).columns, info.name
    (article_id, *_) = built.article_ids()
    facts = run_query(built, load_query("article-facts"), {"article": to_term(article_id, "string")})
    assert facts.rows


@pytest.mark.parametrize("name", ["entities-by-type", "CONSTRUCT { ?e a ?c } WHERE { ?e a ?c }"])
def test_limit_keeps_the_first_rows_and_says_there_were_more(store: LocalStore, name: str) -> None:
    query = load_query(name)
    full = run_query(store, query)
    answer = (lambda r: r.rows or r.triples)
    assert len(answer(full)) > 3 and not full.truncated
    first = run_query(store, query, limit=3)
    assert answer(first) == answer(full)[:3] and first.truncated
    exact = run_query(store, query, limit=len(answer(full)))
    assert answer(exact) == answer(full) and not exact.truncated


def test_cli_limit_prints_the_first_rows_and_says_so_on_stderr(tmp_path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    kg_store = corpus_fixture_store(tmp_path / "store")
    args = ["query", "entities-by-type", "--store", str(kg_store.path), "--format", "json"]
    runner = CliRunner()
    full = json.loads(runner.invoke(app, args).stdout)["results"]["bindings"]
    shown = runner.invoke(app, [*args, "--limit", "2"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["results"]["bindings"] == full[:2]
    assert "the first 2 rows; there are more" in shown.stderr
    every = runner.invoke(app, [*args, "--limit", str(len(full))])
    assert json.loads(every.stdout)["results"]["bindings"] == full and "there are more" not in every.stderr
