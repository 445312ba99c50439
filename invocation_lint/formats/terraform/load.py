"""Terraform into the Model: a module directory (``.tf``/``.tf.json``) or ``terraform show -json`` output.

Both inputs become a list of resource instances (``Inst``: address, type, located values) and one builder
turns those into nodes, triggers and failure routes, mirroring the CloudFormation builder so that a Terraform
project and its CloudFormation twin give the same Model. Node ids are Terraform addresses
(``aws_sqs_queue.orders``, ``module.worker.aws_lambda_function.this[0]``, ``aws_sqs_queue.q["a"]``).

Defaults are AWS's (the provider's are the same), from the one table in ``invocation_lint.defaults``.

Modules: a local source (``./…``) is read from disk with its inputs; ``terraform-aws-modules/lambda/aws`` and
``terraform-aws-modules/sqs/aws`` (whose source is not on disk) are modelled by the small stand-ins in
``terraform.registry``, with the resource addresses the real modules use; another remote module is read from
``.terraform/modules`` when ``terraform init`` installed it there, else it is opaque (its outputs are Unknown) and
is mentioned in the Model's notes. Findings on a remote module's resources point at the user's ``module`` block.

Plan and state JSON (``terraform show -json``) go through the same builder: ``load_plan``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from ...model import (
    CodeLocation,
    Model,
    Queue,
    Role,
    Target,
    Unknown,
    Val,
)
from ...source import InputError, LDict, LList, Span
from ..aws import arn_name, arn_service, is_pattern
from ..build import ModelBuilder, Policy
from ..callers import (
    COGNITO_NESTED,
    COGNITO_TRIGGERS,
    FIREHOSE_LAMBDA_PARAMETER,
    appsync_data_source_modes,
    codepipeline_is_lambda,
    config_rule_mode,
    connect_mode,
    firehose_lambda_processor,
    fixed_mode,
    pipe_target_mode,
    state_machine_tasks,
)
from ..event_sources import mapping_service
from ..invokers import rest_integration_mode, ses_mode
from ..values import as_bool as _as_bool
from ..values import as_int as _as_int
from .evaluate import Encoded, ModuleDef, ModuleInstance, Ref, TemplateUnknown, deref, read_module_dir
from .registry import STUB_PREFIX, instance_span, registry_module, remap_stub_values
from .vocabulary import TERRAFORM

#: an event source mapping's arguments, as ``event_sources.mapping_service`` asks about them
_TF_MAPPING_SETTINGS = {
    "starting_position": "starting_position", "queues": "queues", "self_managed": "self_managed_event_source",
    "topics": "topics", "docdb_config": "document_db_event_source_config",
    "source_access": "source_access_configuration", "msk_config": "amazon_managed_kafka_event_source_config",
}

#: Terraform resource type → the service its ARN belongs to (Target.service)
TYPE_SERVICE = {
    "aws_sqs_queue": "sqs",
    "aws_sns_topic": "sns",
    "aws_lambda_function": "lambda",
    "aws_lambda_alias": "lambda",
    "aws_cloudwatch_event_bus": "events",
    "aws_cloudwatch_event_rule": "events",
    "aws_s3_bucket": "s3",
    "aws_kinesis_stream": "kinesis",
    "aws_dynamodb_table": "dynamodb",
    "aws_iam_role": "iam",
    "aws_iam_policy": "iam",
    "aws_sfn_state_machine": "states",
    "aws_msk_cluster": "kafka",
    "aws_mq_broker": "mq",
    "aws_docdb_cluster": "docdb",
    "aws_apigatewayv2_api": "apigateway",
    "aws_api_gateway_rest_api": "apigateway",
    "aws_scheduler_schedule": "scheduler",
    "data.aws_sqs_queue": "sqs",
    "data.aws_sns_topic": "sns",
    "data.aws_lambda_function": "lambda",
    "data.aws_kinesis_stream": "kinesis",
    "data.aws_dynamodb_table": "dynamodb",
    "data.aws_iam_role": "iam",
}

#: attributes holding a resource's physical name, used to map literal ARNs and names back to resources
NAME_ATTR = {
    "aws_sqs_queue": "name",
    "aws_sns_topic": "name",
    "aws_lambda_function": "function_name",
    "aws_s3_bucket": "bucket",
    "aws_kinesis_stream": "name",
    "aws_dynamodb_table": "name",
    "aws_cloudwatch_event_bus": "name",
    "aws_iam_role": "name",
}

# ---------------------------------------------------------------------------------------------- instances


class Inst:
    """One resource instance, whichever input it came from; ``values`` are computed on first use."""

    __slots__ = ("address", "type", "span", "origin", "_values", "_get")

    def __init__(self, address: str, type_: str, span: Span, get: Callable[[], LDict], origin: str = "") -> None:
        self.address, self.type, self.span = address, type_, span
        self.origin = origin or address
        self._get = get
        self._values: LDict | None = None

    @property
    def values(self) -> LDict:
        if self._values is None:
            self._values = self._get()
        return self._values


_deref = deref


def as_int(v: Any) -> int | Unknown:
    return _as_int(_deref(v))


def as_bool(v: Any) -> bool | Unknown:
    return _as_bool(_deref(v))


def as_str(v: Any) -> str | Unknown:
    v = _deref(v)
    if isinstance(v, Unknown):
        return v
    if isinstance(v, str):
        return v
    return Unknown("not a string")


def blocks(values: Mapping[str, Any] | None, key: str) -> list[LDict]:
    """A nested block as a list of located dicts, for both syntaxes (a JSON object or a list of objects)."""
    if not isinstance(values, Mapping):
        return []
    v = _deref(values.get(key))
    if isinstance(v, Mapping):
        v = [v]
    if not isinstance(v, list):
        return []
    out = []
    for i, item in enumerate(v):
        if isinstance(item, Mapping):
            if not isinstance(item, LDict):
                span = v.span_of(i) if isinstance(v, LList) else getattr(values, "span", None)
                item = LDict(item, span=span)
            elif item.span is None and isinstance(values, LDict):
                item.span = values.span_of(key)
            out.append(item)
    return out


#: one statement of a policy document being merged: its ``Sid`` ("" when it has none) and what adds it to a role
_Entry = tuple[str | None, Callable[[], None]]


def _sid(v: Any) -> str | None:
    """A statement's ``Sid``: "" when it has none, None when it is not known before apply."""
    v = _deref(v)
    if v is None:
        return ""
    return v if isinstance(v, str) else None


def _merge_by_sid(merged: list[_Entry], new: list[_Entry]) -> list[_Entry]:
    """``new`` merged over ``merged`` as the AWS provider merges policy documents: a statement with a ``Sid``
    replaces the one with the same ``Sid`` in place, or is added at the end; one without a ``Sid`` is added. A
    ``Sid`` known only after apply is added (whether it replaces one cannot be told; the role stays incomplete)."""
    out = list(merged)
    for sid, add in new:
        if sid:
            for i, (old, _) in enumerate(out):
                if old == sid:
                    out[i] = (sid, add)
                    break
            else:
                out.append((sid, add))
        else:
            out.append((sid, add))
    return out


def _is_set(values: Mapping[str, Any], key: str) -> bool:
    return key in values and values[key] is not None


# -------------------------------------------------------------------------------------------------- builder


