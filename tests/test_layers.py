"""The import contract of kg, read from the source: the layers of the data path, from the CLI
on top down to the data model; no module imports one of a layer above its own, nor a sibling of
its own layer (siblings are independent), none is in an import cycle, none imports another
module's private name, and none imports inside a function but the exceptions listed here with
their reason."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG_DIR = Path(__file__).resolve().parent.parent / "kg"
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg.__main__",),                            # python -m kg
    ("kg.cli",),                                 # the command line: thin, on top
    ("kg.api",),                                 # the Python facade: kg.open, kg.extract
    ("kg.evaluate",),                            # scoring against gold annotations
    ("kg.build",),                               # sources -> extraction -> quads -> store -> index
    ("kg.export",),                              # views for other tools: GeoJSON, GraphML, CSV…
    ("kg.executors", "kg.queries"),              # where extraction runs; the bundled queries
    ("kg.extract", "kg.derived"),                # articles -> extractions; index, SHACL, OWL RL
    ("kg.pipeline", "kg.store", "kg.graph", "kg.sources", "kg.ontology"),
    ("kg.entities",),                            # spans -> entities (article level)
    ("kg.linking",),                             # names -> Wikidata
    ("kg.lexicon", "kg.iri", "kg.settings"),
    ("kg.vocab", "kg.text", "kg.resources", "kg.errors"),
    ("kg.model",),
)
"""Top to bottom. A module may import its own package and anything in a lower layer."""
IMPORTS_IN_FUNCTIONS = {
    # dask.distributed is an optional dependency (the dask extra), imported only when chosen
    ("kg.executors", "dask_executor"): {"distributed"},
    ("kg.executors", "run"): {"distributed"},
    # so are dask and cryptography's credentials, for a local cluster (kg.executors.local_cluster)
    ("kg.executors", "local_cluster"): {"dask", "distributed", "distributed.security"},
    # rdflib's SPARQL parser costs 0.27 s to import, and most query texts are cleared without it
    ("kg.queries.run", "classify"): {"pyparsing", "rdflib.plugins.sparql.parser"},
    # pandas is optional: only Result.to_df needs it
    ("kg.api", "to_df"): {"pandas"},
    # import kg stays cheap: the facade (spaCy, the store, the queries) loads on first use
    ("kg", "__getattr__"): {"kg.api"},
    ("kg", "extract"): {"kg.api"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(KG_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in KG_DIR.rglob("*.py")}


def imported(tree: ast.Module, module: str) -> list[tuple[ast.AST, str, tuple[str, ...]]]:
    """``(node, module imported, names imported from it)`` for each import statement."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: kg does not use them, but resolve them anyway
                package = module.split(".")[: -node.level + (1 if MODULES[module].name == "__init__.py" else 0) or None]
                base = ".".join([*package, base] if base else package)
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            found.append((node, base, tuple(n for n in names if f"{base}.{n}" not in MODULES)))
            found += [(node, sub, ()) for sub in submodules]
    return found


def top_level_imports(module: str) -> set[str]:
    """The kg modules ``module`` imports when it is imported (not inside functions, nor for type
    checking only)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
            isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        ):
            nested |= {id(n) for n in ast.walk(node) if n is not node}
    return {name for node, name, _ in imported(tree, module) if id(node) not in nested and name in MODULES}


def layer_of(module: str) -> tuple[int, str]:
    """``(layer index, top package)`` of a kg module: 0 is the top."""
    for index, layer in enumerate(LAYERS):
        for top in layer:
            if module == top or module.startswith(top + "."):
                return index, top
    raise AssertionError(f"{module} is in no layer of the contract: add it to LAYERS")


def checked_modules() -> list[str]:
    return sorted(m for m in MODULES if m != "kg")


def test_every_module_has_a_layer() -> None:
    for module in checked_modules():
        layer_of(module)


@pytest.mark.parametrize("module", checked_modules())
def test_no_module_imports_a_layer_above_its_own_or_a_sibling(module: str) -> None:
    index, top = layer_of(module)
    for target in top_level_imports(module) - {"kg"}:
        target_index, target_top = layer_of(target)
        assert target_top == top or target_index > index, (
            f"{module} imports {target}, which is {'above' if target_index < index else 'beside'} it")


def test_the_package_itself_imports_nothing_heavy() -> None:
    """``import kg`` runs first for every kg module: it may import only the lowest layers."""
    allowed = {m for layer in LAYERS[-3:] for m in layer}
    assert {layer_of(m)[1] for m in top_level_imports("kg")} <= allowed


def test_no_import_cycles() -> None:
    graph = {m: top_level_imports(m) for m in MODULES}
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            # importing a package's submodule first runs the package: an edge to each parent
            for step in [*(".".join(target.split(".")[:i]) for i in range(2, target.count(".") + 1)), target]:
                if step not in graph or step == module or module.startswith(step + "."):
                    continue
                if state.get(step) == 1:
                    cycle = path[path.index(step):] + [step]
                    pytest.fail("import cycle: " + " -> ".join(cycle))
                elif step not in state:
                    visit(step, [*path, step])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


@pytest.mark.parametrize("module", checked_modules())
def test_no_private_name_is_imported_from_another_module(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    private = [(name, n) for _, name, names in imported(tree, module) for n in names
               if n.startswith("_") and not (n.startswith("__") and n.endswith("__"))]
    assert not private, f"{module} imports private names {private}"


@pytest.mark.parametrize("module", checked_modules())
def test_imports_are_at_the_top_of_a_module(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside = {name for node, name, _ in imported(function, module)}  # type: ignore[arg-type]
            allowed = IMPORTS_IN_FUNCTIONS.get((module, function.name), set())
            assert inside <= allowed, f"{module}.{function.name} imports {sorted(inside - allowed)}"


def test_the_store_layer_opens_a_backend_without_importing_the_others() -> None:
    assert "kg.store.remote" not in top_level_imports("kg.store")
    assert not top_level_imports("kg.store.local") & {"kg.store.remote"}
    assert not top_level_imports("kg.store.remote") & {"kg.store.local"}
