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


#: modules a plain ``invlint check`` of a small YAML template has no use for: each costs start-up time
NOT_FOR_A_SMALL_TEMPLATE = ("rich", "jsonschema", "tree_sitter", "tree_sitter_hcl", "cfnlint", "samtranslator",
                            "multiprocessing", "concurrent", "shutil", "http", "bz2", "lzma", "tempfile")


#: how the program starts: the console script (no click for a plain check), and the click command line
STARTS = {
    "entry": ("import os\nos.environ['INVLINT_DEBUG'] = '1'\nfrom invocation_lint.entry import main\n"
              "try:\n    main(['check', 'template.yaml'])\n", ("click",)),
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