class Builder:
    """Resource instances → Model (mirrors ``cloudformation.Builder``)."""

    def __init__(self, model: Model, insts: list[Inst], module_dir: str) -> None:
        self.m = model
        self.b = ModelBuilder(model)
        self.insts = insts
        self.by_addr = {i.address: i for i in insts}
        self.module_dir = module_dir
        self._names: dict[tuple[str, str], str] | None = None
        self._identities: dict[str, tuple[str, str]] | None = None
        #: the S3 objects, found once (a function looks its code up among them: not among every instance)
        self._s3_objects = [i for i in insts if i.type in _S3_OBJECT_TYPES]

    # -------------------------------------------------------------------------------------- helpers

    def names(self) -> dict[tuple[str, str], str]:
        """(service, physical name) → address, for literal names and ARNs of resources of this module."""
        if self._names is None:
            self._names = {}
            for inst in self.insts:
                attr = NAME_ATTR.get(inst.type)
                if attr is None:
                    continue
                name = _deref(inst.values.get(attr))
                if isinstance(name, str) and name:
                    self._names[(TYPE_SERVICE.get(inst.type, ""), name)] = inst.address
        return self._names

    def identities(self) -> dict[str, tuple[str, str]]:
        """Known ARNs/URLs/ids (state and plan values) → (address, attribute)."""
        if self._identities is None:
            self._identities = {}
            for inst in self.insts:
                for attr in ("arn", "url", "invoke_arn", "stream_arn", "qualified_arn", "id"):
                    v = inst.values.get(attr) if attr in inst.values else None
                    if isinstance(v, str) and v and (attr != "id" or v.startswith(("arn:", "https://"))):
                        self._identities.setdefault(v, (inst.address, attr))
        return self._identities

    def setting(self, values: Mapping[str, Any], key: str, conv: Any, span: Span) -> Val[Any] | None:
        """The located value of ``values[key]``; None when absent or null."""
        if not _is_set(values, key):
            return None
        raw = _deref(values[key])
        value = conv(raw) if conv else (raw if isinstance(raw, (str, int, float, bool, Unknown)) else Unknown("not a plain value"))
        where = values.spans.get(key) if isinstance(values, LDict) else None
        return Val(value, where or span)

    def val(self, values: Mapping[str, Any], key: str, fallback: Any, conv: Any, span: Span) -> Val[Any]:
        """The located value of ``values[key]``; ``fallback`` (marked as the default) when absent or null."""
        v = self.setting(values, key, conv, span)
        return v if v is not None else Val(fallback, span, True)

    def target(self, values: Mapping[str, Any], key: str, span: Span) -> Target | None:
        if not _is_set(values, key):
            return None
        where = (values.spans.get(key) if isinstance(values, LDict) else None) or span
        return self.target_of(values[key], where)

    def target_of(self, v: Any, span: Span | None) -> Target:
        if isinstance(v, Ref):
            inst = self.by_addr.get(v.address)
            ttype = v.type
            if v.type.startswith("data."):
                return Target(unknown=Unknown(f"{v.address}: an existing resource read by a data source"),
                              service=TYPE_SERVICE.get(ttype), span=span)
            if inst is None:
                return Target(unknown=Unknown(f"{v.address} is not modelled"), span=span)
            return Target(node=v.address, service=TYPE_SERVICE.get(ttype), span=span)
        if isinstance(v, TemplateUnknown):
            return self._template_target(v, span)
        if isinstance(v, Unknown):
            return Target(unknown=v, span=span)
        if isinstance(v, str):
            ident = self.identities().get(v)
            if ident is not None:
                inst = self.by_addr[ident[0]]
                return Target(node=inst.address, service=TYPE_SERVICE.get(inst.type), span=span)
            if v.startswith("arn:"):
                service = arn_service(v)
                name = arn_name(v)
                if service and name:
                    if service == "dynamodb" and "/stream/" in v:
                        name = v.split(":table/", 1)[-1].split("/", 1)[0]
                    node = self.names().get((service, name))
                    if node:
                        return Target(node=node, service=service, span=span)
                return Target(arn=v, service=service, span=span)
            if v == "*":
                return Target(arn="*", span=span)
            return Target(unknown=Unknown(f"{v!r} is not an ARN"), span=span)
        return Target(unknown=Unknown("not a reference"), span=span)

    def _template_target(self, v: Any, span: Span | None) -> Target:
        """``"${aws_sqs_queue.q.arn}/x"`` names ``aws_sqs_queue.q`` (as ``Fn::Sub`` naming one resource does);
        ``"arn:aws:sqs:${region}:${account}:jobs"`` names the queue called ``jobs``."""
        addrs = list(dict.fromkeys(r.address for r in v.refs.values() if r.address in self.by_addr
                                   and not r.type.startswith("data.")))
        if len(addrs) == 1:
            inst = self.by_addr[addrs[0]]
            return Target(node=inst.address, service=TYPE_SERVICE.get(inst.type), span=span)
        text = re.sub(r"\$\{[^}]*\}", "*", v.text)
        service = arn_service(text)
        name = arn_name(text) if service else None
        if service and name and not is_pattern(text):
            node = self.names().get((service, name))
            if node:
                return Target(node=node, service=service, span=span)
        return Target(unknown=v, span=span)

    def function_of(self, target: Target | None, name: Any = None) -> str | None:
        """The function node a ``function_name``/ARN names (an address, a name, an ARN, through aliases)."""
        if target is None:
            return None
        if target.node:
            if target.node in self.m.functions:
                return target.node
            inst = self.by_addr.get(target.node)
            if inst is not None and inst.type == "aws_lambda_alias":
                return self.function_of(self.target(inst.values, "function_name", inst.span))
            return None
        if name is not None:
            plain = _deref(name)
            if isinstance(plain, str) and not plain.startswith("arn:"):
                node = self.names().get(("lambda", plain.split(":", 1)[0]))
                if node in self.m.functions:
                    return node
        if target.arn:
            node = self.names().get(("lambda", arn_name(target.arn) or ""))
            if node in self.m.functions:
                return node
        return None

    def _fn(self, values: LDict, key: str, span: Span) -> str | None:
        if not _is_set(values, key):
            return None
        return self.function_of(self.target(values, key, span), values.get(key))

    def _written(self, values: Mapping[str, Any], key: str) -> Any:
        """The value of ``values[key]``; None when it is not set."""
        return _deref(values[key]) if _is_set(values, key) else None

    def _written_int(self, values: Mapping[str, Any], key: str, span: Span) -> Val[Any] | None:
        """The located whole number ``values[key]``; None when it is not set."""
        return self.val(values, key, None, as_int, span) if _is_set(values, key) else None

    def _json_doc(self, v: Any, span: Span) -> Any:
        """A JSON document attribute (``jsonencode({...})``, a JSON string, a heredoc) as a located dict."""
        v = _deref(v) if not isinstance(v, TemplateUnknown) else v
        if isinstance(v, Encoded):
            v = v.value
        if isinstance(v, TemplateUnknown):
            try:
                doc = json.loads(v.text)
            except ValueError:
                return Unknown("a document built from values known only after apply")
            return _relocate(_restore_refs(doc, v.refs), span)
        if isinstance(v, str):
            try:
                doc = json.loads(v)
            except ValueError:
                return Unknown("not valid JSON")
            return _relocate(doc, span)
        if isinstance(v, Mapping):
            return v if isinstance(v, LDict) else _relocate(v, span)
        if isinstance(v, Unknown):
            return v
        return Unknown("not a JSON document")

    # ------------------------------------------------------------------------------------------ run

    def run(self) -> None:
        for inst in self.insts:
            if inst.type.startswith("data."):
                continue
            self.m.resources[inst.address] = (inst.type, inst.span)
            fn = _NODE_BUILDERS.get(inst.type)
            if fn:
                fn(self, inst)
        for inst in self.insts:
            fn = _EDGE_BUILDERS.get(inst.type)
            if fn:
                fn(self, inst)
        self.b.attach_policies()
        self.b.add_permission_triggers()

    # ---------------------------------------------------------------------------------------- nodes

    def queue(self, inst: Inst) -> None:
        v = inst.values
        self.b.add_queue(
            inst.address, inst.type, inst.span, inst.origin,
            fifo=self.setting(v, "fifo_queue", as_bool, inst.span), name=self.setting(v, "name", None, inst.span),
            visibility=self.setting(v, "visibility_timeout_seconds", as_int, inst.span),
            retention=self.setting(v, "message_retention_seconds", as_int, inst.span),
        )

    def topic(self, inst: Inst) -> None:
        v = inst.values
        self.b.add_topic(inst.address, inst.type, inst.span, inst.origin,
                         fifo=self.setting(v, "fifo_topic", as_bool, inst.span),
                         name=self.setting(v, "name", None, inst.span))

    def stream(self, inst: Inst) -> None:
        self.b.add_stream(inst.address, inst.type, inst.span, inst.origin, "kinesis")

    def table(self, inst: Inst) -> None:
        if as_bool(inst.values.get("stream_enabled")) is True:
            self.b.add_stream(inst.address, inst.type, inst.span, inst.origin, "dynamodb")

    def bucket(self, inst: Inst) -> None:
        self.b.add_bucket(inst.address, inst.type, inst.span, inst.origin)

    def bus(self, inst: Inst) -> None:
        self.b.add_bus(inst.address, inst.type, inst.span, inst.origin)

    def rest_api(self, inst: Inst) -> None:
        self.b.add_api(inst.address, inst.type, inst.span, inst.origin, v2=False)

    def http_api(self, inst: Inst) -> None:
        self.b.add_api(inst.address, inst.type, inst.span, inst.origin, v2=True,
                       protocol_type=_deref(inst.values.get("protocol_type")))

    def role(self, inst: Inst) -> None:
        v = inst.values
        role = self.b.add_role(inst.address, inst.type, inst.span, inst.origin)
        for blk in blocks(v, "inline_policy"):
            if _is_set(blk, "policy"):
                self._statements(role, blk["policy"], blk.span_of("policy") or inst.span)
        if isinstance(_deref(v.get("inline_policy")), Unknown):
            self.b.role_incomplete(role)
        managed = _deref(v.get("managed_policy_arns"))
        if isinstance(managed, list):
            for item in managed:
                self._managed(role, item, v.spans.get("managed_policy_arns", inst.span))
        elif managed is not None:
            self.b.role_incomplete(role)

    def _managed(self, role: Role, arn: Any, span: Span) -> None:
        """A policy ARN attached to a role: a policy of this module, or one from elsewhere."""
        policy = self._policy_of(arn)
        if policy is not None:
            self.b.attach_policy(policy, role.id)
            return
        plain = _deref(arn)
        # ``arn:${data.aws_partition.current.partition}:iam::aws:policy/...`` still names its policy
        self.b.managed_policy(role, plain.text if isinstance(plain, TemplateUnknown) else plain)

    def _policy_of(self, arn: Any) -> str | None:
        """The ``aws_iam_policy`` of this module that ``arn`` names (a reference, or its ARN from a state)."""
        if isinstance(arn, Ref) and arn.address in self.by_addr and self.by_addr[arn.address].type == "aws_iam_policy":
            return arn.address
        plain = _deref(arn)
        if isinstance(plain, str):
            ident = self.identities().get(plain)
            if ident and self.by_addr[ident[0]].type == "aws_iam_policy":
                return ident[0]
        return None

    def policy(self, inst: Inst) -> None:
        """``aws_iam_policy``: its statements, for the roles it is attached to."""
        policy = self.b.add_policy(inst.address)
        if _is_set(inst.values, "policy"):
            self._statements(policy, inst.values["policy"], inst.values.span_of("policy") or inst.span)
        else:
            self.b.role_incomplete(policy)

    def _statements(self, role: Role | Policy, document: Any, span: Span) -> None:
        for _, add in self._document(role, document, span, 0):
            add()

    def _document(self, role: Role | Policy, document: Any, span: Span, depth: int) -> list[_Entry]:
        """The statements of a policy document (a ``data "aws_iam_policy_document"``, or JSON), in order, each as
        its ``Sid`` and what adds it to ``role``; what cannot be read makes ``role`` incomplete."""
        if isinstance(document, Ref) and document.type == "data.aws_iam_policy_document":
            inst = self.by_addr.get(document.address)
            if inst is None or depth > 10:
                self.b.role_incomplete(role)
                return []
            return self._doc_entries(role, inst, depth)
        return [(_sid(st.get("Sid")), partial(self._json_statement, role, st, where))
                for st, where in self.b.policy_statements(role, self._json_doc(document, span), span)]

    def _json_statement(self, role: Role | Policy, st: Mapping[Any, Any], where: Span) -> None:
        not_action = "NotAction" in st
        actions = _deref(st.get("NotAction") if not_action else st.get("Action", []))
        not_resource = "NotResource" in st
        raw = st.get("NotResource" if not_resource else "Resource")
        raw = _deref(raw) if not isinstance(raw, Ref) else raw
        if not isinstance(raw, list) and raw is not None:
            raw = [raw]
        self.b.add_statement(
            role, where, effect=_deref(st.get("Effect", "Allow")),
            actions=[_deref(a) for a in actions] if isinstance(actions, list) else actions,
            not_action=not_action, resources=None if raw is None else [self._policy_target(x, where) for x in raw],
            not_resource=not_resource, conditional="Condition" in st)

    def _policy_target(self, x: Any, span: Span) -> Target:
        """A policy's resource: a node, an ARN or ARN pattern; ``arn:aws:sns:${region}:${account}:*`` keeps its
        shape as a pattern (``${...}`` stands for any value, as for CloudFormation's pseudo parameters)."""
        plain = _deref(x)
        if isinstance(plain, str) and is_pattern(plain):
            return Target(arn=plain, service=arn_service(plain), span=span)
        if isinstance(x, TemplateUnknown):
            t = self._template_target(x, span)
            if t.node is None and x.text.startswith("arn:"):
                return Target(arn=x.text, service=arn_service(x.text), span=span)
            return t
        return self.target_of(x, span)

    def _doc_entries(self, role: Role | Policy, inst: Inst, depth: int) -> list[_Entry]:
        """``data "aws_iam_policy_document"``: its ``statement`` blocks merged with the documents it names, as the
        AWS provider merges them (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/
        iam_policy_document): ``source_json`` and then each of ``source_policy_documents`` first, the document's
        own statements over them, then each of ``override_policy_documents`` and ``override_json``. At each step a
        statement with a non-blank ``sid`` replaces, in its place, the statement with the same ``sid`` merged so
        far, and is added at the end when there is none; a statement without one is always added."""
        v = inst.values
        if isinstance(_deref(v.get("statement")), Unknown):
            self.b.role_incomplete(role)
        own: list[_Entry] = [(_sid(st.get("sid")), partial(self._block_statement, role, st, inst))
                             for st in blocks(v, "statement")]
        layers = [self._document(role, doc, span, depth + 1)
                  for key in ("source_json", "source_policy_documents")
                  for doc, span in self._documents(role, v, key, inst.span)]
        layers.append(own)
        layers += [self._document(role, doc, span, depth + 1)
                   for key in ("override_policy_documents", "override_json")
                   for doc, span in self._documents(role, v, key, inst.span)]
        if len(layers) > 1 and any(sid is None for layer in layers for sid, _ in layer):
            self.b.role_incomplete(role)  # which statement a Sid known only after apply replaces cannot be told
        merged: list[_Entry] = []
        for layer in layers:
            merged = _merge_by_sid(merged, layer)
        return merged

    def _documents(self, role: Role | Policy, v: LDict, key: str, fallback: Span) -> list[tuple[Any, Span]]:
        """The documents a policy document argument names (one for ``*_json``, a list for ``*_documents``)."""
        if not _is_set(v, key):
            return []
        span = v.spans.get(key, fallback)
        raw = v[key]
        if key.endswith("_json"):
            return [(raw, span)]
        items = _deref(raw)
        if not isinstance(items, list):
            self.b.role_incomplete(role)
            return []
        return [(x, span) for x in items]

    def _block_statement(self, role: Role | Policy, st: LDict, inst: Inst) -> None:
        """One ``statement`` block of a ``data "aws_iam_policy_document"``."""
        where = st.span or inst.span
        not_action = _is_set(st, "not_actions")
        actions = _deref(st.get("not_actions") if not_action else st.get("actions"))
        not_resource = _is_set(st, "not_resources")
        raw = _deref(st.get("not_resources" if not_resource else "resources"))
        if not isinstance(raw, list) and raw is not None:
            self.b.role_incomplete(role)
            return
        self.b.add_statement(
            role, where, effect=as_str(st.get("effect", "Allow")) if _is_set(st, "effect") else "Allow",
            actions=[_deref(a) for a in actions] if isinstance(actions, list) else actions,
            not_action=not_action, resources=None if raw is None else [self._policy_target(x, where) for x in raw],
            not_resource=not_resource,
            conditional=bool(blocks(st, "condition")) or isinstance(_deref(st.get("condition")), Unknown))

    def _role_of(self, v: Any, span: Span) -> Role | None:
        if isinstance(v, Ref) and v.address in self.m.roles:
            return self.m.roles[v.address]
        plain = _deref(v)
        if isinstance(plain, str):
            node = self.names().get(("iam", plain)) or self.names().get(("iam", arn_name(plain) or ""))
            if node in self.m.roles:
                return self.m.roles[node]
        return None

    def role_policy(self, inst: Inst) -> None:
        v = inst.values
        policy = self.b.add_policy(inst.address)
        if _is_set(v, "policy"):
            self._statements(policy, v["policy"], v.spans.get("policy", inst.span))
        else:
            self.b.role_incomplete(policy)
        role = self._role_of(v.get("role"), inst.span)
        if role is not None:
            self.b.attach_policy(inst.address, role.id)
        elif not self._outside_role(v.get("role")):
            self.b.attach_policy(inst.address, None)

    @staticmethod
    def _outside_role(v: Any) -> bool:
        """Whether ``v``, naming no role of this module, surely names a role from elsewhere: a reference (to a data
        source, or a resource that is not a role) or a name written out; not a variable or other value known only
        at apply time."""
        return isinstance(v, Ref) or isinstance(_deref(v), str)

    def policy_attachment(self, inst: Inst) -> None:
        v = inst.values
        raw_roles = _deref(v.get("roles")) if inst.type == "aws_iam_policy_attachment" else [v.get("role")]
        if raw_roles is None:
            return
        unknown = not isinstance(raw_roles, list)
        for raw in raw_roles if isinstance(raw_roles, list) else []:
            role = self._role_of(raw, inst.span)
            if role is not None:
                self._managed(role, v.get("policy_arn"), v.spans.get("policy_arn", inst.span))
            elif not self._outside_role(raw):
                unknown = True
        if unknown:  # attached to roles known only at apply time
            policy = self._policy_of(v.get("policy_arn"))
            if policy is not None:
                self.b.attach_policy(policy, None)
            else:
                plain = _deref(v.get("policy_arn"))
                self.b.managed_policy_of_unknown_roles(plain.text if isinstance(plain, TemplateUnknown) else plain)

    def function(self, inst: Inst) -> None:
        v = inst.values
        reserved = self.setting(v, "reserved_concurrent_executions", as_int, inst.span)
        if reserved is not None and reserved.known and reserved.value == -1:  # -1: the provider's "unreserved"
            reserved = None
        dlqs = [t for dlc in blocks(v, "dead_letter_config")
                if (t := self.target(dlc, "target_arn", dlc.span or inst.span)) is not None]
        written = [dlc.span for dlc in blocks(v, "dead_letter_config") if dlc.span is not None]
        self.b.add_function(
            inst.address, inst.type, inst.span, inst.origin,
            runtime=self.setting(v, "runtime", None, inst.span), handler=self.setting(v, "handler", None, inst.span),
            timeout=self.setting(v, "timeout", as_int, inst.span), recursive_loop=None,
            package_type=_deref(v.get("package_type")), reserved_concurrency=reserved, dlqs=dlqs,
            role=self.target(v, "role", inst.span), code=self._code(inst),
            dlq_config=written[-1] if dlqs and written else None,
        )

    def _code(self, inst: Inst) -> CodeLocation:
        v = inst.values
        base = self.m.base_dir
        if _is_set(v, "__source_path"):  # terraform-aws-modules/lambda: source_path
            return self._path_code(v.get("__source_path"), v.spans.get("__source_path", inst.span))
        if not _is_set(v, "filename"):
            if _is_set(v, "s3_key"):
                return self._s3_code(v, inst.span)
            return CodeLocation("unknown", base_dir=base, span=inst.span)
        raw = v["filename"]
        span = v.spans.get("filename", inst.span)
        if isinstance(raw, Ref) and raw.type in _ARCHIVE_TYPES:
            return self._archive_code(raw, span)
        return self._path_code(raw, span, "zip")

    def _archive_code(self, ref: Any, span: Span) -> CodeLocation:
        """The code an ``archive_file`` zips: its ``source_dir`` or ``source_file`` (``source`` blocks hold text
        written into the zip, not files on disk)."""
        data = self.by_addr.get(ref.address)
        if data is not None:
            dv = data.values
            if _is_set(dv, "source_dir"):
                return self._path_code(dv["source_dir"], span, "dir")
            if _is_set(dv, "source_file"):
                return self._path_code(dv["source_file"], span, "file")
        return CodeLocation("unknown", base_dir=self.m.base_dir, span=span)

    def _s3_code(self, v: LDict, fallback: Span) -> CodeLocation:
        """``s3_bucket``/``s3_key`` naming an ``aws_s3_object`` of this configuration (by reference, or by the same
        key): the object's ``source`` is the zip (a path, or an ``archive_file``'s ``output_path``)."""
        raw = v["s3_key"]
        span = v.spans.get("s3_key", fallback)
        obj = None
        if isinstance(raw, Ref) and raw.type in _S3_OBJECT_TYPES:
            obj = self.by_addr.get(raw.address)
        else:
            key = _deref(raw)
            if isinstance(key, str):
                matches = [i for i in self._s3_objects if _deref(i.values.get("key")) == key]
                obj = matches[0] if len(matches) == 1 else None
        if obj is None or not _is_set(obj.values, "source"):
            return CodeLocation("unknown", base_dir=self.m.base_dir, span=span)
        source = obj.values["source"]
        if isinstance(source, Ref) and source.type in _ARCHIVE_TYPES:
            return self._archive_code(source, span)
        return self._path_code(source, span, "zip")

    def _path_code(self, raw: Any, span: Span, kind: str | None = None) -> CodeLocation:
        base = self.m.base_dir
        path = _deref(raw)
        if isinstance(path, Mapping):
            path = _deref(path.get("path"))
        if isinstance(path, list) and len(path) == 1:
            path = _deref(path[0])
            if isinstance(path, Mapping):
                path = _deref(path.get("path"))
        if not isinstance(path, str) or not path:
            return CodeLocation("unknown", base_dir=base, span=span)
        full = os.path.normpath(path if os.path.isabs(path) else os.path.join(self.module_dir, path))
        if kind is None or kind == "zip":
            if full.endswith(".zip"):
                kind = "zip"
            else:
                kind = "file" if os.path.isfile(full) else "dir"
        return CodeLocation(kind, path=full, base_dir=base, span=span)  # type: ignore[arg-type]

    # ---------------------------------------------------------------------------------------- edges

    def _redrive(self, queue: Queue, raw: Any, span: Span, declared_in: str) -> None:
        policy = self._json_doc(raw, span)
        if isinstance(policy, Unknown):
            self.b.redrive_unknown(queue, policy)
            return
        if not isinstance(policy, Mapping):  # a list, a number: no policy that names a queue
            self.b.redrive_unknown(queue, Unknown("redrive_policy is not an object"))
            return
        if not isinstance(policy, LDict):
            policy = LDict(policy, span=span)
        self.b.set_redrive(queue, self.target(policy, "deadLetterTargetArn", span),
                           self.setting(policy, "maxReceiveCount", as_int, span), span, declared_in)

    def queue_redrive(self, inst: Inst) -> None:
        v = inst.values
        if not _is_set(v, "redrive_policy"):
            return
        raw = v["redrive_policy"]
        if isinstance(_deref(raw), str) and not _deref(raw).strip():
            return
        self._redrive(self.m.queues[inst.address], raw, v.spans.get("redrive_policy", inst.span), inst.address)

    def redrive_resource(self, inst: Inst) -> None:
        """``aws_sqs_queue_redrive_policy``: merges into the queue it names by ``queue_url``."""
        v = inst.values
        t = self.target(v, "queue_url", inst.span)
        if t is None or t.node not in self.m.queues or not _is_set(v, "redrive_policy"):
            if t is not None and t.unknown is not None:
                self.m.notes.append(f"{inst.address}: the queue of this redrive policy is not known; it is not checked")
            return
        self._redrive(self.m.queues[t.node], v["redrive_policy"], v.spans.get("redrive_policy", inst.span), inst.address)

    def mapping(self, inst: Inst) -> None:
        v = inst.values
        fn_target = self.target(v, "function_name", inst.span)
        fn = self.function_of(fn_target, v.get("function_name"))
        if fn is None:
            return
        source = self.target(v, "event_source_arn", inst.span)
        source_type = self.by_addr[source.node].type if source is not None and source.node in self.by_addr else None

        def has(setting: str) -> bool:
            name = _TF_MAPPING_SETTINGS[setting]
            return _is_set(v, name) or bool(blocks(v, name))

        service: str | None
        if source is not None and source_type == "aws_kinesis_stream_consumer":
            # an enhanced fan-out consumer reads its stream: the mapping polls that stream
            consumer = self.by_addr[str(source.node)]
            service = "kinesis"
            source = self.b.consumer_stream(source, self.target(consumer.values, "stream_arn", consumer.span))
        else:
            service = mapping_service(self.m, source, source_type, has, TYPE_SERVICE)
        report: Val[Any] | None = None
        if _is_set(v, "function_response_types"):
            types = _deref(v["function_response_types"])
            value: Any = ("ReportBatchItemFailures" in [_deref(t) for t in types]) if isinstance(types, list) else Unknown(
                "function_response_types")
            report = Val(value, v.spans.get("function_response_types", inst.span))
        concurrency = None
        for sc in blocks(v, "scaling_config"):
            if _is_set(sc, "maximum_concurrency"):
                concurrency = self.val(sc, "maximum_concurrency", None, as_int, sc.span or inst.span)
        dest_span = None
        on_failures = []
        for dest in blocks(v, "destination_config"):
            dest_span = v.spans.get("destination_config", inst.span)
            for on_failure in blocks(dest, "on_failure"):
                t = self.target(on_failure, "destination_arn", on_failure.span or dest_span)
                if t is not None:
                    on_failures.append(t)
        has_filter = blocks(v, "filter_criteria") or isinstance(_deref(v.get("filter_criteria")), Unknown)
        self.b.add_mapping(
            fn, service, inst.span, inst.address, inst.origin, source,
            batch_size=self.setting(v, "batch_size", as_int, inst.span),
            batching_window=self.setting(v, "maximum_batching_window_in_seconds", as_int, inst.span),
            report_batch_item_failures=report, maximum_concurrency=concurrency,
            max_retry_attempts=self.setting(v, "maximum_retry_attempts", as_int, inst.span),
            max_record_age=self.setting(v, "maximum_record_age_in_seconds", as_int, inst.span),
            bisect=self.setting(v, "bisect_batch_on_function_error", as_bool, inst.span),
            destination_config=dest_span, on_failures=on_failures,
            event_filter=_deref(v.get("filter_criteria")) if has_filter else None,
            qualifier=self._qualifier_of(fn_target),
        )

    def _qualifier_of(self, target: Target | None) -> str | None:
        if target is None or not target.node:
            return None
        inst = self.by_addr.get(target.node)
        if inst is not None and inst.type == "aws_lambda_alias":
            name = _deref(inst.values.get("name"))
            return name if isinstance(name, str) else None
        return None

    def invoke_config(self, inst: Inst) -> None:
        v = inst.values
        fn = self._fn(v, "function_name", inst.span)
        if fn is None:
            return
        qualifier = _deref(v.get("qualifier")) if _is_set(v, "qualifier") else "$LATEST"
        destinations: list[tuple[str, Target]] = []
        for dest in blocks(v, "destination_config"):
            for which in ("on_failure", "on_success"):
                for blk in blocks(dest, which):
                    t = self.target(blk, "destination", blk.span or inst.span)
                    if t is not None:
                        destinations.append((which, t))
        self.b.add_invoke_config(fn, inst.origin, inst.span, qualifier=qualifier,
                                 retries=self.setting(v, "maximum_retry_attempts", as_int, inst.span),
                                 max_event_age=self.setting(v, "maximum_event_age_in_seconds", as_int, inst.span),
                                 destinations=destinations)

    def recursion_config(self, inst: Inst) -> None:
        v = inst.values
        fn = self._fn(v, "function_name", inst.span)
        if fn is not None:
            self.b.set_recursive_loop(fn, self.setting(v, "recursive_loop", None, inst.span))

    def subscription(self, inst: Inst) -> None:
        v = inst.values
        protocol = _deref(v.get("protocol"))
        if protocol == "sqs":  # the topic delivers into the queue
            self.b.delivery(self.target(v, "topic_arn", inst.span), self.target(v, "endpoint", inst.span), inst.span,
                            inst.origin, _is_set(v, "filter_policy"))
            return
        if protocol != "lambda":
            return
        fn = self._fn(v, "endpoint", inst.span)
        topic = self.target(v, "topic_arn", inst.span)
        trig = self.b.add_trigger(fn, "async", "sns", inst.span, inst.origin, topic, inst.address)
        if trig is None or not _is_set(v, "redrive_policy"):
            return
        where = v.spans.get("redrive_policy", inst.span)
        policy = self._json_doc(v["redrive_policy"], where)
        if isinstance(policy, Mapping):
            t = self.target(policy, "deadLetterTargetArn", where)
            if t is not None:
                self.b.delivery_dlq(trig, t, "subscription-redrive", inst.address, inst.origin)

    def event_target(self, inst: Inst) -> None:
        """``aws_cloudwatch_event_target``: a rule's target (the trigger is declared by the target resource)."""
        v = inst.values
        fn = self._fn(v, "arn", inst.span)
        if fn is None:
            return
        rule_t = self.target(v, "rule", inst.span)
        rule = self.by_addr.get(rule_t.node) if rule_t is not None and rule_t.node else None
        if rule is None and rule_t is not None:
            name = _deref(v.get("rule"))
            rule = next((i for i in self.insts if i.type == "aws_cloudwatch_event_rule"
                         and _deref(i.values.get("name")) == name), None) if isinstance(name, str) else None
        service = "eventbridge"
        source: Target | None = None
        if rule is not None:
            if _is_set(rule.values, "schedule_expression"):
                service = "schedule"
            if _is_set(rule.values, "event_bus_name"):
                source = self.target(rule.values, "event_bus_name", rule.span)
            source = source or Target(node=rule.address, service="events", span=rule.span)
        trig = self.b.add_trigger(fn, "async", service, inst.span, inst.origin, source, inst.address)
        if trig is None:
            return
        for dlc in blocks(v, "dead_letter_config"):
            t = self.target(dlc, "arn", dlc.span or inst.span)
            if t is not None:
                self.b.delivery_dlq(trig, t, "target-dlq", inst.address, inst.origin)

    def schedule(self, inst: Inst) -> None:
        for tgt in blocks(inst.values, "target"):
            span = tgt.span or inst.span
            fn = self._fn(tgt, "arn", span)
            trig = self.b.add_trigger(fn, "async", "scheduler", span, inst.origin, Target(node=inst.address, span=inst.span),
                                      inst.address)
            if trig is None:
                continue
            for dlc in blocks(tgt, "dead_letter_config"):
                t = self.target(dlc, "arn", dlc.span or span)
                if t is not None:
                    self.b.delivery_dlq(trig, t, "target-dlq", inst.address, inst.origin)

    def bucket_notifications(self, inst: Inst) -> None:
        v = inst.values
        bucket = self.target(v, "bucket", inst.span)
        source = Target(node=bucket.node, service="s3", span=bucket.span) if bucket and bucket.node else bucket
        for item in blocks(v, "lambda_function"):
            span = item.span or inst.span
            fn = self._fn(item, "lambda_function_arn", span)
            written = [k for k in ("prefix", "suffix") if _is_set(item, f"filter_{k}")]
            self.b.add_trigger(fn, "async", "s3", span, inst.origin, source, inst.address,
                               event_filter={k: _deref(item.get(f"filter_{k}")) for k in written} if written else None)

    def log_subscription(self, inst: Inst) -> None:
        fn = self._fn(inst.values, "destination_arn", inst.span)
        self.b.add_trigger(fn, "async", "logs", inst.span, inst.origin, None, inst.address)

    def iot_rule(self, inst: Inst) -> None:
        for action in blocks(inst.values, "lambda"):
            span = action.span or inst.span
            fn = self._fn(action, "function_arn", span)
            self.b.add_trigger(fn, "async", "iot", span, inst.origin, None, inst.address)

    def iot_authorizer(self, inst: Inst) -> None:
        """IoT Core calls a custom authorizer while the device connects and reads its answer: synchronous."""
        v = inst.values
        fn = self._fn(v, "authorizer_function_arn", inst.span)
        self.b.add_trigger(fn, "sync", "iot-authorizer", v.spans.get("authorizer_function_arn", inst.span), inst.origin,
                           Target(node=inst.address, span=inst.span), inst.address, proxy=False,
                           authorizer=True)

    def ses_receipt_rule(self, inst: Inst) -> None:
        for action in blocks(inst.values, "lambda_action"):
            span = action.span or inst.span
            fn = self._fn(action, "function_arn", span)
            mode = ses_mode(_deref(action.get("invocation_type")) if _is_set(action, "invocation_type") else None)
            self.b.caller(fn, mode, "ses", span, inst.origin, inst.address, inst.span,
                          unknown_because=f"the SES receipt rule {inst.address} sets an invocation_type")

    def state_machine(self, inst: Inst) -> None:
        """Step Functions Task states: ``lambda:invoke`` (and a function ARN as the Resource) wait for the
        result, sync; ``Parameters.InvocationType: Event`` async."""
        v = inst.values
        if not _is_set(v, "definition"):
            return
        span = v.spans.get("definition", inst.span)
        doc = self._json_doc(v.get("definition"), span)
        if not isinstance(doc, Mapping):
            self.m.notes.append(f"{inst.address}: the state machine's definition is not known statically; the "
                                "functions its Task states invoke are not known")
            return

        def plain(x: Any) -> Any:
            return x.text if isinstance(x, TemplateUnknown) else _deref(x)

        for task in state_machine_tasks(doc, plain):
            where = task.where.span if isinstance(task.where, LDict) and task.where.span else span
            fn = self.function_of(self._policy_target(task.function, where), task.function)
            self.b.caller(fn, task.mode, "stepfunctions", where, inst.origin, inst.address, inst.span)

    def user_pool(self, inst: Inst) -> None:
        """Cognito user pool triggers: Cognito waits for the function's answer, sync."""
        for cfg in blocks(inst.values, "lambda_config"):
            for key in COGNITO_TRIGGERS.values():
                if _is_set(cfg, key):
                    span = cfg.spans.get(key, cfg.span or inst.span)
                    self.b.caller(self._fn(cfg, key, span), "sync", "cognito", span,
                                  inst.origin, inst.address, inst.span)
            for key in COGNITO_NESTED.values():
                for block in blocks(cfg, key):
                    span = block.spans.get("lambda_arn", block.span or inst.span)
                    self.b.caller(self._fn(block, "lambda_arn", span), "sync", "cognito", span,
                                  inst.origin, inst.address, inst.span)

    def distribution(self, inst: Inst) -> None:
        """Lambda@Edge: CloudFront waits for the function's answer to each request or response, sync."""
        v = inst.values
        for behavior in [*blocks(v, "default_cache_behavior"), *blocks(v, "ordered_cache_behavior")]:
            for assoc in blocks(behavior, "lambda_function_association"):
                span = assoc.spans.get("lambda_arn", assoc.span or inst.span)
                self.b.caller(self._fn(assoc, "lambda_arn", span), "sync", "cloudfront", span,
                              inst.origin, inst.address, inst.span)

    def secret_rotation(self, inst: Inst) -> None:
        """Secrets Manager calls the rotation function once per rotation step and waits for each, sync."""
        v = inst.values
        span = v.spans.get("rotation_lambda_arn", inst.span)
        self.b.caller(self._fn(v, "rotation_lambda_arn", span), "sync", "secretsmanager", span,
                      inst.origin, inst.address, inst.span)

    def config_rule(self, inst: Inst) -> None:
        """AWS Config custom Lambda rules (the mode from ``callers.config_rule_mode``)."""
        for src in blocks(inst.values, "source"):
            mode = config_rule_mode(_deref(src.get("owner")))
            if mode and _is_set(src, "source_identifier"):
                span = src.spans.get("source_identifier", src.span or inst.span)
                self.b.caller(self._fn(src, "source_identifier", span), mode, "config", span,
                              inst.origin, inst.address, inst.span)

    def codecommit_trigger(self, inst: Inst) -> None:
        """CodeCommit repository triggers whose destination is a function."""
        for trigger in blocks(inst.values, "trigger"):
            span = trigger.spans.get("destination_arn", trigger.span or inst.span)
            self.b.caller(self._fn(trigger, "destination_arn", span), fixed_mode("codecommit"), "codecommit", span,
                         inst.origin, inst.address, inst.span)

    def delivery_stream(self, inst: Inst) -> None:
        """Firehose data transformation: each destination configuration's Lambda processors."""
        for key in inst.values:
            if not key.endswith("_configuration"):
                continue
            for dest in blocks(inst.values, key):
                for proc in blocks(dest, "processing_configuration"):
                    for processor in blocks(proc, "processors"):
                        if not firehose_lambda_processor(_deref(processor.get("type"))):
                            continue
                        for param in blocks(processor, "parameters"):
                            if _deref(param.get("parameter_name")) == FIREHOSE_LAMBDA_PARAMETER:
                                span = param.spans.get("parameter_value", param.span or inst.span)
                                self.b.caller(self._fn(param, "parameter_value", span), fixed_mode("firehose"),
                                             "firehose", span, inst.origin, inst.address, inst.span)

    def pipe(self, inst: Inst) -> None:
        """EventBridge Pipes: the enrichment (sync) and the target (``callers.pipe_target_mode``)."""
        v = inst.values
        if _is_set(v, "enrichment"):
            span = v.spans.get("enrichment", inst.span)
            self.b.caller(self._fn(v, "enrichment", span), fixed_mode("pipes-enrichment"), "pipes-enrichment", span,
                         inst.origin, inst.address, inst.span)
        if _is_set(v, "target"):
            span = v.spans.get("target", inst.span)
            lam = [b for tp in blocks(v, "target_parameters") for b in blocks(tp, "lambda_function_parameters")]
            given = bool(lam) and _is_set(lam[0], "invocation_type")
            mode = pipe_target_mode(_deref(lam[0].get("invocation_type")) if given else None)
            self.b.caller(self._fn(v, "target", span), mode, "pipes", span,
                          inst.origin, inst.address, inst.span)

    def codepipeline(self, inst: Inst) -> None:
        """CodePipeline ``Invoke``/``Lambda`` actions (``callers.codepipeline_is_lambda``)."""
        for stage in blocks(inst.values, "stage"):
            for action in blocks(stage, "action"):
                if not codepipeline_is_lambda(_deref(action.get("category")), _deref(action.get("provider"))):
                    continue
                cfg = _deref(action.get("configuration"))
                if isinstance(cfg, LDict) and _is_set(cfg, "FunctionName"):
                    span = cfg.spans.get("FunctionName", action.span or inst.span)
                    self.b.caller(self._fn(cfg, "FunctionName", span), fixed_mode("codepipeline"), "codepipeline",
                                 span, inst.origin, inst.address, inst.span)

    def object_lambda_access_point(self, inst: Inst) -> None:
        """S3 Object Lambda: each transformation's function answers the request it transforms, sync."""
        for cfg in blocks(inst.values, "configuration"):
            for tc in blocks(cfg, "transformation_configuration"):
                for content in blocks(tc, "content_transformation"):
                    for lam in blocks(content, "aws_lambda"):
                        span = lam.spans.get("function_arn", lam.span or inst.span)
                        self.b.caller(self._fn(lam, "function_arn", span), fixed_mode("s3-object-lambda"),
                                     "s3-object-lambda", span, inst.origin, inst.address, inst.span)

    def connect_association(self, inst: Inst) -> None:
        """An Amazon Connect instance's function (``callers.connect_mode``)."""
        v = inst.values
        span = v.spans.get("function_arn", inst.span)
        self.b.caller(self._fn(v, "function_arn", span), connect_mode(), "connect", span,
                      inst.origin, inst.address, inst.span)

    def appsync_datasource(self, inst: Inst) -> None:
        """AppSync Lambda data sources: the mode of each resolver and pipeline function that uses it
        (``callers.appsync_data_source_modes``)."""
        v = inst.values
        if _deref(v.get("type")) != "AWS_LAMBDA":
            return
        name = _deref(v.get("name"))
        requests: list[object] = []
        for other in self.insts:
            if other.type not in ("aws_appsync_resolver", "aws_appsync_function"):
                continue
            ov = other.values
            ref = self.target(ov, "data_source", other.span)
            if not ((ref is not None and ref.node == inst.address)
                    or (isinstance(name, str) and _deref(ov.get("data_source")) == name)):
                continue
            key = next((k for k in ("code", "request_template", "request_mapping_template") if _is_set(ov, k)), None)
            raw = _deref(ov.get(key)) if key else None
            requests.append(raw.text if isinstance(raw, TemplateUnknown) else raw)
        for cfg in blocks(v, "lambda_config"):
            span = cfg.spans.get("function_arn", cfg.span or inst.span)
            fn = self._fn(cfg, "function_arn", span)
            for mode in appsync_data_source_modes(requests):
                self.b.caller(fn, mode, "appsync", span, inst.origin, inst.address, inst.span)

    def rest_integration(self, inst: Inst) -> None:
        v = inst.values
        itype = _deref(v.get("type"))
        if itype not in ("AWS_PROXY", "AWS"):
            return
        fn = self._fn(v, "uri", inst.span)
        api = self.target(v, "rest_api_id", inst.span)
        params = _deref(v.get("request_parameters"))
        if isinstance(params, Mapping):
            params = {k: _deref(x) for k, x in params.items()}
        self.b.add_trigger(fn, rest_integration_mode(itype, params), "apigateway", inst.span, inst.origin, api,
                           inst.address, api=api.node if api else None, api_kind="rest", proxy=itype == "AWS_PROXY",
                           integration_timeout_ms=self._written_int(v, "timeout_milliseconds", inst.span),
                           response_transfer_mode=self._written(v, "response_transfer_mode"))

    def rest_authorizer(self, inst: Inst) -> None:
        v = inst.values
        v2 = inst.type == "aws_apigatewayv2_authorizer"
        self.b.api_authorizer(self._fn(v, "authorizer_uri", inst.span), inst.span, inst.origin,
                              self.target(v, "api_id" if v2 else "rest_api_id", inst.span), inst.address, v2=v2)

    def http_integration(self, inst: Inst) -> None:
        v = inst.values
        itype = _deref(v.get("integration_type"))
        if itype not in ("AWS_PROXY", "AWS"):
            return
        fn = self._fn(v, "integration_uri", inst.span)
        self.b.api_v2_integration(fn, inst.span, inst.origin, self.target(v, "api_id", inst.span), inst.address,
                                  proxy=itype == "AWS_PROXY",
                                  integration_timeout_ms=self._written_int(v, "timeout_milliseconds", inst.span),
                                  payload_format_version=self._written(v, "payload_format_version"))

    def http_quick_target(self, inst: Inst) -> None:
        v = inst.values
        if _is_set(v, "target"):
            fn = self._fn(v, "target", inst.span)
            self.b.add_trigger(fn, "sync", "apigatewayv2", v.spans.get("target", inst.span), inst.origin,
                               Target(node=inst.address, span=inst.span), inst.address, api=inst.address, api_kind="http")
        if _is_set(v, "body"):
            self._openapi(inst, self.m.apis[inst.address].kind, "apigatewayv2")

    def rest_body(self, inst: Inst) -> None:
        if _is_set(inst.values, "body"):
            self._openapi(inst, "rest", "apigateway")

    def _openapi(self, inst: Inst, kind: str, service: str) -> None:
        """An API defined by an OpenAPI ``body`` (``jsonencode({...})``, a JSON string or a heredoc)."""
        v = inst.values

        def function(doc: Mapping[str, Any], key: str, span: Span) -> str | None:
            return self._fn(doc if isinstance(doc, LDict) else LDict(doc, span=span), key, span)

        self.b.openapi(self._json_doc(v["body"], v.spans.get("body", inst.span)), inst.address, inst.span, inst.origin,
                       kind, service, plain=_deref, function=function, number=self._written_int)

    def function_url(self, inst: Inst) -> None:
        fn = self._fn(inst.values, "function_name", inst.span)
        self.b.add_trigger(fn, "sync", "url", inst.span, inst.origin, None, inst.address)

    def target_group_attachment(self, inst: Inst) -> None:
        v = inst.values
        tg = self.target(v, "target_group_arn", inst.span)
        group = self.by_addr.get(tg.node) if tg is not None and tg.node else None
        if group is not None and _deref(group.values.get("target_type")) not in ("lambda",):
            return
        fn = self._fn(v, "target_id", inst.span)
        self.b.add_trigger(fn, "sync", "alb", inst.span, inst.origin,
                           Target(node=group.address, span=group.span) if group is not None else tg, inst.address)

    def permission(self, inst: Inst) -> None:
        v = inst.values
        source = self.target(v, "source_arn", inst.span)
        self.b.permission(self._fn(v, "function_name", inst.span), _deref(v.get("principal")), inst.span, inst.origin,
                          source, inst.address, names_api=self._template_api(source))

    def _template_api(self, src: Target | None) -> str | None:
        """``"${aws_api_gateway_rest_api.api.execution_arn}/*/*"`` names the API even as a template."""
        if src is not None and isinstance(src.unknown, TemplateUnknown):
            for ref in src.unknown.refs.values():
                if ref.address in self.m.apis:
                    return ref.address
        return None


