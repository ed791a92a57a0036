"""Elections and other events: what news reports happened at a place, besides meetings, clashes,
agreements and deployments.

Built from the frames of the ``election`` and ``event`` patterns (``data/rules/patterns.toml``:
"Iraq's elections", "the US presidential election", "riots in Abidjan", "a speech in London").
An election is an ``Election`` event at its place (when the text names one) and date; another
event a plain ``kg:Event`` at its place, which it needs.
"""

from __future__ import annotations

from kg.model import EventKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.patterns import Frame

__all__ = ["build_election", "build_event"]


def _date(ctx: Context, frame: Frame):  # type: ignore[no-untyped-def]
    governor, _ = ctx.parse.governor(frame.trigger)
    return ctx.date_for(frame.trigger) or (ctx.date_for(governor) if governor is not None else None)


def build_election(ctx: Context, frame: Frame) -> None:
    modality = ctx.asserted(frame.trigger)
    if modality is None:
        return
    place = next(iter(frame.keys("place")), None)
    ctx.event(EventKind.ELECTION, frame.trigger, frame.pattern.confidence, place=place, date=_date(ctx, frame),
              modality=modality)


def build_event(ctx: Context, frame: Frame) -> None:
    modality = ctx.asserted(frame.trigger)
    place = next(iter(frame.keys("place")), None)
    if modality is None or place is None:
        return
    ctx.event(EventKind.OTHER, frame.trigger, frame.pattern.confidence, place=place, date=_date(ctx, frame),
              modality=modality)
