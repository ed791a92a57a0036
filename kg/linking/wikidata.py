"""Online linking against the Wikidata API (only when ``settings.online``; off by default).

Uses the documented MediaWiki Action API of Wikibase:

* ``action=wbsearchentities&search=…&language=en&type=item`` -> ``{"search": [{"id", "label",
  "description", …}]}``
* ``action=wbgetentities&ids=Q1|Q2&props=labels|claims`` -> ``{"entities": {"Q1": {"labels":
  {"en": {"value"}}, "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id"}}}}]}}}}``

A candidate is accepted only if one of its ``P31`` (instance of) values belongs to the classes
allowed for the entity's kg class. Responses are cached as JSON under ``settings.cache_dir``;
requests carry a User-Agent naming kg, are spaced by ``min_interval`` seconds and time out.
A network or format failure returns None (the entity stays unlinked) with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import httpx

from kg import __version__
from kg.lexicon import section
from kg.model import LinkResult
from kg.settings import Settings
from kg.text import name_key

log = logging.getLogger(__name__)

USER_AGENT = f"kg/{__version__} (https://w3id.org/kg-news; news knowledge-graph builder) httpx"

_RULES = section("rules/linking")
CONFIDENCE = _RULES.table("confidence")
ALLOWED_P31: dict[str, frozenset[str]] = {
    cls: frozenset(qids) for cls, qids in _RULES.mapping("wikidata_classes").items()
}
"""Direct ``P31`` values accepted per kg class (no subclass walk: unknown types stay unlinked)."""


class WikidataClient:
    """A small, polite, caching client for ``wbsearchentities`` / ``wbgetentities``."""

    def __init__(self, settings: Settings, *, timeout: float = 10.0, min_interval: float = 1.0,
                 candidates: int = 5, transport: httpx.BaseTransport | None = None) -> None:
        self.api = settings.wikidata_api
        self.cache_dir = Path(settings.cache_dir) / "wikidata"
        self.min_interval = min_interval
        self.candidates = candidates
        self._last = 0.0
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT},
                                  transport=transport)
        self.requests = 0
        """Number of HTTP requests actually sent (cache hits are not counted)."""

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "WikidataClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- HTTP with cache and rate limit -------------------------------------------------
    def _get(self, params: dict[str, str]) -> dict[str, Any]:
        params = {**params, "format": "json"}
        key = hashlib.sha256(json.dumps([self.api, sorted(params.items())]).encode()).hexdigest()
        path = self.cache_dir / f"{key[:2]}/{key}.json"
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass  # a corrupt cache entry is refetched
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                response = self._http.get(self.api, params=params)
            finally:
                self._last = time.monotonic()
                self.requests += 1
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict) or "error" in data:
            raise ValueError(f"Wikidata API error: {data.get('error') if isinstance(data, dict) else data!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")
        return data

    def search(self, name: str, language: str = "en") -> list[dict[str, Any]]:
        data = self._get({"action": "wbsearchentities", "search": name, "language": language,
                          "uselang": language, "type": "item", "limit": str(self.candidates)})
        return list(data.get("search", []))

    def entities(self, qids: list[str], language: str = "en") -> dict[str, Any]:
        data = self._get({"action": "wbgetentities", "ids": "|".join(qids),
                          "props": "labels|claims", "languages": language})
        return dict(data.get("entities", {}))

    # --- linking --------------------------------------------------------------------------
    def link(self, name: str, cls: str) -> LinkResult | None:
        """The first search hit whose ``P31`` fits ``cls``, or None (also on any failure)."""
        allowed = ALLOWED_P31.get(cls)
        if not allowed or not name.strip():
            return None
        try:
            hits = self.search(name)
            if not hits:
                return None
            entities = self.entities([h["id"] for h in hits])
        except (httpx.HTTPError, ValueError, KeyError, OSError) as exc:
            message = f"Wikidata lookup of {name!r} failed ({type(exc).__name__}: {exc}); left unlinked"
            log.warning(message)
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            return None
        for rank, hit in enumerate(hits):
            entity = entities.get(hit["id"], {})
            if not instance_of(entity) & allowed:
                continue
            label = entity.get("labels", {}).get("en", {}).get("value") or hit.get("label") or name
            exact = name_key(label) == name_key(name)
            confidence = (CONFIDENCE.number("wikidata_exact") if exact else CONFIDENCE.number("wikidata_other")) \
                - CONFIDENCE.number("wikidata_rank_penalty") * rank
            lat, lon = coordinates(entity)
            return LinkResult(qid=hit["id"], label=label, confidence=round(confidence, 3),
                              cls=cls, latitude=lat, longitude=lon, source="wikidata")
        return None


def _claim_values(entity: dict[str, Any], prop: str) -> list[Any]:
    values = []
    for claim in entity.get("claims", {}).get(prop, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if value is not None:
            values.append(value)
    return values


def instance_of(entity: dict[str, Any]) -> set[str]:
    """The QIDs of an entity's ``P31`` claims."""
    return {v["id"] for v in _claim_values(entity, "P31") if isinstance(v, dict) and "id" in v}


def coordinates(entity: dict[str, Any]) -> tuple[float | None, float | None]:
    """The first ``P625`` coordinate of an entity, or ``(None, None)``."""
    for value in _claim_values(entity, "P625"):
        if isinstance(value, dict) and "latitude" in value:
            return float(value["latitude"]), float(value["longitude"])
    return None, None
