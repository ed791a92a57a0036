"""Shared fixtures: the real spaCy pipeline (loaded once), settings on temporary stores,
and the third-party seed articles in ``../shared`` (tests using them skip when absent)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
DATA = ROOT / "data"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")
needs_gold = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/gold is not available")


@pytest.fixture(scope="session")
def nlp():
    """kg's full pipeline (model + rules), loaded once per test session."""
    from kg.pipeline import load_pipeline

    return load_pipeline(Settings().model)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Default settings on a fresh on-disk store in a temporary directory."""
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """The seeds built once into a store: ``(settings, summary)``."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    from kg.build import build_sources

    settings = Settings(store=str(tmp_path_factory.mktemp("seeds") / "store"))
    summary = build_sources([str(SEEDS)], settings)
    return settings, summary


@pytest.fixture(scope="session")
def data_store(tmp_path_factory):
    """The project's sample articles in ``data/`` built once: ``(settings, summary)``."""
    from kg.build import build_sources

    settings = Settings(store=str(tmp_path_factory.mktemp("data") / "store"))
    summary = build_sources([str(DATA)], settings)
    return settings, summary


# --- real `kg` processes on real on-disk stores (bad input, atomicity, concurrency) ------------
ENDED_AT = "http://www.w3.org/ns/prov#endedAtTime"


def parsed_table(table: str):
    """A spaCy ``Doc`` from a parse table, one token a row: the word, its tag, its POS, its lemma,
    its dependency and the index of its head (``-`` for the root); ``_`` at the end of a row
    means no space follows. Rule tests build their parses so, with no model."""
    from textwrap import dedent

    import spacy
    from spacy.tokens import Doc

    words, spaces, tags, pos, lemmas, deps, heads = [], [], [], [], [], [], []
    for i, line in enumerate(dedent(table).strip().splitlines()):
        word, tag, upos, lemma, dep, head, *glued = line.split()
        words.append(word)
        spaces.append(not glued)
        tags.append(tag)
        pos.append(upos)
        lemmas.append(lemma)
        deps.append(dep)
        heads.append(i if head == "-" else int(head))
    return Doc(_BLANK_VOCAB(), words=words, spaces=spaces, tags=tags, pos=pos, lemmas=lemmas, deps=deps, heads=heads)


def _BLANK_VOCAB():  # noqa: N802 - one vocabulary for every table, made at first use
    import spacy

    global _VOCAB
    try:
        return _VOCAB
    except NameError:
        _VOCAB = spacy.blank("en").vocab
        return _VOCAB


def kg_command(*args: str) -> list[str]:
    """The argv of a ``kg`` subprocess run with this interpreter (kg need not be installed)."""
    import sys

    return [sys.executable, "-m", "kg", *args]