_ARCHIVE_TYPES = ("data.archive_file", "archive_file")
_S3_OBJECT_TYPES = ("aws_s3_object", "aws_s3_bucket_object")


#: resource type → the ``Builder`` method that adds its node (first pass), then its edges (second pass)
_NODE_BUILDERS: dict[str, Callable[[Builder, Inst], None]] = {
    "aws_sqs_queue": Builder.queue,
    "aws_sns_topic": Builder.topic,
    "aws_kinesis_stream": Builder.stream,
    "aws_dynamodb_table": Builder.table,
    "aws_s3_bucket": Builder.bucket,
    "aws_cloudwatch_event_bus": Builder.bus,
    "aws_api_gateway_rest_api": Builder.rest_api,
    "aws_apigatewayv2_api": Builder.http_api,
    "aws_iam_role": Builder.role,
    "aws_lambda_function": Builder.function,
}
_EDGE_BUILDERS: dict[str, Callable[[Builder, Inst], None]] = {
    "aws_iam_policy": Builder.policy,
    "aws_iam_role_policy": Builder.role_policy,
    "aws_iam_role_policy_attachment": Builder.policy_attachment,
    "aws_iam_policy_attachment": Builder.policy_attachment,
    "aws_sqs_queue": Builder.queue_redrive,
    "aws_sqs_queue_redrive_policy": Builder.redrive_resource,
    "aws_lambda_event_source_mapping": Builder.mapping,
    "aws_lambda_function_event_invoke_config": Builder.invoke_config,
    "aws_lambda_function_recursion_config": Builder.recursion_config,
    "aws_sns_topic_subscription": Builder.subscription,
    "aws_cloudwatch_event_target": Builder.event_target,
    "aws_scheduler_schedule": Builder.schedule,
    "aws_s3_bucket_notification": Builder.bucket_notifications,
    "aws_cloudwatch_log_subscription_filter": Builder.log_subscription,
    "aws_iot_topic_rule": Builder.iot_rule,
    "aws_iot_authorizer": Builder.iot_authorizer,
    "aws_ses_receipt_rule": Builder.ses_receipt_rule,
    "aws_sfn_state_machine": Builder.state_machine,
    "aws_cognito_user_pool": Builder.user_pool,
    "aws_cloudfront_distribution": Builder.distribution,
    "aws_secretsmanager_secret_rotation": Builder.secret_rotation,
    "aws_config_config_rule": Builder.config_rule,
    "aws_codecommit_trigger": Builder.codecommit_trigger,
    "aws_kinesis_firehose_delivery_stream": Builder.delivery_stream,
    "aws_pipes_pipe": Builder.pipe,
    "aws_codepipeline": Builder.codepipeline,
    "aws_s3control_object_lambda_access_point": Builder.object_lambda_access_point,
    "aws_connect_lambda_function_association": Builder.connect_association,
    "aws_appsync_datasource": Builder.appsync_datasource,
    "aws_api_gateway_integration": Builder.rest_integration,
    "aws_api_gateway_authorizer": Builder.rest_authorizer,
    "aws_apigatewayv2_authorizer": Builder.rest_authorizer,
    "aws_apigatewayv2_integration": Builder.http_integration,
    "aws_apigatewayv2_api": Builder.http_quick_target,
    "aws_api_gateway_rest_api": Builder.rest_body,
    "aws_lambda_function_url": Builder.function_url,
    "aws_lb_target_group_attachment": Builder.target_group_attachment,
    "aws_lambda_permission": Builder.permission,
}


