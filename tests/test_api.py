"""The Python facade (kg.api): kg.open, kg.extract, results as rows, pandas and rdflib; the
examples of docs/api.md run as doctests; import kg stays cheap."""

from __future__ import annotations

import doctest
import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

import kg
from kg.api import Result, python_value
from kg.store import QueryResult

from conftest import DATA, ROOT, kg_env

pandas = pytest.importorskip("pandas")


def test_import_kg_loads_neither_the_facade_nor_spacy() -> None:
    code = "import sys, kg; print(sorted(m for m in sys.modules if m.startswith(('kg.', 'spacy', 'pyoxigraph'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=kg_env(), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert eval(done.stdout) == ["kg.errors"]


def test_the_facade_is_there_on_first_use() -> None:
    assert callable(kg.open) and callable(kg.extract) and kg.KnowledgeGraph.__name__ == "KnowledgeGraph"
    from kg.extract import extract_articles  # the module of the extraction stage is still reachable

    assert callable(extract_articles) and callable(kg.extract)


def test_the_examples_of_docs_api_md_run(tmp_path, monkeypatch) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("KG_")]:
        monkeypatch.delenv(name)
    failures, tried = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False,
                                       optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried > 20 and failures == 0


def test_rows_dataframe_and_rdflib_of_a_result(data_store) -> None:
    settings, _ = data_store
    graph = kg.open(settings.store)
    result = graph.query("troop-numbers", state="entity:Q423", limit=2)
    assert [r["value"] for r in result.rows] == [1500, 3000] and result.truncated
    frame = result.to_df()
    assert list(frame.columns) == list(result.columns) and frame["value"].tolist() == [1500, 3000]
    rdf = result.to_rdflib()
    assert [str(v) for v in rdf.vars][:2] == ["state", "stateLabel"] and len(rdf.bindings) == 2
    asked = graph.query("ASK { ?s a kg:Clash }")
    assert asked.rows == [{"boolean": True}] and asked.to_rdflib().askAnswer is True


def test_python_values() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert python_value(ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))) is True
    assert python_value(ox.Literal("1.5", datatype=ox.NamedNode(xsd + "decimal"))) == 1.5
    assert python_value(ox.Literal("2024-10-14", datatype=ox.NamedNode(xsd + "date"))) == "2024-10-14"
    assert python_value(None) is None
    assert Result(QueryResult(columns=("x",), rows=((None,),))).rows == [{"x": None}]


def test_extract_reads_a_range_and_the_graph_keeps_both_ends(tmp_path) -> None:
    text = "North Korea has sent 10-12,000 troops to Russia, Ukraine's defence ministry said on Monday."
    extraction = kg.extract(text, date="2024-11-07")
    (event,) = [e for e in extraction.events if e.count is not None]
    assert (event.count.value, event.count.upper, event.count.approximate) == (10000, 12000, True)
    (tmp_path / "a.txt").write_text(" date 2024-11-07 " + text, encoding="utf-8")
    graph = kg.open(tmp_path / "store")
    assert graph.build(tmp_path / "a.txt").new == 1
    rows = graph.query("SELECT ?v ?max WHERE { ?q kg:value ?v ; kg:maxValue ?max }").rows
    assert {(r["v"], r["max"]) for r in rows} == {(10000, 12000)}


def test_spacy_finds_kg_s_components_without_importing_kg() -> None:
    code = ("import spacy, sys; nlp = spacy.blank('en'); nlp.add_pipe('kg_line_breaks'); "
            "print(nlp.pipe_names)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=kg_env(), cwd="/")
    assert done.returncode == 0, done.stderr
    assert "kg_line_breaks" in done.stdout
