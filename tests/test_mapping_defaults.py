"""Lambda's defaults for an event source mapping that leaves BatchSize and MaximumBatchingWindowInSeconds out,
by the service it polls, the same from CloudFormation, SAM and Terraform; and a setting removed with
``AWS::NoValue``, which is not set at all."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from invocation_lint.load import load_path
from invocation_lint.model import Model

FUNCTION_CFN = """\
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "def handler(event, context): pass"}
"""

#: service -> the mapping's source in CloudFormation, the SAM event, and the Terraform mapping's arguments.
SOURCES = {
    "sqs": (
        "EventSourceArn: arn:aws:sqs:us-east-1:123456789012:orders",
        "Type: SQS\n          Properties: {Queue: arn:aws:sqs:us-east-1:123456789012:orders}",
        'event_source_arn = "arn:aws:sqs:us-east-1:123456789012:orders"',
    ),
    "kinesis": (
        "EventSourceArn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks\n      StartingPosition: LATEST",
        "Type: Kinesis\n          Properties: {Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks,"
        " StartingPosition: LATEST}",
        'event_source_arn  = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"\n  starting_position = "LATEST"',
    ),
    "kafka": (
        "EventSourceArn: arn:aws:kafka:us-east-1:123456789012:cluster/c/abc\n      Topics: [orders]\n"
        "      StartingPosition: LATEST",
        "Type: MSK\n          Properties: {Stream: arn:aws:kafka:us-east-1:123456789012:cluster/c/abc,"
        " Topics: [orders], StartingPosition: LATEST}",
        'event_source_arn  = "arn:aws:kafka:us-east-1:123456789012:cluster/c/abc"\n  topics            = ["orders"]\n'
        '  starting_position = "LATEST"',
    ),
    "mq": (
        "EventSourceArn: arn:aws:mq:us-east-1:123456789012:broker:b:b-1\n      Queues: [orders]",
        "Type: MQ\n          Properties: {Broker: arn:aws:mq:us-east-1:123456789012:broker:b:b-1, Queues: [orders],"
        " SourceAccessConfigurations: [{Type: BASIC_AUTH, URI: arn:aws:secretsmanager:us-east-1:123456789012:secret:s}]}",
        'event_source_arn = "arn:aws:mq:us-east-1:123456789012:broker:b:b-1"\n  queues           = ["orders"]',
    ),
}

#: (BatchSize, MaximumBatchingWindowInSeconds) Lambda uses when they are not set (API_EventSourceMappingConfiguration).
EXPECTED = {"sqs": (10, 0), "kinesis": (100, 0), "kafka": (100, 0.5), "mq": (100, 0.5)}


def _model(tmp_path: Path, name: str, text: str) -> Model:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    (model,) = load_path(str(path))
    return model


def _cloudformation(tmp_path: Path, service: str) -> Model:
    source = SOURCES[service][0]
    return _model(tmp_path, "template.yaml", "Resources:\n" + FUNCTION_CFN + f"""\
  Map:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      {source}
""")


def _sam(tmp_path: Path, service: str) -> Model:
    event = SOURCES[service][1]
    return _model(tmp_path, "template.yaml", f"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context): pass"
      Events:
        Source:
          {event}
""")


def _terraform(tmp_path: Path, service: str) -> Model:
    arguments = SOURCES[service][2]
    return _model(tmp_path, "main.tf", f"""\
resource "aws_lambda_function" "fn" {{
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/r"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
}}

resource "aws_lambda_event_source_mapping" "map" {{
  function_name    = aws_lambda_function.fn.arn
  {arguments}
}}
""")


@pytest.mark.parametrize("front_end", [_cloudformation, _sam, _terraform], ids=["cloudformation", "sam", "terraform"])
@pytest.mark.parametrize("service", sorted(SOURCES))
def test_defaults_by_polled_service(tmp_path: Path, front_end: object, service: str) -> None:
    model = front_end(tmp_path, service)  # type: ignore[operator]
    (trigger,) = model.triggers
    assert trigger.service == service
    assert trigger.batch_size is not None
    size, window = EXPECTED[service]
    assert (trigger.batch_size.value, trigger.batch_size.default) == (size, True)
    assert (trigger.batching_window.value, trigger.batching_window.default) == (window, True)


def test_a_written_window_is_kept(tmp_path: Path) -> None:
    model = _model(tmp_path, "template.yaml", "Resources:\n" + FUNCTION_CFN + """\
  Map:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: arn:aws:kafka:us-east-1:123456789012:cluster/c/abc
      Topics: [orders]
      StartingPosition: LATEST
      MaximumBatchingWindowInSeconds: 2
""")
    (trigger,) = model.triggers
    assert (trigger.batching_window.value, trigger.batching_window.default, trigger.batching_window.span.line) == (
        2, False, 16)


def test_reserved_concurrency_removed_with_no_value_is_not_set(tmp_path: Path) -> None:
    model = _model(tmp_path, "template.yaml", """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "def handler(event, context): pass"}
      ReservedConcurrentExecutions: !Ref AWS::NoValue
""")
    assert model.functions["Fn"].reserved_concurrency is None
