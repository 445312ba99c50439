"""Baselines: record today's findings, report only new ones, survive lines moving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from invocation_lint.baseline import fingerprint, normalise_message
from invocation_lint.cli import main
from invocation_lint.registry import Finding
from invocation_lint.source import Span

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "fixtures" / "cli" / "sqs001.yaml").read_text()
SECOND_QUEUE = """\
  AuditQueue:
    Type: AWS::SQS::Queue
  AuditMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt AuditQueue.Arn
      FunctionName: !Ref ProcessOrders
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "t.yaml").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["check", "--select", "SQS001", *args], catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def found(out: str) -> list[tuple[str, str, int]]:
    return [(f["code"], f["resource"], f["line"]) for f in json.loads(out)["findings"]]


def test_write_then_hide(project: Path) -> None:
    code, out, err = check("--write-baseline", "baseline.json", "t.yaml")
    assert code == 0
    assert err == "invlint: wrote 1 finding to baseline.json\n"
    data = json.loads((project / "baseline.json").read_text())
    assert data["version"] == 1
    assert [(e["code"], e["file"], e["resource"], e["function"]) for e in data["findings"]] == [
        ("SQS001", "t.yaml", "OrdersQueue", "ProcessOrders")]
    code, out, _ = check("--baseline", "baseline.json", "t.yaml")
    assert code == 0
    assert out == "No problems found in 1 file (1 in baseline)\n"


def test_survives_line_shifts_and_reports_new_findings(project: Path) -> None:
    check("--write-baseline", "baseline.json", "t.yaml")
    shifted = BAD.replace("Resources:\n", "# a comment\n# another\nResources:\n")
    (project / "t.yaml").write_text(shifted + SECOND_QUEUE)
    code, out, _ = check("--format", "json", "--baseline", "baseline.json", "t.yaml")
    assert code == 1
    assert found(out) == [("SQS001", "AuditQueue", 39)]  # OrdersQueue (now line 6) stays hidden
    code, out, _ = check("--format", "json", "t.yaml")
    assert found(out) == [("SQS001", "OrdersQueue", 6), ("SQS001", "AuditQueue", 39)]


def test_baseline_from_config(project: Path) -> None:
    check("--write-baseline", "ci-baseline.json", "t.yaml")
    (project / ".invlint.yaml").write_text("baseline: ci-baseline.json\n")
    (project / "sub").mkdir()
    (project / "sub" / "t.yaml").write_text(BAD)
    code, out, _ = check("--format", "json", "t.yaml", "sub/t.yaml")
    assert code == 1
    assert [(f["file"], f["line"]) for f in json.loads(out)["findings"]] == [("sub/t.yaml", 4)]


def test_counts_copies(project: Path) -> None:
    """The baseline holds one copy of a finding: a second, identical one is still reported."""
    f = Finding("SQS001", "m", Span("t.yaml", 4), "Q", "F", "error", "n")
    g = Finding("SQS001", "m", Span("t.yaml", 9), "Q", "F", "error", "n")
    assert fingerprint(f) == fingerprint(g)
    from invocation_lint import baseline

    baseline.write("b.json", [f])
    kept, hidden = baseline.apply([f, g], baseline.read("b.json"))
    assert (kept, hidden) == ([g], 1)


def test_bad_baseline_files(project: Path) -> None:
    code, _, err = check("--baseline", "missing.json", "t.yaml")
    assert code == 2
    assert err == "missing.json: baseline file not found\n"
    (project / "b.json").write_text("{not json")
    code, _, err = check("--baseline", "b.json", "t.yaml")
    assert (code, err) == (2, "b.json:1: baseline is not valid JSON\n")
    (project / "b.json").write_text('{"version": 7}')
    code, _, err = check("--baseline", "b.json", "t.yaml")
    assert code == 2
    assert err.startswith("b.json: not an invlint baseline")


def test_fingerprint_ignores_locations_but_not_substance() -> None:
    assert normalise_message("see t.yaml:12:3 and line 40,  twice") == "see <loc> and line <n>, twice"
    base = Finding("SQS004", "visibility 60 s < 180 s", Span("./a/t.yaml", 3), "Q", "F", "warning", "n")
    moved = Finding("SQS004", "visibility 60 s < 180 s", Span("a/t.yaml", 30), "Q", "F", "warning", "n")
    changed = Finding("SQS004", "visibility 90 s < 180 s", Span("a/t.yaml", 3), "Q", "F", "warning", "n")
    other_res = Finding("SQS004", "visibility 60 s < 180 s", Span("a/t.yaml", 3), "Q2", "F", "warning", "n")
    assert fingerprint(base) == fingerprint(moved)
    assert len({fingerprint(base), fingerprint(changed), fingerprint(other_res)}) == 3
