"""SHACL validation of article graphs held in a real (in-memory) Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.iri import IRIMinter
from kg.settings import Settings
from kg.validate import ValidationReport, Violation, validate_store

FIXTURE = Path(__file__).parent / "fixtures" / "article_valid.ttl"
SETTINGS = Settings()
ARTICLE_ID = "001_test"
GRAPH = IRIMinter(SETTINGS.base_iri).graph(ARTICLE_ID)
ENTITY = "https://w3id.org/kg-news/entity/"
ARTICLE = "https://w3id.org/kg-news/article/001_test"
PREFIXES = {
    "kg": "https://w3id.org/kg-news/ontology#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
}


@pytest.fixture()
def store() -> ox.Store:
    db = ox.Store()
    db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    return db


def insert(store: ox.Store, triples: str, graph: ox.NamedNode = GRAPH) -> None:
    store.update(f"INSERT DATA {{ GRAPH {graph} {{ {triples} }} }}", prefixes=PREFIXES)


def only(report: ValidationReport, focus: str) -> list[Violation]:
    return [v for v in report.violations if v.focus_node == focus]


def test_fixture_article_validates_with_no_violations(store: ox.Store) -> None:
    report = validate_store(store, SETTINGS)
    assert report.articles == 1
    assert report.violations == (), "\n".join(v.message for v in report.violations)
    assert report.conforms


def test_person_also_typed_place_is_reported_readably(store: ox.Store) -> None:
    insert(store, f"<{ENTITY}Q3881980> a kg:Place .")
    report = validate_store(store, SETTINGS)
    assert not report.conforms
    [violation] = only(report, ENTITY + "Q3881980")
    assert violation.article_id == ARTICLE_ID
    assert violation.focus_label == "Volodymyr Zelenskyy"
    assert violation.severity == "Violation"
    assert violation.message == (
        "Entity is typed both kg:Person and kg:Place; an entity has exactly one core class."
    )


def test_date_as_plain_string_is_reported_readably(store: ox.Store) -> None:
    store.update(
        f"DELETE WHERE {{ GRAPH {GRAPH} {{ <{ARTICLE}#claim=33,103> kg:date ?d }} }}",
        prefixes=PREFIXES,
    )
    insert(store, f'<{ARTICLE}#claim=33,103> kg:date "25 October" .')
    report = validate_store(store, SETTINGS)
    [violation] = report.violations
    assert violation.path == "kg:date"
    assert violation.value == '"25 October"'
    assert "xsd:date, xsd:gYearMonth or xsd:gYear" in violation.message
    assert "{" not in violation.message and "http" not in violation.message


def test_entity_without_core_class_or_label(store: ox.Store) -> None:
    insert(
        store,
        f"<{ARTICLE}#char=87,92> <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{ENTITY}Nowhere> .",
    )
    messages = {v.message for v in only(validate_store(store, SETTINGS), ENTITY + "Nowhere")}
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
    store: ox.Store, triples: str, path: str | None, needle: str
) -> None:
    insert(store, triples)
    report = validate_store(store, SETTINGS)
    assert not report.conforms
    assert any(v.path == path and needle in v.message for v in report.violations), report.violations


def test_mention_whose_anchor_does_not_match_the_text(store: ox.Store) -> None:
    store.update(
        f'DELETE DATA {{ GRAPH {GRAPH} {{ <{ARTICLE}#char=0,8> nif:anchorOf "Zelensky" }} }} ;'
        f'INSERT DATA {{ GRAPH {GRAPH} {{ <{ARTICLE}#char=0,8> nif:anchorOf "Zelenskyy" }} }}',
        prefixes=PREFIXES,
    )
    [violation] = validate_store(store, SETTINGS).violations
    assert violation.message == (
        'nif:anchorOf "Zelenskyy" does not match the text at [0, 8) of its context: "Zelensky".'
    )


def test_fact_without_provenance(store: ox.Store) -> None:
    store.update(
        f"DELETE WHERE {{ GRAPH {GRAPH} {{ <{ARTICLE}#event-5f4e3d2c1b0a> "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?a } }",
        prefixes=PREFIXES,
    )
    [violation] = validate_store(store, SETTINGS).violations
    assert violation.path == "prov:wasDerivedFrom"
    assert violation.focus_label == "Deployment of North Korean troops to Kursk Oblast"


def test_entity_typed_differently_in_two_articles(store: ox.Store) -> None:
    other = IRIMinter(SETTINGS.base_iri).graph("002_other")
    insert(store, f'<{ENTITY}Q7186> a kg:State ; <http://www.w3.org/2000/01/rdf-schema#label> "Kursk" .', other)
    report = validate_store(store, SETTINGS, [ARTICLE_ID])
    [violation] = report.violations
    assert violation.article_id == ARTICLE_ID
    assert "'002_other'" in violation.message and "kg:Place" in violation.message


def test_inferred_graph_is_not_validated_and_unknown_ids_fail(store: ox.Store) -> None:
    insert(store, f"<{ENTITY}Q423> a kg:Place .", IRIMinter(SETTINGS.base_iri).graph("_inferred"))
    assert validate_store(store, SETTINGS).articles == 1
    with pytest.raises(StoreError, match="no article 'nope'"):
        validate_store(store, SETTINGS, ["nope"])


def test_works_with_the_on_disk_kg_store(tmp_path: Path) -> None:
    from kg.reason import reason
    from kg.store import LocalStore

    settings = SETTINGS.replace(store=str(tmp_path / "kg-data"))
    source = ox.Store()
    source.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    kg_store = LocalStore(settings)
    kg_store.load_quads(list(source))
    assert validate_store(kg_store, settings).violations == ()
    result = reason(kg_store, settings)
    assert result.inferred > 0
    assert validate_store(kg_store, settings).articles == 1


def test_unknown_inference_mode_is_a_settings_error(store: ox.Store) -> None:
    from kg.errors import SettingsError

    with pytest.raises(SettingsError, match="inference must be one of"):
        validate_store(store, SETTINGS, inference="magic")


def test_cli_validate_exits_1_and_reports_json(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from kg.cli import app
    from kg.store import LocalStore

    path = tmp_path / "kg-data"
    db = ox.Store()
    db.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE, to_graph=GRAPH)
    insert(db, f"<{ENTITY}Q3881980> a kg:Place .")
    LocalStore(SETTINGS.replace(store=str(path))).load_quads(list(db))
    result = CliRunner().invoke(app, ["validate", "--store", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["conforms"] is False
    assert data["violations"][0]["message"].startswith("Entity is typed both kg:Person and kg:Place")


def test_worker_processes_give_the_same_report_in_order(store: ox.Store) -> None:
    """Graphs sent to two worker processes (several tasks of GRAPHS_PER_TASK) come back as the
    one-process report, article by article in the same order, with progress for each."""
    iris = IRIMinter(SETTINGS.base_iri)
    fixture = list(store.quads_for_pattern(None, None, None, GRAPH))
    for n in range(1, 19):
        graph = iris.graph(f"copy_{n:02d}")
        store.extend([ox.Quad(q.subject, q.predicate, q.object, graph) for q in fixture])
        if n % 5 == 0:  # a different violation in a few of them
            insert(store, f'<{ENTITY}Q3881980> kg:mentionCount "{n}" .' if n == 5 else
                   f"<{ENTITY}Q3881980> a kg:Place .", graph)
    seen: list[tuple[int, int]] = []
    alone = validate_store(store, SETTINGS)
    together = validate_store(store, SETTINGS, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert together.violations == alone.violations
    assert len({v.article_id for v in alone.violations}) >= 3
    assert together.articles == alone.articles == 19
    assert seen == [(i, 19) for i in range(0, 20)]
