"""Python handlers, read with ``ast`` (never imported, never run).

Finds the function named by ``Handler`` in its module (a ``def``, an alias, or a name imported from a sibling
module one level away), then records what it returns, which broad ``except`` blocks swallow errors, how it reads
``Records``, where ``itemIdentifier`` values come from and whether Powertools batch utilities handle the batch.
A handler that only delegates (``return process(event, context)``) is followed into a helper of the same module
or of another module of the project (relative imports, and absolute ones resolved against the code root), and
so are the calls that hand it the event or a record, up to ``MAX_FOLLOW_DEPTH`` calls deep: what those helpers
do with their errors and records is what the handler does. Modules are read only through ``Source.read_sibling``
(inside the project), at most ``MAX_MODULES`` of them, each at most ``MAX_MODULE_BYTES``; each is parsed once,
so an import cycle is read once.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator

from invocation_lint.source import Span

from .facts import BodyKind, CatchFact, HandlerFacts, IdSource, ItemIdFact, ReturnFact
from .locate import Source, parsed

#: decorators that pass the handler's return value through unchanged
TRANSPARENT_DECORATORS = {
    "inject_lambda_context", "capture_lambda_handler", "log_metrics", "event_source", "capture_method",
    "wraps", "idempotent", "validator", "lambda_handler_decorator", "logger", "tracer", "metrics",
    "xray_recorder", "capture", "serverless_sdk", "handler",
}
POWERTOOLS_BATCH = {"process_partial_response", "async_process_partial_response", "batch_processor",
                    "async_batch_processor"}
POWERTOOLS_PROCESSORS = {"BatchProcessor", "AsyncBatchProcessor", "SqsFifoPartialProcessor"}
BROAD = {"Exception", "BaseException"}
RECORDING_METHODS = {"append", "extend", "add", "insert", "appendleft", "put", "put_nowait", "update"}
EXIT_CALLS = {("sys", "exit"), ("os", "_exit")}
MESSAGE_ID_KEYS = {"messageId", "message_id", "MessageId"}
SEQUENCE_KEYS = {"sequenceNumber", "SequenceNumber", "sequence_number"}

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

#: calls followed from the handler into helpers; modules read for one handler; bytes of one helper module
MAX_FOLLOW_DEPTH = 3
MAX_MODULES = 24
MAX_MODULE_BYTES = 256 * 1024
MAX_LOOKUPS = 400  # paths tried (``import json`` tries json.py and json/__init__.py in the code)


class _File:
    """One parsed module: its text location, its top-level names and a parent map, built once."""

    def __init__(self, tree: ast.Module, display: str, line_offset: int, column_offset: int, rel: str = "") -> None:
        self.tree = tree
        self.display = display
        self.rel = rel  # the path relative to the handler's directory (``lib/store.py``)
        self.line_offset = line_offset
        self.column_offset = column_offset
        self.functions: dict[str, FunctionNode] = {}
        self.aliases: dict[str, ast.expr] = {}
        self.imports: dict[str, tuple[str, int, str]] = {}  # name → (module, level, original name)
        self.star = False
        self.dynamic = False
        for stmt in _top_level(tree.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassDef):
                self.aliases[stmt.name] = stmt  # type: ignore[assignment]
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    for n in _walk_target(t):
                        if isinstance(n, ast.Name) and stmt.value is not None:
                            self.aliases[n.id] = stmt.value
            elif isinstance(stmt, ast.ImportFrom):
                for a in stmt.names:
                    if a.name == "*":
                        self.star = True
                    else:
                        self.imports[a.asname or a.name] = (stmt.module or "", stmt.level, a.name)
            elif isinstance(stmt, ast.Import):
                for a in stmt.names:
                    self.imports[a.asname or a.name.split(".")[0]] = (a.name, 0, "")
        # one pass: the parent map, each node's children (walked again for every function read), and whether the
        # module can define names dynamically
        self.parents: dict[ast.AST, ast.AST] = {}
        self.kids: dict[ast.AST, list[ast.AST]] = {}
        self._own: dict[ast.AST, list[ast.AST]] = {}
        parents, kids = self.parents, self.kids
        top = set(map(id, tree.body))
        stack: list[ast.AST] = [tree]
        dynamic_calls = {"globals", "setattr", "exec", "vars"}
        pop = stack.pop
        child_fields = _CHILD_FIELDS
        node_type = ast.AST
        while stack:
            node = pop()
            cls = node.__class__
            if cls is ast.Call:
                if isinstance(node.func, ast.Name) and node.func.id in dynamic_calls:  # type: ignore[attr-defined]
                    self.dynamic = True
            elif cls is ast.Global or cls is ast.FunctionDef and node.name == "__getattr__" and (  # type: ignore[attr-defined]
                id(node) in top
            ):
                self.dynamic = True
            fields = child_fields.get(cls)  # ``_children``, inline: this loop visits every node of the module
            if fields is None:
                fields = _child_fields(cls)
            children: list[ast.AST] = []
            for name in fields:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, node_type):
                            children.append(item)
                            parents[item] = node
                elif isinstance(value, node_type):
                    children.append(value)
                    parents[value] = node
            kids[node] = children
            stack += children

    def own(self, node: ast.AST) -> list[ast.AST]:
        """``_own_nodes(node)`` as a list, walked once for each node (the list is shared: never change it)."""
        got = self._own.get(node)
        if got is None:
            got = self._own[node] = list(_own_nodes(node, self.kids))
        return got

    def span(self, node: ast.AST) -> Span:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + 1
        if self.line_offset < 0:  # inline code that cannot be mapped line by line: the ZipFile line
            return Span(self.display, -self.line_offset, max(self.column_offset, 1))
        return Span(self.display, line + self.line_offset, col + self.column_offset)


#: fields that never hold a node worth visiting: names and numbers, and the context and operator markers (``Load``,
#: ``Add``, ``Eq``: one shared object each, which no question about a handler is asked of)
_NOT_CHILDREN = frozenset({
    "ctx", "op", "ops", "id", "attr", "name", "asname", "arg", "module", "level", "is_async", "simple", "conversion",
    "kind", "type_comment", "tag", "lineno", "kwd_attrs", "rest",
})
#: a constant's value is a Python value, never a node
_LEAF_VALUES = (ast.Constant, ast.MatchSingleton)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    def holds_nodes(f: str) -> bool:
        if f == "name" and cls.__name__ == "TypeAlias":  # ``type X = ...`` (3.12): its name is a node
            return True
        return f not in _NOT_CHILDREN and not (f == "value" and issubclass(cls, _LEAF_VALUES))

    fields = tuple(f for f in getattr(cls, "_fields", ()) if holds_nodes(f))
    _CHILD_FIELDS[cls] = fields
    return fields


def _children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes(node)`` as a list, in the same order, less the context and operator markers (the
    fields of each node type are looked up once)."""
    out: list[ast.AST] = []
    fields = _CHILD_FIELDS.get(node.__class__)
    if fields is None:
        fields = _child_fields(node.__class__)
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    out.append(item)
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those under ``if``/``try``/``with`` (conditional definitions)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level(stmt.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from _top_level(stmt.body)
            for h in stmt.handlers:
                yield from _top_level(h.body)
            yield from _top_level(stmt.orelse)
            yield from _top_level(stmt.finalbody)
        elif isinstance(stmt, ast.With):
            yield from _top_level(stmt.body)


def _parse(text: str, display: str, line_offset: int = 0, column_offset: int = 0, rel: str = "") -> _File | Span:
    """The module parsed (a ``_File`` is only read by the analysis, so handlers sharing a file share it)."""
    cache = parsed()
    if cache is None:
        return _parse_now(text, display, line_offset, column_offset, rel)
    key = ("python", text, display, line_offset, column_offset, rel)
    got = cache.get(key)
    if got is None:
        got = cache[key] = _parse_now(text, display, line_offset, column_offset, rel)
    return got


def _parse_now(text: str, display: str, line_offset: int, column_offset: int, rel: str) -> _File | Span:
    try:
        tree = ast.parse(text, filename=display)
    except SyntaxError as exc:
        if line_offset < 0:
            return Span(display, -line_offset, max(column_offset, 1))
        return Span(display, (exc.lineno or 1) + line_offset, (exc.offset or 1) + column_offset)
    except (ValueError, RecursionError, MemoryError):
        return Span(display, -line_offset if line_offset < 0 else line_offset + 1, 1)
    return _File(tree, display, line_offset, column_offset, rel)


def analyse_python(src: Source, facts: HandlerFacts) -> None:
    """Fill ``facts`` for the handler of ``src`` (sets ``parse_error`` or ``missing`` when that is all there is)."""
    offset = src.line_offset
    parsed = _parse(src.text, src.display, offset, src.column_offset,
                    posixpath.basename(src.display.replace("\\", "/").rsplit("!", 1)[-1]))
    facts.language = "python"
    facts.file = src.display
    if isinstance(parsed, Span):
        facts.parse_error = parsed
        return
    mods = _Modules(src, parsed)
    found = _resolve(parsed, src.function_name, mods, depth=0)
    if found is None:
        if not parsed.star and not parsed.dynamic:
            facts.missing = "function"
            facts.missing_detail = f"{src.display} defines no '{src.function_name}'"
            facts.span = Span(src.display, -offset if offset < 0 else offset + 1, 1)
        return
    file, fn = found
    wrapped = False
    if fn is None:  # ``handler = wrap(main)``: read ``main``; a wrapper may change what it returns
        value = file.aliases.get(src.function_name)
        if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Name) and (
            value.args[0].id in file.functions
        ):
            fn = file.functions[value.args[0].id]
            wrapped = _last(value.func) not in TRANSPARENT_DECORATORS
    if fn is None:  # the name exists but is not a function we can read (an object, an ASGI adapter)
        facts.span = file.span(file.tree)
        return
    facts.file = file.display
    facts.span = file.span(fn)
    facts.analysed = True
    facts.wrapped = wrapped
    _Analyser(file, mods, facts).run(fn)


