"""Bad Terraform input is one clean input error (file and line, exit code 2), never a traceback, and loses only
the block it is in; the HCL parser is imported only when a ``.tf`` file is read."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from invocation_lint.cli import main
from invocation_lint.formats.parse import parse_json
from invocation_lint.formats.terraform.load import load_module, load_plan
from invocation_lint.model import Unknown
from invocation_lint.source import InputError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "words", "kept"), [
    ('resource "aws_sqs_queue" "q" {\n  name = \n}\n', 2, "a value is missing after '='", set()),
    ('resource "aws_sqs_queue" "q" {\n  name = "q"\n', 2, "not closed", set()),
    ('resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n}\n', 4, "unexpected '}'", {"q"}),
    ('variable "x" {\n  default = [1, 2\n}\n', 3, "expected ']'", set()),
    # the broken block is lost, the blocks after it are read (tree-sitter alone would fold them into it)
    ('resource "aws_sqs_queue" "q" {\n  name = \n}\n\nresource "aws_sqs_queue" "after" {}\n', 2,
     "a value is missing", {"after"}),
    ('resource "aws_sqs_queue" "before" {}\nresource "aws_sqs_queue" "q" {\n  name = "q" +\n}\n'
     'resource "aws_sqs_queue" "after" {\n  policy = <<EOT\nresource "x" "y" {\nEOT\n}\n', 3, "invalid HCL",
     {"before", "after"}),
])
def test_invalid_hcl_loses_only_its_block(tmp_path: Path, text: str, line: int, words: str, kept: set[str]) -> None:
    write(tmp_path, "ok.tf", 'resource "aws_sqs_queue" "fine" {}\n')
    write(tmp_path, "broken.tf", text)
    m = load_module(str(tmp_path), "proj", str(tmp_path))
    assert len(m.errors) == 1, m.errors
    err = m.errors[0]
    assert err.file == "proj/broken.tf"
    assert err.line == line
    assert "invalid HCL" in err.message and words in err.message, err.message
    assert "\n" not in str(err)
    assert set(m.queues) == {f"aws_sqs_queue.{name}" for name in kept | {"fine"}}


def test_syntax_error_in_a_child_module_keeps_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", 'module "m" {\n  source = "./m"\n}\nresource "aws_sqs_queue" "root" {}\n')
    write(tmp_path, "m/a.tf", 'resource "aws_sqs_queue" "bad" {\n  name = [\n}\n')
    write(tmp_path, "m/b.tf", 'resource "aws_sqs_queue" "good" {}\n')
    m = load_module(str(tmp_path), "proj", str(tmp_path))
    assert [str(e) for e in m.errors] == ["proj/m/a.tf:2: invalid HCL: a value is missing after '['"]
    assert set(m.queues) == {"aws_sqs_queue.root", "module.m.aws_sqs_queue.good"}


def test_invalid_tf_json(tmp_path: Path) -> None:
    write(tmp_path, "main.tf.json", '{\n  "resource": {\n    "aws_sqs_queue": {"q": {,}}\n  }\n}\n')
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert err.value.file == "proj/main.tf.json" and err.value.line == 3


def test_tf_json_that_is_not_an_object(tmp_path: Path) -> None:
    write(tmp_path, "main.tf.json", "[1, 2]\n")
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert err.value.file == "proj/main.tf.json"


def test_binary_tf_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(b"resource \x00\x01\x02")
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert "binary" in err.value.message


def test_missing_local_module(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", 'module "gone" {\n  source = "./modules/gone"\n}\nresource "aws_sqs_queue" "q" {}\n')
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert err.value.file == "proj/modules/gone"


def test_module_calling_itself_is_an_error_not_a_hang(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", 'module "me" {\n  source = "./"\n}\n')
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert "nested" in err.value.message


def test_module_outside_the_project_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, "outside/main.tf", 'resource "aws_sqs_queue" "secret" {}\n')
    write(tmp_path, "proj/main.tf", 'module "o" {\n  source = "../outside"\n}\n')
    m = load_module(str(tmp_path / "proj"), "proj", str(tmp_path / "proj"))
    assert m.queues == {}
    assert m.notes == ["module.o: module source ../outside is outside the project; not read"]


def test_self_referencing_locals_do_not_loop(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", """
        locals {
          a = local.b
          b = local.a
        }
        resource "aws_sqs_queue" "q" {
          visibility_timeout_seconds = local.a
        }
    """)
    m = load_module(str(tmp_path), "proj", str(tmp_path))
    assert not m.queues["aws_sqs_queue.q"].visibility_timeout.known


def test_unknown_plan_format_version(tmp_path: Path) -> None:
    text = json.dumps({"format_version": "2.0", "terraform_version": "2.0.0", "planned_values": {}}, indent=2)
    doc = parse_json(text, "plan.json")
    with pytest.raises(InputError) as err:
        load_plan(doc, "plan.json", str(tmp_path))
    assert err.value.file == "plan.json" and err.value.line == 2
    assert "format_version" in err.value.message


def test_plan_without_values(tmp_path: Path) -> None:
    doc = parse_json('{\n  "format_version": "1.2",\n  "terraform_version": "1.9.0"\n}\n', "plan.json")
    with pytest.raises(InputError):
        load_plan(doc, "plan.json", str(tmp_path))


def test_cli_exit_code_2(tmp_path: Path) -> None:
    write(tmp_path, "tf/main.tf", 'resource "aws_sqs_queue" "q" {\n  name = \n}\n')
    write(tmp_path, "plan.json", json.dumps({"format_version": "9.0", "planned_values": {}}))
    runner = CliRunner()
    for target, where in ((tmp_path / "tf", "main.tf:2"), (tmp_path / "plan.json", "plan.json:1")):
        result = runner.invoke(main, ["check", str(target)])
        assert result.exit_code == 2, result.output
        assert where in result.output
        assert "Traceback" not in result.output


def _imports_hcl_parser(code: str) -> bool:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('tree_sitter_hcl' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().endswith("True")


def test_hcl_parser_only_for_tf_input(tmp_path: Path) -> None:
    write(tmp_path, "json/main.tf.json", '{"resource": {"aws_sqs_queue": {"q": {"name": "${var.x}"}}}}\n')
    write(tmp_path, "hcl/main.tf", 'resource "aws_sqs_queue" "q" {}\n')
    load = "from invocation_lint.load import load_path\n"
    assert not _imports_hcl_parser(load + f"load_path({str(tmp_path / 'json')!r})")
    assert not _imports_hcl_parser(load + f"load_path({str(FIXTURES / 'terraform' / 'plan' / 'orders.plan.json')!r})")
    assert _imports_hcl_parser(load + f"load_path({str(tmp_path / 'hcl')!r})")


ODD = r'''
locals {
  b = "%{ if var.x }yes%{ endif }"
  c = [for x in var.list : x.y]
  d = var.nope[*].arn
  e = element([], 3)
  f = 1 / 0
  g = { for k, v in local.nothing : k => v... }
  h = provider::aws::arn_parse("arn:aws:sqs:a:b:c")
  j = [1, 2, 3][5]
  k = lookup()
  l = -"x"
  m = !5
  n = local.n
  o = jsondecode("{")
  p = format("%s %d", "a")
  q = upper(5)
  r = { (local.b) = 1 }
  s = tostring([1])
  t = 5 > "x"
}
resource "aws_sqs_queue" "q" {
  visibility_timeout_seconds = local.e
  message_retention_seconds  = local.p
  name                       = local.b
  redrive_policy             = local.o
  delay_seconds              = local.t
}
resource "aws_lambda_function" "f" {
  for_each      = local.g
  function_name = local.r
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = local.d
  function_name    = aws_lambda_function.f
  batch_size       = local.f
}
'''


def test_expressions_terraform_would_reject_become_unknown(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", ODD)
    m = load_module(str(tmp_path), "proj", str(tmp_path))
    q = m.queues["aws_sqs_queue.q"]
    assert not q.visibility_timeout.known and not q.retention.known
    assert isinstance(q.redrive, Unknown)  # an unreadable redrive policy is not "no redrive policy"
    assert m.triggers == []


def test_deeply_nested_expression(tmp_path: Path) -> None:
    write(tmp_path, "main.tf", "locals {\n  a = " + "(" * 3000 + "1" + ")" * 3000 + "\n}\n"
                               'resource "aws_sqs_queue" "q" {}\n')
    m = load_module(str(tmp_path), "proj", str(tmp_path))
    assert [str(e) for e in m.errors] == ["proj/main.tf:1: invalid HCL: expressions nested too deeply to read"]
    assert set(m.queues) == {"aws_sqs_queue.q"}


def test_called_local_modules() -> None:
    from invocation_lint.formats.terraform.calls import called_local_modules

    project = FIXTURES / "terraform" / "projects" / "orders-service"
    assert called_local_modules(str(project)) == {str((project / "modules" / "consumer").resolve())}
    assert called_local_modules(str(project / "modules" / "consumer")) == set()


def test_a_large_tf_file_is_refused_before_parsing(tmp_path: Path) -> None:
    import time

    from invocation_lint.source import InputError

    with open(tmp_path / "main.tf", "w") as fh:
        fh.write("# generated\n" * 800_000)  # 9.6 MB
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_module(str(tmp_path), "mod", str(tmp_path))
    assert time.perf_counter() - start < 1.0
    assert info.value.file == "mod/main.tf"
    assert info.value.message == "file is 9.6 MB; .tf files over 8 MiB are not read"
