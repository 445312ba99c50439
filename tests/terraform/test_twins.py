"""Every Terraform twin under ``fixtures/terraform/<family>/<name>/`` gives the findings of its CloudFormation or
SAM fixture (twins of SAM fixtures are named ``sam_<name>``): the same rule codes, on the same resources, for the
same functions.

Resources are matched by the naming convention of the twins (see ``cfn_to_tf.py``): a logical id in snake case
is the Terraform resource name (``OrdersQueue`` ↔ ``aws_sqs_queue.orders_queue``), and a resource Terraform
splits out of a CloudFormation one is named ``<owner>__<part>`` (``aws_cloudwatch_event_target.nightly_rule__report``
↔ ``NightlyRule``); so is a resource the SAM transform generates for a function (``aws_lambda_event_source_mapping.
process_orders__orders_event`` ↔ ``ProcessOrders``). Each twin names its source in its first line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, lint

from invocation_lint.engine import run

TWINS = sorted(p.parent for p in (FIXTURES / "terraform").glob("*/*/main.tf")
               if p.read_text(encoding="utf-8").startswith("# Terraform twin of "))
_SOURCE = re.compile(r"^# Terraform twin of (\S+)")


def source_of(twin: Path) -> Path:
    first = (twin / "main.tf").read_text(encoding="utf-8").splitlines()[0]
    m = _SOURCE.match(first)
    assert m, f"{twin}/main.tf does not name its CloudFormation source"
    return FIXTURES.parent / m.group(1)


def snake(name: str) -> str:
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return re.sub(r"[^A-Za-z0-9_]", "_", s).lower()


def role_of_address(address: str | None) -> str | None:
    """``module.x.aws_sqs_queue.orders_queue[0]`` → ``orders_queue``; ``…nightly_rule__report`` → ``nightly_rule``;
    an instance of a ``for_each`` resource is its key: ``aws_lambda_function.fn["first_only"]`` → ``first_only``."""
    if address is None:
        return None
    key = re.search(r'\["([^"]*)"\]$', address)
    if key:
        return key.group(1)
    name = re.sub(r"\[[^\]]*\]$", "", address).rsplit(".", 1)[-1]
    return name.split("__", 1)[0]


def role_of_logical(logical: str | None) -> str | None:
    return None if logical is None else snake(logical)


def test_every_rule_fixture_has_a_twin() -> None:
    sources = {source_of(t).resolve() for t in TWINS}
    for cfn in sorted([*FIXTURES.glob("*/cfn/*"), *FIXTURES.glob("*/sam/*")]):
        if cfn.suffix in (".yaml", ".yml", ".json") and cfn.resolve() not in sources:
            pytest.fail(f"{cfn.relative_to(FIXTURES)} has no Terraform twin under fixtures/terraform/")


@pytest.mark.parametrize("twin", TWINS, ids=[f"{t.parent.name}/{t.name}" for t in TWINS])
def test_twin_gives_the_same_findings(twin: Path) -> None:
    """The whole pipeline (handler analysis included), as ``invlint check`` runs it."""
    cfn_result = run([str(source_of(twin))])
    tf_result = run([str(twin)])
    assert not cfn_result.errors and not tf_result.errors
    cfn, tf = cfn_result.findings, tf_result.findings
    want = Counter((f.code, role_of_logical(f.resource), role_of_logical(f.function)) for f in cfn)
    got = Counter((f.code, role_of_address(f.resource), role_of_address(f.function)) for f in tf)
    assert got == want
    # every Terraform finding points at a line of the twin
    for f in tf:
        assert f.span is not None and Path(f.span.file).resolve().is_relative_to(twin.resolve()), f
        assert f.span.line > 0


def test_twins_are_not_all_clean() -> None:
    """The comparison means something: the fire twins do produce findings."""
    fired = [t for t in TWINS if t.name.endswith("_fire") and lint(t)]
    assert len(fired) == len([t for t in TWINS if t.name.endswith("_fire")])


_CONSUMER_CFN = """\
Resources:
  Events:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Reader:
    Type: AWS::Kinesis::StreamConsumer
    Properties:
      ConsumerName: reader
      StreamARN: !GetAtt Events.Arn
  Audit:
    Type: AWS::Logs::LogGroup
  Process:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/process
      Handler: index.handler
      Runtime: python3.12
      Code:
        ZipFile: |
          def handler(event, context):
              return None
  ReadEvents:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Process
      EventSourceArn: !Ref Reader
      StartingPosition: LATEST
  ReadAudit:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Process
      EventSourceArn: !GetAtt Audit.Arn
      StartingPosition: LATEST
"""

_CONSUMER_TF = """\
resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1
}

