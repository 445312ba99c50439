"""Automatic fixes: minimal text edits on the user's own files, computed from the spans of Model values.

A rule attaches a ``Fix`` to a finding: a list of ``Edit`` (file, start and end offsets in the file's text,
replacement) and a safety, ``safe`` (the change does what the finding asks and nothing else) or ``unsafe``
(it deletes or adds configuration a person should look at). A fix with no edits says in ``reason`` why none
is offered (the value comes from a parameter, a variable, an expression).

Edits replace only the characters of a value (the digits of a number, a key and its value to delete, a line
to insert): comments, quoting, key order, blank lines and indentation of everything else stay as they are.
Nothing here re-serialises a document. Each edit is checked against the text it replaces before it is made:
a literal is replaced only where the file spells exactly the value the Model read.
"""

from __future__ import annotations

import bisect
import operator
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from .lazy import regex
from .model import Record, field, record
from .source import Span


@record
class Edit(Record):
    """Replace ``text[start:end]`` of ``file`` (offsets in characters of its decoded text) with ``new``."""

    file: str
    start: int
    end: int
    new: str


@record
class Fix(Record):
    description: str
    safety: str = "safe"
    edits: list[Edit] = field(default_factory=list)
    #: why no edit is offered, when ``edits`` is empty
    reason: str = ""

    @property
    def applicable(self) -> bool:
        return bool(self.edits)


def no_fix(reason: str, safety: str = "safe") -> Fix:
    return Fix(description="", safety=safety, reason=reason)


# ----------------------------------------------------------------------------------------------- reading

_CACHE: dict[str, tuple[tuple[int, int], str]] = {}


