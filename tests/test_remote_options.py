"""Remote stores beyond Oxigraph's defaults: endpoint paths, union mode, authentication from an
environment variable and retries with backoff, all settable in kg.toml. The endpoint is a real
``oxigraph serve`` behind a small proxy on 127.0.0.1 that moves its paths (as Fuseki lays them
out), asks for a bearer token or a password, and answers 503 when told to."""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import SettingsError, StoreError
from kg.settings import load_settings
from kg.store.remote import RemoteStore

from conftest import write_texts

PATHS = {"/ds/sparql": "/query", "/ds/update": "/update", "/ds/data": "/store"}


class Proxy(BaseHTTPRequestHandler):
    upstream = ""
    expected = ""
    fail_next = 0
    seen: list[tuple[str, str, int]] = []

    def _forward(self) -> None:
        path, _, query = self.path.partition("?")
        cls = type(self)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") != cls.expected:
            return self._answer(401, b"unauthorised", path)
        if cls.fail_next > 0:
            cls.fail_next -= 1
            return self._answer(503, b"busy", path, {"Retry-After": "0"})
        if path not in PATHS:
            return self._answer(404, b"no such endpoint", path)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        answer = httpx.request(self.command, cls.upstream + PATHS[path] + ("?" + query if query else ""),
                               content=body, headers=headers, timeout=30)
        self._answer(answer.status_code, answer.content, path,
                     {"Content-Type": answer.headers.get("content-type", "text/plain")})

    def _answer(self, status: int, body: bytes, path: str, headers: dict | None = None) -> None:
        type(self).seen.append((self.command, path, status))
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _forward  # noqa: N815

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def proxy(server):
    Proxy.upstream = server
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def config(tmp_path, proxy):
    path = tmp_path / "kg.toml"
    path.write_text(
        f'[kg]\nstore = "{proxy}"\nremote_query_path = "/ds/sparql"\nremote_update_path = "/ds/update"\n'
        'remote_store_path = "/ds/data"\nremote_auth = "bearer"\nremote_auth_env = "KG_TEST_TOKEN"\n'
        'remote_retries = 2\nremote_backoff = 0.01\n', encoding="utf-8")
    Proxy.expected, Proxy.fail_next, Proxy.seen = "Bearer s3cret", 0, []
    return path


def test_paths_auth_and_retries_from_kg_toml(tmp_path, config, monkeypatch) -> None:
    monkeypatch.setenv("KG_TEST_TOKEN", "s3cret")
    corpus = write_texts(tmp_path, {"r1.txt": " date 2024-10-28 NATO Secretary General Mark Rutte spoke in Brussels."})
    runner = CliRunner()
    Proxy.fail_next = 2  # the first two requests are turned away: both are sent again
    built = runner.invoke(app, ["build", str(corpus / "r1.txt"), "--config", str(config), "--format", "json"])
    assert built.exit_code == 0, built.output
    assert [s for s in Proxy.seen if s[2] == 503] and all(path in PATHS for _, path, _ in Proxy.seen)
    listed = runner.invoke(app, ["stats", "--config", str(config), "--format", "json", "--articles"])
    assert listed.exit_code == 0, listed.output
    assert "r1" in listed.stdout


def test_a_server_busy_for_longer_than_the_retries_is_one_error_line(config, monkeypatch) -> None:
    monkeypatch.setenv("KG_TEST_TOKEN", "s3cret")
    Proxy.fail_next = 3  # one more than remote_retries = 2
    store = RemoteStore(load_settings(config))
    with pytest.raises(Exception, match="503"):
        store.query("ASK {}")
    assert [status for _, _, status in Proxy.seen] == [503, 503, 503]


def test_wrong_credentials_are_a_store_error(config, monkeypatch) -> None:
    monkeypatch.setenv("KG_TEST_TOKEN", "wrong")
    with pytest.raises(StoreError, match="refused the credentials"):
        RemoteStore(load_settings(config)).query("ASK {}")


def test_basic_auth(config, monkeypatch) -> None:
    text = config.read_text().replace('remote_auth = "bearer"', 'remote_auth = "basic"')
    config.write_text(text)
    monkeypatch.setenv("KG_TEST_TOKEN", "ann:pw")
    Proxy.expected = "Basic " + base64.b64encode(b"ann:pw").decode()
    assert RemoteStore(load_settings(config)).query("ASK { ?s ?p ?o }").boolean is not None


def test_credentials_come_from_the_environment_only(config, monkeypatch) -> None:
    monkeypatch.delenv("KG_TEST_TOKEN", raising=False)
    with pytest.raises(SettingsError, match="KG_TEST_TOKEN"):
        load_settings(config)
    config.write_text(config.read_text() + 'remote_credentials = "s3cret"\n')
    with pytest.raises(SettingsError, match="unknown setting 'remote_credentials'"):
        load_settings(config)


def test_union_mode_is_a_setting(tmp_path) -> None:
    path = tmp_path / "kg.toml"
    path.write_text('store = "http://127.0.0.1:1"\nremote_union = "native"\n')
    assert RemoteStore(load_settings(path)).union == "native"
    path.write_text('store = "http://127.0.0.1:1"\nremote_union = "everything"\n')
    with pytest.raises(SettingsError, match="remote_union"):
        load_settings(path)
