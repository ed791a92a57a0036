"""What each page of ``kg serve`` shows, as plain data: dicts of strings, numbers and lists that
the HTML templates render and the JSON twins (``/entity/….json``) send as they are.

Every function reads the store through :class:`kg.store.KGStore` with bound values (the
page queries are ``queries/internal/page-*.rq``) and never writes. Event classes are those of
:class:`kg.model.EventKind`: the queries return every class of an event node and the pages keep
these, so a new kind shows up without a change here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import QueryError
from kg.model import ENTITY_CLASSES, EVENT_KINDS
from kg.queries.browse import short_name
from kg.queries.catalog import QueryInfo, list_queries
from kg.queries.run import run_query
from kg.store import KGStore, QueryResult, bundled_sparql
from kg.vocab import KG

MENTIONS_SHOWN = 200
"""Mentions listed on an entity page (the most recent articles first); the count says how many more."""
CLAIMS_SHOWN = 200
NEIGHBOURS_SHOWN = 16
"""Entities drawn around an entity: its relations first, then the most co-mentioned."""
TIMELINE_SHOWN = 500
"""Items listed on the timeline page below its chart (the chart counts them all)."""
SEARCH_SHOWN = 100


class NotFound(Exception):
    """The page names nothing in the store."""


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """A term as JSON: an IRI or string as text, a number as a number, a boolean as a boolean."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = short_name(term.datatype.value)
        if kind in {"integer", "nonNegativeInteger", "int", "long"}:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if kind in {"decimal", "double", "float"}:
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if kind == "boolean":
            return term.value in {"true", "1"}
    return term.value


def records(result: QueryResult) -> list[dict[str, Any]]:
    return [{c: value(t) for c, t in zip(result.columns, row)} for row in result.rows]


