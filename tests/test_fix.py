"""``invlint check --fix / --unsafe-fixes / --diff``: minimal edits that remove the finding and nothing else.

Every fixable rule is fixed on its fixture in every format it applies to (a copy in a temporary directory):
the finding is gone, no finding appears that was not there, the file still parses (YAML with the safe loader,
JSON, ``terraform fmt -check`` where terraform is installed, the SAM translator for SAM), the lines the fix
does not touch are byte-for-byte the same, and a second ``--fix`` changes nothing.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from invocation_lint.cli import main
from invocation_lint.engine import run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def invoke(cwd: Path, *args: str) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def identities(cwd: Path, target: str) -> set[tuple[str, str | None, str | None]]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = run([target])
    finally:
        os.chdir(old)
    assert not result.errors
    return {(f.code, f.resource, f.function) for f in result.findings}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def terraform_fmt(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull}
    return subprocess.run(["terraform", "fmt", "-check", "-diff", str(path)], capture_output=True, text=True,
                          env=env, timeout=60)


def parses(path: Path, formatted: bool = True) -> None:
    """The file still parses; a ``.tf`` file that ``terraform fmt`` accepted before the fix still is accepted
    (one it did not is still read without a syntax error)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        json.loads(text)
    elif path.suffix in (".yaml", ".yml"):

        class Loader(yaml.SafeLoader):
            pass

        Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
        yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass that ignores short-form tags
    elif path.suffix == ".tf" and shutil.which("terraform"):
        proc = terraform_fmt(path)
        assert proc.returncode == 0 if formatted else proc.returncode != 2, proc.stdout + proc.stderr


def sam_rejects(path: Path) -> str | None:
    """None when ``path`` is not SAM or aws-sam-translator transforms it; else why the translator rejects it."""
    text = path.read_text(encoding="utf-8")
    if "AWS::Serverless-2016-10-31" not in text or path.suffix not in (".yaml", ".yml", ".json"):
        return None
    pytest.importorskip("samtranslator")
    from samtranslator.translator.transform import transform
    from test_sam_translator import _packaged, _plain

    from invocation_lint.formats.parse import parse_text

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        transform(_packaged(_plain(parse_text(text, str(path)))), {}, NoManagedPolicies())
    except Exception as exc:  # noqa: BLE001 - any rejection is the answer
        return str(exc)[:300] or type(exc).__name__
    return None


