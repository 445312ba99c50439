"""The Model the CloudFormation and SAM front-ends build: nodes, triggers, routes, values and their lines."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from invocation_lint.discover import discover
from invocation_lint.load import load_path
from invocation_lint.model import Model, Unknown


def load(tmp_path: Path, text: str, name: str = "template.yaml") -> Model:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    (model,) = load_path(str(path))
    return model


def test_short_and_long_intrinsics_resolve_to_nodes(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Parameters:
          Env: {Type: String, Default: prod}
          NoDefault: {Type: Number}
        Mappings:
          Sizes: {prod: {Vis: 120}}
        Resources:
          Dlq:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub "orders-dlq-${Env}"
          Q1:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: !FindInMap [Sizes, !Ref Env, Vis]
              RedrivePolicy:
                deadLetterTargetArn: !Sub "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders-dlq-prod"
                maxReceiveCount: "7"
          Q2:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: !Ref NoDefault
              RedrivePolicy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:111111111111:elsewhere", "maxReceiveCount": 4}'
          Q3:
            Type: AWS::SQS::Queue
            Properties:
              RedrivePolicy:
                deadLetterTargetArn: {"Fn::ImportValue": "shared-dlq"}
                maxReceiveCount: 5
        """)
    q1, q2, q3 = m.queues["Q1"], m.queues["Q2"], m.queues["Q3"]
    assert (q1.visibility_timeout.value, q1.visibility_timeout.span.line, q1.visibility_timeout.default) == (120, 14, False)
    assert q1.redrive.target.node == "Dlq"  # a literal ARN of a queue named in the template
    assert (q1.redrive.max_receive_count.value, q1.redrive.max_receive_count.span.line) == (7, 17)
    assert isinstance(q2.visibility_timeout.value, Unknown)
    assert q2.redrive.target.arn == "arn:aws:sqs:us-east-1:111111111111:elsewhere"
    assert q2.redrive.max_receive_count.value == 4
    assert q3.redrive.target.node is None and q3.redrive.target.unknown is not None
    assert m.resources["Q1"][1].line == 11
    # defaults are marked as defaults and point at the resource
    assert (m.queues["Dlq"].visibility_timeout.value, m.queues["Dlq"].visibility_timeout.default) == (30, True)
    assert m.queues["Dlq"].visibility_timeout.span.line == 7


def test_conditions_and_if(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Parameters:
          Stage: {Type: String, Default: dev}
          Region2: {Type: String}
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
          Unknowable: !Equals [!Ref Region2, x]
        Resources:
          OnlyProd:
            Type: AWS::SQS::Queue
            Condition: IsProd
          Q:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: !If [IsProd, 300, 60]
              MessageRetentionPeriod: !If [Unknowable, 100, 200]
              DelaySeconds: !If [Unknowable, 5, 5]
        """)
    assert "OnlyProd" not in m.queues  # condition known to be false
    q = m.queues["Q"]
    assert q.visibility_timeout.value == 60
    assert isinstance(q.retention.value, Unknown)


def test_json_template_spans(tmp_path: Path) -> None:
    doc = {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 30, "Runtime": "python3.12",
                                                                   "Handler": "index.handler",
                                                                   "Code": {"ZipFile": "def handler(e, c): pass"},
                                                                   "Role": "arn:aws:iam::1:role/x"}},
            "Q": {"Type": "AWS::SQS::Queue"},
            "Map": {"Type": "AWS::Lambda::EventSourceMapping",
                    "Properties": {"FunctionName": {"Ref": "Fn"}, "EventSourceArn": {"Fn::GetAtt": ["Q", "Arn"]},
                                   "BatchSize": 50, "MaximumBatchingWindowInSeconds": 2}},
        }
    }
    text = json.dumps(doc, indent=2)
    m = load(tmp_path, text, "template.json")

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)

    (t,) = m.triggers
    assert (t.function, t.mode, t.service, t.source.node, t.resource) == ("Fn", "poll-sqs", "sqs", "Q", "Map")
    assert (t.batch_size.value, t.batching_window.value) == (50, 2)
    assert t.batch_size.span.line == line_of('"BatchSize"') and t.span.line == line_of('"Map"')
    fn = m.functions["Fn"]
    assert fn.timeout.span.line == line_of('"Timeout"') and fn.code.kind == "inline" and fn.role.arn == "arn:aws:iam::1:role/x"


def test_sam_events_modes_and_generated_resources(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            Timeout: 25
            Runtime: python3.12
            Handler: app.handler
        Resources:
          Topic:
            Type: AWS::SNS::Topic
          Stream:
            Type: AWS::Kinesis::Stream
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              StreamSpecification: {StreamViewType: NEW_IMAGE}
          Bucket:
            Type: AWS::S3::Bucket
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: src/
              Events:
                FromTopic: {Type: SNS, Properties: {Topic: !Ref Topic}}
                Buffered: {Type: SNS, Properties: {Topic: !Ref Topic, SqsSubscription: true}}
                Kin: {Type: Kinesis, Properties: {Stream: !GetAtt Stream.Arn, StartingPosition: LATEST, MaximumRetryAttempts: 3}}
                Ddb: {Type: DynamoDB, Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}}
                Upload: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: "s3:ObjectCreated:*"}}
                Cron: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
                Rule: {Type: EventBridgeRule, Properties: {Pattern: {source: [x]}, DeadLetterConfig: {Type: SQS}}}
                Later: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour)}}
                Logs: {Type: CloudWatchLogs, Properties: {LogGroupName: g, FilterPattern: ""}}
                Iot: {Type: IoTRule, Properties: {Sql: "SELECT * FROM 't'"}}
                Rest: {Type: Api, Properties: {Path: /, Method: get}}
                Http: {Type: HttpApi, Properties: {Path: /, Method: get, TimeoutInMillis: 5000}}
        """)
    got = sorted((t.mode, t.service, t.source.node if t.source else None, t.span.line) for t in m.triggers)
    assert got == [
        ("async", "eventbridge", "FnRule", 29),
        ("async", "iot", None, 32),
        ("async", "logs", None, 31),
        ("async", "s3", "Bucket", 27),
        ("async", "schedule", "FnCron", 28),
        ("async", "scheduler", "FnLater", 30),
        ("async", "sns", "Topic", 23),
        ("poll-sqs", "sqs", "FnBufferedQueue", 24),
        ("poll-stream", "dynamodb", "Table", 26),
        ("poll-stream", "kinesis", "Stream", 25),
        ("sync", "apigateway", "ServerlessRestApi", 33),
        ("sync", "apigatewayv2", "ServerlessHttpApi", 34),
    ]
    assert all(t.resource == "Fn" for t in m.triggers)
    assert m.queues["FnBufferedQueue"].origin == "Fn" and m.queues["FnBufferedQueue"].redrive is None
    assert m.functions["Fn"].timeout.value == 25 and m.functions["Fn"].timeout.span.line == 4
    kin = next(t for t in m.triggers if t.service == "kinesis")
    assert (kin.batch_size.value, kin.batch_size.default, kin.max_retry_attempts.value) == (100, True, 3)
    http = next(t for t in m.triggers if t.service == "apigatewayv2")
    assert (http.api_kind, http.integration_timeout_ms.value) == ("http", 5000)
    rule = next(t for t in m.triggers if t.service == "eventbridge")
    assert rule.delivery_dlq.node == "FnRuleQueue"
    assert m.functions["Fn"].code.kind == "dir" and m.functions["Fn"].code.path == str(tmp_path / "src")


