"""HANDLER001-009 end to end: SAM and CloudFormation fixtures with Python, JavaScript and TypeScript handlers.

Every expected finding is asserted exactly (code, resource, file, line, severity), and the lists are compared
whole, so the functions each fixture marks as silent (correct handlers, narrow excepts, sync triggers, HTTP API
payload 2.0, unknown runtimes) must stay silent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run_rules

from invocation_lint.handlers import analyse_model
from invocation_lint.load import load_path
from invocation_lint.model import Function, Model, Trigger, Val
from invocation_lint.registry import Finding
from invocation_lint.source import Span

HANDLERS = FIXTURES / "handlers"


def _lint(path: Path, select: str = "HANDLER") -> list[Finding]:
    out: list[Finding] = []
    for model in load_path(str(path)):
        analyse_model(model)
        out.extend(run_rules(model, select))
    return out


def _rows(findings: list[Finding]) -> list[tuple[str, str | None, str, int, str]]:
    rows = []
    for f in findings:
        assert f.span is not None
        file = Path(f.span.file).resolve().relative_to(HANDLERS.resolve()).as_posix()
        rows.append((f.code, f.resource, file, f.span.line, f.severity))
    return sorted(rows, key=lambda r: (r[2], r[3], r[0]))


def test_python_handlers() -> None:
    assert _rows(_lint(HANDLERS / "python")) == [
        ("HANDLER008", "GetOrder", "python/src/api.py", 5, "error"),
        ("HANDLER006", "BadIdentifier", "python/src/bad_id.py", 7, "error"),
        ("HANDLER005", "FirstOnly", "python/src/first.py", 5, "error"),
        ("HANDLER007", "FifoContinues", "python/src/partial.py", 6, "warning"),
        ("HANDLER003", "PartialNoFlag", "python/src/partial.py", 8, "error"),
        ("HANDLER001", "StatusOkToQueue", "python/src/status_ok.py", 4, "warning"),
        ("HANDLER002", "StatusToQueue", "python/src/status_sqs.py", 8, "warning"),
        ("HANDLER001", "StatusToQueue", "python/src/status_sqs.py", 10, "error"),
        ("HANDLER002", "Thumbnail", "python/src/thumbnail.py", 10, "warning"),
        ("HANDLER004", "FlagNoReport", "python/template.yaml", 105, "info"),
        ("HANDLER009", "WrongName", "python/template.yaml", 210, "error"),
        ("HANDLER009", "WrongFile", "python/template.yaml", 216, "error"),
    ]


def test_node_handlers() -> None:
    assert _rows(_lint(HANDLERS / "node")) == [
        ("HANDLER008", "GetJob", "node/src/api.js", 3, "error"),
        ("HANDLER005", "ClickStream", "node/src/clicks.js", 2, "error"),
        ("HANDLER006", "ClickStream", "node/src/clicks.js", 7, "error"),
        ("HANDLER002", "NotifyAlerts", "node/src/notify.mjs", 5, "warning"),
        ("HANDLER007", "FifoJob", "node/src/partial.js", 6, "warning"),
        ("HANDLER003", "PartialJob", "node/src/partial.js", 10, "error"),
        ("HANDLER002", "StatusJob", "node/src/status.js", 8, "warning"),
        ("HANDLER001", "StatusJob", "node/src/status.js", 10, "error"),
        ("HANDLER009", "WrongExport", "node/template.yaml", 142, "error"),
        ("HANDLER004", "TsThrows", "node/template.yaml", 156, "info"),
        ("HANDLER003", "TsPowertoolsNoFlag", "node/ts/app.ts", 11, "error"),
        ("HANDLER005", "TsFirst", "node/ts/first.ts", 5, "error"),
        ("HANDLER001", "TsFirst", "node/ts/first.ts", 7, "warning"),
    ]


def test_inline_handlers_point_into_the_template() -> None:
    assert _rows(_lint(HANDLERS / "inline")) == [
        ("HANDLER005", "InlinePython", "inline/template.yaml", 40, "error"),
        ("HANDLER002", "InlinePython", "inline/template.yaml", 42, "warning"),
        ("HANDLER003", "InlineNodeMapping", "inline/template.yaml", 70, "error"),
        ("HANDLER009", "InlineWrongModule", "inline/template.yaml", 112, "error"),
    ]


def test_runtime_not_analysed_is_noted_once() -> None:
    (model,) = load_path(str(HANDLERS / "inline"))
    analyse_model(model)
    assert model.notes == ["InlineRuby: runtime ruby3.3: handler code is not analysed"]
    assert "InlineRuby" not in model.handler_facts


def test_findings_name_the_trigger_and_the_failure_path() -> None:
    findings = {(f.code, f.resource): f for f in _lint(HANDLERS / "python")}
    f = findings[("HANDLER001", "StatusToQueue")]
    assert f.function == "StatusToQueue"
    trig = [r for r in f.related if r.span is not None and r.span.file.endswith("template.yaml")]
    assert [r.span.line for r in trig] == [42]  # the SQS event's name line
    assert "500" in f.message and "up to 10 messages" in f.message
    assert f.path == ["OrdersQueue (SQS)", "StatusToQueue [poll, batch 10]", "handler returns statusCode 500, 200",
                      "counted as success", "messages deleted"]
    f5 = findings[("HANDLER005", "FirstOnly")]
    assert "the other 9 are deleted" in f5.message


# ------------------------------------------------------------------------------------ hand-built Models


def _model(tmp_path: Path, code: str, mode: str, service: str, *, runtime: str = "python3.12",
           report: bool | None = None, batch: int | None = None) -> Model:
    from invocation_lint.model import CodeLocation

    (tmp_path / "app.py").write_text(code)
    (tmp_path / "app.js").write_text(code)
    tpl = str(tmp_path / "template.yaml")
    m = Model(file=tpl, format="cloudformation", base_dir=str(tmp_path))
    fn = Function("Fn", "AWS::Lambda::Function", Span(tpl, 3), runtime=Val(runtime), handler=Val("app.handler"),
                  code=CodeLocation("dir", path=str(tmp_path), base_dir=str(tmp_path)))
    m.functions["Fn"] = fn
    t = Trigger("Fn", mode, service, Span(tpl, 10), "Mapping")  # type: ignore[arg-type]
    if report is not None:
        t.report_batch_item_failures = Val(report, Span(tpl, 12))
    if batch is not None:
        t.batch_size = Val(batch, Span(tpl, 11))
    m.triggers.append(t)
    analyse_model(m)
    return m


SWALLOW = "def handler(event, context):\n    try:\n        work(event)\n    except Exception:\n        pass\n"


@pytest.mark.parametrize(("mode", "service", "expected"), [
    ("async", "sns", [("HANDLER002", 4)]),
    ("poll-stream", "kinesis", [("HANDLER002", 4)]),
    ("sync", "apigateway", []),  # the API caller decides; swallowing is the handler's business there
])
def test_swallow_depends_on_the_caller(tmp_path: Path, mode: str, service: str, expected: list) -> None:
    m = _model(tmp_path, SWALLOW, mode, service)
    got = [(f.code, f.span.line) for f in run_rules(m, "HANDLER002")]
    assert got == expected


def test_narrow_except_and_reraise_are_silent(tmp_path: Path) -> None:
    code = ("def handler(event, context):\n    try:\n        work(event)\n    except KeyError:\n        pass\n"
            "    try:\n        work(event)\n    except Exception:\n        log()\n        raise\n")
    assert run_rules(_model(tmp_path, code, "async", "s3"), "HANDLER002") == []


def test_empty_batch_failures_from_a_catch_all_is_a_swallow(tmp_path: Path) -> None:
    code = ("def handler(event, context):\n    try:\n        work(event)\n    except Exception:\n"
            "        return {'batchItemFailures': []}\n    return {'batchItemFailures': []}\n")
    m = _model(tmp_path, code, "poll-sqs", "sqs", report=True)
    assert [(f.code, f.span.line) for f in run_rules(m, "HANDLER002")] == [("HANDLER002", 4)]


def test_records0_with_batch_size_one_is_silent(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    print(event['Records'][0]['body'])\n"
    assert run_rules(_model(tmp_path, code, "poll-sqs", "sqs", batch=1), "HANDLER005") == []
    m = _model(tmp_path, code, "poll-stream", "dynamodb")
    [f] = run_rules(m, "HANDLER005")
    assert f.span.line == 2 and "up to 100 records" in f.message


def test_records0_on_async_caller_is_silent(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    print(event['Records'][0]['s3'])\n"
    assert run_rules(_model(tmp_path, code, "async", "s3"), "HANDLER005") == []


def test_item_identifier_for_streams(tmp_path: Path) -> None:
    code = ("def handler(event, context):\n    failures = []\n    for r in event['Records']:\n        try:\n"
            "            work(r)\n        except Exception:\n"
            "            failures.append({'itemIdentifier': r['kinesis']['sequenceNumber']})\n"
            "    return {'batchItemFailures': failures}\n")
    assert run_rules(_model(tmp_path, code, "poll-stream", "kinesis", report=True), "HANDLER006") == []
    [f] = run_rules(_model(tmp_path, code, "poll-sqs", "sqs", report=True), "HANDLER006")
    assert f.span.line == 7 and "messageId" in f.message


def test_unknown_item_identifier_is_silent(tmp_path: Path) -> None:
    code = ("def handler(event, context):\n    return {'batchItemFailures': "
            "[{'itemIdentifier': ident(r)} for r in event['Records']]}\n")
    assert run_rules(_model(tmp_path, code, "poll-sqs", "sqs", report=True), "HANDLER006") == []


def test_http_api_payload_formats(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    return {'ok': True}\n"
    m = _model(tmp_path, code, "sync", "apigatewayv2")
    assert run_rules(m, "HANDLER008") == []  # payload 2.0 (or unknown): any JSON is a 200
    m.triggers[0].payload_format_version = "1.0"
    assert [(f.code, f.span.line) for f in run_rules(m, "HANDLER008")] == [("HANDLER008", 2)]


def test_alb_and_falling_off_the_end(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    print(event)\n"
    [f] = run_rules(_model(tmp_path, code, "sync", "alb"), "HANDLER008")
    assert f.span.line == 1 and "load balancer" in f.message


def test_unknown_decorator_keeps_return_rules_silent(tmp_path: Path) -> None:
    code = "@api_response\ndef handler(event, context):\n    return {'id': 1}\n"
    assert run_rules(_model(tmp_path, code, "sync", "apigateway"), "HANDLER008") == []


def test_opaque_returns_keep_004_silent(tmp_path: Path) -> None:
    code = "from lib import run\n\ndef handler(event, context):\n    return run(event)\n"
    assert run_rules(_model(tmp_path, code, "poll-sqs", "sqs", report=True), "HANDLER004") == []


def test_js_model_handler(tmp_path: Path) -> None:
    code = "exports.handler = async (event) => ({ statusCode: 503 });\n"
    m = _model(tmp_path, code, "async", "eventbridge", runtime="nodejs20.x")
    [f] = run_rules(m, "HANDLER001")
    assert (f.severity, f.span.line) == ("error", 1) and "503" in f.message


def test_cdk_asset_folder() -> None:
    assert _rows(_lint(HANDLERS / "cdk")) == [
        ("HANDLER002", "Worker9A8B7C6D", "cdk/cdk.out/asset.5f1e2d3c4b/index.py", 5, "warning"),
    ]


def test_edge_cases_through_the_engine() -> None:
    from invocation_lint.engine import run

    result = run([str(HANDLERS / "edge")])
    assert _rows([f for f in result.findings if f.code.startswith("HANDLER")]) == [
        ("HANDLER002", "Suppressed", "edge/src/suppressed.py", 10, "warning"),
    ]
    assert result.suppressed == 1 and not result.errors
    (model,) = result.models
    # Gone's code directory does not exist: not checked, and said so
    assert any(n.startswith("Gone: code directory") and "does not exist" in n for n in model.notes)
    broken = model.handler_facts["Broken"]
    assert broken.parse_error is not None and broken.parse_error.line == 1 and not broken.analysed
    assert {"Unbuilt", "FromParameter"}.isdisjoint(model.handler_facts)


@pytest.mark.parametrize(("processor", "expected"), [
    ("BatchProcessor(event_type=EventType.SQS)", [("HANDLER007", 8)]),
    ("SqsFifoPartialProcessor()", []),
])
def test_powertools_processor_on_a_fifo_queue(tmp_path: Path, processor: str, expected: list) -> None:
    from invocation_lint.model import Queue, Target

    code = ("from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, SqsFifoPartialProcessor\n"
            "from aws_lambda_powertools.utilities.batch import process_partial_response\n\n"
            f"processor = {processor}\n\n\n"
            "def handler(event, context):\n"
            "    return process_partial_response(event=event, record_handler=print, processor=processor,\n"
            "                                    context=context)\n")
    m = _model(tmp_path, code, "poll-sqs", "sqs", report=True)
    m.queues["Jobs"] = Queue("Jobs", "AWS::SQS::Queue", Span(m.file, 20), fifo=Val(True, Span(m.file, 22)))
    m.triggers[0].source = Target(node="Jobs", service="sqs")
    assert [(f.code, f.span.line) for f in run_rules(m, "HANDLER")] == expected


def test_api_with_a_non_proxy_integration_of_the_same_function_is_not_checked(tmp_path: Path) -> None:
    m = _model(tmp_path, "exports.handler = async () => 'hello';\n", "sync", "apigateway", runtime="nodejs20.x")
    m.triggers[0].api = "Api"
    assert [f.span.line for f in run_rules(m, "HANDLER008")] == [1]
    m.triggers.append(Trigger("Fn", "sync", "apigateway", Span(m.file, 30), "Api", api="Api", proxy=False))
    assert run_rules(m, "HANDLER008") == []


def test_terraform_archive_file_source_dir() -> None:
    assert _rows(_lint(HANDLERS / "terraform")) == [
        ("HANDLER006", "aws_lambda_function.worker", "terraform/src/worker.py", 7, "error"),
    ]


def test_inline_code_in_json_points_at_the_zipfile_line() -> None:
    assert _rows(_lint(HANDLERS / "inline-json")) == [
        ("HANDLER005", "Worker", "inline-json/template.json", 20, "error"),
    ]


def test_an_always_empty_batch_response_without_the_flag_is_not_003(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    for r in event['Records']:\n        work(r)\n    return {'batchItemFailures': []}\n"
    assert run_rules(_model(tmp_path, code, "poll-sqs", "sqs", report=False), "HANDLER003") == []


OK_RESPONSE = "def handler(event, context):\n    work(event)\n    return {'statusCode': 200}\n"


@pytest.mark.parametrize(("mode", "service", "severity"), [
    ("poll-sqs", "sqs", "warning"),  # returning a status code to SQS is the habit that loses batches
    ("poll-stream", "kinesis", "info"),
    ("async", "sns", "info"),
])
def test_a_2xx_only_response_hides_nothing_outside_sqs(tmp_path: Path, mode: str, service: str,
                                                        severity: str) -> None:
    got = [(f.code, f.span.line, f.severity) for f in run_rules(_model(tmp_path, OK_RESPONSE, mode, service),
                                                                 "HANDLER001")]
    assert got == [("HANDLER001", 3, severity)]


def test_a_failing_status_stays_an_error_for_every_non_http_caller(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    if not work(event):\n        return {'statusCode': 500}\n"
    got = [(f.code, f.span.line, f.severity) for f in run_rules(_model(tmp_path, code, "async", "sns"),
                                                                 "HANDLER001")]
    assert got == [("HANDLER001", 3, "error")]


def test_every_invoking_service_has_a_readable_caller_label() -> None:
    from invocation_lint.rules.handler import _CALLER

    from invocation_lint.formats.invokers import INVOKERS

    assert [row.service for row in INVOKERS if row.service not in _CALLER] == []
    assert _CALLER["iot-authorizer"] == "an IoT custom authorizer"


def test_nested_except_after_the_item_is_reported_is_silent(tmp_path: Path) -> None:
    code = ("def handler(event, context):\n    failures = []\n    for record in event['Records']:\n"
            "        try:\n            work(record)\n        except Exception:\n"
            "            failures.append({'itemIdentifier': record['messageId']})\n"
            "            try:\n                alert(record)\n            except Exception:\n"
            "                pass\n    return {'batchItemFailures': failures}\n")
    assert run_rules(_model(tmp_path, code, "poll-sqs", "sqs", report=True), "HANDLER002") == []
