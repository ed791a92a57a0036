"""The bundled SPARQL queries: catalogue, loading, safe parameters, running and formatting.

Queries live in ``queries/*.rq`` at the project root, each with a comment header::

    # title: Reported troop numbers
    # description: How many troops each source reported, ...
    # param: state [entity] = <https://w3id.org/kg-news/entity/Q423>  (optional: one state)
    # example:
    #   | value | approximate | speaker | ... |

A parameter is a SPARQL variable that the query projects; a value is bound with pyoxigraph
substitutions, never formatted into the query text. Oxigraph substitutes a variable as if its
value had been bound where the variable first appears, so a parameter must appear in a triple
pattern or a ``BIND`` (not only in a ``FILTER``), and a parameter that is not given simply stays
free: "optional" is the default. The bracketed kind says how a value is read:

``any`` (default)
    ``<iri>`` or ``prefix:local`` is an IRI, an integer or decimal is a typed literal,
    ``true``/``false`` a boolean, anything else (or ``"quoted"``) a plain string.
``iri``
    must be an IRI. ``class``: an IRI, or a bare kg class name (``Person``).
``entity``
    an IRI, or a name: the name is looked up among the labels and aliases of the entities in
    the store (case- and punctuation-insensitively) and the query runs for each match.
``string`` / ``number`` / ``boolean``
    always that kind of literal.

Results are formatted as a table (rich), CSV and TSV (the SPARQL 1.1 CSV/TSV result formats)
or JSON (the SPARQL 1.1 query results JSON format), so other SPARQL tools can read them.

>>> [q.name for q in list_queries()][:2]
['alliances-hostilities', 'article-facts']
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Mapping, Sequence

import pyoxigraph as ox

from kg.entity_index import reads_entity_index, require_entity_index
from kg.errors import QueryError
from kg.iri import IRIMinter
from kg.resources import resource_dir
from kg.settings import DEFAULT_BASE_IRI
from kg.store import KGStore, QueryResult, Term
from kg.vocab import KG, XSD

QUERIES_DIR = resource_dir("queries")
"""Where the bundled ``.rq`` files are (``queries/`` at the project root)."""

PARAM_KINDS = ("any", "iri", "class", "entity", "string", "number", "boolean")
FORMATS = ("table", "csv", "tsv", "json")

_NO_MATCH = ox.NamedNode("urn:kg:no-such-entity")
_HEADER_LINE = re.compile(r"#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(?P<kind>[a-z]+)\])?\s*"
    r"(?:=\s*(?P<example>.*?))?\s*(?:\((?P<doc>.*)\))?\s*$"
)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_PNAME = re.compile(r"(?P<prefix>[A-Za-z][A-Za-z0-9_.-]*)?:(?P<local>[^\s<>\"{}|^`\\]*)")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# every SPARQL 1.1 update operation starts with one of these keywords (grammar rule Update1)
_UPDATE_KEYWORD = re.compile(
    r"\b(?:LOAD|CLEAR|DROP|ADD|MOVE|COPY|CREATE|INSERT|DELETE|WITH)\b", re.IGNORECASE
)
# a comment: ``#`` at a line start or after white space, to the end of the line (SPARQL ends a
# line at CR or LF)
_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\r\n]*", re.MULTILINE)


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a query: a SPARQL variable the user may bind."""

    name: str
    kind: str = "any"
    example: str = ""
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class QueryInfo:
    """What the catalogue knows about a query, read from its comment header."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...] = ()
    network: bool = False
    """Whether the query calls a remote endpoint (``SERVICE``) and so needs the network."""
    example: str = ""
    path: Path | None = None
    scope: str = ""
    """``article``: the query reads only the graph of the article its ``article`` parameter
    names (``# scope: article``), instead of the union of all article graphs."""

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class Query:
    """A loaded query: its text and the header information."""

    text: str
    info: QueryInfo

    @property
    def name(self) -> str:
        return self.info.name


# ----------------------------------------------------------------------------------------------
# the catalogue
def parse_header(text: str, name: str = "", path: Path | None = None) -> QueryInfo:
    """Read the ``# key: value`` comment header at the top of a query.

    Raises:
        QueryError: a ``param:`` line is malformed or names an unknown kind.
    """
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "network": [], "scope": []}
    example: list[str] = []
    key: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER_LINE.match(stripped)
        if match and match["key"] in fields:
            key = match["key"]
            fields[key].append(match["value"].strip())
        elif match and match["key"] == "example":
            key = "example"
            if match["value"].strip():
                example.append(match["value"].strip())
        elif key == "example":
            example.append(stripped.lstrip("#").strip())
        elif key == "description" and stripped.lstrip("#").strip():
            fields["description"][-1] += " " + stripped.lstrip("#").strip()
    params = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match:
            raise QueryError(f"query {name!r}: cannot read the parameter line {spec!r}")
        kind = match["kind"] or "any"
        if kind not in PARAM_KINDS:
            raise QueryError(
                f"query {name!r}: parameter {match['name']!r} has unknown kind {kind!r}; "
                f"use one of {', '.join(PARAM_KINDS)}"
            )
        doc = (match["doc"] or "").strip()
        params.append(
            QueryParam(
                name=match["name"],
                kind=kind,
                example=(match["example"] or "").strip(),
                description=doc,
                required=doc.lower().startswith("required"),
            )
        )
    network_flag = " ".join(fields["network"]).lower()
    network = network_flag.split(" ")[0] in {"yes", "true", "1", "required"} or bool(_SERVICE.search(_COMMENT.sub("", text)))
    return QueryInfo(
        name=name,
        title=" ".join(fields["title"]) or name,
        description=" ".join(fields["description"]),
        params=tuple(params),
        network=network,
        example="\n".join(example),
        path=path,
        scope=" ".join(fields["scope"]).strip().lower(),
    )


