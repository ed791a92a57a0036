"""The SPARQL 1.1 Protocol, read-only: what a request asks (:func:`read_request`), whether it may
run (:func:`check_query`), and its answer in the format the client accepts (:func:`negotiate`,
:func:`serialize`).

Query results are written as SPARQL 1.1 JSON, XML, CSV or TSV, graphs (CONSTRUCT, DESCRIBE) as
Turtle, N-Triples or JSON-LD. Updates are refused, and so is ``SERVICE`` unless the server runs
with ``--online``: the check reads the query as SPARQL's grammar does (``\\u`` escapes decoded
first; comments, strings and IRIs skipped), so the keyword hidden in an escape is found and a
name such as "National Intelligence Service" in a string is not mistaken for it.
"""

from __future__ import annotations

import io
import json
import re
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.queries.catalog import without_comments
from kg.queries.results import format_csv, format_tsv, to_json
from kg.queries.run import classify, may_be_update
from kg.store import QueryResult
from kg.vocab import XSD

XSD_STRING = XSD.string.value

RESULTS_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
"""Media types of SELECT and ASK answers, the first of each format being the one sent."""
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
}
"""Media types of CONSTRUCT and DESCRIBE answers."""
MEDIA_TYPE: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
RESULTS_FORMATS = ("json", "xml", "csv", "tsv")
"""The formats of SELECT and ASK answers (values of :func:`negotiate`)."""
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
"""The formats of CONSTRUCT and DESCRIBE answers."""
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


class ProtocolError(Exception):
    """A request the endpoint does not answer; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SparqlRequest:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None
    """A ``format`` parameter (``json``, ``csv``, ``turtle``…), which wins over ``Accept``."""


def read_request(
    method: str, content_type: str, url_params: Sequence[tuple[str, str]], body: bytes, *, max_bytes: int
) -> SparqlRequest:
    """What a protocol request asks: a query by GET, by POST form, or by POST ``sparql-query``.

    Raises:
        ProtocolError: 403 for an update, 413 for a request over ``max_bytes``, 415 for an
            unknown body type, 400 for no query or several.
    """
    if len(body) > max_bytes:
        raise ProtocolError(413, f"the request is over {max_bytes} bytes")
    params = list(url_params)
    media = content_type.split(";", 1)[0].strip().lower()
    direct: str | None = None
    if method == "POST":
        if media == "application/sparql-update":
            raise ProtocolError(403, "this endpoint is read-only: updates are refused")
        if media == "application/x-www-form-urlencoded":
            try:
                params += parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise ProtocolError(400, "the form is not UTF-8") from None
        elif media == "application/sparql-query":
            try:
                direct = body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not UTF-8") from None
        else:
            raise ProtocolError(
                415, "send a query as application/x-www-form-urlencoded or application/sparql-query")
    if any(name in {"update", "using-graph-uri", "using-named-graph-uri"} for name, _ in params):
        raise ProtocolError(403, "this endpoint is read-only: updates are refused")
    queries = [value for name, value in params if name == "query"]
    if direct is not None:
        queries.append(direct)
    if not queries:
        raise ProtocolError(400, "no query: pass query=… (GET or a POSTed form) or POST application/sparql-query")
    if len(queries) > 1:
        raise ProtocolError(400, "one query per request")
    if len(queries[0].encode("utf-8")) > max_bytes:
        raise ProtocolError(413, f"the query is over {max_bytes} bytes")
    formats = [value for name, value in params if name == "format"]
    return SparqlRequest(
        query=queries[0],
        default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
        format=formats[-1] if formats else None,
    )


# what a query is, read without running it --------------------------------------------------------
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''" r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'" r"|<[^<>\"{}|^`\\\x00-\x20]*>" r"|#[^\n\r]*"
)
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)
_FORM = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^>]*>\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def decode_escapes(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded, as the grammar
    decodes them before anything else.

    >>> decode_escapes("SER\\\\u0056ICE")
    'SERVICE'
    """
    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match[0]

    return _ESCAPE.sub(char, text)


def code_only(text: str) -> str:
    """The query's code: escapes decoded, then comments, strings and IRIs blanked."""
    return _NOT_CODE.sub(" ", decode_escapes(text))


