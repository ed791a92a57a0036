"""Online linking against the Wikidata API (only when ``settings.online``; off by default).

Uses the documented MediaWiki Action API of Wikibase:

* ``action=wbsearchentities&search=…&language=en&type=item`` -> ``{"search": [{"id", "label",
  "description", …}]}``
* ``action=wbgetentities&ids=Q1|Q2&props=labels|claims`` -> ``{"entities": {"Q1": {"labels":
  {"en": {"value"}}, "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id"}}}}]}}}}``

A candidate is accepted only if one of its ``P31`` (instance of) values belongs to the classes
allowed for the entity's kg class. Requests carry a User-Agent naming kg, are spaced by
``min_interval`` seconds and time out.

Many names at once (``kg link --online``): :meth:`WikidataClient.prefetch` searches each name,
then fetches the candidates ``wbgetentities`` takes 50 at a time (:data:`BATCH`), so 2,000
names cost some 2,200 requests instead of 4,000. Every answer is cached as JSON under
``settings.cache_dir`` as soon as it arrives (a search per name, an entity per QID), so a run
that is interrupted resumes where it stopped.

A network or format failure returns None (the entity stays unlinked), with a warning, and is
listed in :attr:`WikidataClient.failures`; once the API cannot be reached at all, the client
stops asking (one failure each for the remaining names, no more time-outs).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable

import httpx

from kg import __version__
from kg.lexicon import section
from kg.model import LinkResult
from kg.settings import Settings
from kg.text import name_key


USER_AGENT = f"kg/{__version__} (https://w3id.org/kg-news; news knowledge-graph builder) httpx"

_RULES = section("rules/linking")
CONFIDENCE = _RULES.table("confidence")
ALLOWED_P31: dict[str, frozenset[str]] = {
    cls: frozenset(qids) for cls, qids in _RULES.mapping("wikidata_classes").items()
}
"""Direct ``P31`` values accepted per kg class (no subclass walk: unknown types stay unlinked)."""


BATCH = 50
"""The most ids one ``wbgetentities`` request takes (the API's limit for a client without bot rights)."""


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
        self.failures: list[str] = []
        """One line per look-up that failed (the entity stayed unlinked)."""
        self.unreachable: str | None = None
        """Why the API cannot be reached, once a request could not connect: no more are sent."""

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "WikidataClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- HTTP with cache and rate limit -------------------------------------------------
    def _fetch(self, params: dict[str, str]) -> dict[str, Any]:
        """One request, spaced from the last by ``min_interval``."""
        if self.unreachable:
            raise httpx.ConnectError(self.unreachable)
        with self._lock:
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                response = self._http.get(self.api, params={**params, "format": "json"})
            except httpx.TransportError as exc:
                if not isinstance(exc, httpx.TimeoutException):
                    self.unreachable = f"cannot reach {self.api} ({type(exc).__name__}: {exc})"
                raise
            finally:
                self._last = time.monotonic()
                self.requests += 1
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict) or "error" in data:
            raise ValueError(f"Wikidata API error: {data.get('error') if isinstance(data, dict) else data!r}")
        return data

    def _cache_path(self, kind: str, key: str) -> Path:
        digest = hashlib.sha256(json.dumps([self.api, kind, key]).encode()).hexdigest()
        return self.cache_dir / kind / digest[:2] / f"{digest}.json"

    def _cached(self, path: Path) -> Any:
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass  # a corrupt cache entry is refetched
        return None

    def _keep(self, path: Path, data: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)  # a run stopped mid-write leaves no half entry

    def search(self, name: str, language: str = "en") -> list[dict[str, Any]]:
        path = self._cache_path(f"search-{language}-{self.candidates}", name)
        hits = self._cached(path)
        if hits is None:
            data = self._fetch({"action": "wbsearchentities", "search": name, "language": language,
                                "uselang": language, "type": "item", "limit": str(self.candidates)})
            hits = list(data.get("search", []))
            self._keep(path, hits)
        return hits

    def entities(self, qids: list[str], language: str = "en") -> dict[str, Any]:
        """The entities ``qids`` (labels and claims), from the cache or ``BATCH`` at a time."""
        found: dict[str, Any] = {}
        missing = []
        for qid in dict.fromkeys(qids):
            cached = self._cached(self._cache_path(f"entity-{language}", qid))
            if cached is None:
                missing.append(qid)
            else:
                found[qid] = cached
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            data = self._fetch({"action": "wbgetentities", "ids": "|".join(batch),
                                "props": "labels|claims", "languages": language})
            answered = dict(data.get("entities", {}))
            for qid in batch:
                entity = answered.get(qid, {})
                if not isinstance(entity, dict) or "missing" in entity:
                    entity = {}
                self._keep(self._cache_path(f"entity-{language}", qid), entity)
                found[qid] = entity
        return found

    def _failed(self, name: str, exc: Exception) -> None:
        reason = self.unreachable or f"{type(exc).__name__}: {exc}"
        first = not self.failures
        self.failures.append(f"Wikidata lookup of {name!r} failed ({reason}); left unlinked")
        if first or not self.unreachable:  # once unreachable, one warning says it for all
            warnings.warn(self.failures[-1], RuntimeWarning, stacklevel=3)

    def prefetch(self, items: Iterable[tuple[str, str]], progress: Callable[[int, int], None] | None = None) -> None:
        """Search every ``(name, cls)`` of a linkable class, then fetch all the candidates
        ``BATCH`` at a time, so that :meth:`link` answers from the cache. ``progress(done,
        total)`` counts the requests this takes (cached answers count as done at once).
        Failures are recorded as :meth:`link` records them."""
        names = list(dict.fromkeys(name for name, cls in items if ALLOWED_P31.get(cls) and name.strip()))
        total = len(names) + 1
        report = progress or (lambda done, total: None)
        report(0, total)
        hits: list[str] = []
        for done, name in enumerate(names, start=1):
            try:
                hits += [hit["id"] for hit in self.search(name)]
            except (httpx.HTTPError, ValueError, KeyError, OSError) as exc:
                self._failed(name, exc)
            report(done, total + (len(set(hits)) // BATCH))
        missing = [q for q in dict.fromkeys(hits) if self._cached(self._cache_path("entity-en", q)) is None]
        total = len(names) + -(-len(missing) // BATCH)
        for start in range(0, len(missing), BATCH):
            try:
                self.entities(missing[start:start + BATCH])
            except (httpx.HTTPError, ValueError, KeyError, OSError) as exc:
                self._failed(f"{len(missing[start:start + BATCH])} candidates", exc)
            report(len(names) + start // BATCH + 1, total)
        report(total, total)

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
            self._failed(name, exc)
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
