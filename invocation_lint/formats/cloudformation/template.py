"""CloudFormation (and, through ``sam.expand``, SAM) into the Model.

One pass collects the template's resources as ``Res`` records; SAM resources are expanded into the plain
CloudFormation resources the SAM transform would make (keeping the spans of the SAM source); then one builder
turns resources into nodes, triggers and failure routes. Because SAM goes through the same builder, a SAM
template and its transformed form give the same Model.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ...lazy import json
from ...model import (
    CodeLocation,
    Model,
    Role,
    Target,
    Unknown,
    Val,
)
from ...source import InputError, LDict, LList, Span, span_of
from ..build import ModelBuilder, Policy
from ..callers import (
    COGNITO_NESTED,
    COGNITO_TRIGGERS,
    ELSEWHERE,
    FIREHOSE_LAMBDA_PARAMETER,
    appsync_data_source_modes,
    codepipeline_is_lambda,
    config_rule_mode,
    connect_mode,
    firehose_lambda_processor,
    fixed_mode,
    json_with_placeholders,
    pipe_target_mode,
    state_machine_tasks,
)
from ..event_sources import mapping_service
from ..invokers import rest_integration_mode, ses_mode
from ..values import as_bool, as_int
from .intrinsics import (
    NAME_PROPERTY,
    NO_VALUE,
    TYPE_SERVICE,
    Resolver,
)
from .resource import Res

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
_new_span = tuple.__new__  # ``Span(...)`` runs a Python-level ``__new__``; this makes the same tuple in C
#: whether a literal ARN can name a managed policy of the template (through its physical name)
_NAMED_MANAGED = "AWS::IAM::ManagedPolicy" in NAME_PROPERTY
#: the classes of the values ``Resolver.value`` returns as they are
_LITERALS = frozenset((str, int, float, bool, type(None)))

#: an event source mapping's settings, as ``event_sources.mapping_service`` asks about them
_CFN_MAPPING_SETTINGS = {
    "starting_position": "StartingPosition", "queues": "Queues", "self_managed": "SelfManagedEventSource",
    "topics": "Topics", "docdb_config": "DocumentDBEventSourceConfig", "source_access": "SourceAccessConfigurations",
    "msk_config": "AmazonManagedKafkaEventSourceConfig",
}


def _ldict(value: Any, span: Span) -> LDict:
    if isinstance(value, LDict):
        return value
    out = LDict(value if isinstance(value, dict) else {}, span=span)
    return out


def read_resources(doc: Mapping[str, Any], file: str) -> list[Res]:
    """The template's resources; a template without a ``Resources`` mapping is an input error."""
    resources = doc.get("Resources")
    doc_span = getattr(doc, "span", None) or Span(file, 1)
    if not isinstance(resources, dict):
        if resources is None:
            raise InputError(file, "not a CloudFormation template: no Resources section", doc_span.line)
        raise InputError(file, "Resources must be a mapping", doc.spans.get("Resources", doc_span).line if isinstance(doc, LDict) else None)
    out = []
    key_span = resources.key_span if isinstance(resources, LDict) else None
    for logical, body in resources.items():
        span = (key_span(logical) if key_span is not None else None) or doc_span
        if not isinstance(body, dict):
            raise InputError(file, f"resource {logical} must be a mapping", span.line)
        rtype = body.get("Type")
        if not isinstance(rtype, str):
            raise InputError(file, f"resource {logical} has no Type", span.line)
        props = body.get("Properties")
        if props is None:
            props = LDict(span=span)
        elif not isinstance(props, dict):
            raise InputError(file, f"Properties of {logical} must be a mapping", body.spans.get("Properties", span).line if isinstance(body, LDict) else span.line)
        out.append(Res(str(logical), rtype, _ldict(props, span), _new_span(Span, (file, span.line, span.column, span.line, span.end_column)),
                       metadata=body.get("Metadata"), condition=body.get("Condition")))
        if "Connectors" in body:  # SAM's embedded connectors: permissions granted to this resource
            out[-1].extra["connectors"] = True
    return out


def is_sam(doc: Mapping[str, Any]) -> bool:
    transform = doc.get("Transform")
    if isinstance(transform, str):
        return transform == SAM_TRANSFORM
    if isinstance(transform, list):
        return SAM_TRANSFORM in transform
    return False


def build_model(doc: Any, file: str, base_dir: str, template_dir: str) -> Model:
    if not isinstance(doc, dict):
        kind = "a list" if isinstance(doc, list) else f"a {type(doc).__name__} value"
        raise InputError(file, f"not a template: the document is {kind}, not a mapping", getattr(doc, "span", Span(file, 1)).line)
    resources = read_resources(doc, file)
    parameters: Mapping[str, Any] = p if isinstance(p := doc.get("Parameters"), dict) else {}
    mappings: Mapping[str, Any] = m if isinstance(m := doc.get("Mappings"), dict) else {}
    conditions: Mapping[str, Any] = c if isinstance(c := doc.get("Conditions"), dict) else {}
    nested_files: dict[str, str] = {}
    fmt = "cloudformation"
    if is_sam(doc):
        fmt = "sam"
        resources = _sam_expanded(resources, doc, file, template_dir)
    elif any(_cdk_path(r) or _construct_path(r) for r in resources):
        fmt = "cdk"
    if any(r.type in ("AWS::CloudFormation::Stack", "AWS::Serverless::Application") for r in resources):
        from .nested import Readers, merge

        stack = merge(doc, resources, file, template_dir, base_dir, Readers(template_resources, asset_objects))
        resources, parameters, mappings, conditions = stack.resources, stack.parameters, stack.mappings, stack.conditions
        nested_files = stack.files
    model = Model(file=file, format=fmt, base_dir=base_dir, nested_files=nested_files)
    if fmt == "cdk":
        model.construct_paths = {r.id: cp for r in resources if (cp := _construct_path(r))}
    types = {r.id: r.type for r in resources}
    pre = Resolver(parameters, mappings, conditions, types)
    physical: dict[tuple[str, str], str] = {}
    for r in resources:
        prop = NAME_PROPERTY.get(r.type)
        if prop and prop in r.props:
            name = pre.value(r.props[prop])
            if isinstance(name, str) and name:
                physical[(TYPE_SERVICE[r.type], name)] = r.id
                if r.type == "AWS::SQS::Queue":
                    physical[("sqs", name)] = r.id
    resolver = Resolver(parameters, mappings, conditions, types, physical)
    Builder(model, resolver, resources, template_dir).run()
    return model


def _sam_expanded(resources: list[Res], doc: Mapping[str, Any], file: str, template_dir: str) -> list[Res]:
    from .sam import expand

    parameters: Mapping[str, Any] = p if isinstance(p := doc.get("Parameters"), dict) else {}
    mappings: Mapping[str, Any] = m if isinstance(m := doc.get("Mappings"), dict) else {}
    conditions: Mapping[str, Any] = c if isinstance(c := doc.get("Conditions"), dict) else {}
    pre = Resolver(parameters, mappings, conditions, {r.id: r.type for r in resources})
    return expand(resources, doc, pre, file, template_dir)


def template_resources(doc: Mapping[str, Any], file: str, template_dir: str) -> list[Res]:
    """A template's resources as the builder reads them: SAM resources expanded as the SAM transform would."""
    resources = read_resources(doc, file)
    return _sam_expanded(resources, doc, file, template_dir) if is_sam(doc) else resources


