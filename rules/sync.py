"""SYNC: functions behind synchronous callers.

A synchronous caller waits for the function's answer, within its own time limit. API Gateway stops waiting
after its integration timeout (29 s for REST APIs unless the quota is raised and ``TimeoutInMillis`` set,
30 s for HTTP APIs) and answers 504 while the function keeps running.
"""

from __future__ import annotations

from collections.abc import Iterable

from invocation_lint.model import Model, Trigger
from invocation_lint.registry import Context, Finding, Related, rule

from ._common import related, setting

#: the integration timeout limit (ms) by API kind, when the integration does not set ``TimeoutInMillis``
_LIMIT_MS = {"rest": 29000, "http": 30000}
_KIND = {"rest": "API Gateway REST API", "http": "API Gateway HTTP API"}


def _api_kind(t: Trigger) -> str | None:
    if t.api_kind in _LIMIT_MS:
        return t.api_kind
    if t.api_kind is None:
        return {"apigateway": "rest", "apigatewayv2": "http"}.get(t.service)
    return None


#: a REST integration that streams its response may run up to 15 minutes
_STREAM_LIMIT_MS = 900_000


def _limit_ms(t: Trigger, kind: str) -> int | None:
    if t.integration_timeout_ms is not None:
        v = t.integration_timeout_ms
        return v.value if v.known and isinstance(v.value, int) else None
    if str(t.response_transfer_mode or "").upper() == "STREAM":
        return _STREAM_LIMIT_MS
    return _LIMIT_MS[kind]


def _integration_visible(model: Model, t: Trigger) -> bool:
    """Only a permission says API Gateway invokes the function: its integration (and timeout) is elsewhere."""
    return not t.via_permission


def _seconds(ms: int) -> str:
    """Seconds, as templates write timeouts: ``29 s``, ``0.5 s``, ``90 s``."""
    return f"{ms / 1000:g} s"


@rule(
    "SYNC001",
    "timeout-exceeds-api-limit",
    "warning",
    "A function behind API Gateway may run longer than the API waits: the client gets a 504.",
)
def timeout_exceeds_api_limit(model: Model, ctx: Context) -> Iterable[Finding]:
    """
    ## What it does
    Finds functions invoked by API Gateway whose `Timeout` is longer than the API's integration timeout:
    29 seconds for a REST API (`AWS::Serverless::Api`, `AWS::ApiGateway::*`, SAM `Api` events), 30 seconds
    for an HTTP API (`AWS::Serverless::HttpApi`, `AWS::ApiGatewayV2::*`, SAM `HttpApi` events), or the
    integration's own `TimeoutInMillis` when the template sets it. An integration that streams its response
    (`ResponseTransferMode: STREAM`) may run up to 15 minutes. When only an `AWS::Lambda::Permission` says
    that API Gateway invokes the function, the integration is not in the template and the rule stays silent.

    ## Why is this bad?
    API Gateway stops waiting when the integration timeout is reached and answers the client with
    `504 Gateway Timeout`. The function is not stopped: it runs on until it finishes or reaches its own
    timeout, and is billed for it. Whatever it returns is thrown away, and a client that retries starts the
    same work again, in parallel. A REST API's 29-second limit can be raised by a quota request for Regional
    and private APIs; the integration must then set `TimeoutInMillis` above 29000, which this rule reads.

    ## Failure path
    client → API Gateway → function [sync, up to 60 s] → API answers 504 after 29 s → the function runs on.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Report:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 60
          Events:
            Get:
              Type: Api
              Properties:
                Path: /report
                Method: get
    ```

    In Terraform:
    ```hcl
    resource "aws_lambda_function" "report" {
      function_name = "report"
      role          = "arn:aws:iam::123456789012:role/report"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      timeout       = 60
    }

    resource "aws_apigatewayv2_api" "api" {
      name          = "api"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "report" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.report.invoke_arn
      payload_format_version = "2.0"
    }

    resource "aws_apigatewayv2_route" "report" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "GET /items"
      target    = "integrations/${aws_apigatewayv2_integration.report.id}"
    }

    resource "aws_lambda_permission" "api" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.report.function_name
      principal     = "apigateway.amazonaws.com"
      source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*"
    }
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Report:
        Type: AWS::Serverless::Function
        Properties:
          Timeout: 25
          Events:
            Get:
              Type: Api
              Properties:
                Path: /report
                Method: get
    ```
    Move longer work behind an asynchronous step (a queue, Step Functions) and answer 202.

    In Terraform:
    ```hcl
    resource "aws_lambda_function" "report" {
      function_name = "report"
      role          = "arn:aws:iam::123456789012:role/report"
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "build/app.zip"
      timeout       = 25
    }

    resource "aws_apigatewayv2_api" "api" {
      name          = "api"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "report" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.report.invoke_arn
      payload_format_version = "2.0"
    }

    resource "aws_apigatewayv2_route" "report" {
      api_id    = aws_apigatewayv2_api.api.id
      route_key = "GET /items"
      target    = "integrations/${aws_apigatewayv2_integration.report.id}"
    }

    resource "aws_lambda_permission" "api" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.report.function_name
      principal     = "apigateway.amazonaws.com"
      source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*"
    }
    ```

    ## Fix
    None: the finding says what to change; the change is made by hand.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html
    - https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
    """
    by_function: dict[str, list[tuple[Trigger, str, int]]] = {}
    for t in model.triggers:
        if t.mode != "sync":
            continue
        kind = _api_kind(t)
        if kind is None or not _integration_visible(model, t):
            continue
        limit = _limit_ms(t, kind)
        if limit is not None:
            by_function.setdefault(t.function, []).append((t, kind, limit))
    for fid in sorted(by_function):
        fn = model.functions.get(fid)
        if fn is None or not fn.timeout.known or not isinstance(fn.timeout.value, (int, float)):
            continue
        timeout_ms = int(fn.timeout.value * 1000)
        over = [(t, kind, limit) for t, kind, limit in by_function[fid] if timeout_ms > limit]
        if not over:
            continue
        over.sort(key=lambda x: (x[2], x[0].span.file, x[0].span.line))
        t, kind, limit = over[0]
        api = t.api or (t.source.node if t.source is not None and t.source.node else None)
        api_words = f"{_KIND[kind]} {api}" if api else _KIND[kind]
        if t.integration_timeout_ms is not None:
            note = " (the integration's TimeoutInMillis)"
        elif limit == _STREAM_LIMIT_MS:
            note = " (the most a streamed response may take)"
        elif kind == "rest":
            note = (" (a quota request can raise this for Regional and private REST APIs; the integration then "
                    "sets TimeoutInMillis)")
        else:
            note = " (the HTTP API maximum)"
        rel: list[Related] = []
        for other, okind, olimit in over:
            rel += related(other.span, other.resource, f"{_KIND[okind]} waits {_seconds(olimit)}")
        yield Finding(
            code="SYNC001",
            message=f"{fid} may run for {_seconds(timeout_ms)} but {api_words} stops waiting after "
            f"{_seconds(limit)}{note}: the client gets a 504 while the function runs on, billed, "
            "and its answer is thrown away.",
            span=fn.timeout.span or fn.span,
            resource=fn.origin,
            function=fid,
            related=rel,
            path=["client", api_words, f"{fid} [sync, timeout {_seconds(timeout_ms)}]",
                  f"API answers 504 after {_seconds(limit)}", "function runs on, result discarded"],
            fix=f"lower {setting(model, 'Timeout')} to at most {limit // 1000} s, or make the work asynchronous",
        )
