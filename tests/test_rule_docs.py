"""Every rule's documentation is executable: its *Example* gives exactly its finding, its *Use instead* is clean.

The docs' convention (``invlint rule CODE`` prints them):

- a ```` ```yaml ```` block is a whole SAM or CloudFormation template (``template.yaml``);
- a ```` ```hcl ```` block is the same case in Terraform (``main.tf``), checked on its own;
- a code block whose first line is ``# file: PATH`` (``// file: PATH`` in JavaScript) is handler code at that
  path, next to the template (and the Terraform) of the same section;
- *Use instead* shows only what changes: without a template (or Terraform) of its own it uses the Example's, and
  the Example's files it does not replace.

Each example is written into a fresh directory and checked by the real engine with every rule; the findings, as
``(rule, resource)``, must be exactly the Example's one finding listed here, and none for *Use instead*.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from invocation_lint.engine import run
from invocation_lint.registry import all_rules

RULES = all_rules()

#: (rule, resource) of the finding each Example gives: in its template, and in its Terraform spelling.
EXAMPLE: dict[str, tuple[str, str | None]] = {
    "SQS001": ("OrdersQueue", "aws_sqs_queue.orders"),
    "SQS002": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "SQS003": ("OrdersQueue", "aws_sqs_queue.orders"),
    "SQS004": ("OrdersQueue", "aws_sqs_queue.orders"),
    "SQS005": ("OrdersQueue", "aws_sqs_queue.orders"),
    "SQS006": ("OrdersQueue", "aws_sqs_queue.orders"),
    "SQS007": ("OrdersDLQ", "aws_sqs_queue.orders_dlq"),
    "SQS008": ("ProcessOrders", "aws_lambda_event_source_mapping.orders"),
    "SQS009": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "SQS010": ("OrdersMapping", "aws_lambda_event_source_mapping.orders"),
    "ASYNC001": ("ResizeImages", "aws_lambda_function.resize_images"),
    "ASYNC002": ("GetItems", "aws_lambda_function.get_items"),
    "ASYNC003": ("ResizeImages", "aws_lambda_function.resize_images"),
    "ASYNC004": ("Notify", "aws_sns_topic_subscription.alerts"),
    "ASYNC005": ("Report", "aws_cloudwatch_event_target.nightly"),
    "ASYNC006": ("WorkerRole", "aws_iam_role.resize_images"),
    "STREAM001": ("ProcessOrders", "aws_lambda_event_source_mapping.orders"),
    "STREAM002": ("ProcessOrders", "aws_lambda_event_source_mapping.orders"),
    "SYNC001": ("Report", "aws_lambda_function.report"),
    "HANDLER001": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "HANDLER002": ("ResizeImages", "aws_lambda_function.resize_images"),
    "HANDLER003": ("ProcessOrders", "aws_lambda_event_source_mapping.orders"),
    "HANDLER004": ("ProcessOrders", "aws_lambda_event_source_mapping.orders"),
    "HANDLER005": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "HANDLER006": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "HANDLER007": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "HANDLER008": ("GetItem", "aws_lambda_function.get_item"),
    "HANDLER009": ("ProcessOrders", "aws_lambda_function.process_orders"),
    "LOOP001": ("Notify", "aws_lambda_function_event_invoke_config.notify"),
    "LOOP002": ("Thumbnail", "aws_iam_role.resize_images"),
}

FILE_LINE = re.compile(r"^(?:#|//) file: (\S+)\n")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def _sections(docs: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", docs, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _blocks(text: str) -> tuple[str | None, str | None, dict[str, str]]:
    """(template, terraform, {path: handler code}) of one section."""
    yaml_: str | None = None
    hcl: str | None = None
    code: dict[str, str] = {}
    for lang, body in BLOCK.findall(text):
        m = FILE_LINE.match(body)
        if m:
            code[m.group(1)] = body
        elif lang == "yaml":
            assert yaml_ is None, "one template per section"
            yaml_ = body
        elif lang == "hcl":
            assert hcl is None, "one Terraform block per section"
            hcl = body
        else:
            raise AssertionError(f"a {lang or 'plain'} block that is neither a template nor a named file")
    return yaml_, hcl, code


def _section(code: str, section: str) -> tuple[str | None, str | None, dict[str, str]]:
    """A section's blocks, with what it takes from the Example."""
    sections = _sections(RULES[code].docs)
    yaml_, hcl, files = _blocks(sections.get(section, ""))
    if section != "Example":
        ex_yaml, ex_hcl, ex_files = _blocks(sections.get("Example", ""))
        yaml_, hcl, files = yaml_ or ex_yaml, hcl or ex_hcl, {**ex_files, **files}
    return yaml_, hcl, files


