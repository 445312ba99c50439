"""Draft the Terraform twin of a CloudFormation fixture: ``python tests/terraform/cfn_to_tf.py SRC.yaml OUT_DIR``.

The twins under ``fixtures/terraform/`` were drafted with this and are checked in as plain files (the tests
read the files, never this script). Naming convention, relied on by ``test_twins.py``:

- a resource keeps its logical id in snake case: ``OrdersQueue`` → ``aws_sqs_queue.orders_queue``;
- a resource Terraform splits out of a CloudFormation one is named ``<owner>__<part>``: the targets of an
  ``AWS::Events::Rule`` (``aws_cloudwatch_event_target.nightly_rule__report``), the inline policies of a role
  (``aws_iam_role_policy.lambda_role__logs``), policy attachments; an API Gateway method becomes
  ``aws_api_gateway_method.x`` plus ``aws_api_gateway_integration.x``;
- a parameter becomes a variable of the same snake-case name, with its default; an ``ImportValue`` becomes
  a variable without default (unknown, as the import is);
- inline ``ZipFile`` code is written to ``src/<function>/index.py`` and packaged by ``data "archive_file"``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))


def snake(name: str) -> str:
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return re.sub(r"[^A-Za-z0-9_]", "_", s).lower()


class Raw:
    def __init__(self, text: str) -> None:
        self.text = text


TF_TYPE = {
    "AWS::SQS::Queue": "aws_sqs_queue",
    "AWS::SNS::Topic": "aws_sns_topic",
    "AWS::SNS::Subscription": "aws_sns_topic_subscription",
    "AWS::Lambda::Function": "aws_lambda_function",
    "AWS::Lambda::EventSourceMapping": "aws_lambda_event_source_mapping",
    "AWS::Lambda::EventInvokeConfig": "aws_lambda_function_event_invoke_config",
    "AWS::Lambda::Permission": "aws_lambda_permission",
    "AWS::Lambda::Alias": "aws_lambda_alias",
    "AWS::Lambda::Url": "aws_lambda_function_url",
    "AWS::Events::Rule": "aws_cloudwatch_event_rule",
    "AWS::IAM::Role": "aws_iam_role",
    "AWS::IAM::ManagedPolicy": "aws_iam_policy",
    "AWS::Kinesis::Stream": "aws_kinesis_stream",
    "AWS::ApiGateway::RestApi": "aws_api_gateway_rest_api",
    "AWS::ApiGateway::Resource": "aws_api_gateway_resource",
    "AWS::ApiGateway::Method": "aws_api_gateway_method",
    "AWS::ApiGatewayV2::Api": "aws_apigatewayv2_api",
    "AWS::ApiGatewayV2::Integration": "aws_apigatewayv2_integration",
    "AWS::Logs::SubscriptionFilter": "aws_cloudwatch_log_subscription_filter",
    "AWS::DynamoDB::Table": "aws_dynamodb_table",
    "AWS::S3::Bucket": "aws_s3_bucket",
    "AWS::Scheduler::Schedule": "aws_scheduler_schedule",
    "AWS::IAM::Policy": "aws_iam_policy",
}

#: what ``Ref`` returns, per type, as a Terraform attribute
REF_ATTR = {
    "AWS::SQS::Queue": "url", "AWS::SNS::Topic": "arn", "AWS::Lambda::Function": "function_name",
    "AWS::IAM::Role": "name", "AWS::Kinesis::Stream": "name", "AWS::ApiGateway::RestApi": "id",
    "AWS::ApiGateway::Resource": "id", "AWS::Lambda::Alias": "arn", "AWS::IAM::ManagedPolicy": "arn",
    "AWS::Events::Rule": "name", "AWS::ApiGatewayV2::Api": "id", "AWS::S3::Bucket": "id",
    "AWS::DynamoDB::Table": "name",
}
GETATT = {"Arn": "arn", "RootResourceId": "root_resource_id", "QueueName": "name", "StreamArn": "stream_arn",
          "QueueUrl": "url", "TopicName": "name", "ApiEndpoint": "api_endpoint"}


class Converter:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.types = {k: v.get("Type") for k, v in doc.get("Resources", {}).items()}
        self.params = doc.get("Parameters", {}) or {}
        self.imports: dict[str, str] = {}
        self.data: set[str] = set()
        self.names: dict[str, str] = {}  # logical id → Terraform name (SAM-generated: ``<owner>__<part>``)

    def addr(self, logical: str) -> str:
        return f"{TF_TYPE[self.types[logical]]}.{self.names.get(logical, snake(logical))}"

    def ref(self, name: str) -> Raw:
        if name in self.types:
            return Raw(f"{self.addr(name)}.{REF_ATTR.get(self.types[name], 'id')}")
        if name == "AWS::Region":
            self.data.add("region")
            return Raw("data.aws_region.current.name")
        if name == "AWS::AccountId":
            self.data.add("account")
            return Raw("data.aws_caller_identity.current.account_id")
        if name == "AWS::Partition":
            return Raw('"aws"')
        return Raw(f"var.{snake(name)}")

    def getatt(self, arg: Any) -> Raw:
        logical, attr = (arg if isinstance(arg, list) else arg.split(".", 1))
        return Raw(f"{self.addr(logical)}.{GETATT.get(attr, snake(attr))}")

    def sub(self, text: str, local: dict[str, Any] | None = None) -> Raw:
        m = re.fullmatch(r"arn:aws:apigateway:\$\{AWS::Region\}:lambda:path/2015-03-31/functions/\$\{(\w+)\.Arn\}/invocations", text)
        if m:
            return Raw(f"{self.addr(m.group(1))}.invoke_arn")

        def interp(inner: str) -> str:
            if local and inner in local:
                v = self.expr(local[inner])
                return "${" + (v.text if isinstance(v, Raw) else json.dumps(v)) + "}"
            if "." in inner:
                return "${" + self.getatt(inner).text + "}"
            r = self.ref(inner).text
            return "aws" if r == '"aws"' else "${" + r + "}"

        out, pos = [], 0
        for mm in re.finditer(r"\$\{([^}]+)\}", text):
            out.append(json.dumps(text[pos:mm.start()])[1:-1].replace("${", "$${"))
            out.append(interp(mm.group(1)))
            pos = mm.end()
        out.append(json.dumps(text[pos:])[1:-1].replace("${", "$${"))
        return Raw('"' + "".join(out) + '"')

    def expr(self, v: Any) -> Any:
        if isinstance(v, dict) and len(v) == 1:
            (k, arg), = v.items()
            if k == "Ref":
                return self.ref(arg)
            if k == "Fn::GetAtt":
                return self.getatt(arg)
            if k == "Fn::Sub":
                if isinstance(arg, str):
                    return self.sub(arg)
                return self.sub(arg[0], arg[1] if len(arg) > 1 and isinstance(arg[1], dict) else None)
            if k == "Fn::ImportValue":
                name = snake(str(arg).replace("-", "_"))
                self.imports[name] = str(arg)
                return Raw(f"var.{name}")
            if k == "Fn::Join":
                sep, parts = arg
                return Raw("join(" + json.dumps(sep) + ", " + render(self.expr(parts), 0) + ")")
        if isinstance(v, dict):
            return {k: self.expr(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.expr(x) for x in v]
        return v


def render(v: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, JsonDoc):
        return "jsonencode(" + render(v.value, indent) + ")"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v).replace("${", "$${")
    if isinstance(v, list):
        if not v:
            return "[]"
        if all(not isinstance(x, (dict, list)) for x in v):
            return "[" + ", ".join(render(x, indent) for x in v) + "]"
        return "[\n" + "".join(f"{pad}  {render(x, indent + 1)},\n" for x in v) + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        lines = []
        width = max(len(_key(k)) for k in v)
        for k, x in v.items():
            lines.append(f"{pad}  {_key(k).ljust(width)} = {render(x, indent + 1)}")
        return "{\n" + "\n".join(lines) + "\n" + pad + "}"
    if v is None:
        return "null"
    raise TypeError(type(v))


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else json.dumps(k)


class Writer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def block(self, head: str, attrs: list[tuple[str, Any]], indent: int = 0) -> None:
        pad = "  " * indent
        self.out.append(f"{pad}{head} {{")
        plain = [(k, v) for k, v in attrs if not isinstance(v, Block)]
        width = max((len(k) for k, _ in plain), default=0)
        for k, v in attrs:
            if isinstance(v, Block):
                self.block(k, v.attrs, indent + 1)
            else:
                self.out.append(f"{pad}  {k.ljust(width)} = {render(v, indent + 1)}")
        self.out.append(f"{pad}}}")
        if indent == 0:
            self.out.append("")


class Block:
    def __init__(self, attrs: list[tuple[str, Any]]) -> None:
        self.attrs = attrs


def convert(src: str, out_dir: str) -> None:
    from invocation_lint.formats.parse import parse_text

    with open(src, encoding="utf-8") as fh:
        doc = parse_text(fh.read(), src)
    extras: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    from invocation_lint.formats.cloudformation.template import is_sam

    if is_sam(doc):
        doc, extras, names = expand_sam(doc, src)
    doc = json.loads(json.dumps(doc))  # plain containers
    c = Converter(doc)
    c.names = names
    w = Writer()
    desc = doc.get("Description")
    header = [f"# Terraform twin of {os.path.relpath(src, os.path.join(os.path.dirname(__file__), '..', '..'))}"]
    if desc:
        header.append(f"# {desc}")
    for name, p in c.params.items():
        attrs: list[tuple[str, Any]] = []
        if "Default" in p:
            d = p["Default"]
            if p.get("Type") == "Number" and isinstance(d, str):
                d = int(d) if d.isdigit() else float(d)
            attrs.append(("default", d))
        w.block(f'variable "{snake(name)}"', attrs)
    code_files: dict[str, str] = {}
    for logical, res in doc.get("Resources", {}).items():
        rtype = res.get("Type")
        p = {k: c.expr(v) for k, v in (res.get("Properties") or {}).items()}
        name = names.get(logical, snake(logical))
        code = extras.get(logical, {}).get("code")
        if code is not None and code.kind == "dir" and code.path:
            rel = os.path.relpath(code.path, os.path.dirname(os.path.abspath(src)))
            if os.path.isdir(code.path) and not rel.startswith(".."):
                dest = os.path.join(out_dir, rel)
                if not os.path.exists(dest):
                    shutil.copytree(code.path, dest, ignore=shutil.ignore_patterns("__pycache__"))
            p["__code_dir"] = rel.rstrip("/")
        elif code is not None and code.kind == "inline" and code.inline is not None:
            p["Code"] = {"ZipFile": code.inline}
        if extras.get(logical, {}).get("incomplete"):
            p["__incomplete"] = True
        emit = getattr(sys.modules[__name__], "emit_" + snake(rtype.replace("AWS::", "").replace("::", "_")), None)
        if emit is None:
            raise SystemExit(f"{src}: no Terraform twin for {rtype}")
        emit(w, c, name, p, code_files, logical)
    pre: list[str] = []
    for name in sorted(c.imports):
        pre.append(f'variable "{name}" {{\n  description = "was the CloudFormation import {c.imports[name]}"\n}}\n')
    if "region" in c.data:
        pre.append('data "aws_region" "current" {}\n')
    if "account" in c.data:
        pre.append('data "aws_caller_identity" "current" {}\n')
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "main.tf"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(header) + "\n\n" + "\n".join(pre) + ("\n" if pre else "") + "\n".join(w.out).rstrip() + "\n")
    for rel, text in code_files.items():
        full = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")


def expand_sam(doc: Any, src: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, str]]:
    """SAM → the CloudFormation resources the transform makes (through invlint's own SAM expansion)."""
    from invocation_lint.formats.cloudformation.intrinsics import Resolver
    from invocation_lint.formats.cloudformation.sam import expand
    from invocation_lint.formats.cloudformation.template import read_resources

    res = read_resources(doc, src)
    types = {r.id: r.type for r in res}
    resolver = Resolver(doc.get("Parameters") or {}, doc.get("Mappings") or {}, doc.get("Conditions") or {}, types)
    out = expand(res, doc, resolver, src, os.path.dirname(os.path.abspath(src)))
    resources: dict[str, Any] = {}
    extras: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for r in out:
        resources[r.id] = {"Type": r.type, "Properties": r.props}
        extras[r.id] = dict(r.extra)
        if r.origin and r.origin != r.id:
            part = r.id[len(r.origin):] if r.id.startswith(r.origin) else r.id
            names[r.id] = f"{snake(r.origin)}__{snake(part) or 'generated'}"
    plain = {k: v for k, v in doc.items() if k not in ("Resources", "Transform", "Globals")}
    plain["Resources"] = resources
    return plain, extras, names


def _pick(p: dict[str, Any], mapping: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    return [(tf, p[cfn]) for cfn, tf in mapping if cfn in p]


class JsonDoc:
    def __init__(self, value: Any) -> None:
        self.value = value


def _json_doc(v: Any) -> JsonDoc:
    return JsonDoc(v)


def emit_sqs_queue(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("QueueName", "name"), ("FifoQueue", "fifo_queue"), ("ContentBasedDeduplication", "content_based_deduplication"),
                      ("VisibilityTimeout", "visibility_timeout_seconds"), ("MessageRetentionPeriod", "message_retention_seconds"),
                      ("DelaySeconds", "delay_seconds")])
    if "RedrivePolicy" in p:
        rp = p["RedrivePolicy"]
        attrs.append(("redrive_policy", rp if isinstance(rp, (Raw, str)) else _json_doc(rp)))
    w.block(f'resource "aws_sqs_queue" "{name}"', attrs)


def emit_sns_topic(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_sns_topic" "{name}"', _pick(p, [("TopicName", "name"), ("FifoTopic", "fifo_topic")]))
    for i, sub in enumerate(p.get("Subscription") or []):
        w.block(f'resource "aws_sns_topic_subscription" "{name}__{i}"', [
            ("topic_arn", Raw(f"aws_sns_topic.{name}.arn")), ("protocol", sub.get("Protocol")),
            ("endpoint", sub.get("Endpoint"))])


def emit_sns_subscription(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("TopicArn", "topic_arn"), ("Protocol", "protocol"), ("Endpoint", "endpoint")])
    if "RedrivePolicy" in p:
        attrs.append(("redrive_policy", _json_doc(p["RedrivePolicy"])))
    w.block(f'resource "aws_sns_topic_subscription" "{name}"', attrs)


def emit_lambda_function(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs: list[tuple[str, Any]] = [("function_name", p.get("FunctionName", name.replace("_", "-")))]
    src = p.get("Code") or {}
    if "__code_dir" in p:
        w.block(f'data "archive_file" "{name}"', [("type", "zip"), ("source_dir", Raw(f'"${{path.module}}/{p["__code_dir"]}"')),
                                                 ("output_path", Raw(f'"${{path.module}}/build/{name}.zip"'))])
        attrs += [("filename", Raw(f"data.archive_file.{name}.output_path")),
                  ("source_code_hash", Raw(f"data.archive_file.{name}.output_base64sha256"))]
    elif isinstance(src, dict) and "ZipFile" in src:
        code[f"src/{name}/index.py"] = src["ZipFile"]
        w.block(f'data "archive_file" "{name}"', [("type", "zip"), ("source_dir", Raw(f'"${{path.module}}/src/{name}"')),
                                                 ("output_path", Raw(f'"${{path.module}}/build/{name}.zip"'))])
        attrs += [("filename", Raw(f"data.archive_file.{name}.output_path")),
                  ("source_code_hash", Raw(f"data.archive_file.{name}.output_base64sha256"))]
    attrs += _pick(p, [("Runtime", "runtime"), ("Handler", "handler"), ("Role", "role"), ("Timeout", "timeout"),
                       ("ReservedConcurrentExecutions", "reserved_concurrent_executions"), ("PackageType", "package_type")])
    if "DeadLetterConfig" in p:
        attrs.append(("dead_letter_config", Block([("target_arn", p["DeadLetterConfig"].get("TargetArn"))])))
    w.block(f'resource "aws_lambda_function" "{name}"', attrs)
    if "RecursiveLoop" in p:
        w.block(f'resource "aws_lambda_function_recursion_config" "{name}"', [
            ("function_name", Raw(f"aws_lambda_function.{name}.function_name")), ("recursive_loop", p["RecursiveLoop"])])


def emit_lambda_event_source_mapping(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("EventSourceArn", "event_source_arn"), ("FunctionName", "function_name"), ("Enabled", "enabled"),
                      ("BatchSize", "batch_size"), ("MaximumBatchingWindowInSeconds", "maximum_batching_window_in_seconds"),
                      ("StartingPosition", "starting_position"), ("FunctionResponseTypes", "function_response_types"),
                      ("MaximumRetryAttempts", "maximum_retry_attempts"),
                      ("MaximumRecordAgeInSeconds", "maximum_record_age_in_seconds"),
                      ("BisectBatchOnFunctionError", "bisect_batch_on_function_error"),
                      ("ParallelizationFactor", "parallelization_factor")])
    if "ScalingConfig" in p:
        attrs.append(("scaling_config", Block(_pick(p["ScalingConfig"], [("MaximumConcurrency", "maximum_concurrency")]))))
    dest = p.get("DestinationConfig")
    if isinstance(dest, dict):
        inner = []
        if "OnFailure" in dest:
            inner.append(("on_failure", Block([("destination_arn", dest["OnFailure"].get("Destination"))])))
        attrs.append(("destination_config", Block(inner)))
    w.block(f'resource "aws_lambda_event_source_mapping" "{name}"', attrs)


def emit_lambda_event_invoke_config(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("FunctionName", "function_name"), ("Qualifier", "qualifier"),
                      ("MaximumRetryAttempts", "maximum_retry_attempts"),
                      ("MaximumEventAgeInSeconds", "maximum_event_age_in_seconds")])
    dest = p.get("DestinationConfig")
    if isinstance(dest, dict):
        inner = []
        for cfn, tf in (("OnFailure", "on_failure"), ("OnSuccess", "on_success")):
            if cfn in dest:
                inner.append((tf, Block([("destination", dest[cfn].get("Destination"))])))
        attrs.append(("destination_config", Block(inner)))
    w.block(f'resource "aws_lambda_function_event_invoke_config" "{name}"', attrs)


