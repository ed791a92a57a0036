"""Two processes on one store (issue 8): a second build fails at once with a clear message and
changes nothing; readers during a build see whole articles only and never fail."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.iri import IRIMinter
from kg.settings import Settings

from conftest import ROOT, kg_command, kg_env, run_kg, store_graphs

pytestmark = pytest.mark.slow
MINTER = IRIMinter(Settings().base_iri)


def start_build(folder: Path, store: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as handle:
        return subprocess.Popen(kg_command("build", str(folder), "--store", str(store), "--quiet"),
                                cwd=ROOT, env=kg_env(), stdout=handle, stderr=subprocess.STDOUT)


def wait_until_writing(proc: subprocess.Popen, store: Path, limit: float = 120) -> None:
    """Until the build has written its first articles (it holds the writer lock from start)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the build ended too early for this test"
        if (store / "CURRENT").exists() and any(store_graphs(store)):
            return
        time.sleep(0.1)
    pytest.fail("the build wrote nothing in time")


def assert_whole(graphs: dict[str, frozenset[str]], reference: dict[str, frozenset[str]]) -> None:
    assert "" not in graphs, "quads outside any article graph"
    for article_id, quads in graphs.items():
        assert quads == reference[article_id], f"half an article seen: {article_id}"


def test_second_build_fails_at_once_and_changes_nothing(tmp_path, reference_corpus):
    folder, reference = reference_corpus
    store = tmp_path / "store"
    first = start_build(folder, store, tmp_path / "first.log")
    try:
        wait_until_writing(first, store)
        started = time.monotonic()
        second = run_kg("build", str(folder), "--store", str(store), "--format", "json", timeout=60)
        elapsed = time.monotonic() - started
        assert first.poll() is None, "the first build must still be running while the second starts"
        assert second.returncode != 0
        assert "store is in use by another process" in second.stderr, second.stderr
        assert len(second.stderr.strip().splitlines()) == 1, second.stderr
        assert "Traceback" not in second.stderr
        assert elapsed < 15, f"the second build took {elapsed:.1f} s to give up; it must fail at once"
        assert first.wait(timeout=180) == 0, (tmp_path / "first.log").read_text()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert store_graphs(store) == reference


