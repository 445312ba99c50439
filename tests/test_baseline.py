"""Baselines: record today's findings, report only new ones, survive lines moving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from invocation_lint.baseline import fingerprint, normalise_message
from invocation_lint.cli import main
from invocation_lint.registry import Finding
from invocation_lint.source import Span

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "fixtures" / "cli" / "sqs001.yaml").read_text()
SECOND_QUEUE = """\
  AuditQueue:
    Type: AWS::SQS::Queue
  AuditMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt AuditQueue.Arn
      FunctionName: !Ref ProcessOrders
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "t.yaml").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["check", "--select", "SQS001", *args], catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def found(out: str) -> list[tuple[str, str, int]]:
    return [(f["code"], f["resource"], f["line"]) for f in json.loads(out)["findings"]]


def test_write_then_hide(project: Path) -> None:
    code, out, err = check("--write-baseline", "baseline.json", "t.yaml")
    assert code == 0
    assert err == "invlint: wrote 1 finding to baseline.json\n"
    data = json.loads((project / "baseline.json").read_text())
    assert data["version"] == 2
    assert [(e["code"], e["file"], e["resource"], e["function"], e["setting"]) for e in data["findings"]] == [
        ("SQS001", "t.yaml", "OrdersQueue", "ProcessOrders", "Resources.OrdersQueue")]
    code, out, _ = check("--baseline", "baseline.json", "t.yaml")
    assert code == 0
    assert out == "No problems found in 1 file (1 in baseline)\n"


def test_survives_line_shifts_and_reports_new_findings(project: Path) -> None:
    check("--write-baseline", "baseline.json", "t.yaml")
    shifted = BAD.replace("Resources:\n", "# a comment\n# another\nResources:\n")
    (project / "t.yaml").write_text(shifted + SECOND_QUEUE)
    code, out, _ = check("--format", "json", "--baseline", "baseline.json", "t.yaml")
    assert code == 1
    assert found(out) == [("SQS001", "AuditQueue", 39)]  # OrdersQueue (now line 6) stays hidden
    code, out, _ = check("--format", "json", "t.yaml")
    assert found(out) == [("SQS001", "OrdersQueue", 6), ("SQS001", "AuditQueue", 39)]


def test_baseline_from_config(project: Path) -> None:
    check("--write-baseline", "ci-baseline.json", "t.yaml")
    (project / ".invlint.yaml").write_text("baseline: ci-baseline.json\n")
    (project / "sub").mkdir()
    (project / "sub" / "t.yaml").write_text(BAD)
    code, out, _ = check("--format", "json", "t.yaml", "sub/t.yaml")
    assert code == 1
    assert [(f["file"], f["line"]) for f in json.loads(out)["findings"]] == [("sub/t.yaml", 4)]


def test_counts_copies(project: Path) -> None:
    """The baseline holds one copy of a finding: a second, identical one is still reported."""
    f = Finding("SQS001", "m", Span("t.yaml", 4), "Q", "F", "error", "n")  # same setting path
    g = Finding("SQS001", "other words", Span("t.yaml", 4), "Q", "F", "error", "n")
    assert fingerprint(f) == fingerprint(g)
    from invocation_lint import baseline

    baseline.write("b.json", [f])
    kept, hidden = baseline.apply([f, g], baseline.read("b.json"))
    assert (kept, hidden) == ([g], 1)


def test_bad_baseline_files(project: Path) -> None:
    code, _, err = check("--baseline", "missing.json", "t.yaml")
    assert code == 2
    assert err == "missing.json: baseline file not found\n"
    (project / "b.json").write_text("{not json")
    code, _, err = check("--baseline", "b.json", "t.yaml")
    assert (code, err) == (2, "b.json:1: baseline is not valid JSON\n")
    (project / "b.json").write_text('{"version": 7}')
    code, _, err = check("--baseline", "b.json", "t.yaml")
    assert code == 2
    assert err.startswith("b.json: not an invlint baseline")


