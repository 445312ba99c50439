"""Checking in several processes gives the report one process gives, byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from invocation_lint import engine
from invocation_lint.cli import main
from invocation_lint.config import Config
from invocation_lint.discover import inputs_to_check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _check(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["check", "--format", "json", *args, str(FIXTURES)])
    return res.exit_code, res.stdout


def test_two_processes_report_what_one_reports() -> None:
    code1, one = _check("--jobs", "1")
    code2, two = _check("--jobs", "2")
    assert '"findings": [\n    {' in one  # the fixtures have findings, so the comparison means something
    assert (code2, two) == (code1, one)
    assert _check() == (code1, one)  # automatic


def test_suppressions_and_errors_counted_the_same_in_workers() -> None:
    serial = engine.run([str(FIXTURES)], jobs=1)
    parallel = engine.run([str(FIXTURES)], jobs=2)
    assert parallel.suppressed == serial.suppressed
    assert [str(e) for e in parallel.errors] == [str(e) for e in serial.errors]
    assert [m.file for m in parallel.models] == [m.file for m in serial.models]
    assert parallel.warnings == serial.warnings


def test_worker_count() -> None:
    assert engine.worker_count(1, 500) == 1
    assert engine.worker_count(0, 1) == 1
    assert engine.worker_count(0, engine.PARALLEL_MIN_INPUTS - 1) == 1  # too few to repay a pool
    assert engine.worker_count(3, 10) == 3  # asked for: no threshold
    assert engine.worker_count(8, 6) == 2  # never more workers than chunks of inputs
    assert engine.worker_count(0, 1000) >= 1


def test_jobs_must_not_be_negative() -> None:
    res = CliRunner().invoke(main, ["check", "--jobs", "-1", str(FIXTURES / "sqs")])
    assert res.exit_code == 2
    assert "--jobs" in res.output


def test_unused_suppressions_are_the_same_in_workers(tmp_path: Path) -> None:
    """The suppressions a worker used travel back with its results: one process and two warn alike."""
    import os

    bad = (FIXTURES / "cli" / "sqs001.yaml").read_text(encoding="utf-8")
    (tmp_path / ".git").mkdir()
    for i in range(6):  # used in even templates, unused in odd ones
        line = "  OrdersQueue:" if i % 2 == 0 else "  ProcessOrders:"
        (tmp_path / f"t{i}.yaml").write_text(bad.replace(f"{line}\n", f"{line}  # invlint: ignore[SQS001]\n"),
                                             encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "three_modes.yaml").write_text((FIXTURES / "cli" / "three_modes.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    app = (FIXTURES / "cli" / "src" / "app.py").read_text(encoding="utf-8")
    (tmp_path / "src" / "app.py").write_text(
        app.replace("    return None", "    return None  # invlint: ignore[HANDLER0002]"), encoding="utf-8")
    assert engine.worker_count(2, 7) == 2

    def check(jobs: str) -> tuple[int, str, str]:
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            res = CliRunner().invoke(main, ["check", "--format", "json", "--warn-unused-suppressions", "--jobs",
                                            jobs, "."])
        finally:
            os.chdir(cwd)
        return res.exit_code, res.stdout, res.stderr

    one = check("1")
    assert one[2].splitlines() == [
        "src/app.py:10: warning: the suppression comment names no rule 'HANDLER0002' and hides nothing; "
        "did you mean HANDLER002?",  # a file a finding points into (HANDLER008), searched in a worker too
        *[f"./t{i}.yaml:19: warning: the suppression comment ignores SQS001 but hides no finding" for i in (1, 3, 5)],
    ]
    assert '"code": "SQS001"' in one[1]
    assert check("2") == one


BROKEN_TEMPLATE = """\
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Type: AWS::SNS::Topic
"""
BROKEN_BLOCK = """\
resource "aws_sqs_queue" "dlq" {
  name = "dlq"
}

resource "aws_sqs_queue" "work" {
  name = "work" "extra"
}
"""


def test_a_worker_sends_input_errors_back_without_breaking_the_pool(tmp_path: Path, monkeypatch: Any) -> None:
    """An unreadable template and a .tf file with a broken block, checked in a worker: the errors come back as
    one process reports them, and this process checks nothing again (a pool that broke on them would leave
    every input to this process)."""
    import os

    (tmp_path / ".git").mkdir()
    for i in range(12):
        (tmp_path / f"t{i:02d}.yaml").write_text(BROKEN_TEMPLATE if i % 2 else (FIXTURES / "cli" / "sqs001.yaml")
                                                 .read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(BROKEN_BLOCK, encoding="utf-8")
    serial = engine.run([str(tmp_path)], jobs=1)
    assert len(serial.errors) == 7 and any(e.file.endswith("main.tf") and e.line == 6 for e in serial.errors)

    here = os.getpid()
    take, call = engine._take, engine._Checker.__call__
    checked_here: list[str] = []

    def only_in_workers(queue: int) -> int | None:  # this process leaves every chunk to the workers
        return take(queue) if os.getpid() != here else None

    def counted(self: Any, inp: Any, sources: Any) -> Any:
        if os.getpid() == here:
            checked_here.append(inp.display)
        return call(self, inp, sources)

    monkeypatch.setattr(engine, "_take", only_in_workers)
    monkeypatch.setattr(engine._Checker, "__call__", counted)
    parallel = engine.run([str(tmp_path)], jobs=2)
    examples = engine._examples(inputs_to_check([str(tmp_path)], Config()).inputs)
    assert len(checked_here) == len(examples) == 2  # the first template and the module, before the workers
    assert [(e.file, e.line, e.message) for e in parallel.errors] == [
        (e.file, e.line, e.message) for e in serial.errors]
    assert [len(m.errors) for m in parallel.models] == [len(m.errors) for m in serial.models]


def test_inputs_of_a_worker_that_died_are_checked_by_this_process(tmp_path: Path, monkeypatch: Any) -> None:
    """A worker killed halfway (out of memory, a signal): what it had taken and not sent back is checked here,
    and the report is the one one process gives."""
    import os

    (tmp_path / ".git").mkdir()
    for i in range(16):
        (tmp_path / f"t{i:02d}.yaml").write_text((FIXTURES / "cli" / "sqs001.yaml").read_text(encoding="utf-8")
                                                 .replace("Orders", f"Orders{i}"), encoding="utf-8")
    serial = engine.run([str(tmp_path)], jobs=1)
    here, call = os.getpid(), engine._Checker.__call__

    def dies_in_a_worker(self: Any, inp: Any, sources: Any) -> Any:
        if os.getpid() != here and inp.display.endswith("t09.yaml"):
            os._exit(9)
        return call(self, inp, sources)

    monkeypatch.setattr(engine._Checker, "__call__", dies_in_a_worker)
    parallel = engine.run([str(tmp_path)], jobs=3)
    assert len(serial.findings) >= 16
    assert [f.sort_key() for f in parallel.findings] == [f.sort_key() for f in serial.findings]
    assert [m.file for m in parallel.models] == [m.file for m in serial.models]


def test_chunks_cover_every_input_once_and_fit_the_queue() -> None:
    for n in (0, 1, 5, 400, 2048, 2049, 100_000):
        chunks = engine._chunks(list(range(n)))
        assert [i for c in chunks for i in c] == list(range(n))
        assert len(chunks) <= engine._MAX_CHUNKS
        assert all(len(c) >= min(engine._CHUNK, n) for c in chunks[:-1])
