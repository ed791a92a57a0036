"""Document-level consolidation of events (kg.pipeline.relations.consolidate)."""

from __future__ import annotations

import dataclasses

from kg.model import Claim, DateValue, Event, Quantity, Span
from kg.pipeline.relations.consolidate import consolidate

HEADLINE = Event("Meeting", Span(0, 20), 0.6, participants=("Person/a", "Person/b"), trigger="meets")
BODY = Event("Meeting", Span(30, 90), 0.7, participants=("Person/a",), place="Place/ramallah",
             date=DateValue("2024-12-20", "day", "on Monday"), trigger="talks")


def test_the_headline_and_the_body_are_one_meeting() -> None:
    claim = Claim(content=Span(30, 90), sentence=Span(30, 90), cue="said", confidence=0.8, about=(1,))
    (event,), (merged_claim,) = consolidate([HEADLINE, BODY], [claim])
    assert (event.place, event.date.iso, set(event.participants)) == ("Place/ramallah", "2024-12-20", {"Person/a", "Person/b"})
    assert event.sentence == HEADLINE.sentence and event.confidence == 0.7
    assert merged_claim.about == (0,)


def test_conflicting_places_dates_or_figures_stay_apart() -> None:
    elsewhere = Event("Meeting", Span(100, 140), 0.7, participants=("Person/a",), place="Place/gaza")
    later = Event("Meeting", Span(100, 140), 0.7, participants=("Person/a",), date=DateValue("2024-12-27", "day", "x"))
    assert len(consolidate([BODY, elsewhere], [])[0]) == 2
    assert len(consolidate([BODY, later], [])[0]) == 2
    a = Event("Deployment", Span(0, 9), 0.7, agent="Unit/x", place="State/r", count=Quantity("3,000", 3000))
    b = Event("Deployment", Span(20, 29), 0.7, agent="Unit/x", place="State/r", count=Quantity("12,000", 12000))
    assert len(consolidate([a, b], [])[0]) == 2


def test_a_meeting_and_a_summit_of_the_same_people_are_one_summit() -> None:
    summit = Event("Summit", Span(100, 140), 0.7, participants=("Person/a", "Person/b"), place="Place/ramallah")
    (event,), _ = consolidate([BODY, summit], [])
    assert event.kind == "Summit" and set(event.participants) == {"Person/a", "Person/b"}


def test_events_without_a_shared_participant_stay_apart() -> None:
    other = Event("Meeting", Span(100, 140), 0.7, participants=("Person/c",), place="Place/ramallah")
    assert len(consolidate([BODY, other], [])[0]) == 2


def test_a_week_agrees_with_each_of_its_days_and_yields_to_the_day() -> None:
    """"captured … last week" (the week of Monday 2025-01-06) and "captured … on January 9" are one
    clash on the 9th; a day of another week stays apart."""
    week = Event("Clash", Span(0, 40), 0.7, participants=("Unit/a", "Unit/b"), place="Place/k",
                 date=DateValue("2025-01-06", "day", "last week"))
    thursday = Event("Clash", Span(50, 90), 0.7, participants=("Unit/a",), place="Place/k",
                     date=DateValue("2025-01-09", "day", "on January 9"))
    (event,), _ = consolidate([week, thursday], [])
    assert event.date.iso == "2025-01-09"
    monday_after = dataclasses.replace(thursday, date=DateValue("2025-01-13", "day", "on January 13"))
    assert len(consolidate([week, monday_after], [])[0]) == 2
    # a day written as a Monday is no week
    monday = dataclasses.replace(week, date=DateValue("2025-01-06", "day", "on Monday"))
    assert len(consolidate([monday, thursday], [])[0]) == 2


def test_two_tellings_in_one_sentence_one_without_participants_are_one_event() -> None:
    """"X and Y signed a treaty in Z": the verb's pattern and the noun's read one agreement."""
    verb = Event("Agreement", Span(0, 60), 0.6, date=DateValue("2024-06", "month", "in June"), trigger="signed")
    noun = Event("Agreement", Span(0, 60), 0.7, participants=("State/a", "State/b"), place="Place/z", trigger="treaty")
    (event,), _ = consolidate([verb, noun], [])
    assert (event.place, event.date.iso, set(event.participants)) == ("Place/z", "2024-06", {"State/a", "State/b"})
    # in two sentences they stay apart
    apart = dataclasses.replace(noun, sentence=Span(70, 120))
    assert len(consolidate([verb, apart], [])[0]) == 2
