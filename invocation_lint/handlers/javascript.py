"""JavaScript and TypeScript handlers, read with tree-sitter (never run).

This module is imported only when a Node.js handler is found, so tree-sitter is never loaded for a project of
Python functions. It finds the exported handler (``exports.handler =``, ``module.exports = {handler}``,
``export const handler =``, ``export async function handler``, ``export { x as handler }``, ``export default``,
a middleware wrapper such as ``middy(fn)``), follows a delegation to a helper of the same module or of another
module of the project (``require('./lib/store')``, ``import { save } from './lib/store'``, re-exports, ``index``
files, TypeScript paths without extension), and the calls that hand a helper the event or a record, up to
``MAX_FOLLOW_DEPTH`` calls deep; it records the same facts as the Python analysis. Modules are read only through
``Source.read_sibling`` (inside the project), at most ``MAX_MODULES`` for one handler, each at most
``MAX_MODULE_BYTES``, and each is parsed once, so an import cycle is read once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from invocation_lint.source import Span

from .facts import CatchFact, HandlerFacts, IdSource, ItemIdFact, ReturnFact
from .locate import Source, parsed

Node = Any  # tree_sitter.Node

FUNCTION_TYPES = {"arrow_function", "function_expression", "function_declaration", "function",
                  "generator_function_declaration", "generator_function", "method_definition"}
UNWRAP = {"parenthesized_expression", "await_expression", "as_expression", "satisfies_expression",
          "non_null_expression", "type_assertion"}
RECORDING_METHODS = {"push", "unshift", "add", "set", "splice", "concat"}
ITERATING_METHODS = {"forEach", "map", "filter", "reduce", "some", "every", "flatMap", "entries", "values",
                     "keys", "find", "slice"}
POWERTOOLS_BATCH = {"processPartialResponse", "processPartialResponseSync"}
POWERTOOLS_PROCESSORS = {"BatchProcessor", "BatchProcessorSync", "SqsFifoPartialProcessor",
                         "SqsFifoPartialProcessorAsync"}
MESSAGE_ID_KEYS = {"messageId", "MessageId"}
SEQUENCE_KEYS = {"sequenceNumber", "SequenceNumber"}
SIBLING_SUFFIXES = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", "/index.js", "/index.mjs",
                    "/index.cjs", "/index.ts", "/index.tsx")
#: calls followed from the handler into helpers; modules read for one handler; bytes of one helper module
MAX_FOLLOW_DEPTH = 3
MAX_MODULES = 24
MAX_MODULE_BYTES = 256 * 1024
MAX_LOOKUPS = 400  # paths tried (``import json`` tries json.py and json/__init__.py in the code)

_PARSERS: dict[str, Any] = {}


def _parser(kind: str) -> Any:
    """A tree-sitter parser for ``javascript``, ``typescript`` or ``tsx``, built once."""
    if kind not in _PARSERS:
        from tree_sitter import Language, Parser

        if kind == "javascript":
            import tree_sitter_javascript as grammar

            lang = Language(grammar.language())
        else:
            import tree_sitter_typescript as ts

            lang = Language(ts.language_tsx() if kind == "tsx" else ts.language_typescript())
        _PARSERS[kind] = Parser(lang)
    return _PARSERS[kind]


def _grammar_for(display: str, language: str) -> str:
    if display.endswith(".tsx"):
        return "tsx"
    return "typescript" if language == "typescript" or display.endswith((".ts", ".mts", ".cts")) else "javascript"


class _File:
    """One parsed module: its exports, top-level bindings and imports."""

    def __init__(self, root: Node, data: bytes, display: str, line_offset: int, column_offset: int,
                 rel: str = "") -> None:
        self.root = root
        self.rel = rel  # the path relative to the handler's directory (``lib/store.js``)
        self.data = data
        self.display = display
        self.line_offset = line_offset
        self.column_offset = column_offset
        self.bindings: dict[str, Node] = {}  # top-level name → function node or value expression
        self.imports: dict[str, tuple[str, str]] = {}  # local name → (module, exported name or "*")
        self.exports: dict[str, Node | tuple[str, str]] = {}
        self.dynamic = False  # exports that cannot be listed statically
        #: ``list(_walk(node))`` of the nodes walked so far (a function's body is read by several checks)
        self._walked: dict[Node, list[tuple[Node, bool]]] = {}
        self._bounded: set[Node] = set()  # functions found within MAX_DEPTH and MAX_NODES
        self._scan()

    def walked(self, node: Node) -> list[tuple[Node, bool]]:
        """``list(_walk(node))``, walked once for each node (the list is shared: never change it)."""
        got = self._walked.get(node)
        if got is None:
            got = self._walked[node] = list(_walk(node))
        return got

    def walked_within_bounds(self, fn: Node) -> list[tuple[Node, bool]] | None:
        """``walked(fn)`` when ``fn`` (itself included) has at most ``MAX_NODES`` nodes, none more than
        ``MAX_DEPTH`` below it; else None, as soon as that is known."""
        if fn in self._bounded:
            return self._walked[fn]
        out: list[tuple[Node, bool]] = []
        stack = [(c, True, 1) for c in reversed(fn.named_children)]
        count = 1
        while stack:
            n, o, d = stack.pop()
            count += 1
            if d > MAX_DEPTH or count > MAX_NODES:
                return None
            out.append((n, o))
            inner = o and n.type not in FUNCTION_TYPES
            stack.extend((c, inner, d + 1) for c in reversed(n.named_children))
        self._walked[fn] = out
        self._bounded.add(fn)
        return out

    # -------------------------------------------------------------------------------------------- text
    def text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", errors="replace")

    def span(self, node: Node) -> Span:
        row, col = node.start_point
        if self.line_offset < 0:  # inline code that cannot be mapped line by line: the ZipFile line
            return Span(self.display, -self.line_offset, max(self.column_offset, 1))
        line_text_start = self.data.rfind(b"\n", 0, node.start_byte) + 1
        column = len(self.data[line_text_start:node.start_byte].decode("utf-8", errors="replace"))
        return Span(self.display, row + 1 + self.line_offset, column + 1 + self.column_offset)

    # -------------------------------------------------------------------------------------------- scan
    def _scan(self) -> None:
        for stmt in self.root.named_children:
            t = stmt.type
            if t == "export_statement":
                self._export(stmt)
            elif t in ("function_declaration", "generator_function_declaration"):
                name = stmt.child_by_field_name("name")
                if name is not None:
                    self.bindings[self.text(name)] = stmt
            elif t in ("lexical_declaration", "variable_declaration"):
                self._declaration(stmt, exported=False)
            elif t == "import_statement":
                self._import(stmt)
            elif t == "expression_statement":
                expr = stmt.named_children[0] if stmt.named_children else None
                if expr is not None and expr.type == "assignment_expression":
                    self._assignment(expr)
                elif expr is not None and expr.type == "call_expression":
                    fn = self.text(expr.child_by_field_name("function") or expr)
                    if fn in ("Object.assign", "Object.defineProperty") and "exports" in self.text(expr):
                        self.dynamic = True

    def _declaration(self, decl: Node, exported: bool) -> None:
        for d in decl.named_children:
            if d.type != "variable_declarator":
                continue
            name = d.child_by_field_name("name")
            value = d.child_by_field_name("value")
            if name is None:
                continue
            if name.type == "identifier":
                if value is not None:
                    self.bindings[self.text(name)] = value
                    req = self._require(value)
                    if req is not None:
                        self.imports[self.text(name)] = (req, "*")
                if exported:
                    self.exports[self.text(name)] = value if value is not None else name
            elif name.type == "object_pattern" and value is not None:
                req = self._require(value)
                for p in name.named_children:
                    if p.type == "shorthand_property_identifier_pattern":
                        local = self.text(p)
                        if req is not None:
                            self.imports[local] = (req, local)
                        if exported:
                            self.exports[local] = p
                    elif p.type == "pair_pattern":
                        k, v = p.child_by_field_name("key"), p.child_by_field_name("value")
                        if k is not None and v is not None and v.type == "identifier":
                            if req is not None:
                                self.imports[self.text(v)] = (req, self.text(k).strip("'\""))
                            if exported:
                                self.exports[self.text(v)] = v

    def _require(self, value: Node) -> str | None:
        while value.type in UNWRAP:
            value = value.named_children[0] if value.named_children else value
            if value.type in UNWRAP and not value.named_children:
                break
        if value.type == "call_expression" and self.text(value.child_by_field_name("function") or value) == "require":
            args = value.child_by_field_name("arguments")
            if args is not None and args.named_children and args.named_children[0].type == "string":
                return self.text(args.named_children[0]).strip("'\"`")
        return None

    def _import(self, stmt: Node) -> None:
        source = stmt.child_by_field_name("source")
        if source is None:
            return
        module = self.text(source).strip("'\"")
        for clause in stmt.named_children:
            if clause.type != "import_clause":
                continue
            for c in clause.named_children:
                if c.type == "identifier":
                    self.imports[self.text(c)] = (module, "default")
                elif c.type == "namespace_import":
                    for n in c.named_children:
                        self.imports[self.text(n)] = (module, "*")
                elif c.type == "named_imports":
                    for spec in c.named_children:
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name is not None:
                            self.imports[self.text(alias or name)] = (module, self.text(name))

    def _export(self, stmt: Node) -> None:
        decl = stmt.child_by_field_name("declaration")
        source = stmt.child_by_field_name("source")
        is_default = any(c.type == "default" for c in stmt.children)
        if decl is not None:
            if decl.type in ("lexical_declaration", "variable_declaration"):
                self._declaration(decl, exported=True)
            else:
                name = decl.child_by_field_name("name")
                if name is not None:
                    self.bindings[self.text(name)] = decl
                    self.exports["default" if is_default else self.text(name)] = decl
                elif is_default:
                    self.exports["default"] = decl
            return
        if is_default:
            value = stmt.child_by_field_name("value")
            if value is not None:
                self.exports["default"] = value
            return
        clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
        if clause is None:  # export * from '...'
            self.dynamic = True
            return
        for spec in clause.named_children:
            name = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias")
            if name is None:
                continue
            exported = self.text(alias or name)
            if source is not None:
                self.exports[exported] = (self.text(source).strip("'\""), self.text(name))
            else:
                self.exports[exported] = name

    def _assignment(self, expr: Node) -> None:
        left = expr.child_by_field_name("left")
        right = expr.child_by_field_name("right")
        if left is None or right is None:
            return
        target = self.text(left).replace(" ", "")
        if target in ("module.exports", "exports"):
            if target == "exports":
                self.dynamic = True
                return
            obj = right
            if obj.type == "identifier" and self.text(obj) in self.bindings:
                obj = self.bindings[self.text(obj)]
            if obj.type == "object":
                for name, value in _object_entries(self, obj):
                    if name is None:
                        self.dynamic = True
                    else:
                        self.exports[name] = value
            else:
                self.dynamic = True
            return
        for prefix in ("module.exports.", "exports."):
            if target.startswith(prefix):
                rest = target[len(prefix):]
                if rest.isidentifier():
                    self.exports[rest] = right
                else:
                    self.dynamic = True
                return
        if target.startswith(("module.exports[", "exports[")):
            self.dynamic = True


def _object_entries(file: _File, obj: Node) -> Iterator[tuple[str | None, Node]]:
    """(key, value) of an object literal; key None for a spread or a computed key."""
    for c in obj.named_children:
        if c.type == "pair":
            k, v = c.child_by_field_name("key"), c.child_by_field_name("value")
            if k is None or v is None:
                continue
            if k.type in ("property_identifier", "identifier", "number"):
                yield file.text(k), v
            elif k.type == "string":
                yield file.text(k)[1:-1], v
            else:
                yield None, v
        elif c.type == "shorthand_property_identifier":
            yield file.text(c), c
        elif c.type == "method_definition":
            name = c.child_by_field_name("name")
            yield (file.text(name) if name is not None else None), c
        elif c.type == "spread_element":
            yield None, c


def _unwrap(node: Node) -> Node:
    while node is not None and node.type in UNWRAP and node.named_children:
        node = node.named_children[0] if node.type != "await_expression" else node.named_children[-1]
    return node


def _parse(text: str, display: str, language: str, line_offset: int = 0, column_offset: int = 0,
           rel: str = "") -> _File | Span:
    """The module parsed (a ``_File`` is complete once built and only read after, so handlers sharing a file
    share it)."""
    cache = parsed()
    if cache is None:
        return _parse_now(text, display, language, line_offset, column_offset, rel)
    key = ("javascript", text, display, language, line_offset, column_offset, rel)
    got = cache.get(key)
    if got is None:
        got = cache[key] = _parse_now(text, display, language, line_offset, column_offset, rel)
    return got


def _parse_now(text: str, display: str, language: str, line_offset: int, column_offset: int,
               rel: str) -> _File | Span:
    data = text.encode("utf-8", errors="replace")
    tree = _parser(_grammar_for(display, language)).parse(data)
    root = tree.root_node
    if root.has_error:
        err = _first_error(root)
        row = err.start_point[0] if err is not None else 0
        return Span(display, -line_offset if line_offset < 0 else row + 1 + line_offset, 1)
    return _File(root, data, display, line_offset, column_offset, rel)


def _first_error(node: Node) -> Node | None:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


#: past these a function is not analysed (a note says so): some checks look at a catch's enclosing nodes and
#: walk its body, which is quadratic or worse in the nesting depth (30,000 nested ``try`` never finished)
MAX_DEPTH = 300
MAX_NODES = 200_000


def _too_large(fn: Node, file: _File | None = None) -> str | None:
    """Why ``fn`` is too deep or too large to analyse, else None; one walk with an explicit stack. With ``file``
    (``fn``'s), a function within the bounds is walked once for this and for its analysis."""
    if file is not None and file.walked_within_bounds(fn) is not None:
        return None
    stack = [(fn, 0)]
    count = 0
    while stack:
        n, d = stack.pop()
        count += 1
        if d > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep"
        if count > MAX_NODES:
            return f"more than {MAX_NODES} syntax nodes"
        stack.extend((c, d + 1) for c in n.named_children)
    return None


def analyse_javascript(src: Source, facts: HandlerFacts) -> None:
    """Fill ``facts`` for the handler ``src.function_name`` of a JavaScript or TypeScript module."""
    offset = src.line_offset
    facts.language = "typescript" if _grammar_for(src.display, src.language) != "javascript" else "javascript"
    facts.file = src.display
    parsed = _parse(src.text, src.display, src.language, offset, src.column_offset,
                    posixpath.basename(src.display.replace("\\", "/").rsplit("!", 1)[-1]))
    if isinstance(parsed, Span):
        facts.parse_error = parsed
        return
    head, _, nested = src.function_name.partition(".")
    mods = _Modules(src, parsed)
    found = _resolve_export(parsed, head, mods, 0)
    if found is None:
        if not parsed.dynamic:
            facts.missing = "function"
            facts.missing_detail = f"{src.display} exports no '{head}'"
            facts.span = Span(src.display, -offset if offset < 0 else offset + 1, 1)
        return
    file, fn, wrapped = found
    facts.file = file.display
    if fn is None or nested:
        return
    facts.span = file.span(fn)
    why = _too_large(fn, file)
    if why is not None:
        facts.note = f"{file.display}:{facts.span.line}: handler function {why}: too large to analyse; not checked"
        return
    facts.analysed = True
    facts.wrapped = wrapped
    _Analyser(file, mods, facts).function(file, fn, 0)


def _resolve_export(file: _File, name: str, mods: _Modules, depth: int) -> tuple[_File, Node | None, bool] | None:
    if name not in file.exports:
        return None
    value = file.exports[name]
    if isinstance(value, tuple):  # export { x } from './y'
        sib = mods.module(file, value[0]) if depth <= MAX_FOLLOW_DEPTH else None
        if sib is not None and sib is not file:
            found = _resolve_export(sib, value[1], mods, depth + 1)
            if found is not None:
                return found
        return file, None, False
    fn, wrapped, other = _function_of(file, value, mods, depth)
    return (other or file), fn, wrapped


def _function_of(file: _File, node: Node, mods: _Modules, depth: int,
                 seen: int = 0) -> tuple[Node | None, bool, _File | None]:
    """The function a value denotes: a function literal, a binding of one, a wrapper's argument, an import."""
    node = _unwrap(node)
    if node is None or seen > 5:
        return None, False, None
    if node.type in FUNCTION_TYPES:
        return node, False, None
    if node.type in ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"):
        name = file.text(node)
        if name in file.bindings and file.bindings[name] is not node:
            return _function_of(file, file.bindings[name], mods, depth, seen + 1)
        if name in file.imports and depth <= MAX_FOLLOW_DEPTH:
            module, imported = file.imports[name]
            sib = mods.module(file, module)
            if sib is not None and sib is not file and imported != "*":
                found = _resolve_export(sib, imported, mods, depth + 1)
                if found is not None:
                    return found[1], found[2], found[0]
        return None, False, None
    if node.type == "call_expression":  # middy(handler).use(...), wrapHandler(async (event) => ...)
        inner = node
        while inner.type == "call_expression":
            fn = inner.child_by_field_name("function")
            if fn is not None and fn.type == "member_expression":
                obj = fn.child_by_field_name("object")
                if obj is not None and obj.type == "call_expression":
                    inner = obj
                    continue
            break
        args = inner.child_by_field_name("arguments")
        for a in args.named_children if args is not None else ():
            got, _, other = _function_of(file, a, mods, depth, seen + 1)
            if got is not None:
                return got, True, other
        return None, True, None
    return None, False, None


class _Modules:
    """The project's modules as relative ``require``/``import`` specifiers name them: read through
    ``Source.read_sibling``, parsed once each (an import cycle is read once), at most ``MAX_MODULES``."""

    def __init__(self, src: Source, handler: _File) -> None:
        self.src = src
        self.cache: dict[str, _File | None] = {handler.rel: handler}
        self.read = 0  # files read (the budget); paths looked up are bounded apart (``MAX_LOOKUPS``)

    def load(self, rel: str) -> _File | None:
        rel = posixpath.normpath(rel)
        if rel in self.cache:
            return self.cache[rel]
        if self.read >= MAX_MODULES or len(self.cache) >= MAX_LOOKUPS:
            return None
        got = self.src.read_sibling(rel)
        self.read += got is not None
        parsed = None
        if got is not None and len(got[0]) <= MAX_MODULE_BYTES and rel.endswith(
            (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx")
        ):
            lang = "typescript" if got[1].endswith((".ts", ".mts", ".cts", ".tsx")) else "javascript"
            parsed = _parse(got[0], got[1], lang, rel=rel)
        self.cache[rel] = parsed if isinstance(parsed, _File) else None
        return self.cache[rel]

    def module(self, file: _File, spec: str) -> _File | None:
        """The file a relative specifier names from ``file``: as written, with an extension, an ``index``
        file of a folder, or the TypeScript source of a ``.js`` specifier."""
        if not spec.startswith(("./", "../")):
            return None  # a package (node_modules) or a path alias: not the project's own code to follow
        path = posixpath.join(posixpath.dirname(file.rel), spec)
        cands = [path + suffix for suffix in SIBLING_SUFFIXES]
        stem, ext = posixpath.splitext(path)
        if ext in (".js", ".mjs", ".cjs"):
            cands += [stem + {".js": ".ts", ".mjs": ".mts", ".cjs": ".cts"}[ext], stem + ".tsx"]
        for cand in cands:
            got = self.load(cand)
            if got is not None:
                return got
        return None


def _callee(file: _File, callee: Node, mods: _Modules) -> tuple[_File, Node] | None:
    """The project function a call names: ``save`` (declared, required or imported) or ``store.save`` (``const
    store = require('./store')``, ``import * as store from './store'``)."""
    if callee.type == "member_expression":
        obj, prop = _obj(callee), callee.child_by_field_name("property")
        if obj is None or prop is None or obj.type != "identifier" or file.text(obj) not in file.imports:
            return None
        module, imported = file.imports[file.text(obj)]
        target = mods.module(file, module) if imported == "*" else None
        if target is None or target is file:
            return None
        found = _resolve_export(target, file.text(prop), mods, 1)
        return (found[0], found[1]) if found is not None and found[1] is not None else None
    got, _, other = _function_of(file, callee, mods, 0)
    return (other or file, got) if got is not None else None


# --------------------------------------------------------------------------------------------- analysis


def _walk(node: Node, own: bool = True) -> Iterator[tuple[Node, bool]]:
    """Every node below ``node`` with whether it belongs to the same function (not a nested one)."""
    stack = [(c, own) for c in reversed(node.named_children)]
    while stack:
        n, o = stack.pop()
        yield n, o
        inner = o and n.type not in FUNCTION_TYPES
        stack.extend((c, inner) for c in reversed(n.named_children))


def _prop(file: _File, node: Node) -> str | None:
    """The key a member/subscript expression reads: ``r.messageId``, ``r["messageId"]``."""
    if node.type == "member_expression":
        p = node.child_by_field_name("property")
        return file.text(p) if p is not None else None
    if node.type == "subscript_expression":
        idx = node.child_by_field_name("index")
        if idx is not None and idx.type == "string":
            return file.text(idx)[1:-1]
    return None


def _obj(node: Node) -> Node | None:
    return node.child_by_field_name("object")


def _params(fn: Node) -> list[Node]:
    params = fn.child_by_field_name("parameters")
    if params is None:
        single = fn.child_by_field_name("parameter")
        return [single] if single is not None else []
    out = []
    for p in params.named_children:
        if p.type in ("required_parameter", "optional_parameter"):
            pat = p.child_by_field_name("pattern")
            out.append(pat if pat is not None else p)
        elif p.type == "assignment_pattern":
            out.append(p.child_by_field_name("left") or p)
        else:
            out.append(p)
    return out


class _Analyser:
    def __init__(self, file: _File, mods: _Modules, facts: HandlerFacts) -> None:
        self.file = file
        self.mods = mods
        self.items: set[str] = set()  # names of the current function that hold the event or a record
        self.via: Span | None = None  # the handler's own call that led into the current helper
        #: the current helper is called from a catch block that has already reported the failure
        self.after_report = False
        self.facts = facts
        self.followed: set[tuple[str, int]] = set()
        self.callback: str | None = None  # the handler's callback parameter, if it has one

    def function(self, file: _File, fn: Node, depth: int, call: Node | None = None) -> None:
        key = (file.display, fn.start_byte)
        if key in self.followed:
            return
        self.followed.add(key)
        if depth > 0 and _too_large(fn, file) is not None:  # a helper too large to follow: what it does stays unknown
            self.facts.opaque_returns = True
            return
        prev, prev_callback, prev_items, prev_via = self.file, self.callback, self.items, self.via
        if call is not None and self.via is None:
            self.via = self.file.span(call)
        if self.via is not None and file.display != self.facts.file:
            self.facts.called_from.setdefault(file.display, self.via)
        self.file = file
        try:
            self._function(fn, depth)
        finally:
            self.file, self.callback, self.items, self.via = prev, prev_callback, prev_items, prev_via

    def _function(self, fn: Node, depth: int) -> None:
        f, file = self.facts, self.file
        params = _params(fn)
        event = file.text(params[0]) if params and params[0].type == "identifier" else None
        callback = file.text(params[2]) if len(params) > 2 and params[2].type == "identifier" else None
        self.callback = callback
        aliases: set[str] = set()
        if params and params[0].type == "object_pattern":
            for p in params[0].named_children:
                if p.type == "shorthand_property_identifier_pattern" and file.text(p) == "Records":
                    aliases.add("Records")
        nodes = file.walked(fn)
        assigns = self._assignments(nodes, aliases)
        self.items = self._items(fn, nodes, params, event, aliases, depth)
        body = fn.child_by_field_name("body")
        has_return = False
        if body is not None and body.type != "statement_block" and fn.type == "arrow_function":
            has_return = True
            self._return(body, body, assigns, fn, depth, event, in_catch=False)
        for n, own in nodes:
            t = n.type
            if t == "return_statement" and own:
                has_return = True
                value = n.named_children[0] if n.named_children else None
                self._return(n, value, assigns, fn, depth, event, self._in_catch(n, fn))
            elif t == "catch_clause":
                self._catch(n, fn, aliases, callback)
            elif t == "pair":
                k = n.child_by_field_name("key")
                key = file.text(k).strip("'\"") if k is not None else ""
                if key == "itemIdentifier":
                    self._item_id(n.child_by_field_name("value"), assigns, k)
                elif key == "batchItemFailures" and f.batch_failures_span is None:
                    f.batch_failures_span = file.span(n)
            elif t == "shorthand_property_identifier":
                if file.text(n) == "itemIdentifier":
                    self._item_id(n, assigns, n)
                elif file.text(n) == "batchItemFailures" and f.batch_failures_span is None:
                    f.batch_failures_span = file.span(n)
            elif t == "call_expression":
                self._call(n, fn, depth, event, own)
                callee = n.child_by_field_name("function")
                args = n.child_by_field_name("arguments")
                if callback is not None and callee is not None and file.text(callee) == callback and args is not None:
                    a = args.named_children
                    if not a or a[0].type in ("null", "undefined"):  # callback(null, response): a return
                        has_return = True
                        self._return(n, a[1] if len(a) > 1 else None, assigns, fn, depth, event,
                                     self._in_catch(n, fn))
                if callee is not None and callee.type == "member_expression" and _prop(file, callee) == "catch" \
                        and args is not None and args.named_children and args.named_children[0].type in FUNCTION_TYPES:
                    handler = args.named_children[0]
                    self._catch(n, fn, aliases, callback, ".catch()", handler.child_by_field_name("body"))
            if t in ("member_expression", "subscript_expression") and _prop(file, n) == "Records":
                self._records_use(n, aliases)
            elif t == "identifier" and file.text(n) in aliases:
                self._records_use(n, aliases)
        if depth == 0 and not has_return and callback is None and body is not None and body.type == "statement_block":
            f.falls_through = file.span(fn)

    def _assignments(self, nodes: list[tuple[Node, bool]], aliases: set[str]) -> dict[str, list[Node | None]]:
        file = self.file
        out: dict[str, list[Node | None]] = {}
        for n, _own in nodes:
            if n.type == "variable_declarator":
                name, value = n.child_by_field_name("name"), n.child_by_field_name("value")
                if name is None:
                    continue
                if name.type == "identifier":
                    out.setdefault(file.text(name), []).append(value)
                    if value is not None and _prop(file, _unwrap(value)) == "Records":
                        aliases.add(file.text(name))
                else:
                    for sub, _ in _walk(name):
                        if sub.type in ("identifier", "shorthand_property_identifier_pattern"):
                            out.setdefault(file.text(sub), []).append(None)
                            if sub.type == "shorthand_property_identifier_pattern" and file.text(sub) == "Records" \
                                    and value is not None and name.type == "object_pattern":
                                aliases.add("Records")
            elif n.type in ("assignment_expression", "augmented_assignment_expression"):
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                if left is not None and left.type == "identifier":
                    out.setdefault(file.text(left), []).append(right if n.type == "assignment_expression" else None)
            elif n.type == "for_in_statement":
                left = n.child_by_field_name("left")
                if left is not None:
                    for sub, _ in [(left, True), *_walk(left)]:
                        if sub.type in ("identifier", "shorthand_property_identifier_pattern"):
                            out.setdefault(file.text(sub), []).append(None)
        return out

    # ------------------------------------------------------------------------------------------ returns
    def _in_catch(self, node: Node, fn: Node) -> bool:
        cur = node.parent
        while cur is not None and cur != fn:
            if cur.type == "catch_clause":
                return True
            cur = cur.parent
        return False

    def _return(self, stmt: Node, value: Node | None, assigns: dict[str, list[Node | None]], fn: Node, depth: int,
                event: str | None, in_catch: bool) -> None:
        f, file = self.facts, self.file
        span = file.span(stmt)
        value = _unwrap(value) if value is not None else None
        if value is None or value.type in ("null", "undefined") or value.type == "identifier" and file.text(
            value
        ) == "undefined":
            f.returns.append(ReturnFact(span, "none", in_catch=in_catch))
            return
        t = value.type
        if t == "object":
            self._object_return(span, value, assigns, in_catch)
            return
        if t == "identifier":
            vals = assigns.get(file.text(value))
            objs = [_unwrap(v) for v in vals or [] if v is not None]
            if vals and len(objs) == len(vals) and all(o.type == "object" for o in objs):
                self._object_return(span, objs[-1], assigns, in_catch, file.text(value), fn)
            else:
                f.opaque_returns = True
            return
        if t in ("string", "template_string"):
            f.returns.append(ReturnFact(span, "string", in_catch=in_catch))
            return
        if t in ("number", "array", "true", "false"):
            f.returns.append(ReturnFact(span, "other", in_catch=in_catch))
            return
        if t == "call_expression":
            callee = value.child_by_field_name("function")
            name = file.text(callee) if callee is not None else ""
            last = name.rsplit(".", 1)[-1]
            if last in POWERTOOLS_BATCH:
                f.powertools_batch = f.powertools_batch or file.span(value)
                self._processor_kind(value)
                return
            if name == "JSON.stringify" or last == "toString":
                f.returns.append(ReturnFact(span, "string", in_catch=in_catch))
                return
            if name and name == self.callback:  # ``return callback(null, response)``: read as the call itself
                return
            if depth < MAX_FOLLOW_DEPTH and callee is not None and self._follow(value, event, depth):
                return
        f.opaque_returns = True

    def _object_return(self, span: Span, obj: Node, assigns: dict[str, list[Node | None]], in_catch: bool,
                       var: str | None = None, fn: Node | None = None) -> None:
        f, file = self.facts, self.file
        keys: dict[str, Node] = {}
        spread = False
        for name, value in _object_entries(file, obj):
            if name is None:
                spread = True
            else:
                keys[name] = value
        if var is not None and fn is not None:  # response.body = ...; response["statusCode"] = ...
            for n, _own in file.walked(fn):
                if n.type == "assignment_expression":
                    left = n.child_by_field_name("left")
                    if left is not None and left.type in ("member_expression", "subscript_expression"):
                        o = _obj(left)
                        if o is not None and o.type == "identifier" and file.text(o) == var:
                            key = _prop(file, left)
                            if key is None:
                                spread = True
                            else:
                                keys[key] = n.child_by_field_name("right")
        codes: list[int | None] = []
        if "statusCode" in keys:
            codes.append(self._status(keys["statusCode"], assigns))
        body = self._body(keys["body"], assigns) if "body" in keys else ("unknown" if spread else "missing")
        empty = False
        if "batchItemFailures" in keys:
            f.batch_failures_span = f.batch_failures_span or span
            v = _unwrap(keys["batchItemFailures"])
            empty = v is not None and v.type == "array" and not v.named_children
        if spread and not keys.keys() & {"statusCode", "batchItemFailures"}:
            f.opaque_returns = True
            return
        f.returns.append(ReturnFact(span, "dict", frozenset(keys) | ({"..."} if spread else set()), tuple(codes),
                                    body, empty, in_catch))  # type: ignore[arg-type]

    def _status(self, node: Node | None, assigns: dict[str, list[Node | None]], depth: int = 0) -> int | None:
        node = _unwrap(node) if node is not None else None
        if node is None:
            return None
        if node.type == "number":
            try:
                return int(self.file.text(node))
            except ValueError:
                return None
        if node.type in ("identifier", "shorthand_property_identifier") and depth < 2:
            vals = assigns.get(self.file.text(node), [])
            if len(vals) == 1 and vals[0] is not None:
                return self._status(vals[0], assigns, depth + 1)
        return None

    def _body(self, node: Node | None, assigns: dict[str, list[Node | None]], depth: int = 0) -> str:
        node = _unwrap(node) if node is not None else None
        if node is None:
            return "unknown"
        t = node.type
        if t in ("string", "template_string"):
            return "string"
        if t == "call_expression":
            callee = node.child_by_field_name("function")
            name = self.file.text(callee) if callee is not None else ""
            if name in ("JSON.stringify", "String") or name.rsplit(".", 1)[-1] in ("toString", "join", "stringify"):
                return "string"
            return "unknown"
        if t in ("object", "array", "number", "true", "false"):
            return "nonstring"
        if t == "binary_expression" and any(c.type in ("string", "template_string") for c in node.named_children):
            return "string"
        if t in ("identifier", "shorthand_property_identifier") and depth < 2:
            vals = assigns.get(self.file.text(node), [])
            kinds = {self._body(v, assigns, depth + 1) for v in vals if v is not None}
            if len(vals) >= 1 and len(kinds) == 1 and None not in vals:
                return kinds.pop()
        return "unknown"

    def _items(self, fn: Node, nodes: list[tuple[Node, bool]], params: list[Node], event: str | None,
               aliases: set[str], depth: int) -> set[str]:
        """What a call may take that makes it part of handling the batch: the event, the records, one record
        (a ``for...of`` variable, a ``Records.forEach`` callback's parameter); in a helper, what it was given."""
        file = self.file
        if depth > 0:
            out = {file.text(p) for p in params if p.type == "identifier"}
        else:
            out = ({event} if event else set()) | aliases
        for n, _own in nodes:
            if n.type == "for_in_statement" and (depth > 0 or self._mentions_batch(n, aliases, header_only=True)):
                left = n.child_by_field_name("left")
                out |= {file.text(i) for i, _ in [(left, True), *_walk(left)] if i.type == "identifier"} if left else set()
            elif n.type in FUNCTION_TYPES and self._records_loop(n.named_children[0] if n.named_children else n, fn,
                                                                 aliases)[1]:
                out |= {file.text(p) for p in _params(n)[:1] if p.type == "identifier"}
        return out

    def _follow(self, call: Node, event: str | None, depth: int) -> bool:
        """``return helper(event)``: read a helper of this module (or another of the project) as the handler."""
        file = self.file
        callee = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        if callee is None or args is None or event is None:
            return False
        if not any(a.type == "identifier" and file.text(a) == event for a in args.named_children):
            return False
        found = _callee(file, callee, self.mods)
        if found is None:
            return False
        self.function(found[0], found[1], depth + 1, call)
        return True

    def _call(self, n: Node, fn: Node, depth: int, event: str | None, own: bool) -> None:
        f, file = self.facts, self.file
        callee = n.child_by_field_name("function")
        name = file.text(callee) if callee is not None else ""
        last = name.rsplit(".", 1)[-1]
        if last in POWERTOOLS_BATCH:
            f.powertools_batch = f.powertools_batch or file.span(n)
            self._processor_kind(n)
        args = n.child_by_field_name("arguments")
        arg_names = {file.text(a) for a in args.named_children if a.type == "identifier"} if args is not None else set()
        found = _callee(file, callee, self.mods) if callee is not None and arg_names & (self.items | {event}) else None
        if event is not None and own and event in arg_names and not _harmless(name) and found is None:
            f.iterates_records = True  # the whole event goes where we cannot follow: it may be iterated there
        if depth >= MAX_FOLLOW_DEPTH or found is None or not arg_names & self.items:
            return
        # a statement ``helper(event)`` or ``await save(record)``, or the body of ``(r) => save(r)``: its result
        # is not the handler's, its catches and record handling are
        node, parent = n, n.parent
        while parent is not None and parent.type in UNWRAP:
            node, parent = parent, parent.parent
        if parent is not None and (parent.type == "expression_statement" or parent.type == "arrow_function"
                                   and parent.child_by_field_name("body") == node):
            saved = list(f.returns), f.opaque_returns, f.falls_through
            after = self.after_report
            self.after_report = after or self._follows_report(n, fn, self.callback, stops=False)
            try:
                self.function(found[0], found[1], depth + 1, n)
            finally:
                self.after_report = after
            f.returns, f.opaque_returns, f.falls_through = saved

    def _processor_kind(self, call: Node) -> None:
        file = self.file
        args = call.child_by_field_name("arguments")
        for a in args.named_children if args is not None else ():
            a = _unwrap(a)
            target = a
            if a.type == "identifier" and file.text(a) in file.bindings:
                target = _unwrap(file.bindings[file.text(a)])
            if target is not None and target.type == "new_expression":
                ctor = target.child_by_field_name("constructor")
                if ctor is not None and file.text(ctor).startswith("SqsFifoPartialProcessor"):
                    self.facts.powertools_fifo = True

    # ------------------------------------------------------------------------------------------ catches
    def _catch(self, clause: Node, fn: Node, aliases: set[str], callback: str | None, label: str = "catch",
               body: Node | None = None) -> None:
        """A ``catch`` clause, or the callback of ``promise.catch(...)`` (``clause`` is then the call)."""
        file = self.file
        if body is None:
            body = clause.child_by_field_name("body")
        reraises = records = returns_empty = returns_value = stops = False
        assigned: set[str] = set()
        nodes = list(file.walked(body)) if body is not None else []
        if body is not None and body.type != "statement_block":  # ``.catch((e) => log(e))``
            nodes.insert(0, (body, True))
        for n, _own in nodes:
            t = n.type
            if t == "throw_statement":
                reraises = True
            elif t == "call_expression":
                callee = n.child_by_field_name("function")
                name = file.text(callee) if callee is not None else ""
                args = n.child_by_field_name("arguments")
                first = args.named_children[0] if args is not None and args.named_children else None
                if name in ("Promise.reject", "process.exit", "context.fail", "reject") or (
                    name in (callback, "context.done") and first is not None and first.type not in ("null", "undefined")
                ):
                    reraises = True
                elif callee is not None and callee.type == "member_expression" and name.rsplit(".", 1)[-1] in (
                    RECORDING_METHODS
                ):
                    records = True
                elif callee is not None and callee.type == "identifier" and self._raises(name):
                    reraises = True
            elif t in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
                left = n.child_by_field_name("left") or n.child_by_field_name("argument")
                if left is not None and left.type == "identifier":
                    assigned.add(file.text(left))
                else:  # ``this.failed = true``, ``result.error = e``: state that outlives the block
                    records = True
            elif t == "pair":
                k = n.child_by_field_name("key")
                if k is not None and file.text(k).strip("'\"") == "itemIdentifier":
                    records = True
            elif t == "return_statement":
                value = _unwrap(n.named_children[0]) if n.named_children else None
                if value is not None:
                    returns_value = True
                    if value.type == "object":
                        for key, v in _object_entries(file, value):
                            if key == "batchItemFailures":
                                v = _unwrap(v)
                                if v is not None and v.type == "array" and not v.named_children:
                                    returns_empty = True
                                else:
                                    records = True
                stops = True
            elif t == "break_statement":
                stops = True
        if assigned and not records:  # a name set here counts when it is read after the block (a flag)
            for n, _own in file.walked(fn):
                if n.type == "identifier" and file.text(n) in assigned and not _within(n, clause):
                    parent = n.parent
                    if parent is not None and parent.type in ("assignment_expression", "variable_declarator") and (
                        parent.child_by_field_name("left") == n or parent.child_by_field_name("name") == n
                    ):
                        continue
                    records = True
                    break
        loop, callback_loop = self._records_loop(clause, fn, aliases)
        if callback_loop:
            stops = False  # a return inside a forEach/map callback goes on with the next record
        if reraises:
            stops = True
        flag = False
        if loop is not None and assigned:
            for n, _own in file.walked(loop):
                if n.type == "identifier" and file.text(n) in assigned and not _within(n, clause):
                    parent = n.parent
                    if parent is not None and parent.type == "assignment_expression" and parent.child_by_field_name(
                        "left"
                    ) == n:
                        continue
                    flag = True
                    break
        self.facts.catches.append(CatchFact(file.span(clause), reraises, records, returns_empty, returns_value,
                                            loop is not None, stops, flag, label,
                                            self.after_report or self._follows_report(clause, fn, callback, stops)))

    def _follows_report(self, clause: Node, fn: Node, callback: str | None, stops: bool) -> bool:
        """Whether ``clause`` sits, at any depth, in a catch block (or ``.catch()`` callback) that reports the
        failure itself: rethrows, rejects, passes the error to the callback, pushes to a list or builds an
        ``itemIdentifier``. A report after ``clause`` counts only when ``clause`` does not return or break."""
        at = clause.start_byte
        cur = clause.parent
        while cur is not None and cur != fn:
            block = None
            if cur.type == "catch_clause":
                block = cur.child_by_field_name("body")
            elif cur.type in FUNCTION_TYPES and cur.parent is not None and cur.parent.type == "arguments":
                call = cur.parent.parent
                callee = call.child_by_field_name("function") if call is not None else None
                if callee is not None and callee.type == "member_expression" and _prop(self.file, callee) == "catch":
                    block = cur.child_by_field_name("body")
            if block is not None:
                for n in self._block_nodes(block):
                    if (not stops or n.start_byte < at) and self._reports(n, callback):
                        return True
            cur = cur.parent
        return False

    def _block_nodes(self, block: Node) -> Iterator[Node]:
        """The nodes of a catch block that run on its way through: not those of nested catch clauses (they run
        only on another error), nor of nested functions."""
        yield block
        stack = list(reversed(block.named_children))
        while stack:
            n = stack.pop()
            yield n
            if n.type in FUNCTION_TYPES or n.type == "catch_clause":
                continue
            stack.extend(c for c in reversed(n.named_children) if c.type != "catch_clause")

    def _reports(self, n: Node, callback: str | None) -> bool:
        file = self.file
        if n.type == "throw_statement":
            return True
        if n.type == "call_expression":
            callee = n.child_by_field_name("function")
            name = file.text(callee) if callee is not None else ""
            args = n.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if name in ("Promise.reject", "process.exit", "context.fail", "reject") or (
                name in (callback, "context.done") and first is not None and first.type not in ("null", "undefined")
            ):
                return True
            if callee is not None and callee.type == "member_expression" and name.rsplit(".", 1)[-1] in (
                RECORDING_METHODS
            ):
                return True
            return callee is not None and callee.type == "identifier" and self._raises(name)
        if n.type == "pair":
            k = n.child_by_field_name("key")
            return k is not None and file.text(k).strip("'\"") == "itemIdentifier"
        return n.type == "shorthand_property_identifier" and file.text(n) == "itemIdentifier"

    def _raises(self, name: str) -> bool:
        node = self.file.bindings.get(name)
        if node is None:
            return False
        node = _unwrap(node)
        return node is not None and node.type in FUNCTION_TYPES and any(
            n.type == "throw_statement" for n, own in self.file.walked(node) if own
        )

    def _records_loop(self, node: Node, fn: Node, aliases: set[str]) -> tuple[Node | None, bool]:
        """The loop over the batch around ``node``: a ``for...of`` or a ``Records.forEach/map`` callback."""
        cur = node.parent
        while cur is not None and cur != fn:
            if cur.type in ("for_in_statement", "for_statement", "while_statement") and self._mentions_batch(
                cur, aliases, header_only=True
            ):
                return cur, False
            if cur.type in FUNCTION_TYPES:
                args = cur.parent
                call = args.parent if args is not None and args.type == "arguments" else None
                if call is not None and call.type == "call_expression":
                    callee = call.child_by_field_name("function")
                    if callee is not None and callee.type == "member_expression" and _prop(
                        self.file, callee
                    ) in ITERATING_METHODS and self._mentions_batch(_obj(callee), aliases):
                        return cur, True
            cur = cur.parent
        return None, False

    def _mentions_batch(self, node: Node | None, aliases: set[str], header_only: bool = False) -> bool:
        if node is None:
            return False
        parts = [node]
        if header_only:
            body = node.child_by_field_name("body")
            parts = [c for c in node.named_children if c != body]
        for part in parts:
            for n, _ in [(part, True), *_walk(part)]:
                if n.type in ("member_expression", "subscript_expression") and _prop(self.file, n) == "Records":
                    return True
                if n.type == "identifier" and (self.file.text(n) in aliases or self.file.text(n) in (
                    "records", "messages"
                )):
                    return True
        return False

    # ------------------------------------------------------------------------------------------ records
    def _records_use(self, n: Node, aliases: set[str]) -> None:
        file = self.file
        parent = n.parent
        while parent is not None and parent.type in ("non_null_expression", "parenthesized_expression", "as_expression"):
            n, parent = parent, parent.parent
        if parent is None:
            return
        if parent.type == "subscript_expression" and _obj(parent) == n:
            idx = parent.child_by_field_name("index")
            if idx is not None and idx.type == "number":
                self.facts.first_record_reads.append(file.span(parent))
            else:
                self.facts.iterates_records = True
            return
        if parent.type == "member_expression" and _obj(parent) == n:
            prop = _prop(file, parent)
            if prop == "length":
                return
            if prop == "Records":  # event.Records itself is visited on its own
                return
            self.facts.iterates_records = True
            return
        if parent.type == "variable_declarator" and parent.child_by_field_name("value") == n:
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier" and file.text(name) in aliases:
                return
            if name is not None and name.type == "array_pattern" and len(name.named_children) == 1:
                self.facts.first_record_reads.append(file.span(parent))
                return
        if parent.type == "pair_pattern" or parent.type == "object_pattern":
            return
        if parent.type in ("unary_expression",) or parent.type == "binary_expression" and any(
            c.type in ("===", "!==", "==", "!=") for c in parent.children
        ):
            return
        if parent.type in ("if_statement", "parenthesized_expression") and n.type == "identifier":
            return
        self.facts.iterates_records = True

    # -------------------------------------------------------------------------------------- identifiers
    def _item_id(self, value: Node | None, assigns: dict[str, list[Node | None]], key: Node) -> None:
        if value is None:
            return
        src = self._id_source(value, assigns, 0)
        self.facts.item_ids.append(ItemIdFact(self.file.span(key), src, self.file.text(value)[:60]))

    def _id_source(self, node: Node, assigns: dict[str, list[Node | None]], depth: int) -> IdSource:
        file = self.file
        node = _unwrap(node)
        t = node.type
        if t in ("null", "undefined") or t == "identifier" and file.text(node) == "undefined":
            return "empty"
        if t == "string":
            return "empty" if len(file.text(node)) <= 2 else "other"
        if t == "call_expression":
            callee = node.child_by_field_name("function")
            name = file.text(callee) if callee is not None else ""
            args = node.child_by_field_name("arguments")
            if name == "String" and args is not None and args.named_children:
                return self._id_source(args.named_children[0], assigns, depth)
            if name.endswith(".toString") and callee is not None:
                return self._id_source(_obj(callee), assigns, depth)
            return "unknown"
        key = _prop(file, node) if t in ("member_expression", "subscript_expression") else None
        if key is not None:
            if key in MESSAGE_ID_KEYS:
                return "messageId"
            if key in SEQUENCE_KEYS:
                return "sequenceNumber"
            return "other"
        if t in ("identifier", "shorthand_property_identifier"):
            name = file.text(node)
            vals = assigns.get(name, [])
            if len(vals) == 1 and vals[0] is not None and depth < 2:
                return self._id_source(vals[0], assigns, depth + 1)
            if name in MESSAGE_ID_KEYS:
                return "messageId"
            if name in SEQUENCE_KEYS:
                return "sequenceNumber"
        return "unknown"


LOGGING_ROOTS = {"console", "logger", "log", "metrics", "tracer", "JSON"}


def _harmless(name: str) -> bool:
    """Calls that take the event without iterating its records: logging and serialising."""
    return name.split(".", 1)[0] in LOGGING_ROOTS or name in ("String", "Boolean", "typeof")


def _within(node: Node, ancestor: Node) -> bool:
    cur = node.parent
    while cur is not None:
        if cur == ancestor:
            return True
        cur = cur.parent
    return False
