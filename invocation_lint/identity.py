"""A finding's identity: what stays the same while the problem is not fixed.

Baselines and SARIF fingerprints recognise a finding across runs by

- its rule code,
- its file, relative to the project root (``discover.project_root``: ``--root``, else the enclosing git work
  tree, else the working directory), so that running from a subdirectory, or from the root, gives the same identity,
- the resource where the fix belongs and the function involved,
- the setting's path: the chain of keys leading to the line the finding points at in a template
  (``Resources.ProcessOrders.Properties.Events.Orders.Properties.BatchSize``), read from the file's
  indentation, so two findings of one rule on one resource stay apart.

Never its message or its line: changing ``VisibilityTimeout`` from 60 to 90 rewords an SQS004 message and
moves nothing else, and must keep every other finding baselined and every SARIF alert open.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .registry import Finding
    from .suppress import SourceLines

VERSION = 2

#: files whose findings point at handler code: the function identifies them, not the code's structure
CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_KEY = re.compile(r"""^\s*(?:-\s+)?(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s:={"'#][^:={]*?))\s*(?::(?:\s|$)|=|\{|:$)""")
STDIN = ("-", "<stdin>")


def project_path(file: str) -> str:
    """``file`` relative to its project root, with forward slashes; standard input stays as it is."""
    if not file or file in STDIN:
        return file
    from .discover import project_root

    full = os.path.abspath(file)
    root = project_root(full)
    try:
        rel = os.path.relpath(full, root)
    except ValueError:  # another drive
        return full.replace(os.sep, "/")
    if rel.startswith(".."):
        return full.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t-")
    return len(line) - len(stripped) if stripped else -1


def _key(line: str) -> str | None:
    m = _KEY.match(line)
    if m is None:
        return None
    key = next(g for g in m.groups() if g is not None)
    return " ".join(key.replace('"', " ").split()) or None


def setting_path(file: str, line: int, sources: SourceLines) -> str:
    """The keys leading to ``line`` of a template (YAML, pretty-printed JSON, HCL): each line above it with less
    indentation contributes its key. Empty for handler code and for files that cannot be read.

    Each file's outline (every line's nearest line above with less indentation) is worked out once, in one pass
    (``_outline``): a finding costs the depth of its setting, not the lines above it."""
    if not file or file.endswith(CODE_SUFFIXES):
        return ""
    lines = sources.lines(file) if file not in STDIN else None
    if lines is None or line < 1 or line > len(lines):
        return ""
    parents, indents = sources.derived(file, "outline", lambda: _outline(lines))
    keys: list[str] = []
    n = line - 1
    k = _key(lines[n])
    if k:
        keys.append(k)
    while indents[n] > 0 and (n := parents[n]) >= 0:
        k = _key(lines[n])
        if k:
            keys.append(k)
    return ".".join(reversed(keys))


def _outline(lines: list[str]) -> tuple[list[int], list[int]]:
    """For each line, the index of the nearest line above it that has less indentation and is neither blank
    nor a comment (-1: none), and each line's indentation (-1: blank). One pass, with the lines that can still be
    someone's parent on a stack of strictly growing indentation."""
    from bisect import bisect_left

    parents: list[int] = []
    indents: list[int] = []
    stack: list[int] = []  # line indices
    depths: list[int] = []  # their indentation, strictly growing
    for n, text in enumerate(lines):
        d = _indent(text)
        indents.append(d)
        at = bisect_left(depths, d) if d >= 0 else 0
        parents.append(stack[at - 1] if at else -1)
        if d >= 0 and not text.lstrip().startswith(("#", "//")):
            del stack[at:], depths[at:]
            stack.append(n)
            depths.append(d)
    return parents, indents


def identity(f: Finding, sources: SourceLines) -> tuple[str, str, str, str, str]:
    """(rule, project-relative file, resource, function, setting path): the parts of a finding that an edit
    which does not fix it leaves alone."""
    s = f.span
    file = sources.derived(s.file, "project_path", lambda: project_path(s.file)) if s else ""
    setting = setting_path(s.file, s.line, sources) if s else ""
    return (f.code, file, f.resource or "", f.function or "", setting)


def fingerprint_of(parts: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprint(f: Finding, sources: SourceLines | None = None) -> str:
    """A stable id for a finding across runs and working directories (see the module's docstring)."""
    if sources is None:
        from .suppress import SourceLines

        sources = SourceLines()
    return fingerprint_of(identity(f, sources))
