"""Suppressions: inline comments (YAML ``#``, JS/TS ``//``) and resource ``Metadata``."""

from __future__ import annotations

from pathlib import Path

import pytest

from invocation_lint.config import Config
from invocation_lint.engine import run
from invocation_lint.registry import Finding
from invocation_lint.source import Span
from invocation_lint.suppress import SourceLines, inline_suppressed, parse_inline

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "fixtures" / "cli" / "sqs001.yaml").read_text()


def lint(tmp_path: Path, text: str, *select: str) -> tuple[list[tuple[str, str, int]], int]:
    p = tmp_path / "t.yaml"
    p.write_text(text)
    res = run([str(p)], Config(select=list(select) or ["SQS001"]))
    assert res.errors == []
    return [(f.code, f.resource or "", f.span.line if f.span else 0) for f in res.findings], res.suppressed


def test_parse_inline() -> None:
    assert parse_inline("  OrdersQueue:  # invlint: ignore[SQS001]") == {"SQS001"}
    assert parse_inline("# invlint: ignore[SQS001, sqs-consumer-throttled]") == {"SQS001", "sqs-consumer-throttled"}
    assert parse_inline("# invlint: ignore") == {"*"}
    assert parse_inline("// invlint: ignore[HANDLER002]") == {"HANDLER002"}
    assert parse_inline("#invlint:ignore[SQS001]") == {"SQS001"}
    assert parse_inline("  OrdersQueue:") is None
    assert parse_inline("# invlint: ignored-later") is None
    assert parse_inline("Description: see invlint docs") is None


def test_unsuppressed_baseline(tmp_path: Path) -> None:
    assert lint(tmp_path, BAD) == ([("SQS001", "OrdersQueue", 4)], 0)


@pytest.mark.parametrize("comment", [
    "# invlint: ignore[SQS001]",
    "# invlint: ignore[sqs-queue-without-redrive]",
    "# invlint: ignore[SQS009,SQS001]",
    "# invlint: ignore",
])
def test_comment_on_the_line_hides(tmp_path: Path, comment: str) -> None:
    text = BAD.replace("  OrdersQueue:\n", f"  OrdersQueue:  {comment}\n")
    assert lint(tmp_path, text) == ([], 1)


def test_comment_alone_on_the_line_above_hides(tmp_path: Path) -> None:
    text = BAD.replace("  OrdersQueue:\n", "  # invlint: ignore[SQS001]\n  OrdersQueue:\n")
    assert lint(tmp_path, text) == ([], 1)


def test_other_codes_and_trailing_comment_above_do_not_hide(tmp_path: Path) -> None:
    text = BAD.replace("  OrdersQueue:\n", "  OrdersQueue:  # invlint: ignore[SQS002]\n")
    assert lint(tmp_path, text) == ([("SQS001", "OrdersQueue", 4)], 0)
    # a trailing comment belongs to its own line (here: Resources), not to the next one
    text = BAD.replace("Resources:\n", "Resources:  # invlint: ignore\n")
    assert lint(tmp_path, text) == ([("SQS001", "OrdersQueue", 4)], 0)
    # two lines above is too far
    text = BAD.replace("  OrdersQueue:\n", "  # invlint: ignore[SQS001]\n\n  OrdersQueue:\n")
    assert lint(tmp_path, text) == ([("SQS001", "OrdersQueue", 6)], 0)


def test_resource_metadata_hides(tmp_path: Path) -> None:
    meta = "  OrdersQueue:\n    Type: AWS::SQS::Queue\n    Metadata:\n      invlint:\n        ignore: [SQS001]\n"
    text = BAD.replace("  OrdersQueue:\n    Type: AWS::SQS::Queue\n", meta)
    assert lint(tmp_path, text) == ([], 1)
    by_name = meta.replace("[SQS001]", "[sqs-queue-without-redrive]")
    assert lint(tmp_path, BAD.replace("  OrdersQueue:\n    Type: AWS::SQS::Queue\n", by_name)) == ([], 1)
    other = meta.replace("[SQS001]", "[SQS002]")
    found = lint(tmp_path, BAD.replace("  OrdersQueue:\n    Type: AWS::SQS::Queue\n", other))
    assert found == ([("SQS001", "OrdersQueue", 4)], 0)


