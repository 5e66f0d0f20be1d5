"""The house rules of the package, checked on its source so they stay true:

- imports flow one way through the layers (errors/units/formatting -> data -> models -> plots
  -> forecast -> report -> cli/dashboards), imports inside functions included;
- no two modules import each other, directly or round a longer loop;
- no module is over 700 lines.

``if TYPE_CHECKING:`` imports are annotations only (never executed) and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "takeoff"
LAYERS = (
    ("errors", "units", "formatting"),
    ("data",),
    ("models",),
    ("plots",),
    ("forecast",),
    ("report",),
    ("cli", "dashboards", "demo"),
)
LEVEL = {part: i for i, parts in enumerate(LAYERS) for part in parts}
MAX_LINES = 700


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.AST):
    """Every import statement, at any depth, outside ``if TYPE_CHECKING:`` blocks."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for sub in node.body for n in ast.walk(sub))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped:
            yield node


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: the package's modules it imports}; ``from a import b`` counts as importing
    the module ``a.b`` when that is a module, otherwise ``a``."""
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    here = here[: len(here) - (node.level - 1)]
                    base = ".".join([*here, *([node.module] if node.module else [])])
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            for target in targets:
                while target not in modules and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LEVEL.get(parts[1]) if len(parts) > 1 else None


def upward_edges(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted(
        (a, b)
        for a, targets in graph.items()
        for b in targets
        if layer(a) is not None and layer(b) is not None and layer(b) > layer(a)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_top_level_part_has_a_layer():
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    parts = {p for p in parts if not p.startswith(("_", ".")) and (PACKAGE / p).exists()}
    code = {
        p for p in parts if (PACKAGE / f"{p}.py").exists() or (PACKAGE / p / "__init__.py").exists()
    }
    assert code <= set(LEVEL), f"parts without a layer: {sorted(code - set(LEVEL))}"


def test_imports_never_point_up_a_layer():
    assert upward_edges(import_graph()) == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_no_module_over_700_lines():
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from takeoff.plots import style\n", [("takeoff.models.a", "takeoff.plots.style")]),
        (
            "def f():\n    from takeoff.forecast import b\n",
            [("takeoff.models.a", "takeoff.forecast.b")],
        ),
        (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from takeoff.plots import style\n",
            [],
        ),
        ("from takeoff.data import c\n", []),
    ],
)
def test_the_checker_sees_upward_imports_at_any_depth(tmp_path, source, expected):
    """The rule is only as good as its checker: a toy package with one module importing up
    (at module level, inside a function), one importing for annotations only, one down."""
    root = tmp_path / "takeoff"
    for folder in ("models", "plots", "forecast", "data"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "plots" / "style.py").write_text("")
    (root / "forecast" / "b.py").write_text("")
    (root / "data" / "c.py").write_text("")
    (root / "models" / "a.py").write_text(source)
    assert upward_edges(import_graph(root)) == expected


def test_the_checker_finds_a_cycle_through_a_function_level_import(tmp_path):
    root = tmp_path / "takeoff"
    (root / "forecast").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "forecast" / "__init__.py").write_text("")
    (root / "forecast" / "a.py").write_text("from takeoff.forecast import b\n")
    (root / "forecast" / "b.py").write_text("def f():\n    from takeoff.forecast.c import x\n")
    (root / "forecast" / "c.py").write_text("from takeoff.forecast.a import y\n")
    assert cycles(import_graph(root)) == [
        ["takeoff.forecast.a", "takeoff.forecast.b", "takeoff.forecast.c"]
    ]
