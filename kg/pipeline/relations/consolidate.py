"""Document-level consolidation: one event, however many times the text tells it.

An article tells its main event in the headline, again in the lede and once more with details
("Blair meets Abbas" / "Mr Blair held talks with Mr Abbas in Ramallah on Monday"), and two
patterns may read one sentence twice ("uses troops in Kursk" and "the troops in Kursk"). Events
of the same kind that share a participant (or, without participants, a place; or are told in one
sentence, one of them without participants) and do not
conflict — no two different places, no two different dates, no two different troop figures
(conflicting figures stay side by side) — are merged into one: the earliest
telling, with the union of the participants, the place and the most precise date any telling
gives, the first troop figure, the highest confidence. A summit is a meeting of leaders: a
meeting and a summit merge into the summit. A definite description refers back ("a defence pact
signed in June ... since they signed the treaty"): an event told by one joins the latest earlier
event of its kind that does not conflict with it, even when only one of the two names its
participants. Claims that reported a merged event report the one event it became.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date

from kg.model import Claim, DateValue, Event, EventKind
from kg.pipeline.dates import is_week

__all__ = ["consolidate"]

_FAMILY = {EventKind.SUMMIT: EventKind.MEETING, EventKind.TROOP_TRANSFER: EventKind.DEPLOYMENT}
_PRECISION = {"day": 0, "month": 1, "year": 2}


def _family(kind: str) -> str:
    return _FAMILY.get(kind, kind)  # type: ignore[call-overload]


def _dates_agree(a: DateValue | None, b: DateValue | None) -> bool:
    """No date, or the same date at the precision both have ("2024-10" and "2024-10-14" agree);
    a week ("last week", held as its Monday) agrees with each of its days."""
    if a is None or b is None:
        return True
    if a.iso.startswith(b.iso) or b.iso.startswith(a.iso):
        return True
    for week, day in ((a, b), (b, a)):
        if is_week(week) and day.precision == "day" and not is_week(day):
            offset = (date.fromisoformat(day.iso) - date.fromisoformat(week.iso)).days
            if 0 <= offset < 7:
                return True
    return False


def _sharpest(dates: list[DateValue]) -> DateValue | None:
    """The most precise of ``dates``; a day of a week before the week's Monday."""
    if not dates:
        return None
    return min(dates, key=lambda d: (_PRECISION[d.precision], is_week(d)))


def _same(a: Event, b: Event) -> bool:
    if _family(a.kind) != _family(b.kind):
        return False
    if a.place is not None and b.place is not None and a.place != b.place:
        return False
    if not _dates_agree(a.date, b.date):
        return False
    if a.count is not None and b.count is not None and a.count.value != b.count.value:
        return False  # conflicting figures stay side by side
    if a.kind in (EventKind.DEPLOYMENT, EventKind.TROOP_TRANSFER) or b.kind in (EventKind.DEPLOYMENT, EventKind.TROOP_TRANSFER):
        return a.agent is not None and a.agent == b.agent and (a.place == b.place or a.sentence == b.sentence)
    shared = set(a.participants) & set(b.participants)
    if shared:
        return True
    if a.sentence == b.sentence and (not a.participants or not b.participants):
        return True  # two patterns reading one sentence ("signed a treaty": the verb and the noun)
    if not a.participants and not b.participants:  # elections, other events: the same place
        return a.place is not None and a.place == b.place
    return False


def _refers_back(earlier: Event, later: Event) -> bool:
    """Whether ``later``, told by a definite description, can be ``earlier`` told again."""
    if _family(earlier.kind) != _family(later.kind) or _family(later.kind) == EventKind.DEPLOYMENT:
        return False
    if earlier.place is not None and later.place is not None and earlier.place != later.place:
        return False
    if not _dates_agree(earlier.date, later.date):
        return False
    return not earlier.participants or not later.participants or bool(set(earlier.participants) & set(later.participants))


def _merge(a: Event, b: Event) -> Event:
    kind = a.kind
    if _family(a.kind) == EventKind.MEETING and EventKind.SUMMIT in (a.kind, b.kind):
        kind = EventKind.SUMMIT
    if _family(a.kind) == EventKind.DEPLOYMENT and EventKind.TROOP_TRANSFER in (a.kind, b.kind):
        kind = EventKind.TROOP_TRANSFER
    when = _sharpest([d for d in (a.date, b.date) if d is not None])
    modality = a.modality if a.modality == b.modality else "asserted" if "asserted" in (a.modality, b.modality) else a.modality
    return dataclasses.replace(
        a, kind=kind, participants=tuple(dict.fromkeys((*a.participants, *b.participants))),
        agent=a.agent or b.agent, place=a.place or b.place, date=when, count=a.count or b.count,
        confidence=max(a.confidence, b.confidence), modality=modality,  # type: ignore[arg-type]
    )


def consolidate(
    events: Sequence[Event], claims: Sequence[Claim], definite: Collection[int] = (),
) -> tuple[tuple[Event, ...], tuple[Claim, ...]]:
    """Merge the events that tell one event (see the module docstring); ``definite`` holds the
    indexes of events told by a definite description. Claims' ``about`` indexes follow. Events
    keep their text order."""
    merged: list[Event] = []
    index_of: dict[int, int] = {}
    for i, event in enumerate(events):
        target = next((j for j, kept in enumerate(merged) if _same(kept, event)), None)
        if target is None and i in definite:
            target = next((j for j in reversed(range(len(merged))) if _refers_back(merged[j], event)), None)
        if target is None:
            index_of[i] = len(merged)
            merged.append(event)
        else:
            index_of[i] = target
            merged[target] = _merge(merged[target], event)
    claims = tuple(
        dataclasses.replace(c, about=tuple(dict.fromkeys(index_of[i] for i in c.about if i in index_of)))
        for c in claims
    )
    return tuple(merged), claims
