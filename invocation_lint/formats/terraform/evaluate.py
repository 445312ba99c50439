"""Evaluate a Terraform configuration as far as it can be known without running Terraform.

A module directory becomes a ``ModuleDef`` (its blocks, from every ``.tf``/``.tf.json`` file); a
``ModuleInstance`` is a ``ModuleDef`` with its inputs, at an address (``module.worker.``). Every value is
computed lazily and memoised: a resource attribute is evaluated when the model builder reads it or another
expression refers to it, so a 500-resource module evaluates only what the rules read.

Values are plain Python values, located containers (``LDict``/``LList``, so nested values keep their lines),
``Unknown`` (Terraform would only know it after apply, or a variable has no default), or ``Ref``: "attribute
``arn`` of resource instance ``aws_sqs_queue.orders``". A ``Ref`` is what links resources in the model; it also
carries the attribute's configured value when the configuration sets one (``name``, ``timeout``), so
arithmetic and string templates over configured values still work. ``jsonencode(...)`` yields ``Encoded`` so
a policy or redrive policy written as ``jsonencode({...})`` keeps its references and lines.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from ...files import read_limited, refusal
from ...model import Unknown
from ...source import InputError, LDict, LList, Span
from ..parse import MAX_BYTES, decode, parse_json
from .syntax import (
    Attr,
    BinOp,
    Block,
    Body,
    Call,
    Cond,
    Expr,
    ForE,
    GetAttr,
    Index,
    Lit,
    ObjectE,
    Splat,
    Tmpl,
    TupleE,
    UnOp,
    Unsupported,
    Var,
    json_body,
    parse_hcl,
    parse_template,
    parse_tf_json,
)


class Ref:
    """An attribute of a resource (or data source) instance of this configuration."""

    __slots__ = ("address", "type", "attr", "value")

    def __init__(self, address: str, type_: str, attr: str, value: Any = None) -> None:
        self.address, self.type, self.attr, self.value = address, type_, attr, value

    def __repr__(self) -> str:
        v = f" = {self.value!r}" if self.value is not None else ""
        return f"Ref({self.address}.{self.attr}{v})"


class Encoded:
    """The result of ``jsonencode(value)``: the value itself, so references inside it stay references."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Encoded({self.value!r})"


class TemplateUnknown(Unknown):
    """A string template over values known only after apply (``"arn:${aws_sqs_queue.q.arn}/x"``).

    Unknown to every rule; the model builder may still read it where a document is expected (a heredoc IAM
    policy naming ``${aws_sqs_queue.q.arn}``): ``text`` holds the template with each such reference written
    as ``${address.attr}`` and ``refs`` maps those placeholders back to their ``Ref``.
    """

    __slots__ = ("text", "refs")

    def __init__(self, text: str, refs: dict[str, Ref]) -> None:
        super().__init__("a string built from values known only after apply")
        self.text, self.refs = text, refs


class _Fail(Exception):
    """An evaluation error Terraform would report (``try``/``can`` catch it); elsewhere it becomes Unknown."""


#: bounds on the work one configuration can ask for: instances of one resource or module call (count,
#: for_each), items of one collection built by ``range`` or a ``for`` expression, and ``for`` iterations in the
#: evaluation of one expression (with everything it refers to). Past them the value is unknown, said with -v,
#: and the rest of the module is still checked.
MAX_INSTANCES = 1000
MAX_COLLECTION = 10_000
MAX_STEPS = 200_000
_work = [0, 0]  # [evaluate() calls in progress, for iterations since the outermost one began]