resource "aws_kinesis_stream_consumer" "reader" {
  name       = "reader"
  stream_arn = aws_kinesis_stream.events.arn
}

resource "aws_cloudwatch_log_group" "audit" {
  name = "audit"
}

resource "aws_lambda_function" "process" {
  function_name = "process"
  role          = "arn:aws:iam::123456789012:role/process"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "process.zip"
}

resource "aws_lambda_event_source_mapping" "read_events" {
  function_name     = aws_lambda_function.process.arn
  event_source_arn  = aws_kinesis_stream_consumer.reader.arn
  starting_position = "LATEST"
}

resource "aws_lambda_event_source_mapping" "read_audit" {
  function_name     = aws_lambda_function.process.arn
  event_source_arn  = aws_cloudwatch_log_group.audit.arn
  starting_position = "LATEST"
}
"""


def test_a_stream_consumer_and_an_unknown_event_source_are_read_alike(tmp_path: Path) -> None:
    """A mapping on an enhanced fan-out consumer polls the consumer's stream; a mapping on what no service polls
    (a log group) is not checked, and ``-v`` says so, in every format."""
    from invocation_lint.load import load_path

    (tmp_path / "cfn").mkdir()
    (tmp_path / "tf").mkdir()
    (tmp_path / "cfn" / "template.yaml").write_text(_CONSUMER_CFN, encoding="utf-8")
    (tmp_path / "tf" / "main.tf").write_text(_CONSUMER_TF, encoding="utf-8")
    seen = []
    for path, role in ((tmp_path / "cfn" / "template.yaml", role_of_logical), (tmp_path / "tf", role_of_address)):
        (model,) = load_path(str(path))
        triggers = [(role(t.function), t.mode, t.service, role(t.source.node if t.source else None),
                     role(t.declared_id)) for t in model.triggers]
        notes = [n.split(": ", 1)[1] for n in model.notes if "event source" in n]
        findings = sorted((f.code, role(f.resource), role(f.function)) for f in run([str(path)]).findings)
        seen.append((triggers, notes, findings))
    cfn, tf = seen
    assert cfn[0] == [("process", "poll-stream", "kinesis", "events", "read_events")]
    assert cfn[1] == ["the event source of this mapping is not known; it is not checked"]
    assert cfn[2] == [("STREAM001", "read_events", "process"), ("STREAM002", "read_events", "process")]
    assert tf == cfn


_FN_CFN = """\
  {name}:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/jobs
      Handler: index.handler
      Runtime: python3.12
      Code:
        ZipFile: |
          def handler(event, context):
              return None
"""

_API_CFN = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: jobs
  Submit:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Worker.Arn}/invocations"
        RequestParameters:
          integration.request.header.X-Amz-Invocation-Type: "'Event'"
  BodyApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: "3.0.1"
        components:
          securitySchemes:
            token:
              type: apiKey
              x-amazon-apigateway-authorizer:
                type: token
                authorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Authorize.Arn}/invocations"
        paths:
          /jobs:
            post:
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Enqueue.Arn}/invocations"
                requestParameters:
                  integration.request.header.X-Amz-Invocation-Type: "'Event'"
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Enqueue.Arn}/invocations"
""" + "".join(_FN_CFN.format(name=n) for n in ("Worker", "Authorize", "Enqueue"))

_FN_TF = """
data "archive_file" "{name}" {{
  type        = "zip"
  source_dir  = "${{path.module}}/src"
  output_path = "${{path.module}}/build/{name}.zip"
}}

resource "aws_lambda_function" "{name}" {{
  function_name = "{name}"
  role          = "arn:aws:iam::123456789012:role/jobs"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = data.archive_file.{name}.output_path
}}
"""

_API_TF = """\
resource "aws_api_gateway_rest_api" "api" {
  name = "jobs"
}

resource "aws_api_gateway_integration" "submit" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_rest_api.api.root_resource_id
  http_method             = "POST"
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.worker.invoke_arn
  request_parameters = {
    "integration.request.header.X-Amz-Invocation-Type" = "'Event'"
  }
}

resource "aws_api_gateway_rest_api" "body_api" {
  name = "jobs-openapi"
  body = jsonencode({
    openapi = "3.0.1"
    components = {
      securitySchemes = {
        token = {
          type = "apiKey"
          "x-amazon-apigateway-authorizer" = {
            type          = "token"
            authorizerUri = aws_lambda_function.authorize.invoke_arn
          }
        }
      }
    }
    paths = {
      "/jobs" = {
        post = {
          "x-amazon-apigateway-integration" = {
            type       = "aws"
            httpMethod = "POST"
            uri        = aws_lambda_function.enqueue.invoke_arn
            requestParameters = {
              "integration.request.header.X-Amz-Invocation-Type" = "'Event'"
            }
          }
        }
        get = {
          "x-amazon-apigateway-integration" = {
            type       = "aws_proxy"
            httpMethod = "POST"
            uri        = aws_lambda_function.enqueue.invoke_arn
          }
        }
      }
    }
  })
}
""" + "".join(_FN_TF.format(name=n) for n in ("worker", "authorize", "enqueue"))


