"""Scoring against gold annotations, on hand-made gold files and the fixture corpus."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import EvaluationError
from kg.evaluate import (
    FAMILIES,
    EvalReport,
    Predictions,
    evaluate,
    format_report,
    predicted_facts,
    read_gold,
)
from kg.store.local import LocalStore
from kg.text import name_key

from conftest import corpus_fixture_store



def entity(id_: str, name: str, type_: str, qid: str | None = None, aliases: tuple[str, ...] = (),
           checked: bool = True, required: bool = True) -> dict[str, Any]:
    return {"id": id_, "name": name, "type": type_, "also_accepted_types": [], "aliases": list(aliases),
            "wikidata": qid, "also_accepted_wikidata": [], "wikidata_checked": checked and qid is not None,
            "required": required}


T1 = {
    "document": "t1.txt",
    "date": "2024-10-25",
    "entities": [
        entity("zelenskyy", "Volodymyr Zelenskyy", "Person", "Q3881980", ("Zelensky",)),
        entity("north_korea", "North Korea", "State", "Q423", ("DPRK", "Pyongyang")),
        entity("nk_troops", "North Korean troops", "MilitaryUnit", None, ("North Korean soldiers",)),
        entity("kursk_region", "Kursk Oblast", "Place", "Q3178", ("Kursk",)),
        entity("nato", "NATO", "Organization", "Q7184"),
        entity("rutte", "Mark Rutte", "Person", "Q57792", ("Rutte",)),
    ],
    "relations": [
        {"type": "role", "subject": ["rutte"], "object": ["nato"], "title": "Secretary General"},
        {"type": "part_of", "subject": ["nk_troops"], "object": ["north_korea"]},
        {"type": "deployed", "subject": ["nk_troops", "north_korea"], "object": ["kursk_region"]},
        {"type": "count", "subject": ["nk_troops", "north_korea"], "value": 10000},
        {"type": "claim", "speaker": ["zelenskyy"], "date": "2024-10-25"},
        {"type": "claim", "speaker": ["rutte"], "date": None},
    ],
}

T3 = {
    "document": "t3.txt",
    "date": "2024-11-06",
    "entities": [
        entity("ua_forces", "Armed Forces of Ukraine", "MilitaryUnit", None, ("Ukrainian forces",)),
        entity("nk_troops", "North Korean troops", "MilitaryUnit", None, ("North Korean soldiers",)),
        entity("kursk_region", "Kursk Oblast", "Place", "Q3178", ("Kursk",)),
        entity("russia", "Russia", "State", "Q159", ("Moscow",)),
    ],
    "relations": [
        {"type": "conflict", "between": [["nk_troops", "north_korea"], ["ua_forces", "ukraine"]]},
        {"type": "located_in", "subject": ["kursk_region"], "object": ["russia"]},
        {"type": "event", "kind": "clash", "place": ["kursk_region"], "date": "2024-11-05"},
    ],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return corpus_fixture_store(tmp_path_factory.mktemp("store"))


def score(store: LocalStore, tmp_path: Path, *golds: dict[str, Any]) -> EvalReport:
    for gold in golds:
        (tmp_path / gold["document"].replace(".txt", ".json")).write_text(json.dumps(gold))
    return evaluate(tmp_path, store, store.settings)


def test_perfect_prediction_scores_one(store: LocalStore, tmp_path: Path) -> None:
    report = score(store, tmp_path, T1, T3)
    assert [d.document for d in report.documents] == ["t1", "t3"]
    for doc in (*report.documents, report.total):
        assert doc.entities.precision == doc.entities.recall == 1.0, doc
        assert doc.types.value == 1.0
        assert doc.links.precision == doc.links.recall == 1.0
        assert doc.missed == () and doc.spurious == ()
    t1, t3 = report.documents
    for family in ("role", "part_of", "deployed", "count", "claim"):
        assert t1.relations[family].f1 == 1.0, family
    for family in ("conflict", "located_in", "event"):
        assert t3.relations[family].f1 == 1.0, family
    assert t1.relations["alliance"].f1 is None  # nothing predicted, nothing expected
    assert report.total.entities.n_gold == 10


def test_missing_entity_lowers_recall_only(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["entities"].append(entity("ukraine", "Ukraine", "State", "Q212", ("Kyiv",)))
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.entities.recall == pytest.approx(6 / 7)
    assert doc.entities.precision == 1.0
    assert doc.missed == ("ukraine",)
    assert doc.links.recall == pytest.approx(5 / 6)


def test_optional_entity_is_not_penalised(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["entities"].append(entity("politico", "Politico", "Organization", required=False))
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.entities.recall == 1.0


def test_wrong_type_lowers_type_accuracy(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["entities"][4]["type"] = "State"  # NATO
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.types.value == pytest.approx(5 / 6)
    assert doc.entities.f1 == 1.0
    gold["entities"][4]["also_accepted_types"] = ["Organization"]
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.types.value == 1.0


def test_alias_matching_is_case_and_punctuation_insensitive(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["entities"][2] = entity("nk", "DPRK troops", "MilitaryUnit", None, ("north-korean TROOPS!",))
    gold["relations"][1]["subject"] = ["nk"]
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.entities.recall == 1.0 and doc.relations["part_of"].f1 == 1.0
    assert name_key("Kim Jong-un’s") == name_key("kim jong un")  # the one name key kg compares names by


def test_wikidata_ids_take_precedence_over_names(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["entities"][3]["wikidata"] = "Q2012"  # Kursk the city, while kg linked the oblast
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.missed == ("kursk_region",)
    assert doc.spurious == ("Kursk Oblast",)
    assert doc.relations["deployed"].recall == 0.0


def test_link_to_an_unlinked_gold_entity_is_wrong(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["entities"][5]["wikidata"] = None  # Rutte: no link expected, kg linked him
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.entities.recall == 1.0
    assert doc.links.precision == pytest.approx(4 / 5)


def test_between_is_unordered(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T3)
    gold["relations"][0]["between"].reverse()
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.relations["conflict"].f1 == 1.0
    gold["relations"][0] = {"type": "alliance", "between": [["ua_forces"], ["nk_troops"]]}
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.relations["alliance"].recall == 0.0
    assert doc.relations["conflict"].precision == 0.0


def test_dates_must_agree_where_gold_gives_one(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["relations"][4]["date"] = "2024-10-24"
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.relations["claim"].recall == 0.5
    assert doc.relations["claim"].precision == 0.5
    gold = copy.deepcopy(T3)
    gold["relations"][2]["date"] = "2024-11"
    (tmp_path / "t3").mkdir()
    (doc,) = score(store, tmp_path / "t3", gold).documents
    assert doc.relations["event"].f1 == 0.0


def test_conflicting_counts_each_count(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["relations"].append({"type": "count", "subject": ["nk_troops"], "value": 3000})
    (doc,) = score(store, tmp_path, gold).documents
    assert doc.relations["count"].recall == 0.5 and doc.relations["count"].precision == 1.0


def test_report_formats_and_totals(store: LocalStore, tmp_path: Path) -> None:
    report = score(store, tmp_path, T1, T3)
    data = json.loads(format_report(report, "json"))
    assert data["total"]["entities"]["f1"] == 1.0
    assert set(data["total"]["relations"]) == set(FAMILIES)
    table = format_report(report, "table", width=120)
    assert "TOTAL" in table and "deployed" in table
    assert format_report(report, "json") == format_report(score(store, tmp_path, T1, T3), "json")


def test_document_missing_from_store(store: LocalStore, tmp_path: Path) -> None:
    gold = copy.deepcopy(T1)
    gold["document"] = "999_missing.txt"
    with pytest.raises(EvaluationError, match="999_missing"):
        score(store, tmp_path, gold)


def test_bad_gold_dir(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no gold"):
        read_gold(tmp_path)
    (tmp_path / "x.json").write_text("{")
    with pytest.raises(EvaluationError, match="cannot read"):
        read_gold(tmp_path)


def test_a_range_states_two_figures_and_each_counts(tmp_path: Path) -> None:
    """"10,000 to 12,000 troops": the quantity's value and its kg:maxValue are two stated figures."""
    import pyoxigraph as ox

    from conftest import CORPUS_FIXTURE
    from kg.settings import Settings

    text = CORPUS_FIXTURE.read_text(encoding="utf-8")
    single = 'kg:value "10000"^^xsd:nonNegativeInteger ;'
    assert single in text
    ranged = text.replace(single, single + ' kg:maxValue "12000"^^xsd:nonNegativeInteger ;')
    store = LocalStore(Settings(store=str(tmp_path / "store")))
    store.load_quads(ox.parse(ranged.encode(), format=ox.RdfFormat.TRIG, base_iri=CORPUS_FIXTURE.as_uri()))
    gold = copy.deepcopy(T1)
    gold["relations"].append({"type": "count", "subject": ["nk_troops"], "value": 12000})
    folder = tmp_path / "gold"
    folder.mkdir()
    (doc,) = score(store, folder, gold).documents
    assert doc.relations["count"].recall == 1.0 and doc.relations["count"].precision == 1.0


