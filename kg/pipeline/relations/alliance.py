"""``alliance`` between two sides, and agreement events.

``alliance/pact/cooperation between X and Y``, ``X-Y ties``, ``X and Y signed a treaty``,
``fight alongside``, ``on the side of``, ``consider X an ally``, ``X supports Y``; ``X between A
and B`` names an alliance or a conflict by its noun (:func:`find_between`).
"""

from __future__ import annotations

from itertools import combinations

from spacy.tokens import Token

from kg.pipeline.relations.conflict import clash
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.tree import governing_verb
from kg.pipeline.relations.words import (
    ACTOR_CLASSES,
    AGREEMENT_NOUNS,
    ALLIANCE_NOUNS,
    ALLY_NOUNS,
    ALLY_VERBS,
    ALONGSIDE,
    CLASH_NOUNS,
    CONFIDENCE,
    CONFLICT_NOUNS,
    FIGHT_ALONGSIDE_VERBS,
    NOT_ALLIANCES,
    PLACE_PREPOSITIONS,
    REGARD_VERBS,
    SIDE_NOUN,
    SIDE_ON,
    SIGNING_PLACE_PREPOSITIONS,
    SIGNING_VERBS,
    SUPPORT_VERBS,
    WEAK_BONDS,
)

C_AGREEMENT = CONFIDENCE.table("agreement")
C_ALLIANCE = CONFIDENCE.table("alliance")
C_CONFLICT = CONFIDENCE.table("conflict")



