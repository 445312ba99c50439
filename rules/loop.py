"""LOOP: failure paths and writes that lead back to where they started.

These rules work on the resource graph as a whole: triggers (a queue, topic or bucket invokes a function),
failure routes (redrive policies, function DLQs, on-failure destinations, subscription and target DLQs) and
the execution role's write permissions. A cycle through them means an event that never ends.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

from invocation_lint import iam
from invocation_lint.model import Function, Model, Target, Trigger
from invocation_lint.registry import Context, Finding, Related, rule

from ._common import node_label, related, trigger_step

if TYPE_CHECKING:
    from invocation_lint.graph import Edge

_FAILURE_KINDS = ("queue-redrive", "function-dlq", "on-failure", "subscription-redrive", "target-dlq")
#: a failure route as a failure-path step, and as a noun
_KIND_WORDS = {
    "queue-redrive": "failed maxReceiveCount times: redrive",
    "function-dlq": "failure: function DLQ",
    "on-failure": "failure: on-failure destination",
    "subscription-redrive": "undeliverable: subscription DLQ",
    "target-dlq": "undeliverable: target DLQ",
}
_KIND_NOUN = {
    "queue-redrive": "redrive target", "function-dlq": "DLQ", "on-failure": "on-failure destination",
    "subscription-redrive": "subscription DLQ", "target-dlq": "target DLQ",
}


def _label(model: Model, node_id: str) -> str:
    label = node_label(model, node_id)
    if label == node_id and node_id in model.buckets:
        return f"{node_id} (S3)"
    return label


def _node(target: Target | None) -> str | None:
    """The node a target is, when it is one of this Model's and known (``Target.known``, without the call)."""
    return target.node if target is not None and target.node and target.unknown is None else None


def _edges(model: Model) -> list[Edge]:
    """Triggers and failure routes (a success destination is not a failure route)."""
    from invocation_lint import graph  # only when a template has triggers to follow

    # a filtered delivery may not pass what fails: no loop is claimed through it
    return [e for e in graph.edges(model) if e.kind != "on-success" and not e.filtered]


def _adjacency(edges: list[Edge]) -> dict[str, list[Edge]]:
    nxt: dict[str, list[Edge]] = {}
    for e in edges:
        nxt.setdefault(e.src, []).append(e)
    return nxt