def list_queries(directory: str | Path | None = None) -> tuple[QueryInfo, ...]:
    """The bundled queries, sorted by name.

    Args:
        directory: where to look instead of :data:`QUERIES_DIR`.
    """
    root = Path(directory) if directory is not None else QUERIES_DIR
    if not root.is_dir():
        return ()
    infos = []
    for path in sorted(root.glob("*.rq")):
        infos.append(parse_header(path.read_text(encoding="utf-8"), path.stem, path))
    return tuple(infos)


def load_query(
    source: str,
    *,
    directory: str | Path | None = None,
    stdin: IO[str] | None = None,
) -> Query:
    """Load a query by catalogue name, from a ``.rq`` file, from ``-`` (stdin) or as SPARQL text.

    Raises:
        QueryError: the name is not in the catalogue and is not a readable file.
    """
    if source == "-":
        text = (stdin or sys.stdin).read()
        return Query(text, parse_header(text, "-"))
    root = Path(directory) if directory is not None else QUERIES_DIR
    named = root / f"{source}.rq"
    if re.fullmatch(r"[A-Za-z0-9_.-]+", source) and named.is_file():
        text = named.read_text(encoding="utf-8")
        return Query(text, parse_header(text, source, named))
    path = Path(source)
    if "\n" not in source and (source.endswith(".rq") or path.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read query file {source}: {exc.strerror or exc}") from None
        return Query(text, parse_header(text, path.stem, path))
    if "{" in source or re.match(r"\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", source, re.I):
        return Query(source, parse_header(source, "<inline>"))
    names = ", ".join(q.name for q in list_queries(root)) or "(none)"
    raise QueryError(
        f"unknown query {source!r}: not a bundled query, a .rq file or SPARQL text; "
        f"bundled queries: {names}"
    )


# ----------------------------------------------------------------------------------------------
# parameters
def _iri(value: str, prefixes: Mapping[str, str]) -> ox.NamedNode | None:
    """``<iri>`` or ``prefix:local`` as a validated NamedNode; None if it is neither."""
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    else:
        match = _PNAME.fullmatch(value)
        if not match or (match["prefix"] or "") not in prefixes:
            return None
        iri = prefixes[match["prefix"] or ""] + match["local"]
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not a valid IRI: {exc}") from None


def _unquote(value: str) -> str:
    """``"text"`` or ``'text'`` without the quotes; anything else exactly as typed."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return value


def to_term(value: str, kind: str = "any", *, base_iri: str = DEFAULT_BASE_IRI) -> Term:
    """Turn a user-typed value into an RDF term according to the parameter kind.

    >>> to_term("kg:Person").value
    'https://w3id.org/kg-news/ontology#Person'
    >>> str(to_term("3000"))
    '"3000"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> str(to_term('} ; DROP ALL { '))
    '"} ; DROP ALL { "'

    Raises:
        QueryError: the value does not fit the kind.
    """
    prefixes = IRIMinter(base_iri).prefixes()
    text = value.strip()
    if kind == "string":
        return ox.Literal(_unquote(value))
    if kind == "boolean":
        if text.lower() not in {"true", "false"}:
            raise QueryError(f"{value!r} is not a boolean; use true or false")
        return ox.Literal(text.lower() == "true")
    if kind == "number":
        if _INTEGER.fullmatch(text):
            return ox.Literal(text, datatype=XSD.integer)
        if _DECIMAL.fullmatch(text):
            return ox.Literal(text, datatype=XSD.decimal)
        raise QueryError(f"{value!r} is not a number")
    iri = _iri(text, prefixes)
    if iri is not None:
        return iri
    if kind == "class":
        if text in KG:
            return KG[text]
        raise QueryError(
            f"{value!r} is not a class; use an IRI such as kg:Person or one of the kg classes"
        )
    if kind == "iri":
        raise QueryError(f"{value!r} is not an IRI; write it as <https://…> or prefix:local")
    if kind == "entity":
        return ox.Literal(_unquote(value))
    if _INTEGER.fullmatch(text):
        return ox.Literal(text, datatype=XSD.integer)
    if _DECIMAL.fullmatch(text):
        return ox.Literal(text, datatype=XSD.decimal)
    if text in {"true", "false"}:
        return ox.Literal(text == "true")
    return ox.Literal(_unquote(value))


def _query_variables(text: str) -> set[str]:
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", _COMMENT.sub("", text)))


def parse_params(
    pairs: Iterable[str] | Mapping[str, str],
    query: Query,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> dict[str, Term]:
    """Turn ``["key=value", ...]`` into ``{key: term}`` for the parameters ``query`` declares.

    A query without declared parameters (ad-hoc text) accepts any variable it uses.

    Raises:
        QueryError: a pair has no ``=``, names an unknown parameter, a value does not fit
            the parameter's kind, or a required parameter is missing.
    """
    items: list[tuple[str, str]] = []
    if isinstance(pairs, Mapping):
        items = [(str(k), str(v)) for k, v in pairs.items()]
    else:
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep or not name.strip():
                raise QueryError(f"parameter {pair!r} must be written as name=value")
            items.append((name.strip(), value))
    declared = {p.name: p for p in query.info.params}
    allowed = set(declared) if declared else _query_variables(query.text)
    bindings: dict[str, Term] = {}
    for name, value in items:
        if name not in allowed:
            valid = ", ".join(sorted(allowed)) or "none"
            raise QueryError(
                f"query {query.name!r} has no parameter {name!r}; valid parameters: {valid}"
            )
        kind = declared[name].kind if name in declared else "any"
        bindings[name] = to_term(value, kind, base_iri=base_iri)
    _check_required(query, bindings)
    return bindings


def _check_required(query: Query, bindings: Mapping[str, Term]) -> None:
    missing = [p.name for p in query.info.params if p.required and p.name not in bindings]
    if missing:
        example = query.info.param(missing[0]).example or "…"  # type: ignore[union-attr]
        raise QueryError(
            f"query {query.name!r} needs the parameter(s) {', '.join(missing)}; "
            f"pass --param {missing[0]}={example}"
        )


# ----------------------------------------------------------------------------------------------
# running
def may_be_update(text: str) -> bool:
    """False only when ``text`` certainly is not a SPARQL update, decided without parsing.

    An update is a prologue (``PREFIX``/``BASE`` declarations and comments) followed by an
    operation that starts with one of the update keywords (``INSERT``, ``DELETE``, ``WITH``,
    ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``). A ``#`` after white
    space cannot occur inside a prologue's IRIs, so stripping such comments never hides the first
    keyword. Text with a backslash (``\\u`` escapes are decoded before parsing) or any non-ASCII
    character (keywords are matched case-insensitively, and some letters upper-case to ASCII
    ones) is never cleared here, nor is text in which a keyword appears anywhere: those are
    parsed by :func:`classify`.

    >>> may_be_update("SELECT * WHERE { ?s ?p ?o }  # insert a comment")
    False
    >>> may_be_update("PREFIX ex: <urn:x> # a comment\\nDROP ALL")
    True
    """
    if not text.isascii() or "\\" in text:
        return True
    return _UPDATE_KEYWORD.search(_COMMENT.sub(" ", text)) is not None


@functools.lru_cache(maxsize=256)
def classify(text: str) -> str:
    """``query``, ``update`` or ``unknown`` (neither parses), by really parsing the text.

    rdflib's SPARQL 1.1 grammar decides; text it cannot parse is left to Oxigraph, whose query
    parser rejects any update, so an update can never run through the query path. The answer
    depends on the text only, so it is cached (a parse costs milliseconds); :func:`run_query`
    calls this only for text :func:`may_be_update` cannot clear.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
        return "query"
    except ParseException:
        pass
    except Exception:  # noqa: BLE001 - rdflib raises assorted errors on odd input; undecided
        return "unknown"
    try:
        parseUpdate(text)
        return "update"
    except Exception:  # noqa: BLE001 - see above
        return "unknown"


_WORD = re.compile(r"\w+")


def _normalise_name(name: str) -> str:
    if name.isascii():  # the same answer, without the Unicode steps (a name lookup does ~15k)
        return " ".join(_WORD.findall(name.lower()))
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", folded))


# The names of the indexed entities: those the entity-names query lists (mentioned, of a kg class),
# each label once (the article graphs repeat an entity's labels in every article that mentions it).
_ALL_NAMES = """
SELECT DISTINCT ?entity ?name WHERE {
  GRAPH graph:_entities { { ?entity rdfs:label ?name } UNION { ?entity skos:altLabel ?name } }
}
"""
# The names that may normalise to a name holding the word ?token: an ASCII name does only if its
# lower case contains the word; any other name (or one with tabs or control characters) is kept
# and checked in Python.
_CANDIDATE_NAMES = """
SELECT DISTINCT ?entity ?name ?token WHERE {
  GRAPH graph:_entities { { ?entity rdfs:label ?name } UNION { ?entity skos:altLabel ?name } }
  FILTER(CONTAINS(LCASE(STR(?name)), ?token) || REGEX(STR(?name), "[^ -~]"))
}
"""


def resolve_entity(
    store: KGStore, name: str, *, timeout: float | None = None, word_suffix: bool = False
) -> list[ox.NamedNode]:
    """The entities whose label or alias is ``name`` (case- and punctuation-insensitive),
    sorted by IRI.

    The entities are those of the entity index, which are those the ``entity-names`` query
    lists (mentioned entities of a kg class). Only the names that contain the longest word of
    ``name`` (or are not plain ASCII) are read from the store and compared in Python.

    Args:
        word_suffix: also match names that end with ``name`` as whole words ("Rutte" finds
            "Mark Rutte"), as ``kg show`` does.

    Raises:
        QueryError: the store has entities but no entity index (built by an older kg).
    """
    wanted = _normalise_name(name)
    if wanted:
        token = ox.Literal(max(wanted.split(), key=len))
        result = store.query(_CANDIDATE_NAMES, {"token": token}, timeout=timeout)
    else:
        result = store.query(_ALL_NAMES, timeout=timeout)
    found: dict[str, ox.NamedNode] = {}
    for entity, label, *_ in result.rows:
        if isinstance(entity, ox.NamedNode) and isinstance(label, ox.Literal) and entity.value not in found:
            normal = _normalise_name(label.value)
            if normal == wanted or (word_suffix and wanted and normal.endswith(" " + wanted)):
                found[entity.value] = entity
    if not found:
        # nothing matched: say why if the reason is a store without an index (one ASK on the
        # path that has no answer anyway)
        require_entity_index(store)
    return [found[key] for key in sorted(found)]


def run_query(
    store: KGStore,
    query: Query | str,
    params: Mapping[str, Term] | None = None,
    timeout: float | None = None,
    *,
    allow_update: bool = False,
    limit: int | None = None,
) -> QueryResult:
    """Run a read-only query (or, with ``allow_update``, an update) with bound parameters.

    Entity parameters given as a name are resolved to the matching entities and the query is
    run once for each; the rows are concatenated without duplicates. ``limit`` keeps the first
    rows only (see :meth:`kg.store.KGStore.query`); the result says whether there were more.

    Raises:
        QueryError: the text is an update and ``allow_update`` is false, a syntax error
            (the message gives line and column), a parameter the query does not project,
            a timeout, or the query reads the entity index (or an entity name is resolved,
            which reads it) on a store built before there was one.
    """
    if isinstance(query, str):
        query = load_query(query)
    params = dict(params or {})
    # most text is cleared by a keyword scan, which spares the rdflib import and parse
    kind = classify(query.text) if may_be_update(query.text) else "query"
    if kind == "update":
        if not allow_update:
            raise QueryError(
                f"query {query.name!r} is a SPARQL UPDATE, and queries are read-only; "
                "pass --update (allow_update=True) to change the store"
            )
        if params:
            raise QueryError("parameters cannot be bound in an UPDATE")
        store.update(query.text)
        return QueryResult()
    _check_required(query, params)
    names = {
        name: value for name, value in params.items()
        if isinstance(value, ox.Literal) and getattr(query.info.param(name), "kind", "") == "entity"
    }
    # resolving a name takes a few queries of its own: a local store opens its database once
    session = getattr(store, "session", None)
    hold = session(create=False) if names and session is not None else contextlib.nullcontext()
    with hold:
        if reads_entity_index(query.text, store):
            # without the index such a query would answer nothing, and say nothing of why
            require_entity_index(store)
        runs: list[dict[str, Term]] = [params]
        for name, value in names.items():
            matches = resolve_entity(store, value.value, timeout=timeout) or [_NO_MATCH]
            runs = [{**run, name: match} for run in runs for match in matches]
        results = [_execute(store, query, run, timeout, limit) for run in runs]
    if len(results) == 1:
        return results[0]
    seen: dict[tuple, None] = {}
    for result in results:
        for row in result.rows:
            seen.setdefault(row, None)
    first = results[0]
    rows = tuple(seen)
    triples = tuple(dict.fromkeys(t for r in results for t in r.triples))
    truncated = any(r.truncated for r in results)
    if limit is not None and (len(rows) > limit or len(triples) > limit):
        rows, triples, truncated = rows[:limit], triples[:limit], True
    return QueryResult(columns=first.columns, rows=rows, boolean=first.boolean, triples=triples, truncated=truncated)


def _execute(
    store: KGStore, query: Query, bindings: Mapping[str, Term], timeout: float | None, limit: int | None = None
) -> QueryResult:
    graphs = None
    if query.info.scope == "article":
        article = bindings.get("article")
        if not isinstance(article, ox.Literal):
            raise QueryError(f"query {query.name!r} reads one article: pass --param article=ID")
        graphs = [store.iris.graph(article.value)]
    try:
        return store.query(query.text, bindings or None, timeout=timeout, graphs=graphs, limit=limit)
    except (RuntimeError, ValueError) as exc:  # pyoxigraph: a bound variable it cannot use
        message = str(exc)
        if "projection" in message:
            message += "; a parameter must be a variable the query selects"
        raise QueryError(f"query {query.name!r} failed: {message}") from None


# ----------------------------------------------------------------------------------------------
# formatting
def _as_select(result: QueryResult) -> tuple[tuple[str, ...], Sequence[tuple[Term | None, ...]]]:
    if result.kind == "graph":
        return ("subject", "predicate", "object"), [
            (t.subject, t.predicate, t.object) for t in result.triples  # type: ignore[misc]
        ]
    return result.columns, result.rows


def compact(term: Term | None, prefixes: Mapping[str, str] | None = None) -> str:
    """A short human form of a term: ``kg:Person``, ``entity:Q423``, a literal's value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = ""
        for prefix, ns in (prefixes or IRIMinter(DEFAULT_BASE_IRI).prefixes()).items():
            if term.value.startswith(ns) and len(ns) > len(best):
                best, name = ns, prefix
        if best:
            local = term.value[len(best):]
            if re.fullmatch(r"[^\s<>\"{}|^`\\]+", local):
                return f"{name}:{local}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_table(result: QueryResult, *, width: int | None = None, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """A rich table as plain text, IRIs shortened with the kg prefixes."""
    from rich.console import Console
    from rich.table import Table

    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    columns, rows = _as_select(result)
    prefixes = IRIMinter(base_iri).prefixes()
    table = Table(show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(compact(term, prefixes) for term in row))
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or max(shutil.get_terminal_size((160, 24)).columns, 80),
        color_system=None,
        force_terminal=False,
        soft_wrap=False,
    )
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return buffer.getvalue()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_csv(result: QueryResult, *, delimiter: str = ",") -> str:
    """SPARQL 1.1 CSV results: a header of variable names, then plain values."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    columns, rows = _as_select(result)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(term) for term in row])
    return buffer.getvalue()


def format_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: ``?var`` headers, terms in N-Triples syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    columns, rows = _as_select(result)
    lines = ["\t".join(f"?{c}" for c in columns)]
    for row in rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines) + "\n"