def test_metadata_on_another_resource_does_not_hide(tmp_path: Path) -> None:
    meta = "  ProcessOrders:\n    Type: AWS::Lambda::Function\n    Metadata:\n      invlint:\n        ignore: [SQS001]\n"
    text = BAD.replace("  ProcessOrders:\n    Type: AWS::Lambda::Function\n", meta)
    assert lint(tmp_path, text) == ([("SQS001", "OrdersQueue", 4)], 0)


def test_js_comment_in_handler_code(tmp_path: Path) -> None:
    src = SourceLines()
    src.register("app.js", "exports.handler = async (event) => {\n"
                           "  // invlint: ignore[HANDLER002]\n"
                           "  try { work(); } catch (e) {}\n"
                           "};\n")
    f = Finding("HANDLER002", "swallowed", Span("app.js", 3, 19), "Fn", "Fn", "warning", "exception-swallowed")
    assert inline_suppressed(f, src)
    f3 = Finding("HANDLER003", "x", Span("app.js", 3, 19), "Fn", "Fn", "error", "batch-item-failures-ignored")
    assert not inline_suppressed(f3, src)
    f_py = Finding("HANDLER002", "x", Span("missing.py", 3, 1), "Fn", "Fn", "warning", "exception-swallowed")
    assert not inline_suppressed(f_py, src)  # unreadable file: nothing hidden, no error


QUEUE = "  OrdersQueue:\n    Type: AWS::SQS::Queue\n"


