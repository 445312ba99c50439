"""What every report says about a run as a whole: counts by severity, the summary line, the exit decision.

Its own module so that each format's module and the package's ``render`` import it, never each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import SEVERITY_RANK, Finding

if TYPE_CHECKING:
    from ..engine import Result


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity if f.severity in out else "warning"] += 1
    return out


def files_with_findings(findings: list[Finding]) -> int:
    return len({f.span.file if f.span else "" for f in findings})


def summary_line(result: Result) -> str:
    """``3 errors, 2 warnings, 1 info in 2 files (5 checked)``, or ``No problems found in 5 files.``"""
    c = counts(result.findings)
    n = result.checked
    parts = []
    if c["error"]:
        parts.append(f"{c['error']} error{'s' if c['error'] != 1 else ''}")
    if c["warning"]:
        parts.append(f"{c['warning']} warning{'s' if c['warning'] != 1 else ''}")
    if c["info"]:
        parts.append(f"{c['info']} info")
    if parts:
        nf = files_with_findings(result.findings)
        line = f"{', '.join(parts)} in {nf} file{'s' if nf != 1 else ''} ({n} checked)"
    elif n == 0 and result.errors:
        line = "No file could be checked"
    else:
        line = f"No problems found in {n} file{'s' if n != 1 else ''}"
    hidden = []
    if result.suppressed:
        hidden.append(f"{result.suppressed} suppressed")
    if result.baselined:
        hidden.append(f"{result.baselined} in baseline")
    if hidden and parts:
        line = line[:-1] + f"; {', '.join(hidden)})"  # inside "(5 checked)"
    elif hidden:
        line += f" ({', '.join(hidden)})"
    if result.errors:
        ne = len(result.errors)
        line += f"; {ne} input error{'s' if ne != 1 else ''}"
    return line if parts or hidden or result.errors else line + "."


def at_or_above(findings: list[Finding], fail_on: str) -> bool:
    floor = SEVERITY_RANK.get(fail_on, 1)
    return any(SEVERITY_RANK.get(f.severity, 1) >= floor for f in findings)
