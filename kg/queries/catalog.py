"""The catalogue of bundled queries: their comment headers, listing them and loading one.

Queries live in ``queries/*.rq`` at the project root, each with a comment header, then the
``PREFIX`` lines it needs, so a file pastes and runs as it is in any SPARQL editor::

    # title: Reported troop numbers
    # description: How many troops each source reported, ...
    # param: state [entity] = <https://w3id.org/kg-news/entity/Q423>  (optional: one state)
    # example:
    #   | value | approximate | speaker | ... |
    PREFIX kg: <https://w3id.org/kg-news/ontology#>

A parameter is a SPARQL variable that the query projects; a value is bound with pyoxigraph
substitutions, never formatted into the query text. Oxigraph substitutes a variable as if its
value had been bound where the variable first appears, so a parameter must appear in a triple
pattern or a ``BIND`` (not only in a ``FILTER``), and a parameter that is not given simply stays
free: "optional" is the default. The bracketed kind says how a value is read
(:func:`kg.queries.params.to_term`): ``any`` (default), ``iri``, ``class``, ``entity``,
``string``, ``number`` or ``boolean``.

A bundled query loaded by name runs without the ``PREFIX`` lines of the prefixes the store
supplies (:func:`kg.store.drop_supplied_prefixes`), so it answers right on a store built with any
base IRI; a query from a file, stdin or the command line runs as written.

>>> [q.name for q in list_queries()][:2]
['alliances-hostilities', 'article-facts']
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import QueryError
from kg.resources import resource_dir
from kg.store import drop_supplied_prefixes

QUERIES_DIR = resource_dir("queries")
"""Where the bundled ``.rq`` files are (``queries/`` at the project root)."""

PARAM_KINDS = ("any", "iri", "class", "entity", "string", "number", "boolean")

_HEADER_LINE = re.compile(r"#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(?P<kind>[a-z]+)\])?\s*"
    r"(?:=\s*(?P<example>.*?))?\s*(?:\((?P<doc>.*)\))?\s*$"
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# a comment: ``#`` at a line start or after white space, to the end of the line (SPARQL ends a
# line at CR or LF)
_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\r\n]*", re.MULTILINE)


def without_comments(text: str, replacement: str = "") -> str:
    """``text`` with each comment (``#`` at a line start or after white space, to the end of
    the line) replaced by ``replacement``.

    >>> without_comments("SELECT * # all\\nWHERE { ?s <urn:x#y> ?o }")
    'SELECT * \\nWHERE { ?s <urn:x#y> ?o }'
    """
    return _COMMENT.sub(replacement, text)


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
    """A loaded query: the text kg runs and the header information."""

    text: str
    info: QueryInfo

    @property
    def name(self) -> str:
        return self.info.name


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
    network = network_flag.split(" ")[0] in {"yes", "true", "1", "required"} or bool(_SERVICE.search(without_comments(text)))
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

    A catalogue query's text is the file's without the declarations of the prefixes the store
    supplies (see the module docstring); any other text is kept as it is.

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
        return Query(drop_supplied_prefixes(text), parse_header(text, source, named))
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
