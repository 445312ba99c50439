"""How a Terraform module's references, variables, locals, count/for_each and functions become the Model.

Each test writes a small module to a temporary directory and checks the nodes, edges, values and lines the
front-end produces (the rules are tested on the twins and the project fixture).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from invocation_lint.formats.terraform.load import load_module
from invocation_lint.model import Model, Unknown

FN = """
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
"""


def module(tmp_path: Path, files: dict[str, str]) -> Model:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_module(str(tmp_path), "mod", str(tmp_path))


def test_defaults_are_marked_and_located(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n' + FN})
    q = m.queues["aws_sqs_queue.q"]
    assert (q.visibility_timeout.value, q.retention.value, q.fifo.value) == (30, 345600, False)
    assert q.visibility_timeout.default and q.retention.default
    assert q.span.file == "mod/main.tf" and q.span.line == 1
    fn = m.functions["aws_lambda_function.fn"]
    assert fn.timeout.value == 3 and fn.timeout.default
    assert fn.span.line == 3 and fn.handler.span.line == 5
    assert m.format == "terraform"


def test_reference_interpolation_variables_and_locals(tmp_path: Path) -> None:
    m = module(tmp_path, {
        "variables.tf": """
            variable "visibility" {
              default = 120
            }
            variable "no_default" {}
        """,
        "main.tf": """
            locals {
              factor = 2
              dlq    = aws_sqs_queue.dlq
            }
            resource "aws_sqs_queue" "dlq" {
              name = "jobs-dlq.fifo"
            }
            resource "aws_sqs_queue" "jobs" {
              visibility_timeout_seconds = var.visibility * local.factor
              message_retention_seconds  = var.no_default
              redrive_policy = jsonencode({
                deadLetterTargetArn = "${local.dlq.arn}"
                maxReceiveCount     = 4
              })
            }
        """,
    })
    jobs = m.queues["aws_sqs_queue.jobs"]
    assert jobs.visibility_timeout.value == 240 and jobs.visibility_timeout.span.line == 10
    assert isinstance(jobs.retention.value, Unknown) and not jobs.retention.known
    assert jobs.redrive.target.node == "aws_sqs_queue.dlq" and jobs.redrive.target.service == "sqs"
    assert jobs.redrive.max_receive_count.value == 4 and jobs.redrive.max_receive_count.span.line == 14
    assert m.queues["aws_sqs_queue.dlq"].fifo.value is True  # by its .fifo name


def test_redrive_policy_as_json_string_and_heredoc(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": """
        resource "aws_sqs_queue" "dlq" {}
        resource "aws_sqs_queue" "a" {
          redrive_policy = "{\\"deadLetterTargetArn\\":\\"${aws_sqs_queue.dlq.arn}\\",\\"maxReceiveCount\\":7}"
        }
        resource "aws_sqs_queue" "b" {
          redrive_policy = <<-EOF
            {
              "deadLetterTargetArn": "${aws_sqs_queue.dlq.arn}",
              "maxReceiveCount": 9
            }
          EOF
        }
    """})
    for name, count in (("a", 7), ("b", 9)):
        r = m.queues[f"aws_sqs_queue.{name}"].redrive
        assert r.target.node == "aws_sqs_queue.dlq"
        assert r.max_receive_count.value == count


def test_count_and_for_each_instances(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": """
        variable "create" {
          default = true
        }
        resource "aws_sqs_queue" "counted" {
          count = var.create ? 2 : 0
          visibility_timeout_seconds = 10 * (count.index + 1)
        }
        resource "aws_sqs_queue" "keyed" {
          for_each = toset(["a", "b"])
          name     = "q-${each.key}"
        }
        resource "aws_sqs_queue" "by_map" {
          for_each = { for k, v in { x = 1, y = 2 } : k => v if v > 1 }
          delay_seconds = each.value
        }
        resource "aws_sqs_queue" "unknown_count" {
          count = length(data.aws_availability_zones.all.names)
        }
        resource "aws_sqs_queue" "none" {
          count = 0
        }
    """})
    assert sorted(m.queues) == [
        'aws_sqs_queue.by_map["y"]', "aws_sqs_queue.counted[0]", "aws_sqs_queue.counted[1]",
        'aws_sqs_queue.keyed["a"]', 'aws_sqs_queue.keyed["b"]',
    ]
    assert m.queues["aws_sqs_queue.counted[1]"].visibility_timeout.value == 20
    assert m.notes == ["aws_sqs_queue.unknown_count: the count of aws_sqs_queue.unknown_count is not known statically; not checked"]


def test_indexed_references_and_splat(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        resource "aws_sqs_queue" "q" {
          for_each = toset(["orders", "refunds"])
        }
        resource "aws_sqs_queue" "c" {
          count = 2
        }
        resource "aws_lambda_event_source_mapping" "keyed" {
          event_source_arn = aws_sqs_queue.q["refunds"].arn
          function_name    = aws_lambda_function.fn.function_name
        }
        resource "aws_lambda_event_source_mapping" "counted" {
          event_source_arn = element(aws_sqs_queue.c[*].arn, 1)
          function_name    = "fn"
        }
        resource "aws_lambda_event_source_mapping" "each" {
          for_each         = aws_sqs_queue.q
          event_source_arn = each.value.arn
          function_name    = aws_lambda_function.fn.arn
        }
    """})
    sources = sorted((t.resource, t.source.node) for t in m.triggers)
    assert sources == [
        ("aws_lambda_event_source_mapping.counted", "aws_sqs_queue.c[1]"),
        ('aws_lambda_event_source_mapping.each["orders"]', 'aws_sqs_queue.q["orders"]'),
        ('aws_lambda_event_source_mapping.each["refunds"]', 'aws_sqs_queue.q["refunds"]'),
        ("aws_lambda_event_source_mapping.keyed", 'aws_sqs_queue.q["refunds"]'),
    ]
    assert {t.function for t in m.triggers} == {"aws_lambda_function.fn"}  # by reference and by name