def model_is_cdk(model: Model) -> bool:
    return model.format == "cdk"


#: asset manifests read beside one template, at most, and the size of each
MAX_ASSET_MANIFESTS = 200
MAX_ASSET_MANIFEST_BYTES = 4 * 1024 * 1024


def asset_objects(template_dir: str, base_dir: str) -> dict[str, str]:
    """S3 object key → the staged asset it is published from (absolute path), from every ``*.assets.json``
    in ``template_dir`` (a CDK cloud assembly, or one of its ``assembly-*`` stage folders). Unreadable or
    malformed manifests are passed over: the code location is then simply not known."""
    from ...files import read_limited

    out: dict[str, str] = {}
    try:
        names = sorted(n for n in os.listdir(template_dir) if n.endswith(".assets.json"))[:MAX_ASSET_MANIFESTS]
    except OSError:
        return out
    for name in names:
        path = os.path.join(template_dir, name)
        try:
            doc = json.loads(read_limited(path, path, MAX_ASSET_MANIFEST_BYTES, base_dir or template_dir))
        except (InputError, ValueError, RecursionError, UnicodeDecodeError):
            continue
        files = doc.get("files") if isinstance(doc, dict) else None
        if not isinstance(files, dict):
            continue
        for entry in files.values():
            if not isinstance(entry, dict):
                continue
            source = entry.get("source")
            rel = source.get("path") if isinstance(source, dict) else None
            dests = entry.get("destinations")
            if not isinstance(rel, str) or not isinstance(dests, dict):
                continue
            staged = os.path.normpath(os.path.join(template_dir, rel))
            for dest in dests.values():
                key = dest.get("objectKey") if isinstance(dest, dict) else None
                if isinstance(key, str):
                    out.setdefault(key, staged)
    return out


def _cdk_path(r: Res) -> str | None:
    meta = r.metadata
    if isinstance(meta, dict):
        p = meta.get("aws:asset:path")
        if isinstance(p, str):
            return p
    return None


def _construct_path(r: Res) -> str | None:
    """The resource's construct path (``aws:cdk:path``) without CDK's ``/Resource`` leaf:
    ``OrdersStack/ProcessOrders/Resource`` → ``OrdersStack/ProcessOrders``."""
    meta = r.metadata
    p = meta.get("aws:cdk:path") if isinstance(meta, dict) else None
    if not isinstance(p, str) or not p:
        return None
    return p[: -len("/Resource")] if p.endswith("/Resource") else p


#: resource type -> the name of the method that makes its node (first pass) and its edges (second pass)
_NODE_BUILDERS = {
    "AWS::SQS::Queue": "queue",
    "AWS::SNS::Topic": "topic",
    "AWS::Kinesis::Stream": "stream",
    "AWS::DynamoDB::Table": "table",
    "AWS::S3::Bucket": "bucket",
    "AWS::Events::EventBus": "bus",
    "AWS::ApiGateway::RestApi": "rest_api",
    "AWS::ApiGatewayV2::Api": "http_api",
    "AWS::IAM::Role": "role",
    "AWS::Lambda::Function": "function",
}
_EDGE_BUILDERS = {
    "AWS::IAM::Policy": "policy",
    "AWS::IAM::ManagedPolicy": "policy",
    "AWS::IAM::RolePolicy": "policy",
    "AWS::SQS::Queue": "queue_redrive",
    "AWS::Lambda::EventSourceMapping": "mapping",
    "AWS::Lambda::EventInvokeConfig": "invoke_config",
    "AWS::SNS::Topic": "topic_subscriptions",
    "AWS::SNS::Subscription": "subscription",
    "AWS::Events::Rule": "rule",
    "AWS::Scheduler::Schedule": "schedule",
    "AWS::S3::Bucket": "bucket_notifications",
    "AWS::Logs::SubscriptionFilter": "log_subscription",
    "AWS::IoT::TopicRule": "iot_rule",
    "AWS::IoT::Authorizer": "iot_authorizer",
    "AWS::SES::ReceiptRule": "ses_receipt_rule",
    "AWS::StepFunctions::StateMachine": "state_machine",
    "AWS::Serverless::StateMachine": "state_machine",
    "AWS::CloudFormation::CustomResource": "custom_resource",
    "AWS::Cognito::UserPool": "user_pool",
    "AWS::CloudFront::Distribution": "distribution",
    "AWS::SecretsManager::RotationSchedule": "rotation_schedule",
    "AWS::Config::ConfigRule": "config_rule",
    "AWS::CodeCommit::Repository": "codecommit_triggers",
    "AWS::KinesisFirehose::DeliveryStream": "delivery_stream",
    "AWS::Pipes::Pipe": "pipe",
    "AWS::CodePipeline::Pipeline": "codepipeline",
    "AWS::S3ObjectLambda::AccessPoint": "object_lambda_access_point",
    "AWS::Lex::BotAlias": "lex_bot_alias",
    "AWS::Connect::IntegrationAssociation": "connect_integration",
    "AWS::AppSync::DataSource": "appsync_data_source",
    "AWS::ApiGateway::Method": "rest_method",
    "AWS::ApiGateway::RestApi": "rest_body",
    "AWS::ApiGateway::Authorizer": "rest_authorizer",
    "AWS::ApiGatewayV2::Authorizer": "rest_authorizer",
    "AWS::ApiGatewayV2::Integration": "http_integration",
    "AWS::ApiGatewayV2::Api": "http_quick_target",
    "AWS::Lambda::Url": "function_url",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "target_group",
    "AWS::Lambda::Permission": "permission",
}


