"""Reports: one module per output format, each ``render(result, ...) -> str``.

What every format shares (counts, the summary line) is in ``summary``, which the format modules import; the
package imports each format's module only when it renders that format, so no two modules import each other.
Only ``text`` with colour imports rich; every other format is plain string building, so the common cases
(pipes, CI, pre-commit) start fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .summary import at_or_above, counts, files_with_findings, summary_line

__all__ = ["at_or_above", "counts", "files_with_findings", "render", "summary_line", "uri_of"]

if TYPE_CHECKING:
    from ..engine import Result


def uri_of(file: str) -> str:
    """A file as a relative URI with forward slashes (absolute paths under the working directory made relative)."""
    if os.path.isabs(file):
        try:
            rel = os.path.relpath(file)
        except ValueError:
            rel = file
        if not rel.startswith(".."):
            file = rel
    from urllib.parse import quote

    return quote(os.fsencode(os.path.normpath(file).replace(os.sep, "/")), safe="/")


def render(result: Result, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    if fmt == "json":
        from . import json

        return json.render(result)
    if fmt == "sarif":
        from . import sarif

        return sarif.render(result)
    if fmt == "github":
        from . import github

        return github.render(result)
    if fmt == "markdown":
        from . import markdown

        return markdown.render(result)
    from . import text

    return text.render(result, color=color, width=width)
