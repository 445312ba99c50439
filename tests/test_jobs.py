"""Checking in several processes gives the report one process gives, byte for byte."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from invocation_lint import engine
from invocation_lint.cli import main

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
