"""Stand-ins for popular registry modules whose source is not on disk.

A project built on ``terraform-aws-modules/lambda/aws``, ``sqs/aws`` or ``dynamodb-table/aws`` should get the
same findings as one written with plain resources. Each stand-in is a small module, written here, that turns
the registry module's inputs into the resources the real module creates, at the addresses it uses
(``module.worker.aws_lambda_function.this[0]``, ``module.orders.aws_sqs_queue.dlq[0]``,
``module.worker.aws_lambda_event_source_mapping.this["orders"]``), with the same defaults. Only what the
rules read is modelled: the function's timeout, handler, runtime, code (``source_path``), DLQ, reserved
concurrency and asynchronous settings, its event source mappings; the queue, its dead-letter queue and
redrive policy. The execution role the Lambda module creates is not modelled (its policies depend on many
inputs), so the function's role is unknown unless ``create_role = false`` names one.

Lines: a stand-in's resource points at the ``module`` block; a setting points at the input that sets it
(``timeout = 60`` in the module block, or ``batch_size`` inside ``event_source_mapping``).
"""

from __future__ import annotations

from typing import Any

from ...source import LDict, LList, Span

STUB_PREFIX = "<registry "

_LAMBDA = r'''
variable "create" { default = true }
variable "create_function" { default = true }
variable "function_name" { default = "" }
variable "handler" { default = "" }
variable "runtime" { default = "" }
variable "timeout" { default = 3 }
variable "reserved_concurrent_executions" { default = -1 }
variable "dead_letter_target_arn" { default = null }
variable "package_type" { default = "Zip" }
variable "source_path" { default = null }
variable "local_existing_package" { default = null }
variable "create_package" { default = true }
variable "create_role" { default = true }
variable "lambda_role" { default = "" }
variable "event_source_mapping" { default = {} }
variable "create_async_event_config" { default = false }
variable "create_unqualified_alias_async_event_config" { default = true }
variable "maximum_event_age_in_seconds" { default = null }
variable "maximum_retry_attempts" { default = null }
variable "destination_on_failure" { default = null }
variable "destination_on_success" { default = null }
variable "recursive_loop" { default = null }

resource "aws_lambda_function" "this" {
  count                          = var.create && var.create_function ? 1 : 0
  function_name                  = var.function_name
  handler                        = var.package_type != "Zip" ? null : var.handler
  runtime                        = var.package_type != "Zip" ? null : var.runtime
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  package_type                   = var.package_type
  role                           = var.create_role ? null : var.lambda_role
  __source_path                  = var.create_package ? var.source_path : null
  filename                       = var.create_package ? null : var.local_existing_package

  dynamic "dead_letter_config" {
    for_each = var.dead_letter_target_arn == null ? [] : [true]
    content {
      target_arn = var.dead_letter_target_arn
    }
  }
}

resource "aws_lambda_function_recursion_config" "this" {
  count          = var.create && var.create_function && var.recursive_loop != null ? 1 : 0
  function_name  = aws_lambda_function.this[0].function_name
  recursive_loop = var.recursive_loop
}

resource "aws_lambda_function_event_invoke_config" "this" {
  for_each = { for k, v in { unqualified_alias = var.create_unqualified_alias_async_event_config ? true : null } :
    k => v if v != null && var.create && var.create_function && var.create_async_event_config }

  function_name                = aws_lambda_function.this[0].function_name
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
  maximum_retry_attempts       = var.maximum_retry_attempts

  dynamic "destination_config" {
    for_each = var.destination_on_failure != null || var.destination_on_success != null ? [true] : []
    content {
      dynamic "on_failure" {
        for_each = var.destination_on_failure != null ? [true] : []
        content {
          destination = var.destination_on_failure
        }
      }
      dynamic "on_success" {
        for_each = var.destination_on_success != null ? [true] : []
        content {
          destination = var.destination_on_success
        }
      }
    }
  }
}

resource "aws_lambda_event_source_mapping" "this" {
  for_each = { for k, v in var.event_source_mapping : k => v if var.create && var.create_function }

  function_name                      = aws_lambda_function.this[0].arn
  event_source_arn                   = try(each.value.event_source_arn, null)
  batch_size                         = try(each.value.batch_size, null)
  maximum_batching_window_in_seconds = try(each.value.maximum_batching_window_in_seconds, null)
  function_response_types            = try(each.value.function_response_types, null)
  maximum_retry_attempts             = try(each.value.maximum_retry_attempts, null)
  maximum_record_age_in_seconds      = try(each.value.maximum_record_age_in_seconds, null)
  bisect_batch_on_function_error     = try(each.value.bisect_batch_on_function_error, null)
  enabled                            = try(each.value.enabled, true)
  queues                             = try(each.value.queues, null)

  dynamic "scaling_config" {
    for_each = try([each.value.scaling_config], [])
    content {
      maximum_concurrency = try(scaling_config.value.maximum_concurrency, null)
    }
  }

  dynamic "destination_config" {
    for_each = try(each.value.destination_arn_on_failure, null) != null ? [true] : []
    content {
      on_failure {
        destination_arn = each.value.destination_arn_on_failure
      }
    }
  }
}

output "lambda_function_arn" { value = try(aws_lambda_function.this[0].arn, "") }
output "lambda_function_name" { value = try(aws_lambda_function.this[0].function_name, "") }
output "lambda_function_invoke_arn" { value = try(aws_lambda_function.this[0].invoke_arn, "") }
output "lambda_function_qualified_arn" { value = try(aws_lambda_function.this[0].qualified_arn, "") }
output "lambda_function_qualified_invoke_arn" { value = try(aws_lambda_function.this[0].invoke_arn, "") }
'''