def emit_lambda_permission(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_lambda_permission" "{name}"', _pick(p, [
        ("Action", "action"), ("FunctionName", "function_name"), ("Principal", "principal"), ("SourceArn", "source_arn")]))


def emit_lambda_alias(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_lambda_alias" "{name}"', _pick(p, [
        ("Name", "name"), ("FunctionName", "function_name"), ("FunctionVersion", "function_version")]))


def emit_lambda_url(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_lambda_function_url" "{name}"', _pick(p, [
        ("TargetFunctionArn", "function_name"), ("AuthType", "authorization_type")]))


def emit_events_rule(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("Name", "name"), ("ScheduleExpression", "schedule_expression"), ("EventBusName", "event_bus_name")])
    if "EventPattern" in p:
        attrs.append(("event_pattern", _json_doc(p["EventPattern"])))
    w.block(f'resource "aws_cloudwatch_event_rule" "{name}"', attrs)
    for tgt in p.get("Targets") or []:
        tid = snake(str(tgt.get("Id", "target")))
        tattrs: list[tuple[str, Any]] = [("rule", Raw(f"aws_cloudwatch_event_rule.{name}.name")),
                                         ("target_id", tgt.get("Id")), ("arn", tgt.get("Arn"))]
        if "DeadLetterConfig" in tgt:
            tattrs.append(("dead_letter_config", Block([("arn", tgt["DeadLetterConfig"].get("Arn"))])))
        if "RetryPolicy" in tgt:
            tattrs.append(("retry_policy", Block(_pick(tgt["RetryPolicy"], [
                ("MaximumRetryAttempts", "maximum_retry_attempts"), ("MaximumEventAgeInSeconds", "maximum_event_age_in_seconds")]))))
        w.block(f'resource "aws_cloudwatch_event_target" "{name}__{tid}"', tattrs)