class Pages:
    """The pages' data over one store; IRIs under the store's base become site paths."""

    def __init__(self, store: KGStore, *, timeout: float | None = None) -> None:
        self.store = store
        self.timeout = timeout
        self.entity_base = store.iris.prefixes()["entity"]
        self.kg_ns = KG.prefix

    # paths ----------------------------------------------------------------------------------------
    def entity_path(self, iri: str | None) -> str | None:
        """``/entity/Q423`` for ``<{base}entity/Q423>``; None for an IRI outside the base."""
        if iri and iri.startswith(self.entity_base) and len(iri) > len(self.entity_base):
            return "/entity/" + iri[len(self.entity_base):]
        return None

    def entity_iri(self, path: str) -> ox.NamedNode:
        """The entity IRI of a site path's tail (as the client sent it, percent-encoded).

        Raises:
            NotFound: not an IRI.
        """
        try:
            return ox.NamedNode(self.entity_base + path)
        except ValueError:
            raise NotFound(f"no entity {path!r}") from None

    @staticmethod
    def article_path(article_id: str | None) -> str | None:
        return None if article_id is None else "/article/" + quote(article_id, safe="")

    def class_name(self, iri: str | None) -> str | None:
        if iri and iri.startswith(self.kg_ns):
            return iri[len(self.kg_ns):]
        return None

    def _query(self, name: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None, *,
               graphs: list[ox.NamedNode] | None = None, limit: int | None = None) -> QueryResult:
        return self.store.query(bundled_sparql(f"internal/{name}"), bindings, timeout=self.timeout,
                                graphs=graphs, limit=limit)

    # the home page ---------------------------------------------------------------------------------
    def home(self) -> dict[str, Any]:
        stats = self.store.stats()
        top = run_query(self.store, "entities-by-type", timeout=self.timeout, limit=30)
        return {
            "articles": stats.articles,
            "entities_by_class": dict(stats.entities_by_class),
            "quads": stats.quads,
            "top_entities": [self._entity_ref(r["entity"], r["label"], r["type"], mentions=r["mentions"],
                                              articles=r["articles"]) for r in records(top)],
        }

    def _entity_ref(self, iri: str, label: str | None, type_iri: str | None = None, **extra: Any) -> dict[str, Any]:
        return {"iri": iri, "label": label or short_name(iri), "class": self.class_name(type_iri),
                "path": self.entity_path(iri), **extra}

    # search ---------------------------------------------------------------------------------------
    def search(self, text: str) -> dict[str, Any]:
        wanted = " ".join(text.split()).lower()
        results: list[dict[str, Any]] = []
        if wanted:
            answer = self._query("page-search", {"q": ox.Literal(wanted)}, limit=SEARCH_SHOWN * 4)
            seen: dict[str, dict[str, Any]] = {}
            for r in records(answer):
                entry = seen.get(r["entity"])
                if entry is None:
                    entry = seen[r["entity"]] = self._entity_ref(
                        r["entity"], r["label"], r["type"], mentions=r["mentions"], articles=r["articles"], matched=[])
                if r["name"] != r["label"] and r["name"] not in entry["matched"]:
                    entry["matched"].append(r["name"])
            results = list(seen.values())[:SEARCH_SHOWN]
        return {"q": text, "results": results}

    # an entity ------------------------------------------------------------------------------------
    def entity(self, path: str) -> dict[str, Any]:
        node = self.entity_iri(path)
        bind = {"e": node}
        classes, labels, aliases, wikidata = set(), set(), set(), set()
        found: dict[str, Any] = {}
        for _, p, o in self._query("page-entity", bind).rows:
            name = short_name(p.value)
            if name == "type" and self.class_name(o.value) in ENTITY_CLASSES:
                classes.add(self.class_name(o.value))
            elif name == "label":
                labels.add(o.value)
            elif name == "altLabel":
                aliases.add(o.value)
            elif name == "exactMatch":
                wikidata.add(o.value)
            elif name in {"prefLabel", "mentionCount", "articleCount", "linkConfidence", "asWKT"}:
                found[name] = value(o)
        if not classes and not labels:
            raise NotFound(f"no entity <{node.value}> in the store")
        point = parse_point(found.get("asWKT"))
        roles = [{
            "holder": self._entity_ref(r["holder"], r["holderLabel"]), "title": r["title"],
            "organization": self._entity_ref(r["organization"], r["organizationLabel"]) if r["organization"] else None,
            "article": r["article"], "article_path": self.article_path(r["article"]), "sentence": r["sentence"],
        } for r in records(self._query("page-entity-roles", bind))]
        events = self._events(records(self._query("page-entity-events", bind)))
        claims_answer = self._query("page-entity-claims", bind, limit=CLAIMS_SHOWN)
        claims = [self._claim(r) for r in records(claims_answer)]
        mentions_answer = self._query("page-entity-mentions", bind, limit=MENTIONS_SHOWN)
        mentions = [self._mention(r) for r in records(mentions_answer)]
        neighbours = self._neighbours(records(self._query("page-entity-neighbours", bind)))
        label = found.get("prefLabel") or (min(labels) if labels else short_name(node.value))
        by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for claim in claims:
            by_date[claim["date"] or ""].append(claim)
        return {
            "iri": node.value,
            "path": self.entity_path(node.value),
            "label": label,
            "classes": sorted(classes, key=ENTITY_CLASSES.index),
            "labels": sorted(labels),
            "aliases": sorted(aliases - labels),
            "wikidata": sorted(wikidata),
            "link_confidence": found.get("linkConfidence"),
            "mention_count": found.get("mentionCount"),
            "article_count": found.get("articleCount"),
            "point": point,
            "roles": roles,
            "events": events,
            "claims_by_date": [{"date": d or None, "claims": by_date[d]} for d in by_date],
            "claims_truncated": claims_answer.truncated,
            "mentions": mentions,
            "mentions_truncated": mentions_answer.truncated,
            "neighbours": neighbours,
        }

    def _events(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        events: dict[tuple[str, str], dict[str, Any]] = {}
        for r in rows:
            kind = self.class_name(r["class"])
            if kind not in EVENT_KINDS:
                continue
            key = (r["event"], r["article"])
            if key in events:
                continue
            events[key] = {
                "kind": kind, "label": r["label"], "date": r["date"], "date_text": r["dateText"],
                "modality": r["modality"],
                "place": self._entity_ref(r["place"], r["placeLabel"]) if r["place"] else None,
                "article": r["article"], "article_path": self.article_path(r["article"]),
                "sentence": r["sentence"],
            }
        return list(events.values())

    def _claim(self, r: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "made": bool(r["by"]),
            "speaker": self._entity_ref(r["speaker"], r["speakerLabel"]) if r["speaker"] else None,
            "source": self._entity_ref(r["source"], r["sourceLabel"]) if r["source"] else None,
            "cue": r["cue"], "content": r["content"], "date": r["date"], "modality": r["modality"],
            "negated": bool(r["negated"]), "article": r["article"], "article_path": self.article_path(r["article"]),
        }

    def _mention(self, r: Mapping[str, Any]) -> dict[str, Any]:
        sentence = r["sentence"] or r["anchor"]
        start = (r["begin"] - r["sentenceBegin"]) if r["sentenceBegin"] is not None else None
        if start is None or not (0 <= start and start + len(r["anchor"]) <= len(sentence)) \
                or sentence[start:start + len(r["anchor"])] != r["anchor"]:
            start = sentence.find(r["anchor"])
        parts = [sentence, "", ""] if start < 0 else [
            sentence[:start], sentence[start:start + len(r["anchor"])], sentence[start + len(r["anchor"]):]]
        return {
            "article": r["article"], "article_path": self.article_path(r["article"]), "date": r["date"],
            "title": r["title"], "anchor": r["anchor"], "begin": r["begin"], "end": r["end"],
            "before": parts[0], "words": parts[1], "after": parts[2],
        }

    def _neighbours(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for r in rows:
            entry = found.get(r["other"])
            if entry is None:
                entry = found[r["other"]] = self._entity_ref(r["other"], r["label"], r["type"], relations=[], sentences=0)
            if r["relation"]:
                name = short_name(r["relation"])
                entry["relations"].append(name if r["outgoing"] else f"{name} (inverse)")
            if r["sentences"]:
                entry["sentences"] = max(entry["sentences"], r["sentences"])
            if entry["class"] is None:
                entry["class"] = self.class_name(r["type"])
        ranked = sorted(found.values(), key=lambda n: (not n["relations"], -n["sentences"], n["label"]))
        return ranked[:NEIGHBOURS_SHOWN]

    # an article -----------------------------------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any]:
        graph = self.store.iris.graph(article_id)
        answer = records(self._query("page-article", {"article": ox.Literal(article_id)}, graphs=[graph]))
        if not answer:
            raise NotFound(f"no article {article_id!r} in the store")
        head = answer[0]
        text = head["text"] or ""
        spans = []
        for r in records(self._query("page-article-mentions", graphs=[graph])):
            cls = self.class_name(r["type"])
            if cls in ENTITY_CLASSES:
                spans.append((r["begin"], r["end"], r["entity"], cls))
        facts = run_query(self.store, "article-facts", {"article": ox.Literal(article_id)}, self.timeout)
        return {
            "id": article_id, "title": head["title"], "date": head["date"], "source": head["source"],
            "url": head["url"], "length": len(text),
            "segments": self._segments(text, spans),
            "mentions": [{"begin": b, "end": e, "entity": iri, "class": c, "path": self.entity_path(iri)}
                         for b, e, iri, c in sorted(set(spans))],
            "facts": records(facts),
        }

    def _segments(self, text: str, spans: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
        """The text cut at the mentions: plain pieces and highlighted ones (the first of
        overlapping mentions wins)."""
        segments: list[dict[str, Any]] = []
        position = 0
        for begin, end, iri, cls in sorted(set(spans), key=lambda s: (s[0], -s[1])):
            if begin < position or end > len(text) or begin >= end:
                continue
            if begin > position:
                segments.append({"text": text[position:begin]})
            segments.append({"text": text[begin:end], "class": cls, "entity": iri, "path": self.entity_path(iri),
                             "begin": begin})
            position = end
        if position < len(text):
            segments.append({"text": text[position:]})
        return segments

    # listings --------------------------------------------------------------------------------------
    def articles(self) -> dict[str, Any]:
        rows = records(run_query(self.store, "articles", timeout=self.timeout))
        for r in rows:
            r["path"] = self.article_path(r["article"])
        return {"articles": rows}

    def timeline(self, kind: str | None = None) -> dict[str, Any]:
        items: dict[tuple[str, str], dict[str, Any]] = {}
        for r in records(self._query("page-timeline")):
            name = self.class_name(r["kind"])
            if name not in EVENT_KINDS and name != "Claim":
                continue
            key = (r["item"], r["article"])
            if key in items:
                continue
            items[key] = {
                "date": r["date"], "month": str(r["date"])[:7], "kind": name, "text": r["text"],
                "who": self._entity_ref(r["who"], r["whoLabel"]) if r["who"] else None,
                "article": r["article"], "article_path": self.article_path(r["article"]),
            }
        everything = list(items.values())
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for item in everything:
            counts[item["month"]][item["kind"]] += 1
        kinds = [k for k in (*EVENT_KINDS, "Claim") if any(k in c for c in counts.values())]
        shown = [i for i in everything if kind is None or i["kind"] == kind]
        return {
            "kind": kind,
            "kinds": kinds,
            "months": [{"month": m, "counts": dict(counts[m])} for m in sorted(counts)],
            "items": shown[:TIMELINE_SHOWN],
            "total": len(shown),
        }

    def troops(self) -> dict[str, Any]:
        rows = records(run_query(self.store, "troop-numbers", timeout=self.timeout))
        states: dict[str, dict[str, Any]] = {}
        for r in rows:
            key = r["state"] or ""
            state = states.get(key)
            if state is None:
                state = states[key] = {**self._entity_ref(key, r["stateLabel"]), "figures": r["figures"], "reports": []}
            state["reports"].append({
                "value": r["value"], "approximate": r["approximate"], "quantity_text": r["quantityText"],
                "unit": r["unitLabel"], "speaker": r["speakerLabel"],
                "source": self.entity_path(r["source"]) and self._entity_ref(r["source"], None),
                "date": r["date"], "article": r["article"], "article_path": self.article_path(r["article"]),
            })
        ordered = sorted(states.values(), key=lambda s: (-len(s["reports"]), s["label"]))
        for state in ordered:
            values = {report["value"] for report in state["reports"]}
            state["conflicting"] = len(values) > 1
        return {"states": ordered}

    def places(self) -> dict[str, Any]:
        places = []
        for r in records(run_query(self.store, "places", timeout=self.timeout)):
            if r["longitude"] is None or r["latitude"] is None:
                continue
            places.append({**self._entity_ref(r["place"], r["label"]), "longitude": float(r["longitude"]),
                           "latitude": float(r["latitude"]), "articles": r["articles"], "wikidata": r["wikidata"]})
        return {"places": places}

    # the query page -------------------------------------------------------------------------------
    @staticmethod
    def catalogue() -> list[QueryInfo]:
        return list_queries()


_POINT = re.compile(r"^\s*POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)\s*$", re.IGNORECASE)


def parse_point(wkt: Any) -> dict[str, float] | None:
    """``{"longitude": …, "latitude": …}`` of a WKT point; None for anything else.

    >>> parse_point("POINT(36.19 51.73)")
    {'longitude': 36.19, 'latitude': 51.73}
    """
    match = _POINT.match(wkt) if isinstance(wkt, str) else None
    if not match:
        return None
    try:
        return {"longitude": float(match[1]), "latitude": float(match[2])}
    except ValueError:
        return None


__all__ = ["NotFound", "Pages", "QueryError", "parse_point", "records", "value"]
