"""The package's shape: no import cycles, module names that say what the module does."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "npfterm"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


@functools.lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    """Module → the npfterm modules it imports, at top level or inside functions (TYPE_CHECKING aside)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if _type_checking_only(node, parents):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
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


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_inside_npfterm():
    assert cycles(import_graph()) == []


def test_the_package_root_imports_nothing_heavy():
    """``import npfterm`` loads the version only; the API comes on first use."""
    assert import_graph()["npfterm"] == {"npfterm.version"}


LAYERS = ["npfterm.version", "npfterm.errors", "npfterm.models", "npfterm.text", "npfterm.alignment", "npfterm.terms", "npfterm.store"]


@pytest.mark.parametrize("lower", range(len(LAYERS)))
def test_lower_layers_never_import_higher_ones(lower):
    graph = import_graph()
    above = tuple(LAYERS[lower + 1 :]) + ("npfterm.cli", "npfterm.api", "npfterm.lookup", "npfterm.formats")
    offenders = sorted(
        f"{m} -> {t}"
        for m, targets in graph.items()
        if m == LAYERS[lower] or m.startswith(LAYERS[lower] + ".")
        for t in targets
        if any(t == a or t.startswith(a + ".") for a in above)
    )
    assert offenders == []


def test_every_module_says_what_it_does():
    missing = [module_name(p) for p in PACKAGE.rglob("*.py") if p.stat().st_size and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _strings_outside_docstrings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_library_messages_never_name_a_command_line_flag():
    """The CLI adds the flag (cli/common.hint_text); the library names the setting (NpftermError.hint)."""
    offenders = [
        f"{path.relative_to(SRC)}:{line}: {text!r}"
        for path in PACKAGE.rglob("*.py")
        if "cli" not in path.relative_to(PACKAGE).parts[:1]
        for line, text in _strings_outside_docstrings(ast.parse(path.read_text(encoding="utf-8")))
        if FLAG.search(text)
    ]
    assert offenders == []
