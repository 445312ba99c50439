"""How the services that call a function from their own resources decide the mode, the same for every
front-end: Step Functions Task states, Cognito user pool triggers, EventBridge Pipes, AppSync resolvers,
Firehose processors, CodePipeline actions.

Each front-end finds the resource and its settings in its own spelling (``LambdaConfig``/``lambda_config``) and
asks this module which function references they hold and in which mode each one invokes; the rows of
``invokers.INVOKERS`` cite the AWS pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..lazy import json, regex
from ..model import Record, record
from .invokers import ASYNC, SYNC

UNKNOWN = "unknown"

#: Cognito ``LambdaConfig`` keys that hold a function ARN (CloudFormation spelling → Terraform spelling)
COGNITO_TRIGGERS = {
    "CreateAuthChallenge": "create_auth_challenge", "CustomMessage": "custom_message",
    "DefineAuthChallenge": "define_auth_challenge", "PostAuthentication": "post_authentication",
    "PostConfirmation": "post_confirmation", "PreAuthentication": "pre_authentication",
    "PreSignUp": "pre_sign_up", "PreTokenGeneration": "pre_token_generation",
    "UserMigration": "user_migration", "VerifyAuthChallengeResponse": "verify_auth_challenge_response",
}
#: Cognito ``LambdaConfig`` blocks whose ``LambdaArn`` is the function (sender triggers, token generation v2)
COGNITO_NESTED = {
    "CustomEmailSender": "custom_email_sender", "CustomSMSSender": "custom_sms_sender",
    "PreTokenGenerationConfig": "pre_token_generation_config",
}

_LAMBDA_INVOKE = regex(r"^arn:[^:]*:states:::lambda:invoke(?P<suffix>\.waitForTaskToken)?$")
_SDK_INVOKE = regex(r"^arn:[^:]*:states:::aws-sdk:lambda:invoke$")
_FUNCTION_ARN = regex(r"^arn:[^:]*:lambda:[^:]*:[^:]*:function:")
_SUB_VAR = regex(r"^\$\{[^}]+\}")
_PARTITION = regex(r"^arn:\$\{[^}]+\}:")


def invocation_type_mode(value: object) -> str:
    """A Lambda ``Invoke`` ``InvocationType`` as a mode: ``RequestResponse`` (the default) sync, ``Event`` async;
    ``DryRun`` invokes nothing (None); anything not known statically unknown."""
    if value is None or value == "RequestResponse":
        return SYNC
    if value == "Event":
        return ASYNC
    if value == "DryRun":
        return ""
    return UNKNOWN


def pipe_target_mode(value: object) -> str:
    """A pipe target's ``InvocationType``: ``REQUEST_RESPONSE`` (the default) sync, ``FIRE_AND_FORGET`` async."""
    if value is None or value == "REQUEST_RESPONSE":
        return SYNC
    if value == "FIRE_AND_FORGET":
        return ASYNC
    return UNKNOWN


@record(slots=False)
class Task(Record):
    """A Task state that invokes a function: ``function`` is the value that names it (a string, or whatever the
    front-end's document holds there), ``where`` the state (a mapping the front-end may hold spans for)."""

    state: str
    function: Any
    mode: str
    where: Any


def _plain(v: Any) -> Any:
    return v


def _task(name: str, state: Mapping[str, Any], plain: Any = _plain) -> Task | None:
    resource = plain(state.get("Resource"))
    if not isinstance(resource, str):
        if resource is None:
            return None
        # a function ARN written as a reference (``!GetAtt Fn.Arn`` in a Definition object)
        return Task(name, state.get("Resource"), SYNC, state)
    resource = _PARTITION.sub("arn:aws:", resource)  # ``arn:${AWS::Partition}:states:::lambda:invoke``
    m = _LAMBDA_INVOKE.match(resource)
    if m or _SDK_INVOKE.match(resource):
        params = state.get("Parameters")
        if not isinstance(params, Mapping):
            params = state.get("Arguments")
        if not isinstance(params, Mapping):
            return None
        if "FunctionName" not in params:  # ``FunctionName.$``: chosen at run time
            return None
        mode = invocation_type_mode(plain(params.get("InvocationType")) if "InvocationType" in params else None)
        if not mode:
            return None
        return Task(name, params.get("FunctionName"), mode, state)
    if _FUNCTION_ARN.match(resource) or _SUB_VAR.match(resource):
        # the function's ARN as the Resource: Step Functions invokes it and waits for its result
        return Task(name, state.get("Resource"), SYNC, state)
    return None


