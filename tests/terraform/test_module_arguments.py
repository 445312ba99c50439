"""A fix hint for a value that a module call sets names the argument to edit (``queue_visibility of
module.orders``), through callers that pass their own inputs on; a value the module's own default gives keeps the
resource's setting name (there is no argument to edit yet)."""

from __future__ import annotations

from pathlib import Path

from invocation_lint.engine import run

QUEUE_MODULE = """\
variable "queue_visibility" {
  type    = number
  default = 20
}

variable "retention" {
  type    = number
  default = 345600
}

resource "aws_sqs_queue" "this" {
  name                       = "orders"
  visibility_timeout_seconds = var.queue_visibility
  message_retention_seconds  = var.retention
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "dlq" {
  name                      = "orders-dlq"
  message_retention_seconds = 1209600
}

output "arn" {
  value = aws_sqs_queue.this.arn
}
"""

FUNCTION = """\
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/r"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "map" {
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = module.orders.arn
}
"""


def _fixes(tmp_path: Path, root: str, extra: dict[str, str] | None = None) -> list[tuple[str, str, int | None, str]]:
    (tmp_path / "modules" / "queue").mkdir(parents=True)
    (tmp_path / "modules" / "queue" / "main.tf").write_text(QUEUE_MODULE)
    for name, text in (extra or {}).items():
        (tmp_path / "modules" / name).mkdir(parents=True)
        (tmp_path / "modules" / name / "main.tf").write_text(text)
    (tmp_path / "main.tf").write_text(root + FUNCTION)
    result = run([str(tmp_path / "main.tf")], select=["SQS003"])
    return [(f.code, Path(f.span.file).name if f.span else "", f.span.line if f.span else None, f.fix)
            for f in result.findings]


def test_the_argument_of_the_module_call(tmp_path: Path) -> None:
    root = 'module "orders" {\n  source           = "./modules/queue"\n  queue_visibility = 10\n}\n\n'
    assert _fixes(tmp_path, root) == [
        ("SQS003", "main.tf", 3,
         "Set queue_visibility of module.orders to at least 30 s (AWS recommends 6 x the function timeout: 180 s)."),
    ]


def test_the_outermost_argument_through_a_wrapping_module(tmp_path: Path) -> None:
    wrapper = ('variable "hide_for" {\n  type = number\n}\n\n'
               'module "inner" {\n  source           = "../queue"\n  queue_visibility = var.hide_for\n}\n\n'
               'output "arn" {\n  value = module.inner.arn\n}\n')
    root = 'module "orders" {\n  source   = "./modules/wrapper"\n  hide_for = 10\n}\n\n'
    assert _fixes(tmp_path, root, {"wrapper": wrapper}) == [
        ("SQS003", "main.tf", 3,
         "Set hide_for of module.orders to at least 30 s (AWS recommends 6 x the function timeout: 180 s)."),
    ]


def test_the_module_default_keeps_the_setting_name(tmp_path: Path) -> None:
    root = 'module "orders" {\n  source = "./modules/queue"\n}\n\n'
    assert _fixes(tmp_path, root) == [
        ("SQS003", "main.tf", 1,
         "Set visibility_timeout_seconds of module.orders.aws_sqs_queue.this to at least 30 s "
         "(AWS recommends 6 x the function timeout: 180 s)."),
    ]
