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
    ("SQS001", "ReportRequests2DFBCB36", "OrdersStack/ReportRequests", "OrdersStack.template.json", None),
    ("SQS003", "IngestQueue2280FF4E", "Prod/IngestStack/IngestQueue", "assembly-Prod/ProdIngestStack77BA3291.template.json", 26),
    ("HANDLER005", "Ingest4069586C", "Prod/IngestStack/Ingest", "lambda/ingest/index.js", 3),
    ("HANDLER001", "ProcessOrders62B11DFA", "OrdersStack/ProcessOrders", "lambda/process-orders/index.js", 6),
    ("HANDLER002", "BuildReportA09A6882", "OrdersStack/Reports/BuildReport", "lambda/reports/index.js", 7),
]
#: the template lines of these findings differ with and without asset metadata (five lines each)
ASYNC_LINES = {"cdk.out": [170, 217, 269, 310, 347], "cdk.out.no-asset-metadata": [167, 211, 263, 301, 338]}


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
    result.findings = [f for f in result.findings if f.resource == "OrdersQueue3DFA1D51"]
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


# ------------------------------------------------------------------------------ nested stacks

NESTED = "OrdersStackReports4839B7AB.nested.template.json"


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` holding ``text``."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize("out", ["cdk.out", "cdk.out.no-asset-metadata"])
def test_nested_stack_is_part_of_its_parent(out: str) -> None:
    """Found through aws:asset:path, or without it through the asset manifest: the nested function polls the
    parent's queue, passed in as a parameter; its resources keep their places in the nested file."""
    models = {Path(m.file).name: m for m in load_path(str(APP / out))}
    orders = models["OrdersStack.template.json"]
    assert orders.nested_files == {str(APP / out / NESTED): "ReportsNestedStackReportsNestedStackResource6385503C"}
    (t,) = orders.triggers_of("BuildReportA09A6882")
    assert (t.mode, t.source.node if t.source else None) == ("poll-sqs", "ReportRequests2DFBCB36")
    rtype, span = orders.resources["BuildReportA09A6882"]
    assert (rtype, span.file, span.line) == ("AWS::Lambda::Function", str(APP / out / NESTED),
                                             _line_of(APP / out / NESTED, '"BuildReportA09A6882": {'))
    assert orders.construct_paths["BuildReportA09A6882"] == "OrdersStack/Reports/BuildReport"
    # the nested function's role may read the queue: the policy's Resource is the parent queue now
    role = orders.roles[orders.functions["BuildReportA09A6882"].role.node]
    assert any("sqs:ReceiveMessage" in st.actions for st in role.statements)
    assert models["CleanStack.template.json"].nested_files == {}


def test_nested_findings_once_in_json() -> None:
    from click.testing import CliRunner

    from invocation_lint.cli import main

    res = CliRunner().invoke(main, ["check", "--format", "json", str(APP / "cdk.out")], catch_exceptions=False)
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    rows = [(f["code"], f["resource"], Path(f["file"]).name, f["line"]) for f in doc["findings"]]
    assert len(rows) == len(set(rows)) == len(APP_FINDINGS)  # nothing reported twice
    (sqs,) = [f for f in doc["findings"] if f["resource"] == "ReportRequests2DFBCB36"]
    assert (sqs["code"], Path(sqs["file"]).resolve(), sqs["line"], sqs["construct_path"], sqs["function"]) == (
        "SQS001", APP / "cdk.out" / "OrdersStack.template.json", 347, "OrdersStack/ReportRequests", "BuildReportA09A6882")
    assert [(Path(r["file"]).resolve(), r["line"], r["resource"]) for r in sqs["related"]] == [
        (APP / "cdk.out" / NESTED, 98, "BuildReportSqsEventSourceOrdersStackReportRequestsDABDF95BD6305C06")]
    (swallowed,) = [f for f in doc["findings"] if f["code"] == "HANDLER002"]
    assert swallowed["path"][0] == "ReportRequests2DFBCB36 (SQS)"
    assert doc["summary"]["files"] == 4  # OrdersStack (with its nested template), CleanStack, the Prod stage


def _copy_app(tmp_path: Path) -> Path:
    import shutil

    app = tmp_path / "app"
    shutil.copytree(APP, app, ignore=shutil.ignore_patterns("cdk.out.no-asset-metadata"))
    (app / ".git").mkdir()
    return app


def _rows(path: Path, base: Path, select: list[str] | None = None) -> list[tuple[object, ...]]:
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    result = run([str(path)], Config(), select=select)
    assert result.errors == []
    return [(f.code, f.resource, str(Path(f.span.file).resolve().relative_to(base)), f.span.line)
            for f in result.findings]


def test_without_the_nested_template_the_parent_is_checked_alone(tmp_path: Path) -> None:
    app = _copy_app(tmp_path)
    (app / "cdk.out" / NESTED).unlink()
    rows = _rows(app / "cdk.out" / "OrdersStack.template.json", app, ["SQS"])
    assert rows == [("SQS001", "OrdersQueue3DFA1D51", "cdk.out/OrdersStack.template.json", 3),
                    ("SQS004", "OrdersQueue3DFA1D51", "cdk.out/OrdersStack.template.json", 6)]


def test_a_nested_template_named_alone_is_checked_alone() -> None:
    (model,) = load_path(str(APP / "cdk.out" / NESTED))
    assert model.nested_files == {}
    (t,) = model.triggers_of("BuildReportA09A6882")
    assert t.source is not None and t.source.node is None  # the queue is a parameter: not known here
    rows = _rows(APP / "cdk.out" / NESTED, APP)
    assert rows == [("HANDLER002", "BuildReportA09A6882", "lambda/reports/index.js", 7)]


def test_nested_stack_in_a_stage_assembly(tmp_path: Path) -> None:
    """cdk.out/assembly-<Stage>/: the nested template lies beside its parent, the assets one folder up."""
    app = _copy_app(tmp_path)
    out = app / "cdk.out"
    stage = out / "assembly-Prod"
    for name in ("OrdersStack.template.json", NESTED):
        text = (out / name).read_text().replace('"aws:asset:path": "asset.', '"aws:asset:path": "../asset.')
        (stage / name).write_text(text)
        (out / name).unlink()
    rows = _rows(stage, app, ["SQS001", "HANDLER002"])
    assert rows == [
        ("SQS001", "OrdersQueue3DFA1D51", "cdk.out/assembly-Prod/OrdersStack.template.json", 3),
        ("SQS001", "ReportRequests2DFBCB36", "cdk.out/assembly-Prod/OrdersStack.template.json", 347),
        ("HANDLER002", "BuildReportA09A6882", "lambda/reports/index.js", 7),
    ]


def _fn(cdk_path: str) -> dict[str, object]:
    return {"Type": "AWS::Lambda::Function", "Metadata": {"aws:cdk:path": cdk_path},
            "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Timeout": 5,
                           "Role": "arn:aws:iam::123456789012:role/worker", "Code": {"ZipFile": "def handler(e, c): pass"}}}


def _write(path: Path, resources: dict[str, object], **sections: object) -> Path:
    path.write_text(json.dumps({"Resources": resources, **sections}, indent=1))
    return path


def _nested_stack(asset: str, parameters: dict[str, object] | None = None, condition: str | None = None) -> dict[str, object]:
    res: dict[str, object] = {"Type": "AWS::CloudFormation::Stack",
                              "Metadata": {"aws:cdk:path": "P/Kid.NestedStack/Kid.NestedStackResource",
                                           "aws:asset:path": asset},
                              "Properties": {"TemplateURL": "https://example.com/kid.json", "Parameters": parameters or {}}}
    if condition:
        res["Condition"] = condition
    return res


def test_nested_parameters_defaults_conditions_and_outputs(tmp_path: Path) -> None:
    """Parameters passed (also inside Fn::Sub) or left to their Default, the nested template's own conditions
    (a name the parent also uses), and a parent function polling a nested queue through an output."""
    (tmp_path / ".git").mkdir()
    out = tmp_path / "cdk.out"
    out.mkdir()
    kid = _write(out / "Kid.nested.template.json", {
        "Inbox": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "P/Kid/Inbox/Resource"}},
        "Never": {"Type": "AWS::SQS::Queue", "Condition": "Off", "Metadata": {"aws:cdk:path": "P/Kid/Never/Resource"}},
        "Reader": _fn("P/Kid/Reader/Resource"),
        "ReaderJobs": {"Type": "AWS::Lambda::EventSourceMapping", "Metadata": {"aws:cdk:path": "P/Kid/ReaderJobs/Resource"},
                       "Properties": {"EventSourceArn": {"Fn::Sub": "${JobsArn}"}, "FunctionName": {"Ref": "Reader"},
                                      "BatchSize": {"Ref": "Size"}}},
    }, Parameters={"JobsArn": {"Type": "String"}, "Size": {"Type": "Number", "Default": "1"}},
        Conditions={"Off": {"Fn::Equals": ["a", "b"]}},
        Outputs={"InboxArn": {"Value": {"Fn::GetAtt": ["Inbox", "Arn"]}}})
    parent = _write(out / "P.template.json", {
        "Jobs": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "P/Jobs/Resource"}},
        "Kid": _nested_stack("Kid.nested.template.json", {"JobsArn": {"Fn::GetAtt": ["Jobs", "Arn"]}}),
        "Poller": _fn("P/Poller/Resource"),
        "PollerInbox": {"Type": "AWS::Lambda::EventSourceMapping", "Metadata": {"aws:cdk:path": "P/PollerInbox/Resource"},
                        "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Kid", "Outputs.InboxArn"]},
                                       "FunctionName": {"Ref": "Poller"}}},
    }, Conditions={"Off": {"Fn::Equals": ["a", "a"]}})
    (model,) = [m for m in load_path(str(out)) if m.nested_files]
    assert model.file == str(parent)
    (t,) = model.triggers_of("Reader")
    assert (t.source.node if t.source else None, t.batch_size.value) == ("Jobs", 1)
    (t,) = model.triggers_of("Poller")
    assert t.source is not None and t.source.node == "Inbox"
    assert "Never" not in model.queues  # the nested Off is false; the parent's Off (true) does not apply to it
    assert set(model.queues) == {"Jobs", "Inbox"}
    assert _rows(out, tmp_path, ["SQS001"]) == [
        ("SQS001", "Inbox", "cdk.out/Kid.nested.template.json", _line_of(kid, '"Inbox": {')),
        ("SQS001", "Jobs", "cdk.out/P.template.json", _line_of(parent, '"Jobs": {')),
    ]


def test_nested_stack_under_a_condition(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "Kid.nested.template.json", {"Inbox": {"Type": "AWS::SQS::Queue"}, "Reader": _fn("P/Kid/Reader/Resource"),
           "ReaderInbox": {"Type": "AWS::Lambda::EventSourceMapping",
                           "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Inbox", "Arn"]}, "FunctionName": {"Ref": "Reader"}}}})
    _write(tmp_path / "P.template.json", {"Kid": _nested_stack("Kid.nested.template.json", condition="Off")},
           Conditions={"Off": {"Fn::Equals": ["a", "b"]}})
    (model,) = load_path(str(tmp_path / "P.template.json"))
    assert model.nested_files == {str(tmp_path / "Kid.nested.template.json"): "Kid"}
    assert model.functions == {} and model.queues == {}  # the nested stack is not created
    assert _rows(tmp_path, tmp_path, ["SQS001"]) == []


def test_clashing_logical_ids_leave_the_nested_stack_alone(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "Kid.nested.template.json", {"Jobs": {"Type": "AWS::SQS::Queue"}, "Reader": _fn("P/Kid/Reader/Resource"),
           "ReaderJobs": {"Type": "AWS::Lambda::EventSourceMapping",
                          "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]}, "FunctionName": {"Ref": "Reader"}}}})
    _write(tmp_path / "P.template.json", {"Jobs": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "P/Jobs/Resource"}},
                                          "Kid": _nested_stack("Kid.nested.template.json")})
    (model,) = load_path(str(tmp_path / "P.template.json"))
    assert model.nested_files == {} and set(model.queues) == {"Jobs"}
    assert _rows(tmp_path, tmp_path, ["SQS001"]) == [("SQS001", "Jobs", "Kid.nested.template.json", 3)]


def test_stacks_nesting_each_other_are_checked_once(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "A.template.json", {"Jobs": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "A/Jobs/Resource"}},
                                          "B": _nested_stack("B.template.json")})
    _write(tmp_path / "B.template.json", {"Reader": _fn("A/B/Reader/Resource"), "A": _nested_stack("A.template.json"),
                                          "ReaderJobs": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                                              "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
                                              "FunctionName": {"Ref": "Reader"}}}})
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    result = run([str(tmp_path)], Config())
    assert [Path(m.file).name for m in result.models] == ["A.template.json"]
    assert result.models[0].nested_files == {str(tmp_path / "B.template.json"): "B"}
    assert result.checked == 2


def test_graph_draws_a_nested_stack_once_within_its_parent() -> None:
    from invocation_lint.engine import load_models
    from invocation_lint.graph import render

    models, errors = load_models([str(APP / "cdk.out")])
    assert errors == []
    assert sorted(Path(m.file).name for m in models) == ["CleanStack.template.json", "OrdersStack.template.json",
                                                         "ProdIngestStack77BA3291.template.json"]
    text = render(models, "mermaid")
    assert text.count('["BuildReportA09A6882 (function)"]') == 1
    assert '_n_ReportRequests2DFBCB36 -->|"sqs poll, batch 10"| m1_n_BuildReportA09A6882' in text


def test_a_nested_template_named_by_a_local_template_url(tmp_path: Path) -> None:
    """Before ``aws cloudformation package`` uploads it, a nested stack's TemplateURL is a path relative to
    the template: the nested stack is checked with its parent the same way (YAML, in another folder)."""
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "main.yaml").write_text(
        "Resources:\n"
        "  Jobs:\n"
        "    Type: AWS::SQS::Queue\n"
        "  Workers:\n"
        "    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n"
        "      TemplateURL: stacks/workers.yaml\n"
        "      Parameters:\n"
        "        JobsArn: !GetAtt Jobs.Arn\n")
    (tmp_path / "stacks" / "workers.yaml").write_text(
        "Parameters:\n"
        "  JobsArn:\n"
        "    Type: String\n"
        "Resources:\n"
        "  Worker:\n"
        "    Type: AWS::Lambda::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: index.handler\n"
        "      Role: arn:aws:iam::123456789012:role/worker\n"
        "      Code: src\n"
        "  WorkerJobs:\n"
        "    Type: AWS::Lambda::EventSourceMapping\n"
        "    Properties:\n"
        "      EventSourceArn: !Sub \"${JobsArn}\"\n"
        "      FunctionName: !Ref Worker\n")
    result = run([str(tmp_path)], Config(), select=["SQS001"])
    assert result.errors == [] and result.checked == 2
    assert [Path(m.file).name for m in result.models] == ["main.yaml"]
    (f,) = result.findings
    assert (f.code, f.resource, Path(f.span.file).name, f.span.line) == ("SQS001", "Jobs", "main.yaml", 2)
    assert [(Path(r.span.file).relative_to(tmp_path), r.span.line, r.resource) for r in f.related if r.span] == [
        (Path("stacks/workers.yaml"), 12, "WorkerJobs")]
    code = result.models[0].functions["Worker"].code  # a code path is relative to the template naming it
    assert (code.kind, code.path) == ("dir", str(tmp_path / "stacks" / "src"))


def test_a_sam_nested_application_with_a_local_location(tmp_path: Path) -> None:
    """AWS::Serverless::Application with a local Location: the nested SAM template is expanded as the SAM
    transform would (its own Globals, events, CodeUri relative to it) and checked with its parent."""
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    (tmp_path / ".git").mkdir()
    (tmp_path / "apps").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Jobs:\n"
        "    Type: AWS::SQS::Queue\n"
        "  Workers:\n"
        "    Type: AWS::Serverless::Application\n"
        "    Properties:\n"
        "      Location: ./apps/workers.yaml\n"
        "      Parameters:\n"
        "        JobsArn: !GetAtt Jobs.Arn\n")
    (tmp_path / "apps" / "workers.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n"
        "  Function:\n"
        "    Timeout: 20\n"
        "Parameters:\n"
        "  JobsArn:\n"
        "    Type: String\n"
        "Resources:\n"
        "  Worker:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: index.handler\n"
        "      CodeUri: src/\n"
        "      Events:\n"
        "        Jobs:\n"
        "          Type: SQS\n"
        "          Properties:\n"
        "            Queue: !Ref JobsArn\n")
    result = run([str(tmp_path)], Config(), select=["SQS"])
    assert result.errors == [] and result.checked == 2
    (model,) = result.models
    assert model.nested_files == {str(tmp_path / "apps" / "workers.yaml"): "Workers"}
    assert [(f.code, f.resource, Path(f.span.file).name, f.span.line) for f in result.findings] == [
        ("SQS001", "Jobs", "template.yaml", 3),
        ("SQS004", "Jobs", "template.yaml", 3),  # 30 s, the default, below 6 x 20 s (the nested Globals)
    ]
    code = model.functions["Worker"].code
    assert (code.kind, code.path) == ("dir", str(tmp_path / "apps" / "src"))
