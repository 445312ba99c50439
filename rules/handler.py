"""HANDLER: the handler code read together with the triggers that invoke it.

The same handler means different things to different callers: API Gateway reads ``statusCode`` and ``body``;
SQS and streams only see *raised or not* (and ``batchItemFailures`` when ``ReportBatchItemFailures`` is on);
asynchronous callers see nothing but an error. These rules combine the facts the handlers stage found in the
code (``model.handler_facts``) with the Model's triggers. A function without facts (code not located, runtime
not analysed) or without a known trigger gets no finding.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence

from invocation_lint.fixes import Fix, add_setting, generated, set_empty_list, string_list
from invocation_lint.handlers.facts import HandlerFacts
from invocation_lint.model import Function, Model, Trigger
from invocation_lint.registry import Context, Finding, Related, rule
from invocation_lint.source import Span

from ._common import (
    batch_size,
    is_fifo,
    node_label,
    per_model,
    setting,
    target_label,
    trigger_step,
    value_of,
    wording,
)

NON_HTTP = ("poll-sqs", "poll-stream", "async")
POLL = ("poll-sqs", "poll-stream")

_CALLER = {"sqs": "SQS", "kinesis": "Kinesis", "dynamodb": "DynamoDB Streams", "sns": "SNS", "s3": "S3",
           "eventbridge": "EventBridge", "events": "EventBridge", "schedule": "an EventBridge schedule",
           "scheduler": "EventBridge Scheduler", "logs": "CloudWatch Logs", "iot": "an IoT topic rule",
           "iot-authorizer": "an IoT custom authorizer", "ses": "SES", "lambda": "an asynchronous invoke",
           "apigateway": "API Gateway", "apigatewayv2": "the HTTP API", "alb": "the load balancer",
           "url": "the function URL", "cloudfront": "CloudFront", "cognito": "Cognito", "lex": "Amazon Lex",
           "connect": "Amazon Connect", "alexa": "Alexa", "stepfunctions": "Step Functions",
           "appsync": "AppSync", "s3-object-lambda": "S3 Object Lambda", "pipes": "EventBridge Pipes",
           "pipes-enrichment": "an EventBridge Pipes enrichment", "config": "AWS Config",
           "codecommit": "CodeCommit", "codepipeline": "CodePipeline",
           "cloudformation": "a CloudFormation custom resource", "secretsmanager": "Secrets Manager",
           "firehose": "Kinesis Data Firehose", "kafka": "Kafka", "mq": "Amazon MQ",
           "docdb": "DocumentDB change streams"}


# --------------------------------------------------------------------------------------------- helpers


@per_model
def _functions(model: Model) -> tuple[tuple[Function, HandlerFacts, tuple[Trigger, ...]], ...]:
    """Functions with analysed handler code and at least one known trigger, in template order."""
    out = []
    for fid, fn in model.functions.items():
        facts = model.handler_facts.get(fid)
        if not isinstance(facts, HandlerFacts) or not facts.analysed:
            continue
        triggers = model.triggers_of(fid)
        if triggers:
            out.append((fn, facts, tuple(triggers)))
    return tuple(out)


def _with_calls(check: Callable[[Model, Context], Iterable[Finding]]) -> Callable[[Model, Context], Iterable[Finding]]:
    """A finding in a helper module the handler calls into (followed a few calls deep) names, as related, the
    handler's own call that leads there."""

    @functools.wraps(check)
    def run(model: Model, ctx: Context) -> Iterator[Finding]:
        for f in check(model, ctx):
            facts = model.handler_facts.get(f.function or "")
            file = f.span.file if f.span is not None else ""
            via = facts.called_from.get(file) if isinstance(facts, HandlerFacts) else None
            if via is not None:
                f.related.insert(0, Related(via, f.resource, f"the handler calls into {file} here"))
            yield f

    return run


def _caller(t: Trigger) -> str:
    return _CALLER.get(t.service, t.service)


def _source(model: Model, t: Trigger) -> str:
    return target_label(model, t.source) if t.source is not None and t.source.known else _caller(t)


def _trigger_related(model: Model, triggers: Iterable[Trigger]) -> list[Related]:
    out: list[Related] = []
    for t in triggers:
        src = f" from {target_label(model, t.source)}" if t.source is not None and t.source.known else ""
        out.append(Related(t.span, t.resource, f"{t.function} is invoked by {_caller(t)}{src} ({t.mode}) here"))
    return out


