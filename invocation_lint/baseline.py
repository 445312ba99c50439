"""Baselines: adopt invlint on an existing project by hiding the findings it already has.

A finding is recognised by its identity (``identity.py``): rule, file relative to the project root, resource,
function and the setting's path; never its message or line, so edits that move lines or change a value
without fixing the finding keep it hidden, and a baseline written from the repository root works from a
subdirectory and the other way round. Matching counts: when the baseline holds one copy of an identity and
the run finds two, one is reported. An entry that matches nothing in a file that was checked is reported as a
warning (the finding was fixed: rewrite the baseline), never silently ignored.

Version 1 files (identity with the message, paths relative to where they were written) are still read: their
entries match on rule, file, resource and function.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from typing import Any

from .identity import fingerprint, fingerprint_of, identity, project_path
from .model import Record, field, record
from .registry import Finding
from .source import InputError
from .suppress import SourceLines

VERSION = 2
#: 64 MiB holds some 200,000 entries; a larger file is not a baseline (``/dev/zero`` is not read at all)
MAX_BASELINE_BYTES = 64 * 1024 * 1024
READABLE = (1, 2)

_LOCATION = re.compile(r"[\w./\\-]+:\d+(?::\d+)?")  # file:line[:col]
_LINE_WORD = re.compile(r"\blines? \d+(?:\s*[-–]\s*\d+)?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    """The message without locations, for people reading the baseline (it is not part of the identity)."""
    msg = _LOCATION.sub("<loc>", message)
    msg = _LINE_WORD.sub("line <n>", msg)
    return _SPACE.sub(" ", msg).strip()


def _loose(code: str, file: str, resource: str, function: str) -> str:
    return hashlib.sha256("\x1f".join(("v1", code, file, resource, function)).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@record(slots=False)
class Baseline(Record):
    """A baseline file's entries; ``apply`` records which of them matched nothing."""

    path: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)


def write(path: str, findings: list[Finding], sources: SourceLines | None = None) -> None:
    sources = sources or SourceLines()
    entries = []
    for f in findings:
        code, file, resource, function, setting = identity(f, sources)
        entries.append({
            "fingerprint": fingerprint_of((code, file, resource, function, setting)),
            "code": code,
            "file": file,
            "resource": f.resource,
            "function": f.function,
            "setting": setting,
            "message": normalise_message(f.message),
        })
    entries.sort(key=lambda e: (e["file"], e["code"], e["resource"] or "", e["setting"], e["fingerprint"]))
    data = {"version": VERSION, "findings": entries}
    try:
        from .source import json_safe

        text = json_safe(json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False))  # lone surrogates escaped
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    except OSError as exc:
        raise InputError(path, f"cannot write baseline: {exc.strerror}") from exc


def read(path: str) -> Baseline:
    """The entries of a baseline file; a missing or malformed file is an input error."""
    from .discover import project_root
    from .files import read_limited

    if not os.path.lexists(path):
        raise InputError(path, "baseline file not found")
    raw = read_limited(path, path, MAX_BASELINE_BYTES, project_root(path), "baselines")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(path, "baseline is not UTF-8 text", raw[:exc.start].count(b"\n") + 1) from None
    except json.JSONDecodeError as exc:
        raise InputError(path, "baseline is not valid JSON", exc.lineno) from None
    except RecursionError:
        raise InputError(path, "baseline nesting too deep to read") from None
    if not isinstance(data, dict) or data.get("version") not in READABLE or not isinstance(data.get("findings"), list):
        raise InputError(path, f"not an invlint baseline (expected {{\"version\": {VERSION}, \"findings\": [...]}})")
    out = Baseline(path)
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            continue
        if data["version"] == 1:
            entry = dict(entry)
            entry["fingerprint"] = _loose(*(str(entry.get(k) or "") for k in ("code", "file", "resource", "function")))
            entry["loose"] = True
        out.entries.append(entry)
    return out


def apply(
    findings: list[Finding], known: Baseline, sources: SourceLines | None = None
) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many it hid; ``known.unmatched`` gets the entries left over."""
    sources = sources or SourceLines()
    left: Counter[str] = Counter(e["fingerprint"] for e in known.entries)
    loose = any(e.get("loose") for e in known.entries)
    kept: list[Finding] = []
    for f in findings:
        code, file, resource, function, setting = identity(f, sources)
        fp = fingerprint_of((code, file, resource, function, setting))
        if left[fp] > 0:
            left[fp] -= 1
            continue
        if loose:
            lp = _loose(code, file, resource, function)
            if left[lp] > 0:
                left[lp] -= 1
                continue
        kept.append(f)
    known.unmatched = []
    for e in known.entries:
        if left[e["fingerprint"]] > 0:
            left[e["fingerprint"]] -= 1
            known.unmatched.append(e)
    return kept, len(findings) - len(kept)


def describe(entry: dict[str, Any]) -> str:
    """One unmatched entry, for a warning."""
    where = entry.get("file") or "?"
    what = " ".join(str(p) for p in (entry.get("code"), entry.get("resource")) if p)
    setting = entry.get("setting")
    return f"{what} in {where}" + (f" at {setting}" if setting else "")


__all__ = ["Baseline", "apply", "describe", "fingerprint", "normalise_message", "project_path", "read", "write"]