def test_local_child_module_inputs_and_outputs(tmp_path: Path) -> None:
    m = module(tmp_path, {
        "main.tf": FN + """
            module "queue" {
              source     = "./modules/queue"
              name       = "jobs"
              visibility = 15
            }
            resource "aws_lambda_event_source_mapping" "jobs" {
              event_source_arn = module.queue.arn
              function_name    = aws_lambda_function.fn.arn
              batch_size       = module.queue.batch
            }
        """,
        "modules/queue/main.tf": """
            variable "name" {}
            variable "visibility" {
              default = 30
            }
            resource "aws_sqs_queue" "this" {
              name                       = var.name
              visibility_timeout_seconds = var.visibility
            }
            output "arn" {
              value = aws_sqs_queue.this.arn
            }
            output "batch" {
              value = 5
            }
        """,
    })
    q = m.queues["module.queue.aws_sqs_queue.this"]
    assert q.visibility_timeout.value == 15
    assert q.span.file == "mod/modules/queue/main.tf"
    # set by the caller through an input: the fix belongs at the caller's argument
    assert q.visibility_timeout.span[:2] == ("mod/main.tf", 12)
    (t,) = m.triggers
    assert t.source.node == "module.queue.aws_sqs_queue.this" and t.batch_size.value == 5


def test_dynamic_blocks_and_functions(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": """
        variable "dlq_arn" {
          default = "arn:aws:sqs:eu-west-1:123456789012:external-dlq"
        }
        variable "settings" {
          default = { timeout = 20 }
        }
        resource "aws_lambda_function" "fn" {
          function_name = "fn"
          handler       = "app.handler"
          runtime       = "python3.12"
          timeout       = lookup(merge({ timeout = 3 }, var.settings), "timeout", 3)
          reserved_concurrent_executions = try(var.settings.concurrency, 2)
          dynamic "dead_letter_config" {
            for_each = var.dlq_arn == null ? [] : [var.dlq_arn]
            content {
              target_arn = dead_letter_config.value
            }
          }
        }
    """})
    fn = m.functions["aws_lambda_function.fn"]
    assert fn.timeout.value == 20
    assert fn.reserved_concurrency.value == 2
    assert fn.dlq.arn == "arn:aws:sqs:eu-west-1:123456789012:external-dlq" and fn.dlq.service == "sqs"
    (route,) = m.routes
    assert (route.kind, route.source) == ("function-dlq", "aws_lambda_function.fn")


def test_tf_json_syntax(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf.json": """
        {
          "variable": {"vt": {"default": 45}},
          "resource": {
            "aws_sqs_queue": {
              "q": {
                "visibility_timeout_seconds": "${var.vt}",
                "redrive_policy": "${jsonencode({deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 3})}"
              },
              "dlq": {}
            },
            "aws_lambda_event_source_mapping": {
              "m": {
                "event_source_arn": "${aws_sqs_queue.q.arn}",
                "function_name": "external-function",
                "scaling_config": {"maximum_concurrency": 4}
              }
            }
          }
        }
    """})
    q = m.queues["aws_sqs_queue.q"]
    assert q.visibility_timeout.value == 45 and q.visibility_timeout.span.line == 7
    assert q.redrive.target.node == "aws_sqs_queue.dlq" and q.redrive.max_receive_count.value == 3
    assert m.triggers == []  # the function is not in this module
    assert m.resources["aws_lambda_event_source_mapping.m"][1].line == 13


def test_iam_policies_in_every_form(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN.replace('filename      = "fn.zip"', "role = aws_iam_role.r.arn") + """
        resource "aws_sqs_queue" "q" {}
        resource "aws_iam_role" "r" {
          name               = "r"
          assume_role_policy = "{}"
          inline_policy {
            name   = "inline"
            policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = "*" }] })
          }
        }
        resource "aws_iam_role_policy" "heredoc" {
          role   = aws_iam_role.r.name
          policy = <<EOF
        {"Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "${aws_sqs_queue.q.arn}"}]}
        EOF
        }
        resource "aws_iam_policy" "managed" {
          policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "lambda:InvokeFunction", Resource = "*" }] })
        }
        resource "aws_iam_role_policy_attachment" "managed" {
          role       = aws_iam_role.r.name
          policy_arn = aws_iam_policy.managed.arn
        }
        resource "aws_iam_role_policy_attachment" "aws_managed" {
          role       = "r"
          policy_arn = "arn:aws:iam::aws:policy/AmazonSQSFullAccess"
        }
    """})
    role = m.roles["aws_iam_role.r"]
    assert [(s.effect, s.actions, [t.label() for t in s.resources]) for s in role.statements] == [
        ("Allow", ["sns:Publish"], ["*"]),
        ("Allow", ["sqs:SendMessage"], ["aws_sqs_queue.q"]),
        ("Deny", ["lambda:InvokeFunction"], ["*"]),
    ]
    assert role.complete is False  # an AWS managed policy whose statements are not known
    assert m.functions["aws_lambda_function.fn"].role.node == "aws_iam_role.r"


@pytest.mark.parametrize(("principal", "service", "mode"), [
    ("sns.amazonaws.com", "sns", "async"), ("s3.amazonaws.com", "s3", "async"),
    ("apigateway.amazonaws.com", "apigateway", "sync"), ("events.amazonaws.com", "eventbridge", "async"),
])
def test_permission_gives_a_trigger_only_when_nothing_else_does(tmp_path: Path, principal: str, service: str,
                                                                mode: str) -> None:
    m = module(tmp_path, {"main.tf": FN + f"""
        resource "aws_lambda_permission" "p" {{
          function_name = aws_lambda_function.fn.function_name
          principal     = "{principal}"
          action        = "lambda:InvokeFunction"
        }}
    """})
    (t,) = m.triggers
    assert (t.service, t.mode, t.resource) == (service, mode, "aws_lambda_permission.p")


def test_streams_sync_callers_and_aliases(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        resource "aws_kinesis_stream" "clicks" {
          name        = "clicks"
          shard_count = 1
        }
        resource "aws_dynamodb_table" "orders" {
          name             = "orders"
          hash_key         = "id"
          stream_enabled   = true
          stream_view_type = "NEW_IMAGE"
        }
        resource "aws_lambda_alias" "live" {
          name             = "live"
          function_name    = aws_lambda_function.fn.function_name
          function_version = "1"
        }
        resource "aws_lambda_event_source_mapping" "clicks" {
          event_source_arn       = aws_kinesis_stream.clicks.arn
          function_name          = aws_lambda_alias.live.arn
          starting_position      = "LATEST"
          maximum_retry_attempts = 3
          destination_config {
            on_failure {
              destination_arn = "arn:aws:sqs:eu-west-1:123456789012:clicks-failures"
            }
          }
        }
        resource "aws_lambda_event_source_mapping" "orders" {
          event_source_arn  = aws_dynamodb_table.orders.stream_arn
          function_name     = aws_lambda_function.fn.arn
          starting_position = "TRIM_HORIZON"
        }
        resource "aws_lambda_function_url" "url" {
          function_name = aws_lambda_function.fn.function_name
        }
        resource "aws_lb_target_group" "tg" {
          target_type = "lambda"
        }
        resource "aws_lb_target_group_attachment" "tg" {
          target_group_arn = aws_lb_target_group.tg.arn
          target_id        = aws_lambda_function.fn.arn
        }
    """})
    by_service = {t.service: t for t in m.triggers}
    assert sorted(by_service) == ["alb", "dynamodb", "kinesis", "url"]
    k = by_service["kinesis"]
    assert (k.mode, k.batch_size.value, k.batch_size.default) == ("poll-stream", 100, True)
    assert k.max_retry_attempts.value == 3 and k.qualifier == "live"
    assert k.on_failure.arn.endswith(":clicks-failures") and k.destination_config.line == 29
    assert by_service["dynamodb"].source.node == "aws_dynamodb_table.orders"
    assert by_service["alb"].mode == "sync" and by_service["alb"].source.node == "aws_lb_target_group.tg"
    assert m.streams["aws_dynamodb_table.orders"].service == "dynamodb"


