"""Projects built on ``terraform-aws-modules/lambda/aws`` and ``terraform-aws-modules/sqs/aws`` (whose source is
not on disk) get the findings of the same resources written by hand, at the addresses the modules use, with
lines in the ``module`` blocks."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from invocation_lint.engine import run
from invocation_lint.formats.terraform.load import load_module
from invocation_lint.formats.terraform.registry import registry_key

REGISTRY = FIXTURES / "terraform" / "registry"

#: module address → the hand-written resource it corresponds to
SAME = {
    "module.jobs.aws_sqs_queue.this[0]": "aws_sqs_queue.jobs",
    "module.jobs.aws_sqs_queue.dlq[0]": "aws_sqs_queue.jobs_dlq",
    "module.jobs.aws_sqs_queue_redrive_policy.dlq[0]": "aws_sqs_queue_redrive_policy.jobs",
    "module.worker.aws_lambda_function.this[0]": "aws_lambda_function.worker",
    'module.worker.aws_lambda_event_source_mapping.this["jobs"]': "aws_lambda_event_source_mapping.worker_jobs",
    "module.notifier.aws_lambda_function.this[0]": "aws_lambda_function.notifier",
}


def test_modules_give_the_findings_of_plain_resources() -> None:
    modules, plain = run([str(REGISTRY / "modules")]), run([str(REGISTRY / "plain")])
    assert not modules.errors and not plain.errors
    got = sorted((f.code, SAME.get(f.resource or "", f.resource), SAME.get(f.function or "", f.function))
                 for f in modules.findings)
    want = sorted((f.code, f.resource, f.function) for f in plain.findings)
    assert got == want
    assert {f.code for f in plain.findings} == {"SQS002", "SQS003", "SQS005", "SQS007", "SQS008", "ASYNC001", "ASYNC004"}


def test_module_findings_point_at_the_inputs_that_set_them() -> None:
    lines = {(f.code, f.resource): f.span.line for f in run([str(REGISTRY / "modules")]).findings}
    assert lines[("SQS005", "module.jobs.aws_sqs_queue_redrive_policy.dlq[0]")] == 11  # maxReceiveCount = 2
    assert lines[("SQS002", "module.worker.aws_lambda_function.this[0]")] == 24  # dead_letter_target_arn
    assert lines[("SQS008", 'module.worker.aws_lambda_event_source_mapping.this["jobs"]')] == 29  # batch_size = 50
    assert lines[("SQS003", "module.jobs.aws_sqs_queue.this[0]")] == 4  # the default: the module block


def test_lambda_module_model() -> None:
    m = load_module(str(REGISTRY / "modules"), "modules", str(REGISTRY / "modules"))
    worker = m.functions["module.worker.aws_lambda_function.this[0]"]
    assert (worker.handler.value, worker.runtime.value, worker.timeout.value) == ("worker.handler", "python3.12", 60)
    assert worker.dlq.node == "module.jobs.aws_sqs_queue.dlq[0]"
    assert worker.code.kind == "dir" and worker.code.path == str(REGISTRY / "modules" / "src")
    assert worker.role is None  # the role the module creates is not modelled
    notifier = m.functions["module.notifier.aws_lambda_function.this[0]"]
    assert notifier.timeout.value == 3 and not notifier.timeout.default  # the module's default, written there
    (cfg,) = notifier.async_configs
    assert cfg.resource == 'module.notifier.aws_lambda_function_event_invoke_config.this["unqualified_alias"]'
    assert cfg.max_retry_attempts.value == 0 and cfg.max_retry_attempts.span.line == 48
    assert cfg.max_event_age.value == 21600 and cfg.max_event_age.default
    (sns,) = m.triggers_of("module.notifier.aws_lambda_function.this[0]")
    assert sns.source.node == "aws_sns_topic.events"


def test_lambda_module_destinations(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('''
resource "aws_sqs_queue" "failures" {}
module "fn" {
  source                    = "registry.terraform.io/terraform-aws-modules/lambda/aws"
  function_name             = "fn"
  handler                   = "index.handler"
  runtime                   = "nodejs20.x"
  create_package            = false
  local_existing_package    = "dist/fn.zip"
  create_async_event_config = true
  destination_on_failure    = aws_sqs_queue.failures.arn
  recursive_loop            = "Allow"
}
''', encoding="utf-8")
    m = load_module(str(tmp_path), "p", str(tmp_path))
    fn = m.functions["module.fn.aws_lambda_function.this[0]"]
    assert fn.on_failure.node == "aws_sqs_queue.failures"
    assert fn.code.kind == "zip" and fn.code.path == str(tmp_path / "dist" / "fn.zip")
    assert fn.recursive_loop.value == "Allow"
    assert [(r.kind, r.source) for r in m.routes] == [("on-failure", "module.fn.aws_lambda_function.this[0]")]


def test_sqs_module_without_dlq(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('''
module "q" {
  source                     = "terraform-aws-modules/sqs/aws"
  name                       = "orders.fifo"
  fifo_queue                 = true
  visibility_timeout_seconds = 90
}
''', encoding="utf-8")
    m = load_module(str(tmp_path), "p", str(tmp_path))
    assert list(m.queues) == ["module.q.aws_sqs_queue.this[0]"]
    q = m.queues["module.q.aws_sqs_queue.this[0]"]
    assert q.fifo.value is True and q.visibility_timeout.value == 90 and q.redrive is None
    assert q.visibility_timeout.span.line == 6


def test_registry_sources() -> None:
    assert registry_key("terraform-aws-modules/lambda/aws") == "terraform-aws-modules/lambda/aws"
    assert registry_key("registry.terraform.io/terraform-aws-modules/sqs/aws//modules/x") == "terraform-aws-modules/sqs/aws"
    assert registry_key("terraform-aws-modules/vpc/aws") is None
    assert registry_key("git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git") is None


def test_module_installed_by_terraform_init() -> None:
    """A remote module not modelled here is read from ``.terraform/modules`` when ``terraform init`` put it there;
    findings point at the ``module`` block's inputs, not at the installed copy."""
    project = FIXTURES / "terraform" / "projects" / "installed-module"
    result = run([str(project)])
    assert not result.errors and [m.file for m in result.models] == [str(project)]
    assert [(f.code, f.resource, f.span.file.rsplit("/", 1)[-1], f.span.line) for f in result.findings] == [
        ("SQS001", "module.queue.aws_sqs_queue.this", "main.tf", 3),  # the module block
        ("SQS003", "module.queue.aws_sqs_queue.this", "main.tf", 8),  # visibility = 20
    ]