class _Modules:
    """The project's modules as the handler's imports name them: read through ``Source.read_sibling``, parsed
    once each (an import cycle is read once), at most ``MAX_MODULES`` for one handler."""

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
        parsed = _parse(got[0], got[1], rel=rel) if got is not None and len(got[0]) <= MAX_MODULE_BYTES else None
        self.cache[rel] = parsed if isinstance(parsed, _File) else None
        return self.cache[rel]

    def module(self, file: _File, module: str, level: int) -> _File | None:
        """``from .store import x`` (level 1) from ``file``, or ``import lib.store`` against the code root (and,
        failing that, the handler's own directory)."""
        path = module.replace(".", "/")
        if level:
            bases = [posixpath.join(posixpath.dirname(file.rel), *[".."] * (level - 1))]
        else:
            bases = list(dict.fromkeys([self.src.root_prefix, ""]))
        if not path:
            return self.load(posixpath.join(bases[0], "__init__.py")) if level else None
        for base in bases:
            for cand in (path + ".py", path + "/__init__.py"):
                got = self.load(posixpath.join(base, cand))
                if got is not None:
                    return got
        return None


def _resolve(file: _File, name: str, mods: _Modules, depth: int) -> tuple[_File, FunctionNode | None] | None:
    """The definition of ``name``: a function of ``file``, an alias of one, or one imported from the project."""
    if name in file.functions:
        return file, file.functions[name]
    if name in file.aliases:
        value = file.aliases[name]
        if isinstance(value, ast.Name) and value.id in file.functions:
            return file, file.functions[value.id]
        return file, None
    if name in file.imports:
        module, level, original = file.imports[name]
        if depth < MAX_FOLLOW_DEPTH + 1 and original:
            sib = mods.module(file, module, level)
            if sib is not None and sib is not file:
                found = _resolve(sib, original, mods, depth + 1)
                if found is not None:
                    return found
        return file, None
    return None


