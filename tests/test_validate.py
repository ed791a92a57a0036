"""SHACL validation of article graphs held in a real Oxigraph store (kg's on-disk store)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.iri import IRIMinter
from kg.settings import Settings
from kg.store.local import LocalStore
from kg.derived.validate import ValidationReport, Violation, validate_store

FIXTURE = Path(__file__).parent / "fixtures" / "article_valid.ttl"
SETTINGS = Settings()
ARTICLE_ID = "001_test"
GRAPH = IRIMinter(SETTINGS.base_iri).graph(ARTICLE_ID)
ENTITY = "https://w3id.org/kg-news/entity/"
ARTICLE = "https://w3id.org/kg-news/article/001_test"


def fixture_quads(graph: ox.NamedNode = GRAPH) -> list[ox.Quad]:
    """The fixture article's triples in ``graph``."""
    return [ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)]


@pytest.fixture()
def store(tmp_path: Path) -> LocalStore:
    kg_store = LocalStore(SETTINGS.replace(store=str(tmp_path / "store")))
    kg_store.load_quads(fixture_quads())
    return kg_store


def insert(store: LocalStore, triples: str, graph: ox.NamedNode = GRAPH) -> None:
    """Add triples (written with the store's prefixes, ``kg:``, ``nif:``…) to ``graph``."""
    store.update(f"INSERT DATA {{ GRAPH {graph} {{ {triples} }} }}")


def only(report: ValidationReport, focus: str) -> list[Violation]:
    return [v for v in report.violations if v.focus_node == focus]


def test_fixture_article_validates_with_no_violations(store: LocalStore) -> None:
    report = validate_store(store)
    assert report.articles == 1
    assert report.violations == (), "\n".join(v.message for v in report.violations)
    assert report.conforms


def test_person_also_typed_place_is_reported_readably(store: LocalStore) -> None:
    insert(store, f"<{ENTITY}Q3881980> a kg:Place .")
    report = validate_store(store)
    assert not report.conforms
    [violation] = only(report, ENTITY + "Q3881980")
    assert violation.article_id == ARTICLE_ID
    assert violation.focus_label == "Volodymyr Zelenskyy"
    assert violation.severity == "Violation"
    assert violation.message == (
        "Entity is typed both kg:Person and kg:Place; an entity has exactly one core class."
    )


def test_date_as_plain_string_is_reported_readably(store: LocalStore) -> None:
    store.update(
        f"DELETE WHERE {{ GRAPH {GRAPH} {{ <{ARTICLE}#claim=33,103> kg:date ?d }} }}"
    )
    insert(store, f'<{ARTICLE}#claim=33,103> kg:date "25 October" .')
    report = validate_store(store)
    [violation] = report.violations
    assert violation.path == "kg:date"
    assert violation.value == '"25 October"'
    assert "xsd:date, xsd:gYearMonth or xsd:gYear" in violation.message
    assert "{" not in violation.message and "http" not in violation.message


def test_entity_without_core_class_or_label(store: LocalStore) -> None:
    insert(
        store,
        f"<{ARTICLE}#char=87,92> <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{ENTITY}Nowhere> .",
    )
    messages = {v.message for v in only(validate_store(store), ENTITY + "Nowhere")}
    assert any("none of the five core classes" in m for m in messages)
    assert any("rdfs:label" in m for m in messages)


@pytest.mark.parametrize(
    ("triples", "path", "needle"),
    [
        (f'<{ARTICLE}#role-0a1b2c3d4e5f> kg:confidence 1.5 .', "kg:confidence", "between 0 and 1"),
        (f'<{ARTICLE}#quantity=33,45> kg:value -5 .', "kg:value", "non-negative"),
        (f"<{ARTICLE}#event-5f4e3d2c1b0a> kg:participant <{ENTITY}Q7186> .", "kg:participant", "agent"),
        (f'<{ARTICLE}#event-5f4e3d2c1b0a> kg:modality "certain" .', "kg:modality", "'asserted'"),
        (f"<{ENTITY}Q7186> kg:partOf <{ENTITY}Q423> .", None, "kg:partOf"),
    ],
)
def test_domain_range_and_datatype_violations(
    store: LocalStore, triples: str, path: str | None, needle: str
) -> None:
    insert(store, triples)
    report = validate_store(store)
    assert not report.conforms
    assert any(v.path == path and needle in v.message for v in report.violations), report.violations


