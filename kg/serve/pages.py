"""What each page of ``kg serve`` shows, as plain data: dicts of strings, numbers and lists that
the HTML templates render and the JSON twins (``/entity/….json``) send as they are.

Every function reads the store through :class:`kg.store.KGStore` with bound values (the
page queries are ``queries/internal/page-*.rq``) and never writes; an entity page reads its
lists through :mod:`kg.serve.facts`, from memory when the store cannot change while it is served
(:meth:`Pages.warm`). Event classes are those of
:class:`kg.model.EventKind`: the queries return every class of an event node and the pages keep
these, so a new kind shows up without a change here.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import QueryError
from kg.model import ENTITY_CLASSES, EVENT_KINDS
from kg.queries.browse import short_name
from kg.queries.catalog import QueryInfo, list_queries
from kg.queries.run import run_query
from kg.serve.facts import (
    Described,
    EntityDigest,
    EntityFacts,
    Mention,
    QueriedFacts,
    Relation,
    records,
    value,
)
from kg.store import KGStore, QueryResult, bundled_sparql
from kg.vocab import KG

MENTIONS_SHOWN = 50
"""Mentions listed on a page of an entity's mentions (the most recent articles first); links lead
to the next pages."""
CLAIMS_SHOWN = 50
"""Claims listed on a page of an entity's claims (the newest first)."""
NEIGHBOURS_SHOWN = 16
"""Entities drawn around an entity: its relations first, then the most co-mentioned."""
TIMELINE_SHOWN = 500
"""Items listed on the timeline page below its chart (the chart counts them all)."""
SEARCH_SHOWN = 100


class NotFound(Exception):
    """The page names nothing in the store."""