def _instance_keys(n: Any, address: str) -> list[tuple[Any, Any]] | Unknown:
    """``count = n`` as instance keys, or why it gives none that can be checked."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        return n if isinstance(n, Unknown) and _is_limit(n) else Unknown(f"the count of {address} is not known statically")
    if not 0 <= n <= MAX_INSTANCES:  # also NaN and infinity (count = 1.0e400)
        return Unknown(f"the count of {address} is {n:g}, more than the {MAX_INSTANCES} instances checked"
                       if n > MAX_INSTANCES else f"the count of {address} is {n:g}, not a valid count")
    return [(i, None) for i in range(int(n))]


def _is_limit(u: Unknown) -> bool:
    return "more than the" in str(getattr(u, "reason", ""))


def deref(v: Any) -> Any:
    """The plain value behind a ``Ref`` (its configured value), else the value itself."""
    if isinstance(v, Ref):
        return v.value if v.value is not None else Unknown(f"{v.address}.{v.attr} is known only after apply")
    return v


def fully_known(v: Any) -> bool:
    v = deref(v)
    if isinstance(v, Unknown):
        return False
    if isinstance(v, Encoded):
        return fully_known(v.value)
    if isinstance(v, dict):
        return all(fully_known(x) for x in v.values())
    if isinstance(v, list):
        return all(fully_known(x) for x in v)
    return True


def to_plain(v: Any) -> Any:
    """A fully known value as plain JSON-able Python (for templates and ``jsonencode`` in strings)."""
    v = deref(v)
    if isinstance(v, Encoded):
        return json.dumps(to_plain(v.value), separators=(",", ":"))
    if isinstance(v, dict):
        return {k: to_plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    return v


def to_str(v: Any) -> str | Unknown:
    v = deref(v)
    if isinstance(v, Unknown):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float, str)):
        return str(v)
    if isinstance(v, Encoded):
        return to_str(to_plain(v)) if fully_known(v) else Unknown("jsonencode of a value known only after apply")
    if v is None:
        return Unknown("null in a string template")
    return Unknown("a collection in a string template")


# --------------------------------------------------------------------------------------------- module source


class ModuleDef:
    """The blocks of one module directory."""

    def __init__(self, abs_dir: str, display_dir: str) -> None:
        self.abs_dir = abs_dir
        self.display_dir = display_dir
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, tuple[Attr, str]] = {}
        self.resources: list[Block] = []
        self.data: list[Block] = []
        self.modules: list[Block] = []
        self.outputs: dict[str, Block] = {}
        self.files: list[str] = []
        #: syntax errors of blocks that were not read (the rest of their files was)
        self.errors: list[InputError] = []
        self.tfvars: dict[str, tuple[Any, Span]] = {}
        #: the text of each ``.tf``/``.tf.json`` file read, by the path it was read from, and whether it began
        #: with a byte order mark (``decode`` removes it)
        self.sources: dict[str, tuple[str, bool]] = {}

    def add(self, body: Body, file: str) -> None:
        self.files.append(file)
        for blk in body.blocks:
            if blk.type == "resource" and len(blk.labels) == 2:
                self.resources.append(blk)
            elif blk.type == "data" and len(blk.labels) == 2:
                self.data.append(blk)
            elif blk.type == "module" and len(blk.labels) == 1:
                self.modules.append(blk)
            elif blk.type == "variable" and len(blk.labels) == 1:
                self.variables[blk.labels[0]] = blk
            elif blk.type == "output" and len(blk.labels) == 1:
                self.outputs[blk.labels[0]] = blk
            elif blk.type == "locals":
                for name, attr in blk.body.attrs.items():
                    self.locals[name] = (attr, blk.file)


def read_module_dir(abs_dir: str, display_dir: str, root: bool, base_dir: str | None = None,
                    notes: list[str] | None = None) -> ModuleDef:
    """Parse every ``.tf`` and ``.tf.json`` file of a directory (sorted, as Terraform reads them).

    A symlink leaving ``base_dir`` (the project root) or a special file (FIFO, device) is skipped with a note."""
    def readable(full: str, shown: str) -> bool:
        why = refusal(full, base_dir)
        if why is None:
            return True
        if notes is not None and os.path.lexists(full):
            notes.append(f"{shown}: {why}")
        return False

    try:
        names = sorted(os.listdir(abs_dir))
    except OSError as exc:
        raise InputError(display_dir, f"cannot read directory: {exc.strerror or exc}") from None
    mdef = ModuleDef(abs_dir, display_dir)
    found = False
    overrides: list[Body] = []
    for name in names:
        is_tf = name.endswith(".tf")
        is_json = name.endswith(".tf.json")
        if not (is_tf or is_json):
            continue
        full = os.path.join(abs_dir, name)
        shown = os.path.join(display_dir, name)
        if not readable(full, shown):
            continue
        found = True
        text, bom = _read_source(full, shown, base_dir)
        if not text.strip():
            continue
        mdef.sources[full] = (text, bom)
        if is_tf:
            body = parse_hcl(text, shown)
            mdef.errors.extend(body.errors)
        else:
            body = parse_tf_json(parse_json(text, shown), shown)
        if name.endswith(("_override.tf", "_override.tf.json")) or name in ("override.tf", "override.tf.json"):
            overrides.append(body)
        else:
            mdef.add(body, shown)
    for body in overrides:  # after every other file, in name order, as Terraform merges them
        _merge_override(mdef, body)
    if root:  # terraform.tfvars(.json), then *.auto.tfvars(.json) in name order: later files win
        tfvars: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
        tfvars += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        for name in tfvars:
            full = os.path.join(abs_dir, name)
            shown = os.path.join(display_dir, name)
            if not readable(full, shown):
                continue
            text = _read_text(full, shown, base_dir)
            if not text.strip():
                continue
            if name.endswith(".json"):
                doc = parse_json(text, shown)
                if not isinstance(doc, dict):
                    raise InputError(shown, "a .tfvars.json file must hold a JSON object")
                body = json_body(doc, shown)
            else:
                body = parse_hcl(text, shown)
                mdef.errors.extend(body.errors)
            for attr in body.attrs.values():
                mdef.tfvars[attr.name] = (attr.expr, Span(shown, attr.line))
    if not found and not root:
        raise InputError(display_dir, "module directory holds no .tf or .tf.json file")
    return mdef


def _merge_override(mdef: ModuleDef, body: Body) -> None:
    """An override file's blocks replace, attribute by attribute and nested block type by type, the blocks they
    name (Terraform's override files); a block that names nothing is ignored, as Terraform rejects it."""
    def merge(target: Block, over: Block) -> None:
        target.body.attrs.update({k: Attr(a.name, a.expr, a.line, over.file) for k, a in over.body.attrs.items()})
        types = {b.type for b in over.body.blocks}
        if types:
            target.body.blocks = [b for b in target.body.blocks if b.type not in types] + list(over.body.blocks)

    for blk in body.blocks:
        if blk.type in ("resource", "data"):
            pool = mdef.resources if blk.type == "resource" else mdef.data
            for target in pool:
                if target.labels == blk.labels:
                    merge(target, blk)
        elif blk.type == "module":
            for target in mdef.modules:
                if target.labels == blk.labels:
                    merge(target, blk)
        elif blk.type == "variable" and blk.labels and blk.labels[0] in mdef.variables:
            merge(mdef.variables[blk.labels[0]], blk)
        elif blk.type == "output" and blk.labels and blk.labels[0] in mdef.outputs:
            merge(mdef.outputs[blk.labels[0]], blk)
        elif blk.type == "locals":
            for name, attr in blk.body.attrs.items():
                if name in mdef.locals:
                    mdef.locals[name] = (attr, blk.file)


#: tree-sitter-hcl parses a few MB a second; the evaluator's tree walk is the slower part
MAX_HCL_BYTES = 8 * 1024 * 1024


def _read_text(full: str, shown: str, base_dir: str | None = None) -> str:
    return _read_source(full, shown, base_dir)[0]


def _read_source(full: str, shown: str, base_dir: str | None = None) -> tuple[str, bool]:
    """A file's text ("" when it holds only white space), and whether it began with a byte order mark."""
    hcl = full.endswith((".tf", ".tfvars"))
    data = read_limited(full, shown, MAX_HCL_BYTES if hcl else MAX_BYTES, base_dir,
                        ".tf files" if full.endswith(".tf") else ".tfvars files" if hcl else "files")
    if not data.strip():
        return "", False
    return decode(data, shown), data.startswith(b"\xef\xbb\xbf")


# ----------------------------------------------------------------------------------------------- instances


class Scope:
    """Where an expression is evaluated: a module instance, the file its text is in, and bound names."""

    __slots__ = ("module", "file", "names")

    def __init__(self, module: ModuleInstance, file: str, names: dict[str, Any] | None = None) -> None:
        self.module, self.file, self.names = module, file, names or {}

    def bind(self, **names: Any) -> Scope:
        return Scope(self.module, self.file, {**self.names, **names})

    def in_file(self, file: str) -> Scope:
        return Scope(self.module, file, self.names)


_BUSY = object()


def _key_text(key: Any) -> str:
    return f"[{key}]" if isinstance(key, int) else f'["{key}"]'


class ResourceInstance:
    """One instance of a resource or data block (one per ``count`` index / ``for_each`` key)."""

    def __init__(self, decl: ResourceDecl, key: Any, each_value: Any) -> None:
        self.decl = decl
        self.key = key
        self.address = decl.address + ("" if key is None else _key_text(key))
        names: dict[str, Any] = {}
        if decl.has_count:
            names["count"] = {"index": key}
        if decl.has_for_each:
            names["each"] = {"key": key, "value": each_value}
        self.scope = Scope(decl.module, decl.block.file, names)
        self._attrs: dict[str, Any] = {}
        self._values: LDict | None = None

    @property
    def type(self) -> str:
        return self.decl.type

    @property
    def span(self) -> Span:
        return Span(self.decl.block.file, self.decl.block.line, 1, self.decl.block.end_line)

    def attr_value(self, name: str) -> Any:
        """The configured value of one top-level attribute (``None`` when not set)."""
        got = self._attrs.get(name)
        if got is _BUSY:
            return Unknown(f"{self.address}.{name} refers to itself")
        if name in self._attrs:
            return got
        attr = self.decl.block.body.attrs.get(name)
        if attr is None:
            return None
        self._attrs[name] = _BUSY
        value = evaluate(attr.expr, self.scope.in_file(attr.file) if attr.file else self.scope)
        self._attrs[name] = value
        return value

    def ref(self, name: str) -> Any:
        """What ``<address>.<name>`` means in an expression."""
        body = self.decl.block.body
        if name not in body.attrs and any(b.type == name for b in body.blocks):
            return self.values().get(name)
        return Ref(self.address, self.decl.kind_type, name, self.attr_value(name))

    def values(self) -> LDict:
        """Every attribute and nested block, evaluated and located (blocks as lists of located dicts)."""
        if self._values is None:
            self._values = eval_body(self.decl.block.body, self.scope, self.span, self, skip=META_ARGS)
        return self._values


META_ARGS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"})


class ResourceDecl:
    """A ``resource`` or ``data`` block of a module instance, with its instances."""

    def __init__(self, module: ModuleInstance, block: Block, data: bool) -> None:
        self.module = module
        self.block = block
        self.data = data
        self.type, self.name = block.labels
        self.kind_type = ("data." if data else "") + self.type
        self.address = module.prefix + ("data." if data else "") + f"{self.type}.{self.name}"
        self.has_count = "count" in block.body.attrs
        self.has_for_each = "for_each" in block.body.attrs
        self._instances: list[ResourceInstance] | Unknown | None = None

    def instances(self) -> list[ResourceInstance] | Unknown:
        if self._instances is None:
            self._instances = []
            scope = Scope(self.module, self.block.file)
            if self.has_count:
                keys = _instance_keys(deref(evaluate(self.block.body.attrs["count"].expr, scope)), self.address)
                if isinstance(keys, Unknown):
                    self._instances = keys
                else:
                    self._instances = [ResourceInstance(self, i, None) for i, _ in keys]
            elif self.has_for_each:
                items = for_each_items(evaluate(self.block.body.attrs["for_each"].expr, scope))
                if isinstance(items, Unknown):
                    self._instances = items if _is_limit(items) else Unknown(
                        f"the for_each keys of {self.address} are not known statically")
                else:
                    self._instances = [ResourceInstance(self, k, v) for k, v in items]
            else:
                self._instances = [ResourceInstance(self, None, None)]
        return self._instances

    def as_value(self) -> Any:
        """``aws_sqs_queue.q``: the instance, or the list/map of instances under count/for_each."""
        insts = self.instances()
        if isinstance(insts, Unknown):
            return insts
        if self.has_count:
            return LList(insts)
        if self.has_for_each:
            return LDict({i.key: i for i in insts})
        return insts[0] if insts else Unknown(f"{self.address} has no instance")


def for_each_items(v: Any) -> list[tuple[Any, Any]] | Unknown:
    v = deref(v)
    if isinstance(v, Unknown):
        return v
    if isinstance(v, (dict, list)) and len(v) > MAX_INSTANCES:
        return Unknown(f"for_each over {len(v)} items, more than the {MAX_INSTANCES} instances checked")
    if isinstance(v, dict):
        out = []
        for k in sorted(v, key=str):
            kk = deref(k)
            if isinstance(kk, Unknown):
                return kk
            out.append((str(kk), v[k]))
        return out
    if isinstance(v, list):
        keys = []
        for x in v:
            x = deref(x)
            if not isinstance(x, (str, int, float)) or isinstance(x, bool):
                return Unknown("for_each over a set with values not known statically")
            keys.append(str(x))
        return [(k, k) for k in sorted(set(keys))]
    return Unknown("for_each over a value that is not a map or set")


class ModuleCall:
    """A ``module`` block of a module instance: a local child module, a modelled registry module, or opaque."""

    def __init__(self, parent: ModuleInstance, block: Block) -> None:
        self.parent = parent
        self.block = block
        self.name = block.labels[0]
        self.address = f"{parent.prefix}module.{self.name}"
        src = block.body.attrs.get("source")
        self.source = src.expr.value if src is not None and isinstance(src.expr, Lit) else None
        self._instances: list[Any] | Unknown | None = None
        self.has_count = "count" in block.body.attrs
        self.has_for_each = "for_each" in block.body.attrs

    @property
    def span(self) -> Span:
        return Span(self.block.file, self.block.line, 1, self.block.end_line)

    def instances(self) -> list[Any] | Unknown:
        if self._instances is not None:
            return self._instances
        self._instances = []
        scope = Scope(self.parent, self.block.file)
        keys: list[tuple[Any, Any]] | Unknown
        if self.has_count:
            keys = _instance_keys(deref(evaluate(self.block.body.attrs["count"].expr, scope)), self.address)
        elif self.has_for_each:
            keys = for_each_items(evaluate(self.block.body.attrs["for_each"].expr, scope))
        else:
            keys = [(None, None)]
        if isinstance(keys, Unknown):
            self._instances = keys
            return keys
        for key, value in keys:
            names: dict[str, Any] = {}
            if self.has_count:
                names["count"] = {"index": key}
            if self.has_for_each:
                names["each"] = {"key": key, "value": value}
            prefix = self.address + ("" if key is None else _key_text(key)) + "."
            self._instances.append(self.parent.loader.instantiate(self, prefix, scope.bind(**names)))
        return self._instances

    def as_value(self) -> Any:
        insts = self.instances()
        if isinstance(insts, Unknown):
            return insts
        if self.has_count:
            return LList([_ModuleValue(i) for i in insts])
        if self.has_for_each:
            return LDict({i.prefix: _ModuleValue(i) for i in insts})
        return _ModuleValue(insts[0]) if insts else Unknown(f"{self.address} has no instance")


class _ModuleValue:
    """``module.NAME``: its outputs."""

    __slots__ = ("inst",)

    def __init__(self, inst: Any) -> None:
        self.inst = inst

    def get(self, name: str) -> Any:
        return self.inst.output(name)


class ModuleInstance:
    """A module definition at an address, with its input values."""

    def __init__(
        self, loader: Any, mdef: ModuleDef, prefix: str, inputs: dict[str, tuple[Expr, Scope]],
        root_dir: str, call: ModuleCall | None = None,
    ) -> None:
        self.loader = loader
        self.mdef = mdef
        self.prefix = prefix
        self.inputs = inputs
        self.root_dir = root_dir
        self.call = call
        self._vars: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}
        self.resources: dict[tuple[str, str], ResourceDecl] = {}
        self.data: dict[tuple[str, str], ResourceDecl] = {}
        self.resource_types: set[str] = set()
        self.data_types: set[str] = set()
        for blk in mdef.resources:
            self.resources[(blk.labels[0], blk.labels[1])] = ResourceDecl(self, blk, False)
            self.resource_types.add(blk.labels[0])
        for blk in mdef.data:
            self.data[(blk.labels[0], blk.labels[1])] = ResourceDecl(self, blk, True)
            self.data_types.add(blk.labels[0])
        self.calls: dict[str, ModuleCall] = {blk.labels[0]: ModuleCall(self, blk) for blk in mdef.modules}

    def var(self, name: str) -> Any:
        if name in self._vars:
            v = self._vars[name]
            return Unknown(f"var.{name} refers to itself") if v is _BUSY else v
        self._vars[name] = _BUSY
        value: Any
        if name in self.inputs:
            expr, scope = self.inputs[name]
            value = evaluate(expr, scope)
        elif name in self.mdef.tfvars:
            expr, span = self.mdef.tfvars[name]
            value = evaluate(expr, Scope(self, span.file))
        elif name in self.mdef.variables:
            blk = self.mdef.variables[name]
            d = blk.body.attrs.get("default")
            if d is None:
                value = Unknown(f"variable {name!r} has no default")
            else:
                value = evaluate(d.expr, Scope(self, blk.file))
        else:
            value = Unknown(f"undeclared variable {name!r}")
        declared = self.mdef.variables.get(name)
        if declared is not None and "type" in declared.body.attrs and isinstance(value, (dict, list)):
            value = apply_type_defaults(value, declared.body.attrs["type"].expr, Scope(self, declared.file))
        if value is None and name in self.mdef.variables:
            d = self.mdef.variables[name].body.attrs.get("default")
            nullable = self.mdef.variables[name].body.attrs.get("nullable")
            if d is not None and nullable is not None and isinstance(nullable.expr, Lit) and nullable.expr.value is False:
                value = evaluate(d.expr, Scope(self, self.mdef.variables[name].file))
        self._vars[name] = value
        return value

    def local(self, name: str) -> Any:
        if name in self._locals:
            v = self._locals[name]
            return Unknown(f"local.{name} refers to itself") if v is _BUSY else v
        got = self.mdef.locals.get(name)
        if got is None:
            return Unknown(f"undeclared local {name!r}")
        self._locals[name] = _BUSY
        attr, file = got
        value = evaluate(attr.expr, Scope(self, file))
        self._locals[name] = value
        return value

    def output(self, name: str) -> Any:
        if name in self._outputs:
            v = self._outputs[name]
            return Unknown(f"output {name!r} refers to itself") if v is _BUSY else v
        blk = self.mdef.outputs.get(name)
        if blk is None or "value" not in blk.body.attrs:
            return Unknown(f"{self.prefix}{name} is not an output of the module")
        self._outputs[name] = _BUSY
        value = evaluate(blk.body.attrs["value"].expr, Scope(self, blk.file))
        self._outputs[name] = value
        return value

    def path(self) -> dict[str, str]:
        return {"module": self.mdef.abs_dir, "root": self.root_dir, "cwd": self.root_dir}


