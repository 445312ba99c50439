"""Every finding names settings as the user's input spells them: Terraform users read Terraform's argument names
(``visibility_timeout_seconds``), CloudFormation and SAM users CloudFormation's (``VisibilityTimeout``).

Checked on every Terraform and CloudFormation/SAM fixture and on every rule's documented example, in each
finding's message, fix hint, failure path and related locations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_rule_docs import RULES, _section

from invocation_lint.engine import run
from invocation_lint.formats.terraform.vocabulary import NAMES
from invocation_lint.registry import Finding

#: CloudFormation's spelling of what Terraform spells otherwise: the vocabulary's names, and the SAM and
#: CloudFormation words that Terraform writes as a resource of its own or does not have
CLOUDFORMATION = sorted({*NAMES, "EventInvokeConfig", "DeadLetterQueue", "DestinationConfig", "OnFailure", "CodeUri"})
#: Terraform's spelling, where it cannot be read as an English word (``timeout``, ``handler``)
TERRAFORM = sorted({n for n in NAMES.values() if "_" in n} | {"aws_lambda_function_event_invoke_config"})


def _words(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternatives})(?![\w]|\.\w)")  # Runtime.HandlerNotFound is an error name


def _texts(f: Finding) -> list[tuple[str, str]]:
    return [("message", f.message), ("fix", f.fix), ("path", " → ".join(f.path)),
            *(("related", r.message) for r in f.related)]


def _examples(tmp_path: Path, kind: str) -> list[Finding]:
    """The findings of every rule's Example, each written into a folder of its own, checked in one run."""
    for code in RULES:
        yaml_, hcl, files = _section(code, "Example")
        body = yaml_ if kind == "template" else hcl
        assert body is not None, f"{code} has no {kind} example"
        folder = tmp_path / code
        folder.mkdir()
        (folder / ("template.yaml" if kind == "template" else "main.tf")).write_text(body, encoding="utf-8")
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    result = run([str(tmp_path)])
    assert [e.message for e in result.errors] == []
    return result.findings


def _fixtures(kind: str) -> list[Finding]:
    paths = ([FIXTURES / "terraform"] if kind == "terraform"
             else sorted([*FIXTURES.glob("*/cfn"), *FIXTURES.glob("*/sam")]))
    result = run([str(p) for p in paths])
    assert [e.message for e in result.errors] == []
    return result.findings


@pytest.mark.parametrize(("kind", "foreign"), [("terraform", CLOUDFORMATION), ("template", TERRAFORM)])
def test_findings_use_the_spelling_of_their_input(tmp_path: Path, kind: str, foreign: list[str]) -> None:
    findings = _fixtures(kind) + _examples(tmp_path, kind)
    assert {f.code for f in findings} == set(RULES)  # every rule is checked in this spelling
    pattern = _words(foreign)
    wrong = sorted({(f.code, where, m.group(1), text) for f in findings for where, text in _texts(f)
                    for m in pattern.finditer(text)})
    assert wrong == []


def test_the_pattern_finds_a_foreign_name() -> None:
    """The check can fail: a CloudFormation name in a Terraform hint is seen, an error name is not."""
    cfn = _words(CLOUDFORMATION)
    assert [m.group(1) for m in cfn.finditer("Set VisibilityTimeout of aws_sqs_queue.orders to 180.")] == \
        ["VisibilityTimeout"]
    assert [m.group(1) for m in cfn.finditer("fails with Runtime.HandlerNotFound; set visibility_timeout_seconds")] \
        == []
    assert [m.group(1) for m in _words(TERRAFORM).finditer("set function_response_types.")] == \
        ["function_response_types"]
