"""Meetings and summits, with their participants, place and date.

Built from the frames of the ``gathering`` patterns (``data/rules/patterns.toml``: "X met Y in Z",
"X will visit Z", "the summit in Z", "talks with Y", "X held talks in Z"). A meeting of leaders (a
summit noun, or "leaders" meeting) is a ``Summit``, any other a ``Meeting``. A meeting needs a
place, a date or two participants: "the criteria were met" meets no one.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.model import EntityClass, EventKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.patterns import Frame
from kg.pipeline.relations.words import ARRIVAL_PREPOSITIONS, ARRIVAL_VERBS, LEADER_NOUNS, SUMMIT_NOUNS, VISIT_VERBS

__all__ = ["build_gathering"]


def build_gathering(ctx: Context, frame: Frame) -> None:
    trigger = frame.trigger
    modality = ctx.asserted(trigger)
    if modality is None:
        return
    participants = [k for k in frame.keys("participants") + frame.keys("visited") if ctx.cls(k) != EntityClass.PLACE]
    place = next((k for k in frame.keys("place") if k not in participants), None)
    governor, _ = ctx.parse.governor(trigger)
    date = ctx.date_for(trigger) or (ctx.date_for(governor) if governor is not None else None) \
        or ctx.governing_date(trigger) or _date_of_the_clause_on(ctx, trigger) or ctx.claim_date_of(trigger) \
        or ctx.trailing_date(trigger)
    if place is None and date is None and len(participants) < 2:
        return
    if trigger.pos_ in {"VERB", "AUX"} and not participants:
        return  # "the targets were met last year": no one meets anyone
    if place is None and participants:
        place = _whereabouts(ctx, trigger, participants)
    if place is None and frame.pattern.hosted:
        # "On 29 November Kim received Andrei Belousov": a guest is received in the host's state
        place = next((s for s in map(ctx.state_of_leader, frame.keys("participants")) if s is not None), None)
    subjects = ctx.parse.subjects(trigger) or (ctx.parse.subjects(governor) if governor is not None else [])
    leaders = any(s.lemma_.lower() in LEADER_NOUNS for s in subjects)
    kind = EventKind.SUMMIT if trigger.lower_ in SUMMIT_NOUNS or leaders else EventKind.MEETING
    confidence = frame.pattern.confidence if place is not None else frame.pattern.confidence - 0.15
    ctx.event(kind, trigger, confidence, participants=tuple(participants), place=place, date=date,
              modality=modality)


def _date_of_the_clause_on(ctx: Context, trigger: Token):  # type: ignore[no-untyped-def]
    """The date of the verb a participle clause without a subject of its own is on ("Meeting in
    Fiuggi, the ministers condemned on 26 November ..."): the meeting is when they spoke."""
    head = trigger.head
    if trigger.dep_ != "advcl" or trigger.tag_ not in ("VBG", "VBN") or head.pos_ not in ("VERB", "AUX") \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
        return None
    return ctx.date_for(head)


def _whereabouts(ctx: Context, trigger: Token, participants: list[str]) -> str | None:
    """Where a participant was, for a meeting told without its place: the sentence before it in
    its paragraph put them there ("X was in Moscow. She held talks with Y on 1 November"; "X
    arrived in Vienna on Sunday. The next day he met Y"): a participant is the subject of a verb of
    being or arriving (``ARRIVAL_VERBS``) with a place ``ARRIVAL_PREPOSITIONS`` it, or who visited it."""
    earlier = ctx.paragraph_before(trigger)
    if not earlier:
        return None  # the paragraph's first sentence
    before = earlier[-1]
    for verb in (t for t in before if t.lemma_.lower() in ARRIVAL_VERBS):
        subjects = ctx.parse.subjects(verb)
        subjects += [a for s in subjects for a in s.children if a.dep_ == "appos"]  # "his superior, X, was in"
        if not any(ctx.actor(s) in participants for s in subjects):
            continue
        objects = ctx.parse.objects(verb) if verb.lemma_.lower() in VISIT_VERBS else []
        for word in ctx.parse.oblique(verb, ARRIVAL_PREPOSITIONS) + objects:
            key = ctx.key_of(word)
            if key is not None and ctx.cls(key) in (EntityClass.PLACE, EntityClass.STATE) and key not in participants:
                return key
    return None

