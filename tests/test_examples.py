"""Every example kg prints runs as it is on the sample articles: the examples of each command's
--help and of kg --help, and the command line 'kg queries' gives for each bundled query (which
must also answer rows on data/). Each runs in a shell, in a folder holding a copy of data/ and
the store built from it (./kg-data, the default), a fresh copy for each example."""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
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
    work = fresh_copy(built, tmp_path)
    if command == "serve":  # runs until stopped: it must answer, then stop on Ctrl+C
        serve_until_it_answers(line, work)
        return
    done = run(line, work)
    assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr


def serve_until_it_answers(line: str, cwd: Path) -> None:
    """Start a ``kg serve`` example, wait until its page answers, stop it with SIGINT."""
    port = re.search(r"--port (\d+)", line)
    url = f"http://127.0.0.1:{port.group(1) if port else 8000}/"
    env = kg_env() | {"BROWSER": "true"}  # --open: a browser that opens nothing
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    process = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"{line} ended: {process.communicate()[1][-2000:]}"
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, f"{line} did not answer at {url}"
                time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "Traceback" not in errors, errors[-2000:]


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
