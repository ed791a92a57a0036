"""Meetings and summits, with participants, place and date.

``summit``/``meeting``/``talks`` nouns and ``meet`` verbs.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.pipeline.relations.context import Context
from kg.pipeline.relations.tree import governing_verb
from kg.pipeline.relations.words import (
    ACTOR_CLASSES,
    CONFIDENCE,
    LEADER_NOUNS,
    MEET,
    MEETING_NOUNS,
    MEETING_VERBS,
    PARTICIPANT_PREPOSITIONS,
    PLACE_PREPOSITIONS,
    SUMMIT_NOUNS,
)

C_GATHERING = CONFIDENCE.table("gathering")



def find_gathering(ctx: Context, tok: Token) -> None:
    low = tok.lower_
    if tok.pos_ in {"NOUN", "PROPN"} and (low in SUMMIT_NOUNS or low in MEETING_NOUNS):
        gov = governing_verb(tok)
        if gov is not None and gov.lemma_.lower() in MEET and tok in gov.subtree:
            return  # the verb's event covers it
        kind = "Summit" if low in SUMMIT_NOUNS else "Meeting"
        participants: list[str] = []
        for child in tok.children:
            if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                key = ctx.entity(child) or ctx.demonym(child)
                if key and ctx.cls(key) in ACTOR_CLASSES | {"Person"}:
                    participants.append(key)
            if child.dep_ == "prep" and child.lower_ in PARTICIPANT_PREPOSITIONS:
                for t in child.subtree:
                    key = ctx.entity(t)
                    if key and ctx.cls(key) in ACTOR_CLASSES | {"Person"}:
                        participants.append(key)
        place_tok = ctx.place(tok, PLACE_PREPOSITIONS)
        date = ctx.date_for(tok) or ctx.governing_date(tok) or ctx.claim_date_of(tok)
        if place_tok is None and date is None:
            return
        ctx.event(
            kind, tok, C_GATHERING.number("noun_with_place") if place_tok is not None else C_GATHERING.number("noun_without_place"),
            participants=tuple(dict.fromkeys(participants)),
            place=ctx.entity(place_tok) if place_tok is not None else None, date=date,
            modality=ctx.modality(gov) if gov is not None else "asserted",
        )  # fmt: skip
    elif tok.pos_ == "VERB" and tok.lemma_.lower() in MEETING_VERBS:
        participants = []
        subj = ctx.subject_of(tok)
        if subj is not None:
            for t in subj.subtree:
                key = ctx.entity(t)
                if key and ctx.cls(key) in ACTOR_CLASSES | {"Person"}:
                    participants.append(key)
        for child in tok.children:
            target = child if child.dep_ == "dobj" else None
            if child.dep_ == "prep" and child.lower_ == "with":
                target = next((p for p in child.children if p.dep_ == "pobj"), None)
            if target is not None:
                for t in (target, *target.conjuncts):
                    key = ctx.actor(t)
                    if key and ctx.cls(key) in ACTOR_CLASSES | {"Person"}:
                        participants.append(key)
        place_tok = ctx.place(tok, PLACE_PREPOSITIONS, depth=1)
        if place_tok is None and (tok.lemma_.lower() not in MEET or not participants):
            return  # "meet demand", "the criteria had to be met": no one meets anyone anywhere
        leaders = subj is not None and subj.lemma_.lower() in LEADER_NOUNS
        kind = "Summit" if leaders or any(t.lower_ in SUMMIT_NOUNS for t in tok.subtree) else "Meeting"
        ctx.event(
            kind, tok, C_GATHERING.number("verb_with_place") if place_tok is not None else C_GATHERING.number("verb_without_place"),
            participants=tuple(dict.fromkeys(participants)),
            place=ctx.entity(place_tok) if place_tok is not None else None,
            date=ctx.date_for(tok), modality=ctx.modality(tok),
        )  # fmt: skip
