"""How Terraform says what a finding names: argument names for CloudFormation property names, and fix hints.

The rules word findings in CloudFormation's terms; a Terraform Model carries this vocabulary so that the
user reads the names they wrote (``visibility_timeout_seconds``) and hints they can apply.
"""

from __future__ import annotations

from ...model import Vocabulary

#: CloudFormation property names as Terraform arguments
NAMES = {
    "VisibilityTimeout": "visibility_timeout_seconds",
    "MessageRetentionPeriod": "message_retention_seconds",
    "RedrivePolicy": "redrive_policy",
    "FifoQueue": "fifo_queue",
    "Timeout": "timeout",
    "Runtime": "runtime",
    "Handler": "handler",
    "ReservedConcurrentExecutions": "reserved_concurrent_executions",
    "DeadLetterConfig": "dead_letter_config",
    "BatchSize": "batch_size",
    "MaximumBatchingWindowInSeconds": "maximum_batching_window_in_seconds",
    "ScalingConfig.MaximumConcurrency": "scaling_config.maximum_concurrency",
    "FunctionResponseTypes": "function_response_types",
    "DestinationConfig": "destination_config",
    "MaximumRetryAttempts": "maximum_retry_attempts",
    "MaximumRecordAgeInSeconds": "maximum_record_age_in_seconds",
    "BisectBatchOnFunctionError": "bisect_batch_on_function_error",
    "MaximumEventAgeInSeconds": "maximum_event_age_in_seconds",
    "EventInvokeConfig": "aws_lambda_function_event_invoke_config",
}

#: fix hints: CloudFormation's template → Terraform's (the same ``str.format`` fields)
PHRASES = {
    'MaximumRetryAttempts: 0': 'maximum_retry_attempts = 0',
    'MaximumRetryAttempts: -1': 'maximum_retry_attempts = -1',
    'MaximumRecordAgeInSeconds: -1': 'maximum_record_age_in_seconds = -1',
    'FunctionResponseTypes: [ReportBatchItemFailures]': 'function_response_types = ["ReportBatchItemFailures"]',
    'add an OnFailure destination (EventInvokeConfig) or a DeadLetterQueue to the function':
        'add an aws_lambda_function_event_invoke_config with destination_config.on_failure, or a dead_letter_config, to the function',
    'remove the DeadLetterConfig; handle failures where this caller handles them':
        'remove the dead_letter_config; handle failures where this caller handles them',
    'remove the EventInvokeConfig; for streams set DestinationConfig on the mapping':
        'remove the aws_lambda_function_event_invoke_config; for streams set destination_config on the aws_lambda_event_source_mapping',
    'add a RedrivePolicy with a deadLetterTargetArn (an SQS queue) to the subscription':
        'add a redrive_policy with a deadLetterTargetArn (an SQS queue) to the aws_sns_topic_subscription',
    'add DeadLetterConfig (an SQS queue) to the rule target':
        'add a dead_letter_config (an SQS queue) to the aws_cloudwatch_event_target',
    'Add FunctionResponseTypes: [ReportBatchItemFailures] to {mapping}.':
        'Add function_response_types = ["ReportBatchItemFailures"] to {mapping}.',
    'Loop over every record in Records (or set BatchSize: 1).':
        'Loop over every record in Records (or set batch_size = 1).',
    'Point Handler at an existing file.function (or fix CodeUri).':
        'Point handler at an existing file.function (or fix the archive_file source).',
    'add DestinationConfig.OnFailure (an SQS queue, SNS topic or S3 bucket) to the mapping':
        'add destination_config.on_failure (an SQS queue, SNS topic or S3 bucket) to the mapping',
    'set MaximumRecordAgeInSeconds to -1 or between 60 and 604800':
        'set maximum_record_age_in_seconds to -1 or between 60 and 604800',
    'set MaximumRetryAttempts or MaximumRecordAgeInSeconds, and BisectBatchOnFunctionError: true':
        'set maximum_retry_attempts or maximum_record_age_in_seconds, and bisect_batch_on_function_error = true',
}

TERRAFORM = Vocabulary(NAMES, PHRASES)
