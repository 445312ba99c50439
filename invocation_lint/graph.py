"""The invocation graph: who invokes each function, how, and where its failures go.

``render`` draws the Models as Mermaid (default, pastes into a pull request) or Graphviz DOT: solid edges
for triggers, labelled with the invocation mode (``sqs poll, batch 10``, ``async``, ``sync``), dashed edges
for failure routes labelled with their kind, and a red ``lost`` node for the paths that lose events (a
polled queue without redrive, an async function without DLQ or on-failure destination, a stream mapping
without on-failure destination). ``edges`` is the graph itself, shared with the LOOP rules.

Output is deterministic: nodes and edges sorted, ids derived from the template ids by an injective escape.
"""

from __future__ import annotations

from . import defaults
from .model import Model, Record, Redrive, Target, Trigger, Unknown, record
from .source import Span

FAILURE_KINDS = ("queue-redrive", "function-dlq", "on-failure", "on-success", "subscription-redrive", "target-dlq")
LOST = "\0lost"  # the id of the "lost" node: no template id can hold a NUL

_SERVICE = {
    "sqs": "SQS", "sns": "SNS", "s3": "S3", "eventbridge": "EventBridge", "events": "EventBridge",
    "schedule": "EventBridge schedule", "scheduler": "EventBridge Scheduler", "logs": "CloudWatch Logs",
    "iot": "IoT rule", "apigateway": "API Gateway (REST)", "apigatewayv2": "API Gateway (HTTP)", "alb": "ALB",
    "url": "function URL", "kinesis": "Kinesis", "dynamodb": "DynamoDB stream", "lambda": "Lambda",
    "cognito": "Cognito", "ses": "SES", "msk": "MSK", "kafka": "Kafka", "mq": "Amazon MQ", "docdb": "DocumentDB",
    "stepfunctions": "Step Functions", "cloudformation": "custom resource", "cloudfront": "Lambda@Edge",
    "secretsmanager": "Secrets Manager rotation", "iot-authorizer": "IoT authorizer", "appsync": "AppSync",
    "pipes": "EventBridge Pipes", "pipes-enrichment": "EventBridge Pipes enrichment", "firehose": "Firehose",
    "config": "Config rule", "codecommit": "CodeCommit", "codepipeline": "CodePipeline",
    "s3-object-lambda": "S3 Object Lambda", "lex": "Lex", "connect": "Amazon Connect",
}


_RESOURCE_TYPE = {
    "AWS::Events::Rule": "EventBridge rule", "AWS::Scheduler::Schedule": "EventBridge Scheduler",
    "AWS::SNS::Subscription": "SNS subscription", "AWS::Logs::SubscriptionFilter": "CloudWatch Logs",
    "AWS::IoT::TopicRule": "IoT rule", "AWS::Lambda::Url": "function URL",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "ALB target group",
}


@record(slots=False, frozen=True)
class Edge(Record):
    """One edge of the invocation graph: a trigger (``kind='trigger'``), a failure route, or a loss."""

    src: str
    dst: str
    kind: str  # "trigger", "delivery" (a topic's SQS subscription), a failure route kind, or "lost"
    label: str
    span: Span | None
    resource: str
    trigger: Trigger | None = None
    #: a function DLQ or EventInvokeConfig destination: it only ever receives asynchronous invocations
    async_only: bool = False
    #: a mapping's on-failure destination: it only receives the failures of that trigger (``trigger_key``)
    via: tuple[str, str, int, str] | None = None
    #: a delivery through a filter policy: some messages may not pass
    filtered: bool = False


def trigger_key(t: Trigger) -> tuple[str, str, int, str]:
    """One trigger's identity: SAM events all share their function as ``resource``, so the line counts too."""
    return (t.resource, t.span.file, t.span.line, t.service)


def _node(target: Target | None) -> str | None:
    """The node a target is, when it is one of this Model's and known (``Target.known``, without the call)."""
    return target.node if target is not None and target.node and target.unknown is None else None


def _external(target: Target | None, service: str) -> str:
    """A node id for a caller or target outside the template: its ARN, else the service."""
    if target is not None and target.arn:
        return target.arn
    return f"{_SERVICE.get(service, service)} (outside the template)"


def mode_label(t: Trigger) -> str:
    """``sqs poll, batch 10``, ``kinesis poll, batch 100, window 5 s``, ``async``, ``sync``."""
    if t.mode in ("poll-sqs", "poll-stream"):
        size = t.batch_size.value if t.batch_size is not None else defaults.batch_size(t.service)
        bits = [f"{t.service} poll", f"batch {'?' if isinstance(size, Unknown) else size}"]
        w = t.batching_window
        if w.known and w.value:
            bits.append(f"window {w.value} s")
        return ", ".join(bits)
    return t.mode


