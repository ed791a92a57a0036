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

__all__ = ["IRIMinter", "INFERRED_GRAPH_ID", "is_article_id", "segment", "slug"]

INFERRED_GRAPH_ID = "_inferred"
"""Id of the reasoner's graph (``kg reason``); graphs whose id starts with ``_`` are not article graphs."""


def is_article_id(graph_id: str) -> bool:
    """Whether a graph id names an article's graph: kg's own graphs (the entity index, the
    inferred graph) have ids starting with ``_``, which no article id does.

    >>> is_article_id("2024-10-25-kursk"), is_article_id("_inferred")
    (True, False)
    """
    return not graph_id.startswith("_")


_SAFE = "-._~"
_QID = re.compile(r"Q[1-9][0-9]*")


@functools.lru_cache(maxsize=4096)
def segment(text: str) -> str:
    """Percent-encode ``text`` for use as one IRI path segment (cached: an article's id is
    encoded again for each of its ~100 mention and sentence IRIs)."""
    return quote(unicodedata.normalize("NFC", text), safe=_SAFE)


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
        return NamedNode(f"{self.base}article/{segment(article_id)}")

    def graph(self, article_id: str) -> NamedNode:
        """The named graph that holds everything extracted from one article."""
        return NamedNode(f"{self.base}graph/{segment(article_id)}")

    def context(self, article_id: str, length: int) -> NamedNode:
        """The NIF context (whole text) of an article, RFC 5147 style."""
        return NamedNode(f"{self.base}article/{segment(article_id)}#char=0,{length}")

    def span(self, article_id: str, kind: str, start: int, end: int) -> NamedNode:
        """A node anchored at a character span: ``mention``, ``sentence``, ``claim``…"""
        return NamedNode(f"{self.base}article/{segment(article_id)}#{kind}={start},{end}")

    def fact(self, article_id: str, kind: str, *parts: object) -> NamedNode:
        """A node for an event, role or assertion, keyed by a hash of what defines it."""
        digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]
        return NamedNode(f"{self.base}article/{segment(article_id)}#{kind}-{digest}")

    def activity(self, article_id: str) -> NamedNode:
        return NamedNode(f"{self.base}article/{segment(article_id)}#extraction")

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
        prefix = f"{self.base}graph/"
        if not graph.value.startswith(prefix):
            return None
        return unquote(graph.value[len(prefix):])