def test_readers_during_a_build_see_whole_articles_and_never_fail(tmp_path, reference_corpus):
    folder, reference = reference_corpus
    store = tmp_path / "store"
    build = start_build(folder, store, tmp_path / "build.log")
    snapshots: list[int] = []
    cli_reads = 0
    try:
        wait_until_writing(build, store)
        while build.poll() is None:
            # in-process reads through the library, as `kg query` does them
            graphs = store_graphs(store)
            assert_whole(graphs, reference)
            snapshots.append(len(graphs))
            if cli_reads < 1:  # and real CLI readers: a query, an export
                count = run_kg("query", "-", "--store", str(store), "--format", "json",
                               input="SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }")
                assert count.returncode == 0, count.stderr
                n = int(json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"])
                assert 0 < n <= len(reference)
                export = run_kg("export", "--format", "nquads", "--store", str(store))
                assert export.returncode == 0, export.stderr
                exported: dict[str, set[str]] = {}
                for quad in ox.parse(export.stdout.encode(), format=ox.RdfFormat.N_QUADS):
                    exported.setdefault(quad.graph_name.value, set()).add(str(quad))
                assert len(exported) >= n
                for graph, quads in exported.items():  # whole articles in the export too
                    article_id = MINTER.article_id_from_graph(ox.NamedNode(graph))
                    assert len(quads) == len(reference[article_id]), f"half of {article_id} exported"
                cli_reads += 1
            time.sleep(0.3)  # leave the writer room: readers and the writer share one RocksDB lock
        assert build.returncode == 0, (tmp_path / "build.log").read_text()
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert len(snapshots) >= 1, (cli_reads, snapshots)
    assert any(0 < n < len(reference) for n in snapshots), "no read happened mid-build"
    assert snapshots == sorted(snapshots), "articles never disappear during a first build"
    assert store_graphs(store) == reference


# hostile queries through the CLI -----------------------------------------------------------------
@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    base = tmp_path_factory.mktemp("queries")
    (base / "in").mkdir()
    (base / "in" / "a.txt").write_text("NATO Secretary General Mark Rutte met Zelensky in Kyiv.", encoding="utf-8")
    (base / "in" / "b.txt").write_text("North Korea sent 3,000 troops to Kursk.", encoding="utf-8")
    result = run_kg("build", str(base / "in"), "--store", str(base / "store"), "-q")
    assert result.returncode == 0, result.stderr
    return base / "store"


INSERT = "INSERT DATA { GRAPH <urn:kg:test> { <urn:a> <urn:b> <urn:c> } }"


def test_update_is_refused_without_the_flag(small_store):
    before = store_graphs(small_store)
    for text in (INSERT, "DROP ALL", "CLEAR DEFAULT", "DELETE WHERE { ?s ?p ?o }"):
        refused = run_kg("query", "-", "--store", str(small_store), input=text)
        assert refused.returncode == 5, (text, refused.stderr)
        assert "read-only" in refused.stderr and "--update" in refused.stderr
    assert store_graphs(small_store) == before


def test_update_runs_with_the_flag(tmp_path, small_store):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(small_store, copy)
    done = run_kg("query", "-", "--update", "--store", str(copy), input=INSERT)
    assert done.returncode == 0, done.stderr
    ask = run_kg("query", "-", "--store", str(copy), "--format", "json", input="ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(ask.stdout)["boolean"] is True


def test_syntax_error_gives_line_and_column(small_store):
    result = run_kg("query", "-", "--store", str(small_store), input="SELECT ?s WHERE {\n  ?s ?p \n}")
    assert result.returncode == 5
    (line,) = result.stderr.strip().splitlines()
    assert "syntax error" in line and "3:2" in line, line


def test_parameters_are_bound_not_pasted(small_store):
    before = store_graphs(small_store)
    text = "SELECT ?id ?a WHERE { ?a a kg:Article ; dcterms:identifier ?id }"
    for value in ['a" } ; DROP ALL ; #', "<urn:x> } } DROP ALL #", "a'b\"c\\d"]:
        result = run_kg("query", "-", "--store", str(small_store), "--format", "json", "--param", f"id={value}",
                        input=text)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["results"]["bindings"] == []
    bound = run_kg("query", "-", "--store", str(small_store), "--format", "json", "--param", "id=a", input=text)
    assert [b["id"]["value"] for b in json.loads(bound.stdout)["results"]["bindings"]] == ["a"]
    assert store_graphs(small_store) == before


def test_timeout_stops_a_query_with_many_rows(small_store):
    result = run_kg("query", "-", "--store", str(small_store), "--timeout", "0.001",
                    input="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert result.returncode == 5 and "timed out" in result.stderr, result.stderr


def test_timeout_stops_an_aggregate_over_a_huge_join(small_store):
    try:
        result = run_kg("query", "-", "--store", str(small_store), "--timeout", "1", timeout=12,
                        input="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    except subprocess.TimeoutExpired:
        pytest.fail("--timeout 1 did not stop the query within 12 s")
    assert result.returncode == 5 and "timed out" in result.stderr


def test_a_kept_query_error_leaves_the_store_free_for_others(small_store):
    """A notebook keeps the last error (pytest too): its traceback must not keep the store open."""
    from kg.errors import QueryError
    from kg.store.local import LocalStore

    store = LocalStore(Settings(), small_store)
    with pytest.raises(QueryError, match="syntax") as kept:
        store.query("SELECT * WHERE { ?s ?p }")
    other = ox.Store(str(small_store))  # RocksDB's lock: fails while any handle is alive
    del other
    assert kept.value is not None and store.query("ASK { ?s ?p ?o }").boolean is True
