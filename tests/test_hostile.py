"""Hostile input around the templates: symlinks out of the project, control characters, malformed or special
configuration and baseline files, odd file names, closed standard output, special files, inputs that would
take unbounded time or memory. Each case runs the real command in a child process limited to 10 s and
1.5 GiB, and asserts its exit code, that standard error holds only one-line messages, that no traceback, no
internal error and nothing from outside the project shows, and what it must say.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SECRET = "AKIAHOSTILESECRET0001"
OUTSIDE_TEXT = f"[default]\naws_access_key_id = {SECRET}\naws_secret_access_key = x\n"

QUEUE_AND_FUNCTION = """\
Resources:
  Q:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::1:role/r
      Code:
        ZipFile: |
          def handler(e, c):
              return None
  Map:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: !Ref Fn
"""

TF_QUEUE = """\
resource "aws_sqs_queue" "q" {
  name = "q"
}
"""


@dataclass
class Case:
    setup: Callable[[Path, Path], list[str]]  # (project, outside) -> command-line arguments after "check"
    code: int  # expected exit code
    stderr: tuple[str, ...] = ()  # fragments standard error must hold
    stdout: tuple[str, ...] = ()  # fragments standard output must hold
    absent: tuple[str, ...] = ()  # fragments neither stream may hold
    stdout_mode: str = "pipe"  # pipe | closed | broken
    env: dict[str, str] = field(default_factory=dict)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def run_case(case: Case, tmp: Path) -> tuple[int, str, str, float]:
    import time

    project = tmp / "project"
    outside = tmp / "outside"
    project.mkdir()
    outside.mkdir()
    (project / ".git").mkdir()
    (outside / "credentials").write_text(OUTSIDE_TEXT)
    args = case.setup(project, outside)
    cmd = [sys.executable, "-m", "invocation_lint.cli", "check", *args]
    env = {**os.environ, **case.env}
    env.pop("INVLINT_DEBUG", None)
    start = time.perf_counter()
    if case.stdout_mode == "pipe":
        proc = subprocess.run(cmd, cwd=project, capture_output=True, timeout=10, preexec_fn=_limits, env=env)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    else:
        r, w = os.pipe()
        if case.stdout_mode == "broken":
            os.close(r)
            stdout: int = w
        else:
            os.close(r)
            os.close(w)
            stdout = subprocess.DEVNULL

        def pre() -> None:
            _limits()
            if case.stdout_mode == "closed":
                os.close(1)

        try:
            proc = subprocess.run(cmd, cwd=project, stdout=stdout, stderr=subprocess.PIPE, timeout=10,
                                  preexec_fn=pre, env=env)
        finally:
            if case.stdout_mode == "broken":
                os.close(w)
        out, err, rc = b"", proc.stderr, proc.returncode
    return rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.perf_counter() - start


# ----------------------------------------------------------------------------------------------- the cases


def _symlink_tf(name: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / "infra").mkdir()
        (p / "infra" / "main.tf").write_text(TF_QUEUE)
        os.symlink(o / "credentials", p / "infra" / name)
        return ["-v", "infra"]
    return setup


def _symlink_template_explicit(p: Path, o: Path) -> list[str]:
    os.symlink(o / "credentials", p / "stolen.yaml")
    return ["stolen.yaml"]


def _symlink_dir_explicit(p: Path, o: Path) -> list[str]:
    (o / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace("Q:", f"Q{SECRET[:4]}x:", 1) + f"# {SECRET}\n[")
    os.symlink(o, p / "linked")
    return ["linked"]


def _symlink_handler(p: Path, o: Path) -> list[str]:
    (p / "src").mkdir()
    (o / "app.py").write_text(f"def handler(e, c):\n    try:\n        pass\n    except Exception:\n        pass\n"
                              f"# {SECRET}\n")
    os.symlink(o / "app.py", p / "src" / "app.py")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace(
        "Handler: index.handler", "Handler: app.handler").replace(
        "      Code:\n        ZipFile: |\n          def handler(e, c):\n              return None\n",
        "      Code: src\n"))
    return ["-v", "t.yaml"]


def _symlink_config(p: Path, o: Path) -> list[str]:
    (o / "cfg.yaml").write_text(f"select: [{SECRET}]\n")
    os.symlink(o / "cfg.yaml", p / ".invlint.yaml")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION)
    return ["-v", "t.yaml"]


def _symlink_baseline(p: Path, o: Path) -> list[str]:
    os.symlink(o / "credentials", p / "baseline.json")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION)
    return ["--baseline", "baseline.json", "t.yaml"]


def _symlink_module(p: Path, o: Path) -> list[str]:
    (o / "mod").mkdir()
    (o / "mod" / "main.tf").write_text(f'resource "aws_sqs_queue" "{SECRET}" {{\n  name = [\n')
    os.symlink(o / "mod", p / "mod")
    (p / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    return ["-v", "."]


def _bad_tfvars_quote(p: Path, o: Path) -> list[str]:
    (p / "main.tf").write_text(TF_QUEUE)
    (p / "terraform.tfvars").write_text("x = [" + "A" * 5000 + "\n")
    return ["."]


ESC_ID = "Q\x1b]0;TITLE\x07\x1b[2J\n::error file=README.md,line=1::forged"


def _escape_id(p: Path, o: Path) -> list[str]:
    doc = {"Resources": {ESC_ID: {"Type": "AWS::SQS::Queue"},
                         "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
                             "Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::1:role/r",
                             "Code": {"ZipFile": "def handler(e, c):\n    return None\n"}}},
                         "Map": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                             "EventSourceArn": {"Fn::GetAtt": [ESC_ID, "Arn"]}, "FunctionName": {"Ref": "Fn"}}}}}
    (p / "t.json").write_text(json.dumps(doc))
    return ["t.json"]


def _escape_name(p: Path, o: Path) -> list[str]:
    name = "t\x1b[2J\n::error file=x,line=1::forged.yaml"
    (p / name).write_text(QUEUE_AND_FUNCTION)
    return ["."]


def _escape_error(p: Path, o: Path) -> list[str]:
    (p / "t.yaml").write_text("Resources:\n  Q:\n    Type: !Bo\x1b[2Jgus\u202e AWS::SQS::Queue\n")
    return ["t.yaml"]


def _config(name: str, content: bytes | str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        data = content.encode() if isinstance(content, str) else content
        (p / name).write_bytes(data)
        (p / "t.yaml").write_text(QUEUE_AND_FUNCTION)
        return ["t.yaml"]
    return setup


def _config_special(target: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        if target == "fifo":
            os.mkfifo(p / "cfg.yaml")
            path = "cfg.yaml"
        else:
            path = target
        (p / "t.yaml").write_text(QUEUE_AND_FUNCTION)
        return ["--config", path, "t.yaml"]
    return setup


def _baseline(content: bytes | None, special: str | None = None) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / "t.yaml").write_text(QUEUE_AND_FUNCTION)
        if special == "fifo":
            os.mkfifo(p / "b.json")
            return ["--baseline", "b.json", "t.yaml"]
        if special == "huge":
            with open(p / "b.json", "wb") as fh:
                fh.write(b'{"version": 2, "findings": [')
                fh.truncate(300 * 1024 * 1024)
            return ["--baseline", "b.json", "t.yaml"]
        if special:
            return ["--baseline", special, "t.yaml"]
        (p / "b.json").write_bytes(content or b"")
        return ["--baseline", "b.json", "t.yaml"]
    return setup


def _latin1_name(fmt: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        with open(os.path.join(os.fsencode(p), b"caf\xe9.yaml"), "wb") as fh:
            fh.write(QUEUE_AND_FUNCTION.encode())
        if fmt == "baseline":
            return ["--write-baseline", "b.json", "."]
        return ["--format", fmt, "."]
    return setup


def _latin1_baseline_round_trip(p: Path, o: Path) -> list[str]:
    _latin1_name("baseline")(p, o)
    subprocess.run([sys.executable, "-m", "invocation_lint.cli", "check", "--write-baseline", "b.json", "."],
                   cwd=p, capture_output=True, timeout=10)
    json.loads((p / "b.json").read_text(encoding="utf-8"))
    return ["--baseline", "b.json", "."]


def _symlink_file_function(p: Path, o: Path) -> list[str]:
    os.symlink(o / "credentials", p / "policy.json")
    (p / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = "q"\n  policy = file("policy.json")\n}\n')
    return ["-v", "."]


def _symlink_zip(p: Path, o: Path) -> list[str]:
    with zipfile.ZipFile(o / "code.zip", "w") as zf:
        zf.writestr("index.py", f"def handler(e, c):\n    return {{'statusCode': 500, 'k': '{SECRET}'}}\n")
    os.symlink(o / "code.zip", p / "code.zip")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace(
        "      Code:\n        ZipFile: |\n          def handler(e, c):\n              return None\n",
        "      Code: code.zip\n"))
    return ["-v", "t.yaml"]


def _stdout_setup(p: Path, o: Path) -> list[str]:
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION * 1 + "".join(
        f"  Q{i}:\n    Type: AWS::SQS::Queue\n  M{i}:\n    Type: AWS::Lambda::EventSourceMapping\n"
        f"    Properties:\n      EventSourceArn: !GetAtt Q{i}.Arn\n      FunctionName: !Ref Fn\n"
        for i in range(300)))
    return ["t.yaml"]


def _fifo_in_dir(name: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / "d").mkdir()
        (p / "d" / "t.yaml").write_text(QUEUE_AND_FUNCTION)
        if name.endswith(".tf") or name.endswith(".tfvars"):
            (p / "d" / "main.tf").write_text(TF_QUEUE)
        os.mkfifo(p / "d" / name)
        return ["d"]
    return setup


def _fifo_handler(p: Path, o: Path) -> list[str]:
    (p / "src").mkdir()
    os.mkfifo(p / "src" / "app.py")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace("Handler: index.handler", "Handler: app.handler").replace(
        "      Code:\n        ZipFile: |\n          def handler(e, c):\n              return None\n",
        "      Code: src\n"))
    return ["t.yaml"]


def _tf(text: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / "main.tf").write_text(text)
        return ["-v", "."]
    return setup


def _js_handler(body: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / "src").mkdir()
        (p / "src" / "app.js").write_text(body)
        (p / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace("python3.12", "nodejs20.x").replace(
            "Handler: index.handler", "Handler: app.handler").replace(
            "      Code:\n        ZipFile: |\n          def handler(e, c):\n              return None\n",
            "      Code: src\n"))
        return ["-v", "t.yaml"]
    return setup


def _nested_ifs(n: int) -> str:
    return "exports.handler = async (e) => {\n" + "if (e) {\n" * n + "e.x = 1;\n" + "}\n" * n + "};\n"


def _nested_try(n: int) -> str:
    return ("exports.handler = async (e) => {\n" + "try {\n" * n + "e.x = 1;\n"
            + "} catch (err) { }\n" * n + "};\n")


BOMB = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "bzip2-bomb.zip"


def _zip_bomb(p: Path, o: Path) -> list[str]:
    """1.6 KB of bzip2 that inflates to 2 GiB, its headers declaring 100 bytes."""
    import shutil

    shutil.copy(BOMB, p / "code.zip")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace(
        "      Code:\n        ZipFile: |\n          def handler(e, c):\n              return None\n",
        "      Code: code.zip\n"))
    return ["-v", "t.yaml"]


def test_zip_members_inflate_capped_whatever_the_header_says(tmp_path: Path) -> None:
    import time
    import tracemalloc

    from invocation_lint.handlers.locate import MAX_SOURCE_BYTES, _declared_members, _inflate

    with zipfile.ZipFile(BOMB) as zf:
        info = zf.infolist()[0]
    assert info.file_size == 100 and info.compress_type == zipfile.ZIP_BZIP2
    tracemalloc.start()
    start = time.perf_counter()
    assert _inflate(str(BOMB), info, MAX_SOURCE_BYTES) is None
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 32 * 1024 * 1024 and time.perf_counter() - start < 5
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr("a.py", "x = 1\n" * 5000, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("b.py", "y = 2\n" * 5000, compress_type=zipfile.ZIP_BZIP2)
        zf.writestr("c.py", "z = 3\n", compress_type=zipfile.ZIP_STORED)
        zf.writestr("big.py", "#" * (MAX_SOURCE_BYTES + 1), compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(good) as zf:
        got = {i.filename: _inflate(str(good), i, MAX_SOURCE_BYTES) for i in zf.infolist()}
        assert got == {"a.py": zf.read("a.py"), "b.py": zf.read("b.py"), "c.py": zf.read("c.py"), "big.py": None}
    assert _declared_members(str(good)) == 4


def _template(name: str, text: str) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / name).write_text(text)
        return ["-v", name]
    return setup


def _unparsable_handler(p: Path, o: Path) -> list[str]:
    (p / "src").mkdir()
    (p / "src" / "app.py").write_text("def handler(e, c):\n    return (\n")
    (p / "t.yaml").write_text(QUEUE_AND_FUNCTION.replace("Handler: index.handler", "Handler: app.handler").replace(
        "      Code:\n        ZipFile: |\n          def handler(e, c):\n              return None\n",
        "      Code: src\n"))
    return ["-v", "t.yaml"]


def _long_line(p: Path, o: Path) -> list[str]:
    res = {f"Q{i}": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 1}} for i in range(1000)}
    res["Fn"] = {"Type": "AWS::Lambda::Function", "Properties": {
        "Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::1:role/r", "Timeout": 10,
        "Code": {"ZipFile": "def handler(e, c):\n    return None\n"}}}
    for i in range(1000):
        res[f"M{i}"] = {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
            "EventSourceArn": {"Fn::GetAtt": [f"Q{i}", "Arn"]}, "FunctionName": {"Ref": "Fn"}}}
    text = json.dumps({"Resources": res, "Description": "x" * 600_000})
    (p / "t.json").write_text(text)
    return ["t.json"]


def _big_tfvars(p: Path, o: Path) -> list[str]:
    (p / "main.tf").write_text(TF_QUEUE)
    (p / "terraform.tfvars").write_text("x = \"" + "a" * (40 * 1024 * 1024) + "\"\n")
    return ["."]


def _plan(resources: object) -> Callable[[Path, Path], list[str]]:
    def setup(p: Path, o: Path) -> list[str]:
        (p / "plan.json").write_text(json.dumps({
            "format_version": "1.2", "terraform_version": "1.6.0",
            "planned_values": {"root_module": {"resources": resources}}}))
        return ["plan.json"]
    return setup


SELECT_2M = "select: [" + ", ".join(["SQS001"] * 2_000_000) + "]\n"
DEEP_YAML = "options:\n  SQS004: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_TOML = "[tool.invlint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n"
JS_CLEAN_NOTE = ("more than 300 levels deep", "too large to analyse")

CASES: dict[str, Case] = {
    # 1. nothing outside the project root is read, and never quoted
    "symlink-creds-tf": Case(_symlink_tf("creds.tf"), 0, stderr=("creds.tf", "outside the project"), absent=(SECRET,)),
    "symlink-tfvars": Case(_symlink_tf("terraform.tfvars"), 0, stderr=("terraform.tfvars", "outside the project"),
                           absent=(SECRET,)),
    "symlink-template": Case(_symlink_template_explicit, 2, stderr=("stolen.yaml", "outside the project"),
                             absent=(SECRET, "aws_access")),
    "symlink-dir": Case(_symlink_dir_explicit, 2, stderr=("linked", "outside the project"), absent=(SECRET, "AKIA")),
    "symlink-handler": Case(_symlink_handler, 1, stderr=("outside the project",), absent=(SECRET, "HANDLER002")),
    "symlink-config": Case(_symlink_config, 1, stderr=(".invlint.yaml", "outside the project"), absent=(SECRET,)),
    "symlink-baseline": Case(_symlink_baseline, 2, stderr=("baseline.json", "outside the project"),
                             absent=(SECRET, "aws_access")),
    "symlink-file-function": Case(_symlink_file_function, 0, stderr=("policy.json", "outside the project"),
                                  absent=(SECRET,)),
    "symlink-zip": Case(_symlink_zip, 1, stderr=("code.zip", "outside the project"), absent=(SECRET, "HANDLER001")),
    "cli-huge-select": Case(lambda p, o: (p.joinpath("t.yaml").write_text(QUEUE_AND_FUNCTION),
                                          ["--select", ",".join(["SQS001"] * 15_000), "t.yaml"])[1], 1),
    "symlink-module": Case(_symlink_module, 0, stderr=("outside the project",), absent=(SECRET,)),
    "error-quote-short": Case(_bad_tfvars_quote, 2, stderr=("terraform.tfvars",), absent=("A" * 100,)),
    # 2. control characters never reach a terminal or an annotation raw
    "escape-logical-id-text": Case(_escape_id, 1, stdout=("\\x1b]0;TITLE\\x07\\x1b[2J\\n::error",),
                                   absent=("\x1b", "\x07", "\n::error")),
    "escape-logical-id-github": Case(lambda p, o: [*_escape_id(p, o), "--format", "github"], 1,
                                     absent=("\x1b", "\x07", "\n::error file=README")),
    "escape-file-name": Case(_escape_name, 1, absent=("\x1b", "\n::error")),
    "escape-file-name-github": Case(lambda p, o: [*_escape_name(p, o), "--format", "github"], 1,
                                    absent=("\x1b", "\n::error file=x")),
    "escape-error-message": Case(_escape_error, 2, stderr=("t.yaml", "control characters"),
                                 absent=("\x1b", "\u202e")),
    # 3. configuration and baseline
    "config-deep-yaml": Case(_config(".invlint.yaml", DEEP_YAML), 2, stderr=(".invlint.yaml", "nest")),
    "config-deep-toml": Case(_config("pyproject.toml", DEEP_TOML), 2, stderr=("pyproject.toml",)),
    "config-latin1-toml": Case(_config("pyproject.toml", "[tool.invlint]\nselect = ['caf\xe9']\n".encode("latin-1")),
                               2, stderr=("pyproject.toml", "UTF-8")),
    "config-int-key": Case(_config(".invlint.yaml", "severity:\n  1: off\n"), 2, stderr=(".invlint.yaml", "severity")),
    "config-null-key": Case(_config(".invlint.yaml", "severity:\n  ~: off\n"), 2, stderr=(".invlint.yaml",)),
    "config-huge-select": Case(_config(".invlint.yaml", SELECT_2M), 2, stderr=(".invlint.yaml",)),
    "config-near-limit-select": Case(_config(".invlint.yaml", "select: [" + ", ".join(["SQS001"] * 120_000) + "]\n"),
                                     1, stdout=("SQS001",)),
    "config-option-string": Case(_config(".invlint.yaml", "options:\n  SQS004:\n    visibility-factor: x\n"), 2,
                                 stderr=("'options.SQS004.visibility-factor': expected a number, got 'x'",)),
    "config-option-infinite": Case(_config(".invlint.yaml", "options:\n  SQS005:\n    min-receive-count: .inf\n"),
                                   2, stderr=("'options.SQS005.min-receive-count': must be a finite number",)),
    "config-fifo": Case(_config_special("fifo"), 2, stderr=("cfg.yaml", "not a regular file")),
    "config-dev-zero": Case(_config_special("/dev/zero"), 2, stderr=("/dev/zero", "not a regular file")),
    "baseline-dev-zero": Case(_baseline(None, "/dev/zero"), 2, stderr=("/dev/zero", "not a regular file")),
    "baseline-fifo": Case(_baseline(None, "fifo"), 2, stderr=("b.json", "not a regular file")),
    "baseline-huge": Case(_baseline(None, "huge"), 2, stderr=("b.json", "MiB")),
    "baseline-deep": Case(_baseline(b"[" * 100_000 + b"]" * 100_000), 2, stderr=("b.json", "nest")),
    "baseline-dir": Case(_baseline(None, "."), 2, stderr=("is a directory",)),
    # 3b. file names that are not UTF-8, standard output that is closed
    "latin1-name-sarif": Case(_latin1_name("sarif"), 1, stdout=("caf",)),
    "latin1-name-json": Case(_latin1_name("json"), 1, stdout=("caf",)),
    "latin1-name-text": Case(_latin1_name("text"), 1, stdout=("caf\\xe9.yaml",)),
    "latin1-name-github": Case(_latin1_name("github"), 1, stdout=("caf",)),
    "latin1-name-baseline": Case(_latin1_name("baseline"), 0, stderr=("wrote",)),
    "latin1-name-baseline-read": Case(_latin1_baseline_round_trip, 0, stdout=("1 in baseline",)),
    "stdout-closed": Case(_stdout_setup, 1, stdout_mode="closed"),
    "stdout-broken-pipe": Case(_stdout_setup, 1, stdout_mode="broken"),
    # 4. special files and bounded work
    "fifo-template-in-dir": Case(_fifo_in_dir("x.yaml"), 1),
    "fifo-tf-in-dir": Case(_fifo_in_dir("x.tf"), 1),
    "fifo-tfvars-in-dir": Case(_fifo_in_dir("terraform.tfvars"), 1),
    "fifo-named": Case(lambda p, o: (os.mkfifo(p / "f.yaml"), ["f.yaml"])[1], 2, stderr=("not a regular file",)),
    "fifo-handler": Case(_fifo_handler, 1),
    "tf-for-each-100k": Case(_tf('resource "aws_sqs_queue" "q" {\n  for_each = toset([for i in range(100000) : '
                                 'tostring(i)])\n  name = each.key\n}\n'), 0, stderr=("aws_sqs_queue.q", "more than the")),
    "tf-nested-for": Case(_tf('locals {\n  xs = flatten([for a in range(3000) : [for b in range(3000) : '
                              '"${a}-${b}"]])\n}\nresource "aws_sqs_queue" "q" {\n  count = length(local.xs)\n'
                              '  name = local.xs[count.index]\n}\n'), 0, stderr=("aws_sqs_queue.q", "more than the")),
    "tf-count-1e400": Case(_tf('resource "aws_sqs_queue" "q" {\n  count = 1.0e400\n}\n'), 0,
                           stderr=("aws_sqs_queue.q", "more than the 1000 instances")),
    "tf-count-huge-module": Case(_tf('module "m" {\n  source = "./m"\n  count = 5000000\n}\n'), 0,
                                 stderr=("module.m", "more than the 1000 instances")),
    "js-nested-if": Case(_js_handler(_nested_ifs(50_000)), 1, stderr=JS_CLEAN_NOTE),
    "js-nested-try": Case(_js_handler(_nested_try(30_000)), 1, stderr=JS_CLEAN_NOTE),
    "zip-bomb": Case(_zip_bomb, 1, stderr=("code.zip",)),
    # 5. odd values are values
    "select-split-empty": Case(_template("t.yaml", QUEUE_AND_FUNCTION.replace(
        "      Role: arn:aws:iam::1:role/r\n", "      Role: !Select [0, !Split ['', abc]]\n")), 1),
    "sam-destination-type-list": Case(_template("t.yaml", """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(e, c):\\n    return None\\n"
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: [SQS]
      Events:
        S:
          Type: SNS
          Properties:
            Topic: arn:aws:sns:us-east-1:1:t