def _restore_refs(doc: Any, refs: Mapping[str, Any]) -> Any:
    if isinstance(doc, str):
        if doc in refs:
            return refs[doc]
        if "${" in doc:
            used = {k: r for k, r in refs.items() if k in doc}
            return TemplateUnknown(doc, used) if used else doc
        return doc
    if isinstance(doc, dict):
        return {k: _restore_refs(x, refs) for k, x in doc.items()}
    if isinstance(doc, list):
        return [_restore_refs(x, refs) for x in doc]
    return doc


def _relocate(doc: Any, span: Span) -> Any:
    """Plain JSON data as located containers, every member at ``span`` (the attribute holding the document)."""
    if isinstance(doc, dict) and not isinstance(doc, LDict):
        out = LDict(span=span)
        for k, x in doc.items():
            out[k] = _relocate(x, span)
            out.spans[k] = span
        return out
    if isinstance(doc, list) and not isinstance(doc, LList):
        lst = LList([_relocate(x, span) for x in doc], span=span)
        lst.spans = [span] * len(lst)
        return lst
    return doc


# ------------------------------------------------------------------------------------------ module loading


class _Loader:
    """Reads module directories (each once) and instantiates module calls."""

    def __init__(self, root_abs: str, root_display: str, base_dir: str, notes: list[str]) -> None:
        self.root_abs = root_abs
        self.root_display = root_display
        self.base_dir = base_dir
        self.notes = notes
        self.errors: list[InputError] = []
        #: module inputs by where the caller writes them → ``argument of module.address`` (Model.written_as)
        self.written_as: dict[Span, str] = {}
        self._defs: dict[str, Any] = {}
        self._manifest: dict[str, str] | None = None
        #: the text of every file read, by path (``ModuleDef.sources``)
        self.sources: dict[str, tuple[str, bool]] = {}

    def module_def(self, abs_dir: str, display: str, root: bool) -> Any:
        key = os.path.realpath(abs_dir)
        if key not in self._defs:
            self._defs[key] = read_module_dir(abs_dir, display, root, self.base_dir, self.notes)
            self.errors.extend(self._defs[key].errors)
            self.sources.update(self._defs[key].sources)
        return self._defs[key]

    def _installed(self, call: Any) -> tuple[str, str] | None:
        """A remote module ``terraform init`` installed: ``.terraform/modules/modules.json`` maps the call's key
        (``worker``, ``worker.inner``) to its directory."""
        if self._manifest is None:
            self._manifest = {}
            path = os.path.join(self.root_abs, ".terraform", "modules", "modules.json")
            from ...files import read_limited

            try:
                data = json.loads(read_limited(path, path, 8 * 1024 * 1024, self.base_dir))
            except (InputError, ValueError, RecursionError):
                data = None
            mods = data.get("Modules") if isinstance(data, dict) else None
            for mod in mods if isinstance(mods, list) else []:
                if isinstance(mod, dict) and isinstance(mod.get("Key"), str) and isinstance(mod.get("Dir"), str):
                    self._manifest[mod["Key"]] = mod["Dir"]
        key = ".".join(re.findall(r"(?:^|\.)module\.([A-Za-z0-9_-]+)", re.sub(r"\[[^\]]*\]", "", call.address)))
        rel = self._manifest.get(key)
        if not rel:
            return None
        abs_dir = os.path.normpath(os.path.join(self.root_abs, rel))
        real_base = os.path.realpath(self.base_dir)
        if not os.path.realpath(abs_dir).startswith(real_base + os.sep) or not os.path.isdir(abs_dir):
            return None
        return abs_dir, os.path.normpath(os.path.join(self.root_display, rel))

    def instantiate(self, call: Any, prefix: str, scope: Any) -> Any:
        """A module call's instance: a local directory, a modelled registry module, or an empty stand-in."""
        src = call.source
        inputs = {name: (attr.expr, scope.in_file(call.block.file)) for name, attr in call.block.body.attrs.items()
                  if name not in ("source", "version", "count", "for_each", "providers", "depends_on")}
        parent_def = call.parent.mdef
        if isinstance(src, str) and (src.startswith("./") or src.startswith("../")):
            abs_dir = os.path.normpath(os.path.join(parent_def.abs_dir, src))
            display = os.path.normpath(os.path.join(parent_def.display_dir, src))
            real_base = os.path.realpath(self.base_dir)
            if not (os.path.realpath(abs_dir) + os.sep).startswith(real_base + os.sep) and os.path.realpath(abs_dir) != real_base:
                self.notes.append(f"{call.address}: module source {src} is outside the project; not read")
                return ModuleInstance(self, ModuleDef(abs_dir, display), prefix, {}, self.root_abs, call)
            if prefix.count("module.") > 20:
                raise InputError(display, "modules nested more than 20 deep (a module calling itself?)")
            mdef = self.module_def(abs_dir, display, False)
            return ModuleInstance(self, mdef, prefix, inputs, self.root_abs, call)
        mdef = registry_module(src, call) if isinstance(src, str) else None
        if mdef is not None:
            return ModuleInstance(self, mdef, prefix, inputs, self.root_abs, call)
        installed = self._installed(call)
        if installed is not None:
            abs_dir, display = installed
            if prefix.count("module.") > 20:
                raise InputError(display, "modules nested more than 20 deep (a module calling itself?)")
            return ModuleInstance(self, self.module_def(abs_dir, display, False), prefix, inputs, self.root_abs, call)
        self.notes.append(f"{call.address}: module source {src!r} is not on disk; its resources are not checked")
        return ModuleInstance(self, ModuleDef(parent_def.abs_dir, parent_def.display_dir), prefix, {}, self.root_abs, call)