class Builder:
    def __init__(self, model: Model, resolver: Resolver, resources: list[Res], template_dir: str) -> None:
        self.m = model
        self.b = ModelBuilder(model)
        self.r = resolver
        self.resources = [res for res in resources if res.condition is None or self._present(res)]
        self.by_id = {res.id: res for res in self.resources}
        self.template_dir = template_dir
        self._assets: dict[str, str] | None = None

    def _present(self, res: Res) -> bool:
        if res.condition is None:
            return True
        return self.r.condition(res.condition) is not False

    # ---------------------------------------------------------------------------------------- helpers

    def setting(self, props: Mapping[str, Any], key: str, conv: Any, span: Span) -> Val[Any] | None:
        """The located, resolved value of ``props[key]``; None when it is not set."""
        if key not in props:
            return None
        raw = props[key]
        if raw.__class__ not in _LITERALS:  # a literal is its own value
            raw = self.r.value(raw)
            if raw is NO_VALUE:
                return None
        value = conv(raw) if conv else raw
        where = props.spans.get(key) if isinstance(props, LDict) else None
        return Val(value, where or span)

    def val(self, props: Mapping[str, Any], key: str, fallback: Any, conv: Any, span: Span, default_span: Span | None = None) -> Val[Any]:
        """The located, resolved value of ``props[key]``; ``fallback`` (marked as the default) when absent."""
        v = self.setting(props, key, conv, span)
        return v if v is not None else Val(fallback, default_span or span, True)

    def target(self, props: Mapping[str, Any], key: str, span: Span) -> Target | None:
        if key not in props:
            return None
        v = props[key]
        if isinstance(v, dict) and v.get("Ref") == "AWS::NoValue":
            return None
        where = props.spans.get(key) if isinstance(props, LDict) else None
        return self.r.target(v, where or span)

    def function_of(self, target: Target | None) -> str | None:
        """The function node a FunctionName/Arn reference names (through aliases and versions)."""
        if target is None or not target.node:
            return None
        if target.node in self.m.functions:
            return target.node
        res = self.by_id.get(target.node)
        if res and res.type in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            inner = self.target(res.props, "FunctionName", res.span)
            return self.function_of(inner)
        return None

    def qualifier_of(self, target: Target | None) -> str | None:
        if target is None or not target.node:
            return None
        res = self.by_id.get(target.node)
        if res and res.type == "AWS::Lambda::Alias":
            name = self.r.value(res.props.get("Name"))
            return name if isinstance(name, str) else None
        return None

    def sub(self, props: Any, key: str) -> Any:
        v = props.get(key) if isinstance(props, dict) else None
        return v if v is not None else None

    # ---------------------------------------------------------------------------------------- run

    def run(self) -> None:
        for res in self.resources:
            self.m.resources[res.id] = (res.type, res.span)
            if res.metadata is not None:
                self._suppressions(res)
            name = _NODE_BUILDERS.get(res.type)
            if name:
                getattr(self, name)(res)
        for res in self.resources:
            name = _EDGE_BUILDERS.get(res.type) or ("custom_resource" if res.type.startswith("Custom::") else None)
            if name:
                getattr(self, name)(res)
        self.b.attach_policies()
        self.b.add_permission_triggers()
        self.b.name_events({res.id: res.extra["event"] for res in self.resources if "event" in res.extra})

    def _suppressions(self, res: Res) -> None:
        meta = res.metadata
        if not isinstance(meta, dict) or "invlint" not in meta:
            return
        cfg = meta.get("invlint")
        span = meta.span_of("invlint") if isinstance(meta, LDict) else None
        where = f"{span.file}:{span.line}" if span else f"{res.span.file}:{res.span.line}"
        if not isinstance(cfg, dict):
            self.m.warnings.append(f"{where}: warning: {res.id}: Metadata 'invlint' should be a mapping with the "
                                   "key 'ignore' (a list of rule codes); it is ignored")
            return
        for key in cfg:
            if key != "ignore":
                ks = cfg.key_span(key) if isinstance(cfg, LDict) else None
                at = f"{ks.file}:{ks.line}" if ks else where
                self.m.warnings.append(f"{at}: warning: {res.id}: unknown key 'invlint.{key}' in Metadata "
                                       "(known: ignore); it is ignored")
        codes = cfg.get("ignore")
        if isinstance(codes, str):
            codes = [c.strip() for c in codes.split(",")]
        if isinstance(codes, list):
            written = (cfg.key_span("ignore") if isinstance(cfg, LDict) else None) or span or res.span
            for rid in dict.fromkeys((res.origin, res.id)):
                self.m.suppressions.setdefault(rid, set()).update(str(c) for c in codes)
                for c in codes:
                    self.m.suppression_at.setdefault((rid, str(c)), written)
        elif "ignore" in cfg:
            self.m.warnings.append(f"{where}: warning: {res.id}: Metadata 'invlint.ignore' should be a list of "
                                   "rule codes; it is ignored")

    # ---------------------------------------------------------------------------------------- nodes

    def queue(self, res: Res) -> None:
        p = res.props
        self.b.add_queue(
            res.id, res.type, res.span, res.origin,
            fifo=self.setting(p, "FifoQueue", as_bool, res.span), name=self.setting(p, "QueueName", None, res.span),
            visibility=self.setting(p, "VisibilityTimeout", as_int, res.span),
            retention=self.setting(p, "MessageRetentionPeriod", as_int, res.span),
        )

    def queue_redrive(self, res: Res) -> None:
        p = res.props
        if "RedrivePolicy" not in p:
            return
        queue = self.m.queues[res.id]
        raw = p["RedrivePolicy"]
        span = p.spans.get("RedrivePolicy", res.span)
        if isinstance(raw, dict) and raw.get("Ref") == "AWS::NoValue":
            return
        policy: Any = raw
        if isinstance(raw, str):
            try:
                policy = json.loads(raw)
            except (ValueError, RecursionError):
                self.b.redrive_unknown(queue, Unknown("RedrivePolicy is not valid JSON"))
                return
            policy = LDict(policy, span=span) if isinstance(policy, dict) else policy
        if isinstance(policy, dict) and "Fn::Sub" in policy and len(policy) == 1:
            policy = self.r.sub_json(policy["Fn::Sub"], span) or policy
        intrinsic = isinstance(policy, dict) and len(policy) == 1 and (
            next(iter(policy)) in ("Ref", "Condition") or str(next(iter(policy))).startswith("Fn::"))
        if not isinstance(policy, dict) or intrinsic:
            resolved = self.r.value(raw)
            if isinstance(resolved, str):
                try:
                    policy = LDict(json.loads(resolved), span=span)
                except (ValueError, TypeError, RecursionError):
                    self.b.redrive_unknown(queue, Unknown("RedrivePolicy cannot be read"))
                    return
            elif isinstance(resolved, dict):
                policy = resolved
            else:
                self.b.redrive_unknown(queue, Unknown("RedrivePolicy cannot be resolved statically"))
                return
        if not isinstance(policy, LDict):
            policy = LDict(policy, span=span)
        if not policy.span:
            policy.span = span
        self.b.set_redrive(queue, self.target(policy, "deadLetterTargetArn", span),
                           self.setting(policy, "maxReceiveCount", as_int, span), span, res.id)

    def topic(self, res: Res) -> None:
        p = res.props
        self.b.add_topic(res.id, res.type, res.span, res.origin, fifo=self.setting(p, "FifoTopic", as_bool, res.span),
                         name=self.setting(p, "TopicName", None, res.span))

    def stream(self, res: Res) -> None:
        self.b.add_stream(res.id, res.type, res.span, res.origin, "kinesis")

    def table(self, res: Res) -> None:
        if "StreamSpecification" in res.props:
            self.b.add_stream(res.id, res.type, res.span, res.origin, "dynamodb")

    def bucket(self, res: Res) -> None:
        self.b.add_bucket(res.id, res.type, res.span, res.origin)

    def bus(self, res: Res) -> None:
        self.b.add_bus(res.id, res.type, res.span, res.origin)

    def rest_api(self, res: Res) -> None:
        self.b.add_api(res.id, res.type, res.span, res.origin, v2=False)

    def http_api(self, res: Res) -> None:
        self.b.add_api(res.id, res.type, res.span, res.origin, v2=True,
                       protocol_type=self.r.value(res.props.get("ProtocolType")))

    def role(self, res: Res) -> None:
        role = self.b.add_role(res.id, res.type, res.span, res.origin)
        policies = self.r.chosen(res.props.get("Policies"))
        if isinstance(policies, list):
            for pol in (self.r.chosen(p) for p in policies):
                if isinstance(pol, dict):
                    self._statements(role, pol.get("PolicyDocument"), span_of(pol, "PolicyDocument") or res.span)
                elif isinstance(pol, Unknown):
                    self.b.role_incomplete(role)
        elif policies is not None and policies is not NO_VALUE:
            self.b.role_incomplete(role)
        raw_managed = self.r.chosen(res.props.get("ManagedPolicyArns", []))
        if isinstance(raw_managed, list):
            for raw in raw_managed:
                if raw.__class__ is str and not _NAMED_MANAGED:
                    # a literal ARN: it can name a resource of this template only through a physical name
                    # (NAME_PROPERTY), which a managed policy of this template does not have here
                    self.b.managed_policy(role, raw)
                    continue
                value = self.r.value(raw)
                if value is NO_VALUE:  # an entry left out through Fn::If
                    continue
                t = self.r.target(raw, res.span)
                if t.node and (named := self.by_id.get(t.node)) is not None and named.type == "AWS::IAM::ManagedPolicy":
                    self.b.attach_policy(t.node, role.id)
                else:
                    self.b.managed_policy(role, value)
        elif raw_managed and raw_managed is not NO_VALUE:
            self.b.role_incomplete(role)
        if res.extra.get("incomplete"):  # SAM: a policy that cannot be expanded, or granted by a connector
            self.b.role_incomplete(role)

    def _statements(self, role: Role | Policy, document: Any, span: Span) -> None:
        """The statements of a policy document written at ``span`` (a JSON string has no lines of its own)."""
        doc: Any = None
        if isinstance(document, dict) and len(document) == 1 and "Fn::Sub" in document:
            doc = self.r.sub_json(document["Fn::Sub"], span)  # ``${Queue.Arn}`` stays a reference to Queue
        if doc is None:
            doc = self.r.value(document) if not isinstance(document, dict) else document
        if isinstance(doc, str):
            try:
                doc = json.loads(doc)
            except (ValueError, RecursionError):
                self.b.role_incomplete(role)
                return
        for st, where in self.b.policy_statements(role, self._chosen_statements(self.r.chosen(doc)), span):
            not_action = "NotAction" in st
            not_resource = "NotResource" in st
            raw_resources = st.get("NotResource" if not_resource else "Resource")
            if not isinstance(raw_resources, list) and raw_resources is not None:
                raw_resources = [raw_resources]
            self.b.add_statement(
                role, where, effect=self.r.value(st.get("Effect", "Allow")),
                actions=self.r.value(st.get("NotAction") if not_action else st.get("Action", [])),
                not_action=not_action,
                resources=None if raw_resources is None else [self.r.target(x, where) for x in raw_resources],
                not_resource=not_resource, conditional="Condition" in st)

    def _chosen_statements(self, doc: Any) -> Any:
        """A policy document with each statement written as ``Fn::If`` replaced by the statement it picks (left
        out for ``AWS::NoValue``); a statement that cannot be known becomes Unknown. Unchanged without ``Fn::If``."""
        if not isinstance(doc, Mapping) or "Statement" not in doc:
            return doc
        raw = doc["Statement"]
        statements = self.r.chosen(raw)
        items = statements if isinstance(statements, list) else [statements]
        chosen = [self.r.chosen(st) for st in items]
        if statements is raw and all(c is st for c, st in zip(chosen, items, strict=True)):
            return doc
        out = LList(span=getattr(statements, "span", None) or getattr(raw, "span", None))
        for i, c in enumerate(chosen):
            if c is NO_VALUE:
                continue
            intrinsic = isinstance(c, dict) and len(c) == 1 and str(next(iter(c))).startswith("Fn::")
            out.append(Unknown("a statement that cannot be resolved statically") if intrinsic else c)
            out.spans.append(getattr(c, "span", None) or (items.span_of(i) if isinstance(items, LList) else None))
        copy = LDict(doc, span=getattr(doc, "span", None))
        copy["Statement"] = out
        return copy

    def policy(self, res: Res) -> None:
        p = res.props
        policy = self.b.add_policy(res.id)
        self._statements(policy, p.get("PolicyDocument"), span_of(p, "PolicyDocument") or res.span)
        if res.type == "AWS::IAM::RolePolicy":
            roles: Any = [p.get("RoleName")]
        else:
            roles = self.r.chosen(p.get("Roles"))
            if roles is None or roles is NO_VALUE:
                return
            if not isinstance(roles, list):  # a list parameter, or a list built by a function
                roles = self.r.value(roles)
                if not isinstance(roles, list):
                    self.b.attach_policy(res.id, None)
                    return
        for raw in (self.r.chosen(x) for x in roles):
            if raw is None or raw is NO_VALUE:
                continue
            role = self._named_role(raw, res.span)
            if role is not None:
                self.b.attach_policy(res.id, role.id)
            elif not self._outside_role(raw, res.span):
                self.b.attach_policy(res.id, None)

    def _named_role(self, raw: Any, span: Span) -> Role | None:
        """The role of this template ``raw`` names: by reference, or by its ``RoleName``."""
        t = self.r.target(raw, span)
        role = self.m.roles.get(t.node or "")
        if role is None and t.unknown is None and isinstance(self.r.value(raw), str):
            name = self.r.value(raw)
            for candidate in self.m.roles.values():
                rres = self.by_id.get(candidate.id)
                if rres and self.r.value(rres.props.get("RoleName")) == name:
                    role = candidate
        return role

    def _outside_role(self, raw: Any, span: Span) -> bool:
        """Whether ``raw``, naming no role of this template, surely names a role from elsewhere: a name written out
        (or a parameter's value), or an export of another stack."""
        if isinstance(raw, dict) and "Fn::ImportValue" in raw:
            return True
        return self.r.target(raw, span).unknown is None and isinstance(self.r.value(raw), str)

    def function(self, res: Res) -> None:
        p = res.props
        runtime = self.setting(p, "Runtime", None, res.span)
        handler = self.setting(p, "Handler", None, res.span)
        timeout = self.setting(p, "Timeout", as_int, res.span)
        recursive_loop = self.setting(p, "RecursiveLoop", None, res.span)
        package_type = self.r.value(p.get("PackageType", "Zip"))
        reserved = self.setting(p, "ReservedConcurrentExecutions", as_int, res.span)
        dlc = p.get("DeadLetterConfig")
        dlq = self.target(dlc, "TargetArn", p.spans.get("DeadLetterConfig", res.span)) if isinstance(dlc, dict) else None
        role = self.target(p, "Role", res.span)
        self.b.add_function(
            res.id, res.type, res.span, res.origin, runtime=runtime, handler=handler, timeout=timeout,
            recursive_loop=recursive_loop, package_type=package_type, reserved_concurrency=reserved,
            dlqs=[dlq] if dlq is not None else [], role=role, code=res.extra.get("code") or self._code(res),
            dlq_config=p.spans.get("DeadLetterConfig") if dlq is not None else None,
        )

    def _code(self, res: Res) -> CodeLocation:
        p = res.props
        code = p.get("Code")
        span = p.spans.get("Code", res.span)
        asset = _cdk_path(res)
        base = self.m.base_dir
        template_dir = res.extra.get("template_dir") or self.template_dir  # a nested stack's own folder
        if asset:
            path = os.path.normpath(os.path.join(template_dir, asset))
            kind = "zip" if asset.endswith(".zip") else ("file" if os.path.isfile(path) else "dir")
            return CodeLocation(kind, path=path, base_dir=base, span=span)  # type: ignore[arg-type]
        if isinstance(code, dict) and model_is_cdk(self.m) and "S3Key" in code:
            staged = self._staged_asset(code.get("S3Key"))
            if staged is not None:
                kind = "zip" if staged.endswith(".zip") else ("file" if os.path.isfile(staged) else "dir")
                return CodeLocation(kind, path=staged, base_dir=base, span=span)  # type: ignore[arg-type]
        if isinstance(code, dict):
            if "ZipFile" in code:
                text = self.r.value(code["ZipFile"])
                if isinstance(text, str):
                    return CodeLocation("inline", inline=text, base_dir=base, span=code.spans.get("ZipFile", span) if isinstance(code, LDict) else span)
        elif isinstance(code, str):
            # ``aws cloudformation package`` input: a local path
            path = os.path.normpath(os.path.join(template_dir, code))
            kind = "zip" if code.endswith(".zip") else ("file" if os.path.isfile(path) else "dir")
            return CodeLocation(kind, path=path, base_dir=base, span=span)  # type: ignore[arg-type]
        return CodeLocation("unknown", base_dir=base, span=span)

    def _staged_asset(self, key: Any) -> str | None:
        """The ``asset.<hash>`` folder (or file) of a CDK cloud assembly that the S3 object ``key`` is published
        from, as the assembly's asset manifests (``*.assets.json`` beside the template) say."""
        if not isinstance(key, str):
            return None
        if self._assets is None:
            self._assets = asset_objects(self.template_dir, self.m.base_dir)
        return self._assets.get(key)

    # ---------------------------------------------------------------------------------------- edges

    def mapping(self, res: Res) -> None:
        p = res.props
        fn_target = self.target(p, "FunctionName", res.span)
        fn = self.function_of(fn_target)
        if fn is None:
            return
        source = self.target(p, "EventSourceArn", res.span)
        service = None
        consumer = self.by_id.get(source.node) if source is not None and source.node else None
        if consumer is not None and source is not None and consumer.type == "AWS::Kinesis::StreamConsumer":
            # an enhanced fan-out consumer reads its stream: the mapping polls that stream
            service = "kinesis"
            source = self.b.consumer_stream(source, self.target(consumer.props, "StreamARN", consumer.span))
        if service is None:
            source_type = self.by_id[source.node].type if source is not None and source.node in self.by_id else None
            service = mapping_service(self.m, source, source_type, lambda k: _CFN_MAPPING_SETTINGS[k] in p,
                                      TYPE_SERVICE, res.extra.get("service"))
        report: Val[Any] | None = None
        types = p.get("FunctionResponseTypes")
        if types is not None:
            resolved = self.r.value(types)
            value: Any = ("ReportBatchItemFailures" in resolved) if isinstance(resolved, list) else Unknown("FunctionResponseTypes")
            report = Val(value, p.spans.get("FunctionResponseTypes", res.span))
        scaling = p.get("ScalingConfig")
        concurrency = None
        if isinstance(scaling, dict) and "MaximumConcurrency" in scaling:
            concurrency = self.val(scaling, "MaximumConcurrency", None, as_int, res.span)
        batch_size = self.setting(p, "BatchSize", as_int, res.span)
        batching_window = self.setting(p, "MaximumBatchingWindowInSeconds", as_int, res.span)
        retries = self.setting(p, "MaximumRetryAttempts", as_int, res.span)
        record_age = self.setting(p, "MaximumRecordAgeInSeconds", as_int, res.span)
        bisect = self.setting(p, "BisectBatchOnFunctionError", as_bool, res.span)
        dest = p.get("DestinationConfig")
        dest_span = None
        on_failures = []
        if isinstance(dest, dict) and not (dest.get("Ref") == "AWS::NoValue"):
            dest_span = p.spans.get("DestinationConfig", res.span)
            on_failure = dest.get("OnFailure")
            if isinstance(on_failure, dict):
                t = self.target(on_failure, "Destination", dest_span)
                if t is not None:
                    on_failures.append(t)
        event_filter = self.r.value(p["FilterCriteria"]) if "FilterCriteria" in p else None
        self.b.add_mapping(
            fn, service, res.span, res.id, res.origin, source, batch_size=batch_size, batching_window=batching_window,
            report_batch_item_failures=report, maximum_concurrency=concurrency, max_retry_attempts=retries,
            max_record_age=record_age, bisect=bisect, destination_config=dest_span, on_failures=on_failures,
            event_filter=event_filter, qualifier=self.qualifier_of(fn_target),
        )

    def invoke_config(self, res: Res) -> None:
        p = res.props
        fn = self.function_of(self.target(p, "FunctionName", res.span))
        if fn is None:
            return
        qualifier = self.r.value(p.get("Qualifier", "$LATEST"))
        retries = self.setting(p, "MaximumRetryAttempts", as_int, res.span)
        max_age = self.setting(p, "MaximumEventAgeInSeconds", as_int, res.span)
        destinations: list[tuple[str, Target]] = []
        dest = p.get("DestinationConfig")
        if isinstance(dest, dict):
            for key, which in (("OnFailure", "on_failure"), ("OnSuccess", "on_success")):
                block = dest.get(key)
                if isinstance(block, dict):
                    t = self.target(block, "Destination", dest.spans.get(key, res.span) if isinstance(dest, LDict) else res.span)
                    if t is not None:
                        destinations.append((which, t))
        self.b.add_invoke_config(fn, res.origin, res.span, qualifier=qualifier, retries=retries, max_event_age=max_age,
                                 destinations=destinations)

    def topic_subscriptions(self, res: Res) -> None:
        subs = res.props.get("Subscription")
        if not isinstance(subs, list):
            return
        for i, sub in enumerate(subs):
            span = subs.spans[i] if isinstance(subs, LList) else res.span
            if isinstance(sub, dict) and self.r.value(sub.get("Protocol")) == "sqs":
                self.b.delivery(Target(node=res.id), self.r.target(sub.get("Endpoint"), span), span or res.span,
                                res.origin, False)
                continue
            if not isinstance(sub, dict) or self.r.value(sub.get("Protocol")) != "lambda":
                continue
            fn = self.function_of(self.r.target(sub.get("Endpoint"), span))
            self.b.add_trigger(fn, "async", "sns", span or res.span, res.origin,
                               Target(node=res.id, service="sns", span=res.span), res.id)

    def subscription(self, res: Res) -> None:
        p = res.props
        protocol = self.r.value(p.get("Protocol"))
        if protocol == "sqs":
            self.b.delivery(self.target(p, "TopicArn", res.span), self.target(p, "Endpoint", res.span), res.span,
                            res.origin, "FilterPolicy" in p)
            return
        if protocol != "lambda":
            return
        fn = self.function_of(self.target(p, "Endpoint", res.span))
        topic = self.target(p, "TopicArn", res.span)
        trig = self.b.add_trigger(fn, "async", "sns", res.span, res.origin, topic, res.id)
        if trig is None:
            return
        redrive = p.get("RedrivePolicy")
        if isinstance(redrive, str):
            try:
                doc = json.loads(redrive)
            except (ValueError, RecursionError):
                doc = None
            redrive = LDict(doc, span=p.spans.get("RedrivePolicy", res.span)) if isinstance(doc, dict) else None
        if isinstance(redrive, dict):
            where = p.spans.get("RedrivePolicy", res.span)
            t = self.target(redrive if isinstance(redrive, LDict) else LDict(redrive, span=where), "deadLetterTargetArn", where)
            if t is not None:
                self.b.delivery_dlq(trig, t, "subscription-redrive", res.id, res.origin)

    def rule(self, res: Res) -> None:
        p = res.props
        targets = p.get("Targets")
        if not isinstance(targets, list):
            return
        service = "schedule" if "ScheduleExpression" in p else "eventbridge"
        bus = self.target(p, "EventBusName", res.span) if "EventBusName" in p else None
        for i, tgt in enumerate(targets):
            if not isinstance(tgt, dict):
                continue
            span = targets.spans[i] if isinstance(targets, LList) else res.span
            fn = self.function_of(self.r.target(tgt.get("Arn"), span))
            trig = self.b.add_trigger(fn, "async", service, span or res.span, res.origin,
                                      bus or Target(node=res.id, service="events", span=res.span), res.id)
            if trig is None:
                continue
            dlc = tgt.get("DeadLetterConfig")
            if isinstance(dlc, dict):
                t = self.r.target(dlc.get("Arn"), dlc.spans.get("Arn", span) if isinstance(dlc, LDict) else span)
                self.b.delivery_dlq(trig, t, "target-dlq", res.id, res.origin)

    def schedule(self, res: Res) -> None:
        tgt = res.props.get("Target")
        if not isinstance(tgt, dict):
            return
        span = res.props.spans.get("Target", res.span)
        fn = self.function_of(self.r.target(tgt.get("Arn"), span))
        trig = self.b.add_trigger(fn, "async", "scheduler", span, res.origin, Target(node=res.id, span=res.span), res.id)
        if trig is None:
            return
        dlc = tgt.get("DeadLetterConfig")
        if isinstance(dlc, dict) and "Arn" in dlc:
            t = self.r.target(dlc.get("Arn"), dlc.spans.get("Arn", span) if isinstance(dlc, LDict) else span)
            self.b.delivery_dlq(trig, t, "target-dlq", res.id, res.origin)

    def bucket_notifications(self, res: Res) -> None:
        cfg = res.props.get("NotificationConfiguration")
        if not isinstance(cfg, dict):
            return
        lambdas = cfg.get("LambdaConfigurations")
        if not isinstance(lambdas, list):
            return
        for i, item in enumerate(lambdas):
            if not isinstance(item, dict):
                continue
            span = lambdas.spans[i] if isinstance(lambdas, LList) else res.span
            fn = self.function_of(self.r.target(item.get("Function"), span))
            self.b.add_trigger(fn, "async", "s3", span or res.span, res.origin,
                               Target(node=res.id, service="s3", span=res.span), res.id,
                               event_filter=self.r.value(item["Filter"]) if "Filter" in item else None)

    def log_subscription(self, res: Res) -> None:
        fn = self.function_of(self.target(res.props, "DestinationArn", res.span))
        self.b.add_trigger(fn, "async", "logs", res.span, res.origin, None, res.id)

    def iot_rule(self, res: Res) -> None:
        payload = res.props.get("TopicRulePayload")
        if not isinstance(payload, dict):
            return
        actions = payload.get("Actions")
        if not isinstance(actions, list):
            return
        for i, action in enumerate(actions):
            if isinstance(action, dict) and isinstance(action.get("Lambda"), dict):
                span = actions.spans[i] if isinstance(actions, LList) else res.span
                fn = self.function_of(self.r.target(action["Lambda"].get("FunctionArn"), span))
                self.b.add_trigger(fn, "async", "iot", span or res.span, res.origin, None, res.id)

    def iot_authorizer(self, res: Res) -> None:
        """IoT Core calls a custom authorizer while the device connects and reads its answer: synchronous."""
        fn = self.function_of(self.target(res.props, "AuthorizerFunctionArn", res.span))
        self.b.add_trigger(fn, "sync", "iot-authorizer", res.props.spans.get("AuthorizerFunctionArn", res.span),
                           res.origin, Target(node=res.id, span=res.span), res.id, proxy=False,
                           authorizer=True)

    def ses_receipt_rule(self, res: Res) -> None:
        rule = res.props.get("Rule")
        actions = rule.get("Actions") if isinstance(rule, dict) else None
        if not isinstance(actions, list):
            return
        for i, action in enumerate(actions):
            la = action.get("LambdaAction") if isinstance(action, dict) else None
            if not isinstance(la, dict):
                continue
            span = actions.spans[i] if isinstance(actions, LList) else res.span
            fn = self.function_of(self.r.target(la.get("FunctionArn"), span))
            mode = ses_mode(self.r.value(la.get("InvocationType")) if "InvocationType" in la else None)
            self.b.caller(fn, mode, "ses", span or res.span, res.origin, res.id, res.span,
                          unknown_because=f"the SES receipt rule {res.id} sets an InvocationType")

    def state_machine(self, res: Res) -> None:
        """Step Functions Task states: ``lambda:invoke`` (and a function ARN as the Resource) wait for the
        result, sync; ``Parameters.InvocationType: Event`` async."""
        p = res.props
        subs = p.get("DefinitionSubstitutions")
        variables: dict[str, Any] = dict(subs) if isinstance(subs, dict) else {}
        definition: Any = None
        key = "Definition" if "Definition" in p else "DefinitionString"
        where = p.spans.get(key, res.span)
        raw = p.get(key)
        if isinstance(raw, dict) and key == "Definition":
            definition = raw
        elif raw is not None:
            text = self._definition_text(raw, variables)
            definition = json_with_placeholders(text) if text is not None else None
        if not isinstance(definition, dict):
            if raw is not None or "DefinitionS3Location" in p or "DefinitionUri" in p:
                self.m.notes.append(f"{res.id}: the state machine's definition is not readable here; the functions "
                                    "its Task states invoke are not known")
            return
        for task in state_machine_tasks(definition, self.r.value):
            span = task.where.span if isinstance(task.where, LDict) and task.where.span else where
            ref = task.function
            if isinstance(ref, str) and "${" in ref:
                ref = {"Fn::Sub": [ref, variables]} if variables else {"Fn::Sub": ref}
            self.b.caller(self.function_of(self.r.target(ref, span)), task.mode, "stepfunctions", span,
                          res.origin, res.id, res.span)

    def _definition_text(self, raw: Any, variables: dict[str, Any]) -> str | None:
        """A ``DefinitionString`` as text whose ``${Var}`` are looked up in ``variables`` (the Fn::Sub variables
        and ``DefinitionSubstitutions``; the parts of an ``Fn::Join`` that are not text become variables)."""
        if isinstance(raw, str):
            return raw
        if not isinstance(raw, dict) or len(raw) != 1:
            return None
        (k, arg), = raw.items()
        if k == "Fn::Sub":
            if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
                variables.update(arg[1])
                return arg[0]
            return arg if isinstance(arg, str) else None
        if k == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            sep = arg[0] if isinstance(arg[0], str) else ""
            parts = []
            for i, part in enumerate(arg[1]):
                if isinstance(part, str):
                    parts.append(part)
                elif isinstance(part, dict) and "Fn::Sub" in part:
                    inner = self._definition_text(part, variables)
                    if inner is None:
                        return None
                    parts.append(inner)
                else:
                    name = f"DefinitionPart{i}"
                    variables[name] = part
                    parts.append("${" + name + "}")
            return sep.join(parts)
        value = self.r.value(raw)
        return value if isinstance(value, str) else None

    def custom_resource(self, res: Res) -> None:
        """CloudFormation invokes a custom resource's function asynchronously, with a URL for its response."""
        fn = self.function_of(self.target(res.props, "ServiceToken", res.span))
        self.b.caller(fn, "async", "cloudformation", res.props.spans.get("ServiceToken", res.span),
                      res.origin, res.id, res.span)

    def user_pool(self, res: Res) -> None:
        """Cognito user pool triggers: Cognito waits for the function's answer, sync."""
        cfg = res.props.get("LambdaConfig")
        if not isinstance(cfg, LDict):
            return
        for key in COGNITO_TRIGGERS:
            if key in cfg:
                span = cfg.spans.get(key, res.span)
                self.b.caller(self.function_of(self.target(cfg, key, span)), "sync", "cognito", span,
                              res.origin, res.id, res.span)
        for key in COGNITO_NESTED:
            block = cfg.get(key)
            if isinstance(block, LDict) and "LambdaArn" in block:
                span = block.spans.get("LambdaArn", res.span)
                self.b.caller(self.function_of(self.target(block, "LambdaArn", span)), "sync", "cognito", span,
                              res.origin, res.id, res.span)

    def distribution(self, res: Res) -> None:
        """Lambda@Edge: CloudFront waits for the function's answer to each request or response, sync."""
        cfg = res.props.get("DistributionConfig")
        if not isinstance(cfg, LDict):
            return
        behaviors: list[Any] = [cfg.get("DefaultCacheBehavior")]
        more = cfg.get("CacheBehaviors")
        behaviors += list(more) if isinstance(more, list) else []
        for behavior in behaviors:
            assocs = behavior.get("LambdaFunctionAssociations") if isinstance(behavior, dict) else None
            if not isinstance(assocs, list):
                continue
            for i, assoc in enumerate(assocs):
                if not isinstance(assoc, LDict) or "LambdaFunctionARN" not in assoc:
                    continue
                span = assoc.spans.get("LambdaFunctionARN") or (assocs.spans[i] if isinstance(assocs, LList) else None) or res.span
                fn = self.function_of(self.target(assoc, "LambdaFunctionARN", span))
                self.b.caller(fn, "sync", "cloudfront", span, res.origin, res.id, res.span)

    def rotation_schedule(self, res: Res) -> None:
        """Secrets Manager calls the rotation function once per rotation step and waits for each, sync."""
        if "RotationLambdaARN" not in res.props:
            return
        span = res.props.spans.get("RotationLambdaARN", res.span)
        self.b.caller(self.function_of(self.target(res.props, "RotationLambdaARN", span)), "sync", "secretsmanager",
                     span, res.origin, res.id, res.span)

    def config_rule(self, res: Res) -> None:
        """AWS Config custom Lambda rules (the mode from ``callers.config_rule_mode``)."""
        src = res.props.get("Source")
        if not isinstance(src, LDict) or "SourceIdentifier" not in src:
            return
        mode = config_rule_mode(self.r.value(src.get("Owner")))
        if mode:
            span = src.spans.get("SourceIdentifier", res.span)
            self.b.caller(self.function_of(self.target(src, "SourceIdentifier", span)), mode, "config", span,
                          res.origin, res.id, res.span)

    def codecommit_triggers(self, res: Res) -> None:
        """CodeCommit repository triggers whose destination is a function."""
        triggers = res.props.get("Triggers")
        for i, trigger in enumerate(triggers if isinstance(triggers, list) else ()):
            if isinstance(trigger, LDict) and "DestinationArn" in trigger:
                span = trigger.spans.get("DestinationArn") or (triggers.spans[i] if isinstance(triggers, LList) else None) or res.span
                self.b.caller(self.function_of(self.target(trigger, "DestinationArn", span)), fixed_mode("codecommit"),
                             "codecommit", span, res.origin, res.id, res.span)

    def delivery_stream(self, res: Res) -> None:
        """Firehose data transformation: each ``*DestinationConfiguration``'s Lambda processors."""
        for key, dest in res.props.items():
            if not key.endswith("DestinationConfiguration") or not isinstance(dest, LDict):
                continue
            proc = dest.get("ProcessingConfiguration")
            processors = proc.get("Processors") if isinstance(proc, LDict) else None
            for processor in processors if isinstance(processors, list) else ():
                if not isinstance(processor, LDict) or not firehose_lambda_processor(self.r.value(processor.get("Type"))):
                    continue
                params = processor.get("Parameters")
                for param in params if isinstance(params, list) else ():
                    if (isinstance(param, LDict) and "ParameterValue" in param
                            and self.r.value(param.get("ParameterName")) == FIREHOSE_LAMBDA_PARAMETER):
                        span = param.spans.get("ParameterValue", res.span)
                        fn = self.function_of(self.target(param, "ParameterValue", span))
                        self.b.caller(fn, fixed_mode("firehose"), "firehose", span,
                                      res.origin, res.id, res.span)

    def pipe(self, res: Res) -> None:
        """EventBridge Pipes: the enrichment (sync) and the target (``callers.pipe_target_mode``)."""
        p = res.props
        if "Enrichment" in p:
            span = p.spans.get("Enrichment", res.span)
            self.b.caller(self.function_of(self.target(p, "Enrichment", span)), fixed_mode("pipes-enrichment"),
                         "pipes-enrichment", span, res.origin, res.id, res.span)
        if "Target" in p:
            span = p.spans.get("Target", res.span)
            params = p.get("TargetParameters")
            lam = params.get("LambdaFunctionParameters") if isinstance(params, LDict) else None
            given = isinstance(lam, LDict) and "InvocationType" in lam
            mode = pipe_target_mode(self.r.value(lam.get("InvocationType")) if given else None)  # type: ignore[union-attr]
            self.b.caller(self.function_of(self.target(p, "Target", span)), mode, "pipes", span,
                          res.origin, res.id, res.span)

    def codepipeline(self, res: Res) -> None:
        """CodePipeline ``Invoke``/``Lambda`` actions (``callers.codepipeline_is_lambda``)."""
        stages = res.props.get("Stages")
        for stage in stages if isinstance(stages, list) else ():
            actions = stage.get("Actions") if isinstance(stage, LDict) else None
            for action in actions if isinstance(actions, list) else ():
                kind = action.get("ActionTypeId") if isinstance(action, LDict) else None
                if not isinstance(kind, LDict) or not codepipeline_is_lambda(
                        self.r.value(kind.get("Category")), self.r.value(kind.get("Provider"))):
                    continue
                cfg = action.get("Configuration")
                if isinstance(cfg, LDict) and "FunctionName" in cfg:
                    span = cfg.spans.get("FunctionName", res.span)
                    self.b.caller(self.function_of(self.target(cfg, "FunctionName", span)), fixed_mode("codepipeline"),
                                 "codepipeline", span, res.origin, res.id, res.span)

    def object_lambda_access_point(self, res: Res) -> None:
        """S3 Object Lambda: each transformation's function answers the request it transforms, sync."""
        cfg = res.props.get("ObjectLambdaConfiguration")
        transformations = cfg.get("TransformationConfigurations") if isinstance(cfg, LDict) else None
        for tc in transformations if isinstance(transformations, list) else ():
            content = tc.get("ContentTransformation") if isinstance(tc, LDict) else None
            lam = content.get("AwsLambda") if isinstance(content, LDict) else None
            if isinstance(lam, LDict) and "FunctionArn" in lam:
                span = lam.spans.get("FunctionArn", res.span)
                self.b.caller(self.function_of(self.target(lam, "FunctionArn", span)), fixed_mode("s3-object-lambda"),
                             "s3-object-lambda", span, res.origin, res.id, res.span)

    def lex_bot_alias(self, res: Res) -> None:
        """Amazon Lex V2 code hooks: each locale's ``LambdaCodeHook`` answers the dialog, sync."""
        settings = res.props.get("BotAliasLocaleSettings")
        for item in settings if isinstance(settings, list) else ():
            setting = item.get("BotAliasLocaleSetting") if isinstance(item, LDict) else None
            spec = setting.get("CodeHookSpecification") if isinstance(setting, LDict) else None
            hook = spec.get("LambdaCodeHook") if isinstance(spec, LDict) else None
            if isinstance(hook, LDict) and "LambdaArn" in hook:
                span = hook.spans.get("LambdaArn", res.span)
                self.b.caller(self.function_of(self.target(hook, "LambdaArn", span)), fixed_mode("lex"), "lex",
                              span, res.origin, res.id, res.span)

    def connect_integration(self, res: Res) -> None:
        """An Amazon Connect instance's function (``callers.connect_mode``)."""
        if self.r.value(res.props.get("IntegrationType")) == "LAMBDA_FUNCTION" and "IntegrationArn" in res.props:
            span = res.props.spans.get("IntegrationArn", res.span)
            self.b.caller(self.function_of(self.target(res.props, "IntegrationArn", span)), connect_mode(), "connect",
                         span, res.origin, res.id, res.span)

    def _appsync_request(self, props: Mapping[str, Any]) -> object:
        for key in ("Code", "RequestMappingTemplate"):
            if key in props:
                return self.r.value(props[key])
        if "CodeS3Location" in props or "RequestMappingTemplateS3Location" in props:
            return ELSEWHERE
        return None

    def appsync_data_source(self, res: Res) -> None:
        """AppSync Lambda data sources: the mode of each resolver and pipeline function that uses it
        (``callers.appsync_data_source_modes``)."""
        cfg = res.props.get("LambdaConfig")
        if self.r.value(res.props.get("Type")) != "AWS_LAMBDA" or not isinstance(cfg, LDict):
            return
        name = self.r.value(res.props.get("Name"))
        requests: list[object] = []
        for other in self.resources:
            if other.type not in ("AWS::AppSync::Resolver", "AWS::AppSync::FunctionConfiguration"):
                continue
            ref = self.target(other.props, "DataSourceName", other.span)
            if (ref is not None and ref.node == res.id) or (
                    isinstance(name, str) and self.r.value(other.props.get("DataSourceName")) == name):
                requests.append(self._appsync_request(other.props))
        span = cfg.spans.get("LambdaFunctionArn", res.span)
        fn = self.function_of(self.target(cfg, "LambdaFunctionArn", span))
        for mode in appsync_data_source_modes(requests):
            self.b.caller(fn, mode, "appsync", span, res.origin, res.id, res.span)

    def _integration_function(self, uri: Any, span: Span) -> str | None:
        if uri is None:
            return None
        return self.function_of(self.r.target(uri, span))

    def rest_method(self, res: Res) -> None:
        integ = res.props.get("Integration")
        if not isinstance(integ, dict):
            return
        itype = self.r.value(integ.get("Type"))
        if itype not in ("AWS_PROXY", "AWS"):
            return
        span = res.props.spans.get("Integration", res.span)
        fn = self._integration_function(integ.get("Uri"), span)
        api = self.target(res.props, "RestApiId", res.span)
        mode = rest_integration_mode(itype, self.r.value(integ.get("RequestParameters")))
        self.b.add_trigger(fn, mode, "apigateway", res.span, res.origin, api, res.id, api=api.node if api else None,
                           api_kind="rest", proxy=itype == "AWS_PROXY",
                           integration_timeout_ms=(self.val(integ, "TimeoutInMillis", None, as_int, span)
                                                   if "TimeoutInMillis" in integ else None),
                           response_transfer_mode=self.r.value(integ.get("ResponseTransferMode")))

    def rest_authorizer(self, res: Res) -> None:
        v2 = res.type.startswith("AWS::ApiGatewayV2")
        fn = self._integration_function(res.props.get("AuthorizerUri"), res.span)
        api = self.target(res.props, "ApiId" if v2 else "RestApiId", res.span)
        self.b.api_authorizer(fn, res.span, res.origin, api, res.id, v2=v2)

    def rest_body(self, res: Res) -> None:
        self._openapi(res, res.props.get("Body"), "rest", "apigateway")

    def _openapi(self, res: Res, body: Any, kind: str, service: str) -> None:
        def function(doc: Mapping[str, Any], key: str, span: Span) -> str | None:
            return self._integration_function(doc.get(key), span)

        def number(doc: Mapping[str, Any], key: str, span: Span) -> Val[Any] | None:
            return self.val(doc, key, None, as_int, span) if key in doc else None

        self.b.openapi(body, res.id, res.span, res.origin, kind, service, plain=self.r.value, function=function,
                       number=number)

    def http_integration(self, res: Res) -> None:
        p = res.props
        itype = self.r.value(p.get("IntegrationType"))
        if itype != "AWS_PROXY" and itype != "AWS":
            return
        fn = self._integration_function(p.get("IntegrationUri"), res.span)
        self.b.api_v2_integration(fn, res.span, res.origin, self.target(p, "ApiId", res.span), res.id,
                                  proxy=itype == "AWS_PROXY",
                                  integration_timeout_ms=(self.val(p, "TimeoutInMillis", None, as_int, res.span)
                                                          if "TimeoutInMillis" in p else None),
                                  payload_format_version=self.r.value(p.get("PayloadFormatVersion")))

    def http_quick_target(self, res: Res) -> None:
        if "Target" in res.props:
            fn = self._integration_function(res.props.get("Target"), res.span)
            self.b.add_trigger(fn, "sync", "apigatewayv2", res.props.spans.get("Target", res.span), res.origin,
                               Target(node=res.id, span=res.span), res.id, api=res.id, api_kind="http")
        if "Body" in res.props:
            self._openapi(res, res.props.get("Body"), self.m.apis[res.id].kind, "apigatewayv2")

    def function_url(self, res: Res) -> None:
        fn = self.function_of(self.target(res.props, "TargetFunctionArn", res.span))
        self.b.add_trigger(fn, "sync", "url", res.span, res.origin, None, res.id)

    def target_group(self, res: Res) -> None:
        p = res.props
        if self.r.value(p.get("TargetType")) != "lambda":
            return
        targets = p.get("Targets")
        if not isinstance(targets, list):
            return
        for i, t in enumerate(targets):
            if isinstance(t, dict):
                span = targets.spans[i] if isinstance(targets, LList) else res.span
                fn = self.function_of(self.r.target(t.get("Id"), span))
                self.b.add_trigger(fn, "sync", "alb", span or res.span, res.origin, Target(node=res.id, span=res.span),
                                   res.id)

    def permission(self, res: Res) -> None:
        p = res.props
        fn = self.function_of(self.target(p, "FunctionName", res.span))
        event_filter = res.extra.get("filter")  # the Filter of the SAM event that made it
        self.b.permission(fn, self.r.value(p.get("Principal")), res.span, res.origin,
                          self.target(p, "SourceArn", res.span), res.id,
                          event_filter=self.r.value(event_filter) if event_filter is not None else None)
