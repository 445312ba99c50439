"""Terraform source (``.tf`` and ``.tf.json``) into one small syntax tree, with line numbers.

Both syntaxes become the same ``Body``/``Block``/``Attr`` structure holding expression nodes (``Expr``), so the
evaluator (``terraform.evaluate``) never cares which syntax a module was written in. ``.tf`` goes through
tree-sitter-hcl (imported lazily, only when a ``.tf`` file is read): its concrete syntax tree carries the
position of every node and recovers locally from syntax errors, so one broken block does not hide the rest of
the file. ``.tf.json`` is read with the located JSON parser; its strings are templates
(``"${aws_sqs_queue.q.arn}"``), parsed by the small expression parser below, which also handles heredoc bodies.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from ...model import Record, field, record
from ...source import InputError, LDict, LList
from ..parse import gc_paused

# ------------------------------------------------------------------------------------------------ syntax tree


class Expr:
    __slots__ = ("line",)

    line: int


class Lit(Expr):
    __slots__ = ("value",)

    def __init__(self, value: Any, line: int) -> None:
        self.value, self.line = value, line


class Tmpl(Expr):
    """A string with interpolations: parts are ``str`` or ``Expr``."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Any], line: int) -> None:
        self.parts, self.line = parts, line


class Var(Expr):
    __slots__ = ("name",)

    def __init__(self, name: str, line: int) -> None:
        self.name, self.line = name, line


class GetAttr(Expr):
    __slots__ = ("obj", "name")

    def __init__(self, obj: Expr, name: str, line: int) -> None:
        self.obj, self.name, self.line = obj, name, line


class Index(Expr):
    __slots__ = ("obj", "key")

    def __init__(self, obj: Expr, key: Expr, line: int) -> None:
        self.obj, self.key, self.line = obj, key, line


class Splat(Expr):
    """``obj[*].a.b`` / ``obj.*.a``: ``ops`` apply to each element (("attr", name) or ("index", Expr))."""

    __slots__ = ("obj", "ops")

    def __init__(self, obj: Expr, ops: list[tuple[str, Any]], line: int) -> None:
        self.obj, self.ops, self.line = obj, ops, line


class Call(Expr):
    __slots__ = ("name", "args", "expand")

    def __init__(self, name: str, args: list[Expr], line: int, expand: bool = False) -> None:
        self.name, self.args, self.line, self.expand = name, args, line, expand


class TupleE(Expr):
    __slots__ = ("items",)

    def __init__(self, items: list[Expr], line: int) -> None:
        self.items, self.line = items, line


class ObjectE(Expr):
    __slots__ = ("items",)

    def __init__(self, items: list[tuple[Expr, Expr, int]], line: int) -> None:
        self.items, self.line = items, line


class Cond(Expr):
    __slots__ = ("cond", "a", "b")

    def __init__(self, cond: Expr, a: Expr, b: Expr, line: int) -> None:
        self.cond, self.a, self.b, self.line = cond, a, b, line


class BinOp(Expr):
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Expr, right: Expr, line: int) -> None:
        self.op, self.left, self.right, self.line = op, left, right, line


class UnOp(Expr):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Expr, line: int) -> None:
        self.op, self.operand, self.line = op, operand, line


class ForE(Expr):
    __slots__ = ("kvar", "vvar", "coll", "kexpr", "vexpr", "cond", "is_obj", "group")

    def __init__(
        self, kvar: str | None, vvar: str, coll: Expr, kexpr: Expr | None, vexpr: Expr, cond: Expr | None,
        is_obj: bool, group: bool, line: int,
    ) -> None:
        self.kvar, self.vvar, self.coll, self.kexpr, self.vexpr = kvar, vvar, coll, kexpr, vexpr
        self.cond, self.is_obj, self.group, self.line = cond, is_obj, group, line


class Unsupported(Expr):
    """Syntax the evaluator does not model (template directives...): always evaluates to Unknown."""

    __slots__ = ("reason",)

    def __init__(self, reason: str, line: int) -> None:
        self.reason, self.line = reason, line


@record
class Attr(Record):
    name: str
    expr: Expr
    line: int
    file: str = ""  # set where an attribute comes from another file than its block (override files)


@record
class Block(Record):
    type: str
    labels: list[str]
    body: Body
    line: int
    end_line: int
    file: str


@record
class Body(Record):
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    #: syntax errors of the blocks that could not be read (the others are in ``attrs``/``blocks``)
    errors: list[InputError] = field(default_factory=list)

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESC_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw

    def sub(m: re.Match[str]) -> str:
        s = m.group(1)
        if s[0] in "uU" and len(s) > 1:
            return chr(int(s[1:], 16))
        return _ESCAPES.get(s, "\\" + s)

    return _ESC_RE.sub(sub, raw)


# ------------------------------------------------------------------------------------- .tf via tree-sitter-hcl

_PARSER: Any = None
#: node kind number (``Node.kind_id``) → its name (``Node.type``), filled with the parser
_KINDS: dict[int, str] = {}