def _outermost_user_call(inst: Any) -> Any:
    """The ``module`` block, in the user's own files, through which a remote module's resources are created."""
    call = inst.call
    parent = call.parent
    while parent.call is not None and (f"{os.sep}.terraform{os.sep}" in os.sep + parent.mdef.display_dir + os.sep):
        call = parent.call
        parent = call.parent
    return call


def _walk_instances(inst: Any, out: list[Inst], notes: list[str]) -> None:
    is_stub = inst.mdef.display_dir.startswith(STUB_PREFIX)
    # a remote module installed by ``terraform init``: its own files are not the user's to edit
    installed = not is_stub and inst.call is not None and f"{os.sep}.terraform{os.sep}modules{os.sep}" in (
        os.sep + inst.mdef.display_dir + os.sep)
    foreign_prefix = STUB_PREFIX if is_stub else inst.mdef.display_dir + os.sep
    for decls in (inst.resources.values(), inst.data.values()):
        for decl in decls:
            items = decl.instances()
            if isinstance(items, Unknown):
                notes.append(f"{decl.address}: {items.reason}; not checked")
                continue
            for ri in items:
                if is_stub or installed:
                    call = _outermost_user_call(inst)
                    get = (lambda ri=ri, call=call, fp=foreign_prefix:  # noqa: E731
                           remap_stub_values(ri.values(), call, ri, fp))
                    span = instance_span(ri, call)
                    origin = ri.address
                else:
                    get = ri.values
                    span = ri.span
                    origin = ri.address
                out.append(Inst(ri.address, decl.kind_type, span, get, origin))
    for call in inst.calls.values():
        children = call.instances()
        if isinstance(children, Unknown):
            notes.append(f"{call.address}: {children.reason}; not checked")
            continue
        for child in children:
            _walk_instances(child, out, notes)


