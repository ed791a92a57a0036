"""The command line as a new user meets it (issue: a CLI people can trust, script and copy from):
choices and usage errors, names that paste back, tables that fit, one JSON shape per command,
one line per error, help without type names, shell completion, progress off a terminal."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cli import common
from kg.cli.app import COMMANDS

from conftest import ROOT, kg_env

runner = CliRunner()
KG = str(Path(sys.executable).with_name("kg"))
FORMAT_COMMANDS = ["build", "remove", "import", "stats", "entities", "show", "link", "export", "query", "queries",
                   "eval", "validate", "ontology", "reason"]


@pytest.fixture(scope="module")
def store(data_store) -> str:
    return data_store[0].store


def invoke(*args: str):
    return runner.invoke(app, list(args))


def one_error_line(result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    return lines[-1]


# choices and usage errors ------------------------------------------------------------------------
@pytest.mark.parametrize("name", FORMAT_COMMANDS)
def test_an_unknown_format_is_a_usage_error_and_help_lists_the_choices(name: str, store: str) -> None:
    args = {"build": ["build", "x.txt"], "remove": ["remove", "x"], "import": ["import", "x.nq"],
            "show": ["show", "Rutte"], "query": ["query", "roles"], "eval": ["eval", "gold"]}.get(name, [name])
    result = invoke(*args, "--format", "xml", "--store", store) if name not in ("queries", "ontology") \
        else invoke(*args, "--format", "xml")
    assert result.exit_code == 2, result.output
    assert "'xml' is not one of" in result.stderr
    (option,) = [line for line in invoke(name, "--help").stdout.splitlines() if "--format <" in line]
    assert "json" in option or "nquads" in option  # the choices, as <a|b|…>


@pytest.mark.parametrize("args", [["entities", "--limit", "-3"], ["query", "roles", "--limit", "-3"],
                                  ["entities", "--type", "Pope"], ["validate", "--inference", "magic"]])
def test_bad_option_values_exit_2(args: list[str], store: str) -> None:
    assert invoke(*args, "--store", store).exit_code == 2


def test_a_repeated_parameter_is_a_usage_error(store: str) -> None:
    line = one_error_line(invoke("query", "roles", "-p", "holder=Rutte", "-p", "holder=Austin", "--store", store), 2)
    assert "given twice" in line


def test_an_unknown_column_is_a_usage_error(store: str) -> None:
    line = one_error_line(invoke("query", "roles", "--columns", "holder,nope", "--store", store), 2)
    assert "no column 'nope'" in line and "holderLabel" in line


def test_an_unknown_article_id_is_an_error_not_an_empty_table(store: str) -> None:
    line = one_error_line(invoke("query", "article-facts", "-p", "article=nope", "--store", store), 5)
    assert line.startswith("kg: error: no article 'nope'")
    assert invoke("query", "article-facts", "-p", "article=2024-10-24-pentagon-confirms", "--store", store).exit_code == 0


# names that paste back -----------------------------------------------------------------------------
def test_every_name_kg_prints_for_an_entity_is_taken_back(store: str) -> None:
    listed = json.loads(invoke("entities", "--format", "json", "--store", store).stdout)
    assert listed and {"iri", "name", "label", "class", "mentions", "articles", "wikidata"} == set(listed[0])
    table = invoke("entities", "--iris", "--store", store).stdout
    for entity in listed:
        assert entity["name"] in table
        for form in (entity["name"], f"<{entity['iri']}>", entity["iri"]):
            shown = invoke("show", form, "--format", "json", "--store", store)
            assert shown.exit_code == 0, (form, shown.output)
            assert json.loads(shown.stdout)["iri"] == entity["iri"]
    rutte = json.loads(invoke("show", "Rutte", "--format", "json", "--store", store).stdout)
    assert rutte["name"] == "entity:Q57792"
    assert invoke("show", "entity:Q57792", "--store", store).stdout.startswith("Mark Rutte  entity:Q57792")


def test_an_ambiguous_name_lists_the_candidates_with_label_class_and_counts(store: str) -> None:
    line = one_error_line(invoke("show", "Korea", "--store", store), 5)
    assert "'Korea' names 2 entities" in line
    assert "entity:Q423 (North Korea, State, 15 mentions in 8 articles)" in line
    assert "entity:Q884 (South Korea, State" in line


def test_query_parameters_take_the_printed_names(store: str) -> None:
    for value in ("entity:Q423", "<https://w3id.org/kg-news/entity/Q423>", "North Korea", "north korea"):
        result = invoke("query", "troop-numbers", "-p", f"state={value}", "--format", "json", "--store", store)
        assert result.exit_code == 0 and len(json.loads(result.stdout)["results"]["bindings"]) == 6, value


# tables ----------------------------------------------------------------------------------------------
def test_tables_show_labels_fit_the_terminal_and_pick_columns(store: str, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    table = invoke("query", "troop-numbers", "--store", store).stdout
    lines = table.splitlines()
    assert len(lines) == 2 + 6 + 1  # header, rule, one line per row, the count
    assert all(len(line) <= 100 for line in lines)
    assert "entity:Q423" not in table and "stateLabel" not in lines[0] and lines[2].startswith("North")
    assert "entity:Q423" in invoke("query", "troop-numbers", "--iris", "-c", "state,value", "--store", store).stdout
    picked = invoke("query", "troop-numbers", "--columns", "state,value,speaker", "--store", store).stdout.splitlines()
    assert picked[0].split() == ["state", "value", "speaker"] and picked[2].split()[:3] == ["North", "Korea", "1500"]
    csv_text = invoke("query", "troop-numbers", "-f", "csv", "-c", "state,value", "--store", store).stdout
    assert csv_text.splitlines()[0] == "state,value"


# one JSON shape per command, data only ----------------------------------------------------------------
def test_show_json_is_data_only(store: str) -> None:
    data = json.loads(invoke("show", "Rutte", "--format", "json", "--store", store).stdout)
    assert set(data) == {"iri", "name", "classes", "labels", "aliases", "wikidata", "facts", "mentions"}
    assert all(set(f) == {"kind", "text", "article", "date", "cue", "other", "detail", "side"} for f in data["facts"])
    claims = [f for f in data["facts"] if f["kind"] == "claim"]
    assert claims and not any("said:" in f["text"] or "undated" in f["text"] for f in claims)
    assert {"article", "sentence"} == set(data["mentions"][0])


def test_build_json_lists_the_failures_with_their_reasons(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(" date 2024-10-28 Mark Rutte spoke in Brussels.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = invoke("build", str(tmp_path / "good.txt"), str(tmp_path / "bad.txt"), "--store",
                    str(tmp_path / "s"), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["new"] == 1 and data["failed"] == 1 and data["articles"] == ["good"]
    (failure,) = data["failures"]
    assert failure["path"].endswith("bad.txt") and "binary" in failure["reason"]
    assert data["warnings"] == []


# errors and help -------------------------------------------------------------------------------------
def test_a_timeout_and_an_offline_service_are_one_line(store: str) -> None:
    env = {**kg_env(), "KG_STORE": store}
    for args in (["query", "claims-by-speaker", "--timeout", "0.0000001"], ["query", "wikidata-facts", "--timeout", "2"]):
        done = subprocess.run([KG, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert done.returncode == 5
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "RuntimeError" not in done.stderr and "unsendable" not in done.stderr


def test_link_online_without_network_is_one_failure_line_and_exit_1(store: str, tmp_path: Path) -> None:
    env = {**kg_env(), "KG_STORE": store, "KG_WIKIDATA_API": "http://127.0.0.1:9/w/api.php",
           "KG_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([KG, "link", "--online", "--quiet"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("kg: failed: Wikidata lookup of") and "more look-ups" in lines[-1]
    assert not [line for line in lines if not line.startswith("kg: ")]  # no Python warning, no source line
    assert done.stdout.startswith("linked: ")


def test_help_shows_metavars_not_type_names_and_no_placeholders() -> None:
    for name in COMMANDS:
        text = invoke(name, "--help").stdout
        # the usage line, the arguments and the options, not the examples (their SPARQL has braces)
        usage = text.split("\n\n")[0] + text[min((text.find(h) for h in ("Arguments:", "Options:") if h in text),
                                                default=len(text)):]
        for bad in ("<str>", "<int", "<float", "<list[", "<path>", "<{base}"):
            assert bad not in text, (name, bad)
        assert "{" not in usage, name
    assert "docs/gold-format.md" in re.sub(r"-\s+", "-", invoke("eval", "--help").stdout)  # wrapped at the dash
    assert (ROOT / "docs" / "gold-format.md").is_file()
    top = invoke("--help").stdout
    assert "Exit codes:" in top and "--install-completion" in top


def test_shell_completion_completes_query_names_and_choices() -> None:
    def complete(words: str, index: int) -> list[str]:
        env = {**kg_env(), "_KG_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(index)}
        return subprocess.run([KG], capture_output=True, text=True, env=env, timeout=60).stdout.split()

    assert complete("kg query troop", 2) == ["troop-numbers"]
    assert complete("kg stats --format ", 3) == ["text", "json"]
    assert "entities" in complete("kg ent", 1)


# progress ---------------------------------------------------------------------------------------------
def test_progress_off_a_terminal_is_a_line_with_counts_and_eta(tmp_path: Path, monkeypatch) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f" date 2024-10-28 Mark Rutte spoke in Brussels about {name}.",
                                              encoding="utf-8")
    monkeypatch.setattr(common, "PROGRESS_SECONDS", 0.0)
    result = invoke("build", str(tmp_path), "--store", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("kg: building")]
    assert lines and lines[-1].startswith("kg: building 3/3 articles (3 new)")
    assert "elapsed" in lines[-1] and "articles/s" in lines[-1] and "ETA 0:00" in lines[-1]
    quiet = invoke("build", str(tmp_path), "--store", str(tmp_path / "s"), "--quiet", "--force")
    assert "kg: building" not in quiet.stderr


def test_progress_lines_report_rate_and_time_left() -> None:
    lines = common.ProgressLines("building", "articles")
    lines.started -= 12
    lines.first = (lines.started + 2, 1)  # the first article came after 2 s of loading the model
    lines.done, lines.total = 51, 201
    assert lines.line(lines.started + 12) == "kg: building 51/201 articles, 0:12 elapsed, 5.0 articles/s, ETA 0:30"
