"""AWS facts the front-ends share: who invokes through a Lambda permission, which managed policies grant
nothing the rules ask about, and how ARNs name services and resources."""

from __future__ import annotations

import re

#: AWS managed policies that grant none of the write actions the rules ask about (send, publish, invoke,
#: put events, put objects): a role with only these is still completely known.
HARMLESS_MANAGED = {
    "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess", "CloudWatchLambdaInsightsExecutionRolePolicy", "AWSLambdaMSKExecutionRole",
    "AWSLambdaENIManagementAccess",
}

#: Lambda permission principals → (service, mode)
PRINCIPALS = {
    "sns": ("sns", "async"),
    "s3": ("s3", "async"),
    "events": ("eventbridge", "async"),
    "logs": ("logs", "async"),
    "iot": ("iot", "async"),
    "ses": ("ses", "async"),
    "config": ("config", "async"),
    "codecommit": ("codecommit", "async"),
    "cloudformation": ("cloudformation", "async"),
    "apigateway": ("apigateway", "sync"),
    "elasticloadbalancing": ("alb", "sync"),
    "cognito-idp": ("cognito", "sync"),
    "alexa-appkit": ("alexa", "sync"),
    "alexa-connectedhome": ("alexa", "sync"),
    "lex": ("lex", "sync"),
    "secretsmanager": ("secretsmanager", "sync"),
    "cloudfront": ("cloudfront", "sync"),
    "firehose": ("firehose", "sync"),
    "states": ("stepfunctions", "sync"),
}

_ARN = re.compile(r"^arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):(?P<rest>.*)$")


def arn_service(arn: str) -> str | None:
    m = _ARN.match(arn)
    if not m:
        return None
    service = m.group("service")
    if service == "dynamodb" and "/stream/" in m.group("rest"):
        return "dynamodb"
    return service


def arn_name(arn: str) -> str | None:
    """The resource name an ARN ends with (queue, topic, function, bucket, stream, table, role)."""
    m = _ARN.match(arn)
    if not m:
        return None
    service, rest = m.group("service"), m.group("rest")
    if service == "lambda":
        parts = rest.split(":")
        return parts[1] if len(parts) > 1 and parts[0] == "function" else None
    if service in ("kinesis", "dynamodb", "iam", "events"):
        parts = rest.split("/")
        return parts[1] if len(parts) > 1 else None
    return rest or None
