"""``kg serve`` from the command line: its help, its errors, and a real server process."""

from __future__ import annotations

import json
import signal
import subprocess

import httpx
import pytest
from typer.testing import CliRunner

from conftest import ROOT, kg_command, kg_env
from kg.cli import app
from kg.errors import StoreError
from kg.serve import is_loopback
from serve_support import free_port, make_store

runner = CliRunner()


def test_help_names_the_options() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--open", "--online", "--store", "--format"):
        assert option in result.output


def test_a_missing_store_is_one_line_and_the_store_error_code(tmp_path) -> None:
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "none"), "--port", str(free_port())])
    assert result.exit_code == StoreError.exit_code != 0
    assert result.output.strip().startswith("kg: error: no store at") and len(result.output.strip().splitlines()) == 1


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


@pytest.mark.slow
def test_kg_serve_runs_answers_and_stops(tmp_path) -> None:
    store = make_store(tmp_path / "store")
    port = free_port()
    process = subprocess.Popen([*kg_command("serve", "--store", store.settings.store, "--port", str(port),
                                            "--format", "json")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=kg_env())
    try:
        announced = ""
        while not announced.rstrip().endswith("}"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            announced += line
        url = json.loads(announced)["url"]
        assert url == f"http://127.0.0.1:{port}/"
        page = httpx.get(url + "entity/Q423.json", timeout=10)
        assert page.status_code == 200 and page.json()["label"] == "North Korea"
        refused = httpx.post(url + "sparql", data={"update": "DROP ALL"}, timeout=10)
        assert refused.status_code == 403
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert process.returncode in (0, -signal.SIGINT, 130)