def _components(nxt: dict[str, list[Edge]]) -> dict[str, int]:
    """Strongly connected components (iterative Tarjan): only an edge inside one can close a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in list(nxt):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            out = nxt.get(node, [])
            if i < len(out):
                work.append((node, i + 1))
                child = out[i].dst
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return comp


def _path_back(nxt: dict[str, list[Edge]], comp: dict[str, int], start: str, goal: str) -> list[Edge] | None:
    """The shortest chain of edges from ``start`` to ``goal`` (empty when they are the same node)."""
    if start == goal:
        return []
    if comp.get(start) is None or comp.get(start) != comp.get(goal):
        return None
    seen = {start}
    queue: deque[tuple[str, list[Edge]]] = deque([(start, [])])
    while queue:
        node, path = queue.popleft()
        for e in nxt.get(node, []):
            if e.dst in seen or comp.get(e.dst) != comp[start]:
                continue
            if e.dst == goal:
                return path + [e]
            seen.add(e.dst)
            queue.append((e.dst, path + [e]))
    return None


def _carries(prev: Edge, e: Edge) -> bool:
    """Can a failure arriving over ``prev`` leave its function over ``e``?

    A function DLQ or async destination only receives asynchronous invocations (a destination function is
    itself invoked asynchronously); a mapping's on-failure destination only the failures of that mapping.
    """
    if e.kind == "trigger" or not (e.async_only or e.via):
        return True
    mode = prev.trigger.mode if prev.kind == "trigger" and prev.trigger is not None else "async"
    from invocation_lint import graph

    key = graph.trigger_key(prev.trigger) if prev.kind == "trigger" and prev.trigger is not None else None
    if e.async_only and mode != "async":
        return False
    return not (e.via and key != e.via)


def _steps(model: Model, cycle: list[Edge]) -> list[str]:
    steps = [node_label(model, cycle[0].src)]
    for e in cycle:
        if e.kind == "trigger" and e.trigger is not None:
            steps.append(trigger_step(e.trigger))
        else:
            steps.append(_KIND_WORDS.get(e.kind, e.kind))
            steps.append(node_label(model, e.dst))
    return steps


@rule(
    "LOOP001",
    "failure-route-loops-back",
    "error",
    "A failure route leads back to the resource that triggers the function: failed events circle forever.",
)
def failure_route_loops_back(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Follows the failure routes of the template (queue redrive policies, function DLQs, on-failure
    destinations of functions and stream mappings, SNS subscription and EventBridge target DLQs) together
    with the triggers, and reports every cycle: a failed event that is sent back to the queue, topic or
    function it came from, directly or through other resources; also a queue that redrives to itself.

    ## Why is this bad?
    A failure route exists to take a failing event *out* of the processing path and keep it. When it leads
    back into that path, the event that failed is processed again, fails again, and goes round again: it is
    never kept for inspection, every round costs invocations (and retries), and a poison message can keep a
    function busy indefinitely. Lambda's recursive loop detection does not see these loops, because no
    function code sends the event.

    ## Failure path
    Alerts (SNS) → Notify [async] → fails 3 times → on-failure destination Alerts (SNS) → Notify → ...

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Alerts:
        Type: AWS::SNS::Topic
      AlertsUndelivered:
        Type: AWS::SQS::Queue
      Notify:
        Type: AWS::Serverless::Function
        Properties:
          EventInvokeConfig:
            DestinationConfig:
              OnFailure:
                Type: SNS
                Destination: !Ref Alerts      # the topic that invokes Notify
          Events:
            Alert:
              Type: SNS
              Properties:
                Topic: !Ref Alerts
                RedrivePolicy:
                  deadLetterTargetArn: !GetAtt AlertsUndelivered.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sns_topic" "alerts" {}

    resource "aws_sqs_queue" "notify_failures" {}

    resource "aws_sqs_queue" "alerts_undelivered" {}

    resource "aws_lambda_function" "notify" {
      function_name = "notify"
      role          = "arn:aws:iam::123456789012:role/notify"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_permission" "alerts" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.notify.function_name
      principal     = "sns.amazonaws.com"
      source_arn    = aws_sns_topic.alerts.arn
    }

    resource "aws_sns_topic_subscription" "alerts" {
      topic_arn = aws_sns_topic.alerts.arn
      protocol  = "lambda"
      endpoint  = aws_lambda_function.notify.arn
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.alerts_undelivered.arn
      })
    }

    resource "aws_lambda_function_event_invoke_config" "notify" {
      function_name = aws_lambda_function.notify.function_name
      destination_config {
        on_failure {
          destination = aws_sns_topic.alerts.arn   # the topic that invokes notify
        }
      }
    }
    ```

    ## Use instead
    The same template with the failures sent to a queue that nothing consumes automatically:
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Alerts:
        Type: AWS::SNS::Topic
      AlertsUndelivered:
        Type: AWS::SQS::Queue
      NotifyFailures:
        Type: AWS::SQS::Queue
      Notify:
        Type: AWS::Serverless::Function
        Properties:
          EventInvokeConfig:
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt NotifyFailures.Arn
          Events:
            Alert:
              Type: SNS
              Properties:
                Topic: !Ref Alerts
                RedrivePolicy:
                  deadLetterTargetArn: !GetAtt AlertsUndelivered.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sns_topic" "alerts" {}

    resource "aws_sqs_queue" "notify_failures" {}

    resource "aws_sqs_queue" "alerts_undelivered" {}

    resource "aws_lambda_function" "notify" {
      function_name = "notify"
      role          = "arn:aws:iam::123456789012:role/notify"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_permission" "alerts" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.notify.function_name
      principal     = "sns.amazonaws.com"
      source_arn    = aws_sns_topic.alerts.arn
    }

    resource "aws_sns_topic_subscription" "alerts" {
      topic_arn = aws_sns_topic.alerts.arn
      protocol  = "lambda"
      endpoint  = aws_lambda_function.notify.arn
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.alerts_undelivered.arn
      })
    }

    resource "aws_lambda_function_event_invoke_config" "notify" {
      function_name = aws_lambda_function.notify.function_name
      destination_config {
        on_failure {
          destination = aws_sqs_queue.notify_failures.arn
        }
      }
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
    """
    edges = _edges(model)
    nxt = _adjacency(edges)
    comp: dict[str, int] | None = None  # the components, found when a route leads somewhere that goes on
    reported: set[frozenset[str]] = set()
    for e in edges:
        if e.kind not in _FAILURE_KINDS:
            continue
        if e.dst != e.src and e.dst not in nxt:
            continue  # nothing leaves the route's target (a dead-letter queue nobody reads): no way back
        if comp is None:
            comp = _components(nxt)
        back = _path_back(nxt, comp, e.dst, e.src)
        if back is None:
            continue
        cycle = [e] + back
        if not all(_carries(cycle[i - 1], cycle[i]) for i in range(len(cycle))):
            continue  # e.g. a stream mapping's on-failure topic that invokes the function asynchronously
        key = frozenset([x.src for x in cycle] + [x.dst for x in cycle])
        if key in reported:
            continue
        reported.add(key)
        # read the cycle from a trigger source when there is one: "Orders (SQS) → Worker → ... → Orders"
        starts = [i for i, x in enumerate(cycle) if x.kind == "trigger"]
        shown = cycle[starts[0]:] + cycle[: starts[0]] if starts else cycle
        functions = sorted({x.dst for x in cycle if x.kind == "trigger"})
        if e.src == e.dst:
            what = f"{node_label(model, e.src)} sends its failures to itself"
        else:
            what = (f"the {_KIND_NOUN[e.kind]} of {e.src} is {node_label(model, e.dst)}, "
                    f"which leads back to {e.src}")
        rel: list[Related] = []
        for x in cycle[1:]:
            rel += related(x.span, x.resource, f"{x.kind}: {x.src} → {x.dst}")
        yield Finding(
            code="LOOP001",
            message=f"Failure route loops back: {what}. A failing event goes round "
            f"({' → '.join([shown[0].src] + [x.dst for x in shown])}) instead of being kept: it is processed "
            "again, fails again, costs invocations each round, and never lands anywhere for inspection.",
            span=e.span,
            resource=e.resource,
            function=functions[0] if functions else None,
            related=rel,
            path=_steps(model, shown),
            fix="send failures to a dedicated dead-letter queue that does not feed back into this path",
        )


