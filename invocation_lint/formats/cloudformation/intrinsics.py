"""CloudFormation intrinsic functions, resolved as far as a template alone allows.

Two questions are asked of a property value: *what is it* (``Resolver.value``: a literal, or ``Unknown``), and
*which resource does it name* (``Resolver.target``: a node of the template, an outside ARN, or ``Unknown``).
``Ref``/``GetAtt``/``Sub``/``Join`` naming a resource answer the second; ``Ref`` to a parameter uses its
``Default``; ``FindInMap`` with literal keys resolves; ``If`` resolves when its condition can be evaluated from
parameter defaults or both branches agree. ``ImportValue``, SSM parameters, pseudo parameters that differ per
account and everything else are ``Unknown``: never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...lazy import json, regex
from ...model import Target, Unknown, Val
from ...source import LDict, Span
from ..aws import arn_name, arn_service, is_pattern

NO_VALUE = object()  # ``Ref: AWS::NoValue``: the property is absent

_SUB_VAR = regex(r"\$\{([^}!]*)\}")

#: which service an ARN or a resource type belongs to
TYPE_SERVICE = {
    "AWS::SQS::Queue": "sqs",
    "AWS::SNS::Topic": "sns",
    "AWS::Lambda::Function": "lambda",
    "AWS::Lambda::Alias": "lambda",
    "AWS::Lambda::Version": "lambda",
    "AWS::Events::EventBus": "events",
    "AWS::Events::Rule": "events",
    "AWS::S3::Bucket": "s3",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::IAM::Role": "iam",
    "AWS::StepFunctions::StateMachine": "states",
    "AWS::MSK::Cluster": "kafka",
}

#: physical-name property of the types whose literal ARNs we map back to the template's resources
NAME_PROPERTY = {
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::Kinesis::Stream": "Name",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Events::EventBus": "Name",
    "AWS::IAM::Role": "RoleName",
}


class Resolver:
    """Resolves intrinsics against one template's parameters, mappings, conditions and resources."""

    def __init__(
        self,
        parameters: Mapping[str, Any],
        mappings: Mapping[str, Any],
        conditions: Mapping[str, Any],
        resource_types: Mapping[str, str],
        physical_names: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        self.parameters = parameters
        self.mappings = mappings
        self.conditions = conditions
        self.types = resource_types
        self.physical_names = dict(physical_names or {})  # (service, name) -> logical id
        self._cond_cache: dict[str, Any] = {}
        #: while naming a target: this stack's own region and account, kept as placeholders (an ARN built from
        #: them names a resource of this stack's account and region, whatever those are)
        self._own_account = False

    # ------------------------------------------------------------------------------------------ values

    def param(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::Partition":
            return "aws"
        if name == "AWS::URLSuffix":
            return "amazonaws.com"
        if self._own_account and name in ("AWS::Region", "AWS::AccountId"):
            return "${" + name[5:] + "}"  # no colons: they would split the ARN
        if name.startswith("AWS::"):
            return Unknown(f"pseudo parameter {name}")
        p = self.parameters.get(name)
        if not isinstance(p, dict):
            return Unknown(f"parameter {name} not declared")
        ptype = str(p.get("Type", ""))
        if ptype.startswith("AWS::SSM::Parameter"):
            return Unknown(f"parameter {name} comes from SSM")
        if "Default" not in p:
            return Unknown(f"parameter {name} has no Default")
        value = p["Default"]
        if ptype == "Number" and isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                try:
                    return float(value)
                except ValueError:
                    return value
        if ptype.startswith("List<") or ptype == "CommaDelimitedList":
            if isinstance(value, str):
                return [v.strip() for v in value.split(",")]
        return value

    def value(self, v: Any, depth: int = 0) -> Any:
        """A literal for ``v`` (dicts and lists resolved member-wise), ``Unknown`` where it cannot be known."""
        if depth > 50:
            return Unknown("too deeply nested intrinsic functions")
        if isinstance(v, dict):
            if len(v) == 1:
                (k, arg), = v.items()
                if k == "Ref":
                    if isinstance(arg, str) and arg in self.types:
                        return Unknown(f"the physical id of {arg}")
                    return self.param(arg) if isinstance(arg, str) else Unknown("Ref to a non-name")
                if k == "Fn::GetAtt":
                    return Unknown("an attribute known only at deploy time")
                if k == "Fn::If":
                    return self._if(arg, depth)
                if k == "Fn::FindInMap":
                    return self._find_in_map(arg, depth)
                if k == "Fn::Sub":
                    return self._sub(arg, depth)
                if k == "Fn::Join":
                    return self._join(arg, depth)
                if k == "Fn::Select":
                    return self._select(arg, depth)
                if k == "Fn::Split":
                    return self._split(arg, depth)
                if k == "Fn::ToJsonString":
                    inner = self.value(arg, depth + 1)
                    return Unknown("unresolved JSON") if _has_unknown(inner) else json.dumps(inner)
                if k.startswith("Fn::") or k == "Condition":
                    return Unknown(f"{k} cannot be resolved statically")
            out = LDict(span=getattr(v, "span", None))
            spans, out_spans = getattr(v, "spans", {}), out.spans
            for key, item in v.items():
                r = self.value(item, depth + 1)
                if r is NO_VALUE:
                    continue
                out[key] = r
                span = spans.get(key)
                if span is not None:
                    out_spans[key] = span
            return out
        if isinstance(v, list):
            items = [self.value(i, depth + 1) for i in v]
            return [i for i in items if i is not NO_VALUE]
        return v

    def condition(self, name_or_expr: Any, depth: int = 0) -> bool | Unknown:
        """Evaluate a condition (by name or expression) from parameter defaults."""
        if depth > 50:
            return Unknown("condition too deep")
        if isinstance(name_or_expr, str):
            if name_or_expr in self._cond_cache:
                return self._cond_cache[name_or_expr]
            self._cond_cache[name_or_expr] = Unknown("condition cycle")
            expr = self.conditions.get(name_or_expr)
            result = Unknown(f"condition {name_or_expr} not declared") if expr is None else self.condition(expr, depth + 1)
            self._cond_cache[name_or_expr] = result
            return result
        if isinstance(name_or_expr, bool):
            return name_or_expr
        if not isinstance(name_or_expr, dict) or len(name_or_expr) != 1:
            return Unknown("malformed condition")
        (k, arg), = name_or_expr.items()
        if k == "Condition":
            return self.condition(arg, depth + 1)
        if not isinstance(arg, list):
            return Unknown("malformed condition")
        if k == "Fn::Equals" and len(arg) == 2:
            a, b = (self.value(x, depth + 1) for x in arg)
            if _has_unknown(a) or _has_unknown(b):
                return Unknown("condition on an unknown value")
            return str(a) == str(b) if not isinstance(a, (list, dict)) else a == b
        parts = [self.condition(x, depth + 1) for x in arg]
        if k == "Fn::Not" and len(parts) == 1:
            return parts[0] if isinstance(parts[0], Unknown) else not parts[0]
        if k == "Fn::And":
            if any(p is False for p in parts):
                return False
            return Unknown("condition on an unknown value") if any(isinstance(p, Unknown) for p in parts) else True
        if k == "Fn::Or":
            if any(p is True for p in parts):
                return True
            return Unknown("condition on an unknown value") if any(isinstance(p, Unknown) for p in parts) else False
        return Unknown(f"unsupported condition {k}")

    def chosen(self, v: Any) -> Any:
        """What ``v`` stands for when it is an ``Fn::If``: the branch its condition picks (``NO_VALUE`` for
        ``Ref: AWS::NoValue``), Unknown when the condition cannot be evaluated; anything else unchanged. The
        branch stays as written (references are not resolved), for a reader that resolves its parts itself."""
        for _ in range(20):
            if not (isinstance(v, dict) and len(v) == 1):
                return v
            (k, arg), = v.items()
            if k == "Ref" and arg == "AWS::NoValue":
                return NO_VALUE
            if k != "Fn::If":
                return v
            if not (isinstance(arg, list) and len(arg) == 3):
                return Unknown("malformed Fn::If")
            cond = self.condition(arg[0])
            if not isinstance(cond, bool):
                return Unknown("Fn::If with a condition that cannot be evaluated")
            v = arg[1] if cond else arg[2]
        return Unknown("too deeply nested Fn::If")

    def sub_json(self, arg: Any, span: Span | None) -> LDict | None:
        """A JSON document written through ``Fn::Sub`` (a redrive policy, a policy document), read as far as
        possible: ``${Resource}``/``${Resource.Attr}`` become references to the resource, parameters their
        defaults, anything else Unknown."""
        text = arg if isinstance(arg, str) else (arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None)
        if text is None:
            return None
        local = arg[1] if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict) else {}
        refs: dict[str, str] = {}

        def repl(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            logical = name.split(".", 1)[0]
            if name not in local and logical in self.types:
                token = f"\x01ref{len(refs)}\x01"
                refs[token] = logical
                return token
            value = self.value(local[name]) if name in local else self.param(name)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                return str(value)
            token = f"\x01unknown{len(refs)}\x01"
            refs[token] = ""
            return token

        try:
            doc = json.loads(_SUB_VAR.sub(repl, text), strict=False)
        except ValueError:
            return None
        if not isinstance(doc, dict):
            return None

        def rebuild(v: Any) -> Any:
            if isinstance(v, dict):
                out = LDict(span=span)
                for k, item in v.items():
                    out[k] = rebuild(item)
                    if span is not None:
                        out.spans[k] = span
                return out
            if isinstance(v, list):
                return [rebuild(i) for i in v]
            if isinstance(v, str) and "\x01" in v:
                if v in refs and refs[v]:
                    return LDict({"Ref": refs[v]}, span=span)
                return LDict({"Fn::ImportValue": "unresolved Fn::Sub variable"}, span=span)
            return v

        return rebuild(doc)

    def _if(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 3:
            return Unknown("malformed Fn::If")
        cond = self.condition(arg[0], depth + 1)
        if cond is True:
            return self.value(arg[1], depth + 1)
        if cond is False:
            return self.value(arg[2], depth + 1)
        a, b = self.value(arg[1], depth + 1), self.value(arg[2], depth + 1)
        if not _has_unknown(a) and a == b:
            return a
        return Unknown("Fn::If with a condition that cannot be evaluated")

    def _find_in_map(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) < 3:
            return Unknown("malformed Fn::FindInMap")
        keys = [self.value(a, depth + 1) for a in arg[:3]]
        if any(_has_unknown(k) for k in keys):
            return Unknown("Fn::FindInMap with a key that is not known")
        try:
            return self.value(self.mappings[keys[0]][keys[1]][keys[2]], depth + 1)
        except (KeyError, TypeError):
            if len(arg) > 3 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                return self.value(arg[3]["DefaultValue"], depth + 1)
            return Unknown("Fn::FindInMap entry not found")

    def _sub(self, arg: Any, depth: int) -> Any:
        if isinstance(arg, str):
            text, local = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            text, local = arg[0], arg[1]
        else:
            return Unknown("malformed Fn::Sub")
        unknown: list[Unknown] = []

        def repl(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            if name in local:
                r = self.value(local[name], depth + 1)
            elif "." in name:
                r = Unknown("an attribute known only at deploy time")
            elif name in self.types:
                r = Unknown(f"the physical id of {name}")
            else:
                r = self.param(name)
            if _has_unknown(r) or isinstance(r, (list, dict)) or r is NO_VALUE:
                unknown.append(r if isinstance(r, Unknown) else Unknown("unresolved Fn::Sub variable"))
                return ""
            return str(r)

        out = _SUB_VAR.sub(repl, text).replace("${!", "${")
        return unknown[0] if unknown else out

    def _join(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::Join")
        sep = self.value(arg[0], depth + 1)
        items = self.value(arg[1], depth + 1)
        if _has_unknown(sep) or _has_unknown(items) or not isinstance(items, list):
            return Unknown("Fn::Join of unknown values")
        return str(sep).join(str(i) for i in items)

    def _select(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::Select")
        idx, items = self.value(arg[0], depth + 1), self.value(arg[1], depth + 1)
        try:
            return items[int(idx)]
        except (TypeError, ValueError, IndexError, KeyError):
            return Unknown("Fn::Select of unknown values")

    def _split(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::Split")
        sep, text = self.value(arg[0], depth + 1), self.value(arg[1], depth + 1)
        if isinstance(sep, str) and isinstance(text, str):
            return text.split(sep) if sep else Unknown("Fn::Split with an empty delimiter")
        return Unknown("Fn::Split of unknown values")

    # ------------------------------------------------------------------------------------------ targets

    def target(self, v: Any, span: Span | None = None, depth: int = 0) -> Target:
        """Which resource ``v`` names: a node id of this template, an outside ARN, or Unknown."""
        if v is None:
            return Target(unknown=Unknown("no value"), span=span)
        if depth > 20:
            return Target(unknown=Unknown("too deeply nested"), span=span)
        if isinstance(v, dict) and len(v) == 1:
            (k, arg), = v.items()
            if k == "Ref" and isinstance(arg, str):
                if arg in self.types:
                    return self._node(arg, span)
                head, _, tail = arg.partition(".")
                if tail in ("Alias", "Version") and self.types.get(head) in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
                    return self._node(head, span)  # SAM's reference to a function's generated alias or version
                return self._literal(self.param(arg), span, depth)
            if k == "Fn::GetAtt":
                logical = None
                if isinstance(arg, list) and arg and isinstance(arg[0], str):
                    logical = arg[0]
                elif isinstance(arg, str):
                    logical = arg.split(".", 1)[0]
                if logical is not None and logical in self.types:
                    return self._node(logical, span)
                return Target(unknown=Unknown("Fn::GetAtt of an unknown resource"), span=span)
            if k == "Fn::Sub":
                text = arg if isinstance(arg, str) else (arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None)
                local = arg[1] if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict) else {}
                if text is not None:
                    named = self._named_in_sub(text, local, depth)
                    if named is not None:
                        return named if named.span else Target(named.node, named.arn, named.unknown, named.service, span)
            if k == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
                nodes = [t for t in (self.target(p, span, depth + 1) for p in arg[1] if isinstance(p, dict)) if t.node]
                if len(nodes) == 1:
                    return nodes[0]
            if k == "Fn::If":
                value = self._if_target(arg, span, depth)
                if value is not None:
                    return value
            if k == "Fn::ImportValue":
                return Target(unknown=Unknown("Fn::ImportValue: defined in another stack"), span=span)
        self._own_account = True
        try:
            literal = self.value(v, depth + 1)
        finally:
            self._own_account = False
        return self._literal(literal, span, depth)

    def _if_target(self, arg: Any, span: Span | None, depth: int) -> Target | None:
        if not isinstance(arg, list) or len(arg) != 3:
            return None
        cond = self.condition(arg[0])
        if cond is True:
            return self.target(arg[1], span, depth + 1)
        if cond is False:
            return self.target(arg[2], span, depth + 1)
        a, b = self.target(arg[1], span, depth + 1), self.target(arg[2], span, depth + 1)
        if a.known and (a.node, a.arn) == (b.node, b.arn):
            return a
        return Target(unknown=Unknown("Fn::If with a condition that cannot be evaluated"), span=span)

    def _named_in_sub(self, text: str, local: Mapping[str, Any], depth: int) -> Target | None:
        names = []
        for m in _SUB_VAR.finditer(text):
            name = m.group(1).strip()
            if name in local:
                t = self.target(local[name], None, depth + 1)
                if t.node:
                    names.append(t.node)
                continue
            logical = name.split(".", 1)[0]
            if logical in self.types:
                names.append(logical)
        names = list(dict.fromkeys(names))
        if len(names) == 1:
            return self._node(names[0], None)
        return None

    def _node(self, logical: str, span: Span | None) -> Target:
        return Target(node=logical, service=TYPE_SERVICE.get(self.types.get(logical, "")), span=span)

    def _literal(self, value: Any, span: Span | None, depth: int) -> Target:
        if isinstance(value, Unknown):
            return Target(unknown=value, span=span)
        if not isinstance(value, str) or not value:
            return Target(unknown=Unknown("not a resource reference"), span=span)
        if value == "*":
            return Target(arn="*", span=span)
        service = arn_service(value)
        name = arn_name(value) if service else None
        if service and name and not is_pattern(value):
            logical = self.physical_names.get((service, name))
            if logical:
                return self._node(logical, span)
        if service is None and value.startswith("https://sqs."):
            service, name = "sqs", value.rsplit("/", 1)[-1]
            logical = self.physical_names.get(("sqs", name))
            if logical:
                return self._node(logical, span)
        return Target(arn=value, service=service, span=span)


def _has_unknown(v: Any) -> bool:
    if isinstance(v, Unknown):
        return True
    if isinstance(v, dict):
        return any(_has_unknown(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_unknown(x) for x in v)
    return False


def located(container: Any, key: str, resolved: Any, fallback: Span) -> Val[Any]:
    """A ``Val`` for ``container[key]`` with the span of where it is written."""
    span = container.spans.get(key) if isinstance(container, LDict) else None
    return Val(resolved, span or fallback)