def test_api_gateway_async_integrations_and_openapi_authorizers_are_read_alike(tmp_path: Path) -> None:
    """A non-proxy REST integration that sets X-Amz-Invocation-Type to 'Event' invokes asynchronously (as a
    method and in an OpenAPI body), and an OpenAPI security scheme's Lambda authorizer is a sync caller, in
    every format."""
    from invocation_lint.load import load_path

    (tmp_path / "cfn").mkdir()
    (tmp_path / "tf").mkdir()
    (tmp_path / "cfn" / "template.yaml").write_text(_API_CFN, encoding="utf-8")
    (tmp_path / "tf" / "main.tf").write_text(_API_TF, encoding="utf-8")
    (tmp_path / "tf" / "src").mkdir()
    (tmp_path / "tf" / "src" / "index.py").write_text("def handler(event, context):\n    return None\n", encoding="utf-8")
    seen = []
    for path, role in ((tmp_path / "cfn" / "template.yaml", role_of_logical), (tmp_path / "tf", role_of_address)):
        (model,) = load_path(str(path))
        triggers = sorted((role(t.function), t.mode, t.service, role(t.declared_id), role(t.api), t.api_kind,
                           t.proxy, t.authorizer, t.route) for t in model.triggers)
        findings = sorted((f.code, role(f.resource), role(f.function)) for f in run([str(path)]).findings)
        seen.append((triggers, findings))
    cfn, tf = seen
    assert cfn[0] == [
        ("authorize", "sync", "apigateway", "body_api", "body_api", "rest", False, True, None),
        ("enqueue", "async", "apigateway", "body_api", "body_api", "rest", False, False, "POST /jobs"),
        ("enqueue", "sync", "apigateway", "body_api", "body_api", "rest", True, False, "GET /jobs"),
        ("worker", "async", "apigateway", "submit", "api", "rest", False, False, None),
    ]
    # the proxy GET returns no statusCode (HANDLER008); the async callers drop failed events (ASYNC001)
    assert cfn[1] == [("ASYNC001", "enqueue", "enqueue"), ("ASYNC001", "worker", "worker"),
                      ("HANDLER008", "enqueue", "enqueue")]
    assert tf == cfn


_AUTHORIZER_CFN = """\
Resources:
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: chat
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  ChatAuthorizer:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Chat
      AuthorizerType: REQUEST
      Name: chat-auth
      AuthorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Authorize.Arn}/invocations"
  Orders:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
  OrdersAuthorizer:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Orders
      AuthorizerType: REQUEST
      Name: orders-auth
      AuthorizerPayloadFormatVersion: "2.0"
      AuthorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Authorize.Arn}/invocations"
""" + _FN_CFN.format(name="Authorize")

_AUTHORIZER_TF = """\
resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_authorizer" "chat_authorizer" {
  api_id          = aws_apigatewayv2_api.chat.id
  authorizer_type = "REQUEST"
  name            = "chat-auth"
  authorizer_uri  = aws_lambda_function.authorize.invoke_arn
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "orders_authorizer" {
  api_id                            = aws_apigatewayv2_api.orders.id
  authorizer_type                   = "REQUEST"
  name                              = "orders-auth"
  authorizer_payload_format_version = "2.0"
  authorizer_uri                    = aws_lambda_function.authorize.invoke_arn
}
""" + _FN_TF.format(name="authorize")


def test_http_and_websocket_api_authorizers_are_read_alike(tmp_path: Path) -> None:
    from invocation_lint.load import load_path

    (tmp_path / "cfn").mkdir()
    (tmp_path / "tf" / "src").mkdir(parents=True)
    (tmp_path / "cfn" / "template.yaml").write_text(_AUTHORIZER_CFN, encoding="utf-8")
    (tmp_path / "tf" / "main.tf").write_text(_AUTHORIZER_TF, encoding="utf-8")
    (tmp_path / "tf" / "src" / "index.py").write_text("def handler(event, context):\n    return None\n", encoding="utf-8")
    seen = []
    for path, role in ((tmp_path / "cfn" / "template.yaml", role_of_logical), (tmp_path / "tf", role_of_address)):
        (model,) = load_path(str(path))
        seen.append(sorted((role(t.function), t.mode, t.service, role(t.declared_id), role(t.api), t.api_kind,
                            t.proxy, t.authorizer) for t in model.triggers))
        seen.append(sorted((f.code, role(f.resource), role(f.function)) for f in run([str(path)]).findings))
    cfn_triggers, cfn_findings, tf_triggers, tf_findings = seen
    assert cfn_triggers == [
        ("authorize", "sync", "apigatewayv2", "chat_authorizer", "chat", "websocket", False, True),
        ("authorize", "sync", "apigatewayv2", "orders_authorizer", "orders", "http", False, True),
    ]
    assert tf_triggers == cfn_triggers
    assert tf_findings == cfn_findings