def test_unknown_values_never_guess(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        data "aws_sqs_queue" "existing" {
          name = "existing"
        }
        resource "aws_sqs_queue" "q" {
          visibility_timeout_seconds = data.aws_ssm_parameter.vt.value
          redrive_policy             = data.aws_ssm_parameter.redrive.value
        }
        resource "aws_lambda_event_source_mapping" "existing" {
          event_source_arn = data.aws_sqs_queue.existing.arn
          function_name    = aws_lambda_function.fn.arn
        }
        module "remote" {
          source = "git::https://example.com/modules.git//queue"
        }
        resource "aws_lambda_event_source_mapping" "remote" {
          event_source_arn = module.remote.queue_arn
          function_name    = aws_lambda_function.fn.arn
        }
    """})
    q = m.queues["aws_sqs_queue.q"]
    assert not q.visibility_timeout.known
    assert isinstance(q.redrive, Unknown)
    # the data source is an SQS queue outside this module: its ARN is unknown, its service not; the remote
    # module's output is unknown, but a mapping without starting_position can only poll SQS
    existing, remote = sorted(m.triggers, key=lambda t: t.resource)
    assert existing.resource == "aws_lambda_event_source_mapping.existing" and existing.service == "sqs"
    assert remote.resource == "aws_lambda_event_source_mapping.remote" and remote.service == "sqs"
    for t in (existing, remote):
        assert t.source.node is None and t.source.unknown is not None
    assert m.notes == ["module.remote: module source 'git::https://example.com/modules.git//queue' is not on disk; "
                       "its resources are not checked"]


def test_tfvars_override_defaults(tmp_path: Path) -> None:
    m = module(tmp_path, {
        "main.tf": 'variable "vt" {\n  default = 30\n}\nresource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = var.vt\n}\n',
        "terraform.tfvars": "vt = 90\n",
    })
    assert m.queues["aws_sqs_queue.q"].visibility_timeout.value == 90


def test_resource_suppression_comment(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": """
        # invlint: ignore[SQS001, sqs-visibility-timeout-below-recommended]
        resource "aws_sqs_queue" "q" {}
        resource "aws_sqs_queue" "r" { # invlint: ignore
        }
        resource "aws_sqs_queue" "s" {} # invlint: ignore[SQS003]
        resource "aws_sqs_queue" "t" {
          # invlint: ignore[SQS005]
        }
    """})
    assert m.suppressions == {
        "aws_sqs_queue.q": {"SQS001", "sqs-visibility-timeout-below-recommended"},
        "aws_sqs_queue.r": {"*"},
        "aws_sqs_queue.s": {"SQS003"},
    }


def test_resource_suppression_comment_with_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    # CRLF line ends are line ends; a byte order mark stays in front of the first line (no comment line then)
    (tmp_path / "a.tf").write_bytes(b'\xef\xbb\xbf# invlint: ignore[SQS001]\r\nresource "aws_sqs_queue" "q" {}\r\n'
                                    b'resource "aws_sqs_queue" "r" {} # invlint: ignore[SQS002]\r\n')
    (tmp_path / "b.tf").write_bytes(b'# invlint: ignore[SQS003]\r\nresource "aws_sqs_queue" "s" {}\r\n')
    m = load_module(str(tmp_path), "proj", str(tmp_path))
    assert set(m.queues) == {"aws_sqs_queue.q", "aws_sqs_queue.r", "aws_sqs_queue.s"}
    assert m.suppressions == {"aws_sqs_queue.r": {"SQS002"}, "aws_sqs_queue.s": {"SQS003"}}


def test_async_callers(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        resource "aws_sqs_queue" "undelivered" {}
        resource "aws_scheduler_schedule" "hourly" {
          schedule_expression = "rate(1 hour)"
          flexible_time_window {
            mode = "OFF"
          }
          target {
            arn      = aws_lambda_function.fn.arn
            role_arn = "arn:aws:iam::123456789012:role/scheduler"
            dead_letter_config {
              arn = aws_sqs_queue.undelivered.arn
            }
          }
        }
        resource "aws_cloudwatch_event_bus" "orders" {
          name = "orders"
        }
        resource "aws_cloudwatch_event_rule" "placed" {
          event_bus_name = aws_cloudwatch_event_bus.orders.name
          event_pattern  = jsonencode({ source = ["orders"] })
        }
        resource "aws_cloudwatch_event_target" "placed" {
          rule           = aws_cloudwatch_event_rule.placed.name
          event_bus_name = aws_cloudwatch_event_bus.orders.name
          arn            = aws_lambda_function.fn.arn
        }
        resource "aws_cloudwatch_log_subscription_filter" "errors" {
          name            = "errors"
          log_group_name  = "/app"
          filter_pattern  = "ERROR"
          destination_arn = aws_lambda_function.fn.arn
        }
        resource "aws_iot_topic_rule" "telemetry" {
          name        = "telemetry"
          enabled     = true
          sql         = "SELECT * FROM 'devices/+'"
          sql_version = "2016-03-23"
          lambda {
            function_arn = aws_lambda_function.fn.arn
          }
        }
    """})
    by_service = {t.service: t for t in m.triggers}
    assert sorted(by_service) == ["eventbridge", "iot", "logs", "scheduler"]
    assert all(t.mode == "async" for t in m.triggers)
    assert by_service["scheduler"].delivery_dlq.node == "aws_sqs_queue.undelivered"
    assert by_service["scheduler"].resource == "aws_scheduler_schedule.hourly"
    assert by_service["eventbridge"].source.node == "aws_cloudwatch_event_bus.orders"
    assert by_service["eventbridge"].declared_id == "aws_cloudwatch_event_target.placed"
    assert [(r.kind, r.source) for r in m.routes] == [("target-dlq", "aws_scheduler_schedule.hourly")]
    assert "aws_cloudwatch_event_bus.orders" in m.buses


