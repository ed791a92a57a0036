"""kg's query files (``queries/*.rq``, ``queries/eval/*.rq``, ``queries/internal/*.rq``) as data:
each declares its prefixes and runs as it is in any SPARQL engine against a store built with the
default base IRI; kg runs each right against a store built with another base IRI; and the lists
of entity classes and event kinds written in them are those of :mod:`kg.model`."""

from __future__ import annotations

import collections
import dataclasses
import re

import pyoxigraph as ox
import pytest

from kg.build import build_sources
from kg.derived.entity_index import refresh_entity_index
from kg.derived.reason import reason
from kg.derived.validate import validate_store
from kg.evaluate import read_predictions
from kg.model import EntityClass, EventKind
from kg.queries import list_queries, load_query, parse_params, run_query
from kg.queries.browse import describe_entity, list_entities
from kg.queries.link import link_store_entities
from kg.resources import resource_dir, sparql
from kg.settings import DEFAULT_BASE_IRI, Settings
from kg.store import SUPPLIED_PREFIXES, bundled_sparql, drop_supplied_prefixes
from kg.store.local import LocalStore
from kg.vocab import ENTITY_CLASSES, EVENT_KINDS, values_block

from conftest import DATA

QUERIES = resource_dir("queries")
FILES = sorted(str(p.relative_to(QUERIES).with_suffix("")) for p in QUERIES.rglob("*.rq"))
UPDATES = {"internal/entity-index-refresh", "internal/inferred-drop", "internal/inferred-replace",
           "internal/inferred-staging-drop"}
OTHER_BASE = "http://example.org/other-kg/"

# strings, IRIs and comments: text in which a "prefix:" is not a prefixed name
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''" r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'" r"|<[^<>\"{}|^`\\\s]*>" r"|#[^\n]*"
)
_DECLARATION = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*$", re.I | re.M)


def test_every_kind_of_query_file_is_there() -> None:
    assert {"troop-numbers", "eval/roles", "internal/article-hashes", "internal/entity-index-refresh"} <= set(FILES)
    assert len([f for f in FILES if f.startswith("internal/")]) >= 15


@pytest.mark.parametrize("name", FILES)
def test_a_file_declares_each_prefix_it_uses_with_its_default_iri(name: str) -> None:
    text = sparql(name)
    declared = {prefix or "": iri for prefix, iri in _DECLARATION.findall(text)}
    code = _NOT_CODE.sub(" ", _DECLARATION.sub("", text))
    used = set(re.findall(r"(?<![\w?$.-])([A-Za-z][\w-]*):", code))
    assert used <= set(declared), f"{name} uses undeclared prefixes {sorted(used - set(declared))}"
    assert {p: declared[p] for p in used} == {p: SUPPLIED_PREFIXES[p] for p in used}
    if not name.startswith(("internal/", "eval/")):  # the header first, then the declarations
        assert list_queries() and text.lstrip().startswith("# title:")


# each file as it is, in a plain SPARQL engine -----------------------------------------------------
@pytest.fixture(scope="module")
def dataset(data_store) -> list[ox.Quad]:
    """Every quad of the data/ store, the entity index included."""
    settings, _ = data_store
    store = LocalStore(settings)
    return store.quads() + store.quads(store.index_graph)


@pytest.fixture(scope="module")
def plain(dataset) -> ox.Store:
    """A plain pyoxigraph store holding the data/ store's quads, which declares no prefix."""
    db = ox.Store()
    db.extend(dataset)
    return db


@pytest.mark.parametrize("name", FILES)
def test_a_file_runs_as_it_is_against_a_default_store(name: str, dataset, plain: ox.Store, data_store) -> None:
    """With its own PREFIX lines and nothing from kg: parameters stay unbound, a federated
    query is only parsed (its answer needs the network); an unparameterised bundled query
    answers what kg answers."""
    text = sparql(name)
    if name in UPDATES:
        copy = ox.Store()
        copy.extend(dataset)
        copy.update(text)
        return
    answer = plain.query(text, use_default_graph_as_union=True)
    if "SERVICE" in text:
        return
    rows = [tuple(row) for row in answer] if isinstance(answer, ox.QuerySolutions) else bool(answer)
    info = next((q for q in list_queries() if q.name == name), None)
    if info is not None and not info.params:
        settings, _ = data_store
        assert rows == list(run_query(LocalStore(settings), name).rows), name