def apply_type_defaults(value: Any, type_expr: Expr, scope: Scope, depth: int = 0) -> Any:
    """Fill ``optional(type, default)`` attributes of ``object({...})`` type constraints, as Terraform does when
    a value is converted to a variable's type (a copy: values may be shared)."""
    if depth > 30 or not isinstance(type_expr, Call):
        return value
    name, args = type_expr.name, type_expr.args
    if name in ("map", "list", "set") and args:
        if isinstance(value, dict):
            out = LDict(value, span=getattr(value, "span", None))
            if isinstance(value, LDict):
                out.spans, out.key_spans = dict(value.spans), dict(value.key_spans)
            for k in list(out):
                out[k] = apply_type_defaults(out[k], args[0], scope, depth + 1)
            return out
        if isinstance(value, list):
            lst = LList([apply_type_defaults(x, args[0], scope, depth + 1) for x in value],
                        span=getattr(value, "span", None))
            lst.spans = list(value.spans) if isinstance(value, LList) else []
            return lst
        return value
    if name == "object" and args and isinstance(args[0], ObjectE) and isinstance(value, dict):
        out = LDict(value, span=getattr(value, "span", None))
        if isinstance(value, LDict):
            out.spans, out.key_spans = dict(value.spans), dict(value.key_spans)
        for key_expr, attr_type, _line in args[0].items:
            key = key_expr.value if isinstance(key_expr, Lit) else getattr(key_expr, "name", None)
            if not isinstance(key, str):
                continue
            inner = attr_type
            if isinstance(attr_type, Call) and attr_type.name == "optional" and attr_type.args:
                inner = attr_type.args[0]
                if out.get(key) is None:
                    out[key] = evaluate(attr_type.args[1], scope) if len(attr_type.args) > 1 else None
                    if out.span is not None:
                        out.spans.setdefault(key, out.span)
            if key in out:
                out[key] = apply_type_defaults(out[key], inner, scope, depth + 1)
        return out
    return value


