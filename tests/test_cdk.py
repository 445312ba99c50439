"""CDK synth output: cdk.out/*.template.json is found, its asset folders hold the handler code."""

from __future__ import annotations

from pathlib import Path

from conftest import finding_tuples, lint

from invocation_lint.discover import discover
from invocation_lint.load import load_path

CDK = Path(__file__).resolve().parent.parent / "fixtures" / "cdk"


def test_only_the_stack_template_is_a_template() -> None:
    inputs, errors = discover([str(CDK)])
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

    result = run([str(CDK)], Config())
    assert result.errors == []
    findings = result.findings
    assert [(f.code, f.resource, Path(f.span.file).name, f.span.line) for f in findings] == [
        ("SQS001", "OrdersQueue3C9AF4D2", "OrdersStack.template.json", 3),
        ("HANDLER002", "Worker5C7A9B3E", "index.py", 9),
        ("HANDLER001", "Worker5C7A9B3E", "index.py", 10),
    ]
    assert finding_tuples(lint(CDK, select="SQS")) == [("SQS001", "OrdersQueue3C9AF4D2", 3)]
    assert [f.code for f in lint(CDK)] == [f.code for f in findings]  # the test helper runs what the engine runs