#: (fixture, file the fix edits, rule, the findings it fixes as (resource, function), lines the fix writes)
CASES = [
    ("sqs/cfn/sqs003_fire.yaml", "sqs003_fire.yaml", "SQS003",
     {("OrdersQueue", "ProcessOrders"), ("ReportsQueue", "BuildReports")},
     ["      VisibilityTimeout: 360\n", "      VisibilityTimeout: 120\n"]),
    ("sqs/sam/sqs003_fire.yaml", "sqs003_fire.yaml", "SQS003",
     {("OrdersQueue", "ProcessOrders"), ("ReportsQueue", "BuildReports")},
     ["      VisibilityTimeout: 360\n", "      VisibilityTimeout: 120\n"]),
    ("sqs/cfn/sqs004_fire.yaml", "sqs004_fire.yaml", "SQS004",
     {("OrdersQueue", "ProcessOrders"), ("ReportsQueue", "ProcessOrders"), ("AuditQueue", "AuditWorker")},
     None),
    ("sqs/sam/sqs004_fire.yaml", "sqs004_fire.yaml", "SQS004",
     {("OrdersQueue", "ProcessOrders"), ("ReportsQueue", "ProcessOrders"), ("AuditQueue", "AuditWorker")},
     None),
    ("sqs/sam/sqs005_fire.yaml", "sqs005_fire.yaml", "SQS005",
     {("OrdersQueue", "ProcessOrders"), ("ReportsQueue", "ProcessOrders")},
     ["        maxReceiveCount: 5\n"]),
    ("sqs/sam/sqs005_sub.yaml", "sqs005_sub.yaml", "SQS005", {("ReportsQueue", "BuildReports")},
     ['      RedrivePolicy: !Sub \'{"deadLetterTargetArn": "${DeadLetters.Arn}", "maxReceiveCount": 5}\'\n']),
    ("fix/sqs_flow.yaml", "sqs_flow.yaml", "SQS003", {("OrdersQueue", "Worker")}, None),
    ("fix/sqs_flow.yaml", "sqs_flow.yaml", "SQS005", {("OrdersQueue", "Worker")}, None),
    ("fix/sqs_queues.json", "sqs_queues.json", "SQS003", {("ReportsQueue", "Worker")}, None),
    ("fix/sqs_queues.json", "sqs_queues.json", "SQS004", {("OrdersQueue", "Worker")},
     ['      "Type": "AWS::SQS::Queue",\n', '      "Properties": {"VisibilityTimeout": 120}\n']),
    ("fix/sqs_queues.json", "sqs_queues.json", "SQS005", {("ReportsQueue", "Worker")}, None),
    ("sqs/terraform/fire", "main.tf", "SQS003", {("aws_sqs_queue.reports", "aws_lambda_function.worker")},
     ["  visibility_timeout_seconds = 120\n"]),
    ("sqs/terraform/fire", "main.tf", "SQS004", {("aws_sqs_queue.jobs", "aws_lambda_function.worker")},
     ['  name = "jobs"\n', "\n", "  visibility_timeout_seconds = 120\n"]),
    ("sqs/terraform/fire", "main.tf", "SQS005",
     {("aws_sqs_queue_redrive_policy.reports", "aws_lambda_function.worker")}, ["    maxReceiveCount     = 5\n"]),
    # SQS010: DestinationConfig removed with its lines (block YAML, HCL), or as a member (JSON, flow YAML)
    ("sqs/cfn/sqs010_fire.yaml", "sqs010_fire.yaml", "SQS010",
     {("OrdersMapping", "ProcessOrders"), ("ExternalMapping", "ProcessOrders")}, None),
    ("sqs/sam/sqs010_fire.yaml", "sqs010_fire.yaml", "SQS010", {("OrdersMapping", "ProcessOrders")}, None),
    ("terraform/sqs/sqs010_fire", "main.tf", "SQS010",
     {("aws_lambda_event_source_mapping.orders_mapping", "aws_lambda_function.process_orders"),
      ("aws_lambda_event_source_mapping.external_mapping", "aws_lambda_function.process_orders")}, None),
    ("terraform/sqs/sam_sqs010_fire", "main.tf", "SQS010",
     {("aws_lambda_event_source_mapping.orders_mapping", "aws_lambda_function.process_orders")}, None),
    ("fix/mappings.json", "mappings.json", "SQS010", {("JobsMapping", "Worker")},
     ['        "FunctionName": {"Ref": "Worker"},\n', '        "BatchSize": 5\n']),
    ("fix/mappings_flow.yaml", "mappings_flow.yaml", "SQS010", {("M1", "Worker")},
     ["  M1: {Type: AWS::Lambda::EventSourceMapping, Properties: {EventSourceArn: !GetAtt JobsQueue.Arn, "
      "FunctionName: !Ref Worker}}\n"]),
    ("fix/handler_tf", "main.tf", "SQS010", {("aws_lambda_event_source_mapping.orders", "aws_lambda_function.worker")},
     ["  function_name    = aws_lambda_function.worker.arn\n", "\n", "  batch_size = 5\n"]),
    # HANDLER003: FunctionResponseTypes added to the mapping or the SAM event, or an empty list filled in
    ("handlers/python", "template.yaml", "HANDLER003", {("PartialNoFlag", "PartialNoFlag")},
     ["            FunctionResponseTypes: [ReportBatchItemFailures]\n"]),
    ("handlers/node", "template.yaml", "HANDLER003",
     {("PartialJob", "PartialJob"), ("TsPowertoolsNoFlag", "TsPowertoolsNoFlag")}, None),
    ("handlers/inline/template.yaml", "template.yaml", "HANDLER003", {("InlineNodeMapping", "InlineNode")},
     ["      FunctionResponseTypes: [ReportBatchItemFailures]\n"]),
    ("fix/sam_json", "template.json", "HANDLER003", {("Worker", "Worker")},
     ['            "Properties": {"Queue": {"Fn::GetAtt": ["Queue", "Arn"]}, "BatchSize": 5, '
      '"FunctionResponseTypes": ["ReportBatchItemFailures"]}\n']),
    ("fix/mappings.json", "mappings.json", "HANDLER003", {("JobsMapping", "Worker"), ("EmptyMapping", "Worker")},
     ['        "BatchSize": 5,\n', '        "FunctionResponseTypes": ["ReportBatchItemFailures"]\n']),
    ("fix/mappings_flow.yaml", "mappings_flow.yaml", "HANDLER003", {("M1", "Worker")},
     ["  M1: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionResponseTypes: [ReportBatchItemFailures], "
      "EventSourceArn: !GetAtt JobsQueue.Arn, DestinationConfig: {OnFailure: {Destination: !GetAtt DeadLetters.Arn}}, "
      "FunctionName: !Ref Worker}}\n"]),
    ("fix/handler_tf", "main.tf", "HANDLER003",
     {("aws_lambda_event_source_mapping.orders", "aws_lambda_function.worker"),
      ("aws_lambda_event_source_mapping.audit", "aws_lambda_function.worker")},
     ['  function_response_types = ["ReportBatchItemFailures"]\n', "  batch_size = 5\n"]),
    # SQS002 / ASYNC002 (unsafe): the function DLQ setting, or the event invoke config, removed with its lines
    ("sqs/cfn/sqs002_fire.yaml", "sqs002_fire.yaml", "SQS002",
     {("ProcessOrders", "ProcessOrders"), ("AuditOrdersInvokeConfig", "AuditOrders")}, None),
    ("sqs/sam/sqs002_fire.yaml", "sqs002_fire.yaml", "SQS002",
     {("ProcessOrders", "ProcessOrders"), ("AuditOrders", "AuditOrders")}, None),
    ("terraform/sqs/sqs002_fire", "main.tf", "SQS002",
     {("aws_lambda_function.process_orders", "aws_lambda_function.process_orders"),
      ("aws_lambda_function_event_invoke_config.audit_orders_invoke_config", "aws_lambda_function.audit_orders")},
     None),
    ("async/cfn/async_fire.yaml", "async_fire.yaml", "ASYNC002", {("ClicksInvokeConfig", "Clicks")}, None),
    ("async/sam/async002_fire.yaml", "async002_fire.yaml", "ASYNC002",
     {("GetItems", "GetItems"), ("CountClicks", "CountClicks")}, None),
    ("terraform/async/async_fire", "main.tf", "ASYNC002",
     {("aws_lambda_function_event_invoke_config.clicks_invoke_config", "aws_lambda_function.clicks")}, None),
    ("terraform/async/sam_async002_fire", "main.tf", "ASYNC002",
     {("aws_lambda_function.get_items", "aws_lambda_function.get_items"),
      ("aws_lambda_function_event_invoke_config.count_clicks__event_invoke_config",
       "aws_lambda_function.count_clicks")}, None),
    ("invokers/cfn/callers.yaml", "callers.yaml", "ASYNC002",
     {(f, f) for f in ("Invoke", "Callback", "Plain", "Substituted", "SignUp", "Sender", "Edge", "Rotate")}, None),
    # STREAM002 (unsafe): bounded retries and batch splitting, added or written over -1 / false
    ("stream/cfn/stream_fire.yaml", "stream_fire.yaml", "STREAM002", {("ClicksMapping", "CountClicks")},
     ["      MaximumRetryAttempts: 5\n", "      BisectBatchOnFunctionError: true\n"]),
    ("stream/sam/stream_fire.yaml", "stream_fire.yaml", "STREAM002", {("CountClicks", "CountClicks")},
     ["            MaximumRetryAttempts: 5\n", "            BisectBatchOnFunctionError: true\n"]),
    ("handlers/node", "template.yaml", "STREAM002", {("ClickStream", "ClickStream")}, None),
    ("terraform/stream/stream_fire", "main.tf", "STREAM002",
     {("aws_lambda_event_source_mapping.clicks_mapping", "aws_lambda_function.count_clicks")},
     ["  maximum_retry_attempts         = 5\n", "  bisect_batch_on_function_error = true\n"]),
    ("terraform/stream/sam_stream_fire", "main.tf", "STREAM002",
     {("aws_lambda_event_source_mapping.count_clicks__clicks", "aws_lambda_function.count_clicks")},
     ["  maximum_retry_attempts         = 5\n", "  bisect_batch_on_function_error = true\n"]),
    ("fix/stream_mappings.json", "stream_mappings.json", "STREAM002",
     {("ChangesMapping", "Project"), ("WrittenMapping", "Project")},
     ['                "StartingPosition": "LATEST",\n', '                "BisectBatchOnFunctionError": true\n']),
    # SQS001 (unsafe): a dead-letter queue added after the queue, and a redrive policy pointing at it
    ("sqs/sam/sqs001_fire.yaml", "sqs001_fire.yaml", "SQS001", {("OrdersQueue", "ProcessOrders")},
     ["      RedrivePolicy: {deadLetterTargetArn: !GetAtt OrdersQueueDLQ.Arn, maxReceiveCount: 5}\n",
      "  OrdersQueueDLQ:\n", "      MessageRetentionPeriod: 1209600\n"]),
    ("cli/sqs001.yaml", "sqs001.yaml", "SQS001", {("OrdersQueue", "ProcessOrders")}, None),
    ("sqs/cfn/sqs001_fire.json", "sqs001_fire.json", "SQS001", {("OrdersQueue", "ProcessOrders")},
     ['        "VisibilityTimeout": 60,\n', '    "OrdersQueueDLQ": {\n',
      '        "MessageRetentionPeriod": 1209600\n']),
    ("fix/sqs_queues.json", "sqs_queues.json", "SQS001", {("OrdersQueue", "Worker")}, None),
    ("terraform/sqs/sqs001_fire", "main.tf", "SQS001",
     {("aws_sqs_queue.orders_queue", "aws_lambda_function.process_orders")},
     ["  redrive_policy = jsonencode({\n", "    deadLetterTargetArn = aws_sqs_queue.orders_queue_dlq.arn\n",
      "    maxReceiveCount     = 5\n", "  })\n", 'resource "aws_sqs_queue" "orders_queue_dlq" {\n',
      "  message_retention_seconds = 1209600\n"]),
    ("terraform/sqs/sam_sqs001_sns_subscription", "main.tf", "SQS001",
     {("aws_sqs_queue.process_orders__orders_queue", "aws_lambda_function.process_orders")}, None),
    ("sqs/terraform/fire", "main.tf", "SQS001", {("aws_sqs_queue.jobs", "aws_lambda_function.worker")}, None),
    # SQS001 on FIFO queues: a FIFO dead-letter queue, named <name>-dlq.fifo after a literal name; names taken
    # already (a resource id, a queue name, a Terraform address in another file of the module) get a number
    ("fix/sqs001_fifo.yaml", "sqs001_fifo.yaml", "SQS001", {("OrdersQueue", "Worker"), ("JobsQueue", "Worker")},
     ["      RedrivePolicy: {deadLetterTargetArn: !GetAtt OrdersQueueDLQ2.Arn, maxReceiveCount: 5}\n",
      "  OrdersQueueDLQ2:\n", "      FifoQueue: true\n", "      QueueName: orders-dlq2.fifo\n",
      "  JobsQueue: {Type: AWS::SQS::Queue, Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt "
      "JobsQueueDLQ.Arn, maxReceiveCount: 5}, FifoQueue: true}}\n",
      "  JobsQueueDLQ: {Type: AWS::SQS::Queue, Properties: {FifoQueue: true, MessageRetentionPeriod: 1209600}}\n"]),
    ("fix/sqs001_fifo.json", "sqs001_fifo.json", "SQS001", {("JobsQueue", "Worker")},
     ['        "QueueName": "jobs.fifo",\n',
      '        "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["JobsQueueDLQ", "Arn"]}, '
      '"maxReceiveCount": 5}\n', '    "JobsQueueDLQ": {\n', '        "FifoQueue": true,\n',
      '        "QueueName": "jobs-dlq.fifo",\n', '        "MessageRetentionPeriod": 1209600\n']),
    ("fix/sqs001_tf", "main.tf", "SQS001", {("aws_sqs_queue.orders", "aws_lambda_function.worker")},
     ["    deadLetterTargetArn = aws_sqs_queue.orders_dlq2.arn\n", 'resource "aws_sqs_queue" "orders_dlq2" {\n',
      '  name                      = "orders-dlq.fifo"\n', "  fifo_queue                = true\n",
      "  message_retention_seconds = 1209600\n"]),
    ("fix/async_json.json", "async_json.json", "ASYNC002", {("Lookup", "Lookup"), ("LookupRetries", "Lookup")},
     ['        "Role": "arn:aws:iam::123456789012:role/lookup",\n', "    }\n"]),
]


