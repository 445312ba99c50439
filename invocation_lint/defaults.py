"""AWS defaults that decide findings when a template leaves a setting out, each with the page that states it.

Every front-end and the Model take their defaults from here; the rules read the resulting ``Val`` (marked as a
default) and never repeat a number.
"""

from __future__ import annotations

#: An SQS queue's VisibilityTimeout when it is not set, in seconds.
#: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
QUEUE_VISIBILITY_TIMEOUT = 30

#: An SQS queue's MessageRetentionPeriod when it is not set, in seconds (4 days).
#: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
QUEUE_RETENTION = 345_600

#: A Lambda function's Timeout when it is not set, in seconds.
#: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
FUNCTION_TIMEOUT = 3

#: What Lambda does when it detects a function in a recursive loop, when ``RecursiveLoop`` is not set.
#: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionRecursionConfig.html
RECURSIVE_LOOP = "Terminate"

#: Asynchronous invocation: retries after a failed attempt, and how long an event waits in the queue (6 h).
#: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
ASYNC_RETRIES = 2
ASYNC_MAX_EVENT_AGE = 21_600

#: An event source mapping's BatchSize when it is not set, by caller.
#: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html
BATCH_SIZE = {"sqs": 10, "kinesis": 100, "dynamodb": 100}
#: ... and for every other poller (Kafka, Amazon MQ, DocumentDB): "For Amazon SQS, the default is 10. For all other
#: services, the default is 100."
#: https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
OTHER_BATCH_SIZE = 100

#: An event source mapping's MaximumBatchingWindowInSeconds when it is not set, in seconds: 0 for streams and
#: SQS; "For Amazon MSK, Self-managed Apache Kafka, Amazon MQ, and DocumentDB event sources, the default batching
#: window is 500 ms."
#: https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
BATCHING_WINDOW = 0
BATCHING_WINDOW_BY_SERVICE = {"kafka": 0.5, "mq": 0.5, "docdb": 0.5}

#: A stream mapping's MaximumRetryAttempts and MaximumRecordAgeInSeconds when not set: -1, infinite (a failing
#: record is retried until it expires from the stream); BisectBatchOnFunctionError: false.
#: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html
MAPPING_RETRIES = -1
MAPPING_MAX_RECORD_AGE = -1
BISECT = False


def batch_size(service: str) -> int:
    """The BatchSize of a mapping that polls ``service`` when it is not set."""
    return BATCH_SIZE.get(service, OTHER_BATCH_SIZE)


def batching_window(service: str) -> int | float:
    """The MaximumBatchingWindowInSeconds of a mapping that polls ``service`` when it is not set."""
    return BATCHING_WINDOW_BY_SERVICE.get(service, BATCHING_WINDOW)