def _callee(file: _File, func: ast.expr, mods: _Modules) -> tuple[_File, FunctionNode] | None:
    """The project function a call names: ``save``, ``store.save`` (``import store``, ``from lib import store``)
    or ``lib.store.save`` (``import lib.store``)."""
    if isinstance(func, ast.Name):
        found = _resolve(file, func.id, mods, 0)
        return (found[0], found[1]) if found is not None and found[1] is not None else None
    parts: list[str] = []
    cur: ast.expr = func
    while isinstance(cur, ast.Attribute):
        parts.append(cur.attr)
        cur = cur.value
    if not isinstance(cur, ast.Name) or cur.id not in file.imports:
        return None
    parts.reverse()
    module, level, original = file.imports[cur.id]
    if original:
        base = f"{module}.{original}" if module else original
    else:
        base = cur.id if module.split(".")[0] == cur.id else module
    target = mods.module(file, ".".join([base, *parts[:-1]]), level)
    if target is None or target is file:
        return None
    found = _resolve(target, parts[-1], mods, 1)
    return (found[0], found[1]) if found is not None and found[1] is not None else None


# --------------------------------------------------------------------------------------------- analysis


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def _last(node: ast.AST) -> str:
    return _dotted(node).rsplit(".", 1)[-1]


def _key(node: ast.AST) -> str | None:
    """The key a subscript/attribute/``.get()`` reads: ``r["messageId"]``, ``r.message_id``, ``r.get("x")``."""
    if isinstance(node, ast.Subscript):
        s = node.slice
        if isinstance(s, ast.Constant) and isinstance(s.value, str):
            return s.value
        return None
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        a = node.args[0]
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            return a.value
    return None


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _own_nodes(node: ast.AST, kids: dict[ast.AST, list[ast.AST]] | None = None) -> Iterator[ast.AST]:
    """Every node under ``node`` that belongs to the same function (not nested defs, lambdas or classes), in
    order; ``kids``: the children of each node, when known (``_File.kids``)."""
    got = kids.get(node) if kids is not None else None
    stack = list(got) if got is not None else _children(node)
    stack.reverse()
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, _NESTED):
            continue
        got = kids.get(n) if kids is not None else None
        stack.extend(reversed(got if got is not None else _children(n)))


def _is_records(node: ast.AST) -> bool:
    """``event["Records"]``, ``event.Records`` or ``event.get("Records", [])``."""
    return _key(node) == "Records"


def _walk_target(target: ast.AST) -> Iterator[ast.AST] | tuple[ast.AST]:
    """``ast.walk(target)``, but a plain name is only itself (its ``Load``/``Store`` marker is no name)."""
    return (target,) if isinstance(target, ast.Name) else ast.walk(target)


#: the nodes ``_scan`` reads (every other kind is passed over at once)
_SCANNED = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Call, ast.For, ast.AsyncFor, ast.comprehension,
                      ast.With, ast.NamedExpr})


