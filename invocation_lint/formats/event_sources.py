"""What polls for an event source mapping, the same way for every front-end.

Each front-end names the mapping's settings its own way (``StartingPosition``, ``starting_position``); it
answers ``has(setting)`` for the settings below, and this module decides the service.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Model, Queue, Stream, Target
from .aws import arn_service

#: the settings ``has`` is asked about
SETTINGS = ("starting_position", "queues", "self_managed", "topics", "docdb_config", "source_access", "msk_config")


def mapping_service(model: Model, source: Target | None, source_type: str | None, has: Callable[[str], bool],
                    type_service: dict[str, str], hint: str | None = None) -> str | None:
    """``sqs``, ``kinesis``, ``dynamodb``, ``kafka``, ``mq``, ``docdb``..., or None when it cannot be told.

    ``source_type`` is the resource type of the source node (when the source is a node of the template);
    ``hint`` what the front-end already knows (a SAM event type).
    """
    service: str | None = None
    if source is not None and source.node:
        node = model.node(source.node)
        if isinstance(node, Queue):
            service = "sqs"
        elif isinstance(node, Stream):
            service = node.service
        else:
            service = type_service.get(source_type or "")
    elif source is not None and (source.arn or source.service):
        service = arn_service(source.arn) if source.arn else source.service
        if service == "rds":
            service = "docdb"
    if service is None and hint:
        service = hint
    if has("self_managed"):
        service = "kafka"
    elif has("queues") and service in (None, "mq"):
        service = "mq"
    if service is None and source is not None and source.unknown is not None:
        # The source is imported or unknown, but the mapping's own settings tell what polls: Kinesis, DynamoDB,
        # MSK and Kafka require a starting position, which SQS does not accept; MQ, self-managed Kafka and
        # DocumentDB have their own blocks. What has none of them can only be SQS.
        if not any(has(k) for k in SETTINGS):
            service = "sqs"
    return service