def edges(model: Model) -> list[Edge]:
    """Every trigger and failure route of ``model``, once each, in template order.

    Failure routes come from ``model.routes`` and from the nodes' own settings (a front-end may fill one or
    the other); a route declared on a trigger resource (a mapping, a subscription, a rule target) starts at
    the function (mapping failures) or at the topic or bus (undeliverable events).
    """
    out: dict[tuple[str, str, str], Edge] = {}

    def add(src: str | None, dst: str | None, kind: str, label: str, span: Span | None, resource: str,
            trigger: Trigger | None = None, async_only: bool = False,
            via: tuple[str, str, int, str] | None = None, filtered: bool = False) -> None:
        if src and dst and (src, dst, kind) not in out:
            out[(src, dst, kind)] = Edge(src, dst, kind, label, span, resource, trigger, async_only, via, filtered)

    by_resource: dict[str, list[Trigger]] = {}
    for t in model.triggers:
        by_resource.setdefault(t.resource, []).append(t)
        src = _node(t.source) or (t.api if t.api else None) or _external(t.source, t.service)
        add(src, t.function, "trigger", mode_label(t), t.span, t.resource, t)
    for d in model.deliveries:
        add(d.source, d.target, "delivery", "delivers (filtered)" if d.filtered else "delivers", d.span, d.resource,
            filtered=d.filtered)
    for t in model.triggers:
        if t.on_failure is not None:
            add(t.function, _node(t.on_failure), "on-failure", "on-failure", t.on_failure.span or t.span, t.resource,
                via=trigger_key(t))
        if t.delivery_dlq is not None:
            kind = "subscription-redrive" if t.service == "sns" else "target-dlq"
            add(_node(t.source), _node(t.delivery_dlq), kind, kind, t.delivery_dlq.span or t.span, t.resource)
    # (in any order: one key per queue, and per function below; the edges are sorted at the end)
    for qid, q in model.queues.items():
        if isinstance(q.redrive, Redrive):
            add(qid, _node(q.redrive.target), "queue-redrive", "queue-redrive", q.redrive.span or q.span,
                q.redrive.resource)
    for fid, fn in model.functions.items():
        if fn.dlq is not None:
            add(fid, _node(fn.dlq), "function-dlq", "function-dlq", fn.dlq.span or fn.span, fn.origin,
                async_only=True)
        for cfg in fn.async_configs:
            for kind, target in (("on-failure", cfg.on_failure), ("on-success", cfg.on_success)):
                if target is not None:
                    add(fid, _node(target), kind, kind, target.span or cfg.span, cfg.resource, async_only=True)
    for r in model.routes:
        if r.kind not in FAILURE_KINDS:
            continue
        if model.node(r.source) is not None:
            add(r.source, _node(r.target), r.kind, r.kind, r.span, r.resource,
                async_only=r.source in model.functions and r.kind in ("function-dlq", "on-failure", "on-success"))
            continue
        # declared on a trigger resource (a mapping, a subscription, a rule target): a mapping's failures are
        # its function's, undeliverable events leave from the topic or bus. SAM names the generated resource
        # differently from the trigger's resource (the function), so match by target too.
        delivery = r.kind in ("subscription-redrive", "target-dlq")
        ts = by_resource.get(r.source) or [
            t for t in model.triggers
            if _node(t.delivery_dlq if delivery else t.on_failure) == _node(r.target) is not None
        ]
        for t in ts:
            add(_node(t.source) if delivery else t.function, _node(r.target), r.kind, r.kind, r.span, r.resource,
                via=None if delivery else trigger_key(t))
    return sorted(out.values(), key=lambda e: (e.span.file if e.span else "", e.span.line if e.span else 0,
                                               e.kind, e.src, e.dst))


def losses(model: Model) -> list[Edge]:
    """The failure paths that lose events, as edges to the ``lost`` node."""
    out: dict[tuple[str, str], Edge] = {}
    by_function: dict[str, list[Trigger]] = {}
    for t in model.triggers:
        by_function.setdefault(t.function, []).append(t)
        if t.mode == "poll-sqs":
            qid = _node(t.source)
            q = model.queues.get(qid or "")
            if qid is not None and q is not None and q.redrive is None and (qid, "sqs") not in out:
                from invocation_lint.humanize import duration

                keep = f"deleted after {duration(q.retention.value)}" if q.retention.known else "deleted at expiry"
                out[(qid, "sqs")] = Edge(qid, LOST, "lost", f"no redrive: {keep}", q.span, qid)
        elif t.mode == "poll-stream" and t.on_failure is None:
            r = t.max_retry_attempts
            when = f"after {r.value} retries" if r.known and r.value != -1 else "when the records expire"
            out[(t.function, t.resource)] = Edge(t.function, LOST, "lost", f"skipped {when}, no on-failure",
                                                 t.span, t.resource)
    for fid in sorted(by_function):
        fn = model.functions.get(fid)
        if fn is None or not any(t.mode == "async" for t in by_function[fid]):
            continue
        if fn.dlq is not None or any(c.on_failure is not None for c in fn.async_configs):
            continue
        cfg = next((c for c in fn.async_configs if c.qualifier == "$LATEST"), None) or (
            fn.async_configs[0] if fn.async_configs else None)
        n = cfg.max_retry_attempts.value if cfg is not None else 2
        label = ("dropped, no retry" if n == 0 else f"dropped after {n} retries") if isinstance(n, int) else (
            "dropped after the retries")
        out[(fid, "async")] = Edge(fid, LOST, "lost", label, fn.span, fid)
    return sorted(out.values(), key=lambda e: (e.src, e.label))