def term_to_json(term: Term) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype != XSD.string:
        out["datatype"] = term.datatype.value
    return out


def to_json(result: QueryResult) -> dict:
    """The result as a SPARQL 1.1 query results JSON document (a dict)."""
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    columns, rows = _as_select(result)
    bindings = [
        {c: term_to_json(t) for c, t in zip(columns, row) if t is not None} for row in rows
    ]
    return {"head": {"vars": list(columns)}, "results": {"bindings": bindings}}


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 query results JSON (``application/sparql-results+json``)."""
    return json.dumps(to_json(result), ensure_ascii=False, indent=1) + "\n"


def format_result(result: QueryResult, fmt: str = "table", **options: object) -> str:
    """Format a result as ``table``, ``csv``, ``tsv`` or ``json``.

    Raises:
        QueryError: unknown format.
    """
    if fmt == "table":
        return format_table(result, **options)  # type: ignore[arg-type]
    if fmt == "csv":
        return format_csv(result)
    if fmt == "tsv":
        return format_tsv(result)
    if fmt == "json":
        return format_json(result)
    raise QueryError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def result_records(result: QueryResult) -> list[dict[str, str | None]]:
    """Rows as ``{column: lexical value or None}`` dicts, for scripts and tests."""
    columns, rows = _as_select(result)
    return [
        {c: (None if t is None else _csv_value(t)) for c, t in zip(columns, row)} for row in rows
    ]
