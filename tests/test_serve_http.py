"""kg serve over HTTP: every route, its JSON twin, the SPARQL protocol, and hostile input, on a
real uvicorn server over a real on-disk store (the corpus fixture and a hostile article)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest

from kg.model import EVENT_KINDS
from kg.queries.catalog import list_queries
from kg.serve import CSP, LOOPBACK_HOSTS, create_app
from kg.queries.results import to_json
from kg.serve.sparql import calls_service, check_query, negotiate, ProtocolError, query_form, results_json
from kg.settings import Settings
from kg.store.local import LocalStore
from kg.store import QueryResult
from serve_support import HOSTILE_LABEL, HOSTILE_TEXT, make_store, running

PAGES = ["/", "/search?q=korea", "/entity/Q423", "/entity/MilitaryUnit/north-korean-troops", "/article/t1",
         "/article/x%3Cscript%3E", "/articles", "/timeline", "/timeline?kind=Clash", "/troops", "/map", "/query",
         "/query?name=troop-numbers", "/query?name=roles&run=1"]
TWINS = ["/index.json", "/search.json?q=korea", "/entity/Q423.json", "/article/t1.json", "/articles.json",
         "/timeline.json", "/troops.json", "/map.json", "/query.json"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def url(store):
    app = create_app(store.settings, store=store, allowed_hosts=LOOPBACK_HOSTS)
    with running(app) as base:
        yield base


@pytest.fixture(scope="module")
def client(url):
    with httpx.Client(base_url=url, timeout=30) as http:
        yield http


def select(client: httpx.Client, query: str, **headers: str) -> dict:
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


# pages and twins --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_html_with_the_security_headers(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    html = response.text
    assert "<script" not in re.sub(r'<script src="/static/[\w/.-]+\.js" defer></script>', "", html)
    assert not re.search(r"\sstyle=|<style", html), "inline styles are refused by the CSP"
    loaded = re.findall(r'\ssrc="([^"]*)"', html) + re.findall(r'<link[^>]*\shref="([^"]*)"', html)
    assert loaded and all(u.startswith("/") and not u.startswith("//") for u in loaded), "nothing from elsewhere"


@pytest.mark.parametrize("path", TWINS)
def test_every_twin_is_json(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json(), dict)


def test_each_page_links_its_twin(client) -> None:
    assert 'href="/entity/Q423.json"' in client.get("/entity/Q423").text
    assert 'href="/search.json?q=korea"' in client.get("/search?q=korea").text


def test_the_entity_twin_holds_what_the_page_shows(client) -> None:
    page = client.get("/entity/Q57792.json").json()
    assert page["label"] == "Mark Rutte" and page["classes"] == ["Person"]
    assert page["wikidata"] == ["http://www.wikidata.org/entity/Q57792"]
    assert [(r["title"], r["organization"]["label"]) for r in page["roles"]] == [("Secretary General", "NATO")]
    assert {c["content"] for g in page["claims_by_date"] for c in g["claims"] if c["made"]} == {"the deployment"}
    assert [(m["article"], m["words"]) for m in page["mentions"]] == [("t1", "Mark Rutte")]
    assert "NATO" in {n["label"] for n in page["neighbours"]}
    html = client.get("/entity/Q57792").text
    assert "Secretary General" in html and "<mark>Mark Rutte</mark>" in html
    assert 'href="/article/t1#m95"' in html, "a mention links to its place in the article"


def test_an_entity_page_shows_aliases_events_claims_and_a_clickable_graph(client) -> None:
    page = client.get("/entity/Q423.json").json()
    assert {e["kind"] for e in page["events"]} <= set(EVENT_KINDS)
    assert {"Deployment", "Agreement"} <= {e["kind"] for e in page["events"]}
    assert any(c["speaker"] and c["speaker"]["label"] == "Volodymyr Zelenskyy"
               for g in page["claims_by_date"] for c in g["claims"])
    relations = {n["label"]: n["relations"] for n in page["neighbours"]}
    assert relations["Russia"] == ["alliedWith"] and relations["North Korean troops"] == ["partOf (inverse)"]
    html = client.get("/entity/Q423").text
    svg = html[html.index('<svg id="graph"'):html.index("</svg>")]
    assert '<a class="node" href="/entity/Q159">' in svg and svg.count("<circle") == len(page["neighbours"]) + 1
    kursk = client.get("/entity/Q3178.json").json()
    assert kursk["aliases"] == ["Kursk"] and kursk["point"] == {"longitude": 36.19, "latitude": 51.73}


def test_an_article_page_highlights_each_mention_by_class(client) -> None:
    html = client.get("/article/t1").text
    assert '<a id="m0" class="ent c-Person" href="/entity/Q3881980">Zelensky<span class="ent-label">Person</span></a>' in html
    assert 'class="ent c-Place" href="/entity/Q3178">Kursk<' in html
    data = client.get("/article/t1.json").json()
    assert "".join(s["text"] for s in data["segments"]) == client.get("/article/t1.json").json()["segments"][0]["text"] + \
        "".join(s["text"] for s in data["segments"][1:])
    assert {f["kind"] for f in data["facts"]} >= {"role", "event", "claim", "relation"}
    assert len(data["mentions"]) == 6


def test_search_finds_names_and_aliases_with_class_and_counts(client) -> None:
    found = client.get("/search.json", params={"q": "ZELENSKY"}).json()["results"]
    assert [(r["label"], r["class"], r["matched"]) for r in found] == [("Volodymyr Zelenskyy", "Person", ["Zelensky"])]
    assert found[0]["mentions"] >= 1 and found[0]["articles"] >= 1
    assert client.get("/search.json", params={"q": "no such name"}).json()["results"] == []


def test_the_timeline_lists_dated_events_and_claims_of_the_enum_kinds(client) -> None:
    data = client.get("/timeline.json").json()
    assert set(data["kinds"]) <= {*EVENT_KINDS, "Claim"} and {"Clash", "Claim"} <= set(data["kinds"])
    dates = [i["date"] for i in data["items"]]
    assert dates == sorted(dates) and len(dates) == data["total"]
    clashes = client.get("/timeline.json", params={"kind": "Clash"}).json()["items"]
    assert [i["kind"] for i in clashes] == ["Clash"]
    assert "<svg" in client.get("/timeline").text


def test_troop_figures_keep_conflicting_reports_side_by_side(client) -> None:
    states = client.get("/troops.json").json()["states"]
    korea = next(s for s in states if s["label"] == "North Korea")
    assert korea["conflicting"] and sorted(r["value"] for r in korea["reports"]) == [3000, 10000]
    html = client.get("/troops").text
    assert "conflicting: 3000 vs 10000" in html and html.count('<circle class="src-') >= 2


def test_the_map_draws_places_over_country_outlines(client) -> None:
    places = client.get("/map.json").json()["places"]
    assert [(p["label"], p["longitude"], p["latitude"]) for p in places] == [("Kursk Oblast", 36.19, 51.73)]
    html = client.get("/map").text
    assert html.count("<path d=") > 150 and "<title>Russia</title>" in html
    assert '<a href="/entity/Q3178"><circle cx="36.19" cy="-51.73"' in html


def test_the_home_page_counts_the_store(client) -> None:
    data = client.get("/index.json").json()
    assert data["articles"] == 4 and data["entities_by_class"]["Person"] >= 2
    assert data["top_entities"][0]["path"].startswith("/entity/")


# the query page -------------------------------------------------------------------------------------
def test_the_query_page_lists_every_bundled_query_with_its_parameters(client) -> None:
    html = client.get("/query").text
    for info in list_queries():
        assert f'href="/query?name={quote(info.name)}"' in html and info.title in html
    form = client.get("/query?name=troop-numbers").text
    assert 'name="p.state"' in form and "PREFIX kg: &lt;https://w3id.org/kg-news/ontology#&gt;" in form


def test_the_query_page_runs_a_bundled_query_with_a_bound_parameter(client) -> None:
    response = client.get("/query.json", params={"name": "troop-numbers", "run": "1", "p.state": "North Korea"})
    rows = response.json()["results"]["results"]["bindings"]
    assert sorted(int(r["value"]["value"]) for r in rows) == [3000, 10000]
    html = client.get("/query", params={"name": "troop-numbers", "run": "1"}).text
    assert '<table class="rows" id="results">' in html and "2 rows" in html
    table = client.get("/query", params={"name": "troop-numbers", "run": "1", "format": "csv"})
    assert table.headers["content-type"].startswith("text/csv") and "attachment" in table.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == 2


def test_the_query_editor_runs_free_sparql(client) -> None:
    response = client.post("/query", data={"sparql": "SELECT ?s WHERE { ?s a kg:State } ORDER BY ?s"})
    assert response.status_code == 200 and "entity:Q423" in response.text
    refused = client.post("/query", data={"sparql": "DROP ALL"})
    assert "read-only" in refused.text


def test_a_bad_parameter_is_one_message_not_a_failure(client) -> None:
    response = client.get("/query", params={"name": "timeline", "run": "1", "p.kind": "<x> } ; DROP ALL {"})
    assert response.status_code == 200 and 'class="error"' in response.text
    twin = client.get("/query.json", params={"name": "timeline", "run": "1", "p.kind": "<x> } ; DROP ALL {"})
    assert twin.status_code == 400 and "error" in twin.json()


# the SPARQL protocol -----------------------------------------------------------------------------------
COUNT_ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"


def test_get_post_form_and_post_direct_answer_the_same(client) -> None:
    by_get = select(client, COUNT_ARTICLES)
    by_form = client.post("/sparql", data={"query": COUNT_ARTICLES}).json()
    by_body = client.post("/sparql", content=COUNT_ARTICLES.encode(), headers={"content-type": "application/sparql-query"}).json()
    assert by_get == by_form == by_body
    assert by_get["results"]["bindings"][0]["n"]["value"] == "4", "the default graph is the union of the articles"


def test_default_graph_uri_narrows_the_default_graph(client, store) -> None:
    response = client.get("/sparql", params={"query": COUNT_ARTICLES, "default-graph-uri": store.iris.graph("t1").value})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"


@pytest.mark.parametrize(("accept", "check"), [
    ("application/sparql-results+json", lambda r: json.loads(r.text)["head"]["vars"] == ["s", "label"]),
    ("application/sparql-results+xml", lambda r: len(ET.fromstring(r.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 2),
    ("text/csv", lambda r: len(list(csv.reader(io.StringIO(r.text)))) == 3),
    ("text/tab-separated-values", lambda r: r.text.splitlines()[0] == "?s\t?label"),
])
def test_select_results_come_in_each_format_asked_for(client, accept, check) -> None:
    query = "SELECT DISTINCT ?s ?label WHERE { GRAPH graph:_entities { ?s rdfs:label ?label ; a kg:Person } }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert check(response)


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_graphs_come_in_each_format_asked_for(client, accept, fmt) -> None:
    query = "CONSTRUCT { ?s a kg:State } WHERE { ?s a kg:State }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    triples = list(ox.parse(response.content, format=fmt))
    assert {t.subject.value.rsplit("/", 1)[-1] for t in triples} == {"Q423", "Q159", "Q884"}


def test_ask_and_an_empty_construct_answer_in_their_forms(client) -> None:
    assert select(client, "ASK { ?s a kg:Clash }") == {"head": {}, "boolean": True}
    empty = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kg:Nothing ; ?p ?o }"})
    assert empty.status_code == 200 and empty.headers["content-type"].startswith("text/turtle")


def test_nothing_acceptable_is_406_and_no_query_is_400(client) -> None:
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"}).status_code == 406
    assert client.get("/sparql").status_code == 400
    assert client.get("/sparql", headers={"accept": "text/html"}, follow_redirects=False).headers["location"] == "/query"
    assert client.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"}).status_code == 415
    assert client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    syntax = client.get("/sparql", params={"query": "SELECT WHERE {"})
    assert syntax.status_code == 400 and "syntax" in syntax.text.lower()


@pytest.mark.parametrize("attempt", [
    {"data": {"update": "DROP ALL"}},
    {"content": b"DROP ALL", "headers": {"content-type": "application/sparql-update"}},
    {"data": {"query": "DROP ALL"}},
    {"data": {"query": "PREFIX ex: <urn:x> # a comment\nINSERT DATA { ex:a ex:b ex:c }"}},
    {"data": {"query": "CLEAR GRAPH <https://w3id.org/kg-news/graph/t1>"}},
    {"content": b"DELETE WHERE { ?s ?p ?o }", "headers": {"content-type": "application/sparql-query"}},
])
def test_updates_are_refused_and_change_nothing(client, attempt) -> None:
    before = select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    response = client.post("/sparql", **attempt)
    assert response.status_code == 403 and "read-only" in response.text
    assert select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SER\\u0056ICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o # a comment\n SERVICE SILENT <https://example.org/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused_offline(client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403 and "--online" in response.text


def test_service_in_a_string_an_iri_or_a_name_is_not_a_call() -> None:
    assert not calls_service('SELECT * { ?s rdfs:label "National Intelligence Service" }')
    assert not calls_service("SELECT ?service { ?service <urn:x:SERVICE> ex:service }")
    assert calls_service("SELECT * { SERVICE <urn:x> {} }")
    check_query("SELECT * { SERVICE <urn:x> {} }", online=True)
    with pytest.raises(ProtocolError):
        check_query("SELECT * { SERVICE <urn:x> {} }", online=False)


def test_query_forms_and_negotiation() -> None:
    assert query_form("PREFIX a: <urn:a#>\n# CONSTRUCT in a comment\nASK {}") == "ask"
    assert query_form("BASE <urn:x>\nDESCRIBE <y>") == "describe"
    assert negotiate("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "select") == "xml"
    assert negotiate("*/*", "construct") == "turtle"
    with pytest.raises(ProtocolError):
        negotiate("", "select", "turtle")


def test_a_huge_query_is_refused_before_it_runs(client) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o }" + " " * 200_000
    assert client.post("/sparql", data={"query": huge}).status_code == 413
    direct = client.post("/sparql", content=huge.encode(), headers={"content-type": "application/sparql-query"})
    assert direct.status_code == 413
    assert client.post("/query", data={"sparql": huge}).status_code == 413


@pytest.fixture(scope="module")
def capped(store):
    """A second server over the same store with a row cap of 3 and a time limit of 0.2 s."""
    settings = Settings(store=store.settings.store, serve_max_rows=3, serve_timeout=0.2)
    with running(create_app(settings, store=store)) as base, httpx.Client(base_url=base, timeout=30) as http:
        yield http


def test_rows_are_capped(capped) -> None:
    response = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 3 and response.headers["x-kg-truncated"] == "true"
    small = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s a kg:Clash }"})
    assert "x-kg-truncated" not in small.headers


def test_a_slow_query_is_stopped_at_the_time_limit(capped) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(?c != ?i) }"
    response = capped.get("/sparql", params={"query": slow})
    assert response.status_code == 503 and "timed out" in response.text


# hostile input -------------------------------------------------------------------------------------
def test_article_text_is_escaped_everywhere(client) -> None:
    html = client.get("/article/x%3Cscript%3E").text
    assert "<script>alert" not in html and "</textarea><script" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;" in html or "&quot;" in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    data = client.get("/article/x%3Cscript%3E.json").json()
    assert "".join(s["text"] for s in data["segments"]) == HOSTILE_TEXT
    assert "&lt;script&gt;alert(&#39;title&#39;)" in client.get("/articles").text
    for path in ["/entity/Organization/evil-corp", "/search?q=textarea", "/timeline"]:
        page = client.get(path).text
        assert "<script>alert" not in page, path
        assert "&lt;/textarea&gt;" in page, path


def test_a_query_holding_a_textarea_end_stays_in_the_editor(client) -> None:
    query = f'SELECT ?x WHERE {{ BIND("{HOSTILE_LABEL.replace(chr(34), chr(39))}" AS ?x) }}'
    html = client.post("/query", data={"sparql": query}).text
    assert "</textarea><script>" not in html and html.count("</textarea>") == 1


@pytest.mark.parametrize("path", [
    "/search?q=%22)%20%7D%20DROP%20ALL%20%23", "/search?q=%3Cscript%3E", "/entity/Q423%3E%20%7B%20%3Fs",
    "/entity/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/article/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/timeline?kind=%3Cscript%3E", "/query?name=%3Cscript%3E", "/entity/" + "Q1" * 3000,
])
def test_injection_attempts_in_urls_answer_cleanly(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404), response.text[:300]
    assert "<script>alert" not in response.text and "<script>" not in response.text.replace(
        '<script src="/static/kg.js" defer></script>', "")
    assert select(client, COUNT_ARTICLES)["results"]["bindings"][0]["n"]["value"] == "4"


def test_a_foreign_host_header_is_refused(client) -> None:
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_unknown_pages_are_404_in_their_kind(client) -> None:
    assert client.get("/nothing").status_code == 404
    assert client.get("/entity/Q999999999").status_code == 404
    missing = client.get("/entity/Q999999999.json")
    assert missing.status_code == 404 and "error" in missing.json()
    assert client.get("/static/../../kg/settings.py").status_code == 404


@pytest.mark.parametrize("info", list_queries(), ids=lambda q: q.name)
def test_every_bundled_query_pastes_and_runs_as_it_is(client, info) -> None:
    """The file's text as a SPARQL editor sends it: parameters free, prefixes its own."""
    response = client.post("/sparql", data={"query": info.path.read_text(encoding="utf-8")})
    if info.network:
        assert response.status_code == 403 and "--online" in response.text
    else:
        assert response.status_code == 200, response.text
        assert "results" in response.json()