def _mapping(t: Trigger) -> str:
    """``the SQS event Orders of ProcessOrders`` (SAM) or ``the event source mapping OrdersMapping``."""
    if t.event_name:
        return f"the {_caller(t)} event {t.event_name} of {t.function}"
    return f"the {_caller(t)} event source mapping {t.resource}"


def _consequence(model: Model, t: Trigger) -> str:
    """What a handler that *returns* (does not raise) means to this caller."""
    if t.mode == "poll-sqs":
        size = value_of(batch_size(t))
        batch = f"the batch (up to {size} messages)" if size else "the batch"
        return f"{_source(model, t)} counts {batch} as processed and deletes it"
    if t.mode == "poll-stream":
        return f"Lambda counts the batch from {_source(model, t)} as processed and moves the shard on past it"
    return (f"the {_caller(t)} event counts as delivered: Lambda neither retries it nor sends it to a "
            "dead-letter queue or on-failure destination")


def _codes(facts: HandlerFacts) -> list[int | None]:
    return [c for r in facts.status_returns for c in r.status_codes]


# ------------------------------------------------------------------------------------------ HANDLER001


@rule("HANDLER001", "status-code-returned-to-non-http-caller", "error",
      "A handler invoked by SQS, a stream or an async caller returns an HTTP response that nobody reads.",
      needs_handlers=True)
