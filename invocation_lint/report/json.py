"""The machine report, version 1. Its shape is a promise: keys are only ever added, never renamed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..registry import Finding
from .summary import counts

if TYPE_CHECKING:
    from ..engine import Result

VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    s = f.span
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "file": s.file if s else None,
        "line": s.line if s else None,
        "column": s.column if s else None,
        "end_line": s.last_line if s else None,
        "end_column": (s.end_column or None) if s else None,
        "resource": f.resource,
        "construct_path": f.construct_path,
        "function": f.function,
        "related": [
            {"file": r.span.file if r.span else None, "line": r.span.line if r.span else None,
             "resource": r.resource}
            for r in f.related
        ],
        "path": list(f.path),
        "fix": f.fix or None,
    }


def as_dict(result: Result) -> dict[str, Any]:
    c = counts(result.findings)
    return {
        "version": VERSION,
        "findings": [finding_dict(f) for f in result.findings],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in result.errors],
        "summary": {
            "files": result.checked,
            "errors": c["error"],
            "warnings": c["warning"],
            "infos": c["info"],
            "input_errors": len(result.errors),
        },
    }


def render(result: Result) -> str:
    from ..source import json_safe

    return json_safe(dumps(as_dict(result))) + "\n"


_STR = json.encoder.encode_basestring  # the C encoder of a string, as ``ensure_ascii=False`` writes it
_LEAF: dict[type, Any] = {str: _STR, int: int.__repr__, bool: lambda b: "true" if b else "false",
                          type(None): lambda _: "null"}


def dumps(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, the same characters, several times faster.

    With ``indent`` the standard library falls back to its pure-Python encoder; here containers are
    joined with their indentation directly and each string goes through the C encoder. Anything other than
    plain dicts (string keys), lists, strings, ints, bools and None is left to ``json.dumps`` itself.
    """
    try:
        return _indented(data, "\n")
    except _Unusual:
        return json.dumps(data, indent=2, ensure_ascii=False)


class _Unusual(Exception):
    pass


def _indented(obj: Any, newline: str) -> str:
    leaf = _LEAF.get(type(obj))
    if leaf is not None:
        return leaf(obj)
    inner = newline + "  "
    if type(obj) is dict:
        if not obj:
            return "{}"
        parts = []
        for k, v in obj.items():
            if type(k) is not str:
                raise _Unusual
            parts.append(f"{_STR(k)}: {_indented(v, inner)}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if type(obj) is list:
        if not obj:
            return "[]"
        return "[" + inner + ("," + inner).join([_indented(v, inner) for v in obj]) + newline + "]"
    raise _Unusual
