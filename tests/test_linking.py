"""Offline linking: class checks, cue words, context, metonymy, thresholds."""

from __future__ import annotations

import pytest

from kg.linking import LinkContext, link, link_outcome, link_report
from kg.settings import Settings


@pytest.mark.parametrize(("name", "cls", "qid"), [
    ("Kursk region", "Place", "Q3178"),
    ("Kursk Oblast", "Place", "Q3178"),
    ("city of Kursk", "Place", "Q3159"),
    ("Luxembourg", "State", "Q32"),
    ("Luxembourg", "Place", "Q1842"),
    ("Donetsk region", "Place", "Q2012050"),
    ("Washington", "State", "Q30"),
    ("Washington", "Place", "Q61"),
    ("Brussels", "Place", "Q239"),
    ("Budapest", "Place", "Q1781"),
    ("Budapest", "State", "Q28"),
    ("Moscow", "State", "Q159"),
    ("NATO", "Organization", "Q7184"),
    ("EU", "Organization", "Q458"),
    ("European Union", "Organization", "Q458"),
    ("DPRK", "State", "Q423"),
    ("North Korea", "State", "Q423"),
    ("Britain", "State", "Q145"),
    ("Putin", "Person", "Q7747"),
    ("Kim Jong-un's", "Person", "Q56226"),
    ("Pentagon", "Organization", "Q11209"),
])
def test_links(name, cls, qid):
    result = link(name, cls)
    assert result is not None, (name, cls)
    assert result.qid == qid
    assert 0.8 <= result.confidence <= 1.0


def test_result_carries_label_and_point():
    result = link("Kursk region", "Place")
    assert result.label == "Kursk Oblast"
    assert result.latitude == pytest.approx(51.7, abs=0.2)
    assert result.longitude == pytest.approx(36.3, abs=0.2)
    assert link("Washington", "State").label == "United States"


def test_bare_kursk_is_ambiguous_without_context():
    assert link("Kursk", "Place") is None
    assert link_outcome("Kursk", "Place").status == "ambiguous"
    assert link("Donetsk", "Place") is None


def test_context_decides_bare_kursk():
    region = LinkContext.of(entity_qids=["Q3178"])
    assert link("Kursk", "Place", region).qid == "Q3178"
    assert link("Kursk", "Place", LinkContext(region_cue=True)).qid == "Q3178"
    assert link("Kursk", "Place", LinkContext(city_cue=True)).qid == "Q3159"


def test_threshold_setting():
    lenient = Settings(link_threshold=0.7)
    assert link("Kursk", "Place", settings=lenient).qid == "Q3159"
    strict = Settings(link_threshold=0.99)
    assert link("Washington", "State", settings=strict) is None


@pytest.mark.parametrize(("name", "cls"), [
    ("Xyzzy Quux", "Place"),
    ("NATO", "Person"),
    ("Kursk region", "Person"),
    ("Vladimir Putin", "State"),
    ("Ukraine", "Organization"),
    ("Georgia", "Place"),          # the US state, but the country exists: no quiet link
    ("Kyiv Oblast", "Place"),      # Natural Earth's QID was wrong and has been removed
    ("Zelenskyy", "Person"),       # known actor whose QID is not verified yet
])
def test_unlinked(name, cls):
    assert link(name, cls) is None


def test_link_report_counts():
    report = link_report([
        ("NATO", "Organization", None),
        ("Kursk", "Place", None),
        ("Xyzzy", "Place", None),
        ("Luxembourg", "Place", LinkContext()),
    ])
    assert report.as_dict() == {"linked": 2, "ambiguous": 1, "unlinked": 1, "total": 4}
    assert [o.status for o in report.outcomes] == ["linked", "ambiguous", "unlinked", "linked"]
