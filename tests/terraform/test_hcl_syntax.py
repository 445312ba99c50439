"""HCL syntax: every file ``terraform fmt`` parses is parsed, and what it refuses is an error naming the line.

``terraform fmt`` is the judge where a ``terraform`` binary is on PATH; the committed cases keep the expected
values for machines without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES

from invocation_lint.formats.terraform.syntax import (
    Call,
    Expr,
    GetAttr,
    Lit,
    Tmpl,
    Unsupported,
    Var,
    parse_hcl,
)

TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="no terraform binary on PATH")


def terraform_fmt_accepts(text: str, tmp_path: Path) -> bool:
    """``terraform fmt -`` exits non-zero when the text is not valid HCL syntax."""
    config = tmp_path / "terraformrc"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"}
    out = subprocess.run([TERRAFORM or "terraform", "fmt", "-"], input=text.encode("utf-8"), capture_output=True,
                         env=env, timeout=60)
    return out.returncode == 0


def attr(text: str, name: str, block: int = 0) -> Expr:
    body = parse_hcl(text, "main.tf")
    assert body.errors == []
    return body.blocks[block].body.attrs[name].expr


#: (name, text, attribute, expected literal value or a check)
VALID = [
    ("heredoc-trailing-blanks", 'resource "aws_sqs_queue_policy" "p" {\n  policy = <<POLICY\n{"a": 1}\nPOLICY   \n}\n',
     "policy", '{"a": 1}\n'),
    ("heredoc-indented", 'resource "r" "x" {\n  policy = <<-EOT\n    {\n      "a": 1\n    }\n    EOT\n}\n',
     "policy", '{\n  "a": 1\n}\n'),
    ("heredoc-indented-trailing-blanks", 'resource "r" "x" {\n  v = <<-EOT\n    hi\n    EOT  \n}\n', "v", "hi\n"),
    ("heredoc-escaped-interpolation", 'resource "r" "x" {\n  v = <<EOT\n$${not} a\nEOT\n}\n', "v", "${not} a\n"),
    ("heredoc-escaped-directive", 'resource "r" "x" {\n  v = <<EOT\n%%{ not } $${not}\nEOT\n}\n', "v",
     "%{ not } ${not}\n"),
    ("heredoc-escaped-directive-only", 'resource "r" "x" {\n  v = <<EOT\n%%{ not }\nEOT\n}\n', "v", "%{ not }\n"),
    ("string-escapes", 'resource "r" "x" {\n  v = "q\\" b\\\\ n\\n u\\u00e9 $${x} %%{y}"\n}\n', "v",
     'q" b\\ n\n u\u00e9 ${x} %{y}'),
    ("unicode", 'resource "r" "x" {\n  v = "żółw ✓ 名前"\n}\n', "v", "żółw ✓ 名前"),
    ("comments", '# one\n// two\n/* three\n   lines */\nresource "r" "x" { # four\n  v = "a#b//c" // five\n'
     '  /* six */ w = 1\n}\n', "v", "a#b//c"),
]


@pytest.mark.parametrize(("name", "text", "key", "value"), VALID, ids=[v[0] for v in VALID])
def test_valid_syntax_values(name: str, text: str, key: str, value: str) -> None:
    expr = attr(text, key)
    assert isinstance(expr, Lit) and expr.value == value


def test_interpolation_with_nested_quotes() -> None:
    expr = attr('locals {\n  v = "a-${format("%s-${var.b}", "c")}-d"\n}\n', "v")
    assert isinstance(expr, Tmpl)
    assert expr.parts[0] == "a-" and expr.parts[2] == "-d"
    call = expr.parts[1]
    assert isinstance(call, Call) and call.name == "format"
    inner = call.args[0]
    assert isinstance(inner, Tmpl) and inner.parts[0] == "%s-" and isinstance(inner.parts[1], GetAttr)


def test_lone_interpolation_is_the_reference() -> None:
    expr = attr('locals {\n  v = "${aws_sqs_queue.q.arn}"\n}\n', "v")
    assert isinstance(expr, GetAttr) and expr.name == "arn"
    assert isinstance(expr.obj, GetAttr) and isinstance(expr.obj.obj, Var) and expr.obj.obj.name == "aws_sqs_queue"


@pytest.mark.parametrize("text", [
    'locals {\n  v = "%{ if var.a }x%{ else }y%{ endif }"\n}\n',
    'locals {\n  v = "%{ for x in var.l }${x},%{ endfor }"\n}\n',
    'locals {\n  v = <<EOT\n%{ for x in var.l ~}\n${x}\n%{ endfor ~}\nEOT\n}\n',
])
def test_template_directives_are_read_as_unknown(text: str) -> None:
    assert isinstance(attr(text, "v"), Unsupported)


def test_positions_are_exact() -> None:
    body = parse_hcl('\n\nresource "r" "x" {\n\n  a = 1\n  b = {\n    c = var.d\n  }\n}\n', "main.tf")
    blk = body.blocks[0]
    assert (blk.line, blk.end_line) == (3, 9)
    assert blk.body.attrs["a"].line == 5 and blk.body.attrs["b"].line == 6
    obj = blk.body.attrs["b"].expr
    assert [(k.value, v.line, line) for k, v, line in obj.items] == [("c", 7, 7)]  # type: ignore[attr-defined]


INVALID = [
    ('resource "r" "x" {\n  a = 1 b = 2\n}\n', 2),
    ('locals {\n  a = 1\n  b = 2 3\n}\n', 3),
    ('resource "r" "x" {\n  a = "unclosed\n}\n', 2),
    ('resource "r" "x" {\n  a = [1,\n}\n', 2),
    ('resource "r" "x" {\n  a =\n}\n', 2),
    ('resource "r" "x" {\n  a = <<EOT\nno end\n}\n', 2),
]


@pytest.mark.parametrize(("text", "line"), INVALID)
def test_invalid_syntax_is_one_error_with_its_line(text: str, line: int) -> None:
    body = parse_hcl(text + 'resource "r" "after" {}\n', "main.tf")
    assert len(body.errors) == 1 and body.errors[0].line in (line, line + 1), body.errors
    assert str(body.errors[0]).startswith("main.tf:") and "invalid HCL" in str(body.errors[0])


@needs_terraform
@pytest.mark.parametrize("text", [v[1] for v in VALID], ids=[v[0] for v in VALID])
def test_terraform_fmt_agrees_valid(text: str, tmp_path: Path) -> None:
    assert terraform_fmt_accepts(text, tmp_path)
    assert parse_hcl(text, "main.tf").errors == []


@needs_terraform
@pytest.mark.parametrize(("text", "line"), INVALID)
def test_terraform_fmt_agrees_invalid(text: str, line: int, tmp_path: Path) -> None:
    assert not terraform_fmt_accepts(text, tmp_path)
    assert parse_hcl(text, "main.tf").errors


@needs_terraform
def test_every_fixture_that_terraform_parses_is_parsed(tmp_path: Path) -> None:
    files = sorted(p for p in FIXTURES.rglob("*.tf") if p.is_file())
    assert len(files) > 50
    config = tmp_path / "terraformrc"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"}
    out = subprocess.run([TERRAFORM or "terraform", "fmt", "-write=false", "-list=false", "-recursive", str(FIXTURES)],
                         capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr.decode()[:2000]
    for path in files:
        assert parse_hcl(path.read_text(encoding="utf-8"), str(path)).errors == [], path