@pytest.mark.parametrize(("fixture", "edited", "code", "fixed", "lines"), CASES,
                         ids=[f"{c[2]}-{c[0]}" for c in CASES])
def test_fix_removes_the_finding_and_nothing_else(
    tmp_path: Path, fixture: str, edited: str, code: str, fixed: set[tuple[str, str]], lines: list[str] | None,
) -> None:
    src = FIXTURES / fixture
    if src.is_dir():
        shutil.copytree(src, tmp_path / "t")
        target, path = "t", tmp_path / "t" / edited
    else:
        (tmp_path / "t").mkdir()
        shutil.copy(src, tmp_path / "t" / src.name)
        target, path = f"t/{src.name}", tmp_path / "t" / src.name
    before_text = path.read_text(encoding="utf-8")
    rejected = sam_rejects(path)
    formatted = path.suffix != ".tf" or not shutil.which("terraform") or terraform_fmt(path).returncode == 0
    before = identities(tmp_path, target)
    assert {(c, r, f) for c, r, f in before if c == code} >= {(code, r, f) for r, f in fixed}

    from invocation_lint.registry import find_rule

    rule = find_rule(code)
    assert rule is not None
    flag = "--unsafe-fixes" if rule.fix == "unsafe" else "--fix"
    if flag != "--fix":  # an unsafe fix is never made by --fix nor shown by its --diff
        state = snapshot(tmp_path)
        assert invoke(tmp_path, "check", "--diff", "--select", code, "--root", str(tmp_path), target)[1] == ""
        _, _, err = invoke(tmp_path, "check", "--fix", "--select", code, "--root", str(tmp_path), target)
        assert "more with --unsafe-fixes" in err
        assert snapshot(tmp_path) == state
    rc, out, _ = invoke(tmp_path, "check", "--diff", *[flag] * (flag != "--fix"), "--select", code,
                        "--root", str(tmp_path), target)
    assert rc == 1
    assert out.startswith("--- a/t/")
    assert path.read_text(encoding="utf-8") == before_text  # --diff writes nothing

    rc, _, err = invoke(tmp_path, "check", flag, "--select", code, "--root", str(tmp_path), target)
    assert f"invlint: fixed {len(fixed)} finding" in err
    after = identities(tmp_path, target)
    assert not {(code, r, f) for r, f in fixed} & after
    assert after <= before  # no new finding
    parses(path, formatted)
    if rejected is None:
        assert sam_rejects(path) is None
    after_text = path.read_text(encoding="utf-8")
    changed = [line[1:] for line in difflib.ndiff(before_text.splitlines(keepends=True),
                                                  after_text.splitlines(keepends=True)) if line.startswith("+ ")]
    # a line a setting, one more for a Properties key or a blank line; SQS001 adds a whole resource (FIFO: two
    # lines more, FifoQueue and its name)
    assert len(changed) <= (12 if code == "SQS001" else 3) * len(fixed)
    if lines is not None:
        for line in lines:
            assert line in after_text.splitlines(keepends=True)

    state = snapshot(tmp_path)
    rc, out, err = invoke(tmp_path, "check", flag, "--select", code, "--root", str(tmp_path), target)
    assert "invlint: fixed 0 findings" in err
    assert snapshot(tmp_path) == state
    rc, out, _ = invoke(tmp_path, "check", "--diff", *[flag] * (flag != "--fix"), "--select", code,
                        "--root", str(tmp_path), target)
    assert (rc, out) == (0, "")


