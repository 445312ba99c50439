"""The four report formats, byte for byte where the format is a promise (text layout, JSON, annotations)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from invocation_lint import __version__
from invocation_lint.baseline import fingerprint
from invocation_lint.engine import Result
from invocation_lint.model import Model
from invocation_lint.registry import Finding, Related, all_rules
from invocation_lint.report import github, render, summary_line, uri_of
from invocation_lint.source import InputError, Span

TEMPLATE = """\
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
  ProcessOrders:
    Type: AWS::Lambda::Function
    Properties:
      Timeout: 30
"""


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text(TEMPLATE)
    Path("other.yaml").write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n")
    err = Finding(
        "SQS001", "A failing message returns every 30 s until it expires after 4 days; nothing keeps it.",
        Span("t.yaml", 2, 3, 2, 14), "OrdersQueue", "ProcessOrders", "error", "sqs-queue-without-redrive",
        related=[Related(Span("t.yaml", 4, 3), "ProcessOrders", "polls the queue")],
        path=["OrdersQueue (SQS)", "ProcessOrders [poll, batch 10]", "no redrive", "deleted after 4 days"],
        fix="Add a RedrivePolicy.",
    )
    warn = Finding("SQS004", "Visibility 60 s < 6 × 30 s.", Span("t.yaml", 5, 5, 7, 18), "OrdersQueue",
                   "ProcessOrders", "warning", "visibility-timeout-below-recommended")
    info = Finding("ASYNC004", "100% of 2,3: lost", Span("other.yaml", 2, 3), "Fn", None, "info",
                   "sns-subscription-without-redrive")
    models = [Model("t.yaml", "cloudformation"), Model("other.yaml", "cloudformation"),
              Model("clean.yaml", "cloudformation")]
    rules = [all_rules()[c] for c in ("SQS001", "SQS004", "ASYNC004")]
    return Result([err, warn, info], [InputError("bad.yaml", "invalid YAML: oops", 3)], models, rules)


def test_text_layout(result: Result) -> None:
    out = render(result, "text")
    assert out.splitlines() == [
        "t.yaml:2:3 error SQS001 sqs-queue-without-redrive: A failing message returns every 30 s until it "
        "expires after 4 days; nothing keeps it.",
        "  2 |   OrdersQueue:",
        "  path: OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → no redrive → deleted after 4 days",
        "  fix: Add a RedrivePolicy.",
        "  also: t.yaml:4 ProcessOrders (polls the queue)",
        "t.yaml:5:5 warning SQS004 visibility-timeout-below-recommended: Visibility 60 s < 6 × 30 s.",
        "  5 |     Type: AWS::Lambda::Function",
        "  6 |     Properties:",
        "  7 |       Timeout: 30",
        "",
        "other.yaml:2:3 info ASYNC004 sns-subscription-without-redrive: 100% of 2,3: lost",
        "  2 |   Fn:",
        "",
        "1 error, 1 warning, 1 info in 2 files (3 checked); 1 input error",
    ]


def test_text_long_span_is_cut_at_five_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("long.yaml").write_text("".join(f"line{i}\n" for i in range(1, 21)))
    f = Finding("SQS001", "m", Span("long.yaml", 3, 1, 12, 1), "Q", None, "error", "n")
    out = render(Result([f], [], [Model("long.yaml", "cloudformation")]), "text").splitlines()
    assert out[1:7] == ["  3 | line3", "  4 | line4", "  5 | line5", "  6 | line6", "  7 | line7", "    | …"]


def test_text_colour_has_the_same_characters(result: Result) -> None:
    plain = render(result, "text")
    coloured = render(result, "text", color=True, width=300)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_summary_lines() -> None:
    assert summary_line(Result([], [], [Model("a", "sam")])) == "No problems found in 1 file."
    assert summary_line(Result([], [], [Model("a", "sam"), Model("b", "sam")])) == "No problems found in 2 files."
    assert summary_line(Result([], [InputError("x", "bad")], [])) == "No file could be checked; 1 input error"
    r = Result([], [], [Model("a", "sam")], suppressed=2, baselined=1)
    assert summary_line(r) == "No problems found in 1 file (2 suppressed, 1 in baseline)"
    f = Finding("SQS001", "m", Span("a", 1), "Q", None, "error", "n")
    r = Result([f], [InputError("x", "bad")], [Model("a", "sam")], suppressed=1)
    assert summary_line(r) == "1 error in 1 file (1 checked; 1 suppressed); 1 input error"


def test_json_exact(result: Result) -> None:
    data = json.loads(render(result, "json"))
    assert list(data) == ["version", "findings", "errors", "summary"]
    assert data["version"] == 1
    assert data["findings"][0] == {
        "code": "SQS001",
        "name": "sqs-queue-without-redrive",
        "severity": "error",
        "message": "A failing message returns every 30 s until it expires after 4 days; nothing keeps it.",
        "file": "t.yaml",
        "line": 2,
        "column": 3,
        "end_line": 2,
        "end_column": 14,
        "resource": "OrdersQueue",
        "construct_path": None,
        "function": "ProcessOrders",
        "related": [{"file": "t.yaml", "line": 4, "resource": "ProcessOrders"}],
        "path": ["OrdersQueue (SQS)", "ProcessOrders [poll, batch 10]", "no redrive", "deleted after 4 days"],
        "fix": "Add a RedrivePolicy.",
    }
    assert data["findings"][2]["function"] is None
    assert data["findings"][2]["end_column"] is None
    assert data["findings"][2]["fix"] is None
    assert data["errors"] == [{"file": "bad.yaml", "line": 3, "message": "invalid YAML: oops"}]
    assert data["summary"] == {"files": 3, "errors": 1, "warnings": 1, "infos": 1, "input_errors": 1}


def test_github_annotations(result: Result) -> None:
    lines = render(result, "github").splitlines()
    assert lines[0] == (
        "::error file=t.yaml,line=2,col=3,endLine=2,endColumn=14,title=SQS001 sqs-queue-without-redrive::"
        "A failing message returns every 30 s until it expires after 4 days; nothing keeps it."
        "%0Apath: OrdersQueue (SQS) → ProcessOrders [poll, batch 10] → no redrive → deleted after 4 days"
        "%0Afix: Add a RedrivePolicy."
    )
    # errors first (the input error too), then warnings, then notices
    assert lines[1] == "::error file=bad.yaml,line=3,title=invlint input error::invalid YAML: oops"
    # a multi-line span carries no columns (GitHub ignores them there)
    assert lines[2] == (
        "::warning file=t.yaml,line=5,endLine=7,title=SQS004 visibility-timeout-below-recommended::"
        "Visibility 60 s < 6 × 30 s."
    )
    assert lines[3] == "::notice file=other.yaml,line=2,col=3,endLine=2,title=ASYNC004 " \
        "sns-subscription-without-redrive::100%25 of 2,3: lost"
    assert len(lines) == 4


def _many(n: int, code: str, severity: str, line0: int) -> list[Finding]:
    return [Finding(code, f"message {i}", Span("t.yaml", line0 + i, 3), f"Q{i}", None, severity, "x")
            for i in range(n)]


def test_github_shows_ten_of_each_level_then_says_how_many_more() -> None:
    """GitHub shows 10 annotations of each level per step: the most severe come first, the rest are log lines
    (never commands), and one notice, placed where GitHub still shows it, says how many and where they are."""
    infos = _many(12, "ASYNC004", "info", 100)
    warnings = _many(11, "SQS004", "warning", 200)
    errors = _many(14, "SQS001", "error", 300)
    findings = sorted(infos + warnings + errors, key=Finding.sort_key)
    res = Result(findings, [InputError("bad.yaml", "invalid YAML: oops", 3)], [], [])
    lines = render(res, "github").splitlines()
    commands = [line for line in lines if line.startswith("::")]
    levels = [line.split(" ", 1)[0] for line in commands]
    assert levels == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 10
    assert [c.rsplit("::", 1)[1] for c in commands[:10]] == [f"message {i}" for i in range(10)]
    assert commands[20] == (
        "::notice title=invlint%3A more findings::5 more errors, 1 more warning and 3 more notices are not shown "
        "as annotations (GitHub shows 10 of each level per step): they are listed in this step's log, and in full "
        "in the text report (invlint check) and the SARIF report (invlint check --format sarif)")
    rest = lines[len(commands):]
    assert lines[:len(commands)] == commands
    assert rest == (
        [f"invlint: t.yaml:{300 + i}:3 error SQS001 x: message {i}" for i in range(10, 14)]
        + ["invlint: bad.yaml:3 error input error: invalid YAML: oops",
           "invlint: t.yaml:210:3 warning SQS004 x: message 10"]
        + [f"invlint: t.yaml:{100 + i}:3 info ASYNC004 x: message {i}" for i in range(9, 12)])

    # at most 10 of each: no summary, nothing left out
    few = Result(errors[:10] + warnings[:10] + infos[:10], [], [], [])
    assert [line.split(" ", 1)[0] for line in render(few, "github").splitlines()] == \
        ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 10


def test_github_escaping() -> None:
    assert github.escape_data("50%\r\nnext: a,b") == "50%25%0D%0Anext: a,b"
    assert github.escape_property("dir,x/a:b%.yaml\n") == "dir%2Cx/a%3Ab%25.yaml%0A"


def test_sarif(result: Result, tmp_path: Path) -> None:
    data = json.loads(render(result, "sarif"))
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert data["version"] == "2.1.0"
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("invlint", __version__)
    assert "informationUri" not in driver  # optional in SARIF 2.1.0; no address is invented
    assert [r["id"] for r in driver["rules"]] == ["SQS001", "SQS004", "ASYNC004"]
    r0 = driver["rules"][0]
    assert r0["name"] == "sqs-queue-without-redrive"
    assert r0["shortDescription"]["text"] == all_rules()["SQS001"].summary
    assert r0["fullDescription"]["text"]
    assert r0["help"]["markdown"] == all_rules()["SQS001"].docs
    assert r0["defaultConfiguration"] == {"level": "error"}
    assert r0["helpUri"].startswith("https://docs.aws.amazon.com/")
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == ["error", "warning", "note"]

    res = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in res] == [
        ("SQS001", 0, "error"), ("SQS004", 1, "warning"), ("ASYNC004", 2, "note")]
    assert res[0]["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "t.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 14}}}]
    assert res[0]["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "t.yaml", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 4, "startColumn": 3}},
        "message": {"text": "ProcessOrders (polls the queue)"}}]
    assert res[0]["partialFingerprints"] == {"invlintFingerprint/v2": fingerprint(result.findings[0])}
    assert res[0]["message"]["text"].startswith("A failing message returns every 30 s")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"] == [{
        "level": "error", "message": {"text": "bad.yaml: invalid YAML: oops"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "bad.yaml", "uriBaseId": "%SRCROOT%"},
                                            "region": {"startLine": 3}}}]}]


def sarif_schema() -> dict[str, object]:
    """The parts of the SARIF 2.1.0 schema this report uses (required properties, types and bounds, closed
    objects where the schema closes them)."""
    text = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
    region = {"type": "object", "required": ["startLine"], "additionalProperties": False, "properties": {
        **{k: {"type": "integer", "minimum": 1} for k in ("startLine", "startColumn", "endLine", "endColumn")},
        "charOffset": {"type": "integer", "minimum": -1}, "charLength": {"type": "integer", "minimum": 0}}}
    artifact_location = {"type": "object", "required": ["uri"], "properties": {"uri": {"type": "string"},
                                                                               "uriBaseId": {"type": "string"}}}
    physical = {"type": "object", "required": ["artifactLocation"], "additionalProperties": False, "properties": {
        "artifactLocation": artifact_location, "region": region}}
    location = {"type": "object", "properties": {"physicalLocation": physical, "message": text,
                                                 "id": {"type": "integer", "minimum": -1}}}
    level = {"enum": ["none", "note", "warning", "error"]}

    def obj(required: list[str], **props: object) -> dict[str, object]:
        return {"type": "object", "required": required, "properties": props}

    def closed(required: list[str], **props: object) -> dict[str, object]:
        return {**obj(required, **props), "additionalProperties": False}

    def array(items: object, least: int = 0) -> dict[str, object]:
        return {"type": "array", "items": items, "minItems": least}

    replacement = closed(["deletedRegion"], deletedRegion=region,
                         insertedContent=closed([], text={"type": "string"}), properties={"type": "object"})
    change = closed(["artifactLocation", "replacements"], artifactLocation=artifact_location,
                    replacements=array(replacement, 1), properties={"type": "object"})
    fix = closed(["artifactChanges"], description=text, artifactChanges=array(change, 1),
                 properties={"type": "object"})
    descriptor = obj(["id"], shortDescription=text, fullDescription=text, help=obj(["text"]),
                     defaultConfiguration=obj([], level=level))
    result_ = obj(["message"], ruleId={"type": "string"}, ruleIndex={"type": "integer", "minimum": -1},
                  level=level, message=text, locations=array(location), relatedLocations=array(location),
                  partialFingerprints={"type": "object", "additionalProperties": {"type": "string"}},
                  fixes=array(fix))
    notification = obj(["message"], message=text, level=level, locations=array(location))
    run = obj(["tool"], tool=obj(["driver"], driver=obj(["name"], rules=array(descriptor))),
              results=array(result_),
              invocations=array(obj(["executionSuccessful"], toolExecutionNotifications=array(notification))))
    return obj(["version", "runs"], version={"const": "2.1.0"}, runs=array(run))


def test_sarif_matches_the_2_1_0_shape(result: Result) -> None:
    import jsonschema

    jsonschema.validate(json.loads(render(result, "sarif")), sarif_schema())


def test_uri_of() -> None:
    assert uri_of("./dir/a b.yaml") == "dir/a%20b.yaml"
    assert uri_of("x/../t.yaml") == "t.yaml"
    assert uri_of("<stdin>") == "%3Cstdin%3E"
    assert uri_of("dir/#1 [a].yaml") == "dir/%231%20%5Ba%5D.yaml"


def test_sarif_uris_and_fingerprints_belong_to_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """URIs are relative to the git work tree from any working directory; an edit that does not fix a finding
    keeps its fingerprint (GitHub keeps the alert and its dismissal)."""
    from click.testing import CliRunner

    from invocation_lint.cli import main

    bad = (Path(__file__).resolve().parent.parent / "fixtures" / "cli" / "sqs001.yaml").read_text()
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "t.yaml").write_text(bad.replace("VisibilityTimeout: 180", "VisibilityTimeout: 60"))

    def sarif(where: Path, path: str) -> tuple[str, list[tuple[str, str, str, str]]]:
        monkeypatch.chdir(where)
        res = CliRunner().invoke(main, ["check", "--select", "SQS001,SQS004", "--format", "sarif", path])
        (run,) = json.loads(res.stdout)["runs"]
        return run["originalUriBaseIds"]["%SRCROOT%"]["uri"], [
            (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
             r["partialFingerprints"]["invlintFingerprint/v2"]) for r in run["results"]]

    root_uri, from_root = sarif(tmp_path, "infra/t.yaml")
    assert root_uri == tmp_path.as_uri() + "/"
    assert [(c, u, b) for c, u, b, _ in from_root] == [("SQS001", "infra/t.yaml", "%SRCROOT%"),
                                                       ("SQS004", "infra/t.yaml", "%SRCROOT%")]
    assert sarif(tmp_path / "infra", "t.yaml") == (root_uri, from_root)
    (tmp_path / "infra" / "t.yaml").write_text("# a comment\n" + bad.replace("VisibilityTimeout: 180",
                                                                             "VisibilityTimeout: 90"))
    assert sarif(tmp_path, "infra") == (root_uri, from_root)


def test_markdown_summary(result: Result) -> None:
    lines = render(result, "markdown").splitlines()
    assert lines == [
        "## invlint",
        "",
        "1 error, 1 warning, 1 info in 2 files (3 checked); 1 input error",
        "",
        "| Rule | Severity | Findings |",
        "|---|---|---:|",
        "| ASYNC004 sns-subscription-without-redrive | info | 1 |",
        "| SQS001 sqs-queue-without-redrive | error | 1 |",
        "| SQS004 visibility-timeout-below-recommended | warning | 1 |",
        "",
        "| Severity | Rule | Where | Resource | Message |",
        "|---|---|---|---|---|",
        "| error | SQS001 | t.yaml:2 | OrdersQueue | A failing message returns every 30 s until it expires after "
        "4 days; nothing keeps it. |",
        "| warning | SQS004 | t.yaml:5 | OrdersQueue | Visibility 60 s < 6 × 30 s. |".replace("<", "\\<"),
        "| info | ASYNC004 | other.yaml:2 | Fn | 100% of 2,3: lost |",
        "",
        "| Input error | Message |",
        "|---|---|",
        "| bad.yaml:3 | invalid YAML: oops |",
    ]


def test_markdown_escapes_what_comes_from_the_input() -> None:
    f = Finding("SQS001", "a | b <img src=x> [link](https://e.x) @team `c`\nnext", Span("x|y.yaml", 1), "Q*1*",
                None, "error", "sqs-queue-without-redrive")
    row = render(Result([f], [], [], []), "markdown").splitlines()[-1]
    assert row == ("| error | SQS001 | x\\|y.yaml:1 | Q\\*1\\* | a \\| b \\<img src=x\\> \\[link\\](https://e.x) "
                   "\\@team \\`c\\`\\\\nnext |")


def test_json_text_is_the_standard_indented_encoding() -> None:
    """The report's encoder writes exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes."""
    from invocation_lint.engine import run
    from invocation_lint.report.json import as_dict, dumps

    data = as_dict(run([str(Path(__file__).parent.parent / "fixtures" / "sqs")]))
    assert data["findings"]
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)
    for value in ({}, [], {"a": []}, [{}], [[[]]], 3, "é", True, None, 1.5, {"a": {"b": [1, False, None, "\u2028\x00\""]}},
                  {1: "non-string key"}, {"f": float("nan")}):
        assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False), value