# ------------------------------------------------------------------------------------------------ evaluation


class _Namespace:
    __slots__ = ("kind", "module", "type")

    def __init__(self, kind: str, module: ModuleInstance, type_: str = "") -> None:
        self.kind, self.module, self.type = kind, module, type_

    def get(self, name: str) -> Any:
        m = self.module
        if self.kind == "var":
            return m.var(name)
        if self.kind == "local":
            return m.local(name)
        if self.kind == "module":
            call = m.calls.get(name)
            return call.as_value() if call else Unknown(f"no module {name!r}")
        if self.kind == "data":
            return _Namespace("data-type", m, name)
        if self.kind == "data-type":
            decl = m.data.get((self.type, name))
            return decl.as_value() if decl else Unknown(f"no data source data.{self.type}.{name}")
        if self.kind == "resource-type":
            decl = m.resources.get((self.type, name))
            return decl.as_value() if decl else Unknown(f"no resource {self.type}.{name}")
        return Unknown(f"{self.kind}.{name}")


def get_attr(obj: Any, name: str) -> Any:
    if isinstance(obj, _Namespace):
        return obj.get(name)
    if isinstance(obj, ResourceInstance):
        return obj.ref(name)
    if isinstance(obj, _ModuleValue):
        return obj.get(name)
    if isinstance(obj, Unknown):
        return obj
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        raise _Fail(f"no attribute {name!r}")
    if isinstance(obj, Ref):
        inner = obj.value
        if isinstance(inner, dict) and name in inner:
            return inner[name]
        return Unknown(f"{obj.address}.{obj.attr}.{name} is known only after apply")
    if isinstance(obj, Encoded):
        return Unknown("attribute of an encoded string")
    raise _Fail(f"cannot read attribute {name!r} of {type(obj).__name__}")


