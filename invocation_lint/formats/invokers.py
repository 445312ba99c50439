"""Every AWS service that invokes a Lambda function, how a template links it to the function, and in which mode.

This table is the one place the project's knowledge of invocation modes lives: the front-ends build triggers
for the rows they read (``read``), the permission mapping (``PRINCIPALS`` in ``aws.py``) is derived from it, and
``docs/invokers.md`` is rendered from it (``python -m invocation_lint.formats.invokers > docs/invokers.md``;
a test keeps the page up to date).

Evidence, strongest first: the resource that invokes (a subscription, a rule target, an authorizer, a
mapping, a receipt rule's action) decides the mode. A ``Lambda::Permission`` only says who *may* invoke: it
gives its service's mode when every row of that principal has the same mode, and otherwise a trigger of
``unknown`` mode on which no mode-specific rule fires.
"""

from __future__ import annotations

from ..model import Record, record

#: mode words of the table; ``by setting`` rows name the setting in ``decided_by``
SYNC, ASYNC, POLL_SQS, POLL_STREAM = "sync", "async", "poll-sqs", "poll-stream"
BY_SETTING = "by setting"


@record(slots=False, frozen=True)
class Invoker(Record):
    #: ``Trigger.service`` of the triggers this row gives
    service: str
    name: str
    #: ``sync``, ``async``, ``poll-sqs``, ``poll-stream``, or ``by setting`` (``modes`` lists the possible ones)
    mode: str
    cloudformation: str
    terraform: str
    urls: tuple[str, ...]
    sam: str = ""
    #: the Lambda permission principal this caller is granted by (``iot`` for ``iot.amazonaws.com``)
    principals: tuple[str, ...] = ()
    #: what decides the mode when ``mode`` is ``by setting``
    decided_by: str = ""
    modes: tuple[str, ...] = ()
    #: whether the front-ends build triggers from these resources
    read: bool = True

    def possible_modes(self) -> tuple[str, ...]:
        return self.modes if self.mode == BY_SETTING else (self.mode,)


_LAMBDA_SERVICES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html"
#: the operator guide's table of callers by mode (synchronous, asynchronous, polling)
_MODES = "https://docs.aws.amazon.com/lambda/latest/operatorguide/invocation-modes.html"

