"""invlint's rules as cfn-lint rules: ``cfn-lint template.yaml -a invocation_lint.cfnlint``.

cfn-lint imports this module by name (``--append-rules`` / ``append_rules:`` in ``.cfnlintrc``) and
instantiates every ``CloudFormationLintRule`` subclass in it: one per invlint rule, plus ``E9000`` for a
template, handler file or configuration invlint cannot read and ``W9000`` for what invlint warns about
(a suppression naming no rule, a misspelt Metadata key). The first of these rules cfn-lint runs on a template
checks the whole file once with invlint's engine (handler code included, the project's invlint configuration
applied, no baseline); every rule then reports its own findings from that one run, so cfn-lint's
``--ignore-checks``, ``--include-checks`` and ``Metadata: cfn-lint: config: ignore_checks`` apply to them as to
cfn-lint's own rules.

Ids are in cfn-lint's range for user rules (9000-9999) and never change (``CFN_LINT_IDS``):
``<level>9<family><nn>``, where the level letter is the rule's default severity when it got its id (E error,
W warning, I info), the family digit is SQS 1, ASYNC 2, STREAM 3, SYNC 4, HANDLER 5, LOOP 6, and ``nn`` is
the rule's number: SQS001 is E9101, HANDLER002 is W9502. Each message starts with the invlint code and name.

A finding in another file (handler code) is reported at the template line that finding relates to (the
function's resource), with the file and line where the fix belongs said in the message.

This module imports cfn-lint, so nothing else in invlint imports it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from .registry import Finding, Rule, all_rules
from .source import Span, clean

#: invlint code → cfn-lint id. Stable forever: a rule whose default severity changes keeps its id.
CFN_LINT_IDS: dict[str, str] = {
    "SQS001": "E9101",
    "SQS002": "W9102",
    "SQS003": "E9103",
    "SQS004": "W9104",
    "SQS005": "W9105",
    "SQS006": "E9106",
    "SQS007": "W9107",
    "SQS008": "E9108",
    "SQS009": "W9109",
    "SQS010": "E9110",
    "ASYNC001": "W9201",
    "ASYNC002": "W9202",
    "ASYNC003": "E9203",
    "ASYNC004": "I9204",
    "ASYNC005": "I9205",
    "ASYNC006": "E9206",
    "STREAM001": "W9301",
    "STREAM002": "W9302",
    "SYNC001": "W9401",
    "HANDLER001": "E9501",
    "HANDLER002": "W9502",
    "HANDLER003": "E9503",
    "HANDLER004": "I9504",
    "HANDLER005": "E9505",
    "HANDLER006": "E9506",
    "HANDLER007": "W9507",
    "HANDLER008": "E9508",
    "HANDLER009": "E9509",
    "LOOP001": "E9601",
    "LOOP002": "W9602",
}
INPUT_ERROR_ID = "E9000"
WARNING_ID = "W9000"

FAMILY_DIGIT = {"SQS": 1, "ASYNC": 2, "STREAM": 3, "SYNC": 4, "HANDLER": 5, "LOOP": 6}
LEVEL_LETTER = {"error": "E", "warning": "W", "info": "I"}


def scheme_id(rule: Rule) -> str:
    """The id the naming scheme gives ``rule`` (what a new rule's entry in ``CFN_LINT_IDS`` should be)."""
    number = int("".join(ch for ch in rule.code if ch.isdigit()))
    if rule.family not in FAMILY_DIGIT or not 0 < number < 100:
        raise ValueError(f"{rule.code} has no cfn-lint id in the scheme")
    return f"{LEVEL_LETTER[rule.severity]}9{FAMILY_DIGIT[rule.family]}{number:02d}"


def cfn_lint_id(rule: Rule) -> str | None:
    return CFN_LINT_IDS.get(rule.code)


@dataclass
class _Run:
    """One invlint run over one template: its findings, and the errors and warnings to report."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, text)
    warnings: list[tuple[str, int | None, str]] = field(default_factory=list)
    #: a nested stack template checked within this one (real path) → the stack resource creating it, and its span
    nested: dict[str, tuple[str, Span]] = field(default_factory=dict)


# the last run, keyed by the template's path, modification time and size: all the rules share it
_LAST: dict[tuple[str, int, int], _Run] = {}


def _check(filename: str) -> _Run:
    path = os.path.abspath(filename)
    try:
        st = os.stat(path)
    except OSError:
        return _Run()
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _LAST:
        _LAST.clear()  # cfn-lint checks one template at a time: keep only the last
        try:
            _LAST[key] = _run(filename)
        except Exception as exc:  # noqa: BLE001 - never a traceback inside cfn-lint
            _LAST[key] = _Run(errors=[(filename, None, f"invlint: internal error: {type(exc).__name__}: {exc}")])
    return _LAST[key]


_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d+): warning: ")


def _run(filename: str) -> _Run:
    from .config import Config, ConfigError, load_config
    from .engine import SelectionError, run

    out = _Run()
    try:
        cfg = load_config(start=os.path.dirname(os.path.abspath(filename)))
    except ConfigError as exc:
        out.errors.append((exc.file, None, f"invlint configuration: {exc}"))
        cfg = Config()
    cfg.baseline = None  # cfn-lint has its own ways to hide findings
    cfg.write_baseline = None
    try:
        result = run([filename], cfg)
    except SelectionError as exc:
        out.errors.append((cfg.source or filename, None, f"invlint configuration: {exc}"))
        result = run([filename], Config())
    out.findings = result.findings
    for m in result.models:
        for nested_file, stack_id in m.nested_files.items():
            if stack_id in m.resources:
                out.nested[os.path.realpath(nested_file)] = (stack_id, m.resources[stack_id][1])
    out.errors.extend((e.file, e.line, f"invlint could not check this: {e}") for e in result.errors)
    for w in result.warnings:
        m = _WARNING.match(w)
        out.warnings.append((m["file"], int(m["line"])) + (w,) if m else (filename, None, w))
    return out


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _location(s: Span) -> tuple[int, int, int, int]:
    """cfn-lint's 0-based (line, column, end line, end column); an end not known is the start."""
    col = max(s.column - 1, 0)
    end_col = s.end_column - 1 if s.end_column > 0 else col
    if s.last_line == s.line:
        end_col = max(end_col, col)
    return (s.line - 1, col, s.last_line - 1, max(end_col, 0))


def _resource_path(resource: str | None, cfn: Any) -> list[str | int]:
    """``Resources/<id>`` when the template (as cfn-lint sees it) has that resource: cfn-lint hides a match on
    that path when the resource's ``Metadata: cfn-lint: config: ignore_checks`` names the rule."""
    resources = cfn.template.get("Resources") if isinstance(cfn.template, dict) else None
    if resource and isinstance(resources, dict) and resource in resources:
        return ["Resources", resource]
    return []


def to_match(f: Finding, filename: str, cfn: Any, nested: dict[str, tuple[str, Span]] | None = None) -> RuleMatch:
    """The cfn-lint match for one invlint finding in (or about) ``filename``; a finding in a nested stack's
    template (or its code) that has no place in this one is reported at the stack resource creating it."""
    path = _resource_path(f.resource, cfn)
    # control characters from the input (names, paths) escaped, as in every invlint report
    message = clean(f"{f.code} {f.name}: {f.message}" if f.name else f"{f.code}: {f.message}")
    s = f.span
    if s is not None and _same_file(s.file, filename):
        return RuleMatch(path, message, location=_location(s))
    if s is not None:
        message += clean(f" (at {s.file}:{s.line})")
    for rel in f.related:  # the template line the finding relates to: the function running that code
        if rel.span is not None and _same_file(rel.span.file, filename):
            return RuleMatch(path, message, location=_location(rel.span))
    for place in (s, *(r.span for r in f.related)):
        stack = (nested or {}).get(os.path.realpath(place.file)) if place is not None else None
        if stack is not None:
            return RuleMatch(_resource_path(stack[0], cfn), message, location=_location(stack[1]))
    return RuleMatch(path, message)


def _template_file(cfn: Any) -> str | None:
    filename = getattr(cfn, "filename", None)
    if not isinstance(filename, str) or not filename or filename == "-" or not os.path.isfile(filename):
        return None  # a template read from standard input: invlint reads files only
    return filename


def _notes(items: list[tuple[str, int | None, str]], filename: str) -> Iterator[RuleMatch]:
    for file, line, raw in items:
        text = clean(raw)
        if line and _same_file(file, filename):
            yield RuleMatch([], text, location=(line - 1, 0, line - 1, 0))
        else:
            yield RuleMatch([], text)


class InvlintInputError(CloudFormationLintRule):
    """The template, its handler code or the invlint configuration could not be read by invlint."""

    id = INPUT_ERROR_ID
    shortdesc = "invlint could not check the template"
    description = "invlint reports a template, handler file or configuration it cannot read"
    source_url = ""
    tags = ["invlint"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        filename = _template_file(cfn)
        return list(_notes(_check(filename).errors, filename)) if filename else []


class InvlintWarning(CloudFormationLintRule):
    """Something invlint was told that does nothing: a suppression naming no rule, a misspelt Metadata key."""

    id = WARNING_ID
    shortdesc = "invlint warning"
    description = "a suppression that names no rule, a misspelt invlint Metadata key: it hides nothing"
    source_url = ""
    tags = ["invlint"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        filename = _template_file(cfn)
        return list(_notes(_check(filename).warnings, filename)) if filename else []


def _match_findings(self: Any, cfn: Any) -> list[RuleMatch]:
    filename = _template_file(cfn)
    if filename is None:
        return []
    run = _check(filename)
    return [to_match(f, filename, cfn, run.nested) for f in run.findings if f.code == self.invlint_code]


_URL = re.compile(r"https://[^\s)>\]]+")


def _reference(rule: Rule) -> str:
    """The first AWS page the rule's documentation cites (``invlint rule CODE`` shows the whole of it)."""
    docs = rule.docs
    m = _URL.search(docs, max(docs.find("References"), 0))
    return m.group(0) if m else ""


def _make(rule: Rule, cfn_id: str) -> type[CloudFormationLintRule]:
    """A cfn-lint rule that reports one invlint rule's findings. (No shared base class at module level:
    cfn-lint would take it for one more rule.)"""
    attrs = {
        "id": cfn_id,
        "shortdesc": f"{rule.code} {rule.name}",
        "description": rule.summary,
        "source_url": _reference(rule),
        "tags": ["invlint", rule.family.lower()],
        "invlint_code": rule.code,
        "match": _match_findings,
        "__doc__": rule.summary,
        "__module__": __name__,
    }
    return type(f"Invlint{rule.code}", (CloudFormationLintRule,), attrs)


def _define() -> None:
    for rule in all_rules().values():
        cfn_id = cfn_lint_id(rule)
        if cfn_id is not None:  # tests/test_cfnlint.py makes sure every rule has one
            cls = _make(rule, cfn_id)
            globals()[cls.__name__] = cls


_define()
