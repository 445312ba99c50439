"""The table of invokers: its permission mapping, its rendered page, and the triggers the front-ends build from
IoT authorizers and topic rules, SES receipt rules and permissions alone (CloudFormation and Terraform twins)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, finding_tuples, lint

from invocation_lint.formats.aws import PRINCIPALS
from invocation_lint.formats.invokers import BY_SETTING, INVOKERS, render, ses_mode
from invocation_lint.load import load_path

INVOKER_FIXTURES = FIXTURES / "invokers"
DOC = Path(__file__).resolve().parent.parent / "docs" / "invokers.md"


def test_rendered_page_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/invokers.md is stale: python -m invocation_lint.formats.invokers > docs/invokers.md")


def test_every_row_cites_aws_documentation() -> None:
    services = [r.service for r in INVOKERS]
    assert len(services) == len(set(services))
    for row in INVOKERS:
        assert row.urls and all(u.startswith("https://docs.aws.amazon.com/") for u in row.urls), row.service
        if row.mode == BY_SETTING:
            assert len(row.modes) >= 2 and row.decided_by, row.service
        else:
            assert row.mode in ("sync", "async", "poll-sqs", "poll-stream") and not row.modes, row.service


def test_a_permission_gives_a_mode_only_for_single_mode_services() -> None:
    assert PRINCIPALS["iot"] == ("iot", "unknown")  # topic rules are async, authorizers sync
    assert PRINCIPALS["ses"] == ("ses", "unknown")
    assert PRINCIPALS["states"] == ("stepfunctions", "unknown")
    assert PRINCIPALS["appsync"] == ("appsync", "unknown")
    assert PRINCIPALS["connect"] == ("connect", "unknown")
    assert PRINCIPALS["sns"] == ("sns", "async")
    assert PRINCIPALS["cognito-idp"] == ("cognito", "sync")
    assert PRINCIPALS["apigateway"] == ("apigateway", "sync")


def test_ses_mode() -> None:
    assert [ses_mode(v) for v in (None, "Event", "RequestResponse", "Other")] == ["async", "async", "sync", "unknown"]


def _triggers(path: Path) -> list[tuple[str, str, str, str]]:
    (model,) = load_path(str(path))
    return sorted((t.function, t.service, t.mode, t.resource) for t in model.triggers)


def test_triggers_cloudformation() -> None:
    assert _triggers(INVOKER_FIXTURES / "cfn" / "iot_ses.yaml") == [
        ("ArchiveMail", "ses", "async", "InboundRule"),
        ("Authorize", "iot-authorizer", "sync", "DeviceAuthorizer"),
        ("FilterMail", "ses", "sync", "InboundRule"),
        ("Granted", "iot", "unknown", "GrantedPermission"),
        ("TagMail", "ses", "async", "InboundRule"),
        ("Telemetry", "iot", "async", "TelemetryRule"),
    ]


def test_triggers_terraform() -> None:
    assert _triggers(FIXTURES / "terraform" / "invokers" / "iot_ses") == [
        ("aws_lambda_function.archive_mail", "ses", "async", "aws_ses_receipt_rule.inbound"),
        ("aws_lambda_function.authorize", "iot-authorizer", "sync", "aws_iot_authorizer.device"),
        ("aws_lambda_function.filter_mail", "ses", "sync", "aws_ses_receipt_rule.inbound"),
        ("aws_lambda_function.granted", "iot", "unknown", "aws_lambda_permission.granted"),
        ("aws_lambda_function.tag_mail", "ses", "async", "aws_ses_receipt_rule.inbound"),
        ("aws_lambda_function.telemetry", "iot", "async", "aws_iot_topic_rule.telemetry"),
    ]


def test_findings_cloudformation() -> None:
    found = lint(INVOKER_FIXTURES / "cfn" / "iot_ses.yaml")
    assert finding_tuples(found) == [
        ("ASYNC001", "Telemetry", 28),
        ("ASYNC001", "ArchiveMail", 69),
        ("ASYNC001", "TagMail", 87),
    ]
    assert "invoked asynchronously by InboundRule (SES)" in found[1].message


def test_findings_terraform() -> None:
    found = lint(FIXTURES / "terraform" / "invokers" / "iot_ses")
    assert finding_tuples(found) == [
        ("ASYNC001", "aws_lambda_function.telemetry", 24),
        ("ASYNC001", "aws_lambda_function.archive_mail", 57),
        ("ASYNC001", "aws_lambda_function.tag_mail", 73),
    ]


@pytest.mark.parametrize("path", ["invokers/cfn/iot_ses_clean.yaml", "terraform/invokers/iot_ses_clean"])
def test_clean(path: str) -> None:
    assert lint(FIXTURES / path) == []


def test_verbose_says_the_mode_is_unknown() -> None:
    (model,) = load_path(str(INVOKER_FIXTURES / "cfn" / "iot_ses_clean.yaml"))
    notes = [n for n in model.notes if "mode is unknown" in n]
    assert notes == [
        "Granted: the permission GrantedBySes lets ses.amazonaws.com invoke it, as SES receipt rules, which invoke "
        "in different modes; nothing in this input says which, so its mode is unknown and no mode-specific rule "
        "checks it",
        "Granted: the permission GrantedByStates lets states.amazonaws.com invoke it, as Step Functions Task "
        "states, which invoke in different modes; nothing in this input says which, so its mode is unknown and no "
        "mode-specific rule checks it",
    ]
