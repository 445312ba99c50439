"""STREAM: Kinesis and DynamoDB stream event source mappings.

A stream mapping reads each shard in order. When the function fails, Lambda retries the same batch until
it succeeds, the retry limit is reached or the records expire (both limits default to ``-1``: unbounded),
and the shard makes no progress meanwhile. Records it gives up on go to the mapping's
``DestinationConfig.OnFailure`` (a record of them, not the data), or nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from invocation_lint.fixes import Fix, add_settings, combine, generated, no_fix, set_literal
from invocation_lint.model import Model, Trigger
from invocation_lint.registry import Context, Finding, Related, rule

from ._common import duration, node_label, related, setting, trigger_step, wording

_STREAM_SERVICES = ("kinesis", "dynamodb")
_RETENTION = {"kinesis": "the stream's retention, 24 h by default", "dynamodb": "the stream's retention, 24 h"}


def _stream_triggers(model: Model) -> list[Trigger]:
    return [t for t in model.triggers if t.mode == "poll-stream" and t.service in _STREAM_SERVICES]


def _source(model: Model, t: Trigger) -> str:
    if t.source is not None and t.source.node:
        return node_label(model, t.source.node)
    if t.source is not None and t.source.arn:
        return f"{t.source.arn} ({'Kinesis' if t.service == 'kinesis' else 'DynamoDB stream'})"
    return "Kinesis stream" if t.service == "kinesis" else "DynamoDB stream"


def _limits(t: Trigger) -> tuple[str, str]:
    """When Lambda gives up on a failing batch: (words for the message, a failure-path step)."""
    parts = []
    if t.max_retry_attempts.known and t.max_retry_attempts.value != -1:
        parts.append(f"{t.max_retry_attempts.value} retries")
    if t.max_record_age.known and t.max_record_age.value != -1:
        parts.append(f"records {duration(t.max_record_age.value)} old")
    if parts:
        return f"after {' or '.join(parts)}", f"failure: given up after {' or '.join(parts)}"
    return (f"when its records expire: {_RETENTION[t.service]}", "failure: retried until the records expire")


@rule(
    "STREAM001",
    "stream-without-failure-destination",
    "warning",
    "A Kinesis or DynamoDB stream mapping has no on-failure destination: discarded batches leave no record.",
)
def stream_without_failure_destination(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds Kinesis and DynamoDB stream event source mappings (`AWS::Lambda::EventSourceMapping`, SAM `Kinesis`
    and `DynamoDB` events) without `DestinationConfig.OnFailure`.

    ## Why is this bad?
    When Lambda gives up on a batch (retry limit, record age, or the records expiring from the stream), it
    moves on to the next records of the shard. With an on-failure destination it first sends an invocation
    record (the shard, the sequence numbers) to an SQS queue, SNS topic or S3 bucket, so the lost records can
    be read again or at least counted. Without one, the batch is skipped and nothing says which records were
    never processed.

    ## Failure path
    stream → function [poll, batch 100] → fails → retried until the records expire → skipped, no record.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersStream:
        Type: AWS::Kinesis::Stream
        Properties:
          ShardCount: 1
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: Kinesis
              Properties:
                Stream: !GetAtt OrdersStream.Arn
                StartingPosition: LATEST
                MaximumRetryAttempts: 5
                BisectBatchOnFunctionError: true
    ```

    In Terraform:
    ```hcl
    resource "aws_kinesis_stream" "orders" {
      name        = "orders"
      shard_count = 1
    }

    resource "aws_sqs_queue" "orders_failed" {}

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn  = aws_kinesis_stream.orders.arn
      function_name     = aws_lambda_function.process_orders.arn
      starting_position = "LATEST"
      maximum_retry_attempts         = 5
      bisect_batch_on_function_error = true
    }
    ```

    ## Use instead
    The same template with an on-failure destination on the event:
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersStream:
        Type: AWS::Kinesis::Stream
        Properties:
          ShardCount: 1
      OrdersFailed:
        Type: AWS::SQS::Queue
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: Kinesis
              Properties:
                Stream: !GetAtt OrdersStream.Arn
                StartingPosition: LATEST
                MaximumRetryAttempts: 5
                BisectBatchOnFunctionError: true
                DestinationConfig:
                  OnFailure:
                    Type: SQS
                    Destination: !GetAtt OrdersFailed.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_kinesis_stream" "orders" {
      name        = "orders"
      shard_count = 1
    }

    resource "aws_sqs_queue" "orders_failed" {}

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn  = aws_kinesis_stream.orders.arn
      function_name     = aws_lambda_function.process_orders.arn
      starting_position = "LATEST"
      maximum_retry_attempts         = 5
      bisect_batch_on_function_error = true
      destination_config {
        on_failure {
          destination_arn = aws_sqs_queue.orders_failed.arn
        }
      }
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html
    - https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
    """
    for t in _stream_triggers(model):
        if t.on_failure is not None:
            continue
        yield Finding(
            code="STREAM001",
            message=f"The {_source(model, t)} mapping of {t.function} has no on-failure destination: when "
            f"Lambda gives up on a failing batch ({_limits(t)[0]}) it skips those records and keeps no record of "
            "which ones were never processed.",
            span=t.span,
            resource=t.resource,
            function=t.function,
            path=[_source(model, t), trigger_step(t), _limits(t)[1],
                  "no on-failure destination", "records skipped, no trace"],
            fix=wording(model, "add DestinationConfig.OnFailure (an SQS queue, SNS topic or S3 bucket) to the mapping"),
        )


