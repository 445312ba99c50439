"""Nested stacks (``AWS::CloudFormation::Stack``) checked as part of the stack that creates them.

A nested stack's template names the parent's resources only through its parameters (CDK passes a parent queue
to a nested function as ``referencetoOrdersStackReportRequests…Arn``), and the parent names the nested
stack's resources only through its outputs (``Fn::GetAtt [Nested, Outputs.X]``). Checked alone, either template
loses those links: the nested function's queue is unknown, the parent queue has no consumer.

When a nested stack's template is a file of the project, found through the CDK asset metadata
(``aws:asset:path``), a ``TemplateURL`` (or the ``Location`` of a SAM ``AWS::Serverless::Application``) that
is a path relative to the template (before ``aws cloudformation package`` or ``sam package`` uploads it) or the
CDK asset manifest (``*.assets.json``) that maps the ``TemplateURL`` to the file,
its resources are added to the parent's, with each ``Ref`` to a parameter replaced
by the expression the parent passes (a parameter the parent does not pass keeps its own declaration,
``Default`` included) and each ``Fn::GetAtt`` of an output replaced by the output's value. The nested
template's own parameters, conditions and mappings are renamed ``<stack logical id>.<name>`` (a dot never
appears in a CloudFormation name, so they cannot clash with the parent's). Resources keep their logical ids
and their places in the nested file, so findings point at the nested template as before; a nested stack with a
logical id the parent (or another nested stack) also uses is left to be checked on its own, as is one whose
template cannot be read. Nested stacks of nested stacks are merged the same way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from ...model import Record, field, record
from ...source import LDict, LList
from .resource import Res

STACK = "AWS::CloudFormation::Stack"
#: a SAM nested application: the transform makes it a stack; ``Location`` is its template
APPLICATION = "AWS::Serverless::Application"
#: nested stacks within nested stacks, at most
MAX_DEPTH = 8
#: nested templates merged into one parent, at most
MAX_NESTED = 200
_SUB_VAR = re.compile(r"\$\{([^}!]*)\}")


@record(slots=False, frozen=True)
class Readers(Record):
    """How the template module reads a template's resources (SAM expanded) and its asset manifests."""

    resources: Callable[[Mapping[str, Any], str, str], list[Res]]
    assets: Callable[[str, str], dict[str, str]]


@record(slots=False)
class Stack(Record):
    """One template with its nested stacks merged in."""

    resources: list[Res]
    parameters: dict[str, Any]
    mappings: dict[str, Any]
    conditions: dict[str, Any]
    outputs: dict[str, Any]
    #: the nested templates merged in, as paths shown to the user → the logical id of the stack resource of this
    #: template that creates each (for a nested stack's own nested stacks, the one that creates their parent)
    files: dict[str, str] = field(default_factory=dict)


def _section(doc: Mapping[str, Any], key: str) -> dict[str, Any]:
    v = doc.get(key)
    return dict(v) if isinstance(v, dict) else {}


def merge(doc: Mapping[str, Any], resources: list[Res], file: str, template_dir: str, base_dir: str,
          readers: Readers) -> Stack:
    """The template ``doc`` (whose resources are ``resources``, read from ``file``) with every nested stack whose
    template is found in ``template_dir`` merged in."""
    this = os.path.realpath(os.path.join(template_dir, os.path.basename(file)))
    return _merge(doc, resources, file, template_dir, base_dir, readers, 0, {this}, [MAX_NESTED])