def load_module(dir_path: str, display: str, base_dir: str) -> Model:
    """A directory of ``.tf``/``.tf.json`` files (one root module, with its local child modules) → Model."""
    abs_dir = os.path.abspath(dir_path)
    model = Model(file=display, format="terraform", base_dir=base_dir, vocabulary=TERRAFORM)
    loader = _Loader(abs_dir, display, base_dir, model.notes)
    mdef = loader.module_def(abs_dir, display, True)
    root = ModuleInstance(loader, mdef, "", {}, abs_dir)
    insts: list[Inst] = []
    try:
        _walk_instances(root, insts, model.notes)
        Builder(model, insts, abs_dir).run()
    except RecursionError:
        raise InputError(display, "configuration nested too deeply to read") from None
    _suppressions(model, mdef, loader.sources)
    model.errors.extend(loader.errors)
    model.module_calls = {call.address: call.span for call in root.calls.values()}
    model.written_as = loader.written_as
    return model


#: how much of a file is searched for resource suppressions (characters)
_SUPPRESSION_CHARS = 8 * 1024 * 1024


def _as_read(text: str, bom: bool) -> str:
    """A file's decoded text as reading it in text mode gives it: the byte order mark kept, line ends as \\n."""
    if bom:
        text = "\ufeff" + text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:_SUPPRESSION_CHARS]


