"""Terraform users are told what to change in Terraform's words, not CloudFormation's."""

from __future__ import annotations

import re

from conftest import FIXTURES

from invocation_lint.engine import run

CLOUDFORMATION_ONLY = re.compile(
    r"\b(EventInvokeConfig|DeadLetterConfig|DeadLetterQueue|DestinationConfig|FunctionResponseTypes|CodeUri|"
    r"BatchSize|MaximumRetryAttempts|MaximumRecordAgeInSeconds|BisectBatchOnFunctionError|VisibilityTimeout|"
    r"MessageRetentionPeriod|RedrivePolicy|ReservedConcurrentExecutions)\b")


def test_terraform_fix_hints_use_terraform_names() -> None:
    result = run([str(FIXTURES / "terraform")])
    assert not result.errors
    codes = {f.code for f in result.findings}
    assert len(codes) >= 25  # nearly the whole catalogue fires somewhere in the Terraform fixtures
    wrong = sorted({(f.code, f.fix) for f in result.findings if CLOUDFORMATION_ONLY.search(f.fix)})
    assert wrong == []
