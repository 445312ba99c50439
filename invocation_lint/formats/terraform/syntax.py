"""Terraform source (``.tf`` and ``.tf.json``) into one small syntax tree, with line numbers.

Both syntaxes become the same ``Body``/``Block``/``Attr`` structure holding expression nodes (``Expr``), so the
evaluator (``terraform.evaluate``) never cares which syntax a module was written in. ``.tf`` goes through python-hcl2's
Lark grammar (imported here, lazily, only when a ``.tf`` file is read): its raw parse tree carries positions for
every node, which the library's dict output drops. ``.tf.json`` is read with the located JSON parser; its
strings are templates (``"${aws_sqs_queue.q.arn}"``), parsed by the small expression parser below, which also
handles heredoc bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...source import InputError, LDict, LList

# ------------------------------------------------------------------------------------------------ syntax tree


class Expr:
    __slots__ = ("line",)


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


@dataclass(slots=True)
class Attr:
    name: str
    expr: Expr
    line: int
    file: str = ""  # set where an attribute comes from another file than its block (override files)


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    end_line: int
    file: str


@dataclass(slots=True)
class Body:
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


# ---------------------------------------------------------------------------------------------- .tf via Lark


def parse_hcl(text: str, file: str) -> Body:
    """Parse HCL text; syntax errors become one ``InputError`` with the line."""
    import hcl2  # heavy: only for .tf input
    from lark.exceptions import LarkError, UnexpectedInput

    if not hasattr(hcl2, "parses_to_tree"):  # the raw parse tree (with positions) came with python-hcl2 8
        raise InputError(file, f"reading .tf files needs python-hcl2 8.1 or later (installed: "
                               f"{getattr(hcl2, '__version__', 'unknown')})")

    from ..parse import gc_paused as _gc_paused

    try:
        with _gc_paused():  # the parse allocates many small objects and no cycles: the collector only costs
            tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", None)
        col = getattr(exc, "column", None)
        token = getattr(exc, "token", None)
        if token is not None and getattr(token, "type", "") == "$END":
            what = "unexpected end of file (a block or bracket is not closed)"
            line = text.rstrip("\n").count("\n") + 1
            col = None
        elif token is not None and not str(token).strip():
            what = "unexpected end of line"
        elif token is not None:
            what = f"unexpected {str(token).strip()[:40]!r}"
        else:
            char = getattr(exc, "char", None)
            what = f"unexpected character {char!r}" if char else "syntax error"
        where = f" (column {col})" if isinstance(col, int) and col > 0 else ""
        raise InputError(file, f"invalid HCL: {what}{where}", line if isinstance(line, int) and line > 0 else None) from None
    except (LarkError, RecursionError, ValueError) as exc:
        raise InputError(file, f"invalid HCL: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    try:
        with _gc_paused():
            return _LarkConverter(file).body(tree.children[0])
    except RecursionError:
        raise InputError(file, "invalid HCL: expressions nested too deeply to read") from None


def _line(node: Any) -> int:
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        return meta.line
    return getattr(node, "line", 0) or 0


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


class _LarkConverter:
    """Raw Lark tree → ``Body``/``Expr`` (tokens are skipped, trees carry positions)."""

    def __init__(self, file: str) -> None:
        self.file = file

    @staticmethod
    def _trees(node: Any) -> list[Any]:
        from lark import Tree

        return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]

    def body(self, node: Any) -> Body:
        out = Body()
        for child in self._trees(node):
            if child.data == "attribute":
                name_node = self._trees(child)[0]
                name = self._name(name_node)
                expr_node = self._trees(child)[-1]
                out.attrs[name] = Attr(name, self.expr(expr_node), _line(child))
            elif child.data == "block":
                parts = self._trees(child)
                labels = [self._label(p) for p in parts[:-1]]
                meta = child.meta
                out.blocks.append(
                    Block(labels[0], labels[1:], self.body(parts[-1]), meta.line, meta.end_line, self.file)
                )
        return out

    def _name(self, node: Any) -> str:
        tok = node.children[0]
        return str(tok.children[0]) if hasattr(tok, "children") else str(tok)

    def _label(self, node: Any) -> str:
        if node.data == "string":
            return "".join(unescape(str(p.children[0])) for p in self._trees(node) if p.data == "string_part"
                           and not hasattr(p.children[0], "children"))
        return self._name(node)

    def expr(self, node: Any) -> Expr:  # noqa: C901 - one branch per grammar rule
        d = node.data
        line = _line(node)
        if d == "expr_term":
            kids = self._trees(node)
            return self.expr(kids[0]) if kids else Unsupported("empty expression", line)
        if d == "int_lit":
            return Lit(int(str(node.children[0])), line)
        if d == "float_lit":
            return Lit(float(str(node.children[0])), line)
        if d == "literal_value":
            v = str(node.children[0])
            return Lit({"true": True, "false": False, "null": None}[v], line)
        if d == "identifier":
            return Var(str(node.children[0]), line)
        if d == "keyword":
            return Var(str(node.children[0]), line)
        if d == "string":
            return self._string(node, line)
        if d in ("heredoc_template", "heredoc_template_trim"):
            return self._heredoc(str(node.children[0]), line, d.endswith("trim"))
        if d == "template_string":
            return Lit(unescape(str(node.children[0])[2:-2]), line)
        if d == "tuple":
            return TupleE([self.expr(k) for k in self._trees(node)], line)
        if d == "object":
            items = []
            for elem in self._trees(node):
                kids = self._trees(elem)
                key_node = self._trees(kids[0])[0]
                key = self.expr(key_node)
                if isinstance(key, Var):  # bare identifiers are keys, not references
                    key = Lit(key.name, key.line)
                items.append((key, self.expr(kids[-1]), _line(elem)))
            return ObjectE(items, line)
        if d == "function_call":
            kids = self._trees(node)
            names = [self._name(k) if k.data == "identifier" else "" for k in kids if k.data == "identifier"]
            args_node = [k for k in kids if k.data == "arguments"]
            args = [self.expr(a) for a in self._trees(args_node[0])] if args_node else []
            expand = bool(args_node) and any(getattr(t, "type", "") == "ELLIPSIS" for t in args_node[0].children)
            return Call("::".join(names), args, line, expand)
        if d == "get_attr_expr_term":
            obj, ga = self._trees(node)
            return GetAttr(self.expr(obj), self._attr_name(ga), line)
        if d == "index_expr_term":
            obj, idx = self._trees(node)
            return Index(self.expr(obj), self._index(idx), line)
        if d in ("attr_splat_expr_term", "full_splat_expr_term"):
            obj, sp = self._trees(node)
            ops: list[tuple[str, Any]] = []
            for op in self._trees(sp):
                if op.data == "get_attr":
                    ops.append(("attr", self._attr_name(op)))
                else:
                    ops.append(("index", self._index(op)))
            return Splat(self.expr(obj), ops, line)
        if d == "conditional":
            c, a, b = self._trees(node)
            return Cond(self.expr(c), self.expr(a), self.expr(b), line)
        if d == "binary_op":
            kids = self._trees(node)
            left = self.expr(kids[0])
            term = kids[1]
            op_node, right = self._trees(term)
            op = str(op_node.children[0]).strip()
            return BinOp(op, left, self.expr(right), line)
        if d == "unary_op":
            op = str(node.children[0]).strip()
            return UnOp(op, self.expr(self._trees(node)[0]), line)
        if d in ("for_tuple_expr", "for_object_expr"):
            return self._for(node, line, d == "for_object_expr")
        if d == "interpolation":
            return self.expr(self._trees(node)[0])
        return Unsupported(f"expression {d}", line)

    def _attr_name(self, ga: Any) -> str:
        kid = self._trees(ga)[0]
        return str(kid.children[0])

    def _index(self, idx: Any) -> Expr:
        if idx.data == "short_index":
            tok = [c for c in idx.children if getattr(c, "type", "") == "INT_LITERAL"][0]
            return Lit(int(str(tok)), _line(idx))
        return self.expr(self._trees(idx)[0])

    def _for(self, node: Any, line: int, is_obj: bool) -> Expr:
        kids = self._trees(node)
        intro = kids[0]
        ikids = self._trees(intro)
        names = [str(k.children[0]) for k in ikids if k.data == "identifier"]
        coll = self.expr(ikids[-1])
        kvar, vvar = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        rest = kids[1:]
        cond = None
        if rest and rest[-1].data == "for_cond":
            cond = self.expr(self._trees(rest[-1])[0])
            rest = rest[:-1]
        group = any(getattr(t, "type", "") == "ELLIPSIS" for t in node.children)
        if is_obj:
            return ForE(kvar, vvar, coll, self.expr(rest[0]), self.expr(rest[1]), cond, True, group, line)
        return ForE(kvar, vvar, coll, None, self.expr(rest[0]), cond, False, False, line)

    def _string(self, node: Any, line: int) -> Expr:
        parts: list[Any] = []
        for p in self._trees(node):
            if p.data != "string_part":
                continue
            child = p.children[0]
            if hasattr(child, "data"):
                if child.data == "interpolation":
                    parts.append(self.expr(self._trees(child)[0]))
                else:
                    return Unsupported("template directive", line)
            else:
                tok = str(child)
                if getattr(child, "type", "") == "ESCAPED_INTERPOLATION":
                    parts.append(tok[1:])
                elif getattr(child, "type", "") == "ESCAPED_DIRECTIVE":
                    parts.append(tok[1:])
                else:
                    parts.append(unescape(tok))
        return _template(parts, line)

    def _heredoc(self, raw: str, line: int, trim: bool) -> Expr:
        first_nl = raw.index("\n")
        marker = raw[2 + trim:first_nl].strip()
        body = raw[first_nl + 1:]
        body = body.rstrip("\n")
        if body.endswith(marker):
            body = body[: -len(marker)]
        lines = body.split("\n")
        if lines and not lines[-1].strip():
            lines = lines[:-1]
        if trim:
            indents = [len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()]
            cut = min(indents) if indents else 0
            lines = [ln[cut:] for ln in lines]
        text = "\n".join(lines) + "\n"
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
            return Lit(float(val) if any(c in val for c in ".eE") else int(val), line)
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
    parts: list[Any] = []
    pos = 0
    buf: list[str] = []
    while pos < len(text):
        if text.startswith("$${", pos):
            buf.append("${")
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
        items = []
        for k, v in val.items():
            kline = _json_line(val, k) or line
            items.append((Lit(k, kline), json_expr(v, kline, val, k), kline))
        return ObjectE(items, line)
    if isinstance(val, list):
        return TupleE([json_expr(v, line, val, i) for i, v in enumerate(val)], line)
    return Lit(val, line)
