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
