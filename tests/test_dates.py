"""Date phrases resolved against the article's date (kg.pipeline.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.pipeline.dates import is_sequel, parse_anchor, resolve_date, resolve_sequel

THU = date(2024, 11, 7)  # a Thursday
SUN = date(2024, 10, 13)  # a Sunday


@pytest.mark.parametrize(
    ("text", "anchor", "iso", "precision"),
    [
        ("On 25 October", THU, "2024-10-25", "day"),
        ("25 October 2024", None, "2024-10-25", "day"),
        ("November 5", THU, "2024-11-05", "day"),
        ("October 25, 2023", THU, "2023-10-25", "day"),
        ("2024-10-03", None, "2024-10-03", "day"),
        ("Saturday", THU, "2024-11-02", "day"),  # most recent Saturday before the anchor
        ("on Thursday", THU, "2024-11-07", "day"),  # the anchor's own weekday is the anchor
        ("late on Sunday, the 13th of October", THU, "2024-10-13", "day"),  # the date wins
        ("earlier this month", THU, "2024-11", "month"),
        ("in June", SUN, "2024-06", "month"),
        ("in December", SUN, "2023-12", "month"),  # most recent December not after the anchor
        ("in early October", SUN, "2024-10", "month"),
        ("mid-October 2023", None, "2023-10", "month"),
        ("the July summit", THU, "2024-07", "month"),
        ("next week", SUN, "2024-10-14", "day"),  # a week is represented by its Monday
        ("this week", THU, "2024-11-04", "day"),
        ("last week", THU, "2024-10-28", "day"),
        ("last month", THU, "2024-10", "month"),
        ("last year", THU, "2023", "year"),
        ("next year", THU, "2025", "year"),
        ("by the end of the year", THU, "2024", "year"),
        ("in 2022", None, "2022", "year"),
        ("today", THU, "2024-11-07", "day"),
        ("yesterday", THU, "2024-11-06", "day"),
        ("three days ago", THU, "2024-11-04", "day"),
        ("27-28 October", THU, "2024-10-27", "day"),  # a range resolves to its first day
        ("27\u201328 October", THU, "2024-10-27", "day"),
        ("since August 6 at 3:00 PM", THU, "2024-08-06", "day"),
        ("5 January", date(2024, 12, 20), "2025-01-05", "day"),  # the year nearest the anchor
        ("May", THU, "2024-05", "month"),
    ],
)
def test_resolve_date(text: str, anchor: date | None, iso: str, precision: str) -> None:
    value = resolve_date(text, anchor)
    assert value is not None
    assert (value.iso, value.precision, value.text) == (iso, precision, text)


def test_future_clauses_point_forward() -> None:
    # "They will meet on Monday", said on a Sunday: the next day.
    assert resolve_date("on Monday", SUN, future=True).iso == "2024-10-14"
    assert resolve_date("this Thursday", SUN, future=True).iso == "2024-10-17"
    assert resolve_date("in June", SUN, future=True).iso == "2025-06"


def test_past_clauses_do_not_point_forward() -> None:
    # "They met on 3 May", told in a December article: that year's May, not the next one;
    # without a tense the nearest such day wins.
    dec = date(2024, 12, 4)
    assert resolve_date("on 3 May", dec, past=True).iso == "2024-05-03"
    assert resolve_date("on 3 May", dec).iso == "2025-05-03"
    assert resolve_date("on 5 December", dec, past=True).iso == "2023-12-05"
    assert resolve_date("on 4 December", dec, past=True).iso == "2024-12-04"


@pytest.mark.parametrize("text", ["in recent days", "soon", "in 25 years", "may"])
def test_vague_or_not_a_date(text: str) -> None:
    assert resolve_date(text, THU) is None


def test_a_month_handed_over_alone_is_a_date() -> None:
    # the date finder trims "in" off "in March": the month alone is the phrase it hands over
    assert resolve_date("March", THU).iso == "2024-03"
    assert resolve_date("the march on the capital", THU) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("the next day", "2024-11-05"), ("the following morning", "2024-11-05"), ("two days later", "2024-11-06"),
     ("a week earlier", "2024-10-28"), ("the previous day", "2024-11-03"), ("three months later", "2025-02"),
     # "that day" is the day itself; "that Saturday" the first Saturday from it on (2024-11-04 is a Monday)
     ("that day", "2024-11-04"), ("that evening", "2024-11-04"), ("that Saturday evening", "2024-11-09"),
     ("that Monday", "2024-11-04")],
)
def test_a_sequel_counts_from_the_last_day_named(text: str, iso: str) -> None:
    assert is_sequel(text)
    assert resolve_sequel(text, date(2024, 11, 4)).iso == iso


@pytest.mark.parametrize("text", ["days later", "several weeks later"])
def test_a_vague_sequel_or_one_without_a_day_before_is_no_date(text: str) -> None:
    assert resolve_sequel(text, date(2024, 11, 4)) is None
    assert resolve_sequel("the next day", None) is None


def test_a_date_from_the_article_is_no_sequel() -> None:
    assert not any(is_sequel(t) for t in ["next week", "later this month", "on Monday", "two days ago", "this Monday"])


def test_relative_dates_need_an_anchor() -> None:
    assert resolve_date("yesterday", None) is None
    assert resolve_date("Saturday", None) is None
    assert resolve_date("25 October", None) is None


def test_parse_anchor() -> None:
    assert parse_anchor("2024-10-26") == date(2024, 10, 26)
    assert parse_anchor(None) is None
    assert parse_anchor("not a date") is None


def test_date_search_near_anchors_finds_what_the_whole_doc_gives() -> None:
    # the matcher runs only on windows around anchor tokens (months, weekdays, years…):
    # it must find exactly the matches of a run over the whole text
    import spacy
    from spacy.matcher import Matcher

    from kg.pipeline.dates import _date_patterns, _DateMatcher

    phrases = [
        "On Sunday, the 13th of October 2024", "27-28 October", "in early-November", "on May 5, 2023",
        "since 2019", "Two weeks ago", "earlier this month", "by the end of the year", "2024-10-03",
        "The July summit", "in May", "he may not", "Yesterday", "Tuesday", "Sept. 5", "Jan. 2025",
        "5 jan.", "last week", "next Friday", "tonight",
    ]
    text = " Then a few words that keep the phrases apart, ".join(phrases)
    doc = spacy.blank("en")(text)
    whole = Matcher(doc.vocab)
    for name, pattern in _date_patterns():
        whole.add(name, [pattern])
    expected = sorted((start, end) for _, start, end in whole(doc))
    assert len(expected) > 20
    assert sorted(_DateMatcher(doc.vocab)(doc, doc.text)) == expected


# what kg's patterns left unread, read by dateparser; kg's own reading kept where it is better
@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("a fortnight ago", "2024-10-24", "day"),
        ("twenty days ago", "2024-10-18", "day"),
        ("the day after tomorrow", "2024-11-09", "day"),
        ("5/11/2024", "2024-11-05", "day"),  # day first
        ("mid-October", "2024-10", "month"),  # kg's: dateparser reads nothing
        ("earlier this month", "2024-11", "month"),  # kg's
        ("three days ago", "2024-11-04", "day"),
    ],
)
def test_relative_dates_kg_misses_fall_back_to_dateparser(text: str, iso: str, precision: str) -> None:
    value = resolve_date(text, date(2024, 11, 7))
    assert value is not None and (value.iso, value.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["in recent days", "soon", "Kursk", "troops"])
def test_vague_phrases_still_resolve_to_nothing(text: str) -> None:
    assert resolve_date(text, date(2024, 11, 7)) is None


def test_without_an_anchor_only_a_written_year_falls_back() -> None:
    assert resolve_date("a fortnight ago", None) is None
    assert resolve_date("5/11/2024", None).iso == "2024-11-05"


@pytest.mark.parametrize(("text", "iso"), [
    ("on Christmas Eve", "2010-12-24"),
    ("New Year's Day", "2011-01-01"),
    ("Boxing Day 2004", "2004-12-26"),
    ("Halloween", "2010-10-31"),
])
def test_a_holiday_on_a_fixed_day_is_that_day_nearest_the_article(text, iso) -> None:
    assert resolve_date(text, date(2010, 12, 29)).iso == iso


def test_a_holidays_first_word_alone_is_no_date() -> None:
    assert resolve_date("Boxing", date(2010, 12, 29)) is None
    assert resolve_date("Valentine", date(2010, 12, 29)) is None


def test_the_same_day_is_the_last_day_named() -> None:
    assert is_sequel("the same day")
    assert resolve_sequel("the same day", date(2025, 3, 13)).iso == "2025-03-13"
