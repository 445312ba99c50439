"""One project root for every file read (handler code and module sources), and one finding per problem when a
module is used by several root modules."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from invocation_lint import discover
from invocation_lint.cli import main
from invocation_lint.discover import project_root
from invocation_lint.engine import run

WORKER = '''
variable "name" {
  type = string
}

resource "aws_sqs_queue" "work" {
  name                       = var.name
  visibility_timeout_seconds = 20
  redrive_policy = jsonencode({
    deadLetterTargetArn = "arn:aws:sqs:us-east-1:123456789012:dlq"
    maxReceiveCount     = 5
  })
}

resource "aws_lambda_function" "worker" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  timeout       = 30
  filename      = "../../src/app.zip"
}

resource "aws_lambda_event_source_mapping" "work" {
  event_source_arn        = aws_sqs_queue.work.arn
  function_name           = aws_lambda_function.worker.arn
  function_response_types = ["ReportBatchItemFailures"]
}
'''


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "modules/worker/main.tf", WORKER)
    for env in ("prod", "dev"):
        write(tmp_path / f"environments/{env}/main.tf",
              f'module "worker" {{\n  source = "../../modules/worker"\n  name   = "{env}-worker"\n}}\n')
    return tmp_path


def test_project_root_is_the_git_work_tree(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert project_root(str(root / "environments" / "prod")) == str(root)
    assert project_root(str(root / "environments" / "prod" / "main.tf")) == str(root)


def test_project_root_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    monkeypatch.setattr(discover, "ROOT_OVERRIDE", str(root / "environments"))
    assert project_root(str(root / "environments" / "prod")) == str(root / "environments")


def test_a_shared_module_finding_is_reported_once(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run([str(root)])
    assert not result.errors
    found = [(f.code, f.resource, f.span.file, f.span.line) for f in result.findings]
    assert found == [("SQS003", "module.worker.aws_sqs_queue.work", f"{root}/modules/worker/main.tf", 8)]
    roots = [(r.span.file, r.span.line, r.resource) for r in result.findings[0].related
             if r.message.startswith("reached through the root module")]
    assert roots == [(f"{root}/environments/dev/main.tf", 1, "module.worker"),
                     (f"{root}/environments/prod/main.tf", 1, "module.worker")]


def test_module_source_inside_the_work_tree_is_read(tmp_path: Path) -> None:
    """Checking one environment reads the shared module: it is inside the same project (the git work tree)."""
    root = project(tmp_path)
    result = run([str(root / "environments" / "prod")])
    assert [(f.code, f.span.file) for f in result.findings] == [("SQS003", f"{root}/modules/worker/main.tf")]


def test_module_source_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["check", "-v", "--root", str(root / "environments"), str(root / "environments" / "prod")])
    assert res.exit_code == 0, res.output
    assert "module source ../../modules/worker is outside the project; not read" in res.output


def test_syntax_error_in_a_shared_module_is_reported_once(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(root / "modules/worker/broken.tf", 'resource "aws_sqs_queue" "bad" {\n  name = \n}\n')
    result = run([str(root)])
    assert [str(e) for e in result.errors] == [f"{root}/modules/worker/broken.tf:2: invalid HCL: a value is missing after '='"]
    assert [f.code for f in result.findings] == ["SQS003"]


INPUT_WORKER = WORKER.replace("visibility_timeout_seconds = 20", "visibility_timeout_seconds = var.visibility").replace(
    'variable "name" {', 'variable "visibility" {\n  default = 20\n}\n\nvariable "name" {')


@pytest.mark.parametrize(("call", "line"), [
    ('module "worker" {\n  source = "./modules/worker"\n  name   = "w"\n}\n', 1),  # left unset: the module line
    ('module "worker" {\n  source     = "./modules/worker"\n  name       = "w"\n  visibility = 10\n}\n', 4),
])
def test_finding_decided_by_a_module_input_points_at_the_caller(tmp_path: Path, call: str, line: int) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "modules/worker/main.tf", INPUT_WORKER)
    write(tmp_path / "main.tf", call)
    result = run([str(tmp_path)])
    assert [(f.code, f.resource, f.span.file, f.span.line) for f in result.findings] == [
        ("SQS003", "module.worker.aws_sqs_queue.work", f"{tmp_path}/main.tf", line)]
    # the module's own resource is among the related places
    assert any(r.span and r.span.file.endswith("modules/worker/main.tf") for r in result.findings[0].related)


def test_finding_decided_inside_the_module_points_into_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "modules/worker/main.tf", WORKER)
    write(tmp_path / "main.tf", 'module "worker" {\n  source = "./modules/worker"\n  name   = "w"\n}\n')
    result = run([str(tmp_path)])
    assert [(f.code, f.span.file, f.span.line) for f in result.findings] == [
        ("SQS003", f"{tmp_path}/modules/worker/main.tf", 8)]


def test_env_directories_are_checked_and_virtual_environments_are_not(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "modules/worker/main.tf", WORKER)
    write(tmp_path / "env/prod/main.tf", 'module "worker" {\n  source = "../../modules/worker"\n  name   = "w"\n}\n')
    write(tmp_path / "env/lib/python3.12/site/main.tf", 'resource "aws_sqs_queue" "vendored" {}\n')
    write(tmp_path / "env/pyvenv.cfg", "home = /usr/bin\n")  # env/ is a virtual environment: skipped
    # no caller found: the module is checked on its own, and nothing under the virtual environment is
    assert [f.resource for f in run([str(tmp_path)]).findings] == ["aws_sqs_queue.work"]
    (tmp_path / "env" / "pyvenv.cfg").unlink()
    result = run([str(tmp_path)])
    assert [(f.code, f.resource, f.span.file) for f in result.findings] == [
        ("SQS003", "module.worker.aws_sqs_queue.work", f"{tmp_path}/modules/worker/main.tf")]
