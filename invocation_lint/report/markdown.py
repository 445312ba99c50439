"""Markdown: the summary line, the findings counted per rule, and the findings as a table; written for a
GitHub job summary (``$GITHUB_STEP_SUMMARY``) or a pull request comment.

Everything from the input (paths, resource names, messages) has its control characters escaped and each character
that Markdown could read as markup backslash-escaped, so that no template can add links, images, HTML, mentions
or table cells. A
step summary holds at most 1 MiB, so the table stops after ``MAX_ROWS`` findings and says how many more there
are.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from ..source import clean
from .summary import summary_line

if TYPE_CHECKING:
    from ..engine import Result

MAX_ROWS = 500
#: what could start emphasis, code, a link or image, HTML, an entity, a heading, a mention or a table cell
_PUNCT = re.compile(r"([\\`*_\[\]<>|!#~&@])")


def text(value: str) -> str:
    """Input text as literal Markdown inside a table cell: one line, markup characters escaped."""
    return _PUNCT.sub(r"\\\1", clean(value).replace("\n", " "))


def render(result: Result) -> str:
    out = ["## invlint", "", text(summary_line(result)), ""]
    if result.findings:
        per_rule = Counter((f.code, f.name, f.severity) for f in result.findings)
        out += ["| Rule | Severity | Findings |", "|---|---|---:|"]
        for (code, name, severity), n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"| {code} {text(name)} | {severity} | {n} |")
        out += ["", "| Severity | Rule | Where | Resource | Message |", "|---|---|---|---|---|"]
        for f in result.findings[:MAX_ROWS]:
            where = f"{f.span.file}:{f.span.line}" if f.span is not None else ""
            out.append(f"| {f.severity} | {f.code} | {text(where)} | {text(f.resource or '')} | {text(f.message)} |")
        if len(result.findings) > MAX_ROWS:
            out += ["", f"{len(result.findings) - MAX_ROWS} more findings are not listed here: see the SARIF or text "
                        "report."]
    if result.errors:
        out += ["", "| Input error | Message |", "|---|---|"]
        for e in result.errors[:MAX_ROWS]:
            where = f"{e.file}:{e.line}" if e.line else e.file
            out.append(f"| {text(where)} | {text(e.message)} |")
    return "\n".join(out) + "\n"