_UNKNOWN_MODE_CFN = """\
Parameters:
  Mode:
    Type: String
Resources:
  Audit:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/pipe
      Source: arn:aws:sqs:us-east-1:123456789012:audit
      Target: !GetAtt Deliver.Arn
      TargetParameters:
        LambdaFunctionParameters:
          InvocationType: !Ref Mode
  Inbound:
    Type: AWS::SES::ReceiptRule
    Properties:
      RuleSetName: inbound
      Rule:
        Actions:
          - LambdaAction:
              FunctionArn: !GetAtt Deliver.Arn
              InvocationType: !Ref Mode
""" + _FN_CFN.format(name="Deliver")

_UNKNOWN_MODE_TF = """\
variable "mode" {
  type = string
}

resource "aws_pipes_pipe" "audit" {
  name     = "audit"
  role_arn = "arn:aws:iam::123456789012:role/pipe"
  source   = "arn:aws:sqs:us-east-1:123456789012:audit"
  target   = aws_lambda_function.deliver.arn
  target_parameters {
    lambda_function_parameters {
      invocation_type = var.mode
    }
  }
}

resource "aws_ses_receipt_rule" "inbound" {
  name          = "inbound"
  rule_set_name = "inbound"
  lambda_action {
    function_arn    = aws_lambda_function.deliver.arn
    invocation_type = var.mode
    position        = 1
  }
}
""" + _FN_TF.format(name="deliver")


def test_a_caller_whose_invocation_type_is_not_known_is_noted_alike(tmp_path: Path) -> None:
    """A trigger of unknown mode (no mode-specific rule checks it) and the same ``-v`` note, in every format;
    the SES note names the setting in the input's own spelling."""
    from invocation_lint.load import load_path

    (tmp_path / "cfn").mkdir()
    (tmp_path / "tf" / "src").mkdir(parents=True)
    (tmp_path / "cfn" / "template.yaml").write_text(_UNKNOWN_MODE_CFN, encoding="utf-8")
    (tmp_path / "tf" / "main.tf").write_text(_UNKNOWN_MODE_TF, encoding="utf-8")
    (tmp_path / "tf" / "src" / "index.py").write_text("def handler(event, context):\n    return None\n", encoding="utf-8")
    (cfn,) = load_path(str(tmp_path / "cfn" / "template.yaml"))
    (tf,) = load_path(str(tmp_path / "tf"))
    assert sorted((role_of_logical(t.function), t.mode, t.service, role_of_logical(t.resource)) for t in cfn.triggers) == [
        ("deliver", "unknown", "pipes", "audit"), ("deliver", "unknown", "ses", "inbound")]
    assert sorted((role_of_address(t.function), t.mode, t.service, role_of_address(t.resource)) for t in tf.triggers) == [
        ("deliver", "unknown", "pipes", "audit"), ("deliver", "unknown", "ses", "inbound")]
    mode_notes = [n for n in cfn.notes if "mode is unknown" in n]
    assert mode_notes == [
        "Deliver: Audit invokes it with an invocation type that is not known statically; its mode is unknown and no "
        "mode-specific rule checks it",
        "Deliver: the SES receipt rule Inbound sets an InvocationType that is not known statically; its mode is "
        "unknown and no mode-specific rule checks it",
    ]
    assert [n for n in tf.notes if "mode is unknown" in n] == [
        n.replace("Deliver", "aws_lambda_function.deliver").replace("Audit", "aws_pipes_pipe.audit")
         .replace("Inbound", "aws_ses_receipt_rule.inbound").replace("InvocationType", "invocation_type")
        for n in mode_notes]
    cfn_findings = sorted((f.code, role_of_logical(f.resource)) for f in run([str(tmp_path / "cfn")]).findings)
    tf_findings = sorted((f.code, role_of_address(f.resource)) for f in run([str(tmp_path / "tf")]).findings)
    assert cfn_findings == tf_findings
