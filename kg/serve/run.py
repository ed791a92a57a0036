"""Running the web application on uvicorn (``kg serve``)."""

from __future__ import annotations

import ipaddress
import threading
import webbrowser
from typing import Callable

import uvicorn

from kg.errors import StoreError
from kg.serve.app import LOOPBACK_HOSTS, create_app
from kg.settings import Settings
from kg.store import open_store


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    online: bool = False,
    open_browser: bool = False,
    started: Callable[[str], None] | None = None,
    reading: Callable[[], None] | None = None,
) -> None:
    """Serve the store ``settings`` name until interrupted.

    A server bound to a loopback address answers only requests whose ``Host`` is a loopback
    name (a page elsewhere cannot reach it by DNS rebinding).

    Args:
        started: called with the server's URL once it listens.
        reading: called before the server reads what its pages list from a local store (which
            takes seconds for thousands of articles; a remote store is read page by page).

    Raises:
        StoreError: there is no store, or it cannot be opened (another process holds it).
    """
    store = open_store(settings)
    if not store.exists():
        raise StoreError(f"no store at {settings.store}; run 'kg build' first or pass --store")
    if reading is not None and not settings.store_is_remote:
        reading()
    app = create_app(settings, online=online, store=store,
                     allowed_hosts=LOOPBACK_HOSTS if is_loopback(host) else None)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            if started is not None:
                started(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, name="kg-serve-announce", daemon=True).start()
    server.run()
    if not server.started:
        raise StoreError(f"kg serve could not start on {host}:{port} (is the port in use, or the store held by another process?)")
