"""ASYNC001-ASYNC006 on SAM and plain CloudFormation: exact findings, and silence where they do not apply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, finding_tuples, lint

ASYNC = FIXTURES / "async"


def _codes(findings, code):
    return [f for f in findings if f.code == code]


def test_async_fire_sam() -> None:
    found = lint(ASYNC / "sam" / "async_fire.yaml", select="ASYNC")
    assert finding_tuples(found) == [
        ("ASYNC001", "NotifyOnAlert", 12),
        ("ASYNC004", "NotifyOnAlert", 19),
        ("ASYNC001", "ResizeUpload", 24),
        ("ASYNC001", "NightlyReport", 37),
        ("ASYNC005", "NightlyReport", 44),
        ("ASYNC001", "OrderEvents", 49),
    ]
    by_fn = {f.function: f for f in _codes(found, "ASYNC001")}
    assert "after 2 retries within 6 h" in by_fn["NotifyOnAlert"].message
    assert by_fn["NotifyOnAlert"].path == [
        "AlertsTopic (SNS)", "NotifyOnAlert [async]", "failure: retried 2 times within 6 h",
        "no DLQ, no on-failure destination", "dropped",
    ]
    zero = by_fn["OrderEvents"]
    assert "after the first failed attempt (MaximumRetryAttempts: 0)" in zero.message
    assert "EventBridge target DLQ to UndeliveredOrders (SQS) only catches delivery failures" in zero.message
    assert [f.severity for f in found] == ["warning", "info", "warning", "warning", "info", "warning"]


def test_async_fire_cloudformation() -> None:
    found = lint(ASYNC / "cfn" / "async_fire.yaml", select="ASYNC")
    assert finding_tuples(found) == [
        ("ASYNC006", "LambdaRole", 5),
        ("ASYNC001", "Notify", 25),
        ("ASYNC004", "NotifySubscription", 34),
        ("ASYNC001", "Resize", 49),  # known only from the s3.amazonaws.com permission: no ASYNC004/005
        ("ASYNC001", "Report", 66),
        ("ASYNC005", "NightlyRule", 80),
        ("ASYNC001", "Orders", 83),
        ("ASYNC003", "Audit", 125),  # CloudWatch Logs caller; the DLQ is FIFO and not permitted
        ("ASYNC002", "ClicksInvokeConfig", 150),
    ]
    orders = next(f for f in found if f.function == "Orders")
    assert "only catches delivery failures, never function errors" in orders.message


def test_async002_sync_and_stream_only() -> None:
    found = lint(ASYNC / "sam" / "async002_fire.yaml", select="ASYNC")
    assert finding_tuples(found) == [("ASYNC002", "GetItems", 17), ("ASYNC002", "CountClicks", 40)]
    assert "DLQ ApiFailures (SQS) never receives" in found[0].message


def test_async003_fifo_targets() -> None:
    found = lint(ASYNC / "sam" / "async003_fire.yaml", select="ASYNC")
    assert finding_tuples(found) == [
        ("ASYNC003", "Notify", 28),  # function DLQ
        ("ASYNC003", "Audit", 47),  # on-failure destination (FIFO topic)
        ("ASYNC003", "Audit", 55),  # EventBridge target DLQ
    ]
    assert all(f.severity == "error" for f in found)


def test_async006_role_without_permission() -> None:
    found = lint(ASYNC / "sam" / "async006_fire.yaml", select="ASYNC006")
    assert finding_tuples(found) == [("ASYNC006", "NotifyRole", 15), ("ASYNC006", "AuditRole", 53)]
    assert "does not allow sqs:SendMessage on NotifyDlq (SQS)" in found[0].message
    assert "does not allow sns:Publish on FailureTopic (SNS)" in found[1].message


def test_async_silent_sam() -> None:
    # on-failure destination with subscription redrive; Unknown DLQ; API-only and SQS-only functions without a
    # DLQ; an AWS managed policy (role not fully visible); a wildcard action; an imported topic
    assert lint(ASYNC / "sam" / "async_clean.yaml", select=["ASYNC", "LOOP", "STREAM", "SYNC"]) == []


def test_async_silent_globals() -> None:
    assert lint(ASYNC / "sam" / "async_globals.yaml", select="ASYNC") == []


def test_async_silent_cloudformation() -> None:
    # EventInvokeConfig on an alias, a subscription redrive, a target DLQ, permissions from a managed policy,
    # a function URL only
    assert lint(ASYNC / "cfn" / "async_clean.yaml", select=["ASYNC", "LOOP", "STREAM", "SYNC"]) == []


def test_terraform_gives_the_same_findings() -> None:
    # SNS subscription, Kinesis mapping and a queue redriving to itself, written in Terraform
    found = lint(ASYNC / "terraform", select=["ASYNC", "STREAM", "LOOP", "SYNC"])
    assert finding_tuples(found) == [
        ("ASYNC001", "aws_lambda_function.notify", 10),
        ("ASYNC004", "aws_sns_topic_subscription.notify", 18),
        ("STREAM001", "aws_lambda_event_source_mapping.clicks", 29),
        ("STREAM002", "aws_lambda_event_source_mapping.clicks", 29),
        ("LOOP001", "aws_sqs_queue_redrive_policy.loop", 41),
    ]


# ------------------------------------------------------------------ edge cases on hand-built Models

def _model():
    from invocation_lint.model import Function, Model, Queue
    from invocation_lint.source import Span

    m = Model(file="t.yaml", format="cloudformation")
    m.functions["Fn"] = Function("Fn", "AWS::Lambda::Function", Span("t.yaml", 3))
    m.queues["Q"] = Queue("Q", "AWS::SQS::Queue", Span("t.yaml", 10))
    m.resources["Fn"] = ("AWS::Lambda::Function", Span("t.yaml", 3))
    return m


def _trigger(mode, service, line, source=None):
    from invocation_lint.model import Target, Trigger
    from invocation_lint.source import Span

    return Trigger("Fn", mode, service, Span("t.yaml", line), f"T{line}", source=Target(node=source) if source else None)


def _run(model, code):
    from conftest import run_rules

    return finding_tuples(run_rules(model, code))


def test_async002_mixed_sqs_and_api_but_not_sqs_only() -> None:
    from invocation_lint.model import Target
    from invocation_lint.source import Span

    m = _model()
    m.functions["Fn"].dlq = Target(node="Q", span=Span("t.yaml", 5))
    m.triggers = [_trigger("poll-sqs", "sqs", 20, "Q")]
    assert _run(m, "ASYNC002") == []  # SQS only: SQS002's case
    m.triggers.append(_trigger("sync", "apigateway", 30))
    assert _run(m, "ASYNC002") == [("ASYNC002", "Fn", 5)]
    m.triggers.append(_trigger("async", "sns", 40))
    assert _run(m, "ASYNC002") == []  # one async caller is enough for the DLQ to matter


def test_async001_unknown_on_failure_is_silent_and_fifo_arn_is_seen() -> None:
    from invocation_lint.model import AsyncConfig, Target, Unknown
    from invocation_lint.source import Span

    m = _model()
    m.triggers = [_trigger("async", "sns", 20)]
    assert _run(m, "ASYNC001") == [("ASYNC001", "Fn", 3)]
    cfg = AsyncConfig("Cfg", Span("t.yaml", 50), on_failure=Target(unknown=Unknown("import")))
    m.functions["Fn"].async_configs = [cfg]
    assert _run(m, "ASYNC001") == []
    m.functions["Fn"].dlq = Target(arn="arn:aws:sqs:eu-west-1:123456789012:failures.fifo", span=Span("t.yaml", 6))
    assert _run(m, "ASYNC003") == [("ASYNC003", "Fn", 6)]


def test_permission_only_triggers_ask_only_for_the_functions_own_failure_handling() -> None:
    """A permission names no subscription or rule target: ASYNC004/ASYNC005 have nothing to point at."""
    cfn = lint(ASYNC / "cfn" / "async_permission_only.yaml", select="ASYNC")
    assert finding_tuples(cfn) == [("ASYNC001", "Notify", 9), ("ASYNC001", "OnUpload", 33)]
    tf = lint(FIXTURES / "terraform" / "async" / "async_permission_only" / "main.tf", select="ASYNC")
    assert finding_tuples(tf) == [("ASYNC001", "aws_lambda_function.notify", 11),
                                  ("ASYNC001", "aws_lambda_function.on_upload", 39)]


PERMISSION_ONLY = [
    ASYNC / "cfn" / "async_permission_only.yaml",
    ASYNC / "sam" / "async_permission_only.yaml",
    FIXTURES / "terraform" / "async" / "async_permission_only",
    FIXTURES / "terraform" / "async" / "sam_async_permission_only",
]


def _name(id: str | None) -> str | None:
    """``aws_lambda_permission.api_permission`` and ``ApiPermission`` → ``api_permission``."""
    if id is None:
        return None
    if "." in id:
        return id.rsplit(".", 1)[-1]
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", id).lower()


@pytest.mark.parametrize("path", PERMISSION_ONLY, ids=["cfn", "sam", "terraform", "terraform-sam"])
def test_every_format_makes_the_same_trigger_of_each_principal_from_a_permission(path: Path) -> None:
    """SNS, EventBridge, S3 and API Gateway (a REST and an HTTP API named by the source ARN) principals."""
    from invocation_lint.load import load_path

    (model,) = load_path(str(path))
    got = sorted((_name(t.function), t.service, t.mode, _name(t.resource), t.via_permission, _name(t.api), t.api_kind)
                 for t in model.triggers)
    assert got == [
        ("notify", "eventbridge", "async", "rule_permission", True, None, None),
        ("notify", "sns", "async", "topic_permission", True, None, None),
        ("on_http_request", "apigatewayv2", "sync", "http_api_permission", True, "http_api", "http"),
        ("on_request", "apigateway", "sync", "api_permission", True, "api", "rest"),
        ("on_upload", "s3", "async", "upload_permission", True, None, None),
    ]


@pytest.mark.parametrize("path", PERMISSION_ONLY, ids=["cfn", "sam", "terraform", "terraform-sam"])
def test_every_format_gives_the_same_findings_for_permission_only_triggers(path: Path) -> None:
    """The whole pipeline, handler rules included: the caller a permission names is the caller they check."""
    from invocation_lint.engine import run

    result = run([str(path)])
    assert not result.errors
    assert sorted((f.code, _name(f.resource), _name(f.function)) for f in result.findings) == [
        ("ASYNC001", "notify", "notify"),
        ("ASYNC001", "on_upload", "on_upload"),
        ("HANDLER001", "on_upload", "on_upload"),
        ("HANDLER008", "on_request", "on_request"),
    ]


def test_async005_on_event_pattern_rules_alike_in_every_format() -> None:
    """A rule that matches an event pattern (on a custom bus, a SAM CloudWatchEvent) is an EventBridge caller like a
    schedule: each function target without a DeadLetterConfig is ASYNC005, the target with one is not; the
    functions' own on-failure destinations keep ASYNC001 silent. Same in CloudFormation, SAM and Terraform."""
    cfn = lint(FIXTURES / "async" / "cfn" / "async005_event_pattern.yaml")
    assert finding_tuples(cfn) == [("ASYNC005", "PlacedRule", 60), ("ASYNC005", "ShippedRule", 74)]
    assert [f.function for f in cfn] == ["OnPlaced", "OnPlaced"]
    sam = lint(FIXTURES / "async" / "sam" / "async005_event_pattern.yaml")
    assert finding_tuples(sam) == [("ASYNC005", "OnPlaced", 30), ("ASYNC005", "OnPlaced", 37)]
    tf = lint(FIXTURES / "terraform" / "async" / "async005_event_pattern")
    assert finding_tuples(tf) == [
        ("ASYNC005", "aws_cloudwatch_event_target.placed_rule__on_placed", 72),
        ("ASYNC005", "aws_cloudwatch_event_target.shipped_rule__on_placed", 95),
    ]
    sam_tf = lint(FIXTURES / "terraform" / "async" / "sam_async005_event_pattern")
    assert finding_tuples(sam_tf) == [
        ("ASYNC005", "aws_cloudwatch_event_target.on_placed__placed__lambda_target", 47),
        ("ASYNC005", "aws_cloudwatch_event_target.on_placed__shipped__lambda_target", 68),
    ]
    for found in (cfn, sam, tf, sam_tf):
        assert [f.path[2:] for f in found] == [["delivery fails: EventBridge retries", "no target DLQ", "dropped"]] * 2
    assert "without a dead_letter_config" in tf[0].message and "without a DeadLetterConfig" in cfn[0].message
