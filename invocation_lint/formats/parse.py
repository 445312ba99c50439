"""YAML and JSON into located containers (``LDict``/``LList`` with spans), refusing hostile input fast.

YAML goes through PyYAML's *compose* step only (the LibYAML C parser when present; the safe pure-Python one
otherwise): composing builds nodes with positions and never constructs Python objects from tags, so nothing in
a template can run code. CloudFormation's short-form tags (``!Ref``, ``!GetAtt``, ``!Sub``...) become their
long forms. JSON is parsed by a small tokenizer here because ``json`` does not report positions.

Guards, each an ``InputError`` with the file (and line): empty, binary (NUL byte), not UTF-8, larger than
``MAX_BYTES``, nesting deeper than ``MAX_DEPTH``, aliases expanding past ``MAX_NODES``, duplicate keys,
unknown tags, syntax errors.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..lazy import regex
from ..source import InputError, LDict, LList, Span

#: CloudFormation accepts templates of at most 1 MB (S3) or 51,200 bytes (inline); SAM sources and CDK
#: output can be larger before processing. Anything past this is refused without reading it.
MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200
MAX_NODES = 2_000_000

INTRINSIC_TAGS = {
    "Ref": "Ref",
    "Condition": "Condition",
    "GetAtt": "Fn::GetAtt",
    "Sub": "Fn::Sub",
    "Join": "Fn::Join",
    "Select": "Fn::Select",
    "Split": "Fn::Split",
    "FindInMap": "Fn::FindInMap",
    "If": "Fn::If",
    "Not": "Fn::Not",
    "Equals": "Fn::Equals",
    "And": "Fn::And",
    "Or": "Fn::Or",
    "Base64": "Fn::Base64",
    "Cidr": "Fn::Cidr",
    "GetAZs": "Fn::GetAZs",
    "ImportValue": "Fn::ImportValue",
    "Transform": "Fn::Transform",
    "ToJsonString": "Fn::ToJsonString",
    "Length": "Fn::Length",
    "ForEach": "Fn::ForEach",
    "Rain::Embed": "Rain::Embed",
}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic collector dominates large parses (measured 3× on a 2.35 MB template); no cycles here."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def decode(data: bytes, file: str) -> str:
    """Bytes to text with the guards every format shares."""
    if not data or data.isspace():  # what ``not data.strip()`` says, without copying the file
        raise InputError(file, "empty file")
    if len(data) > MAX_BYTES:
        raise InputError(file, f"file is {len(data) / 1e6:.1f} MB; files over {MAX_BYTES // (1024 * 1024)} MiB are not read")
    if b"\0" in data[:8192] or b"\0" in data:
        raise InputError(file, "binary file (contains NUL bytes), not a template")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(file, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line) from None


def looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith("{") or stripped.startswith("[")


def parse_text(text: str, file: str) -> Any:
    """JSON when it looks like JSON and parses as JSON; YAML otherwise. A ``.json`` file must be JSON."""
    if looks_like_json(text):
        try:
            return parse_json(text, file)
        except InputError:
            if file.lower().endswith(".json"):
                raise
            # JSON-looking text with YAML-only syntax (comments, short tags) is still a fine YAML template.
            try:
                return parse_yaml(text, file)
            except InputError:
                pass
            raise
    return parse_yaml(text, file)


# ------------------------------------------------------------------------------------------------------- YAML


def parse_yaml(text: str, file: str) -> Any:
    import yaml

    loader_cls = _memo_loader(getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)
    depth = _yaml_depth_estimate(text)
    if depth > MAX_DEPTH:
        raise InputError(file, f"nesting deeper than {MAX_DEPTH} levels")
    with gc_paused():
        loader = loader_cls(text)
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            raise InputError(file, f"invalid YAML: {problem}", line) from None
        except yaml.YAMLError as exc:
            first = (str(exc).splitlines() or ["invalid YAML"])[0]
            raise InputError(file, f"invalid YAML: {first}") from None
        except RecursionError:
            raise InputError(file, f"nesting deeper than {MAX_DEPTH} levels") from None
        finally:
            loader.dispose()
        if node is None:
            raise InputError(file, "empty document")
        return _YamlBuilder(file, text).build(node)


_MEMO_LOADERS: dict[type, type] = {}


def _memo_loader(base: type) -> type:
    """``base`` resolving each distinct plain scalar's implicit tag once, and asking nothing else in Python.

    The C composer asks the Python resolver for the tag of every plain scalar (a dozen regular expressions
    tried in Python): a fifth of composing a template, where the same words (types, attribute names, runtimes)
    come back thousands of times, in one template and across a repository's. The tag of a plain scalar depends
    on its text alone as long as the loader has no path resolvers (the safe loaders have none); without them,
    every other node's tag is the default of its kind, and the composer's ``descend_resolver`` and
    ``ascend_resolver`` calls around every node do nothing: they are C callables here, not Python methods.
    """
    cls = _MEMO_LOADERS.get(base)
    if cls is None:
        if getattr(base, "yaml_path_resolvers", None):
            return base
        from yaml.nodes import MappingNode, ScalarNode

        resolve = base.resolve  # type: ignore[attr-defined]
        scalar_tag: str = base.DEFAULT_SCALAR_TAG  # type: ignore[attr-defined]
        sequence_tag: str = base.DEFAULT_SEQUENCE_TAG  # type: ignore[attr-defined]
        mapping_tag: str = base.DEFAULT_MAPPING_TAG  # type: ignore[attr-defined]
        #: plain scalar text -> its implicit tag, for every document of the run (emptied when it grows large)
        tags: dict[str, str] = {}

        class _Loader(base):
            #: called as ``descend_resolver(parent, index)`` and ``ascend_resolver()``: do nothing, in C (a
            #: builtin is not bound to the instance)
            descend_resolver: Callable[[Any, Any], Any] = {}.get
            ascend_resolver = int

            def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
                if kind is ScalarNode:
                    if implicit[0]:
                        tag = tags.get(value)
                        if tag is None:
                            if len(tags) > 100_000:
                                tags.clear()
                            tag = tags[value] = resolve(self, kind, value, implicit)
                        return tag
                    return scalar_tag
                return mapping_tag if kind is MappingNode else sequence_tag

        cls = _MEMO_LOADERS[base] = _Loader
    return cls


#: bytes: ``{`` and ``}`` read as ``[`` and ``]``, every other byte deleted (no UTF-8 sequence holds a bracket byte)
_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def _yaml_depth_estimate(text: str) -> int:
    """An upper bound on flow nesting, cheap, so a 10,000-deep ``[[[[`` never reaches a recursive parser.

    Only the brackets are kept (at C speed; quoted ones count too: an over-estimate is refused the same way
    a real one is, and a template is not that deep in brackets inside strings). Each pass then removes the
    innermost pairs: the number of passes is the depth of the matched brackets, and an open bracket never
    closed adds one level at most.
    """
    if len(text) < 400 or text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    brackets = text.encode("utf-8", "surrogatepass").translate(_SQUARE, _NOT_BRACKET)
    depth = 0
    while depth <= MAX_DEPTH:
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            break
        brackets = shorter
        depth += 1
    return depth + brackets.count(b"[")


#: an anchor: ``&`` at the start or after a space or ``[{,:-``, then a name character
_ANCHOR_NAME = regex(r"&[^\s,\[\]{}]")
_BEFORE_ANCHOR = frozenset("[{,:-")
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAP_TAG = "tag:yaml.org,2002:map"
#: the YAML core tags: nothing to refuse, no intrinsic function (the common case, decided by one set lookup)
_CORE_TAGS = frozenset("tag:yaml.org,2002:" + name for name in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge", "omap", "pairs", "set"))


def _is_decimal(raw: str) -> bool:
    """ASCII digits without a leading zero (which would make the YAML int octal): ``int()`` reads it alike."""
    return raw.isdigit() and raw.isascii() and (raw[0] != "0" or raw == "0")


def _has_anchor(text: str) -> bool:
    """Whether ``text`` may define a YAML anchor. Found by ``str.find`` at C speed: most templates hold no ``&``
    at all, and the few that do mostly in URLs."""
    find = text.find
    at = find("&")
    while at != -1:
        if (at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_ANCHOR) and _ANCHOR_NAME.match(text, at):
            return True
        at = find("&", at + 1)
    return False


_new_dict = dict.__new__
_new_list = list.__new__


class _YamlBuilder:
    """Composed YAML nodes → ``LDict``/``LList`` with spans. The hot path: plain string scalars and mappings."""

    def __init__(self, file: str, text: str = "") -> None:
        import yaml

        self.file = file
        self.yaml = yaml
        self.scalar_cls = yaml.ScalarNode
        self.mapping_cls = yaml.MappingNode
        self.ctor = yaml.constructor.SafeConstructor()
        self.count = 0
        self.sizes: dict[int, int] = {}
        self.memo: dict[int, Any] = {}
        #: without anchors there are no aliases: no bookkeeping to refuse alias bombs is needed
        self.aliases = _has_anchor(text) if text else True

    def span(self, node: Any) -> Span:
        s, e = node.start_mark, node.end_mark
        return _new_span(Span, (self.file, s.line + 1, s.column + 1, e.line + 1, e.column + 1))

    def error(self, node: Any, message: str) -> InputError:
        return InputError(self.file, message, node.start_mark.line + 1)

    def build(self, node: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise self.error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if self.aliases:
            key = id(node)
            if key in self.memo:
                # an alias: count what it expands to, so that alias bombs are refused instead of walked
                self.count += self.sizes.get(key, 1)
                if self.count > MAX_NODES:
                    raise self.error(node, f"YAML aliases expand to more than {MAX_NODES:,} values")
                return self.memo[key]
            before = self.count
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(node, f"more than {MAX_NODES:,} values (or aliases expanding to them)")
        tag: str = node.tag
        if tag in _CORE_TAGS:
            short = None
        else:
            short = tag[1:] if tag[0] == "!" and not tag.startswith("!!") else None
            if short is None and tag.startswith("tag:") and not tag.startswith("tag:yaml.org,2002:") or tag.startswith("tag:yaml.org,2002:python/"):
                raise self.error(node, f"unsupported tag {tag.replace('tag:yaml.org,2002:', '!!')}")
        cls = node.__class__
        if cls is self.mapping_cls:
            value: Any = self._mapping(node, depth)
        elif cls is self.scalar_cls:
            value = self._scalar(node, short is not None)
        else:
            value = self._sequence(node, depth)
        if short is not None:
            value = self._intrinsic(node, short, value)
        if self.aliases:
            self.memo[key] = value
            self.sizes[key] = self.count - before
        return value

    def _mapping(self, node: Any, depth: int) -> LDict:
        file, new, scalar_cls, mapping_cls = self.file, _new_span, self.scalar_cls, self.mapping_cls
        s = node.start_mark
        out = _new_dict(LDict)  # what ``LDict()`` makes, without its ``__init__`` call
        out.span = None  # set below: where the last value ends, or (flow style) where the node ends
        spans = out.spans = {}
        key_spans = out.key_spans = {}
        # without aliases, string and plain decimal values are made here, without a call (the hot path);
        # ``count`` holds them until the next call that counts, so the limit is checked exactly as by ``build``
        inline = not self.aliases
        ints_inline = inline and depth < MAX_DEPTH
        count = 0
        last: Span | None = None
        for key_node, value_node in node.value:
            ktag = key_node.tag
            if ktag == _MERGE_TAG:
                self.count += count
                count = 0
                merged = self.build(value_node, depth + 1)
                for part in merged if isinstance(merged, list) else [merged]:
                    if isinstance(part, LDict):
                        for mk_, mv in part.items():
                            if mk_ not in out:
                                out[mk_] = mv
                                merged_span = part.spans.get(mk_) or part.span
                                if merged_span is not None:
                                    spans[mk_] = merged_span
                continue
            if key_node.__class__ is not scalar_cls:
                raise self.error(key_node, "a mapping key must be a plain value")
            if ktag == _STR_TAG:
                k = key_node.value
            else:
                k = self._scalar(key_node, False)
                if not isinstance(k, (str, int, float, bool)) and k is not None:
                    k = str(k)
            if k in out:
                raise self.error(key_node, f"duplicate key {k!r}")
            ks, ke = key_node.start_mark, key_node.end_mark
            key_spans[k] = new(Span, (file, ks.line + 1, ks.column + 1, ke.line + 1, ke.column + 1))
            if inline and value_node.__class__ is scalar_cls:
                vtag = value_node.tag
                made = True
                if vtag == _STR_TAG:
                    out[k] = value_node.value
                elif vtag == _INT_TAG and ints_inline and _is_decimal(raw := value_node.value):
                    out[k] = int(raw)  # what the YAML int constructor makes of a plain decimal
                else:
                    made = False
                if made:
                    count += 1
                    vs, ve = value_node.start_mark, value_node.end_mark
                    last = spans[k] = new(Span, (file, vs.line + 1, vs.column + 1, ve.line + 1, ve.column + 1))
                    continue
            self.count += count
            count = 0
            if inline and value_node.__class__ is mapping_cls and value_node.tag == _MAP_TAG:
                # what ``build`` does for a plain mapping, without its alias and tag bookkeeping
                if depth >= MAX_DEPTH:
                    raise self.error(value_node, f"nesting deeper than {MAX_DEPTH} levels")
                self.count += 1
                if self.count > MAX_NODES:
                    raise self.error(value_node, f"more than {MAX_NODES:,} values (or aliases expanding to them)")
                value = out[k] = self._mapping(value_node, depth + 1)
                last = value.span
                if last is not None:  # always: a built mapping has its span
                    spans[k] = last
                continue
            value = out[k] = self.build(value_node, depth + 1)
            if value.__class__ in (LDict, LList) and value.span is not None:
                last = spans[k] = value.span  # a built container knows where it really ends
            else:
                vs, ve = value_node.start_mark, value_node.end_mark
                last = spans[k] = new(Span, (file, vs.line + 1, vs.column + 1, ve.line + 1, ve.column + 1))
        self.count += count
        if last is not None and not node.flow_style:
            # a block mapping ends where its last value ends, not where the next token starts (every span made
            # here ends at or after its start: its end line is its last line)
            out.span = new(Span, (file, s.line + 1, s.column + 1, last[3], last[4]))
        else:
            e = node.end_mark
            out.span = new(Span, (file, s.line + 1, s.column + 1, e.line + 1, e.column + 1))
        return out

    def _sequence(self, node: Any, depth: int) -> LList:
        file, new, scalar_cls = self.file, _new_span, self.scalar_cls
        s, e = node.start_mark, node.end_mark
        out = _new_list(LList)  # what ``LList(span=...)`` makes, without its ``__init__`` call
        out.span = new(Span, (file, s.line + 1, s.column + 1, e.line + 1, e.column + 1))
        spans = out.spans = []
        inline = not self.aliases and depth < MAX_DEPTH  # plain strings made here, as in ``_mapping``
        count = 0
        for item in node.value:
            if inline and item.__class__ is scalar_cls and item.tag == _STR_TAG:
                count += 1
                if self.count + count > MAX_NODES:
                    raise self.error(item, f"more than {MAX_NODES:,} values (or aliases expanding to them)")
                out.append(item.value)
            else:
                self.count += count
                count = 0
                value = self.build(item, depth + 1)
                out.append(value)
                if value.__class__ in (LDict, LList) and value.span:
                    # a built container knows where it really ends; a node's end mark is where the next token
                    # starts
                    spans.append(value.span)
                    continue
            vs, ve = item.start_mark, item.end_mark
            spans.append(new(Span, (file, vs.line + 1, vs.column + 1, ve.line + 1, ve.column + 1)))
        self.count += count
        if spans and not node.flow_style and (last := spans[-1]) is not None:
            out.span = new(Span, (file, s.line + 1, s.column + 1, last[3], last[4]))
        return out

    def _scalar(self, node: Any, tagged: bool) -> Any:
        tag = node.tag
        if tagged or tag == "tag:yaml.org,2002:str" or tag == "!":
            return node.value
        ctor = self.ctor.yaml_constructors.get(tag)
        if ctor is None:
            if tag.startswith("tag:yaml.org,2002:"):
                # binary, timestamp, set, omap...: keep the text; CloudFormation sees strings anyway
                return node.value
            return node.value
        try:
            value = ctor(self.ctor, node)
        except Exception:  # a malformed int/float/timestamp: keep its text
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value
        return value

    def _intrinsic(self, node: Any, short: str, value: Any) -> LDict:
        name = INTRINSIC_TAGS.get(short)
        if name is None:
            raise self.error(node, f"unknown tag !{short}")
        span = self.span(node)  # spans are immutable: the tag's members share one
        if name == "Fn::GetAtt" and isinstance(value, str):
            logical, _, attr = value.partition(".")
            parts = LList([logical, attr], span=span)
            parts.spans = [span, span]
            value = parts
        out = _new_dict(LDict)  # what ``LDict({name: value}, span=span)`` makes, without its ``__init__`` call
        out[name] = value
        out.span = span
        out.spans = {name: span}
        out.key_spans = {name: span}
        return out


# ------------------------------------------------------------------------------------------------------- JSON

#: compiled where a JSON text is tokenized (``re`` keeps it): a YAML check need not pay for it at start-up
_TOKEN_PATTERN = (
    r"""[ \t\r\n]*(?:
      (?P<s>"(?:[^"\\\x00-\x1f]|\\.)*")
    | (?P<n>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
    | (?P<p>[{}\[\]:,])
    | (?P<w>true|false|null)
    )"""
)
_WORDS = {"true": True, "false": False, "null": None}


def _string(raw: str) -> str:
    if "\\" not in raw:
        return raw[1:-1]
    import json

    return json.loads(raw)


_new_span = tuple.__new__  # Span(...) runs a Python-level __new__; this is the same tuple, made in C
_STRING = regex(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_SPACE = regex(r"[ \t\r\n]*")


class _DuplicateKey(Exception):
    pass


def _json_int(text: str) -> int | float:
    """A JSON integer; one of thousands of digits (past Python's conversion limit) is read as a float (an
    infinity), a value no setting takes, so rules see an out-of-range number rather than a crash."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _pairs(pairs: list[tuple[str, Any]]) -> LDict:
    d = _new_dict(LDict)  # what ``LDict(pairs)`` makes, without its ``__init__`` call (one per JSON object)
    d.update(pairs)
    if len(d) != len(pairs):
        raise _DuplicateKey
    d.span = None
    d.spans = {}
    d.key_spans = {}
    return d


def parse_json(text: str, file: str) -> Any:
    """JSON with a span for every key and value; duplicate keys and deep nesting are errors.

    The values come from the C ``json`` decoder; positions from one regular-expression pass over the strings
    (every key and string value, in document order), matched to the decoded tree by a walk in document order.
    On any error the exact tokenizer below re-reads the text to name the line.
    """
    import json

    with gc_paused():
        try:
            root = json.loads(text, object_pairs_hook=_pairs, parse_int=_json_int)
        except json.JSONDecodeError as exc:
            try:
                _JsonParser(text, file).parse()
            except InputError:
                raise
            except RecursionError:
                pass
            raise InputError(file, f"invalid JSON: {exc.msg}", exc.lineno) from None
        except (_DuplicateKey, RecursionError):
            return _JsonParser(text, file).parse()
        if not isinstance(root, (dict, list)):
            if isinstance(root, str):
                return root
            return root
        return _JsonLocator(text, file).locate(root)


class _JsonLocator:
    """Gives a decoded JSON tree its spans, walking it in document order beside the strings of the text.

    Every key and every string value is one match of ``_STRING``, in document order, and a walk of the decoded
    tree in document order meets them in the same order. Containers start at their bracket: for a key's value,
    the first character after the colon; for a list item, the bracket before its first string (or the next
    bracket after the last string consumed, for a container without strings). Offsets are met in increasing
    order, so line numbers are counted forward with ``str.count`` instead of looked up.
    """

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.strings = [m.span() for m in _STRING.finditer(text)]
        self.next = 0  # index of the next string to consume
        self.cursor = 0  # offset after the last consumed string or bracket
        self.pos = 0  # the offset whose line is ``line``
        self.line = 1
        self.line_start = 0

    def span(self, start: int, end: int = 0) -> Span:
        pos = self.pos
        if start >= pos:
            nl = self.text.count("\n", pos, start)
            if nl:
                self.line += nl
                self.line_start = self.text.rfind("\n", pos, start) + 1
        else:  # not expected in document order; count from the top
            self.line = self.text.count("\n", 0, start) + 1
            self.line_start = self.text.rfind("\n", 0, start) + 1
        self.pos = start
        ls = self.line_start
        return _new_span(Span, (self.file, self.line, start - ls + 1, self.line, end - ls + 1 if end else 0))

    def locate(self, root: Any) -> Any:
        return self.container(root, self.text.find("{" if isinstance(root, dict) else "["), 0)

    def container(self, node: Any, offset: int, depth: int) -> Any:
        """Spans for ``node`` and everything in it. The hot loop: line tracking is inlined, in locals."""
        if depth >= MAX_DEPTH:
            raise InputError(self.file, f"invalid JSON: nesting deeper than {MAX_DEPTH} levels", self.span(offset).line)
        if self.cursor <= offset:
            self.cursor = offset + 1
        text, strings, file = self.text, self.strings, self.file
        count, rfind = text.count, text.rfind
        new = _new_span
        if isinstance(node, LDict):
            space = _SPACE.match
            index, find = text.index, text.find
            spans, key_spans = node.spans, node.key_spans
            if offset < self.pos:
                node.span = self.span(offset)
            nxt, pos, line, ls = self.next, self.pos, self.line, self.line_start
            if offset >= pos:
                nl = count("\n", pos, offset)
                if nl:
                    line += nl
                    ls = rfind("\n", pos, offset) + 1
                pos = offset
                node.span = new(Span, (file, line, offset - ls + 1, line, 0))
            # Keys of the top two levels (sections, resource ids) get their own span; deeper keys share the
            # line of their value (``LDict.key_span`` falls back to it), which in JSON is the key's line.
            keys_wanted = depth <= 1
            for key, value in node.items():
                kstart, kend = strings[nxt]
                nxt += 1
                if keys_wanted:
                    nl = count("\n", pos, kstart)
                    if nl:
                        line += nl
                        ls = rfind("\n", pos, kstart) + 1
                    pos = kstart
                    key_spans[key] = new(Span, (file, line, kstart - ls + 1, line, kend - ls + 1))
                if value.__class__ is str:
                    vstart, vend = strings[nxt]
                    nxt += 1
                    nl = count("\n", pos, vstart)
                    if nl:
                        line += nl
                        ls = rfind("\n", pos, vstart) + 1
                    pos = vstart
                    spans[key] = new(Span, (file, line, vstart - ls + 1, line, vend - ls + 1))
                    continue
                if isinstance(value, (dict, list)):
                    # only the colon and blanks stand between the key and the value's bracket
                    vstart = find("{" if value.__class__ is LDict or isinstance(value, dict) else "[", kend)
                    self.next, self.pos, self.line, self.line_start, self.cursor = nxt, pos, line, ls, kend
                    located = self.container(value, vstart, depth + 1)
                    nxt, pos, line, ls = self.next, self.pos, self.line, self.line_start
                    if located is not value:
                        node[key] = located
                    spans[key] = located.span
                else:
                    vstart = space(text, index(":", kend) + 1).end()  # type: ignore[union-attr]  # blanks: always matches
                    nl = count("\n", pos, vstart)
                    if nl:
                        line += nl
                        ls = rfind("\n", pos, vstart) + 1
                    pos = vstart
                    spans[key] = new(Span, (file, line, vstart - ls + 1, line, 0))
            self.next, self.pos, self.line, self.line_start = nxt, pos, line, ls
            if nxt:
                self.cursor = max(self.cursor, strings[nxt - 1][1])
            return node
        out = LList(node, span=self.span(offset))
        item_spans = out.spans
        for i, value in enumerate(node):
            if value.__class__ is str:
                vstart, vend = strings[self.next]
                self.next += 1
                self.cursor = vend
                item_spans.append(self.span(vstart, vend))
            elif isinstance(value, (dict, list)):
                if isinstance(value, dict) and value and self.next < len(strings):
                    start = rfind("{", 0, strings[self.next][0])
                else:
                    start = text.find("{" if isinstance(value, dict) else "[", self.cursor)
                located = self.container(value, start, depth + 1)
                if located is not value:
                    out[i] = located
                item_spans.append(located.span)
            else:
                item_spans.append(out.span)
        return out


class _JsonParser:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def error(self, offset: int, message: str) -> InputError:
        return InputError(self.file, f"invalid JSON: {message}", self.pos(offset)[0])

    def parse(self) -> Any:
        """An explicit stack of frames ``[container, state, key, key_span, line, col]``; no recursion."""
        text, file = self.text, self.file
        match = re.compile(_TOKEN_PATTERN, re.VERBOSE).match
        pos_of = self.pos
        n = len(text)
        i = 0
        stack: list[list[Any]] = []
        root: Any = None
        have_root = False
        # states: dict: "k" key or close, "K" key only, ":" colon, "v" value, "," comma or close
        #         list: "v0" value or close, "v" value, "," comma or close
        while True:
            m = match(text, i)
            if m is None:
                j = i
                while j < n and text[j] in " \t\r\n":
                    j += 1
                if j >= n:
                    break
                raise self.error(j, f"unexpected character {text[j]!r}")
            kind = m.lastgroup
            tok = m.group(kind)  # type: ignore[arg-type]
            start = m.start(kind)  # type: ignore[arg-type]
            i = m.end()
            frame = stack[-1] if stack else None
            state = frame[1] if frame else ("v" if not have_root else "end")

            if kind == "p" and tok in ",:}]":
                if frame is None:
                    raise self.error(start, f"unexpected {tok!r}")
                if tok == ",":
                    if state != ",":
                        raise self.error(start, "unexpected ','")
                    frame[1] = "K" if isinstance(frame[0], LDict) else "v"
                elif tok == ":":
                    if state != ":":
                        raise self.error(start, "unexpected ':'")
                    frame[1] = "v"
                else:
                    is_dict = isinstance(frame[0], LDict)
                    if (tok == "}") != is_dict or state not in (("k", ",") if is_dict else ("v0", ",")):
                        raise self.error(start, f"unexpected {tok!r}")
                    stack.pop()
                    container = frame[0]
                    eline, ecol = pos_of(i)
                    container.span = Span(file, frame[4], frame[5], eline, ecol)
                    self._store(stack, container, container.span)
                    if not stack:
                        root, have_root = container, True
                continue

            if frame is not None and state in ("k", "K"):
                if kind != "s":
                    raise self.error(start, "expected a key in double quotes")
                key = self.string(tok, start)
                if key in frame[0]:
                    raise self.error(start, f"duplicate key {key!r}")
                line, col = pos_of(start)
                frame[2] = key
                frame[3] = Span(file, line, col, line, col + len(tok))
                frame[1] = ":"
                continue
            if state not in ("v", "v0"):
                raise self.error(start, f"unexpected {tok[:20]!r}")
            if kind == "p":  # '{' or '['
                if len(stack) >= MAX_DEPTH:
                    raise self.error(start, f"nesting deeper than {MAX_DEPTH} levels")
                line, col = pos_of(start)
                container = LDict() if tok == "{" else LList()
                stack.append([container, "k" if tok == "{" else "v0", None, None, line, col])
                continue
            if kind == "s":
                value: Any = self.string(tok, start)
            elif kind == "n":
                value = _json_int(tok) if tok.lstrip("-").isdigit() else float(tok)
            else:
                value = _WORDS[tok]
            line, col = pos_of(start)
            span = Span(file, line, col, line, col + len(tok))
            if frame is None:
                root, have_root = value, True
            else:
                self._store(stack, value, span)
        if stack:
            raise self.error(n, "unexpected end of file (unclosed bracket)")
        if not have_root:
            raise InputError(file, "empty document")
        return root

    def string(self, tok: str, start: int) -> str:
        try:
            return _string(tok)
        except ValueError:
            raise self.error(start, "invalid escape in a string") from None

    @staticmethod
    def _store(stack: list[list[Any]], value: Any, span: Span) -> None:
        if not stack:
            return
        frame = stack[-1]
        holder = frame[0]
        if isinstance(holder, LDict):
            key = frame[2]
            holder[key] = value
            holder.key_spans[key] = frame[3]
            holder.spans[key] = span
        else:
            holder.append(value)
            holder.spans.append(span)
        frame[1] = ","