def test_sam_dlq_event_invoke_config_and_role(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Dlq: {Type: AWS::SQS::Queue}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: nodejs20.x
              Handler: index.handler
              InlineCode: "exports.handler = async () => {}"
              AutoPublishAlias: live
              DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Dlq.Arn}
              EventInvokeConfig:
                MaximumRetryAttempts: 0
                DestinationConfig:
                  OnFailure: {Type: SNS}
              Policies:
                - AmazonS3ReadOnlyAccess
        """)
    fn = m.functions["Fn"]
    assert fn.dlq.node == "Dlq" and fn.dlq.span.line == 11
    (cfg,) = fn.async_configs
    assert (cfg.qualifier, cfg.max_retry_attempts.value, cfg.on_failure.node) == ("live", 0, "FnEventInvokeConfigOnFailureTopic")
    assert sorted((r.kind, r.source, r.target.node) for r in m.routes) == [
        ("function-dlq", "Fn", "Dlq"), ("on-failure", "Fn", "FnEventInvokeConfigOnFailureTopic"),
    ]
    role = m.roles[fn.role.node]
    assert fn.role.node == "FnRole" and role.origin == "Fn"
    assert role.complete is False  # AmazonS3ReadOnlyAccess cannot be seen from here
    actions = sorted(a for st in role.statements for a in st.actions)
    assert actions == ["sns:Publish", "sqs:SendMessage"]  # what SAM adds for the DLQ and the destination
    assert fn.code.kind == "inline" and "exports.handler" in fn.code.inline


def test_permissions_count_only_where_nothing_else_says_more(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Handler: a.b, Runtime: python3.12, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              Subscription: [{Protocol: lambda, Endpoint: !GetAtt Fn.Arn}]
          SnsPerm:
            Type: AWS::Lambda::Permission
            Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: sns.amazonaws.com, SourceArn: !Ref Topic}
          S3Perm:
            Type: AWS::Lambda::Permission
            Properties: {FunctionName: !GetAtt Fn.Arn, Action: lambda:InvokeFunction, Principal: s3.amazonaws.com}
          ApiPerm:
            Type: AWS::Lambda::Permission
            Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com}
        """)
    assert sorted((t.mode, t.service, t.resource) for t in m.triggers) == [
        ("async", "s3", "S3Perm"), ("async", "sns", "Topic"), ("sync", "apigateway", "ApiPerm"),
    ]


