"""``located_in``: a place lies in a state or region, as the text says.

"P in S" and "P of S" (the phrase attached to the place, or right after it when the parser hung
it elsewhere: "the Kursk region in western Russia"), "S's P", "P, S" ("Budapest, Hungary", not a
list), "P, in S,", "P, the capital of S", "the S-ian city of P", and a state or place named inside
the place's own name ("Russia's Far East", "southern Iraq"). A phrase shared by coordinated places
holds for each: "Baghdad and Basra in Iraq", "the villages of A, B and C in the Kursk region". A
state's first-level division lies in the state when the text names it (the gazetteer knows whose
division it is).
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg.linking.gazetteer import REGION_KINDS, load_gazetteer
from kg.model import EntityClass, Mention, RelationKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    CONFIDENCE, CONTAINMENT_PREPOSITIONS, LIST_CONJUNCTIONS, PLACE_CLASSES, SETTLEMENT_HEADS,
)

__all__ = ["find_located_in"]

C_LOCATED = CONFIDENCE.table("located_in")


def _containers(ctx: Context, span: SpacySpan, key: str) -> list[tuple[str, float]]:
    doc, root = ctx.doc, span.root
    sent = root.sent
    found: list[tuple[str, float]] = []
    # "P in S": of several such phrases on a place in a list ("Dallas in the US, Bordeaux in
    # France"), the one right after it; a coordinated container only of the same class and
    # without a container of its own ("in France and Oporto in Portugal" gives no Oporto)
    preps = [c for c in root.children if c.dep_ == "prep" and c.lower_ in CONTAINMENT_PREPOSITIONS and c.i > root.i]
    if preps:
        prep = min(preps, key=lambda c: c.i)
        for obj in (c for c in prep.children if c.dep_ in {"pobj", "pcomp"}):
            target = ctx.place_of(obj)
            if target is None:
                continue
            found.append((target, C_LOCATED.number("parse")))
            for other in obj.conjuncts:
                has_own = any(c.dep_ == "prep" and c.lower_ in CONTAINMENT_PREPOSITIONS for c in other.children)
                extra = None if has_own else ctx.place_of(other)
                if extra is not None and ctx.cls(extra) == ctx.cls(target):
                    found.append((extra, C_LOCATED.number("parse")))
    # "the villages of A, B and C in the Kursk region": the phrase on the noun holds every name
    first = _coordinated(root)[0]
    noun = _settlement_of(first)
    if not preps and noun is not None:
        items = {t.i for t in _coordinated(first)}
        for word in ctx.parse.oblique(noun, CONTAINMENT_PREPOSITIONS - {"of"}):
            if word.i in items:
                continue
            target = ctx.place_of(word)
            if target is not None:
                found.append((target, C_LOCATED.number("parse")))
    # "the Russian city of Kazan", "Ukraine's city of Dnipro": the settlement noun's own state
    noun = _settlement_of(root)
    if noun is not None:
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod") and child.i < noun.i:
                target = ctx.demonym(child) or ctx.entity(child)
                if target is not None and ctx.cls(target) in PLACE_CLASSES:
                    found.append((target, C_LOCATED.number("parse")))
    for child in root.children:
        if child.dep_ == "poss":
            target = ctx.entity(child)
            if target and ctx.cls(target) in PLACE_CLASSES:
                found.append((target, C_LOCATED.number("parse")))
        if child.dep_ == "appos" and child.lemma_.lower() in SETTLEMENT_HEADS:  # "X, the capital of Y"
            for word in ctx.parse.oblique(child, CONTAINMENT_PREPOSITIONS):
                target = ctx.place_of(word)
                if target is not None:
                    found.append((target, C_LOCATED.number("comma")))
    k = span.end
    if not found and k < sent.end and doc[k].lower_ in CONTAINMENT_PREPOSITIONS:
        k += 1
        while k < sent.end and doc[k].pos_ in {"DET", "ADJ"} and ctx.entity(doc[k]) is None:
            k += 1
        target = ctx.entity(doc[k]) if k < sent.end else None
        if target and ctx.cls(target) in PLACE_CLASSES:
            found.append((target, C_LOCATED.number("adjacent")))
    after = span.end
    if not found and after + 2 < sent.end and doc[after].text == "," and doc[after + 1].lower_ == "in":
        # "Vladivostok, in Russia's Far East, …": a phrase set off by commas
        k = after + 2
        while k < sent.end and doc[k].pos_ in {"DET", "ADJ"} and ctx.entity(doc[k]) is None:
            k += 1
        bounds = ctx.mention_tokens(doc[k]) if k < sent.end else None
        target = ctx.entity(doc[k]) if bounds else None
        closed = bounds is not None and (bounds[1] >= sent.end - 1 or doc[bounds[1]].text == ",")
        if target and closed and ctx.cls(target) in PLACE_CLASSES:
            found.append((target, C_LOCATED.number("comma")))
    if after + 1 < sent.end and doc[after].text == ",":  # "Budapest, Hungary" but not a list
        nxt = ctx.entity(doc[after + 1])
        bounds = ctx.mention_tokens(doc[after + 1]) if nxt else None
        qualifies = bounds is not None and any(  # "…, U.S. Secretary of State X said": a state qualifying a noun
            t.dep_ in ("compound", "amod", "nmod", "poss") and t.head.i >= bounds[1] for t in doc[bounds[0]: bounds[1]])
        if nxt and ctx.cls(nxt) in PLACE_CLASSES and bounds and not qualifies:
            tail = doc[bounds[1]] if bounds[1] < sent.end else None
            listy = tail is not None and (tail.lower_ in LIST_CONJUNCTIONS or (
                tail.text == "," and bounds[1] + 1 < sent.end and ctx.entity(doc[bounds[1] + 1])))
            before = doc[span.start - 1] if span.start > sent.start else None
            listy = listy or (before is not None and before.text == "," and ctx.entity(doc[before.i - 1]) is not None)
            if not listy:
                found.append((nxt, C_LOCATED.number("comma")))
    for tok in span:  # "Russia's Far East" as one place mention holding its state
        if tok.dep_ == "poss" and tok.head.i >= span.start:
            target = ctx.demonym(tok) or ctx.state_names.get(tok.text.lower())
            if target:
                found.append((target, C_LOCATED.number("inside_name")))
    for inner, other in ctx.by_sentence.get(sent.start, ()):  # "southern Iraq" holds "Iraq"
        if (span.start <= inner.start and inner.end <= span.end and len(inner) < len(span)
                and ctx.cls(other.entity) in PLACE_CLASSES):
            found.append((other.entity, C_LOCATED.number("inside_name")))
    return [(t, c) for t, c in found if t != key]


def _settlement_of(tok: Token) -> Token | None:
    """The settlement noun whose "of" phrase ``tok`` is ("the city of X", "the villages of X")."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in SETTLEMENT_HEADS:
        return tok.head.head
    return None