def _parser() -> Any:
    """The tree-sitter parser for HCL, built on first use (tree-sitter is imported only for ``.tf`` input)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_hcl

        language = tree_sitter.Language(tree_sitter_hcl.language())
        for kind in range(language.node_kind_count):
            _KINDS[kind] = sys.intern(language.node_kind_for_id(kind) or "")
        for kind in (65534, 65535):  # the error nodes' kinds
            _KINDS[kind] = sys.intern(language.node_kind_for_id(kind) or "ERROR")
        _PARSER = tree_sitter.Parser(language)
    return _PARSER


def parse_hcl(text: str, file: str) -> Body:
    """Parse HCL text into a ``Body``.

    A syntax error loses only the top-level block (or attribute) it is in: it becomes one ``InputError`` with
    its line in ``Body.errors`` and every other block of the file is still read. tree-sitter's own recovery
    sometimes folds the blocks after an error into the broken one, so a top-level item that holds an error is
    cut again at the lines where top-level items start (``terraform fmt`` writes them at column 0) and each
    piece is parsed on its own.
    """
    src = text.encode("utf-8", "surrogatepass")
    with gc_paused():  # the conversion allocates many small objects and no cycles: the collector only costs
        tree = _parser().parse(src)
        root = tree.root_node
        out = Body()
        conv = _TSConverter(src, 0, file)
        if not root.has_error:
            conv.fill(out, root)
            return out
        prev = None
        for item in _top_items(root):
            if not item.has_error:
                conv.fill_one(out, item, prev)
                prev = item
                continue
            prev = None
            for start, end in _pieces(src, item.start_byte, item.end_byte):
                chunk = src[start:end]
                row = src.count(b"\n", 0, start)
                sub = _parser().parse(chunk).root_node
                if sub.has_error:
                    out.errors.append(_syntax_error(sub, chunk, row, file))
                    continue
                _TSConverter(chunk, row, file).fill(out, sub)
    return out


def _top_items(root: Any) -> list[Any]:
    if root.type != "config_file":  # the whole file is one ERROR node
        return [root]
    items: list[Any] = []
    for child in root.children:
        if child.type == "body":
            items.extend(c for c in child.children if c.type != "comment")
        elif child.type != "comment":
            items.append(child)
    return items


#: a line where a top-level item starts: an identifier at column 0 (``resource "x" "y" {``, ``name = ...``)
_ITEM_START = re.compile(rb"^[A-Za-z_][A-Za-z0-9_-]*[ \t]*(?:[={\"]|[A-Za-z_])", re.M)
_HEREDOC_START = re.compile(rb"<<-?[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?$", re.M)


def _pieces(src: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """``src[start:end]`` cut before every line where a top-level item starts (heredoc bodies excluded)."""
    cuts = [start]
    pos = start
    while pos < end:
        nl = src.find(b"\n", pos, end)
        line_end = end if nl < 0 else nl
        line = src[pos:line_end]
        if pos > start and _ITEM_START.match(line):
            cuts.append(pos)
        m = _HEREDOC_START.search(line)
        pos = line_end + 1
        if m:  # skip the heredoc's body up to its closing marker
            marker = m.group(1)
            while pos < end:
                nl = src.find(b"\n", pos, end)
                line_end = end if nl < 0 else nl
                body_line = src[pos:line_end]
                pos = line_end + 1
                if body_line.strip() == marker:
                    break
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if src[a:b].strip()]


_CLOSERS = {"}": "{", "]": "[", ")": "("}
_TOKEN_NAMES = {"quoted_template_end": '"', "heredoc_identifier": "a heredoc marker", "template_interpolation_end": "}",
                "template_directive_end": "}", "identifier": "a name", "expression": "a value"}
_EXPECTS_VALUE = {"=", ":", "?", "=>", ",", "(", "[", "||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*",
                  "/", "%", "!"}


def _syntax_error(root: Any, src: bytes, row: int, file: str) -> InputError:
    """One line for the first syntax error under ``root``: what was unexpected or missing, and where."""
    node = root
    while True:
        bad = next((c for c in node.children if c.is_error or c.is_missing or c.has_error), None)
        if bad is None or bad.is_missing or bad.is_error:
            node = bad if bad is not None else node
            break
        node = bad
    if node.is_missing:
        prev = _previous_token(root, node.start_byte)
        at_end = not src[node.start_byte:].strip()
        missing = node.type
        if missing in _TOKEN_NAMES:
            missing = _TOKEN_NAMES[missing]
        if missing in _CLOSERS and (at_end or prev is None):
            line = (prev.end_point.row if prev is not None else node.start_point.row) + 1
            what = f"{_CLOSERS[missing]!r} is not closed (a block or bracket is not closed)"
        elif missing in _CLOSERS:
            line = node.start_point.row + 1
            what = f"expected {missing!r}"
        elif prev is not None:
            line = prev.end_point.row + 1
            what = f"a value is missing after {prev.text.decode('utf-8', 'replace')[:40]!r}" \
                if prev.type in _EXPECTS_VALUE \
                else f"expected {missing!r} after {prev.text.decode('utf-8', 'replace')[:40]!r}"
        else:
            line = node.start_point.row + 1
            what = f"expected {missing!r}"
    else:
        first = node
        kids = node.children
        if any(k.type == "block_start" for k in kids):  # a block whose body went wrong: after the part read
            done = max(i for i, k in enumerate(kids) if k.type in ("block_start", "body", "attribute", "block"))
            if done + 1 < len(kids):
                first = kids[done + 1]
        while first.children:
            first = first.children[0]
        token = src[first.start_byte:first.end_byte].decode("utf-8", "replace").strip()
        line = first.start_point.row + 1
        if not token and first is not node:  # an empty token where the scanner gave up: after the last one read
            prev = _previous_token(root, first.start_byte)
            if prev is not None:
                line = prev.end_point.row + 1
                token = src[prev.end_byte:first.start_byte].decode("utf-8", "replace").strip() or \
                    f"text after {prev.text.decode('utf-8', 'replace')[:40]!r}"
        if not token:
            token = src[node.start_byte:node.end_byte].decode("utf-8", "replace").strip()
        last = node
        while last.children:
            last = last.children[-1]
        if last is not first and not last.is_named and last.type in _EXPECTS_VALUE:
            line = last.end_point.row + 1
            what = f"a value is missing after {last.type!r}"
        elif not token:
            what = "unexpected end of file (a block or bracket is not closed)"
        else:
            what = f"unexpected {token.splitlines()[0][:40]!r}"
    return InputError(file, f"invalid HCL: {what}", line + row)


def _previous_token(root: Any, byte: int) -> Any:
    """The last leaf that ends at or before ``byte`` (not a MISSING one)."""
    best = None
    node = root
    while True:
        nxt = None
        for c in node.children:
            if c.start_byte >= byte and not (c.end_byte <= byte and c.start_byte < byte):
                if c.end_byte > byte or c.start_byte > byte:
                    break
            if c.end_byte <= byte and not c.is_missing and c.end_byte > c.start_byte:
                if c.child_count == 0:
                    best = c
                else:
                    nxt = c
            elif c.start_byte < byte < c.end_byte:
                nxt = c
        if nxt is None:
            return best
        node = nxt
        if node.child_count == 0:
            return node


_NUMBER_INT = re.compile(r"[0-9]+")
_TEMPLATE_ESC_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)


def _quoted_text(raw: str) -> str:
    """A quoted template's literal text: backslash escapes, ``$${`` and ``%%{`` (literal ``${`` / ``%{``)."""
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw

    def sub(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == "$${":
            return "${"
        if s == "%%{":
            return "%{"
        e = m.group(1)
        if e[0] in "uU" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _ESCAPES.get(e, "\\" + e)

    return _TEMPLATE_ESC_RE.sub(sub, raw)


_BIN_OPS = {"||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"}
#: ``.name`` with an identifier of ASCII letters (tree-sitter-hcl's are Unicode ``ID_Start (ID_Continue | -)*``)
_DOT_NAME = re.compile(rb"\.[A-Za-z_][A-Za-z0-9_-]*")
#: nodes that only wrap their one named child
_WRAPPERS = frozenset({"operation", "collection_value", "for_expr", "template_expr"})


class _TSConverter:
    """tree-sitter-hcl tree → ``Body``/``Expr``. ``row`` is the line offset of ``src`` in the file.

    The walk is the hot part of reading a ``.tf`` file: node kinds are looked up by their number (``kind_id``)
    in ``_KINDS`` rather than read as ``node.type`` (a new string per access), children lists are read once per
    node, and the wrappers of an expression (``expression``, ``operation``, ``collection_value``...) are
    unwrapped in a loop rather than by a call each."""

    def __init__(self, src: bytes, row: int, file: str) -> None:
        self.src, self.row, self.file = src, row, file

    def text(self, node: Any) -> str:
        return self.src[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")

    def line(self, node: Any) -> int:
        return node.start_point.row + 1 + self.row

    def fill(self, out: Body, root: Any) -> None:
        """The top-level items of an error-free tree into ``out``; an item that cannot be read is an error."""
        prev = None
        for item in _top_items(root):
            self.fill_one(out, item, prev)
            prev = item

    def fill_one(self, out: Body, node: Any, prev: Any) -> None:
        try:
            self.check_gap(prev, node)
            self.item(out, node)
        except InputError as exc:
            out.errors.append(exc)
        except RecursionError:
            out.errors.append(InputError(self.file, "invalid HCL: expressions nested too deeply to read",
                                         self.line(node)))

    def check_gap(self, prev: Any, node: Any) -> None:
        """What tree-sitter-hcl accepts and Terraform does not: two items on one line."""
        if prev is not None and _KINDS[node.kind_id] in ("attribute", "block") and \
                prev.end_point.row == node.start_point.row:
            raise InputError(self.file, f"invalid HCL: a newline is missing before {self.text(node)[:40]!r}",
                             self.line(node))

    def item(self, out: Body, node: Any) -> None:
        t = _KINDS[node.kind_id]
        if t == "attribute":
            name, expr = self.attribute(node)
            out.attrs[name] = Attr(name, expr, node.start_point.row + 1 + self.row)
        elif t == "block":
            out.blocks.append(self.block(node))

    def body(self, node: Any | None) -> Body:
        out = Body()
        if node is None:
            return out
        kinds = _KINDS
        src = self.src
        attrs = out.attrs
        prev_end = -1  # the row the previous item ends on (-1: none yet)
        for child in node.children:
            t = kinds[child.kind_id]
            if t == "comment":
                continue
            if t == "attribute":
                start = child.start_point.row
                if start == prev_end:
                    self._gap(child)
                kids = child.children
                k0 = kids[0]
                name = src[k0.start_byte:k0.end_byte].decode("utf-8", "surrogatepass")
                if len(kids) == 3 and kinds[kids[2].kind_id] != "comment":
                    expr = self.expr(kids[2])
                else:
                    expr = self.attribute(child)[1]
                attrs[name] = Attr(name, expr, start + 1 + self.row)
            elif t == "block":
                if child.start_point.row == prev_end:
                    self._gap(child)
                out.blocks.append(self.block(child))
            prev_end = child.end_point.row
        return out

    def _gap(self, node: Any) -> None:
        raise InputError(self.file, f"invalid HCL: a newline is missing before {self.text(node)[:40]!r}",
                         self.line(node))

    def attribute(self, node: Any) -> tuple[str, Expr]:
        kids = node.children
        k0 = kids[0]
        name = self.src[k0.start_byte:k0.end_byte].decode("utf-8", "surrogatepass")
        for k in kids[2:]:
            if _KINDS[k.kind_id] != "comment":
                return name, self.expr(k)
        return name, Unsupported("empty expression", self.line(node))

    def block(self, node: Any) -> Block:
        labels: list[str] = []
        body_node = None
        src = self.src
        kinds = _KINDS
        for child in node.children:
            t = kinds[child.kind_id]
            if t == "identifier":
                labels.append(src[child.start_byte:child.end_byte].decode("utf-8", "surrogatepass"))
            elif t == "string_lit":
                labels.append(self._string_lit_text(child))
            elif t == "body":
                body_node = child
        return Block(labels[0], labels[1:], self.body(body_node), node.start_point.row + 1 + self.row,
                     node.end_point.row + 1 + self.row, self.file)

    def _string_lit_text(self, node: Any) -> str:
        src = self.src
        start, end = node.start_byte, node.end_byte
        if end - start >= 2 and src[start] == 34 and src[end - 1] == 34:  # "..." (error-free: its own quotes)
            return _quoted_text(src[start + 1:end - 1].decode("utf-8", "surrogatepass"))
        kids = node.children
        if len(kids) < 2:
            return ""
        return _quoted_text(src[kids[0].end_byte:kids[-1].start_byte].decode("utf-8", "surrogatepass"))

    # -- expressions

    def expr(self, node: Any) -> Expr:  # noqa: C901 - one branch per node kind
        kinds = _KINDS
        t = kinds[node.kind_id]
        while True:  # unwrap: an expression of one term, and the one-child wrappers
            if t == "expression":
                kids = node.children
                if len(kids) == 1:
                    k0 = kids[0]
                    t0 = kinds[k0.kind_id]
                    if t0 != "comment" and t0 != "(":
                        node, t = k0, t0
                        continue
                terms = [c for c in kids if kinds[c.kind_id] != "comment"]
                if terms and kinds[terms[0].kind_id] != "(":  # a term and its traversals (``seq``)
                    e = self.expr(terms[0])
                    for op in terms[1:]:
                        e = self.traversal(e, op)
                    return e
                return self.seq(terms, node)
            if t in _WRAPPERS:
                inner = None
                for k in node.children:
                    if k.is_named and kinds[k.kind_id] != "comment":
                        inner = k
                        break
                if inner is None:
                    return Unsupported(f"empty {t}", self.line(node))
                node, t = inner, kinds[inner.kind_id]
                continue
            break
        line = node.start_point.row + 1 + self.row
        if t == "variable_expr":
            return Var(self.src[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass"), line)
        if t == "literal_value":
            lit = node.children[0]
            if kinds[lit.kind_id] == "string_lit":  # the most frequent literal, read in place
                src = self.src
                start, end = lit.start_byte, lit.end_byte
                if end - start >= 2 and src[start] == 34 and src[end - 1] == 34:
                    return Lit(_quoted_text(src[start + 1:end - 1].decode("utf-8", "surrogatepass")), line)
            return self.literal(lit, line)
        if t == "binary_operation":
            kids = [c for c in node.children if kinds[c.kind_id] != "comment"]
            for i, k in enumerate(kids):
                if i > 0 and not k.is_named and kinds[k.kind_id] in _BIN_OPS:
                    return BinOp(kinds[k.kind_id], self.seq(kids[:i], node), self.seq(kids[i + 1:], node), line)
            return Unsupported("operation", line)
        if t == "unary_operation":
            kids = [c for c in node.children if kinds[c.kind_id] != "comment"]
            return UnOp(kinds[kids[0].kind_id], self.seq(kids[1:], node), line)
        if t == "conditional":
            parts: list[list[Any]] = [[]]
            for k in node.children:
                tk = kinds[k.kind_id]
                if not k.is_named and tk in ("?", ":") and len(parts) < 3:
                    parts.append([])
                elif tk != "comment":
                    parts[-1].append(k)
            if len(parts) != 3:
                return Unsupported("conditional", line)
            return Cond(self.seq(parts[0], node), self.seq(parts[1], node), self.seq(parts[2], node), line)
        if t == "tuple":
            return TupleE([self.expr(k) for k in node.children if kinds[k.kind_id] == "expression"], line)
        if t == "object":
            items = []
            for elem in node.children:
                if kinds[elem.kind_id] != "object_elem":
                    continue
                kv = [k for k in elem.children if kinds[k.kind_id] == "expression"]
                if len(kv) != 2:
                    continue
                key = self.expr(kv[0])
                if isinstance(key, Var):  # bare identifiers are keys, not references
                    key = Lit(key.name, key.line)
                items.append((key, self.expr(kv[1]), elem.start_point.row + 1 + self.row))
            return ObjectE(items, line)
        if t == "function_call":
            name = ""
            args: list[Expr] = []
            expand = False
            for k in node.children:
                tk = kinds[k.kind_id]
                if tk == "identifier":
                    name = self.text(k)
                elif tk == "function_arguments":
                    for a in k.children:
                        ta = kinds[a.kind_id]
                        if ta == "expression":
                            args.append(self.expr(a))
                        elif ta == "ellipsis":
                            expand = True
            return Call(name, args, line, expand)
        if t in ("for_tuple_expr", "for_object_expr"):
            return self._for(node, line, t == "for_object_expr")
        if t == "quoted_template":
            return self._quoted(node, line)
        if t == "heredoc_template":
            start = node.children[0] if node.children else None
            trim = start is not None and self.text(start).strip() == "<<-"
            return _heredoc(self.text(node), line, trim)
        return Unsupported(f"expression {t}", line)

    def seq(self, kids: list[Any], parent: Any) -> Expr:
        """An expression term followed by its traversals (``a.b[0]``, ``(x).y``, ``f(a)[*].b``)."""
        if not kids:
            return Unsupported("empty expression", self.line(parent))
        if _KINDS[kids[0].kind_id] == "(":
            close = next((i for i in range(len(kids) - 1, 0, -1) if _KINDS[kids[i].kind_id] == ")"), len(kids))
            e = self.seq(kids[1:close], parent)
            rest = kids[close + 1:]
        else:
            e = self.expr(kids[0])
            rest = kids[1:]
        for op in rest:
            e = self.traversal(e, op)
        return e

    def traversal(self, e: Expr, op: Any) -> Expr:
        kinds = _KINDS
        t = kinds[op.kind_id]
        line = op.start_point.row + 1 + self.row
        if t == "get_attr":
            src = self.src
            start, end = op.start_byte, op.end_byte
            if _DOT_NAME.fullmatch(src, start, end):  # ``.name`` with nothing between: the name is the rest
                return GetAttr(e, src[start + 1:end].decode("utf-8", "surrogatepass"), line)
            for k in op.children:
                if kinds[k.kind_id] == "identifier":
                    return GetAttr(e, src[k.start_byte:k.end_byte].decode("utf-8", "surrogatepass"), line)
            return GetAttr(e, "", line)
        if t == "index":
            inner = op.children[0] if op.children else op
            if kinds[inner.kind_id] == "legacy_index":
                digits = self.text(inner).lstrip(".").strip()
                return Index(e, Lit(int(digits) if _NUMBER_INT.fullmatch(digits) else digits, line), line)
            key = next((k for k in inner.children if kinds[k.kind_id] == "expression"), None)
            return Index(e, self.expr(key) if key is not None else Unsupported("index", line), line)
        if t == "splat":
            inner = op.children[0] if op.children else op
            ops: list[tuple[str, Any]] = []
            for k in inner.children:
                tk = kinds[k.kind_id]
                if tk == "get_attr":
                    ident = next((c for c in k.children if kinds[c.kind_id] == "identifier"), None)
                    ops.append(("attr", self.text(ident) if ident is not None else ""))
                elif tk == "index":
                    idx = self.traversal(Lit(None, line), k)
                    ops.append(("index", idx.key if isinstance(idx, Index) else idx))
            return Splat(e, ops, line)
        if t == "comment":
            return e
        return Unsupported(f"traversal {t}", line)

    def literal(self, node: Any, line: int) -> Expr:
        t = _KINDS[node.kind_id]
        if t == "string_lit":
            return Lit(self._string_lit_text(node), line)
        if t == "numeric_lit":
            raw = self.text(node)
            try:
                return Lit(int(raw) if _NUMBER_INT.fullmatch(raw) else float(raw), line)
            except ValueError:  # a malformed number the parser recovered from
                return Unsupported(f"number {raw[:20]}", line)
        if t == "bool_lit":
            return Lit(self.text(node) == "true", line)
        if t == "null_lit":
            return Lit(None, line)
        return Unsupported(f"literal {t}", line)

    def _quoted(self, node: Any, line: int) -> Expr:
        kids = node.children
        if len(kids) < 2:
            return Lit("", line)
        kinds = _KINDS
        src = self.src
        parts: list[Any] = []
        pos = kids[0].end_byte
        for k in kids[1:-1]:
            t = kinds[k.kind_id]
            if t == "template_literal" or t == "comment":
                continue
            if t == "template_directive":
                return Unsupported("template directive", line)
            if t == "template_interpolation":
                parts.append(_quoted_text(src[pos:k.start_byte].decode("utf-8", "surrogatepass")))
                inner = next((c for c in k.children if kinds[c.kind_id] == "expression"), None)
                parts.append(self.expr(inner) if inner is not None else Unsupported("interpolation", line))
                pos = k.end_byte
        parts.append(_quoted_text(src[pos:kids[-1].start_byte].decode("utf-8", "surrogatepass")))
        return _template(parts, line)

    def _for(self, node: Any, line: int, is_obj: bool) -> Expr:
        kinds = _KINDS
        intro = next((k for k in node.children if kinds[k.kind_id] == "for_intro"), None)
        if intro is None:
            return Unsupported("for expression", line)
        names = [self.text(k) for k in intro.children if kinds[k.kind_id] == "identifier"]
        coll_node = next((k for k in intro.children if kinds[k.kind_id] == "expression"), None)
        coll = self.expr(coll_node) if coll_node is not None else Unsupported("for", line)
        exprs = [k for k in node.children if kinds[k.kind_id] == "expression"]
        cond_node = next((k for k in node.children if kinds[k.kind_id] == "for_cond"), None)
        cond = None
        if cond_node is not None:
            c = next((k for k in cond_node.children if kinds[k.kind_id] == "expression"), None)
            cond = self.expr(c) if c is not None else None
        group = any(kinds[k.kind_id] == "ellipsis" for k in node.children)
        kvar, vvar = (names[0], names[1]) if len(names) == 2 else (None, names[0] if names else "_")
        if is_obj and len(exprs) == 2:
            return ForE(kvar, vvar, coll, self.expr(exprs[0]), self.expr(exprs[1]), cond, True, group, line)
        if not is_obj and exprs:
            return ForE(kvar, vvar, coll, None, self.expr(exprs[0]), cond, False, False, line)
        return Unsupported("for expression", line)


def _heredoc(raw: str, line: int, trim: bool) -> Expr:
    """A heredoc's text (from ``<<`` to its closing marker) into a template; ``<<-`` removes the common indent."""
    first_nl = raw.find("\n")
    if first_nl < 0:
        return Lit("", line)
    marker = raw[2 + trim:first_nl].strip()
    body = raw[first_nl + 1:]
    body = body.rstrip()
    if body.endswith(marker):
        body = body[: -len(marker)]
    lines = body.split("\n")
    if lines and not lines[-1].strip():
        lines = lines[:-1]
    if trim:
        indents = [len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()]
        cut = min(indents) if indents else 0
        lines = [ln[cut:] for ln in lines]
    text = "\n".join(ln.rstrip("\r") for ln in lines) + "\n"
    return parse_template(text, line + 1, raw=True)


def _template(parts: list[Any], line: int) -> Expr:
    merged: list[Any] = []
    for p in parts:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    if not merged:
        return Lit("", line)
    if len(merged) == 1:
        # a lone interpolation yields its value unconverted ("${aws_sqs_queue.q.arn}" is the reference)
        return merged[0] if isinstance(merged[0], Expr) else Lit(merged[0], line)
    return Tmpl(merged, line)


# ---------------------------------------------------------------------- templates and expressions (JSON syntax)

_TOKEN_RE = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<str>")
  | (?P<op>\.\.\.|=>|==|!=|<=|>=|&&|\|\||\[\*\]|\.\*|::|[-+*/%<>!?:.,()\[\]{}=])
    )""",
    re.X,
)


class _ExprParser:
    """A recursive-descent parser for HCL expressions inside template strings (JSON syntax, heredocs)."""

    def __init__(self, text: str, pos: int, line: int) -> None:
        self.text, self.pos, self.line = text, pos, line

    def error(self, what: str) -> ValueError:
        return ValueError(what)

    def _skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def peek(self) -> tuple[str, str] | None:
        self._skip_ws()
        if self.pos >= len(self.text):
            return None
        if self.text[self.pos] == "}":
            return ("op", "}")
        m = _TOKEN_RE.match(self.text, self.pos)
        if not m:
            raise self.error(f"unexpected {self.text[self.pos]!r}")
        kind = m.lastgroup or ""
        return (kind, m.group(kind))

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise self.error("unexpected end of expression")
        self._skip_ws()
        self.pos += len(tok[1])
        return tok

    def accept(self, op: str) -> bool:
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] == op:
            self.take()
            return True
        return False

    def expect(self, op: str) -> None:
        if not self.accept(op):
            raise self.error(f"expected {op!r}")

    def expression(self) -> Expr:
        c = self.binary(0)
        if self.accept("?"):
            a = self.expression()
            self.expect(":")
            b = self.expression()
            return Cond(c, a, b, self.line)
        return c

    _PREC = [("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%")]

    def binary(self, level: int) -> Expr:
        if level == len(self._PREC):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            tok = self.peek()
            if tok and tok[0] == "op" and tok[1] in self._PREC[level]:
                self.take()
                left = BinOp(tok[1], left, self.binary(level + 1), self.line)
            else:
                return left

    def unary(self) -> Expr:
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in ("-", "!"):
            self.take()
            return UnOp(tok[1], self.unary(), self.line)
        return self.postfix(self.primary())

    def postfix(self, e: Expr) -> Expr:
        while True:
            tok = self.peek()
            if not tok or tok[0] != "op":
                return e
            if tok[1] == ".":
                self.take()
                kind, val = self.take()
                e = Index(e, Lit(int(val), self.line), self.line) if kind == "num" else GetAttr(e, val, self.line)
            elif tok[1] == "[":
                self.take()
                key = self.expression()
                self.expect("]")
                e = Index(e, key, self.line)
            elif tok[1] in ("[*]", ".*"):
                self.take()
                ops: list[tuple[str, Any]] = []
                while True:
                    t = self.peek()
                    if t and t == ("op", "."):
                        self.take()
                        ops.append(("attr", self.take()[1]))
                    elif t and t == ("op", "[") and tok[1] == "[*]":
                        self.take()
                        ops.append(("index", self.expression()))
                        self.expect("]")
                    else:
                        break
                e = Splat(e, ops, self.line)
            else:
                return e

    def primary(self) -> Expr:
        kind, val = self.take()
        line = self.line
        if kind == "num":
            try:
                return Lit(float(val) if any(c in val for c in ".eE") else int(val), line)
            except ValueError:
                return Unsupported(f"number {val[:20]}", line)
        if kind == "str":
            return self.string()
        if kind == "name":
            if val in ("true", "false", "null"):
                return Lit({"true": True, "false": False, "null": None}[val], line)
            if self.accept("("):
                args: list[Expr] = []
                expand = False
                while not self.accept(")"):
                    args.append(self.expression())
                    if self.accept("..."):
                        expand = True
                    if not self.accept(","):
                        self.expect(")")
                        break
                return Call(val, args, line, expand)
            return Var(val, line)
        if val == "(":
            e = self.expression()
            self.expect(")")
            return e
        if val == "[":
            tok = self.peek()
            if tok == ("name", "for"):
                return self._for(line, False)
            items = []
            while not self.accept("]"):
                items.append(self.expression())
                if not self.accept(","):
                    self.expect("]")
                    break
            return TupleE(items, line)
        if val == "{":
            tok = self.peek()
            if tok == ("name", "for"):
                return self._for(line, True)
            obj: list[tuple[Expr, Expr, int]] = []
            while not self.accept("}"):
                key = self.expression()
                if isinstance(key, Var):
                    key = Lit(key.name, key.line)
                if not (self.accept("=") or self.accept(":")):
                    raise self.error("expected '=' in object")
                obj.append((key, self.expression(), line))
                self.accept(",")
            return ObjectE(obj, line)
        raise self.error(f"unexpected {val!r}")

    def _for(self, line: int, is_obj: bool) -> Expr:
        self.take()  # for
        names = [self.take()[1]]
        if self.accept(","):
            names.append(self.take()[1])
        if self.take() != ("name", "in"):
            raise self.error("expected 'in'")
        coll = self.expression()
        self.expect(":")
        kexpr = None
        if is_obj:
            kexpr = self.expression()
            self.expect("=>")
        vexpr = self.expression()
        group = is_obj and self.accept("...")
        cond = None
        if self.peek() == ("name", "if"):
            self.take()
            cond = self.expression()
        self.expect("}" if is_obj else "]")
        kvar, vvar = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        return ForE(kvar, vvar, coll, kexpr, vexpr, cond, is_obj, group, line)

    def string(self) -> Expr:
        """A quoted string inside an expression (the opening quote is consumed)."""
        parts: list[Any] = []
        buf: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise self.error("unterminated string")
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                break
            if ch == "\\" and self.pos + 1 < len(text):
                buf.append(text[self.pos:self.pos + 2])
                self.pos += 2
                continue
            if text.startswith("${", self.pos):
                parts.append(unescape("".join(buf)))
                buf = []
                self.pos += 2
                parts.append(self.expression())
                self.expect("}")
                continue
            buf.append(ch)
            self.pos += 1
        parts.append(unescape("".join(buf)))
        return _template(parts, self.line)


def parse_template(text: str, line: int, raw: bool = True) -> Expr:
    """A template string (JSON-syntax string value or heredoc body) into an expression.

    ``$${`` is a literal ``${``. Directives (``%{ if }``) are not modelled: the value becomes Unknown.
    Malformed interpolations make the value Unknown rather than failing the whole module.
    """
    if "${" not in text and "%{" not in text:
        return Lit(text, line)
    if re.search(r"(?<!%)%\{", text):
        return Unsupported("template directive", line)
    if "${" not in text:  # only escaped directives: ``%%{`` is a literal ``%{``
        return Lit(text.replace("%%{", "%{"), line)
    parts: list[Any] = []
    pos = 0
    buf: list[str] = []
    while pos < len(text):
        if text.startswith("$${", pos) or text.startswith("%%{", pos):
            buf.append(text[pos + 1:pos + 3])
            pos += 3
            continue
        if text.startswith("${", pos):
            parts.append("".join(buf))
            buf = []
            p = _ExprParser(text, pos + 2, line + text.count("\n", 0, pos))
            try:
                parts.append(p.expression())
                p.expect("}")
            except (ValueError, IndexError, RecursionError) as exc:
                return Unsupported(f"cannot read interpolation: {exc}", line)
            pos = p.pos
            continue
        buf.append(text[pos])
        pos += 1
    parts.append("".join(buf))
    return _template(parts, line)


# ------------------------------------------------------------------------------------------- .tf.json syntax


def parse_tf_json(doc: Any, file: str) -> Body:
    """Terraform's JSON syntax (located by the JSON parser) into the same ``Body`` as HCL.

    Block nesting follows the top-level keyword: ``resource.TYPE.NAME``, ``data.TYPE.NAME``, ``module.NAME``,
    ``variable.NAME``, ``output.NAME``, ``locals``, ``provider.NAME``. Inside a resource, an object or a list
    of objects under a key is a nested block when the key names a block of that resource type; that is not
    knowable without the provider schema, so objects are kept as object expressions and the model builder
    reads "a block or a list of blocks" the same way for both syntaxes.
    """
    if not isinstance(doc, dict):
        raise InputError(file, "a .tf.json file must hold a JSON object", getattr(doc, "span", None) and doc.span.line)
    body = Body()
    labels_by_kind = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
                      "locals": 0, "terraform": 0, "moved": 0, "import": 0, "check": 1}
    for kind, value in doc.items():
        if kind == "//":
            continue
        depth = labels_by_kind.get(kind)
        if depth is None:
            continue
        line = _json_line(doc, kind)
        _json_blocks(body, kind, [], value, depth, file, line, kind == "locals")
    return body


def _json_line(container: Any, key: Any) -> int:
    if isinstance(container, (LDict, LList)):
        sp = container.key_span(key) if isinstance(container, LDict) else container.span_of(key)
        if sp is not None:
            return sp.line
    return 0


def _json_blocks(
    body: Body, kind: str, labels: list[str], value: Any, depth: int, file: str, line: int, attrs_only: bool
) -> None:
    if depth > 0:
        if isinstance(value, list):
            for i, item in enumerate(value):
                _json_blocks(body, kind, labels, item, depth, file, _json_line(value, i) or line, attrs_only)
            return
        if not isinstance(value, dict):
            return
        for name, sub in value.items():
            _json_blocks(body, kind, [*labels, name], sub, depth - 1, file, _json_line(value, name), attrs_only)
        return
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        start = _json_line(items, i) if isinstance(items, LList) else line
        end = item.span.last_line if isinstance(item, LDict) and item.span else start
        body.blocks.append(Block(kind, labels, json_body(item, file), start or line, end, file))


#: keys of a JSON block that are nested blocks in every resource (meta-arguments)
_JSON_META_BLOCKS = {"lifecycle", "provisioner", "connection", "dynamic"}


def json_body(obj: Any, file: str) -> Body:
    """A JSON object as a block body: every member is an attribute (objects become object expressions)."""
    out = Body()
    for key, val in obj.items():
        if key == "//":
            continue
        line = _json_line(obj, key)
        if key in _JSON_META_BLOCKS and isinstance(val, (dict, list)):
            continue
        out.attrs[key] = Attr(key, json_expr(val, line, obj, key), line)
    return out


def json_expr(val: Any, line: int, parent: Any = None, key: Any = None) -> Expr:
    if isinstance(parent, (LDict, LList)):
        sp = parent.span_of(key)
        if sp is not None:
            line = sp.line
    if isinstance(val, str):
        return parse_template(val, line)
    if isinstance(val, dict):
        items: list[tuple[Expr, Expr, int]] = []
        for k, v in val.items():
            kline = _json_line(val, k) or line
            items.append((Lit(k, kline), json_expr(v, kline, val, k), kline))
        return ObjectE(items, line)
    if isinstance(val, list):
        return TupleE([json_expr(v, line, val, i) for i, v in enumerate(val)], line)
    return Lit(val, line)
