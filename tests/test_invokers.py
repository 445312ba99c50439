"""The table of invokers: its permission mapping, its rendered page, and the triggers the front-ends build from
IoT authorizers and topic rules, SES receipt rules, Step Functions Task states, custom resources, Cognito
triggers, Lambda@Edge, rotation functions, Config rules, CodeCommit triggers, Firehose processors, EventBridge Pipes
and permissions alone (CloudFormation and Terraform twins)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, finding_tuples, lint

from invocation_lint.formats.aws import PRINCIPALS
from invocation_lint.formats.callers import (
    ELSEWHERE,
    appsync_data_source_modes,
    config_rule_mode,
    fixed_mode,
    json_with_placeholders,
    pipe_target_mode,
    state_machine_tasks,
)
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


# ------------------------------------------------------------------ callers that name the function themselves

def test_callers_triggers_cloudformation() -> None:
    assert _triggers(INVOKER_FIXTURES / "cfn" / "callers.yaml") == [
        ("Audit", "stepfunctions", "async", "AuditFlow"),  # DefinitionString Fn::Sub, InvocationType Event
        ("Callback", "stepfunctions", "sync", "Workflow"),  # .waitForTaskToken, inside a Parallel branch
        ("Edge", "cloudfront", "sync", "Cdn"),  # through the function's Version
        ("Invoke", "stepfunctions", "sync", "Workflow"),  # arn:${AWS::Partition}:states:::lambda:invoke
        ("Notify", "stepfunctions", "async", "Workflow"),
        ("Plain", "stepfunctions", "sync", "Workflow"),  # the function ARN as the Resource
        ("Rotate", "secretsmanager", "sync", "SecretRotation"),
        ("Sender", "cognito", "sync", "Pool"),  # CustomEmailSender.LambdaArn
        ("SignUp", "cognito", "sync", "Pool"),
        ("Substituted", "stepfunctions", "sync", "Workflow"),  # DefinitionSubstitutions
    ]


def test_callers_triggers_terraform() -> None:
    assert _triggers(FIXTURES / "terraform" / "invokers" / "callers") == [
        ("aws_lambda_function.audit", "stepfunctions", "async", "aws_sfn_state_machine.audit_flow"),
        ("aws_lambda_function.callback", "stepfunctions", "sync", "aws_sfn_state_machine.workflow"),
        ("aws_lambda_function.edge", "cloudfront", "sync", "aws_cloudfront_distribution.cdn"),
        ("aws_lambda_function.invoke", "stepfunctions", "sync", "aws_sfn_state_machine.workflow"),
        ("aws_lambda_function.notify", "stepfunctions", "async", "aws_sfn_state_machine.workflow"),
        ("aws_lambda_function.plain", "stepfunctions", "sync", "aws_sfn_state_machine.workflow"),
        ("aws_lambda_function.rotate", "secretsmanager", "sync", "aws_secretsmanager_secret_rotation.secret"),
        ("aws_lambda_function.sender", "cognito", "sync", "aws_cognito_user_pool.pool"),
        ("aws_lambda_function.sign_up", "cognito", "sync", "aws_cognito_user_pool.pool"),
        ("aws_lambda_function.substituted", "stepfunctions", "sync", "aws_sfn_state_machine.audit_flow"),
    ]


def test_callers_findings_cloudformation() -> None:
    found = lint(INVOKER_FIXTURES / "cfn" / "callers.yaml")
    assert finding_tuples(found) == [
        ("ASYNC002", "Invoke", 22), ("ASYNC002", "Callback", 33), ("ASYNC002", "Plain", 44),
        ("ASYNC002", "Substituted", 55), ("ASYNC001", "Notify", 57), ("ASYNC001", "Audit", 66),
        ("ASYNC002", "SignUp", 85), ("ASYNC002", "Sender", 96), ("ASYNC002", "Edge", 107),
        ("ASYNC002", "Rotate", 118),
    ]
    assert "Notify is invoked asynchronously by Workflow (Step Functions)" in found[4].message
    assert "Edge is only invoked by Cdn (Lambda@Edge) [sync]" in found[8].message


def test_callers_findings_terraform() -> None:
    found = lint(FIXTURES / "terraform" / "invokers" / "callers")
    assert finding_tuples(found) == [
        ("ASYNC002", "aws_lambda_function.invoke", 15), ("ASYNC002", "aws_lambda_function.callback", 27),
        ("ASYNC002", "aws_lambda_function.plain", 39), ("ASYNC002", "aws_lambda_function.substituted", 51),
        ("ASYNC001", "aws_lambda_function.notify", 55), ("ASYNC001", "aws_lambda_function.audit", 63),
        ("ASYNC002", "aws_lambda_function.sign_up", 79), ("ASYNC002", "aws_lambda_function.sender", 91),
        ("ASYNC002", "aws_lambda_function.edge", 103), ("ASYNC002", "aws_lambda_function.rotate", 115),
    ]


def test_custom_resources_are_async() -> None:
    path = INVOKER_FIXTURES / "cfn_only" / "custom_resources.yaml"
    assert _triggers(path) == [
        ("Provision", "cloudformation", "async", "Bootstrap"),
        ("Seed", "cloudformation", "async", "SeedData"),
    ]
    assert finding_tuples(lint(path)) == [("ASYNC001", "Provision", 7), ("ASYNC001", "Seed", 22)]


@pytest.mark.parametrize("path", ["invokers/cfn/callers_clean.yaml", "terraform/invokers/callers_clean",
                                  "invokers/cfn_only/custom_resources_clean.yaml"])
def test_callers_clean(path: str) -> None:
    assert lint(FIXTURES / path) == []


def test_state_machine_tasks() -> None:
    definition = {"States": {
        "A": {"Type": "Task", "Resource": "arn:aws-cn:states:::lambda:invoke",
              "Parameters": {"FunctionName": "f", "InvocationType": "DryRun"}},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:lambda:invoke",
              "Arguments": {"FunctionName": "g", "InvocationType": "Event"}},
        "C": {"Type": "Map", "ItemProcessor": {"States": {
            "D": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:h"}}}},
        "E": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "q"}},
        "F": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "i", "InvocationType.$": "$.how"}},
    }}
    assert [(t.state, t.function, t.mode) for t in state_machine_tasks(definition)] == [
        ("B", "g", "async"), ("D", "arn:aws:lambda:us-east-1:1:function:h", "sync"), ("F", "i", "sync"),
    ]


def test_definition_text_with_placeholders() -> None:
    text = '{"A": "q\\"${X}", "N": ${Timeout}, "L": [${Y}], "S": "a\\\\"}'
    assert json_with_placeholders(text) == {"A": 'q"${X}', "N": "${Timeout}", "L": ["${Y}"], "S": "a\\"}
    assert json_with_placeholders("{not json") is None


# ------------------------------------------------------------ Config rules, CodeCommit, Firehose, EventBridge Pipes

def test_services_triggers_cloudformation() -> None:
    assert _triggers(INVOKER_FIXTURES / "cfn" / "services.yaml") == [
        ("Deliver", "pipes", "sync", "Orders"),  # a pipe target without InvocationType: REQUEST_RESPONSE
        ("Enrich", "pipes-enrichment", "sync", "Orders"),
        ("Evaluate", "config", "async", "Compliance"),  # the AWS-owned rule Managed names no function
        ("Forget", "pipes", "async", "Audit"),  # FIRE_AND_FORGET
        ("OnPush", "codecommit", "async", "Repo"),  # the SNS destination is no function
        ("Transform", "firehose", "sync", "Delivery"),  # LambdaArn among the processor's parameters
    ]


def test_services_triggers_terraform() -> None:
    assert _triggers(FIXTURES / "terraform" / "invokers" / "services") == [
        ("aws_lambda_function.deliver", "pipes", "sync", "aws_pipes_pipe.orders"),
        ("aws_lambda_function.enrich", "pipes-enrichment", "sync", "aws_pipes_pipe.orders"),
        ("aws_lambda_function.evaluate", "config", "async", "aws_config_config_rule.compliance"),
        ("aws_lambda_function.forget", "pipes", "async", "aws_pipes_pipe.audit"),
        ("aws_lambda_function.on_push", "codecommit", "async", "aws_codecommit_trigger.repo"),
        ("aws_lambda_function.transform", "firehose", "sync", "aws_kinesis_firehose_delivery_stream.delivery"),
    ]


def test_services_findings_cloudformation() -> None:
    found = lint(INVOKER_FIXTURES / "cfn" / "services.yaml")
    assert finding_tuples(found) == [
        ("ASYNC001", "Evaluate", 4), ("ASYNC001", "OnPush", 26), ("ASYNC002", "TransformDlq", 66),
        ("ASYNC001", "Forget", 86),
    ]
    assert "Evaluate is invoked asynchronously by Compliance (Config)" in found[0].message
    assert "Transform is only invoked by Delivery (Firehose) [sync]" in found[2].message


def test_services_findings_terraform() -> None:
    found = lint(FIXTURES / "terraform" / "invokers" / "services")
    assert finding_tuples(found) == [
        ("ASYNC001", "aws_lambda_function.evaluate", 3), ("ASYNC001", "aws_lambda_function.on_push", 30),
        ("ASYNC002", "aws_lambda_function_event_invoke_config.transform_dlq", 83), ("ASYNC001", "aws_lambda_function.forget", 105),
    ]


@pytest.mark.parametrize("path", ["invokers/cfn/services_clean.yaml", "terraform/invokers/services_clean"])
def test_services_clean(path: str) -> None:
    found = lint(FIXTURES / path)
    assert found == []
    (model,) = load_path(str(FIXTURES / path))
    assert sorted((t.service, t.mode) for t in model.triggers) == [
        ("codecommit", "async"), ("config", "async"), ("firehose", "sync"), ("pipes", "async"), ("pipes", "sync"),
        ("pipes-enrichment", "sync"),
    ]


def test_caller_modes() -> None:
    assert [config_rule_mode(v) for v in ("CUSTOM_LAMBDA", "AWS", "CUSTOM_POLICY", None)] == [
        "async", "", "", "unknown"]
    assert [pipe_target_mode(v) for v in (None, "REQUEST_RESPONSE", "FIRE_AND_FORGET", 3)] == [
        "sync", "sync", "async", "unknown"]
    assert fixed_mode("firehose") == "sync" and fixed_mode("codecommit") == "async"
    with pytest.raises(KeyError):
        fixed_mode("pipes")  # decided by InvocationType, never fixed


def test_pipeline_and_object_lambda_triggers() -> None:
    assert _triggers(INVOKER_FIXTURES / "cfn" / "pipeline_olap.yaml") == [
        ("Redact", "s3-object-lambda", "sync", "Redacted"),
        ("Smoke", "codepipeline", "async", "Release"),  # only the Invoke/Lambda action; the S3 source is none
    ]
    assert _triggers(FIXTURES / "terraform" / "invokers" / "pipeline_olap") == [
        ("aws_lambda_function.redact", "s3-object-lambda", "sync", "aws_s3control_object_lambda_access_point.redacted"),
        ("aws_lambda_function.smoke", "codepipeline", "async", "aws_codepipeline.release"),
    ]


def test_pipeline_and_object_lambda_findings() -> None:
    found = lint(INVOKER_FIXTURES / "cfn" / "pipeline_olap.yaml")
    assert finding_tuples(found) == [("ASYNC001", "Smoke", 4), ("ASYNC002", "RedactRetries", 37)]
    assert "Smoke is invoked asynchronously by Release (CodePipeline)" in found[0].message
    found = lint(FIXTURES / "terraform" / "invokers" / "pipeline_olap")
    assert finding_tuples(found) == [
        ("ASYNC001", "aws_lambda_function.smoke", 3),
        ("ASYNC002", "aws_lambda_function_event_invoke_config.redact_retries", 57),
    ]


@pytest.mark.parametrize("path", ["invokers/cfn/pipeline_olap_clean.yaml", "terraform/invokers/pipeline_olap_clean"])
def test_pipeline_and_object_lambda_clean(path: str) -> None:
    assert lint(FIXTURES / path) == []
    (model,) = load_path(str(FIXTURES / path))
    assert sorted((t.service, t.mode) for t in model.triggers) == [("codepipeline", "async"),
                                                                  ("s3-object-lambda", "sync")]


def test_lex_and_connect() -> None:
    assert _triggers(INVOKER_FIXTURES / "cfn" / "lex_connect.yaml") == [
        ("Hook", "lex", "sync", "Live"),
        ("Lookup", "connect", "unknown", "LookupAssociation"),
    ]
    assert _triggers(FIXTURES / "terraform" / "invokers" / "lex_connect") == [
        ("aws_lambda_function.hook", "lex", "sync", "aws_lambda_permission.live"),  # no bot alias resource
        ("aws_lambda_function.lookup", "connect", "unknown", "aws_connect_lambda_function_association.lookup_association"),
    ]
    found = lint(INVOKER_FIXTURES / "cfn" / "lex_connect.yaml")
    assert finding_tuples(found) == [("ASYNC002", "HookRetries", 11)]
    assert "Hook is only invoked by Live (Lex) [sync]" in found[0].message
    assert finding_tuples(lint(FIXTURES / "terraform" / "invokers" / "lex_connect")) == [
        ("ASYNC002", "aws_lambda_function_event_invoke_config.hook_retries", 12)]


@pytest.mark.parametrize("path", ["invokers/cfn/lex_connect_clean.yaml", "terraform/invokers/lex_connect_clean"])
def test_lex_and_connect_clean(path: str) -> None:
    # the Connect function has no failure destination: its mode is unknown, so ASYNC001 stays silent, and -v says so
    assert lint(FIXTURES / path) == []
    (model,) = load_path(str(FIXTURES / path))
    notes = [n for n in model.notes if "mode is unknown" in n]
    assert len(notes) == 1 and "ookup" in notes[0].split(":")[0]


def test_appsync_data_sources() -> None:
    assert _triggers(INVOKER_FIXTURES / "cfn" / "appsync.yaml") == [
        ("Audit", "appsync", "async", "AuditSource"),  # a pipeline function's request sets invocationType Event
        ("Query", "appsync", "sync", "QuerySource"),  # a direct Lambda resolver: RequestResponse
        ("Shared", "appsync", "unknown", "SharedSource"),  # no resolver in the template uses it
    ]
    assert _triggers(FIXTURES / "terraform" / "invokers" / "appsync") == [
        ("aws_lambda_function.audit", "appsync", "async", "aws_appsync_datasource.audit_source"),
        ("aws_lambda_function.query", "appsync", "sync", "aws_appsync_datasource.query_source"),
        ("aws_lambda_function.shared", "appsync", "unknown", "aws_appsync_datasource.shared_source"),
    ]
    assert finding_tuples(lint(INVOKER_FIXTURES / "cfn" / "appsync.yaml")) == [
        ("ASYNC002", "QueryRetries", 16), ("ASYNC001", "Audit", 38)]
    assert finding_tuples(lint(FIXTURES / "terraform" / "invokers" / "appsync")) == [
        ("ASYNC002", "aws_lambda_function_event_invoke_config.query_retries", 16),
        ("ASYNC001", "aws_lambda_function.audit", 39)]


@pytest.mark.parametrize("path", ["invokers/cfn/appsync_clean.yaml", "terraform/invokers/appsync_clean"])
def test_appsync_clean(path: str) -> None:
    assert lint(FIXTURES / path) == []


def test_appsync_modes() -> None:
    assert appsync_data_source_modes([]) == ["unknown"]
    assert appsync_data_source_modes([None, '{"invocationType": "Event"}']) == ["async", "sync"]
    assert appsync_data_source_modes([ELSEWHERE]) == ["unknown"]
    assert appsync_data_source_modes(['{"version": "2018-05-29", "operation": "Invoke"}']) == ["sync"]
