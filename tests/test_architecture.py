"""The floor plan, checked: layers only point down, and no import cycle anywhere.

Layers, bottom to top (README, "Architecture"):

    config, text          settings, deadline rules, the clock; translations and number formats
    data                  models, engines, migrations, importing, the audit log
    queries               SQL aggregates as Polars frames (the metrics engine, the summary)
    geo                   boundaries and maps (may read queries' definitions, never the reverse)
    services              the one write path, log-in, personal data, the demo builder
    dashboard, benchmarks the app shell: entry script, cached data access, sidebar, CLI;
                          the page benchmark its ``bench`` command runs
    pages                 what sits on top

A module may import its own package and any lower layer, never a higher one;
nothing below the shell imports Streamlit. Every import is read from the
source (function-level ones included), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {
    "config": 0, "text": 0,
    "data": 1,
    "queries": 2,
    "geo": 3,
    "services": 4,
    "dashboard": 5, "benchmarks": 5,
    "pages": 6,
}
# Packages that must not know the web framework exists.
NO_STREAMLIT = ("config", "text", "data", "queries", "geo", "services")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts and "versions" in path.parts:
                continue  # Alembic scripts: data layer, import only data.models and Alembic
            modules[_module_name(path)] = path
    return modules


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules (and 'streamlit') that the file at ``path`` imports, anywhere in it."""
    found: set[str] = set()
    this = _module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against this module's package
                package = this.split(".") if path.name == "__init__.py" else this.split(".")[:-1]
                base = package[: len(package) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] in ("streamlit", "streamlit_folium"):
                found.add("streamlit")
            elif name in modules:
                found.add(name)
    found.discard(this)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, modules) for name, path in modules.items()}


def test_the_check_sees_the_whole_project(graph):
    # A check that reads nothing passes vacuously: make sure it reads the layers it guards.
    for package in ("config.settings", "text.i18n", "queries.metrics", "geo.maps", "services.writes", "dashboard.app"):
        assert package in graph
    assert "queries.summary" in graph["queries.metrics"]


def test_layers_only_point_down(graph):
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if target != "streamlit" and LAYERS[target.split(".")[0]] > LAYERS[module.split(".")[0]]
    )
    assert upward == []


def test_nothing_below_the_shell_imports_streamlit(graph):
    offenders = sorted(m for m, targets in graph.items() if m.split(".")[0] in NO_STREAMLIT and "streamlit" in targets)
    assert offenders == []


def test_queries_data_and_geo_never_import_the_app_shell(graph):
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] in ("queries", "data", "geo")
        for target in targets
        if target.split(".")[0] in ("dashboard", "pages")
    )
    assert offenders == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_no_import_cycle(graph):
    cycles = [group for group in strongly_connected(graph) if len(group) > 1]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [g for g in strongly_connected(graph) if len(g) > 1] == [["a", "b", "c"]]
