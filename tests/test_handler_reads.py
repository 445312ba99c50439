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


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  First:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src/
      Handler: app.first
      Events:
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
  Second:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src/
      Handler: app.second
      Events:
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""

APP = """\
from lib import save


def first(event, context):
    for record in event["Records"]:
        save(record)


def second(event, context):
    try:
        for record in event["Records"]:
            save(record)
    except Exception:
        pass
    return {"batchItemFailures": []}
"""


def test_two_handlers_of_one_file_and_their_shared_helper_are_parsed_once(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP)
    (tmp_path / "src" / "lib.py").write_text("def save(record):\n    raise ValueError(record)\n")
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    (alone,) = load_path(str(tmp_path / "template.yaml"))
    from invocation_lint.handlers import analyse_function

    separately = {fid: analyse_function(fid, fn, alone.base_dir) for fid, fn in alone.functions.items()}
    from invocation_lint.handlers import python

    parses: list[str] = []
    real_parse = python._parse_now

    def counting(text, display, *args):
        parses.append(display)
        return real_parse(text, display, *args)

    monkeypatch.setattr(python, "_parse_now", counting)
    (model,) = load_path(str(tmp_path / "template.yaml"))
    analyse_model(model)
    assert sorted(parses) == sorted([str(tmp_path / "src" / "app.py"), str(tmp_path / "src" / "lib.py")])
    assert model.handler_facts == separately
    first, second = model.handler_facts["First"], model.handler_facts["Second"]
    assert first.analysed and second.analysed
    assert first.falls_through is not None and second.falls_through is None


JS_APP = """\
const { save } = require('./lib');

exports.first = async (event) => {
  for (const record of event.Records) {
    await save(record);
  }
};

exports.second = async (event) => {
  for (const record of event.Records) {
    try { await save(record); } catch (err) { console.log(err); }
  }
  return { batchItemFailures: [] };
};
"""


def test_two_node_handlers_of_one_file_and_their_helper_are_parsed_once(tmp_path, monkeypatch):
    import pytest

    pytest.importorskip("tree_sitter_javascript")
    from invocation_lint.handlers import analyse_function, javascript

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.js").write_text(JS_APP)
    (tmp_path / "src" / "lib.js").write_text("exports.save = async (r) => { throw new Error(r); };\n")
    (tmp_path / "template.yaml").write_text(TEMPLATE.replace("python3.12", "nodejs20.x"))
    (alone,) = load_path(str(tmp_path / "template.yaml"))
    separately = {fid: analyse_function(fid, fn, alone.base_dir) for fid, fn in alone.functions.items()}
    parses: list[str] = []
    real_parse = javascript._parse_now

    def counting(text, display, *args):
        parses.append(display)
        return real_parse(text, display, *args)

    monkeypatch.setattr(javascript, "_parse_now", counting)
    (model,) = load_path(str(tmp_path / "template.yaml"))
    analyse_model(model)
    assert sorted(parses) == sorted([str(tmp_path / "src" / "app.js"), str(tmp_path / "src" / "lib.js")])
    assert model.handler_facts == separately
    first, second = model.handler_facts["First"], model.handler_facts["Second"]
    assert first.analysed and second.analysed
    assert first.falls_through is not None and second.falls_through is None
