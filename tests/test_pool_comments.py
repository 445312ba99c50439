"""Checked in worker processes: the suppression comments the workers found come back with their findings, so
this process warns about them exactly as a one-process run does, without reading those files again."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from invocation_lint import suppress
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
