"""ASYNC: functions invoked asynchronously (SNS, S3, EventBridge, schedules, CloudWatch Logs, IoT, ...).

For an asynchronous invocation Lambda queues the event, retries a failing invocation (0–2 times, default 2,
for at most ``MaximumEventAgeInSeconds``, default 6 h) and then sends it to the function's DLQ or ``OnFailure``
destination, or drops it. These rules check that the last step exists, works, and is configured only where
an asynchronous caller can reach it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from invocation_lint import defaults, iam
from invocation_lint.model import AsyncConfig, Function, Model, Target, Trigger
from invocation_lint.registry import Context, Finding, Related, rule

from ._common import (
    duration,
    node_label,
    plural,
    related,
    remove_dlq_fix,
    remove_invoke_config_fix,
    setting,
    target_label,
    trigger_step,
    wording,
)

_CALLER = {
    "sns": "SNS", "s3": "S3", "eventbridge": "EventBridge rule", "events": "EventBridge rule", "schedule": "EventBridge schedule",
    "scheduler": "EventBridge Scheduler", "logs": "CloudWatch Logs", "iot": "IoT rule", "ses": "SES",
    "config": "Config", "codecommit": "CodeCommit", "lambda": "Lambda (InvocationType=Event)",
    "stepfunctions": "Step Functions", "cloudformation": "a CloudFormation custom resource",
    "codepipeline": "CodePipeline", "pipes": "EventBridge Pipes", "appsync": "AppSync",
    "cloudfront": "Lambda@Edge", "cognito": "Cognito", "secretsmanager": "Secrets Manager rotation",
    "iot-authorizer": "IoT authorizer", "firehose": "Firehose", "pipes-enrichment": "EventBridge Pipes enrichment",
    "s3-object-lambda": "S3 Object Lambda", "lex": "Lex", "connect": "Amazon Connect",
}
#: the service a failure target is, by the Model table that holds it
_PUT_ACTION = {
    "sqs": ["sqs:SendMessage"], "sns": ["sns:Publish"], "lambda": ["lambda:InvokeFunction"],
    "events": ["events:PutEvents"], "s3": ["s3:PutObject"],
}


# ------------------------------------------------------------------------------------------------ helpers




def _by_function(model: Model, mode: str) -> dict[str, list[Trigger]]:
    out: dict[str, list[Trigger]] = {}
    for t in model.triggers:
        if t.mode == mode and t.function in model.functions:
            out.setdefault(t.function, []).append(t)
    return out


def _caller(model: Model, trigger: Trigger) -> str:
    """``Notify (SNS)``: the caller of a trigger, as a failure-path step."""
    name = _CALLER.get(trigger.service, trigger.service)
    if trigger.source is not None and trigger.source.node in model.apis:
        api = model.apis[trigger.source.node]
        return f"{api.id} (API Gateway {'REST API' if api.kind == 'rest' else api.kind.upper() + ' API'})"
    if trigger.source is not None and trigger.source.node:
        label = node_label(model, trigger.source.node)
        return label if label != trigger.source.node else f"{label} ({name})"
    if trigger.source is not None and trigger.source.arn:
        return f"{trigger.source.arn} ({name})"
    return name


def _main_config(fn: Function) -> AsyncConfig | None:
    for cfg in fn.async_configs:
        if cfg.qualifier == "$LATEST":
            return cfg
    return fn.async_configs[0] if fn.async_configs else None


def _retry_words(model: Model, fn: Function) -> tuple[str, str]:
    """(how many times Lambda runs the event, a short step) from the function's EventInvokeConfig."""
    cfg = _main_config(fn)
    retries = cfg.max_retry_attempts if cfg else None
    age = cfg.max_event_age if cfg else None
    n = retries.value if retries is not None and retries.known else (2 if retries is None else None)
    age_s = age.value if age is not None and age.known else (defaults.ASYNC_MAX_EVENT_AGE if age is None else None)
    age_words = f"within {duration(age_s)}" if isinstance(age_s, int) else "within the maximum event age"
    if n == 0:
        return (f"after the first failed attempt ({wording(model, 'MaximumRetryAttempts: 0')})",
                "failure: no retry")
    if isinstance(n, int):
        return (
            f"after {plural(n, 'retry', 'retries')} {age_words}",
            f"failure: retried {plural(n, 'time')} {age_words}",
        )
    return f"after its retries {age_words}", "failure: retried"


