"""Suppressions: per resource in the template, and inline comments in any file a finding points at.

- Resource metadata (``Metadata: {invlint: {ignore: [SQS001]}}``) reaches the engine through
  ``Model.suppressions`` and hides the listed rules for findings whose ``resource`` is that resource.
- An inline comment on the finding's line, or alone on the line directly above it, hides it:
  ``# invlint: ignore[SQS001]``, ``# invlint: ignore[SQS001,sqs-consumer-throttled]``, ``# invlint: ignore``
  (every rule); ``//`` instead of ``#`` in JavaScript and TypeScript. A trailing comment on the line above
  belongs to that line, not to the next one, so it does not count.

Files are read only when a finding points into them, once each (``SourceLines``), and never executed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .registry import Finding, Rule, rule_matches

if TYPE_CHECKING:
    from .model import Model

_INLINE = r"(?:#|//)\s*invlint:\s*ignore\b(?:\[([^\]]*)\])?"  # compiled by ``re`` on first use, cached
_COMMENT_ONLY = r"^\s*(?:#|//)"
#: an inline suppression reads only this much of a file; a huge file is not searched for comments
MAX_BYTES = 64 * 1024 * 1024

ALL = "*"


class SourceLines:
    """The lines of the files findings point at, read lazily once each; texts can be given (standard input)."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}
        self._comments: dict[str, dict[int, tuple[set[str], bool]]] = {}

    def register(self, file: str, text: str) -> None:
        self._cache[file] = text.splitlines()
        self._comments.pop(file, None)

    def comments(self, file: str) -> dict[int, tuple[set[str], bool]]:
        """The file's ``invlint: ignore`` comments: line number → (what each names, alone on its line?).

        Found in one pass over the file, the first time a finding points into it: a check never rescans a
        line per finding (a minified JSON template is a single line of megabytes)."""
        found = self._comments.get(file)
        if found is None:
            found = {}
            for n, text in enumerate(self.lines(file) or (), 1):
                tokens = parse_inline(text)
                if tokens is not None:
                    found[n] = (tokens, re.match(_COMMENT_ONLY, text) is not None)
            self._comments[file] = found
        return found

    def lines(self, file: str) -> list[str] | None:
        if file not in self._cache:
            self._cache[file] = self._read(file)
        return self._cache[file]

    @staticmethod
    def _read(file: str) -> list[str] | None:
        try:
            with open(file, "rb") as fh:
                data = fh.read(MAX_BYTES)
        except OSError:
            return None
        if b"\0" in data[:8192]:
            return None
        return data.decode("utf-8", errors="replace").splitlines()

    def line(self, file: str, number: int) -> str | None:
        lines = self.lines(file)
        if lines is None or number < 1 or number > len(lines):
            return None
        return lines[number - 1]


def parse_inline(text: str) -> set[str] | None:
    """The codes/names an ``invlint: ignore`` comment in ``text`` names (``{"*"}`` for all), else None."""
    if "invlint" not in text:
        return None
    m = re.search(_INLINE, text, re.IGNORECASE)
    if m is None:
        return None
    if m.group(1) is None:
        return {ALL}
    items = {p.strip() for p in m.group(1).split(",") if p.strip()}
    return items or {ALL}


def _matches(tokens: Iterable[str], finding: Finding) -> bool:
    """A token names the finding's rule as ``--ignore`` would: code, name, family (``SQS``) or code prefix."""
    for tok in tokens:
        t = tok.strip()
        if not t:
            continue
        if t == ALL or t.lower() == "all" or finding.code.startswith(t.upper()) or (finding.name and t.lower() == finding.name):
            return True
    return False


def unknown_tokens(tokens: Iterable[str], rules: Iterable[Rule]) -> list[str]:
    """The tokens of a suppression that name no rule (a typo such as ``SQS0001`` silently hides nothing)."""
    rules = list(rules)
    return sorted(t for t in {tok.strip() for tok in tokens}
                  if t and t != ALL and t.lower() != "all" and not any(rule_matches(t, r) for r in rules))


def unknown_warnings(
    models: Iterable[Model], sources: SourceLines, rules: dict[str, Rule], suggest: Callable[[str], str | None]
) -> list[str]:
    """A warning for each suppression token that names no rule: in resource metadata or Terraform resource
    comments (``Model.suppressions``), and in ``invlint: ignore`` comments of the templates checked and of the
    files findings point at. Each (file, token) once."""
    out: list[str] = []
    seen: set[tuple[str, str]] = set()

    def warn(file: str, line: int, tok: str, what: str) -> None:
        if (file, tok) in seen:
            return
        seen.add((file, tok))
        hint = suggest(tok)
        out.append(f"{file}:{line}: warning: {what} names no rule '{tok}' and hides nothing"
                   + (f"; did you mean {hint}?" if hint else ""))

    models = list(models)
    files: list[str] = []
    for model in models:
        for rid, toks in model.suppressions.items():
            entry = model.resources.get(rid)
            if entry is None:
                continue
            span = entry[1]
            for tok in unknown_tokens(toks, rules.values()):
                warn(span.file, span.line, tok, f"the suppression on {rid}")
        if os.path.isfile(model.file):
            files.append(model.file)
    files.extend(f for f, lines in list(sources._cache.items()) if lines is not None)
    for file in dict.fromkeys(files):
        for n, (tokens, _) in sources.comments(file).items():
            for tok in unknown_tokens(tokens, rules.values()):
                warn(file, n, tok, "the suppression comment")
    return out


def inline_suppressed(finding: Finding, sources: SourceLines) -> bool:
    span = finding.span
    if span is None or not span.file:
        return False
    comments = sources.comments(span.file)
    if not comments:
        return False
    same = comments.get(span.line)
    if same is not None and _matches(same[0], finding):
        return True
    above = comments.get(span.line - 1)
    return above is not None and above[1] and _matches(above[0], finding)


def resource_suppressed(finding: Finding, suppressions: dict[str, set[str]]) -> bool:
    if not finding.resource or finding.resource not in suppressions:
        return False
    tokens = suppressions[finding.resource]
    return _matches(tokens, finding)


def apply(
    findings: list[Finding], suppressions: dict[str, set[str]], sources: SourceLines
) -> tuple[list[Finding], int]:
    """The findings no suppression hides, and how many were hidden."""
    kept: list[Finding] = []
    for f in findings:
        if resource_suppressed(f, suppressions) or inline_suppressed(f, sources):
            continue
        kept.append(f)
    return kept, len(findings) - len(kept)