def get_index(obj: Any, key: Any) -> Any:
    key = deref(key)
    if isinstance(obj, Unknown):
        return obj
    if isinstance(key, Unknown):
        return key
    if isinstance(obj, Ref):
        obj = obj.value if obj.value is not None else Unknown(f"{obj.address}.{obj.attr} is known only after apply")
        if isinstance(obj, Unknown):
            return obj
    if isinstance(obj, list):
        if isinstance(key, bool) or not isinstance(key, (int, float)):
            try:
                key = int(key)
            except (TypeError, ValueError):
                raise _Fail("list index is not a number") from None
        i = int(key)
        if 0 <= i < len(obj):
            return obj[i]
        raise _Fail(f"index {i} out of range")
    if isinstance(obj, dict):
        k = key if key in obj else str(key) if not isinstance(key, bool) else key
        if k in obj:
            return obj[k]
        raise _Fail(f"no key {key!r}")
    if isinstance(obj, (_Namespace, ResourceInstance, _ModuleValue)) and isinstance(key, str):
        return get_attr(obj, key)
    raise _Fail("cannot index this value")


def _truth(v: Any) -> bool | Unknown:
    v = deref(v)
    if isinstance(v, Unknown):
        return v
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v in ("true", "false"):
        return v == "true"
    raise _Fail("condition is not a bool")


def _num(v: Any) -> float | int | Unknown:
    v = deref(v)
    if isinstance(v, Unknown):
        return v
    if isinstance(v, bool):
        raise _Fail("a bool is not a number")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            raise _Fail(f"{v!r} is not a number") from None
        return int(f) if f.is_integer() and "." not in v else f
    raise _Fail("not a number")


def _eq(a: Any, b: Any) -> bool | Unknown:
    if (isinstance(a, Ref) and b is None) or (isinstance(b, Ref) and a is None):
        # an attribute of a resource of this configuration is never null once applied (ids, ARNs, names)
        return a is b
    a, b = deref(a), deref(b)
    if isinstance(a, Unknown):
        return a
    if isinstance(b, Unknown):
        return b
    if not fully_known(a) or not fully_known(b):
        return Unknown("comparison with values known only after apply")
    a, b = to_plain(a), to_plain(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def evaluate(e: Expr, scope: Scope) -> Any:
    """The value of an expression; Terraform errors become Unknown (nothing here may raise)."""
    if _work[0] == 0:
        _work[1] = 0
    _work[0] += 1
    try:
        return _eval(e, scope)
    except _Fail as exc:
        return Unknown(str(exc))
    except RecursionError:
        return Unknown("expression nested too deeply")
    finally:
        _work[0] -= 1


#: names ``_lookup`` resolves before resource types
_SPECIAL_NAMES = frozenset({"var", "local", "module", "data", "path", "terraform"})


def _eval(e: Expr, scope: Scope) -> Any:  # noqa: C901 - one branch per node kind
    if type(e) is GetAttr:  # the most frequent: var.x, local.x, aws_sqs_queue.q (as _lookup + get_attr read them)
        obj = e.obj
        if type(obj) is Var and obj.name not in scope.names:
            first = obj.name
            if first == "var":
                return scope.module.var(e.name)
            if first == "local":
                return scope.module.local(e.name)
            m = scope.module
            if first not in _SPECIAL_NAMES and first in m.resource_types:
                decl = m.resources.get((first, e.name))
                return decl.as_value() if decl else Unknown(f"no resource {first}.{e.name}")
        return get_attr(_eval(obj, scope), e.name)
    if isinstance(e, Lit):
        return e.value
    if isinstance(e, Var):
        return _lookup(e.name, scope)
    if isinstance(e, GetAttr):
        return get_attr(_eval(e.obj, scope), e.name)
    if isinstance(e, Index):
        return get_index(_eval(e.obj, scope), _eval(e.key, scope))
    if isinstance(e, Tmpl):
        out: list[str] = []
        refs: dict[str, Ref] = {}
        for part in e.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            v = _eval(part, scope)
            if isinstance(v, Ref) and v.value is None:
                holder = "${" + f"{v.address}.{v.attr}" + "}"
                refs[holder] = v
                out.append(holder)
                continue
            s = to_str(v)
            if isinstance(s, Unknown):
                return s
            out.append(s)
        if refs:
            return TemplateUnknown("".join(out), refs)
        return "".join(out)
    if isinstance(e, Call):
        return _call(e, scope)
    if isinstance(e, TupleE):
        lst = LList([_eval(x, scope) for x in e.items], span=Span(scope.file, e.line))
        lst.spans = [Span(scope.file, x.line) for x in e.items]
        return lst
    if isinstance(e, ObjectE):
        d = LDict(span=Span(scope.file, e.line))
        for k, v, line in e.items:
            key = deref(_eval(k, scope))
            if isinstance(key, Unknown):
                return Unknown("an object key not known statically")
            key = to_str(key) if not isinstance(key, str) else key
            if isinstance(key, Unknown):
                return key
            d[key] = _eval(v, scope)
            d.spans[key] = Span(scope.file, v.line or line)
            d.key_spans[key] = Span(scope.file, line)
        return d
    if isinstance(e, Cond):
        c = _truth(_eval(e.cond, scope))
        if isinstance(c, Unknown):
            return c
        return _eval(e.a if c else e.b, scope)
    if isinstance(e, BinOp):
        return _binop(e, scope)
    if isinstance(e, UnOp):
        v = _eval(e.operand, scope)
        if e.op == "!":
            t = _truth(v)
            return t if isinstance(t, Unknown) else not t
        n = _num(v)
        return n if isinstance(n, Unknown) else -n
    if isinstance(e, Splat):
        return _splat(e, scope)
    if isinstance(e, ForE):
        return _for(e, scope)
    if isinstance(e, Unsupported):
        return Unknown(e.reason)
    return Unknown("expression not modelled")


def _lookup(name: str, scope: Scope) -> Any:
    if name in scope.names:
        return scope.names[name]
    m = scope.module
    if name in ("var", "local", "module", "data"):
        return _Namespace(name, m)
    if name == "path":
        return m.path()
    if name == "terraform":
        return {"workspace": "default"}
    if name in m.resource_types:
        return _Namespace("resource-type", m, name)
    if name in ("each", "count", "self"):
        return Unknown(f"{name} outside of its block")
    return Unknown(f"{name} is not declared in this module")


def _binop(e: BinOp, scope: Scope) -> Any:
    op = e.op
    if op in ("&&", "||"):
        a = _truth(_eval(e.left, scope))
        if op == "&&" and a is False:
            return False
        if op == "||" and a is True:
            return True
        b = _truth(_eval(e.right, scope))
        if isinstance(a, Unknown):
            if (op == "&&" and b is False) or (op == "||" and b is True):
                return b
            return a
        return b
    left, right = _eval(e.left, scope), _eval(e.right, scope)
    if op in ("==", "!="):
        r = _eq(left, right)
        return r if isinstance(r, Unknown) else (r if op == "==" else not r)
    x, y = _num(left), _num(right)
    if isinstance(x, Unknown):
        return x
    if isinstance(y, Unknown):
        return y
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        if y == 0:
            raise _Fail("division by zero")
        quotient = x / y
        return int(quotient) if quotient.is_integer() else quotient
    if op == "%":
        if y == 0:
            raise _Fail("division by zero")
        return x % y
    if op == "<":
        return x < y
    if op == ">":
        return x > y
    if op == "<=":
        return x <= y
    if op == ">=":
        return x >= y
    return Unknown(f"operator {op}")


def _splat(e: Splat, scope: Scope) -> Any:
    base = _eval(e.obj, scope)
    if isinstance(base, Unknown):
        return base
    if base is None:
        return LList()
    items = list(base.values()) if isinstance(base, dict) and not isinstance(base, LDict) else (
        list(base) if isinstance(base, list) else [base]
    )
    if isinstance(base, LDict) and base and all(isinstance(v, ResourceInstance) for v in base.values()):
        raise _Fail("splat over a for_each resource; use values()")
    out = LList()
    for item in items:
        v = item
        for kind, arg in e.ops:
            v = get_attr(v, arg) if kind == "attr" else get_index(v, _eval(arg, scope))
        out.append(v)
    return out


def _iter_items(coll: Any) -> list[tuple[Any, Any]] | Unknown:
    coll = deref(coll)
    if isinstance(coll, Unknown):
        return coll
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll, key=str)]
    if isinstance(coll, list):
        return list(enumerate(coll))
    raise _Fail("for expression over a value that is not a collection")