def test_the_refresh_update_wants_the_triples_the_first_index_is_made_of() -> None:
    """The update repeats the group of the descriptions query as its first side."""

    def squeezed(text: str) -> str:
        return " ".join(re.sub(r"#[^\n]*", "", text).split())

    described = squeezed(sparql("internal/entity-index-descriptions"))
    group = described[described.index("WHERE {") + len("WHERE "):]
    refresh = squeezed(sparql("internal/entity-index-refresh"))
    assert "{ " + group + " BIND(1 AS ?side) }" in refresh


def test_kg_drops_only_the_declarations_of_the_prefixes_it_supplies() -> None:
    text = sparql("claims-by-speaker")
    run = bundled_sparql("claims-by-speaker")
    assert "PREFIX graph:" in text and "PREFIX" not in run and run.count("\n") == text.count("\n")
    own = "PREFIX graph: <urn:my-graphs:>\nPREFIX ex: <urn:ex:>\nSELECT * WHERE { ?s ex:p graph:x }"
    assert drop_supplied_prefixes(own) == own
    assert load_query("claims-by-speaker").text == run


# kg on a store built with another base IRI --------------------------------------------------------
@pytest.fixture(scope="module")
def other_store(tmp_path_factory) -> LocalStore:
    """data/ built with another base IRI: its entities, articles and graphs are named under it."""
    settings = Settings(store=str(tmp_path_factory.mktemp("other") / "store"), base_iri=OTHER_BASE)
    summary = build_sources([str(DATA)], settings)
    assert summary.ok and summary.new == 8
    return LocalStore(settings)


@pytest.fixture(scope="module")
def default_store(data_store) -> LocalStore:
    settings, _ = data_store
    return LocalStore(settings)


