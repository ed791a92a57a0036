"""Where extraction runs (issue 9): a Dask cluster and a local pool build what one process builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build_sources
from kg.errors import SettingsError
from kg.executors import executor_for, local_executor
from kg.settings import Settings
from kg.store.local import LocalStore

from conftest import assert_same_dataset, dataset_lines, write_texts

ARTICLES = {
    "e1.txt": "North Korea has sent about 10,000 troops to Russia's Kursk region, "
              "Ukrainian President Volodymyr Zelensky said on Friday.\n",
    "e2.txt": "NATO Secretary General Mark Rutte met officials in Brussels. "
              "Russia and North Korea signed a defence pact in June.\n",
    "e3.txt": "Ukrainian forces clashed with North Korean troops in Kursk on November 5.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_texts(tmp_path_factory.mktemp("corpus"), ARTICLES)


def _dataset(settings: Settings) -> set[str]:
    return dataset_lines(LocalStore(settings).quads())


@pytest.fixture(scope="module")
def local_build(corpus, tmp_path_factory) -> set[str]:
    settings = Settings(store=str(tmp_path_factory.mktemp("one") / "store"))
    summary = build_sources([str(corpus)], settings)
    assert summary.new == 3 and summary.failed == 0
    return _dataset(settings)


def test_dask_local_cluster_builds_the_same_graph(corpus, local_build, tmp_path):
    pytest.importorskip("distributed")
    # batch_size=1: three batches spread over both workers, results must come back in order
    settings = Settings(store=str(tmp_path / "store"), jobs=2, batch_size=1)
    summary = build_sources([str(corpus)], settings, executor=executor_for("dask-local"))
    assert summary.failed == 0 and summary.new == 3
    assert summary.article_ids == ["e1", "e2", "e3"]
    assert_same_dataset(_dataset(settings), local_build)


def test_two_local_processes_build_the_same_graph(corpus, local_build, tmp_path):
    settings = Settings(store=str(tmp_path / "store"), jobs=2, batch_size=1)
    summary = build_sources([str(corpus)], settings)
    assert summary.failed == 0 and summary.new == 3
    assert_same_dataset(_dataset(settings), local_build)


def test_unknown_executor_is_a_settings_error():
    assert executor_for("local") is local_executor
    with pytest.raises(SettingsError, match="unknown executor"):
        executor_for("spark://x")


def test_malformed_scheduler_address_is_a_settings_error():
    pytest.importorskip("distributed")
    from kg.executors import dask_executor

    with pytest.raises(SettingsError, match="invalid Dask scheduler address"):
        dask_executor("host:8786")