def kg_env() -> dict[str, str]:
    """The environment of a ``kg`` subprocess: this checkout first on ``PYTHONPATH``, no ``KG_*``."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_kg(*args: str, input: str | None = None, timeout: float = 180):
    """Run ``kg ARGS`` to completion; the CompletedProcess with text stdout/stderr."""
    import subprocess

    return subprocess.run(kg_command(*args), input=input, capture_output=True, text=True,
                          cwd=ROOT, env=kg_env(), timeout=timeout)


def write_texts(folder: Path, texts: dict[str, str]) -> Path:
    """Write ``{file name: text}`` into ``folder`` (a module's tiny corpus); return the folder."""
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_corpus(folder: Path, count: int = 200) -> list[str]:
    """``count`` short, distinct generated articles as ``folder/aNNN.txt``; their ids."""
    people = ["Mark Rutte", "Volodymyr Zelensky", "Antony Blinken", "Kim Jong-un", "Lloyd Austin"]
    places = ["Kursk", "Kyiv", "Moscow", "Pyongyang", "Seoul", "Brussels"]
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(count):
        person, place = people[i % len(people)], places[i % len(places)]
        text = (
            f"date 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"{person} said North Korea sent {1000 + i * 10} troops to {place}.\n\n"
            f"NATO Secretary General Mark Rutte confirmed the deployment on Monday. "
            f"Ukrainian forces clashed with North Korean troops near {places[(i + 1) % len(places)]}. "
            f"South Korea's spy agency said {i + 2},000 soldiers had arrived in Russia.\n"
        )
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")
        ids.append(f"a{i:03d}")
    return ids


def store_graphs(path: str | Path) -> dict[str, frozenset[str]]:
    """``{article_id: its quads}`` read from an on-disk store in one snapshot, as N-Quads lines
    with the one time-dependent object (``prov:endedAtTime``) blanked, so two builds compare.

    Quads of kg's own graphs are returned under their names (``_inferred``); the entity index
    and its state, derived from the articles at the end of a build (tests/test_entity_index.py),
    are left out, as :meth:`kg.store.KGStore.quads` leaves them out.
    """
    import pyoxigraph as ox

    from kg.iri import IRIMinter
    from kg.store.local import LocalStore

    settings = Settings(store=str(path))
    minter = IRIMinter(settings.base_iri)
    graphs: dict[str, set[str]] = {}
    for quad in LocalStore(settings).quads():  # one read of the database: one snapshot
        graph = quad.graph_name
        key = minter.article_id_from_graph(graph) if isinstance(graph, ox.NamedNode) else None
        if key is None and isinstance(graph, ox.NamedNode) and minter.is_kg_graph(graph):
            key = graph.value.rsplit("/", 1)[1]  # kg's own graph, under its name (_inferred)
        obj = quad.object
        if quad.predicate.value == ENDED_AT:
            obj = ox.Literal("T")
        line = f"{quad.subject} {quad.predicate} {obj} ."
        graphs.setdefault(key or "", set()).add(line)
    return {k: frozenset(v) for k, v in graphs.items()}


@pytest.fixture(scope="session")
def reference_corpus(tmp_path_factory):
    """400 generated articles and what a clean build makes of each:
    ``(folder, {article_id: quads})`` (see :func:`store_graphs`). A build of them takes a few
    seconds after its first write, time for a second process to start while it runs."""
    from kg.build import build_sources

    base = tmp_path_factory.mktemp("corpus")
    folder = base / "articles"
    ids = write_corpus(folder, 400)
    settings = Settings(store=str(base / "store"))
    summary = build_sources([str(folder)], settings)
    assert summary.ok and summary.new == len(ids), summary.failures
    graphs = store_graphs(settings.store)
    assert sorted(graphs) == ids
    return folder, graphs


def dataset_lines(quads) -> set[str]:
    """N-Quads lines of a dataset with the build time blanked (the only thing two builds of
    the same input may differ in)."""
    import pyoxigraph as ox

    from kg.vocab import PROV

    lines = set()
    for q in quads:
        if q.predicate == PROV.endedAtTime:
            q = ox.Quad(q.subject, q.predicate, ox.Literal("T"), q.graph_name)
        lines.add(str(q))
    return lines


def assert_same_dataset(actual: set[str], expected: set[str]) -> None:
    """No blank nodes in kg's graphs, so isomorphic datasets are equal quad sets."""
    missing, extra = sorted(expected - actual), sorted(actual - expected)
    assert not missing and not extra, "\n".join(
        ["missing:"] + missing[:20] + ["unexpected:"] + extra[:20])


try:  # property tests: reproducible by default (CI must not fail on a new random draw);
    # `pytest --hypothesis-profile=explore` searches with fresh randomness
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("repeatable", derandomize=True)
    _hypothesis_settings.register_profile("explore", derandomize=False)
    _hypothesis_settings.load_profile("repeatable")
except ImportError:  # hypothesis is a dev dependency
    pass


CORPUS_FIXTURE = ROOT / "tests" / "fixtures" / "corpus.trig"


def corpus_fixture_store(path: Path, *, index: bool = True):
    """A real on-disk store at ``path`` holding the hand-written corpus fixture
    (``tests/fixtures/corpus.trig``, three tiny articles in the shape of docs/graph.md), with its
    entity index as ``kg import`` leaves it (without it, as an older kg left a store)."""
    import pyoxigraph as ox

    from kg.derived.entity_index import refresh_entity_index
    from kg.store.local import LocalStore

    store = LocalStore(Settings(store=str(path)))
    store.load_quads(ox.parse(path=str(CORPUS_FIXTURE), format=ox.RdfFormat.TRIG))
    if index:
        refresh_entity_index(store)
    return store


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """URL of a fresh Oxigraph server, stopped after the module."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.post(f"{url}/query", data={"query": "ASK {}"}, timeout=1.0)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph serve did not start: {process.stderr.read().decode()[-500:]}")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
