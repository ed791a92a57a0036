"""The ``kg serve`` web application (Starlette): pages, their JSON twins, and ``/sparql``.

Every page is a Jinja2 template over the data :class:`kg.serve.pages.Pages` computes, and the
same URL with ``.json`` (``/entity/Q423.json``, ``/timeline.json``…) sends that data as JSON,
as Datasette does. Every script and style is served from ``/static`` (no CDN), every text
from an article is escaped by the templates' autoescaping, and every response carries a
Content-Security-Policy that allows scripts and styles from the server only.

The server never writes. A local store is held open for the life of the app (one RocksDB
handle, shared by all requests; a ``kg build`` waits until the server stops), so nothing can
change under it: answers are cached by request (:class:`ResponseCache`), and the ``/sparql``
answers of the bundled queries are computed before the server listens (:class:`PreparedAnswers`).
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Mapping, Sequence
from urllib.parse import parse_qsl, quote, urlencode

import jinja2
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from kg import __version__
from kg.errors import KGError, QueryError
from kg.model import ENTITY_CLASSES
from kg.queries.catalog import Query, load_query
from kg.queries.params import parse_params
from kg.queries.results import compact, to_json
from kg.queries.run import classify, run_query
from kg.serve import svg
from kg.serve.pages import NotFound, Pages
from kg.serve.sparql import (
    GRAPH_FORMATS,
    MEDIA_TYPE,
    RESULTS_FORMATS,
    ProtocolError,
    check_query,
    negotiate,
    query_form,
    read_request,
    serialize,
)
from kg.settings import Settings
from kg.store import KGStore, QueryResult, open_store

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""The Content-Security-Policy of every response: nothing inline, nothing from elsewhere."""
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
ROWS_SHOWN = 1000
"""Rows of an answer the query page shows in its table (the downloads hold them all)."""
CACHE_BYTES = 64 * 1024 * 1024
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
"""Host headers a server bound to a loopback address answers (against DNS rebinding)."""


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_Frozen = tuple[int, bytes, str, tuple[tuple[str, str], ...]]


def _freeze(response: Response) -> _Frozen:
    """A response as plain values to keep: status, body, media type, headers (the length and
    type headers are made again)."""
    headers = tuple((k, v) for k, v in response.headers.items() if k not in {"content-length", "content-type"})
    return response.status_code, bytes(response.body), response.media_type or "", headers


def _thaw(entry: _Frozen) -> Response:
    status, body, media, headers = entry
    return Response(body, status_code=status, media_type=media, headers=dict(headers))


class ResponseCache:
    """Responses by request, least recently used dropped first, within a byte budget.

    Valid because the store cannot change while the server holds it open; off for a remote
    store, which others may write to.
    """

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[tuple, _Frozen] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Response | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
        return _thaw(entry)

    def put(self, key: tuple, response: Response) -> None:
        entry = _freeze(response)
        body = entry[1]
        if len(body) > self.budget // 8:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += len(body)
            while self.size > self.budget and self.entries:
                _, (_, dropped, _, _) = self.entries.popitem(last=False)
                self.size -= len(dropped)


class PreparedAnswers:
    """The ``/sparql`` answers of the bundled queries that need no parameter, as their files
    read, computed once before the server listens and kept as the bytes the normal way sends.

    The store cannot change while the server holds it open (off for a remote store), so an
    answer stays right; the eleven of the BBC store cost ~1.6 s of CPU to evaluate and, four of
    them at the 10,000 rows of ``serve_max_rows``, seconds more to serialise with the interpreter
    lock held, which every request in flight then waits for. Each is kept under its file's text
    and, for a text without a multi-line string, that text with CRLF line ends (as a browser's
    form, such as the query page's download buttons, sends it), in every format of its form.
    """

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], _Frozen] = {}
        self.forms: dict[str, str] = {}
        self.ready = False
        """Set once every answer is in (before the server listens); nothing is read before."""

    def add(self, text: str, form: str, responses: Mapping[str, Response]) -> None:
        texts = [text]
        if '"""' not in text and "'''" not in text:
            crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
            texts += [crlf] if crlf != text else []
        frozen = {fmt: _freeze(response) for fmt, response in responses.items()}
        for key in texts:
            self.forms[key] = form
            for fmt, entry in frozen.items():
                self.answers[(key, fmt)] = entry

    def form(self, text: str) -> str | None:
        """The query form of a prepared text (``select``…), None for any other text."""
        return self.forms.get(text)

    def get(self, text: str, fmt: str) -> Response | None:
        entry = self.answers.get((text, fmt))
        return _thaw(entry) if entry is not None else None


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = lambda n: f"{n:,}" if isinstance(n, (int, float)) and not isinstance(n, bool) else (n if n is not None else "")
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.globals["version"] = __version__
    env.globals["entity_classes"] = ENTITY_CLASSES
    return env