def read_text(file: str) -> str | None:
    """The file's text as written (newlines kept as they are), or None when it cannot be read."""
    if not file or file == "-":
        return None
    try:
        st = os.stat(file)
        key = (st.st_mtime_ns, st.st_size)
        hit = _CACHE.get(file)
        if hit is not None and hit[0] == key:
            return hit[1]
        with open(file, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    _CACHE[file] = (key, text)
    return text


#: what was worked out of the texts read last, by the text object and what (a file's text is read once and
#: many fixes look into it: nothing a fix needs of the whole text is worked out once per fix)
_MEMO: dict[tuple[int, str], tuple[str, Any]] = {}


def _memo(text: str, what: str, make: Callable[[str], Any]) -> Any:
    hit = _MEMO.get((id(text), what))
    if hit is not None and hit[0] is text:  # the entry holds the text: its id is not another's
        return hit[1]
    value = make(text)
    if len(_MEMO) >= 64:
        _MEMO.clear()
    _MEMO[(id(text), what)] = (text, value)
    return value


def _line_starts(text: str) -> list[int]:
    return _memo(text, "starts", lambda t: [0, *(m.end() for m in _NEWLINE.finditer(t))])


def _lines(text: str) -> list[str]:
    """``text.splitlines(keepends=True)``, made once per text (callers only read it)."""
    return _memo(text, "lines", lambda t: t.splitlines(keepends=True))


def _first(text: str) -> str:
    """The first character of ``text`` that is not blank (``text.lstrip()[:1]``), found once per text."""
    return _memo(text, "first", lambda t: t.lstrip()[:1])


_NEWLINE = regex(r"\r\n|\n|\r")


def position(text: str, offset: int) -> tuple[int, int]:
    """The line and column (1-based, in characters) of ``offset`` in ``text``."""
    starts = _line_starts(text)
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def region(text: str, span: Span) -> tuple[int, int]:
    """The offsets of ``span`` in ``text``. A span without an end column covers its whole lines."""
    starts = _line_starts(text)

    def offset(line: int, column: int) -> int:
        if line < 1:
            return 0
        if line > len(starts):
            return len(text)
        return min(starts[line - 1] + max(column - 1, 0), len(text))

    if span.end_line and span.end_column:
        return offset(span.line, span.column), offset(span.end_line, span.end_column)
    last = span.last_line
    end = starts[last] if last < len(starts) else len(text)
    return offset(span.line, span.column), end


# ----------------------------------------------------------------------------------------------- numbers

#: a number literal at the start of a value's span, quoted or not, up to where the value ends (a JSON span
#: has no end column: the value runs to the next delimiter)
_LITERAL = regex(r"""\s*(["']?)([0-9]+)\1(?=\s*(?:$|[,}\]\r\n]|\s\#))""")


_NOT_LITERAL = ("the value is not a literal here (it comes from a parameter, a variable or an expression); "
                "change it where it is set")


def _written_literal(span: Span | None, names: Iterable[str], at: re.Pattern[str], after_name: str, group: int,
                     safety: str) -> tuple[str, str, int, int] | Fix:
    """The one literal written at ``span``: (file, its text, start, end), or the fix-less reason why there is none.

    ``at`` matches a value written exactly at the span (its group 2 is the literal); otherwise the literal is
    looked for after one of ``names`` inside the span, ``after_name`` being the pattern that follows the name
    (the literal in its group ``group``). Anything found more or less than once is not a literal written here.
    """
    if span is None:
        return no_fix("the value is not written in the file", safety)
    text = read_text(span.file)
    if text is None:
        return no_fix("the file cannot be read back", safety)
    start, end = region(text, span)
    m = at.match(text, start, end)  # in place: on a single-line file the region is the whole file
    if m is not None:
        found = [(m.start(2), m.end(2))]
    else:
        chunk = text[start:end]
        found = [(start + hit.start(group), start + hit.end(group)) for name in names
                 for hit in re.finditer(r"(?<![\w.])" + re.escape(name) + after_name, chunk)]
    if len(found) != 1:
        return no_fix(_NOT_LITERAL, safety)
    a, b = found[0]
    return span.file, text[a:b], a, b


def set_number(span: Span | None, names: Iterable[str], current: int, new: int, description: str,
               safety: str = "safe") -> Fix:
    """Replace the literal ``current`` written at ``span`` with ``new``.

    ``span`` is either exactly the value (YAML, JSON: ``60``, ``"60"``), or a region that contains the
    setting by one of ``names`` (a Terraform argument line ``visibility_timeout_seconds = 60``, a JSON
    document in a string ``{"maxReceiveCount": 1}``). Anything else (a reference, a function, an
    expression) gets no fix: the value is set elsewhere and a literal must not be written over it.
    """
    got = _written_literal(span, names, _LITERAL, r"""(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?([^\s,}'"\\#]+)""", 1,
                           safety)
    if isinstance(got, Fix):
        return got
    file, value, a, b = got
    if not value.isdigit() or int(value) != current:
        return no_fix(_NOT_LITERAL, safety)
    return Fix(description=description, safety=safety, edits=[Edit(file, a, b, str(new))])


#: a number or boolean literal at the start of a value's span, quoted or not
_SCALAR = regex(r"""\s*(["']?)(-?[0-9]+|true|false|True|False)\1(?=\s*(?:$|[,}\]\r\n]|\s\#))""")


def set_literal(span: Span | None, names: Iterable[str], current: Iterable[str], new: str, description: str,
                safety: str = "safe") -> Fix:
    """Replace the literal written at ``span`` (or by one of ``names`` in it, as in ``set_number``) with
    ``new``, when it is one of ``current`` (compared in lower case: ``-1``, ``false``)."""
    got = _written_literal(span, names, _SCALAR, r"""\s*[:=]\s*(["']?)(-?[\w]+)\1(?=\s|$|,|\})""", 2, safety)
    if isinstance(got, Fix):
        return got
    file, value, a, b = got
    if value.lower() not in {c.lower() for c in current}:
        return no_fix(_NOT_LITERAL, safety)
    return Fix(description=description, safety=safety, edits=[Edit(file, a, b, new)])


def combine(fixes: Iterable[Fix], description: str, safety: str) -> Fix:
    """One fix making the edits of all ``fixes``; none when any of them has none (its reason is given)."""
    edits: list[Edit] = []
    for fix in fixes:
        if not fix.applicable:
            return no_fix(fix.reason, safety)
        edits += fix.edits
    return Fix(description=description, safety=safety, edits=edits)


# ------------------------------------------------------------------------------------------------ applying


def wanted(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and fix.applicable and (fix.safety == "safe" or unsafe)


def apply(fixes: Iterable[Fix], texts: dict[str, str] | None = None) -> tuple[dict[str, str], int]:
    """The new text of every file the fixes change, and how many fixes went in.

    A fix whose edits overlap an edit already taken is left for the next round (the caller re-checks and asks
    again); an identical edit offered by two findings (one queue, two functions) is made once. Each file's
    new text is made in one pass: its taken edits in order of offset, joined with the text between them.
    """
    texts = dict(texts or {})
    taken: dict[str, _Taken] = {}
    count = 0
    for fix in fixes:
        ok = True
        new_edits: list[Edit] = []
        for e in fix.edits:
            if e.file not in texts:
                t = read_text(e.file)
                if t is None:
                    ok = False
                    break
                texts[e.file] = t
            before = taken.get(e.file)
            if (before is not None and before.has(e)) or any(x == e for x in new_edits):
                continue
            # the fix's own edits are few: compared one by one (offsets only, as they always were)
            if (before is not None and before.overlaps(e)) or any(
                    x.start < e.end and e.start < x.end or (x.start == x.end == e.start == e.end) for x in new_edits):
                ok = False
                break
            if e.end > len(texts[e.file]) or e.start > e.end:
                ok = False
                break
            new_edits.append(e)
        if not ok:
            continue
        for e in new_edits:
            taken.setdefault(e.file, _Taken()).add(e)
        count += 1
    return {file: edits.applied(texts[file]) for file, edits in taken.items()}, count


class _Taken:
    """The edits taken in one file, in order of ``(start, end)``: no two overlap, so their ends are in order too,
    and whether a new edit overlaps one is a binary search (the edits come in order of the findings, mostly
    of offset: an edit usually goes at the end)."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []
        self.edits: list[Edit] = []
        self.seen: set[tuple[int, int, str]] = set()

    def has(self, e: Edit) -> bool:
        return (e.start, e.end, e.new) in self.seen

    def overlaps(self, e: Edit) -> bool:
        """Whether ``e`` overlaps a taken edit, or inserts at the point where another one inserts."""
        keys = self.keys
        i = bisect.bisect_left(keys, (e.end, -1))  # the taken edits starting before e ends: keys[:i]
        if i and keys[i - 1][1] > e.start:  # the last of them ends furthest
            return True
        if e.start == e.end:
            j = bisect.bisect_left(keys, (e.start, e.start))
            return j < len(keys) and keys[j] == (e.start, e.start)
        return False

    def add(self, e: Edit) -> None:
        key = (e.start, e.end)
        if not self.keys or self.keys[-1] <= key:
            self.keys.append(key)
            self.edits.append(e)
        else:
            i = bisect.bisect_right(self.keys, key)
            self.keys.insert(i, key)
            self.edits.insert(i, e)
        self.seen.add((e.start, e.end, e.new))

    def applied(self, text: str) -> str:
        parts: list[str] = []
        at = 0
        for e in self.edits:
            parts.append(text[at:e.start])
            parts.append(e.new)
            at = e.end
        parts.append(text[at:])
        return "".join(parts)


def diff(file: str, old: str, new: str) -> str:
    import difflib

    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{file}", tofile=f"b/{file}")
    body = "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)
    return body


def write(file: str, text: str) -> None:
    with open(file, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    _CACHE.pop(file, None)


# --------------------------------------------------------------------------------------------- adding a key


def _resource_text(span: Span | None, safety: str) -> str | Fix:
    """The text of the file that declares the resource at ``span``, or the fix-less reason why there is none."""
    if span is None:
        return no_fix("the resource is not written in a file", safety)
    text = read_text(span.file)
    return no_fix("the file cannot be read back", safety) if text is None else text


def add_setting(span: Span | None, name: str, value: str, description: str, safety: str = "safe") -> Fix:
    """Add ``name: value`` to the properties of the resource declared at ``span`` (its key in a template,
    its block in a ``.tf`` file), in the file's own style: a line with the indentation of its neighbours in
    a block mapping, JSON or HCL; a member in a flow mapping. ``value`` is written as given (a number).
    """
    return add_settings(span, [(name, value)], description, safety)


def add_settings(span: Span | None, pairs: list[tuple[str, str]], description: str, safety: str = "safe") -> Fix:
    """``add_setting`` for several settings at once, in the order given (one edit)."""
    text = _resource_text(span, safety)
    if isinstance(text, Fix):
        return text
    assert span is not None  # _resource_text gave the text of its file
    if span.file.endswith(".tf"):
        edit = _add_hcl(text, span, pairs)
    elif _first(text) in ("{", "["):
        edit = _add_json(text, span, pairs)
    else:
        edit = _add_yaml(text, span, pairs)
    if isinstance(edit, str):
        return no_fix(edit, safety)
    return Fix(description=description, safety=safety, edits=[edit])


def _newline(text: str) -> str:
    return _memo(text, "newline", lambda t: "\r\n" if "\r\n" in t else "\n")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _add_hcl(text: str, span: Span, pairs: list[tuple[str, str]]) -> Edit | str:
    """New arguments before the block's closing brace, after a blank line (``terraform fmt`` aligns the
    ``=`` of adjacent arguments only; the blank line keeps the other arguments' alignment valid)."""
    start, end = region(text, span)
    block = text[start:end]
    header = block.split("\n", 1)[0]
    empty = re.match(r'(\s*resource\s+"[\w-]+"\s+"[\w-]+"\s*)\{\s*\}[ \t]*\r?$', header)
    if empty is not None:  # ``resource "t" "n" {}``: the braces opened onto lines of their own
        nl = _newline(text)
        indent = _indent(header) + "  "
        width = max(len(name) for name, _ in pairs)
        new = "".join(f"{indent}{name:<{width}} = {value.replace(chr(10), nl + indent)}{nl}" for name, value in pairs)
        brace = start + empty.end(1)
        close = text.index("}", brace) + 1
        return Edit(span.file, brace, close, "{" + nl + new + _indent(header) + "}")
    if not re.match(r'\s*resource\s+"[\w-]+"\s+"[\w-]+"\s*\{\s*$', header):
        return "the resource is not a plain resource block here"
    for name, _ in pairs:
        if re.search(r"^\s*" + re.escape(name) + r"\s*[={]", block, re.M):
            return f"{name} is set by an expression here; change it where it is set"
    lines = block.splitlines(keepends=True)
    last = len(lines) - 1
    while last > 0 and not lines[last].strip():
        last -= 1
    if last < 1 or lines[last].strip() != "}":
        return "the resource block does not end on a line of its own"
    at = start + sum(len(x) for x in lines[:last])
    body = [x for x in lines[1:last] if x.strip() and not x.lstrip().startswith(("#", "//"))]
    indent = _indent(body[0]) if body else _indent(header) + "  "
    nl = _newline(text)
    blank = nl if body and lines[last - 1].strip() else ""
    width = max(len(name) for name, _ in pairs)
    new = "".join(f"{indent}{name:<{width}} = {value.replace(chr(10), nl + indent)}{nl}" for name, value in pairs)
    return Edit(span.file, at, at, f"{blank}{new}")


def _add_yaml(text: str, span: Span, pairs: list[tuple[str, str]]) -> Edit | str:
    names = [name for name, _ in pairs]
    flow_members = ", ".join(f"{name}: {value}" for name, value in pairs)
    lines = _lines(text)
    if span.line < 1 or span.line > len(lines):
        return "the resource is not where the template says"
    starts = _line_starts(text)
    key_line = lines[span.line - 1]
    rest = key_line[span.column - 1:]
    if not re.match(r"""["']?[\w:.-]+["']?\s*:\s*(#.*)?$""", rest.rstrip("\r\n")):
        flow = re.match(r"""["']?[\w:.-]+["']?\s*:\s*\{.*\}\s*(#.*)?$""", rest.rstrip("\r\n"))
        props = list(re.finditer(r"[{,]\s*Properties\s*:\s*\{", rest))
        if flow is None or len(props) != 1 or any(re.search(r"[{,]\s*" + re.escape(n) + r"\s*:", rest)
                                                    for n in names):
            return "the resource is written in flow style; add the setting by hand"
        brace = starts[span.line - 1] + span.column - 1 + props[0].end()
        close = text[brace:brace + 1] == "}"
        return Edit(span.file, brace, brace, flow_members + ("" if close else ", "))
    key_indent = span.column - 1
    body: list[int] = []  # indices of the resource's own lines
    for i in range(span.line, len(lines)):
        s = lines[i]
        if not s.strip() or s.lstrip().startswith("#"):
            continue
        if len(_indent(s)) <= key_indent:
            break
        body.append(i)
    if not body:
        return "the resource has no body"
    inner = _indent(lines[body[0]])
    nl = _newline(text)
    for i in body:
        s = lines[i]
        if _indent(s) != inner:
            continue
        m = re.match(r"(\s*)Properties\s*:\s*(.*?)\s*$", s.rstrip("\r\n"))
        if m is None:
            continue
        after = m.group(2)
        if after.startswith("{"):
            brace = starts[i] + s.index("{")
            close = after.endswith("}") and after[1:-1].strip() == ""
            return Edit(span.file, brace + 1, brace + 1, flow_members + ("" if close else ", "))
        if after and not after.startswith("#"):
            return "the resource's Properties are not a mapping written here"
        children = [j for j in body if j > i and len(_indent(lines[j])) > len(inner)]
        child = _indent(lines[children[0]]) if children else inner + "  "
        for name in names:
            if any(_indent(lines[j]) == child and re.match(r"""\s*["']?""" + re.escape(name) + r"""["']?\s*:""",
                                                           lines[j]) for j in children):
                return f"{name} is set by a function or a parameter here; change it where it is set"
        at = starts[i + 1] if i + 1 < len(starts) else len(text)
        return Edit(span.file, at, at, "".join(f"{child}{name}: {value}{nl}" for name, value in pairs))
    # no Properties: after the Type line
    for i in body:
        if _indent(lines[i]) == inner and re.match(r"\s*Type\s*:", lines[i]):
            at = starts[i + 1] if i + 1 < len(starts) else len(text)
            step = inner[key_indent:] if len(inner) > key_indent else "  "
            return Edit(span.file, at, at, f"{inner}Properties:{nl}" +
                        "".join(f"{inner}{step}{name}: {value}{nl}" for name, value in pairs))
    return "the resource has no Type line to add Properties after"


def _json_skip_string(text: str, i: int) -> int:
    """The offset after the JSON string starting at ``text[i] == '"'``."""
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        i += 1
    return i


def _json_object_end(text: str, i: int) -> int:
    """The offset of the ``}`` closing the object that opens at ``text[i] == '{'``, or -1."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i = _json_skip_string(text, i)
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _json_members(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The direct members of the object ``text[start:end+1]``: (key, key offset, value offset)."""
    out: list[tuple[str, int, int]] = []
    depth = 0
    i = start + 1
    while i < end:
        c = text[i]
        if c == '"':
            j = _json_skip_string(text, i)
            if depth == 0:
                k = j
                while k < end and text[k] in " \t\r\n":
                    k += 1
                if k < end and text[k] == ":":
                    v = k + 1
                    while v < end and text[v] in " \t\r\n":
                        v += 1
                    out.append((text[i + 1:j - 1], i, v))
            i = j
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        i += 1
    return out


def _add_json(text: str, span: Span, pairs: list[tuple[str, str]]) -> Edit | str:
    key_at, _ = region(text, Span(span.file, span.line, span.column, span.line, span.column + 1))
    if text[key_at:key_at + 1] == "{":  # the span of the object itself (a SAM event), not of its key
        obj = key_at
    elif text[key_at:key_at + 1] == '"':
        colon = text.find(":", _json_skip_string(text, key_at))
        obj = text.find("{", colon)
        if colon < 0 or obj < 0 or text[colon + 1:obj].strip():
            return "the resource is not an object"
    else:
        return "the resource is not where the template says"
    obj_end = _json_object_end(text, obj)
    if obj_end < 0:
        return "the resource object does not end"
    members = _json_members(text, obj, obj_end)
    props = next((m for m in members if m[0] == "Properties"), None)
    if props is not None:
        if text[props[2]] != "{":
            return "the resource's Properties are not an object written here"
        target, target_end = props[2], _json_object_end(text, props[2])
        inner = _json_members(text, target, target_end)
        for name, _ in pairs:
            if any(m[0] == name for m in inner):
                return f"{name} is set by a function or a parameter here; change it where it is set"
    else:
        target, target_end, inner = obj, obj_end, members
    flat = ", ".join(f'"{name}": {value}' for name, value in pairs)
    member = flat if props is not None else f'"Properties": {{{flat}}}'
    if not inner:
        return Edit(span.file, target + 1, target + 1, member)
    first = inner[0][1]
    between = text[target + 1:first]
    last = target_end
    while text[last - 1] in " \t\r\n":
        last -= 1
    if "\n" in between:  # one member a line: the new one last, indented as the others
        ws = between[between.rfind("\n") + 1:]
        nl = "\r\n" if between.endswith("\r\n" + ws) else "\n"
        if props is not None:
            member = f",{nl}{ws}".join(f'"{name}": {value}' for name, value in pairs)
        return Edit(span.file, last, last, f",{nl}{ws}{member}")
    return Edit(span.file, last, last, f", {member}")


# ------------------------------------------------------------------------------------------- removing a key


def _skip_space(text: str, i: int, comments: bool) -> int:
    """The first offset at or after ``i`` that is not blank (nor in a ``#`` comment when ``comments``)."""
    while i < len(text):
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif comments and c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl + 1
        else:
            break
    return i


def _back_space(text: str, i: int) -> int:
    """The offset after the last non-blank character before ``i``."""
    while i > 0 and text[i - 1] in " \t\r\n":
        i -= 1
    return i


def _flow_value_end(text: str, i: int) -> int:
    """The offset after the flow (JSON or YAML flow) value starting at ``i``."""
    if i >= len(text):
        return i
    c = text[i]
    if c == '"':
        return _json_skip_string(text, i)
    if c == "'":
        j = i + 1
        while j < len(text):
            if text[j] == "'":
                if text[j + 1:j + 2] == "'":
                    j += 2
                    continue
                return j + 1
            j += 1
        return j
    if c in "{[":
        depth = 0
        j = i
        while j < len(text):
            ch = text[j]
            if ch == '"':
                j = _json_skip_string(text, j)
                continue
            if ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return j
    j = i
    while j < len(text) and text[j] not in ",}]\r\n":
        j += 1
    while j > i and text[j - 1] in " \t":
        j -= 1
    return j


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _line_end(text: str, i: int) -> int:
    """The offset after the newline ending the line that holds ``i``."""
    nl = text.find("\n", i)
    return len(text) if nl < 0 else nl + 1


def _member_edit(text: str, file: str, key_at: int, value_end: int) -> Edit:
    """Remove the member ``text[key_at:value_end]`` of a flow mapping or JSON object with its comma."""
    after = _skip_space(text, value_end, False)
    if after < len(text) and text[after] == ",":
        nxt = _skip_space(text, after + 1, False)
        return Edit(file, key_at, nxt, "")
    before = _back_space(text, key_at)
    if before > 0 and text[before - 1] == ",":
        return Edit(file, before - 1, value_end, "")
    # the only member: empty the braces
    close = after if after < len(text) and text[after] in "}" else value_end
    return Edit(file, before, close, "")


def remove_setting(span: Span | None, name: str, description: str, safety: str = "safe") -> Fix:
    """Remove the setting ``name`` whose value is written at ``span`` (the value in a template; the block or
    argument line in a ``.tf`` file): its key, its value and the separator that goes with them. A block
    mapping member goes with its whole lines; a flow or JSON member with its comma."""
    if span is None:
        return no_fix("the setting is not written in a file", safety)
    text = read_text(span.file)
    if text is None:
        return no_fix("the file cannot be read back", safety)
    if span.file.endswith(".tf"):
        edit = _remove_hcl(text, span, name)
    else:
        edit = _remove_template(text, span, name)
    if isinstance(edit, str):
        return no_fix(edit, safety)
    return Fix(description=description, safety=safety, edits=[edit])


def _remove_template(text: str, span: Span, name: str) -> Edit | str:
    start, end = region(text, span)
    value_at = _skip_space(text, start, False)
    key = _last_key(text, name, value_at)
    if key is None or _skip_space(text, key.end(), True) != value_at:
        return f"{name} is not written as a key here"
    key_at = key.start()
    if span.end_line and span.end_column and _first(text) not in ("{", "["):
        value_end = end
    else:
        value_end = _flow_value_end(text, value_at)
    before = _back_space(text, key_at)
    after = _skip_space(text, value_end, False)
    in_flow = (before > 0 and text[before - 1] in "{,") or (after < len(text) and text[after] in ",}")
    if in_flow:
        return _member_edit(text, span.file, key_at, value_end)
    if text[_line_start(text, key_at):key_at].strip():
        return f"{name} shares its line with another key; remove it by hand"
    last = value_end
    if last > value_at and text[last - 1] == "\n":
        last -= 1
    rest = text[last:_line_end(text, last)]
    if rest.strip() and not rest.strip().startswith("#"):
        return f"{name} shares its last line with another key; remove it by hand"
    return Edit(span.file, _line_start(text, key_at), _line_end(text, last), "")


def _last_key(text: str, name: str, before: int) -> re.Match[str] | None:
    """The last key ``name`` (quoted or not, then ``:``) that ends by ``before``, as a left-to-right search of
    ``text[:before]`` finds it. A key of word characters cannot overlap another: the keys of the whole text,
    found once, are the keys of any part of it, and the last one is a binary search."""
    pattern = r"""(["']?)""" + re.escape(name) + r"""\1\s*:"""
    if not re.fullmatch(r"\w+", name):
        key = None
        for m in re.finditer(pattern, text[:before]):
            key = m
        return key
    keys, ends = _memo(text, "key " + name, lambda t: _matches(pattern, t, 0))
    i = bisect.bisect_right(ends, before) - 1
    return keys[i] if i >= 0 else None


def _matches(pattern: str, text: str, flags: int) -> tuple[list[re.Match[str]], list[int]]:
    found = list(re.finditer(pattern, text, flags))
    return found, [m.end() for m in found]


def _hcl_end(text: str, i: int) -> int:
    """The offset after the bracket that closes the one opening at ``text[i]`` (strings and comments skipped)."""
    depth = 0
    j = i
    while j < len(text):
        c = text[j]
        if c == '"':
            j += 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
        elif c == "#" or text.startswith("//", j):
            j = _line_end(text, j) - 1
        elif text.startswith("/*", j):
            k = text.find("*/", j + 2)
            j = len(text) if k < 0 else k + 1
        elif c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _remove_hcl(text: str, span: Span, name: str) -> Edit | str:
    """Remove the block or argument ``name`` on the line of ``span``, whole lines. Where it parts two
    arguments a blank line stays, so that ``terraform fmt`` alignment of both groups stays as it is."""
    at, _ = region(text, Span(span.file, span.line))
    line = text[at:_line_end(text, at)]
    m = re.match(r"""\s*(?:dynamic\s+"(\w+)"|(\w+))\s*(=|\{)""", line)
    if m is None or (m.group(1) or m.group(2)) != name:
        return f"{name} is not written on its own line here"
    if m.group(3) == "{":
        close = _hcl_end(text, at + m.end() - 1)
    else:
        value_at = _skip_space(text, at + m.end(), False)
        close = _hcl_end(text, value_at) if text[value_at:value_at + 1] in ("[", "{", "(") else value_at + 1
    if close < 0:
        return f"{name} does not end"
    end = _line_end(text, close - 1)
    if text[close:end].strip() and not text[close:end].strip().startswith(("#", "//")):
        return f"{name} shares its last line with something else; remove it by hand"
    prev_end = at
    prev_start = _line_start(text, prev_end - 1) if prev_end > 0 else 0
    prev = text[prev_start:prev_end].strip()
    nxt = text[end:_line_end(text, end)].strip() if end < len(text) else ""
    if prev and nxt and not prev.endswith("{") and nxt != "}":
        return Edit(span.file, at, end, _newline(text))  # keep a blank line between two argument groups
    if not prev and (nxt == "}" or not nxt):
        return Edit(span.file, prev_start, end, "")  # no blank line left before the brace or the next blank
    return Edit(span.file, at, end, "")


def set_empty_list(span: Span | None, value: str, description: str, safety: str = "safe") -> Fix:
    """Write ``value`` (a list) over the empty list ``[]`` written at ``span`` (the value, or a ``.tf``
    argument line). Anything else there (a reference, a function, other items) gets no fix."""
    if span is None:
        return no_fix("the value is not written in the file", safety)
    text = read_text(span.file)
    if text is None:
        return no_fix("the file cannot be read back", safety)
    start, _ = region(text, Span(span.file, span.line, span.column))
    if span.file.endswith(".tf"):
        m = re.compile(r"\s*\w+\s*=\s*(\[\s*\])").match(text, start)
    else:
        m = re.compile(r"\s*(\[\s*\])").match(text, start)
    if m is None:
        return no_fix("the list is not an empty list written here (it comes from a parameter, a variable or an "
                      "expression); change it where it is set", safety)
    return Fix(description=description, safety=safety, edits=[Edit(span.file, m.start(1), m.end(1), value)])


# ------------------------------------------------------------------------------------------------- helpers


def generated(model: Any, resource: str, name: str) -> Fix | None:
    """No fix, and why, when ``resource`` is not written by hand in its file: a CDK synth template (the
    CDK code makes it again) or a resource inside a Terraform module (the module's inputs decide)."""
    if model.format == "cdk":
        return no_fix(f"the template is synthesized by CDK; set {name} on {resource} in the CDK code")
    if resource.startswith("module."):
        return no_fix(f"{resource} is declared inside a module; set {name} through the module's inputs")
    return None


def string_list(file: str, *items: str) -> str:
    """A list of strings as the file writes one: quoted in JSON and HCL, plain in YAML."""
    text = read_text(file) or ""
    if file.endswith(".tf") or _first(text) == "{":
        return "[" + ", ".join(f'"{i}"' for i in items) + "]"
    return "[" + ", ".join(items) + "]"


# ------------------------------------------------------------------------------------------ removing a resource


def in_globals(span: Span | None) -> bool:
    """Whether ``span`` lies in the ``Globals`` section of a SAM template (a setting every function shares)."""
    if span is None:
        return False
    text = read_text(span.file)
    if text is None:
        return False
    at, _ = region(text, Span(span.file, span.line, span.column))
    if _first(text) == "{":
        return any(a <= at <= b for a, b in _memo(text, "globals", _json_globals))
    # the last top-level key before ``at``: one a line, each within its line, so those of the lines before
    # ``at``'s are those of the whole text (found once); ``at``'s own line is looked at up to ``at``
    line = text.rfind("\n", 0, at) + 1
    m = _TOP_KEY.match(text[line:at])
    if m is None:
        keys, _ = _memo(text, "top keys", lambda t: _matches(_TOP_KEY.pattern, t, re.M))
        starts = _memo(text, "top key starts", lambda t: [k.start() for k in keys])
        i = bisect.bisect_left(starts, line) - 1
        m = keys[i] if i >= 0 else None
    return m is not None and m.group(1).strip("'\" ") == "Globals"


_TOP_KEY = re.compile(r"^([^\s#-][^:\r\n]*):", re.M)


def _json_globals(text: str) -> list[tuple[int, int]]:
    """Where the values of the ``Globals`` members of a JSON template's root object are."""
    root = text.index("{")
    end = _json_object_end(text, root)
    return [(value_at, _flow_value_end(text, value_at)) for key, _, value_at in _json_members(text, root, end)
            if key == "Globals"]


def _mentioned(text: str, word: str, outside: tuple[int, int]) -> bool:
    """Whether ``word`` appears in ``text`` as a whole name (letters, digits, ``_``, ``.`` around it) other
    than within ``outside``.

    A name of word characters and dots that ends in a word character (a resource's name, a Terraform
    address) is looked for where its last run of word characters stands as a whole run in the text: the
    text's runs are collected once (a name's uses cannot overlap: each starts after a character it cannot
    hold), not the whole text searched again for each name."""
    pattern = re.compile(r"(?<![\w.])" + re.escape(word) + r"(?![\w])")
    last = _LAST_RUN.search(word) if _NAME.fullmatch(word) else None
    if last is None:
        return any(not outside[0] <= m.start() < outside[1] for m in pattern.finditer(text))
    runs: dict[str, list[int]] = _memo(text, "run starts", _run_starts)
    for start in runs.get(last.group(), ()):
        at = start - last.start()
        if at >= 0 and not outside[0] <= at < outside[1] and pattern.match(text, at) is not None:
            return True
    return False


_NAME = re.compile(r"[\w.]*\w")
_LAST_RUN = re.compile(r"\w+$")


def _run_starts(text: str) -> dict[str, list[int]]:
    """Where each whole run of word characters of ``text`` starts."""
    out: dict[str, list[int]] = {}
    for m in re.finditer(r"\w+", text):
        out.setdefault(m.group(), []).append(m.start())
    return out


def remove_resource(span: Span | None, resource: str, description: str, safety: str = "unsafe") -> Fix:
    """Remove the resource ``resource`` declared at ``span`` (its key in a template, its block in a ``.tf``
    file) with all its lines and the blank line that parted it from the next one. No fix when anything else
    in the file (or, in Terraform, in the module's other files) names it: the reference would break."""
    text = _resource_text(span, safety)
    if isinstance(text, Fix):
        return text
    assert span is not None  # _resource_text gave the text of its file
    others: list[str] = []
    if span.file.endswith(".tf"):
        folder = os.path.dirname(span.file) or "."
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return no_fix("the module's other files cannot be read to see whether they name it", safety)
        others = [os.path.join(folder, f) for f in names if f.endswith((".tf", ".tf.json"))]
        edit = _remove_hcl_block(text, span, resource)
        name = resource
    elif _first(text) == "{":
        edit = _remove_json_member(text, span, resource)
        name = resource
    else:
        edit = _remove_yaml_resource(text, span, resource)
        name = resource
    if isinstance(edit, str):
        return no_fix(edit, safety)
    if _mentioned(text, name, (edit.start, edit.end)) or any(
            _mentioned(read_text(f) or "", name, (0, 0)) for f in others if f != span.file):
        return no_fix(f"{name} is referenced elsewhere (a reference or DependsOn would break); remove it by hand",
                      safety)
    return Fix(description=description, safety=safety, edits=[edit])


def _whole_lines(text: str, file: str, start: int, end: int) -> Edit:
    """Remove the lines ``text[start:end]`` (``start`` at a line start, ``end`` after a newline) and one blank
    line next to them: the one after, or the one before when they end the file or their section."""
    after_end = _line_end(text, end) if end < len(text) else end
    if end < len(text) and not text[end:after_end].strip():
        nxt = text[after_end:_line_end(text, after_end)] if after_end < len(text) else ""
        if nxt.strip() or after_end >= len(text):
            return Edit(file, start, after_end, "")
    if start > 0:
        prev_start = _line_start(text, start - 1)
        following = text[end:_line_end(text, end)] if end < len(text) else ""
        if not text[prev_start:start].strip() and (end >= len(text) or
                                                   len(_indent(following)) < len(_indent(text[start:end]))):
            return Edit(file, prev_start, end, "")
    return Edit(file, start, end, "")


def _remove_yaml_resource(text: str, span: Span, resource: str) -> Edit | str:
    at, _ = region(text, Span(span.file, span.line, span.column))
    start = _line_start(text, at)
    if text[start:at].strip() or not re.compile(r"""["']?""" + re.escape(resource) + r"""["']?\s*:""").match(text, at):
        return f"{resource} is not written as a key on a line of its own; remove it by hand"
    indent = at - start
    end = _line_end(text, at)
    i = end
    while i < len(text):
        line_end = _line_end(text, i)
        line = text[i:line_end]
        if line.strip() and not line.lstrip().startswith("#"):
            if len(_indent(line)) <= indent:
                break
            end = line_end
        i = line_end
    if not text[end - 1:end] == "\n":
        return Edit(span.file, start, end, "")
    return _whole_lines(text, span.file, start, end)


def _remove_json_member(text: str, span: Span, resource: str) -> Edit | str:
    key_at, _ = region(text, Span(span.file, span.line, span.column))
    if not text.startswith(f'"{resource}"', key_at):
        return f"{resource} is not where the template says"
    colon = _skip_space(text, key_at + len(resource) + 2, False)
    if text[colon:colon + 1] != ":":
        return f"{resource} is not a member here"
    value_at = _skip_space(text, colon + 1, False)
    return _member_edit(text, span.file, key_at, _flow_value_end(text, value_at))


def _remove_hcl_block(text: str, span: Span, resource: str) -> Edit | str:
    at, _ = region(text, Span(span.file, span.line))
    kind, _, name = resource.partition(".")
    m = re.compile(r'resource\s+"' + re.escape(kind) + r'"\s+"' + re.escape(name) + r'"\s*\{').match(text, at)
    if m is None:
        return f"{resource} is not a plain resource block here"
    close = _hcl_end(text, m.end() - 1)
    if close < 0:
        return f"{resource} does not end"
    end = _line_end(text, close - 1)
    if text[close:end].strip() and not text[close:end].strip().startswith(("#", "//")):
        return f"{resource} shares its last line with something else; remove it by hand"
    return _whole_lines(text, span.file, at, end)


# --------------------------------------------------------------------------------------- adding a dead-letter queue

#: how long the added dead-letter queue keeps messages: SQS's longest retention, 14 days
DLQ_RETENTION = 1209600


def add_dead_letter_queue(span: Span | None, queue: str, max_receive: int, description: str,
                          safety: str = "unsafe", fifo: bool = False) -> Fix:
    """A new queue declared right after ``queue`` (declared at ``span``), keeping messages 14 days, and a
    redrive policy on ``queue`` that moves a message to it after ``max_receive`` receives; written in the
    file's own style (block or flow YAML, JSON, HCL). For a FIFO ``queue`` the new queue is FIFO too (SQS
    requires it), named ``<name>-dlq.fifo`` when ``queue`` has a literal name."""
    if span is None:
        return no_fix("the queue is not written in a file", safety)
    text = read_text(span.file)
    if text is None:
        return no_fix("the file cannot be read back", safety)
    if "." in queue and not span.file.endswith(".tf"):
        return no_fix(f"{queue} is read from JSON (a plan or a .tf.json file); add the dead-letter queue in "
                      "the Terraform code", safety)
    if span.file.endswith(".tf"):
        kind, _, name = queue.partition(".")
        module = _module_text(span.file, text)
        new = _free_name(module, f"{name}_dlq", lambda n: f'"{kind}" "{n}"')
        ref = f"{kind}.{new}.arn"
        redrive = add_settings(span, [("redrive_policy", "jsonencode({\n  deadLetterTargetArn = " + ref +
                                       f"\n  maxReceiveCount     = {max_receive}\n}})")], "", safety)
        at, _ = region(text, Span(span.file, span.line))
        m = re.compile(r'resource\s+"aws_sqs_queue"\s+"' + re.escape(name) + r'"\s*\{').match(text, at)
        if m is None:
            return no_fix(f"{queue} is not a plain resource block here", safety)
        close = _hcl_end(text, m.end() - 1)
        if close < 0:
            return no_fix(f"{queue} does not end", safety)
        end = _line_end(text, close - 1)
        settings: list[tuple[str, str]] = []
        if fifo:
            dlq_name = _dlq_name(text[at:close], module, r'(?m)^[ \t]*name[ \t]*=[ \t]*"([\w-]+\.fifo)"[ \t]*\r?$')
            settings += [("name", f'"{dlq_name}"')] * (dlq_name is not None) + [("fifo_queue", "true")]
        settings.append(("message_retention_seconds", str(DLQ_RETENTION)))
        width = max(len(k) for k, _ in settings)
        nl = _newline(text)
        lines = "".join(f"  {k:<{width}} = {v}{nl}" for k, v in settings)
        block = f'{nl}resource "{kind}" "{new}" {{{nl}{lines}}}{nl}'
        if text[end - 1:end] != "\n":  # the queue's block ends the file without a newline
            block = nl + block.rstrip("\r\n")
        resource = Edit(span.file, end, end, block)
    elif _first(text) == "{":
        new = _free_name(text, f"{queue}DLQ", lambda n: f'"{n}"')
        redrive = add_settings(span, [("RedrivePolicy", '{"deadLetterTargetArn": {"Fn::GetAtt": ["' + new +
                                       f'", "Arn"]}}, "maxReceiveCount": {max_receive}}}')], "", safety)
        made = _json_resource_after(text, span, queue, new, fifo)
        if isinstance(made, str):
            return no_fix(made, safety)
        resource = made
    else:
        new = _free_name(text, f"{queue}DLQ", lambda n: n)
        redrive = add_settings(span, [("RedrivePolicy", f"{{deadLetterTargetArn: !GetAtt {new}.Arn, "
                                       f"maxReceiveCount: {max_receive}}}")], "", safety)
        made = _yaml_resource_after(text, span, queue, new, fifo)
        if isinstance(made, str):
            return no_fix(made, safety)
        resource = made
    if not redrive.applicable:
        return no_fix(redrive.reason, safety)
    (props,) = redrive.edits
    if props.start == props.end == resource.start:  # both go after the queue's last line: one edit
        return Fix(description=description, safety=safety,
                   edits=[Edit(span.file, props.start, props.end, props.new + resource.new)])
    return Fix(description=description, safety=safety, edits=[props, resource])


def _module_text(file: str, text: str) -> str:
    """``text`` and the text of the other ``.tf`` files of its folder (one module: names must not clash)."""
    folder = os.path.dirname(file) or "."
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return text
    others = [read_text(os.path.join(folder, n)) or "" for n in names
              if n.endswith(".tf") and os.path.join(folder, n) != file]
    # joined once while none of the files changes (the texts are the cached ones: the same objects)
    key = (file, tuple(names))
    hit = _MODULES.get(id(text))
    if (hit is not None and hit[0] is text and hit[1] == key and len(hit[2]) == len(others)
            and all(map(operator.is_, hit[2], others))):
        return hit[3]
    joined = "\n".join([text, *others])
    if len(_MODULES) >= 16:
        _MODULES.clear()
    _MODULES[id(text)] = (text, key, others, joined)
    return joined


_MODULES: dict[int, tuple[str, Any, list[str], str]] = {}


def _free_name(text: str, name: str, spelled: Any) -> str:
    """``name``, or ``name`` with a number, so that the file does not already use it as a whole name (a
    longer name that starts with it, ``OrdersQueueDLQAlarm``, does not clash)."""
    candidate, n = name, 2
    while _uses(text, spelled(candidate), r"\w") or _uses(text, candidate, r"\w-"):
        candidate, n = f"{name}{n}", n + 1
    return candidate


def _uses(text: str, name: str, word: str) -> bool:
    """Whether ``name`` appears in ``text`` with no ``word`` character on either side.

    Where it does, each run of ``word`` characters in ``name`` is a whole run of them in ``text`` too: the
    runs of ``text`` are collected once (a set), and a name with a run that is not among them is not there;
    only a name that may be there is looked for (templates are large and mostly do not contain it)."""
    runs = _memo(text, "runs" + word, lambda t: set(re.findall("[" + word + "]+", t)))
    if any(run not in runs for run in re.findall("[" + word + "]+", name)):
        return False
    if name not in text:
        return False
    return re.search(r"(?<![" + word + r"])" + re.escape(name) + r"(?![" + word + r"])", text) is not None


#: the longest queue name SQS takes
_QUEUE_NAME_MAX = 80


def _dlq_name(resource: str, text: str, pattern: str) -> str | None:
    """``<name>-dlq.fifo`` for the FIFO queue whose declaration ``resource`` names it ``<name>.fifo`` with a
    literal (found by ``pattern``, group 1), numbered when ``text`` uses that name already; None when the
    queue's name is not one literal (the dead-letter queue is left unnamed: SQS gives it a .fifo name)."""
    found = re.findall(pattern, resource)
    if len(found) != 1:
        return None
    base, n = found[0][: -len(".fifo")] + "-dlq", 2
    candidate = base + ".fifo"
    while _uses(text, candidate, r"\w.-"):
        candidate, n = f"{base}{n}.fifo", n + 1
    return candidate if len(candidate) <= _QUEUE_NAME_MAX else None


#: a literal FIFO queue name in a template (block or flow YAML, JSON), group 1 the name
_CFN_FIFO_NAME = r"""(?<![\w])["']?QueueName["']?\s*:\s*(?:"|'|)([\w-]+\.fifo)["']?(?=\s*(?:[,}\r\n]|#|$))"""


def _dlq_properties(text: str, resource: str, fifo: bool, json: bool) -> list[str]:
    """The added dead-letter queue's properties, ``name: value`` as the template writes them."""
    out: list[str] = []
    if fifo:
        out.append('"FifoQueue": true' if json else "FifoQueue: true")
        name = _dlq_name(resource, text, _CFN_FIFO_NAME)
        if name is not None:
            out.append(f'"QueueName": "{name}"' if json else f"QueueName: {name}")
    out.append(f'"MessageRetentionPeriod": {DLQ_RETENTION}' if json else f"MessageRetentionPeriod: {DLQ_RETENTION}")
    return out


def _yaml_resource_after(text: str, span: Span, queue: str, new: str, fifo: bool = False) -> Edit | str:
    at, _ = region(text, Span(span.file, span.line, span.column))
    start = _line_start(text, at)
    if text[start:at].strip() or not re.compile(r"""["']?""" + re.escape(queue) + r"""["']?\s*:""").match(text, at):
        return f"{queue} is not written as a key on a line of its own; add the dead-letter queue by hand"
    indent = text[start:at]
    nl = _newline(text)
    end = _line_end(text, at)
    first = ""
    i = end
    while i < len(text):
        line_end = _line_end(text, i)
        line = text[i:line_end]
        if line.strip() and not line.lstrip().startswith("#"):
            if len(_indent(line)) <= len(indent):
                break
            first = first or _indent(line)
            end = line_end
        i = line_end
    props = _dlq_properties(text, text[at:end], fifo, json=False)
    if not first:  # the queue is written on one line: so is its dead-letter queue
        body = f"{indent}{new}: {{Type: AWS::SQS::Queue, Properties: {{{', '.join(props)}}}}}{nl}"
    else:
        step = first[len(indent):] if len(first) > len(indent) else "  "
        body = (f"{indent}{new}:{nl}{indent}{step}Type: AWS::SQS::Queue{nl}{indent}{step}Properties:{nl}"
                + "".join(f"{indent}{step}{step}{p}{nl}" for p in props))
    before_key = _line_start(text, start - 1) if start > 0 else 0
    after = text[end:_line_end(text, end)] if end < len(text) else ""
    spaced = (start > 0 and not text[before_key:start].strip()) or (end < len(text) and not after.strip())
    blank = nl if spaced else ""  # resources parted by blank lines: so is the new one
    if text[end - 1:end] != "\n":
        return Edit(span.file, end, end, nl + blank + body.rstrip("\r\n"))
    return Edit(span.file, end, end, blank + body)


def _json_resource_after(text: str, span: Span, queue: str, new: str, fifo: bool = False) -> Edit | str:
    key_at, _ = region(text, Span(span.file, span.line, span.column))
    if not text.startswith(f'"{queue}"', key_at):
        return f"{queue} is not where the template says"
    colon = _skip_space(text, key_at + len(queue) + 2, False)
    obj = _skip_space(text, colon + 1, False)
    if text[colon:colon + 1] != ":" or text[obj:obj + 1] != "{":
        return f"{queue} is not an object"
    obj_end = _json_object_end(text, obj)
    if obj_end < 0:
        return f"{queue} does not end"
    members = _json_members(text, obj, obj_end)
    between = text[obj + 1:members[0][1]] if members else ""
    props = _dlq_properties(text, text[obj:obj_end], fifo, json=True)
    if "\n" not in between:
        body = f'"{new}": {{"Type": "AWS::SQS::Queue", "Properties": {{{", ".join(props)}}}}}'
        line_ws = text[_line_start(text, key_at):key_at]
        sep = ", " if line_ws.strip() else "," + _newline(text) + line_ws  # beside it, or on a line of its own
        return Edit(span.file, obj_end + 1, obj_end + 1, sep + body)
    ws = between[between.rfind("\n") + 1:]
    nl = "\r\n" if between.endswith("\r\n" + ws) else "\n"
    outer = text[_line_start(text, key_at):key_at]
    if outer.strip():
        return f"{queue} does not start its own line; add the dead-letter queue by hand"
    step = ws[len(outer):] if len(ws) > len(outer) else "  "
    body = (f',{nl}{outer}"{new}": {{{nl}{ws}"Type": "AWS::SQS::Queue",{nl}{ws}"Properties": {{{nl}'
            + f",{nl}".join(f"{ws}{step}{p}" for p in props) + f"{nl}{ws}}}{nl}{outer}}}")
    return Edit(span.file, obj_end + 1, obj_end + 1, body)
