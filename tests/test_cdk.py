"""CDK synth output: cdk.out/*.template.json is found, its asset folders hold the handler code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import finding_tuples, lint

from invocation_lint.discover import discover
from invocation_lint.load import load_path

CDK = Path(__file__).resolve().parent.parent / "fixtures" / "cdk"


def test_only_the_stack_template_is_a_template() -> None:
    inputs, errors = discover([str(CDK / "cdk.out")])
    assert errors == []
    assert [Path(i.path).name for i in inputs] == ["OrdersStack.template.json"]


def test_cdk_model_uses_the_asset_folder_and_sees_the_role() -> None:
    (model,) = load_path(str(CDK / "cdk.out" / "OrdersStack.template.json"))
    assert model.format == "cdk"
    fn = model.functions["Worker5C7A9B3E"]
    assert fn.code.kind == "dir" and fn.code.path == str(CDK / "cdk.out" / "asset.7f3e9c2a1b")
    role = model.roles[fn.role.node]
    assert role.complete  # only AWSLambdaBasicExecutionRole and the template's own policy
    assert [a for st in role.statements for a in st.actions] == [
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
        "sqs:ReceiveMessage"]
    (t,) = model.triggers
    assert (t.mode, t.source.node, t.batch_size.value, t.batch_size.default) == ("poll-sqs", "OrdersQueue3C9AF4D2", 10, True)


def test_cdk_findings_template_and_handler() -> None:
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    result = run([str(CDK / "cdk.out")], Config())
    assert result.errors == []
    findings = result.findings
    assert [(f.code, f.resource, Path(f.span.file).name, f.span.line) for f in findings] == [
        ("SQS001", "OrdersQueue3C9AF4D2", "OrdersStack.template.json", 3),
        ("HANDLER002", "Worker5C7A9B3E", "index.py", 9),
        ("HANDLER001", "Worker5C7A9B3E", "index.py", 10),
    ]
    assert finding_tuples(lint(CDK / "cdk.out", select="SQS")) == [("SQS001", "OrdersQueue3C9AF4D2", 3)]
    assert [f.code for f in lint(CDK / "cdk.out")] == [f.code for f in findings]  # the test helper runs what the engine runs


# ------------------------------------------------------------------------------ an app synthesized by aws-cdk-lib

APP = CDK / "orders-app"
STAGED = {  # asset folder of each function, as aws-cdk-lib 2.278.0 hashed them
    "ProcessOrders62B11DFA": "asset.925f6c7969f02366e68718a0f625d504cc5e30560f074f80db9dca783e151de3",
    "BuildReportA09A6882": "asset.4ab58276f23d9dd1cf36671d6f8e96f77b5d68d6eca84c46323de83871620449",
    "Ingest4069586C": "asset.eb226779b4abe851683482c7b5002446d07ca3c96adbf482695a0a15adbef5a7",
}
APP_FINDINGS = [
    ("SQS001", "OrdersQueue3DFA1D51", "OrdersStack/OrdersQueue", "OrdersStack.template.json", 3),
    ("SQS004", "OrdersQueue3DFA1D51", "OrdersStack/OrdersQueue", "OrdersStack.template.json", 6),
    ("ASYNC001", "NotifyCustomer1F56D2ED", "OrdersStack/NotifyCustomer", "OrdersStack.template.json", None),
    ("ASYNC004", "NotifyCustomerOrderEventsB6B64AA2", "OrdersStack/NotifyCustomer/OrderEvents",
     "OrdersStack.template.json", None),
    ("ASYNC001", "AuditOrder727DE596", "OrdersStack/AuditOrder", "OrdersStack.template.json", None),
    ("ASYNC005", "OrderPlacedDB034628", "OrdersStack/OrderPlaced", "OrdersStack.template.json", None),
    ("SQS003", "IngestQueue2280FF4E", "Prod/IngestStack/IngestQueue", "assembly-Prod/ProdIngestStack77BA3291.template.json", 26),
    ("HANDLER005", "Ingest4069586C", "Prod/IngestStack/Ingest", "lambda/ingest/index.js", 3),
    ("HANDLER001", "ProcessOrders62B11DFA", "OrdersStack/ProcessOrders", "lambda/process-orders/index.js", 6),
    ("HANDLER002", "BuildReportA09A6882", "OrdersStack/Reports/BuildReport", "lambda/reports/index.js", 7),
]
#: the template lines of the ASYNC findings differ with and without asset metadata (four lines each)
ASYNC_LINES = {"cdk.out": [170, 217, 269, 310], "cdk.out.no-asset-metadata": [167, 211, 263, 301]}


def _app_findings(out: str) -> list[tuple[object, ...]]:
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    result = run([str(APP / out)], Config())
    assert result.errors == []
    rows = []
    for f in result.findings:
        file = Path(f.span.file).resolve()
        shown = str(file.relative_to(APP / out)) if (APP / out) in file.parents else str(file.relative_to(APP))
        rows.append((f.code, f.resource, f.construct_path, shown, f.span.line))
    return rows


@pytest.mark.parametrize("out", ["cdk.out", "cdk.out.no-asset-metadata"])
def test_synthesized_app_findings_exact(out: str) -> None:
    lines = iter(ASYNC_LINES[out])
    expected = [row if row[4] is not None else (*row[:4], next(lines)) for row in APP_FINDINGS]
    assert _app_findings(out) == expected


@pytest.mark.parametrize("out", ["cdk.out", "cdk.out.no-asset-metadata"])
def test_code_found_with_and_without_asset_metadata(out: str) -> None:
    models = {Path(m.file).name: m for m in load_path(str(APP / out))}
    assert sorted(models) == ["CleanStack.template.json", "OrdersStack.template.json",
                              "OrdersStackReports4839B7AB.nested.template.json", "ProdIngestStack77BA3291.template.json"]
    nested = models["OrdersStackReports4839B7AB.nested.template.json"]
    stage = models["ProdIngestStack77BA3291.template.json"]
    orders = models["OrdersStack.template.json"]
    assert {m.format for m in models.values()} == {"cdk"}
    has_metadata = out == "cdk.out"
    fn = orders.functions["ProcessOrders62B11DFA"]
    raw = json.loads((APP / out / "OrdersStack.template.json").read_text())["Resources"]["ProcessOrders62B11DFA"]
    assert ("aws:asset:path" in raw["Metadata"]) is has_metadata
    for model, fid in ((orders, "ProcessOrders62B11DFA"), (nested, "BuildReportA09A6882"), (stage, "Ingest4069586C")):
        code = model.functions[fid].code
        assert (code.kind, code.path) == ("dir", str(APP / out / STAGED[fid]))
    assert fn.code.kind == "dir"
    assert orders.construct_paths["ProcessOrders62B11DFA"] == "OrdersStack/ProcessOrders"
    assert stage.construct_paths["IngestQueue2280FF4E"] == "Prod/IngestStack/IngestQueue"


def test_clean_stack_is_silent() -> None:
    for out in ("cdk.out", "cdk.out.no-asset-metadata"):
        assert lint(APP / out / "CleanStack.template.json") == []


def test_staged_handler_finding_points_at_the_project_file(tmp_path: Path) -> None:
    from invocation_lint.config import Config
    from invocation_lint.engine import run
    from invocation_lint.report import json as json_report

    result = run([str(APP / "cdk.out")], Config(), select=["HANDLER001"])
    (f,) = result.findings
    assert Path(f.span.file).resolve() == APP / "lambda" / "process-orders" / "index.js"
    staged = f.related[0]
    assert Path(staged.span.file).resolve() == APP / "cdk.out" / STAGED["ProcessOrders62B11DFA"] / "index.js"
    assert (staged.span.line, staged.message) == (6, "the staged copy in the cloud assembly")
    assert [(Path(r.span.file).resolve(), r.span.line) for r in f.related[1:]] == [
        (APP / "lambda" / "process-orders" / "index.js", 10),  # the 200 returned, in the same file
        (APP / "cdk.out" / "OrdersStack.template.json", 113)]  # the event source mapping
    d = json_report.finding_dict(f)
    assert (d["resource"], d["construct_path"], d["line"]) == ("ProcessOrders62B11DFA", "OrdersStack/ProcessOrders", 6)
    from invocation_lint.report.text import render

    assert "[OrdersStack/ProcessOrders]" in render(result)


def test_staged_file_without_an_identical_project_file_stays_staged(tmp_path: Path) -> None:
    import shutil

    from invocation_lint.config import Config
    from invocation_lint.engine import run

    app = tmp_path / "app"
    shutil.copytree(APP, app)
    (app / ".git").mkdir()
    src = app / "lambda" / "process-orders" / "index.js"
    src.write_text(src.read_text() + "// edited after the synth\n")
    result = run([str(app / "cdk.out")], Config(), select=["HANDLER001"])
    (f,) = result.findings
    assert Path(f.span.file).resolve() == app / "cdk.out" / STAGED["ProcessOrders62B11DFA"] / "index.js"
    assert all(r.message != "the staged copy in the cloud assembly" for r in f.related)


def test_construct_path_in_sarif_and_github_annotations() -> None:
    from invocation_lint.config import Config
    from invocation_lint.engine import run
    from invocation_lint.report import github, sarif

    result = run([str(APP / "cdk.out" / "OrdersStack.template.json")], Config(), select=["SQS001"])
    (f,) = result.findings
    (res,) = sarif.as_dict(result)["runs"][0]["results"]
    assert res["ruleId"] == "SQS001"
    assert res["properties"] == {"resource": "OrdersQueue3DFA1D51", "function": "ProcessOrders62B11DFA",
                                 "constructPath": "OrdersStack/OrdersQueue"}
    assert res["message"]["text"].split("\n")[1] == "Construct: OrdersStack/OrdersQueue"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    line = github.annotation(f)
    assert line.startswith("::error file=")
    assert ",line=3," in line
    assert "%0Aconstruct: OrdersStack/OrdersQueue%0A" in line


def test_no_construct_path_outside_cdk() -> None:
    from invocation_lint.config import Config
    from invocation_lint.engine import run
    from invocation_lint.report import github, sarif

    example = Path(__file__).resolve().parent.parent / "fixtures" / "example" / "template.yaml"
    result = run([str(example)], Config(), select=["SQS001"])
    (f,) = result.findings
    (res,) = sarif.as_dict(result)["runs"][0]["results"]
    assert "constructPath" not in res["properties"]
    assert "Construct:" not in res["message"]["text"]
    assert "construct:" not in github.annotation(f)
