"""The machine report, version 1. Its shape is a promise: keys are only ever added, never renamed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..registry import Finding
from . import counts

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

    return json_safe(json.dumps(as_dict(result), indent=2, ensure_ascii=False)) + "\n"
