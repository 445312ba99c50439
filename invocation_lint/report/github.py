"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

Escaping follows GitHub's workflow-command rules: in the message ``%``, CR and LF are escaped; property
values (file, title) also escape ``:`` and ``,``. Columns are given only for one-line spans, as GitHub
ignores them otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import Finding
from ..source import clean

if TYPE_CHECKING:
    from ..engine import Result

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _data(text: str) -> str:
    """Text from the input in a message: control characters escaped first (``clean``: an ESC, CR or LF of the
    input never reaches the log raw), then GitHub's own escapes."""
    return escape_data(clean(text))


def _prop(text: str) -> str:
    return escape_property(clean(text))


def annotation(f: Finding) -> str:
    props: list[str] = []
    s = f.span
    if s is not None:
        props.append(f"file={_prop(s.file)}")
        props.append(f"line={s.line}")
        if s.last_line == s.line:
            props.append(f"col={s.column}")
        props.append(f"endLine={s.last_line}")
        if s.last_line == s.line and s.end_column:
            props.append(f"endColumn={s.end_column}")
    props.append(f"title={_prop(f'{f.code} {f.name}')}")
    body = _data(f.message)  # each piece escaped on its own: only the line breaks written here are kept
    if f.path:
        body += "%0Apath: " + _data(" → ".join(f.path))
    if f.fix:
        body += "%0Afix: " + _data(f.fix)
    return f"::{LEVEL.get(f.severity, 'warning')} {','.join(props)}::{body}"


def render(result: Result) -> str:
    out = [annotation(f) for f in result.findings]
    for e in result.errors:
        props = [f"file={_prop(e.file)}"]
        if e.line:
            props.append(f"line={e.line}")
        props.append("title=invlint input error")
        out.append(f"::error {','.join(props)}::{_data(e.message)}")
    return "".join(line + "\n" for line in out)
