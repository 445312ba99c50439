"""SARIF 2.1.0, as GitHub code scanning reads it.

One run; ``tool.driver.rules`` describes every rule that ran (docs as help text and Markdown); each result
points at its rule by ``ruleId`` and ``ruleIndex``, carries an ``artifactLocation`` relative to the project
root (base ``%SRCROOT%`` = the git work tree, whatever the working directory, as code scanning expects) and
``partialFingerprints`` built from the finding's identity (``identity.py``: rule, file, resource, setting;
never message or line), so an alert and its dismissal survive edits that do not fix it. Input errors are
``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..fixes import Fix
from ..identity import fingerprint
from ..registry import Finding, Rule
from ..source import Span
from ..suppress import SourceLines

if TYPE_CHECKING:
    from ..engine import Result

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"
FINGERPRINT = "invlintFingerprint/v2"


def _artifact(file: str, root: str) -> dict[str, Any]:
    """A file under ``root`` as a relative URI on ``%SRCROOT%``; elsewhere (another repository) as a file URI."""
    return dict(_artifact_in(file, root, os.getcwd()))


@functools.lru_cache(maxsize=4096)
def _artifact_in(file: str, root: str, cwd: str) -> dict[str, Any]:
    """``_artifact`` from the working directory ``cwd``: worked out once per file, not once per finding."""
    from pathlib import Path
    from urllib.parse import quote

    if file in ("-", "<stdin>"):
        return {"uri": quote(file, safe="/"), "uriBaseId": SRCROOT}
    # a name that is not UTF-8 holds surrogates (os.fsdecode): its URI percent-encodes the original bytes
    full = os.path.abspath(file)
    try:
        rel = os.path.relpath(full, root)
    except ValueError:
        rel = full
    if os.path.isabs(rel) or rel.startswith(".."):
        return {"uri": "file://" + quote(os.fsencode(Path(full).as_posix()), safe="/")}
    return {"uri": quote(os.fsencode(rel.replace(os.sep, "/")), safe="/"), "uriBaseId": SRCROOT}


def _section(docs: str, title: str) -> str:
    m = re.search(rf"^##\s+{re.escape(title)}\s*$(.*?)(?=^##\s|\Z)", docs, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    return m.group(1).strip() if m else ""


def _first_url(docs: str) -> str | None:
    refs = _section(docs, "References") or docs
    m = re.search(r"https?://[^\s)>\]]+", refs)
    return m.group(0) if m else None


def rule_descriptor(r: Rule) -> dict[str, Any]:
    docs = r.docs
    what = _section(docs, "What it does") or r.summary
    desc: dict[str, Any] = {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": " ".join(what.split())},
        "help": {"text": docs or r.summary, "markdown": docs or r.summary},
        "defaultConfiguration": {"level": LEVEL.get(r.severity, "warning")},
        "properties": {"tags": [r.family.lower(), "aws-lambda"]},
    }
    url = _first_url(docs)
    if url:
        desc["helpUri"] = url
    return desc


def _physical(span: Span, root: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": span.line, "startColumn": max(span.column, 1)}
    if span.end_line and span.end_line >= span.line:
        region["endLine"] = span.end_line
    if span.end_column:
        region["endColumn"] = span.end_column
    return {"artifactLocation": _artifact(span.file, root), "region": region}


def _result(f: Finding, index: dict[str, int], root: str, sources: SourceLines) -> dict[str, Any]:
    text = f.message
    if f.construct_path:
        text += "\nConstruct: " + f.construct_path
    if f.path:
        text += "\nFailure path: " + " → ".join(f.path)
    if f.fix:
        text += "\nFix: " + f.fix
    res: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVEL.get(f.severity, "warning"),
        "message": {"text": text},
        "partialFingerprints": {FINGERPRINT: fingerprint(f, sources)},
    }
    if f.code in index:
        res["ruleIndex"] = index[f.code]
    if f.span is not None:
        res["locations"] = [{"physicalLocation": _physical(f.span, root)}]
    related = []
    for i, r in enumerate(f.related, start=1):
        if r.span is None:
            continue
        label = " ".join(p for p in (r.resource or "", f"({r.message})" if r.message else "") if p)
        related.append({
            "id": i,
            "physicalLocation": _physical(r.span, root),
            "message": {"text": label or f"{r.span.file}:{r.span.line}"},
        })
    if related:
        res["relatedLocations"] = related
    props: dict[str, Any] = {}
    if f.resource:
        props["resource"] = f.resource
    if f.function:
        props["function"] = f.function
    if f.construct_path:
        props["constructPath"] = f.construct_path
    if props:
        res["properties"] = props
    if f.autofix is not None and f.autofix.applicable:
        fixes = _fixes(f.autofix, root)
        if fixes:
            res["fixes"] = fixes
    return res


def _fixes(fix: Fix, root: str) -> list[dict[str, Any]]:
    """The edits of ``fix`` as a SARIF ``fix``: per file, each edit a replacement of a deleted region (lines
    and columns, and the same as character offset and length) with inserted text. An insertion deletes an
    empty region. None when a file cannot be read back (its offsets could not be placed)."""
    from ..fixes import position, read_text

    changes: dict[str, list[dict[str, Any]]] = {}
    for e in sorted(fix.edits, key=lambda x: (x.file, x.start)):
        text = read_text(e.file)
        if text is None:
            return []
        (sl, sc), (el, ec) = position(text, e.start), position(text, e.end)
        changes.setdefault(e.file, []).append({
            "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
                              "charOffset": e.start, "charLength": e.end - e.start},
            "insertedContent": {"text": e.new},
        })
    return [{
        "description": {"text": fix.description + (" (unsafe: review the change)" if fix.safety != "safe" else "")},
        "artifactChanges": [{"artifactLocation": _artifact(file, root), "replacements": reps}
                            for file, reps in changes.items()],
        "properties": {"safety": fix.safety},
    }]


def as_dict(result: Result) -> dict[str, Any]:
    rules: list[Rule] = list(result.rules)
    known = {r.code for r in rules}
    if any(f.code not in known for f in result.findings):
        from ..registry import all_rules

        catalogue = all_rules()
        for f in result.findings:
            if f.code not in known and f.code in catalogue:
                rules.append(catalogue[f.code])
                known.add(f.code)
    index = {r.code: i for i, r in enumerate(rules)}
    from ..discover import project_root

    root = project_root(os.getcwd())
    notifications = []
    for e in result.errors:
        note: dict[str, Any] = {"level": "error", "message": {"text": f"{e.file}: {e.message}"}}
        if e.file and e.file not in ("-", "<stdin>"):
            region = {"region": {"startLine": e.line}} if e.line else {}
            note["locations"] = [{"physicalLocation": {
                "artifactLocation": _artifact(e.file, root), **region}}]
        notifications.append(note)
    from pathlib import Path
    from urllib.parse import quote

    sources = result.sources or SourceLines()
    root_uri = "file://" + quote(os.fsencode(Path(root).as_posix()), safe="/").rstrip("/") + "/"
    run = {
        "tool": {"driver": {
            "name": "invlint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [rule_descriptor(r) for r in rules],
        }},
        "invocations": [{
            "executionSuccessful": not result.errors,
            "toolExecutionNotifications": notifications,
        }],
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
        "results": [_result(f, index, root, sources) for f in result.findings],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: Result) -> str:
    from ..source import json_safe
    from .json import dumps

    return json_safe(dumps(as_dict(result))) + "\n"