def test_rest_api_authorizer_and_permission_source(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        resource "aws_api_gateway_rest_api" "api" {
          name = "api"
        }
        resource "aws_api_gateway_authorizer" "auth" {
          name           = "auth"
          rest_api_id    = aws_api_gateway_rest_api.api.id
          authorizer_uri = aws_lambda_function.fn.invoke_arn
        }
        resource "aws_lambda_function" "other" {
          function_name = "other"
          handler       = "other.handler"
          runtime       = "python3.12"
        }
        resource "aws_apigatewayv2_api" "ws" {
          name                       = "ws"
          protocol_type              = "WEBSOCKET"
          route_selection_expression = "$request.body.action"
        }
        resource "aws_lambda_permission" "ws" {
          function_name = aws_lambda_function.other.function_name
          principal     = "apigateway.amazonaws.com"
          source_arn    = "${aws_apigatewayv2_api.ws.execution_arn}/*/*"
        }
    """})
    (auth,) = m.triggers_of("aws_lambda_function.fn")
    assert (auth.mode, auth.service, auth.api, auth.proxy, auth.authorizer) == (
        "sync", "apigateway", "aws_api_gateway_rest_api.api", False, True)
    (ws,) = m.triggers_of("aws_lambda_function.other")
    assert (ws.service, ws.api, ws.api_kind) == ("apigatewayv2", "aws_apigatewayv2_api.ws", "websocket")


def test_suppressed_end_to_end(tmp_path: Path) -> None:
    from invocation_lint.engine import run

    body = FN + """
        resource "aws_sqs_queue" "q" {
          visibility_timeout_seconds = 60
        }
        resource "aws_lambda_event_source_mapping" "m" {
          event_source_arn = aws_sqs_queue.q.arn
          function_name    = aws_lambda_function.fn.arn
        }
    """
    module(tmp_path / "open", {"main.tf": body})
    module(tmp_path / "quiet", {"main.tf": body.replace('resource "aws_sqs_queue"', '# invlint: ignore[SQS001]\n        resource "aws_sqs_queue"')})
    assert [f.code for f in run([str(tmp_path / "open")]).findings] == ["SQS001"]
    quiet = run([str(tmp_path / "quiet")])
    assert quiet.findings == [] and quiet.suppressed == 1


def test_openapi_bodies(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        resource "aws_api_gateway_rest_api" "rest" {
          name = "rest"
          body = jsonencode({
            openapi = "3.0.1"
            paths = {
              "/orders" = {
                get = {
                  x-amazon-apigateway-integration = {
                    type                = "aws_proxy"
                    httpMethod          = "POST"
                    uri                 = aws_lambda_function.fn.invoke_arn
                    timeoutInMillis     = 10000
                  }
                }
                post = {
                  x-amazon-apigateway-integration = { type = "http_proxy", uri = "https://example.com" }
                }
              }
            }
          })
        }
        resource "aws_apigatewayv2_api" "http" {
          name          = "http"
          protocol_type = "HTTP"
          body          = <<-EOF
            {"openapi": "3.0.1", "paths": {"/jobs": {"get": {"x-amazon-apigateway-integration": {
              "type": "AWS_PROXY", "uri": "${aws_lambda_function.fn.invoke_arn}", "payloadFormatVersion": "2.0"}}}}}
          EOF
        }
    """})
    rest, http = sorted(m.triggers, key=lambda t: t.service)
    assert (rest.service, rest.api, rest.api_kind, rest.route) == (
        "apigateway", "aws_api_gateway_rest_api.rest", "rest", "GET /orders")
    assert rest.integration_timeout_ms.value == 10000
    assert (http.service, http.api, http.api_kind, http.route) == (
        "apigatewayv2", "aws_apigatewayv2_api.http", "http", "GET /jobs")


