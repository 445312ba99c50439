"""SQS001–SQS010 on SAM and plain CloudFormation fixtures: exact findings, and silence where nothing is wrong.

Each fixture lists its whole expected result as ``(code, resource, line)``: an extra or a missing finding fails.
Clean fixtures cover correct, defaulted, Globals-driven, parameter-driven and Unknown values and queues defined
outside the template.
"""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, finding_tuples, lint, run_rules
from invocation_lint.rules import _common

from invocation_lint.formats.terraform.vocabulary import TERRAFORM
from invocation_lint.model import Function, Model, Queue, Redrive, Target, Trigger, Unknown, Val
from invocation_lint.registry import all_rules
from invocation_lint.source import Span

SQS = FIXTURES / "sqs"

CASES: dict[str, list[tuple[str, str, int]]] = {
    # SQS001 sqs-queue-without-redrive
    "sam/sqs001_fire.yaml": [("SQS001", "OrdersQueue", 6)],
    "sam/sqs001_sns_subscription.yaml": [("SQS001", "ProcessOrders", 20)],
    "sam/sqs001_clean.yaml": [],
    "cfn/sqs001_fire.json": [("SQS001", "OrdersQueue", 5)],
    "cfn/sqs001_clean.yaml": [],
    # SQS002 function-dlq-on-sqs-function
    "sam/sqs002_fire.yaml": [("SQS002", "ProcessOrders", 31), ("SQS002", "AuditOrders", 49)],
    "sam/sqs002_clean.yaml": [],
    "cfn/sqs002_fire.yaml": [("SQS002", "ProcessOrders", 29), ("SQS002", "AuditOrdersInvokeConfig", 54)],
    "cfn/sqs002_clean.yaml": [],
    # SQS003 visibility-timeout-below-function-timeout
    "sam/sqs003_fire.yaml": [("SQS003", "OrdersQueue", 17), ("SQS003", "ReportsQueue", 27)],
    "sam/sqs003_clean.yaml": [],
    "cfn/sqs003_fire.yaml": [("SQS003", "OrdersQueue", 15), ("SQS003", "ReportsQueue", 25)],
    "cfn/sqs003_clean.yaml": [],
    # SQS004 visibility-timeout-below-recommended
    "sam/sqs004_fire.yaml": [("SQS004", "OrdersQueue", 14), ("SQS004", "ReportsQueue", 22),
                             ("SQS004", "AuditQueue", 27)],
    "sam/sqs004_clean.yaml": [],
    "cfn/sqs004_fire.yaml": [("SQS004", "OrdersQueue", 13), ("SQS004", "ReportsQueue", 21),
                             ("SQS004", "AuditQueue", 26)],
    "cfn/sqs004_clean.yaml": [],
    # SQS005 max-receive-count-too-low
    "sam/sqs005_fire.yaml": [("SQS005", "OrdersQueue", 17), ("SQS005", "ReportsQueue", 22)],
    "sam/sqs005_clean.yaml": [],
    "cfn/sqs005_fire.yaml": [("SQS005", "OrdersQueue", 21), ("SQS005", "ReportsQueue", 26)],
    "cfn/sqs005_clean.yaml": [],
    # SQS006 dead-letter-queue-type-mismatch
    "sam/sqs006_fire.yaml": [("SQS006", "OrdersQueue", 16), ("SQS006", "ReportsQueue", 30),
                             ("SQS006", "PaymentsQueue", 39)],
    "sam/sqs006_clean.yaml": [],
    "cfn/sqs006_fire.yaml": [("SQS006", "OrdersQueue", 17), ("SQS006", "ReportsQueue", 30)],
    "cfn/sqs006_clean.yaml": [],
    # SQS007 dead-letter-retention-too-short
    "sam/sqs007_fire.yaml": [("SQS007", "OrdersDLQ", 6), ("SQS007", "ReportsDLQ", 19)],
    "sam/sqs007_clean.yaml": [],
    "cfn/sqs007_fire.json": [("SQS007", "OrdersDLQ", 5), ("SQS007", "ReportsDLQ", 21)],
    "cfn/sqs007_clean.yaml": [],
    # SQS008 sqs-batching-invalid
    "sam/sqs008_fire.yaml": [("SQS008", "ProcessOrders", 58), ("SQS008", "ProcessOrders", 63),
                             ("SQS008", "ProcessOrders", 69), ("SQS008", "ProcessOrders", 74),
                             ("SQS008", "ProcessOrders", 79)],
    "sam/sqs008_clean.yaml": [],
    "cfn/sqs008_fire.yaml": [("SQS008", "OrdersMapping", 62), ("SQS008", "BulkMapping", 69),
                             ("SQS008", "PaymentsMapping", 77), ("SQS008", "LedgerMapping", 84)],
    "cfn/sqs008_clean.json": [],
    # SQS009 sqs-consumer-throttled
    "sam/sqs009_fire.yaml": [("SQS009", "ProcessOrders", 31), ("SQS009", "PausedWorker", 44),
                             ("SQS009", "BuildReports", 64)],
    "sam/sqs009_globals.yaml": [("SQS009", "ProcessOrders", 9)],
    "sam/sqs009_clean.yaml": [],
    "cfn/sqs009_fire.yaml": [("SQS009", "ProcessOrders", 23), ("SQS009", "ReportsMapping", 53)],
    "cfn/sqs009_clean.yaml": [],
    # SQS010 sqs-mapping-destination-unsupported
    "sam/sqs010_fire.yaml": [("SQS010", "OrdersMapping", 32)],
    "sam/sqs010_clean.yaml": [],
    "cfn/sqs010_fire.yaml": [("SQS010", "OrdersMapping", 39), ("SQS010", "ExternalMapping", 48)],
    "cfn/sqs010_clean.yaml": [],
    # Terraform: a separate aws_sqs_queue_redrive_policy arrives merged into the queue's redrive
    "terraform/fire": [("SQS001", "aws_sqs_queue.jobs", 5), ("SQS004", "aws_sqs_queue.jobs", 5),
                       ("SQS003", "aws_sqs_queue.reports", 16),
                       ("SQS005", "aws_sqs_queue_redrive_policy.reports", 23),
                       ("SQS008", "aws_lambda_event_source_mapping.jobs", 39)],
    "terraform/clean": [],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_findings(name: str) -> None:
    assert finding_tuples(lint(SQS / name, select="SQS")) == CASES[name]


def test_every_rule_fires_and_stays_silent_in_both_formats() -> None:
    codes = [c for c in all_rules() if c.startswith("SQS")]
    assert codes == [f"SQS{n:03d}" for n in range(1, 11)]
    for code in codes:
        for fmt in ("sam", "cfn"):
            fired = [n for n, exp in CASES.items() if n.startswith(fmt) and any(e[0] == code for e in exp)]
            clean = [n for n in CASES if n.startswith(f"{fmt}/{code.lower()}_clean")]
            assert fired and clean, (code, fmt)
    on_disk = {str(p.relative_to(SQS)) for p in SQS.rglob("*") if p.suffix in (".yaml", ".json")}
    on_disk |= {str(p.parent.relative_to(SQS)) for p in SQS.rglob("*.tf")}
    # tested on their own below
    assert on_disk - set(CASES) == {"sam/sqs005_sub.yaml", "sam/sqs_imported_queue.yaml"}


def test_redrive_policy_through_sub() -> None:
    assert finding_tuples(lint(SQS / "sam/sqs005_sub.yaml", select="SQS")) == [("SQS005", "ReportsQueue", 14)]


def test_sqs_event_on_an_imported_queue() -> None:
    assert finding_tuples(lint(SQS / "sam/sqs_imported_queue.yaml", select="SQS")) == [
        ("SQS009", "Worker", 15), ("SQS008", "Worker", 21)]


# ---------------------------------------------------------------------------------------- what findings say


def test_sqs001_finding_in_full() -> None:
    (f,) = lint(SQS / "sam/sqs001_fire.yaml", select="SQS001")
    assert f.function == "ProcessOrders"
    assert f.severity == "error" and f.name == "sqs-queue-without-redrive"
    assert f.path == ["OrdersQueue (SQS)", "ProcessOrders [poll, batch 10]", "failure: visible again after 30 s",
                      "no redrive policy", "deleted after 4 days"]
    assert "every 30 s" in f.message and "4 days" in f.message and "11520 attempts" in f.message
    assert [(r.resource, r.span.line) for r in f.related] == [("ProcessOrders", 28)]
    assert "RedrivePolicy" in f.fix


def test_sqs001_generated_queue_fix_belongs_to_the_function() -> None:
    (f,) = lint(SQS / "sam/sqs001_sns_subscription.yaml", select="SQS001")
    assert f.resource == "ProcessOrders" and "SqsSubscription" in f.fix


def test_sqs002_says_where_the_dlq_belongs() -> None:
    first, second = lint(SQS / "cfn/sqs002_fire.yaml", select="SQS002")
    assert first.function == "ProcessOrders" and second.function == "AuditOrders"
    assert "function dead-letter queue (FailedOrders)" in first.message
    assert "asynchronous invocations only" in first.message and "RedrivePolicy" in first.message
    assert "moved to OrdersDLQ after 5 receives" in first.message
    assert second.path[3] == "on-failure destination FailedOrders: never used (async only)"


def test_sqs003_related_points_at_the_function_timeout() -> None:
    sam = lint(SQS / "sam/sqs003_fire.yaml", select="SQS003")
    # ProcessOrders sets Timeout: 60 on line 44; BuildReports takes Timeout: 20 from Globals, line 9
    assert [(f.function, [r.span.line for r in f.related]) for f in sam] == [
        ("ProcessOrders", [44]), ("BuildReports", [9])]
    assert "30 s (the default)" in sam[0].message and "1 min" in sam[0].message
    cfn = lint(SQS / "cfn/sqs003_fire.yaml", select="SQS003")
    assert [r.span.line for r in cfn[1].related] == [48]  # Timeout: !Ref ReportsTimeout (Default 20)
    assert "20 s" in cfn[1].message


def test_sqs004_formula_includes_the_batching_window() -> None:
    f = lint(SQS / "sam/sqs004_fire.yaml", select="SQS004")[1]
    assert "6 x 30 s (function timeout) + 20 s (batching window) = 3 min 20 s" in f.message
    assert sorted(r.span.line for r in f.related) == [40, 51]
    assert f.path[1] == "ProcessOrders [poll, batch 50, window 20 s]"


def test_sqs004_factor_is_configurable() -> None:
    assert lint(SQS / "sam/sqs004_fire.yaml", select="SQS004", options={"SQS004": {"visibility-factor": 2}}) == []
    strict = lint(SQS / "sam/sqs004_clean.yaml", select="SQS004", options={"SQS004": {"visibility-factor": 7}})
    assert finding_tuples(strict) == [("SQS004", "ReportsQueue", 25), ("SQS004", "AuditQueue", 30),
                                      ("SQS004", "OrdersQueue", 40)]


def test_sqs005_threshold_is_configurable() -> None:
    found = lint(SQS / "sam/sqs005_fire.yaml", select="SQS005", options={"SQS005": {"min-receive-count": 2}})
    assert finding_tuples(found) == [("SQS005", "OrdersQueue", 17)]
    assert "after 1 receive " in found[0].message


def test_sqs006_external_dlq_type_comes_from_its_name() -> None:
    f = lint(SQS / "sam/sqs006_fire.yaml", select="SQS006")[2]
    assert "arn:aws:sqs:eu-west-1:123456789012:payments-dlq is a standard queue" in f.message
    assert f.related == []


def test_sqs007_points_at_the_dlq_and_relates_the_source() -> None:
    first, second = lint(SQS / "cfn/sqs007_fire.json", select="SQS007")
    assert "the same as OrdersQueue (4 days)" in first.message
    assert "7 days, shorter than ReportsQueue (14 days)" in second.message
    assert [(r.resource, r.span.line) for r in second.related] == [("ReportsQueue", 27)]


def test_terraform_messages_use_terraform_names() -> None:
    found = {f.code: f for f in lint(SQS / "terraform/fire", select="SQS")}
    assert "visibility_timeout_seconds" in found["SQS004"].message
    assert "batch_size 100" in found["SQS008"].message
    assert "maximum_batching_window_in_seconds" in found["SQS008"].message
    assert "redrive_policy" in found["SQS001"].fix
    assert [r.resource for r in found["SQS005"].related] == ["aws_lambda_event_source_mapping.reports"]


def test_sqs008_messages_name_the_limit() -> None:
    msgs = [f.message for f in lint(SQS / "cfn/sqs008_fire.yaml", select="SQS008")]
    assert "at least 1 s" in msgs[0] and "at most 10000" in msgs[1]
    assert "at most 10 for FIFO" in msgs[2] and "not supported for FIFO" in msgs[3]


def test_sqs009_both_checks() -> None:
    reserved, scaling = lint(SQS / "cfn/sqs009_fire.yaml", select="SQS009")
    assert "ReservedConcurrentExecutions 1" in reserved.message and "5 concurrent batches" in reserved.message
    assert "MaximumConcurrency 20" in scaling.message and "up to 10 concurrent batches" in scaling.message
    assert [r.span.line for r in scaling.related] == [35]


# ------------------------------------------------------------------------ hand-built Models (loader-free)


def _span(line: int) -> Span:
    return Span("t.tf", line)


def _model(redrive: Redrive | Unknown | None, fifo: bool = False) -> Model:
    m = Model("t.tf", "terraform", vocabulary=TERRAFORM)
    m.queues["aws_sqs_queue.jobs"] = Queue("aws_sqs_queue.jobs", "aws_sqs_queue", _span(1),
                                           fifo=Val(fifo, _span(2)), redrive=redrive)
    m.queues["aws_sqs_queue.dlq"] = Queue("aws_sqs_queue.dlq", "aws_sqs_queue", _span(5),
                                          retention=Val(1209600, _span(6)))
    m.functions["aws_lambda_function.worker"] = Function("aws_lambda_function.worker", "aws_lambda_function",
                                                         _span(10))
    m.triggers.append(Trigger("aws_lambda_function.worker", "poll-sqs", "sqs", _span(20),
                              "aws_lambda_event_source_mapping.jobs",
                              source=Target(node="aws_sqs_queue.jobs", service="sqs")))
    return m


def test_redrive_from_a_separate_resource() -> None:
    rd = Redrive(Target(node="aws_sqs_queue.dlq", service="sqs", span=_span(31)), Val(2, _span(32)), _span(30),
                 "aws_sqs_queue_redrive_policy.jobs")
    found = run_rules(_model(rd), "SQS")
    assert finding_tuples(found) == [("SQS005", "aws_sqs_queue_redrive_policy.jobs", 32)]
    assert finding_tuples(run_rules(_model(rd, fifo=True), "SQS006")) == [
        ("SQS006", "aws_sqs_queue_redrive_policy.jobs", 31)]


def test_unknown_and_missing_redrive() -> None:
    assert run_rules(_model(Unknown("from a variable")), "SQS") == []
    found = run_rules(_model(None), "SQS")
    assert finding_tuples(found) == [("SQS001", "aws_sqs_queue.jobs", 1)]
    assert "redrive_policy" in found[0].fix


def test_unknown_values_never_fire() -> None:
    m = _model(None)
    m.queues["aws_sqs_queue.jobs"].redrive = Redrive(
        Target(node="aws_sqs_queue.dlq", service="sqs"), Val(Unknown()), None, "aws_sqs_queue.jobs")
    m.queues["aws_sqs_queue.jobs"].visibility_timeout = Val(Unknown())
    m.functions["aws_lambda_function.worker"].reserved_concurrency = Val(Unknown())
    m.triggers[0].batch_size = Val(Unknown())
    assert run_rules(m, "SQS") == []


# ------------------------------------------------------------------------------------------- helpers, docs


@pytest.mark.parametrize("seconds, words", [
    (30, "30 s"), (60, "1 min"), (90, "1 min 30 s"), (5400, "1 h 30 min"), (86400, "1 day"), (345600, "4 days"),
    (93600, "1 day 2 h"), (1209600, "14 days"), (100000, "100000 s (about 1.2 days)"), (2.5, "2.5 s"),
])
def test_duration(seconds: float, words: str) -> None:
    assert _common.duration(seconds) == words


def test_trigger_step_and_queue_name() -> None:
    t = Trigger("Fn", "poll-sqs", "sqs", _span(1), "Fn", batch_size=Val(100), batching_window=Val(Unknown()))
    assert _common.trigger_step(t) == "Fn [poll, batch 100, window ?]"
    assert _common.queue_name(Target(arn="arn:aws:sqs:us-east-1:123456789012:jobs.fifo")) == "jobs.fifo"
    assert _common.queue_name(Target(arn="arn:aws:sns:us-east-1:123456789012:jobs")) is None


SECTIONS = ("## What it does", "## Why is this bad?", "## Failure path", "## Example", "## Use instead",
            "## References")
SEVERITY = {"SQS001": "error", "SQS002": "warning", "SQS003": "error", "SQS004": "warning", "SQS005": "warning",
            "SQS006": "error", "SQS007": "warning", "SQS008": "error", "SQS009": "warning", "SQS010": "error"}


@pytest.mark.parametrize("code", sorted(SEVERITY))
def test_rule_docs_and_metadata(code: str) -> None:
    r = all_rules()[code]
    assert r.severity == SEVERITY[code]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
    positions = [r.docs.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), code
    refs = r.docs.split("## References", 1)[1]
    assert re.findall(r"https://docs\.aws\.amazon\.com/\S+\.html", refs)
    assert "```yaml" in r.docs


def test_declared_options() -> None:
    rules = all_rules()
    assert rules["SQS004"].options == {"visibility-factor": 6}
    assert rules["SQS005"].options == {"min-receive-count": 5}


# ------------------------------------------------------------------------------------ the bundled example

EXAMPLE = [("SQS001", "OrdersQueue", 30), ("SQS004", "OrdersQueue", 33), ("SQS007", "ShipmentsDLQ", 40),
           ("SQS005", "ShipmentsQueue", 49), ("SQS002", "ProcessOrders", 75), ("SQS009", "BookShipments", 92)]


def test_bundled_example_sqs_findings() -> None:
    assert finding_tuples(lint(FIXTURES / "example", select="SQS")) == EXAMPLE


def test_bundled_example_clean_twin_is_clean_for_every_rule() -> None:
    assert finding_tuples(lint(FIXTURES / "example-clean")) == []


def test_bundled_example_end_to_end_json() -> None:
    import json

    from click.testing import CliRunner

    from invocation_lint.cli import main

    bad = CliRunner().invoke(main, ["check", "--format", "json", "--select", "SQS", str(FIXTURES / "example")])
    assert bad.exit_code == 1, bad.output
    report = json.loads(bad.output)
    assert [(f["code"], f["resource"], f["line"]) for f in report["findings"]] == EXAMPLE
    assert report["findings"][0]["function"] == "ProcessOrders"
    good = CliRunner().invoke(main, ["check", "--format", "json", str(FIXTURES / "example-clean")])
    assert good.exit_code == 0, good.output
    assert json.loads(good.output)["findings"] == []
