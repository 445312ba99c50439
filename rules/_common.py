"""Small helpers shared by the rule modules: reading located values, wording durations, failure-path steps.

Rule modules import from here so that every finding words the same things the same way ("30 s", "4 days",
``OrdersQueue (SQS)``, ``ProcessOrders [poll, batch 10]``). Everything here is a pure function of the Model;
nothing imports a heavy dependency. The names below are a stable interface for all rule families.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from invocation_lint import defaults
from invocation_lint.fixes import Fix, generated, in_globals, no_fix, remove_resource, remove_setting
from invocation_lint.humanize import duration
from invocation_lint.model import AsyncConfig, Function, Model, Queue, Target, Trigger, Val
from invocation_lint.registry import PER_MODEL, Related
from invocation_lint.source import Span

__all__ = [
    "duration",
    "plural",
    "known",
    "value_of",
    "span_of",
    "related",
    "node_label",
    "target_label",
    "trigger_step",
    "batch_size",
    "queue_of",
    "queue_name",
    "is_fifo",
    "sqs_triggers",
    "functions_only_invoked_by",
    "setting",
    "setting_of",
    "remove_dlq_fix",
    "remove_invoke_config_fix",
    "per_model",
]

_T = TypeVar("_T")

_SERVICE_LABEL = {
    "sqs": "SQS", "sns": "SNS", "s3": "S3", "lambda": "Lambda", "events": "EventBridge", "eventbridge": "EventBridge",
    "kinesis": "Kinesis", "dynamodb": "DynamoDB stream", "apigateway": "API Gateway", "apigatewayv2": "HTTP API",
}
_MODE_LABEL = {"sync": "sync", "async": "async", "poll-sqs": "poll", "poll-stream": "poll"}


# ----------------------------------------------------------------------------------------------- wording


def plural(n: int, word: str, words: str | None = None) -> str:
    """``plural(1, "day")`` → ``1 day``; ``plural(4, "day")`` → ``4 days``."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def wording(model: Model, template: str, **fields: str) -> str:
    """A fix hint in the user's language: ``template`` (CloudFormation's words, a ``str.format`` template) as
    the Model's vocabulary says it."""
    return model.vocabulary.phrase(template, **fields)


def setting(model: Model, name: str) -> str:
    """A setting's name as the user's input spells it (``VisibilityTimeout``, ``visibility_timeout_seconds``)."""
    return model.vocabulary.name(name)


def setting_of(model: Model, name: str, owner: str, value: Val[Any] | None) -> str:
    """What to edit to change ``owner``'s setting ``name``, as the user writes it: ``VisibilityTimeout of
    OrdersQueue``, ``visibility_timeout_seconds of aws_sqs_queue.orders``, or, when a module call sets the value
    (``value`` is written there), that call's argument: ``queue_visibility of module.orders``."""
    if value is not None and value.span is not None:
        written = model.written_as.get(value.span)
        if written is not None:
            return written
    return f"{setting(model, name)} of {owner}"


# ------------------------------------------------------------------------------------------ located values


def known(v: Val[Any] | None) -> bool:
    """True when ``v`` is set and its value can be known statically."""
    return v is not None and v.known


def value_of(v: Val[Any] | None) -> Any:
    """The value of ``v``, or None when it is not set or not known (rules stay silent on None)."""
    if v is None or not v.known:
        return None
    return v.value


def span_of(v: Val[Any] | Target | None, fallback: Span | None = None) -> Span | None:
    """Where a value is written (for a defaulted value: the resource that would hold it), else ``fallback``."""
    span = getattr(v, "span", None) if v is not None else None
    return span or fallback


def related(span: Span | None, resource: str | None, message: str) -> list[Related]:
    """One related location as a list, or an empty list when there is no span to point at."""
    return [Related(span, resource, message)] if span is not None else []


# --------------------------------------------------------------------------------------------- labels


def node_label(model: Model, node_id: str | None) -> str:
    """``OrdersQueue (SQS)``, ``Notify (SNS)``, ``Worker (function)``, ``Uploads (S3)``, ``Api (REST API)``;
    the bare id for other nodes."""
    if node_id is None:
        return "(unknown)"
    if node_id in model.queues:
        return f"{node_id} (SQS{' FIFO' if model.queues[node_id].fifo.value is True else ''})"
    if node_id in model.topics:
        return f"{node_id} (SNS)"
    if node_id in model.functions:
        return f"{node_id} (function)"
    if node_id in model.streams:
        return f"{node_id} ({_SERVICE_LABEL.get(model.streams[node_id].service, 'stream')})"
    if node_id in model.buckets:
        return f"{node_id} (S3)"
    if node_id in model.apis:
        return f"{node_id} ({ {'rest': 'REST API', 'http': 'HTTP API', 'websocket': 'WebSocket API'}.get(model.apis[node_id].kind, 'API')})"
    if node_id in model.buses:
        return f"{node_id} (event bus)"
    return node_id


def target_label(model: Model, target: Target | None) -> str:
    """A target in words: its node label, its ARN, or ``(unknown)``."""
    if target is None:
        return "(none)"
    if target.node:
        return node_label(model, target.node)
    return target.label()


def batch_size(trigger: Trigger) -> Val[int]:
    """The trigger's batch size, with Lambda's default for its caller when the template does not set one."""
    if trigger.batch_size is not None:
        return trigger.batch_size
    return Val(defaults.batch_size(trigger.service), trigger.span, True)