def test_file_and_templatefile(tmp_path: Path) -> None:
    (tmp_path / "outside.json").write_text('{"Statement": []}', encoding="utf-8")
    m = module(tmp_path / "proj", {
        "policies/send.json.tftpl": '{"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "${queue}"}]}\n',
        "policies/logs.json": '{"Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}\n',
        "main.tf": """
            resource "aws_sqs_queue" "q" {}
            resource "aws_iam_role" "r" {
              name               = "r"
              assume_role_policy = "{}"
            }
            resource "aws_iam_role_policy" "send" {
              role   = aws_iam_role.r.id
              policy = templatefile("${path.module}/policies/send.json.tftpl", { queue = aws_sqs_queue.q.arn })
            }
            resource "aws_iam_role_policy" "logs" {
              role   = aws_iam_role.r.id
              policy = file("${path.module}/policies/logs.json")
            }
            resource "aws_iam_role_policy" "outside" {
              role   = aws_iam_role.r.id
              policy = file("${path.module}/../outside.json")
            }
        """,
    })
    role = m.roles["aws_iam_role.r"]
    assert [(s.actions, [t.label() for t in s.resources]) for s in role.statements] == [
        (["sqs:SendMessage"], ["aws_sqs_queue.q"]),
        (["logs:PutLogEvents"], ["*"]),
    ]
    assert role.complete is False  # the file outside the project is not read


