"""Nothing lost, nothing reached (issue 20): fault injection and hostile input, one section per
case of the issue (numbered as there). Each case ends either in a working store with every
article accounted for, or in one clear line and a non-zero exit; never in a traceback, and
never in exit 0 with an article lost, merged or invisible.

Real processes on real on-disk stores: builds killed at each step, hostile imports and queries
under a memory limit (``resource.setrlimit`` in the child, so a regression fails the test
instead of exhausting the machine), SERVICE against a listener on 127.0.0.1, stores made
read-only (as another user when the tests run as root) or damaged on disk. docs/reliability.md
lists what kg promises and the test of each promise.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg.derived.entity_index
import kg.iri
import kg.store.base
from kg.build import build_sources, import_dataset, remove_articles
from kg.cli import app
from kg.errors import QueryError, StoreError
from kg.iri import IRIMinter
from kg.queries import run_query
from kg.queries.browse import list_entities
from kg.settings import Settings
from kg.store.local import LocalStore

from conftest import DATA, ROOT, kg_command, kg_env, store_graphs, write_texts

MB = 1024 * 1024
MINTER = IRIMinter(Settings().base_iri)
RUTTE = "NATO Secretary General Mark Rutte met Volodymyr Zelensky in Kyiv on Monday.\n"
KIM = "Kim Jong Un visited Moscow in June, and Vladimir Putin signed a pact with North Korea.\n"
AUSTIN = "US Defense Secretary Lloyd Austin said North Korea had sent troops to Russia.\n"


def invoke(*args: str, input: bytes | str | None = None):
    """``kg ARGS`` in this process (the model is loaded once per session); an exception that
    escapes the command fails the test, as a traceback would have reached the user."""
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def limited(memory_mb: int):
    """A ``preexec_fn`` capping a child's address space: a regression that allocates without
    bound fails there, not on the machine running the tests."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    return apply


def run_kg_limited(*args: str, memory_mb: int = 3072, input: bytes | None = None, timeout: float = 180,
                   env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``kg ARGS`` in a process whose memory is capped; stdout and stderr as text."""
    done = subprocess.run(kg_command(*args), input=input, capture_output=True, cwd=ROOT,
                          env={**kg_env(), **(env or {})}, timeout=timeout, preexec_fn=limited(memory_mb))
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def one_clear_line(stderr: str, *words: str) -> None:
    """The failure is said in one line, with no traceback, and names what it is about."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "panicked" not in stderr, stderr
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])


def ids_of(store_path: Path) -> list[str]:
    return LocalStore(Settings(store=str(store_path))).article_ids()


def entity_index_current(store: LocalStore) -> bool:
    return kg.derived.entity_index.entity_index_current(store)


def article_segment(article_id: str) -> str:
    return kg.iri.article_segment(article_id)


def network_operations(text: str) -> frozenset[str]:
    return kg.store.base.network_operations(text)


def index_lines(store: LocalStore) -> set[str]:
    return {str(q.triple) for q in store.quads(store.index_graph)}