def state_machine_tasks(definition: Any, plain: Any = _plain, depth: int = 0) -> Iterator[Task]:
    """Every Task state of an Amazon States Language definition (through Parallel branches and Map
    iterators) that invokes a Lambda function.

    ``plain`` turns a front-end's value into plain data (resolving a literal ``InvocationType``); a Task whose
    ``FunctionName`` is chosen at run time (``FunctionName.$``) names no function and is skipped.
    """
    if depth > 20 or not isinstance(definition, Mapping):
        return
    states = definition.get("States")
    if not isinstance(states, Mapping):
        return
    for name, state in states.items():
        if not isinstance(state, Mapping):
            continue
        kind = plain(state.get("Type"))
        if kind == "Task":
            task = _task(str(name), state, plain)
            if task is not None:
                yield task
        elif kind == "Parallel":
            branches = state.get("Branches")
            for branch in branches if isinstance(branches, list) else ():
                yield from state_machine_tasks(branch, plain, depth + 1)
        elif kind == "Map":
            for key in ("ItemProcessor", "Iterator"):
                yield from state_machine_tasks(state.get(key), plain, depth + 1)


def json_with_placeholders(text: str) -> Any:
    """A definition written as text with ``${Var}`` substitutions: JSON where each variable stays in its
    string; a variable outside a string (a number, a whole value) is read as a string so the rest still
    parses. None when it is not JSON."""
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    out: list[str] = []
    in_string = escaped = False
    i = 0
    while i < len(text):
        c = text[i]
        if in_string:
            if c == '"' and not escaped:
                in_string = False
            escaped = c == "\\" and not escaped
        elif c == '"':
            in_string = True
        elif text.startswith("${", i):
            end = text.find("}", i)
            if end < 0:
                return None
            out.append(json.dumps(text[i:end + 1]))
            i = end + 1
            continue
        out.append(c)
        i += 1
    try:
        return json.loads("".join(out), strict=False)
    except (ValueError, RecursionError):
        return None


_APPSYNC_EVENT = regex(r"""["']?invocationType["']?\s*:\s*["']Event["']""")

#: a resolver's request held outside the template (``RequestMappingTemplateS3Location``, ``CodeS3Location``)
ELSEWHERE = object()


def appsync_resolver_mode(code: object) -> str:
    """An AppSync Lambda resolver's mode from its request: ``invocationType: "Event"`` (VTL mapping template or
    JavaScript code) async; any other request, or none at all (a direct Lambda resolver), the default
    ``RequestResponse``, sync; a request not in the template (``ELSEWHERE``, an expression) unknown."""
    if code is None:
        return SYNC
    if not isinstance(code, str):
        return UNKNOWN
    return ASYNC if _APPSYNC_EVENT.search(code) else SYNC


def appsync_data_source_modes(requests: list[object]) -> list[str]:
    """The modes an AWS_LAMBDA data source is invoked in, from the requests of the resolvers and pipeline
    functions that use it: unknown when the template has none of them (they may be created elsewhere)."""
    if not requests:
        return [UNKNOWN]
    return sorted({appsync_resolver_mode(r) for r in requests})


def codepipeline_is_lambda(category: object, provider: object) -> bool:
    return category == "Invoke" and provider == "Lambda"


def fixed_mode(service: str) -> str:
    """The mode of a caller that always invokes the same way (its row in ``invokers.INVOKERS``)."""
    from .invokers import BY_SETTING, INVOKERS

    for row in INVOKERS:
        if row.service == service and row.mode != BY_SETTING:
            return row.mode
    raise KeyError(service)


def config_rule_mode(owner: object) -> str:
    """An AWS Config rule's ``Source.Owner``: a ``CUSTOM_LAMBDA`` rule invokes its function asynchronously with
    each evaluation; ``AWS`` managed and ``CUSTOM_POLICY`` (Guard) rules invoke no function (empty)."""
    if owner == "CUSTOM_LAMBDA":
        return fixed_mode("config")
    return "" if isinstance(owner, str) else UNKNOWN


def firehose_lambda_processor(kind: object) -> bool:
    """A Firehose ``ProcessingConfiguration`` processor of type ``Lambda``: its ``LambdaArn`` parameter is the
    transformation function, which Firehose invokes synchronously with each buffered batch."""
    return kind == "Lambda"


#: the Firehose processor parameter that names the function
FIREHOSE_LAMBDA_PARAMETER = "LambdaArn"


def connect_mode() -> str:
    """An Amazon Connect instance's associated function: each flow's *Invoke AWS Lambda function* block chooses
    a synchronous or an asynchronous execution, which no template of the association shows: unknown."""
    return UNKNOWN