def test_override_files_and_json_tfvars(tmp_path: Path) -> None:
    m = module(tmp_path, {
        "main.tf": """
            variable "retention" {
              default = 345600
            }
            resource "aws_sqs_queue" "q" {
              visibility_timeout_seconds = 30
              message_retention_seconds  = var.retention
            }
            resource "aws_lambda_function" "fn" {
              function_name = "fn"
              handler       = "app.handler"
              runtime       = "python3.12"
              dead_letter_config {
                target_arn = aws_sqs_queue.q.arn
              }
            }
        """,
        "override.tf": """
            resource "aws_sqs_queue" "q" {
              visibility_timeout_seconds = 300
            }
            resource "aws_lambda_function" "fn" {
              dead_letter_config {
                target_arn = "arn:aws:sqs:eu-west-1:123456789012:other"
              }
            }
        """,
        "terraform.tfvars.json": '{"retention": 1209600}',
    })
    q = m.queues["aws_sqs_queue.q"]
    assert q.visibility_timeout.value == 300 and q.visibility_timeout.span.file == "mod/override.tf"
    assert q.retention.value == 1209600
    assert m.functions["aws_lambda_function.fn"].dlq.arn.endswith(":other")


def test_optional_attribute_defaults(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": """
        variable "queues" {
          type = map(object({
            visibility = optional(number, 45)
            retention  = optional(number)
            dlq        = optional(object({ max_receive = optional(number, 5) }), {})
          }))
          default = {
            a = {}
            b = { visibility = 10, dlq = { max_receive = 2 } }
          }
        }
        resource "aws_sqs_queue" "q" {
          for_each                   = var.queues
          visibility_timeout_seconds = each.value.visibility + each.value.dlq.max_receive
          message_retention_seconds  = each.value.retention
        }
    """})
    a, b = m.queues['aws_sqs_queue.q["a"]'], m.queues['aws_sqs_queue.q["b"]']
    assert a.visibility_timeout.value == 50 and a.retention.value == 345600 and a.retention.default
    assert b.visibility_timeout.value == 12


def test_trigger_filters_and_payload_format(tmp_path: Path) -> None:
    m = module(tmp_path, {"main.tf": FN + """
        resource "aws_sqs_queue" "q" {}
        resource "aws_s3_bucket" "b" {
          bucket = "b"
        }
        resource "aws_s3_bucket_notification" "b" {
          bucket = aws_s3_bucket.b.id
          lambda_function {
            lambda_function_arn = aws_lambda_function.fn.arn
            events              = ["s3:ObjectCreated:*"]
            filter_prefix       = "incoming/"
          }
        }
        resource "aws_lambda_event_source_mapping" "q" {
          event_source_arn = aws_sqs_queue.q.arn
          function_name    = aws_lambda_function.fn.arn
          filter_criteria {
            filter {
              pattern = jsonencode({ body = { kind = ["order"] } })
            }
          }
        }
        resource "aws_apigatewayv2_api" "h" {
          name          = "h"
          protocol_type = "HTTP"
        }
        resource "aws_apigatewayv2_integration" "h" {
          api_id                 = aws_apigatewayv2_api.h.id
          integration_type       = "AWS_PROXY"
          integration_uri        = aws_lambda_function.fn.invoke_arn
          payload_format_version = "1.0"
        }
    """})
    by_service = {t.service: t for t in m.triggers}
    assert by_service["s3"].event_filter == {"prefix": "incoming/"}
    assert by_service["sqs"].event_filter
    assert by_service["apigatewayv2"].payload_format_version == "1.0"


def test_a_permission_source_arn_built_from_several_resources_still_names_its_api(tmp_path: Path) -> None:
    """``"${aws_apigatewayv2_api.api.execution_arn}/*/GET${aws_api_gateway_resource.orders.path}"`` is known only
    after apply, but it is the HTTP API's: the permission-only trigger is an HTTP API caller."""
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_apigatewayv2_api" "api" {
          name          = "orders"
          protocol_type = "HTTP"
        }
        resource "aws_api_gateway_resource" "orders" {
          rest_api_id = "abc"
          parent_id   = "def"
          path_part   = "orders"
        }
        resource "aws_lambda_function" "f" {
          function_name = "f"
          role          = "arn:aws:iam::123456789012:role/f"
          handler       = "index.handler"
          runtime       = "python3.12"
          filename      = "f.zip"
        }
        resource "aws_lambda_permission" "p" {
          function_name = aws_lambda_function.f.arn
          principal     = "apigateway.amazonaws.com"
          source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/GET${aws_api_gateway_resource.orders.path}"
        }
    """), encoding="utf-8")
    model = load_module(str(tmp_path), "main.tf", str(tmp_path))
    assert [(t.function, t.service, t.mode, t.via_permission, t.api, t.api_kind) for t in model.triggers] == [
        ("aws_lambda_function.f", "apigatewayv2", "sync", True, "aws_apigatewayv2_api.api", "http")]
