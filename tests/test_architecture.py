"""The rules know no input format: they read the Model only, never a front-end, a format name or a type string."""

from __future__ import annotations

import ast
import re
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
