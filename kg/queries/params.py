"""Query parameters: user-typed values read as RDF terms, checked against what a query declares.

The bracketed kind of a parameter (``# param: name [kind]``) says how a value is read:

``any`` (default)
    ``<iri>`` or ``prefix:local`` is an IRI, an integer or decimal is a typed literal,
    ``true``/``false`` a boolean, anything else (or ``"quoted"``) a plain string.
``iri``
    must be an IRI. ``class``: an IRI, or a bare kg class name (``Person``).
``entity``
    an IRI, or a name: the name is looked up among the labels and aliases of the entities in
    the store (:func:`kg.queries.run.resolve_entity`) and the query runs for each match.
``string`` / ``number`` / ``boolean``
    always that kind of literal.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

import pyoxigraph as ox

from kg.errors import QueryError
from kg.iri import IRIMinter
from kg.queries.catalog import Query, without_comments
from kg.settings import DEFAULT_BASE_IRI
from kg.store import Term
from kg.vocab import KG, XSD

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_PNAME = re.compile(r"(?P<prefix>[A-Za-z][A-Za-z0-9_.-]*)?:(?P<local>[^\s<>\"{}|^`\\]*)")


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
    return set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", without_comments(text)))


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
    check_required(query, bindings)
    return bindings


def check_required(query: Query, bindings: Mapping[str, Term]) -> None:
    """Fail when a parameter the query's header marks as required is not bound.

    Raises:
        QueryError: naming the missing parameters and showing the first one's example.
    """
    missing = [p.name for p in query.info.params if p.required and p.name not in bindings]
    if missing:
        example = query.info.param(missing[0]).example or "…"  # type: ignore[union-attr]
        raise QueryError(
            f"query {query.name!r} needs the parameter(s) {', '.join(missing)}; "
            f"pass --param {missing[0]}={example}"
        )