def test_fingerprint_ignores_message_and_line_but_not_substance(project: Path) -> None:
    assert normalise_message("see t.yaml:12:3 and line 40,  twice") == "see <loc> and line <n>, twice"
    base = Finding("SQS004", "visibility 60 s < 180 s", Span("./a/t.yaml", 3), "Q", "F", "warning", "n")
    moved = Finding("SQS004", "visibility 60 s < 180 s", Span("a/t.yaml", 30), "Q", "F", "warning", "n")
    reworded = Finding("SQS004", "visibility 90 s < 180 s", Span("a/t.yaml", 3), "Q", "F", "warning", "n")
    other_res = Finding("SQS004", "visibility 60 s < 180 s", Span("a/t.yaml", 3), "Q2", "F", "warning", "n")
    other_rule = Finding("SQS005", "visibility 60 s < 180 s", Span("a/t.yaml", 3), "Q", "F", "warning", "n")
    assert fingerprint(base) == fingerprint(moved) == fingerprint(reworded)
    assert len({fingerprint(base), fingerprint(other_res), fingerprint(other_rule)}) == 3


def test_setting_path_keeps_two_findings_on_one_resource_apart(project: Path) -> None:
    from invocation_lint.identity import setting_path
    from invocation_lint.suppress import SourceLines

    (project / "s.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n"
        "        A:\n          Type: SQS\n          Properties:\n            BatchSize: 100\n"
        "        B:\n          Type: SQS\n          Properties:\n            - x\n            BatchSize: 20\n")
    (project / "s.json").write_text('{\n  "Resources": {\n    "Q": {\n      "Properties": {\n'
                                      '        "VisibilityTimeout": 60\n      }\n    }\n  }\n}\n')
    src = SourceLines()
    assert setting_path("s.yaml", 9, src) == "Resources.Fn.Properties.Events.A.Properties.BatchSize"
    assert setting_path("s.yaml", 14, src) == "Resources.Fn.Properties.Events.B.Properties.BatchSize"
    assert setting_path("s.yaml", 3, src) == "Resources.Fn.Type"
    assert setting_path("s.json", 5, src) == "Resources.Q.Properties.VisibilityTimeout"
    assert setting_path("src/app.py", 5, src) == ""  # handler code: the function identifies the finding


def test_editing_a_value_that_does_not_fix_keeps_everything_baselined(project: Path) -> None:
    (project / "t.yaml").write_text(BAD.replace("VisibilityTimeout: 180", "VisibilityTimeout: 60"))
    res = CliRunner().invoke(main, ["check", "--select", "SQS001,SQS004", "--write-baseline", "b.json", "t.yaml"])
    assert res.exit_code == 0 and res.stderr == "invlint: wrote 2 findings to b.json\n"
    (project / "t.yaml").write_text("# moved\n" + BAD.replace("VisibilityTimeout: 180", "VisibilityTimeout: 90"))
    res = CliRunner().invoke(main, ["check", "--select", "SQS001,SQS004", "--format", "json", "t.yaml"])
    assert sorted(found(res.stdout)) == [("SQS001", "OrdersQueue", 5), ("SQS004", "OrdersQueue", 8)]
    res = CliRunner().invoke(main, ["check", "--select", "SQS001,SQS004", "--baseline", "b.json", "t.yaml"])
    assert (res.exit_code, res.stdout, res.stderr) == (0, "No problems found in 1 file (2 in baseline)\n", "")


def test_baseline_from_the_root_works_in_a_subdirectory_and_back(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "infra").mkdir()
    (project / "infra" / "t.yaml").write_text(BAD)
    code, _, _ = check("--write-baseline", "root-baseline.json", "infra/t.yaml")
    data = json.loads((project / "root-baseline.json").read_text())
    assert [e["file"] for e in data["findings"]] == ["infra/t.yaml"]
    monkeypatch.chdir(project / "infra")
    code, out, err = check("--baseline", "../root-baseline.json", "t.yaml")
    assert (code, out, err) == (0, "No problems found in 1 file (1 in baseline)\n", "")
    code, _, _ = check("--write-baseline", "sub-baseline.json", ".")
    assert json.loads((project / "infra" / "sub-baseline.json").read_text()) == data
    monkeypatch.chdir(project)
    code, out, err = check("--baseline", "infra/sub-baseline.json", "infra")
    assert (code, out, err) == (0, "No problems found in 1 file (1 in baseline)\n", "")


def test_config_baseline_is_relative_to_the_config_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "ci").mkdir()
    (project / "infra").mkdir()
    (project / "infra" / "t.yaml").write_text(BAD)
    check("--write-baseline", "ci/b.json", "infra/t.yaml")
    (project / "pyproject.toml").write_text("[tool.invlint]\nbaseline = 'ci/b.json'\n")
    monkeypatch.chdir(project / "infra")
    code, out, err = check("t.yaml")
    assert (code, out, err) == (0, "No problems found in 1 file (1 in baseline)\n", "")


