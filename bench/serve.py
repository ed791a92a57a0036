"""Load test of ``kg serve``: entity pages and bundled queries through ``/sparql`` under
concurrent clients on loopback, on a built store (the BBC corpus: see bench/README.md).

    python -m bench.serve --store bbc-store                 # 20 clients
    python -m bench.serve --store bbc-store --clients 20 --entities 200 --rounds 3

It starts ``kg serve`` in its own process on a free loopback port, then runs two phases, each
with ``--clients`` threads, each thread with its own HTTP connection:

* cold: every URL once (the server has answered none of them yet);
* warm: ``--rounds`` passes over the URLs in a random order per client (answers the server has
  computed once come from its response cache: the store cannot change while it is served).

The URLs are the entity pages of the ``--entities`` most mentioned entities and every bundled
query that needs no parameter and no network, POSTed to ``/sparql`` as its file's text (as a
SPARQL editor sends it), answers as SPARQL JSON. It reports how long the server took to start
(to listen, having read what its entity pages need), its resident memory (RSS) once it listens and
at the end, the machine's load average (1 minute)
before and after, the server's CPU time in each phase (which depends less on what else the
machine runs than the latencies do), and, per phase and kind, the count, errors (a status other than 200, or no
answer) and the p50, p95 and maximum latency in milliseconds, the five slowest requests of the cold phase
and each bundled query's cold latency by name, and writes them to ``--output``
(``bench/results/serve.json``; gitignored).
Requests are bounded in count, go to 127.0.0.1 only, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from kg.queries.catalog import list_queries
from kg.queries.run import run_query
from kg.settings import Settings
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user and system) a process has used so far; None where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float | None:
    """The resident memory of a process in MB (VmRSS); None where /proc cannot tell."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def cpu_used(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def targets(store_path: str, entities: int) -> list[tuple[str, str, dict]]:
    """``(kind, url path, request options)`` for each URL of the run."""
    store = open_store(Settings(store=store_path))
    with store.session(create=False):
        top = run_query(store, "entities-by-type", limit=entities)
    base = store.iris.prefixes()["entity"]
    urls: list[tuple[str, str, dict]] = []
    for row in top.rows:
        entity = row[top.columns.index("entity")].value
        urls.append(("entity", "/entity/" + entity[len(base):], {}))
    for info in list_queries():
        if info.network or any(p.required for p in info.params) or info.path is None:
            continue
        urls.append(("sparql", "/sparql", {"data": {"query": info.path.read_text(encoding="utf-8")},
                                           "headers": {"accept": "application/sparql-results+json"},
                                           "name": info.name}))
    return urls


def run_phase(base: str, plan: list[list[tuple[str, str, dict]]]) -> list[dict]:
    """Each client thread sends its list of requests in order; one record per request."""
    records: list[dict] = []
    lock = threading.Lock()

    def client(requests: list[tuple[str, str, dict]]) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            for kind, path, options in requests:
                name = options.get("name", path)
                options = {k: v for k, v in options.items() if k != "name"}
                start = time.perf_counter()
                try:
                    response = http.post(path, **options) if "data" in options else http.get(path, **options)
                    status, size = response.status_code, len(response.content)
                except httpx.HTTPError as exc:
                    status, size = f"error: {exc.__class__.__name__}", 0
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    records.append({"kind": kind, "path": path, "name": name, "status": status, "ms": elapsed,
                                    "bytes": size})

    threads = [threading.Thread(target=client, args=(requests,)) for requests in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return records


def summary(records: list[dict]) -> dict:
    out = {}
    for kind in sorted({r["kind"] for r in records}) + ["all"]:
        chosen = [r for r in records if kind in ("all", r["kind"])]
        times = sorted(r["ms"] for r in chosen)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        out[kind] = {"requests": len(chosen), "errors": sum(r["status"] != 200 for r in chosen),
                     "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
                     "max_ms": round(times[-1], 1)}
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True, help="a built store directory")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--entities", type=int, default=200, help="entity pages: the N most mentioned entities")
    parser.add_argument("--rounds", type=int, default=3, help="warm passes over the URLs per client")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "serve.json"))
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    urls = targets(args.store, args.entities)
    port = free_port()
    launched = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", args.store, "--port", str(port), "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        announced = ""  # the server's listening message, JSON over a few lines
        while True:
            line = server.stdout.readline()
            if not line:
                raise SystemExit(f"kg serve did not start: {server.stderr.read()[-500:]}")
            announced += line
            if line.startswith("}"):
                break
        base = json.loads(announced)["url"].rstrip("/")
        start_seconds = time.perf_counter() - launched
        rss_started = rss_mb(server.pid)
        rng = random.Random(args.seed)
        cold_plan: list[list] = [[] for _ in range(args.clients)]
        shuffled = urls[:]
        rng.shuffle(shuffled)
        for index, url in enumerate(shuffled):
            cold_plan[index % args.clients].append(url)
        started, cpu_start = time.perf_counter(), cpu_seconds(server.pid)
        cold = run_phase(base, cold_plan)
        cold_seconds, cpu_cold = time.perf_counter() - started, cpu_seconds(server.pid)
        warm_plan = []
        for _ in range(args.clients):
            requests = [u for _ in range(args.rounds) for u in rng.sample(urls, len(urls))]
            warm_plan.append(requests[: max(1, len(urls) * args.rounds // args.clients)])
        started = time.perf_counter()
        warm = run_phase(base, warm_plan)
        warm_seconds, cpu_warm = time.perf_counter() - started, cpu_seconds(server.pid)
        rss_end = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    slowest = sorted(cold, key=lambda r: -r["ms"])[:5]
    result = {
        "store": args.store, "clients": args.clients, "urls": len(urls), "start_seconds": round(start_seconds, 1),
        "rss_mb": {"listening": rss_started, "end": rss_end},
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "entity_pages": sum(1 for u in urls if u[0] == "entity"), "queries": [u[2]["name"] for u in urls if u[0] == "sparql"],
        "cold": {"seconds": round(cold_seconds, 1), "server_cpu_seconds": cpu_used(cpu_start, cpu_cold), **summary(cold)},
        "warm": {"seconds": round(warm_seconds, 1), "server_cpu_seconds": cpu_used(cpu_cold, cpu_warm), **summary(warm)},
        "slowest_cold": [{k: (round(v, 1) if k == "ms" else v) for k, v in r.items()} for r in slowest],
        "queries_cold_ms": {r["name"]: round(r["ms"], 1) for r in sorted(cold, key=lambda r: -r["ms"]) if r["kind"] == "sparql"},
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