_WRITE_ACTIONS = {"queue": ["sqs:SendMessage"], "topic": ["sns:Publish"], "bucket": ["s3:PutObject"]}


@rule(
    "LOOP002",
    "function-writes-to-own-trigger",
    "warning",
    "The execution role lets the function write into the queue, topic or bucket that triggers it.",
)
def function_writes_to_own_trigger(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds functions whose execution role, as the template defines it, allows them to send to the SQS queue
    (`sqs:SendMessage`), publish to the SNS topic (`sns:Publish`) or write into the S3 bucket
    (`s3:PutObject`) that triggers them — or publish to an SNS topic that delivers into the queue that
    triggers them (a fan-out: SAM `SqsSubscription`, an `AWS::SNS::Subscription` with protocol `sqs`). Wildcards count (`sqs:*`, `Resource: "*"`); a policy the template
    cannot show is not judged, nor is a trigger with an S3 key filter or event filter (the function's own
    writes may not match it). It is an error when the function sets `RecursiveLoop: Allow`.

    ## Why is this bad?
    A function that writes into its own trigger invokes itself: each message or object it writes triggers
    another invocation, which may write again. An unintended loop runs up costs and can use the account's
    whole concurrency. Lambda's recursive loop detection stops such a chain after about 16 invocations of
    the same event (and drops the event, or sends it to the DLQ); with `RecursiveLoop: Allow` nothing stops
    it. Even when the write is intended (re-queueing with a delay), the permission makes an accidental
    unbounded loop one bug away.

    ## Failure path
    Uploads (S3) → Thumbnail [async] → PutObject into Uploads → Thumbnail → ... → stopped after 16 rounds.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      ThumbnailFailures:
        Type: AWS::SQS::Queue
      Thumbnail:
        Type: AWS::Serverless::Function
        Properties:
          Policies:
            - S3CrudPolicy:
                BucketName: !Ref Uploads
          EventInvokeConfig:
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt ThumbnailFailures.Arn
          Events:
            Upload:
              Type: S3
              Properties:
                Bucket: !Ref Uploads
                Events: s3:ObjectCreated:*
    ```

    In Terraform:
    ```hcl
    resource "aws_s3_bucket" "uploads" {}

    resource "aws_sqs_queue" "resize_failures" {}

    resource "aws_lambda_function" "resize_images" {
      function_name = "resize-images"
      role          = aws_iam_role.resize_images.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_function_event_invoke_config" "resize_images" {
      function_name = aws_lambda_function.resize_images.function_name
      destination_config {
        on_failure {
          destination = aws_sqs_queue.resize_failures.arn
        }
      }
    }

    resource "aws_lambda_permission" "uploads" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.resize_images.function_name
      principal     = "s3.amazonaws.com"
      source_arn    = aws_s3_bucket.uploads.arn
    }

    resource "aws_s3_bucket_notification" "uploads" {
      bucket = aws_s3_bucket.uploads.id
      lambda_function {
        lambda_function_arn = aws_lambda_function.resize_images.arn
        events              = ["s3:ObjectCreated:*"]
      }
    }

    resource "aws_iam_role" "resize_images" {
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
      })
    }

    resource "aws_iam_role_policy" "resize_images" {
      role = aws_iam_role.resize_images.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [
          { Effect = "Allow", Action = "logs:*", Resource = "*" },
          { Effect = "Allow", Action = "s3:PutObject", Resource = "${aws_s3_bucket.uploads.arn}/*" },
          { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.resize_failures.arn },
        ]
      })
    }
    ```

    ## Use instead
    The same template where the function reads `Uploads` and writes somewhere else:
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      Thumbnails:
        Type: AWS::S3::Bucket
      ThumbnailFailures:
        Type: AWS::SQS::Queue
      Thumbnail:
        Type: AWS::Serverless::Function
        Properties:
          Policies:
            - S3ReadPolicy:
                BucketName: !Ref Uploads
            - S3WritePolicy:
                BucketName: !Ref Thumbnails
          EventInvokeConfig:
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt ThumbnailFailures.Arn
          Events:
            Upload:
              Type: S3
              Properties:
                Bucket: !Ref Uploads
                Events: s3:ObjectCreated:*
    ```

    In Terraform:
    ```hcl
    resource "aws_s3_bucket" "uploads" {}

    resource "aws_sqs_queue" "resize_failures" {}

    resource "aws_lambda_function" "resize_images" {
      function_name = "resize-images"
      role          = aws_iam_role.resize_images.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_function_event_invoke_config" "resize_images" {
      function_name = aws_lambda_function.resize_images.function_name
      destination_config {
        on_failure {
          destination = aws_sqs_queue.resize_failures.arn
        }
      }
    }

    resource "aws_lambda_permission" "uploads" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.resize_images.function_name
      principal     = "s3.amazonaws.com"
      source_arn    = aws_s3_bucket.uploads.arn
    }

    resource "aws_s3_bucket_notification" "uploads" {
      bucket = aws_s3_bucket.uploads.id
      lambda_function {
        lambda_function_arn = aws_lambda_function.resize_images.arn
        events              = ["s3:ObjectCreated:*"]
      }
    }

    resource "aws_iam_role" "resize_images" {
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
      })
    }

    resource "aws_iam_role_policy" "resize_images" {
      role = aws_iam_role.resize_images.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [
          { Effect = "Allow", Action = "logs:*", Resource = "*" },
          { Effect = "Allow", Action = "s3:PutObject", Resource = "${aws_s3_bucket.thumbnails.arn}/*" },
          { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.resize_failures.arn },
        ]
      })
    }

    resource "aws_s3_bucket" "thumbnails" {}
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
    - https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
    """
    seen: set[tuple[str, str]] = set()
    feeds: dict[str, list[str]] = {}  # queue -> topics that deliver into it, unfiltered
    for d in model.deliveries:
        if not d.filtered:
            feeds.setdefault(d.target, []).append(d.source)
    serving: dict[str, set[str | None]] = {}  # function -> its failure routes' targets, found when first asked
    mapping_targets: dict[str, set[str | None]] | None = None
    for t in model.triggers:
        src = _node(t.source)
        fn = model.functions.get(t.function)
        if src is None or fn is None:
            continue
        if t.event_filter:
            continue  # an S3 key filter or event filter may keep the function's own writes out
        # what the function may write into: its trigger, or a topic that delivers into its trigger queue
        topics = feeds.get(src)
        for written, via in [(src, None), *[(topic, src) for topic in topics]] if topics else [(src, None)]:
            if (t.function, written) in seen:
                continue
            kind = "queue" if written in model.queues else "topic" if written in model.topics else (
                "bucket" if written in model.buckets else None)
            if kind is None:
                continue
            serving_failures = serving.get(t.function)
            if serving_failures is None:
                if mapping_targets is None:  # each function's mappings' on-failure destinations
                    mapping_targets = {}
                    for x in model.triggers:
                        mapping_targets.setdefault(x.function, set()).add(_node(x.on_failure))
                serving_failures = serving[t.function] = _failure_targets(fn) | mapping_targets[t.function]
            if written in serving_failures:
                continue  # a failure route's permission (SAM grants it itself); LOOP001 judges that path
            actions = _WRITE_ACTIONS[kind]
            if iam.allows_any(model, fn.role, actions, written) is not True:
                continue
            seen.add((t.function, written))
            yield _loop002(model, t, fn, written, via, actions)


def _failure_targets(fn: Function) -> set[str | None]:
    """Where ``fn``'s failures (and asynchronous successes) go: its DLQ and its invoke configs' destinations."""
    out = {_node(fn.dlq)}
    for c in fn.async_configs:
        out.add(_node(c.on_failure))
        out.add(_node(c.on_success))
    return out


def _loop002(model: Model, t: Trigger, fn: Function, written: str, via: str | None, actions: list[str]) -> Finding:
    """The LOOP002 finding: ``fn`` may write into ``written`` (the trigger itself, or a topic that delivers
    into the trigger queue ``via``)."""
    src = via or written
    role = iam.role_of(model, fn.role)
    assert role is not None  # allows() answered True, so the role is in the template
    stmt = iam.granting_statement(model, fn.role, actions[0], written)
    role_words = role.id if role.id == role.origin else f"the Policies of {role.origin}"
    allow = fn.recursive_loop.known and str(fn.recursive_loop.value).lower() == "allow"
    consequence = (
        "RecursiveLoop: Allow lets the loop run without limit"
        if allow
        else "Lambda's loop detection stops such a chain after about 16 invocations and drops the event"
    )
    rel = related(t.span, t.resource, f"{_label(model, src)} triggers {t.function}")
    if via is not None:
        delivery = next(d for d in model.deliveries if d.source == written and d.target == via)
        rel += related(delivery.span, delivery.resource, f"{_label(model, written)} delivers into {_label(model, via)}")
    if allow:
        rel += related(fn.recursive_loop.span, fn.origin, "RecursiveLoop: Allow")
    verb = actions[0].split(":")[1]
    into = (f"{_label(model, written)}, which triggers it" if via is None
            else f"{_label(model, written)}, which delivers into {_label(model, via)}, which triggers it")
    path = [_label(model, src), trigger_step(t), f"{actions[0]} into {written}"]
    if via is not None:
        path.append(f"{written} delivers to {via}")
    path += [_label(model, src), "loop" + ("" if allow else ": stopped after about 16 rounds")]
    return Finding(
        code="LOOP002",
        severity="error" if allow else "",
        message=f"The execution role {role.id} lets {t.function} {verb} into {into}: every write invokes "
        f"{t.function} again, a recursive loop; {consequence}.",
        span=stmt.span if stmt is not None and stmt.span is not None else role.span,
        resource=role.origin,
        function=t.function,
        related=rel,
        path=path,
        fix=f"scope {actions[0]} in {role_words} to resources other than {written}",
    )
