"""invlint inside cfn-lint: the installed ``cfn-lint`` with ``-a invocation_lint.cfnlint`` reports what
``invlint check`` reports, at the same lines, under stable ids; cfn-lint's own ways to hide a rule apply.

The table in docs/cfn-lint.md is ``CFN_LINT_IDS``: refresh it with ``python tests/test_cfnlint.py --update``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from invocation_lint.cfnlint import CFN_LINT_IDS, INPUT_ERROR_ID, WARNING_ID, scheme_id
from invocation_lint.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DOC = ROOT / "docs" / "cfn-lint.md"
TABLE = re.compile(r"<!-- ids:start -->\n(.*?)<!-- ids:end -->", re.DOTALL)
CFN_LINT = shutil.which("cfn-lint", path=os.path.dirname(sys.executable)) or shutil.which("cfn-lint")
BY_ID = {v: k for k, v in CFN_LINT_IDS.items()}
AT = re.compile(r" \(at (?P<file>.+):(?P<line>\d+)\)$")

#: templates with findings of every kind: template settings, Python and JavaScript/TypeScript handler code
#: (findings in the code files), SAM and plain CloudFormation, YAML and JSON
SOME = [
    "example/template.yaml",
    "handlers/python/template.yaml",
    "handlers/node/template.yaml",
    "sqs/cfn/sqs001_fire.json",
    "sqs/sam/sqs005_fire.yaml",
    "loop/sam",
    "sqs/cfn/sqs001_clean.yaml",
]


def generated_table() -> str:
    rules = all_rules()
    lines = ["| invlint | cfn-lint | Name |", "|---|---|---|"]
    lines += [f"| {code} | {cid} | `{rules[code].name}` |" for code, cid in CFN_LINT_IDS.items()]
    lines.append(f"| (cannot read) | {INPUT_ERROR_ID} | a template, handler file or configuration invlint cannot read |")
    lines.append(f"| (warning) | {WARNING_ID} | a suppression or Metadata key that does nothing |")
    return "\n".join(lines) + "\n"


def cfn_lint(paths: list[str], cwd: Path = ROOT, *extra: str) -> tuple[list[dict[str, Any]], str]:
    assert CFN_LINT is not None, "cfn-lint is a test dependency (pip install -e '.[test]')"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run([CFN_LINT, "--format", "json", *extra, "--", *paths], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout), proc.stderr


def invlint_json(paths: list[str], cwd: Path = ROOT) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "invocation_lint.cli", "check", "--format", "json", *paths],
                          cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _rel(path: str, cwd: Path) -> str:
    return os.path.relpath(os.path.join(cwd, path), ROOT)


def invlint_ids(matches: list[dict[str, Any]], cwd: Path = ROOT) -> set[tuple[str, str, int]]:
    """(invlint code, file, line) of cfn-lint's matches of invlint rules: a finding in a handler file is
    reported at the template, the file and line it belongs to said at the end of its message."""
    out = set()
    for m in matches:
        code = BY_ID.get(m["Rule"]["Id"])
        if code is None:
            continue
        assert m["Message"].startswith(f"{code} "), m["Message"]
        at = AT.search(m["Message"])
        if at:
            out.add((code, _rel(at["file"], cwd), int(at["line"])))
        else:
            out.add((code, _rel(m["Filename"], cwd), m["Location"]["Start"]["LineNumber"]))
    return out


def finding_ids(report: dict[str, Any], cwd: Path = ROOT) -> set[tuple[str, str, int]]:
    return {(f["code"], _rel(f["file"], cwd), f["line"]) for f in report["findings"]}


def templates(paths: list[str]) -> list[str]:
    """cfn-lint takes files: a fixture directory becomes its templates."""
    from invocation_lint.discover import discover

    inputs, errors = discover([str(FIXTURES / p) for p in paths])
    assert not errors
    return [os.path.relpath(i.path, ROOT) for i in inputs if i.kind == "template"]


# ------------------------------------------------------------------------------------------------------- ids


def test_every_rule_has_one_stable_id_in_the_custom_range() -> None:
    assert set(CFN_LINT_IDS) == set(all_rules()), "a new rule needs its entry in CFN_LINT_IDS (scheme_id)"
    assert len(set(CFN_LINT_IDS.values())) == len(CFN_LINT_IDS)
    for code, cid in CFN_LINT_IDS.items():
        assert re.fullmatch(r"[EWI]9[1-9]\d\d", cid), cid
        assert cid[1:] == scheme_id(all_rules()[code])[1:], code  # family digit and number


def test_the_docs_table_is_the_mapping() -> None:
    m = TABLE.search(DOC.read_text(encoding="utf-8"))
    assert m is not None, "docs/cfn-lint.md lost its <!-- ids:start --> / <!-- ids:end --> markers"
    assert m.group(1) == generated_table(), "docs/cfn-lint.md is stale: python tests/test_cfnlint.py --update"


def test_the_module_defines_one_cfn_lint_rule_per_invlint_rule() -> None:
    import cfnlint.helpers

    import invocation_lint.cfnlint as plugin

    ids = sorted(r.id for r in cfnlint.helpers.create_rules(plugin))
    assert ids == sorted([*CFN_LINT_IDS.values(), INPUT_ERROR_ID, WARNING_ID])


# ------------------------------------------------------------------------------------- the real cfn-lint


def test_cfn_lint_reports_what_invlint_check_reports() -> None:
    files = templates(SOME)
    matches, _ = cfn_lint(files, ROOT, "-a", "invocation_lint.cfnlint", "--include-checks", "I")
    expected = finding_ids(invlint_json(files))
    assert any(f.endswith(".py") for _, f, _ in expected) and any(f.endswith((".js", ".ts")) for _, f, _ in expected)
    assert invlint_ids(matches) == expected
    assert not [m for m in matches if m["Rule"]["Id"] in (INPUT_ERROR_ID, WARNING_ID)]
    example = {(m["Rule"]["Id"], m["Level"], m["Location"]["Start"]["LineNumber"],
                m["Location"]["Start"]["ColumnNumber"]) for m in matches
               if m["Rule"]["Id"] in BY_ID and m["Filename"] == "fixtures/example/template.yaml"}
    assert example == {("E9101", "Error", 30, 3), ("W9104", "Warning", 33, 26), ("W9107", "Warning", 40, 3),
                       ("W9105", "Warning", 49, 26), ("W9102", "Warning", 75, 20), ("W9109", "Warning", 92, 37)}


@pytest.mark.slow
def test_cfn_lint_reports_what_invlint_check_reports_on_every_fixture() -> None:
    files = [f for f in templates(["."]) if not f.startswith(("fixtures/cdk/", "fixtures/terraform/"))]
    assert len(files) > 50
    matches, _ = cfn_lint(files, ROOT, "-a", "invocation_lint.cfnlint", "--include-checks", "I")
    assert invlint_ids(matches) == finding_ids(invlint_json(files))


def test_a_cdk_stack_with_a_nested_stack() -> None:
    """A finding in a nested stack's template or code, checked with its parent, is reported at the parent's
    stack resource (the place it has in the file cfn-lint lints), its own file and line in the message."""
    parent = "fixtures/cdk/orders-app/cdk.out/OrdersStack.template.json"
    matches, _ = cfn_lint([parent], ROOT, "-a", "invocation_lint.cfnlint", "--include-checks", "I")
    assert invlint_ids(matches) == finding_ids(invlint_json([parent]))
    (swallowed,) = [m for m in matches if m["Rule"]["Id"] == CFN_LINT_IDS["HANDLER002"]]
    stack_line = next(i for i, line in enumerate((ROOT / parent).read_text().splitlines(), 1)
                      if '"ReportsNestedStackReportsNestedStackResource6385503C": {' in line)
    assert (swallowed["Filename"], swallowed["Location"]["Start"]["LineNumber"]) == (parent, stack_line)
    assert swallowed["Message"].endswith(" (at fixtures/cdk/orders-app/lambda/reports/index.js:7)")
    assert ("SQS001", parent, 347) in invlint_ids(matches)


QUEUE_AND_WORKER = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Metadata:{queue_meta}
  Worker:
    Type: AWS::Serverless::Function
    Metadata:{worker_meta}
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context):\\n    return None\\n"
      Timeout: 10
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt Jobs.Arn
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def _ignore(*ids: str) -> str:
    return "\n      cfn-lint:\n        config:\n          ignore_checks: [" + ", ".join(ids) + "]"


def test_cfn_lint_metadata_ignore_checks_and_cfnlintrc(tmp_path: Path) -> None:
    """``append_rules`` in ``.cfnlintrc`` loads the rules; a resource's ``ignore_checks`` hides that rule on
    that resource only, SAM resources included (cfn-lint checks the transformed template)."""
    (tmp_path / ".cfnlintrc").write_text("append_rules:\n  - invocation_lint.cfnlint\n", encoding="utf-8")
    (tmp_path / "t.yaml").write_text(QUEUE_AND_WORKER.format(queue_meta=" {}", worker_meta=" {}"), encoding="utf-8")
    matches, _ = cfn_lint(["t.yaml"], tmp_path)
    assert {(BY_ID[m["Rule"]["Id"]], m["Location"]["Start"]["LineNumber"]) for m in matches
            if m["Rule"]["Id"] in BY_ID} == {("SQS001", 4), ("SQS004", 4), ("SQS002", 17)}

    (tmp_path / "t.yaml").write_text(
        QUEUE_AND_WORKER.format(queue_meta=_ignore("E9101"), worker_meta=_ignore("W9102")), encoding="utf-8")
    matches, _ = cfn_lint(["t.yaml"], tmp_path)
    assert {(BY_ID[m["Rule"]["Id"]], m["Location"]["Start"]["LineNumber"]) for m in matches
            if m["Rule"]["Id"] in BY_ID} == {("SQS004", 4)}


def test_invlint_problems_are_cfn_lint_matches_not_tracebacks(tmp_path: Path) -> None:
    (tmp_path / ".invlint.yaml").write_text("options:\n  SQS004:\n    visibility-factor: six\n", encoding="utf-8")
    text = QUEUE_AND_WORKER.format(queue_meta=" {}", worker_meta=" {}")
    text = text.replace("    Type: AWS::SQS::Queue\n", "    Type: AWS::SQS::Queue  # invlint: ignore[SQS0001]\n")
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    matches, _ = cfn_lint(["t.yaml"], tmp_path, "-a", "invocation_lint.cfnlint")
    errors = [m for m in matches if m["Rule"]["Id"] == INPUT_ERROR_ID]
    assert len(errors) == 1 and "options.SQS004.visibility-factor" in errors[0]["Message"]
    warnings = [m for m in matches if m["Rule"]["Id"] == WARNING_ID]
    assert len(warnings) == 1 and "SQS0001" in warnings[0]["Message"]
    assert warnings[0]["Location"]["Start"]["LineNumber"] == 5
    # the findings are still reported, with the default options
    assert {BY_ID[m["Rule"]["Id"]] for m in matches if m["Rule"]["Id"] in BY_ID} == {"SQS001", "SQS004", "SQS002"}
    matches, _ = cfn_lint(["t.yaml"], tmp_path, "-a", "invocation_lint.cfnlint", "--ignore-checks", "W91", "W9000")
    assert {m["Rule"]["Id"] for m in matches if m["Rule"]["Id"].startswith(("E9", "W9"))} == {"E9101", "E9000"}


# ------------------------------------------------------------------------------------------------ in-process


def test_one_invlint_run_per_template_and_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from cfnlint.api import ManualArgs, lint_file

    import invocation_lint.cfnlint as plugin
    from invocation_lint import engine

    calls: list[list[str]] = []
    real = engine.run

    def counting(paths: list[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(list(paths))
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(engine, "run", counting)
    plugin._LAST.clear()
    config = ManualArgs(append_rules=["invocation_lint.cfnlint"], include_checks=["I"])
    matches = lint_file(FIXTURES / "handlers" / "python" / "template.yaml", config=config)
    assert len(calls) == 1  # 32 rules, one run
    assert len([m for m in matches if m.rule.id in BY_ID]) == len(invlint_json(["fixtures/handlers/python"])["findings"])

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "run", broken)
    plugin._LAST.clear()
    matches = lint_file(FIXTURES / "example" / "template.yaml", config=config)
    ours = [m for m in matches if m.rule.id.startswith(("E9", "W9", "I9"))]
    assert [(m.rule.id, m.message) for m in ours] == [(INPUT_ERROR_ID, "invlint: internal error: RuntimeError: boom")]


def _update() -> None:
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(TABLE.sub(lambda _: f"<!-- ids:start -->\n{generated_table()}<!-- ids:end -->", text),
                   encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        _update()
    else:
        print(__doc__)