def _failure_targets(fn: Function) -> Iterator[tuple[str, Target, str, object]]:
    """(what, target, resource declaring it, span) for the DLQ and every async destination of ``fn``."""
    if fn.dlq is not None:
        yield "function DLQ", fn.dlq, fn.origin, fn.dlq.span
    for cfg in fn.async_configs:
        if cfg.on_failure is not None:
            yield "on-failure destination", cfg.on_failure, cfg.resource, cfg.on_failure.span or cfg.span
        if cfg.on_success is not None:
            yield "on-success destination", cfg.on_success, cfg.resource, cfg.on_success.span or cfg.span


def _target_service(model: Model, target: Target) -> str | None:
    if target.node is not None:
        for table, service in (
            (model.queues, "sqs"), (model.topics, "sns"), (model.functions, "lambda"), (model.buses, "events"),
            (model.buckets, "s3"),
        ):
            if target.node in table:
                return service
    if target.service:
        return "events" if target.service == "eventbridge" else target.service
    if target.arn and target.arn.startswith("arn:"):
        parts = target.arn.split(":")
        return parts[2] if len(parts) > 2 else None
    return None


def _is_fifo_target(model: Model, target: Target) -> bool | None:
    if target.node is not None:
        node = model.queues.get(target.node) or model.topics.get(target.node)
        if node is None or not node.fifo.known:
            return None
        return bool(node.fifo.value)
    if target.arn and target.arn.startswith("arn:"):
        parts = target.arn.split(":")
        if len(parts) >= 6 and parts[2] in ("sqs", "sns") and "$" not in parts[5]:
            return parts[5].endswith(".fifo")
    return None


# ------------------------------------------------------------------------------------------------- rules


