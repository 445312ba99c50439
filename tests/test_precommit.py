"""The pre-commit hooks, for real: ``pre-commit try-repo`` builds the hook's environment from this repository
(its committed HEAD plus a snapshot of uncommitted changes to tracked files) and runs it in a fresh git repo.

Slow (pre-commit creates a virtualenv and pip-installs the project: ~15 s per environment with a warm pip
cache), so it is marked ``slow``; ``pytest -m "not slow"`` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "fixtures" / "cli"
PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=test@example.com", "-c", "user.name=test", *args], cwd=repo,
                   check=True, capture_output=True)


def make_repo(path: Path, template: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    shutil.copy(template, path / "template.yaml")
    # YAML that is not a template must not upset either hook
    (path / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "init")
    return path


def try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None, "pre-commit is a test dependency (pip install -e '.[test]')"
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the module: from a clean checkout all runs share one hook environment."""
    return tmp_path_factory.mktemp("pre-commit-home")


def test_hook_fails_on_sqs001_and_passes_on_clean(tmp_path: Path, home: Path) -> None:
    bad = try_repo(make_repo(tmp_path / "bad", CLI / "sqs001.yaml"), "invlint", home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "invlint (Lambda invocation modes)" in bad.stdout
    assert "Failed" in bad.stdout
    assert "./template.yaml:4:3 error SQS001 sqs-queue-without-redrive: " in bad.stdout
    assert "docker-compose.yml" not in bad.stdout

    good = try_repo(make_repo(tmp_path / "good", CLI / "clean.yaml"), "invlint", home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "invlint (Lambda invocation modes)" in good.stdout and "Passed" in good.stdout


def test_changed_files_hook_skips_non_templates(tmp_path: Path, home: Path) -> None:
    repo = make_repo(tmp_path / "bad", CLI / "sqs001.yaml")
    res = try_repo(repo, "invlint-changed", home)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "template.yaml:4:3 error SQS001 sqs-queue-without-redrive: " in res.stdout
    assert "docker-compose.yml" not in res.stdout  # passed to the hook, skipped as not a template
