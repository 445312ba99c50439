"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

Escaping follows GitHub's workflow-command rules: in the message ``%``, CR and LF are escaped; property
values (file, title) also escape ``:`` and ``,``. Columns are given only for one-line spans, as GitHub
ignores them otherwise.

GitHub shows only the first 10 error, 10 warning and 10 notice annotations of a step
(https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md, "Limitations"). So annotations come
errors first, then warnings, then notices; past 10 of a level the rest are plain lines of the step's log, and
one notice (before the findings' notices, so that it is shown) says how many were left out and where they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import Finding
from ..source import clean

if TYPE_CHECKING:
    from ..engine import Result

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
ORDER = ("error", "warning", "notice")
#: annotations of each level GitHub shows per step
PER_LEVEL = 10


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
    if f.construct_path:
        body += "%0Aconstruct: " + _data(f.construct_path)
    if f.path:
        body += "%0Apath: " + _data(" → ".join(f.path))
    if f.fix:
        body += "%0Afix: " + _data(f.fix)
    return f"::{LEVEL.get(f.severity, 'warning')} {','.join(props)}::{body}"


def _plain(where: str, severity: str, what: str, message: str) -> str:
    """A log line, not a command: it starts with ``invlint:`` so that no file name can make it one."""
    return f"invlint: {_data(where)} {severity} {_data(what)}: {_data(message)}"


def _more(counts: dict[str, int]) -> str:
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "notice": ("notice", "notices")}
    parts = [f"{n} more {words[lvl][n != 1]}" for lvl, n in counts.items() if n]
    listed = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    verb = "is" if sum(counts.values()) == 1 else "are"
    return (f"{listed} {verb} not shown as annotations (GitHub shows {PER_LEVEL} of each level per step): they "
            "are listed in this step's log, and in full in the text report (invlint check) and the SARIF report "
            "(invlint check --format sarif)")


def render(result: Result) -> str:
    items: list[tuple[str, str, str]] = []  # (level, annotation, the same as a plain log line)
    for f in result.findings:
        where = str(f.span) if f.span is not None else (f.resource or "")
        items.append((LEVEL.get(f.severity, "warning"), annotation(f),
                      _plain(where, f.severity, f"{f.code} {f.name}", f.message)))
    for e in result.errors:
        props = [f"file={_prop(e.file)}"]
        if e.line:
            props.append(f"line={e.line}")
        props.append("title=invlint input error")
        where = f"{e.file}:{e.line}" if e.line else e.file
        items.append(("error", f"::error {','.join(props)}::{_data(e.message)}",
                      _plain(where, "error", "input error", e.message)))
    items.sort(key=lambda item: ORDER.index(item[0]))  # stable: the report's order within a level
    total = {lvl: sum(1 for item in items if item[0] == lvl) for lvl in ORDER}
    cap = {lvl: PER_LEVEL for lvl in ORDER}
    if any(n > PER_LEVEL for n in total.values()):
        cap["notice"] = PER_LEVEL - 1  # the summary notice takes one place
    shown = {lvl: 0 for lvl in ORDER}
    out: list[str] = []
    hidden: list[str] = []
    summary_done = False
    for lvl, command, plain in items + [("", "", "")]:
        if not summary_done and lvl not in ("error", "warning"):
            summary_done = True
            left = {k: max(total[k] - cap[k], 0) for k in ORDER}
            if any(left.values()):
                out.append(f"::notice title={_prop('invlint: more findings')}::{_data(_more(left))}")
        if not lvl:
            break
        if shown[lvl] < cap[lvl]:
            shown[lvl] += 1
            out.append(command)
        else:
            hidden.append(plain)
    return "".join(line + "\n" for line in out + hidden)