def test_sam_template_still_translates_after_fix(tmp_path: Path) -> None:
    pytest.importorskip("samtranslator")
    from test_sam_translator import compare

    shutil.copy(FIXTURES / "sqs/sam/sqs003_fire.yaml", tmp_path / "t.yaml")
    invoke(tmp_path, "check", "--fix", "--root", str(tmp_path), "t.yaml")
    assert "VisibilityTimeout: 360" in (tmp_path / "t.yaml").read_text(encoding="utf-8")
    compare(str(tmp_path / "t.yaml"))


def test_no_fix_over_a_parameter(tmp_path: Path) -> None:
    """maxReceiveCount: !Ref ReceiveCount gets no fix (the parameter decides), and -v says why."""
    shutil.copy(FIXTURES / "sqs/cfn/sqs005_fire.yaml", tmp_path / "t.yaml")
    before = (tmp_path / "t.yaml").read_text(encoding="utf-8")
    rc, _, err = invoke(tmp_path, "check", "--fix", "-v", "--select", "SQS005", "--root", str(tmp_path), "t.yaml")
    after = (tmp_path / "t.yaml").read_text(encoding="utf-8")
    assert "maxReceiveCount: !Ref ReceiveCount" in after
    assert '"maxReceiveCount": 5}' in after
    assert "t.yaml:21:26: SQS005: no automatic fix: the value is not a literal here" in err
    assert "invlint: fixed 1 finding, 1 remaining" in err
    assert rc == 1
    assert len(before.splitlines()) == len(after.splitlines())


