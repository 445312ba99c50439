"""AWS facts the front-ends share: who invokes through a Lambda permission, which managed policies grant
nothing the rules ask about, and how ARNs name services and resources."""

from __future__ import annotations

from ..lazy import regex
from ..model import Trigger
from .invokers import INVOKERS, permission_modes, principal_services

#: AWS managed policies that grant none of the write actions the rules ask about (send, publish, invoke,
#: put events, put objects): a role with only these is still completely known.
HARMLESS_MANAGED = {
    "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess", "CloudWatchLambdaInsightsExecutionRolePolicy", "AWSLambdaMSKExecutionRole",
    "AWSLambdaENIManagementAccess",
}

#: Lambda permission principals → (service, mode); mode ``unknown`` where the service invokes in several modes
#: (derived from the table of invokers)
PRINCIPALS: dict[str, tuple[str, str]] = {p: (svc, mode or "unknown") for p, (svc, mode) in permission_modes().items()}

#: principal → every trigger service a resource of that caller gives: a permission adds nothing where one of
#: them already invokes the function
PERMISSION_COVERS: dict[str, tuple[str, ...]] = principal_services()

#: principal → the names of the callers it grants (``AWS IoT topic rules``, ``AWS IoT custom authorizers``)
PERMISSION_CALLERS: dict[str, tuple[str, ...]] = {
    p: tuple(r.name for r in INVOKERS if p in r.principals) for p in PERMISSION_COVERS
}

def unknown_mode_note(trigger: Trigger) -> str:
    """What ``-v`` says of a trigger known only from a permission whose service invokes in several modes."""
    principal = trigger.principal or trigger.service
    callers = " or ".join(PERMISSION_CALLERS.get(principal, (trigger.service,)))
    return (f"{trigger.function}: the permission {trigger.resource} lets {principal}.amazonaws.com invoke it, as "
            f"{callers}, which invoke in different modes; nothing in this input says which, so its mode is "
            "unknown and no mode-specific rule checks it")


_ARN = regex(r"^arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):(?P<rest>.*)$")


def arn_service(arn: str) -> str | None:
    m = _ARN.match(arn)
    if not m:
        return None
    service = m.group("service")
    if service == "dynamodb" and "/stream/" in m.group("rest"):
        return "dynamodb"
    return service


def is_pattern(arn: str) -> bool:
    """Whether a resource written in a policy stands for many resources rather than naming one: ``*``, or an
    ARN whose resource name has an IAM wildcard (``*``, ``?``). A wildcard only in the region or account still
    names the resource by its name, as a literal ARN does.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"""
    if arn.strip() == "*":
        return True
    name = arn_name(arn)
    return name is not None and ("*" in name or "?" in name)


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
