"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

Escaping follows GitHub's workflow-command rules: in the message ``%``, CR and LF are escaped; property
values (file, title) also escape ``:`` and ``,``. Columns are given only for one-line spans, as GitHub
ignores them otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import Finding

if TYPE_CHECKING:
    from ..engine import Result

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props: list[str] = []
    s = f.span
    if s is not None:
        props.append(f"file={escape_property(s.file)}")
        props.append(f"line={s.line}")
        if s.last_line == s.line:
            props.append(f"col={s.column}")
        props.append(f"endLine={s.last_line}")
        if s.last_line == s.line and s.end_column:
            props.append(f"endColumn={s.end_column}")
    props.append(f"title={escape_property(f'{f.code} {f.name}')}")
    body = f.message
    if f.path:
        body += "\npath: " + " → ".join(f.path)
    if f.fix:
        body += "\nfix: " + f.fix
    return f"::{LEVEL.get(f.severity, 'warning')} {','.join(props)}::{escape_data(body)}"


def render(result: Result) -> str:
    out = [annotation(f) for f in result.findings]
    for e in result.errors:
        props = [f"file={escape_property(e.file)}"]
        if e.line:
            props.append(f"line={e.line}")
        props.append("title=invlint input error")
        out.append(f"::error {','.join(props)}::{escape_data(e.message)}")
    return "".join(line + "\n" for line in out)
