"""The rules know no input format: they read the Model only, never a front-end, a format name or a type string."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

RULES = sorted((Path(__file__).resolve().parent.parent / "rules").glob("*.py"))
TYPE_STRING = re.compile(r"^(AWS::|aws_)")


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    # a rule's documentation is its decorated function's docstring: those name resource types on purpose
    return out


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rule_module_knows_no_format(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and ".formats" in f".{node.module}":
            problems.append(f"line {node.lineno}: imports {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr in ("format", "extra"):
            problems.append(f"line {node.lineno}: reads .{node.attr}")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
              and TYPE_STRING.match(node.value)):
            problems.append(f"line {node.lineno}: compares a resource type string {node.value!r}")
    assert problems == []


#: modules a plain ``invlint check`` of a small YAML template has no use for: each costs start-up time
NOT_FOR_A_SMALL_TEMPLATE = ("rich", "jsonschema", "tree_sitter", "tree_sitter_hcl", "cfnlint", "samtranslator",
                            "multiprocessing", "concurrent", "shutil", "http", "bz2", "lzma", "tempfile",
                            "dataclasses", "pkgutil", "json")


#: how the program starts: the console script (no click for a plain check), and the click command line
STARTS = {
    "entry": ("import os\nos.environ['INVLINT_DEBUG'] = '1'\nfrom invocation_lint.entry import main\n"
              "try:\n    main(['check', 'template.yaml'])\n", ("click", "inspect")),
    "cli": ("from invocation_lint.cli import main\n"
            "try:\n    main.main(['check', 'template.yaml'], standalone_mode=True)\n", ()),
}


@pytest.mark.parametrize("start", sorted(STARTS))
def test_plain_check_of_a_small_template_imports_only_what_it_uses(tmp_path: Path, start: str) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    template = tmp_path / "template.yaml"
    template.write_text((root / "fixtures" / "cli" / "three_modes.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text((root / "fixtures" / "cli" / "src" / "app.py").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    code, also_not = STARTS[start]
    probe = (
        "import sys\n"
        + code +
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
        "print('exit', code, file=sys.stderr)\n"
    )
    res = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    modules = set(res.stderr.split())
    assert "exit" in modules and "invocation_lint.handlers.python" in modules  # it ran, handler code included
    assert res.stdout.count("SQS") >= 1  # and found what the template has
    loaded = sorted(m for m in modules if m.split(".")[0] in (*NOT_FOR_A_SMALL_TEMPLATE, *also_not))
    assert loaded == []


# ------------------------------------------------------------------------------------------------ import graph

ROOT = Path(__file__).resolve().parent.parent
#: the package's modules and where they live (``rules/`` is installed as ``invocation_lint.rules``)
PACKAGE_DIRS = {"invocation_lint": ROOT / "invocation_lint", "invocation_lint.rules": ROOT / "rules"}


def _package_modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name → (file, is it a package's ``__init__``)."""
    out: dict[str, tuple[Path, bool]] = {}
    for prefix, directory in PACKAGE_DIRS.items():
        for path in sorted(directory.rglob("*.py")):
            parts = list(path.relative_to(directory).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            out[".".join([prefix, *parts])] = (path, is_package)
    return out


def _type_checking_only(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(body: list[ast.stmt]) -> Iterable[ast.Import | ast.ImportFrom]:
    """The import statements that can run: at module level (also under ``if``/``try``/``with``), in classes and
    inside functions; not those under ``if TYPE_CHECKING:``, which never run."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt
        elif isinstance(stmt, ast.If) and _type_checking_only(stmt.test):
            yield from _runtime_imports(stmt.orelse)
        else:
            for name in ("body", "orelse", "finalbody"):
                yield from _runtime_imports(getattr(stmt, name, None) or [])
            for part in getattr(stmt, "handlers", None) or getattr(stmt, "cases", None) or []:
                yield from _runtime_imports(part.body)  # except clauses, match cases


def import_graph() -> dict[str, dict[str, int]]:
    """Module → {module of the package it imports: line of the first such import}."""
    modules = _package_modules()
    graph: dict[str, dict[str, int]] = {}
    for name, (path, is_package) in modules.items():
        edges = graph.setdefault(name, {})
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _runtime_imports(tree.body):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # ``from . import json`` imports the submodule; ``from . import counts`` a name of the package
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    edges.setdefault(target, node.lineno)
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import circle as ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_package_has_no_import_circle() -> None:
    """No module of invocation_lint (``rules/`` included) imports itself through others.

    What counts as an import: every ``import``/``from … import`` that can run — at module level (under ``if``,
    ``try`` or ``with`` too), in class bodies, and inside functions. A function-level import is lazy for start-up
    time, but it still ties the two modules together and breaks when either moves, so it must not close a circle
    either. Imports under ``if TYPE_CHECKING:`` do not count: they never run and exist for annotations only.
    A submodule's implicit import of its own package (Python runs ``report/__init__.py`` before
    ``report/json.py``) is not an edge; ``from . import name`` of a name defined in ``__init__`` is.
    """
    graph = import_graph()
    cycle = find_cycle(graph)
    where = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in zip(cycle, cycle[1:], strict=False)] if cycle else []
    assert cycle is None, "import circle: " + "; ".join(where)


def test_the_import_graph_sees_imports_at_every_level() -> None:
    graph = import_graph()
    assert "invocation_lint.registry" in graph["invocation_lint.engine"]  # module level
    assert "invocation_lint.discover" in graph["invocation_lint.engine"]  # inside a function
    assert "invocation_lint.report.json" in graph["invocation_lint.report"]  # from . import <submodule>
    assert "invocation_lint.report.summary" in graph["invocation_lint.report.text"]
    assert "invocation_lint.engine" not in graph["invocation_lint.report.text"]  # only under TYPE_CHECKING
    assert "invocation_lint.registry" in graph["invocation_lint.rules.sqs"]  # rules/ is part of the package
    assert find_cycle({"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 1}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None
