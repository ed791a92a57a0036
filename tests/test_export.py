"""Exports analysts open elsewhere (kg.export): GeoJSON of places, the entity network as GraphML
and GEXF (Gephi), one CSV per fact type, JSON-LD with a @context that reads back as the same
dataset."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import CSV_QUERIES, entity_network, jsonld_document, places_geojson
from kg.queries.browse import list_entities
from kg.store import open_store

from conftest import assert_same_dataset, dataset_lines

runner = CliRunner()


@pytest.fixture(scope="module")
def store(data_store):
    return open_store(data_store[0])


def test_geojson_of_the_places(store) -> None:
    data = places_geojson(store)
    assert data["type"] == "FeatureCollection" and len(data["features"]) >= 5
    kursk = [f for f in data["features"] if f["properties"]["label"] == "Kursk Oblast"][0]
    assert kursk["geometry"]["type"] == "Point"
    lon, lat = kursk["geometry"]["coordinates"]
    assert 30 < lon < 40 and 50 < lat < 55  # longitude first, as GeoJSON wants
    assert kursk["properties"]["name"] == "entity:Q3178" and kursk["properties"]["articles"] >= 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_the_entity_network_reads_back_in_networkx(store, tmp_path, fmt: str) -> None:
    path = tmp_path / f"net.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(path), "--store", store.settings.store])
    assert result.exit_code == 0, result.output
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    entities = list_entities(store)
    assert graph.number_of_nodes() == len(entities)
    expected = entity_network(store)
    assert graph.number_of_edges() == expected.number_of_edges() > 10
    russia = "https://w3id.org/kg-news/entity/Q159"
    attributes = graph.nodes[russia]
    assert attributes["label"] == "Russia" and attributes["class"] == "State" and int(attributes["mentions"]) == 15
    neighbour = max(expected[russia], key=lambda n: expected[russia][n]["weight"])
    assert int(graph[russia][neighbour]["weight"]) == expected[russia][neighbour]["weight"] >= 1


def test_csv_per_fact_type(store, tmp_path) -> None:
    folder = tmp_path / "facts"
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(folder), "--store", store.settings.store])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(CSV_QUERIES)
    rows = list(csv.DictReader((folder / "roles.csv").open(encoding="utf-8")))
    assert {"holderLabel", "title", "organizationLabel", "article"} <= set(rows[0])
    assert any(r["holderLabel"] == "Mark Rutte" and r["organizationLabel"] == "NATO" for r in rows)
    troops = list(csv.DictReader((folder / "troop-numbers.csv").open(encoding="utf-8")))
    assert sorted(int(r["value"]) for r in troops) == [1500, 3000, 8000, 10000, 10000, 11000]


def test_csv_needs_a_folder(store) -> None:
    result = runner.invoke(app, ["export", "--format", "csv", "--store", store.settings.store])
    assert result.exit_code == 2 and "name a folder with -o" in result.stderr


def test_jsonld_has_a_context_and_reads_back_as_the_same_dataset(store) -> None:
    result = runner.invoke(app, ["export", "--format", "jsonld", "--store", store.settings.store])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["@context"]["kg"] == "https://w3id.org/kg-news/ontology#"
    assert document["@context"]["entity"] == "https://w3id.org/kg-news/entity/"
    assert '"entity:Q159"' in result.stdout and '"kg:' in result.stdout  # IRIs written short
    read = ox.parse(io.BytesIO(result.stdout.encode()), format=ox.RdfFormat.JSON_LD)
    assert_same_dataset(dataset_lines(read), dataset_lines(store.quads()))


def test_jsonld_of_one_article(store) -> None:
    document = jsonld_document(store, "2024-06-19-pyongyang-pact")
    assert len(document["@graph"]) == 1 and document["@graph"][0]["@id"] == "graph:2024-06-19-pyongyang-pact"
