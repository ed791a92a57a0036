"""``conflict`` between two sides, and clash events.

``fight against``, ``attack Y``, ``X's war against Y``; a Clash event when the words name a
clash or a battle, or the fighting has a place or a date.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    AGAINST,
    CLASH_NOUNS,
    CLASH_PLACE_PREPOSITIONS,
    CLASH_VERBS,
    CONFIDENCE,
    CONFLICT_NOUNS,
    CONFLICT_VERBS,
    NOUN_AGAINST,
    OBJECTLESS_CONFLICT_VERBS,
    VERB_PLACE_PREPOSITIONS,
    WITH_CONFLICT_VERBS,
)

C_CLASH = CONFIDENCE.table("clash")
C_CONFLICT = CONFIDENCE.table("conflict")



def find_conflict(ctx: Context, tok: Token) -> None:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in CONFLICT_VERBS:
        a = ctx.actor(ctx.subject_of(tok))
        b = None
        for child in tok.children:
            if child.dep_ == "dobj" and lemma not in OBJECTLESS_CONFLICT_VERBS:
                b = ctx.actor(child)
            if child.dep_ == "prep" and child.lower_ in AGAINST or (child.dep_ == "prep" and child.lower_ == "with" and lemma in WITH_CONFLICT_VERBS):
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                b = ctx.actor(pobj) or b
        if ctx.sides(a, b):
            ctx.relation("conflict", a, b, tok, C_CONFLICT.number("verb"))  # type: ignore[arg-type]
            if lemma in CLASH_VERBS or ctx.date_for(tok) or ctx.place(tok, VERB_PLACE_PREPOSITIONS):
                clash(ctx, tok, (a, b))  # type: ignore[arg-type]
    elif tok.pos_ in {"NOUN", "PROPN"} and tok.lower_ in CONFLICT_NOUNS:
        b = None
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in NOUN_AGAINST:
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                b = ctx.actor(pobj)
        if b is None:
            return
        sides: list[str] = []
        for child in tok.children:
            if child.dep_ in {"poss", "amod", "compound"}:
                key = ctx.entity(child) or ctx.demonym(child)
                if key:
                    sides.append(key)
        gov = tok.head
        if tok.dep_ == "pobj":
            prep = tok.head
            gov = prep.head
        if tok.dep_ in {"dobj", "pobj"} and gov.pos_ in {"VERB", "AUX"}:
            sides.append(ctx.actor(ctx.subject_of(gov)) or "")
            obj = next((c for c in gov.children if c.dep_ == "dobj" and c != tok), None)
            if obj is not None and ctx.is_troops(obj):
                sides.append(ctx.actor(obj) or "")
        elif tok.dep_ == "pobj" and gov.pos_ == "NOUN":
            # "participation of X in the war against Y"
            for child in gov.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    sides.append(ctx.actor(next((p for p in child.children if p.dep_ == "pobj"), None)) or "")
        for a in dict.fromkeys(s for s in sides if s):
            if ctx.sides(a, b):
                ctx.relation("conflict", a, b, tok, C_CONFLICT.number("noun"))
                if tok.lower_ in CLASH_NOUNS:
                    clash(ctx, tok, (a, b))


def clash(ctx: Context, trigger: Token, sides: tuple[str, ...]) -> None:
    place_tok = ctx.place(trigger, CLASH_PLACE_PREPOSITIONS)
    date = ctx.date_for(trigger) or ctx.governing_date(trigger)
    ctx.event(
        "Clash", trigger, C_CLASH.number("with_place_or_date") if place_tok is not None or date else C_CLASH.number("bare"), participants=tuple(sides),
        place=ctx.entity(place_tok) if place_tok is not None else None, date=date,
        modality=ctx.modality(trigger),
    )  # fmt: skip
