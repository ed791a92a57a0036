"""Deployments and troop transfers: troops sent to, moving to or present in a place; sightings.

Built from the frames of the ``deployment`` and ``sighting`` patterns (``data/rules/patterns.toml``:
"sent troops to", "troops were sent", "troops arrived in", "the troops in Iraq", "uses troops in",
"has troops in", "troops were seen near"). A transfer from one state to another is a
``TroopTransfer``; anything else a ``Deployment``; troops seen somewhere a ``Sighting``. The troops
of an unnamed phrase ("sent 3,000 troops") are the sender's armed forces.
"""

from __future__ import annotations

from kg.model import EntityClass, EventKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.patterns import Filler, Frame, coordinated_keys
from kg.pipeline.relations.words import CONFIDENCE, PLURAL_PRONOUNS, VEHICLE_NOUNS

__all__ = ["build_deployment", "build_sighting"]

C_DEPLOYMENT = CONFIDENCE.table("deployment")
_PLACE_SLOTS = ("destination", "location", "origin", "purpose")
"""The slots that say where troops go or are, in order of preference."""


def build_deployment(ctx: Context, frame: Frame) -> None:
    trigger = frame.trigger
    modality = ctx.asserted(trigger)
    if modality is None:
        return
    users = frame.keys("user")
    # "carried by Russian navy ships": the ships' owner did not send the troops
    senders = [f.key for f in frame.slots.get("sender", []) if f.key is not None
               and ctx.parse.head_noun(f.token).lemma_.lower() not in VEHICLE_NOUNS]
    senders = list(dict.fromkeys(senders)) or users or [None]
    fillers = frame.slots.get("troops") or []
    for sender in senders:
        for troops in dict.fromkeys(fillers, None) if fillers else [None]:
            _deploy(ctx, frame, modality, sender, troops, uses=bool(users))


def _deploy(ctx: Context, frame: Frame, modality: str, sender: str | None, troops: Filler | None, *,
            uses: bool = False) -> None:
    """One deployment of one force (a state that uses troops does not send them: no transfer)."""
    trigger = frame.trigger
    unit = (troops.key or ctx.unit_of(troops.token, sender)) if troops is not None else None
    if unit is not None and ctx.cls(unit) == EntityClass.PLACE:
        unit = None  # a place's "representatives" are not troops
    if sender is not None and ctx.cls(sender) == EntityClass.PLACE:
        sender = None
    if unit == sender:
        unit = None if ctx.cls(unit) != EntityClass.MILITARY_UNIT else unit
    slot, place = next(((s, k) for s in _PLACE_SLOTS for k in frame.keys(s)), (None, None))
    if unit is None and sender is None:
        return
    if place is not None and place in (unit, sender):
        place = None
    if place is None and unit is None:
        return
    if (not uses and sender and place and ctx.cls(sender) == EntityClass.STATE
            and ctx.cls(place) == EntityClass.STATE and sender != place):
        kind, agent = EventKind.TROOP_TRANSFER, sender
    else:
        kind, agent = EventKind.DEPLOYMENT, unit or sender
    confidence = frame.pattern.confidence if place else C_DEPLOYMENT.number("without_place")
    if troops is not None and troops.token.lower_ in PLURAL_PRONOUNS:
        confidence -= C_DEPLOYMENT.number("pronoun_penalty")
    date = None if frame.pattern.departure else ctx.date_for(trigger) or ctx.governing_date(trigger)
    ctx.event(
        kind, trigger, confidence,
        participants=tuple(dict.fromkeys(k for k in (agent, unit, sender, place) if k)),
        agent=agent, place=place, date=date,
        count=ctx.count_of(troops.token) if troops is not None else None, modality=modality,
    )
    if place is not None and kind == EventKind.DEPLOYMENT:
        # "holding a strip of land around Guevo and Gornal": at each place named with the first
        for other in coordinated_keys(ctx, frame, slot, place):  # type: ignore[arg-type]
            if other not in (unit, sender):
                ctx.event(kind, trigger, confidence, participants=tuple(dict.fromkeys(k for k in (agent, unit, sender, other) if k)),
                          agent=agent, place=other, date=date, modality=modality, each_place=True)


def build_sighting(ctx: Context, frame: Frame) -> None:
    trigger = frame.trigger
    modality = ctx.asserted(trigger)
    troops = frame.first("troops")
    place = next(iter(frame.keys("location")), None)
    if modality is None or troops is None or place is None:
        return
    unit = troops.key
    ctx.event(
        EventKind.SIGHTING, trigger, frame.pattern.confidence,
        participants=tuple(k for k in (unit, place) if k), agent=unit, place=place,
        date=ctx.date_for(trigger) or ctx.governing_date(trigger), count=ctx.count_of(troops.token),
        modality=modality,
    )
