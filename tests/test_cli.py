"""The command line: every command documented with examples; errors are one line."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from kg.cli import app
from kg.cli.app import COMMANDS as TABLE
from kg.cli.app import command_function

from conftest import ROOT, kg_env

runner = CliRunner()
COMMANDS = sorted(get_command(app).list_commands(None))  # type: ignore[attr-defined]


def test_all_expected_commands_exist():
    assert {"build", "query", "queries", "export", "import", "remove", "stats", "entities", "show",
            "validate", "ontology", "eval", "link", "reason"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_the_help_table_gives_each_command_its_docstring_summary(name):
    """``kg --help`` lists the commands from the table without importing them: each one-line
    summary there must be the first paragraph of the command's docstring, its own help."""
    doc = inspect.getdoc(command_function(name))
    assert doc and " ".join(TABLE[name][1].split()) == " ".join(doc.split("\n\n")[0].split())


def test_help_lists_every_command_without_importing_their_modules():
    code = ("import sys; from kg.cli import app; app(['--help'], standalone_mode=False); "
            "print(sorted(m for m in sys.modules if m.startswith('kg.')), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=kg_env())
    assert done.returncode == 0, done.stderr
    for name in TABLE:
        assert f"  {name} " in done.stdout
    loaded = eval(done.stderr.strip().splitlines()[-1])
    assert not [m for m in loaded if m.startswith(("kg.cli.build", "kg.cli.check", "kg.store", "kg.queries"))]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_examples(name):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_build_stats_and_entities_as_json(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(" date 2024-10-28 NATO Secretary General Mark Rutte spoke in Brussels.", encoding="utf-8")
    store = str(tmp_path / "store")
    built = runner.invoke(app, ["build", str(source), "--store", store, "--format", "json"])
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["new"] == 1
    stats = json.loads(runner.invoke(app, ["stats", "--store", store, "--format", "json"]).stdout)
    assert stats["articles"] == 1 and stats["entities"]["Person"] == 1
    listed = runner.invoke(app, ["entities", "--store", store, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    shown = runner.invoke(app, ["show", "Rutte", "--store", store, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert "Mark Rutte" in json.loads(shown.stdout)["labels"]
    reasoned = runner.invoke(app, ["reason", "--store", store, "--format", "json"])
    assert reasoned.exit_code == 0, reasoned.output
    result = json.loads(reasoned.stdout)
    assert result["articles"] == 1 and result["inferred"] > 0 and 0 < result["input_triples"] < result["read_triples"] / 2
    text = runner.invoke(app, ["reason", "--store", store, "--quiet"])
    assert text.exit_code == 0 and f"{result['inferred']} new triples written to" in text.stdout


def test_errors_are_one_line_with_a_nonzero_exit(tmp_path):
    result = runner.invoke(app, ["stats", "--store", str(tmp_path / "nothing")])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kg: error:")
    assert "Traceback" not in result.output
