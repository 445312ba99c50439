"""Rules, findings and the catalogue.

A rule is a plain function ``check(model, ctx) -> Iterable[Finding]`` registered with ``@rule(...)``. Its
docstring is its documentation (Markdown, with the sections *What it does*, *Why is this bad?*, *Failure
path*, *Example*, *Use instead*, *References*); ``invlint rule CODE`` prints it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from typing import Any

from .fixes import Fix
from .model import Record, field, record
from .source import Span

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@record
class Related(Record):
    span: Span | None
    resource: str | None = None
    message: str = ""


@record
class Finding(Record):
    code: str
    message: str
    span: Span | None
    resource: str | None  # where the fix belongs (logical id / Terraform address)
    function: str | None = None  # the function involved, if any
    severity: str = ""  # filled from the rule's default (or config) when empty
    name: str = ""
    related: list[Related] = field(default_factory=list)
    path: list[str] = field(default_factory=list)  # the failure path, one step each
    fix: str = ""
    #: the edits that make the fix, when the rule can compute them (``Fix.reason`` says why not)
    autofix: Fix | None = None
    #: CDK: the construct path of ``resource`` (``OrdersStack/ProcessOrders``), when the template records it
    construct_path: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        s = self.span
        return (s.file if s else "", s.line if s else 0, s.column if s else 0, self.code, self.resource or "")


#: the key of a model's ``__dict__`` under which, while the engine runs the rules over that model, they keep
#: and share what they work out from it (``rules._common.per_model``)
PER_MODEL = "_per_model"


@record
class Context(Record):
    """What a rule may read besides the Model: its options from the configuration."""

    options: dict[str, Any] = field(default_factory=dict)
    #: every rule's options, by code: a fix that must agree with another rule reads that rule's option
    all_options: dict[str, dict[str, Any]] = field(default_factory=dict)

    def option(self, name: str, fallback: Any) -> Any:
        return self.options.get(name, fallback)

    def rule_option(self, code: str, name: str, fallback: Any) -> Any:
        """Option ``name`` of the rule ``code`` (its default or the configured value)."""
        return self.all_options.get(code, {}).get(name, fallback)


Check = Callable[[Any, Context], Iterable[Finding]]


@record
class Rule(Record):
    code: str
    name: str
    severity: str
    summary: str
    family: str
    check: Check
    needs_handlers: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    #: each option's JSON Schema; an option declared without one must have the type of its default
    option_schema: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def docs(self) -> str:
        return cleandoc(self.check.__doc__ or "")

    @property
    def fix(self) -> str:
        """How the rule's findings are fixed, from the first word of its *Fix* section: ``safe`` (``--fix``),
        ``unsafe`` (``--unsafe-fixes``) or ``none``."""
        docs = self.docs
        at = docs.find("\n## Fix\n")
        word = docs[at + 8:].split(":", 1)[0].strip().lower() if at >= 0 else ""
        return word if word in ("safe", "unsafe") else "none"


def cleandoc(doc: str) -> str:
    """A docstring without its indentation (what ``inspect.cleandoc`` does; ``inspect`` costs start-up time)."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents) if indents else 0
    out = [lines[0].strip()] + [line[margin:].rstrip() for line in lines[1:]]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    summary: str,
    *,
    needs_handlers: bool = False,
    options: dict[str, Any] | None = None,
    option_schema: dict[str, dict[str, Any]] | None = None,
) -> Callable[[Check], Check]:
    """Register a rule. Codes are stable forever; names are kebab-case."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity}")

    def deco(fn: Check) -> Check:
        family = "".join(ch for ch in code if ch.isalpha())
        schema = {k: default_schema(v) for k, v in (options or {}).items()}
        schema.update(option_schema or {})
        _RULES[code] = Rule(code, name, severity, summary, family, fn, needs_handlers, dict(options or {}), schema)
        return fn

    return deco


def default_schema(default: Any) -> dict[str, Any]:
    """The schema of an option declared only by its default: the default's JSON type."""
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer"}
    if isinstance(default, float):
        return {"type": "number"}
    if isinstance(default, str):
        return {"type": "string"}
    if isinstance(default, list):
        return {"type": "array"}
    return {}


def _module_names(paths: Iterable[str]) -> list[str]:
    """The modules and packages in ``paths``, like ``pkgutil.iter_modules`` (which imports ``inspect``)."""
    from importlib.machinery import all_suffixes

    suffixes = sorted(all_suffixes(), key=len, reverse=True)
    names: list[str] = []
    for path in paths:
        try:
            entries = sorted(os.listdir(path))
        except OSError:
            continue
        for entry in entries:
            full = os.path.join(path, entry)
            if os.path.isdir(full):
                name = entry if "." not in entry and os.path.isfile(os.path.join(full, "__init__.py")) else ""
            else:
                name = next((entry[: -len(s)] for s in suffixes if entry.endswith(s)), "")
            if name and name != "__init__" and "." not in name and name not in names:
                names.append(name)
    return names


def all_rules() -> dict[str, Rule]:
    """Every rule of the catalogue, by code, in catalogue order."""
    if not _RULES:
        pkg = importlib.import_module("invocation_lint.rules")

        for name in _module_names(pkg.__path__):
            if not name.startswith("_"):
                importlib.import_module(f"{pkg.__name__}.{name}")
    order = {"SQS": 0, "ASYNC": 1, "STREAM": 2, "SYNC": 3, "HANDLER": 4, "LOOP": 5}
    return dict(sorted(_RULES.items(), key=lambda kv: (order.get(kv[1].family, 9), kv[0])))


def rule_matches(token: str, rule: Rule) -> bool:
    """A selector names a rule by code, name, family (``SQS``) or code prefix (``SQS00``); ``ALL`` is all."""
    t = token.strip()
    if not t:
        return False
    up = t.upper()
    return up == "ALL" or rule.code.startswith(up) or t.lower() == rule.name


def find_rule(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    for r in rules.values():
        if r.name == key.lower():
            return r
    return None
