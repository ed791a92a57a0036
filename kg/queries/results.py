"""Query answers as text: a table (rich), CSV and TSV (the SPARQL 1.1 CSV/TSV result formats)
or JSON (the SPARQL 1.1 query results JSON format), so other SPARQL tools can read them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from typing import Mapping, Sequence

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from kg.errors import QueryError
from kg.iri import IRIMinter
from kg.settings import DEFAULT_BASE_IRI
from kg.store import QueryResult, Term
from kg.vocab import XSD

FORMATS = ("table", "csv", "tsv", "json")


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
