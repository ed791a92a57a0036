"""Graphs built from real news validate against the SHACL shapes with zero violations."""

from __future__ import annotations

import itertools

import pytest

from kg.build import build_sources
from kg.settings import Settings
from kg.store import open_store
from kg.derived.validate import validate_store

from conftest import SHARED, needs_seeds

BBC = SHARED / "corpora" / "bbc" / "bbc_news.jsonl"


def _violations(settings):
    report = validate_store(open_store(settings))
    return [f"{v.article_id}: {v.focus_label or v.focus_node} [{v.path}] {v.message}" for v in report.violations]


@needs_seeds
def test_seed_graph_conforms(seed_store):
    settings, _ = seed_store
    assert _violations(settings) == []


def test_sample_data_graph_conforms(data_store):
    settings, _ = data_store
    assert _violations(settings) == []


@pytest.mark.skipif(not BBC.is_file(), reason="../shared/corpora/bbc is not available")
def test_unseen_news_from_other_domains_conforms(tmp_path):
    sample = tmp_path / "sample.jsonl"
    with BBC.open(encoding="utf-8") as source:
        # every 40th article: business, entertainment, politics, sport and tech
        sample.write_text("".join(itertools.islice(source, 0, None, 40)), encoding="utf-8")
    settings = Settings(store=str(tmp_path / "store"))
    summary = build_sources([str(sample)], settings)
    assert summary.failed == 0 and summary.new >= 50
    assert _violations(settings) == []
