"""Minting IRIs: the one place where kg turns names and ids into IRIs.

IRIs are deterministic and readable: the same entity gets the same IRI in every article and
every worker process, with no global counter, so extraction can run in parallel and re-runs
are idempotent.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import quote, unquote

from pyoxigraph import NamedNode

from kg.text import slug
from kg.vocab import PREFIXES

__all__ = [
    "ENTITY_INDEX_GRAPH_ID", "INFERRED_GRAPH_ID", "IRIMinter", "KG_GRAPH_MARK", "STATE_GRAPH_ID", "article_segment",
    "canonical_id", "segment", "slug",
]

KG_GRAPH_MARK = "_"
"""kg's own graphs (the entity index, the inferred graph) are ``<{base}graph/_…>``: their path
segment starts with a bare ``_``, which no article's does (:func:`article_segment` writes an
article id's leading ``_`` as ``%5F``), so no article id can name, replace or drop them."""
ENTITY_INDEX_GRAPH_ID = "_entities"
"""Name of the entity index graph (:mod:`kg.derived.entity_index`), ``<{base}graph/_entities>``."""
INFERRED_GRAPH_ID = "_inferred"
"""Name of the reasoner's graph (``kg reason``), ``<{base}graph/_inferred>``."""
STATE_GRAPH_ID = "_state"
"""Name of kg's bookkeeping graph, ``<{base}graph/_state>``: what the entity index was derived
from (:mod:`kg.derived.entity_index`)."""

_SAFE = "-._~"
_QID = re.compile(r"Q[1-9][0-9]*")


def canonical_id(article_id: str) -> str:
    """The one form of an article id: Unicode NFC, so ids that differ only in normalisation
    (``café`` written with ``é`` or with ``e`` and a combining accent) are one id.

    >>> canonical_id("cafe\u0301") == "caf\u00e9"
    True
    """
    return unicodedata.normalize("NFC", article_id)


@functools.lru_cache(maxsize=4096)
def segment(text: str) -> str:
    """Percent-encode ``text`` (in NFC) for use as one IRI path segment (cached: an article's id
    is encoded again for each of its ~100 mention and sentence IRIs)."""
    return quote(unicodedata.normalize("NFC", text), safe=_SAFE)


@functools.lru_cache(maxsize=4096)
def article_segment(article_id: str) -> str:
    """The path segment of an article id in its IRIs: :func:`segment`, with a leading ``_``
    percent-encoded, so an article's graph is never one of kg's own (:data:`KG_GRAPH_MARK`).

    Ordinary ids keep the segment they always had; the encoding is one-to-one (``%`` itself is
    encoded), so two ids never share an IRI.

    >>> article_segment("2024-10-25-kursk"), article_segment("_entities"), article_segment("%5Fentities")
    ('2024-10-25-kursk', '%5Fentities', '%255Fentities')
    """
    encoded = segment(article_id)
    return "%5F" + encoded[1:] if encoded.startswith(KG_GRAPH_MARK) else encoded


class IRIMinter:
    """Mints every instance IRI under one base IRI (a setting)."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def prefixes(self) -> dict[str, str]:
        """kg's vocabulary prefixes plus ``entity:``, ``article:`` and ``graph:`` under the base
        IRI, so a query names instances and kg's own graphs (``graph:_entities``) whatever the base."""
        return {
            **PREFIXES,
            "entity": f"{self.base}entity/",
            "article": f"{self.base}article/",
            "graph": f"{self.base}graph/",
        }

    def article(self, article_id: str) -> NamedNode:
        return NamedNode(f"{self.base}article/{article_segment(article_id)}")

    def graph(self, article_id: str) -> NamedNode:
        """The named graph that holds everything extracted from one article (never one of kg's
        own graphs, whatever the id: see :func:`article_segment`)."""
        return NamedNode(f"{self.base}graph/{article_segment(article_id)}")

    def kg_graph(self, name: str) -> NamedNode:
        """One of kg's own graphs: :data:`ENTITY_INDEX_GRAPH_ID`, :data:`INFERRED_GRAPH_ID`…

        Raises:
            ValueError: ``name`` does not start with :data:`KG_GRAPH_MARK`.
        """
        if not name.startswith(KG_GRAPH_MARK):
            raise ValueError(f"kg's own graphs are named {KG_GRAPH_MARK}…, not {name!r}")
        return NamedNode(f"{self.base}graph/{segment(name)}")

    def context(self, article_id: str, length: int) -> NamedNode:
        """The NIF context (whole text) of an article, RFC 5147 style."""
        return NamedNode(f"{self.base}article/{article_segment(article_id)}#char=0,{length}")

    def span(self, article_id: str, kind: str, start: int, end: int) -> NamedNode:
        """A node anchored at a character span: ``mention``, ``sentence``, ``claim``…"""
        return NamedNode(f"{self.base}article/{article_segment(article_id)}#{kind}={start},{end}")

    def fact(self, article_id: str, kind: str, *parts: object) -> NamedNode:
        """A node for an event, role or assertion, keyed by a hash of what defines it."""
        digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]
        return NamedNode(f"{self.base}article/{article_segment(article_id)}#{kind}-{digest}")

    def activity(self, article_id: str) -> NamedNode:
        return NamedNode(f"{self.base}article/{article_segment(article_id)}#extraction")

    def software(self, version: str) -> NamedNode:
        return NamedNode(f"{self.base}agent/kg/{segment(version)}")

    def entity(self, entity_class: str, name: str, wikidata: str | None = None) -> NamedNode:
        """The IRI of an entity: its Wikidata id when linked, else class and normalised name."""
        if wikidata and _QID.fullmatch(wikidata):
            return NamedNode(f"{self.base}entity/{wikidata}")
        return NamedNode(f"{self.base}entity/{segment(entity_class)}/{segment(slug(name))}")

    def geometry(self, entity: NamedNode) -> NamedNode:
        return NamedNode(entity.value + "#geometry")

    def article_id_from_graph(self, graph: NamedNode) -> str | None:
        """The id of the article whose graph this is; None for kg's own graphs and for graphs
        outside ``{base}graph/``."""
        prefix = f"{self.base}graph/"
        if not graph.value.startswith(prefix) or graph.value.startswith(prefix + KG_GRAPH_MARK):
            return None
        return unquote(graph.value[len(prefix):])

    def is_kg_graph(self, graph: NamedNode) -> bool:
        """Whether ``graph`` is one of kg's own graphs (entity index, inferred graph…)."""
        return graph.value.startswith(f"{self.base}graph/{KG_GRAPH_MARK}")