INVOKERS: tuple[Invoker, ...] = (
    Invoker(
        "apigateway", "API Gateway REST API", BY_SETTING,
        "`AWS::ApiGateway::Method` `Integration` (`AWS_PROXY`, `AWS`); `AWS::ApiGateway::Authorizer` "
        "`AuthorizerUri`; OpenAPI `Body` `x-amazon-apigateway-integration`",
        "`aws_api_gateway_integration` `uri`; `aws_api_gateway_authorizer` `authorizer_uri`; "
        "`aws_api_gateway_rest_api` `body`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html",
         "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-integration-async.html"),
        sam="`Api` event", principals=("apigateway",),
        decided_by="sync; a non-proxy (`AWS`) integration whose request header `X-Amz-Invocation-Type` is "
                   "`'Event'` invokes asynchronously. A permission alone is taken as a proxy integration (sync).",
        modes=(SYNC, ASYNC),
    ),
    Invoker(
        "apigatewayv2", "API Gateway HTTP and WebSocket APIs", SYNC,
        "`AWS::ApiGatewayV2::Integration` `IntegrationUri`; `AWS::ApiGatewayV2::Api` `Target`; "
        "`AWS::ApiGatewayV2::Authorizer` `AuthorizerUri`",
        "`aws_apigatewayv2_integration` `integration_uri`; `aws_apigatewayv2_api` `target`; "
        "`aws_apigatewayv2_authorizer` `authorizer_uri`",
        ("https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html",),
        sam="`HttpApi` event", principals=("apigateway",),
    ),
    Invoker(
        "alb", "Application Load Balancer", SYNC,
        "`AWS::ElasticLoadBalancingV2::TargetGroup` `TargetType: lambda`, `Targets[].Id`",
        "`aws_lb_target_group_attachment` `target_id` (group `target_type = \"lambda\"`)",
        ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html",),
        principals=("elasticloadbalancing",),
    ),
    Invoker(
        "url", "Lambda function URL", SYNC,
        "`AWS::Lambda::Url` `TargetFunctionArn`", "`aws_lambda_function_url` `function_name`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html",),
        sam="`FunctionUrlConfig`",
    ),
    Invoker(
        "cloudfront", "CloudFront (Lambda@Edge)", SYNC,
        "`AWS::CloudFront::Distribution` `DefaultCacheBehavior`/`CacheBehaviors[]` "
        "`LambdaFunctionAssociations[].LambdaFunctionARN`",
        "`aws_cloudfront_distribution` `default_cache_behavior`/`ordered_cache_behavior` "
        "`lambda_function_association` `lambda_arn`",
        ("https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-the-edge.html", _MODES),
        principals=("cloudfront",),
    ),
    Invoker(
        "cognito", "Cognito user pool triggers", SYNC,
        "`AWS::Cognito::UserPool` `LambdaConfig` (`PreSignUp`, `PostConfirmation`, `PreAuthentication`, "
        "`PostAuthentication`, `PreTokenGeneration`, `CustomMessage`, `DefineAuthChallenge`, "
        "`CreateAuthChallenge`, `VerifyAuthChallengeResponse`, `UserMigration`, `PreTokenGenerationConfig`, "
        "`CustomEmailSender`, `CustomSMSSender`)",
        "`aws_cognito_user_pool` `lambda_config` (`pre_sign_up`, `post_confirmation`, ..., "
        "`custom_email_sender`, `custom_sms_sender`, `pre_token_generation_config`)",
        ("https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html",
         _MODES),
        sam="`Cognito` event (its permission)", principals=("cognito-idp",),
    ),
    Invoker(
        "lex", "Amazon Lex code hooks", SYNC,
        "`AWS::Lex::BotAlias` `BotAliasLocaleSettings[].BotAliasLocaleSetting.CodeHookSpecification`"
        ".`LambdaCodeHook.LambdaArn`",
        "`aws_lexv2models_bot_alias` is not in the AWS provider; a `aws_lambda_permission` for `lexv2`",
        ("https://docs.aws.amazon.com/lexv2/latest/dg/lambda.html",),
        principals=("lex", "lexv2"),
    ),
    Invoker(
        "connect", "Amazon Connect flows", BY_SETTING,
        "`AWS::Connect::IntegrationAssociation` `IntegrationType: LAMBDA_FUNCTION`",
        "`aws_connect_lambda_function_association` `function_arn`",
        ("https://docs.aws.amazon.com/connect/latest/adminguide/invoke-lambda-function-block.html",),
        principals=("connect",),
        decided_by="the flow block's execution mode (synchronous or asynchronous), which the template does not "
                   "show: unknown",
        modes=(SYNC, ASYNC),
    ),
    Invoker(
        "alexa", "Alexa skills and smart home", SYNC,
        "`AWS::Lambda::Permission` for `alexa-appkit.amazon.com` / `alexa-connectedhome.amazon.com`",
        "`aws_lambda_permission` with those principals",
        (_LAMBDA_SERVICES,),
        sam="`AlexaSkill` event", principals=("alexa-appkit", "alexa-connectedhome"),
    ),
    Invoker(
        "stepfunctions", "Step Functions Task states", BY_SETTING,
        "`AWS::StepFunctions::StateMachine` `Definition`/`DefinitionString` Task `Resource`: a function ARN or "
        "`arn:aws:states:::lambda:invoke`; `.waitForTaskToken`; `Parameters.InvocationType`",
        "`aws_sfn_state_machine` `definition`",
        ("https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html",),
        sam="`AWS::Serverless::StateMachine` `Definition`, `DefinitionSubstitutions`", principals=("states",),
        decided_by="`lambda:invoke` (or the function ARN as the `Resource`) waits for the response: sync; "
                   "`.waitForTaskToken` invokes the same way and then waits for the token; "
                   "`Parameters.InvocationType: Event`: async. A `FunctionName.$` chosen at run time names no "
                   "function",
        modes=(SYNC, ASYNC),
    ),
    Invoker(
        "appsync", "AppSync Lambda data sources", BY_SETTING,
        "`AWS::AppSync::DataSource` `Type: AWS_LAMBDA`, `LambdaConfig.LambdaFunctionArn`; the "
        "`AWS::AppSync::Resolver` / `AWS::AppSync::FunctionConfiguration` whose `DataSourceName` is it: `Code` or "
        "`RequestMappingTemplate`",
        "`aws_appsync_datasource` `type = \"AWS_LAMBDA\"`, `lambda_config` `function_arn`; the "
        "`aws_appsync_resolver` / `aws_appsync_function` whose `data_source` is it: `code` or `request_template`",
        ("https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-lambda-js.html",
         "https://docs.aws.amazon.com/appsync/latest/APIReference/API_LambdaConfig.html"),
        principals=("appsync",),
        decided_by="each resolver's request `invocationType` (`RequestResponse`, the default, or `Event`), "
                   "written in resolver code or mapping template (a direct Lambda resolver, with no request, "
                   "is `RequestResponse`): each mode found; unknown where no resolver in the template uses the "
                   "data source or its request is stored elsewhere (S3)",
        modes=(SYNC, ASYNC),
    ),
    Invoker(
        "iot", "AWS IoT topic rules", ASYNC,
        "`AWS::IoT::TopicRule` `TopicRulePayload.Actions[].Lambda.FunctionArn`",
        "`aws_iot_topic_rule` `lambda` `function_arn`",
        ("https://docs.aws.amazon.com/iot/latest/developerguide/lambda-rule-action.html",),
        sam="`IoTRule` event", principals=("iot",),
    ),
    Invoker(
        "iot-authorizer", "AWS IoT custom authorizers", SYNC,
        "`AWS::IoT::Authorizer` `AuthorizerFunctionArn`", "`aws_iot_authorizer` `authorizer_function_arn`",
        ("https://docs.aws.amazon.com/iot/latest/developerguide/custom-authorizer.html",
         "https://docs.aws.amazon.com/iot/latest/developerguide/custom-auth-lambda.html"),
        principals=("iot",),
    ),
    Invoker(
        "ses", "SES receipt rules", BY_SETTING,
        "`AWS::SES::ReceiptRule` `Rule.Actions[].LambdaAction` `FunctionArn`, `InvocationType`",
        "`aws_ses_receipt_rule` `lambda_action` `function_arn`, `invocation_type`",
        ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ses-receiptrule-lambdaaction.html",
         "https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-lambda.html"),
        principals=("ses",),
        decided_by="`InvocationType`: `Event` (the default) async, `RequestResponse` sync",
        modes=(ASYNC, SYNC),
    ),
    Invoker(
        "s3", "S3 event notifications", ASYNC,
        "`AWS::S3::Bucket` `NotificationConfiguration.LambdaConfigurations[].Function`",
        "`aws_s3_bucket_notification` `lambda_function` `lambda_function_arn`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html",),
        sam="`S3` event", principals=("s3",),
    ),
    Invoker(
        "s3-object-lambda", "S3 Object Lambda access points", SYNC,
        "`AWS::S3ObjectLambda::AccessPoint` `ObjectLambdaConfiguration.TransformationConfigurations[]"
        ".ContentTransformation.AwsLambda.FunctionArn`",
        "`aws_s3control_object_lambda_access_point` `configuration` `transformation_configuration` "
        "`content_transformation` `aws_lambda` `function_arn`",
        ("https://docs.aws.amazon.com/AmazonS3/latest/userguide/olap-writing-lambda.html",),
    ),
    Invoker(
        "sns", "SNS subscriptions", ASYNC,
        "`AWS::SNS::Subscription` (`Protocol: lambda`); `AWS::SNS::Topic` `Subscription[]`",
        "`aws_sns_topic_subscription` `protocol = \"lambda\"`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html",),
        sam="`SNS` event", principals=("sns",),
    ),
    Invoker(
        "eventbridge", "EventBridge rules (and schedule rules)", ASYNC,
        "`AWS::Events::Rule` `Targets[].Arn`", "`aws_cloudwatch_event_target` `arn`",
        ("https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html", _LAMBDA_SERVICES),
        sam="`EventBridgeRule`, `CloudWatchEvent`, `Schedule` events", principals=("events",),
    ),
    Invoker(
        "scheduler", "EventBridge Scheduler", ASYNC,
        "`AWS::Scheduler::Schedule` `Target.Arn`", "`aws_scheduler_schedule` `target` `arn`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html",),
        sam="`ScheduleV2` event",
    ),
    Invoker(
        "pipes-enrichment", "EventBridge Pipes enrichment", SYNC,
        "`AWS::Pipes::Pipe` `Enrichment`", "`aws_pipes_pipe` `enrichment`",
        ("https://docs.aws.amazon.com/eventbridge/latest/userguide/pipes-enrichment.html",),
    ),
    Invoker(
        "pipes", "EventBridge Pipes target", BY_SETTING,
        "`AWS::Pipes::Pipe` `Target`, `TargetParameters.LambdaFunctionParameters.InvocationType`",
        "`aws_pipes_pipe` `target`, `target_parameters` `lambda_function_parameters` `invocation_type`",
        ("https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeTargetLambdaFunctionParameters.html",),
        decided_by="`InvocationType`: `REQUEST_RESPONSE` (the default) sync, `FIRE_AND_FORGET` async",
        modes=(SYNC, ASYNC),
    ),
    Invoker(
        "logs", "CloudWatch Logs subscription filters", ASYNC,
        "`AWS::Logs::SubscriptionFilter` `DestinationArn`",
        "`aws_cloudwatch_log_subscription_filter` `destination_arn`",
        ("https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html", _LAMBDA_SERVICES),
        sam="`CloudWatchLogs` event", principals=("logs",),
    ),
    Invoker(
        "config", "AWS Config custom rules", ASYNC,
        "`AWS::Config::ConfigRule` `Source.Owner: CUSTOM_LAMBDA`, `Source.SourceIdentifier`",
        "`aws_config_config_rule` `source` `owner = \"CUSTOM_LAMBDA\"`, `source_identifier`",
        ("https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_lambda-functions.html",
         _LAMBDA_SERVICES),
        principals=("config",),
    ),
    Invoker(
        "codecommit", "CodeCommit triggers", ASYNC,
        "`AWS::CodeCommit::Repository` `Triggers[].DestinationArn`",
        "`aws_codecommit_trigger` `trigger` `destination_arn`",
        ("https://docs.aws.amazon.com/codecommit/latest/userguide/how-to-notify-lambda.html", _LAMBDA_SERVICES),
        principals=("codecommit",),
    ),
    Invoker(
        "codepipeline", "CodePipeline invoke actions", ASYNC,
        "`AWS::CodePipeline::Pipeline` `Stages[].Actions[]` (`Category: Invoke`, `Provider: Lambda`) "
        "`Configuration.FunctionName`",
        "`aws_codepipeline` `stage` `action` (`category = \"Invoke\"`, `provider = \"Lambda\"`) "
        "`configuration.FunctionName`",
        ("https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html",
         _LAMBDA_SERVICES),
    ),
    Invoker(
        "cloudformation", "CloudFormation custom resources", ASYNC,
        "`AWS::CloudFormation::CustomResource` / `Custom::*` `ServiceToken`", "(none: CloudFormation only)",
        ("https://docs.aws.amazon.com/lambda/latest/dg/services-cloudformation.html", _MODES),
        principals=("cloudformation",),
    ),
    Invoker(
        "secretsmanager", "Secrets Manager rotation", SYNC,
        "`AWS::SecretsManager::RotationSchedule` `RotationLambdaARN`",
        "`aws_secretsmanager_secret_rotation` `rotation_lambda_arn`",
        ("https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html",),
        principals=("secretsmanager",),
    ),
    Invoker(
        "firehose", "Kinesis Data Firehose transformation", SYNC,
        "`AWS::KinesisFirehose::DeliveryStream` `*DestinationConfiguration.ProcessingConfiguration.Processors[]` "
        "(`Type: Lambda`) `Parameters[LambdaArn]`",
        "`aws_kinesis_firehose_delivery_stream` `processing_configuration` `processors` (`type = \"Lambda\"`) "
        "`parameters` `LambdaArn`",
        ("https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html", _MODES),
        principals=("firehose",),
    ),
    Invoker(
        "sqs", "SQS (event source mapping)", POLL_SQS,
        "`AWS::Lambda::EventSourceMapping` `EventSourceArn` (queue)", "`aws_lambda_event_source_mapping`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html",), sam="`SQS` event",
    ),
    Invoker(
        "kinesis", "Kinesis Data Streams (event source mapping)", POLL_STREAM,
        "`AWS::Lambda::EventSourceMapping` `EventSourceArn` (stream or consumer)",
        "`aws_lambda_event_source_mapping`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html",), sam="`Kinesis` event",
    ),
    Invoker(
        "dynamodb", "DynamoDB Streams (event source mapping)", POLL_STREAM,
        "`AWS::Lambda::EventSourceMapping` `EventSourceArn` (table stream)", "`aws_lambda_event_source_mapping`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html",), sam="`DynamoDB` event",
    ),
    Invoker(
        "kafka", "Amazon MSK and self-managed Kafka (event source mapping)", POLL_STREAM,
        "`AWS::Lambda::EventSourceMapping` (MSK cluster ARN, or `SelfManagedEventSource`)",
        "`aws_lambda_event_source_mapping` (`self_managed_event_source`)",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html",
         "https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html"),
        sam="`MSK`, `SelfManagedKafka` events",
    ),
    Invoker(
        "mq", "Amazon MQ (event source mapping)", POLL_STREAM,
        "`AWS::Lambda::EventSourceMapping` `Queues`", "`aws_lambda_event_source_mapping` `queues`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html",), sam="`MQ` event",
    ),
    Invoker(
        "docdb", "DocumentDB change streams (event source mapping)", POLL_STREAM,
        "`AWS::Lambda::EventSourceMapping` `DocumentDBEventSourceConfig`",
        "`aws_lambda_event_source_mapping` `document_db_event_source_config`",
        ("https://docs.aws.amazon.com/lambda/latest/dg/with-documentdb.html",), sam="`DocumentDB` event",
    ),
)


