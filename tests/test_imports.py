"""Issue 14, point 1: the import graph of ``reconcile/`` has no cycle, and no module calls
another's private names.

The graph is read from the source (``ast``), function-level imports included, and importing
``a.b.c`` counts as importing the package ``a.b`` too (its ``__init__`` runs first): that is
how ``merge`` -> ``checks.garbage`` closed a cycle through ``checks/__init__`` -> ``fields``
-> ``merge`` while each file looked innocent.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _modules(package: str = "reconcile") -> dict[str, Path]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(modules: dict[str, Path]) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Each module's imports among ``modules``, and every ``(module, name)`` where a module
    imports or reaches for another module's private (``_name``) attribute."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    private: list[tuple[str, str]] = []
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        aliases: dict[str, str] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        graph[module].add(alias.name)
                        aliases[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in modules:
                        graph[module].add(full)
                        aliases[alias.asname or alias.name] = full
                    elif base in modules:
                        graph[module].add(base)
                        if alias.name.startswith("_"):
                            private.append((module, full))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_") and not node.attr.startswith("__")):
                private.append((module, f"{aliases[node.value.id]}.{node.attr}"))
    for module in list(graph):  # importing a.b.c runs a.b's __init__ first
        for target in list(graph[module]):
            parts = target.split(".")
            for i in range(1, len(parts)):
                parent = ".".join(parts[:i])
                if parent in modules and parent != module and not module.startswith(parent + "."):
                    graph[module].add(parent)
    return graph, private


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_reconcile_has_no_import_cycle():
    graph, _ = import_graph(_modules())
    assert find_cycle(graph) is None


def test_no_module_uses_anothers_private_names():
    _, private = import_graph(_modules())
    assert private == []


def test_the_checks_above_do_notice():
    """A cycle through a package's ``__init__`` and a reach into a private name are found."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    graph, private = import_graph(_modules())
    graph["reconcile.policy"].add("reconcile.checks.fields")
    assert find_cycle(graph) is not None  # checks.fields imports policy
