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
from rich import box
from rich.console import Console
from rich.table import Table

from kg.errors import QueryError, UsageError
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


def label_column(column: str, columns: Sequence[str]) -> str | None:
    """The column holding the labels of ``column``'s entities, if the answer has one:
    ``stateLabel`` for ``state``, ``label1`` for ``side1``, ``label`` for ``entity`` or ``place``.

    >>> label_column("state", ["state", "stateLabel"]), label_column("side1", ["side1", "label1"])
    ('stateLabel', 'label1')
    """
    for candidate in (f"{column}Label", f"label{column[-1]}" if column[-1:].isdigit() else ""):
        if candidate and candidate in columns:
            return candidate
    if column in ("entity", "place") and "label" in columns:
        return "label"
    return None


def select_columns(result: QueryResult, names: Sequence[str] | None, *, paired: bool = False) -> QueryResult:
    """The answer with only the columns ``names``, in that order (all when None).

    With ``paired`` (a table), naming an entity column keeps its label column too.

    Raises:
        UsageError: a name that is not a column of the answer.
    """
    if not names or result.kind != "select":
        return result
    columns = list(result.columns)
    # a table heads a label column without its entity column by the entity's name
    names = [f"{n}Label" if n not in columns and f"{n}Label" in columns else n for n in names]
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise UsageError(f"no column {unknown[0]!r} in the answer; its columns are {', '.join(columns)}")
    keep: list[str] = []
    for name in names:
        keep.append(name)
        label = label_column(name, columns) if paired else None
        if label and label not in names:
            keep.append(label)
    index = [columns.index(n) for n in dict.fromkeys(keep)]
    return QueryResult(columns=tuple(columns[i] for i in index),
                       rows=tuple(tuple(row[i] for i in index) for row in result.rows),
                       truncated=result.truncated)


def table_width(width: int | None = None) -> int:
    """The width a table is drawn to: ``width``, else the terminal's (``$COLUMNS`` when set),
    else 120 (a pipe, a file)."""
    if width:
        return width
    return shutil.get_terminal_size((120, 24)).columns


def table_columns(result: QueryResult, *, iris: bool = False,
                  base_iri: str = DEFAULT_BASE_IRI) -> tuple[list[str], list[list[str]]]:
    """What a table shows: each entity column once, as its labels (as prefixed names with
    ``iris``), the label columns folded into it; other IRIs as prefixed names."""
    columns, rows = _as_select(result)
    prefixes = IRIMinter(base_iri).prefixes()
    labels = {c: label_column(c, columns) for c in columns}
    folded = {label for label in labels.values() if label}
    shown = [i for i, c in enumerate(columns) if c not in folded]
    out_rows = []
    for row in rows:
        cells = []
        for i in shown:
            term, label = row[i], labels[columns[i]]
            if not iris and label is not None:
                value = row[columns.index(label)]
                cells.append(compact(value, prefixes) if value is not None else compact(term, prefixes))
            else:
                cells.append(compact(term, prefixes))
        out_rows.append(cells)
    names = [columns[i] for i in shown]
    if not iris:  # a label column without its entity column is headed by the entity's name
        names = [n[:-5] if n.endswith("Label") and n[:-5] and n[:-5] not in columns else n for n in names]
    return names, out_rows


def fit_widths(natural: Sequence[int], headers: Sequence[int], room: int) -> list[int]:
    """Column widths that fit ``room`` characters: the widest columns give way first, none
    below 10 characters (or its header, if longer) unless it needs less.

    >>> fit_widths([10, 60, 4], [6, 5, 4], 50)
    [10, 36, 4]
    """
    widths = [max(1, n) for n in natural]
    for floors in ([min(w, max(h, 10)) for w, h in zip(widths, headers)], [min(w, 6) for w in widths]):
        while sum(widths) > room:
            widest = max(range(len(widths)), key=lambda i: (widths[i] - floors[i], widths[i]))
            if widths[widest] <= floors[widest]:
                break  # then headers give way too; past that, the lines are cut
            widths[widest] -= 1
    return widths


def format_table(result: QueryResult, *, width: int | None = None, base_iri: str = DEFAULT_BASE_IRI,
                 iris: bool = False) -> str:
    """A table as plain text, one line per row, sized to ``width`` (the terminal's by default):
    entities by label (by prefixed name with ``iris``), long cells cut with an ellipsis."""
    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    columns, rows = table_columns(result, iris=iris, base_iri=base_iri)
    total = table_width(width)
    widths = fit_widths([max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)],
                        [len(c) for c in columns], total - 3 * max(0, len(columns) - 1))
    table = Table(show_lines=False, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column, size in zip(columns, widths):
        table.add_column(column, overflow="ellipsis", no_wrap=True, width=size)
    for row in rows:
        table.add_row(*row)
    buffer = io.StringIO()
    console = Console(file=buffer, width=total, color_system=None, force_terminal=False, soft_wrap=False)
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