_SQS = r'''
variable "create" { default = true }
variable "name" { default = null }
variable "use_name_prefix" { default = false }
variable "fifo_queue" { default = false }
variable "visibility_timeout_seconds" { default = null }
variable "message_retention_seconds" { default = null }
variable "create_dlq" { default = false }
variable "redrive_policy" { default = {} }
variable "dlq_name" { default = null }
variable "dlq_message_retention_seconds" { default = null }
variable "dlq_visibility_timeout_seconds" { default = null }

locals {
  name     = try(trimsuffix(var.name, ".fifo"), "")
  dlq_name = try(coalesce(var.dlq_name, "${local.name}-dlq"), "")
  # v3 takes redrive_policy as a JSON string (set on the queue), v4 and later as a map (merged into the DLQ's)
  redrive_policy = try(jsondecode(var.redrive_policy), var.redrive_policy)
}

resource "aws_sqs_queue" "this" {
  count                      = var.create ? 1 : 0
  name                       = var.use_name_prefix ? null : (var.fifo_queue ? "${local.name}.fifo" : local.name)
  fifo_queue                 = var.fifo_queue
  visibility_timeout_seconds = var.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
}

resource "aws_sqs_queue_redrive_policy" "this" {
  count          = var.create && !var.create_dlq && length(local.redrive_policy) > 0 ? 1 : 0
  queue_url      = aws_sqs_queue.this[0].url
  redrive_policy = jsonencode(local.redrive_policy)
}

resource "aws_sqs_queue" "dlq" {
  count                      = var.create && var.create_dlq ? 1 : 0
  name                       = var.use_name_prefix ? null : (var.fifo_queue ? "${trimsuffix(local.dlq_name, ".fifo")}.fifo" : local.dlq_name)
  fifo_queue                 = var.fifo_queue
  message_retention_seconds  = try(coalesce(var.dlq_message_retention_seconds, var.message_retention_seconds), null)
  visibility_timeout_seconds = try(coalesce(var.dlq_visibility_timeout_seconds, var.visibility_timeout_seconds), null)
}

resource "aws_sqs_queue_redrive_policy" "dlq" {
  count     = var.create && var.create_dlq ? 1 : 0
  queue_url = aws_sqs_queue.this[0].url
  redrive_policy = jsonencode(merge(
    {
      deadLetterTargetArn = aws_sqs_queue.dlq[0].arn
      maxReceiveCount     = 5
    },
    local.redrive_policy
  ))
}

output "queue_arn" { value = try(aws_sqs_queue.this[0].arn, null) }
output "queue_url" { value = try(aws_sqs_queue.this[0].url, null) }
output "queue_id" { value = try(aws_sqs_queue.this[0].id, null) }
output "queue_name" { value = try(aws_sqs_queue.this[0].name, null) }
output "dead_letter_queue_arn" { value = try(aws_sqs_queue.dlq[0].arn, null) }
output "dead_letter_queue_url" { value = try(aws_sqs_queue.dlq[0].url, null) }
output "dead_letter_queue_id" { value = try(aws_sqs_queue.dlq[0].id, null) }
output "dead_letter_queue_name" { value = try(aws_sqs_queue.dlq[0].name, null) }
'''