def permission_modes() -> dict[str, tuple[str, str | None]]:
    """Permission principal → (service, mode), the mode ``None`` when the principal's service invokes in
    several modes and the permission cannot tell which.

    API Gateway is the one principal taken by its default: a permission for ``apigateway`` with no integration
    in the template is read as a proxy integration, the only kind an OpenAPI body of a SAM event writes.
    """
    by_principal: dict[str, list[Invoker]] = {}
    for row in INVOKERS:
        for p in row.principals:
            by_principal.setdefault(p, []).append(row)
    out: dict[str, tuple[str, str | None]] = {}
    for principal, rows in by_principal.items():
        first = rows[0]
        if principal == "apigateway":
            out[principal] = ("apigateway", SYNC)
            continue
        modes = {m for r in rows for m in r.possible_modes()}
        out[principal] = (first.service, modes.pop() if len(modes) == 1 else None)
    return out


def ses_mode(invocation_type: object) -> str:
    """An SES ``LambdaAction``'s mode: ``Event`` (also when unset) async, ``RequestResponse`` sync."""
    if invocation_type is None or invocation_type == "Event":
        return ASYNC
    if invocation_type == "RequestResponse":
        return SYNC
    return "unknown"


#: the request parameter of a REST API integration that sets the Lambda invocation type
INVOCATION_TYPE_PARAMETER = "integration.request.header.X-Amz-Invocation-Type"