def test_with_online_service_federates_to_another_endpoint(store, url, tmp_path) -> None:
    """--online lets SERVICE through: here to the first test server, on 127.0.0.1."""
    made = make_store(tmp_path / "other")
    other = LocalStore(made.settings.replace(online=True))  # the store lets SERVICE through too
    query = f"SELECT DISTINCT ?s WHERE {{ SERVICE <{url}/sparql> {{ ?s a kg:State }} }}"
    with running(create_app(other.settings, store=other, online=True)) as online:
        response = httpx.get(online + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    assert {b["s"]["value"].rsplit("/", 1)[-1] for b in response.json()["results"]["bindings"]} == {"Q423", "Q159", "Q884"}


def test_the_endpoint_writes_the_json_of_the_results_document() -> None:
    odd = 'quote " backslash \\ newline \n tab \t control \x01 </script> é 北 \U0001F600'
    xsd = "http://www.w3.org/2001/XMLSchema#"
    rows = (
        (ox.NamedNode("https://example.org/a?b=c%22d&e=é"), ox.Literal(odd),
         ox.Literal("3", datatype=ox.NamedNode(xsd + "integer"))),
        (ox.BlankNode("b0"), ox.Literal(odd, language="en-GB"), None),
        (None, None, ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))),
    )
    for result in (QueryResult(columns=("s", "label", "n"), rows=rows), QueryResult(columns=("x",)),
                   QueryResult(boolean=False)):
        expected = json.dumps(to_json(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        assert results_json(result) == expected
    second = json.loads(results_json(QueryResult(columns=("s", "label", "n"), rows=rows)))["results"]["bindings"][1]
    assert second == {"s": {"type": "bnode", "value": "b0"},
                      "label": {"type": "literal", "value": odd, "xml:lang": "en-gb"}}  # Oxigraph lowers the tag