@_with_calls
def status_code_to_non_http(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds handlers that return an HTTP-shaped response (a dict or object with `statusCode`) while an SQS queue,
    a Kinesis or DynamoDB stream, or an asynchronous caller (SNS, S3, EventBridge, ...) invokes them.

    ## Why is this bad?
    Only API Gateway, load balancers and function URLs read `statusCode`. For every other caller the function
    either raised or it did not. A handler that catches an error and returns `{"statusCode": 500}` has *not*
    raised: Lambda counts the invocation as a success. An SQS batch is deleted, a stream batch is checkpointed,
    an asynchronous event is neither retried nor sent to the dead-letter queue. The failure is lost, and
    nothing in the metrics shows it (the function reports no errors).

    When every returned status code is a literal 2xx no failure is hidden today. For an SQS queue the finding
    is then a warning: a status code returned to SQS is the habit that later turns into a `statusCode: 500`
    that deletes the batch. For a stream or an asynchronous caller it is `info`: the value is ignored, and
    nothing is lost.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → handler returns statusCode 500 → success →
    batch deleted`

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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        for record in event["Records"]:
            if not save(record):
                return {"statusCode": 500}  # SQS reads no status: the batch is deleted
        return {"statusCode": 200}
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    ```python
    # file: src/app.py
    def handler(event, context):
        for record in event["Records"]:
            save(record)  # raises on failure: the messages come back
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
    """
    for fn, facts, triggers in _functions(model):
        callers = [t for t in triggers if t.mode in NON_HTTP]
        status = facts.status_returns
        if not callers or not status:
            continue
        codes = _codes(facts)
        all_2xx = bool(codes) and all(c is not None and 200 <= c < 300 for c in codes)
        bad = next((r for r in status if any(c is None or not 200 <= c < 300 for c in r.status_codes)), status[0])
        code_text = ", ".join(str(c) if c is not None else "?" for c in dict.fromkeys(codes)) or "?"
        t = callers[0]
        failing = [c for c in codes if c is not None and c >= 400]
        if failing:
            what = f"a returned {failing[0]} is a success: {_consequence(model, t)}, and the failure is lost"
        elif all_2xx:
            what = f"the value is ignored; {_consequence(model, t)} whatever the response says"
        else:
            what = (f"the status code is ignored: whatever it is, {_consequence(model, t)}; a failure "
                    "reported this way is lost")
        message = (f"{fn.id} returns an HTTP response (statusCode {code_text}) but is invoked by "
                   f"{_caller(t)}, which never reads it: {what}.")
        yield Finding(
            code="HANDLER001",
            severity=("warning" if any(c.mode == "poll-sqs" for c in callers) else "info") if all_2xx else "error",
            message=message,
            span=bad.span,
            resource=fn.origin,
            function=fn.id,
            related=[Related(r.span, fn.origin, "returns statusCode here") for r in status if r is not bad]
            + _trigger_related(model, callers),
            path=[_source_step(model, t), trigger_step(t), f"handler returns statusCode {code_text}",
                  "counted as success", _end(t)],
            fix="Raise the exception (or report batchItemFailures) instead of returning a status code.",
        )


def _source_step(model: Model, t: Trigger) -> str:
    if t.source is not None and t.source.node:
        return node_label(model, t.source.node)
    return _caller(t)


def _end(t: Trigger) -> str:
    if t.mode == "poll-sqs":
        return "messages deleted"
    if t.mode == "poll-stream":
        return "records skipped"
    return "event dropped, no retry"


# ------------------------------------------------------------------------------------------ HANDLER002


@rule("HANDLER002", "exception-swallowed", "warning",
      "A broad except/catch in a non-HTTP handler neither re-raises nor reports the failed item.",
      needs_handlers=True)
@_with_calls
def exception_swallowed(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds broad exception handlers (bare `except:`, `except Exception`, `except BaseException`,
    `contextlib.suppress(Exception)`, and every JavaScript/TypeScript `catch` block or `promise.catch(...)`
    callback) in handlers invoked by SQS, a stream or an asynchronous caller, when the
    block neither re-raises nor records the failed item (adds it to a list, builds an `itemIdentifier`, sets
    a flag). Returning `{"batchItemFailures": []}` from such a block counts as swallowing: it reports success.

    Narrow handlers (`except KeyError`) are not reported: they are deliberate. Nor is a block nested, at any
    depth, in an except/catch that has already reported the failure (added the item to a list, re-raised,
    passed the error to the callback). Helpers of the project's own modules that the handler hands the event
    or a record to are read too, a few calls deep: the finding is then at the helper's line.

    ## Why is this bad?
    For these callers the only failure signal is an error leaving the handler (or, with
    `ReportBatchItemFailures`, the failed item in `batchItemFailures`). A swallowed exception turns a failure
    into a success: the SQS message is deleted, the stream moves on, the asynchronous event is neither retried
    nor sent to its dead-letter queue or on-failure destination. Retries, redrive policies and DLQs configured
    for exactly this case never see it.

    ## Failure path
    `Uploads (S3) → ResizeImages [async] → except Exception: log → success → no retry, no DLQ`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      ResizeFailures:
        Type: AWS::SQS::Queue
      ResizeImages:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          EventInvokeConfig:
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt ResizeFailures.Arn
          Events:
            Upload:
              Type: S3
              Properties:
                Bucket: !Ref Uploads
                Events: s3:ObjectCreated:*
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        try:
            resize(event)
        except Exception as exc:
            print(f"failed: {exc}")
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

    resource "aws_s3_bucket" "uploads" {}

    resource "aws_sqs_queue" "resize_failures" {}

    resource "aws_lambda_function" "resize_images" {
      function_name = "resize-images"
      role          = "arn:aws:iam::123456789012:role/resize-images"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = data.archive_file.app.output_path
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
    ```

    ## Use instead
    ```python
    # file: src/app.py
    import logging

    logger = logging.getLogger()


    def handler(event, context):
        try:
            resize(event)
        except Exception:
            logger.exception("resize failed")
            raise
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html
    """
    for fn, facts, triggers in _functions(model):
        callers = [t for t in triggers if t.mode in NON_HTTP]
        if not callers:
            continue
        t = callers[0]
        for c in sorted(facts.catches, key=lambda c: (c.span.line, c.span.column)):
            if not c.swallows:
                continue
            how = ("returns an empty batchItemFailures list" if c.returns_empty_failures
                   else "returns a value" if c.returns_value else "carries on")
            helper = c.span.file.replace("\\", "/").rsplit("/", 1)[-1]
            where = (f"in {helper}, which {fn.id}'s handler calls," if c.span.file in facts.called_from
                     else f"in {fn.id}'s handler")
            message = (f"The {c.label} {where} catches every error and {how} without re-raising "
                       f"or reporting the failed item: {_consequence(model, t)}. The failure never reaches a "
                       "retry, redrive policy or dead-letter queue.")
            yield Finding(
                code="HANDLER002",
                message=message,
                span=c.span,
                resource=fn.origin,
                function=fn.id,
                related=_trigger_related(model, callers),
                path=[_source_step(model, t), trigger_step(t), f"{c.label}: error swallowed", "counted as success",
                      _end(t)],
                fix="Re-raise after logging, or add the failed item to batchItemFailures.",
            )


# ------------------------------------------------------------------------------------------ HANDLER003


@rule("HANDLER003", "batch-item-failures-ignored", "error",
      "The handler returns batchItemFailures but the mapping does not set ReportBatchItemFailures.",
      needs_handlers=True)
@_with_calls
def batch_item_failures_ignored(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds handlers that return a partial batch response (`batchItemFailures`, or a Powertools batch utility)
    for an SQS, Kinesis or DynamoDB stream mapping that does not set
    `FunctionResponseTypes: [ReportBatchItemFailures]`.

    ## Why is this bad?
    Without `ReportBatchItemFailures` Lambda does not read the response at all. The handler catches the
    failures of single records and returns normally, so Lambda sees a successful batch: every message is
    deleted from the queue (every record is checkpointed on the stream), including the ones the handler
    reported as failed. They are never retried and never reach the dead-letter queue.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → returns batchItemFailures → response ignored →
    whole batch deleted`

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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                save(record)
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same handler, and `FunctionResponseTypes: [ReportBatchItemFailures]` on the event:
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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                FunctionResponseTypes: [ReportBatchItemFailures]
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      function_response_types = ["ReportBatchItemFailures"]
    }
    ```

    ## Fix
    Safe: `invlint check --fix` adds `FunctionResponseTypes: [ReportBatchItemFailures]` to the mapping or the
    SAM event (or fills in an empty list written there). None is offered where the value comes from a
    parameter, a function or an expression (change it where it is set), in a template synthesized by CDK, or
    for a resource inside a Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
    """
    for fn, facts, triggers in _functions(model):
        if not facts.reports_batch_failures or not facts.may_report_failed_items:
            continue
        where = facts.batch_failures_span or facts.powertools_batch
        for t in triggers:
            if t.mode not in POLL or not t.report_batch_item_failures.known or t.report_batch_item_failures.value:
                continue
            what = "messages" if t.mode == "poll-sqs" else "records"
            gone = "deleted from the queue" if t.mode == "poll-sqs" else "checkpointed and skipped"
            message = (f"{fn.id} reports failed items in batchItemFailures, but {_mapping(t)} does not set "
                       f"{wording(model, 'FunctionResponseTypes: [ReportBatchItemFailures]')}: Lambda "
                       f"ignores the response, the invocation succeeds, and every {what[:-1]} of the batch is "
                       f"{gone}, the failed {what} included. They are never retried.")
            yield Finding(
                code="HANDLER003",
                message=message,
                span=where,
                resource=t.resource,
                function=fn.id,
                related=_trigger_related(model, [t]),
                path=[_source_step(model, t), trigger_step(t), "returns batchItemFailures", "response ignored",
                      f"whole batch {gone.split(' ')[0]}"],
                fix=wording(model, "Add FunctionResponseTypes: [ReportBatchItemFailures] to {mapping}.",
                            mapping=_mapping(t)),
                autofix=_report_failures_fix(model, t),
            )


def _report_failures_fix(model: Model, t: Trigger) -> Fix:
    """``FunctionResponseTypes: [ReportBatchItemFailures]`` added to the mapping (or the SAM event), or an
    empty list written there filled in."""
    name = setting(model, "FunctionResponseTypes")
    elsewhere = generated(model, t.resource, name)
    if elsewhere is not None:
        return elsewhere
    value = string_list(t.span.file, "ReportBatchItemFailures")
    description = f"Add {name} = {value} to {t.event_name or t.resource}"
    rbf = t.report_batch_item_failures
    if rbf.default:
        return add_setting(t.span, name, value, description)
    return set_empty_list(rbf.span, value, description)


# ------------------------------------------------------------------------------------------ HANDLER004


@rule("HANDLER004", "batch-item-failures-never-reported", "info",
      "ReportBatchItemFailures is on but the handler never returns batchItemFailures.", needs_handlers=True)
@_with_calls
def batch_item_failures_never_reported(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds SQS and stream mappings with `FunctionResponseTypes: [ReportBatchItemFailures]` whose handler never
    returns `batchItemFailures`. Powertools batch utilities (`process_partial_response`, `BatchProcessor`,
    `processPartialResponse`) count as returning it. Handlers whose return values cannot all be followed are
    not reported.

    ## Why is this bad?
    The setting promises partial batch responses that the code never sends. The only failure signal left is
    raising, which makes the whole batch visible again (or retries the whole stream batch), so messages that
    already succeeded are processed again. Either the handler is missing its reporting, or the setting is
    misleading readers about how failures are handled.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → one message fails → handler raises → all 10
    messages received again`

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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                FunctionResponseTypes: [ReportBatchItemFailures]
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        for record in event["Records"]:
            save(record)
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      function_response_types = ["ReportBatchItemFailures"]
    }
    ```

    ## Use instead
    ```python
    # file: src/app.py
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                save(record)
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
    """
    for fn, facts, triggers in _functions(model):
        if facts.reports_batch_failures or facts.opaque_returns or facts.wrapped:
            continue
        for t in triggers:
            if t.mode not in POLL or t.report_batch_item_failures.value is not True:
                continue
            again = "received again" if t.mode == "poll-sqs" else "retried"
            message = (f"{_mapping(t)[0].upper()}{_mapping(t)[1:]} sets ReportBatchItemFailures, but {fn.id}'s "
                       "handler never returns "
                       f"batchItemFailures: it can only fail the whole batch by raising, and then every record "
                       f"of the batch is {again}, the ones that succeeded included.")
            yield Finding(
                code="HANDLER004",
                message=message,
                span=t.report_batch_item_failures.span or t.span,
                resource=t.resource,
                function=fn.id,
                related=[Related(facts.span, fn.origin, "handler defined here")] if facts.span else [],
                path=[_source_step(model, t), trigger_step(t), "one record fails: handler raises",
                      f"whole batch {again}"],
                fix="Return {\"batchItemFailures\": [...]} with the failed items, or drop ReportBatchItemFailures.",
            )


# ------------------------------------------------------------------------------------------ HANDLER005


@rule("HANDLER005", "only-first-record-processed", "error",
      "The handler reads Records[0] and never iterates Records, while a batch can hold more records.",
      needs_handlers=True)
@_with_calls
def only_first_record(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds handlers that read `event["Records"][0]` (or `event.Records[0]`, `const [record] = event.Records`)
    and never iterate `Records`, while an SQS queue or stream invokes them with a batch size above 1
    (Lambda's default: 10 for SQS, 100 for Kinesis and DynamoDB streams).

    ## Why is this bad?
    Lambda delivers up to the batch size of records in one invocation. The handler processes the first and
    returns; Lambda counts the whole batch as processed. The other messages are deleted from the queue (the
    stream moves past the other records) without ever being processed, and no error shows it.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → reads Records[0] → success → 9 messages deleted
    unprocessed`

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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```
    ```python
    # file: src/app.py
    import json


    def handler(event, context):
        order = json.loads(event["Records"][0]["body"])
        save(order)
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    ```python
    # file: src/app.py
    import json


    def handler(event, context):
        for record in event["Records"]:
            save(json.loads(record["body"]))
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
    - https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
    """
    for fn, facts, triggers in _functions(model):
        if not facts.first_record_reads or facts.iterates_records or facts.powertools_batch:
            continue
        for t in triggers:
            if t.mode not in POLL:
                continue
            size = value_of(batch_size(t))
            if size is None or size <= 1:
                continue
            what = "messages" if t.mode == "poll-sqs" else "records"
            fate = "deleted from the queue" if t.mode == "poll-sqs" else "skipped by the stream"
            default = " (Lambda's default)" if batch_size(t).default else ""
            message = (f"{fn.id}'s handler processes only Records[0], but {_source(model, t)} delivers up to "
                       f"{size} {what} per invocation{default}: the other {size - 1} are {fate} unprocessed "
                       "when the handler returns.")
            yield Finding(
                code="HANDLER005",
                message=message,
                span=facts.first_record_reads[0],
                resource=fn.origin,
                function=fn.id,
                related=_trigger_related(model, [t]),
                path=[_source_step(model, t), trigger_step(t), "handler reads Records[0] only",
                      f"{size - 1} {what} {fate.split(' ')[0]} unprocessed"],
                fix=wording(model, "Loop over every record in Records (or set BatchSize: 1)."),
            )


# ------------------------------------------------------------------------------------------ HANDLER006


@rule("HANDLER006", "invalid-item-identifier", "error",
      "batchItemFailures uses an itemIdentifier other than the messageId / sequence number, or an empty one.",
      needs_handlers=True)
@_with_calls
def invalid_item_identifier(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds `itemIdentifier` values in a partial batch response that are built from something other than the
    record's `messageId` (SQS) or its sequence number (`kinesis.sequenceNumber`, `dynamodb.SequenceNumber`),
    or that are empty (`""`, `None`, `null`). Only mappings with `ReportBatchItemFailures` are checked, and only
    identifiers whose source can be seen.

    ## Why is this bad?
    Lambda matches each `itemIdentifier` against the batch. An empty or null identifier, or one that names no
    record of the batch (a receipt handle, the body, an event id), makes Lambda treat the whole batch as
    failed: every message comes back (every record is retried), including those that succeeded, and a poison
    message drags the whole batch into the dead-letter queue with it.

    ## Failure path
    `OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → itemIdentifier = receiptHandle → whole batch failed →
    10 messages received again`

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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                FunctionResponseTypes: [ReportBatchItemFailures]
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                save(record)
            except Exception:
                failures.append({"itemIdentifier": record["receiptHandle"]})
        return {"batchItemFailures": failures}
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      function_response_types = ["ReportBatchItemFailures"]
    }
    ```

    ## Use instead
    ```python
    # file: src/app.py
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                save(record)
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
    """
    for fn, facts, triggers in _functions(model):
        reporting = [t for t in triggers if t.mode in POLL and t.report_batch_item_failures.value is True]
        if not reporting or not facts.item_ids:
            continue
        for item in facts.item_ids:
            for t in reporting:
                want = "messageId" if t.mode == "poll-sqs" else "sequenceNumber"
                if item.source in ("unknown", want):
                    continue
                wanted = ("the record's messageId" if t.mode == "poll-sqs" else
                          "the record's dynamodb.SequenceNumber" if t.service == "dynamodb" else
                          "the record's kinesis.sequenceNumber")
                built = "is empty" if item.source == "empty" else f"is built from {item.text}"
                message = (f"The itemIdentifier in {fn.id}'s batch response {built}, but {_caller(t)} expects "
                           f"{wanted}: Lambda treats the whole batch as failed, so every record of it is "
                           "retried, the successful ones included.")
                yield Finding(
                    code="HANDLER006",
                    message=message,
                    span=item.span,
                    resource=fn.origin,
                    function=fn.id,
                    related=_trigger_related(model, [t]),
                    path=[_source_step(model, t), trigger_step(t), f"itemIdentifier = {item.text}",
                          "whole batch failed", "every record retried"],
                    fix=f"Use {wanted} as itemIdentifier.",
                )
                break


# ------------------------------------------------------------------------------------------ HANDLER007


@rule("HANDLER007", "fifo-continues-after-failure", "warning",
      "A FIFO queue handler reports partial failures but keeps processing records after a failure.",
      needs_handlers=True)
@_with_calls
def fifo_continues(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds handlers on a FIFO queue with `ReportBatchItemFailures` whose loop over the batch catches a failure,
    records it, and goes on with the next records (or that use Powertools `BatchProcessor` instead of
    `SqsFifoPartialProcessor`).

    ## Why is this bad?
    A FIFO batch is ordered within each message group. When message 3 fails and messages 4 and 5 of the same
    group are processed anyway, message 3 is retried *after* them: the order the queue guarantees is broken.
    On a FIFO queue the handler must stop at the first failure and report that message and every message
    after it as failed.

    ## Failure path
    `OrdersQueue (SQS FIFO) → ProcessOrders [poll, batch 10] → message 3 fails → 4..10 processed →
    message 3 retried after them`

    ## Example
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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
                FunctionResponseTypes: [ReportBatchItemFailures]
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                apply(record)
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
      function_response_types = ["ReportBatchItemFailures"]
    }
    ```

    ## Use instead
    Stop at the first failure and report it with every record after it, so that their order holds:
    ```python
    # file: src/app.py
    def handler(event, context):
        failures = []
        for i, record in enumerate(event["Records"]):
            try:
                apply(record)
            except Exception:
                failures = [{"itemIdentifier": r["messageId"]} for r in event["Records"][i:]]
                break
        return {"batchItemFailures": failures}
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
    """
    for fn, facts, triggers in _functions(model):
        fifo = [t for t in triggers if t.mode == "poll-sqs" and t.report_batch_item_failures.value is True
                and is_fifo(model, t.source) is True]
        if not fifo:
            continue
        t = fifo[0]
        spots: list[tuple[Span, str]] = []
        for c in facts.catches:
            if c.in_records_loop and c.records and not c.stops_loop and not c.flag_checked and not c.reraises:
                spots.append((c.span, f"the {c.label} records the failure and the loop goes on"))
        if facts.powertools_batch and not facts.powertools_fifo and not spots:
            spots.append((facts.powertools_batch, "BatchProcessor processes every record whatever fails"))
        for span, how in sorted(spots, key=lambda s: (s[0].line, s[0].column)):
            message = (f"{fn.id} reads the FIFO queue {_source(model, t)} but keeps processing after a failure "
                       f"({how}): later messages of the same message group are processed before the failed "
                       "one is retried, so the group's order is broken.")
            yield Finding(
                code="HANDLER007",
                message=message,
                span=span,
                resource=fn.origin,
                function=fn.id,
                related=_trigger_related(model, fifo),
                path=[_source_step(model, t), trigger_step(t), "message fails", "later messages processed",
                      "failed message retried out of order"],
                fix="Stop at the first failure and report it and every later message (Powertools: "
                    "SqsFifoPartialProcessor).",
            )


# ------------------------------------------------------------------------------------------ HANDLER008


def _proxy_callers(triggers: Sequence[Trigger]) -> list[Trigger]:
    """REST proxy integrations, load balancers and HTTP APIs with payload format 1.0 read the response shape.

    HTTP API payload format 2.0 (the default) accepts any JSON and assumes status 200, so it is not checked.
    An API whose definition also integrates the function without proxy (a mapping template) is not checked
    either: which integration serves the route is not certain.
    """
    non_proxy = {t.api for t in triggers if t.mode == "sync" and not t.proxy and t.api}
    out = []
    for t in triggers:
        if t.mode != "sync" or t.api in non_proxy:
            continue
        if t.service == "alb" or t.service == "apigateway" and t.proxy:
            out.append(t)
        elif t.service == "apigatewayv2" and t.proxy and str(t.payload_format_version) == "1.0":
            out.append(t)
    return out


@rule("HANDLER008", "malformed-proxy-response", "error",
      "A handler behind an API Gateway proxy integration or a load balancer returns no statusCode or a "
      "non-string body.", needs_handlers=True)
@_with_calls
def malformed_proxy_response(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds handlers behind an API Gateway REST proxy integration (`AWS_PROXY`, SAM `Api` events), an HTTP API
    with payload format 1.0, or an Application Load Balancer that return a value without `statusCode`
    (including `None` and plain strings) or with a `body` that is not a string (a dict, a list, a number).

    HTTP APIs with payload format 2.0 accept any JSON response (they assume status 200), so they are not
    checked.

    ## Why is this bad?
    The caller turns the returned object into an HTTP response. Without `statusCode`, or with a `body` that
    is not a string, API Gateway answers `502 Bad Gateway` ("Malformed Lambda proxy response") and the load
    balancer answers `502` too. The function itself succeeded, so its metrics show no error.

    ## Failure path
    `ServerlessRestApi (REST) → GetItem [sync] → returns {"body": {...}} → malformed proxy response → client gets 502`

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      GetItem:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Get:
              Type: Api
              Properties:
                Path: /items/{id}
                Method: get
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        return {"statusCode": 200, "body": {"id": 1}}
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

    resource "aws_lambda_function" "get_item" {
      function_name = "get-item"
      role          = "arn:aws:iam::123456789012:role/get-item"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = data.archive_file.app.output_path
    }

    resource "aws_apigatewayv2_api" "api" {
      name          = "api"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "get_item" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.get_item.invoke_arn
      payload_format_version = "1.0"
    }

    resource "aws_apigatewayv2_route" "get_item" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "GET /items"
      target    = "integrations/${aws_apigatewayv2_integration.get_item.id}"
    }

    resource "aws_lambda_permission" "api" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.get_item.function_name
      principal     = "apigateway.amazonaws.com"
      source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*"
    }
    ```

    ## Use instead
    ```python
    # file: src/app.py
    import json


    def handler(event, context):
        return {"statusCode": 200, "body": json.dumps({"id": 1})}
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
    """
    for fn, facts, triggers in _functions(model):
        callers = _proxy_callers(triggers)
        if not callers or facts.wrapped:
            continue
        t = callers[0]
        who = "API Gateway" if t.service.startswith("apigateway") else "the load balancer"
        bad: list[tuple[Span, str]] = []
        for r in facts.returns:
            if r.shape == "dict" and r.keys is not None:
                if "statusCode" not in r.keys and "..." not in r.keys:
                    bad.append((r.span, "returns an object without statusCode"))
                elif "statusCode" in r.keys and r.body == "nonstring":
                    bad.append((r.span, "returns a body that is not a string"))
            elif r.shape == "none":
                bad.append((r.span, "returns nothing (no statusCode)"))
            elif r.shape in ("string", "other"):
                bad.append((r.span, "returns a value that is not a response object"))
        if not facts.returns and facts.falls_through and not facts.opaque_returns:
            bad.append((facts.falls_through, "never returns a response (no statusCode)"))
        for span, how in bad:
            message = (f"{fn.id}'s handler {how}; {who} cannot build an HTTP response from it and answers "
                       "502 Bad Gateway, although the function succeeded.")
            yield Finding(
                code="HANDLER008",
                message=message,
                span=span,
                resource=fn.origin,
                function=fn.id,
                related=_trigger_related(model, callers),
                path=[_caller(t), trigger_step(t), f"handler {how}",
                      "malformed response", "client gets 502"],
                fix="Return {\"statusCode\": ..., \"body\": json.dumps(...)} (body as a string).",
            )


# ------------------------------------------------------------------------------------------ HANDLER009


@rule("HANDLER009", "handler-not-found", "error",
      "The handler file or function named by Handler does not exist in the function's code.",
      needs_handlers=True)
def handler_not_found(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Checks that the module and function named by `Handler` exist in the function's code: the `CodeUri`
    directory (or `.zip`), the esbuild entry point, or the inline code (which CloudFormation saves as
    `index.py` / `index.js`). Only code that can be located and read is checked: a code directory that does
    not exist at all (not built yet, not checked out) is not reported, it is said in `--verbose` output.

    ## Why is this bad?
    Lambda imports the handler module on the first invocation of every execution environment. When the file
    does not exist the invocation fails with `Runtime.ImportModuleError`; when the function does not exist,
    with `Runtime.HandlerNotFound`. Every invocation fails: SQS messages return until they reach the
    dead-letter queue, asynchronous events are retried and dropped, API clients get 502.

    ## Failure path
    `ProcessOrders → Handler app.lambda_handler → app.py has no lambda_handler → Runtime.HandlerNotFound on
    every invocation`

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
          CodeUri: src/
          Handler: app.lambda_handler   # src/app.py defines handler()
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```
    ```python
    # file: src/app.py
    def handler(event, context):
        for record in event["Records"]:
            save(record)
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      handler       = "app.lambda_handler"
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Use instead
    The same code, and `Handler: app.handler` in the template:
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
          CodeUri: src/
          Handler: app.handler
          Runtime: python3.12
          Events:
            Orders:
              Type: SQS
              Properties:
                Queue: !GetAtt OrdersQueue.Arn
    ```

    In Terraform:
    ```hcl
    data "archive_file" "app" {
      type        = "zip"
      source_dir  = "src"
      output_path = "build/app.zip"
    }

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
      filename      = data.archive_file.app.output_path
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn = aws_sqs_queue.orders.arn
      function_name    = aws_lambda_function.process_orders.arn
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
    - https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-code.html
    """
    for fid, fn in model.functions.items():
        facts = model.handler_facts.get(fid)
        if not isinstance(facts, HandlerFacts) or facts.missing is None:
            continue
        handler = fn.handler.value if fn.handler.known else "?"
        error = "Runtime.ImportModuleError" if facts.missing == "file" else "Runtime.HandlerNotFound"
        name = setting(model, "Handler")
        message = (f"The {name} {handler} of {fid} cannot be found: {facts.missing_detail}. Every invocation "
                   f"fails with {error} before any code runs.")
        in_template = facts.span is not None and facts.span.file == fn.span.file
        span = facts.span if in_template else (fn.handler.span or facts.span or fn.span)
        related = []
        if facts.span is not None and facts.span != span:
            related.append(Related(facts.span, fn.origin, "the located code"))
        elif fn.handler.span is not None and fn.handler.span != span:
            related.append(Related(fn.handler.span, fn.origin, f"{name}: {handler}"))
        related += _trigger_related(model, model.triggers_of(fid))
        yield Finding(
            code="HANDLER009",
            message=message,
            span=span,
            resource=fn.origin,
            function=fid,
            related=related,
            path=[f"{fid} (function)", f"{name} {handler}", facts.missing_detail, f"{error} on every invocation"],
            fix=wording(model, "Point Handler at an existing file.function (or fix CodeUri)."),
        )
