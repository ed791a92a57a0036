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
            if cli_reads < 2:  # and real CLI readers: a query and a dataset export
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
    assert cli_reads >= 1 and len(snapshots) >= 3, (cli_reads, snapshots)
    assert snapshots == sorted(snapshots), "articles never disappear during a first build"
    assert store_graphs(store) == reference