def _for(e: ForE, scope: Scope) -> Any:
    items = _iter_items(_eval(e.coll, scope))
    if isinstance(items, Unknown):
        return items
    out_list = LList(span=Span(scope.file, e.line))
    out_obj = LDict(span=Span(scope.file, e.line))
    if len(items) > MAX_COLLECTION:
        raise _Fail(f"a for expression over {len(items)} items, more than the {MAX_COLLECTION} evaluated")
    for k, v in items:
        _work[1] += 1
        if _work[1] > MAX_STEPS:
            raise _Fail(f"for expressions iterating more than the {MAX_STEPS} times evaluated")
        names = {e.vvar: v}
        if e.kvar:
            names[e.kvar] = k
        inner = scope.bind(**names)
        if e.cond is not None:
            c = _truth(_eval(e.cond, inner))
            if isinstance(c, Unknown):
                return c
            if not c:
                continue
        val = _eval(e.vexpr, inner)
        if e.is_obj:
            key = to_str(_eval(e.kexpr, inner)) if e.kexpr is not None else Unknown("no key")
            if isinstance(key, Unknown):
                return key
            if e.group:
                out_obj.setdefault(key, LList()).append(val)
            else:
                out_obj[key] = val
        else:
            out_list.append(val)
    return out_obj if e.is_obj else out_list


# --------------------------------------------------------------------------------------------- nested bodies


def eval_body(body: Body, scope: Scope, span: Span, owner: ResourceInstance | None = None,
              skip: frozenset[str] = frozenset()) -> LDict:
    """A block body as a located dict: attributes by name, nested blocks as lists of located dicts."""
    out = LDict(span=span)
    own = owner is not None and scope.names is owner.scope.names
    called = getattr(scope.module, "call", None) is not None  # else no value is a module input
    for name, attr in body.attrs.items():
        if name in skip:
            continue
        file = attr.file or scope.file
        if own:
            value = owner.attr_value(name)  # type: ignore[union-attr]
        else:
            value = evaluate(attr.expr, scope.in_file(file) if attr.file else scope)
        out[name] = value
        sp = (called and _input_span(attr.expr, scope.module)) or Span(file, attr.line)
        out.spans[name] = sp
        out.key_spans[name] = sp
    for blk in body.blocks:
        if blk.type in skip:
            continue
        if blk.type == "dynamic" and blk.labels:
            _dynamic(out, blk, scope)
            continue
        sub = eval_body(blk.body, scope.in_file(blk.file), Span(blk.file, blk.line, 1, blk.end_line))
        lst = out.get(blk.type)
        if not isinstance(lst, LList):
            lst = LList(span=Span(blk.file, blk.line))
            out[blk.type] = lst
            out.spans[blk.type] = Span(blk.file, blk.line)
            out.key_spans[blk.type] = Span(blk.file, blk.line)
        lst.append(sub)
        lst.spans.append(sub.span)
    return out


def _input_span(expr: Expr, module: Any) -> Span | None:
    """Where the fix belongs for a value that is a module input (``x = var.name`` in a child module): the
    caller's argument when it sets the input, else the caller's ``module`` block (the variable's default
    applies), followed up through callers that pass their own inputs on."""
    found = None
    loader = getattr(module, "loader", None)
    while (isinstance(expr, GetAttr) and isinstance(expr.obj, Var) and expr.obj.name == "var"
           and module is not None and getattr(module, "call", None) is not None):
        call = module.call
        block = call.block
        arg = block.body.attrs.get(expr.name)
        if arg is None:
            return Span(block.file, block.line, 1, block.end_line)
        found = Span(arg.file or block.file, arg.line)
        written = getattr(loader, "written_as", None)
        if written is not None:  # the argument's own line: what is written there is this argument
            written[found] = f"{expr.name} of {call.address}"
        expr, module = arg.expr, call.parent
    return found


