"""The README keeps its promises: its rule table is the catalogue, its two commands are what CI runs and work.

After adding or changing a rule, refresh the table with ``python tests/test_readme.py --update``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"
TABLE = re.compile(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", re.DOTALL)
VENV_PREFIX = ["python3 -m venv .venv", ". .venv/bin/activate"]


def generated_table() -> str:
    proc = subprocess.run([sys.executable, "-m", "invocation_lint.cli", "rules", "--format", "markdown"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    return proc.stdout


def readme_commands() -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    return [line[4:] for line in lines[:2]]


def test_rule_table_is_the_catalogue() -> None:
    m = TABLE.search(README.read_text(encoding="utf-8"))
    assert m is not None, "README.md lost its <!-- rules:start --> / <!-- rules:end --> markers"
    assert m.group(1) == generated_table(), "README rule table is stale: python tests/test_readme.py --update"


def test_readme_opens_with_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("    ") and lines[1].startswith("    "), "two indented (code) lines first"
    assert lines[2] == ""
    run, test = readme_commands()
    assert run.split(" && ")[:2] == VENV_PREFIX and test.split(" && ")[:2] == VENV_PREFIX
    assert run.endswith(" && invlint check fixtures/example/template.yaml")
    assert test.split(" && ")[2:] == ["pip install -e '.[test]'", "python -m pytest"]


GATES = ["ruff check .", "mypy"]


def test_ci_runs_the_readme_test_command() -> None:
    """``.ci/run`` makes its own fresh venv, then runs the README's steps after the venv, verbatim, in order,
    with the lint and type gates between the install and the tests."""
    _, test = readme_commands()
    steps = test.split(" && ")[2:]
    ci_lines = [line.strip() for line in CI.read_text(encoding="utf-8").splitlines()]
    assert ci_lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in ci_lines
    assert 'python3 -m venv "$venv"' in ci_lines and '. "$venv/bin/activate"' in ci_lines
    activate = ci_lines.index('. "$venv/bin/activate"')
    install, tests = steps
    assert ci_lines[activate + 1:] == [install, *GATES, tests]
    assert os.access(CI, os.X_OK)


def test_readme_example_has_real_findings() -> None:
    """The first command's ``invlint check`` part, run as written: findings, exit code 1, no input error."""
    run, _ = readme_commands()
    argv = shlex.split(run.split(" && ")[-1])
    assert argv[:2] == ["invlint", "check"]
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "invocation_lint.cli", *argv[1:]], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr == ""
    assert re.search(r"^fixtures/example/template\.yaml:\d+:\d+ error SQS001 ", proc.stdout, re.MULTILINE)
    assert proc.stdout.splitlines()[-1].endswith("in 1 file (1 checked)")


def _update() -> None:
    text = README.read_text(encoding="utf-8")
    table = generated_table()
    README.write_text(TABLE.sub(lambda _: f"<!-- rules:start -->\n{table}<!-- rules:end -->", text), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        _update()
    else:
        print(__doc__)