def test_mention_whose_anchor_does_not_match_the_text(store: LocalStore) -> None:
    store.update(
        f'DELETE DATA {{ GRAPH {GRAPH} {{ <{ARTICLE}#char=0,8> nif:anchorOf "Zelensky" }} }} ;'
        f'INSERT DATA {{ GRAPH {GRAPH} {{ <{ARTICLE}#char=0,8> nif:anchorOf "Zelenskyy" }} }}'
    )
    [violation] = validate_store(store).violations
    assert violation.message == (
        'nif:anchorOf "Zelenskyy" does not match the text at [0, 8) of its context: "Zelensky".'
    )


def test_fact_without_provenance(store: LocalStore) -> None:
    store.update(
        f"DELETE WHERE {{ GRAPH {GRAPH} {{ <{ARTICLE}#event-5f4e3d2c1b0a> "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?a } }"
    )
    [violation] = validate_store(store).violations
    assert violation.path == "prov:wasDerivedFrom"
    assert violation.focus_label == "Deployment of North Korean troops to Kursk Oblast"


def test_entity_typed_differently_in_two_articles(store: LocalStore) -> None:
    other = IRIMinter(SETTINGS.base_iri).graph("002_other")
    insert(store, f'<{ENTITY}Q7186> a kg:State ; <http://www.w3.org/2000/01/rdf-schema#label> "Kursk" .', other)
    report = validate_store(store, [ARTICLE_ID])
    [violation] = report.violations
    assert violation.article_id == ARTICLE_ID
    assert "'002_other'" in violation.message and "kg:Place" in violation.message


def test_inferred_graph_is_not_validated_and_unknown_ids_fail(store: LocalStore) -> None:
    insert(store, f"<{ENTITY}Q423> a kg:Place .", IRIMinter(SETTINGS.base_iri).kg_graph("_inferred"))
    assert validate_store(store).articles == 1
    with pytest.raises(StoreError, match="no article 'nope'"):
        validate_store(store, ["nope"])


def test_works_with_the_on_disk_kg_store(tmp_path: Path) -> None:
    from kg.derived.reason import reason

    settings = SETTINGS.replace(store=str(tmp_path / "kg-data"))
    kg_store = LocalStore(settings)
    kg_store.load_quads(fixture_quads())
    assert validate_store(kg_store).violations == ()
    result = reason(kg_store)
    assert result.inferred > 0
    assert validate_store(kg_store).articles == 1


def test_unknown_inference_mode_is_a_settings_error(store: LocalStore) -> None:
    from kg.errors import SettingsError

    with pytest.raises(SettingsError, match="inference must be one of"):
        validate_store(store, inference="magic")


def test_cli_validate_exits_1_and_reports_json(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from kg.cli import app

    path = tmp_path / "kg-data"
    kg_store = LocalStore(SETTINGS.replace(store=str(path)))
    kg_store.load_quads(fixture_quads())
    insert(kg_store, f"<{ENTITY}Q3881980> a kg:Place .")
    result = CliRunner().invoke(app, ["validate", "--store", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["conforms"] is False
    assert data["violations"][0]["message"].startswith("Entity is typed both kg:Person and kg:Place")


def test_worker_processes_give_the_same_report_in_order(store: LocalStore) -> None:
    """Graphs sent to two worker processes (several tasks of GRAPHS_PER_TASK) come back as the
    one-process report, article by article in the same order, with progress for each."""
    iris = IRIMinter(SETTINGS.base_iri)
    fixture = store.quads(GRAPH)
    for n in range(1, 19):
        graph = iris.graph(f"copy_{n:02d}")
        store.load_quads([ox.Quad(q.subject, q.predicate, q.object, graph) for q in fixture])
        if n % 5 == 0:  # a different violation in a few of them
            insert(store, f'<{ENTITY}Q3881980> kg:mentionCount "{n}" .' if n == 5 else
                   f"<{ENTITY}Q3881980> a kg:Place .", graph)
    seen: list[tuple[int, int]] = []
    alone = validate_store(store)
    together = validate_store(store, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert together.violations == alone.violations
    assert len({v.article_id for v in alone.violations}) >= 3
    assert together.articles == alone.articles == 19
    assert seen == [(i, 19) for i in range(0, 20)]
