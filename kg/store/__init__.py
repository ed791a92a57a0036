"""The RDF store: one named graph per article, behind one interface (:class:`KGStore`).

Two backends implement it, each in its own module, and neither imports the other:

* :mod:`kg.store.local` — an embedded Oxigraph database in a directory (the default);
* :mod:`kg.store.remote` — a SPARQL 1.1 endpoint with the Graph Store Protocol
  (``--store http://…``, e.g. ``oxigraph serve``).

:func:`open_store` picks one from the settings through :data:`BACKENDS`, a registry of backend
classes by name (as rdflib's plugins are), so a backend's module, and what it needs (httpx for
the remote one), is loaded only when a store of that kind is opened.

The store layer sits below everything that derives data from it (:mod:`kg.derived`), queries
it (:mod:`kg.queries`) or builds it (:mod:`kg.build`), and imports none of them.
"""

from __future__ import annotations

import importlib

from kg.settings import Settings
from kg.store.base import (
    DATASET_FORMATS,
    ENTITY_INDEX_GRAPH_ID,
    EXPORT_FORMATS,
    SUPPLIED_PREFIXES,
    KGStore,
    QueryResult,
    StoreStats,
    Term,
    bundled_sparql,
    drop_supplied_prefixes,
    materialise,
    serialize_quads,
)

BACKENDS: dict[str, str] = {
    "local": "kg.store.local:LocalStore",
    "remote": "kg.store.remote:RemoteStore",
}
"""Backend name -> ``module:class`` of its :class:`KGStore` implementation."""


def backend(name: str) -> type[KGStore]:
    """The store class registered as ``name`` in :data:`BACKENDS`, its module loaded on demand.

    >>> backend("local").__name__
    'LocalStore'
    """
    module, _, cls = BACKENDS[name].partition(":")
    return getattr(importlib.import_module(module), cls)


def open_store(settings: Settings) -> KGStore:
    """The store the settings name: a directory (embedded Oxigraph) or an ``http(s)://`` endpoint."""
    return backend("remote" if settings.store_is_remote else "local")(settings)


__all__ = [
    "BACKENDS",
    "DATASET_FORMATS",
    "ENTITY_INDEX_GRAPH_ID",
    "EXPORT_FORMATS",
    "SUPPLIED_PREFIXES",
    "KGStore",
    "QueryResult",
    "StoreStats",
    "Term",
    "backend",
    "bundled_sparql",
    "drop_supplied_prefixes",
    "materialise",
    "open_store",
    "serialize_quads",
]
