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
    ],
)
def test_parse_quantity(text: str, value: int | None, approximate: bool, vague: bool) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.text, q.value, q.approximate, q.vague) == (text, value, approximate, vague)


@pytest.mark.parametrize("text", ["some troops", "soldiers", "a significant number of them", ""])
def test_no_figure(text: str) -> None:
    assert parse_quantity(text) is None
