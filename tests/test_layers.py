"""The layers of the data path, read from the source: kg.store below kg.derived below kg.queries
below kg.build and the CLI; no module of those imports one above it, none is in an import cycle,
none imports another module's private name, and none imports inside a function but the
exceptions listed here with their reason."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG_DIR = Path(__file__).resolve().parent.parent / "kg"
PACKAGES = ("kg.store", "kg.derived", "kg.queries", "kg.cli")
CHECKED = ("kg.store", "kg.derived", "kg.queries", "kg.cli", "kg.build", "kg.evaluate")
ABOVE = {
    "kg.store": ("kg.derived", "kg.queries", "kg.build", "kg.evaluate", "kg.cli", "kg.nlp", "kg.extraction",
                 "kg.entities", "kg.relations", "kg.linking", "kg.graph", "kg.sources"),
    "kg.derived": ("kg.queries", "kg.build", "kg.evaluate", "kg.cli"),
    "kg.queries": ("kg.build", "kg.evaluate", "kg.cli"),
}
IMPORTS_IN_FUNCTIONS = {
    # rdflib's SPARQL parser costs 0.27 s to import, and most query texts are cleared without it
    ("kg.queries.run", "classify"): {"pyparsing", "rdflib.plugins.sparql.parser"},
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


def checked_modules() -> list[str]:
    return sorted(m for m in MODULES if m.startswith(CHECKED))


@pytest.mark.parametrize("module", checked_modules())
def test_no_module_imports_a_layer_above_its_own(module: str) -> None:
    for layer, above in ABOVE.items():
        if module == layer or module.startswith(layer + "."):
            climbing = {m for m in top_level_imports(module) if m.startswith(above)}
            assert not climbing, f"{module} imports {sorted(climbing)}, above {layer}"


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
                    if any(m.startswith(CHECKED) for m in cycle):
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


@pytest.mark.parametrize("module", [m for m in checked_modules() if m != "kg.build"])
def test_imports_are_at_the_top_of_a_module(module: str) -> None:
    """(kg.build is left out: its functions import the NLP pipeline's modules, which load spaCy,
    only when a build has articles to extract.)"""
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