def rebased(value):
    """``value`` (terms, rows, dicts, strings…) with IRIs under the other base IRI moved under
    the default one, so answers of the two stores compare."""
    if isinstance(value, ox.NamedNode):
        return ox.NamedNode(rebased(value.value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: rebased(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, str):
        return value.replace(OTHER_BASE, DEFAULT_BASE_IRI)
    if isinstance(value, (list, tuple)):
        return type(value)(rebased(v) for v in value)
    if isinstance(value, dict):
        return {rebased(k): rebased(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return type(value)(rebased(v) for v in value)
    return value


def test_the_other_store_names_everything_under_its_base(other_store: LocalStore) -> None:
    graphs = other_store.graph_names()
    assert graphs and all(g.value.startswith(OTHER_BASE + "graph/") for g in graphs)
    assert other_store.index_graph in graphs


def test_without_dropping_them_the_files_declarations_would_miss_the_other_store(other_store: LocalStore) -> None:
    """What the declarations would do if kg kept them: graph: names the default base's index."""
    assert other_store.query(sparql("entities-by-type")).rows == ()
    assert other_store.query(bundled_sparql("entities-by-type")).rows


def answer(result, *, rebase: bool = False) -> collections.Counter:
    rows = rebased(list(result.rows)) if rebase else list(result.rows)
    joined = [i for i, column in enumerate(result.columns) if column == "participants"]
    return collections.Counter(
        tuple(ox.Literal("; ".join(sorted(t.value.split("; ")))) if i in joined and t is not None else t
              for i, t in enumerate(row))
        for row in rows
    )


PARAMS = {
    "article-facts": {"article": "2024-10-24-pentagon-confirms"},
    "mentions": {"entity": "Rutte"},
    "co-mentions": {"entity1": "North Korea"},
}
EXTRA_RUNS = {
    "troop-numbers": [{"state": "entity:Q423"}, {"state": "North Korea"}],
    "roles": [{"holder": "Rutte"}],
    "entity-names": [{"entity": "entity:Q57792"}],
    "wikidata-links": [{"linked": "false"}],
    "timeline": [{"kind": "Clash"}],
}


@pytest.mark.parametrize("info", [q for q in list_queries() if not q.network], ids=lambda q: q.name)
def test_every_bundled_query_answers_the_same_on_another_base(info, default_store: LocalStore, other_store: LocalStore) -> None:
    query = load_query(info.name)
    runs = [PARAMS.get(info.name, {})] + EXTRA_RUNS.get(info.name, [])
    for params in runs:
        expected = run_query(default_store, query, parse_params(params, query))
        got = run_query(other_store, query, parse_params(params, query, base_iri=OTHER_BASE))
        assert expected.rows, (info.name, params)
        assert got.columns == expected.columns
        # compared as multisets: ties of an ORDER BY, and the names a GROUP_CONCAT joins, come in
        # the store's order, which the IRIs change
        assert answer(got, rebase=True) == answer(expected), (info.name, params)


def test_kg_s_own_queries_answer_the_same_on_another_base(default_store: LocalStore, other_store: LocalStore) -> None:
    """The internal queries, through what runs them: the store's bookkeeping, browsing, linking,
    validation, the evaluation's reading, a build's skip test, the index refresh, reasoning."""
    assert other_store.stats() == default_store.stats()
    assert rebased(other_store.article_hashes()) == default_store.article_hashes()
    assert rebased(list_entities(other_store)) == list_entities(default_store)
    assert rebased(describe_entity(other_store, "Rutte")) == describe_entity(default_store, "Rutte")
    assert (link_store_entities(other_store, other_store.settings).as_dict()
            == link_store_entities(default_store, default_store.settings).as_dict())
    assert validate_store(other_store).violations == validate_store(default_store).violations == ()
    assert rebased(read_predictions(other_store)) == read_predictions(default_store)
    index = collections.Counter(rebased(str(q.triple)) for q in other_store.quads(other_store.index_graph))
    assert index == collections.Counter(str(q.triple) for q in default_store.quads(default_store.index_graph))
    rebuilt = build_sources([str(DATA)], other_store.settings)  # unchanged articles are skipped
    assert rebuilt.skipped == 8 and rebuilt.new == rebuilt.updated == 0
    with other_store.writer():
        other_store.update("DROP GRAPH graph:_entities")
        refresh_entity_index(other_store)  # a first index, then an update over it
        refresh_entity_index(other_store)
        result = reason(other_store)
    assert result.graph == OTHER_BASE + "graph/_inferred" and result.inferred > 0
    assert other_store.iris.kg_graph("_inferred") in other_store.graph_names()
    assert other_store.iris.kg_graph("_inferred-staging") not in other_store.graph_names()
    after = collections.Counter(rebased(str(q.triple)) for q in other_store.quads(other_store.index_graph))
    assert after == index  # inferred triples name no new entity of data/


# the lists of classes and kinds written in the files -----------------------------------------------
ENTITY_NAMES = frozenset(c.value for c in EntityClass)
EVENT_NAMES = frozenset(k.value for k in EventKind)
DELIBERATE_SUBSETS = {
    # units are never linked
    ("internal/linkable-entities", "cls"): tuple(c for c in ENTITY_CLASSES if c != EntityClass.MILITARY_UNIT),
    # the events that move troops
    ("deployments", "kind"): (EventKind.DEPLOYMENT.value, EventKind.TROOP_TRANSFER.value),
}
_VALUES = re.compile(r"VALUES\s+\?(\w+)\s*\{([^{}]*)\}")
_IN_LIST = re.compile(r"\?(\w+)\s+IN\s*\(([^()]*)\)", re.I)


def class_lists(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(variable, text, kg names)`` of each one-variable ``VALUES`` block and ``IN`` list of a
    file whose terms are all kg entity classes or event kinds."""
    text = re.sub(r"(?m)#.*$", "", sparql(name))
    found = []
    for pattern in (_VALUES, _IN_LIST):
        for match in pattern.finditer(text):
            terms = match[2].replace(",", " ").split()
            names = tuple(t[3:] for t in terms if t.startswith("kg:"))
            if terms and len(names) == len(terms) and set(names) <= ENTITY_NAMES | EVENT_NAMES:
                found.append((match[1], match[0], names))
    return found


def test_the_files_list_classes_and_kinds() -> None:
    listed = {name: class_lists(name) for name in FILES}
    assert sum(map(len, listed.values())) >= 10
    assert listed["timeline"] and listed["internal/entity-index-descriptions"] and listed["wikidata-facts"]


@pytest.mark.parametrize("name", [name for name in FILES if class_lists(name)])
def test_lists_of_classes_and_kinds_are_the_enums(name: str) -> None:
    """Every list of entity classes or event kinds in a file is the whole enum of
    :mod:`kg.model`, in its order (or a subset declared here, with its reason): a class or kind
    added to an enum fails here until the files list it."""
    for variable, text, names in class_lists(name):
        enum = ENTITY_CLASSES if set(names) <= ENTITY_NAMES else EVENT_KINDS
        wanted = DELIBERATE_SUBSETS.get((name, variable), enum)
        if text.upper().startswith("VALUES"):
            assert " ".join(text.split()) == values_block(variable, wanted), (name, variable)
        else:
            assert names == tuple(wanted), (name, variable)