class KGApp:
    """The routes over one store; :func:`create_app` wraps them in a Starlette app."""

    def __init__(self, settings: Settings, store: KGStore, *, online: bool = False, cache: bool = True) -> None:
        self.settings = settings
        self.store = store
        self.online = online
        self.pages = Pages(store, timeout=settings.serve_timeout, frozen=cache)
        self.templates = _templates()
        self.cache = ResponseCache() if cache else None
        self.prepared = PreparedAnswers() if cache else None

    def warm(self) -> None:
        """Compile the templates, load the SPARQL parser that tells an update from a query (for
        texts holding an update's keywords, such as the bundled entity-names: 0.2 s) and read
        what the pages keep (:meth:`Pages.warm`), before the server listens, so that no first
        request waits on any of them; beside the pages, in a thread, the answers of the bundled
        queries (:meth:`prepare`)."""
        for name in self.templates.list_templates(filter_func=lambda name: name.endswith(".html")):
            self.templates.get_template(name)
        classify("ASK {}")
        preparing = threading.Thread(target=self.prepare, name="kg-serve-prepare", daemon=True)
        preparing.start()  # beside the pages: Oxigraph evaluates without the interpreter lock
        try:
            self.pages.warm()
        finally:
            preparing.join()
        if self.prepared is not None:
            self.prepared.ready = True

    # helpers ----------------------------------------------------------------------------------------
    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        html = self.templates.get_template(template).render(**context)
        return Response(html, status_code=status, media_type="text/html; charset=utf-8")

    def error(self, request: Request, status: int, message: str, twin: bool = False) -> Response:
        accept = request.headers.get("accept", "")
        if twin or ("application/json" in accept and "text/html" not in accept):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return self.render("error.html", status=status, title=f"Error {status}", message=message, twin=None)

    def cached(self, request: Request, compute: Callable[[], Response], extra: tuple = ()) -> Response:
        key = (request.method, request.url.path, request.url.query, *extra)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return hit
        response = compute()
        if self.cache is not None and response.status_code in (200, 404):
            self.cache.put(key, response)
        return response

    def page(self, request: Request, template: str, data: Callable[[], dict[str, Any]], twin_path: str,
             *, twin: bool, title: str, **context: Any) -> Response:
        """A page, or its JSON twin, from one data function; errors become 404/400/503."""
        def compute() -> Response:
            try:
                payload = data()
            except NotFound as exc:
                return self.error(request, 404, str(exc), twin)
            except QueryError as exc:
                status = 503 if "timed out" in str(exc) else 400
                return self.error(request, status, str(exc), twin)
            if twin:
                return JSONResponse(payload)
            query = request.url.query
            return self.render(template, data=payload, title=title,
                               twin=twin_path + (f"?{query}" if query else ""), **context)
        return self.cached(request, compute)

    # pages ------------------------------------------------------------------------------------------
    def home(self, request: Request) -> Response:
        twin = request.url.path == "/index.json"
        return self.page(request, "home.html", self.pages.home, "/index.json", twin=twin, title="kg")

    def search(self, request: Request) -> Response:
        twin = request.url.path.endswith(".json")
        text = request.query_params.get("q", "")[:200]
        return self.page(request, "search.html", lambda: self.pages.search(text), "/search.json", twin=twin,
                         title=f"Search: {text}" if text else "Search")

    def entity(self, request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        tail = raw.decode("latin-1").split("?", 1)[0][len("/entity/"):]
        twin = tail.endswith(".json")
        if twin:
            tail = tail[: -len(".json")]
        path = "/entity/" + tail
        pages = {"mentions": request.query_params.get("mentions", "1"),
                 "claims": request.query_params.get("claims", "1")}
        if not all(number.isascii() and number.isdigit() and len(number) < 10 for number in pages.values()):
            return self.error(request, 400, "page numbers (mentions=, claims=) are whole numbers from 1", twin)
        numbers = {k: int(v) for k, v in pages.items()}

        def data() -> dict[str, Any]:
            found = self.pages.entity(tail, mentions_page=numbers["mentions"], claims_page=numbers["claims"])
            found.update(_paging_links(path + (".json" if twin else ""), found, numbers))
            if not twin:
                center = {"label": found["label"], "class": found["classes"][0] if found["classes"] else None,
                          "path": found["path"], "iri": found["iri"]}
                found["graph"] = svg.neighbourhood(center, found["neighbours"])
            return found
        return self.page(request, "entity.html", data, path + ".json", twin=twin, title="" if twin else "Entity")

    def article(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]
        twin = article_id.endswith(".json")
        if twin:
            article_id = article_id[: -len(".json")]
        return self.page(request, "article.html", lambda: self.pages.article(article_id),
                         "/article/" + quote(article_id, safe="") + ".json", twin=twin, title=f"Article {article_id}")

    def articles(self, request: Request) -> Response:
        return self.page(request, "articles.html", self.pages.articles, "/articles.json",
                         twin=request.url.path.endswith(".json"), title="Articles")

    def timeline(self, request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        twin = request.url.path.endswith(".json")

        def data() -> dict[str, Any]:
            found = self.pages.timeline(kind)
            if not twin:
                found["chart"] = svg.month_bars(found["months"], found["kinds"])
            return found
        return self.page(request, "timeline.html", data, "/timeline.json", twin=twin, title="Timeline")

    def troops(self, request: Request) -> Response:
        twin = request.url.path.endswith(".json")

        def data() -> dict[str, Any]:
            found = self.pages.troops()
            if not twin:
                for state in found["states"]:
                    state["chart"] = svg.figures_chart(state["reports"])
            return found
        return self.page(request, "troops.html", data, "/troops.json", twin=twin, title="Troop figures")

    def map(self, request: Request) -> Response:
        twin = request.url.path.endswith(".json")

        def data() -> dict[str, Any]:
            found = self.pages.places()
            if not twin:
                found["map"] = svg.world_map(found["places"])
            return found
        return self.page(request, "map.html", data, "/map.json", twin=twin, title="Map")

    # the query page ---------------------------------------------------------------------------------
    async def query_page(self, request: Request) -> Response:
        twin = request.url.path.endswith(".json")
        body = b""
        params: Mapping[str, str] = request.query_params
        if request.method == "POST":
            body = await request.body()
            if len(body) > self.settings.serve_max_query_bytes:
                return self.error(request, 413, f"the request is over {self.settings.serve_max_query_bytes} bytes", twin)
            params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return await run_in_threadpool(self.cached, request, lambda: self._query_page(request, params, twin), (body,))

    def _query_page(self, request: Request, params: Mapping[str, str], twin: bool) -> Response:
        catalogue = self.pages.catalogue()
        name = params.get("name") or ""
        info = next((q for q in catalogue if q.name == name), None)
        text = params.get("sparql")
        values = {p.name: params.get(f"p.{p.name}", "") for p in info.params} if info else {}
        fmt = params.get("format")
        result: QueryResult | None = None
        error: str | None = None
        run = params.get("run") or text is not None
        if name and info is None:
            return self.error(request, 404, f"no bundled query {name!r}", twin)
        if run:
            try:
                if text is not None:
                    check_query(text, online=self.online)
                    result = self.store.query(text, timeout=self.settings.serve_timeout, limit=self.settings.serve_max_rows)
                elif info is not None:
                    if info.network and not self.online:
                        raise ProtocolError(403, f"query {info.name!r} calls Wikidata: start kg serve with --online")
                    loaded: Query = load_query(info.name)
                    bindings = parse_params({k: v for k, v in values.items() if v.strip()}, loaded,
                                            base_iri=self.settings.base_iri)
                    result = run_query(self.store, loaded, bindings, self.settings.serve_timeout,
                                       limit=self.settings.serve_max_rows)
            except ProtocolError as exc:
                error = str(exc)
                if fmt or twin:
                    return self.error(request, exc.status, error, True)
            except KGError as exc:
                error = str(exc)
                if fmt or twin:
                    return self.error(request, 503 if "timed out" in error else 400, error, True)
        if result is not None and fmt:
            form = "select" if result.kind != "graph" else "construct"
            try:
                chosen = negotiate("", form, fmt)
            except ProtocolError as exc:
                return self.error(request, exc.status, str(exc), True)
            extension = {"ntriples": "nt", "turtle": "ttl"}.get(chosen, chosen)
            filename = f"{info.name if info else 'query'}.{extension}"
            return Response(serialize(result, chosen, self.store.prefixes), media_type=MEDIA_TYPE[chosen],
                            headers={"content-disposition": f'attachment; filename="{filename}"'})
        if twin:
            payload: dict[str, Any] = {"queries": [_query_json(q) for q in catalogue]}
            if info is not None:
                payload["query"] = _query_json(info)
            if result is not None:
                payload["results"] = to_json(result)
                payload["truncated"] = result.truncated
            return JSONResponse(payload)
        editor = text if text is not None else (info.path.read_text(encoding="utf-8") if info and info.path else "")
        table = self._table(result) if result is not None else None
        downloads = None
        if result is not None and info is not None and text is None:
            base = [("name", info.name), *((f"p.{k}", v) for k, v in values.items() if v), ("run", "1")]
            kinds = ("csv", "json") if result.kind != "graph" else ("turtle", "ntriples")
            downloads = [{"label": k.upper(), "href": "/query?" + urlencode([*base, ("format", k)])} for k in kinds]
        return self.render("query.html", title=info.title if info else "Query", data=None, queries=catalogue,
                           info=info, values=values, editor=editor, table=table, error=error,
                           downloads=downloads, online=self.online, free=text is not None,
                           twin="/query.json" + (f"?{request.url.query}" if request.url.query else ""))

    def _table(self, result: QueryResult) -> dict[str, Any]:
        if result.kind == "ask":
            return {"columns": ["boolean"], "rows": [[{"text": "true" if result.boolean else "false"}]],
                    "count": 1, "shown": 1, "truncated": False}
        if result.kind == "graph":
            columns = ["subject", "predicate", "object"]
            rows: Sequence[Sequence[Any]] = [(t.subject, t.predicate, t.object) for t in result.triples]
        else:
            columns, rows = list(result.columns), result.rows
        prefixes = self.store.prefixes
        shown = []
        for row in rows[:ROWS_SHOWN]:
            cells = []
            for column, term in zip(columns, row):
                cell: dict[str, Any] = {"text": compact(term, prefixes) if term is not None else ""}
                if isinstance(term, ox.NamedNode):
                    cell["href"] = self.pages.entity_path(term.value)
                    cell["title"] = term.value
                elif isinstance(term, ox.Literal) and column == "article":
                    cell["href"] = self.pages.article_path(term.value)
                cells.append(cell)
            shown.append(cells)
        return {"columns": columns, "rows": shown, "count": len(rows), "shown": len(shown),
                "truncated": result.truncated}

    # the endpoint -----------------------------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        body = await request.body() if request.method == "POST" else b""
        accept = request.headers.get("accept", "")
        if request.method == "GET" and not request.query_params and "text/html" in accept:
            return RedirectResponse("/query", status_code=303)
        if self.prepared is not None and self.prepared.ready:
            prepared = self._prepared(request, body, accept)
            if prepared is not None:
                return prepared
        return await run_in_threadpool(self.cached, request, lambda: self._sparql(request, body, accept),
                                       (body, accept, request.headers.get("content-type", "")))

    def _sparql(self, request: Request, body: bytes, accept: str) -> Response:
        try:
            asked = read_request(request.method, request.headers.get("content-type", ""),
                                 parse_qsl(request.url.query, keep_blank_values=True), body,
                                 max_bytes=self.settings.serve_max_query_bytes)
            check_query(asked.query, online=self.online)
            form = query_form(asked.query)
            fmt = negotiate(accept, form, asked.format)
            graphs = None
            if asked.default_graphs:
                try:
                    graphs = [ox.NamedNode(iri) for iri in asked.default_graphs]
                except ValueError as exc:
                    raise ProtocolError(400, f"default-graph-uri: {exc}") from None
            result = self._evaluate(asked.query, graphs)
        except ProtocolError as exc:
            return PlainTextResponse(str(exc) + "\n", status_code=exc.status)
        except QueryError as exc:
            status = 503 if "timed out" in str(exc) else 400
            return PlainTextResponse(str(exc) + "\n", status_code=status)
        return self._answer(result, form, fmt)

    def _evaluate(self, text: str, graphs: Sequence[ox.NamedNode] | None = None) -> QueryResult:
        """A query of ``/sparql`` run on the store, within the server's time limit and row cap."""
        return self.store.query(text, timeout=self.settings.serve_timeout, graphs=graphs,
                                limit=self.settings.serve_max_rows)

    def _answer(self, result: QueryResult, form: str, fmt: str) -> Response:
        """The ``/sparql`` response of ``result`` in ``fmt``: its bytes, media type, and
        ``x-kg-truncated`` when the row cap cut it short."""
        if form in {"construct", "describe"} and result.kind != "graph" and fmt not in {"turtle", "ntriples", "jsonld"}:
            fmt = "turtle"
        headers = {"x-kg-truncated": "true"} if result.truncated else {}
        return Response(serialize(result, fmt, self.store.prefixes), media_type=MEDIA_TYPE[fmt], headers=headers)

    def prepare(self) -> None:
        """Compute the ``/sparql`` answers of the bundled queries as their files read (no
        parameter bound), in every format of their form (:class:`PreparedAnswers`)."""
        if self.prepared is None:
            return
        for info in self.pages.catalogue():
            if info.network or info.path is None or any(p.required for p in info.params):
                continue
            text = info.path.read_text(encoding="utf-8")
            try:
                check_query(text, online=self.online)
                form = query_form(text)
                result = self._evaluate(text)
            except (ProtocolError, KGError):
                continue  # asked for, it takes the normal way and gets its error there
            formats = GRAPH_FORMATS if form in {"construct", "describe"} else RESULTS_FORMATS
            self.prepared.add(text, form, {fmt: self._answer(result, form, fmt) for fmt in formats})
            del result

    def _prepared(self, request: Request, body: bytes, accept: str) -> Response | None:
        """The prepared answer to a ``/sparql`` request, or None for any request that is not
        a bundled query's text, as it is, over the default graph."""
        try:
            asked = read_request(request.method, request.headers.get("content-type", ""),
                                 parse_qsl(request.url.query, keep_blank_values=True), body,
                                 max_bytes=self.settings.serve_max_query_bytes)
            if asked.default_graphs or asked.named_graphs:
                return None
            form = self.prepared.form(asked.query) if self.prepared is not None else None
            if form is None:
                return None
            return self.prepared.get(asked.query, negotiate(accept, form, asked.format))
        except ProtocolError:
            return None  # the normal way answers it with the error

    async def favicon(self, request: Request) -> Response:
        return Response((HERE / "static" / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.error(request, 404, f"no page at {request.url.path}", request.url.path.endswith(".json"))


def _paging_links(path: str, found: Mapping[str, Any], numbers: Mapping[str, int]) -> dict[str, str | None]:
    """Links to the previous and next pages of an entity's mentions and claims (the other list
    staying on its page): ``mentions_next``, ``mentions_previous``, ``claims_next``, ``claims_previous``."""
    def link(what: str, number: int) -> str | None:
        if not 1 <= number <= found[f"{what}_pages"]:
            return None
        wanted = {**numbers, what: number}
        query = urlencode([(k, v) for k, v in sorted(wanted.items()) if v != 1])
        return path + (f"?{query}" if query else "")
    return {f"{what}_{step}": link(what, numbers[what] + (1 if step == "next" else -1))
            for what in ("mentions", "claims") for step in ("next", "previous")}


def _query_json(info: Any) -> dict[str, Any]:
    return {"name": info.name, "title": info.title, "description": info.description, "network": info.network,
            "params": [{"name": p.name, "kind": p.kind, "example": p.example, "description": p.description,
                        "required": p.required} for p in info.params],
            "path": f"/query?name={quote(info.name)}"}


def create_app(
    settings: Settings,
    *,
    online: bool = False,
    allowed_hosts: Sequence[str] | None = None,
    store: KGStore | None = None,
) -> Starlette:
    """The ``kg serve`` ASGI application over the store ``settings`` name.

    Args:
        online: allow ``SERVICE`` (federated queries to other endpoints).
        allowed_hosts: ``Host`` header values answered (``None``: any); a server bound to a
            loopback address should pass :data:`LOOPBACK_HOSTS`.
        store: an already opened store (tests); by default :func:`kg.store.open_store`.

    The store is opened (a local one held open) when the app starts and closed when it stops.
    """
    store = store if store is not None else open_store(settings.replace(online=online or settings.online))
    kg_app = KGApp(settings, store, online=online, cache=not settings.store_is_remote)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with store.session(create=False):
            await run_in_threadpool(kg_app.warm)
            yield

    routes = [
        Route("/", kg_app.home),
        Route("/index.json", kg_app.home),
        Route("/search", kg_app.search),
        Route("/search.json", kg_app.search),
        Route("/entity/{path:path}", kg_app.entity),
        Route("/article/{article_id:path}", kg_app.article),
        Route("/articles", kg_app.articles),
        Route("/articles.json", kg_app.articles),
        Route("/timeline", kg_app.timeline),
        Route("/timeline.json", kg_app.timeline),
        Route("/troops", kg_app.troops),
        Route("/troops.json", kg_app.troops),
        Route("/map", kg_app.map),
        Route("/map.json", kg_app.map),
        Route("/query", kg_app.query_page, methods=["GET", "POST"]),
        Route("/query.json", kg_app.query_page, methods=["GET", "POST"]),
        Route("/sparql", kg_app.sparql, methods=["GET", "POST"]),
        Route("/favicon.ico", kg_app.favicon),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={404: kg_app.not_found})
    app.state.kg = kg_app
    return app


__all__ = ["CSP", "LOOPBACK_HOSTS", "KGApp", "PreparedAnswers", "ResponseCache", "create_app"]