def _dynamic(out: LDict, blk: Block, scope: Scope) -> None:
    name = blk.labels[0]
    attrs = blk.body.attrs
    iterator = name
    if "iterator" in attrs and isinstance(attrs["iterator"].expr, Var):
        iterator = attrs["iterator"].expr.name
    items: Any = Unknown("dynamic block without for_each")
    if "for_each" in attrs:
        try:
            items = _iter_items(evaluate(attrs["for_each"].expr, scope))
        except _Fail as exc:
            items = Unknown(str(exc))
    span = Span(blk.file, blk.line)
    if isinstance(items, Unknown):
        out[name] = items
        out.spans[name] = span
        return
    contents = [b for b in blk.body.blocks if b.type == "content"]
    lst = out.get(name)
    if not isinstance(lst, LList):
        lst = LList(span=span)
    for k, v in items:
        for content in contents:
            inner = scope.bind(**{iterator: {"key": k, "value": v}})
            sub = eval_body(content.body, inner.in_file(content.file), Span(content.file, content.line))
            lst.append(sub)
            lst.spans.append(sub.span)
    if lst:
        out[name] = lst
        out.spans[name] = span
        out.key_spans[name] = span


# ------------------------------------------------------------------------------------------------ functions


def _call(e: Call, scope: Scope) -> Any:
    name = e.name.split("::")[-1]
    if name == "try":
        last: Any = Unknown("try: no argument succeeded")
        for arg in e.args:
            try:
                v = _eval(arg, scope)
            except _Fail:
                continue
            if isinstance(v, Unknown):
                return v
            return v
        return last
    if name == "can":
        if not e.args:
            return False
        try:
            v = _eval(e.args[0], scope)
        except _Fail:
            return False
        return v if isinstance(v, Unknown) else True
    args = [_eval(a, scope) for a in e.args]
    if e.expand and args:
        tail = deref(args[-1])
        if isinstance(tail, Unknown):
            return tail
        if isinstance(tail, list):
            args = args[:-1] + list(tail)
    fn = _FUNCTIONS.get(name)
    if fn is None:
        return Unknown(f"function {name}() is not evaluated")
    return fn(scope, *args)


def _range(*args: Any) -> list[int]:
    r = range(*[int(x) for x in args])
    if len(r) > MAX_COLLECTION:
        raise _Fail(f"range() of {len(r)} numbers, more than the {MAX_COLLECTION} evaluated")
    return list(r)