def test_sam_events_still_translate_after_handler_and_destination_fixes(tmp_path: Path) -> None:
    pytest.importorskip("samtranslator")
    from test_sam_translator import compare

    shutil.copytree(FIXTURES / "handlers/python", tmp_path / "p")
    shutil.copy(FIXTURES / "sqs/sam/sqs010_fire.yaml", tmp_path / "p" / "sqs010.yaml")
    invoke(tmp_path / "p", "check", "--fix", "--select", "HANDLER003,SQS010", "--root", str(tmp_path / "p"), ".")
    assert "FunctionResponseTypes: [ReportBatchItemFailures]" in (tmp_path / "p/template.yaml").read_text("utf-8")
    assert "      DestinationConfig:" not in (tmp_path / "p/sqs010.yaml").read_text("utf-8")
    compare(str(tmp_path / "p/template.yaml"))
    compare(str(tmp_path / "p/sqs010.yaml"))


def test_no_fix_over_a_terraform_for_each_expression(tmp_path: Path) -> None:
    """function_response_types = each.value.report ? [...] : null: the expression decides; no second argument."""
    shutil.copytree(FIXTURES / "terraform/handlers/python", tmp_path / "p")
    state = snapshot(tmp_path)
    _, _, err = invoke(tmp_path / "p", "check", "--fix", "-v", "--select", "HANDLER003", "--root",
                       str(tmp_path / "p"), ".")
    assert snapshot(tmp_path) == state
    assert ("src/partial.py:8:5: HANDLER003: no automatic fix: function_response_types is set by an expression "
            "here") in err