def trigger_step(trigger: Trigger) -> str:
    """A failure-path step for the function a trigger invokes: ``ProcessOrders [poll, batch 10]``.

    Poll-based triggers show their batch size (Lambda's default when unset) and a batching window when one
    is set; unknown values show as ``?``.
    """
    bits = [_MODE_LABEL.get(trigger.mode, trigger.mode)]
    if trigger.mode in ("poll-sqs", "poll-stream"):
        size = batch_size(trigger)
        bits.append(f"batch {size.value if size.known else '?'}")
        window = trigger.batching_window
        if not window.known:
            bits.append("window ?")
        elif window.value:
            bits.append(f"window {duration(window.value)}")
    return f"{trigger.function} [{', '.join(bits)}]"


# ---------------------------------------------------------------------------------------------- queries


def per_model(fn: Callable[[Model], _T]) -> Callable[[Model], _T]:
    """``fn(model)`` worked out once while the engine runs the rules over ``model`` (which does not change
    meanwhile) and shared by them: the result must not be changed by its users (a tuple, say). Called outside
    such a run (a rule checked on its own), it is worked out on every call."""

    @functools.wraps(fn)
    def shared(model: Model) -> _T:
        memo = model.__dict__.get(PER_MODEL)
        if memo is None:
            return fn(model)
        try:
            out: _T = memo[shared]
        except KeyError:
            out = memo[shared] = fn(model)
        return out

    return shared



def sqs_triggers(model: Model) -> Iterator[Trigger]:
    """Every poll-based SQS trigger (event source mapping or SAM ``SQS`` event) of the Model."""
    for t in model.triggers:
        if t.mode == "poll-sqs":
            yield t


def queue_of(model: Model, trigger: Trigger) -> Queue | None:
    """The queue a poll-sqs trigger reads, when that queue is a node of this Model; else None."""
    src = trigger.source
    if src is None or src.node is None:
        return None
    return model.queues.get(src.node)


def queue_name(target: Target | None) -> str | None:
    """The queue name at the end of a literal SQS ARN (``arn:aws:sqs:eu-west-1:123:orders.fifo``)."""
    if target is None or not target.arn or not target.arn.startswith("arn:"):
        return None
    parts = target.arn.split(":")
    if len(parts) < 6 or parts[2] != "sqs":
        return None
    return parts[5] or None


def is_fifo(model: Model, target: Target | None) -> bool | None:
    """Whether a queue target is FIFO: from the Model's queue, else from an ARN's ``.fifo`` name; else None."""
    if target is None:
        return None
    if target.node is not None:
        q = model.queues.get(target.node)
        if q is None or not q.fifo.known:
            return None
        return bool(q.fifo.value)
    name = queue_name(target)
    if name is None:
        return None
    return name.endswith(".fifo")


def functions_only_invoked_by(model: Model, mode: str) -> Iterator[tuple[Function, list[Trigger]]]:
    """Functions whose every known trigger has ``mode`` (and that have at least one), with those triggers."""
    by_function: dict[str, list[Trigger]] = {}
    for t in model.triggers:
        by_function.setdefault(t.function, []).append(t)
    for fid, triggers in by_function.items():
        fn = model.functions.get(fid)
        if fn is not None and all(t.mode == mode for t in triggers):
            yield fn, triggers


# ------------------------------------------------------------------------------------------------- fixes


def remove_dlq_fix(model: Model, fn: Function) -> Fix:
    """Remove the function's dead-letter setting (``DeadLetterConfig``, SAM ``DeadLetterQueue``, the Terraform
    ``dead_letter_config`` block) with its lines; unsafe: it deletes configuration."""
    name = setting(model, "DeadLetterConfig")
    elsewhere = generated(model, fn.origin, name)
    if elsewhere is not None:
        return Fix("", "unsafe", reason=elsewhere.reason)
    if "[" in fn.id:
        return no_fix(f"{fn.id} is one instance of a block with count or for_each; remove {name} by hand",
                      "unsafe")
    if fn.origin != fn.id:
        return no_fix(f"{fn.id} is made by {fn.origin}; remove {name} there", "unsafe")
    span = fn.dlq_config
    if in_globals(span):
        return no_fix("the dead-letter queue is set in Globals for every function; remove it there by hand",
                      "unsafe")
    names = (name,) if name != "DeadLetterConfig" else ("DeadLetterConfig", "DeadLetterQueue")  # SAM's word too
    fix = no_fix("", "unsafe")
    for key in names:
        fix = remove_setting(span, key, f"Remove {key} from {fn.id}", "unsafe")
        if fix.applicable:
            break
    return fix


def remove_invoke_config_fix(model: Model, fn: Function, cfg: AsyncConfig) -> Fix:
    """Remove an event invoke configuration that never applies: the ``AWS::Lambda::EventInvokeConfig``
    resource or ``aws_lambda_function_event_invoke_config`` block (when nothing else names it), or the SAM
    function's ``EventInvokeConfig`` property. Unsafe: it deletes configuration."""
    elsewhere = generated(model, cfg.resource, "EventInvokeConfig")
    if elsewhere is not None:
        return Fix("", "unsafe", reason=elsewhere.reason)
    if "[" in cfg.resource:
        return no_fix(f"{cfg.resource} is one instance of a block with count or for_each; remove it by hand",
                      "unsafe")
    if cfg.resource == fn.origin:  # SAM: the function's own EventInvokeConfig property
        if in_globals(cfg.span):
            return no_fix("EventInvokeConfig is set in Globals for every function; remove it there by hand",
                          "unsafe")
        return remove_setting(cfg.span, "EventInvokeConfig", f"Remove EventInvokeConfig from {fn.id}", "unsafe")
    return remove_resource(cfg.span, cfg.resource, f"Remove {cfg.resource}", "unsafe")