def emit_iam_role(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("RoleName", "name")])
    attrs.append(("assume_role_policy", _json_doc(p.get("AssumeRolePolicyDocument", {}))))
    managed = [m for m in p.get("ManagedPolicyArns") or [] if not (isinstance(m, Raw) and m.text.startswith("aws_iam_policy."))]
    if p.get("__incomplete"):
        c.imports["policy_arn_not_known"] = "(a policy the template does not show)"
        managed.append(Raw("var.policy_arn_not_known"))
    if managed:
        attrs.append(("managed_policy_arns", managed))
    w.block(f'resource "aws_iam_role" "{name}"', attrs)
    for pol in p.get("Policies") or []:
        w.block(f'resource "aws_iam_role_policy" "{name}__{snake(pol.get("PolicyName", "policy"))}"', [
            ("name", pol.get("PolicyName")), ("role", Raw(f"aws_iam_role.{name}.id")),
            ("policy", _json_doc(pol.get("PolicyDocument")))])
    for m in p.get("ManagedPolicyArns") or []:
        if isinstance(m, Raw) and m.text.startswith("aws_iam_policy."):
            pol = m.text.split(".")[1]
            w.block(f'resource "aws_iam_role_policy_attachment" "{name}__{pol}"', [
                ("role", Raw(f"aws_iam_role.{name}.name")), ("policy_arn", m)])


