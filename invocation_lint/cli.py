"""The command line: argument handling only; the work is in ``engine`` and ``report``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage, configuration or
input errors (input errors win over findings; the other files are still checked and reported).

Start-up time is part of the interface (pre-commit runs this on every commit): modules are imported where
they are used, and rich only for coloured output on a terminal. The ``invlint`` program starts in ``entry``,
which runs a plain ``invlint check`` without loading this module; the work of ``check`` is ``command.check``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__
from .command import FAIL_ON, _fail, _say, _tolerant_stdout, _write_stdout, end_process


class _Main(click.Group):
    """The command group; called as a program (console script, ``python -m``) it skips interpreter teardown
    (``command.end_process``): after flushing the standard streams the process ends with ``os._exit``. Tests
    call ``main.main()`` (``CliRunner``), which keeps normal ``SystemExit`` behaviour; so do coverage runs and
    ``INVLINT_DEBUG=1``.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if os.environ.get("INVLINT_DEBUG") or "coverage" in sys.modules:
            return self.main(*args, **kwargs)
        end_process(lambda: self.main(*args, **kwargs))


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="invlint", message="%(prog)s %(version)s")
def main() -> None:
    """invlint: finds AWS Lambda failure handling that loses events, from template to handler code."""
    _tolerant_stdout()


@main.command(epilog="Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, "
                     "configuration or input errors.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "markdown"]), default="text",
              show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Comma-separated codes, names or families (SQS, HANDLER) to check; default: all.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Comma-separated codes, names or families to skip.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--no-color", is_flag=True, help="Plain text even on a terminal (also: NO_COLOR=1).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (default: nearest .invlint.yaml or pyproject.toml [tool.invlint]).")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Hide the findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="Record the current findings in this file and exit 0.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, metavar="N",
              help="Processes checking inputs side by side; 0 (the default): one per core when there are enough "
                   "inputs to repay starting them, 1: this process only. The report is the same either way.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out inputs whose path (or a trailing part of it) matches GLOB, e.g. 'cdk.out' or "
                   "'tests/**'; repeatable, added to the configuration's exclude.")
@click.option("--skip-non-templates", is_flag=True,
              help="Skip files named on the command line that are not templates, instead of reporting them "
                   "(for hooks that pass every changed YAML/JSON file).")
@click.option("--warn-unused-suppressions", is_flag=True,
              help="Warn about each suppression (inline comment or Metadata) that hid no finding in this run.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also say on standard error what was not checked and why (unknown event sources, handler code "
                   "not found or in an unsupported runtime).")
@click.option("--root", "root", type=click.Path(file_okay=False, exists=True), default=None,
              help="Project root: no file outside it is read (handler code, module sources) [default: the "
                   "enclosing git work tree, else the current directory].")
@click.option("--fix", "fix", is_flag=True, help="Apply the safe fixes to the files, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply the unsafe fixes (they delete or add configuration); implies --fix.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of what --fix would change and write nothing (exit 1 when there is "
                   "something to fix).")
def check(**options: Any) -> None:
    """Check templates, directories and Terraform modules ("-" reads a template from standard input)."""
    # the work is command.check: it takes each option above as a keyword parameter with the same default (the
    # entry point calls it without click for a plain check, leaving out the options it was not given)
    from .command import check as run_check

    run_check(**options)


def _rules_table(fmt: str, token: str | None = None) -> str:
    from .registry import all_rules, rule_matches

    rules = [r for r in all_rules().values() if token is None or rule_matches(token, r)]
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | Fix | Summary |", "|---|---|---|---|---|"]
        for r in rules:
            summary = r.summary.replace("|", "\\|")
            lines.append(f"| {r.code} | `{r.name}` | {r.severity} | {r.fix} | {summary} |")
        return "\n".join(lines) + "\n"
    if fmt == "json":
        import json

        data = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary,
                 "family": r.family, "needs_handlers": r.needs_handlers, "fix": r.fix} for r in rules]
        return json.dumps(data, indent=2) + "\n"
    rows = [("CODE", "NAME", "SEVERITY", "FIX", "SUMMARY")] + [
        (r.code, r.name, r.severity, r.fix, r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "".join(
        "".join(f"{cell:<{widths[i]}}  " for i, cell in enumerate(row[:4])) + row[4] + "\n" for row in rows
    )


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, default severity, fix (safe, unsafe or none), summary."""
    _write_stdout(_rules_table(fmt))


@main.command("rule")
@click.argument("code_or_name")
def rule_cmd(code_or_name: str) -> None:
    """Show a rule's documentation (by code or name); a family (SQS) or code prefix lists its rules."""
    from .engine import suggest
    from .registry import all_rules, find_rule, rule_matches

    r = find_rule(code_or_name)
    if r is None and any(rule_matches(code_or_name, x) for x in all_rules().values()):
        _write_stdout(_rules_table("text", code_or_name))
        return
    if r is None:
        hint = suggest(code_or_name, all_rules())
        _fail(f"no rule '{code_or_name}'" + (f"; did you mean {hint}?" if hint else "") +
              " (invlint rules lists them)")
        return
    head = f"{r.code} {r.name} ({r.severity})"
    body = r.docs or r.summary
    opts = ""
    if r.options:
        lines = "\n".join(f"- `{k}`: {v!r} (default)" for k, v in r.options.items())
        opts = f"\n## Options\nSet in the configuration under `options.{r.code}`:\n{lines}\n"
    _write_stdout(f"{head}\n{'=' * len(head)}\n\n{r.summary}\n\n{body}\n{opts}")


@main.command("graph")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
def graph_cmd(paths: tuple[str, ...], fmt: str) -> None:
    """Draw the resource graph: triggers and failure routes."""
    try:
        from .graph import render as render_graph
    except ImportError:
        _fail("graph rendering is not available in this version")
        return
    from .engine import load_models

    models, errors = load_models(list(paths))
    if models:
        _write_stdout(render_graph(models, fmt))
    for err in errors:
        _say(str(err))
    sys.exit(2 if errors else 0)


if __name__ == "__main__":
    main(prog_name="invlint")
