"""Shared test helpers: lint a fixture and compare findings as ``(code, resource, line)`` tuples.

Import them (``from conftest import lint, finding_tuples, FIXTURES``) or use the fixtures of the same names.
``tests/`` has no ``__init__.py`` on purpose, so that ``conftest`` is importable by that name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from invocation_lint.registry import Context, Finding, all_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def _selected(code: str, select: Iterable[str] | None) -> bool:
    return select is None or any(code == s or code.startswith(s) for s in select)


def run_rules(model: Any, select: Iterable[str] | str | None = None,
              options: dict[str, dict[str, Any]] | None = None) -> list[Finding]:
    """Run the catalogue (or the codes/prefixes in ``select``) on one Model, sorted by location.

    ``options`` maps a rule code to its options (``{"SQS004": {"visibility-factor": 4}}``); a rule's declared
    defaults apply otherwise. Severity and name are filled from the rule as the engine does, and handler code is
    analysed when a selected rule reads it.
    """
    if isinstance(select, str):
        select = [select]
    chosen = {code: r for code, r in all_rules().items() if _selected(code, select)}
    if any(r.needs_handlers for r in chosen.values()) and not model.handler_facts:
        from invocation_lint.handlers import analyse_model

        analyse_model(model)  # as the engine does: handler rules read the facts of the handler code
    out: list[Finding] = []
    for code, r in chosen.items():
        ctx = Context(options={**r.options, **(options or {}).get(code, {})})
        for f in r.check(model, ctx):
            f.severity = f.severity or r.severity
            f.name = f.name or r.name
            out.append(f)
    return sorted(out, key=Finding.sort_key)


def lint(path: str | Path, select: Iterable[str] | str | None = None,
         options: dict[str, dict[str, Any]] | None = None) -> list[Finding]:
    """Load ``path`` (a template, or a directory of them) and run the rules on every Model it gives."""
    from invocation_lint.load import load_path

    out: list[Finding] = []
    for model in load_path(str(path)):
        out.extend(run_rules(model, select, options))
    return out


def finding_tuples(findings: Iterable[Finding]) -> list[tuple[str, str | None, int | None]]:
    """``[(code, resource, line)]`` in the order given: compare whole lists, so extra findings fail."""
    return [(f.code, f.resource, f.span.line if f.span else None) for f in findings]


@pytest.fixture(name="lint")
def _lint_fixture() -> Any:
    return lint


@pytest.fixture(name="finding_tuples")
def _finding_tuples_fixture() -> Any:
    return finding_tuples