_IGNORE = re.compile(r"(?:#|//)\s*invlint:\s*ignore\b(?:\[([^\]]*)\])?")
_COMMENT_ONLY = re.compile(r"^\s*(?:#|//)")


def _suppressions(model: Model, mdef: Any, sources: Mapping[str, tuple[str, bool]]) -> None:
    """``# invlint: ignore[SQS001]`` on a resource's first line, or alone on the line above it, suppresses those
    rules for every finding on that resource (the same comment syntax as inline suppressions; bare ``ignore``
    means every rule). Above a ``module`` block of a registry module, it covers the module's resources.

    A file the module was read from is not read again: ``sources`` has its text (read by that very path)."""
    lines_by_file: dict[str, list[str]] = {}
    for address, (_type, span) in model.resources.items():
        if span.file not in lines_by_file:
            try:
                rel = os.path.relpath(span.file, mdef.display_dir)
                full = os.path.join(mdef.abs_dir, rel)
                known = sources.get(full)
                if known is not None:
                    lines_by_file[span.file] = _as_read(*known).split("\n")
                else:
                    with open(full, encoding="utf-8", errors="replace") as fh:
                        lines_by_file[span.file] = fh.read(_SUPPRESSION_CHARS).split("\n")
            except (OSError, ValueError):
                lines_by_file[span.file] = []
        lines = lines_by_file[span.file]
        candidates = []
        if 0 < span.line <= len(lines):
            candidates.append(span.line)
        if 1 < span.line <= len(lines) + 1 and _COMMENT_ONLY.match(lines[span.line - 2]):
            candidates.append(span.line - 1)
        for line in candidates:
            m = _IGNORE.search(lines[line - 1])
            if m:
                codes = {c.strip() for c in (m.group(1) or "*").split(",") if c.strip()} or {"*"}
                model.suppressions.setdefault(address, set()).update(codes)
                for c in codes:
                    model.suppression_at.setdefault((address, c), Span(span.file, line, 1))


# ------------------------------------------------------------------------------------------------ plan JSON

SUPPORTED_PLAN_MAJOR = {"0", "1"}