def warnings_of(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    p = tmp_path / "t.yaml"
    p.write_text(text)
    res = run([str(p)], Config(select=["SQS001"]))
    assert res.errors == []
    return [f.code for f in res.findings], [w.replace(str(tmp_path) + "/", "") for w in res.warnings]


def test_a_family_hides_in_metadata_and_comments_as_with_ignore(tmp_path: Path) -> None:
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignore: [SQS]\n"
    assert lint(tmp_path, BAD.replace(QUEUE, meta)) == ([], 1)
    assert lint(tmp_path, BAD.replace("  OrdersQueue:\n", "  OrdersQueue:  # invlint: ignore[sqs]\n")) == ([], 1)
    assert lint(tmp_path, BAD.replace("  OrdersQueue:\n", "  OrdersQueue:  # invlint: ignore[HANDLER]\n")) == (
        [("SQS001", "OrdersQueue", 4)], 0)


def test_unknown_codes_in_suppressions_are_warnings(tmp_path: Path) -> None:
    text = BAD.replace("  OrdersQueue:\n", "  OrdersQueue:  # invlint: ignore[SQS0001]\n")
    assert warnings_of(tmp_path, text) == (["SQS001"], [
        "t.yaml:4: warning: the suppression comment names no rule 'SQS0001' and hides nothing; did you mean SQS001?"])
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignore: [SQS0001, sqs-queue-without-redrive]\n"
    assert warnings_of(tmp_path, BAD.replace(QUEUE, meta)) == ([], [
        "t.yaml:4: warning: the suppression on OrdersQueue names no rule 'SQS0001' and hides nothing; "
        "did you mean SQS001?"])
    # known codes, names, families and "all" say nothing
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignore: [SQS002, failure-route-loops-back, STREAM, all]\n"
    assert warnings_of(tmp_path, BAD.replace(QUEUE, meta))[1] == []


def test_misspelt_metadata_keys_are_warnings(tmp_path: Path) -> None:
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignores: [SQS001]\n"
    assert warnings_of(tmp_path, BAD.replace(QUEUE, meta)) == (["SQS001"], [
        "t.yaml:8: warning: OrdersQueue: unknown key 'invlint.ignores' in Metadata (known: ignore); it is ignored"])
    meta = QUEUE + "    Metadata:\n      invlint: [SQS001]\n"
    assert warnings_of(tmp_path, BAD.replace(QUEUE, meta)) == (["SQS001"], [
        "t.yaml:7: warning: OrdersQueue: Metadata 'invlint' should be a mapping with the key 'ignore' (a list of "
        "rule codes); it is ignored"])
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignore: {SQS001: true}\n"
    assert warnings_of(tmp_path, BAD.replace(QUEUE, meta)) == (["SQS001"], [
        "t.yaml:8: warning: OrdersQueue: Metadata 'invlint.ignore' should be a list of rule codes; it is ignored"])


# ------------------------------------------------------------------------------ --warn-unused-suppressions


def unused_of(tmp_path: Path, text: str, *select: str, name: str = "t.yaml") -> tuple[list[str], list[str]]:
    """(codes found, warnings) with --warn-unused-suppressions."""
    p = tmp_path / name
    p.write_text(text)
    res = run([str(p)], Config(select=list(select) or ["SQS001"], warn_unused_suppressions=True))
    assert res.errors == []
    return [f.code for f in res.findings], [w.replace(str(tmp_path) + "/", "") for w in res.warnings]


def on(line: str, comment: str, text: str = BAD) -> str:
    assert f"  {line}:\n" in text
    return text.replace(f"  {line}:\n", f"  {line}:  {comment}\n")


def test_an_unused_inline_comment_is_a_warning_a_used_one_is_not(tmp_path: Path) -> None:
    assert unused_of(tmp_path, on("OrdersQueue", "# invlint: ignore[SQS001]")) == ([], [])
    assert unused_of(tmp_path, BAD.replace("  OrdersQueue:\n", "  # invlint: ignore[SQS001]\n  OrdersQueue:\n")) == (
        [], [])  # alone on the line above
    assert unused_of(tmp_path, on("ProcessOrders", "# invlint: ignore[SQS001]")) == (["SQS001"], [
        "t.yaml:19: warning: the suppression comment ignores SQS001 but hides no finding"])
    assert unused_of(tmp_path, on("ProcessOrders", "# invlint: ignore")) == (["SQS001"], [
        "t.yaml:19: warning: the suppression comment ignores every rule but hides no finding"])
    # each code of a comment is judged alone; a code whose rules did not run is not judged
    both = on("OrdersQueue", "# invlint: ignore[SQS001,visibility-timeout-below-recommended]")
    assert unused_of(tmp_path, both, "SQS001", "SQS004") == ([], [
        "t.yaml:4: warning: the suppression comment ignores visibility-timeout-below-recommended but hides "
        "no finding"])
    assert unused_of(tmp_path, both, "SQS001") == ([], [])
    # a code naming no rule has its own warning only
    assert unused_of(tmp_path, on("ProcessOrders", "# invlint: ignore[SQS0001]"))[1] == [
        "t.yaml:19: warning: the suppression comment names no rule 'SQS0001' and hides nothing; did you mean SQS001?"]


def test_no_unused_warning_without_the_flag(tmp_path: Path) -> None:
    text = on("ProcessOrders", "# invlint: ignore[SQS001]").replace(
        QUEUE, QUEUE + "    Metadata:\n      invlint:\n        ignore: [SQS003]\n")
    assert warnings_of(tmp_path, text) == (["SQS001"], [])
    assert unused_of(tmp_path, text, "SQS001", "SQS003") == (["SQS001"], [
        "t.yaml:8: warning: the suppression on OrdersQueue ignores SQS003 but hides no finding",
        "t.yaml:22: warning: the suppression comment ignores SQS001 but hides no finding"])


def test_an_unused_metadata_suppression_is_a_warning_at_its_ignore_key(tmp_path: Path) -> None:
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignore: [SQS001, SQS003]\n"
    assert unused_of(tmp_path, BAD.replace(QUEUE, meta), "SQS001", "SQS003") == ([], [
        "t.yaml:8: warning: the suppression on OrdersQueue ignores SQS003 but hides no finding"])
    meta = QUEUE + "    Metadata:\n      invlint:\n        ignore: [sqs-queue-without-redrive]\n"
    assert unused_of(tmp_path, BAD.replace(QUEUE, meta)) == ([], [])
    # the same in a JSON template
    import json

    doc = {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Metadata": {"invlint": {"ignore": ["SQS001"]}}}}}
    assert unused_of(tmp_path, json.dumps(doc, indent=1), name="t.json") == ([], [
        "t.json:7: warning: the suppression on Q ignores SQS001 but hides no finding"])


def test_a_family_suppression_is_used_by_any_rule_of_the_family(tmp_path: Path) -> None:
    assert unused_of(tmp_path, on("OrdersQueue", "# invlint: ignore[SQS]"), "SQS") == ([], [])
    assert unused_of(tmp_path, on("ProcessOrdersRole", "# invlint: ignore[SQS]"), "SQS") == (["SQS001"], [
        "t.yaml:8: warning: the suppression comment ignores SQS but hides no finding"])
    assert unused_of(tmp_path, on("OrdersQueue", "# invlint: ignore[SQS]"), "HANDLER") == ([], [])  # did not run
    used = BAD.replace(QUEUE, QUEUE + "    Metadata:\n      invlint:\n        ignore: [SQS]\n")
    assert unused_of(tmp_path, used, "SQS") == ([], [])
    role = "  ProcessOrdersRole:\n    Type: AWS::IAM::Role\n"
    unused = BAD.replace(role, role + "    Metadata:\n      invlint:\n        ignore: [SQS]\n")
    assert unused_of(tmp_path, unused, "SQS") == (["SQS001"], [
        "t.yaml:12: warning: the suppression on ProcessOrdersRole ignores SQS but hides no finding"])


def test_unused_suppressions_in_terraform_and_in_handler_code(tmp_path: Path) -> None:
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text(
        'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  handler = "app.handler"\n'
        '  runtime = "python3.12"\n  filename = "fn.zip"\n}\n'
        '# invlint: ignore[SQS001]\nresource "aws_sqs_queue" "q" {\n  visibility_timeout_seconds = 60\n}\n'
        'resource "aws_sqs_queue" "idle" { # invlint: ignore[SQS001]\n}\n'
        'resource "aws_lambda_event_source_mapping" "m" {\n  event_source_arn = aws_sqs_queue.q.arn\n'
        '  function_name = aws_lambda_function.fn.arn\n}\n')
    res = run([str(tf)], Config(select=["SQS001"], warn_unused_suppressions=True))
    assert (res.findings, res.suppressed) == ([], 1)  # q's comment is used, idle's is not
    warning = "tf/main.tf:11: warning: the suppression on aws_sqs_queue.idle ignores SQS001 but hides no finding"
    assert [w.replace(str(tmp_path) + "/", "") for w in res.warnings] == [warning]
    # the same when a finding points into main.tf, so that its comments are searched too
    with (tf / "main.tf").open("a") as fh:
        fh.write('resource "aws_sqs_queue" "open" {\n  visibility_timeout_seconds = 60\n}\n'
                 'resource "aws_lambda_event_source_mapping" "n" {\n  event_source_arn = aws_sqs_queue.open.arn\n'
                 '  function_name = aws_lambda_function.fn.arn\n}\n')
    res = run([str(tf)], Config(select=["SQS001"], warn_unused_suppressions=True))
    assert [(f.code, f.resource) for f in res.findings] == [("SQS001", "aws_sqs_queue.open")]
    assert [w.replace(str(tmp_path) + "/", "") for w in res.warnings] == [warning]

    project = tmp_path / "sam"
    (project / "src").mkdir(parents=True)
    (project / "template.yaml").write_text((ROOT / "fixtures" / "cli" / "three_modes.yaml").read_text())
    app = (ROOT / "fixtures" / "cli" / "src" / "app.py").read_text()
    (project / "src" / "app.py").write_text(app.replace("    return None", "    return None  # invlint: ignore[HANDLER002]"))
    res = run([str(project / "template.yaml")], Config(select=["HANDLER"], warn_unused_suppressions=True))
    assert res.warnings == [
        f"{project / 'src' / 'app.py'}:10: warning: the suppression comment ignores HANDLER002 but hides no finding"]


def test_a_template_is_searched_for_comments_as_the_loader_read_it(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Its text is not read a second time for its comments or for the report's lines; other files still are."""
    from invocation_lint.report import render

    read: list[str] = []
    real = SourceLines._read

    def counted(file: str) -> str | None:
        read.append(file)
        return real(file)

    monkeypatch.setattr(SourceLines, "_read", staticmethod(counted))
    hidden = BAD.replace("  OrdersQueue:\n", "  OrdersQueue:  # invlint: ignore[SQS001]\n")
    assert lint(tmp_path, hidden) == ([], 1)
    assert lint(tmp_path, BAD) == ([("SQS001", "OrdersQueue", 4)], 0)
    p = tmp_path / "t.yaml"
    res = run([str(p)], Config(select=["SQS001"]))
    assert "  4 |   OrdersQueue:\n" in render(res, "text", width=120)
    assert read == []
    # a file a finding points into that no loader read is read once, for its comments and the report's lines
    sources = SourceLines()
    assert sources.comments(str(p)) == {}
    assert sources.line(str(p), 4) == "  OrdersQueue:"
    assert read == [str(p)]


def test_the_text_report_shows_the_lines_of_standard_input() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "invocation_lint.entry", "check", "-"], input=BAD.encode(),
                          capture_output=True, check=False, cwd=ROOT)
    assert proc.returncode == 1
    assert b"<stdin>:4:3 error SQS001" in proc.stdout
    assert b"\n  4 |   OrdersQueue:\n" in proc.stdout