_DYNAMODB_TABLE = r'''
variable "create_table" { default = true }
variable "autoscaling_enabled" { default = false }
variable "name" { default = null }
variable "stream_enabled" { default = false }
variable "stream_view_type" { default = null }

resource "aws_dynamodb_table" "this" {
  count            = var.create_table && !var.autoscaling_enabled ? 1 : 0
  name             = var.name
  stream_enabled   = var.stream_enabled
  stream_view_type = var.stream_view_type
}

resource "aws_dynamodb_table" "autoscaled" {
  count            = var.create_table && var.autoscaling_enabled ? 1 : 0
  name             = var.name
  stream_enabled   = var.stream_enabled
  stream_view_type = var.stream_view_type
}

output "dynamodb_table_arn" { value = try(aws_dynamodb_table.this[0].arn, aws_dynamodb_table.autoscaled[0].arn, "") }
output "dynamodb_table_id" { value = try(aws_dynamodb_table.this[0].id, aws_dynamodb_table.autoscaled[0].id, "") }
output "dynamodb_table_stream_arn" {
  value = var.stream_enabled ? try(aws_dynamodb_table.this[0].stream_arn, aws_dynamodb_table.autoscaled[0].stream_arn, "") : ""
}
output "dynamodb_table_stream_label" {
  value = var.stream_enabled ? try(aws_dynamodb_table.this[0].stream_label, aws_dynamodb_table.autoscaled[0].stream_label, "") : ""
}
'''

_STUBS = {
    "terraform-aws-modules/lambda/aws": _LAMBDA,
    "terraform-aws-modules/sqs/aws": _SQS,
    "terraform-aws-modules/dynamodb-table/aws": _DYNAMODB_TABLE,
}
_PARSED: dict[str, Any] = {}


def registry_key(source: str) -> str | None:
    """``terraform-aws-modules/lambda/aws`` (also with a registry host or ``//subdir``) → the stand-in's key."""
    s = source.strip()
    for host in ("registry.terraform.io/", "app.terraform.io/"):
        if s.startswith(host):
            s = s[len(host):]
    s = s.split("//", 1)[0].rstrip("/")
    return s if s in _STUBS else None


def registry_module(source: str, call: Any) -> Any:
    """The stand-in ``ModuleDef`` for a registry source, or None when the module is not modelled."""
    key = registry_key(source)
    if key is None:
        return None
    if key not in _PARSED:
        from .evaluate import ModuleDef
        from .syntax import parse_hcl

        file = f"{STUB_PREFIX}{key}>"
        mdef = ModuleDef(call.parent.mdef.abs_dir, file)
        mdef.add(parse_hcl(_STUBS[key], file), file)
        _PARSED[key] = mdef
    stub = _PARSED[key]
    from .evaluate import ModuleDef

    # paths in the module's inputs (source_path) are relative to the calling module's directory
    mdef = ModuleDef(call.parent.mdef.abs_dir, stub.display_dir)
    mdef.variables, mdef.locals, mdef.resources = stub.variables, stub.locals, stub.resources
    mdef.data, mdef.modules, mdef.outputs, mdef.files = stub.data, stub.modules, stub.outputs, stub.files
    return mdef