def load_plan(doc: LDict, display: str, base_dir: str) -> Model:
    """``terraform show -json`` output (a plan, or state) → Model.

    Values come from ``planned_values`` (plan) or ``values`` (state). A plan leaves out what is known only
    after apply; ``resource_changes[].change.after_unknown`` says which attributes those are, and the
    ``configuration`` section says which resources their expressions refer to, so those become references.
    Attributes the configuration does not set are left out so that AWS defaults apply (marked as defaults),
    exactly as for a module read from source.
    """
    if not isinstance(doc, Mapping):
        raise InputError(display, "not a Terraform JSON document")
    version = doc.get("format_version")
    if not isinstance(version, str) or version.split(".", 1)[0] not in SUPPORTED_PLAN_MAJOR:
        where = doc.key_span("format_version") if isinstance(doc, LDict) else None
        line = where.line if where is not None else None
        raise InputError(display, f"unsupported Terraform JSON format_version {version!r} (this tool reads 0.x and 1.x)",
                         line)
    base = os.path.dirname(os.path.abspath(display)) if os.path.exists(display) else base_dir
    model = Model(file=display, format="terraform", base_dir=base_dir, vocabulary=TERRAFORM)
    values_root = doc.get("planned_values") or doc.get("values")
    if not isinstance(values_root, Mapping):
        prior = doc.get("prior_state")
        values_root = prior.get("values") if isinstance(prior, Mapping) else None
    if not isinstance(values_root, Mapping):
        raise InputError(display, "neither planned_values nor values in this Terraform JSON document",
                         doc.span.line if isinstance(doc, LDict) and doc.span else None)
    unknowns: dict[str, Any] = {}
    changes = doc.get("resource_changes")
    if isinstance(changes, list):
        for ch in changes:
            if isinstance(ch, Mapping) and isinstance(ch.get("change"), Mapping):
                unknowns[str(ch.get("address"))] = ch["change"].get("after_unknown")
    config = doc.get("configuration")
    calls: dict[str, tuple[str, Mapping[str, Any]]] = {}
    configs = _plan_configs(config.get("root_module") if isinstance(config, Mapping) else None, "", calls)
    planned: list[tuple[Mapping[str, Any], str]] = []
    _plan_resources(values_root.get("root_module"), planned)
    all_addrs = {str(r.get("address")) for r, _m in planned}
    insts: list[Inst] = []
    for res, module_addr in planned:
        address = str(res.get("address"))
        mode = res.get("mode", "managed")
        rtype = str(res.get("type", ""))
        kind_type = ("data." if mode == "data" else "") + rtype
        span = res.span if isinstance(res, LDict) and res.span else Span(display, 1)
        conf_key = _config_key(address, module_addr)
        conf = configs.get(conf_key) if configs else None

        def get(res: Mapping[str, Any] = res, conf: Any = conf, address: str = address, module_addr: str = module_addr,
                span: Span = span) -> LDict:
            return _plan_values(res, conf, unknowns.get(address), module_addr, all_addrs, span, configs is not None,
                                calls)

        insts.append(Inst(address, kind_type, span, get))
    Builder(model, insts, os.path.dirname(os.path.abspath(display)) if display not in ("-", "<stdin>") else base).run()
    return model


def _list(value: Any) -> list[Any]:
    """A plan's list (``resources``, ``child_modules``), or nothing when the file holds something else there."""
    return value if isinstance(value, list) else []


def _plan_resources(module: Any, out: list[tuple[Mapping[str, Any], str]]) -> None:
    if not isinstance(module, Mapping):
        return
    addr = str(module.get("address", "")) if module.get("address") else ""
    for res in _list(module.get("resources")):
        if isinstance(res, Mapping) and "address" in res:
            out.append((res, addr))
    for child in _list(module.get("child_modules")):
        _plan_resources(child, out)


_INDEX = re.compile(r"\[[^\]]*\]")


def _config_key(address: str, module_addr: str) -> str:
    """``module.a["x"].aws_sqs_queue.q[0]`` → ``module.a.aws_sqs_queue.q`` (configuration has no instance keys)."""
    return _INDEX.sub("", address)


def _plan_configs(module: Any, prefix: str, calls: dict[str, tuple[str, Mapping[str, Any]]] | None = None
                  ) -> dict[str, Mapping[str, Any]] | None:
    """Configuration resources by address without instance keys; ``calls`` collects each module call's
    input expressions (``module.worker.`` → (parent prefix, expressions)) so ``var.x`` can be followed."""
    if not isinstance(module, Mapping):
        return None
    out: dict[str, Mapping[str, Any]] = {}
    for res in _list(module.get("resources")):
        if isinstance(res, Mapping) and "address" in res:
            out[prefix + str(res["address"])] = res
    mcalls = module.get("module_calls")
    if isinstance(mcalls, Mapping):
        for name, call in mcalls.items():
            if isinstance(call, Mapping):
                child = f"{prefix}module.{name}."
                if calls is not None and isinstance(call.get("expressions"), Mapping):
                    calls[child] = (prefix, call["expressions"])
                sub = _plan_configs(call.get("module"), child, calls)
                if sub:
                    out.update(sub)
    return out


def _ref_of(refs: Any, module_addr: str, all_addrs: set[str], calls: Mapping[str, Any] | None = None,
            depth: int = 0) -> Any:
    """The first reference of an expression that names a resource attribute: ``aws_sqs_queue.q.arn``;
    ``var.x`` inside a module is followed to the expression the module call gives it."""
    if not isinstance(refs, list) or depth > 20:
        return None
    prefix = module_addr + "." if module_addr else ""
    for r in refs:
        if not isinstance(r, str):
            continue
        if r.startswith("var.") and calls and prefix:
            key = _INDEX.sub("", prefix)
            call = calls.get(key)
            name = r.split(".")[1]
            if call is not None and isinstance(call[1].get(name), Mapping):
                parent = call[0][:-1] if call[0] else ""
                found = _ref_of(call[1][name].get("references"), parent, all_addrs, calls, depth + 1)
                if found is not None:
                    return found
            continue
        if r.startswith(("var.", "local.", "each.", "count.", "path.", "module.")):
            continue
        parts = r.split(".")
        data = parts[0] == "data"
        if data:
            parts = parts[1:]
        if len(parts) < 3:
            continue
        rtype, rest = parts[0], ".".join(parts[1:])
        m = re.match(r"^([A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.([A-Za-z0-9_]+)", rest)
        if not m:
            continue
        addr = prefix + ("data." if data else "") + f"{rtype}.{m.group(1)}"
        if addr in all_addrs:
            return Ref(addr, ("data." if data else "") + rtype, m.group(2))
    return None


def _plan_values(res: Mapping[str, Any], conf: Any, unknown: Any, module_addr: str, all_addrs: set[str], span: Span,
                 have_config: bool, calls: Mapping[str, Any]) -> LDict:
    values = res.get("values")
    if not isinstance(values, LDict):
        values = LDict(values if isinstance(values, Mapping) else {}, span=span)
    exprs = conf.get("expressions") if isinstance(conf, Mapping) else None
    return _merge_plan(values, exprs if isinstance(exprs, Mapping) else None, unknown, module_addr, all_addrs, span,
                       have_config and conf is not None, calls)


def _merge_plan(values: LDict, exprs: Mapping[str, Any] | None, unknown: Any, module_addr: str, all_addrs: set[str],
                span: Span, filter_to_config: bool, calls: Mapping[str, Any]) -> LDict:
    out = LDict(span=values.span or span)
    keys = set(values)
    if isinstance(unknown, Mapping):
        keys |= {k for k, u in unknown.items() if u is True or isinstance(u, (Mapping, list))}
    if exprs is not None:
        keys |= set(exprs)
    for key in keys:
        expr = exprs.get(key) if exprs is not None else None
        if filter_to_config and exprs is not None and expr is None:
            continue  # not in the configuration: the AWS default applies
        where = values.spans.get(key) or (exprs.spans.get(key) if isinstance(exprs, LDict) else None) or out.span or span
        val = values.get(key)
        unk = unknown.get(key) if isinstance(unknown, Mapping) else None
        if isinstance(expr, list) and (isinstance(val, list) or val is None):
            # a nested block: merge element-wise
            vals = val if isinstance(val, list) else []
            merged = LList(span=where)
            for i, sub_expr in enumerate(expr):
                sub_val = vals[i] if i < len(vals) and isinstance(vals[i], Mapping) else LDict(span=where)
                if not isinstance(sub_val, LDict):
                    sub_val = LDict(sub_val, span=where)
                sub_unk = unk[i] if isinstance(unk, list) and i < len(unk) else None
                merged.append(_merge_plan(sub_val, sub_expr if isinstance(sub_expr, Mapping) else None, sub_unk,
                                          module_addr, all_addrs, sub_val.span or where, filter_to_config, calls))
                merged.spans.append(sub_val.span or where)
            out[key] = merged
        else:
            ref = _ref_of(expr.get("references"), module_addr, all_addrs, calls) if isinstance(expr, Mapping) else None
            if unk is True or (val is None and key not in values and isinstance(expr, Mapping) and "references" in expr):
                if ref is not None and key != "redrive_policy" and key != "policy":
                    val = ref
                elif ref is not None:
                    val = _partial_doc(key, ref, where)
                else:
                    val = Unknown(f"{key} is known only after apply")
            elif ref is not None and isinstance(val, (str, int, float)) and not isinstance(val, bool):
                val = Ref(ref.address, ref.type, ref.attr, val) if ref.attr in (
                    "arn", "id", "url", "name", "function_name", "invoke_arn", "stream_arn", "qualified_arn",
                    "json", "output_path", "execution_arn") else val
            elif isinstance(expr, Mapping) and "constant_value" in expr and val is None:
                val = expr["constant_value"]
            out[key] = val
        out.spans[key] = where
    return out


def _partial_doc(key: str, ref: Any, span: Span) -> Any:
    """A redrive policy known only after apply: its target is the referenced queue; the count is unknown."""
    if key == "redrive_policy":
        doc = LDict(span=span)
        doc["deadLetterTargetArn"] = ref
        doc["maxReceiveCount"] = Unknown("maxReceiveCount is known only after apply")
        doc.spans["deadLetterTargetArn"] = span
        doc.spans["maxReceiveCount"] = span

        return Encoded(doc)
    if ref.type == "data.aws_iam_policy_document":
        return ref
    return Unknown(f"{key} is known only after apply")
