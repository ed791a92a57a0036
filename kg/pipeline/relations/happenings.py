"""Elections and other events: what news reports happened at a place, besides meetings, clashes,
agreements and deployments.

Built from the frames of the ``election`` and ``event`` patterns (``data/rules/patterns.toml``:
"Iraq's elections", "the US presidential election", "riots in Abidjan", "a speech in London").
An election is an ``Election`` event at its place and date, and needs one of them: its place is
the state or place named on it, else the state the text gives a title in to the person whose
election it is ("Mr Kim's re-election", "the election of the Ghanaian president"). Another event
is a plain ``kg:Event`` at its place, which it needs.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.model import EntityClass, EventKind
from kg.pipeline.relations.context import Context
from kg.pipeline.relations.patterns import Frame

__all__ = ["build_election", "build_event"]


def _date(ctx: Context, frame: Frame):  # type: ignore[no-untyped-def]
    governor, _ = ctx.parse.governor(frame.trigger)
    return (ctx.date_for(frame.trigger) or (ctx.date_for(governor) if governor is not None else None)
            or ctx.trailing_date(frame.trigger))


def build_election(ctx: Context, frame: Frame) -> None:
    modality = ctx.asserted(frame.trigger)
    if modality is None:
        return
    place = next(iter(frame.keys("place")), None) or _state_of_the_elected(ctx, frame.trigger)
    date = _date(ctx, frame)
    if place is None and date is None:
        return  # an election somewhere, some time: nothing a graph can hold
    ctx.event(EventKind.ELECTION, frame.trigger, frame.pattern.confidence, place=place, date=date,
              modality=modality)


def _state_of_the_elected(ctx: Context, trigger: Token) -> str | None:
    """The state of the person an election is of: its possessive ("Mr Kim's re-election") or its
    "of" phrase ("the election of the Ghanaian president"), by the roles the text gives him, or
    the state named in that phrase."""
    doc, i = trigger.doc, trigger.i
    heads = [trigger]
    if i >= 2 and doc[i - 1].text in ("-", "–") and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
        heads += [doc[i - 2], doc[i - 1]]  # "re-election" is three tokens, and the parse hangs "X's" on "re"
    words = [c for h in heads for c in h.children if c.dep_ == "poss"]
    words += [t for h in heads for prep in h.children if prep.dep_ == "prep" and prep.lower_ == "of" for t in prep.subtree]
    for word in words:
        key = ctx.entity(word) or (ctx.refs.resolve(word) if word.pos_ == "PRON" else None)
        if key is not None and ctx.cls(key) == EntityClass.PERSON:
            state = ctx.state_of_leader(key)
            if state is not None:
                return state
        state = ctx.demonym(word) or (key if key is not None and ctx.cls(key) == EntityClass.STATE else None)
        if state is not None:
            return state
    return None


def build_event(ctx: Context, frame: Frame) -> None:
    modality = ctx.asserted(frame.trigger)
    place = next(iter(frame.keys("place")), None)
    if modality is None or place is None:
        return
    ctx.event(EventKind.OTHER, frame.trigger, frame.pattern.confidence, place=place, date=_date(ctx, frame),
              modality=modality)