def _coordinated(root: Token) -> list[Token]:
    first = root
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    return [first, *first.conjuncts]


def find_located_in(ctx: Context) -> None:
    places = [(span, m) for span, m in ctx.mentions if ctx.cls(m.entity) == EntityClass.PLACE]
    containers = {id(m): _containers(ctx, span, m.entity) for span, m in places}
    by_root = {span.root.i: (span, m) for span, m in places}
    for span, m in places:
        found = containers[id(m)]
        if not found:  # a phrase shared by coordinated places: "Baghdad and Basra in Iraq"
            group = [by_root.get(t.i) for t in _coordinated(span.root)]
            if len(group) > 1 and all(g is not None for g in group):
                shared = [c for g in group for c in containers[id(g[1])]]  # type: ignore[index]
                found = [(t, c) for t, c in shared if t != m.entity]
        for target, confidence in found:
            ctx.relation(RelationKind.LOCATED_IN, m.entity, target, span.root, confidence)
    _regions_of_named_states(ctx, places)


def _regions_of_named_states(ctx: Context, places: list[tuple[SpacySpan, Mention]]) -> None:
    """A region (a state's first-level division, by the gazetteer) lies in its state when the
    text names that state and puts the region in nothing else ("the Kursk region", in a story
    naming Russia): a division belongs to one state, whatever the sentence says."""
    placed = {r.subject for r, _ in ctx.relations if r.kind == RelationKind.LOCATED_IN}
    gazetteer = load_gazetteer()
    for span, m in places:
        key = m.entity
        if key in placed or not key.startswith("Q"):
            continue
        entry = gazetteer.get(key)
        if entry is None or entry.kind not in REGION_KINDS or entry.country_qid not in ctx.named:
            continue
        if ctx.cls(entry.country_qid) == EntityClass.STATE:
            placed.add(key)
            ctx.relation(RelationKind.LOCATED_IN, key, entry.country_qid, span.root, C_LOCATED.number("region_of_state"))