@rule(
    "ASYNC001",
    "async-without-failure-capture",
    "warning",
    "An asynchronously invoked function has neither a DLQ nor an on-failure destination: failed events are dropped.",
)
def async_without_failure_capture(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds functions invoked asynchronously (SNS, S3, EventBridge rules and schedules, EventBridge Scheduler,
    CloudWatch Logs, IoT rules, or a `AWS::Lambda::Permission` granting one of those services) that have
    neither a function dead-letter queue (`DeadLetterConfig`, SAM `DeadLetterQueue`) nor an `OnFailure`
    destination (`AWS::Lambda::EventInvokeConfig`, SAM `EventInvokeConfig`).

    ## Why is this bad?
    The caller hands the event to Lambda and moves on. When the function fails, Lambda retries it up to
    `MaximumRetryAttempts` times (default 2) within `MaximumEventAgeInSeconds` (default 6 hours); after that
    the event is discarded. Without a DLQ or on-failure destination nothing keeps it, nothing alarms, and the
    work is silently lost. An SNS subscription `RedrivePolicy` or an EventBridge target `DeadLetterConfig`
    does not help here: those catch events the service could not *deliver* to Lambda, never events the
    function failed to process.

    ## Failure path
    caller → function [async] → fails → retried 2 times → dropped.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      ResizeImages:
        Type: AWS::Serverless::Function
        Properties:
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
      role          = "arn:aws:iam::123456789012:role/resize-images"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
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

    In Terraform:
    ```hcl
    resource "aws_s3_bucket" "uploads" {}

    resource "aws_sqs_queue" "resize_failures" {}

    resource "aws_lambda_function" "resize_images" {
      function_name = "resize-images"
      role          = "arn:aws:iam::123456789012:role/resize-images"
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
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
    - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    """
    for fid, triggers in _by_function(model, "async").items():
        fn = model.functions[fid]
        if fn.dlq is not None or any(cfg.on_failure is not None for cfg in fn.async_configs):
            continue
        triggers = sorted(triggers, key=lambda t: (t.span.file, t.span.line, t.resource))
        first = triggers[0]
        when, step = _retry_words(model, fn)
        callers = sorted({_caller(model, t) for t in triggers})
        msg = (
            f"{fid} is invoked asynchronously by {', '.join(callers)}; when it fails, Lambda drops the event "
            f"{when}: there is no DLQ and no on-failure destination, so nothing keeps it."
        )
        delivery = [t for t in triggers if t.delivery_dlq is not None]
        if delivery:
            what = sorted({
                f"the {'SNS subscription redrive' if t.service == 'sns' else 'EventBridge target DLQ'} "
                f"to {target_label(model, t.delivery_dlq)}"
                for t in delivery
            })
            joined = "; ".join(what)
            msg += f" {joined[0].upper()}{joined[1:]} only catches delivery failures, never function errors."
        rel: list[Related] = []
        for t in triggers:
            rel += related(t.span, t.resource, f"async trigger from {_caller(model, t)}")
        cfg = _main_config(fn)
        if cfg is not None:
            rel += related(cfg.span, cfg.resource, f"{setting(model, 'EventInvokeConfig')} without an on-failure destination")
        yield Finding(
            code="ASYNC001",
            message=msg,
            span=fn.span,
            resource=fn.origin,
            function=fid,
            related=rel,
            path=[_caller(model, first), trigger_step(first), step, "no DLQ, no on-failure destination", "dropped"],
            fix=wording(model, "add an OnFailure destination (EventInvokeConfig) or a DeadLetterQueue to the function"),
        )


@rule(
    "ASYNC002",
    "async-config-without-async-trigger",
    "warning",
    "A function only invoked synchronously or by a stream sets a DLQ or EventInvokeConfig that never applies.",
)
def async_config_without_async_trigger(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds functions whose known triggers are all synchronous (API Gateway, ALB, function URL, ...) or
    event source mappings (Kinesis, DynamoDB streams, possibly alongside SQS), and that still set a function
    DLQ (`DeadLetterConfig`, SAM `DeadLetterQueue`) or an `EventInvokeConfig`. A function whose only
    triggers are SQS queues is reported by SQS002 instead.

    ## Why is this bad?
    A function DLQ, the async retry settings and async destinations apply only to asynchronous invocations.
    A synchronous caller gets the error back itself; a stream mapping retries according to its own settings
    and sends discarded batches to the *mapping's* `DestinationConfig`. The configured queue or destination
    stays empty while failures are handled (or lost) elsewhere, and the template suggests a safety net that
    does not exist. Only a caller outside the template that invokes the function with
    `InvocationType: Event` would use it.

    ## Failure path
    API Gateway → function [sync] → fails → the client gets the error; the DLQ never receives anything.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      ApiFailures:
        Type: AWS::SQS::Queue
      GetItems:
        Type: AWS::Serverless::Function
        Properties:
          DeadLetterQueue:          # API Gateway invokes synchronously: never used
            Type: SQS
            TargetArn: !GetAtt ApiFailures.Arn
          Events:
            Get:
              Type: Api
              Properties:
                Path: /items
                Method: get
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "api_failures" {}

    resource "aws_lambda_function" "get_items" {
      function_name = "get-items"
      role          = "arn:aws:iam::123456789012:role/get-items"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.api_failures.arn
      }
    }

    resource "aws_apigatewayv2_api" "api" {
      name          = "api"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "get_items" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.get_items.invoke_arn
      payload_format_version = "2.0"
    }

    resource "aws_apigatewayv2_route" "get_items" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "GET /items"
      target    = "integrations/${aws_apigatewayv2_integration.get_items.id}"
    }

    resource "aws_lambda_permission" "api" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.get_items.function_name
      principal     = "apigateway.amazonaws.com"
      source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*"
    }
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      GetItems:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Get:
              Type: Api
              Properties:
                Path: /items
                Method: get
    ```
    Handle errors in the response (API), or on the mapping (`DestinationConfig.OnFailure` for streams).

    In Terraform:
    ```hcl
    resource "aws_lambda_function" "get_items" {
      function_name = "get-items"
      role          = "arn:aws:iam::123456789012:role/get-items"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
    }

    resource "aws_apigatewayv2_api" "api" {
      name          = "api"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "get_items" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.get_items.invoke_arn
      payload_format_version = "2.0"
    }

    resource "aws_apigatewayv2_route" "get_items" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "GET /items"
      target    = "integrations/${aws_apigatewayv2_integration.get_items.id}"
    }

    resource "aws_lambda_permission" "api" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.get_items.function_name
      principal     = "apigateway.amazonaws.com"
      source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*"
    }
    ```

    ## Fix
    Unsafe: `invlint check --unsafe-fixes` removes the function's `DeadLetterConfig` (SAM `DeadLetterQueue`,
    Terraform `dead_letter_config`) or the event invoke configuration (the `AWS::Lambda::EventInvokeConfig`
    resource, the SAM `EventInvokeConfig` property, the `aws_lambda_function_event_invoke_config` block). It
    deletes configuration: check that nothing outside the template invokes the function asynchronously. No fix
    is offered for a setting in `Globals` (every function shares it), for a resource that something else
    references (`Ref`, `DependsOn`, a Terraform reference), for one instance of a block with `count` or
    `for_each`, in a template synthesized by CDK, or inside a Terraform module.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
    """
    by_function: dict[str, list[Trigger]] = {}
    for t in model.triggers:
        by_function.setdefault(t.function, []).append(t)
    for fid in sorted(by_function):
        fn = model.functions.get(fid)
        triggers = by_function[fid]
        modes = {t.mode for t in triggers}
        if fn is None or "async" in modes or "unknown" in modes or modes == {"poll-sqs"}:
            continue
        if fn.dlq is None and not fn.async_configs:
            continue
        callers = sorted({_caller(model, t) + f" [{t.mode}]" for t in triggers})
        first = min(triggers, key=lambda t: (t.span.file, t.span.line))
        rel: list[Related] = []
        for t in triggers:
            rel += related(t.span, t.resource, f"{t.mode} trigger from {_caller(model, t)}")
        why = (
            f"{fid} is only invoked by {', '.join(callers)}; these callers never invoke it asynchronously, so "
        )
        if fn.dlq is not None:
            yield Finding(
                code="ASYNC002",
                message=why + f"its DLQ {target_label(model, fn.dlq)} never receives a failed event "
                "(unless something outside this template invokes it with InvocationType=Event).",
                span=fn.dlq.span or fn.span,
                resource=fn.origin,
                function=fid,
                related=rel,
                path=[_caller(model, first), trigger_step(first), "failure: handled by the caller or the mapping",
                      f"DLQ {target_label(model, fn.dlq)}: never used"],
                fix=wording(model, "remove the DeadLetterConfig; handle failures where this caller handles them"),
                autofix=remove_dlq_fix(model, fn),
            )
        for cfg in fn.async_configs:
            yield Finding(
                code="ASYNC002",
                message=why + f"its {setting(model, 'EventInvokeConfig')} ({cfg.qualifier}) never applies: retries, event age and "
                "destinations are for asynchronous invocations only.",
                span=cfg.span,
                resource=cfg.resource,
                function=fid,
                related=rel,
                path=[_caller(model, first), trigger_step(first), "failure: handled by the caller or the mapping",
                      f"{setting(model, 'EventInvokeConfig')}: never used"],
                fix=wording(model, "remove the EventInvokeConfig; for streams set DestinationConfig on the mapping"),
                autofix=remove_invoke_config_fix(model, fn, cfg),
            )


@rule(
    "ASYNC003",
    "failure-target-not-standard",
    "error",
    "A function DLQ, async destination or EventBridge target DLQ is a FIFO queue or topic: delivery fails.",
)
def failure_target_not_standard(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds function dead-letter queues, asynchronous invocation destinations (`OnFailure`, `OnSuccess`) and
    EventBridge rule target dead-letter queues that are FIFO SQS queues or FIFO SNS topics.

    ## Why is this bad?
    Lambda sends asynchronous invocation records and dead-letter events only to *standard* SQS queues and
    SNS topics, and EventBridge's target dead-letter queues are standard SQS queues. With a FIFO target the
    send fails: the event was already given up on, the attempt to keep it fails too, and only a CloudWatch
    metric (`DestinationDeliveryFailures`, `DeadLetterErrors`) counts it. The record is gone.

    ## Failure path
    caller → function [async] → fails → retried 2 times → send to `failures.fifo` rejected → dropped.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      ResizeFailures:
        Type: AWS::SQS::Queue
        Properties:
          FifoQueue: true
      ResizeImages:
        Type: AWS::Serverless::Function
        Properties:
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt ResizeFailures.Arn
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

    resource "aws_sqs_queue" "resize_failures" {
      fifo_queue = true
    }

    resource "aws_lambda_function" "resize_images" {
      function_name = "resize-images"
      role          = "arn:aws:iam::123456789012:role/resize-images"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.resize_failures.arn
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
    The same template without `FifoQueue: true`: a standard queue.
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
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt ResizeFailures.Arn
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
      role          = "arn:aws:iam::123456789012:role/resize-images"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.resize_failures.arn
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

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    """
    for fid in sorted(model.functions):
        fn = model.functions[fid]
        for what, target, resource, span in _failure_targets(fn):
            if _is_fifo_target(model, target) is True:
                yield Finding(
                    code="ASYNC003",
                    message=f"The {what} of {fid} is {target_label(model, target)}, a FIFO "
                    f"{'topic' if _target_service(model, target) == 'sns' else 'queue'}: Lambda sends asynchronous "
                    "records only to standard queues and topics, so the send fails (only a "
                    f"{'DeadLetterErrors' if what == 'function DLQ' else 'DestinationDeliveryFailures'} metric "
                    "counts it) and the event it should keep is lost.",
                    span=span or fn.span,  # type: ignore[arg-type]
                    resource=resource,
                    function=fid,
                    related=related(fn.span, fid, "the function"),
                    path=[_async_step(model, fid), "failure: retries used up",
                          f"{what} {target_label(model, target)}: FIFO, send rejected", "dropped"],
                    fix="use a standard queue or topic as the failure target",
                )
    for t in model.triggers:
        if t.delivery_dlq is None or t.service not in ("eventbridge", "events", "schedule"):
            continue
        if _is_fifo_target(model, t.delivery_dlq) is True:
            yield Finding(
                code="ASYNC003",
                message=f"The EventBridge target DLQ of {t.resource} is {target_label(model, t.delivery_dlq)}, a "
                "FIFO queue: EventBridge cannot send to it, so events it fails to deliver to "
                f"{t.function} are lost.",
                span=t.delivery_dlq.span or t.span,
                resource=t.resource,
                function=t.function,
                related=related(t.span, t.resource, "the rule target"),
                path=[_caller(model, t), "delivery to " + t.function + " fails",
                      f"target DLQ {target_label(model, t.delivery_dlq)}: FIFO, send rejected", "dropped"],
                fix="use a standard SQS queue as the target's dead-letter queue",
            )