def _cases() -> list[tuple[str, str, str]]:
    out = []
    for code in RULES:
        for section in ("Example", "Use instead"):
            yaml_, hcl, _ = _section(code, section)
            if yaml_ is not None:
                out.append((code, section, "template"))
            if hcl is not None:
                out.append((code, section, "terraform"))
    return out


def _findings(tmp_path: Path, code: str, section: str, kind: str) -> set[tuple[str, str]]:
    yaml_, hcl, files = _section(code, section)
    (tmp_path / ("template.yaml" if kind == "template" else "main.tf")).write_text(
        (yaml_ if kind == "template" else hcl) or "", encoding="utf-8")
    for rel, body in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body, encoding="utf-8")
    result = run([str(tmp_path)])
    assert [e.message for e in result.errors] == []
    return {(f.code, f.resource or "") for f in result.findings}


def test_every_rule_has_an_example_and_a_use_instead() -> None:
    sections = {c: _sections(r.docs) for c, r in RULES.items()}
    assert [c for c, s in sections.items() if not BLOCK.search(s.get("Example", ""))
            or not BLOCK.search(s.get("Use instead", ""))] == []
    assert [c for c in RULES if _section(c, "Example")[0] is None] == []
    assert [c for c in RULES if _section(c, "Example")[1] is None] == []  # every rule applies to Terraform
    assert sorted(EXAMPLE) == sorted(RULES)


@pytest.mark.parametrize(("code", "section", "kind"), _cases())
def test_rule_doc_example(tmp_path: Path, code: str, section: str, kind: str) -> None:
    expected: set[tuple[str, str]] = set()  # Use instead: no finding of any rule
    if section == "Example":
        resource = EXAMPLE[code][0 if kind == "template" else 1]
        assert resource is not None, f"{code}: name the resource of its Terraform example"
        expected.add((code, resource))
    assert _findings(tmp_path, code, section, kind) == expected


_TF_DECLARED = re.compile(r'^(?:resource|(data)) "(\w+)" "(\w+)"', re.M)
_TF_REFERENCE = re.compile(r'(?<![\w."/:-])((?:data\.)?aws_\w+\.\w+)')
_CFN_DECLARED = re.compile(r"^  (\w+):\s*$", re.M)  # a resource (or parameter) of the template
_CFN_REFERENCE = re.compile(r"!(?:Ref|GetAtt)\s+(\w+)|\$\{(\w+)[.}]|(?:Ref|Fn::GetAtt):\s*\[?\s*(\w+)")


def _undeclared(yaml_: str | None, hcl: str | None) -> list[str]:
    """What a template or a Terraform block refers to without declaring it: a complete example has none."""
    missing: list[str] = []
    if hcl is not None:
        declared = {f"{'data.' if m.group(1) else ''}{m.group(2)}.{m.group(3)}" for m in _TF_DECLARED.finditer(hcl)}
        missing += sorted({r for r in _TF_REFERENCE.findall(hcl) if r not in declared})
    if yaml_ is not None:
        declared = set(_CFN_DECLARED.findall(yaml_))
        refs = {next(g for g in m.groups() if g) for m in _CFN_REFERENCE.finditer(yaml_)}
        missing += sorted(r for r in refs if r not in declared and not r.startswith("AWS"))
    return missing


def test_examples_refer_only_to_what_they_declare() -> None:
    """Every Example and Use instead is a whole template: no reference to a resource it does not define."""
    assert _undeclared("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Role: !GetAtt Role.Arn\n", None) == \
        ["Role"]
    assert _undeclared(None, 'resource "aws_lambda_function" "f" {\n  role = aws_iam_role.f.arn\n}\n') == \
        ["aws_iam_role.f"]
    incomplete = {(code, section): missing for code in RULES for section in ("Example", "Use instead")
                  if (missing := _undeclared(*_section(code, section)[:2]))}
    assert incomplete == {}


def test_invlint_rule_prints_every_example() -> None:
    """``invlint rule CODE`` shows each block the tests above run, as written."""
    from click.testing import CliRunner

    from invocation_lint.cli import main

    for code in RULES:
        out = CliRunner().invoke(main, ["rule", code], catch_exceptions=False).stdout
        sections = _sections(RULES[code].docs)
        for section in ("Example", "Use instead"):
            for _lang, body in BLOCK.findall(sections[section]):
                assert body in out, (code, section)