def rest_integration_mode(integration_type: object, request_parameters: object) -> str:
    """A REST API Lambda integration's mode (the ``apigateway`` row): a non-proxy (``AWS``) integration whose
    request parameters set ``X-Amz-Invocation-Type`` to the static value ``'Event'`` async, else sync.

    ``request_parameters``: the integration's request parameters as written (a mapping of literals).
    """
    if not (isinstance(integration_type, str) and integration_type.upper() == "AWS"):
        return SYNC
    value = request_parameters.get(INVOCATION_TYPE_PARAMETER) if isinstance(request_parameters, dict) else None
    return ASYNC if isinstance(value, str) and value.strip("'\"") == "Event" else SYNC


#: services a table row does not name but a front-end gives (EventBridge schedule rules)
_ALSO = {"eventbridge": ("schedule",), "apigateway": ("apigatewayv2",)}


def principal_services() -> dict[str, tuple[str, ...]]:
    """Principal → the trigger services of every row granted by it (and the services those rows also give)."""
    out: dict[str, list[str]] = {}
    for row in INVOKERS:
        for p in row.principals:
            services = out.setdefault(p, [])
            for s in (row.service, *_ALSO.get(row.service, ())):
                if s not in services:
                    services.append(s)
    return {p: tuple(s) for p, s in out.items()}