def emit_iam_managed_policy(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_iam_policy" "{name}"', [("policy", _json_doc(p.get("PolicyDocument")))])
    for r in p.get("Roles") or []:
        role = r.text.split(".")[1] if isinstance(r, Raw) else snake(str(r))
        w.block(f'resource "aws_iam_role_policy_attachment" "{name}__{role}"', [
            ("role", r), ("policy_arn", Raw(f"aws_iam_policy.{name}.arn"))])


def emit_kinesis_stream(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("Name", "name"), ("ShardCount", "shard_count")])
    if not any(k == "name" for k, _ in attrs):
        attrs.insert(0, ("name", name.replace("_", "-")))
    w.block(f'resource "aws_kinesis_stream" "{name}"', attrs)


def emit_api_gateway_rest_api(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("Name", "name")])
    if "Body" in p:
        attrs.append(("body", _json_doc(p["Body"])))
    w.block(f'resource "aws_api_gateway_rest_api" "{name}"', attrs)


def emit_api_gateway_resource(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_api_gateway_resource" "{name}"', _pick(p, [
        ("RestApiId", "rest_api_id"), ("ParentId", "parent_id"), ("PathPart", "path_part")]))


def emit_api_gateway_method(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_api_gateway_method" "{name}"', _pick(p, [
        ("RestApiId", "rest_api_id"), ("ResourceId", "resource_id"), ("HttpMethod", "http_method"),
        ("AuthorizationType", "authorization")]))
    integ = p.get("Integration")
    if isinstance(integ, dict):
        attrs = [("rest_api_id", p.get("RestApiId")), ("resource_id", p.get("ResourceId")),
                 ("http_method", Raw(f"aws_api_gateway_method.{name}.http_method"))]
        attrs += _pick(integ, [("Type", "type"), ("IntegrationHttpMethod", "integration_http_method"), ("Uri", "uri"),
                               ("TimeoutInMillis", "timeout_milliseconds")])
        w.block(f'resource "aws_api_gateway_integration" "{name}"', attrs)


