"""Deployments and troop transfers: troops sent to, moving to or present in a place.

Transfer verbs (``send``, ``deploy``, ``transport``) with troops as object, motion and
presence verbs with troops as subject (``heading to``, ``arrived in``, ``stationed in``,
``are in``), and use verbs (``use X in Y``).
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.pipeline.relations.context import Context
from kg.pipeline.relations.words import (
    CASUALTY_VERBS,
    CONFIDENCE,
    DESTINATION_PREPOSITIONS,
    LOCATION_PREPOSITIONS,
    MOTION_VERBS,
    NEAR_PREPOSITIONS,
    PLURAL_PRONOUNS,
    PRESENCE_VERBS,
    PURPOSE_PREPOSITIONS,
    TRANSFER_VERBS,
    USE_VERBS,
)

C_DEPLOYMENT = CONFIDENCE.table("deployment")



def find_deployment(ctx: Context, verb: Token) -> None:
    lemma = verb.lemma_.lower()
    if verb.pos_ not in {"VERB", "AUX"}:
        return
    if lemma not in TRANSFER_VERBS | MOTION_VERBS | PRESENCE_VERBS | USE_VERBS:
        return
    subj = ctx.subject_of(verb)
    passive = subj is not None and subj.dep_ == "nsubjpass"
    obj = next((c for c in verb.children if c.dep_ in {"dobj"}), None)
    dest = ctx.place(verb, DESTINATION_PREPOSITIONS, depth=1)
    where = ctx.place(verb, LOCATION_PREPOSITIONS)
    count_tok: Token | None = None
    agent = unit = None
    sender: str | None = None
    user: str | None = None
    trigger_kind = ""
    if lemma in TRANSFER_VERBS and not passive and obj is not None and ctx.is_troops(obj):
        sender = ctx.actor(subj)
        unit = ctx.actor(obj) or (ctx.unit_for(sender) if sender and ctx.cls(sender) == "State" else None)
        if unit == sender:
            unit = None
        count_tok = obj
        if dest is None:
            # "sending its men to fight alongside X in Ukraine": the purpose clause says where.
            for child in verb.children:
                if child.dep_ in {"advcl", "xcomp"}:
                    dest = ctx.place(child, PURPOSE_PREPOSITIONS) or dest
        trigger_kind = "transfer"
    elif lemma in USE_VERBS and not passive and obj is not None and ctx.is_troops(obj):
        user = ctx.actor(subj)
        unit = ctx.actor(obj)
        count_tok = obj
        where = where or ctx.place(obj, NEAR_PREPOSITIONS)
        trigger_kind = "use"
    elif (lemma in TRANSFER_VERBS | USE_VERBS and passive) or lemma in MOTION_VERBS | PRESENCE_VERBS:
        if subj is None or not ctx.is_troops(subj):
            return
        if dest is None and where is None and lemma in CASUALTY_VERBS:
            # "were killed after X bombed positions near Y": the clause saying when, says where
            for child in verb.children:
                if child.dep_ == "advcl":
                    where = ctx.place(child, NEAR_PREPOSITIONS) or _dobj_place(ctx, child)
        if lemma in PRESENCE_VERBS - MOTION_VERBS - TRANSFER_VERBS - USE_VERBS and dest is None and where is None:
            return
        unit = ctx.actor(subj)
        count_tok = subj
        agent_tok = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent_tok is not None and lemma in TRANSFER_VERBS | USE_VERBS:
            pobj = next((p for p in agent_tok.children if p.dep_ == "pobj"), None)
            by = ctx.actor(pobj)
            if by is not None and ctx.cls(by) == "State":
                if lemma in TRANSFER_VERBS:
                    sender = by
                else:
                    user = by
        trigger_kind = "motion"
    else:
        return
    # troops, senders and users act, places do not: "England's four representatives have
    # reached the knockout stages" or "the men from the Emerald Isle have been runners-up"
    # name a place (typed Place, not State) through a number or a troop-like noun
    unit, sender, user = (None if key is not None and ctx.cls(key) == "Place" else key
                          for key in (unit, sender, user))
    if unit is None and sender is None:
        return
    place_tok = dest or where
    place = ctx.entity(place_tok) if place_tok is not None else None
    if place is not None and place in {unit, sender}:
        place = None
    if place is None and trigger_kind != "use" and unit is None:
        return
    if sender and place and ctx.cls(sender) == "State" and ctx.cls(place) == "State" and sender != place:
        kind, agent = "TroopTransfer", sender
    else:
        kind, agent = "Deployment", unit or sender
    participants = tuple(dict.fromkeys(k for k in (agent, unit, sender, user, place) if k))
    count = ctx.count_of(count_tok)
    conf = C_DEPLOYMENT.number("with_place") if place else C_DEPLOYMENT.number("without_place")
    if count_tok is not None and count_tok.lower_ in PLURAL_PRONOUNS:
        conf -= C_DEPLOYMENT.number("pronoun_penalty")
    ctx.event(
        kind, verb, conf, participants=participants, agent=agent, place=place,
        date=ctx.date_for(verb), count=count, modality=ctx.modality(verb),
    )  # fmt: skip


def _dobj_place(ctx: Context, verb: Token) -> Token | None:
    """``bombed territory near Donetsk``: a place hanging off the object."""
    for child in verb.children:
        if child.dep_ == "dobj":
            return ctx.place(child, NEAR_PREPOSITIONS)
    return None