def _scan(nodes: list[ast.AST]) -> tuple[dict[str, list[ast.expr]], set[str], set[str], list[ast.For | ast.AsyncFor]]:
    """One pass over a function's own nodes: the values each name is bound to (``...`` for a value not known:
    unpacked, augmented, a loop or ``with`` target), the names added to (``x.append()``, ``x[k] = v``), the
    names bound to ``event["Records"]`` itself (``records = event["Records"]``), and the ``for`` loops."""
    assigns: dict[str, list[ast.expr]] = {}
    mutated: set[str] = set()
    aliases: set[str] = set()
    loops: list[ast.For | ast.AsyncFor] = []
    for n in nodes:
        if n.__class__ not in _SCANNED:
            continue
        if isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Name):
                    assigns.setdefault(t.id, []).append(n.value)
                elif isinstance(t, (ast.Tuple, ast.List, ast.Starred)):
                    for sub in ast.walk(t):
                        if isinstance(sub, ast.Name):
                            assigns.setdefault(sub.id, []).append(ast.Constant(value=...))
                elif isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                    mutated.add(t.value.id)
            if len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and _is_records(n.value):
                aliases.add(n.targets[0].id)
        elif isinstance(n, (ast.AnnAssign, ast.AugAssign)):
            if isinstance(n.target, ast.Name):
                assigns.setdefault(n.target.id, []).append(
                    n.value if isinstance(n, ast.AnnAssign) and n.value is not None else ast.Constant(value=...)
                )
        elif isinstance(n, ast.Call):
            func = n.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in RECORDING_METHODS:
                mutated.add(func.value.id)
        elif isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension, ast.With, ast.NamedExpr)):
            if isinstance(n, (ast.For, ast.AsyncFor)):
                loops.append(n)
            targets: list[ast.expr | None] = [n.target] if not isinstance(n, ast.With) else [i.optional_vars for i in n.items]
            for bound in targets:
                for sub in _walk_target(bound) if bound is not None else ():
                    if isinstance(sub, ast.Name):
                        assigns.setdefault(sub.id, []).append(ast.Constant(value=...))
    return assigns, mutated, aliases, loops


#: the nodes a function's own nodes are read for (every other kind is passed over at once)
_ACTED_ON = frozenset({ast.Return, ast.ExceptHandler, ast.With, ast.AsyncWith, ast.Dict, ast.Call, ast.Subscript,
                       ast.Attribute, ast.Name})


