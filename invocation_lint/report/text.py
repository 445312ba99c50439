"""The human report: findings grouped by file, each with its source lines, failure path and fix.

The layout is built once as styled segments; without colour they are joined as plain text (pipes, CI,
pre-commit: no rich import), with colour rich prints the very same characters.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ..registry import Finding
from ..source import clean
from ..suppress import SourceLines
from .summary import summary_line

if TYPE_CHECKING:
    from ..engine import Result

MAX_SOURCE_LINES = 5
#: a source line is shown cut to this many characters around the finding's column when no width is known
SOURCE_WIDTH = 120

Segment = tuple[str, str]  # (text, rich style or "")
Line = list[Segment]

_SEV_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def snippet(line: str, column: int, width: int) -> str:
    """``line`` cut to about ``width`` characters around ``column`` (1-based), with "…" where it was cut: a
    minified template is one line of megabytes, and each of its findings would print all of it."""
    line = line.rstrip("\r\n")
    if len(line) <= width:
        return clean(line)
    width = max(width, 20)
    start = max(0, min(column - 1 - width // 3, len(line) - width))
    piece = line[start:start + width]
    return ("…" if start > 0 else "") + clean(piece) + ("…" if start + width < len(line) else "")


def _finding_lines(f: Finding, sources: SourceLines, width: int = SOURCE_WIDTH) -> list[Line]:
    s = f.span
    where = f"{s.file}:{s.line}:{s.column}" if s else "(no location)"
    out: list[Line] = [[
        (where, "bold"), (" ", ""), (f.severity, _SEV_STYLE.get(f.severity, "")), (" ", ""),
        (f.code, "bold"), (" ", ""), (f.name, "cyan"), (": ", ""), (f.message, ""),
    ]]
    if f.construct_path:
        out[0].append((f" [{f.construct_path}]", "dim"))
    if s is not None:
        text = sources.lines(s.file)
        if text is not None:
            last = min(s.last_line, len(text), s.line + MAX_SOURCE_LINES - 1)
            digits = len(str(last))
            for n in range(s.line, last + 1):
                column = s.column if n == s.line else 1
                out.append([(f"  {n:>{digits}} | ", "dim"), (snippet(text[n - 1], column, width), "")])
            if s.last_line > last and last < len(text):
                out.append([(f"  {'':>{digits}} | ", "dim"), ("…", "dim")])
    if f.path:
        out.append([("  path: ", "dim"), (" → ".join(f.path), "magenta")])
    if f.fix:
        out.append([("  fix: ", "dim"), (f.fix, "green")])
    for r in f.related:
        loc = f"{r.span.file}:{r.span.line}" if r.span else "(no location)"
        extra = f" {r.resource}" if r.resource else ""
        msg = f" ({r.message})" if r.message else ""
        out.append([("  also: ", "dim"), (loc, "bold"), (extra + msg, "")])
    return out


def _columns(fallback: int) -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (``COLUMNS``, then standard output),
    without importing shutil and the compression modules it pulls in."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or fallback


def layout(result: Result, width: int | None = None) -> list[Line]:
    """The report's lines; every piece of text from the input is escaped (``clean``), so nothing in a template
    or a file name can write to the terminal or start a line of its own."""
    if width is None:
        width = _columns(SOURCE_WIDTH + 10)
    room = max(40, width - 10)
    sources = result.sources or SourceLines()
    lines: list[Line] = []
    current: str | None = None
    for f in result.findings:
        file = f.span.file if f.span else ""
        if current is not None and file != current:
            lines.append([])
        current = file
        lines.extend([[(clean(t), st) for t, st in line] for line in _finding_lines(f, sources, room)])
    if result.findings:
        lines.append([])
    ok = not result.findings
    lines.append([(summary_line(result), "bold green" if ok and not result.errors else "bold")])
    return lines


def render(result: Result, *, color: bool = False, width: int | None = None) -> str:
    lines = layout(result, width)
    if not color:
        return "".join("".join(t for t, _ in line) + "\n" for line in lines)
    from rich.console import Console
    from rich.text import Text

    console = Console(force_terminal=True, color_system="auto", highlight=False, soft_wrap=True, width=width)
    with console.capture() as cap:
        for line in lines:
            console.print(Text.assemble(*[(t, st) if st else t for t, st in line]))
    return cap.get()