def _strict(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Functions whose result is unknown as soon as any argument is not fully known."""

    def wrapped(scope: Scope, *args: Any) -> Any:
        for a in args:
            if not fully_known(a):
                return Unknown("function argument known only after apply")
        try:
            return fn(*[to_plain(a) for a in args])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError) as exc:
            raise _Fail(str(exc)) from None

    return wrapped


def _structural(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Functions over containers that keep references inside (merge, concat...); unknown top-level → Unknown."""

    def wrapped(scope: Scope, *args: Any) -> Any:
        plain = [deref(a) for a in args]
        for a in plain:
            if isinstance(a, Unknown):
                return a
        try:
            return fn(*plain)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            raise _Fail(str(exc)) from None

    return wrapped


def _merge(*maps: Any) -> Any:
    out = LDict()
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise _Fail("merge of a non-map")
        out.update(m)
        if isinstance(m, LDict):
            out.spans.update(m.spans)
            out.key_spans.update(m.key_spans)
            out.span = out.span or m.span
    return out


def _concat(*lists: Any) -> Any:
    out = LList()
    for lst in lists:
        if not isinstance(lst, list):
            raise _Fail("concat of a non-list")
        out.extend(lst)
        out.spans.extend(lst.spans if isinstance(lst, LList) and len(lst.spans) == len(lst) else [None] * len(lst))
    return out


def _lookup_fn(m: Any, key: Any, *default: Any) -> Any:
    key = deref(key)
    if isinstance(key, Unknown):
        return key
    if not isinstance(m, dict):
        raise _Fail("lookup in a non-map")
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise _Fail(f"no key {key!r}")


def _coalesce(*args: Any) -> Any:
    for a in args:
        if isinstance(a, Unknown):
            return a
        if a is None or a == "":
            continue
        return a
    raise _Fail("coalesce: no non-null argument")


def _flatten(lst: Any) -> Any:
    out = LList()
    for x in lst:
        x = deref(x)
        if isinstance(x, Unknown):
            return x
        if isinstance(x, list):
            inner = _flatten(x)
            if isinstance(inner, Unknown):
                return inner
            out.extend(inner)
        else:
            out.append(x)
    return out


def _format(fmt: str, *args: Any) -> str:
    out, i, n = [], 0, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            nxt = fmt[i + 1]
            if nxt == "%":
                out.append("%")
            else:
                j = i + 1
                while j < len(fmt) and not fmt[j].isalpha():
                    j += 1
                verb = fmt[j] if j < len(fmt) else "v"
                arg = args[n]
                n += 1
                if verb == "d":
                    out.append(str(int(arg)))
                elif isinstance(arg, bool):
                    out.append("true" if arg else "false")
                else:
                    out.append(str(arg))
                i = j + 1
                continue
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _tonumber(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        raise _Fail("bool to number")
    if isinstance(v, (int, float)):
        return v
    f = float(v)
    return int(f) if f.is_integer() else f


def _tobool(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if v in ("true", "false"):
        return v == "true"
    raise _Fail("not a bool")


def _jsondecode(scope: Scope, s: Any) -> Any:
    s = deref(s)
    if isinstance(s, Encoded):
        return s.value
    if isinstance(s, Unknown):
        return s
    if not isinstance(s, str):
        raise _Fail("jsondecode of a non-string")
    try:
        return json.loads(s)
    except ValueError:
        raise _Fail("jsondecode: invalid JSON") from None


def _jsonencode(scope: Scope, v: Any) -> Any:
    v = deref(v)
    return v if isinstance(v, Unknown) else Encoded(v)


def _tostring(scope: Scope, v: Any) -> Any:
    v = deref(v)
    if v is None:
        return None
    s = to_str(v)
    return s


def _identity_list(scope: Scope, v: Any) -> Any:
    v = deref(v)
    if isinstance(v, Unknown) or isinstance(v, list):
        return v
    raise _Fail("not a list")


def _identity_map(scope: Scope, v: Any) -> Any:
    v = deref(v)
    if isinstance(v, Unknown) or isinstance(v, dict):
        return v
    raise _Fail("not a map")


def _toset(scope: Scope, v: Any) -> Any:
    v = deref(v)
    if isinstance(v, Unknown) or not isinstance(v, list):
        return v if isinstance(v, Unknown) else _raise("not a list")
    seen: list[Any] = []
    for x in v:
        if not any(x is y for y in seen) and (not fully_known(x) or to_plain(x) not in [to_plain(y) for y in seen
                                                                                        if fully_known(y)]):
            seen.append(x)
    return LList(seen)


def _raise(msg: str) -> Any:
    raise _Fail(msg)


def _length(scope: Scope, v: Any) -> Any:
    v = deref(v)
    if isinstance(v, Unknown):
        return v
    if isinstance(v, (list, dict, str)):
        return len(v)
    raise _Fail("length of a value without length")


def _element(scope: Scope, lst: Any, i: Any) -> Any:
    lst, i = deref(lst), _num(i)
    if isinstance(lst, Unknown):
        return lst
    if isinstance(i, Unknown):
        return i
    if not isinstance(lst, list) or not lst:
        raise _Fail("element of an empty list")
    return lst[int(i) % len(lst)]


def _one(scope: Scope, lst: Any) -> Any:
    lst = deref(lst)
    if isinstance(lst, Unknown):
        return lst
    if isinstance(lst, list):
        if not lst:
            return None
        if len(lst) == 1:
            return lst[0]
    raise _Fail("one() of more than one element")


def _keys(scope: Scope, m: Any) -> Any:
    m = deref(m)
    if isinstance(m, Unknown):
        return m
    if not isinstance(m, dict):
        raise _Fail("keys of a non-map")
    return LList(sorted(m, key=str))


def _values(scope: Scope, m: Any) -> Any:
    m = deref(m)
    if isinstance(m, Unknown):
        return m
    if not isinstance(m, dict):
        raise _Fail("values of a non-map")
    return LList([m[k] for k in sorted(m, key=str)])


def _compact(lst: Any) -> Any:
    return [x for x in lst if x not in (None, "")]


def _distinct(lst: Any) -> Any:
    out: list[Any] = []
    for x in lst:
        if x not in out:
            out.append(x)
    return out


def _contains(scope: Scope, lst: Any, v: Any) -> Any:
    lst = deref(lst)
    if isinstance(lst, Unknown):
        return lst
    if not fully_known(v) or not fully_known(lst):
        return Unknown("contains() over values known only after apply")
    return to_plain(v) in [to_plain(x) for x in lst]


MAX_FILE_BYTES = 1024 * 1024


def _read_project_file(scope: Scope, path: Any) -> tuple[str, str] | Unknown:
    """``file()``/``templatefile()``: the text of a file inside the project (never outside it), and its display."""
    path = deref(path)
    if isinstance(path, Unknown):
        return path
    if not isinstance(path, str):
        raise _Fail("file path is not a string")
    module = scope.module
    full = os.path.normpath(path if os.path.isabs(path) else os.path.join(module.root_dir, path))
    base = os.path.realpath(getattr(module.loader, "base_dir", module.root_dir))
    real = os.path.realpath(full)
    notes = getattr(module.loader, "notes", None)
    if not (real == base or real.startswith(base + os.sep)):
        if notes is not None:
            notes.append(f"{scope.file}: file(\"{path}\") resolves outside the project ({base}); not read")
        return Unknown(f"{path} is outside the project; not read")
    try:
        text = read_limited(real, path, MAX_FILE_BYTES, base).decode("utf-8")
    except InputError as exc:
        return Unknown(f"{path}: {exc.message}")
    except UnicodeDecodeError:
        return Unknown(f"{path} cannot be read")
    root_display = getattr(module.loader, "root_display", "")
    display = os.path.join(root_display, os.path.relpath(real, os.path.realpath(module.root_dir)))
    return text, display


def _file(scope: Scope, path: Any) -> Any:
    got = _read_project_file(scope, path)
    return got if isinstance(got, Unknown) else got[0]


def _templatefile(scope: Scope, path: Any, variables: Any = None) -> Any:
    got = _read_project_file(scope, path)
    if isinstance(got, Unknown):
        return got
    text, display = got
    variables = deref(variables) if variables is not None else {}
    if isinstance(variables, Unknown):
        return variables
    if not isinstance(variables, dict):
        raise _Fail("templatefile variables are not a map")
    return evaluate(parse_template(text, 1), Scope(scope.module, display, dict(variables)))


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "file": _file,
    "templatefile": _templatefile,
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "merge": _structural(_merge),
    "concat": _structural(_concat),
    "lookup": _structural(_lookup_fn),
    "coalesce": _structural(_coalesce),
    "flatten": _structural(_flatten),
    "tostring": _tostring,
    "tonumber": _strict(_tonumber),
    "tobool": _strict(_tobool),
    "tolist": _identity_list,
    "toset": _toset,
    "tomap": _identity_map,
    "length": _length,
    "element": _element,
    "one": _one,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "format": _strict(_format),
    "join": _strict(lambda sep, lst: sep.join(str(x) for x in lst)),
    "split": _strict(lambda sep, s: s.split(sep)),
    "lower": _strict(lambda s: s.lower()),
    "upper": _strict(lambda s: s.upper()),
    "trimsuffix": _strict(lambda s, x: s[: -len(x)] if x and s.endswith(x) else s),
    "trimprefix": _strict(lambda s, x: s[len(x):] if s.startswith(x) else s),
    "trimspace": _strict(lambda s: s.strip()),
    "replace": _strict(lambda s, a, b: s.replace(a, b) if not (a.startswith("/") and a.endswith("/")) else _raise("regex")),
    "startswith": _strict(lambda s, p: s.startswith(p)),
    "endswith": _strict(lambda s, p: s.endswith(p)),
    "min": _strict(lambda *xs: min(xs)),
    "max": _strict(lambda *xs: max(xs)),
    "abs": _strict(abs),
    "floor": _strict(lambda x: int(x // 1)),
    "ceil": _strict(lambda x: -int(-x // 1)),
    "compact": _strict(_compact),
    "distinct": _strict(_distinct),
    "zipmap": _structural(lambda ks, vs: LDict(zip([deref(k) for k in ks], vs, strict=True))),
    "range": _strict(lambda *a: _range(*a)),
    "coalescelist": _structural(lambda *ls: next((x for x in ls if x), LList())),
    "reverse": _strict(lambda lst: list(reversed(lst))),
    "sort": _strict(lambda lst: sorted(lst)),
    "substr": _strict(lambda s, o, n: s[int(o):] if n < 0 else s[int(o):int(o) + int(n)]),
}