"""), 1),
    "sam-destination-type-list-with-destination": Case(_template("t.yaml", """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Dlq:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(e, c):\\n    return None\\n"
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: [SQS]
            Destination: !GetAtt Dlq.Arn
      Events:
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Dlq.Arn
            DestinationConfig:
              OnFailure:
                Type: {Ref: X}
                Destination: !GetAtt Dlq.Arn
"""), 1),
    "sns-redrive-string": Case(_template("t.yaml", """\
Resources:
  T:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::1:role/r
      Code:
        ZipFile: "def handler(e, c):\\n    return None\\n"
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: lambda
      TopicArn: !Ref T
      Endpoint: !GetAtt Fn.Arn
      RedrivePolicy: "5"
"""), 1),
    "tf-redrive-json-not-object": Case(_tf('resource "aws_sqs_queue" "q" {\n  redrive_policy = "[[1, 2]]"\n}\n'
                                           'resource "aws_sqs_queue" "r" {\n  redrive_policy = "5"\n}\n'), 0),
    "json-huge-int": Case(_template("t.json", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": '
                                              '{"VisibilityTimeout": ' + "9" * 5000 + '}}}}'), 0),
    "plan-resources-not-list": Case(_plan({"a": 1}), 0),
    "plan-resources-number": Case(_plan(5), 0),
    "plan-child-modules-bool": Case(lambda p, o: (p.joinpath("plan.json").write_text(json.dumps({
        "format_version": "1.2", "terraform_version": "1.6.0",
        "planned_values": {"root_module": {"resources": [], "child_modules": True}},
        "configuration": {"root_module": {"resources": 1.5}}})), ["plan.json"])[1], 0),
    "handler-unparsable": Case(_unparsable_handler, 1, stderr=("Fn: src/app.py:2: handler code does not parse",)),
    "long-line-report": Case(_long_line, 1),
    "tfvars-too-big": Case(_big_tfvars, 2, stderr=("terraform.tfvars", "MiB")),
}


def test_clean_escapes_every_unsafe_character() -> None:
    from invocation_lint.source import clean

    assert clean("plain café\ttab") == "plain café\ttab"
    assert clean("a\x1b[2J\r\n::error\x07\x7f\x85") == "a\\x1b[2J\\r\\n::error\\x07\\x7f\\x85"
    assert clean("\u202eevil\u2066\u2028") == "\\u202eevil\\u2066\\u2028"
    assert clean(os.fsdecode(b"caf\xe9")) == "caf\\xe9"


def test_json_safe_keeps_the_value() -> None:
    from invocation_lint.source import json_safe

    value = {"a": "x\x7f\x9b\u202e" + os.fsdecode(b"\xe9")}
    text = json_safe(json.dumps(value, ensure_ascii=False))
    assert "\x9b" not in text and "\u202e" not in text
    text.encode("utf-8")
    assert json.loads(text) == value


def test_github_annotation_of_hostile_finding_is_one_line() -> None:
    from invocation_lint.registry import Finding
    from invocation_lint.report.github import annotation
    from invocation_lint.source import Span

    f = Finding("SQS001", ESC_ID + " has no redrive", Span("a,b:c\n::x.yaml", 3), resource=ESC_ID,
                severity="error", name="sqs-queue-without-redrive", path=[ESC_ID, "Fn"], fix="fix\r\nit")
    line = annotation(f)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\x07" not in line
    assert line.startswith("::error file=a%2Cb%3Ac\\n%3A%3Ax.yaml,line=3,")


def test_long_source_line_is_cut_around_the_column() -> None:
    from invocation_lint.report.text import snippet

    line = "a" * 5000 + "TARGET" + "b" * 5000
    cut = snippet(line, 5001, 100)
    assert "TARGET" in cut and len(cut) <= 102 and cut.startswith("…") and cut.endswith("…")
    assert snippet("short\n", 1, 100) == "short"


#: cases not handled yet
PENDING: set[str] = set()


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile(name: str, tmp_path: Path) -> None:
    if name in PENDING:
        pytest.skip("not handled yet")
    case = CASES[name]
    rc, out, err, _ = run_case(case, tmp_path)
    check(case, rc, out, err)


def check(case: Case, rc: int, out: str, err: str) -> None:
    both = out + err
    assert "Traceback" not in both, err[-2000:]
    assert "internal error" not in both, err[-2000:]
    assert "Error" not in err.split(":", 1)[0], err[-2000:]
    for frag in case.absent:
        assert frag not in both, (frag, both[-2000:])
    for frag in case.stderr:
        assert frag in err, (frag, err[-2000:])
    for frag in case.stdout:
        assert frag in out, (frag, out[-2000:])
    for line in err.splitlines():
        assert len(line) < 600, line[:200]
    assert rc == case.code, (rc, err[-2000:])


if __name__ == "__main__":  # python tests/test_hostile.py: pass/fail and time per case
    import tempfile

    passed = 0
    for name in sorted(CASES):
        with tempfile.TemporaryDirectory() as d:
            try:
                rc, out, err, secs = run_case(CASES[name], Path(d))
            except subprocess.TimeoutExpired:
                print(f"{name:32} TIMEOUT")
                continue
        try:
            check(CASES[name], rc, out, err)
            status = "ok"
            passed += 1
        except AssertionError as exc:
            status = "FAIL " + str(exc)[:150].replace("\n", "\\n")
        print(f"{name:32} {secs:5.2f}s rc={rc} {status}")
    print(f"{passed}/{len(CASES)} pass")
