"""The answers of the bundled queries that ``kg serve`` computes before it listens
(kg.serve.app.PreparedAnswers): the bytes, media type and headers of the normal way's answer,
for every bundled query and format, under the same row cap; and only for a bundled query's
text as it is, over a local store."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from serve_support import make_store, running

from kg.queries.catalog import list_queries
from kg.serve import LOOPBACK_HOSTS, create_app
from kg.serve.sparql import MEDIA_TYPE, RESULTS_FORMATS
from kg.settings import Settings
from kg.store import open_store

PREPARED = [q for q in list_queries() if not q.network and not any(p.required for p in q.params)]
ACCEPT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
          "csv": "text/csv", "tsv": "text/tab-separated-values"}


class Server:
    """A served app, its HTTP client, and the texts its ``/sparql`` evaluated on the store."""

    def __init__(self, app, http: httpx.Client, evaluated: list[str]) -> None:
        self.app, self.http, self.evaluated = app, http, evaluated

    @property
    def kg(self):
        return self.app.state.kg


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("prepared") / "store")


def serve(settings: Settings, store, *, prepared: bool = True) -> Iterator[Server]:
    app = create_app(settings, store=store, allowed_hosts=LOOPBACK_HOSTS)
    kg_app = app.state.kg
    if not prepared:
        kg_app.prepared = None  # the normal way only: what the prepared answers must equal
    evaluate, evaluated = kg_app._evaluate, []

    def counted(text, graphs=None):
        evaluated.append(text)
        return evaluate(text, graphs)

    kg_app._evaluate = counted  # counts, and runs the real query on the real store
    with running(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        evaluated.clear()  # what the server read before it listened
        yield Server(app, http, evaluated)


@pytest.fixture(scope="module")
def prepared(store):
    yield from serve(store.settings, store)


@pytest.fixture(scope="module")
def plain(store):
    yield from serve(store.settings, store, prepared=False)


def text_of(info) -> str:
    return info.path.read_text(encoding="utf-8")


def same(a: httpx.Response, b: httpx.Response) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content)
    for header in ("content-type", "content-length", "x-kg-truncated", "content-disposition"):
        assert a.headers.get(header) == b.headers.get(header), header


def test_every_bundled_query_without_a_required_parameter_is_prepared(prepared) -> None:
    assert prepared.kg.prepared.ready and len(PREPARED) >= 10
    assert set(prepared.kg.prepared.forms) >= {text_of(q) for q in PREPARED}
    assert {fmt for _, fmt in prepared.kg.prepared.answers} == set(RESULTS_FORMATS)


@pytest.mark.parametrize("fmt", RESULTS_FORMATS)
@pytest.mark.parametrize("info", PREPARED, ids=lambda q: q.name)
def test_a_prepared_answer_is_the_normal_ways_byte_for_byte(prepared, plain, info, fmt) -> None:
    text = text_of(info)
    asked = [
        ("post", {"data": {"query": text}, "headers": {"accept": ACCEPT[fmt]}}),  # a SPARQL editor
        ("post", {"data": {"query": text.replace("\n", "\r\n"), "format": fmt}}),  # the download buttons
        ("get", {"params": {"query": text, "format": fmt}}),
        ("post", {"content": text.encode(), "headers": {"content-type": "application/sparql-query",
                                                         "accept": ACCEPT[fmt]}}),
    ]
    for method, options in asked:
        got = getattr(prepared.http, method)("/sparql", **options)
        want = getattr(plain.http, method)("/sparql", **options)
        assert got.status_code == 200, got.text[:300]
        assert got.headers["content-type"].startswith(MEDIA_TYPE[fmt])
        same(got, want)
    assert prepared.evaluated == [] and len(plain.evaluated) >= 1, "served from memory, not the store"


@pytest.fixture(scope="module")
def capped(store):
    yield from serve(Settings(store=store.settings.store, serve_max_rows=3), store)


@pytest.fixture(scope="module")
def capped_plain(store):
    yield from serve(Settings(store=store.settings.store, serve_max_rows=3), store, prepared=False)


@pytest.mark.parametrize("fmt", RESULTS_FORMATS)
def test_the_row_cap_and_its_header_are_the_normal_ways(capped, capped_plain, fmt) -> None:
    cut = 0
    for info in PREPARED:
        options = {"data": {"query": text_of(info), "format": fmt}}
        got, want = capped.http.post("/sparql", **options), capped_plain.http.post("/sparql", **options)
        same(got, want)
        if got.headers.get("x-kg-truncated") == "true":
            cut += 1
            if fmt == "json":
                assert len(got.json()["results"]["bindings"]) == 3
    assert cut >= 3, "several bundled queries have more than 3 rows on the test store"
    assert capped.evaluated == []


def test_other_queries_take_the_normal_way(prepared) -> None:
    roles = text_of(next(q for q in PREPARED if q.name == "roles"))
    bound = roles.replace("WHERE {", "WHERE { VALUES ?holder { <https://w3id.org/kg-news/entity/Q57792> }", 1)
    assert bound != roles
    others = [
        {"data": {"query": bound}},  # a parameter bound in the text
        {"data": {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}},  # an ad hoc query
        {"data": {"query": roles + " "}},  # not the file's text as it is
        {"data": {"query": roles, "default-graph-uri": "https://w3id.org/kg-news/graph/t1"}},
    ]
    for options in others:
        response = prepared.http.post("/sparql", **options)
        assert response.status_code == 200, response.text
    assert prepared.evaluated == [bound, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", roles + " ", roles]
    page = prepared.http.get("/query", params={"name": "roles", "run": "1", "p.holder": "Mark Rutte"})
    assert page.status_code == 200 and "Secretary General" in page.text  # run_query, not /sparql
    assert prepared.http.post("/sparql", data={"query": roles}, headers={"accept": "text/turtle"}).status_code == 406


def test_a_remote_store_prepares_nothing(prepared) -> None:
    """A server over a remote store (here the test server's own endpoint) asks it every time."""
    remote = Settings(store=str(prepared.http.base_url).rstrip("/"), remote_query_path="/sparql")
    assert remote.store_is_remote
    server = serve(remote, open_store(remote))
    try:
        over = next(server)
        assert over.kg.prepared is None
        text = text_of(PREPARED[0])
        for _ in range(2):
            answer = over.http.post("/sparql", data={"query": text})
            assert answer.status_code == 200, answer.text
        assert over.evaluated == [text, text], "no cache either: the remote store may change"
    finally:
        server.close()