# ------------------------------------------------------------------------------------------------ output


def _escape_id(text: str) -> str:
    """An injective escape of any id into ``[A-Za-z0-9_]``."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "_":
            out.append("__")
        else:
            out.append(f"_{ord(ch):x}_")
    return "".join(out)


def _label(model: Model, node_id: str) -> str:
    if node_id == LOST:
        return "lost"
    for table, what in (
        (model.functions, "function"), (model.queues, "SQS"), (model.topics, "SNS"), (model.buckets, "S3"),
        (model.buses, "EventBridge bus"), (model.apis, "API"), (model.roles, "role"),
    ):
        if node_id in table:
            if what == "SQS" and model.queues[node_id].fifo.value is True:
                what = "SQS FIFO"
            if what == "API":
                kind = model.apis[node_id].kind
                what = "REST API" if kind == "rest" else f"{kind.upper()} API"
            return f"{node_id} ({what})"
    if node_id in model.streams:
        return f"{node_id} ({_SERVICE.get(model.streams[node_id].service, 'stream')})"
    if node_id in model.resources:
        kind = model.resources[node_id][0]
        return f"{node_id} ({_RESOURCE_TYPE.get(kind, kind)})"
    return node_id


def _mermaid_text(text: str) -> str:
    from .source import clean  # control characters of a logical id never reach the diagram raw

    return clean(text.replace("\\", "\\\\").replace('"', "#quot;").replace("\n", " "))


def _dot_text(text: str) -> str:
    from .source import clean

    return clean(text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " "))


def render(models: list[Model], fmt: str = "mermaid") -> str:
    """The invocation graph of ``models`` as Mermaid (``fmt='mermaid'``) or Graphviz DOT (``'dot'``)."""
    if fmt not in ("mermaid", "dot"):
        raise ValueError(f"unknown graph format {fmt!r} (use mermaid or dot)")
    many = len(models) > 1
    lines: list[str] = ["flowchart LR"] if fmt == "mermaid" else ["digraph invocations {", "  rankdir=LR;",
                                                                    "  node [shape=box];"]
    lost_ids: list[str] = []
    edge_lines: list[str] = []
    for index, model in enumerate(models):
        prefix = f"m{index}_" if many else ""
        all_edges = edges(model) + losses(model)
        node_ids = sorted({e.src for e in all_edges} | {e.dst for e in all_edges} | set(model.functions))

        def gid(node_id: str, prefix: str = prefix) -> str:
            return prefix + ("lost" if node_id == LOST else "n_" + _escape_id(node_id))

        indent = "    " if many else "  "
        if many:
            title = model.file
            lines.append(f'  subgraph {prefix}file["{_mermaid_text(title)}"]' if fmt == "mermaid"
                         else f'  subgraph cluster_{index} {{\n    label="{_dot_text(title)}";')
        for nid in node_ids:
            label = _label(model, nid)
            if fmt == "mermaid":
                lines.append(f'{indent}{gid(nid)}["{_mermaid_text(label)}"]')
            elif nid == LOST:
                lines.append(f'{indent}{gid(nid)} [label="lost", color=red, fontcolor=red, style=bold];')
            else:
                lines.append(f'{indent}{gid(nid)} [label="{_dot_text(label)}"];')
            if nid == LOST:
                lost_ids.append(gid(nid))
        if many:
            lines.append("  end" if fmt == "mermaid" else "  }")
        for e in all_edges:
            a, b = gid(e.src), gid(e.dst)
            if fmt == "mermaid":
                arrow = "-->" if e.kind in ("trigger", "delivery") else "-.->"
                edge_lines.append(f'  {a} {arrow}|"{_mermaid_text(e.label)}"| {b}')
            else:
                style = "" if e.kind in ("trigger", "delivery") else ", style=dashed"
                if e.kind == "lost":
                    style += ", color=red, fontcolor=red"
                edge_lines.append(f'  {a} -> {b} [label="{_dot_text(e.label)}"{style}];')
    lines += edge_lines
    if fmt == "mermaid":
        if lost_ids:
            lines.append("  classDef lost fill:#fdd,stroke:#c00,color:#900")
            lines.append(f"  class {','.join(lost_ids)} lost")
    else:
        lines.append("}")
    return "\n".join(lines) + "\n"