def built(tmp_path: Path, texts: dict[str, str], name: str = "store") -> tuple[Settings, Path]:
    folder = write_texts(_fresh(tmp_path / f"{name}-in"), texts)
    settings = Settings(store=str(tmp_path / name))
    summary = build_sources([str(folder)], settings)
    assert summary.ok, summary.failures
    return settings, folder


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# 1, 2, 4: ids that look like kg's own graphs ---------------------------------------------------------
def test_ids_of_kg_own_graphs_are_ordinary_articles(tmp_path):
    """1, 2, 4: ``_entities``, ``_inferred`` (a file and a JSONL record) and ``_draft`` are
    articles like any other: stored, listed, skipped on a re-run, validated, removable; the
    entity index and the inferred graph stay kg's own."""
    folder = _fresh(tmp_path / "in")
    write_texts(folder, {"_entities.txt": RUTTE, "_draft.txt": KIM, "plain.txt": AUSTIN})
    (folder / "feed.jsonl").write_text(json.dumps({"id": "_inferred", "text": RUTTE + KIM}) + "\n")
    store = str(tmp_path / "store")
    first = invoke("build", str(folder), "--store", store, "--format", "json")
    assert first.exit_code == 0, first.stderr
    summary = json.loads(first.stdout)
    wanted = ["_draft", "_entities", "_inferred", "plain"]
    assert summary["new"] == 4 and sorted(summary["written"]) == wanted
    assert ids_of(tmp_path / "store") == wanted
    again = json.loads(invoke("build", str(folder), "--store", store, "--format", "json").stdout)
    assert (again["new"], again["updated"], again["skipped"]) == (0, 0, 4)
    assert sorted(again["skipped_ids"]) == wanted

    kg_store = LocalStore(Settings(store=store))
    for article_id in wanted:  # each in a graph of its own, none of them kg's
        graph = kg_store.iris.graph(article_id)
        assert graph in kg_store.graph_names() and not kg_store.iris.is_kg_graph(graph)
    assert kg_store.index_graph not in {kg_store.iris.graph(i) for i in wanted}
    assert {row.label for row in list_entities(kg_store)} >= {"Mark Rutte", "Kim Jong Un"}

    checked = invoke("validate", "--store", store, "--format", "json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["articles"] == 4, checked.stdout

    assert invoke("reason", "--store", store, "--quiet").exit_code == 0  # writes kg's _inferred graph
    assert ids_of(tmp_path / "store") == wanted
    (folder / "plain.txt").write_text(AUSTIN + "He spoke in Washington.\n")
    assert invoke("build", str(folder), "--store", store).exit_code == 0  # updates one article
    assert ids_of(tmp_path / "store") == wanted
    assert invoke("remove", "plain", "_draft", "--store", store).exit_code == 0
    assert ids_of(tmp_path / "store") == ["_entities", "_inferred"]
    assert {row.label for row in list_entities(kg_store)} >= {"Mark Rutte"}


def test_graph_iris_of_ordinary_ids_do_not_change():
    """Stores built before keep working: an ordinary id has the IRIs it always had; only a
    leading ``_`` is written ``%5F``, one-to-one."""
    for article_id in ("2024-10-25-kursk", "a000", "BBC News 12", "café", "x_y", "a%b"):
        assert MINTER.graph(article_id).value == f"{MINTER.base}graph/{article_segment(article_id)}"
        assert not article_segment(article_id).startswith("%5F")
    assert MINTER.graph("2024-10-25-kursk").value == "https://w3id.org/kg-news/graph/2024-10-25-kursk"
    assert MINTER.graph("café").value == "https://w3id.org/kg-news/graph/caf%C3%A9"
    assert MINTER.graph("_entities") != MINTER.kg_graph("_entities")
    assert MINTER.graph("_entities").value.endswith("/graph/%5Fentities")
    assert MINTER.graph("%5Fentities") != MINTER.graph("_entities")
    for article_id in ("_entities", "_x", "%5Fx", "a b", "é/x"):
        assert MINTER.article_id_from_graph(MINTER.graph(article_id)) == article_id
    assert MINTER.article_id_from_graph(MINTER.kg_graph("_inferred")) is None


def test_an_article_an_older_kg_stored_under_a_kg_graph_name_moves_on_its_next_build(tmp_path):
    """4: a store built before the change keeps ``_draft`` in ``<graph/_draft>``, where
    validation and removal missed it: the next build moves it to its graph, once."""
    settings, folder = built(tmp_path, {"_draft.txt": KIM, "plain.txt": AUSTIN})
    store = LocalStore(settings)
    old, new = ox.NamedNode(MINTER.base + "graph/_draft"), store.iris.graph("_draft")
    quads = [ox.Quad(q.subject, q.predicate, q.object, old) for q in store.quads(new)]
    with store.writer():
        store.replace_graphs([(old, quads)])
        store.remove_graph(new)
    summary = build_sources([str(folder)], settings)
    assert (summary.updated, summary.skipped) == (1, 1)
    assert old not in store.graph_names() and new in store.graph_names()
    assert build_sources([str(folder)], settings).skipped == 2


# 3, 5: ids that collide --------------------------------------------------------------------------
def test_ids_differing_only_in_normalisation_are_one_id(tmp_path):
    """3: ``café`` and ``cafe\\u0301`` are one id: the second text is refused with both sources
    named, the store holds one article with one hash, and re-runs do not flip between them."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "caf\u00e9", "text": RUTTE}) + "\n"
                    + json.dumps({"id": "cafe\u0301", "text": KIM}) + "\n", encoding="utf-8")
    store = str(tmp_path / "store")
    for run in range(2):
        result = invoke("build", str(feed), "--store", store, "--format", "json")
        assert result.exit_code == 1
        summary = json.loads(result.stdout)
        assert summary["failed"] == 1 and summary["new"] + summary["skipped"] == 1, summary
        (refused,) = summary["refused"]
        assert refused["id"] == "caf\u00e9" and refused["source"] == f"{feed}:2"
        assert f"{feed}:1" in refused["reason"] and "already taken" in refused["reason"]
        assert (summary["new"], summary["skipped"]) == ((1, 0) if run == 0 else (0, 1))
    assert ids_of(tmp_path / "store") == ["caf\u00e9"]
    hashes = LocalStore(Settings(store=store)).article_hashes()
    assert len(hashes) == 1
    assert invoke("validate", "--store", store).exit_code == 0


def test_the_same_article_read_twice_is_read_once(tmp_path):
    """3: one id and the same text twice (a file given twice, a repeated record) is one
    article, with a warning; nothing is stored twice."""
    folder = write_texts(_fresh(tmp_path / "in"), {"x.txt": RUTTE})
    result = invoke("build", str(folder), str(folder / "x.txt"), "--store", str(tmp_path / "store"),
                    "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["failed"], summary["warnings"]) == (1, 0, 1)
    assert "read once" in result.stderr and ids_of(tmp_path / "store") == ["x"]


def test_one_file_stem_in_two_folders_is_refused_with_both_paths(tmp_path):
    """5: ``a/x.txt`` and ``b/x.txt`` collide: the second is refused naming the first, in
    either order; the store never holds more articles than files."""
    a = write_texts(_fresh(tmp_path / "a"), {"x.txt": RUTTE})
    b = write_texts(_fresh(tmp_path / "b"), {"x.txt": KIM})
    store = str(tmp_path / "store")
    for first, second in ((a, b), (b, a)):
        result = invoke("build", str(first), str(second), "--store", store, "--format", "json")
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"kg: failed: {second / 'x.txt'}: ") and str(first / "x.txt") in line
        assert ids_of(tmp_path / "store") == ["x"]
        assert json.loads(result.stdout)["refused"][0]["id"] == "x"


# 6, 10: imports that would give no working store -----------------------------------------------------
@pytest.mark.parametrize("name,text", [
    ("plain.ttl", "<urn:s> <urn:p> <urn:o> ."),
    ("plain.nt", "<urn:s> <urn:p> <urn:o> ."),
    ("plain.nq", "<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> <urn:o2> <urn:g> ."),
    ("plain.trig", "<urn:s> <urn:p> <urn:o> . <urn:g> { <urn:s> <urn:p> <urn:o> }"),
    ("plain.rdf", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
], ids=["turtle", "ntriples", "nquads-default-graph", "trig-default-graph", "rdfxml"])
def test_import_of_statements_outside_a_named_graph_is_refused(tmp_path, name, text):
    """6: triples without a graph would be seen by queries but not by ``kg stats`` nor
    ``kg export``: the import is refused with the reason, and nothing is written."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke("import", str(path), "--store", str(tmp_path / "store"))
    assert result.exit_code == 4
    one_clear_line(result.stderr, str(path))
    assert "graph" in result.stderr
    assert not (tmp_path / "store" / "CURRENT").exists()


def test_import_replaces_graphs_and_leaves_a_store_that_stats_and_export_see(data_store, tmp_path):
    """6: an exported dataset imports into a store that every command sees whole, and
    importing it again replaces its graphs instead of merging a second copy into them."""
    settings, _ = data_store
    dump = tmp_path / "dump.nq"
    with dump.open("wb") as handle:
        exported = LocalStore(settings).export("nquads", handle)
    copy = Settings(store=str(tmp_path / "copy"))
    assert import_dataset(dump, copy) == exported
    assert import_dataset(dump, copy) == exported
    stats = LocalStore(copy).stats()
    assert stats.quads == exported == len(LocalStore(copy).quads())
    assert stats.articles == LocalStore(settings).stats().articles
    assert entity_index_current(LocalStore(copy))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"> <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"> <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.com/">
 <rdf:Description rdf:about="http://example.com/s"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
"""


def quadratic_blowup() -> str:
    entity = "x" * 20_000
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x "' + entity + '">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.com/">'
        '<rdf:Description rdf:about="http://example.com/s"><ex:p>' + "&x;" * 8_000
        + "</ex:p></rdf:Description></rdf:RDF>\n"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("kind", ["billion-laughs", "quadratic"])
def test_xml_entity_expansion_is_refused_under_a_memory_limit(tmp_path, kind, encoding):
    """10: RDF/XML that declares DTD entities is refused before any parsing, in one line, by a
    process whose memory is capped at 1 GiB (the expansion would need gigabytes)."""
    path = tmp_path / f"{kind}.rdf"
    path.write_bytes((BILLION_LAUGHS if kind == "billion-laughs" else quadratic_blowup()).encode(encoding))
    result = run_kg_limited("import", str(path), "--store", str(tmp_path / "store"), memory_mb=1024, timeout=60)
    assert result.returncode == 4, result.stderr[-2000:]
    one_clear_line(result.stderr, "entities", str(path))
    assert not (tmp_path / "store" / "CURRENT").exists()


# 7: a build killed at each step -------------------------------------------------------------------
KILLER = """
import os, signal, sys
import kg.build, kg.store.local
step = os.environ["KG_TEST_KILL_AT"]
kg.build.WRITE_BATCH_ARTICLES = 1  # one write per article: a step between two of them
store_class = kg.store.local.LocalStore
write = store_class.replace_graphs
calls = []

def die():
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)

