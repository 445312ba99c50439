"""The command line: argument handling only; the work is in ``engine`` and ``report``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage, configuration or
input errors (input errors win over findings; the other files are still checked and reported).

Start-up time is part of the interface (pre-commit runs this on every commit): modules are imported where
they are used, and rich only for coloured output on a terminal.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__

FAIL_ON = ("error", "warning", "info")


def _split(values: tuple[str, ...] | None) -> list[str] | None:
    if not values:
        return None
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def _use_color(no_color: bool, output: str | None, fmt: str) -> bool:
    if no_color or output or fmt != "text" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _tolerant_stdout() -> None:
    """A console that cannot encode "→" (cp1252, ASCII) gets "?" instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def _write_stdout(text: str) -> None:
    """Write the report; a reader that left (``invlint check . | head``) or a closed standard output ends the
    output quietly, and the exit code stays the documented one."""
    out = sys.stdout
    if out is None:  # started with standard output closed: nowhere to write
        return
    try:
        out.write(text)
        out.flush()
    except (BrokenPipeError, ValueError, OSError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        except (OSError, ValueError):
            sys.stdout = None


def _say(line: str) -> None:
    """One line on standard error; whatever came from the input is escaped, so it stays one line."""
    from .source import clean

    click.echo(clean(line), err=True)


def _fail(message: str) -> None:
    _say(f"invlint: {message}")
    sys.exit(2)


#: set when the command runs as a program that ends with ``os._exit`` (not under ``CliRunner``)
_ENDS_PROCESS = False


class _Main(click.Group):
    """The command group; called as a program (console script, ``python -m``) it skips interpreter teardown.

    Tearing down a Python process that imported a few hundred modules takes ~30 ms, a sixth of a whole
    ``invlint check`` run, and does nothing useful here: reports and baselines are written and closed by then.
    So after flushing the standard streams the process ends with ``os._exit``. Tests call ``main.main()``
    (``CliRunner``), which keeps normal ``SystemExit`` behaviour; so do coverage runs and ``INVLINT_DEBUG=1``.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if os.environ.get("INVLINT_DEBUG") or "coverage" in sys.modules:
            return self.main(*args, **kwargs)
        global _ENDS_PROCESS
        _ENDS_PROCESS = True
        try:
            self.main(*args, **kwargs)
            code: Any = 0
        except SystemExit as exc:
            code = exc.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):  # closed, or None when started without it
                pass
        os._exit(code)


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
def check(
    paths: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None,
    no_color: bool, config_path: str | None, baseline: str | None, write_baseline: str | None,
    output: str | None, skip_non_templates: bool, verbose: bool, root: str | None, fix: bool = False,
    unsafe_fixes: bool = False, show_diff: bool = False, exclude: tuple[str, ...] = (), jobs: int = 0,
    warn_unused_suppressions: bool = False,
) -> None:
    """Check templates, directories and Terraform modules ("-" reads a template from standard input)."""
    from . import discover
    from .config import ConfigError, load_config
    from .engine import SelectionError, run

    discover.ROOT_OVERRIDE = root
    if _ENDS_PROCESS:
        import gc

        # the run pauses the cyclic collector; re-enabling it at the end triggers a full collection of
        # everything the run built (0.5 s for a 10,000-resource module), wasted on a process about to end
        gc.disable()

    try:
        cfg = load_config(config_path)
    except ConfigError as exc:
        _fail(str(exc))
    sel = _split(select)
    if sel is not None:
        cfg.select = sel
    ign = _split(ignore)
    if ign is not None:
        cfg.ignore = ign
    if fail_on:
        cfg.fail_on = fail_on
    if baseline:
        cfg.baseline = baseline
    if write_baseline:
        cfg.write_baseline = write_baseline
    cfg.skip_non_templates = skip_non_templates
    cfg.exclude = [*cfg.exclude, *exclude]
    if warn_unused_suppressions:
        cfg.warn_unused_suppressions = True

    fixed = 0
    try:
        result = run(list(paths), cfg, jobs=jobs)
        if show_diff:
            sys.exit(_print_diff(result.findings, unsafe_fixes))
        if fix or unsafe_fixes:
            result, fixed = _apply_fixes(result, list(paths), cfg, unsafe_fixes, run)
    except SelectionError as exc:
        _fail(str(exc))
    finally:
        discover.ROOT_OVERRIDE = None

    from .report import at_or_above, render

    text = render(result, fmt, color=_use_color(no_color, output, fmt))
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            _fail(f"{output}: cannot write report: {exc.strerror}")
    else:
        _write_stdout(text)
    if verbose:
        for note in cfg.notes + result.notes:
            _say(f"invlint: note: {note}")
        for model in result.models:
            for note in dict.fromkeys(model.notes):  # each said once
                _say(f"{model.file}: note: {note}")
        for f in result.findings:
            if f.autofix is not None and not f.autofix.applicable and f.autofix.reason:
                _say(f"{f.span or f.resource}: {f.code}: no automatic fix: {f.autofix.reason}")
    if fix or unsafe_fixes:
        left = sum(1 for f in result.findings if f.autofix is not None and f.autofix.applicable)
        more = f"; {left} more with --unsafe-fixes" if left and not unsafe_fixes else ""
        _say(f"invlint: fixed {plural_findings(fixed)}, {len(result.findings)} remaining{more}")
    for warning in result.warnings:
        _say(warning)
    for err in result.errors:
        _say(str(err))
    if cfg.write_baseline and not result.errors:
        n = len(result.all_findings)
        _say(f"invlint: wrote {n} finding{'s' if n != 1 else ''} to {cfg.write_baseline}")
    if result.errors:
        sys.exit(2)
    if cfg.write_baseline:
        sys.exit(0)
    sys.exit(1 if at_or_above(result.findings, cfg.fail_on) else 0)


def plural_findings(n: int) -> str:
    return f"{n} finding{'s' if n != 1 else ''}"


def _print_diff(findings: list[Any], unsafe: bool) -> int:
    """The unified diff of what ``--fix`` (``--unsafe-fixes``) would change; 1 when there is a change."""
    from .fixes import apply, diff, read_text, wanted

    changes, _ = apply(f.autofix for f in findings if wanted(f.autofix, unsafe))
    _write_stdout("".join(diff(file, read_text(file) or "", changes[file]) for file in sorted(changes)))
    return 1 if changes else 0


def _apply_fixes(result: Any, paths: list[str], cfg: Any, unsafe: bool, run: Any) -> tuple[Any, int]:
    """Apply the fixes, check again, and repeat while fixes still apply (one value can be asked for by two
    findings, or a fix can wait for an overlapping one); at most a few rounds, so nothing loops."""
    from .fixes import apply, wanted, write

    fixed = 0
    for _ in range(5):
        changes, n = apply(f.autofix for f in result.findings if wanted(f.autofix, unsafe))
        if not changes:
            break
        for file, text in changes.items():
            try:
                write(file, text)
            except OSError as exc:
                _fail(f"{file}: cannot write the fix: {exc.strerror}")
        fixed += n
        result = run(paths, cfg)
    return result, fixed


def _rules_table(fmt: str) -> str:
    from .registry import all_rules

    rules = list(all_rules().values())
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | Summary |", "|---|---|---|---|"]
        for r in rules:
            summary = r.summary.replace("|", "\\|")
            lines.append(f"| {r.code} | `{r.name}` | {r.severity} | {summary} |")
        return "\n".join(lines) + "\n"
    if fmt == "json":
        import json

        data = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary,
                 "family": r.family, "needs_handlers": r.needs_handlers} for r in rules]
        return json.dumps(data, indent=2) + "\n"
    rows = [("CODE", "NAME", "SEVERITY", "SUMMARY")] + [(r.code, r.name, r.severity, r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}".rstrip() + "\n"
        for row in rows
    )


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, default severity, summary."""
    _write_stdout(_rules_table(fmt))


@main.command("rule")
@click.argument("code_or_name")
def rule_cmd(code_or_name: str) -> None:
    """Show a rule's documentation (by code or name)."""
    from .engine import suggest
    from .registry import all_rules, find_rule

    r = find_rule(code_or_name)
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
