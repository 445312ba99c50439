"""SAM into plain CloudFormation resources, the way the SAM transform expands them.

Only what the Model needs is expanded: functions with their ``Globals``, event sources, dead-letter queues,
``EventInvokeConfig``, generated roles with their policies (statements, policy templates, and the statements
SAM adds itself), APIs, function URLs. Generated resources carry the logical ids SAM gives them and, as
``origin``, the SAM resource a user edits; every value keeps the span of the SAM source it came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from ...model import CodeLocation, Record, record
from ...source import LDict, LList, Span
from .intrinsics import NO_VALUE, Resolver
from .resource import Res

POLL_SOURCES = {"SQS": "Queue", "Kinesis": "Stream", "DynamoDB": "Stream", "MSK": "Stream", "MQ": "Broker",
                "DocumentDB": "Cluster"}
MAPPING_KEYS = (
    "BatchSize", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "ScalingConfig", "Enabled",
    "FilterCriteria", "StartingPosition", "StartingPositionTimestamp", "MaximumRetryAttempts",
    "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError", "ParallelizationFactor", "TumblingWindowInSeconds",
    "Topics", "Queues", "SourceAccessConfigurations", "SelfManagedEventSource", "DatabaseName", "CollectionName",
)
FUNCTION_KEYS = (
    "Timeout", "Runtime", "Handler", "MemorySize", "ReservedConcurrentExecutions", "FunctionName", "RecursiveLoop",
    "PackageType", "Role", "Architectures", "Environment", "Layers", "VpcConfig", "Tags",
)
#: statements SAM adds to a generated role for a destination or DLQ of this type
DESTINATION_ACTIONS = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish", "Lambda": "lambda:InvokeFunction",
                       "EventBridge": "events:PutEvents", "S3Bucket": "s3:PutObject"}


def mk(span: Span, items: Mapping[str, Any] | None = None, spans: Mapping[str, Span] | None = None) -> LDict:
    """A generated mapping at ``span``: each member at its own span in ``spans``, else at ``span``."""
    out = _new_dict(LDict)  # what ``LDict(items, span=span)`` makes, without its ``__init__`` call
    out.span = span
    out.key_spans = {}
    if items:
        out.update(items)
        out.spans = {k: spans.get(k) or span for k in out} if spans else dict.fromkeys(out, span)
    else:
        out.spans = {}
    return out


_new_dict = dict.__new__


def ref(logical: str, span: Span) -> LDict:
    return mk(span, {"Ref": logical})


def getatt(logical: str, attr: str, span: Span) -> LDict:
    return mk(span, {"Fn::GetAtt": [logical, attr]})


def copy_keys(src: Mapping[str, Any], dst: LDict, keys: tuple[str, ...] | list[str]) -> None:
    src_spans = src.spans if isinstance(src, LDict) else {}
    dst_spans, default = dst.spans, dst.span
    for k in keys:
        if k in src:
            dst[k] = src[k]
            dst_spans[k] = src_spans.get(k, default)  # type: ignore[assignment]


def merge_globals(glob: Any, props: LDict) -> LDict:
    """SAM Globals: the resource's own value wins; maps merge; lists are the global items then the resource's."""
    if not isinstance(glob, dict):
        return props
    out = LDict(glob, span=props.span)
    spans = out.spans = ({k: glob.spans.get(k) for k in glob} if isinstance(glob, LDict)  # type: ignore[assignment,misc]
                         else dict.fromkeys(glob, props.span))
    props_spans, props_span = props.spans, props.span
    for k, v in props.items():
        if k in out and isinstance(out[k], dict) and isinstance(v, dict) and not _is_intrinsic(v):
            merged = merge_globals(out[k], v if isinstance(v, LDict) else LDict(v, span=props_span))
            out[k] = merged
        elif k in out and isinstance(out[k], list) and isinstance(v, list):
            joined = LList(list(out[k]) + list(v), span=getattr(v, "span", props_span))
            joined.spans = list(getattr(out[k], "spans", [None] * len(out[k]))) + list(getattr(v, "spans", [None] * len(v)))
            out[k] = joined
        else:
            out[k] = v
        spans[k] = props_spans.get(k, props_span)  # type: ignore[assignment]
    return out


def _is_intrinsic(v: Mapping[str, Any]) -> bool:
    return len(v) == 1 and next(iter(v)).startswith(("Fn::", "Ref", "Condition"))


def expand(resources: list[Res], doc: Mapping[str, Any], resolver: Resolver, file: str, template_dir: str) -> list[Res]:
    glob: Mapping[str, Any] = g if isinstance(g := doc.get("Globals"), dict) else {}
    out: list[Res] = []
    implicit: dict[str, Res] = {}
    code_paths: dict[str, tuple[str, str]] = {}
    # APIs whose OpenAPI body the user wrote: SAM leaves such a body as it is (unless MergeDefinitions), so an
    # Api event on them adds only the invoke permission; the body's own integrations say how it calls.
    own_bodies = frozenset(
        res.id for res in resources
        if res.type in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi") and "DefinitionBody" in res.props
        and resolver.value(res.props.get("MergeDefinitions", False)) is not True
    )
    for res in resources:
        if res.type == "AWS::Serverless::Function":
            props = merge_globals(glob.get("Function"), res.props)
            out.extend(_function(res, props, resolver, template_dir, implicit, own_bodies, code_paths))
        elif res.type == "AWS::Serverless::Api":
            props = merge_globals(glob.get("Api"), res.props)
            p = mk(res.span)
            if "DefinitionBody" in props:
                p["Body"] = props["DefinitionBody"]
                p.spans["Body"] = props.spans.get("DefinitionBody", res.span)
            out.append(Res(res.id, "AWS::ApiGateway::RestApi", p, res.span, res.origin, res.metadata, res.condition))
            out.extend(_authorizers(res, props, "AWS::ApiGateway::Authorizer", "RestApiId", "AuthorizerUri"))
        elif res.type == "AWS::Serverless::HttpApi":
            props = merge_globals(glob.get("HttpApi"), res.props)
            p = mk(res.span, {"ProtocolType": "HTTP"})
            if "DefinitionBody" in props:
                p["Body"] = props["DefinitionBody"]
                p.spans["Body"] = props.spans.get("DefinitionBody", res.span)
            out.append(Res(res.id, "AWS::ApiGatewayV2::Api", p, res.span, res.origin, res.metadata, res.condition))
            out.extend(_authorizers(res, props, "AWS::ApiGatewayV2::Authorizer", "ApiId", "AuthorizerUri"))
        elif res.type == "AWS::Serverless::SimpleTable":
            p = mk(res.span)
            copy_keys(res.props, p, ("TableName",))
            out.append(Res(res.id, "AWS::DynamoDB::Table", p, res.span, res.origin, res.metadata, res.condition))
        else:
            out.append(res)
    ids = {r.id for r in out}
    out.extend(r for k, r in implicit.items() if k not in ids)
    _connector_roles(resources, out, resolver)
    return out


def _connector_roles(resources: list[Res], out: list[Res], r: Resolver) -> None:
    """A SAM connector grants its source resource's role a policy of its own (what it grants depends on the
    pair of resource types and the permissions asked for), which this reader does not expand: the role of a
    function that is the source of a connector is only partly visible.
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-connector.html
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-connector.html"""
    sources: set[str] = set()
    for res in resources:
        if res.extra.get("connectors"):
            sources.add(res.id)
        if res.type == "AWS::Serverless::Connector":
            source = res.props.get("Source")
            if isinstance(source, dict) and isinstance(source.get("Id"), str):
                sources.add(source["Id"])
            elif isinstance(source, dict):  # by ARN or role name: the role it names, if it is in the template
                named = r.target(source.get("RoleName"), res.span).node if "RoleName" in source else None
                if named is not None:
                    sources.add(named)
    if not sources:
        return
    by_id = {res.id: res for res in out}
    for source in sources:
        made = by_id.get(source)
        if made is not None and made.type == "AWS::Lambda::Function":
            role = r.target(made.props.get("Role"), made.span).node if "Role" in made.props else None
            made = by_id.get(role or f"{source}Role")
        if made is not None and made.type == "AWS::IAM::Role":
            made.extra["incomplete"] = True


def _authorizers(res: Res, props: LDict, rtype: str, api_key: str, uri_key: str) -> list[Res]:
    """Lambda authorizers of a SAM API: API Gateway invokes them synchronously."""
    auth = props.get("Auth")
    authorizers = auth.get("Authorizers") if isinstance(auth, dict) else None
    out: list[Res] = []
    if not isinstance(authorizers, dict):
        return out
    for name, spec in authorizers.items():
        if isinstance(spec, dict) and "FunctionArn" in spec:
            span = authorizers.spans.get(name, res.span) if isinstance(authorizers, LDict) else res.span
            ap = mk(span, {api_key: ref(res.id, span), uri_key: spec["FunctionArn"]})
            out.append(Res(f"{res.id}{name}Authorizer", rtype, ap, span, res.id))
    return out


def _code(res: Res, props: LDict, resolver: Resolver, template_dir: str,
          paths: dict[str, tuple[str, str]] | None = None) -> CodeLocation:
    """Where a function's code is. ``paths``: each local ``CodeUri`` of the template already looked at (the path
    and its kind), since functions share one through ``Globals``."""
    base = None  # the builder's Model knows base_dir; the handlers stage checks containment
    if "InlineCode" in props:
        text = resolver.value(props["InlineCode"])
        if isinstance(text, str):
            return CodeLocation("inline", inline=text, span=props.spans.get("InlineCode", res.span))
        return CodeLocation("unknown", span=res.span)
    if resolver.value(props.get("PackageType", "Zip")) == "Image":
        return CodeLocation("unknown", span=res.span)
    entry: list[str] = []
    meta = res.metadata
    if isinstance(meta, dict) and isinstance(meta.get("BuildProperties"), dict):
        points = meta["BuildProperties"].get("EntryPoints")
        if isinstance(points, list):
            entry = [p for p in points if isinstance(p, str)]
    if "CodeUri" in props:
        uri = resolver.value(props["CodeUri"])
        span = props.spans.get("CodeUri", res.span)
        if isinstance(uri, str) and not uri.startswith("s3://"):
            found = paths.get(uri) if paths is not None else None
            if found is None:
                path = os.path.normpath(os.path.join(template_dir, uri))
                found = (path, "zip" if uri.lower().endswith(".zip") else ("file" if os.path.isfile(path) else "dir"))
                if paths is not None:
                    paths[uri] = found
            path, kind = found
            return CodeLocation(kind, path=path, base_dir=base, entry_points=entry, span=span)  # type: ignore[arg-type]
        return CodeLocation("unknown", span=span)
    return CodeLocation("dir", path=template_dir, base_dir=base, entry_points=entry, span=res.span)


def _function(res: Res, props: LDict, r: Resolver, template_dir: str, implicit: dict[str, Res],
              own_bodies: frozenset[str] = frozenset(), paths: dict[str, tuple[str, str]] | None = None) -> list[Res]:
    fid, span = res.id, res.span
    out: list[Res] = []
    fp = mk(span)
    copy_keys(props, fp, FUNCTION_KEYS)
    dlq = props.get("DeadLetterQueue")
    dlq_type = None
    if isinstance(dlq, dict) and "TargetArn" in dlq:
        dspan = props.spans.get("DeadLetterQueue", span)
        fp["DeadLetterConfig"] = mk(dspan, {"TargetArn": dlq["TargetArn"]}, {"TargetArn": dlq.spans.get("TargetArn", dspan) if isinstance(dlq, LDict) else dspan})
        fp.spans["DeadLetterConfig"] = dspan
        dlq_type = r.value(dlq.get("Type"))
    fn_res = Res(fid, "AWS::Lambda::Function", fp, span, fid, res.metadata, res.condition)
    fn_res.extra["code"] = _code(res, props, r, template_dir, paths)
    out.append(fn_res)

    # the execution role SAM generates when none is given
    auto_statements: list[LDict] = []
    if dlq_type in ("SQS", "SNS"):
        auto_statements.append(_statement(DESTINATION_ACTIONS[dlq_type], fp["DeadLetterConfig"]["TargetArn"], fp.spans["DeadLetterConfig"]))

    alias = r.value(props.get("AutoPublishAlias")) if "AutoPublishAlias" in props else None
    eic = props.get("EventInvokeConfig")
    if isinstance(eic, dict):
        espan = props.spans.get("EventInvokeConfig", span)
        ep = mk(espan, {"FunctionName": ref(fid, espan), "Qualifier": alias if isinstance(alias, str) else "$LATEST"})
        copy_keys(eic, ep, ("MaximumRetryAttempts", "MaximumEventAgeInSeconds"))
        dest = eic.get("DestinationConfig")
        if isinstance(dest, dict):
            dp = mk(eic.spans.get("DestinationConfig", espan) if isinstance(eic, LDict) else espan)
            for key in ("OnFailure", "OnSuccess"):
                block = dest.get(key)
                if not isinstance(block, dict):
                    continue
                bspan = dest.spans.get(key, espan) if isinstance(dest, LDict) else espan
                dtype = r.value(block.get("Type"))
                if "Destination" in block:
                    destination = block["Destination"]
                elif dtype in ("SQS", "SNS"):
                    gen = f"{fid}EventInvokeConfig{key}{'Queue' if dtype == 'SQS' else 'Topic'}"
                    out.append(Res(gen, "AWS::SQS::Queue" if dtype == "SQS" else "AWS::SNS::Topic", mk(bspan), bspan, fid))
                    destination = getatt(gen, "Arn", bspan) if dtype == "SQS" else ref(gen, bspan)
                else:
                    continue
                dspan = block.spans.get("Destination", bspan) if isinstance(block, LDict) else bspan
                dp[key] = mk(bspan, {"Destination": destination}, {"Destination": dspan})
                dp.spans[key] = bspan
                if isinstance(dtype, str) and dtype in DESTINATION_ACTIONS:
                    auto_statements.append(_statement(DESTINATION_ACTIONS[dtype], destination, bspan))
            ep["DestinationConfig"] = dp
            ep.spans["DestinationConfig"] = dp.span  # type: ignore[assignment]
        out.append(Res(f"{fid}EventInvokeConfig", "AWS::Lambda::EventInvokeConfig", ep, espan, fid))

    managed: list[Any] = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    events = props.get("Events")
    if isinstance(events, dict):
        for name, event in events.items():
            espan = (events.key_span(name) or span) if isinstance(events, LDict) else span
            if not isinstance(event, dict):
                continue
            etype = r.value(event.get("Type"))
            if not isinstance(etype, str):
                continue
            eprops = event.get("Properties")
            if not isinstance(eprops, LDict):
                eprops = LDict(eprops if isinstance(eprops, dict) else {}, span=espan)
            generated = _event(fid, str(name), etype, eprops, espan, r, implicit, managed, auto_statements, own_bodies)
            for made in generated:
                made.extra["event"] = str(name)
            out.extend(generated)

    url = props.get("FunctionUrlConfig")
    if isinstance(url, dict):
        uspan = props.spans.get("FunctionUrlConfig", span)
        out.append(Res(f"{fid}Url", "AWS::Lambda::Url", mk(uspan, {"TargetFunctionArn": ref(fid, uspan)}), uspan, fid))

    if "Role" not in props:
        role_id = f"{fid}Role"
        policies, incomplete = _policies(props.get("Policies"), props.spans.get("Policies", span), r, managed)
        if auto_statements:
            policies.append(mk(span, {"PolicyName": "invlint-sam-generated",
                                      "PolicyDocument": mk(span, {"Statement": _llist(auto_statements, span)})}))
        rp = mk(span, {"Policies": _llist(policies, span), "ManagedPolicyArns": _llist(managed, span)})
        role = Res(role_id, "AWS::IAM::Role", rp, span, fid)
        role.extra["incomplete"] = incomplete
        out.append(role)
        fp["Role"] = getatt(role_id, "Arn", span)
        fp.spans["Role"] = span
    return out


def _llist(items: list[Any], span: Span) -> LList:
    out = LList(items, span=span)
    out.spans = [getattr(i, "span", None) or span for i in items]
    return out


def _statement(action: str, resource: Any, span: Span) -> LDict:
    return mk(span, {"Effect": "Allow", "Action": [action], "Resource": resource})


def _policies(raw: Any, span: Span, r: Resolver, managed: list[Any]) -> tuple[list[LDict], bool]:
    """SAM ``Policies``: managed policy names/ARNs (an intrinsic function gives a managed policy's ARN), policy
    documents, and policy templates.
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-policies"""
    raw = r.chosen(raw)
    if raw is None or raw is NO_VALUE:
        return [], False
    items = raw if isinstance(raw, list) else [raw]
    spans = raw.spans if isinstance(raw, LList) else [span] * len(items)
    policies: list[LDict] = []
    incomplete = False
    for written, ispan in zip(items, spans, strict=False):
        ispan = ispan or span
        item = r.chosen(written)  # an entry written as Fn::If counts only when its condition holds
        if item is NO_VALUE:
            continue
        if isinstance(item, str):
            managed.append(item if item.startswith("arn:") else f"arn:aws:iam::aws:policy/{item}")
        elif isinstance(item, dict) and "Statement" in item:
            policies.append(mk(ispan, {"PolicyName": "inline", "PolicyDocument": item}))
        elif isinstance(item, dict) and len(item) == 1:
            (name, params), = item.items()
            if name in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::ImportValue", "Fn::Join"):
                managed.append(item)  # the role then reads it as any managed policy ARN
                continue
            statements = _policy_template(str(name), params if isinstance(params, dict) else {})
            if statements is None:
                incomplete = True
                continue
            located = [_locate(s, ispan) for s in statements]
            policies.append(mk(ispan, {"PolicyName": str(name), "PolicyDocument": mk(ispan, {"Statement": _llist(located, ispan)})}))
        else:
            incomplete = True
    return policies, incomplete


def _policy_template(name: str, params: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    try:
        from .sam_policies import expand as expand_template
    except ImportError:
        return None
    return expand_template(name, dict(params))


def _locate(value: Any, span: Span) -> Any:
    """Give generated values the span of the SAM line they come from."""
    if isinstance(value, LDict):
        return value
    if isinstance(value, dict):
        out = LDict(span=span)
        for k, v in value.items():
            out[k] = _locate(v, span)
            out.spans[k] = getattr(v, "span", None) or span
        return out
    if isinstance(value, list) and not isinstance(value, LList):
        return _llist([_locate(v, span) for v in value], span)
    return value


def _api_ref(p: LDict, key: str) -> str | None:
    """The logical id an event's RestApiId/ApiId refers to, if it is a plain Ref."""
    v = p.get(key)
    if isinstance(v, dict) and len(v) == 1 and isinstance(v.get("Ref"), str):
        return v["Ref"]
    return None


def _target_dlq(p: LDict, target: LDict, eid: str, fid: str, span: Span, r: Resolver) -> list[Res]:
    """An event's ``DeadLetterConfig``: an ARN, or ``Type: SQS`` for a queue SAM creates (returned)."""
    dlc = p.get("DeadLetterConfig")
    if not isinstance(dlc, dict):
        return []
    out: list[Res] = []
    dspan = p.spans.get("DeadLetterConfig", span)
    if "Arn" in dlc:
        arn_span = dlc.spans.get("Arn", dspan) if isinstance(dlc, LDict) else dspan
        target["DeadLetterConfig"] = mk(dspan, {"Arn": dlc["Arn"]}, {"Arn": arn_span})
    elif r.value(dlc.get("Type")) == "SQS":
        qid = r.value(dlc.get("QueueLogicalId")) if "QueueLogicalId" in dlc else f"{eid}Queue"
        qid = qid if isinstance(qid, str) else f"{eid}Queue"
        out.append(Res(qid, "AWS::SQS::Queue", mk(dspan), dspan, fid))
        target["DeadLetterConfig"] = mk(dspan, {"Arn": getatt(qid, "Arn", dspan)})
    target.spans["DeadLetterConfig"] = dspan
    return out


@record(slots=False)
class _Event(Record):
    """One entry of a function's ``Events``, as each expander reads it."""

    fid: str
    name: str
    type: str
    p: LDict
    span: Span
    r: Resolver
    implicit: dict[str, Res]  # APIs the transform makes once for every event that names none
    managed: list[Any]  # managed policies the transform attaches to the function's role
    auto: list[LDict]  # policy statements the transform adds to the function's role
    own_bodies: frozenset[str]  # APIs whose OpenAPI body the user wrote

    @property
    def eid(self) -> str:
        return f"{self.fid}{self.name}"

    @property
    def fn_ref(self) -> Any:
        return ref(self.fid, self.span)

    @property
    def fn_arn(self) -> Any:
        return getatt(self.fid, "Arn", self.span)

    def permission(self, principal: str, source: Any = None, source_span: Span | None = None) -> Res:
        pp = mk(self.span, {"FunctionName": self.fn_ref, "Principal": principal})
        if source is not None:
            pp["SourceArn"] = source
            pp.spans["SourceArn"] = source_span or self.span
        return Res(f"{self.eid}Permission", "AWS::Lambda::Permission", pp, self.span, self.fid)


_POLL_POLICIES = {
    "SQS": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "Kinesis": "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
    "DynamoDB": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
    "MSK": "arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole",
}
#: the event type says what polls, even when the source itself is imported or unknown
_POLL_SERVICES = {"SQS": "sqs", "Kinesis": "kinesis", "DynamoDB": "dynamodb", "MSK": "kafka", "MQ": "mq",
                  "DocumentDB": "docdb", "SelfManagedKafka": "kafka"}


def _poll(ev: _Event) -> list[Res]:
    p, span = ev.p, ev.span
    mp = mk(span, {"FunctionName": ev.fn_ref})
    key = POLL_SOURCES.get(ev.type)
    if key and key in p:
        mp["EventSourceArn"] = p[key]
        mp.spans["EventSourceArn"] = p.spans.get(key, span)
    if ev.type == "SelfManagedKafka":
        mp["SelfManagedEventSource"] = p.get("KafkaBootstrapServers", {})
    copy_keys(p, mp, MAPPING_KEYS)
    dest = p.get("DestinationConfig")
    if isinstance(dest, dict):
        dspan = p.spans.get("DestinationConfig", span)
        dp = mk(dspan)
        on_failure = dest.get("OnFailure")
        if isinstance(on_failure, dict) and "Destination" in on_failure:
            dp["OnFailure"] = mk(dest.spans.get("OnFailure", dspan) if isinstance(dest, LDict) else dspan,
                                 {"Destination": on_failure["Destination"]},
                                 {"Destination": on_failure.spans.get("Destination", dspan) if isinstance(on_failure, LDict) else dspan})
            dp.spans["OnFailure"] = dp["OnFailure"].span
            dtype = ev.r.value(on_failure.get("Type"))
            if isinstance(dtype, str) and dtype in DESTINATION_ACTIONS:
                ev.auto.append(_statement(DESTINATION_ACTIONS[dtype], on_failure["Destination"], dspan))
        mp["DestinationConfig"] = dp
        mp.spans["DestinationConfig"] = dspan
    ev.managed.append(_POLL_POLICIES.get(ev.type, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
    mapping = Res(ev.eid, "AWS::Lambda::EventSourceMapping", mp, span, ev.fid)
    mapping.extra["service"] = _POLL_SERVICES[ev.type]
    return [mapping]


def _sns(ev: _Event) -> list[Res]:
    p, span, eid, fid = ev.p, ev.span, ev.eid, ev.fid
    sqs_sub = p.get("SqsSubscription")
    sub_value = ev.r.value(sqs_sub) if sqs_sub is not None else False
    if not (sub_value is True or isinstance(sqs_sub, dict)):
        sp = mk(span, {"Protocol": "lambda", "Endpoint": ev.fn_arn})
        if "Topic" in p:
            sp["TopicArn"] = p["Topic"]
            sp.spans["TopicArn"] = p.spans.get("Topic", span)
        copy_keys(p, sp, ("RedrivePolicy", "FilterPolicy", "FilterPolicyScope"))
        return [Res(eid, "AWS::SNS::Subscription", sp, span, fid)]
    # SqsSubscription: the topic delivers into a queue the function polls
    out: list[Res] = []
    sspan = p.spans.get("SqsSubscription", span)
    if isinstance(sqs_sub, dict) and "QueueArn" in sqs_sub:
        queue_arn = sqs_sub["QueueArn"]
    else:
        qid = f"{eid}Queue"
        out.append(Res(qid, "AWS::SQS::Queue", mk(sspan), sspan, fid))
        queue_arn = getatt(qid, "Arn", sspan)
    mp = mk(sspan, {"FunctionName": ev.fn_ref, "EventSourceArn": queue_arn})
    if isinstance(sqs_sub, dict):
        copy_keys(sqs_sub, mp, ("BatchSize", "Enabled"))
    out.append(Res(f"{eid}EventSourceMapping", "AWS::Lambda::EventSourceMapping", mp, span, fid))
    if "Topic" in p:
        sp = mk(sspan, {"Protocol": "sqs", "Endpoint": queue_arn, "TopicArn": p["Topic"]},
                {"TopicArn": p.spans.get("Topic", span)})
        copy_keys(p, sp, ("FilterPolicy", "FilterPolicyScope"))
        out.append(Res(eid, "AWS::SNS::Subscription", sp, span, fid))
    ev.managed.append("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole")
    return out


def _rule(ev: _Event) -> list[Res]:
    p, span, eid = ev.p, ev.span, ev.eid
    target = mk(span, {"Arn": ev.fn_arn, "Id": f"{eid}LambdaTarget"})
    target_spec = p.get("Target")
    if isinstance(target_spec, dict) and "Id" in target_spec:
        target["Id"] = target_spec["Id"]
    out = _target_dlq(p, target, eid, ev.fid, span, ev.r)
    copy_keys(p, target, ("RetryPolicy", "Input", "InputPath"))
    rp = mk(span, {"Targets": _llist([target], span)})
    if ev.type == "Schedule":
        if "Schedule" in p:
            rp["ScheduleExpression"] = p["Schedule"]
            rp.spans["ScheduleExpression"] = p.spans.get("Schedule", span)
    else:
        if "Pattern" in p:
            rp["EventPattern"] = p["Pattern"]
            rp.spans["EventPattern"] = p.spans.get("Pattern", span)
        copy_keys(p, rp, ("EventBusName",))
    copy_keys(p, rp, ("State",))
    return [*out, Res(eid, "AWS::Events::Rule", rp, span, ev.fid)]


def _schedule_v2(ev: _Event) -> list[Res]:
    target = mk(ev.span, {"Arn": ev.fn_arn})
    out = _target_dlq(ev.p, target, ev.eid, ev.fid, ev.span, ev.r)
    copy_keys(ev.p, target, ("RetryPolicy", "Input"))
    sp = mk(ev.span, {"Target": target})
    copy_keys(ev.p, sp, ("ScheduleExpression", "FlexibleTimeWindow", "State"))
    return [*out, Res(ev.eid, "AWS::Scheduler::Schedule", sp, ev.span, ev.fid)]


def _s3(ev: _Event) -> list[Res]:
    permission = ev.permission("s3.amazonaws.com", ev.p.get("Bucket"), ev.p.spans.get("Bucket"))
    if "Filter" in ev.p:
        permission.extra["filter"] = ev.p["Filter"]
    return [permission]


def _logs(ev: _Event) -> list[Res]:
    lp = mk(ev.span, {"DestinationArn": ev.fn_arn})
    copy_keys(ev.p, lp, ("LogGroupName", "FilterPattern"))
    return [Res(ev.eid, "AWS::Logs::SubscriptionFilter", lp, ev.span, ev.fid)]


def _iot_rule(ev: _Event) -> list[Res]:
    span = ev.span
    action = mk(span, {"Lambda": mk(span, {"FunctionArn": ev.fn_arn})})
    payload = mk(span, {"Actions": _llist([action], span)})
    copy_keys(ev.p, payload, ("Sql", "AwsIotSqlVersion"))
    return [Res(ev.eid, "AWS::IoT::TopicRule", mk(span, {"TopicRulePayload": payload}), span, ev.fid)]


def _on_own_body(ev: _Event, api_key: str) -> list[Res] | None:
    """An event on an API whose OpenAPI body the user wrote adds only the permission, as the transform does."""
    api = _api_ref(ev.p, api_key)
    if api not in ev.own_bodies:
        return None
    return [ev.permission("apigateway.amazonaws.com", ref(str(api), ev.span))]


def _rest_api(ev: _Event) -> list[Res]:
    own = _on_own_body(ev, "RestApiId")
    if own is not None:
        return own
    p, span = ev.p, ev.span
    api_id = "ServerlessRestApi"
    if "RestApiId" in p:
        api_ref = p["RestApiId"]
        api_span = p.spans.get("RestApiId", span)
    else:
        ev.implicit.setdefault(api_id, Res(api_id, "AWS::ApiGateway::RestApi", mk(span), span, api_id))
        api_ref, api_span = ref(api_id, span), span
    integ = mk(span, {"Type": "AWS_PROXY", "Uri": ev.fn_arn})
    copy_keys(p, integ, ("TimeoutInMillis",))
    mp = mk(span, {"RestApiId": api_ref, "Integration": integ}, {"RestApiId": api_span})
    copy_keys(p, mp, ("Path", "Method"))
    return [Res(ev.eid, "AWS::ApiGateway::Method", mp, span, ev.fid)]


def _http_api(ev: _Event) -> list[Res]:
    own = _on_own_body(ev, "ApiId")
    if own is not None:
        return own
    p, span = ev.p, ev.span
    api_id = "ServerlessHttpApi"
    if "ApiId" in p:
        api_ref = p["ApiId"]
        api_span = p.spans.get("ApiId", span)
    else:
        ev.implicit.setdefault(api_id, Res(api_id, "AWS::ApiGatewayV2::Api", mk(span, {"ProtocolType": "HTTP"}), span, api_id))
        api_ref, api_span = ref(api_id, span), span
    ip = mk(span, {"ApiId": api_ref, "IntegrationType": "AWS_PROXY", "IntegrationUri": ev.fn_arn}, {"ApiId": api_span})
    ip["PayloadFormatVersion"] = "2.0"  # SAM's default for HttpApi events
    copy_keys(p, ip, ("TimeoutInMillis", "PayloadFormatVersion"))
    return [Res(ev.eid, "AWS::ApiGatewayV2::Integration", ip, span, ev.fid)]


def _cognito(ev: _Event) -> list[Res]:
    permission = ev.permission("cognito-idp.amazonaws.com")
    if "UserPool" in ev.p:
        permission.props["SourceArn"] = ev.p["UserPool"]
    return [permission]


def _alexa(ev: _Event) -> list[Res]:
    return [ev.permission("alexa-appkit.amazon.com")]


#: SAM event type → what the transform makes of it
_EXPANDERS: dict[str, Callable[[_Event], list[Res]]] = {
    **{t: _poll for t in (*POLL_SOURCES, "SelfManagedKafka")},
    "SNS": _sns,
    "CloudWatchEvent": _rule, "EventBridgeRule": _rule, "Schedule": _rule,
    "ScheduleV2": _schedule_v2,
    "S3": _s3,
    "CloudWatchLogs": _logs,
    "IoTRule": _iot_rule,
    "Api": _rest_api,
    "HttpApi": _http_api,
    "Cognito": _cognito,
    "AlexaSkill": _alexa,
}


def _event(fid: str, name: str, etype: Any, p: LDict, span: Span, r: Resolver, implicit: dict[str, Res],
           managed: list[Any], auto: list[LDict], own_bodies: frozenset[str] = frozenset()) -> list[Res]:
    expand = _EXPANDERS.get(etype) if isinstance(etype, str) else None
    if expand is None:
        return []
    return expand(_Event(fid, name, etype, p, span, r, implicit, managed, auto, own_bodies))
