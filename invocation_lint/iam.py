"""Does an execution role allow an action on a resource of the template?

The permission rules (ASYNC006: may the function send to its DLQ; LOOP002: may it write into its own
trigger) need a three-valued answer: ``True`` (a visible statement allows it and none denies it), ``False``
(everything the role grants is visible and nothing allows it, or a statement denies it) and ``None`` (cannot
tell: an invisible managed policy, an unresolved ARN, a name pattern we cannot compare). Rules fire only on
``True``/``False`` as their logic needs, never on ``None``.

IAM matching follows the policy evaluation logic: an explicit ``Deny`` wins, otherwise an ``Allow`` is
needed; ``*`` and ``?`` are wildcards in actions (case-insensitive) and resource ARNs.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from .lazy import regex
from .model import Bucket, EventBus, Function, Model, Queue, Role, Statement, Stream, Target, Topic

#: the ARN service and resource prefix of each node kind: ``arn:aws:<service>:<region>:<account>:<prefix><name>``
_ARN_SHAPE: dict[type, tuple[str, str]] = {
    Queue: ("sqs", ""),
    Topic: ("sns", ""),
    Function: ("lambda", "function:"),
    Bucket: ("s3", ""),
    EventBus: ("events", "event-bus/"),
}

_PSEUDO = regex(r"\$\{[^}]+\}")  # ${AWS::Region}, and the loader's ${Region}/${AccountId}
_NAME_PROBE = "Zq9-generated-name-7Xk"


def role_of(model: Model, role_target: Target | None) -> Role | None:
    """The template role a function's ``Role`` points at, if it is one."""
    if role_target is None or not role_target.known or role_target.node is None:
        return None
    return model.roles.get(role_target.node)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action match: ``service:Name`` with ``*``/``?`` wildcards, case-insensitive."""
    return fnmatchcase(action.lower(), pattern.strip().lower())


def _arn_shape(model: Model, node_id: str) -> tuple[str, str] | None:
    node = model.node(node_id)
    if node is None:
        return None
    if isinstance(node, Stream):
        return (node.service, "table/" if node.service == "dynamodb" else "stream/")
    for kind, shape in _ARN_SHAPE.items():
        if isinstance(node, kind):
            return shape
    return None


def _is_any(segment: str) -> bool:
    """A region or account segment that does not restrict (wildcard, empty for S3, pseudo parameter)."""
    return _PSEUDO.sub("*", segment).strip("*") == ""


def resource_matches(model: Model, target: Target, node_id: str) -> bool | None:
    """Does one statement resource cover the template resource ``node_id``?"""
    if target.unknown is not None:
        return None
    if target.node is not None:
        return True if target.node == node_id else False
    arn = target.arn
    if arn is None:
        return None
    if arn.strip() == "*":
        return True
    shape = _arn_shape(model, node_id)
    parts = _PSEUDO.sub("*", arn).split(":", 5)
    if shape is None or len(parts) < 6 or parts[0] != "arn":
        return None
    service, prefix = shape
    if not fnmatchcase(service, parts[2]):
        return False  # another service altogether
    probes = [prefix + _NAME_PROBE]
    if service == "s3":  # the bucket, or the objects in it (s3:PutObject acts on objects)
        probes.append(f"{_NAME_PROBE}/{_NAME_PROBE}")
    if any(fnmatchcase(p, parts[5]) for p in probes):
        # any name of this kind; the region and account must not restrict either
        return True if _is_any(parts[3]) and _is_any(parts[4]) else None
    return None  # a specific name or name pattern: the template resource's real name is not known here


def _statement_covers(model: Model, st: Statement, action: str, node_id: str) -> bool | None:
    hit = any(action_matches(p, action) for p in st.actions)
    if st.not_action:
        hit = not hit
    if not hit:
        return False
    answers = [resource_matches(model, r, node_id) for r in st.resources]
    if any(a is True for a in answers):
        covered: bool | None = True
    elif any(a is None for a in answers):
        covered = None
    else:
        covered = False
    if st.not_resource and covered is not None:
        covered = not covered  # NotResource: everything but the resources listed
    if st.conditional and covered is True:
        return None  # applies only when its Condition holds, which a template does not tell
    return covered


def allows(model: Model, role_target: Target | None, action: str, resource_node_id: str) -> bool | None:
    """May the role ``role_target`` perform ``action`` on ``resource_node_id``? ``None``: cannot tell."""
    role = role_of(model, role_target)
    if role is None:
        return None
    allowed: bool | None = False
    denied: bool | None = False
    for st in role.statements:
        covers = _statement_covers(model, st, action, resource_node_id)
        if covers is False:
            continue
        if st.effect.lower() == "deny":
            if covers is True:
                return False
            denied = None
        elif covers is True:
            allowed = True
        elif allowed is False:
            allowed = None
    if denied is None and allowed is True:
        return None
    if allowed is True:
        return True
    if allowed is None or not role.complete:
        return None
    return False


def allows_any(model: Model, role_target: Target | None, actions: list[str], resource_node_id: str) -> bool | None:
    """``allows`` for several alternative actions: True if any is allowed, False only if all are refused."""
    answers = [allows(model, role_target, a, resource_node_id) for a in actions]
    if any(a is True for a in answers):
        return True
    if any(a is None for a in answers):
        return None
    return False


def granting_statement(model: Model, role_target: Target | None, action: str, resource_node_id: str) -> Statement | None:
    """The first ``Allow`` statement that surely covers ``action`` on the resource (to point a finding at)."""
    role = role_of(model, role_target)
    if role is None:
        return None
    for st in role.statements:
        if st.effect.lower() == "allow" and _statement_covers(model, st, action, resource_node_id) is True:
            return st
    return None
