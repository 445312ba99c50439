"""The command line: arguments, exit codes, error lines, rule listing and docs, start-up imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from invocation_lint import __version__, registry
from invocation_lint.cli import main
from invocation_lint.registry import rule

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "fixtures" / "cli"
BAD = str(CLI / "sqs001.yaml")
CLEAN = str(CLI / "clean.yaml")


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        res = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def boom_rule() -> Iterator[None]:
    """A rule that crashes on every model: the run must go on and report an internal error."""
    registry.all_rules()

    @rule("LOOP999", "test-rule-that-crashes", "warning", "raises on purpose")
    def check(model, ctx):  # type: ignore[no-untyped-def]
        raise ValueError("boom\nsecond line")

    yield
    registry._RULES.pop("LOOP999", None)


def test_no_path_is_a_usage_error() -> None:
    code, out, err = invoke("check")
    assert code == 2
    assert "Missing argument 'PATH...'" in err


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out == f"invlint {__version__}\n"


def test_findings_exit_1_and_clean_exit_0() -> None:
    code, out, err = invoke("check", "--select", "SQS001", "--format", "json", BAD)
    assert code == 1
    data = json.loads(out)
    assert [(f["code"], f["resource"], f["line"]) for f in data["findings"]] == [("SQS001", "OrdersQueue", 4)]
    assert err == ""
    code, out, err = invoke("check", CLEAN)
    assert (code, err) == (0, "")
    assert out == "No problems found in 1 file.\n"


def test_fail_on_threshold() -> None:
    # SQS001 is an error: fails at every threshold unless downgraded by config (see test_config)
    assert invoke("check", "--select", "SQS001", "--fail-on", "error", BAD)[0] == 1
    # ASYNC004 (info) alone: fails only with --fail-on info
    sam = str(CLI / "three_modes.yaml")
    assert invoke("check", "--select", "ASYNC004", sam)[0] == 0
    assert invoke("check", "--select", "ASYNC004", "--fail-on", "info", sam)[0] == 1


def test_input_errors_win_and_other_files_are_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources:\n  A: [1, 2\n")
    code, out, err = invoke("check", "--select", "SQS001", BAD, str(broken), str(tmp_path / "missing.yaml"))
    assert code == 2
    assert out.startswith(f"{BAD}:4:3 error SQS001 sqs-queue-without-redrive: ")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0] == f"{broken}:3: invalid YAML: did not find expected ',' or ']'"  # sorted by file
    assert lines[1] == f"{tmp_path / 'missing.yaml'}: no such file or directory"
    assert "Traceback" not in err


def test_select_and_ignore_by_code_name_and_family() -> None:
    def codes(*args: str) -> list[str]:
        code, out, _ = invoke("check", "--format", "json", *args, BAD)
        return sorted({f["code"] for f in json.loads(out)["findings"]})

    assert codes("--select", "SQS001") == ["SQS001"]
    assert codes("--select", "sqs-queue-without-redrive") == ["SQS001"]
    assert "SQS001" in codes("--select", "SQS")
    assert codes("--select", "SQS", "--ignore", "SQS001") == [c for c in codes("--select", "SQS") if c != "SQS001"]
    assert codes("--select", "SQS001,SQS003", "--ignore", "sqs-queue-without-redrive") == []


def test_unknown_selector_is_a_usage_error_with_suggestion() -> None:
    code, out, err = invoke("check", "--select", "SQS0011", BAD)
    assert code == 2
    assert out == ""
    assert err == "invlint: --select: 'SQS0011' names no rule; did you mean SQS001?\n"
    code, _, err = invoke("check", "--ignore", "sqs-queue-without-redrivee", BAD)
    assert code == 2
    assert err == "invlint: --ignore: 'sqs-queue-without-redrivee' names no rule; did you mean sqs-queue-without-redrive?\n"


def test_internal_error_in_a_rule_does_not_stop_the_run(boom_rule: None) -> None:
    code, out, err = invoke("check", "--select", "SQS001,LOOP999", BAD)
    assert code == 2
    assert f"{BAD}:4:3 error SQS001" in out
    assert err == f"{BAD}: internal error in rule LOOP999: ValueError: boom\n"


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = invoke("check", "--select", "SQS001", "--format", "json", "--output", str(target), BAD)
    assert code == 1
    assert out == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 1


def test_skip_non_templates(tmp_path: Path) -> None:
    other = tmp_path / "config.yaml"
    other.write_text("name: not a template\nitems: [1, 2]\n")
    code, _, err = invoke("check", str(other), CLEAN)
    assert code == 2
    assert err.startswith(f"{other}:1: not a CloudFormation template")
    code, out, err = invoke("check", "--skip-non-templates", str(other), CLEAN)
    assert (code, err) == (0, "")
    assert out == "No problems found in 1 file.\n"


def test_rules_table_and_markdown() -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"]
    row = next(line for line in lines if line.startswith("SQS003 "))
    assert row.split()[:4] == ["SQS003", "visibility-timeout-below-function-timeout", "error", "safe"]
    assert len(lines) == 1 + len(registry.all_rules())
    code, out, _ = invoke("rules", "--format", "markdown")
    md = out.splitlines()
    assert md[:2] == ["| Code | Name | Severity | Fix | Summary |", "|---|---|---|---|---|"]
    assert any(line.startswith("| SQS003 | `visibility-timeout-below-function-timeout` | error | safe | ")
               for line in md)


def test_rule_docs_by_code_and_name() -> None:
    code, out, _ = invoke("rule", "SQS001")
    assert code == 0
    assert out.startswith("SQS001 sqs-queue-without-redrive (error)\n")
    assert "## What it does" in out and "## References" in out
    assert invoke("rule", "sqs-queue-without-redrive")[1] == out
    assert invoke("rule", "sqs001")[1] == out


def test_rule_with_a_family_lists_its_rules() -> None:
    from invocation_lint.registry import all_rules

    code, out, _ = invoke("rule", "stream")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"]
    assert [line.split()[0] for line in lines[1:]] == [c for c in all_rules() if c.startswith("STREAM")]
    assert invoke("rule", "ALL")[1] == invoke("rules")[1]


def test_unknown_rule_exits_2_with_suggestion() -> None:
    code, out, err = invoke("rule", "SQS0001")
    assert code == 2
    assert out == ""
    assert err == "invlint: no rule 'SQS0001'; did you mean SQS001? (invlint rules lists them)\n"


def test_graph_mermaid() -> None:
    code, out, err = invoke("graph", BAD)
    assert code == 0, err
    assert "OrdersQueue" in out and "ProcessOrders" in out


def test_real_process_end_to_end(tmp_path: Path) -> None:
    """The installed entry point, as a subprocess: report on stdout, one error line on stderr, no traceback."""
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("Resources: {A: 1\n")
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "invocation_lint.cli", "check", "--select", "SQS001", BAD, str(bad_yaml)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout.startswith(f"{BAD}:4:3 error SQS001 sqs-queue-without-redrive: ")
    assert proc.stdout.endswith("1 error in 1 file (1 checked); 1 input error\n")
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"{bad_yaml}:")
    assert "Traceback" not in proc.stderr


HEAVY = ("rich", "jsonschema", "tree_sitter", "tree_sitter_hcl", "cfnlint", "samtranslator", "importlib.metadata",
         "pkg_resources")


def test_check_path_imports_nothing_heavy() -> None:
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "invocation_lint.cli", "check", CLEAN],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "invocation_lint.engine" in imported
    assert sorted(m for m in imported if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_stdin() -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["check", "--select", "SQS001", "--format", "json", "-"],
                        input=Path(BAD).read_text(), catch_exceptions=False)
    assert res.exit_code == 1
    assert [(f["file"], f["code"], f["line"]) for f in json.loads(res.stdout)["findings"]] == [
        ("<stdin>", "SQS001", 4)]



def test_stdin_honours_its_suppression_comments() -> None:
    """An ``invlint: ignore`` comment in a template read from standard input hides its finding, as in a file."""
    lines = Path(BAD).read_text().splitlines()
    lines[3] += "  # invlint: ignore SQS001"
    runner = CliRunner()
    res = runner.invoke(main, ["check", "--select", "SQS001", "--format", "json", "-"],
                        input="\n".join(lines) + "\n", catch_exceptions=False)
    assert res.exit_code == 0, res.stdout
    assert json.loads(res.stdout)["findings"] == []

def test_graph_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "invocation_lint.graph", None)  # import fails as if absent
    code, out, err = invoke("graph", BAD)
    assert (code, out) == (2, "")
    assert err == "invlint: graph rendering is not available in this version\n"


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from invocation_lint.command import _use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", Tty())
    assert _use_color(False, None, "text") is True
    assert _use_color(True, None, "text") is False  # --no-color
    assert _use_color(False, "out.txt", "text") is False  # --output
    assert _use_color(False, None, "json") is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert _use_color(False, None, "text") is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "stdout", object())  # not a terminal (no isatty)
    assert _use_color(False, None, "text") is False


def test_sarif_and_github_from_the_command_line() -> None:
    code, out, _ = invoke("check", "--select", "SQS001", "--format", "sarif", BAD)
    assert code == 1
    (run,) = json.loads(out)["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SQS001"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] \
        == [("SQS001", 4)]
    code, out, _ = invoke("check", "--select", "SQS001", "--format", "github", BAD)
    assert code == 1
    assert out.startswith(f"::error file={BAD},line=4,col=3,endLine=4,")
    assert out.count("\n") == 1


def test_rule_docs_list_options() -> None:
    code, out, _ = invoke("rule", "SQS004")
    assert code == 0
    assert out.endswith("\n## Options\nSet in the configuration under `options.SQS004`:\n"
                        "- `visibility-factor`: 6 (default)\n")
    assert "## Options" not in invoke("rule", "SQS001")[1]


def test_ascii_console_gets_replacement_characters() -> None:
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="ascii")
    proc = subprocess.run([sys.executable, "-m", "invocation_lint.cli", "check", "--select", "SQS001", BAD],
                          capture_output=True, cwd=ROOT, env=env, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == b""
    assert b"  path: OrdersQueue (SQS) ? ProcessOrders [poll, batch 10] ? " in proc.stdout


def test_debug_shows_the_traceback(boom_rule: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVLINT_DEBUG", "1")
    code, _, err = invoke("check", "--select", "LOOP999", BAD)
    assert code == 2
    assert err.startswith("Traceback (most recent call last):\n")
    assert 'raise ValueError("boom\\nsecond line")' in err
    assert err.endswith(f"{BAD}: internal error in rule LOOP999: ValueError: boom\n")


def test_internal_errors_while_loading_and_analysing(monkeypatch: pytest.MonkeyPatch) -> None:
    import invocation_lint.handlers as handlers
    import invocation_lint.load as load

    real = load.load_input

    def flaky(inp, read=None):  # type: ignore[no-untyped-def]
        if inp.path.endswith("clean.yaml"):
            raise KeyError("Properties")
        return real(inp, read)

    monkeypatch.setattr(load, "load_input", flaky)
    code, out, err = invoke("check", "--select", "SQS001", BAD, CLEAN)
    assert code == 2
    assert f"{BAD}:4:3 error SQS001" in out
    assert err == f"{CLEAN}: internal error in loading: KeyError: 'Properties'\n"

    def broken(model):  # type: ignore[no-untyped-def]
        raise RuntimeError("no parser")

    monkeypatch.setattr(handlers, "analyse_model", broken)
    code, out, err = invoke("check", "--select", "SQS001,HANDLER", BAD)
    assert code == 2
    assert f"{BAD}:4:3 error SQS001" in out  # template rules still ran; handler rules skipped
    assert err == f"{BAD}: internal error in handler analysis: RuntimeError: no parser\n"


def test_verbose_says_what_was_not_checked(tmp_path: Path) -> None:
    from invocation_lint.cli import main

    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: java21, Handler: a.B::handle, CodeUri: app/}\n"
        "  Gone:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: missing/}\n"
    )
    (tmp_path / "app").mkdir()
    runner = CliRunner()
    quiet = runner.invoke(main, ["check", str(tmp_path / "template.yaml")])
    loud = runner.invoke(main, ["check", "-v", str(tmp_path / "template.yaml")])
    assert quiet.exit_code == loud.exit_code == 0
    assert "note:" not in quiet.stderr
    notes = [line for line in loud.stderr.splitlines() if "note:" in line]
    assert len(notes) == 2
    assert any("Fn: runtime java21" in n for n in notes)
    assert any("Gone: code directory" in n and "does not exist" in n for n in notes)
