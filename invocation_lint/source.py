"""Where every value came from.

Loaders return plain Python containers that remember positions: ``LDict`` and ``LList`` are ``dict`` and
``list`` subclasses carrying the span of the container and of each member. Scalars stay plain Python values
(``bool`` cannot be subclassed), so a scalar's position is asked of its parent: ``d.span_of("Timeout")``.
Keeping positions in the parent keeps loading cheap and leaves the data usable by code that knows nothing of
spans.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

#: what a name, value, path or message from the input must never put on a terminal or in an annotation raw:
#: C0 controls but tab (ESC starts terminal sequences, CR/LF new lines), DEL, C1 controls, the Unicode line and
#: paragraph separators, the bidirectional marks, embeddings, overrides and isolates (text shown reordered),
#: and lone surrogates (the bytes of a file name that is not UTF-8)
#: (a pattern string: compiling a class of characters beyond Latin-1 takes ~0.4 ms, paid only when needed)
_UNSAFE = ("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
           "\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled on first use."""
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled


def _escaped(m: re.Match[str]) -> str:
    c = m.group()
    named = _NAMED.get(c)
    if named is not None:
        return named
    o = ord(c)
    if 0xDC80 <= o <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def clean(text: str) -> str:
    """``text`` safe for a terminal, a log or a workflow command: unsafe characters shown as escapes (``\\x1b``)."""
    if text.isprintable():  # no control, format, separator or surrogate character: nothing to escape
        return text
    unsafe = _compiled(_UNSAFE)
    if not unsafe.search(text):
        return text
    return unsafe.sub(_escaped, text)


_JSON_UNSAFE = "[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"


def json_safe(dumped: str) -> str:
    """A ``json.dumps(..., ensure_ascii=False)`` document with the characters JSON leaves raw but a terminal or an
    encoder chokes on (DEL, C1, bidi controls, lone surrogates) written as ``\\uXXXX`` escapes: the same value."""
    unsafe = _compiled(_JSON_UNSAFE)
    if not unsafe.search(dumped):
        return dumped
    return unsafe.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


class Span(NamedTuple):
    """A region of a file: 1-based lines and columns. ``end_line`` 0 means "the same line".

    A named tuple, not a dataclass: a large template creates hundreds of thousands of them.
    """

    file: str
    line: int
    column: int = 1
    end_line: int = 0
    end_column: int = 0

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line >= self.line else self.line

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class LDict(dict):
    """A mapping that knows its own span and the span of each value (and of each key)."""

    __slots__ = ("span", "spans", "key_spans")

    def __init__(self, items: Any = (), /, *, span: Span | None = None, **kwargs: Any) -> None:
        if items or kwargs:  # a new dict is empty: filling it with nothing is a call saved (thousands a template)
            dict.__init__(self, items, **kwargs)
        self.span: Span | None = span
        self.spans: dict[Any, Span] = {}
        self.key_spans: dict[Any, Span] = {}

    def span_of(self, key: Any) -> Span | None:
        """The span of the value under ``key``, else of the mapping itself."""
        return self.spans.get(key) or self.span

    def key_span(self, key: Any) -> Span | None:
        return self.key_spans.get(key) or self.spans.get(key) or self.span


class LList(list):
    """A sequence that knows its own span and the span of each item."""

    __slots__ = ("span", "spans")

    def __init__(self, items: Any = (), /, *, span: Span | None = None) -> None:
        if items:
            list.__init__(self, items)
        self.span: Span | None = span
        self.spans: list[Span | None] = []

    def span_of(self, index: int) -> Span | None:
        if 0 <= index < len(self.spans) and self.spans[index] is not None:
            return self.spans[index]
        return self.span


def span_of(container: Any, key: Any = None) -> Span | None:
    """The span of ``container[key]`` (or of ``container``) when the container is located; else None."""
    if key is None:
        return getattr(container, "span", None)
    if isinstance(container, (LDict, LList)):
        return container.span_of(key)
    return None


MAX_MESSAGE = 300


class InputError(Exception):
    """Bad input: reported as one line naming the file (and line), exit code 2, never a traceback."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        if len(message) > MAX_MESSAGE:  # an error quotes a short excerpt of the input, never a whole file
            message = message[:MAX_MESSAGE] + "…"
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return clean(f"{where}: {self.message}")
