"""SQS: functions that poll an SQS queue (event source mappings, SAM ``SQS`` events).

With SQS the function's only signal is *raised or not*: a raised batch is not deleted, its messages become
visible again after the queue's visibility timeout, and only the queue's redrive policy ever ends the
retries. These rules check the queue and mapping settings that decide what happens to a failing message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from invocation_lint.fixes import (
    DLQ_RETENTION,
    Fix,
    add_dead_letter_queue,
    add_setting,
    generated,
    no_fix,
    remove_setting,
    set_number,
)
from invocation_lint.model import Function, Model, Queue, Redrive, Trigger
from invocation_lint.registry import Context, Finding, Related, rule
from invocation_lint.source import Span

from ._common import (
    batch_size,
    duration,
    functions_only_invoked_by,
    is_fifo,
    node_label,
    plural,
    queue_of,
    related,
    remove_dlq_fix,
    remove_invoke_config_fix,
    setting,
    setting_of,
    span_of,
    sqs_triggers,
    target_label,
    trigger_step,
    value_of,
)

#: Lambda's SQS poller starts with this many concurrent batches (services-sqs-scaling.html).
POLLER_START_CONCURRENCY = 5
STANDARD_MAX_BATCH = 10_000
UNWINDOWED_MAX_BATCH = 10


# --------------------------------------------------------------------------------------------- helpers


def _queue_triggers(model: Model) -> dict[str, list[Trigger]]:
    """Queues of this Model that trigger a function, with their triggers, in template order."""
    out: dict[str, list[Trigger]] = {}
    for t in sqs_triggers(model):
        q = queue_of(model, t)
        if q is not None:
            out.setdefault(q.id, []).append(t)
    return out


def _pairs(model: Model) -> Iterator[tuple[Queue, Function, Trigger]]:
    """(queue, function, trigger) for every poll-sqs trigger whose queue and function are in the Model, once
    per queue and function."""
    seen: set[tuple[str, str]] = set()
    for t in sqs_triggers(model):
        q = queue_of(model, t)
        fn = model.functions.get(t.function)
        if q is None or fn is None or (q.id, fn.id) in seen:
            continue
        seen.add((q.id, fn.id))
        yield q, fn, t


def _redrive(q: Queue) -> Redrive | None:
    return q.redrive if isinstance(q.redrive, Redrive) else None


def _redrive_word(model: Model) -> str:
    return setting(model, "RedrivePolicy")


def _end_of_retries(model: Model, q: Queue) -> str:
    """What finally ends a failing message's retries on ``q``: its redrive, or expiry."""
    rd = _redrive(q)
    if rd is not None:
        n = value_of(rd.max_receive_count)
        after = f"after {plural(n, 'receive')}" if n is not None else "after maxReceiveCount receives"
        return f"moved to {rd.target.label()} {after}"
    return _expiry(model, q)


def _expiry(model: Model, q: Queue) -> str:
    ret = value_of(q.retention)
    return f"deleted after {duration(ret)}" if ret is not None else (
        f"deleted when {setting(model, 'MessageRetentionPeriod')} ends")


# --------------------------------------------------------------------------------------------- SQS001


@rule("SQS001", "sqs-queue-without-redrive", "error",
      "A queue that triggers a function has no redrive policy: failing messages retry until they expire.")