def find_alliance(ctx: Context, tok: Token) -> None:
    lemma = tok.lemma_.lower()
    if tok.pos_ in {"NOUN", "PROPN"} and (tok.lower_ in ALLIANCE_NOUNS or lemma in ALLIANCE_NOUNS):
        actors: list[str] = []
        for child in tok.children:
            if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                for t in child.subtree:
                    key = ctx.entity(t) or ctx.demonym(t)
                    if key and ctx.cls(key) in ACTOR_CLASSES:
                        actors.append(key)
            if child.dep_ == "prep" and child.lower_ == "with":
                pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                key = ctx.actor(pobj)
                if key:
                    actors.append(key)
                    if not any(c.dep_ == "poss" for c in tok.children):
                        gov = governing_verb(tok)
                        other = ctx.actor(ctx.subject_of(gov)) if gov is not None else None
                        if other:
                            actors.append(other)
        # "Russia and North Korea signed the treaty"
        verb = tok.head if tok.dep_ == "dobj" else None
        if verb is not None and verb.lemma_.lower() in SIGNING_VERBS:
            subj = ctx.subject_of(verb)
            if subj is not None:
                actors.extend(k for k in (ctx.actor(subj), *[ctx.actor(c) for c in subj.conjuncts]) if k)
        actors = list(dict.fromkeys(a for a in actors if a))
        pairs = [(a, b) for a, b in combinations(actors, 2) if ctx.sides(a, b)]
        if lemma not in NOT_ALLIANCES:
            for a, b in pairs:
                ctx.relation("alliance", a, b, tok, C_ALLIANCE.number("noun") if lemma not in WEAK_BONDS else C_ALLIANCE.number("weak_bond"))
        if tok.lower_ in AGREEMENT_NOUNS or lemma in AGREEMENT_NOUNS:
            agreement(ctx, tok, actors)
        return
    if tok.pos_ != "VERB":
        return
    subj_key = ctx.actor(ctx.subject_of(tok))
    for child in tok.children:
        if child.dep_ != "prep":
            continue
        pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
        if pobj is None:
            continue
        other = None
        if child.lower_ in ALONGSIDE or (child.lower_ == "with" and lemma in ALLY_VERBS):
            other = ctx.actor(pobj)
        elif child.lower_ in SIDE_ON and pobj.lower_ in SIDE_NOUN:
            of = next((c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            other = ctx.actor(next((p for p in of.children if p.dep_ == "pobj"), None)) if of else None
        if ctx.sides(subj_key, other):
            ctx.relation("alliance", subj_key, other, tok, C_ALLIANCE.number("alongside"))  # type: ignore[arg-type]
        if child.lower_ in ALONGSIDE and other and lemma in FIGHT_ALONGSIDE_VERBS:
            # "to fight alongside Russian troops in Ukraine": both fight the state they are in
            theatre = next((ctx.actor(p) for c in (*tok.children, *pobj.children)
                            if c.dep_ == "prep" and c.lower_ == "in"
                            for p in c.children if p.dep_ == "pobj" and ctx.cls(ctx.actor(p)) == "State"), None)
            for side in (other, subj_key):
                if theatre and side and ctx.sides(side, theatre):
                    ctx.relation("conflict", side, theatre, tok, C_CONFLICT.number("alongside_theatre"))
    if lemma in SUPPORT_VERBS:
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        other = ctx.actor(obj)
        if ctx.sides(subj_key, other):
            ctx.relation("alliance", subj_key, other, tok, C_ALLIANCE.number("support"))  # type: ignore[arg-type]
    if lemma in REGARD_VERBS:
        ally = next((t for t in tok.subtree if t.lower_ in ALLY_NOUNS and t.i > tok.i), None)
        if ally is not None:
            target = next((ctx.actor(c) for c in tok.children if c.dep_ in {"dobj", "dative", "oprd"} and ctx.actor(c)), None)
            if target is None and ally.dep_ == "appos":
                target = ctx.actor(ally.head)
            if ctx.sides(subj_key, target):
                ctx.relation("alliance", subj_key, target, tok, C_ALLIANCE.number("regard"))  # type: ignore[arg-type]


def agreement(ctx: Context, noun: Token, actors: list[str]) -> None:
    acl = next((c for c in noun.children if c.dep_ == "acl"), None)
    date = ctx.date_for(noun) or (ctx.date_for(acl) if acl is not None else None)
    if date is None and noun.dep_ == "dobj" and noun.head.lemma_.lower() in SIGNING_VERBS:
        acl = noun.head
        date = ctx.date_for(acl)
    place_tok = ctx.place(acl, SIGNING_PLACE_PREPOSITIONS) if acl is not None else None
    if place_tok is None:
        place_tok = ctx.place(noun, PLACE_PREPOSITIONS, depth=1)
    if not actors:
        actors = [
            k for r, _ in ctx.relations if r.kind == "alliance" and r.sentence == ctx.sentence(noun)
            for k in (r.subject, r.object)
        ]
    if not actors and date is None:
        return
    for existing, _ in ctx.events:
        if existing.kind == "Agreement" and set(existing.participants) == set(actors) and date is None:
            return  # the same pact spoken of again
    gov = noun.head if noun.dep_ in {"dobj", "pobj"} else None
    ctx.event(
        "Agreement", noun, C_AGREEMENT.number("dated") if date else C_AGREEMENT.number("undated"), participants=tuple(dict.fromkeys(actors)),
        place=ctx.entity(place_tok) if place_tok is not None else None, date=date,
        modality=ctx.modality(gov) if gov is not None and gov.pos_ == "VERB" else "asserted",
    )  # fmt: skip


def find_between(ctx: Context) -> None:
    """``X between A and B``: alliances, conflicts and clashes named by the noun."""
    doc = ctx.doc
    for tokens in ctx.matches.get("BETWEEN", []):
        noun, first = doc[tokens[0]], doc[tokens[2]]
        if ctx.is_negated(noun):
            continue
        low = noun.lower_
        actors: list[str] = []
        for t in first.subtree:
            key = ctx.entity(t) or (ctx.demonym(t) if t.pos_ in {"ADJ", "PROPN"} else None)
            if key and ctx.cls(key) in ACTOR_CLASSES:
                actors.append(key)
        actors = list(dict.fromkeys(actors))
        if len(actors) < 2:
            continue
        a, b = actors[0], actors[1]
        if not ctx.sides(a, b):
            continue
        if low in ALLIANCE_NOUNS or noun.lemma_.lower() in ALLIANCE_NOUNS:
            ctx.relation("alliance", a, b, noun, C_ALLIANCE.number("between"))
            if low in AGREEMENT_NOUNS:
                agreement(ctx, noun, [a, b])
        elif low in CONFLICT_NOUNS:
            ctx.relation("conflict", a, b, noun, C_CONFLICT.number("between"))
            if low in CLASH_NOUNS:
                clash(ctx, noun, (a, b))