def replace_graphs(self, graphs):
    calls.append(graphs)
    names = {graph for graph, _ in graphs}
    if step == "first-write" or (step == "second-write" and len(calls) == 2):
        die()
    if step == "stamp" and self.state_graph in names:
        die()
    write(self, graphs)

store_class.replace_graphs = replace_graphs
if step == "refresh":
    kg.build.refresh_entity_index = lambda store: die()
from kg.cli import main
sys.argv = ["kg", *sys.argv[1:]]
main()
"""

CORPUS_V1 = {"k1.txt": RUTTE, "k2.txt": KIM, "k3.txt": AUSTIN}
CORPUS_V2 = {**CORPUS_V1, "k2.txt": "Jens Stoltenberg met Kim Jong Un in Pyongyang.\n",
             "k4.txt": "Antony Blinken arrived in Seoul on Tuesday.\n"}


@pytest.fixture(scope="module")
def clean_v2(tmp_path_factory):
    """What a clean build of the second version of the corpus holds: its graphs and index."""
    base = tmp_path_factory.mktemp("clean")
    settings, _ = built(base, CORPUS_V2)
    store = LocalStore(settings)
    return store_graphs(settings.store), index_lines(store)


@pytest.mark.slow
@pytest.mark.parametrize("step", ["first-write", "second-write", "refresh", "stamp"])
def test_a_build_killed_at_any_step_is_completed_by_the_next(tmp_path, clean_v2, step):
    """7: a build updating a store is killed (SIGKILL) before its first write, between two
    writes, between its last write and the entity index refresh, and between the refresh and
    its record; the next build (which may skip every article) leaves the store equal to a
    clean build, index included, and ``kg show`` finds the new entities."""
    settings, folder = built(tmp_path, CORPUS_V1)
    write_texts(folder, CORPUS_V2)
    killed = subprocess.run([sys.executable, "-c", KILLER, "build", str(folder), "--store", settings.store,
                             "--quiet"], cwd=ROOT, env={**kg_env(), "KG_TEST_KILL_AT": step},
                            capture_output=True, text=True, timeout=180)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    store = LocalStore(settings)
    if step in ("refresh", "stamp"):
        assert not entity_index_current(store)
    summary = build_sources([str(folder)], settings)
    assert summary.ok and summary.index_refreshed
    graphs, index = clean_v2
    assert store_graphs(settings.store) == graphs
    assert index_lines(store) == index and entity_index_current(store)
    shown = invoke("show", "Stoltenberg", "--store", settings.store)
    assert shown.exit_code == 0 and "Jens Stoltenberg" in shown.stdout, shown.stderr
    again = build_sources([str(folder)], settings)
    assert again.skipped == 4 and not again.index_refreshed


def test_an_index_older_than_the_articles_is_refreshed_by_a_build_that_skips_them(tmp_path):
    """7, in this process: articles written without the refresh that should follow (as by a
    build killed between them) leave an index that the next build refreshes, all skipped."""
    settings, folder = built(tmp_path, CORPUS_V1)
    store = LocalStore(settings)
    write_texts(folder, CORPUS_V2)
    import kg.build

    original = kg.build.refresh_entity_index
    kg.build.refresh_entity_index = lambda store: None  # the refresh never happens
    try:
        build_sources([str(folder)], settings)
    finally:
        kg.build.refresh_entity_index = original
    assert not entity_index_current(store)
    assert "Jens Stoltenberg" not in {row.label for row in list_entities(store)}
    summary = build_sources([str(folder)], settings)
    assert summary.skipped == 4 and summary.index_refreshed
    assert "Jens Stoltenberg" in {row.label for row in list_entities(store)}


def test_a_store_without_an_index_says_a_build_may_have_been_interrupted(tmp_path):
    """16: after a first build stopped before its index, the message no longer blames an older kg."""
    settings, _ = built(tmp_path, {"x.txt": RUTTE})
    store = LocalStore(settings)
    with store.writer():
        store.remove_graph(store.index_graph)
        store.remove_graph(store.state_graph)
    with pytest.raises(QueryError, match="interrupted"):
        run_query(store, "entities-by-type")


# 8: the network, unless asked ---------------------------------------------------------------------
@contextlib.contextmanager
def listener():
    """A TCP listener on 127.0.0.1 recording every connection: ``(url, connections)``."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    seen.append(conn.recv(200))
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.1 500 Nope\r\ncontent-length: 0\r\n\r\n")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", seen
    finally:
        stop.set()
        thread.join()
        server.close()


SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?a ?b ?c .SERVICE<{url}>{{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <urn:ex:>\nSELECT * {{ ?s ex:a\\#b ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("form", SERVICE_FORMS, ids=["plain", "silent", "glued", "escaped", "escaped-hash"])
def test_service_reaches_no_endpoint_without_online(data_store, form):
    """8: a federated query is refused in one line unless ``--online``, and the endpoint (a
    listener on 127.0.0.1) sees no request; with ``--online`` it is asked."""
    settings, _ = data_store
    with listener() as (url, seen):
        text = form.format(url=url)
        result = invoke("query", "-", "--store", settings.store, input=text)
        assert result.exit_code == 5
        one_clear_line(result.stderr, "SERVICE", "--online")
        time.sleep(0.3)
        assert seen == []
        if form == SERVICE_FORMS[0]:
            asked = invoke("query", "-", "--store", settings.store, "--online", "--timeout", "10", input=text)
            assert asked.exit_code != 0 and "Traceback" not in asked.stderr
            deadline = time.monotonic() + 5
            while not seen and time.monotonic() < deadline:
                time.sleep(0.05)
            assert seen and seen[0].startswith(b"POST"), "with --online the endpoint is asked"


@pytest.mark.parametrize("target", ["http", "file"])
def test_load_reaches_nothing_without_online(tmp_path, target):
    """8, 14: ``LOAD`` with ``--update`` fetches nothing unless ``--online``: one line, no
    traceback, for a URL and for a file."""
    settings, _ = built(tmp_path, {"x.txt": RUTTE})
    with listener() as (url, seen):
        iri = url if target == "http" else (tmp_path / "x.ttl").as_uri()
        result = invoke("query", "-", "--update", "--store", settings.store, input=f"LOAD <{iri}>")
        assert result.exit_code == 5
        one_clear_line(result.stderr, "LOAD", "--online")
        time.sleep(0.3)
        assert seen == []
    assert ids_of(Path(settings.store)) == ["x"]


def test_network_keywords_are_found_only_in_code():
    assert network_operations("SELECT ?service { ?service ex:load 'SERVICE' } # LOAD <x>") == frozenset()
    assert network_operations('SELECT * { ?s <urn:a#SERVICE> """LOAD""" }') == frozenset()
    assert network_operations("PREFIX service: <urn:x:> SELECT * { ?s service:load ?o }") == frozenset()
    assert network_operations("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }") == {"SERVICE"}
    assert network_operations("DROP ALL ; load <http://x>") == {"LOAD"}


def test_bundled_federated_query_needs_online(data_store):
    settings, _ = data_store
    with pytest.raises(QueryError, match="--online"):
        run_query(LocalStore(settings), "wikidata-facts")


# 9: a Dask cluster nobody else can reach ------------------------------------------------------------
@pytest.mark.slow
def test_dask_local_cluster_is_loopback_tls_and_serves_no_pages():
    """9: the scheduler and workers of ``--executor dask-local`` listen on 127.0.0.1 only,
    speak TLS with credentials made for the run (a client without them, or with other ones,
    cannot connect), and their HTTP servers (dashboard, info, metrics, proxy) serve nothing."""
    pytest.importorskip("distributed")
    pytest.importorskip("cryptography")
    import httpx
    import psutil
    from distributed import Client
    from distributed.security import Security

    from kg.executors import local_cluster

    with local_cluster(2) as (cluster, security):
        with Client(cluster, security=security) as client:
            workers = list(client.scheduler_info()["workers"])
        addresses = [cluster.scheduler_address, *workers]
        assert len(workers) == 2
        assert all(a.startswith("tls://127.0.0.1:") for a in addresses), addresses
        for other in (None, Security.temporary()):
            with pytest.raises((OSError, TypeError, ValueError)):
                Client(cluster.scheduler_address, security=other, timeout="3s")
        processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
        listening = {c.laddr for p in processes for c in p.net_connections("inet") if c.status == psutil.CONN_LISTEN}
        assert listening and all(addr.ip == "127.0.0.1" for addr in listening), listening
        assert 8787 not in {addr.port for addr in listening}
        tls_ports = {int(a.rsplit(":", 1)[1]) for a in addresses}
        for addr in listening:
            if addr.port in tls_ports:
                continue
            for page in ("/health", "/info/main/workers.html", "/metrics", "/status", "/proxy/8787/127.0.0.1/status"):
                with contextlib.suppress(httpx.TransportError):
                    assert httpx.get(f"http://127.0.0.1:{addr.port}{page}", timeout=3).status_code == 404, (addr, page)


# 11: a damaged store ------------------------------------------------------------------------------
def damage(store: Path, where: str) -> None:
    """Damage every table file of a store: overwrite part of its middle or its footer, or flip
    one bit of its first data blocks (which makes Oxigraph's aggregates grow without bound)."""
    for table in sorted(store.glob("*.sst")):
        size = table.stat().st_size
        with table.open("r+b") as handle:
            if where == "bit":
                offset = 500 if size > 8192 else size // 2
                handle.seek(offset)
                byte = handle.read(1)[0]
                handle.seek(offset)
                handle.write(bytes([byte ^ 0x01]))
                continue
            handle.seek(size // 3 if where == "middle" else size - 40)
            handle.write(bytes([0xA5]) * min(64, size // 3))


@pytest.mark.parametrize("where", ["middle", "footer", "bit"])
def test_a_damaged_store_is_one_line_under_a_memory_limit(data_store, tmp_path, where):
    """11: every command on a store whose table files are damaged stops with one line saying
    so and what to do, never a traceback nor a machine out of memory: the commands run capped
    at 3 GiB (a regression fails here), with kg's own memory guard at 1 GiB, which, when a read
    of damaged files runs away, reads the store quad by quad and reports the damage."""
    settings, _ = data_store
    store = tmp_path / "store"
    shutil.copytree(settings.store, store)
    damage(store, where)
    folder = write_texts(_fresh(tmp_path / "in"), {"x.txt": RUTTE})
    said = []
    for args in (["stats"], ["export", "--format", "nquads"], ["query", "articles"], ["entities"],
                 ["validate"], ["build", str(folder), "--quiet"]):
        result = run_kg_limited(*args, "--store", str(store), timeout=180, env={"KG_MAX_MEMORY": "1024"})
        if where == "bit" and result.returncode == 0 and args[0] in ("entities", "validate"):
            continue  # these read other blocks than the damaged ones
        assert result.returncode == 4, (args, result.stderr[-2000:])
        one_clear_line(result.stderr, "damaged", str(store), "kg build")
        said.append(args[0])
    assert {"stats", "export", "query", "build"} <= set(said)


# 12: a query that would take the machine -------------------------------------------------------------
def test_a_pathological_query_is_stopped_at_the_memory_cap(data_store):
    """12: an ORDER BY over a cartesian product (millions of solutions, gigabytes to sort) is
    stopped when its process passes ``query_max_memory``, with one line; this process stays
    small (the query ran elsewhere), and a limit of 3 GiB on the command guards the machine."""
    settings, _ = data_store
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    started = time.monotonic()
    result = run_kg_limited("query", "-", "--store", settings.store, "--timeout", "120", input=text.encode(),
                            env={"KG_QUERY_MAX_MEMORY": "200"}, timeout=150)
    assert result.returncode == 5, result.stderr[-2000:]
    one_clear_line(result.stderr, "200 MiB", "query_max_memory")
    assert time.monotonic() - started < 120


def test_the_kg_command_stops_at_its_memory_cap(data_store):
    """12, 11: whatever grows in the ``kg`` process itself (here the same query run in it,
    ``query_max_memory=0``) is stopped at the ``max_memory`` setting with one line."""
    settings, _ = data_store
    text = b"SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    result = run_kg_limited("query", "-", "--store", settings.store, "--timeout", "120", input=text,
                            env={"KG_QUERY_MAX_MEMORY": "0", "KG_MAX_MEMORY": "400"}, timeout=150)
    assert result.returncode == 1, result.stderr[-2000:]
    one_clear_line(result.stderr, "max_memory", "400 MiB")


def test_a_timed_out_query_is_stopped_not_left_running(data_store):
    """12: the timeout stops the query's process (Oxigraph cannot cancel a query: in this
    process it would have run on, holding the store and its memory)."""
    import psutil

    settings, _ = data_store
    store = LocalStore(Settings(store=settings.store, query_max_memory=4096))
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    started = time.monotonic()
    with pytest.raises(QueryError, match="timed out"):
        run_query(store, text, timeout=1.0)
    assert time.monotonic() - started < 10
    assert not [p for p in psutil.Process().children(recursive=True)
                if any("query_process" in part for part in p.cmdline())]


def test_an_answer_longer_than_the_row_cap_is_an_error(data_store):
    """12: ``query_max_rows`` caps what kg reads; ``--limit`` under the cap still answers."""
    settings, _ = data_store
    env = {"KG_QUERY_MAX_ROWS": "5"}
    text = b"SELECT * WHERE { ?s ?p ?o }"
    result = run_kg_limited("query", "-", "--store", settings.store, input=text, env=env)
    assert result.returncode == 5
    one_clear_line(result.stderr, "5 rows", "query_max_rows")
    limited_rows = run_kg_limited("query", "-", "--store", settings.store, "--limit", "3", "--format", "csv",
                                  input=text, env=env)
    assert limited_rows.returncode == 0 and len(limited_rows.stdout.strip().splitlines()) == 4


def test_queries_in_their_own_process_answer_as_in_this_one(data_store):
    """The process that can be stopped changes no answer (select, ask, construct, bound values,
    one article's graph, a limit); the queries kg ships run in its own process, any other text
    in one of its own."""
    from kg.queries import load_query

    settings, _ = data_store
    store = LocalStore(Settings(store=settings.store))
    article = store.article_ids()[0]
    cases = [(load_query(name).text, params, graphs) for name, params, graphs in (
        ("claims-by-speaker", {}, None), ("entities-by-type", {}, None), ("timeline", {}, None),
        ("article-facts", {"article": ox.Literal(article)}, [store.iris.graph(article)]),
    )] + [(text, {}, None) for text in (
        "ASK { ?s a kg:Person }", "CONSTRUCT { ?s a kg:Person } WHERE { ?s a kg:Person }",
        'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, "\\n") || STRLEN(?l) > 3) } ORDER BY ?l',
    )]
    for text, params, graphs in cases:
        here = store.query(text, params, graphs=graphs)
        assert store.query(text, params, graphs=graphs, max_memory=2048) == here, text[:80]
        assert store.query(text, params, graphs=graphs, max_memory=2048, limit=2) == store.query(
            text, params, graphs=graphs, limit=2), text[:80]
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELECT * WHERE { ?s ?p }", max_memory=2048)
    own = LocalStore(Settings(store=settings.store, query_max_memory=1))  # no process fits in 1 MiB
    assert run_query(own, "articles").rows  # shipped: in kg's process
    with pytest.raises(QueryError, match="query_max_memory"):
        run_query(own, "SELECT * WHERE { ?s a kg:Article }")


# 13: a store that may only be read ------------------------------------------------------------------
def read_only_runner(kind: str, store: Path, base: Path):
    """How to run a ``kg`` process for which ``store`` is read-only: behind a read-only bind
    mount (a mount namespace of its own: root only), or by permissions, which root ignores, so
    as ``nobody`` when the tests run as root. None when this machine allows neither."""
    if kind == "mount":
        if os.geteuid() != 0 or shutil.which("unshare") is None:
            return None
        script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
        probe = subprocess.run(["unshare", "-m", "sh", "-c", script, str(store), "true"], capture_output=True)
        if probe.returncode != 0:
            return None
        return lambda argv: ["unshare", "-m", "sh", "-c", script, str(store), *argv], {}
    for path in [store, *store.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0:
        return lambda argv: argv, {}
    who = {"user": 65534, "group": 65534, "extra_groups": []}
    try:
        probe = subprocess.run([sys.executable, "-c", "import kg.store"], capture_output=True, cwd=base,
                               env=kg_env(), **who)
    except OSError:  # the interpreter is out of nobody's reach here
        return None
    if probe.returncode != 0:  # or the project is
        return None
    return lambda argv: argv, who


@pytest.fixture
def store_copy(data_store):
    """A copy of the data/ store in a folder every user may read."""
    settings, _ = data_store
    base = Path(tempfile.mkdtemp(prefix="kg-ro-"))
    try:
        base.chmod(0o755)
        store = base / "store"
        shutil.copytree(settings.store, store)
        yield base, store
    finally:
        for path in [base, *base.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("kind", ["mount", "permissions"])
def test_a_read_only_store_answers_every_reading_command(store_copy, kind):
    """13: a store on a read-only mount, or whose permissions forbid writing: the reading
    commands answer (the store is opened read-only), the writing ones say the store is
    read-only in one line, and nothing in it changes."""
    base, store = store_copy
    runner = read_only_runner(kind, store, base)
    if runner is None:
        pytest.skip(f"this machine cannot make a store read-only by {kind}")
    wrap, who = runner
    (base / "in").mkdir(mode=0o755)
    (base / "in" / "x.txt").write_text(RUTTE)
    (base / "in" / "x.txt").chmod(0o644)
    before = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in store.iterdir())
    env = {**kg_env(), "HOME": str(base)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(wrap(kg_command(*args, "--store", str(store))), capture_output=True, text=True,
                              cwd=base, env=env, timeout=180, preexec_fn=limited(3072), **who)

    for args in (["stats"], ["query", "articles", "--format", "csv"], ["entities", "--limit", "3"],
                 ["show", "Rutte"], ["export", "--format", "nquads"], ["validate", "--jobs", "1"]):
        result = run(*args)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        assert result.stdout.strip() and "Traceback" not in result.stderr
    for args in (["build", str(base / "in"), "--quiet"], ["remove", "x"], ["reason"],
                 ["query", "-", "--update"]):
        result = run(*args) if args[-1] != "--update" else subprocess.run(
            wrap(kg_command(*args, "--store", str(store))), input="CLEAR ALL", capture_output=True, text=True,
            cwd=base, env=env, timeout=180, preexec_fn=limited(3072), **who)
        assert result.returncode == 4, (args, result.stderr[-2000:])
        one_clear_line(result.stderr, "read-only")
    assert sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in store.iterdir()) == before


# 14: standard input that is not text --------------------------------------------------------------
@pytest.mark.parametrize("data,word", [
    (b"\xff\xfe\x00\x00binary\x00\x01\x02", "invalid utf-32"),
    (bytes(range(256)) * 8, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 10, "not a text file"),
], ids=["utf32-bom-garbage", "all-bytes", "png"])
def test_binary_standard_input_is_one_failure_line(tmp_path, data, word):
    """14: bytes on stdin are read as a file's bytes are: a clear failure, no traceback."""
    result = invoke("build", "-", "--store", str(tmp_path / "store"), "--format", "json", input=data)
    assert result.exit_code == 1
    one_clear_line(result.stderr, "<stdin>", word)


def test_utf16_standard_input_with_a_byte_order_mark_is_built(tmp_path):
    result = invoke("build", "-", "--store", str(tmp_path / "store"), "--format", "json",
                    input=RUTTE.encode("utf-16"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["new"] == 1


# 15: one huge article ------------------------------------------------------------------------------
def test_an_article_over_the_size_limit_is_refused_and_the_rest_built(tmp_path):
    """15: an article longer than ``max_article_chars`` (one line of 1 MB here, twice the
    default limit) is refused at once with a line saying why; the other articles are built."""
    folder = write_texts(_fresh(tmp_path / "in"), {"ok.txt": RUTTE})
    (folder / "huge.txt").write_text("Rutte met Zelensky in Kyiv. " * 36_000, encoding="utf-8")  # 1,008,000 chars
    result = invoke("build", str(folder), "--store", str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["written"] == ["ok"] and summary["refused"][0]["id"] == "huge"
    one_clear_line(result.stderr, "huge.txt", "max_article_chars", "1,008,000")
    assert ids_of(tmp_path / "store") == ["ok"]


def test_the_size_limit_is_a_setting(tmp_path):
    folder = write_texts(_fresh(tmp_path / "in"), {"ok.txt": RUTTE, "long.txt": RUTTE * 3})
    settings = Settings(store=str(tmp_path / "store"), max_article_chars=len(RUTTE) + 10)
    summary = build_sources([str(folder)], settings)
    assert summary.written_ids == ["ok"] and [f.article_id for f in summary.failures] == ["long"]


# 16: the small ones ---------------------------------------------------------------------------------
def test_small_input_problems_are_said_as_they_are(tmp_path):
    """16: a file of white space is empty (not 'no text after the date marker'); a FIFO and a
    symbolic link loop given by name are said to be what they are; UTF-16 without a byte order
    mark is text; an id with a line break is refused, and printed on one line."""
    folder = _fresh(tmp_path / "in")
    (folder / "spaces.txt").write_text("\u00a0 \u3000\n\u2003\n", encoding="utf-8")
    (folder / "utf16.txt").write_bytes(RUTTE.encode("utf-16-le"))
    (folder / "feed.jsonl").write_text(json.dumps({"id": "two\nlines", "text": KIM}) + "\n")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = invoke("build", str(folder), str(fifo), str(loop), "--store", str(tmp_path / "store"),
                    "--format", "json")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and "Traceback" not in result.stderr, lines
    said = "\n".join(lines)
    assert f"{folder / 'spaces.txt'}: empty file (only white space)" in said
    assert f"{fifo}: not a file or folder (a named pipe (FIFO))" in said
    assert f"symbolic link loop: {loop}" in said
    assert "article id 'two\\nlines' holds a control character" in said
    assert ids_of(tmp_path / "store") == ["utf16"]


def test_old_rocksdb_logs_do_not_pile_up(tmp_path):
    """16: each read-write opening of the database leaves a ``LOG.old.*``; kg keeps two."""
    settings, _ = built(tmp_path, {"x.txt": RUTTE})
    store = LocalStore(settings)
    for _ in range(12):
        store.stats()
    assert len(list(Path(settings.store).glob("LOG.old.*"))) <= 2


def test_an_unforeseen_error_is_one_line(tmp_path, monkeypatch):
    """No traceback reaches the user even for an error kg did not foresee (with ``--debug``, it does)."""
    import kg.cli.store

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(kg.cli.store, "open_store", broken)
    result = CliRunner().invoke(app, ["stats", "--store", str(tmp_path)])
    assert result.exit_code == 70
    one_clear_line(result.stderr, "internal error", "ZeroDivisionError", "--debug")
    debug = CliRunner().invoke(app, ["--debug", "stats", "--store", str(tmp_path)])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_the_remote_store_refuses_service_too():
    from kg.store.remote import RemoteStore

    store = RemoteStore(Settings(store="http://127.0.0.1:9"))
    with pytest.raises(QueryError, match="--online"):
        store.query("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="--online"):
        store.update("LOAD <http://127.0.0.1:9/x>")


def test_removing_what_is_not_there_touches_nothing(tmp_path):
    settings, _ = built(tmp_path, {"x.txt": RUTTE})
    before = store_graphs(settings.store)
    assert remove_articles(["_entities", "_inferred", "_state", "y"], settings) == ["_entities", "_inferred", "_state", "y"]
    assert store_graphs(settings.store) == before
    assert entity_index_current(LocalStore(settings))


def test_store_errors_are_store_errors(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        LocalStore(Settings(store=str(tmp_path / "none"))).query("ASK {}", max_memory=100)
