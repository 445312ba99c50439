"""Suppressions: per resource in the template, and inline comments in any file a finding points at.

- Resource metadata (``Metadata: {invlint: {ignore: [SQS001]}}``) reaches the engine through
  ``Model.suppressions`` and hides the listed rules for findings whose ``resource`` is that resource.
- An inline comment on the finding's line, or alone on the line directly above it, hides it:
  ``# invlint: ignore[SQS001]``, ``# invlint: ignore[SQS001,sqs-consumer-throttled]``, ``# invlint: ignore``
  (every rule); ``//`` instead of ``#`` in JavaScript and TypeScript. A trailing comment on the line above
  belongs to that line, not to the next one, so it does not count.

Files are read only when a finding points into them, once each (``SourceLines``), and never executed.

``apply`` also says which suppressions hid something, by where they are written (file, line, code as written):
with ``--warn-unused-suppressions`` every suppression that hid nothing in the run is a warning (``unused_warnings``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from .registry import Finding, Rule, rule_matches

if TYPE_CHECKING:
    from .model import Model
    from .source import Span

_INLINE = r"(?:#|//)\s*invlint:\s*ignore\b(?:\[([^\]]*)\])?"  # compiled by ``re`` on first use, cached
_COMMENT_ONLY = r"^\s*(?:#|//)"
#: an inline suppression reads only this much of a file; a huge file is not searched for comments
MAX_BYTES = 64 * 1024 * 1024

ALL = "*"
_T = TypeVar("_T")


class SourceLines:
    """The lines of the files findings point at, read lazily once each; texts can be given (standard input)."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}
        #: texts given or read and not yet split into lines (most files are only searched for comments)
        self._texts: dict[str, str] = {}
        self._comments: dict[str, dict[int, tuple[set[str], bool]]] = {}
        self._derived: dict[str, dict[str, object]] = {}

    def register(self, file: str, text: str) -> None:
        """``file``'s text as a loader read it (standard input, a template): it is not read again. Its comments
        are indexed at once: every template checked is searched for unknown codes (``unknown_warnings``), and a
        worker process sends the index back with its findings."""
        self._cache.pop(file, None)
        self._derived.pop(file, None)
        self._texts[file] = text
        self._comments.pop(file, None)
        self.comments(file)

    def comments(self, file: str) -> dict[int, tuple[set[str], bool]]:
        """The file's ``invlint: ignore`` comments: line number → (what each names, alone on its line?).

        Found in one pass over the file, the first time a finding points into it: a check never rescans a
        line per finding (a minified JSON template is a single line of megabytes)."""
        found = self._comments.get(file)
        if found is None:
            found = {}
            if file not in self._cache and file not in self._texts:
                self._cache[file] = None
                text = self._read(file)
                if text is not None:
                    self._texts[file] = text
            whole = self._texts.get(file)
            if whole is not None and "invlint" not in whole:  # most files: no comment to look for
                self._comments[file] = found
                return found
            for n, text in enumerate(self.lines(file) or (), 1):
                tokens = parse_inline(text)
                if tokens is not None:
                    found[n] = (tokens, re.match(_COMMENT_ONLY, text) is not None)
            self._comments[file] = found
        return found

    def indexed(self) -> dict[str, dict[int, tuple[set[str], bool]]]:
        """The comments found so far, by file (what a worker process sends back with its findings)."""
        return dict(self._comments)

    def adopt(self, indexed: dict[str, dict[int, tuple[set[str], bool]]]) -> None:
        """Take the comments another ``SourceLines`` found in the same files, so they are not read again."""
        for file, found in indexed.items():
            self._comments.setdefault(file, found)

    def lines(self, file: str) -> list[str] | None:
        text = self._texts.pop(file, None)
        if text is not None:
            self._cache[file] = text.splitlines()
        elif file not in self._cache:
            text = self._read(file)
            self._cache[file] = None if text is None else text.splitlines()
        return self._cache[file]

    @staticmethod
    def _read(file: str) -> str | None:
        try:
            with open(file, "rb") as fh:
                data = fh.read(MAX_BYTES)
        except OSError:
            return None
        if b"\0" in data[:8192]:
            return None
        return data.decode("utf-8", errors="replace")

    def derived(self, file: str, name: str, make: Callable[[], _T]) -> _T:
        """What ``make`` works out about ``file`` (its outline, its name in the project), once per file and name."""
        made = self._derived.setdefault(file, {})
        if name not in made:
            made[name] = make()
        return made[name]  # type: ignore[return-value]

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
    models: Iterable[Model], sources: SourceLines, rules: dict[str, Rule], suggest: Callable[[str], str | None],
    looked_at: Iterable[str] = (),
) -> list[str]:
    """A warning for each suppression token that names no rule: in resource metadata or Terraform resource
    comments (``Model.suppressions``), and in ``invlint: ignore`` comments of the templates checked and of the
    files findings point at (``looked_at``). Each (file, token) once."""
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
    for model in models:
        for rid, toks in model.suppressions.items():
            entry = model.resources.get(rid)
            if entry is None:
                continue
            span = entry[1]
            for tok in unknown_tokens(toks, rules.values()):
                warn(span.file, span.line, tok, f"the suppression on {rid}")
    for file in _files(models, looked_at):
        for n, (tokens, _) in sources.comments(file).items():
            for tok in unknown_tokens(tokens, rules.values()):
                warn(file, n, tok, "the suppression comment")
    return out