def _async_step(model: Model, fid: str) -> str:
    triggers = [t for t in model.triggers if t.function == fid and t.mode == "async"]
    return trigger_step(triggers[0]) if triggers else f"{fid} [async]"


@rule(
    "ASYNC004",
    "sns-subscription-without-redrive",
    "info",
    "An SNS subscription to a function has no RedrivePolicy: messages SNS cannot deliver are lost.",
)
def sns_subscription_without_redrive(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds SNS subscriptions of a function (`AWS::SNS::Subscription`, a topic's `Subscription` list, SAM `SNS`
    events) without a `RedrivePolicy`.

    ## Why is this bad?
    When SNS cannot invoke the function, the message is lost unless the subscription has a dead-letter
    queue: a client-side error (the invoke permission is missing, the function was deleted) discards it at
    once; a server-side error (Lambda unavailable) is retried by SNS's delivery policy for Lambda endpoints,
    100,015 attempts over about 23 days, and then discarded. This is separate from the function's own
    failures, which its DLQ or `OnFailure` destination catches.

    ## Failure path
    topic → subscription → invoke fails (permission missing) → discarded.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Alerts:
        Type: AWS::SNS::Topic
      NotifyFailures:
        Type: AWS::SQS::Queue
      Notify:
        Type: AWS::Serverless::Function
        Properties:
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt NotifyFailures.Arn
          Events:
            Alert:
              Type: SNS
              Properties:
                Topic: !Ref Alerts
    ```

    In Terraform:
    ```hcl
    resource "aws_sns_topic" "alerts" {}

    resource "aws_sqs_queue" "notify_failures" {}

    resource "aws_lambda_function" "notify" {
      function_name = "notify"
      role          = "arn:aws:iam::123456789012:role/notify"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.notify_failures.arn
      }
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
    }
    ```

    ## Use instead
    The same template with a `RedrivePolicy` on the SNS event (its subscription).
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
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt NotifyFailures.Arn
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
      dead_letter_config {
        target_arn = aws_sqs_queue.notify_failures.arn
      }
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
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
    - https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
    """
    for t in model.triggers:
        if t.mode != "async" or t.service != "sns" or t.delivery_dlq is not None or t.via_permission:
            continue
        topic = _caller(model, t)
        yield Finding(
            code="ASYNC004",
            message=f"The SNS subscription of {t.function} to {topic} has no {setting(model, 'RedrivePolicy')}: "
            "a message SNS cannot "
            "deliver to the function is discarded, at once for a client-side error (missing invoke permission, "
            "deleted function) and after SNS's delivery retries (up to 23 days for Lambda) for a server-side one.",
            span=t.span,
            resource=t.resource,
            function=t.function,
            path=[topic, f"subscription of {t.function}", "delivery fails: SNS retries", "no redrive policy",
                  "discarded"],
            fix=wording(model, "add a RedrivePolicy with a deadLetterTargetArn (an SQS queue) to the subscription"),
        )


@rule(
    "ASYNC005",
    "eventbridge-target-without-dlq",
    "info",
    "An EventBridge rule target that is a function has no DeadLetterConfig: undeliverable events are lost.",
)
def eventbridge_target_without_dlq(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds EventBridge rules and schedules (`AWS::Events::Rule`, SAM `EventBridgeRule`, `CloudWatchEvent`,
    `Schedule`) whose target is a function and that set no `DeadLetterConfig` on that target.

    ## Why is this bad?
    EventBridge retries delivery to the target for up to 24 hours and 185 attempts by default (less when the
    target's `RetryPolicy` says so). An event it still cannot deliver (missing permission, throttling,
    deleted function) is dropped when the target has no dead-letter queue. The function's own DLQ does not
    see it: the function was never invoked.

    ## Failure path
    rule → target → invoke fails → EventBridge retries → dropped.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      ReportFailures:
        Type: AWS::SQS::Queue
      Report:
        Type: AWS::Serverless::Function
        Properties:
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt ReportFailures.Arn
          Events:
            Nightly:
              Type: Schedule
              Properties:
                Schedule: rate(1 day)
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "report_failures" {}

    resource "aws_lambda_function" "report" {
      function_name = "report"
      role          = "arn:aws:iam::123456789012:role/report"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.report_failures.arn
      }
    }

    resource "aws_cloudwatch_event_rule" "nightly" {
      schedule_expression = "rate(1 day)"
    }

    resource "aws_cloudwatch_event_target" "nightly" {
      rule = aws_cloudwatch_event_rule.nightly.name
      arn  = aws_lambda_function.report.arn
    }

    resource "aws_lambda_permission" "nightly" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.report.function_name
      principal     = "events.amazonaws.com"
      source_arn    = aws_cloudwatch_event_rule.nightly.arn
    }
    ```

    ## Use instead
    The same template with a `DeadLetterConfig` on the schedule (its EventBridge target).
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      ReportFailures:
        Type: AWS::SQS::Queue
      NightlyUndelivered:
        Type: AWS::SQS::Queue
      Report:
        Type: AWS::Serverless::Function
        Properties:
          DeadLetterQueue:
            Type: SQS
            TargetArn: !GetAtt ReportFailures.Arn
          Events:
            Nightly:
              Type: Schedule
              Properties:
                Schedule: rate(1 day)
                DeadLetterConfig:
                  Arn: !GetAtt NightlyUndelivered.Arn
    ```

    In Terraform:
    ```hcl
    resource "aws_sqs_queue" "report_failures" {}

    resource "aws_sqs_queue" "nightly_undelivered" {}

    resource "aws_lambda_function" "report" {
      function_name = "report"
      role          = "arn:aws:iam::123456789012:role/report"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.report_failures.arn
      }
    }

    resource "aws_cloudwatch_event_rule" "nightly" {
      schedule_expression = "rate(1 day)"
    }

    resource "aws_cloudwatch_event_target" "nightly" {
      rule = aws_cloudwatch_event_rule.nightly.name
      arn  = aws_lambda_function.report.arn
      dead_letter_config {
        arn = aws_sqs_queue.nightly_undelivered.arn
      }
    }

    resource "aws_lambda_permission" "nightly" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.report.function_name
      principal     = "events.amazonaws.com"
      source_arn    = aws_cloudwatch_event_rule.nightly.arn
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    - https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
    """
    for t in model.triggers:
        if t.mode != "async" or t.service not in ("eventbridge", "events", "schedule"):
            continue
        if t.delivery_dlq is not None or t.via_permission:
            continue
        rule_label = _caller(model, t)
        yield Finding(
            code="ASYNC005",
            message=f"{rule_label} targets {t.function} without a {setting(model, 'DeadLetterConfig')}: an event "
            "EventBridge cannot deliver to the function (missing permission, throttling) is dropped after its "
            "delivery retries (by default up to 24 h and 185 attempts).",
            span=t.span,
            resource=t.resource,
            function=t.function,
            path=[rule_label, f"target {t.function}", "delivery fails: EventBridge retries",
                  "no target DLQ", "dropped"],
            fix=wording(model, "add DeadLetterConfig (an SQS queue) to the rule target"),
        )


@rule(
    "ASYNC006",
    "failure-target-not-permitted",
    "error",
    "The execution role does not allow sending to the function's DLQ or destination.",
)
def failure_target_not_permitted(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Reads the function's execution role as the template defines it (inline policies, `AWS::IAM::Policy` and
    `AWS::IAM::ManagedPolicy` attached to it, SAM `Policies` statements and policy templates) and checks that
    it allows sending to the function's DLQ and asynchronous destinations: `sqs:SendMessage` for a queue,
    `sns:Publish` for a topic, `lambda:InvokeFunction` for a function, `events:PutEvents` for an event bus,
    `s3:PutObject` for a bucket.
    Roles SAM generates for a function already get these permissions and are not checked; a role with
    policies the template cannot show (AWS managed policies, roles defined elsewhere) is not judged.

    ## Why is this bad?
    Lambda sends the failed event with the function's execution role. Without the permission, the send
    fails, and the event is lost at the very moment it should have been kept. For a DLQ, Lambda also refuses
    to save the function configuration when the role lacks the permission, so the deploy fails.

    ## Failure path
    caller → function [async] → fails → retried 2 times → send to DLQ denied → dropped.

    ## Example
    ```yaml
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      WorkerDlq:
        Type: AWS::SQS::Queue
      WorkerRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: logs
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: logs:*
                    Resource: "*"
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Code: {ZipFile: "def handler(event, context): pass"}
          Role: !GetAtt WorkerRole.Arn
          DeadLetterConfig:
            TargetArn: !GetAtt WorkerDlq.Arn
      UploadsInvoke:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !Ref Worker
          Principal: s3.amazonaws.com
          SourceArn: !GetAtt Uploads.Arn
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
      dead_letter_config {
        target_arn = aws_sqs_queue.resize_failures.arn
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
        ]
      })
    }
    ```

    ## Use instead
    The same template with this statement in the role's policy:
    ```yaml
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
      WorkerDlq:
        Type: AWS::SQS::Queue
      WorkerRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: logs
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: logs:*
                    Resource: "*"
                  - Effect: Allow
                    Action: sqs:SendMessage
                    Resource: !GetAtt WorkerDlq.Arn
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Code: {ZipFile: "def handler(event, context): pass"}
          Role: !GetAtt WorkerRole.Arn
          DeadLetterConfig:
            TargetArn: !GetAtt WorkerDlq.Arn
      UploadsInvoke:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: !Ref Worker
          Principal: s3.amazonaws.com
          SourceArn: !GetAtt Uploads.Arn
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
      dead_letter_config {
        target_arn = aws_sqs_queue.resize_failures.arn
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
          { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.resize_failures.arn },
        ]
      })
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    """
    for fid in sorted(model.functions):
        fn = model.functions[fid]
        role = iam.role_of(model, fn.role)
        if role is None or (role.id != role.origin and role.origin == fn.origin):
            continue  # a role SAM generates for this function grants its DLQ and destinations itself
        for what, target, resource, span in _failure_targets(fn):
            if target.node is None or not target.known:
                continue
            service = _target_service(model, target)
            actions = _PUT_ACTION.get(service or "")
            if not actions:
                continue
            if iam.allows_any(model, fn.role, actions, target.node) is not False:
                continue
            yield Finding(
                code="ASYNC006",
                message=f"The execution role {role.id} of {fid} does not allow {actions[0]} on "
                f"{target_label(model, target)}, its {what}: Lambda cannot deliver the record, so it is lost.",
                span=role.span,
                resource=role.origin,
                function=fid,
                related=related(span, resource, f"the {what}"),  # type: ignore[arg-type]
                path=[_async_step(model, fid),
                      "success" if what.startswith("on-success") else "failure: retries used up",
                      f"{what} {target_label(model, target)}: {actions[0]} denied",
                      "record lost" if what.startswith("on-success") else "dropped"],
                fix=f"allow {actions[0]} on {target_label(model, target)} in {role.id}",
            )