def test_rest_integration_invoked_as_event_is_async(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Handler: a.b, Runtime: python3.12, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
          Api: {Type: AWS::ApiGateway::RestApi}
          Method:
            Type: AWS::ApiGateway::Method
            Properties:
              RestApiId: !Ref Api
              HttpMethod: POST
              ResourceId: x
              Integration:
                Type: AWS
                IntegrationHttpMethod: POST
                Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                RequestParameters:
                  integration.request.header.X-Amz-Invocation-Type: "'Event'"
        """)
    (t,) = m.triggers
    assert (t.mode, t.service, t.api, t.proxy) == ("async", "apigateway", "Api", False)


def test_metadata_suppressions(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Metadata:
              invlint:
                ignore: [SQS001, sqs-queue-without-redrive]
        """)
    assert m.suppressions == {"Q": {"SQS001", "sqs-queue-without-redrive"}}


def test_discovery_skips_non_templates_and_tool_folders(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    (tmp_path / "config.yaml").write_text("key: value\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "b.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    (tmp_path / ".aws-sam").mkdir()
    (tmp_path / ".aws-sam" / "template.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.json").write_text('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}')
    inputs, errors = discover([str(tmp_path)])
    assert errors == []
    assert sorted(Path(i.path).relative_to(tmp_path).as_posix() for i in inputs) == ["a.yaml", "sub/c.json"]
    inputs, errors = discover([str(tmp_path / "missing.yaml"), str(tmp_path / "*.nothing")])
    assert [e.message for e in errors] == ["no such file or directory", "no file matches this pattern"]


@pytest.mark.parametrize("text", [
    "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: !Ref AWS::NoValue\n",
    "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: 'not json'\n",
])
def test_odd_redrive_values_do_not_crash(tmp_path: Path, text: str) -> None:
    m = load(tmp_path, text)
    assert "Q" in m.queues


def test_redrive_policy_from_a_parameter_without_default_is_unknown(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Parameters:
          Policy: {Type: String}
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Properties:
              RedrivePolicy: !Ref Policy
        """)
    assert isinstance(m.queues["Q"].redrive, Unknown)


def test_iam_statements_keep_patterns_conditions_and_not_resource(tmp_path: Path) -> None:
    from invocation_lint.iam import allows

    m = load(tmp_path, """\
        Resources:
          Alerts: {Type: AWS::SNS::Topic}
          Jobs: {Type: AWS::SQS::Queue}
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {}
              Policies:
                - PolicyName: p
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Action: sns:Publish
                        Resource: !Sub arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*
                      - Effect: Allow
                        Action: sqs:SendMessage
                        NotResource: !GetAtt Jobs.Arn
                      - Effect: Allow
                        Action: lambda:InvokeFunction
                        Resource: "*"
                        Condition: {StringEquals: {"aws:SourceAccount": "1"}}
        """)
    publish, send, invoke = m.roles["Role"].statements
    assert publish.resources[0].arn == "arn:aws:sns:${Region}:${AccountId}:*"
    assert (send.not_resource, send.resources[0].node) == (True, "Jobs")
    assert invoke.conditional
    role = publish.resources[0].__class__(node="Role")
    assert allows(m, role, "sns:Publish", "Alerts") is True  # every topic of this account and region
    assert allows(m, role, "sqs:SendMessage", "Jobs") is False  # everything but Jobs


def test_sam_http_api_payload_format(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              InlineCode: "def handler(e, c): return 1"
              Events:
                New: {Type: HttpApi, Properties: {Path: /a, Method: get}}
                Old: {Type: HttpApi, Properties: {Path: /b, Method: get, PayloadFormatVersion: "1.0"}}
        """)
    assert sorted(t.payload_format_version for t in m.triggers) == ["1.0", "2.0"]


def test_kinesis_enhanced_fan_out_consumer_polls_its_stream(tmp_path: Path) -> None:
    m = load(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Stream: {Type: AWS::Kinesis::Stream, Properties: {ShardCount: 1}}
          Consumer:
            Type: AWS::Kinesis::StreamConsumer
            Properties: {ConsumerName: c, StreamARN: !GetAtt Stream.Arn}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              InlineCode: "def handler(e, c): pass"
              Events:
                Records:
                  Type: Kinesis
                  Properties: {Stream: !GetAtt Consumer.ConsumerARN, StartingPosition: LATEST}
        """)
    (t,) = m.triggers
    assert (t.mode, t.service, t.source.node) == ("poll-stream", "kinesis", "Stream")


def test_api_event_on_a_user_written_openapi_body_adds_no_proxy_integration(tmp_path: Path) -> None:
    """SAM leaves a DefinitionBody the user wrote as it is: the body's own integration is how API Gateway calls."""
    m = load(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: nodejs20.x
              Handler: index.handler
              InlineCode: "exports.handler = async () => ({})"
              Events:
                Root: {Type: Api, Properties: {Path: /, Method: post, RestApiId: !Ref Api}}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                swagger: "2.0"
                paths:
                  /:
                    post:
                      x-amazon-apigateway-integration:
                        type: aws
                        httpMethod: POST
                        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
        """)
    (t,) = m.triggers
    assert (t.mode, t.service, t.api, t.proxy, t.span.line) == ("sync", "apigateway", "Api", False, 20)
