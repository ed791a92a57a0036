"""Every example kg prints runs as it is on the sample articles: the examples of each command's
--help and of kg --help, and the command line 'kg queries' gives for each bundled query (which
must also answer rows on data/). Each runs in a shell, in a folder holding a copy of data/ and
the store built from it (./kg-data, the default), a fresh copy for each example."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli.app import COMMANDS, app, command_function
from kg.queries import list_queries

from conftest import DATA, ROOT, kg_env

SHARED_GOLD = ROOT.parent / "shared" / "gold"


def examples(text: str) -> list[str]:
    """The example command lines of a help text: the lines starting with 'kg ' after 'Example'."""
    found, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Example"):
            inside = True
        elif inside and stripped.startswith(("kg ", "echo ", "cat ")):
            found.append(stripped)
    return found


HELP_EXAMPLES = sorted({(name, line) for name in COMMANDS for line in examples(inspect.getdoc(command_function(name)))}
                       | {("kg", line) for line in examples(app.info.help or "")})
QUERY_EXAMPLES = [(q.name, q) for q in list_queries() if not q.network]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A folder with data/ and ./kg-data built from it (and ../shared beside it, when there is one)."""
    base = tmp_path_factory.mktemp("examples")
    work = base / "work"
    work.mkdir()
    shutil.copytree(DATA, work / "data")
    if SHARED_GOLD.is_dir():
        (base / "shared").symlink_to(SHARED_GOLD.parent)
    done = run("kg build data/ --quiet", work)
    assert done.returncode == 0, done.stderr
    return work


def run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    env = kg_env()
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(["bash", "-c", f"set -o pipefail; {line}"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def fresh_copy(built: Path, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(built, work, symlinks=True)
    if (built.parent / "shared").exists():
        (tmp_path / "shared").symlink_to((built.parent / "shared").resolve())
    return work


def test_every_command_has_examples() -> None:
    assert {name for name, _ in HELP_EXAMPLES} >= set(COMMANDS) | {"kg"}


@pytest.mark.slow
@pytest.mark.parametrize(("command", "line"), HELP_EXAMPLES)
def test_help_example_runs_on_data(built: Path, tmp_path: Path, command: str, line: str) -> None:
    if "../shared" in line and not SHARED_GOLD.is_dir():
        pytest.skip("../shared/gold is not available")
    done = run(line, fresh_copy(built, tmp_path))
    assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("name", "info"), QUERY_EXAMPLES)
def test_kg_queries_example_answers_rows_on_data(built: Path, name: str, info) -> None:
    listed = run("kg queries --format json", built)
    (entry,) = [q for q in json.loads(listed.stdout) if q["name"] == name]
    assert entry["example"].startswith(f"kg query {name}")
    done = run(entry["example"] + " --format json", built)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"], entry["example"]
    text = run("kg queries", built).stdout
    assert f"example: {entry['example']}" in text
