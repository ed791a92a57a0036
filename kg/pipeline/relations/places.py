"""``located_in``: a place lies in a state or region.

``P in/of S``, ``S's P``, ``City, Country``.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan

from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    CONFIDENCE,
    CONTAINMENT_PREPOSITIONS,
    LIST_CONJUNCTIONS,
    PLACE_CLASSES,
)

C_LOCATED = CONFIDENCE.table("located_in")



def find_located_in(ctx: Context, sent: SpacySpan) -> None:
    doc = ctx.doc
    for span, m in ctx.by_sentence.get(sent.start, ()):
        if ctx.cls(m.entity) != "Place":
            continue
        root = span.root
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in CONTAINMENT_PREPOSITIONS:
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                hit = ctx.place_token(pobj) if pobj is not None else None
                if hit is not None:
                    ctx.relation("located_in", m.entity, ctx.entity(hit), root, C_LOCATED.number("parse"))
            if child.dep_ == "poss":
                key = ctx.entity(child)
                if key and ctx.cls(key) in PLACE_CLASSES:
                    ctx.relation("located_in", m.entity, key, root, C_LOCATED.number("parse"))
        # "the Kursk region in western Russia" with "in" attached elsewhere by the parser.
        k = span.end
        if k < sent.end and doc[k].lower_ in CONTAINMENT_PREPOSITIONS:
            k += 1
            while k < sent.end and doc[k].pos_ in {"DET", "ADJ"} and ctx.entity(doc[k]) is None:
                k += 1
            key = ctx.entity(doc[k]) if k < sent.end else None
            if key and key != m.entity and ctx.cls(key) in PLACE_CLASSES:
                ctx.relation("located_in", m.entity, key, root, C_LOCATED.number("adjacent"))
        # "Budapest, Hungary": a place, a comma, then a state/place and no conjunction.
        after = span.end
        if after + 1 < sent.end and doc[after].text == ",":
            nxt = ctx.entity(doc[after + 1])
            bounds = ctx.mention_tokens(doc[after + 1]) if nxt else None
            if nxt and nxt != m.entity and ctx.cls(nxt) in PLACE_CLASSES and bounds:
                tail = doc[bounds[1]] if bounds[1] < sent.end else None
                listy = tail is not None and (tail.lower_ in LIST_CONJUNCTIONS or (tail.text == "," and bounds[1] + 1 < sent.end and ctx.entity(doc[bounds[1] + 1])))
                if not listy:
                    ctx.relation("located_in", m.entity, nxt, root, C_LOCATED.number("comma"))
    # "Russia's Far East" may come as one Place mention containing the state.
    for span, m in ctx.by_sentence.get(sent.start, ()):
        if ctx.cls(m.entity) != "Place":
            continue
        for tok in span:
            if tok.dep_ == "poss" and tok.head.i >= span.start:
                key = ctx.demonym(tok) or _state_by_text(ctx, tok.text)
                if key and key != m.entity:
                    ctx.relation("located_in", m.entity, key, span.root, C_LOCATED.number("inside_name"))


def _state_by_text(ctx: Context, text: str) -> str | None:
    return ctx.state_names.get(text.lower())
