"""The extractors package shows its stages: imports point one way and form no cycle.

Stages, lowest first: the shared vocabulary (records, errors, paths) ← reading
← layout ← components ← assembly ← the public entry (pipeline, display). A
module imports only from its own stage or a lower one, function-level imports
included; kg/ and api/ import only the entry points named below.
"""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "extractors"

# module (or subpackage) → stage rank; a module may import only ranks ≤ its own
STAGES = {
    "extractors.records": 0,
    "extractors.errors": 0,
    "extractors.paths": 0,
    "extractors.reading": 1,
    "extractors.layout": 2,
    "extractors.components": 3,
    "extractors.assemble": 4,
    "extractors.pipeline": 5,
    "extractors.display": 5,
}

# what kg/ and api/ may import from extractors: the entry (pipeline, display), the records and
# errors it returns, the bytes reader of the ingest worker, the gazetteer kg links places with,
# and the SKOS schemes kg.gen_scheme renders (components.schemes)
PUBLIC = {
    "extractors.pipeline",
    "extractors.display",
    "extractors.records",
    "extractors.errors",
    "extractors.reading.readers",
    "extractors.layout.places",
    "extractors.components.schemes",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every extractors module ``path`` imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("extractors")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("extractors"):
            for alias in node.names:  # from extractors.layout import places: the module is .places
                sub = f"{node.module}.{alias.name}"
                found.add(sub if (ROOT / Path(*sub.split("."))).with_suffix(".py").exists() else node.module)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: _imports(path) & modules.keys() for name, path in modules.items()}


def _stage(module: str) -> int | None:
    for prefix, rank in STAGES.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def test_package_layout_every_module_has_a_stage() -> None:
    """No module outside the stages (extractors/__init__ aside)."""
    assert [m for m in _graph() if m != "extractors" and _stage(m) is None] == []


def test_package_layout_imports_point_down_the_stages() -> None:
    """reading ← layout ← components ← assembly ← pipeline: no module imports a higher stage."""
    upward = [
        (m, dep)
        for m, deps in _graph().items()
        for dep in deps
        if m != "extractors" and (_stage(dep) or 0) > (_stage(m) or 0)
    ]
    assert upward == []


def test_package_layout_no_import_cycle() -> None:
    """The module import graph (function-level imports included) is acyclic."""
    graph = _graph()
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_package_layout_kg_and_api_use_the_public_entry_points() -> None:
    """kg/ and api/ import from extractors only what PUBLIC names."""
    used = {
        (str(p.relative_to(ROOT)), m)
        for folder in ("kg", "api")
        for p in (ROOT / folder).rglob("*.py")
        for m in _imports(p)
    }
    assert sorted((p, m) for p, m in used if m not in PUBLIC) == []


def test_package_layout_entry_points_name_objects_that_exist() -> None:
    """Every spaCy entry point and script of pyproject.toml imports (module path and attribute)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    targets = [t for group in project["entry-points"].values() for t in group.values()]
    targets += list(project["scripts"].values())
    assert targets
    for target in targets:
        module, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), target


def test_package_layout_setuptools_lists_every_subpackage() -> None:
    """The explicit package list of pyproject.toml includes each stage package."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    stages = {_module_name(p.parent) for p in PACKAGE.rglob("__init__.py")}
    assert stages <= listed
