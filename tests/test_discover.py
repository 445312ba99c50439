"""Deciding what to check happens in discovery only; the engine checks the inputs it is given."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from invocation_lint import engine
from invocation_lint.config import Config
from invocation_lint.discover import inputs_to_check

ROOT = Path(__file__).resolve().parent.parent
SQS001 = (ROOT / "fixtures" / "cli" / "sqs001.yaml").read_text(encoding="utf-8")


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the project root
    (tmp_path / "t.yaml").write_text(SQS001, encoding="utf-8")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "t.yaml").write_text(SQS001, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("name: not a template\n", encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "t.yaml").write_text(SQS001, encoding="utf-8")
    return tmp_path


def test_inputs_to_check_applies_the_configuration(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_project(tmp_path))
    found = inputs_to_check(["."], Config())
    assert [(i.kind, i.display) for i in found.inputs] == [("template", "./t.yaml"), ("template", "./vendor/t.yaml")]
    assert found.errors == [] and found.notes == []
    found = inputs_to_check([".", "notes.yaml", "missing.yaml"], Config(exclude=["vendor/**"]))
    assert [(i.display, i.explicit) for i in found.inputs] == [("./t.yaml", False), ("notes.yaml", True)]
    assert [str(e) for e in found.errors] == ["missing.yaml: no such file or directory"]
    found = inputs_to_check(["notes.yaml", "t.yaml"], Config(skip_non_templates=True))
    assert [i.display for i in found.inputs] == ["t.yaml"]
    found = inputs_to_check(["-", "*.yaml"], Config())
    assert [(i.display, i.is_stdin) for i in found.inputs] == [("<stdin>", True), ("notes.yaml", False),
                                                               ("t.yaml", False)]
    os.symlink(tmp_path / "t.yaml", tmp_path / "vendor" / "link.yaml")
    found = inputs_to_check(["vendor"], Config())
    assert [i.display for i in found.inputs] == ["vendor/t.yaml"]
    assert found.notes == [f"{os.path.join('vendor', 'link.yaml')}: a symlink, not read under a directory"]


def test_the_engine_checks_the_inputs_it_is_given(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_project(tmp_path))
    config = Config(exclude=["vendor"], select=["SQS001"])
    given = engine.check(inputs_to_check(["."], config), config)
    assert [(f.code, f.span.file, f.span.line, f.resource) for f in given.findings if f.span] == [
        ("SQS001", "./t.yaml", 4, "OrdersQueue")]
    assert len(given.findings) == 1
    ran = engine.run(["."], config)
    assert [f.sort_key() for f in ran.findings] == [f.sort_key() for f in given.findings]
    assert [m.file for m in ran.models] == [m.file for m in given.models] == ["./t.yaml"]


def test_the_engine_decides_nothing_about_what_to_check() -> None:
    """No directory walking, globbing, exclusion, template sniffing or ``-`` in the engine."""
    tree = ast.parse((ROOT / "invocation_lint" / "engine.py").read_text(encoding="utf-8"))
    decisions = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("walk", "glob", "fnmatch", "fnmatchcase", "scandir",
                                                             "listdir", "is_template_file", "excluded"):
            decisions.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ("is_template_file", "excluded", "discover"):
            decisions.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Constant) and node.value == "-":
            decisions.append(f"line {node.lineno}: compares with '-'")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            decisions.extend(f"line {node.lineno}: imports {n}" for n in names if n in ("glob", "fnmatch", "pathlib"))
    assert decisions == []