class Pages:
    """The pages' data over one store; IRIs under the store's base become site paths."""

    def __init__(self, store: KGStore, *, timeout: float | None = None, frozen: bool = True) -> None:
        """``frozen``: the store cannot change while the pages are served (a local store held
        open), so the tables of entity labels and of articles are read once and kept."""
        self.store = store
        self.timeout = timeout
        self.frozen = frozen
        self.entity_base = store.iris.prefixes()["entity"]
        self.kg_ns = KG.prefix
        self._tables: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.facts: EntityFacts = QueriedFacts(store, timeout=timeout)
        """Where entity pages read their lists; :meth:`warm` reads them all at once for a frozen store."""
        self.mentions_per_page = MENTIONS_SHOWN
        self.claims_per_page = CLAIMS_SHOWN

    def _table(self, name: str, read: Any) -> Any:
        if not self.frozen:
            return read()
        with self._lock:
            if name not in self._tables:
                self._tables[name] = read()
            return self._tables[name]

    def labels(self) -> dict[str, tuple[str, str | None]]:
        """``{entity IRI: (preferred label, kg class)}`` of every indexed entity."""
        def read() -> dict[str, tuple[str, str | None]]:
            table: dict[str, tuple[str, str | None]] = {}
            for entity, label, type_ in self._query("page-labels").rows:
                cls = self.class_name(type_.value)
                if entity.value not in table or cls in ENTITY_CLASSES:
                    table[entity.value] = (label.value, cls)
            return table
        return self._table("labels", read)

    def article_index(self) -> dict[str, tuple[str, Any, Any]]:
        """``{article graph IRI: (article id, date, title)}``."""
        def read() -> dict[str, tuple[str, Any, Any]]:
            return {g.value: (article.value, value(date), value(title))
                    for g, article, date, title in self._query("page-article-index").rows}
        return self._table("articles", read)

    def ref(self, iri: str | None) -> dict[str, Any] | None:
        """An entity as the pages link to it: label, class and path."""
        if not iri:
            return None
        label, cls = self.labels().get(iri, (short_name(iri), None))
        return {"iri": iri, "label": label, "class": cls, "path": self.entity_path(iri)}

    def article_id(self, graph: str) -> str:
        """The id of the article whose graph is ``graph``."""
        found = self.article_index().get(graph)
        if found is not None:
            return found[0]
        return self.store.iris.article_id_from_graph(ox.NamedNode(graph)) or graph

    def article_of(self, graph: str) -> dict[str, Any]:
        article_id, date, title = self.article_index().get(graph, (None, None, None))
        if article_id is None:
            article_id = self.article_id(graph)
        return {"article": article_id, "article_path": self.article_path(article_id), "article_date": date,
                "title": title}

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
        counts = {self.class_name(t.value): int(n.value) for t, n in self._query("page-home").rows}
        top = run_query(self.store, "entities-by-type", timeout=self.timeout, limit=30)
        return {
            "articles": counts.get("Article", 0),
            "entities_by_class": {cls: counts.get(cls, 0) for cls in ENTITY_CLASSES},
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
    def entity(self, path: str, *, mentions_page: int = 1, claims_page: int = 1) -> dict[str, Any]:
        """An entity page: its description, roles, events and neighbourhood, and one page of its
        claims (newest first) and of its mentions (most recent articles first).

        Raises:
            NotFound: no such entity, or no such page of its claims or mentions.
        """
        node = self.entity_iri(path)
        iri = node.value
        facts = self.facts
        classes, labels, aliases, wikidata = set(), set(), set(), set()
        found: dict[str, Any] = {}
        for name, o in facts.description(iri):
            if name == "type" and self.class_name(o) in ENTITY_CLASSES:
                classes.add(self.class_name(o))
            elif name == "label":
                labels.add(o)
            elif name == "altLabel":
                aliases.add(o)
            elif name == "exactMatch":
                wikidata.add(o)
            elif name in {"prefLabel", "mentionCount", "articleCount", "linkConfidence", "asWKT"}:
                found[name] = o
        if not classes and not labels:
            raise NotFound(f"no entity <{node.value}> in the store")
        roles = [{
            "holder": self._entity_ref(r["holder"], r["holderLabel"]), "title": r["title"],
            "organization": self._entity_ref(r["organization"], r["organizationLabel"]) if r["organization"] else None,
            "article": r["article"], "article_path": self.article_path(r["article"]), "sentence": r["sentence"],
        } for r in facts.roles(iri)]
        claims = self._claims_in_order(facts.claims(iri))
        claims_shown, claims_pages = _page(claims, claims_page, self.claims_per_page, "claims")
        index = self.article_index()

        def recent_first(mention: Mention) -> tuple:
            article_id, date, _ = index.get(mention.graph, ("", None, None))
            return (str(date or ""), article_id, -mention.begin, -mention.end)
        mentions = sorted(facts.mentions(iri), key=recent_first, reverse=True)
        mentions_shown, mentions_pages = _page(mentions, mentions_page, self.mentions_per_page, "mentions")
        label = found.get("prefLabel") or (min(labels) if labels else short_name(iri))
        by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for claim in map(self._claim, claims_shown):
            by_date[claim["date"] or ""].append(claim)
        return {
            "iri": iri,
            "path": self.entity_path(iri),
            "label": label,
            "classes": sorted(classes, key=ENTITY_CLASSES.index),
            "labels": sorted(labels),
            "aliases": sorted(aliases - labels),
            "wikidata": sorted(wikidata),
            "link_confidence": found.get("linkConfidence"),
            "mention_count": found.get("mentionCount"),
            "article_count": found.get("articleCount"),
            "point": parse_point(found.get("asWKT")),
            "roles": roles,
            "events": self._events(facts.events(iri)),
            "claims_by_date": [{"date": d or None, "claims": by_date[d]} for d in by_date],
            "claims_total": len(claims),
            "claims_page": claims_page,
            "claims_pages": claims_pages,
            "claims_truncated": claims_page < claims_pages,
            "mentions": [self._mention(m) for m in mentions_shown],
            "mentions_total": len(mentions),
            "mentions_page": mentions_page,
            "mentions_pages": mentions_pages,
            "mentions_truncated": mentions_page < mentions_pages,
            "neighbours": self._neighbours(facts.relations(iri), facts.comentions(iri)),
        }

    @staticmethod
    def _first(values: list[Any] | None) -> Any:
        """One value of a property: the least, so that every way of reading the store shows the same."""
        if not values:
            return None
        return values[0] if len(values) == 1 else min(values, key=lambda v: (str(type(v)), str(v)))

    def _events(self, described: Iterable[Described]) -> list[dict[str, Any]]:
        events = []
        for event in described:
            kinds = sorted(k for k in (self.class_name(t) for t in event.props.get("type", [])) if k in EVENT_KINDS)
            if not kinds:
                continue
            first = {k: self._first(v) for k, v in event.props.items()}
            events.append({
                "kind": kinds[0], "label": first.get("label"), "date": first.get("date"),
                "date_text": first.get("dateText"), "modality": first.get("modality"),
                "place": self.ref(first.get("place")), "sentence": first.get("anchorOf"),
                "iri": event.node, **self.article_of(event.graph),
            })
        return sorted(events, key=lambda e: (e["date"] is None, str(e["date"] or ""), e["article"], e["iri"]))

    def _claims_in_order(self, described: Iterable[tuple[Described, bool]]) -> list[tuple[Described, bool]]:
        """The claims, newest first (the undated last); only those shown become records."""
        def key(claim: tuple[Described, bool]) -> tuple[str, str, str]:
            node, graph, props = claim[0]
            return (str(self._first(props.get("date")) or ""), self.article_id(graph), node)
        order = sorted(described, key=key, reverse=True)
        return [c for c in order if c[0].props.get("date")] + [c for c in order if not c[0].props.get("date")]

    def _claim(self, described: tuple[Described, bool]) -> dict[str, Any]:
        claim, made = described
        first = {k: self._first(v) for k, v in claim.props.items()}
        return {
            "made": made, "speaker": self.ref(first.get("speaker")),
            "source": self.ref(first.get("source")), "cue": first.get("cue"), "content": first["content"],
            "date": first.get("date"), "modality": first.get("modality"), "negated": bool(first.get("negated")),
            "iri": claim.node, **self.article_of(claim.graph),
        }

    def _mention(self, mention: Mention) -> dict[str, Any]:
        anchor, begin, sentence = mention.anchor, mention.begin, mention.sentence
        start = begin - mention.sentence_begin
        if not (0 <= start <= len(sentence) - len(anchor)) or sentence[start:start + len(anchor)] != anchor:
            start = sentence.find(anchor)
        parts = [sentence, "", ""] if start < 0 else [
            sentence[:start], sentence[start:start + len(anchor)], sentence[start + len(anchor):]]
        info = self.article_of(mention.graph)
        return {
            "article": info["article"], "article_path": info["article_path"], "date": info["article_date"],
            "title": info["title"], "anchor": anchor, "begin": begin, "end": mention.end,
            "before": parts[0], "words": parts[1], "after": parts[2],
        }

    def _neighbours(self, relations: Iterable[Relation], comentions: Mapping[str, int]) -> list[dict[str, Any]]:
        """The entities drawn around one: related first, then by sentences shared, then by label
        (only those drawn are looked up in full)."""
        linked: dict[str, list[str]] = defaultdict(list)
        for relation in relations:
            name = short_name(relation.relation)
            linked[relation.other].append(name if relation.outgoing else f"{name} (inverse)")
        labels = self.labels()

        def rank(other: str) -> tuple[bool, int, str, str]:
            label = labels[other][0] if other in labels else short_name(other)
            return (other not in linked, -comentions.get(other, 0), label, other)
        drawn = sorted({*linked, *comentions}, key=rank)[:NEIGHBOURS_SHOWN]
        return [{**self.ref(other), "relations": sorted(linked.get(other, [])),  # type: ignore[dict-item]
                 "sentences": comentions.get(other, 0)} for other in drawn]

    def warm(self) -> None:
        """Read the tables of labels and articles now, and the facts of every entity page
        (:class:`kg.serve.facts.EntityDigest`): a server over a store that cannot change does so
        at start, and its entity pages then ask the store only for the entity's description."""
        if self.frozen:
            self.labels()
            self.article_index()
            self.facts = EntityDigest.read(self.store, timeout=None)

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
        for graph, item, kind_t, date, text, who in self._query("page-timeline").rows:
            name = self.class_name(kind_t.value)
            if name not in EVENT_KINDS and name != "Claim":
                continue
            key = (item.value, graph.value)
            if key in items:
                continue
            items[key] = {
                "date": value(date), "month": str(value(date))[:7], "kind": name, "text": value(text),
                "who": self.ref(who.value if who is not None else None), **self.article_of(graph.value),
            }
        everything = sorted(items.values(), key=lambda i: (str(i["date"]), i["kind"], i["article"]))
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


def _page(items: list[Any], number: int, size: int, what: str) -> tuple[list[Any], int]:
    """Page ``number`` (from 1) of ``items``, ``size`` a page, and how many pages there are (at least one).

    Raises:
        NotFound: there is no such page.
    """
    pages = max(1, -(-len(items) // size))
    if not 1 <= number <= pages:
        raise NotFound(f"no page {number} of {what}: there {'is' if pages == 1 else 'are'} {pages}")
    return items[(number - 1) * size: number * size], pages


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
