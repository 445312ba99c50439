"""The work of ``invlint check`` and what the commands share, without the command-line layer: ``cli`` (click)
and ``entry`` (a plain ``check`` read without click) both end in :func:`check`.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage, configuration or
input errors (input errors win over findings; the other files are still checked and reported).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

FAIL_ON = ("error", "warning", "info")

#: set when the command runs as a program that ends with ``os._exit`` (not in a test's ``CliRunner``)
_ENDS_PROCESS = False


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
    """One line on standard error; whatever came from the input is escaped, so it stays one line (and holds
    no terminal escape sequence)."""
    from .source import clean

    err = sys.stderr
    if err is None:  # started without standard error
        return
    err.write(clean(line) + "\n")
    err.flush()


def _fail(message: str) -> None:
    _say(f"invlint: {message}")
    sys.exit(2)


def plural_findings(n: int) -> str:
    return f"{n} finding{'s' if n != 1 else ''}"


def check(
    paths: tuple[str, ...], fmt: str = "text", select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
    fail_on: str | None = None, no_color: bool = False, config_path: str | None = None,
    baseline: str | None = None, write_baseline: str | None = None, output: str | None = None,
    skip_non_templates: bool = False, verbose: bool = False, root: str | None = None, fix: bool = False,
    unsafe_fixes: bool = False, show_diff: bool = False, exclude: tuple[str, ...] = (), jobs: int = 0,
    warn_unused_suppressions: bool = False,
) -> None:
    """``invlint check``: the arguments as the command line gives them (the defaults are the command line's);
    ends with ``sys.exit`` and the exit code."""
    if _ENDS_PROCESS:
        import gc

        # the run pauses the cyclic collector; re-enabling it at the end triggers a full collection of
        # everything the run built (0.5 s for a 10,000-resource module), wasted on a process about to end.
        # Paused before the imports, which allocate enough to trigger collections too (~3 ms of a small run).
        gc.disable()
    from . import discover
    from .config import ConfigError, load_config
    from .engine import SelectionError, run

    discover.ROOT_OVERRIDE = root

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


def end_process(command: Callable[[], object]) -> None:
    """Run ``command`` as the whole program: flush the standard streams and end the process with its exit code,
    skipping interpreter teardown.

    Tearing down a Python process that imported a few hundred modules takes ~30 ms, a sixth of a whole
    ``invlint check`` run, and does nothing useful here: reports and baselines are written and closed by then.
    """
    global _ENDS_PROCESS
    _ENDS_PROCESS = True
    try:
        command()
        code: object = 0
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
