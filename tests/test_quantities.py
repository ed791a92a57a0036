"""Troop figures (kg.pipeline.quantities)."""

from __future__ import annotations

import pytest

from kg.pipeline.quantities import parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "approximate", "vague"),
    [
        ("about 10,000", 10000, True, False),
        ("approximately several thousand", None, True, True),
        ("11,000 infantrymen", 11000, False, False),
        ("3,000 troops", 3000, False, False),
        ("up to 12,000", 12000, True, False),
        ("more than 10,000", 10000, True, False),
        ("nearly 2,500 soldiers", 2500, True, False),
        ("thousands of soldiers", None, True, True),
        ("hundreds of troops", None, True, True),
        ("10 thousand", 10000, False, False),
        ("1.5 million", 1500000, False, False),
        ("10k", 10000, False, False),
        ("ten thousand", 10000, False, False),
        ("twenty-five hundred", 2500, False, False),
        ("a thousand soldiers", 1000, False, False),
        ("a few hundred", None, True, True),
        ("1,000-2,000 soldiers", 1000, True, False),
        # number words (text2num) under kg's hedges, articles and "dozen"; a dot grouping thousands
        ("one hundred and twenty", 120, False, False),
        ("two dozen", 24, False, False),
        ("a dozen soldiers", 12, False, False),
        ("a hundred and fifty thousand", 150000, False, False),
        ("about one hundred and twenty soldiers", 120, True, False),
        ("10.000", 10000, False, False),
        ("10-12,000", 10000, True, False),
        ("dozens of soldiers", None, True, True),
    ],
)
def test_parse_quantity(text: str, value: int | None, approximate: bool, vague: bool) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.text, q.value, q.approximate, q.vague) == (text, value, approximate, vague)


@pytest.mark.parametrize("text", ["some troops", "soldiers", "a significant number of them", ""])
def test_no_figure(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("10-12,000", 10000, 12000),
        ("1,000-2,000 soldiers", 1000, 2000),
        ("5 to 7 thousand", 5000, 7000),
        ("between 8,000 and 10,000 troops", 8000, 10000),
        ("10–12 thousand", 10000, 12000),
    ],
)
def test_a_range_keeps_both_ends(text: str, lower: int, upper: int) -> None:
    q = parse_quantity(text)
    assert q is not None and (q.value, q.upper, q.approximate) == (lower, upper, True)


def test_a_single_figure_has_no_upper_end() -> None:
    assert parse_quantity("about 10,000").upper is None