def test_no_fix_over_a_terraform_expression(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "terraform/projects/orders-service", tmp_path / "p")
    state = snapshot(tmp_path)
    _, _, err = invoke(tmp_path / "p", "check", "--fix", "-v", "--select", "SQS003,SQS005", "--root",
                       str(tmp_path / "p"), ".")
    assert snapshot(tmp_path) == state
    assert "queues.tf:13:1: SQS003: no automatic fix: the value is not a literal here" in err
    assert "queues.tf:23:1: SQS005: no automatic fix: the value is not a literal here" in err
    assert "invlint: fixed 0 findings, 2 remaining" in err


def test_diff_on_a_clean_template_is_empty() -> None:
    rc, out, _ = invoke(ROOT, "check", "--diff", str(FIXTURES / "cli" / "clean.yaml"))
    assert (rc, out) == (0, "")


def test_crlf_and_comments_are_kept(tmp_path: Path) -> None:
    text = (FIXTURES / "sqs/cfn/sqs003_fire.yaml").read_text(encoding="utf-8")
    text = text.replace("VisibilityTimeout: 10", "VisibilityTimeout: 10  # seconds").replace("\n", "\r\n")
    (tmp_path / "t.yaml").write_bytes(text.encode())
    invoke(tmp_path, "check", "--fix", "--select", "SQS003", "--root", str(tmp_path), "t.yaml")
    data = (tmp_path / "t.yaml").read_bytes()
    assert b"VisibilityTimeout: 120  # seconds\r\n" in data
    assert b"      VisibilityTimeout: 360\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def _apply_sarif(text: str, replacements: list[dict[str, object]], by: str) -> str:
    """``text`` with SARIF replacements made, their regions read by line/column or by character offset."""
    import re as _re

    starts = [0] + [m.end() for m in _re.finditer(r"\r\n|\n|\r", text)]
    spans = []
    for rep in replacements:
        r = rep["deletedRegion"]
        assert isinstance(r, dict)
        if by == "lines":
            a = starts[r["startLine"] - 1] + r["startColumn"] - 1
            b = starts[r["endLine"] - 1] + r["endColumn"] - 1
        else:
            a, b = r["charOffset"], r["charOffset"] + r["charLength"]
        inserted = rep["insertedContent"]
        assert isinstance(inserted, dict)
        spans.append((a, b, inserted["text"]))
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


@pytest.mark.parametrize("fixture", ["sqs/cfn/sqs003_fire.yaml", "fix/sqs_queues.json", "fix/mappings_flow.yaml"])
def test_sarif_fixes_make_the_same_edits_as_fix(tmp_path: Path, fixture: str) -> None:
    """Each result carries its edits as a SARIF fix (schema-checked); made by lines/columns or by offsets,
    they turn the file into exactly what ``--fix`` writes."""
    import jsonschema
    from test_report import sarif_schema

    src = FIXTURES / fixture
    shutil.copy(src, tmp_path / src.name)
    before = (tmp_path / src.name).read_text(encoding="utf-8")
    _, out, _ = invoke(tmp_path, "check", "--format", "sarif", "--root", str(tmp_path), src.name)
    data = json.loads(out)
    jsonschema.validate(data, sarif_schema())
    results = data["runs"][0]["results"]
    with_fix = [r for r in results if "fixes" in r]
    assert with_fix
    replacements = []
    for r in with_fix:
        (fx,) = r["fixes"]
        assert fx["description"]["text"]
        if fx["properties"]["safety"] != "safe":  # made by --unsafe-fixes only, and said so
            assert (fx["properties"]["safety"], r["ruleId"]) == ("unsafe", "SQS001")
            assert "(unsafe: review the change)" in fx["description"]["text"]
            continue
        (change,) = fx["artifactChanges"]
        assert change["artifactLocation"] == {"uri": src.name, "uriBaseId": "%SRCROOT%"}
        replacements += [rep for rep in change["replacements"] if rep not in replacements]
    by_lines = _apply_sarif(before, replacements, "lines")
    assert by_lines == _apply_sarif(before, replacements, "offsets")
    invoke(tmp_path, "check", "--fix", "--root", str(tmp_path), src.name)
    assert by_lines == (tmp_path / src.name).read_text(encoding="utf-8")