def emit_api_gateway_v2_api(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs = _pick(p, [("Name", "name"), ("ProtocolType", "protocol_type"), ("Target", "target")])
    if "Body" in p:
        attrs.append(("body", _json_doc(p["Body"])))
    w.block(f'resource "aws_apigatewayv2_api" "{name}"', attrs)


def emit_api_gateway_v2_integration(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_apigatewayv2_integration" "{name}"', _pick(p, [
        ("ApiId", "api_id"), ("IntegrationType", "integration_type"), ("IntegrationUri", "integration_uri"),
        ("PayloadFormatVersion", "payload_format_version"), ("TimeoutInMillis", "timeout_milliseconds")]))


def emit_logs_subscription_filter(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_cloudwatch_log_subscription_filter" "{name}"', [("name", name.replace("_", "-"))] + _pick(p, [
        ("LogGroupName", "log_group_name"), ("FilterPattern", "filter_pattern"), ("DestinationArn", "destination_arn")]))


def emit_s3_bucket(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    w.block(f'resource "aws_s3_bucket" "{name}"', _pick(p, [("BucketName", "bucket")]))
    cfg = p.get("NotificationConfiguration")
    if isinstance(cfg, dict) and cfg.get("LambdaConfigurations"):
        attrs: list[tuple[str, Any]] = [("bucket", Raw(f"aws_s3_bucket.{name}.id"))]
        for item in cfg["LambdaConfigurations"]:
            attrs.append(("lambda_function", Block([("lambda_function_arn", item.get("Function")),
                                                    ("events", [item.get("Event", "s3:ObjectCreated:*")])])))
        w.block(f'resource "aws_s3_bucket_notification" "{name}"', attrs)


def emit_iam_policy(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    for r in p.get("Roles") or []:
        role = r.text.split(".")[1] if isinstance(r, Raw) else snake(str(r))
        w.block(f'resource "aws_iam_role_policy" "{name}__{role}"', [
            ("name", p.get("PolicyName", name)), ("role", r), ("policy", _json_doc(p.get("PolicyDocument")))])


def emit_scheduler_schedule(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    tgt = p.get("Target") or {}
    inner: list[tuple[str, Any]] = [("arn", tgt.get("Arn")), ("role_arn", tgt.get("RoleArn", "arn:aws:iam::123456789012:role/scheduler"))]
    if isinstance(tgt.get("DeadLetterConfig"), dict):
        inner.append(("dead_letter_config", Block([("arn", tgt["DeadLetterConfig"].get("Arn"))])))
    w.block(f'resource "aws_scheduler_schedule" "{name}"', [
        ("schedule_expression", p.get("ScheduleExpression", "rate(1 hour)")),
        ("flexible_time_window", Block([("mode", "OFF")])), ("target", Block(inner))])


def emit_dynamo_db_table(w: Writer, c: Converter, name: str, p: dict[str, Any], code: dict[str, str], logical: str) -> None:
    attrs: list[tuple[str, Any]] = [("name", p.get("TableName", name.replace("_", "-"))), ("hash_key", "id"),
                                    ("billing_mode", "PAY_PER_REQUEST")]
    spec = p.get("StreamSpecification")
    if isinstance(spec, dict):
        attrs += [("stream_enabled", True), ("stream_view_type", spec.get("StreamViewType", "NEW_IMAGE"))]
    attrs.append(("attribute", Block([("name", "id"), ("type", "S")])))
    w.block(f'resource "aws_dynamodb_table" "{name}"', attrs)


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
