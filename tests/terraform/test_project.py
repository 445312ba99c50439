"""A realistic multi-file Terraform project, and hand-written plan/state JSON: exact findings, exact Model.

``fixtures/terraform/projects/orders-service`` has variables with defaults overridden by ``terraform.tfvars``,
locals, ``for_each`` resources and a ``for_each`` local child module, a separate ``aws_sqs_queue_redrive_policy``,
hyphenated resource names, an ``aws_iam_policy_document``, an SNS subscription, an EventBridge schedule target,
the registry SQS and Lambda modules, a ``.tf.json`` file, and handler code packaged by ``archive_file``.
"""

from __future__ import annotations

from conftest import FIXTURES

from invocation_lint.engine import run
from invocation_lint.load import load_path
from invocation_lint.model import Unknown

PROJECT = FIXTURES / "terraform" / "projects" / "orders-service"
PLAN = FIXTURES / "terraform" / "plan"


def tuples(paths: list[str]) -> list[tuple[str, str | None, str | None, str, int]]:
    result = run(paths)
    assert not result.errors, result.errors
    return [(f.code, f.resource, f.function, f.span.file.rsplit("/", 1)[-1], f.span.line) for f in result.findings]


def test_project_findings() -> None:
    assert tuples([str(PROJECT)]) == [
        ("SYNC001", "aws_lambda_function.api", "aws_lambda_function.api", "api.tf.json", 15),
        ("SQS004", "module.audit_queue.aws_sqs_queue.this[0]", "module.audit.aws_lambda_function.this[0]", "audit.tf", 3),
        ("SQS007", "module.audit_queue.aws_sqs_queue.dlq[0]", None, "audit.tf", 3),
        ("ASYNC001", "aws_lambda_function.notify", "aws_lambda_function.notify", "notifications.tf", 7),
        ("ASYNC004", "aws_sns_topic_subscription.notify", "aws_lambda_function.notify", "notifications.tf", 16),
        ("SQS003", 'aws_sqs_queue.work["refunds"]', 'module.consumer["refunds"].aws_lambda_function.this', "queues.tf", 13),
        ("SQS005", 'aws_sqs_queue_redrive_policy.work["refunds"]', 'module.consumer["refunds"].aws_lambda_function.this',
         "queues.tf", 23),
        ("HANDLER001", "aws_lambda_function.notify", "aws_lambda_function.notify", "notify.py", 11),
    ]


