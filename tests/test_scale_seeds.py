"""Issue 9 acceptance on the seeds: a local build, a ``--jobs 2`` build, a Dask build and a
build into a remote SPARQL store (``oxigraph serve``) give the same dataset."""

from __future__ import annotations

import pytest

from kg.build import build_sources
from kg.executors import executor_for
from kg.store.remote import RemoteStore
from kg.settings import Settings
from kg.store.local import LocalStore

from conftest import SEEDS, needs_seeds
from conftest import assert_same_dataset, dataset_lines

pytestmark = [needs_seeds, pytest.mark.slow]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> set[str]:
    settings = Settings(store=str(tmp_path_factory.mktemp("one") / "store"))
    assert build_sources([str(SEEDS)], settings).new == 5
    return dataset_lines(LocalStore(settings).quads())


def test_two_processes(reference, tmp_path):
    settings = Settings(store=str(tmp_path / "store"), jobs=2)
    assert build_sources([str(SEEDS)], settings).new == 5
    assert_same_dataset(dataset_lines(LocalStore(settings).quads()), reference)


def test_dask_local_cluster(reference, tmp_path):
    pytest.importorskip("distributed")
    settings = Settings(store=str(tmp_path / "store"), jobs=2)
    summary = build_sources([str(SEEDS)], settings, executor=executor_for("dask-local"))
    assert summary.new == 5 and summary.failed == 0
    assert_same_dataset(dataset_lines(LocalStore(settings).quads()), reference)


def test_remote_store(reference, server):
    settings = Settings(store=server)
    summary = build_sources([str(SEEDS)], settings)
    assert summary.failed == 0
    assert_same_dataset(dataset_lines(RemoteStore(settings).quads()), reference)
