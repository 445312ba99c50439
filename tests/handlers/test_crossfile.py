"""Handlers followed across files: exact findings in the helper modules (with the handler's call as related),
clean twins that stay silent, and the bounds that keep hostile projects (links out of the project, import
cycles, thousands of modules, huge helpers) from leaking or hanging."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import FIXTURES, run_rules
from test_hostile import SECRET, Case, check, run_case

from invocation_lint.handlers import analyse_model
from invocation_lint.load import load_path
from invocation_lint.registry import Finding

HANDLERS = FIXTURES / "handlers"


def _lint(path: Path) -> list[Finding]:
    out: list[Finding] = []
    for model in load_path(str(path)):
        analyse_model(model)
        out.extend(run_rules(model, "HANDLER"))
    return out


def _rel(file: str) -> str:
    return Path(file).resolve().relative_to(HANDLERS.resolve()).as_posix()


def test_findings_are_in_the_helper_with_the_handler_call_related() -> None:
    got = []
    for f in _lint(HANDLERS / "crossfile"):
        assert f.span is not None and f.related and f.related[0].span is not None
        via = f.related[0].span
        got.append((f.code, f.resource, _rel(f.span.file), f.span.line, f.severity, _rel(via.file), via.line))
    assert sorted(got, key=lambda r: (r[2], r[3], r[0])) == [
        ("HANDLER002", "WriteAlerts", "crossfile/js/db/index.js", 4, "warning", "crossfile/js/alerts.js", 4),
        ("HANDLER002", "StoreJobs", "crossfile/js/lib/store.js", 6, "warning", "crossfile/js/jobs.js", 5),
        ("HANDLER005", "ReadFirstOrder", "crossfile/py/lib/reader.py", 5, "error", "crossfile/py/first.py", 5),
        ("HANDLER001", "ReplyClicks", "crossfile/py/lib/respond.py", 7, "error", "crossfile/py/stream.py", 5),
        ("HANDLER001", "AckClicks", "crossfile/py/lib/respond.py", 14, "info", "crossfile/py/ack.py", 5),
        ("HANDLER002", "SaveOrders", "crossfile/py/orders/store.py", 11, "warning", "crossfile/py/orders/app.py", 6),
        ("HANDLER005", "HandleOrdersTs", "crossfile/ts/lib/handle.ts", 4, "error", "crossfile/ts/app.ts", 4),
        ("HANDLER001", "HandleOrdersTs", "crossfile/ts/lib/handle.ts", 6, "error", "crossfile/ts/app.ts", 4),
    ]
    assert all(r.message.startswith("the handler calls into") for f in _lint(HANDLERS / "crossfile")
               for r in f.related[:1])
    assert [f.message.split(" catches")[0] for f in _lint(HANDLERS / "crossfile") if f.code == "HANDLER002"] == [
        "The catch in index.js, which WriteAlerts's handler calls,",
        "The catch in store.js, which StoreJobs's handler calls,",
        "The except Exception in store.py, which SaveOrders's handler calls,",
    ]


def test_the_clean_twins_are_silent() -> None:
    model = next(iter(load_path(str(HANDLERS / "crossfile-clean"))))
    analyse_model(model)
    assert set(model.handler_facts) == {"SaveOrders", "ReplyClicks", "AckClicks", "ReadFirstOrder", "StoreJobs",
                                        "WriteAlerts", "HandleOrdersTs"}
    assert all(f.analysed for f in model.handler_facts.values())  # read, not skipped
    assert _lint(HANDLERS / "crossfile-clean") == []
    assert run_rules(model) == []


# ------------------------------------------------------------------------------------------------ hostile

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  DLQ:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
  Q:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DLQ.Arn
        maxReceiveCount: 5
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: {runtime}
      Events:
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Q.Arn
"""
PY_SWALLOW = f"# {SECRET}\ndef save(r):\n    try:\n        r.go()\n    except Exception:\n        pass\n"
JS_SWALLOW = f"// {SECRET}\nexports.save = (r) => {{\n  try {{ r.go(); }} catch (e) {{}}\n}};\n"