def _files(models: list[Model], looked_at: Iterable[str]) -> list[str]:
    """The templates checked (not standard input, not a Terraform directory), then the other files, each once."""
    return list(dict.fromkeys([m.file for m in models if os.path.isfile(m.file)] + list(looked_at)))


#: a suppression by where it is written and what it names: (file, line, code or name as written)
Use = tuple[str, int, str]


def unused_warnings(
    models: Iterable[Model], sources: SourceLines, ran: list[Rule], all_rules: dict[str, Rule],
    used: set[Use], looked_at: Iterable[str] = (),
) -> list[str]:
    """A warning for each suppression that hid no finding in this run (``--warn-unused-suppressions``).

    Looked at: resource suppressions (``Metadata``, Terraform resource comments) and ``invlint: ignore`` comments
    in the templates checked, the handler files analysed and the files findings point at. Each code of a
    comment is judged alone (``ignore[SQS001,SQS002]`` can warn for SQS002 only). A code that names no rule
    already has its own warning, and one naming only rules that did not run (``--select``) is not judged."""
    models = list(models)

    def judged(tok: str) -> bool:
        t = tok.strip()
        if not t or unknown_tokens([t], all_rules.values()):
            return False
        return t == ALL or t.lower() == "all" or any(rule_matches(t, r) for r in ran)

    def what(tok: str) -> str:
        t = tok.strip()
        return "every rule" if t == ALL or t.lower() == "all" else t

    found: dict[Use, str] = {}  # where and what → who wrote it
    files = _files(models, looked_at)
    for model in models:
        files.extend(f.file for f in model.handler_facts.values() if getattr(f, "analysed", False) and f.file)
    for model in models:  # a Terraform resource comment is named by its resource, like Metadata
        for (rid, tok), span in model.suppression_at.items():
            found.setdefault((span.file, span.line, tok), f"the suppression on {rid}")
    for file in dict.fromkeys(files):
        for n, (tokens, _) in sources.comments(file).items():
            for tok in tokens:
                found.setdefault((file, n, tok), "the suppression comment")
    out = []
    for key in sorted(k for k in found if k not in used and judged(k[2])):
        file, line, tok = key
        out.append(f"{file}:{line}: warning: {found[key]} ignores {what(tok)} but hides no finding")
    return out


def _inline(finding: Finding, sources: SourceLines) -> Use | None:
    """The comment hiding ``finding`` (on its line, else alone on the line above), as (file, line, "")."""
    span = finding.span
    if span is None or not span.file:
        return None
    comments = sources.comments(span.file)
    if not comments:
        return None
    same = comments.get(span.line)
    if same is not None and _matches(same[0], finding):
        return span.file, span.line, ""
    above = comments.get(span.line - 1)
    if above is not None and above[1] and _matches(above[0], finding):
        return span.file, span.line - 1, ""
    return None


def inline_suppressed(finding: Finding, sources: SourceLines) -> bool:
    return _inline(finding, sources) is not None


def resource_suppressed(finding: Finding, suppressions: dict[str, set[str]]) -> bool:
    if not finding.resource or finding.resource not in suppressions:
        return False
    tokens = suppressions[finding.resource]
    return _matches(tokens, finding)


def apply(
    findings: list[Finding], suppressions: dict[str, set[str]], sources: SourceLines,
    written_at: dict[tuple[str, str], Span] | None = None,
) -> tuple[list[Finding], int, set[Use]]:
    """The findings no suppression hides, how many were hidden, and the suppressions that hid them.

    A resource suppression is used through each of its codes that names the finding (its place from
    ``written_at``, ``Model.suppression_at``), a comment through each of its codes that does."""
    kept: list[Finding] = []
    used: set[Use] = set()
    written_at = written_at or {}
    for f in findings:
        if resource_suppressed(f, suppressions):
            rid = f.resource or ""
            for tok in suppressions[rid]:
                where = written_at.get((rid, tok))
                if where is not None and _matches([tok], f):
                    used.add((where.file, where.line, tok))
            continue
        hit = _inline(f, sources)
        if hit is not None:
            file, line, _ = hit
            used.update((file, line, tok) for tok in sources.comments(file)[line][0] if _matches([tok], f))
            continue
        kept.append(f)
    return kept, len(findings) - len(kept), used