SQS_VERSIONS = '''
resource "aws_sqs_queue" "dlq" {
  name                      = "dlq"
  message_retention_seconds = 1209600
}

module "only_name" {
  source = "terraform-aws-modules/sqs/aws"
  name   = "only-name"
}

module "v3" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "~> 3.0"
  name    = "v3"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}

module "v3_string" {
  source         = "terraform-aws-modules/sqs/aws"
  version        = "~> 3.0"
  name           = "v3-string"
  redrive_policy = "{\\"deadLetterTargetArn\\": \\"arn:aws:sqs:us-east-1:123456789012:dlq\\", \\"maxReceiveCount\\": 5}"
}

module "v4" {
  source     = "terraform-aws-modules/sqs/aws"
  name       = "v4"
  create_dlq = true
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "artifacts"
  s3_key        = "worker.zip"
}
''' + "".join(f'''
resource "aws_lambda_event_source_mapping" "{name}" {{
  event_source_arn        = module.{name}.queue_arn
  function_name           = aws_lambda_function.worker.arn
  function_response_types = ["ReportBatchItemFailures"]
}}
''' for name in ("only_name", "v3", "v3_string", "v4"))


def test_sqs_module_v3_and_v4_inputs(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(SQS_VERSIONS, encoding="utf-8")
    m = load_module(str(tmp_path), "mod", str(tmp_path))
    assert m.notes == []
    assert m.queues["module.v3.aws_sqs_queue.this[0]"].redrive.target.node == "aws_sqs_queue.dlq"
    assert m.queues["module.v3_string.aws_sqs_queue.this[0]"].redrive.max_receive_count.value == 5
    assert m.queues["module.v4.aws_sqs_queue.this[0]"].redrive.target.node == "module.v4.aws_sqs_queue.dlq[0]"
    assert m.queues["module.only_name.aws_sqs_queue.this[0]"].redrive is None
    result = run([str(tmp_path)])
    assert [(f.code, f.resource, f.span.line) for f in result.findings if f.code == "SQS001"] == [
        ("SQS001", "module.only_name.aws_sqs_queue.this[0]", 7)]


DDB_MAPPING = '''
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "artifacts"
  s3_key        = "worker.zip"
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn  = SOURCE
  function_name     = aws_lambda_function.worker.arn
  starting_position = "LATEST"
}
'''


def test_dynamodb_table_module_stream_is_the_plain_table_stream(tmp_path: Path) -> None:
    """The stream output of terraform-aws-modules/dynamodb-table/aws (not on disk) is a DynamoDB stream: the
    mapping's own settings decide STREAM001/002 as for a hand-written table."""
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "main.tf").write_text('''
module "orders_table" {
  source           = "terraform-aws-modules/dynamodb-table/aws"
  name             = "orders"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
}
''' + DDB_MAPPING.replace("SOURCE", "module.orders_table.dynamodb_table_stream_arn"), encoding="utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "main.tf").write_text('''
resource "aws_dynamodb_table" "orders" {
  name             = "orders"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
}
''' + DDB_MAPPING.replace("SOURCE", "aws_dynamodb_table.orders.stream_arn"), encoding="utf-8")
    got = {name: [(f.code, f.resource, f.span.line) for f in run([str(tmp_path / name)]).findings]
           for name in ("module", "plain")}
    assert got["module"] == [
        ("STREAM001", "aws_lambda_event_source_mapping.orders", 19),
        ("STREAM002", "aws_lambda_event_source_mapping.orders", 19),
    ]
    assert got["plain"] == [(code, res, line - 1) for code, res, line in got["module"]]  # one line shorter
    m = load_module(str(tmp_path / "module"), "mod", str(tmp_path / "module"))
    (trigger,) = m.triggers
    assert trigger.service == "dynamodb" and trigger.source.node == "module.orders_table.aws_dynamodb_table.this[0]"
