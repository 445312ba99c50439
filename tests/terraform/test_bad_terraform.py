"""Bad Terraform input is one clean input error (file and line, exit code 2), never a traceback; python-hcl2
is imported only when a ``.tf`` file is read."""

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


@pytest.mark.parametrize(("text", "line", "words"), [
    ('resource "aws_sqs_queue" "q" {\n  name = \n}\n', 2, "invalid HCL"),
    ('resource "aws_sqs_queue" "q" {\n  name = "q"\n', 2, "not closed"),
    ('resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n}\n', 4, "invalid HCL"),
    ('variable "x" {\n  default = [1, 2\n}\n', 3, "invalid HCL"),
])
def test_invalid_hcl_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    write(tmp_path, "ok.tf", 'resource "aws_sqs_queue" "fine" {}\n')
    write(tmp_path, "broken.tf", text)
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert err.value.file == "proj/broken.tf"
    assert err.value.line == line
    assert words in err.value.message
    assert "\n" not in str(err.value)


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


def _imports_hcl2(code: str) -> bool:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('hcl2' in sys.modules or 'lark' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().endswith("True")


def test_hcl2_only_for_tf_input(tmp_path: Path) -> None:
    write(tmp_path, "json/main.tf.json", '{"resource": {"aws_sqs_queue": {"q": {"name": "${var.x}"}}}}\n')
    write(tmp_path, "hcl/main.tf", 'resource "aws_sqs_queue" "q" {}\n')
    load = "from invocation_lint.load import load_path\n"
    assert not _imports_hcl2(load + f"load_path({str(tmp_path / 'json')!r})")
    assert not _imports_hcl2(load + f"load_path({str(FIXTURES / 'terraform' / 'plan' / 'orders.plan.json')!r})")
    assert _imports_hcl2(load + f"load_path({str(tmp_path / 'hcl')!r})")


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
    write(tmp_path, "main.tf", "locals {\n  a = " + "(" * 3000 + "1" + ")" * 3000 + "\n}\n")
    with pytest.raises(InputError) as err:
        load_module(str(tmp_path), "proj", str(tmp_path))
    assert "nested too deeply" in err.value.message


def test_called_local_modules() -> None:
    from invocation_lint.formats.terraform.load import called_local_modules

    project = FIXTURES / "terraform" / "projects" / "orders-service"
    assert called_local_modules(str(project)) == {str((project / "modules" / "consumer").resolve())}
    assert called_local_modules(str(project / "modules" / "consumer")) == set()


def test_a_large_tf_file_is_refused_before_parsing(tmp_path: Path) -> None:
    import time

    from invocation_lint.source import InputError

    with open(tmp_path / "main.tf", "w") as fh:
        fh.write("# generated\n" * 300_000)  # 3.6 MB: python-hcl2 would take many seconds
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_module(str(tmp_path), "mod", str(tmp_path))
    assert time.perf_counter() - start < 1.0
    assert info.value.file == "mod/main.tf"
    assert info.value.message == "file is 3.6 MB; .tf files over 2 MiB are not read"