def test_project_model() -> None:
    models = {m.file: m for m in load_path(str(PROJECT))}
    m = models[str(PROJECT)]
    assert m.format == "terraform"
    assert sorted(m.functions) == [
        "aws_lambda_function.api", "aws_lambda_function.notify", "aws_lambda_function.report",
        "module.audit.aws_lambda_function.this[0]",
        'module.consumer["orders"].aws_lambda_function.this', 'module.consumer["refunds"].aws_lambda_function.this',
    ]
    assert sorted(m.queues) == [
        "aws_sqs_queue.dead-letters", "aws_sqs_queue.report-failures", 'aws_sqs_queue.work["orders"]',
        'aws_sqs_queue.work["refunds"]', "module.audit_queue.aws_sqs_queue.dlq[0]",
        "module.audit_queue.aws_sqs_queue.this[0]",
    ]
    consumer = m.functions['module.consumer["refunds"].aws_lambda_function.this']
    assert consumer.timeout.value == 40 and not consumer.timeout.default
    assert consumer.span.file.endswith("modules/consumer/main.tf") and consumer.span.line == 21
    # timeout = var.timeout inside the module: the value is decided by the caller's argument
    assert consumer.timeout.span.file.endswith("orders-service/consumers.tf") and consumer.timeout.span.line == 14
    # the redrive policy resource merges into its queue
    refunds = m.queues['aws_sqs_queue.work["refunds"]']
    assert refunds.visibility_timeout.value == 30 and refunds.visibility_timeout.span.line == 13
    assert refunds.redrive.target.node == "aws_sqs_queue.dead-letters"
    assert refunds.redrive.max_receive_count.value == 2
    assert refunds.redrive.resource == 'aws_sqs_queue_redrive_policy.work["refunds"]'
    assert m.queues["aws_sqs_queue.dead-letters"].retention.value == 1209600
    # the SQS module's defaults: visibility 30 (marked default), its DLQ redrive with maxReceiveCount 5
    audit_q = m.queues["module.audit_queue.aws_sqs_queue.this[0]"]
    assert audit_q.visibility_timeout.value == 30 and audit_q.visibility_timeout.default
    assert audit_q.redrive.target.node == "module.audit_queue.aws_sqs_queue.dlq[0]"
    assert audit_q.redrive.max_receive_count.value == 5
    # the Lambda module: its mapping, by key, reads the SQS module's output
    (audit_trigger,) = m.triggers_of("module.audit.aws_lambda_function.this[0]")
    assert audit_trigger.resource == 'module.audit.aws_lambda_event_source_mapping.this["audit"]'
    assert audit_trigger.source.node == "module.audit_queue.aws_sqs_queue.this[0]"
    assert audit_trigger.report_batch_item_failures.value is True
    assert audit_trigger.batch_size.value == 10 and audit_trigger.batch_size.default
    audit_fn = m.functions["module.audit.aws_lambda_function.this[0]"]
    assert audit_fn.timeout.value == 10 and audit_fn.timeout.span.line == 18  # timeout = 10 in the module block
    assert audit_fn.code.kind == "dir" and audit_fn.code.path == str(PROJECT / "src")
    # code located through archive_file
    notify = m.functions["aws_lambda_function.notify"]
    assert notify.code.kind == "dir" and notify.code.path == str(PROJECT / "src")
    assert notify.handler.value == "notify.handler"
    # async settings, routes and the schedule target
    report = m.functions["aws_lambda_function.report"]
    (cfg,) = report.async_configs
    assert cfg.max_retry_attempts.value == 1 and cfg.max_event_age.default
    assert cfg.on_failure.node == "aws_sqs_queue.report-failures"
    (sched,) = m.triggers_of("aws_lambda_function.report")
    assert (sched.mode, sched.service) == ("async", "schedule")
    assert sched.delivery_dlq.node == "aws_sqs_queue.report-failures"
    kinds = sorted((r.kind, r.source) for r in m.routes)
    assert ("on-failure", "aws_lambda_function.report") in kinds
    assert ("target-dlq", "aws_cloudwatch_event_target.nightly_report") in kinds
    # the role's statements come from the policy document, references resolved
    app = m.roles["aws_iam_role.app"]
    assert app.complete
    assert [(s.actions, [t.label() for t in s.resources]) for s in app.statements] == [
        (["logs:CreateLogStream", "logs:PutLogEvents"], ["*"]),
        (["sqs:SendMessage"], ["aws_sqs_queue.report-failures"]),
    ]
    # the .tf.json file: HTTP API integration
    (api,) = m.triggers_of("aws_lambda_function.api")
    assert (api.mode, api.service, api.api, api.api_kind) == ("sync", "apigatewayv2", "aws_apigatewayv2_api.http", "http")
    # the child module is checked as part of its caller only, not again on its own
    assert str(PROJECT / "modules" / "consumer") not in models
    # named explicitly it is checked as the user asked: its inputs are unknown there (no finding);
    # a mapping without starting_position can only poll SQS, whatever its (unknown) queue
    (child,) = load_path(str(PROJECT / "modules" / "consumer" / "main.tf"))
    fn = child.functions["aws_lambda_function.this"]
    assert fn.timeout.value == 3 and fn.timeout.default is False  # var.timeout's default
    (t,) = child.triggers
    assert (t.service, t.mode) == ("sqs", "poll-sqs") and t.source.node is None and t.source.unknown is not None


def test_plan_and_state_findings() -> None:
    assert tuples([str(PLAN)]) == [
        ("SQS003", "aws_sqs_queue.orders", "aws_lambda_function.process_orders", "orders.plan.json", 23),
        ("SQS001", "aws_sqs_queue.payments", "module.payments_worker.aws_lambda_function.this", "orders.plan.json", 42),
        ("SQS005", "aws_sqs_queue.orders", "aws_lambda_function.process_orders", "orders.state.json", 21),
    ]


def test_plan_model() -> None:
    (m,) = load_path(str(PLAN / "orders.plan.json"))
    assert m.format == "terraform"
    q = m.queues["aws_sqs_queue.orders"]
    assert q.visibility_timeout.value == 20 and q.visibility_timeout.span.line == 23
    # message_retention_seconds is in planned_values but not in the configuration: the AWS default applies
    assert q.retention.value == 345600 and q.retention.default
    # the redrive policy is known only after apply: its target comes from the configuration's references
    assert q.redrive.target.node == "aws_sqs_queue.orders_dlq"
    assert isinstance(q.redrive.max_receive_count.value, Unknown)
    # var.queue_arn inside the child module is followed to the module call's expression
    (t,) = m.triggers_of("module.payments_worker.aws_lambda_function.this")
    assert t.source.node == "aws_sqs_queue.payments" and t.mode == "poll-sqs"
    (t,) = m.triggers_of("aws_lambda_function.process_orders")
    assert t.batch_size.value == 10


def test_state_matches_arns() -> None:
    (m,) = load_path(str(PLAN / "orders.state.json"))
    (t,) = m.triggers
    assert t.function == "aws_lambda_function.process_orders"
    assert t.source.node == "aws_sqs_queue.orders"
    q = m.queues["aws_sqs_queue.orders"]
    assert q.redrive.target.node == "aws_sqs_queue.orders_dlq" and q.redrive.max_receive_count.value == 3
    assert m.queues["aws_sqs_queue.orders_dlq"].redrive is None  # "" is no redrive policy
