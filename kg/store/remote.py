"""A store behind HTTP: an Oxigraph server (``oxigraph serve``) or any SPARQL 1.1 endpoint.

``--store http://host:port`` selects it. It speaks three standard protocols:

* reads: the SPARQL 1.1 Protocol (``POST {url}/query``), results as SPARQL JSON parsed into
  pyoxigraph terms, so callers see exactly what :class:`~kg.store.local.LocalStore` returns;
* writes: the SPARQL 1.1 Graph Store Protocol (``{url}/store?graph=<iri>``): one ``PUT`` per
  article replaces its named graph in one request (Oxigraph applies it as one transaction),
  ``DELETE`` drops it, ``POST`` of N-Quads to ``{url}/store`` adds quads (import);
* updates: ``POST {url}/update`` (SPARQL 1.1 Update).

The paths default to ``oxigraph serve``'s layout (``/query``, ``/update``, ``/store``) and can be
changed with the settings ``remote_query_path``, ``remote_update_path`` and ``remote_store_path``
(``kg.toml``, ``KG_REMOTE_*``), the ``query_path``, ``update_path`` and ``store_path`` keywords or
the same keys in ``settings.extra``; a value starting with ``http`` is taken as a full URL
(Fuseki: ``/ds/sparql``, ``/ds/update``, ``/ds/data``).

Authentication and retries
    ``remote_auth = "basic"`` or ``"bearer"`` sends the credentials of the environment variable
    ``remote_auth_env`` (read by :func:`kg.settings.load_settings`, never from a file). A request
    that failed for a passing reason (no connection, HTTP 429, 502, 503 or 504, a read timeout)
    is sent again up to ``remote_retries`` times, after ``remote_backoff`` seconds doubled each
    time (or the server's ``Retry-After``); a request that changes the store is sent again only
    when it cannot have reached it (no connection, 429, 503).

Default graph as union
    kg queries read the union of the article graphs. How that is asked for is the ``union``
    option (setting ``remote_union``): ``"parameter"`` (default) sends Oxigraph's ``union-default-graph`` request
    parameter; ``"dataset"`` is plain SPARQL 1.1 Protocol for any endpoint: every named graph is
    listed as both ``default-graph-uri`` and ``named-graph-uri`` of a form-encoded POST (one
    extra query per query to list the graphs); ``"native"`` sends the query unchanged, for
    endpoints whose default graph already is the union (Fuseki's ``unionDefaultGraph``,
    Virtuoso, GraphDB).

Bound values
    A remote endpoint has no substitution API, so ``bindings`` become a ``VALUES`` block of
    terms serialised in N-Triples syntax, placed first in the query's outermost ``WHERE`` group:
    the values are bound before the rest of the pattern is evaluated, like pyoxigraph's
    substitutions. No user string is ever formatted into the query text.

Writers
    :meth:`RemoteStore.writer` holds no lock: the server serialises writes, and each article
    is replaced by one atomic request, so concurrent builds cannot leave a half-written article
    (the later write of the same article wins).
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import Iterable, Iterator, Mapping, Sequence
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.settings import Settings
from kg.store.base import KGStore, QueryResult, Term, bundled_sparql, check_network, materialise

UNION_MODES = ("parameter", "dataset", "native")
RETRY_STATUS = frozenset({429, 502, 503, 504})
"""Answers that say the server is busy or a proxy lost it: worth asking again."""
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
LOAD_BATCH_QUADS = 100_000

# one token of SPARQL text that may contain braces or '#' that are not syntax
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.S,
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def values_block(bindings: Mapping[str, Term]) -> str:
    """A one-row ``VALUES`` block binding each variable to a term, in N-Triples syntax.

    >>> print(values_block({"x": ox.NamedNode("http://example.com/a"), "n": ox.Literal('say "hi"')}))
    VALUES (?x ?n) { (<http://example.com/a> "say \\"hi\\"") }

    Raises:
        QueryError: a name is not a SPARQL variable name, or a value is not an IRI or literal.
    """
    names, terms = [], []
    for name, term in bindings.items():
        name = name.lstrip("?$")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"invalid parameter name {name!r}: use letters, digits and '_'")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(
                f"parameter {name!r} must be an IRI or a literal to be sent to a remote endpoint, "
                f"not {type(term).__name__}"
            )
        names.append("?" + name)
        terms.append(str(term))  # pyoxigraph's str() is the N-Triples form, escaped
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _code_positions(sparql: str) -> Iterator[tuple[int, str]]:
    """``(index, char)`` of the characters of ``sparql`` outside strings, IRIs and comments."""
    index = 0
    while index < len(sparql):
        match = _SKIP.match(sparql, index)
        if match:
            index = match.end()
            continue
        yield index, sparql[index]
        index += 1


def bind_values(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """``sparql`` with ``bindings`` as a ``VALUES`` block opening its outermost ``WHERE`` group.

    A ``CONSTRUCT`` or ``DESCRIBE`` query (whose first brace may be a template) gets a trailing
    ``VALUES`` clause instead, which SPARQL joins with the whole pattern.
    """
    if not bindings:
        return sparql
    block = values_block(bindings)
    positions = list(_code_positions(sparql))
    text = "".join(ch for _, ch in positions)
    form = _FORM.search(text)
    if form is None:
        raise QueryError("only SELECT, ASK, CONSTRUCT and DESCRIBE queries take parameters")
    if form.group(1).upper() in ("SELECT", "ASK"):
        depth = 0
        for offset in range(form.end(), len(positions)):
            index, ch = positions[offset]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "{" and depth == 0:
                return f"{sparql[:index + 1]} {block}\n{sparql[index + 1:]}"
    return f"{sparql.rstrip()}\n{block}\n"


class _Bearer(httpx.Auth):
    """``Authorization: Bearer <token>``."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def _retry_after(response: httpx.Response) -> float:
    """The seconds a ``Retry-After`` header asks for (0 when absent or a date)."""
    try:
        return max(0.0, float(response.headers.get("retry-after", "0")))
    except ValueError:
        return 0.0


def _prologue(sparql: str, prefixes: Mapping[str, str]) -> str:
    """``PREFIX`` lines for ``prefixes``, one a line (a query's own declarations come later and
    win); the IRIs are serialised by pyoxigraph, so a base IRI from the settings cannot break out."""
    return "".join(f"PREFIX {name}: {ox.NamedNode(iri)}\n" for name, iri in prefixes.items()) + sparql


class RemoteStore(KGStore):
    """A SPARQL 1.1 endpoint with the Graph Store Protocol, by default an Oxigraph server.

    >>> store = RemoteStore(Settings(store="http://127.0.0.1:7878"))
    >>> store.query_url, store.store_url
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/store')
    """

    def __init__(
        self,
        settings: Settings,
        *,
        query_path: str | None = None,
        update_path: str | None = None,
        store_path: str | None = None,
        union: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        super().__init__(settings)
        extra = settings.extra or {}
        self.url = settings.store.rstrip("/")
        self.query_url = self._endpoint(query_path or extra.get("query_path", settings.remote_query_path))
        self.update_url = self._endpoint(update_path or extra.get("update_path", settings.remote_update_path))
        self.store_url = self._endpoint(store_path or extra.get("store_path", settings.remote_store_path))
        self.union = union or extra.get("union", settings.remote_union)
        if self.union not in UNION_MODES:
            raise StoreError(f"unknown union mode {self.union!r}; choose one of {', '.join(UNION_MODES)}")
        self._client = client

    def _endpoint(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.url + "/" + path.lstrip("/")

    # HTTP -----------------------------------------------------------------------------------------
    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=httpx.Timeout(self.settings.query_timeout, connect=10.0),
                                        auth=self._auth())
        return self._client

    def _auth(self) -> httpx.Auth | None:
        kind, credentials = self.settings.remote_auth, self.settings.remote_credentials
        if not kind:
            return None
        if not credentials:
            raise StoreError(f"remote_auth is {kind!r} but no credentials were given "
                             f"(set the environment variable {self.settings.remote_auth_env})")
        if kind == "basic":
            user, _, password = credentials.partition(":")
            return httpx.BasicAuth(user, password)
        return _Bearer(credentials)

    def close(self) -> None:
        """Close the HTTP connections (the store can still be used; they reopen on demand)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, url: str, *, what: str, changes: bool = False, **kwargs) -> httpx.Response:
        """One request, sent again after a passing failure (see the module docstring);
        ``changes``: it writes to the store, so it is sent again only if it cannot have arrived."""
        retries, delay = self.settings.remote_retries, self.settings.remote_backoff
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                if last or (changes and not isinstance(exc, httpx.ConnectTimeout)):
                    raise StoreError(f"{what}: the endpoint {url} did not answer in time") from None
            except httpx.TransportError as exc:
                if last or (changes and not isinstance(exc, httpx.ConnectError)):
                    raise StoreError(
                        f"{what}: cannot reach the SPARQL endpoint {url} ({type(exc).__name__}: {exc}); "
                        "is the server running? (e.g. 'oxigraph serve --location DIR --bind HOST:PORT')"
                    ) from None
            else:
                passing = {429, 503} if changes else RETRY_STATUS
                if last or response.status_code not in passing:
                    if response.status_code == 401:
                        raise StoreError(f"{what}: the endpoint {url} refused the credentials (HTTP 401); "
                                         "check remote_auth and the variable remote_auth_env names")
                    return response
                delay = max(delay, _retry_after(response))
            time.sleep(min(delay, 60.0))
            delay *= 2
        raise AssertionError("unreachable")

    def _fail(self, response: httpx.Response, what: str, error: type[Exception] = StoreError) -> None:
        if response.is_success:
            return
        detail = response.text.strip().splitlines()[0][:300] if response.text.strip() else response.reason_phrase
        if response.status_code == 400 and error is QueryError:
            # positions in the server's message count the PREFIX lines kg put in front
            detail = re.sub(r"(\d+):(\d+)", lambda m: f"{max(1, int(m[1]) - len(self.prefixes))}:{m[2]}", detail, count=1)
            raise QueryError(f"SPARQL syntax error: {detail}")
        raise error(f"{what}: HTTP {response.status_code} from {response.request.url}: {detail}")

    # writing --------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def writer(self) -> Iterator["RemoteStore"]:
        """No lock: the server serialises writes and every article is replaced atomically."""
        yield self

    def replace_graphs(self, graphs: Sequence[tuple[ox.NamedNode, Sequence[ox.Quad]]]) -> None:
        for graph, quads in graphs:
            what = f"cannot write {self.graph_label(graph)}"
            others = [q for q in quads if q.graph_name != graph]
            if others:
                raise StoreError(f"{what}: {len(others)} quads are outside its graph {graph}")
            body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
            response = self._request(
                "PUT", self.store_url, what=what,
                params={"graph": graph.value}, content=body, headers={"Content-Type": N_TRIPLES},
            )
            self._fail(response, what)

    def remove_graph(self, graph: ox.NamedNode) -> bool:
        what = f"cannot remove {self.graph_label(graph)}"
        response = self._request("DELETE", self.store_url, what=what, params={"graph": graph.value})
        if response.status_code == 404:
            return False
        self._fail(response, what)
        return True

    def update(self, sparql: str) -> None:
        check_network(sparql, self.settings.online)
        response = self._request(
            "POST", self.update_url, what="update failed", changes=True,
            content=_prologue(sparql, self.prefixes).encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        self._fail(response, "update failed", QueryError)

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        batch: list[ox.Quad] = []

        def send() -> None:
            body = ox.serialize(batch, format=ox.RdfFormat.N_QUADS)
            response = self._request("POST", self.store_url, what="cannot import quads", changes=True, content=body,
                                     headers={"Content-Type": N_QUADS})
            self._fail(response, "cannot import quads")
            batch.clear()

        for quad in quads:
            batch.append(quad)
            if len(batch) >= LOAD_BATCH_QUADS:
                send()
        if batch:
            send()

    # reading --------------------------------------------------------------------------------------
    def _post_query(self, sparql: str, accept: str, *, union: str, timeout: float | None,
                    graphs: Sequence[ox.NamedNode] | None = None) -> httpx.Response:
        form: list[tuple[str, str]] = [("query", _prologue(sparql, self.prefixes))]
        params: dict[str, str] = {}
        if graphs:  # just these graphs as the default graph (SPARQL 1.1 Protocol)
            form += [("default-graph-uri", graph.value) for graph in graphs]
        elif union == "parameter":
            params["union-default-graph"] = ""
        elif union == "dataset":
            for graph in self.graph_names():
                form += [("default-graph-uri", graph.value), ("named-graph-uri", graph.value)]
        kwargs: dict = {}
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout, connect=10.0)
        response = self._request(
            "POST", self.query_url, what="query failed", params=params, content=urlencode(form).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}, **kwargs,
        )
        self._fail(response, "query failed", QueryError)
        return response

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        timeout: float | None = None,
        graphs: Sequence[ox.NamedNode] | None = None,
        limit: int | None = None,
        max_rows: int | None = None,
        max_memory: int | None = None,
    ) -> QueryResult:
        check_network(sparql, self.settings.online)
        text = bind_values(sparql, bindings)
        started = time.monotonic()
        response = self._post_query(text, f"{SPARQL_JSON}, {N_TRIPLES};q=0.9", union=self.union,
                                    timeout=timeout, graphs=graphs)
        remaining = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            if content_type in ("application/n-triples", "text/plain", "text/turtle"):
                fmt = ox.RdfFormat.TURTLE if content_type == "text/turtle" else ox.RdfFormat.N_TRIPLES
                answer = tuple(q.triple for q in ox.parse(response.content, format=fmt))
            else:
                answer = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"cannot read the answer of {self.query_url} ({content_type}): {exc}") from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(boolean=bool(answer))
        return materialise(answer, remaining, limit, max_rows)

    def quads(self, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
        if graph is None:
            response = self._request("GET", self.store_url, what="cannot read the store",
                                     headers={"Accept": N_QUADS})
            self._fail(response, "cannot read the store")
            return [q for q in ox.parse(response.content, format=ox.RdfFormat.N_QUADS)
                    if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in self.derived_graphs]
        response = self._request("GET", self.store_url, what=f"cannot read graph {graph}",
                                 params={"graph": graph.value}, headers={"Accept": N_TRIPLES})
        if response.status_code == 404:
            return []
        self._fail(response, f"cannot read graph {graph}")
        return [ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in (q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))]

    def graph_names(self) -> list[ox.NamedNode]:
        response = self._post_query(bundled_sparql("internal/graph-names"), SPARQL_JSON, union="native", timeout=None)
        try:
            answer = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot read the graph list of {self.query_url}: {exc}") from None
        return [s["g"] for s in answer if isinstance(s["g"], ox.NamedNode)]  # type: ignore[union-attr]