def _merge(doc: Mapping[str, Any], resources: list[Res], file: str, template_dir: str, base_dir: str,
           readers: Readers, depth: int, chain: set[str], budget: list[int]) -> Stack:
    stack = Stack(list(resources), _section(doc, "Parameters"), _section(doc, "Mappings"),
                  _section(doc, "Conditions"), _section(doc, "Outputs"))
    if depth >= MAX_DEPTH:
        return stack
    stacks = [r for r in resources if r.type in (STACK, APPLICATION)]
    if not stacks:
        return stack
    assets: dict[str, str] | None = None
    ids = {r.id for r in resources}
    loaded: set[str] = set()
    outputs: dict[tuple[str, str], Any] = {}
    for parent_res in stacks:
        if budget[0] <= 0:
            break
        path = _metadata_path(parent_res, template_dir) or _local_path(parent_res, template_dir)
        if path is None and parent_res.type == APPLICATION:
            continue  # an application of the Serverless Application Repository, or a Location not known
        if path is None:
            if assets is None:
                assets = readers.assets(template_dir, base_dir)
            path = _manifest_path(parent_res, assets)
        real = os.path.realpath(path) if path is not None else ""
        if path is None or real in chain or real in loaded or not os.path.isfile(path):
            continue
        loaded.add(real)  # a second stack of the same template would repeat its logical ids
        budget[0] -= 1
        rel = os.path.relpath(path, template_dir)
        display = os.path.join(os.path.dirname(file), rel)
        if rel.startswith(os.pardir):
            display = os.path.normpath(display)
        child = _load(path, display, base_dir, readers, depth, chain | {real}, budget)
        if child is None or any(r.id in ids for r in child.resources):
            continue
        passed = parent_res.props.get("Parameters")
        rewrite = _Rewrite(parent_res.id + ".", passed if isinstance(passed, dict) else {}, child)
        for r in child.resources:
            cond = r.condition
            if isinstance(cond, str):
                cond = rewrite.condition_name(cond)
            elif isinstance(cond, dict):  # a nested stack's own condition, joined at the level below
                cond = rewrite(cond)
            if parent_res.condition is not None:
                outer = {"Condition": parent_res.condition} if isinstance(parent_res.condition, str) else parent_res.condition
                cond = outer if cond is None else {"Fn::And": [outer, _as_condition(cond)]}
            extra = {"template_dir": os.path.dirname(path), **r.extra}  # code paths are relative to their template
            stack.resources.append(Res(r.id, r.type, rewrite(r.props), r.span, r.origin, r.metadata, cond, extra))
            ids.add(r.id)
        for name, decl in child.parameters.items():
            if name not in rewrite.passed:
                stack.parameters[rewrite.prefix + name] = decl
        stack.mappings.update({rewrite.prefix + k: v for k, v in child.mappings.items()})
        stack.conditions.update({rewrite.prefix + k: rewrite(v) for k, v in child.conditions.items()})
        for name, out in child.outputs.items():
            if isinstance(out, dict) and "Value" in out:
                outputs[(parent_res.id, name)] = rewrite.value(out["Value"], 0)
        stack.files[display] = parent_res.id
        stack.files.update(dict.fromkeys(child.files, parent_res.id))
    if outputs:  # the parent's references to its nested stacks' outputs
        through = _Rewrite("", {}, None, outputs)
        stack.resources = [
            r if r.type in (STACK, APPLICATION)
            else Res(r.id, r.type, through(r.props), r.span, r.origin, r.metadata, r.condition, r.extra)
            for r in stack.resources]
        stack.outputs = {k: through(v) for k, v in stack.outputs.items()}  # for the stack above this one
    return stack


def _as_condition(cond: Any) -> Any:
    return {"Condition": cond} if isinstance(cond, str) else cond


def _load(path: str, display: str, base_dir: str, readers: Readers, depth: int, chain: set[str],
          budget: list[int]) -> Stack | None:
    """The nested template at ``path`` with its own nested stacks merged, or None when it cannot be read (it
    is then checked on its own, and any error is reported there)."""
    from ...files import read_limited
    from ..parse import MAX_BYTES, decode, parse_text

    try:
        doc = parse_text(decode(read_limited(path, display, MAX_BYTES, base_dir or os.path.dirname(path)), display), display)
        if not isinstance(doc, dict):
            return None
        resources = readers.resources(doc, display, os.path.dirname(path))
    except Exception:  # noqa: BLE001 - the nested template is then checked alone, and its error reported there
        return None
    return _merge(doc, resources, display, os.path.dirname(path), base_dir, readers, depth + 1, chain, budget)


def _metadata_path(res: Res, template_dir: str) -> str | None:
    """The nested template CDK names in the resource's asset metadata."""
    meta = res.metadata
    rel = meta.get("aws:asset:path") if isinstance(meta, dict) else None
    if not isinstance(rel, str) or not rel or os.path.isabs(rel):
        return None
    return os.path.normpath(os.path.join(template_dir, rel))


def _local_path(res: Res, template_dir: str) -> str | None:
    """A template not yet packaged: ``TemplateURL: nested/queue.yaml``, a path relative to the template (which
    ``aws cloudformation package`` uploads)."""
    url = res.props.get("Location" if res.type == APPLICATION else "TemplateURL")
    if not isinstance(url, str) or not url or "://" in url or os.path.isabs(url):
        return None
    return os.path.normpath(os.path.join(template_dir, url))


def _manifest_path(res: Res, assets: Mapping[str, str]) -> str | None:
    """The nested template published to the object the ``TemplateURL`` ends with, by the asset manifest."""
    key = _last_text(res.props.get("TemplateURL"))
    if key is None:
        return None
    staged = assets.get(key.rsplit("/", 1)[-1])
    return staged if staged and staged.endswith((".json", ".yaml", ".yml", ".template")) else None