@rule(
    "STREAM002",
    "stream-unbounded-retries",
    "warning",
    "A stream mapping retries a failing batch until its records expire, blocking the shard.",
)
def stream_unbounded_retries(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds Kinesis and DynamoDB stream mappings where `MaximumRetryAttempts` and `MaximumRecordAgeInSeconds`
    are both unbounded (`-1`, the default) and `BisectBatchOnFunctionError` is off. Reports an error when
    `MaximumRecordAgeInSeconds` is below 60 (other than `-1`): the valid values are `-1` and 60–604800, so the
    deploy fails.

    ## Why is this bad?
    A stream is processed in order, shard by shard. With unbounded retries, one record that always fails
    (a poison pill) makes Lambda retry the same batch again and again until the record expires from the
    stream (24 hours by default for Kinesis, 24 hours for DynamoDB streams). Every record behind it in that
    shard waits, the iterator age grows, and when the poison record finally expires, the records queued
    behind it may expire with it. Splitting the batch (`BisectBatchOnFunctionError`) isolates the bad record;
    a retry or age limit bounds the wait.

    ## Failure path
    stream → function [poll, batch 100] → one record fails → same batch retried for up to 24 h → shard blocked.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersStream:
        Type: AWS::Kinesis::Stream
        Properties:
          ShardCount: 1
      OrdersFailed:
        Type: AWS::SQS::Queue
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: Kinesis
              Properties:
                Stream: !GetAtt OrdersStream.Arn
                StartingPosition: LATEST
                DestinationConfig:
                  OnFailure:
                    Type: SQS
                    Destination: !GetAtt OrdersFailed.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_kinesis_stream" "orders" {
      name        = "orders"
      shard_count = 1
    }

    resource "aws_sqs_queue" "orders_failed" {}

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn  = aws_kinesis_stream.orders.arn
      function_name     = aws_lambda_function.process_orders.arn
      starting_position = "LATEST"
      destination_config {
        on_failure {
          destination_arn = aws_sqs_queue.orders_failed.arn
        }
      }
    }
    ```

    ## Use instead
    The same template with a retry limit, a record age limit and batch splitting:
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      OrdersStream:
        Type: AWS::Kinesis::Stream
        Properties:
          ShardCount: 1
      OrdersFailed:
        Type: AWS::SQS::Queue
      ProcessOrders:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Orders:
              Type: Kinesis
              Properties:
                Stream: !GetAtt OrdersStream.Arn
                StartingPosition: LATEST
                MaximumRetryAttempts: 5
                MaximumRecordAgeInSeconds: 3600
                BisectBatchOnFunctionError: true
                DestinationConfig:
                  OnFailure:
                    Type: SQS
                    Destination: !GetAtt OrdersFailed.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_kinesis_stream" "orders" {
      name        = "orders"
      shard_count = 1
    }

    resource "aws_sqs_queue" "orders_failed" {}

    resource "aws_lambda_function" "process_orders" {
      function_name = "process-orders"
      role          = "arn:aws:iam::123456789012:role/process-orders"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_lambda_event_source_mapping" "orders" {
      event_source_arn  = aws_kinesis_stream.orders.arn
      function_name     = aws_lambda_function.process_orders.arn
      starting_position = "LATEST"
      maximum_retry_attempts         = 5
      maximum_record_age_in_seconds  = 3600
      bisect_batch_on_function_error = true
      destination_config {
        on_failure {
          destination_arn = aws_sqs_queue.orders_failed.arn
        }
      }
    }
    ```

    ## Fix
    Unsafe: `invlint check --unsafe-fixes` sets `MaximumRetryAttempts` to 5 and `BisectBatchOnFunctionError`
    to `true` on the mapping (or the SAM event): added where they are not written, written over a literal `-1`
    or `false`. A batch that still fails after 5 retries is then discarded, so give the mapping an on-failure
    destination (STREAM001) to keep a record of it; review the bound for the stream. None is offered where the
    value comes from a parameter, a function or an expression, in a template synthesized by CDK, for a
    resource inside a Terraform module, or for an invalid `MaximumRecordAgeInSeconds` (how long records may
    wait is the application's choice).

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html
    - https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
    """
    for t in _stream_triggers(model):
        age, retries, bisect = t.max_record_age, t.max_retry_attempts, t.bisect
        if age.known and isinstance(age.value, int) and age.value != -1 and age.value < 60:
            yield Finding(
                code="STREAM002",
                severity="error",
                message=f"{setting(model, 'MaximumRecordAgeInSeconds')} {age.value} on the {_source(model, t)} mapping of "
                f"{t.function} is invalid (allowed: -1, or 60 to 604800): the deploy fails.",
                span=age.span or t.span,
                resource=t.resource,
                function=t.function,
                related=related(t.span, t.resource, "the mapping"),
                path=[_source(model, t), trigger_step(t), f"{setting(model, 'MaximumRecordAgeInSeconds')} {age.value}: rejected"],
                fix=wording(model, "set MaximumRecordAgeInSeconds to -1 or between 60 and 604800"),
                autofix=no_fix("how long records may wait is the application's choice; set "
                               f"{setting(model, 'MaximumRecordAgeInSeconds')} by hand", "unsafe"),
            )
            continue
        if not (age.known and retries.known and bisect.known):
            continue
        if age.value != -1 or retries.value != -1 or bisect.value:
            continue
        rel: list[Related] = []
        for v, name in ((retries, "MaximumRetryAttempts"), (age, "MaximumRecordAgeInSeconds")):
            if not v.default:
                rel += related(v.span, t.resource, wording(model, f"{name}: -1") + " (unbounded)")
        yield Finding(
            code="STREAM002",
            message=f"The {_source(model, t)} mapping of {t.function} retries a failing batch until its records "
            f"expire ({_RETENTION[t.service]}), without splitting it: one bad record blocks its shard for that "
            "long, and the records behind it wait or expire too.",
            span=t.span,
            resource=t.resource,
            function=t.function,
            related=rel,
            path=[_source(model, t), trigger_step(t), "one record fails",
                  "same batch retried until the records expire", "shard blocked"],
            fix=wording(model, "set MaximumRetryAttempts or MaximumRecordAgeInSeconds, and BisectBatchOnFunctionError: true"),
            autofix=_bound_retries_fix(model, t),
        )


#: the retry bound the STREAM002 fix writes
FIX_RETRIES = 5


def _bound_retries_fix(model: Model, t: Trigger) -> Fix:
    """``MaximumRetryAttempts: 5`` and ``BisectBatchOnFunctionError: true`` on the mapping or the SAM event:
    added where they are not written, written over a literal ``-1`` / ``false``. Unsafe: a batch that still
    fails after the retries is discarded (sent to the on-failure destination, when there is one)."""
    retries_name, bisect_name = setting(model, "MaximumRetryAttempts"), setting(model, "BisectBatchOnFunctionError")
    elsewhere = generated(model, t.resource, retries_name)
    if elsewhere is not None:
        return Fix("", "unsafe", reason=elsewhere.reason)
    description = (f"Set {retries_name} to {FIX_RETRIES} and {bisect_name} to true on "
                   f"{t.event_name or t.resource}")
    fixes: list[Fix] = []
    added: list[tuple[str, str]] = []
    if t.max_retry_attempts.default:
        added.append((retries_name, str(FIX_RETRIES)))
    else:
        fixes.append(set_literal(t.max_retry_attempts.span, (retries_name,), ("-1",), str(FIX_RETRIES), "",
                                 "unsafe"))
    if t.bisect.default:
        added.append((bisect_name, "true"))
    else:
        fixes.append(set_literal(t.bisect.span, (bisect_name,), ("false",), "true", "", "unsafe"))
    if added:
        fixes.append(add_settings(t.span, added, "", "unsafe"))
    return combine(fixes, description, "unsafe")