def test_troops_seen_somewhere_are_deployed_there_and_the_sighting_is_an_event() -> None:
    preds = Predictions(events={
        "e1": {"class": "Sighting", "date": "2024-10-23",
               "args": {"agent": {"u"}, "place": {"k"}}},
    })
    facts = predicted_facts(preds, {"u": "nk_troops", "k": "kursk_region"})
    assert facts["deployed"] == {(frozenset({"nk_troops"}), "kursk_region")}
    assert facts["event"] == {("sighting", frozenset({"kursk_region"}), "2024-10-23")}


def test_an_entity_described_in_an_article_graph_without_a_mention_is_scored(tmp_path: Path) -> None:
    """The state of a unit (or of an office the text names its holder by) is in the article's
    graph without a mention of its own: facts about it still match the gold's entity."""
    import pyoxigraph as ox

    from conftest import CORPUS_FIXTURE
    from kg.settings import Settings

    text = CORPUS_FIXTURE.read_text(encoding="utf-8")
    mention = next(line for line in text.splitlines() if 'nif:anchorOf "North Korea"' in line and "article/t1#" in line)
    start = text.rindex("\n", 0, text.index(mention)) + 1
    block_start = text.rindex("\n  <", 0, start) + 1  # the mention's resource, from its subject line
    unmentioned = text[:block_start] + text[text.index(mention) + len(mention) + 1:]
    assert unmentioned.count('nif:anchorOf "North Korea"') == text.count('nif:anchorOf "North Korea"') - 1
    store = LocalStore(Settings(store=str(tmp_path / "store")))
    store.load_quads(ox.parse(unmentioned.encode(), format=ox.RdfFormat.TRIG, base_iri=CORPUS_FIXTURE.as_uri()))
    folder = tmp_path / "gold"
    folder.mkdir()
    (doc,) = score(store, folder, T1).documents
    assert doc.relations["part_of"].f1 == 1.0