def test_an_entry_that_matches_nothing_is_a_warning(project: Path) -> None:
    check("--write-baseline", "b.json", "t.yaml")
    (project / "other.yaml").write_text(BAD)
    fixed = BAD.replace("      VisibilityTimeout: 180\n", "      VisibilityTimeout: 180\n      RedrivePolicy:\n"
                        "        deadLetterTargetArn: arn:aws:sqs:eu-west-1:123456789012:dlq\n"
                        "        maxReceiveCount: 5\n")
    (project / "t.yaml").write_text(fixed)
    code, out, err = check("--baseline", "b.json", "t.yaml")
    assert (code, out) == (0, "No problems found in 1 file.\n")
    assert err == ("b.json: warning: baseline entry SQS001 OrdersQueue in t.yaml at Resources.OrdersQueue matches "
                   "no finding (fixed? --write-baseline rewrites the baseline)\n")
    (project / "t.yaml").write_text(BAD)
    code, out, err = check("--baseline", "b.json", "other.yaml")  # the entry's file was not checked: no warning
    assert (code, err) == (1, "")


def test_version_1_baselines_still_match(project: Path) -> None:
    (project / "b.json").write_text(json.dumps({"version": 1, "findings": [{
        "fingerprint": "0" * 32, "code": "SQS001", "file": "t.yaml", "resource": "OrdersQueue",
        "function": "ProcessOrders", "message": "anything"}]}))
    code, out, err = check("--baseline", "b.json", "t.yaml")
    assert (code, out, err) == (0, "No problems found in 1 file (1 in baseline)\n", "")


def test_a_users_round_trip_on_the_example(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user adopts invlint: a baseline written at the repository root, then an edit that fixes nothing
    (VisibilityTimeout 60 → 90 rewords SQS004), then a run from the subdirectory: every finding stays baselined."""
    import shutil

    shutil.copytree(ROOT / "fixtures" / "example", project / "infra")
    res = CliRunner().invoke(main, ["check", "--write-baseline", "invlint-baseline.json", "infra"])
    assert res.stderr == "invlint: wrote 6 findings to invlint-baseline.json\n"
    template = project / "infra" / "template.yaml"
    template.write_text(template.read_text().replace("VisibilityTimeout: 60", "VisibilityTimeout: 90"))
    monkeypatch.chdir(project / "infra")
    res = CliRunner().invoke(main, ["check", "--format", "json", "."])
    assert "1 min 30 s" in next(f["message"] for f in json.loads(res.stdout)["findings"] if f["code"] == "SQS004")
    res = CliRunner().invoke(main, ["check", "--baseline", "../invlint-baseline.json", "."])
    assert (res.exit_code, res.stdout, res.stderr) == (0, "No problems found in 1 file (6 in baseline)\n", "")


def test_setting_paths_follow_indentation_past_comments_blank_lines_and_list_items() -> None:
    from invocation_lint.identity import setting_path
    from invocation_lint.suppress import SourceLines

    text = (
        "Resources:\n"                      # 1
        "  Fn:\n"                           # 2
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"                 # 4
        "  # a comment less indented than what follows\n"
        "\n"
        "      Events:\n"                   # 7
        "        - Name: first\n"           # 8
        "          BatchSize: 10\n"         # 9
        "    # the next key belongs to Properties again\n"
        "      Timeout: 30\n"               # 11
        "  Queue:\n"                        # 12
        "    Properties: {VisibilityTimeout: 5}\n"
    )
    sources = SourceLines()
    sources.register("t.yaml", text)
    paths = {n: setting_path("t.yaml", n, sources) for n in (1, 2, 4, 7, 8, 9, 11, 12, 13)}
    assert paths == {
        1: "Resources", 2: "Resources.Fn", 4: "Resources.Fn.Properties", 7: "Resources.Fn.Properties.Events",
        8: "Resources.Fn.Properties.Events.Name", 9: "Resources.Fn.Properties.Events.BatchSize",
        11: "Resources.Fn.Properties.Timeout", 12: "Resources.Queue", 13: "Resources.Queue.Properties"}
    assert setting_path("t.yaml", 6, sources) == ""  # a blank line
    assert setting_path("t.yaml", 99, sources) == ""