def calls_service(text: str) -> bool:
    """Whether the query has a ``SERVICE`` clause (a call to another endpoint).

    >>> calls_service('SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }')
    True
    >>> calls_service('SELECT * { ?s ?p "National Intelligence Service" . ?service ?p ex:service }')
    False
    """
    return _SERVICE.search(code_only(text)) is not None


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``; ``select`` if it cannot tell."""
    match = _FORM.match(without_comments(decode_escapes(text), " "))
    return match[1].lower() if match else "select"


def check_query(text: str, *, online: bool) -> None:
    """Refuse what a read-only, offline endpoint must not run.

    Raises:
        ProtocolError: 403 for an update, or for ``SERVICE`` without ``online``.
    """
    if may_be_update(text) and classify(text) == "update":
        raise ProtocolError(403, "this endpoint is read-only: updates are refused")
    if not online and calls_service(text):
        raise ProtocolError(403, "SERVICE calls other endpoints over the network: start kg serve with --online to allow it")


# answers ----------------------------------------------------------------------------------------------
def negotiate(accept: str, form: str, requested: str | None = None) -> str:
    """The format to answer in: ``requested`` if given, else the first of ``accept`` (by
    quality) that fits the query form, else the form's default when ``accept`` allows anything.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "select")
    'xml'
    >>> negotiate("", "construct")
    'turtle'

    Raises:
        ProtocolError: 406 when nothing acceptable fits, 400 for an unknown ``format``.
    """
    graph = form in {"construct", "describe"}
    types = GRAPH_TYPES if graph else RESULTS_TYPES
    if requested:
        aliases = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"} if not graph else {
            "turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples", "jsonld": "jsonld"}
        if requested.lower() not in aliases:
            raise ProtocolError(400, f"format {requested!r} does not fit a {form.upper()} answer; "
                                     f"choose one of {', '.join(sorted(set(aliases)))}")
        return aliases[requested.lower()]
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *options = [part.strip() for part in item.split(";")]
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, position, media.lower()))
    if not ranked:
        return "turtle" if graph else "json"
    for _, _, media in sorted(ranked):
        if media in types:
            return types[media]
        if media in {"*/*", "application/*", "text/*"}:
            return "turtle" if graph else "json"
    raise ProtocolError(406, f"cannot answer a {form.upper()} query as {accept}; "
                             f"acceptable: {', '.join(types)}")


def serialize(result: QueryResult, fmt: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """The answer in ``fmt`` (a value of :func:`negotiate`)."""
    if fmt in RDF_FORMATS:
        buffer = io.BytesIO()
        options = {"prefixes": dict(prefixes)} if prefixes and fmt == "turtle" else {}
        ox.serialize(result.triples, buffer, format=RDF_FORMATS[fmt], **options)
        return buffer.getvalue()
    if fmt == "xml":
        return results_xml(result).encode("utf-8")
    if fmt == "json":
        return results_json(result)
    return {"csv": format_csv, "tsv": format_tsv}[fmt](result).encode("utf-8")


def results_json(result: QueryResult) -> bytes:
    """SPARQL 1.1 query results JSON, compact: the text of ``json.dumps(to_json(result))``
    without spaces, written a cell at a time with the standard library's string encoder. 2.5
    times faster than building the document and dumping it (66 against 169 ms for the 10,000 rows
    of claims-by-speaker on the BBC store); indenting took 60% more time still.
    """
    if result.kind != "select":
        return _compact_json(to_json(result)).encode("utf-8")
    keys = [encode_basestring(column) + ':{"type":' for column in result.columns]
    rows = []
    for row in result.rows:
        cells = []
        for key, term in zip(keys, row):
            if term is None:
                continue
            kind = type(term)
            if kind is ox.NamedNode:
                cells.append(f'{key}"uri","value":{encode_basestring(term.value)}}}')
            elif kind is ox.Literal:
                text = encode_basestring(term.value)
                if term.language:
                    cells.append(f'{key}"literal","value":{text},"xml:lang":{encode_basestring(term.language)}}}')
                elif (datatype := term.datatype.value) != XSD_STRING:
                    cells.append(f'{key}"literal","value":{text},"datatype":{encode_basestring(datatype)}}}')
                else:
                    cells.append(f'{key}"literal","value":{text}}}')
            else:
                cells.append(f'{key}"bnode","value":{encode_basestring(term.value)}}}')
        rows.append("{" + ",".join(cells) + "}")
    head = _compact_json({"vars": list(result.columns)})
    return ('{"head":' + head + ',"results":{"bindings":[' + ",".join(rows) + "]}}").encode("utf-8")


def _compact_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _term_xml(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype != XSD.string:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def results_xml(result: QueryResult) -> str:
    """SPARQL 1.1 query results as XML (``application/sparql-results+xml``)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        lines += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    lines.append("<head>" + "".join(f"<variable name={quoteattr(c)}/>" for c in result.columns) + "</head>")
    lines.append("<results>")
    for row in result.rows:
        cells = "".join(
            f"<binding name={quoteattr(c)}>{_term_xml(t)}</binding>"
            for c, t in zip(result.columns, row) if t is not None
        )
        lines.append(f"<result>{cells}</result>")
    lines += ["</results>", "</sparql>"]
    return "\n".join(lines) + "\n"
