"""Views of the store for the tools analysts open it in, beside the RDF formats of
:meth:`kg.store.KGStore.export`:

* ``geojson`` — the places with coordinates as a GeoJSON ``FeatureCollection`` (a map);
* ``graphml`` and ``gexf`` — the entity network (entities as nodes with label, class and
  counts; an edge for each pair mentioned in one sentence, weighted by the sentences they
  share), written by networkx, for Gephi, yEd or Cytoscape;
* ``csv`` — one CSV file per fact type (roles, deployments, claims, troop figures, alliances
  and hostilities, the timeline, entities, places), the answers of the bundled queries;
* ``jsonld`` — JSON-LD with a ``@context`` of kg's prefixes, IRIs written as prefixed names.

Every view reads the store through :mod:`kg.queries` (the bundled queries and
``queries/internal/co-mention-network.rq``); none writes to it.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import IO, Any, Mapping

import networkx as nx
import pyoxigraph as ox

from kg.errors import UsageError
from kg.queries import run_query
from kg.queries.browse import list_entities
from kg.queries.results import compact
from kg.store import KGStore, bundled_sparql

VIEWS = ("jsonld", "geojson", "graphml", "gexf", "csv")
"""The formats this module writes (``jsonld`` replaces the store's plain one)."""
EXPORTS = ("geojson", "graphml", "gexf", "csv")
"""The views that are not RDF formats."""

CSV_QUERIES: Mapping[str, str] = {
    "entities": "entities-by-type",
    "roles": "roles",
    "deployments": "deployments",
    "troop-numbers": "troop-numbers",
    "claims": "claims-by-speaker",
    "alliances-hostilities": "alliances-hostilities",
    "timeline": "timeline",
    "places": "places",
}
"""``kg export --format csv``: file name -> the bundled query it holds the answer of."""


def places_geojson(store: KGStore) -> dict[str, Any]:
    """The places that have a point, as a GeoJSON FeatureCollection (longitude first)."""
    result = run_query(store, "places")
    column = {name: i for i, name in enumerate(result.columns)}
    features = []
    for row in result.rows:
        place, label, wikidata = (row[column[c]] for c in ("place", "label", "wikidata"))
        lon, lat, articles = (row[column[c]] for c in ("longitude", "latitude", "articles"))
        if lon is None or lat is None:
            continue
        features.append({
            "type": "Feature",
            "id": place.value,
            "geometry": {"type": "Point", "coordinates": [float(lon.value), float(lat.value)]},
            "properties": {
                "name": compact(place, store.prefixes), "label": label.value if label else None,
                "wikidata": wikidata.value if wikidata else None,
                "articles": int(articles.value) if articles else 0,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def entity_network(store: KGStore) -> nx.Graph:
    """The co-mention network: a node per entity (``label``, ``class``, ``mentions``,
    ``articles``, ``wikidata``), an edge per pair mentioned in one sentence (``weight``: the
    sentences they share; ``articles``: the articles)."""
    graph = nx.Graph()
    for row in list_entities(store):
        graph.add_node(row.iri, label=row.label, name=compact(ox.NamedNode(row.iri), store.prefixes),
                       **{"class": row.cls}, mentions=row.mentions, articles=row.articles,
                       wikidata=row.wikidata or "")
    for first, second, sentences, articles in store.query(bundled_sparql("internal/co-mention-network")).rows:
        if first.value in graph and second.value in graph:
            graph.add_edge(first.value, second.value, weight=int(sentences.value), articles=int(articles.value))
    return graph


def jsonld_document(store: KGStore, article_id: str | None = None) -> dict[str, Any]:
    """The store (or one article's graph) as JSON-LD with a ``@context`` of kg's prefixes: one
    named graph per article, IRIs written as prefixed names."""
    buffer = io.BytesIO()
    store.export("jsonld", buffer, article_id=article_id)
    expanded = json.loads(buffer.getvalue() or b"[]")
    prefixes = dict(store.prefixes)
    ordered = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def short(iri: str) -> str:
        for name, namespace in ordered:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and local and ":" not in local and "/" not in local.strip("/"):
                return f"{name}:{local}"
        return iri

    def walk(node: Any, key: str | None = None) -> Any:
        if isinstance(node, list):
            return [walk(item, key) for item in node]
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k in ("@id", "@type"):
                    out[k] = [short(x) for x in v] if isinstance(v, list) else short(v) if isinstance(v, str) else v
                elif k.startswith("@"):
                    out[k] = walk(v, k)
                else:
                    out[short(k)] = walk(v, k)
            return out
        return node

    return {"@context": prefixes, "@graph": walk(expanded)}


def export_view(store: KGStore, name: str, output: Path | None, *, article_id: str | None = None,
                stdout: IO[str] | None = None) -> str:
    """Write the view ``name`` of :data:`VIEWS` to ``output`` (stdout when None; a folder for
    ``csv``); return what was written, in words ("12 places").

    Raises:
        UsageError: an unknown view, ``csv`` without a folder, or ``--graph`` with a view of
            the whole store.
    """
    if name not in VIEWS:
        raise UsageError(f"unknown export view {name!r}; choose one of {', '.join(VIEWS)}")
    if article_id is not None and name != "jsonld":
        raise UsageError(f"--graph works with the RDF formats only, not with {name}")
    if name == "csv":
        if output is None:
            raise UsageError("--format csv writes one file per fact type: name a folder with -o")
        output.mkdir(parents=True, exist_ok=True)
        for file_name, query in CSV_QUERIES.items():
            result = run_query(store, query)
            with (output / f"{file_name}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(result.columns)
                writer.writerows([("" if t is None else t.value) for t in row] for row in result.rows)
        return f"{len(CSV_QUERIES)} CSV files"
    if name in ("graphml", "gexf"):
        graph = entity_network(store)
        target = output if output is not None else (stdout or sys.stdout).buffer  # type: ignore[union-attr]
        (nx.write_graphml if name == "graphml" else nx.write_gexf)(graph, target)
        return f"{graph.number_of_nodes()} entities and {graph.number_of_edges()} co-mention edges"
    if name == "geojson":
        data = places_geojson(store)
        what = f"{len(data['features'])} places"
    else:
        data = jsonld_document(store, article_id)
        what = f"{len(data['@graph'])} graphs"
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if output is None:
        (stdout or sys.stdout).write(text)
    else:
        tmp = output.with_name(output.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    return what
