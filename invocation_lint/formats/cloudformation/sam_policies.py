"""SAM policy templates: the IAM statements each one grants.

A SAM function's ``Policies`` may name policy templates (``- SQSSendMessagePolicy: {QueueName: !GetAtt Q.QueueName}``).
The permission rules (ASYNC006, LOOP002) must see what they grant, so ``expand`` turns a template and its
parameters into plain CloudFormation statements whose ``Resource`` still holds intrinsic functions; the SAM
front-end resolves those like any other policy.

The action lists and ARN shapes are those of the AWS SAM policy template list:
https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html
A template not listed here expands to ``None``: the loader then treats the role as partly invisible, so no
permission rule guesses about it.
"""

from __future__ import annotations

import re
from typing import Any

_P = "arn:${AWS::Partition}"
_RA = "${AWS::Region}:${AWS::AccountId}"

# name -> (parameters: {placeholder: ParameterName}, statements: [(actions, [resource ARN patterns])])
# A pattern of "*" is the literal wildcard; ``${placeholder}`` names a parameter; ``${AWS::...}`` is a pseudo
# parameter left for the loader to resolve.
_Stmt = tuple[list[str], list[str]]
_TEMPLATES: dict[str, tuple[dict[str, str], list[_Stmt]]] = {
    # --- messaging: the ones failure routes and loops are made of
    "SQSSendMessagePolicy": (
        {"queueName": "QueueName"},
        [(["sqs:SendMessage*"], [f"{_P}:sqs:{_RA}:${{queueName}}"])],
    ),
    "SQSPollerPolicy": (
        {"queueName": "QueueName"},
        [(
            ["sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage",
             "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            [f"{_P}:sqs:{_RA}:${{queueName}}"],
        )],
    ),
    "SNSPublishMessagePolicy": (
        {"topicName": "TopicName"},
        [(["sns:Publish"], [f"{_P}:sns:{_RA}:${{topicName}}"])],
    ),
    "SNSCrudPolicy": (
        {"topicName": "TopicName"},
        [(
            ["sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe",
             "sns:Publish"],
            [f"{_P}:sns:{_RA}:${{topicName}}*"],
        )],
    ),
    "LambdaInvokePolicy": (
        {"functionName": "FunctionName"},
        [(["lambda:InvokeFunction"], [f"{_P}:lambda:{_RA}:function:${{functionName}}*"])],
    ),
    "EventBridgePutEventsPolicy": (
        {"eventBusName": "EventBusName"},
        [(["events:PutEvents"], [f"{_P}:events:{_RA}:event-bus/${{eventBusName}}"])],
    ),
    "StepFunctionsExecutionPolicy": (
        {"stateMachineName": "StateMachineName"},
        [(["states:StartExecution"], [f"{_P}:states:{_RA}:stateMachine:${{stateMachineName}}"])],
    ),
    "FirehoseWritePolicy": (
        {"deliveryStreamName": "DeliveryStreamName"},
        [(
            ["firehose:PutRecord", "firehose:PutRecordBatch"],
            [f"{_P}:firehose:{_RA}:deliverystream/${{deliveryStreamName}}"],
        )],
    ),
    "FirehoseCrudPolicy": (
        {"deliveryStreamName": "DeliveryStreamName"},
        [(
            ["firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream", "firehose:DescribeDeliveryStream",
             "firehose:PutRecord", "firehose:PutRecordBatch", "firehose:UpdateDestination"],
            [f"{_P}:firehose:{_RA}:deliverystream/${{deliveryStreamName}}"],
        )],
    ),
    # --- S3
    "S3ReadPolicy": (
        {"bucketName": "BucketName"},
        [(
            ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion",
             "s3:GetLifecycleConfiguration"],
            [f"{_P}:s3:::${{bucketName}}", f"{_P}:s3:::${{bucketName}}/*"],
        )],
    ),
    "S3WritePolicy": (
        {"bucketName": "BucketName"},
        [(
            ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
            [f"{_P}:s3:::${{bucketName}}", f"{_P}:s3:::${{bucketName}}/*"],
        )],
    ),
    "S3CrudPolicy": (
        {"bucketName": "BucketName"},
        [(
            ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:PutObject",
             "s3:PutObjectAcl", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
             "s3:DeleteObject"],
            [f"{_P}:s3:::${{bucketName}}", f"{_P}:s3:::${{bucketName}}/*"],
        )],
    ),
    "S3FullAccessPolicy": (
        {"bucketName": "BucketName"},
        [
            (
                ["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl",
                 "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging",
                 "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging",
                 "s3:PutObjectVersionTagging"],
                [f"{_P}:s3:::${{bucketName}}/*"],
            ),
            (
                ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration",
                 "s3:PutLifecycleConfiguration"],
                [f"{_P}:s3:::${{bucketName}}"],
            ),
        ],
    ),
    # --- DynamoDB
    "DynamoDBReadPolicy": (
        {"tableName": "TableName"},
        [(
            ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
             "dynamodb:DescribeTable"],
            [f"{_P}:dynamodb:{_RA}:table/${{tableName}}", f"{_P}:dynamodb:{_RA}:table/${{tableName}}/index/*"],
        )],
    ),
    "DynamoDBWritePolicy": (
        {"tableName": "TableName"},
        [(
            ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
            [f"{_P}:dynamodb:{_RA}:table/${{tableName}}", f"{_P}:dynamodb:{_RA}:table/${{tableName}}/index/*"],
        )],
    ),
    "DynamoDBCrudPolicy": (
        {"tableName": "TableName"},
        [(
            ["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query",
             "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable",
             "dynamodb:ConditionCheckItem"],
            [f"{_P}:dynamodb:{_RA}:table/${{tableName}}", f"{_P}:dynamodb:{_RA}:table/${{tableName}}/index/*"],
        )],
    ),
    "DynamoDBStreamReadPolicy": (
        {"tableName": "TableName", "streamName": "StreamName"},
        [
            (
                ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                [f"{_P}:dynamodb:{_RA}:table/${{tableName}}/stream/${{streamName}}"],
            ),
            (["dynamodb:ListStreams"], [f"{_P}:dynamodb:{_RA}:table/${{tableName}}/stream/*"]),
        ],
    ),
    # --- Kinesis
    "KinesisStreamReadPolicy": (
        {"streamName": "StreamName"},
        [
            (["kinesis:ListStreams", "kinesis:DescribeLimits"], [f"{_P}:kinesis:{_RA}:stream/*"]),
            (
                ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                 "kinesis:GetShardIterator"],
                [f"{_P}:kinesis:{_RA}:stream/${{streamName}}"],
            ),
        ],
    ),
    "KinesisCrudPolicy": (
        {"streamName": "StreamName"},
        [(
            ["kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod",
             "kinesis:DeleteStream", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
             "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:ListTagsForStream",
             "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:SplitShard",
             "kinesis:RemoveTagsFromStream"],
            [f"{_P}:kinesis:{_RA}:stream/${{streamName}}"],
        )],
    ),
    # --- configuration, secrets, keys
    "AWSSecretsManagerGetSecretValuePolicy": (
        {"secretArn": "SecretArn"},
        [(["secretsmanager:GetSecretValue"], ["${secretArn}"])],
    ),
    "SSMParameterReadPolicy": (
        {"parameterName": "ParameterName"},
        [
            (["ssm:DescribeParameters"], ["*"]),
            (
                ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                [f"{_P}:ssm:{_RA}:parameter/${{parameterName}}"],
            ),
        ],
    ),
    "SSMParameterWithSlashPrefixReadPolicy": (
        {"parameterName": "ParameterName"},
        [
            (["ssm:DescribeParameters"], ["*"]),
            (
                ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                [f"{_P}:ssm:{_RA}:parameter${{parameterName}}"],
            ),
        ],
    ),
    "KMSDecryptPolicy": ({"keyId": "KeyId"}, [(["kms:Decrypt"], [f"{_P}:kms:{_RA}:key/${{keyId}}"])]),
    "KMSEncryptPolicy": ({"keyId": "KeyId"}, [(["kms:Encrypt"], [f"{_P}:kms:{_RA}:key/${{keyId}}"])]),
    # --- no parameters
    "CloudWatchPutMetricPolicy": ({}, [(["cloudwatch:PutMetricData"], ["*"])]),
    "CloudWatchDescribeAlarmHistoryPolicy": ({}, [(["cloudwatch:DescribeAlarmHistory"], ["*"])]),
    "VPCAccessPolicy": (
        {},
        [(
            ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
             "ec2:DetachNetworkInterface"],
            ["*"],
        )],
    ),
    "EC2DescribePolicy": ({}, [(["ec2:DescribeRegions", "ec2:DescribeInstances"], ["*"])]),
    "AMIDescribePolicy": ({}, [(["ec2:DescribeImages"], ["*"])]),
    "CloudFormationDescribeStacksPolicy": (
        {},
        [(["cloudformation:DescribeStacks"], [f"{_P}:cloudformation:{_RA}:stack/*"])],
    ),
    "FilterLogEventsPolicy": (
        {"logGroupName": "LogGroupName"},
        [(["logs:FilterLogEvents"], [f"{_P}:logs:{_RA}:log-group:${{logGroupName}}:log-stream:*"])],
    ),
    # --- SES
    "SESCrudPolicy": (
        {"identityName": "IdentityName"},
        [(
            ["ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail",
             "ses:VerifyEmailIdentity"],
            [f"{_P}:ses:{_RA}:identity/${{identityName}}"],
        )],
    ),
    "SESSendBouncePolicy": (
        {"identityName": "IdentityName"},
        [(["ses:SendBounce"], [f"{_P}:ses:{_RA}:identity/${{identityName}}"])],
    ),
}

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


