"""Permission matching: wildcards, NotAction, Deny, resource patterns, invisible policies."""

from __future__ import annotations

import pytest

from invocation_lint import iam
from invocation_lint.model import Bucket, Function, Model, Queue, Role, Statement, Target, Topic
from invocation_lint.source import Span


def _model(statements: list[Statement], complete: bool = True) -> Model:
    sp = Span("t.yaml", 1)
    m = Model(file="t.yaml", format="cloudformation")
    m.queues["Dlq"] = Queue("Dlq", "AWS::SQS::Queue", sp)
    m.queues["Other"] = Queue("Other", "AWS::SQS::Queue", sp)
    m.topics["Alerts"] = Topic("Alerts", "AWS::SNS::Topic", sp)
    m.buckets["Uploads"] = Bucket("Uploads", "AWS::S3::Bucket", sp)
    m.functions["Fn"] = Function("Fn", "AWS::Lambda::Function", sp, role=Target(node="Role"))
    m.roles["Role"] = Role("Role", "AWS::IAM::Role", sp, statements=statements, complete=complete)
    return m


def _allow(actions: list[str], *resources: Target, effect: str = "Allow", not_action: bool = False) -> Statement:
    return Statement(effect, actions, list(resources), not_action=not_action)


ROLE = Target(node="Role")


@pytest.mark.parametrize("pattern", ["sqs:SendMessage", "sqs:*", "sqs:Send*", "*", "SQS:sendmessage", "sqs:SendMessage*"])
def test_action_wildcards_allow(pattern: str) -> None:
    m = _model([_allow([pattern], Target(node="Dlq"))])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is True


@pytest.mark.parametrize("pattern", ["sqs:ReceiveMessage", "sns:*", "sqs:Get*", "sqs:SendMessageBatch"])
def test_other_actions_do_not_allow(pattern: str) -> None:
    m = _model([_allow([pattern], Target(node="Dlq"))])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is False


def test_other_resource_does_not_allow() -> None:
    m = _model([_allow(["sqs:SendMessage"], Target(node="Other"))])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is False


def test_star_resource_allows() -> None:
    m = _model([_allow(["sqs:SendMessage"], Target(arn="*"))])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is True


def test_not_action() -> None:
    m = _model([_allow(["s3:*"], Target(arn="*"), not_action=True)])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is True
    assert iam.allows(m, ROLE, "s3:PutObject", "Uploads") is False


def test_explicit_deny_wins() -> None:
    m = _model([
        _allow(["sqs:*"], Target(arn="*")),
        _allow(["sqs:SendMessage"], Target(node="Dlq"), effect="Deny"),
    ])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is False
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Other") is True


@pytest.mark.parametrize(
    ("arn", "node", "expected"),
    [
        ("arn:aws:sqs:*:*:*", "Dlq", True),
        ("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:*", "Dlq", True),
        ("arn:aws:sns:*:*:*", "Dlq", False),  # another service
        ("arn:aws:sqs:*:*:orders-*", "Dlq", None),  # a name pattern: the real name is not known
        ("arn:aws:sqs:eu-west-1:123456789012:*", "Dlq", None),  # a fixed region and account
        ("arn:aws:s3:::*", "Uploads", True),
        ("arn:aws:s3:::*/*", "Uploads", True),
        ("arn:aws:sns:*:*:*", "Alerts", True),
    ],
)
def test_arn_patterns(arn: str, node: str, expected: bool | None) -> None:
    m = _model([_allow(["*"], Target(arn=arn))])
    assert iam.allows(m, ROLE, "sqs:SendMessage" if node == "Dlq" else "sns:Publish", node) is expected


def test_unknown_resource_cannot_tell() -> None:
    from invocation_lint.model import Unknown

    m = _model([_allow(["sqs:SendMessage"], Target(unknown=Unknown("import")))])
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is None


def test_incomplete_role() -> None:
    m = _model([_allow(["sqs:SendMessage"], Target(node="Other"))], complete=False)
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is None  # a managed policy may grant it
    m = _model([_allow(["sqs:SendMessage"], Target(node="Dlq"))], complete=False)
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is True  # the grant is visible


def test_role_not_in_template() -> None:
    m = _model([])
    assert iam.allows(m, Target(arn="arn:aws:iam::123456789012:role/x"), "sqs:SendMessage", "Dlq") is None
    assert iam.allows(m, None, "sqs:SendMessage", "Dlq") is None
    assert iam.allows(m, ROLE, "sqs:SendMessage", "Dlq") is False  # complete and empty


def test_allows_any() -> None:
    m = _model([_allow(["sqs:SendMessageBatch"], Target(node="Dlq"))])
    assert iam.allows_any(m, ROLE, ["sqs:SendMessage", "sqs:SendMessageBatch"], "Dlq") is True
    assert iam.allows_any(m, ROLE, ["sqs:SendMessage"], "Dlq") is False
