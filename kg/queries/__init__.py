"""The bundled SPARQL queries: catalogue, safe parameters, running and formatting.

* :mod:`kg.queries.catalog` — the ``queries/*.rq`` files, their headers, loading one;
* :mod:`kg.queries.params` — user-typed values as RDF terms, bound, never spliced;
* :mod:`kg.queries.run` — running a query read-only, entity names resolved;
* :mod:`kg.queries.results` — tables, CSV, TSV and JSON;
* :mod:`kg.queries.browse` — entity listings and descriptions (``kg entities``, ``kg show``);
* :mod:`kg.queries.link` — the stored entities linked again (``kg link``).

The public names of the first four are re-exported here; the last two are imported by name
(``kg.queries.link`` loads the linker).
"""

from __future__ import annotations

from kg.queries.catalog import (
    PARAM_KINDS,
    QUERIES_DIR,
    Query,
    QueryInfo,
    QueryParam,
    list_queries,
    load_query,
    parse_header,
    without_comments,
)
from kg.queries.params import check_required, parse_params, to_term
from kg.queries.results import (
    FORMATS,
    compact,
    format_csv,
    format_json,
    format_result,
    format_table,
    format_tsv,
    result_records,
    term_to_json,
    to_json,
)
from kg.queries.run import NO_MATCH, classify, may_be_update, resolve_entity, run_query

__all__ = [
    "FORMATS",
    "NO_MATCH",
    "PARAM_KINDS",
    "QUERIES_DIR",
    "Query",
    "QueryInfo",
    "QueryParam",
    "check_required",
    "classify",
    "compact",
    "format_csv",
    "format_json",
    "format_result",
    "format_table",
    "format_tsv",
    "list_queries",
    "load_query",
    "may_be_update",
    "parse_header",
    "parse_params",
    "resolve_entity",
    "result_records",
    "run_query",
    "term_to_json",
    "to_json",
    "to_term",
    "without_comments",
]