def queue_without_redrive(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds SQS queues that trigger a Lambda function and have no redrive policy (CloudFormation
    `RedrivePolicy`, Terraform `redrive_policy` or a separate `aws_sqs_queue_redrive_policy`).

    ## Why is this bad?
    When the function raises, Lambda does not delete the batch: its messages become visible again after the
    queue's visibility timeout and are received again. Without a redrive policy nothing ever stops this. A
    message that can never succeed (a poison message) is received every visibility timeout until the queue's
    `MessageRetentionPeriod` (default 4 days) ends, and then SQS deletes it. It is lost, after costing an
    invocation every time, and it keeps taking a place in every batch it joins.

    A queue that is only the dead-letter queue of another queue and triggers no function is not reported.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → failure: visible again after 30 s →
    no redrive policy → deleted after 4 days`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersQueue:
        Type: AWS::SQS::Queue
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {}

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    Unsafe: `invlint check --unsafe-fixes` adds a dead-letter queue right after the queue (`<Queue>DLQ`,
    Terraform `<name>_dlq`, numbered when the name is taken, with `MessageRetentionPeriod` 14 days, so it keeps
    messages longer than the queue) and a `RedrivePolicy` on the queue that moves a message there after
    SQS005's `min-receive-count` receives (5 by default). A FIFO queue gets a FIFO dead-letter queue (SQS takes
    no other), `FifoQueue: true` / `fifo_queue = true`, named `<name>-dlq.fifo` when the queue's own name is a
    literal `<name>.fifo` (else unnamed: CloudFormation and Terraform generate a `.fifo` name). It adds a
    resource: review its name, retention and who reads it. No fix is offered where the queue's FIFO setting,
    retention or `Properties` come from a parameter, a function or an expression, for a queue that keeps
    messages 14 days already (a dead-letter queue cannot keep them longer), a queue SAM generates for an
    `SqsSubscription`, one instance of a block with `count` or `for_each`, a Terraform plan or `.tf.json` file,
    a template synthesized by CDK, or a queue inside a Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    - https://docs.aws.amazon.com/lambda/latest/operatorguide/sqs-retries.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/create-queue-cloudformation.html
    """
    receives = ctx.rule_option("SQS005", "min-receive-count", 5)  # the fix must satisfy SQS005
    for qid, triggers in _queue_triggers(model).items():
        q = model.queues[qid]
        if q.redrive is not None:  # a Redrive, or Unknown: silent either way
            continue
        t = triggers[0]
        vis, ret = value_of(q.visibility_timeout), value_of(q.retention)
        every = f"every {duration(vis)}" if vis is not None else "after every visibility timeout"
        until = f"it expires after {duration(ret)}" if ret is not None else (
            f"{setting(model, 'MessageRetentionPeriod')} ends")
        attempts = ""
        if vis and ret:
            attempts = f" (up to about {ret // max(vis, 1)} attempts)"
        functions = sorted({x.function for x in triggers})
        message = (
            f"A message that {' / '.join(functions)} fails to process becomes visible again {every} and is "
            f"received again until {until}{attempts}; {qid} has no redrive policy, so nothing keeps it: it "
            "is deleted, lost, after costing an invocation on every attempt."
        )
        yield Finding(
            code="SQS001",
            message=message,
            span=q.span,
            resource=q.origin,
            function=t.function,
            related=[Related(x.span, x.resource, f"{x.function} polls {qid} here") for x in triggers],
            path=[
                node_label(model, qid),
                trigger_step(t),
                f"failure: visible again after {duration(vis)}" if vis is not None
                else "failure: visible again after the visibility timeout",
                "no redrive policy",
                _expiry(model, q),
            ],
            fix=_sqs001_fix(model, q, receives),
            autofix=_add_dlq_fix(model, q, receives),
        )


def _add_dlq_fix(model: Model, q: Queue, receives: int) -> Fix:
    """A new dead-letter queue (14 days' retention; FIFO like ``q`` when it is FIFO) and a redrive policy on
    ``q`` pointing at it after ``receives`` receives (SQS005's minimum). Unsafe: it adds a resource."""
    name = setting(model, "RedrivePolicy")
    elsewhere = generated(model, q.id, name)
    if elsewhere is not None:
        return Fix("", "unsafe", reason=elsewhere.reason)
    if q.origin != q.id:
        return no_fix(f"{q.id} is made by {q.origin}; give it a {name} there", "unsafe")
    if "[" in q.id:
        return no_fix(f"{q.id} is one instance of a block with count or for_each; add the {name} by hand",
                      "unsafe")
    if not q.fifo.known:
        return no_fix("whether the queue is FIFO comes from a parameter or an expression, and so must its "
                      "dead-letter queue; add it by hand", "unsafe")
    retention = value_of(q.retention)
    if not isinstance(retention, int):
        return no_fix(f"the queue's {setting(model, 'MessageRetentionPeriod')} comes from a parameter or an expression, so a "
                      "dead-letter queue may not keep messages longer; add it by hand", "unsafe")
    if retention >= DLQ_RETENTION:
        return no_fix("the queue keeps messages as long as a dead-letter queue can (14 days), so a dead-letter "
                      "queue would drop them early; shorten its retention first", "unsafe")
    return add_dead_letter_queue(q.span, q.id, receives,
                                 f"Add a {'FIFO ' if q.fifo.value else ''}dead-letter queue for {q.id} and a "
                                 f"{name} that moves a message to it after {receives} receives",
                                 fifo=bool(q.fifo.value))


def _sqs001_fix(model: Model, q: Queue, receives: int = 5) -> str:
    if q.origin != q.id:  # generated by SAM for an SNS event's SqsSubscription
        return (f"{q.id} is the queue SAM generates for an SqsSubscription of {q.origin}: subscribe through "
                "your own queue (SqsSubscription QueueArn and QueueUrl) that has a RedrivePolicy.")
    return (f"Add a {_redrive_word(model)} to {q.id} that sends messages to a dead-letter queue after "
            f"maxReceiveCount ({receives} or more) receives.")


# --------------------------------------------------------------------------------------------- SQS002


@rule("SQS002", "function-dlq-on-sqs-function", "warning",
      "A function invoked only by SQS sets a function DLQ or on-failure destination, which SQS never uses.")
def function_dlq_on_sqs_function(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds functions whose only triggers are SQS queues and that set a function dead-letter queue
    (`DeadLetterConfig`, SAM `DeadLetterQueue`) or an on-failure destination in an `EventInvokeConfig`
    (SAM `EventInvokeConfig.DestinationConfig.OnFailure`).

    ## Why is this bad?
    A function's dead-letter queue and its asynchronous-invocation destinations apply to *asynchronous*
    invocations only. Lambda's SQS poller invokes the function synchronously, so neither ever receives a
    message from it. A failing message goes back to its source queue, and only the source queue's redrive
    policy moves it to a dead-letter queue. The function DLQ looks like failure capture in review and stays
    empty in production while messages retry until they expire.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → failure: back to OrdersQueue →
    function DLQ FailedOrders: never used → deleted after 4 days`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      FailedOrders:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt FailedOrders.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          DeadLetterQueue:           # never used: SQS invokes synchronously
            Type: SQS
            TargetArn: !GetAtt FailedOrders.Arn
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.orders_dlq.arn
      }
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same template without `DeadLetterQueue`: the queue's `RedrivePolicy` is what moves failed messages.
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      FailedOrders:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt FailedOrders.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    Unsafe: `invlint check --unsafe-fixes` removes the function's `DeadLetterConfig` (SAM `DeadLetterQueue`,
    Terraform `dead_letter_config`), or the event invoke configuration with the on-failure destination (the
    `AWS::Lambda::EventInvokeConfig` resource, the SAM `EventInvokeConfig` property, the
    `aws_lambda_function_event_invoke_config` block). It deletes configuration: check that nothing outside the
    template invokes the function asynchronously. No fix is offered for a setting in `Globals` (every function
    shares it), for a resource that something else references (`Ref`, `DependsOn`, a Terraform reference), for
    one instance of a block with `count` or `for_each`, in a template synthesized by CDK, or inside a
    Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    - https://docs.aws.amazon.com/lambda/latest/operatorguide/sqs-retries.html
    """
    for fn, triggers in functions_only_invoked_by(model, "poll-sqs"):
        t = triggers[0]
        q = queue_of(model, t)
        qname = q.id if q is not None else (t.source.label() if t.source is not None else "its queue")
        end = _end_of_retries(model, q) if q is not None else "retried until it expires or the queue's redrive"
        sources = sorted({(x.source.label() if x.source is not None else "(unknown)") for x in triggers})
        head = f"{fn.id} is invoked only by SQS ({', '.join(sources)})"
        tail = (
            f"A failing message goes back to {qname} instead and is {end}. The dead-letter queue belongs on "
            f"the queue's {_redrive_word(model)}."
        )
        items: list[tuple[str, str, Span | None, str, Fix]] = []  # (what, resource, span, target label, fix)
        if fn.dlq is not None and fn.dlq.known:
            items.append(("function dead-letter queue", fn.origin, span_of(fn.dlq, fn.span),
                          fn.dlq.label(), remove_dlq_fix(model, fn)))
        for cfg in fn.async_configs:
            if cfg.on_failure is not None and cfg.on_failure.known:
                items.append(("on-failure destination", cfg.resource, span_of(cfg.on_failure, cfg.span),
                              cfg.on_failure.label(), remove_invoke_config_fix(model, fn, cfg)))
        for what, resource, span, label, autofix in items:
            yield Finding(
                code="SQS002",
                message=(
                    f"{head}; its {what} ({label}) applies to asynchronous invocations only and never "
                    f"receives a message. {tail}"
                ),
                span=span,
                resource=resource,
                function=fn.id,
                related=[Related(x.span, x.resource, f"{fn.id} polls {x.source.label() if x.source else '?'}")
                         for x in triggers],
                path=[
                    node_label(model, q.id) if q is not None else qname,
                    trigger_step(t),
                    f"failure: back to {qname}",
                    f"{what} {label}: never used (async only)",
                    end,
                ],
                fix=f"Remove the {what} from {fn.id}; set a {_redrive_word(model)} on {qname} instead.",
                autofix=autofix,
            )


#: SQS's largest visibility timeout (12 hours)
MAX_VISIBILITY = 43200


def _visibility_fix(model: Model, q: Queue, need: int) -> Fix:
    """Raise the queue's visibility timeout to ``need`` where it is written as a literal."""
    name = setting(model, "VisibilityTimeout")
    if need > MAX_VISIBILITY:
        return Fix("", reason=f"{need} s is above the largest visibility timeout, {MAX_VISIBILITY} s")
    vis = q.visibility_timeout
    if vis.default:
        if q.origin != q.id or q.id.startswith("module."):
            return Fix("", reason=f"{q.id} is declared by {q.origin}; set {name} there")
        return add_setting(q.span, name, str(need), f"Set {name} of {q.id} to {need}")
    return set_number(vis.span, (name,), vis.value, need,  # type: ignore[arg-type]
                      f"Set {name} of {q.id} to {need}")


