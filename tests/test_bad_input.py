"""Bad input: one clear line naming the file (and line), exit code 2, no traceback, fast; other files still checked."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from invocation_lint.discover import Input
from invocation_lint.load import load_input
from invocation_lint.source import InputError

ROOT = Path(__file__).resolve().parent.parent
CLEAN = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""


def _alias_bomb() -> str:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(1, 12):
        name = chr(97 + i)
        text += f"{name}: &{name} [" + ", ".join(["*" + prev] * 9) + "]\n"
        prev = name
    return text + f"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {{X: *{prev}}}\n"


CASES: dict[str, tuple[str, bytes, str, int | None]] = {
    # name: (file name, content, expected message fragment, expected line)
    "malformed-yaml": ("t.yaml", b"Resources:\n  Q: [\n", "invalid YAML", 3),
    "malformed-json": ("t.json", b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue",}}}', "invalid JSON", 1),
    "json-unclosed": ("t.json", b'{"Resources": {\n', "unexpected end of file", 2),
    "list": ("t.yaml", b"- a\n- b\n", "the document is a list, not a mapping", 1),
    "scalar": ("t.yaml", b"hello\n", "the document is a str value, not a mapping", 1),
    "unknown-tag": ("t.yaml", b"Resources:\n  Q:\n    Type: !Bogus AWS::SQS::Queue\n", "unknown tag !Bogus", 3),
    "python-tag": ("t.yaml", b"Resources: !!python/object/apply:os.system ['echo x']\n", "unsupported tag !!python/object/apply", 1),
    "duplicate-key": ("t.yaml", b"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n", "duplicate key 'Q'", 4),
    "duplicate-key-json": ("t.json", b'{"Resources": {}, "Resources": {}}', "duplicate key 'Resources'", 1),
    "empty": ("t.yaml", b"", "empty file", None),
    "whitespace": ("t.yaml", b"  \n\n", "empty file", None),
    "binary": ("t.yaml", b"\x00\x01\x02\x03garbage", "binary file", None),
    "not-utf8": ("t.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue # caf\xe9\n".encode("latin-1"), "not UTF-8 text", 3),
    "alias-bomb": ("t.yaml", _alias_bomb().encode(), "aliases expand to more than", 6),
    "deep-flow": ("t.yaml", b"Resources: " + b"[" * 10000 + b"]" * 10000 + b"\n", "nesting deeper than 200 levels", None),
    "deep-json": ("t.json", b'{"Resources": ' + b"[" * 10000 + b"]" * 10000 + b"}", "nesting deeper than 200 levels", 1),
    # libyaml 0.2.5 as bundled since PyYAML 6.0.3 refuses nesting past 1000 levels itself, with its own words.
    "deep-block": ("t.yaml", b"Resources:\n  X:\n    " + b"- " * 10000 + b"x\n", ("nesting deeper than 200 levels", "exceeded maximum nesting depth"), 3),
    "no-resources": ("t.yaml", b"Description: nothing\n", "no Resources section", 1),
    "resources-not-mapping": ("t.yaml", b"Resources: [1, 2]\n", "Resources must be a mapping", 1),
    "resource-without-type": ("t.yaml", b"Resources:\n  Q:\n    Properties: {}\n", "resource Q has no Type", 2),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_clear_error(case: str, tmp_path: Path) -> None:
    name, content, fragment, line = CASES[case]
    path = tmp_path / name
    path.write_bytes(content)
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_input(Input("template", str(path), name, str(tmp_path), explicit=True))
    assert time.perf_counter() - start < 2.0
    err = info.value
    assert err.file == name
    assert any(f in err.message for f in ((fragment,) if isinstance(fragment, str) else fragment))
    assert err.line == line
    assert "\n" not in str(err)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.write(b"Resources:\n")
        fh.seek(50 * 1024 * 1024)
        fh.write(b"\n")
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_input(Input("template", str(path), "big.yaml", str(tmp_path), explicit=True))
    assert time.perf_counter() - start < 0.5
    assert "52.4 MB" in info.value.message and "not read" in info.value.message


def test_cli_reports_bad_files_and_still_checks_the_others(tmp_path: Path) -> None:
    """The real command: exit 2, one line per bad file on stderr, no traceback, the good file still checked."""
    for case in ("malformed-yaml", "alias-bomb", "binary", "deep-json"):
        name, content, _, _ = CASES[case]
        (tmp_path / f"{case}-{name}").write_bytes(content)
    (tmp_path / "good.yaml").write_text(CLEAN)
    files = sorted(p.name for p in tmp_path.iterdir())
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "invocation_lint.cli", "check", "--format", "json", *files],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert time.perf_counter() - start < 10
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    err_lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(err_lines) == 4
    assert sorted(line.split(":", 1)[0] for line in err_lines) == sorted(f for f in files if f != "good.yaml")
    import json

    report = json.loads(proc.stdout)
    assert report["summary"]["input_errors"] == 4
    # the good file was checked: the SQS queue triggers nothing, so it is clean
    assert report["findings"] == []
