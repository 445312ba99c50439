"""Baselines: adopt invlint on an existing project by hiding the findings it already has.

A finding is recognised by a fingerprint of (rule code, file, resource, function, message) with line numbers
and locations taken out of the message, so the baseline survives edits that move lines. Matching counts:
when the baseline holds one copy of a fingerprint and the run finds two, one is reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter

from .registry import Finding
from .source import InputError

VERSION = 1

_LOCATION = re.compile(r"[\w./\\-]+:\d+(?::\d+)?")  # file:line[:col]
_LINE_WORD = re.compile(r"\blines? \d+(?:\s*[-–]\s*\d+)?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    msg = _LOCATION.sub("<loc>", message)
    msg = _LINE_WORD.sub("line <n>", msg)
    return _SPACE.sub(" ", msg).strip()


def _file_of(f: Finding) -> str:
    file = f.span.file if f.span else ""
    return os.path.normpath(file).replace(os.sep, "/") if file else ""


def fingerprint(f: Finding) -> str:
    """A stable id for a finding across runs: no line numbers in it."""
    parts = [f.code, _file_of(f), f.resource or "", f.function or "", normalise_message(f.message)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def write(path: str, findings: list[Finding]) -> None:
    entries = [
        {
            "fingerprint": fingerprint(f),
            "code": f.code,
            "file": _file_of(f),
            "resource": f.resource,
            "function": f.function,
            "message": normalise_message(f.message),
        }
        for f in findings
    ]
    entries.sort(key=lambda e: (e["file"], e["code"], e["resource"] or "", e["fingerprint"]))
    data = {"version": VERSION, "findings": entries}
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=False)
            fh.write("\n")
    except OSError as exc:
        raise InputError(path, f"cannot write baseline: {exc.strerror}") from exc


def read(path: str) -> Counter[str]:
    """Fingerprint counts of a baseline file; a missing or malformed file is an input error."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise InputError(path, "baseline file not found") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read baseline: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(path, "baseline is not valid JSON", line) from exc
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise InputError(path, f"not an invlint baseline (expected {{\"version\": {VERSION}, \"findings\": [...]}})")
    counts: Counter[str] = Counter()
    for entry in data["findings"]:
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str):
            counts[entry["fingerprint"]] += 1
    return counts


def apply(findings: list[Finding], known: Counter[str]) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many it hid."""
    left = Counter(known)
    kept: list[Finding] = []
    for f in findings:
        fp = fingerprint(f)
        if left[fp] > 0:
            left[fp] -= 1
            continue
        kept.append(f)
    return kept, len(findings) - len(kept)