def test_rule_docs_rules_table_and_fixes_agree(tmp_path: Path) -> None:
    """Each rule's *Fix* section says safe, unsafe or none; ``invlint rules`` shows the same; the finding of
    the rule's own Example (template and Terraform) carries a fix of exactly that safety, or none at all; and
    the fixable rules are exactly the rules this file fixes on fixtures."""
    from test_rule_docs import _section

    from invocation_lint.registry import all_rules

    rules = all_rules()
    _, out, _ = invoke(ROOT, "rules", "--format", "json")
    assert {r["code"]: r["fix"] for r in json.loads(out)} == {c: r.fix for c, r in rules.items()}
    _, out, _ = invoke(ROOT, "rules")
    assert {line.split()[0]: line.split()[3] for line in out.splitlines()[1:]} == {c: r.fix for c, r in rules.items()}
    wrong = []
    for code, r in rules.items():
        first = r.docs.split("\n## Fix\n", 1)[-1].split("\n", 1)[0]
        flag = {"safe": "`invlint check --fix`", "unsafe": "`invlint check --unsafe-fixes`"}.get(r.fix, "")
        if "\n## Fix\n" not in r.docs or not first.startswith(f"{r.fix.capitalize()}: {flag}".rstrip()):
            wrong.append((code, "docs", first))
        yaml_, hcl, files = _section(code, "Example")
        for kind, body in (("template.yaml", yaml_), ("main.tf", hcl)):
            if body is None:
                continue
            where = tmp_path / code / kind.split(".")[0]
            where.mkdir(parents=True)
            (where / kind).write_text(body, encoding="utf-8")
            for rel, code_text in files.items():
                (where / rel).parent.mkdir(parents=True, exist_ok=True)
                (where / rel).write_text(code_text, encoding="utf-8")
            fixes = [f.autofix for f in run([str(where)]).findings if f.code == code]
            assert fixes, (code, kind)
            if r.fix == "none":
                if any(x is not None for x in fixes):
                    wrong.append((code, kind, "a fix the docs do not declare"))
            elif not all(x is not None and x.safety == r.fix for x in fixes) or not any(
                    x is not None and x.applicable for x in fixes):
                wrong.append((code, kind, [x and (x.safety, x.reason) for x in fixes]))
    assert wrong == []
    assert {c[2] for c in CASES} == {c for c, r in rules.items() if r.fix != "none"}


def test_no_unsafe_fix_for_globals_or_a_referenced_invoke_config(tmp_path: Path) -> None:
    """A DLQ in Globals is every function's, an EventInvokeConfig named by DependsOn would break it: no fix,
    and -v says why."""
    shutil.copy(FIXTURES / "fix/async_kept.yaml", tmp_path / "t.yaml")
    state = snapshot(tmp_path)
    rc, _, err = invoke(tmp_path, "check", "--unsafe-fixes", "-v", "--select", "ASYNC002", "--root", str(tmp_path),
                        "t.yaml")
    assert snapshot(tmp_path) == state
    assert ("t.yaml:8:18: ASYNC002: no automatic fix: the dead-letter queue is set in Globals for every function; "
            "remove it there by hand") in err
    assert ("t.yaml:23:3: ASYNC002: no automatic fix: GetItemsRetries is referenced elsewhere (a reference or "
            "DependsOn would break); remove it by hand") in err
    assert "invlint: fixed 0 findings, 2 remaining" in err


TF_INVOKE_CONFIG = '''resource "aws_lambda_function" "get" {
  function_name = "get"
  role          = "arn:aws:iam::123456789012:role/get"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "get" {
  function_name      = aws_lambda_function.get.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_function_event_invoke_config" "get" {
  function_name          = aws_lambda_function.get.function_name
  maximum_retry_attempts = 0
}
'''


def test_terraform_invoke_config_removed_at_the_end_of_the_file_or_kept_when_referenced(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_INVOKE_CONFIG, encoding="utf-8")
    _, _, err = invoke(tmp_path, "check", "--unsafe-fixes", "--select", "ASYNC002", "--root", str(tmp_path), ".")
    assert "invlint: fixed 1 finding, 0 remaining" in err
    after = (tmp_path / "main.tf").read_text(encoding="utf-8")
    assert after == TF_INVOKE_CONFIG.split("\n\nresource \"aws_lambda_function_event_invoke_config\"")[0] + "\n"
    parses(tmp_path / "main.tf")

    (tmp_path / "main.tf").write_text(TF_INVOKE_CONFIG, encoding="utf-8")
    (tmp_path / "outputs.tf").write_text(
        'output "retries" {\n  value = aws_lambda_function_event_invoke_config.get.maximum_retry_attempts\n}\n',
        encoding="utf-8")
    state = snapshot(tmp_path)
    _, _, err = invoke(tmp_path, "check", "--unsafe-fixes", "-v", "--select", "ASYNC002", "--root", str(tmp_path),
                       ".")
    assert snapshot(tmp_path) == state
    assert ("main.tf:14:1: ASYNC002: no automatic fix: aws_lambda_function_event_invoke_config.get is referenced "
            "elsewhere") in err


