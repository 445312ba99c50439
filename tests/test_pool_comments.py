"""Checked in worker processes: the suppression comments the workers found come back with their findings, so
this process warns about them exactly as a one-process run does, without reading those files again."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from invocation_lint import engine, suppress
from invocation_lint.config import Config
from invocation_lint.engine import run

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cli"

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


def _project(tmp_path: Path, projects: int) -> None:
    text = (FIXTURE / "three_modes.yaml").read_text(encoding="utf-8")
    for i in range(projects):
        shutil.copytree(FIXTURE / "src", tmp_path / f"p{i}" / "src")
        body = text.replace("Orders", f"Orders{i}")
        if i == 5:
            body = body.replace(f"  Orders{i}DLQ:\n", f"  Orders{i}DLQ:  # invlint: ignore[HANDLER001, NOPE9]\n")
        (tmp_path / f"p{i}" / "template.yaml").write_text(body, encoding="utf-8")


def test_warnings_about_comments_are_the_same_with_a_pool(tmp_path, monkeypatch):
    _project(tmp_path, 12)
    config = Config(warn_unused_suppressions=True)
    alone = run([str(tmp_path)], config, jobs=1)
    reads: list[str] = []
    real = suppress.SourceLines._read

    def counting(file):
        reads.append(file)
        return real(file)

    here, take = os.getpid(), engine._take
    # this process leaves every input (but the one it checks before starting the workers) to the workers
    monkeypatch.setattr(engine, "_take", lambda queue: take(queue) if os.getpid() != here else None)
    monkeypatch.setattr(suppress.SourceLines, "_read", staticmethod(counting))
    pooled = run([str(tmp_path)], config, jobs=2)
    marked = str(tmp_path / "p5" / "template.yaml")
    assert pooled.warnings == alone.warnings
    assert [w.split(": warning: ", 1) for w in alone.warnings] == [
        [f"{marked}:11", "the suppression comment names no rule 'NOPE9' and hides nothing"],
        [f"{marked}:11", "the suppression comment ignores HANDLER001 but hides no finding"],
    ]
    assert [f.sort_key() for f in pooled.findings] == [f.sort_key() for f in alone.findings]
    assert marked not in reads  # found by the worker that checked it
    assert len(reads) < 12


def test_one_small_input_of_each_kind_is_checked_before_the_workers_start(tmp_path):
    from types import SimpleNamespace

    from invocation_lint.engine import _examples

    def template(name: str, size: int) -> SimpleNamespace:
        (tmp_path / name).write_text("x" * size)
        return SimpleNamespace(kind="template", path=str(tmp_path / name))

    inputs = [template("big.yaml", 900), template("small.yaml", 10), template("mid.yaml", 50),
              SimpleNamespace(kind="template", path=str(tmp_path / "gone.yaml"))]
    inputs += [SimpleNamespace(kind="terraform", path=str(tmp_path)) for _ in range(3)]
    inputs += [template(f"t{i}.yaml", 500) for i in range(40)]
    inputs.append(SimpleNamespace(kind="plan", path=str(tmp_path / "plan.json")))
    (tmp_path / "plan.json").write_text("{}")
    assert _examples(inputs) == [1, 4, len(inputs) - 1]  # smallest template, first module, the plan far down
    assert _examples([]) == []
