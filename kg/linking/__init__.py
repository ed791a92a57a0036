"""Linking entity names to Wikidata: the offline gazetteer first, Wikidata itself when online.

* :mod:`kg.linking.gazetteer` — the offline gazetteer (Natural Earth places and curated actors);
* :mod:`kg.linking.link` — the decisions: which candidate a name in context refers to, and how
  sure that is (below ``settings.link_threshold`` nothing is linked);
* :mod:`kg.linking.wikidata` — the Wikidata API client, used only when ``settings.online``.

>>> link("Kursk region", "Place").qid
'Q3178'
"""

from __future__ import annotations

from kg.linking.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from kg.linking.link import (
    LinkOutcome,
    LinkReport,
    Linker,
    is_city_state_name,
    link,
    link_outcome,
    link_report,
    make_linker,
    resolve,
)
from kg.linking.wikidata import WikidataClient
from kg.model import LinkContext, LinkResult

__all__ = [
    "Gazetteer", "GazetteerEntry", "LinkContext", "LinkOutcome", "LinkReport", "LinkResult",
    "Linker", "WikidataClient", "is_city_state_name", "link", "link_outcome", "link_report",
    "load_gazetteer", "make_linker", "resolve",
]