def render() -> str:
    """The Markdown page ``docs/invokers.md``."""
    lines = [
        "# Who invokes a Lambda function, and how",
        "",
        "<!-- generated by `python -m invocation_lint.formats.invokers`; edit invocation_lint/formats/invokers.py -->",
        "",
        "The mode decides which rules apply: a synchronous caller handles failures itself, an asynchronous one "
        "hands them to Lambda's retries and failure destinations, a poll-based one to the event source mapping.",
        "",
        "Evidence, strongest first: the resource that invokes (a subscription, a rule target, an authorizer, a "
        "mapping, a receipt rule's action) decides the mode. A `Lambda::Permission` alone gives its service's "
        "mode only where that service invokes in one mode; for the others (marked *unknown* below) the "
        "function gets a trigger of unknown mode, no mode-specific rule fires on it, and `invlint check -v` "
        "says so.",
        "",
        "| Caller | Mode | CloudFormation / SAM | Terraform | Permission alone | Read | AWS documentation |",
        "|---|---|---|---|---|---|---|",
    ]
    perms = permission_modes()
    for row in INVOKERS:
        mode = row.mode if row.mode != BY_SETTING else f"by setting: {row.decided_by}"
        cfn = row.cloudformation + (f"; SAM {row.sam}" if row.sam else "")
        if row.principals:
            alone = ", ".join(
                f"`{p}`: {perms[p][1] or 'unknown'}" for p in row.principals
            )
        else:
            alone = "(no permission: the caller uses a role)"
        refs = " ".join(f"<{u}>" for u in row.urls)
        cells = [row.name, mode, cfn, row.terraform, alone, "yes" if row.read else "no", refs]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render())