def _last_text(v: Any, depth: int = 0) -> str | None:
    """The last literal piece of a URL written with ``Fn::Join``/``Fn::Sub`` (or a plain string)."""
    if depth > 10:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, dict) and len(v) == 1:
        (k, arg), = v.items()
        if k == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list) and arg[1]:
            return _last_text(arg[1][-1], depth + 1)
        if k == "Fn::Sub":
            text = arg if isinstance(arg, str) else (arg[0] if isinstance(arg, list) and arg else None)
            return text if isinstance(text, str) else None
    return None


class _Rewrite:
    """A nested template's expressions in the parent's terms: parameters the parent passes replaced by what it
    passes, the other names prefixed; in the parent, outputs of nested stacks replaced by their values."""

    def __init__(self, prefix: str, passed: Mapping[str, Any], child: Stack | None,
                 outputs: Mapping[tuple[str, str], Any] | None = None) -> None:
        self.prefix = prefix
        self.params = set(child.parameters) if child else set()
        self.passed = {k: v for k, v in passed.items() if k in self.params}
        self.conditions = set(child.conditions) if child else set()
        self.mappings = set(child.mappings) if child else set()
        self.outputs = outputs or {}

    def __call__(self, v: Any, depth: int = 0) -> Any:
        if depth > 200:
            return v
        if isinstance(v, dict):
            if len(v) == 1:
                (k, arg), = v.items()
                done = self._intrinsic(v, k, arg, depth)
                if done is not None:
                    return done
            out = LDict(span=getattr(v, "span", None))
            out.spans.update(getattr(v, "spans", {}))
            out.key_spans.update(getattr(v, "key_spans", {}))
            for key, item in v.items():
                out[key] = self.value(item, depth + 1)
            return out
        if isinstance(v, list):
            items = LList((self.value(i, depth + 1) for i in v), span=getattr(v, "span", None))
            items.spans = list(getattr(v, "spans", []))
            return items
        return v

    def condition_name(self, name: str) -> str:
        return self.prefix + name if name in self.conditions else name

    def value(self, v: Any, depth: int) -> Any:
        """A value inside an expression: strings are literals there, never condition names."""
        return v if isinstance(v, str) else self(v, depth)

    def _like(self, v: Any, key: str, arg: Any) -> LDict:
        out = LDict({key: arg}, span=getattr(v, "span", None))
        span = getattr(v, "spans", {}).get(key)
        if span is not None:
            out.spans[key] = span
        return out

    def _intrinsic(self, v: Any, k: str, arg: Any, depth: int) -> Any:
        if k == "Ref" and isinstance(arg, str) and arg in self.params:
            return self.passed[arg] if arg in self.passed else self._like(v, k, self.prefix + arg)
        if k == "Fn::GetAtt" and self.outputs:
            parts = list(arg) if isinstance(arg, list) else (arg.split(".", 1) if isinstance(arg, str) else [])
            if len(parts) == 2 and all(isinstance(p, str) for p in parts) and parts[1].startswith("Outputs."):
                key = (str(parts[0]), str(parts[1])[8:])
                if key in self.outputs:
                    return self.outputs[key]
        if k == "Condition" and isinstance(arg, str) and arg in self.conditions:
            return self._like(v, k, self.prefix + arg)
        if k in ("Fn::If", "Fn::FindInMap") and isinstance(arg, list) and arg and isinstance(arg[0], str):
            names = self.conditions if k == "Fn::If" else self.mappings
            head = self.prefix + arg[0] if arg[0] in names else arg[0]
            rest = self(LList(arg[1:]), depth + 1)
            out = LList([head, *rest], span=getattr(arg, "span", None))
            out.spans = list(getattr(arg, "spans", []))
            return self._like(v, k, out)
        if k == "Fn::Sub":
            return self._sub(v, arg, depth)
        return None

    def _sub(self, v: Any, arg: Any, depth: int) -> Any:
        if isinstance(arg, str):
            text, local = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            text, local = arg[0], arg[1]
        else:
            return None
        added: dict[str, Any] = {}
        for m in _SUB_VAR.finditer(text):
            name = m.group(1).strip()
            if name in local or name in added:
                continue
            if name in self.params:
                added[name] = self._intrinsic({"Ref": name}, "Ref", name, depth)
            elif self.outputs and name.count(".") >= 2:
                logical, _, attr = name.partition(".")
                if attr.startswith("Outputs.") and (logical, attr[8:]) in self.outputs:
                    added[name] = self.outputs[(logical, attr[8:])]
        if not added and not local:
            return v
        variables = LDict(span=getattr(local, "span", None))
        for key, item in local.items():
            variables[key] = self.value(item, depth + 1)
        variables.update(added)
        return self._like(v, "Fn::Sub", [text, variables])