# --------------------------------------------------------------------------------------------- SQS003


@rule("SQS003", "visibility-timeout-below-function-timeout", "error",
      "The queue's visibility timeout is shorter than the function timeout.")
def visibility_below_timeout(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Compares the `VisibilityTimeout` of a queue (default 30 s) with the `Timeout` of each function it
    triggers (default 3 s) and reports a visibility timeout shorter than the function timeout.

    ## Why is this bad?
    Lambda checks that the function timeout does not exceed the queue's visibility timeout when the event
    source mapping is created or updated, and refuses the mapping otherwise: the deploy fails. When the
    function timeout is raised later, the mapping stays, and a message whose invocation runs longer than
    the visibility timeout becomes visible again while it is still being processed: a second invocation
    receives it and both process it at the same time.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → invocation may run 5 min →
    visible again after 30 s → processed twice at once`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue        # VisibilityTimeout defaults to 30 s
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 300
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      timeout       = 300
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          VisibilityTimeout: 1800    # 6 x 300 s
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 300
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      visibility_timeout_seconds = 1800
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      timeout       = 300
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    Safe: `invlint check --fix` raises the queue's `VisibilityTimeout` to six times the function timeout plus
    the batching window (at most 43200 s), in the literal written there or as a new property when the queue
    does not set one. None is offered where the value comes from a parameter, a function or an expression
    (change it where it is set), in a template synthesized by CDK, or for a resource inside a Terraform
    module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    """
    for q, fn, t in _pairs(model):
        vis, timeout = value_of(q.visibility_timeout), value_of(fn.timeout)
        if vis is None or timeout is None or vis >= timeout:
            continue
        dflt = " (the default)" if q.visibility_timeout.default else ""
        yield Finding(
            code="SQS003",
            message=(
                f"{q.id} hides a received message for {duration(vis)}{dflt}, less than the timeout of "
                f"{fn.id}, {duration(timeout)}. Lambda refuses to create the event source mapping, so the deploy fails; "
                f"where the mapping already exists, a message still being processed after {duration(vis)} "
                "becomes visible again and a second invocation processes it at the same time."
            ),
            span=span_of(q.visibility_timeout, q.span),
            resource=q.origin,
            function=fn.id,
            related=related(span_of(fn.timeout, fn.span), fn.origin,
                            f"{fn.id} {setting(model, 'Timeout')} {duration(timeout)}"),
            path=[
                node_label(model, q.id),
                trigger_step(t),
                f"invocation may run {duration(timeout)}",
                f"visible again after {duration(vis)}",
                "processed twice at once",
            ],
            fix=f"Set {setting_of(model, 'VisibilityTimeout', q.id, q.visibility_timeout)} to at least {timeout} s "
                f"(AWS recommends 6 x the function timeout: {6 * timeout} s).",
            autofix=_visibility_fix(model, q, min(6 * timeout + (value_of(t.batching_window) or 0), MAX_VISIBILITY)),
        )


# --------------------------------------------------------------------------------------------- SQS004


@rule("SQS004", "visibility-timeout-below-recommended", "warning",
      "The queue's visibility timeout is below 6 x the function timeout plus the batching window.",
      options={"visibility-factor": 6},
      option_schema={"visibility-factor": {"type": "number", "exclusiveMinimum": 0}})
def visibility_below_recommended(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Reports a queue whose `VisibilityTimeout` is at least the function timeout (else see SQS003) but below
    AWS's recommendation: 6 × the function `Timeout` + the mapping's `MaximumBatchingWindowInSeconds`.
    The factor is the option `visibility-factor` (default 6).

    ## Why is this bad?
    A batch's messages stay hidden for the visibility timeout from the moment Lambda receives them, and
    that clock starts while the batching window is still collecting messages. When the function is
    throttled, Lambda keeps retrying the batch inside that time. With too little headroom, the messages
    become visible again while they are still waiting or running: they are received a second time (their
    receive count grows toward `maxReceiveCount`) and may be processed twice.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → throttled: Lambda retries the batch →
    visible again after 60 s (< 180 s) → received again while in flight`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          VisibilityTimeout: 60      # above 30 s, below 6 x 30 s
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 30
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      visibility_timeout_seconds = 60
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      timeout       = 30
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same template with `VisibilityTimeout: 180` (6 x 30 s + batching window 0 s).
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          VisibilityTimeout: 180
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 30
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      visibility_timeout_seconds = 180
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      timeout       = 30
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    Safe: `invlint check --fix` raises the queue's `VisibilityTimeout` to the recommended value (at most 43200
    s), in the literal written there or as a new property when the queue does not set one. None is offered
    where the value comes from a parameter, a function or an expression (change it where it is set), in a
    template synthesized by CDK, or for a resource inside a Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
    """
    factor = ctx.option("visibility-factor", 6)
    for q, fn, t in _pairs(model):
        vis, timeout, window = value_of(q.visibility_timeout), value_of(fn.timeout), value_of(t.batching_window)
        if vis is None or timeout is None or window is None or vis < timeout:
            continue
        need = factor * timeout + window
        if vis >= need:
            continue
        formula = f"{factor} x {duration(timeout)} (function timeout)"
        if window:
            formula += f" + {duration(window)} (batching window)"
        dflt = " (the default)" if q.visibility_timeout.default else ""
        rel = related(span_of(fn.timeout, fn.span), fn.origin, f"{fn.id} {setting(model, 'Timeout')} {duration(timeout)}")
        if window and not t.batching_window.default:
            rel += related(t.batching_window.span, t.resource, f"batching window {duration(window)}")
        yield Finding(
            code="SQS004",
            message=(
                f"The {setting(model, 'VisibilityTimeout')} of {q.id}, {duration(vis)}{dflt}, is below the "
                f"recommended {formula} = "
                f"{duration(need)}. When {fn.id} is throttled, Lambda retries the batch while its messages "
                f"stay hidden; after {duration(vis)} they become visible again while still in flight, are "
                "received again (counting toward maxReceiveCount) and may be processed twice."
            ),
            span=span_of(q.visibility_timeout, q.span),
            resource=q.origin,
            function=fn.id,
            related=rel,
            path=[
                node_label(model, q.id),
                trigger_step(t),
                "throttled: Lambda retries the batch",
                f"visible again after {duration(vis)} (< {duration(need)})",
                "received again while in flight",
            ],
            fix=f"Set {setting_of(model, 'VisibilityTimeout', q.id, q.visibility_timeout)} to at least {need} s.",
            autofix=_visibility_fix(model, q, need),
        )


# --------------------------------------------------------------------------------------------- SQS005


@rule("SQS005", "max-receive-count-too-low", "warning",
      "The redrive maxReceiveCount of a queue that triggers a function is below 5.",
      options={"min-receive-count": 5},
      option_schema={"min-receive-count": {"type": "integer", "minimum": 1, "maximum": 1000}})
def max_receive_count_too_low(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Reports a queue that triggers a function and whose redrive policy has a `maxReceiveCount` below 5
    (option `min-receive-count`).

    ## Why is this bad?
    Every receive counts toward `maxReceiveCount`, including receives whose batch was throttled, timed out
    or failed because of another message in the same batch. With a low count a healthy message reaches the
    dead-letter queue after a few throttled attempts, without ever failing in the function's code, and
    waits there until someone redrives it. AWS recommends at least 5.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → throttled or failed receives count →
    after 1 receive: moved to OrdersDLQ`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 1
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 1
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same template with `maxReceiveCount: 5`.
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    Safe: `invlint check --fix` raises the literal `maxReceiveCount` of the redrive policy to the minimum
    (`min-receive-count`, 5 by default). None is offered where the value comes from a parameter, a function or
    an expression (change it where it is set), in a template synthesized by CDK, or for a resource inside a
    Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    - https://docs.aws.amazon.com/lambda/latest/operatorguide/sqs-retries.html
    """
    minimum = ctx.option("min-receive-count", 5)
    for qid, triggers in _queue_triggers(model).items():
        q = model.queues[qid]
        rd = _redrive(q)
        if rd is None:
            continue
        n = value_of(rd.max_receive_count)
        if n is None or n >= minimum:
            continue
        t = triggers[0]
        dlq = rd.target.label()
        yield Finding(
            code="SQS005",
            message=(
                f"{qid} moves a message to {dlq} after {plural(n, 'receive')} (maxReceiveCount {n}, below "
                f"{minimum}). Receives whose batch was throttled, timed out or failed on another message count "
                f"too, so healthy messages reach {dlq} without ever failing in {t.function}."
            ),
            span=span_of(rd.max_receive_count, rd.span or q.span),
            resource=rd.resource or q.origin,
            function=t.function,
            related=[Related(x.span, x.resource, f"{x.function} polls {qid} here") for x in triggers],
            path=[
                node_label(model, qid),
                trigger_step(t),
                "throttled or failed receives count",
                f"after {plural(n, 'receive')}: moved to {dlq}",
            ],
            fix=f"Raise maxReceiveCount in the {_redrive_word(model)} of {qid} to {minimum} or more.",
            autofix=set_number(rd.max_receive_count.span, ("maxReceiveCount",), n, minimum,
                               f"Set maxReceiveCount of {qid} to {minimum}"),
        )


