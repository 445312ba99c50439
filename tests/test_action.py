"""The GitHub Action (action.yml): its shell steps, run as the runner runs them, on a fixture.

The runner gives a composite step its ``env`` with each ``${{ ... }}`` expression evaluated, and files for
``$GITHUB_OUTPUT``; here the expressions are the inputs given to the test, and ``steps.install.outputs.invlint``
is the ``invlint`` of this environment (the install step itself, which pip-installs the action's checkout, is
run in the slow test).
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
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]
EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
INVLINT = shutil.which("invlint", path=os.path.dirname(sys.executable))


def _step(step_id: str | None) -> dict[str, Any]:
    if step_id is None:
        return STEPS[-1]
    return next(s for s in STEPS if s.get("id") == step_id)


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def run_step(step: dict[str, Any], context: dict[str, str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    assert step["shell"] == "bash"
    out = tmp / f"output-{step.get('id', 'last')}"
    out.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env.update(GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(tmp / "summary.md"), RUNNER_TEMP=str(tmp),
               NO_COLOR="1")
    for key, value in (step.get("env") or {}).items():
        env[key] = EXPR.sub(lambda m: context[m.group(1)], str(value))
    assert "${{" not in step["run"], "expressions go through env, never into the script"
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    for k, v in _outputs(out).items():
        context[f"steps.{step.get('id')}.outputs.{k}"] = v
    return proc


def inputs(**given: str) -> dict[str, str]:
    ctx = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    ctx.update({f"inputs.{k.replace('_', '-')}": v for k, v in given.items()})
    ctx["github.action_path"] = str(ROOT)
    return ctx


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "project"
    shutil.copytree(ROOT / "fixtures" / "example", proj)
    return proj


def test_check_step_annotates_writes_sarif_and_the_last_step_fails(project: Path, tmp_path: Path) -> None:
    assert INVLINT is not None
    ctx = inputs(sarif="out/invlint.sarif", paths="template.yaml")
    ctx["steps.install.outputs.invlint"] = INVLINT
    (project / "out").mkdir()
    proc = run_step(_step("check"), ctx, project, tmp_path)
    assert proc.returncode == 0, proc.stderr  # the check step records the exit code, it does not fail
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("::error file=template.yaml,line=30,col=3,")
    assert sum(1 for line in lines if line.startswith("::warning ")) == 5
    assert ctx["steps.check.outputs.exit-code"] == "1"
    assert ctx["steps.check.outputs.sarif-file"] == "out/invlint.sarif"
    sarif = json.loads((project / "out" / "invlint.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 6
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8").splitlines()
    assert summary[:3] == ["## invlint", "", "1 error, 5 warnings in 1 file (1 checked)"]
    assert "| SQS001 sqs-queue-without-redrive | error | 1 |" in summary
    assert sum(1 for line in summary if line.startswith(("| error | ", "| warning | "))) == 6

    last = run_step(_step(None), ctx, project, tmp_path)
    assert last.returncode == 1


def test_inputs_fail_on_config_and_several_paths(project: Path, tmp_path: Path) -> None:
    assert INVLINT is not None
    (project / "ci.yaml").write_text("select: [SQS001]\n", encoding="utf-8")
    (project / "clean").mkdir()
    shutil.copy(ROOT / "fixtures" / "cli" / "clean.yaml", project / "clean" / "template.yaml")
    ctx = inputs(paths="clean  template.yaml", config="ci.yaml", fail_on="error", upload_sarif="true")
    ctx["steps.install.outputs.invlint"] = INVLINT
    proc = run_step(_step("check"), ctx, project, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [line.split(",", 1)[0] for line in proc.stdout.splitlines()] == ["::error file=template.yaml"]
    assert ctx["steps.check.outputs.exit-code"] == "1"
    # upload-sarif without a file name writes invlint.sarif for the upload step
    assert ctx["steps.check.outputs.sarif-file"] == "invlint.sarif" and (project / "invlint.sarif").is_file()
    upload = next(s for s in STEPS if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"

    ctx = inputs(paths="clean", summary="false")
    ctx["steps.install.outputs.invlint"] = INVLINT
    (tmp_path / "summary.md").unlink()
    run_step(_step("check"), ctx, project, tmp_path)
    assert ctx["steps.check.outputs.exit-code"] == "0"
    assert not (tmp_path / "summary.md").exists()
    assert run_step(_step(None), ctx, project, tmp_path).returncode == 0


def test_format_input_chooses_the_report_in_the_log(project: Path, tmp_path: Path) -> None:
    assert INVLINT is not None
    ctx = inputs(paths="template.yaml", format="text", summary="false")
    ctx["steps.install.outputs.invlint"] = INVLINT
    proc = run_step(_step("check"), ctx, project, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("template.yaml:30:3 error SQS001 sqs-queue-without-redrive: ")
    assert not any(line.startswith("::") for line in lines)
    assert lines[-1] == "1 error, 5 warnings in 1 file (1 checked)"
    assert ctx["steps.check.outputs.exit-code"] == "1"
    ctx = inputs(paths="template.yaml", format="json", summary="false")
    ctx["steps.install.outputs.invlint"] = INVLINT
    proc = run_step(_step("check"), ctx, project, tmp_path)
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]][:1] == ["SQS001"]


@pytest.mark.slow
def test_install_step_installs_the_actions_checkout(project: Path, tmp_path: Path) -> None:
    ctx = inputs(paths="template.yaml")
    proc = run_step(_step("install"), ctx, project, tmp_path)
    assert proc.returncode == 0, proc.stderr
    invlint = ctx["steps.install.outputs.invlint"]
    assert invlint == str(tmp_path / "invlint-venv" / "bin" / "invlint") and os.access(invlint, os.X_OK)
    run_step(_step("check"), ctx, project, tmp_path)
    assert ctx["steps.check.outputs.exit-code"] == "1"