class _Analyser:
    def __init__(self, file: _File, mods: _Modules, facts: HandlerFacts) -> None:
        self.file = file
        self.mods = mods
        self.facts = facts
        self.followed: set[int] = set()
        self.mutated: set[str] = set()  # names of the current function that are added to
        self.items: set[str] = set()  # names of the current function that hold the event or a record
        self.via: Span | None = None  # the handler's own call that led into the current helper
        #: the current helper is called from an except block that has already reported the failure
        self.after_report = False

    # ------------------------------------------------------------------------------------------ entry
    def run(self, fn: FunctionNode) -> None:
        for dec in fn.decorator_list:
            name = _last(dec)
            if name in POWERTOOLS_BATCH:
                self.facts.powertools_batch = self.file.span(dec)
                self._processor_kind(dec)
            if name not in TRANSPARENT_DECORATORS and name not in POWERTOOLS_BATCH:
                self.facts.wrapped = True
        self.function(self.file, fn, depth=0)

    def _processor_kind(self, node: ast.AST) -> None:
        """``SqsFifoPartialProcessor`` stops at the first failure; note which processor is used."""
        names = {_last(n) for n in ast.walk(node) if isinstance(n, (ast.Name, ast.Attribute))}
        for n in names:
            if n == "SqsFifoPartialProcessor":
                self.facts.powertools_fifo = True
            elif n in self.file.aliases:
                v = self.file.aliases[n]
                if isinstance(v, ast.Call) and _last(v.func) == "SqsFifoPartialProcessor":
                    self.facts.powertools_fifo = True

    # ------------------------------------------------------------------------------------- per function
    def function(self, file: _File, fn: FunctionNode, depth: int, call: ast.Call | None = None) -> None:
        if id(fn) in self.followed:
            return
        self.followed.add(id(fn))
        prev, prev_mutated, prev_items, prev_via = self.file, self.mutated, self.items, self.via
        if call is not None and self.via is None:
            self.via = self.file.span(call)
        if self.via is not None and file.display != self.facts.file:
            self.facts.called_from.setdefault(file.display, self.via)
        self.file = file
        try:
            self._function(fn, depth)
        finally:
            self.file, self.mutated, self.items, self.via = prev, prev_mutated, prev_items, prev_via

    def _function(self, fn: FunctionNode, depth: int) -> None:
        f = self.facts
        nodes = self.file.own(fn)
        assigns, self.mutated, aliases, loops = _scan(nodes)
        event = fn.args.args[0].arg if fn.args.args else None
        # what a call may take that makes it part of handling the batch: the event, the records, one record (and
        # in a helper, whatever it was given)
        params = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
        self.items = ({event} if event else set()) | aliases if depth == 0 else params
        for loop in loops:
            if depth > 0 or self._iterates_batch(loop.iter, aliases):
                self.items |= {t.id for t in _walk_target(loop.target) if isinstance(t, ast.Name)}
        has_return = False
        for n in nodes:
            if n.__class__ not in _ACTED_ON:
                continue
            if isinstance(n, ast.Return):
                has_return = True
                self._return(n, assigns, fn, depth, event)
            elif isinstance(n, ast.ExceptHandler):
                self._except(n, fn, assigns, aliases)
            elif isinstance(n, (ast.With, ast.AsyncWith)):
                self._suppress(n, fn, aliases)
            elif isinstance(n, ast.Dict):
                for k, v in zip(n.keys, n.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value == "itemIdentifier":
                        self._item_id(v, assigns, k)
                    if isinstance(k, ast.Constant) and k.value == "batchItemFailures" and f.batch_failures_span is None:
                        f.batch_failures_span = self.file.span(n)
            elif isinstance(n, ast.Call):
                self._call(n, fn, depth, event)
            if isinstance(n, (ast.Subscript, ast.Attribute, ast.Call)) and _is_records(n):
                self._records_use(n, aliases)
            elif isinstance(n, ast.Name) and n.id in aliases and isinstance(n.ctx, ast.Load):
                self._records_use(n, aliases)
        if depth == 0 and not has_return:
            f.falls_through = self.file.span(fn)

    # ------------------------------------------------------------------------------------------ returns
    def _return(self, n: ast.Return, assigns: dict[str, list[ast.expr]], fn: FunctionNode, depth: int,
                event: str | None) -> None:
        f = self.facts
        in_catch = self._in_broad_except(n, fn)
        value = n.value
        span = self.file.span(n)
        if value is None or isinstance(value, ast.Constant) and value.value is None:
            f.returns.append(ReturnFact(span, "none", in_catch=in_catch))
            return
        if isinstance(value, (ast.Await)):
            value = value.value
        if isinstance(value, ast.Call):
            name = _last(value.func)
            if name in POWERTOOLS_BATCH:
                f.powertools_batch = f.powertools_batch or self.file.span(value)
                self._processor_kind(value)
                return
            if name == "response" and self._is_processor(value.func):  # processor.response()
                f.powertools_batch = f.powertools_batch or self.file.span(value)
                self._processor_kind(value)
                return
            if name == "dict" and not value.args:
                self._dict_return(span, {kw.arg: kw.value for kw in value.keywords if kw.arg}, any(
                    kw.arg is None for kw in value.keywords), assigns, in_catch, None)
                return
            if name in ("dumps", "str", "format") or isinstance(value.func, ast.Attribute) and name == "format":
                f.returns.append(ReturnFact(span, "string", in_catch=in_catch))
                return
            if depth < MAX_FOLLOW_DEPTH and self._follow(value, fn, event, depth):
                return
            f.opaque_returns = True
            return
        if isinstance(value, ast.Dict):
            keys: dict[str, ast.expr] = {}
            spread = False
            for k, v in zip(value.keys, value.values, strict=True):
                if k is None:
                    spread = True
                elif isinstance(k, ast.Constant) and isinstance(k.value, str):
                    keys[k.value] = v
                else:
                    spread = True
            self._dict_return(span, keys, spread, assigns, in_catch, None)
            return
        if isinstance(value, ast.Name):
            resolved = self._resolve_dict_var(value.id, assigns, fn)
            if resolved is None:
                f.opaque_returns = True
            else:
                keys, spread = resolved
                self._dict_return(span, keys, spread, assigns, in_catch, value.id)
            return
        if isinstance(value, (ast.JoinedStr,)) or isinstance(value, ast.Constant) and isinstance(value.value, str):
            f.returns.append(ReturnFact(span, "string", in_catch=in_catch))
            return
        if isinstance(value, (ast.Constant, ast.List, ast.Tuple, ast.ListComp)):
            f.returns.append(ReturnFact(span, "other", in_catch=in_catch))
            return
        f.opaque_returns = True

    def _resolve_dict_var(self, name: str, assigns: dict[str, list[ast.expr]],
                          fn: FunctionNode) -> tuple[dict[str, ast.expr], bool] | None:
        """A returned variable whose every assignment is a dict literal: its keys (plus ``x["k"] = v`` writes)."""
        values = assigns.get(name)
        if not values:
            return None
        keys: dict[str, ast.expr] = {}
        spread = False
        for v in values:
            if isinstance(v, ast.Dict):
                for k, val in zip(v.keys, v.values, strict=True):
                    if isinstance(k, ast.Constant) and isinstance(k.value, str):
                        keys[k.value] = val
                    else:
                        spread = True
            elif isinstance(v, ast.Call) and _last(v.func) == "dict" and not v.args:
                for kw in v.keywords:
                    if kw.arg:
                        keys[kw.arg] = kw.value
                    else:
                        spread = True
            else:
                return None
        for n in self.file.own(fn):
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name:
                        s = t.slice
                        if isinstance(s, ast.Constant) and isinstance(s.value, str):
                            keys[s.value] = n.value
                        else:
                            spread = True
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(
                n.func.value, ast.Name
            ) and n.func.value.id == name and n.func.attr in ("update", "setdefault"):
                spread = True
        return keys, spread

    def _dict_return(self, span: Span, keys: dict[str, ast.expr], spread: bool,
                     assigns: dict[str, list[ast.expr]], in_catch: bool, var: str | None) -> None:
        f = self.facts
        codes: list[int | None] = []
        if "statusCode" in keys:
            codes.append(_status_value(keys["statusCode"], assigns))
        body: BodyKind = _body_kind(keys.get("body"), assigns) if "body" in keys else ("unknown" if spread else "missing")
        empty = False
        if "batchItemFailures" in keys:
            if f.batch_failures_span is None:
                f.batch_failures_span = span
            empty = self._certainly_empty(keys["batchItemFailures"], assigns)
        if spread and not keys.keys() & {"statusCode", "batchItemFailures"}:
            f.opaque_returns = True
            return
        f.returns.append(ReturnFact(span, "dict", frozenset(keys) | ({"..."} if spread else set()),
                                    tuple(codes), body, empty, in_catch))

    def _certainly_empty(self, value: ast.expr, assigns: dict[str, list[ast.expr]]) -> bool:
        """``[]``, or a name only ever bound to ``[]`` and never added to."""
        if isinstance(value, (ast.List, ast.Tuple)) and not value.elts:
            return True
        if isinstance(value, ast.Name) and value.id not in self.mutated:
            vals = assigns.get(value.id)
            return bool(vals) and all(isinstance(v, ast.List) and not v.elts for v in vals or ())
        return False

    def _follow(self, call: ast.Call, fn: FunctionNode, event: str | None, depth: int) -> bool:
        """``return helper(event, context)``: read the helper (this module or another of the project) as the
        handler."""
        passes_event = event is not None and any(
            isinstance(a, ast.Name) and a.id == event for a in list(call.args) + [k.value for k in call.keywords]
        )
        if not passes_event:
            return False
        found = _callee(self.file, call.func, self.mods)
        if found is None:
            return False
        self.function(found[0], found[1], depth + 1, call)
        return True

    def _call(self, n: ast.Call, fn: FunctionNode, depth: int, event: str | None) -> None:
        f = self.facts
        name = _last(n.func)
        if name in POWERTOOLS_BATCH or name == "response" and self._is_processor(n.func):
            f.powertools_batch = f.powertools_batch or self.file.span(n)
            self._processor_kind(n)
        if name == "SqsFifoPartialProcessor":
            f.powertools_fifo = True
        args = [*n.args, *(k.value for k in n.keywords)]
        passes_event = event is not None and any(isinstance(a, ast.Name) and a.id == event for a in args)
        found = _callee(self.file, n.func, self.mods) if passes_event or self.items else None
        if passes_event and not _harmless(n.func) and found is None:
            f.iterates_records = True  # the whole event goes where we cannot follow: it may be iterated there
        # a statement ``helper(event)`` or ``helper(record)`` (not returned): its catches and record handling
        # are the handler's, whatever module it is in
        parent = self.file.parents.get(n)
        if isinstance(parent, ast.Await):
            parent = self.file.parents.get(parent)
        if depth < MAX_FOLLOW_DEPTH and isinstance(parent, ast.Expr) and found is not None and any(
            isinstance(a, ast.Name) and a.id in self.items for a in args
        ):
            saved = list(f.returns), f.opaque_returns, f.falls_through
            after = self.after_report
            self.after_report = after or self._follows_report(n, fn, stops=False)
            try:
                self.function(found[0], found[1], depth + 1, n)
            finally:
                self.after_report = after
            f.returns, f.opaque_returns, f.falls_through = saved  # its returns are not the handler's

    def _is_processor(self, func: ast.expr) -> bool:
        """``processor.response()`` where ``processor`` is a Powertools batch processor of this module."""
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return False
        v = self.file.aliases.get(func.value.id)
        return isinstance(v, ast.Call) and _last(v.func) in POWERTOOLS_PROCESSORS

    # ----------------------------------------------------------------------------------------- excepts
    def _in_broad_except(self, node: ast.AST, fn: FunctionNode) -> bool:
        cur = self.file.parents.get(node)
        while cur is not None and cur is not fn:
            if isinstance(cur, ast.ExceptHandler) and _broad(cur) is not None:
                return True
            cur = self.file.parents.get(cur)
        return False

    def _except(self, h: ast.ExceptHandler, fn: FunctionNode, assigns: dict[str, list[ast.expr]],
                aliases: set[str]) -> None:
        label = _broad(h)
        if label is None:
            return
        body = [n for stmt in h.body for n in [stmt, *self.file.own(stmt)]]
        reraises = False
        records = False
        returns_empty = False
        returns_value = False
        stops = False
        assigned: set[str] = set()
        for n in body:
            if isinstance(n, ast.Raise):
                reraises = True
            elif isinstance(n, ast.Call):
                d = _dotted(n.func)
                parts = tuple(d.split(".")[-2:])
                if parts in EXIT_CALLS or d in ("exit", "quit"):
                    reraises = True
                elif isinstance(n.func, ast.Attribute) and n.func.attr in RECORDING_METHODS:
                    records = True
                elif isinstance(n.func, ast.Name) and self._raises(n.func.id):
                    reraises = True
            elif isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        assigned.add(t.id)
                    else:  # ``self.failed = True``, ``result["error"] = ...``: state that outlives the block
                        records = True
            elif isinstance(n, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value == "itemIdentifier" for k in n.keys
            ):
                records = True
            elif isinstance(n, ast.Return):
                stops = True
                if n.value is not None and not (isinstance(n.value, ast.Constant) and n.value.value is None):
                    returns_value = True
                if self._returns_empty_failures(n, assigns, fn):
                    returns_empty = True
                elif self._returns_failures(n):
                    records = True
            elif isinstance(n, ast.Break):
                stops = True
        if reraises:
            stops = True
        if assigned and not records:  # a name set here counts when it is read after the block (a flag)
            records = any(
                isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in assigned and not self._within(n, h)
                for n in self.file.own(fn)
            )
        loop = self._records_loop(h, fn, aliases)
        flag = False
        if loop is not None and assigned:
            for n in self.file.own(loop):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in assigned and not self._within(
                    n, h
                ):
                    flag = True
                    break
        self.facts.catches.append(CatchFact(
            self.file.span(h), reraises, records, returns_empty, returns_value, loop is not None, stops, flag,
            label, self.after_report or self._follows_report(h, fn, stops),
        ))

    def _follows_report(self, h: ast.ExceptHandler | ast.Call, fn: FunctionNode, stops: bool) -> bool:
        """Whether ``h`` sits, at any depth, in an except block that reports the failure itself: re-raises,
        adds to a list or builds an ``itemIdentifier``. A report after ``h`` counts only when ``h`` does not
        return or break past it."""
        at = (h.lineno, h.col_offset)
        cur = self.file.parents.get(h)
        while cur is not None and cur is not fn:
            if isinstance(cur, ast.ExceptHandler):
                for n in self._block_nodes(cur):
                    if (not stops or (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)) < at) and self._reports(n):
                        return True
            cur = self.file.parents.get(cur)
        return False

    def _block_nodes(self, h: ast.ExceptHandler) -> Iterator[ast.AST]:
        """The nodes of an except block that run on its way through: not those of except blocks nested in it
        (they run only on another error), nor of nested functions."""
        stack: list[ast.AST] = list(reversed(h.body))
        while stack:
            n = stack.pop()
            yield n
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ExceptHandler)):
                continue
            stack.extend(c for c in reversed(_children(n)) if not isinstance(c, ast.ExceptHandler))

    def _reports(self, n: ast.AST) -> bool:
        if isinstance(n, ast.Raise):
            return True
        if isinstance(n, ast.Call):
            d = _dotted(n.func)
            if tuple(d.split(".")[-2:]) in EXIT_CALLS:
                return True
            if isinstance(n.func, ast.Attribute) and n.func.attr in RECORDING_METHODS:
                return True
            return isinstance(n.func, ast.Name) and self._raises(n.func.id)
        if isinstance(n, ast.Dict):
            return any(isinstance(k, ast.Constant) and k.value == "itemIdentifier" for k in n.keys)
        return False

    def _suppress(self, w: ast.With | ast.AsyncWith, fn: FunctionNode, aliases: set[str]) -> None:
        """``with contextlib.suppress(Exception):`` swallows like a bare ``except Exception: pass``."""
        for item in w.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and _last(call.func) == "suppress":
                broad = [a for a in call.args if _last(a) in BROAD]
                if broad:
                    loop = self._records_loop(w, fn, aliases)
                    self.facts.catches.append(CatchFact(
                        self.file.span(w), False, False, in_records_loop=loop is not None,
                        label=f"suppress({_last(broad[0])})",
                    ))

    def _within(self, node: ast.AST, ancestor: ast.AST) -> bool:
        cur = self.file.parents.get(node)
        while cur is not None:
            if cur is ancestor:
                return True
            cur = self.file.parents.get(cur)
        return False

    def _raises(self, name: str) -> bool:
        fn = self.file.functions.get(name)
        return fn is not None and any(isinstance(n, ast.Raise) for n in self.file.own(fn))

    def _returns_failures(self, n: ast.Return) -> bool:
        v = n.value
        return isinstance(v, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value == "batchItemFailures" for k in v.keys
        )

    def _returns_empty_failures(self, n: ast.Return, assigns: dict[str, list[ast.expr]], fn: FunctionNode) -> bool:
        v = n.value
        if isinstance(v, ast.Name):
            resolved = self._resolve_dict_var(v.id, assigns, fn)
            if resolved is None:
                return False
            keys = resolved[0]
        elif isinstance(v, ast.Dict):
            keys = {k.value: val for k, val in zip(v.keys, v.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        else:
            return False
        val = keys.get("batchItemFailures")
        return val is not None and self._certainly_empty(val, assigns)

    def _records_loop(self, node: ast.AST, fn: FunctionNode, aliases: set[str]) -> ast.AST | None:
        """The ``for`` over the batch that ``node`` is in, if any."""
        cur = self.file.parents.get(node)
        while cur is not None and cur is not fn:
            if isinstance(cur, (ast.For, ast.AsyncFor)) and self._iterates_batch(cur.iter, aliases):
                return cur
            cur = self.file.parents.get(cur)
        return None

    def _iterates_batch(self, it: ast.AST, aliases: set[str]) -> bool:
        for n in ast.walk(it):
            if _is_records(n) or isinstance(n, ast.Name) and (n.id in aliases or n.id in ("records", "messages")):
                return True
        return False

    # ----------------------------------------------------------------------------------------- records
    def _records_use(self, n: ast.AST, aliases: set[str]) -> None:
        parent = self.file.parents.get(n)
        if isinstance(parent, ast.Subscript) and parent.value is n:
            s = parent.slice
            if isinstance(s, ast.Constant) and isinstance(s.value, int):
                self.facts.first_record_reads.append(self.file.span(parent))
                return
            self.facts.iterates_records = True
            return
        if isinstance(parent, ast.Assign) and parent.value is n:
            t = parent.targets[0]
            if isinstance(t, ast.Name) and t.id in aliases:
                return  # the alias itself: its uses decide
            if isinstance(t, (ast.Tuple, ast.List)) and len(t.elts) == 1:
                self.facts.first_record_reads.append(self.file.span(parent))
                return
        if isinstance(parent, ast.Call) and _last(parent.func) == "len":
            return
        if isinstance(parent, ast.Compare) or isinstance(parent, (ast.If, ast.UnaryOp, ast.BoolOp)):
            return  # ``if event.get("Records")``: a test, not a read of records
        self.facts.iterates_records = True

    # -------------------------------------------------------------------------------------- identifiers
    def _item_id(self, value: ast.expr, assigns: dict[str, list[ast.expr]], key: ast.AST) -> None:
        src = _id_source(value, assigns, 0)
        self.facts.item_ids.append(ItemIdFact(self.file.span(key), src, ast.unparse(value)[:60]))


LOGGING_ROOTS = {"logger", "logging", "log", "LOGGER", "LOG", "_logger", "metrics", "tracer"}
LOGGING_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "append_keys"}


def _harmless(func: ast.expr) -> bool:
    """Calls that take the event without iterating its records: printing, logging, serialising."""
    d = _dotted(func)
    if d in ("print", "repr", "str", "len", "json.dumps", "dumps", "pprint", "type", "isinstance", "bool", "dict"):
        return True
    head, _, last = d.partition(".")
    return head in LOGGING_ROOTS or d.rsplit(".", 1)[-1] in LOGGING_METHODS


def _broad(h: ast.ExceptHandler) -> str | None:
    """``except``, ``except Exception``, ``except (ValueError, Exception)``...: the label, or None when narrow."""
    if h.type is None:
        return "bare except"
    types = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
    for t in types:
        name = _last(t)
        if name in BROAD:
            return f"except {name}"
    return None


def _status_value(node: ast.expr, assigns: dict[str, list[ast.expr]]) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isdigit():
        return int(node.value)
    d = _dotted(node)
    if d.startswith(("HTTPStatus.", "http.HTTPStatus.")):
        from http import HTTPStatus

        member = d.split("HTTPStatus.", 1)[1].removesuffix(".value")
        try:
            return int(HTTPStatus[member])
        except KeyError:
            return None
    if isinstance(node, ast.Name):
        vals = assigns.get(node.id, [])
        if len(vals) == 1 and vals[0] is not node:
            return _status_value(vals[0], {})
    return None


def _body_kind(node: ast.expr | None, assigns: dict[str, list[ast.expr]], depth: int = 0) -> BodyKind:
    if node is None:
        return "missing"
    if isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _body_kind(node.left, {}, 1) == "string":
        return "string"
    if isinstance(node, ast.Call):
        name = _last(node.func)
        if name in ("dumps", "str", "format", "b64encode_str", "decode", "join", "to_json", "model_dump_json",
                    "json", "upper", "lower", "strip"):
            return "string"
        return "unknown"
    if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.DictComp, ast.ListComp, ast.Set)):
        return "nonstring"
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)):
        return "nonstring"
    if isinstance(node, ast.Name) and depth < 2:
        vals = assigns.get(node.id, [])
        kinds = {_body_kind(v, assigns, depth + 1) for v in vals}
        if len(kinds) == 1:
            return kinds.pop()
    return "unknown"


def _id_source(node: ast.expr, assigns: dict[str, list[ast.expr]], depth: int) -> IdSource:
    if isinstance(node, ast.Constant):
        if node.value is None or node.value == "":
            return "empty"
        return "other" if isinstance(node.value, str) else "unknown"
    if isinstance(node, ast.Call) and _last(node.func) == "str" and len(node.args) == 1:
        return _id_source(node.args[0], assigns, depth)
    key = _key(node)
    if key is not None:
        if key in MESSAGE_ID_KEYS:
            return "messageId"
        if key in SEQUENCE_KEYS:
            return "sequenceNumber"
        return "other"
    if isinstance(node, ast.Name) and depth < 2:
        vals = assigns.get(node.id, [])
        if len(vals) == 1:
            v = vals[0]
            if isinstance(v, ast.Constant) and v.value is ...:
                return "unknown"
            return _id_source(v, assigns, depth + 1)
    return "unknown"