def names() -> list[str]:
    """The policy templates ``expand`` knows."""
    return sorted(_TEMPLATES)


def _resource(pattern: str, values: dict[str, Any]) -> Any:
    if pattern == "*":
        return "*"
    used = [p for p in _PLACEHOLDER.findall(pattern) if p in values]
    if not used:
        return {"Fn::Sub": pattern}
    return {"Fn::Sub": [pattern, {p: values[p] for p in sorted(set(used))}]}


def expand(name: str, params: Any) -> list[dict[str, Any]] | None:
    """The statements the SAM policy template ``name`` grants with ``params`` substituted.

    ``params`` is the template's parameter mapping as written (values may be intrinsic functions; they are
    placed unchanged where SAM places them). ``None`` when the template is unknown or a parameter it needs is
    missing: SAM would reject the template, and nothing should be guessed about what it grants.
    """
    spec = _TEMPLATES.get(name)
    if spec is None:
        return None
    placeholders, statements = spec
    given = params if isinstance(params, dict) else {}
    values: dict[str, Any] = {}
    for placeholder, param in placeholders.items():
        if param not in given:
            return None
        values[placeholder] = given[param]
    out: list[dict[str, Any]] = []
    for actions, resources in statements:
        res = [_resource(r, values) for r in resources]
        out.append({"Effect": "Allow", "Action": list(actions), "Resource": res[0] if len(res) == 1 else res})
    return out
