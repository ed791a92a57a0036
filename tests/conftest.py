"""Shared fixtures: the real spaCy pipeline (loaded once), settings on temporary stores,
and the third-party seed articles in ``../shared`` (tests using them skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
DATA = ROOT / "data"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")
needs_gold = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/gold is not available")


@pytest.fixture(scope="session")
def nlp():
    """kg's full pipeline (model + rules), loaded once per test session."""
    from kg.nlp import load_pipeline

    return load_pipeline(Settings().model)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Default settings on a fresh on-disk store in a temporary directory."""
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """The seeds built once into a store: ``(settings, summary)``."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    from kg.build import build_sources

    settings = Settings(store=str(tmp_path_factory.mktemp("seeds") / "store"))
    summary = build_sources([str(SEEDS)], settings)
    return settings, summary


@pytest.fixture(scope="session")
def data_store(tmp_path_factory):
    """The project's sample articles in ``data/`` built once: ``(settings, summary)``."""
    from kg.build import build_sources

    settings = Settings(store=str(tmp_path_factory.mktemp("data") / "store"))
    summary = build_sources([str(DATA)], settings)
    return settings, summary
