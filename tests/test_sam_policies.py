"""SAM policy templates expand to what SAM itself grants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invocation_lint.formats.cloudformation import sam_policies


def _sam_templates() -> dict:
    samtranslator = pytest.importorskip("samtranslator")
    path = Path(samtranslator.__file__).parent / "policy_templates_data" / "policy_templates.json"
    return json.loads(path.read_text())["Templates"]


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _normalise(statements: list[dict]) -> list[tuple]:
    return [
        (s["Effect"], tuple(_as_list(s["Action"])), json.dumps(_as_list(s["Resource"]), sort_keys=True))
        for s in statements
    ]


@pytest.mark.parametrize("name", sam_policies.names())
def test_matches_sam_translator(name: str) -> None:
    ref = _sam_templates()[name]
    params = {p: {"Ref": p} for p in ref["Parameters"]}
    got = sam_policies.expand(name, params)
    assert got is not None
    want = [s for s in ref["Definition"]["Statement"] if "Condition" not in s]
    assert _normalise(got) == _normalise(want)


def test_required_templates_are_known() -> None:
    required = {
        "SQSSendMessagePolicy", "SQSPollerPolicy", "SNSPublishMessagePolicy", "SNSCrudPolicy",
        "LambdaInvokePolicy", "EventBridgePutEventsPolicy", "S3WritePolicy", "S3CrudPolicy",
        "S3FullAccessPolicy", "S3ReadPolicy", "DynamoDBCrudPolicy", "DynamoDBWritePolicy", "DynamoDBReadPolicy",
        "KinesisCrudPolicy", "KinesisStreamReadPolicy", "StepFunctionsExecutionPolicy",
        "AWSSecretsManagerGetSecretValuePolicy", "SSMParameterReadPolicy", "CloudWatchPutMetricPolicy",
        "VPCAccessPolicy",
    }
    assert required <= set(sam_policies.names())


def test_parameter_value_is_substituted_unchanged() -> None:
    got = sam_policies.expand("SQSSendMessagePolicy", {"QueueName": {"Fn::GetAtt": ["Orders", "QueueName"]}})
    assert got == [{
        "Effect": "Allow",
        "Action": ["sqs:SendMessage*"],
        "Resource": {"Fn::Sub": [
            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
            {"queueName": {"Fn::GetAtt": ["Orders", "QueueName"]}},
        ]},
    }]


def test_no_parameter_template() -> None:
    assert sam_policies.expand("VPCAccessPolicy", {}) == [{
        "Effect": "Allow",
        "Action": ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
                   "ec2:DetachNetworkInterface"],
        "Resource": "*",
    }]
    assert sam_policies.expand("CloudFormationDescribeStacksPolicy", {})[0]["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*"
    }


def test_unknown_template_or_missing_parameter_is_none() -> None:
    assert sam_policies.expand("NoSuchPolicy", {}) is None
    assert sam_policies.expand("SQSSendMessagePolicy", {}) is None
    assert sam_policies.expand("SQSSendMessagePolicy", None) is None