# --------------------------------------------------------------------------------------------- SQS006


@rule("SQS006", "dead-letter-queue-type-mismatch", "error",
      "A FIFO queue's dead-letter queue is a standard queue, or the reverse.")
def dlq_type_mismatch(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Compares the type of each queue with the type of its dead-letter queue: a FIFO queue needs a FIFO
    dead-letter queue and a standard queue a standard one.

    ## Why is this bad?
    SQS accepts a dead-letter queue of the same type as the source queue only. Setting the redrive policy
    fails, so the stack does not deploy; until it is fixed, no failing message is moved anywhere.

    ## Failure path
    `OrdersQueue (SQS FIFO) → redrive after 5 receives → OrdersDLQ (SQS): standard queue →
    redrive policy rejected`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue      # a standard queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          FifoQueue: true
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      fifo_queue = true
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same template with `FifoQueue: true` on `OrdersDLQ`.
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          FifoQueue: true
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          FifoQueue: true
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      fifo_queue                = true
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      fifo_queue = true
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
    """
    for q in model.queues.values():
        rd = _redrive(q)
        if rd is None or not q.fifo.known:
            continue
        dlq_fifo = is_fifo(model, rd.target)
        if dlq_fifo is None or dlq_fifo == bool(q.fifo.value):
            continue
        kind = "a FIFO" if q.fifo.value else "a standard"
        other = "a FIFO queue" if dlq_fifo else "a standard queue"
        dlq = target_label(model, rd.target)
        n = value_of(rd.max_receive_count)
        rel: list[Related] = []
        if rd.target.node in model.queues:
            dq = model.queues[rd.target.node]
            rel = related(span_of(dq.fifo, dq.span), dq.origin, f"{dq.id} is {other}")
        yield Finding(
            code="SQS006",
            message=(
                f"{q.id} is {kind} queue but its dead-letter queue {rd.target.label()} is {other}. SQS accepts "
                "only a dead-letter queue of the same type, so the redrive policy is rejected and the deploy "
                "fails; no failing message is ever moved."
            ),
            span=span_of(rd.target, rd.span or q.span),
            resource=rd.resource or q.origin,
            function=None,
            related=rel,
            path=[
                node_label(model, q.id),
                f"redrive after {plural(n, 'receive')}" if n is not None else "redrive",
                f"{dlq}: {other.removeprefix('a ')}",
                "redrive policy rejected",
            ],
            fix=f"Make {rd.target.label()} {kind.removeprefix('a ')} queue like {q.id}, or point the redrive "
                f"policy at one.",
        )


# --------------------------------------------------------------------------------------------- SQS007


@rule("SQS007", "dead-letter-retention-too-short", "warning",
      "A standard queue's dead-letter queue keeps messages no longer than the queue itself.")
def dlq_retention_too_short(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Compares the `MessageRetentionPeriod` (default 345600 s, 4 days) of a standard queue with that of its
    dead-letter queue and reports a dead-letter queue that keeps messages no longer than the source queue.

    ## Why is this bad?
    For standard queues a message's expiry counts from its *original* enqueue time, and moving it to the
    dead-letter queue does not reset it. A message that spent 3 of the source queue's 4 days failing is
    deleted from a 4-day dead-letter queue one day after it arrives there; one that spent 4 days is deleted
    at once. The dead-letter queue is where failures are investigated and redriven: it must keep them longer
    than the source queue does. (FIFO queues reset the enqueue time on the move and are not reported.)

    ## Failure path
    `OrdersQueue (SQS) → failed 5 times: moved to OrdersDLQ → enqueue time kept →
    OrdersDLQ deletes it 4 days after it was first sent`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue      # default retention: 4 days, as the source's
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {}

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same template with `MessageRetentionPeriod: 1209600` (14 days, the maximum) on `OrdersDLQ`.
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    """
    for q in model.queues.values():
        rd = _redrive(q)
        if rd is None or value_of(q.fifo) is not False or rd.target.node not in model.queues:
            continue
        dq = model.queues[rd.target.node]
        if value_of(dq.fifo) is not False:
            continue
        src_ret, dlq_ret = value_of(q.retention), value_of(dq.retention)
        if src_ret is None or dlq_ret is None or dlq_ret > src_ret:
            continue
        n = value_of(rd.max_receive_count)
        same = "the same as" if dlq_ret == src_ret else "shorter than"
        yield Finding(
            code="SQS007",
            message=(
                f"{dq.id} keeps messages for {duration(dlq_ret)}, {same} {q.id} ({duration(src_ret)}). Expiry "
                f"counts from the time a message was first sent to {q.id}, so a message that spent "
                f"{duration(dlq_ret)} or more failing there is deleted as soon as it reaches {dq.id}, and any "
                f"other is deleted {duration(dlq_ret)} after it was first sent."
            ),
            span=span_of(dq.retention, dq.span),
            resource=dq.origin,
            function=None,
            related=related(span_of(q.retention, q.span), q.origin,
                            f"{q.id} {setting(model, 'MessageRetentionPeriod')} {duration(src_ret)}"),
            path=[
                node_label(model, q.id),
                f"failed {plural(n, 'time')}: moved to {dq.id}" if n is not None else f"moved to {dq.id}",
                "enqueue time kept",
                f"{dq.id} deletes it {duration(dlq_ret)} after it was first sent",
            ],
            fix=f"Set {setting_of(model, 'MessageRetentionPeriod', dq.id, dq.retention)} above {src_ret} s (1209600, 14 days, "
                "is the maximum).",
        )


# --------------------------------------------------------------------------------------------- SQS008


def _batching_finding(t: Trigger, qlabel: str, message: str, span: Span | None, step: str, fix: str) -> Finding:
    return Finding(
        code="SQS008", message=message, span=span, resource=t.resource, function=t.function,
        path=[qlabel, trigger_step(t), step, "mapping rejected: deploy fails"], fix=fix,
    )


@rule("SQS008", "sqs-batching-invalid", "error",
      "An SQS mapping's batch size or batching window is not allowed for its queue type.")
def sqs_batching_invalid(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Checks the `BatchSize` and `MaximumBatchingWindowInSeconds` of SQS event source mappings against what
    Lambda accepts:
    - standard queue: `BatchSize` up to 10,000, and above 10 only with a batching window of at least 1 s;
    - FIFO queue: `BatchSize` up to 10, and no batching window.

    A `BatchSize` above 10 without a batching window is refused whatever the queue's type, so it is
    reported even for a queue defined outside the template.

    ## Why is this bad?
    Lambda rejects the event source mapping: the deploy fails, and the queue is not consumed until the
    template is fixed.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 100] → no batching window → mapping rejected`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                BatchSize: 100
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      batch_size       = 100
    }
    ```

    ## Use instead
    The same template with `MaximumBatchingWindowInSeconds: 5` next to `BatchSize: 100`.
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                BatchSize: 100
                MaximumBatchingWindowInSeconds: 5
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      batch_size       = 100
      maximum_batching_window_in_seconds = 5
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
    """
    bs, bw = setting(model, "BatchSize"), setting(model, "MaximumBatchingWindowInSeconds")
    for t in sqs_triggers(model):
        fifo = is_fifo(model, t.source)
        size_v = batch_size(t)
        size, window = value_of(size_v), value_of(t.batching_window)
        qname = t.source.label() if t.source is not None else "the queue"
        qlabel = node_label(model, t.source.node) if t.source is not None and t.source.node else qname
        size_span = span_of(size_v, t.span)

        if fifo is True:
            if size is not None and size > UNWINDOWED_MAX_BATCH:
                yield _batching_finding(
                    t, qlabel,
                    f"{bs} {size} for FIFO queue {qname}: Lambda allows at most 10 for FIFO queues and "
                    "rejects the event source mapping, so the deploy fails.",
                    size_span, f"batch {size} > 10 (FIFO)", f"Set {bs} to 10 or less.")
            if window and not t.batching_window.default:
                yield _batching_finding(
                    t, qlabel,
                    f"{bw} {window} for FIFO queue {qname}: batching windows are not "
                    "supported for FIFO queues; Lambda rejects the event source mapping, so the deploy fails.",
                    span_of(t.batching_window, t.span), "batching window on FIFO",
                    f"Remove {bw}.")
            continue
        if size is None:
            continue
        if size > STANDARD_MAX_BATCH:
            yield _batching_finding(
                t, qlabel,
                f"{bs} {size} for {qname}: Lambda allows at most 10000 for a standard queue (10 for FIFO) "
                "and rejects the event source mapping, so the deploy fails.",
                size_span, f"batch {size} > 10000", f"Set {bs} to 10000 or less.")
        elif size > UNWINDOWED_MAX_BATCH and window is not None and window < 1:
            extra = "" if fifo is False else " (and a FIFO queue allows at most 10)"
            yield _batching_finding(
                t, qlabel,
                f"{bs} {size} for {qname} without {bw}: a batch size above 10 "
                f"needs a batching window of at least 1 s{extra}; Lambda rejects the event source mapping, so "
                "the deploy fails.",
                size_span, f"batch {size} > 10, no batching window",
                f"Set {bw} to 1 or more, or {bs} to 10 or less.")


# --------------------------------------------------------------------------------------------- SQS009


@rule("SQS009", "sqs-consumer-throttled", "warning",
      "An SQS-triggered function's reserved concurrency throttles the queue's poller.")
def sqs_consumer_throttled(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Reports a function triggered by SQS whose `ReservedConcurrentExecutions` is below 5, and an SQS mapping
    whose `ScalingConfig.MaximumConcurrency` exceeds the function's reserved concurrency.

    ## Why is this bad?
    Lambda's SQS poller starts with five concurrent batches and scales up from there; it does not look at
    the function's reserved concurrency. Invocations beyond the reserved concurrency are throttled, and a
    throttled batch goes back to the queue: its messages become visible again after the visibility timeout
    with a higher receive count. Healthy messages reach the dead-letter queue (or expire) without ever
    failing in the function. `MaximumConcurrency` on the mapping is the setting that limits the poller
    itself; it must not exceed the reserved concurrency.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → 5 concurrent batches, reserved concurrency 2 →
    throttled: visible again, receive count + 1 → moved to OrdersDLQ after 5 receives`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          ReservedConcurrentExecutions: 2
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      reserved_concurrent_executions = 2
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          ReservedConcurrentExecutions: 10
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                ScalingConfig:
                  MaximumConcurrency: 10
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      reserved_concurrent_executions = 10
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      scaling_config {
        maximum_concurrency = 10
      }
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    """
    by_function: dict[str, list[Trigger]] = {}
    for t in sqs_triggers(model):
        if t.function in model.functions:
            by_function.setdefault(t.function, []).append(t)
    for fid, triggers in by_function.items():
        fn = model.functions[fid]
        rc = value_of(fn.reserved_concurrency)
        if rc is None:
            continue
        t = triggers[0]
        q = queue_of(model, t)
        qname = t.source.label() if t.source is not None else "the queue"
        end = _end_of_retries(model, q) if q is not None else "moved to its dead-letter queue, or expires"
        # the poller is bounded below the reservation on every mapping: nothing is throttled by it
        capped = all(
            value_of(x.maximum_concurrency) is not None and value_of(x.maximum_concurrency) <= rc
            for x in triggers
        )
        if rc < POLLER_START_CONCURRENCY and not capped:
            what = ("never runs: every batch is throttled" if rc == 0
                    else f"runs at most {rc} at a time, while Lambda's SQS poller starts with "
                         f"{POLLER_START_CONCURRENCY} concurrent batches and scales up; the others are throttled")
            yield Finding(
                code="SQS009",
                message=(
                    f"{fid} has {setting(model, 'ReservedConcurrentExecutions')} {rc}, so it {what}. A throttled batch goes back to "
                    f"{qname} with its receive count raised: healthy messages are {end} without ever failing."
                ),
                span=span_of(fn.reserved_concurrency, fn.span),
                resource=fn.origin,
                function=fid,
                related=[Related(x.span, x.resource, f"{fid} polls {x.source.label() if x.source else '?'}")
                         for x in triggers],
                path=[
                    node_label(model, q.id) if q is not None else qname,
                    trigger_step(t),
                    f"{POLLER_START_CONCURRENCY}+ concurrent batches, reserved concurrency {rc}",
                    "throttled: visible again, receive count + 1",
                    end,
                ],
                fix=f"Raise the reserved concurrency of {fid} to at least {POLLER_START_CONCURRENCY}, and cap the "
                    f"poller with {setting(model, 'ScalingConfig.MaximumConcurrency')} at or below it.",
            )
        for x in triggers:
            mc = value_of(x.maximum_concurrency)
            if mc is None or mc <= rc:
                continue
            xq = queue_of(model, x)
            xname = x.source.label() if x.source is not None else "the queue"
            xend = _end_of_retries(model, xq) if xq is not None else "moved to its dead-letter queue, or expires"
            yield Finding(
                code="SQS009",
                message=(
                    f"The mapping lets {xname} invoke {fid} {mc} times at once ({setting(model, 'ScalingConfig.MaximumConcurrency')} "
                    f"{mc}), but the reserved concurrency of {fid} is {rc}: up to {mc - rc} concurrent batches are "
                    f"throttled and go back to {xname} with their receive count raised; healthy messages are "
                    f"{xend} without ever failing."
                ),
                span=span_of(x.maximum_concurrency, x.span),
                resource=x.resource,
                function=fid,
                related=related(span_of(fn.reserved_concurrency, fn.span), fn.origin,
                                f"{fid} {setting(model, 'ReservedConcurrentExecutions')} {rc}"),
                path=[
                    node_label(model, xq.id) if xq is not None else xname,
                    trigger_step(x),
                    f"{mc} concurrent batches, reserved concurrency {rc}",
                    "throttled: visible again, receive count + 1",
                    xend,
                ],
                fix=f"Set {setting(model, 'ScalingConfig.MaximumConcurrency')} to {rc} or less, or raise the reserved concurrency of {fid} to {mc}.",
            )


# --------------------------------------------------------------------------------------------- SQS010


@rule("SQS010", "sqs-mapping-destination-unsupported", "error",
      "An SQS event source mapping sets DestinationConfig, which only stream and Kafka mappings support.")
def sqs_mapping_destination(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Reports an `AWS::Lambda::EventSourceMapping` (or Terraform `aws_lambda_event_source_mapping`) reading an
    SQS queue that sets `DestinationConfig`.

    ## Why is this bad?
    On-failure destinations on event source mappings exist for Kinesis, DynamoDB streams and Kafka
    (Amazon MSK, self-managed Kafka) only. Lambda rejects an SQS mapping with a `DestinationConfig`, so the
    deploy fails. For SQS, failed messages are kept by the source queue's redrive policy.

    ## Failure path
    `OrdersQueue (SQS) → OrdersMapping [poll, batch 10] → DestinationConfig on an SQS mapping →
    mapping rejected: deploy fails`

    ## Example
    ```yaml
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: arn:aws:iam::123456789012:role/process-orders
          Code: {ZipFile: "def handler(event, context): pass"}
      OrdersMapping:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          EventSourceArn: !GetAtt OrdersQueue.Arn
          FunctionName: !Ref ProcessOrders
          DestinationConfig:         # not supported for SQS sources
            OnFailure:
              Destination: !GetAtt OrdersDLQ.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      destination_config {
        on_failure {
          destination_arn = aws_sqs_queue.orders_dlq.arn
        }
      }
    }
    ```

    ## Use instead
    The same template without `DestinationConfig`: the queue's `RedrivePolicy` keeps failed messages.
    ```yaml
    Resources:
      OrdersDLQ:
        Type: AWS::SQS::Queue
        Properties:
          MessageRetentionPeriod: 1209600
      OrdersQueue:
        Type: AWS::SQS::Queue
        Properties:
          RedrivePolicy:
            deadLetterTargetArn: !GetAtt OrdersDLQ.Arn
            maxReceiveCount: 5
      ProcessOrders:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: arn:aws:iam::123456789012:role/process-orders
          Code: {ZipFile: "def handler(event, context): pass"}
      OrdersMapping:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          EventSourceArn: !GetAtt OrdersQueue.Arn
          FunctionName: !Ref ProcessOrders
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    Safe: `invlint check --fix` removes `DestinationConfig` from the mapping; the deploy fails while it is
    there. None is offered where the value comes from a parameter, a function or an expression (change it
    where it is set), in a template synthesized by CDK, or for a resource inside a Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventsourcemapping-onfailure.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    """
    for t in sqs_triggers(model):
        if t.destination_config is None:
            continue
        qname = t.source.label() if t.source is not None else "the queue"
        qlabel = node_label(model, t.source.node) if t.source is not None and t.source.node else qname
        yield Finding(
            code="SQS010",
            message=(
                f"{t.resource} reads SQS queue {qname} and sets {setting(model, 'DestinationConfig')}: Lambda supports destinations "
                "on event source mappings for Kinesis, DynamoDB streams and Kafka only and rejects this mapping, "
                f"so the deploy fails. Failed SQS messages are kept by the redrive policy of {qname} instead."
            ),
            span=t.destination_config,
            resource=t.resource,
            function=t.function,
            related=[],
            path=[qlabel, trigger_step(t), f"{setting(model, 'DestinationConfig')} on an SQS mapping", "mapping rejected: deploy fails"],
            fix=f"Remove {setting(model, 'DestinationConfig')}; give {qname} a {_redrive_word(model)} instead.",
            autofix=_remove_destination_fix(model, t),
        )


def _remove_destination_fix(model: Model, t: Trigger) -> Fix:
    name = setting(model, "DestinationConfig")
    elsewhere = generated(model, t.resource, name)
    if elsewhere is not None:
        return elsewhere
    return remove_setting(t.destination_config, name, f"Remove {name} from {t.resource}")