def _project(p: Path, runtime: str, app: str, files: dict[str, str]) -> list[str]:
    (p / "template.yaml").write_text(SAM.format(runtime=runtime))
    (p / "src").mkdir()
    (p / "src" / ("app.py" if runtime.startswith("python") else "app.js")).write_text(app)
    for name, text in files.items():
        (p / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (p / "src" / name).write_text(text)
    return ["-v", "template.yaml"]


def _python_link_out(p: Path, o: Path) -> list[str]:
    (o / "helper.py").write_text(PY_SWALLOW)
    args = _project(p, "python3.12", "from helper import save\n\ndef handler(event, context):\n"
                    "    for r in event['Records']:\n        save(r)\n", {})
    os.symlink(o / "helper.py", p / "src" / "helper.py")
    return args


def _python_inside(p: Path, o: Path) -> list[str]:  # the control: the same helper, in the project
    return _project(p, "python3.12", "from helper import save\n\ndef handler(event, context):\n"
                    "    for r in event['Records']:\n        save(r)\n", {"helper.py": PY_SWALLOW})


def _js_inside(p: Path, o: Path) -> list[str]:
    return _project(p, "nodejs20.x", "const { save } = require('./lib/helper');\n"
                    "exports.handler = async (event) => { for (const r of event.Records) save(r); };\n",
                    {"lib/helper.js": JS_SWALLOW})


def _js_path_out(p: Path, o: Path) -> list[str]:
    (o / "helper.js").write_text(JS_SWALLOW)
    return _project(p, "nodejs20.x", "const { save } = require('../../outside/helper');\n"
                    "exports.handler = async (event) => { for (const r of event.Records) save(r); };\n", {})


def _many_modules(p: Path, o: Path) -> list[str]:
    # 3,000 modules, each importing the next and the first (a cycle), each far too large to be worth reading
    mods = {f"m{i}.py": f"import m{i + 1}\nimport m0\n\ndef f(r):\n    m{i + 1}.f(r)\n    m0.f(r)\n"
            for i in range(3000)}
    mods["big.py"] = "def save(r):\n    try:\n        r.go()\n    except Exception:\n        pass\n" + "#" * 400_000
    return _project(p, "python3.12", "import m0\nimport big\n\ndef handler(event, context):\n"
                    "    for r in event['Records']:\n        m0.f(r)\n        big.save(r)\n", mods)


CASES = {
    "python-helper-linked-out": Case(_python_link_out, 0, absent=(SECRET, "HANDLER002")),
    "js-helper-path-out": Case(_js_path_out, 0, absent=(SECRET, "HANDLER002")),
    "python-helper-inside": Case(_python_inside, 1, stdout=("src/helper.py:5:5", "HANDLER002")),
    "js-helper-inside": Case(_js_inside, 1, stdout=("src/lib/helper.js:3:19", "HANDLER002")),
    "many-modules-and-cycles": Case(_many_modules, 0, absent=("HANDLER002",)),
}


def test_helpers_outside_the_project_are_not_read(tmp_path: Path) -> None:
    for name in ("python-helper-linked-out", "js-helper-path-out", "python-helper-inside", "js-helper-inside"):
        (tmp_path / name).mkdir()
        rc, out, err, _ = run_case(CASES[name], tmp_path / name)
        check(CASES[name], rc, out, err)


def test_module_count_and_size_are_bounded(tmp_path: Path) -> None:
    rc, out, err, secs = run_case(CASES["many-modules-and-cycles"], tmp_path)
    check(CASES["many-modules-and-cycles"], rc, out, err)


def test_the_terraform_twin_gives_the_same_findings() -> None:
    got = sorted((f.code, f.resource, _rel(f.span.file), f.span.line, f.severity, _rel(f.related[0].span.file))
                 for f in _lint(HANDLERS / "crossfile-tf") if f.span is not None and f.related[0].span is not None)
    assert got == [
        ("HANDLER001", "aws_lambda_function.ack_clicks", "crossfile/py/lib/respond.py", 14, "info",
         "crossfile/py/ack.py"),
        ("HANDLER001", "aws_lambda_function.handle_orders_ts", "crossfile/ts/lib/handle.ts", 6, "error",
         "crossfile/ts/app.ts"),
        ("HANDLER002", "aws_lambda_function.save_orders", "crossfile/py/orders/store.py", 11, "warning",
         "crossfile/py/orders/app.py"),
        ("HANDLER002", "aws_lambda_function.store_jobs", "crossfile/js/lib/store.js", 6, "warning",
         "crossfile/js/jobs.js"),
        ("HANDLER005", "aws_lambda_function.handle_orders_ts", "crossfile/ts/lib/handle.ts", 4, "error",
         "crossfile/ts/app.ts"),
    ]
