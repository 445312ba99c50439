"""Where a Terraform function's code is: ``filename``, ``archive_file``, and ``s3_bucket``/``s3_key`` naming an
``aws_s3_object`` whose ``source`` is a zip or an ``archive_file``'s ``output_path``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from invocation_lint.engine import run
from invocation_lint.load import load_path

ARCHIVE = '''
data "archive_file" "worker" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/worker.zip"
}
'''

FUNCTION = '''
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.HANDLER"
  s3_bucket     = "artifacts"
  s3_key        = S3_KEY
}
'''


def module(tmp_path: Path, s3_key: str, source: str, handler: str = "handler") -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {'ok': True}\n")
    obj = f'''
resource "aws_s3_object" "worker" {{
  bucket = "artifacts"
  key    = "worker.zip"
  source = {source}
}}
'''
    text = ARCHIVE + obj + FUNCTION.replace("S3_KEY", s3_key).replace("HANDLER", handler)
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("s3_key", ["aws_s3_object.worker.key", '"worker.zip"', "aws_s3_object.worker.id"])
def test_s3_object_from_archive_file(tmp_path: Path, s3_key: str) -> None:
    root = module(tmp_path, s3_key, "data.archive_file.worker.output_path")
    (m,) = load_path(str(root))
    code = m.functions["aws_lambda_function.worker"].code
    assert (code.kind, code.path) == ("dir", str(root / "src"))


def test_code_found_through_s3_object_is_analysed(tmp_path: Path) -> None:
    root = module(tmp_path, "aws_s3_object.worker.key", "data.archive_file.worker.output_path", handler="missing")
    result = run([str(root)])
    assert [(f.code, f.resource, f.span.line) for f in result.findings] == [
        ("HANDLER009", "aws_lambda_function.worker", 18)]  # the handler line


def test_s3_object_with_a_zip_path(tmp_path: Path) -> None:
    root = module(tmp_path, "aws_s3_object.worker.key", '"${path.module}/build/worker.zip"')
    (m,) = load_path(str(root))
    code = m.functions["aws_lambda_function.worker"].code
    assert (code.kind, code.path) == ("zip", str(root / "build" / "worker.zip"))


def test_s3_key_of_no_object_here_is_unknown(tmp_path: Path) -> None:
    root = module(tmp_path, '"elsewhere.zip"', "data.archive_file.worker.output_path", handler="missing")
    (m,) = load_path(str(root))
    assert m.functions["aws_lambda_function.worker"].code.kind == "unknown"
    assert run([str(root)]).findings == []
