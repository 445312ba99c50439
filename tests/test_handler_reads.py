"""Functions that share a handler file: the file is read once for the template, and each gets the same facts."""

from __future__ import annotations

import shutil
from pathlib import Path

from invocation_lint import files
from invocation_lint.handlers import analyse_model
from invocation_lint.load import load_path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cli"


def _reads(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = files.read_limited

    def counting(path, *args, **kwargs):
        seen.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(files, "read_limited", counting)
    return seen


def test_a_handler_file_named_by_three_functions_is_read_once(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE / "src", tmp_path / "src")
    shutil.copy(FIXTURE / "three_modes.yaml", tmp_path / "template.yaml")
    (model,) = load_path(str(tmp_path / "template.yaml"))
    assert len(model.functions) == 3
    seen = _reads(monkeypatch)
    analyse_model(model)
    app = str(tmp_path / "src" / "app.py")
    assert seen.count(app) == 1
    facts = [model.handler_facts[fid] for fid in model.functions]
    assert [f.function for f in facts] == list(model.functions)
    assert {(f.file, f.analysed, f.span) for f in facts} == {(facts[0].file, True, facts[0].span)}


def test_each_template_reads_its_handlers_again(tmp_path, monkeypatch):
    """The cache lasts one model: a file edited between two runs is read as it is now."""
    shutil.copytree(FIXTURE / "src", tmp_path / "src")
    shutil.copy(FIXTURE / "three_modes.yaml", tmp_path / "template.yaml")
    seen = _reads(monkeypatch)
    for _ in range(2):
        (model,) = load_path(str(tmp_path / "template.yaml"))
        analyse_model(model)
    assert seen.count(str(tmp_path / "src" / "app.py")) == 2