def test_no_dead_letter_queue_added_where_it_could_not_keep_messages_longer(tmp_path: Path) -> None:
    """A queue that keeps messages 14 days already: a dead-letter queue would drop them early. No fix where
    the queue's FIFO setting, its retention or its Properties come from a parameter or a function either (the
    dead-letter queue must match them), and -v says why. A redrive policy behind a condition is no finding."""
    shutil.copy(FIXTURES / "loop/sam/loop_clean.yaml", tmp_path / "t.yaml")
    (tmp_path / "f.yaml").write_text(
        "Parameters:\n  Fifo: {Type: String}\n  Keep: {Type: Number}\n  Big: {Type: String}\n"
        "Conditions:\n  IsBig: !Equals [!Ref Big, \"yes\"]\n"
        "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: !Ref Fifo\n"
        "  Kept:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: !Ref Keep\n"
        "  Either:\n    Type: AWS::SQS::Queue\n"
        "    Properties: !If [IsBig, {VisibilityTimeout: 60}, {VisibilityTimeout: 30}]\n"
        "  Redriven:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: !If [IsBig, "
        "{deadLetterTargetArn: \"arn:aws:sqs:us-east-1:123456789012:d\", maxReceiveCount: 5}, !Ref AWS::NoValue]\n"
        "  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/w\n"
        "      Code: {ZipFile: \"def handler(event, context):\\n    return None\\n\"}\n"
        + "".join(f"  M{q}: {{Type: AWS::Lambda::EventSourceMapping, Properties: {{EventSourceArn: !GetAtt {q}.Arn, "
                  "FunctionName: !Ref Worker}}\n" for q in ("Jobs", "Kept", "Either", "Redriven")),
        encoding="utf-8")
    state = snapshot(tmp_path)
    _, _, err = invoke(tmp_path, "check", "--unsafe-fixes", "-v", "--select", "SQS001", "--root", str(tmp_path),
                       "t.yaml", "f.yaml")
    assert snapshot(tmp_path) == state
    assert "t.yaml:12:3: SQS001: no automatic fix: the queue keeps messages as long as a dead-letter queue can" in err
    assert ("f.yaml:8:3: SQS001: no automatic fix: whether the queue is FIFO comes from a parameter or an "
            "expression") in err
    assert "f.yaml:12:3: SQS001: no automatic fix: the queue's MessageRetentionPeriod comes from a parameter" in err
    assert "f.yaml:16:3: SQS001: no automatic fix: the resource's Properties are not a mapping written here" in err
    assert "invlint: fixed 0 findings, 4 remaining" in err


def test_dead_letter_queue_uses_the_configured_minimum_receive_count(tmp_path: Path) -> None:
    """The redrive policy the SQS001 fix writes satisfies SQS005 as configured (min-receive-count)."""
    shutil.copy(FIXTURES / "fix/sqs001_fifo.json", tmp_path / "t.json")
    (tmp_path / ".invlint.yaml").write_text("options:\n  SQS005: {min-receive-count: 8}\n", encoding="utf-8")
    _, out, _ = invoke(tmp_path, "check", "--root", str(tmp_path), "t.json")
    assert "fix: Add a RedrivePolicy to JobsQueue that sends messages to a dead-letter queue after " \
           "maxReceiveCount (8 or more) receives." in out
    _, _, err = invoke(tmp_path, "check", "--unsafe-fixes", "--root", str(tmp_path), "t.json")
    assert "invlint: fixed 1 finding" in err
    text = (tmp_path / "t.json").read_text(encoding="utf-8")
    assert ('"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["JobsQueueDLQ", "Arn"]}, '
            '"maxReceiveCount": 8}') in text
    assert identities(tmp_path, "t.json") == set()


def test_terraform_json_gets_no_fix_and_says_why(tmp_path: Path) -> None:
    """A .tf.json file: no dead-letter queue is added and the function's dead_letter_config is not removed."""
    shutil.copytree(FIXTURES / "fix/tf_json", tmp_path / "p")
    state = snapshot(tmp_path)
    _, _, err = invoke(tmp_path / "p", "check", "--unsafe-fixes", "-v", "--select", "SQS001,SQS002", "--root",
                       str(tmp_path / "p"), ".")
    assert snapshot(tmp_path) == state
    assert ("main.tf.json:4:1: SQS001: no automatic fix: aws_sqs_queue.jobs is read from JSON (a plan or a "
            ".tf.json file); add the dead-letter queue in the Terraform code") in err
    assert "main.tf.json:14:1: SQS002: no automatic fix: dead_letter_config is not written as a key here" in err
    assert "invlint: fixed 0 findings, 2 remaining" in err