def _source_span(expr: Any, call: Any, each_value: Any) -> Span | None:
    """Where the user wrote the value a stand-in attribute is computed from."""
    from .syntax import Call, Cond, GetAttr, Index, ObjectE, TupleE, Var

    stack = [expr]
    while stack:
        e = stack.pop(0)
        if isinstance(e, GetAttr):
            if isinstance(e.obj, Var) and e.obj.name == "var":
                attr = call.block.body.attrs.get(e.name)
                if attr is not None:
                    return Span(call.block.file, attr.line)
            if (isinstance(e.obj, GetAttr) and e.obj.name == "value" and isinstance(e.obj.obj, Var)
                    and e.obj.obj.name == "each" and isinstance(each_value, LDict)):
                sp = each_value.spans.get(e.name) or each_value.key_spans.get(e.name)
                if sp is not None:
                    return sp
            stack.append(e.obj)
        elif isinstance(e, Index):
            stack.extend([e.obj, e.key])
        elif isinstance(e, Call):
            stack.extend(e.args)
        elif isinstance(e, Cond):
            stack.extend([e.a, e.b, e.cond])
        elif isinstance(e, (TupleE,)):
            stack.extend(e.items)
        elif isinstance(e, ObjectE):
            stack.extend(v for _k, v, _l in e.items)
        elif hasattr(e, "__slots__"):
            for name in ("obj", "operand", "left", "right", "coll", "vexpr"):
                sub = getattr(e, name, None)
                if sub is not None:
                    stack.append(sub)
    return None


def instance_span(ri: Any, call: Any) -> Span:
    """A stand-in resource's line: its ``event_source_mapping`` entry, else the ``module`` block."""
    each = ri.scope.names.get("each")
    if isinstance(each, dict):
        value = each.get("value")
        if isinstance(value, LDict) and value.span is not None:
            return value.span
    return call.span


def remap_stub_values(values: LDict, call: Any, ri: Any = None, prefix: str = STUB_PREFIX) -> LDict:
    """Point every line of a stand-in's values (or of an installed remote module's: ``prefix`` is its directory)
    at the user's module block instead of the module's own text, which the user does not edit."""
    each = ri.scope.names.get("each") if ri is not None else None
    each_value = each.get("value") if isinstance(each, dict) else None
    fallback = instance_span(ri, call) if ri is not None else call.span
    body = ri.decl.block.body if ri is not None else None

    def attr_span(name: str) -> Span:
        if body is not None:
            attr = body.attrs.get(name)
            if attr is not None:
                sp = _source_span(attr.expr, call, each_value)
                if sp is not None:
                    return sp
            for blk in body.blocks:
                if blk.type == "dynamic" and blk.labels and blk.labels[0] == name and "for_each" in blk.body.attrs:
                    sp = _source_span(blk.body.attrs["for_each"].expr, call, each_value)
                    if sp is not None:
                        return sp
        return fallback

    values.span = fallback
    for key in list(values.spans):
        sp = values.spans[key]
        if sp is not None and sp.file.startswith(prefix):
            new = attr_span(key)
            values.spans[key] = new
            values.key_spans[key] = new
            _remap_nested(values[key], new, prefix)
    return values


def _remap_nested(v: Any, span: Span, prefix: str) -> None:
    if isinstance(v, LDict):
        if v.span is not None and v.span.file.startswith(prefix):
            v.span = span
        for k, sp in list(v.spans.items()):
            if sp is not None and sp.file.startswith(prefix):
                v.spans[k] = span
                v.key_spans[k] = span
        for x in v.values():
            _remap_nested(x, span, prefix)
    elif isinstance(v, LList):
        if v.span is not None and v.span.file.startswith(prefix):
            v.span = span
        v.spans = [span if sp is not None and sp.file.startswith(prefix) else sp for sp in v.spans]
        for x in v:
            _remap_nested(x, span, prefix)
    else:
        from .evaluate import Encoded

        if isinstance(v, Encoded):
            _remap_nested(v.value, span, prefix)
