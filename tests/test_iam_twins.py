"""A role's permissions read the same from CloudFormation, SAM and Terraform.

Each case writes one role in the three spellings (an inline policy, a managed policy, a policy of the template
attached to the role, wildcard resources, a policy document written as a JSON string, documents and statements
that cannot be read) and checks what the permission checks see: whether everything the role grants is
visible, its statements (resources by the short name of the queue they name), and whether it may send to the
queues ``jobs`` and ``other``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from invocation_lint.formats.terraform.load import load_module
from invocation_lint.iam import allows, role_of
from invocation_lint.load import load_path
from invocation_lint.model import Model

QUEUES_YAML = """\
  Jobs: {Type: AWS::SQS::Queue, Properties: {QueueName: jobs}}
  Other: {Type: AWS::SQS::Queue, Properties: {QueueName: other}}
"""

PARAMETERS = """\
Parameters:
  Action: {Type: String}
  Stage: {Type: String, Default: prod}
  RoleNames: {Type: CommaDelimitedList}
  RoleName: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Equals [!Ref Stage, dev]
  IsAction: !Equals [!Ref Action, x]
"""

CFN = PARAMETERS + """\
Resources:
""" + QUEUES_YAML + """\
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt WorkerRole.Arn
      Code: {ZipFile: "def handler(event, context): pass"}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
"""

SAM = "Transform: AWS::Serverless-2016-10-31\n" + PARAMETERS + """\
Resources:
""" + QUEUES_YAML + """\
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
"""

TF = """\
variable "action" { type = string }
variable "stage" { default = "prod" }
variable "role_names" { type = list(string) }
variable "role_name" { type = string }
resource "aws_sqs_queue" "jobs" { name = "jobs" }
resource "aws_sqs_queue" "other" { name = "other" }
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "fn.zip"
  role          = aws_iam_role.worker_role.arn
}
"""


def _indent(text: str, by: int) -> str:
    return textwrap.indent(textwrap.dedent(text), " " * by)


def cfn(role_properties: str, resources: str = "") -> str:
    return CFN + _indent(role_properties, 6) + _indent(resources, 2)


def sam(function_properties: str, resources: str = "") -> str:
    return SAM + _indent(function_properties, 6) + _indent(resources, 2)


def tf(role_body: str, resources: str = "") -> str:
    return (TF + 'resource "aws_iam_role" "worker_role" {\n  assume_role_policy = "{}"\n' + _indent(role_body, 2)
            + "}\n" + textwrap.dedent(resources))


SEND_JOBS_YAML = """\
Statement:
  - Effect: Allow
    Action: sqs:SendMessage
    Resource: !GetAtt Jobs.Arn
"""

SEND_JOBS_TF = 'jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn }] })'

JSON_DOC = '{"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"}]}'

SEND_OTHER_YAML = """\
SendOther:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Statement: [{Effect: Allow, Action: "sqs:*", Resource: !GetAtt Other.Arn}]
"""

POLICY_FOR_ROLES_YAML = """\
SendJobs:
  Type: AWS::IAM::Policy
  Properties:
    PolicyName: send
    Roles: {roles}
    PolicyDocument:
{doc}"""

DENY_SQS_YAML = """\
Statement:
  - {Effect: Deny, Action: "sqs:*", Resource: "*"}
"""

#: a policy that may or may not be attached to the role grants sending to jobs: neither "allowed" nor "not allowed"
MAY_SEND_TO_JOBS = (True, [("Allow", ["sqs:SendMessage"], ["jobs"])], None, False)

READ_OTHER_YAML = """\
  - Effect: Allow
    Action: sqs:GetQueueAttributes
    Resource: !GetAtt Other.Arn
"""

DOC_POLICY_TF = 'inline_policy {\n  name   = "send"\n  policy = data.aws_iam_policy_document.doc.json\n}\n'

SEND_JOBS_DOC_TF = """\
data "aws_iam_policy_document" "send_jobs" {
  statement {
    sid       = "Send"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs.arn]
  }
}
"""

SENDS_TO_JOBS = (True, [("Allow", ["sqs:SendMessage"], ["jobs"])], True, False)
UNSEEN = (False, [], None, None)

CASES: dict[str, tuple[str, str, str, tuple[Any, ...]]] = {
    "inline policy": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n" + _indent(SEND_JOBS_YAML, 6)),
        sam("Policies:\n" + _indent("- " + _indent(SEND_JOBS_YAML, 2).lstrip(), 2)),
        tf(f'inline_policy {{\n  name   = "send"\n  policy = {SEND_JOBS_TF}\n}}\n'),
        SENDS_TO_JOBS,
    ),
    "harmless AWS managed policy": (
        cfn("ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]\n"),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n"),
        tf('managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]\n'),
        (True, [], False, False),
    ),
    "other AWS managed policy": (
        cfn("ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSQSFullAccess]\n"),
        sam("Policies: [AmazonSQSFullAccess]\n"),
        tf("", """\
            resource "aws_iam_role_policy_attachment" "sqs" {
              role       = aws_iam_role.worker_role.name
              policy_arn = "arn:aws:iam::aws:policy/AmazonSQSFullAccess"
            }
            """),
        UNSEEN,
    ),
    "policy of the template attached to the role": (
        cfn("ManagedPolicyArns: [!Ref SendJobs]\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::ManagedPolicy
              Properties:
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::Policy
              Properties:
                PolicyName: send
                Roles: [!Ref WorkerRole]
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        tf("", f"""\
            resource "aws_iam_policy" "send_jobs" {{
              policy = {SEND_JOBS_TF}
            }}
            resource "aws_iam_role_policy_attachment" "send_jobs" {{
              role       = aws_iam_role.worker_role.name
              policy_arn = aws_iam_policy.send_jobs.arn
            }}
            """),
        SENDS_TO_JOBS,
    ),
    "policies of the template attached from either side, in the order written": (
        cfn("ManagedPolicyArns: [!Ref SendOther]\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::Policy
              Properties:
                PolicyName: send
                Roles: [!Ref WorkerRole]
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6) + SEND_OTHER_YAML),
        sam("Policies: [!Ref SendOther]\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::Policy
              Properties:
                PolicyName: send
                Roles: [!Ref WorkerRole]
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6) + SEND_OTHER_YAML),
        tf("managed_policy_arns = [aws_iam_policy.send_other.arn]\n", f"""\
            resource "aws_iam_role_policy" "send_jobs" {{
              role   = aws_iam_role.worker_role.name
              policy = {SEND_JOBS_TF}
            }}
            resource "aws_iam_policy" "send_other" {{
              policy = jsonencode({{ Statement = [{{ Effect = "Allow", Action = "sqs:*", Resource = aws_sqs_queue.other.arn }}] }})
            }}
            """),
        (True, [("Allow", ["sqs:SendMessage"], ["jobs"]), ("Allow", ["sqs:*"], ["other"])], True, True),
    ),
    "policy of the template attached to roles named by a parameter": (
        cfn("", POLICY_FOR_ROLES_YAML.format(roles="!Ref RoleNames", doc=_indent(SEND_JOBS_YAML, 6))),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n",
            POLICY_FOR_ROLES_YAML.format(roles="!Ref RoleNames", doc=_indent(SEND_JOBS_YAML, 6))),
        tf("", f"""\
            resource "aws_iam_policy" "send_jobs" {{
              policy = {SEND_JOBS_TF}
            }}
            resource "aws_iam_policy_attachment" "send_jobs" {{
              name       = "send"
              roles      = var.role_names
              policy_arn = aws_iam_policy.send_jobs.arn
            }}
            """),
        MAY_SEND_TO_JOBS,
    ),
    "inline policy of a role named by a parameter": (
        cfn("", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::RolePolicy
              Properties:
                PolicyName: send
                RoleName: !Ref RoleName
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n",
            POLICY_FOR_ROLES_YAML.format(roles="[!Ref RoleName]", doc=_indent(SEND_JOBS_YAML, 6))),
        tf("", f"""\
            resource "aws_iam_role_policy" "send_jobs" {{
              role   = var.role_name
              policy = {SEND_JOBS_TF}
            }}
            """),
        MAY_SEND_TO_JOBS,
    ),
    "unreadable policy attached to a role named by a parameter": (
        cfn("", POLICY_FOR_ROLES_YAML.format(roles="[!Ref RoleName]", doc="      !Ref Action\n")),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n",
            POLICY_FOR_ROLES_YAML.format(roles="!Ref RoleNames", doc="      !Ref Action\n")),
        tf("", """\
            resource "aws_iam_role_policy_attachment" "sqs" {
              role       = var.role_name
              policy_arn = "arn:aws:iam::aws:policy/AmazonSQSFullAccess"
            }
            """),
        UNSEEN,
    ),
    "harmless AWS managed policy attached to roles named by a variable": (
        cfn(""),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n"),
        tf("", """\
            resource "aws_iam_policy_attachment" "logs" {
              name       = "logs"
              roles      = var.role_names
              policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
            }
            """),
        (True, [], False, False),
    ),
    "deny attached to roles named by a parameter": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n" + _indent(SEND_JOBS_YAML, 6),
            POLICY_FOR_ROLES_YAML.format(roles="!Ref RoleNames", doc=_indent(DENY_SQS_YAML, 6))),
        sam("Policies:\n" + _indent("- " + _indent(SEND_JOBS_YAML, 2).lstrip(), 2),
            POLICY_FOR_ROLES_YAML.format(roles="!Ref RoleNames", doc=_indent(DENY_SQS_YAML, 6))),
        tf(f'inline_policy {{\n  name   = "send"\n  policy = {SEND_JOBS_TF}\n}}\n', """\
            resource "aws_iam_role_policy" "deny" {
              role   = var.role_name
              policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "sqs:*", Resource = "*" }] })
            }
            """),
        (True, [("Allow", ["sqs:SendMessage"], ["jobs"]), ("Deny", ["sqs:*"], ["*"])], None, False),
    ),
    "policy attached to a role of another stack": (
        cfn("", POLICY_FOR_ROLES_YAML.format(roles="[!ImportValue shared-role]", doc=_indent(SEND_JOBS_YAML, 6))),
        sam("Policies: [AWSLambdaBasicExecutionRole]\n",
            POLICY_FOR_ROLES_YAML.format(roles="[someone-else]", doc=_indent(SEND_JOBS_YAML, 6))),
        tf("", f"""\
            data "aws_iam_role" "shared" {{ name = "shared" }}
            resource "aws_iam_role_policy" "send_jobs" {{
              role   = data.aws_iam_role.shared.name
              policy = {SEND_JOBS_TF}
            }}
            resource "aws_iam_role_policy" "send_jobs_too" {{
              role   = "someone-else"
              policy = {SEND_JOBS_TF}
            }}
            """),
        (True, [], False, False),
    ),
    "policy document merged from a source document": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n" + _indent(SEND_JOBS_YAML + READ_OTHER_YAML, 6)),
        sam("Policies:\n" + _indent("- " + _indent(SEND_JOBS_YAML + READ_OTHER_YAML, 2).lstrip(), 2)),
        tf(DOC_POLICY_TF, SEND_JOBS_DOC_TF + """\
            data "aws_iam_policy_document" "doc" {
              source_policy_documents = [data.aws_iam_policy_document.send_jobs.json]
              statement {
                actions   = ["sqs:GetQueueAttributes"]
                resources = [aws_sqs_queue.other.arn]
              }
            }
            """),
        (True, [("Allow", ["sqs:SendMessage"], ["jobs"]), ("Allow", ["sqs:GetQueueAttributes"], ["other"])], True, False),
    ),
    "statement of a source document replaced by the one with its sid": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n" + _indent(SEND_JOBS_YAML, 6)),
        sam("Policies:\n" + _indent("- " + _indent(SEND_JOBS_YAML, 2).lstrip(), 2)),
        tf(DOC_POLICY_TF, """\
            data "aws_iam_policy_document" "doc" {
              source_policy_documents = [jsonencode({ Statement = [
                { Sid = "Send", Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.other.arn },
              ] })]
              statement {
                sid       = "Send"
                actions   = ["sqs:SendMessage"]
                resources = [aws_sqs_queue.jobs.arn]
              }
            }
            """),
        SENDS_TO_JOBS,
    ),
    "statement replaced in its place by an override document": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n"
            + _indent(SEND_JOBS_YAML.replace("Jobs.Arn", "Other.Arn") + READ_OTHER_YAML, 6)),
        sam("Policies:\n" + _indent("- " + _indent(SEND_JOBS_YAML.replace("Jobs.Arn", "Other.Arn") + READ_OTHER_YAML,
                                                     2).lstrip(), 2)),
        tf(DOC_POLICY_TF, SEND_JOBS_DOC_TF.replace("jobs.arn", "other.arn").replace('"send_jobs"', '"moved"') + """\
            data "aws_iam_policy_document" "doc" {
              override_policy_documents = [data.aws_iam_policy_document.moved.json]
              statement {
                sid       = "Send"
                actions   = ["sqs:SendMessage"]
                resources = [aws_sqs_queue.jobs.arn]
              }
              statement {
                actions   = ["sqs:GetQueueAttributes"]
                resources = [aws_sqs_queue.other.arn]
              }
            }
            """),
        (True, [("Allow", ["sqs:SendMessage"], ["other"]), ("Allow", ["sqs:GetQueueAttributes"], ["other"])], False, True),
    ),
    "policy document merged with documents that cannot be read": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n" + _indent(SEND_JOBS_YAML, 6)
            + "  - PolicyName: more\n    PolicyDocument: !Ref Action\n"),
        sam("Policies:\n" + _indent("- " + _indent(SEND_JOBS_YAML, 2).lstrip(), 2) + "  - !Ref Action\n"),
        tf(DOC_POLICY_TF, """\
            variable "documents" { type = list(string) }
            data "aws_iam_policy_document" "doc" {
              override_policy_documents = var.documents
              statement {
                actions   = ["sqs:SendMessage"]
                resources = [aws_sqs_queue.jobs.arn]
              }
            }
            """),
        (False, [("Allow", ["sqs:SendMessage"], ["jobs"])], True, None),
    ),
    "managed policy of the template named by reference": (
        cfn("ManagedPolicyArns: [!Ref SendJobs]\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::ManagedPolicy
              Properties:
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        sam("Policies: [!Ref SendJobs]\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::ManagedPolicy
              Properties:
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        tf("managed_policy_arns = [aws_iam_policy.send_jobs.arn]\n", f"""\
            resource "aws_iam_policy" "send_jobs" {{
              policy = {SEND_JOBS_TF}
            }}
            """),
        SENDS_TO_JOBS,
    ),
    "managed policy left out by a condition": (
        cfn("ManagedPolicyArns:\n  - !If [IsDev, arn:aws:iam::aws:policy/AmazonSQSFullAccess, !Ref AWS::NoValue]\n"
            "  - !Ref SendJobs\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::ManagedPolicy
              Properties:
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        sam("Policies:\n  - !If [IsDev, AmazonSQSFullAccess, !Ref AWS::NoValue]\n  - !Ref SendJobs\n", textwrap.dedent("""\
            SendJobs:
              Type: AWS::IAM::ManagedPolicy
              Properties:
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        tf('managed_policy_arns = concat(var.stage == "dev" ? ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"] : [],'
           ' [aws_iam_policy.send_jobs.arn])\n', f"""\
            resource "aws_iam_policy" "send_jobs" {{
              policy = {SEND_JOBS_TF}
            }}
            """),
        SENDS_TO_JOBS,
    ),
    **{f"every policy only when {cond}": (
        cfn(f"Policies: !If\n  - {cond}\n  - - PolicyName: send\n      PolicyDocument:\n" + _indent(SEND_JOBS_YAML, 8)
            + "  - !Ref AWS::NoValue\n"
            + f"ManagedPolicyArns: !If [{cond}, [arn:aws:iam::aws:policy/AmazonSQSFullAccess], !Ref AWS::NoValue]\n"),
        sam(f"Policies: !If\n  - {cond}\n  - - Statement:\n" + _indent(SEND_JOBS_YAML.split("\n", 1)[1], 6)
            + "    - AmazonSQSFullAccess\n  - !Ref AWS::NoValue\n"),
        tf("dynamic \"inline_policy\" {\n  for_each = " + tf_cond + " ? [1] : []\n  content {\n"
           f"    policy = {SEND_JOBS_TF}\n  }}\n}}\n"
           f'managed_policy_arns = {tf_cond} ? ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"] : []\n'),
        expected,
    ) for cond, tf_cond, expected in [
        ("IsProd", 'var.stage == "prod"', (False, [("Allow", ["sqs:SendMessage"], ["jobs"])], True, None)),
        ("IsDev", 'var.stage == "dev"', (True, [], False, False)),
    ]},
    "managed policy named by a parameter": (
        cfn("ManagedPolicyArns: [!Ref Action]\n"),
        sam("Policies: [!Ref Action]\n"),
        tf("managed_policy_arns = [var.action]\n"),
        UNSEEN,
    ),
    "wildcard region and account, one queue named": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - {Effect: Allow, Action: sqs:SendMessage, Resource: 'arn:aws:sqs:*:*:jobs'}\n"),
        sam("Policies:\n  - Statement:\n      - {Effect: Allow, Action: sqs:SendMessage, Resource: 'arn:aws:sqs:*:*:jobs'}\n"),
        tf('inline_policy {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage",'
           ' Resource = "arn:aws:sqs:*:*:jobs" }] })\n}\n'),
        SENDS_TO_JOBS,
    ),
    "wildcard queue name": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - {Effect: Allow, Action: 'sqs:Send*', Resource: 'arn:aws:sqs:*:*:job?'}\n"
            "        - {Effect: Deny, Action: sqs:SendMessage, NotResource: '*'}\n"),
        sam("Policies:\n  - Statement:\n      - {Effect: Allow, Action: 'sqs:Send*', Resource: 'arn:aws:sqs:*:*:job?'}\n"
            "      - {Effect: Deny, Action: sqs:SendMessage, NotResource: '*'}\n"),
        tf('inline_policy {\n  policy = jsonencode({ Statement = [\n'
           '    { Effect = "Allow", Action = "sqs:Send*", Resource = "arn:aws:sqs:*:*:job?" },\n'
           '    { Effect = "Deny", Action = "sqs:SendMessage", NotResource = "*" },\n  ] })\n}\n'),
        (True, [("Allow", ["sqs:Send*"], ["arn:aws:sqs:*:*:job?"]), ("Deny", ["sqs:SendMessage"], ["*"])], None, None),
    ),
    "AWS managed policy ARN built from the partition": (
        cfn("ManagedPolicyArns:\n  - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n"),
        sam("Policies:\n  - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n"),
        tf('managed_policy_arns = ["arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/'
           'AWSLambdaBasicExecutionRole"]\n', 'data "aws_partition" "current" {}\n'),
        (True, [], False, False),
    ),
    "queue ARN built from region and account": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - Effect: Allow\n          Action: [sqs:SendMessage]\n"
            "          Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs'\n"),
        sam("Policies:\n  - Statement:\n      - Effect: Allow\n        Action: [sqs:SendMessage]\n"
            "        Resource: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs'\n"),
        tf('inline_policy {\n  policy = jsonencode({ Statement = { Effect = "Allow", Action = ["sqs:SendMessage"],'
           ' Resource = "arn:aws:sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:jobs" } })\n}\n',
           'data "aws_region" "current" {}\ndata "aws_caller_identity" "current" {}\n'),
        SENDS_TO_JOBS,
    ),
    "role named by its name": (
        cfn("RoleName: worker\n", textwrap.dedent("""\
            Send:
              Type: AWS::IAM::Policy
              Properties:
                PolicyName: send
                Roles: [worker]
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        sam("Role: !GetAtt WorkerRole.Arn\n", textwrap.dedent("""\
            WorkerRole:
              Type: AWS::IAM::Role
              Properties: {AssumeRolePolicyDocument: {}, RoleName: worker}
            Send:
              Type: AWS::IAM::Policy
              Properties:
                PolicyName: send
                Roles: [worker]
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        tf('name = "worker"\n', f"""\
            resource "aws_iam_role_policy" "send" {{
              role   = "worker"
              policy = {SEND_JOBS_TF}
            }}
            """),
        SENDS_TO_JOBS,
    ),
    "policy document data source with a condition": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - Effect: Allow\n          Action: sqs:SendMessage\n          Resource: !GetAtt Jobs.Arn\n"
            "          Condition: {Bool: {aws:SecureTransport: 'true'}}\n"),
        sam("Policies:\n  - Statement:\n      - Effect: Allow\n        Action: sqs:SendMessage\n"
            "        Resource: !GetAtt Jobs.Arn\n        Condition: {Bool: {aws:SecureTransport: 'true'}}\n"),
        tf("inline_policy {\n  policy = data.aws_iam_policy_document.send.json\n}\n", """\
            data "aws_iam_policy_document" "send" {
              statement {
                actions   = ["sqs:SendMessage"]
                resources = [aws_sqs_queue.jobs.arn]
                condition {
                  test     = "Bool"
                  variable = "aws:SecureTransport"
                  values   = ["true"]
                }
              }
            }
            """),
        (True, [("Allow", ["sqs:SendMessage"], ["jobs"])], None, False),
    ),
    **{f"statement only when {cond}": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            f"        - !If [{cond}, {{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Jobs.Arn}}, !Ref AWS::NoValue]\n"),
        sam("Policies:\n  - Statement:\n"
            f"      - !If [{cond}, {{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Jobs.Arn}}, !Ref AWS::NoValue]\n"),
        tf(f'inline_policy {{\n  policy = jsonencode({{ Statement = {tf_cond} ? [{{ Effect = "Allow", Action = "sqs:SendMessage",'
           ' Resource = aws_sqs_queue.jobs.arn }] : [] })\n}\n'),
        expected,
    ) for cond, tf_cond, expected in [
        ("IsProd", 'var.stage == "prod"', SENDS_TO_JOBS),
        ("IsDev", 'var.stage == "dev"', (True, [], False, False)),
        ("IsAction", 'var.action == "x"', UNSEEN),
    ]},
    "policy only when a condition holds": (
        cfn("Policies:\n  - !If\n    - IsProd\n    - PolicyName: send\n      PolicyDocument:\n"
            + _indent(SEND_JOBS_YAML, 8) + "    - !Ref AWS::NoValue\n"),
        sam("Role: !GetAtt WorkerRole.Arn\n", textwrap.dedent("""\
            WorkerRole:
              Type: AWS::IAM::Role
              Properties:
                AssumeRolePolicyDocument: {}
                Policies:
                  - !If
                    - IsProd
                    - PolicyName: send
                      PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 12) + "        - !Ref AWS::NoValue\n"),
        tf("dynamic \"inline_policy\" {\n  for_each = var.stage == \"prod\" ? [1] : []\n  content {\n"
           f"    policy = {SEND_JOBS_TF}\n  }}\n}}\n"),
        SENDS_TO_JOBS,
    ),
    "deny of the queue wins over allow of everything": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n"
            "        - {Effect: Deny, NotAction: 'sqs:Get*', Resource: !GetAtt Jobs.Arn}\n"),
        sam("Policies:\n  - Statement:\n      - {Effect: Allow, Action: 'sqs:*', Resource: '*'}\n"
            "      - {Effect: Deny, NotAction: 'sqs:Get*', Resource: !GetAtt Jobs.Arn}\n"),
        tf("inline_policy {\n  policy = data.aws_iam_policy_document.send.json\n}\n", """\
            data "aws_iam_policy_document" "send" {
              statement {
                actions   = ["sqs:*"]
                resources = ["*"]
              }
              statement {
                effect      = "Deny"
                not_actions = ["sqs:Get*"]
                resources   = [aws_sqs_queue.jobs.arn]
              }
            }
            """),
        (True, [("Allow", ["sqs:*"], ["*"]), ("Deny", ["sqs:Get*"], ["jobs"])], False, True),
    ),
    "policy attached to a list of roles": (
        cfn("Path: /\n", textwrap.dedent("""\
            Send:
              Type: AWS::IAM::RolePolicy
              Properties:
                PolicyName: send
                RoleName: !Ref WorkerRole
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        sam("Role: !GetAtt WorkerRole.Arn\n", textwrap.dedent("""\
            WorkerRole:
              Type: AWS::IAM::Role
              Properties: {AssumeRolePolicyDocument: {}}
            Send:
              Type: AWS::IAM::ManagedPolicy
              Properties:
                Roles: [!Ref WorkerRole]
                PolicyDocument:
            """) + _indent(SEND_JOBS_YAML, 6)),
        tf("", f"""\
            resource "aws_iam_policy" "send_jobs" {{
              policy = {SEND_JOBS_TF}
            }}
            resource "aws_iam_policy_attachment" "send_jobs" {{
              name       = "send"
              roles      = [aws_iam_role.worker_role.name]
              policy_arn = aws_iam_policy.send_jobs.arn
            }}
            """),
        SENDS_TO_JOBS,
    ),
    **{f"function policy only when {cond}": (
        cfn("Policies:\n  - !If\n    - " + cond + "\n    - PolicyName: send\n      PolicyDocument:\n"
            + _indent(SEND_JOBS_YAML, 8) + "    - !Ref AWS::NoValue\n"),
        sam("Policies:\n  - !If\n    - " + cond + "\n    -\n" + _indent(SEND_JOBS_YAML, 6)
            + "    - !Ref AWS::NoValue\n  - !If [" + cond + ", AWSLambdaBasicExecutionRole, !Ref AWS::NoValue]\n"),
        tf("dynamic \"inline_policy\" {\n  for_each = " + tf_cond + " ? [1] : []\n  content {\n"
           f"    policy = {SEND_JOBS_TF}\n  }}\n}}\n"),
        expected,
    ) for cond, tf_cond, expected in [
        ("IsProd", 'var.stage == "prod"', SENDS_TO_JOBS),
        ("IsDev", 'var.stage == "dev"', (True, [], False, False)),
        ("IsAction", 'var.action == "x"', UNSEEN),
    ]},
    **{f"statement without resources ({form})": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - {Effect: Allow, Action: sqs:SendMessage}\n"),
        sam("Policies:\n  - Statement:\n      - {Effect: Allow, Action: sqs:SendMessage}\n"),
        tf_text,
        UNSEEN,
    ) for form, tf_text in [
        ("JSON", tf('inline_policy {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage" }] })\n}\n')),
        ("policy document data source", tf("inline_policy {\n  policy = data.aws_iam_policy_document.send.json\n}\n",
                                           'data "aws_iam_policy_document" "send" {\n'
                                           '  statement { actions = ["sqs:SendMessage"] }\n}\n')),
    ]},
    "policy document written as a JSON string": (
        cfn(f"Policies:\n  - PolicyName: send\n    PolicyDocument: '{JSON_DOC}'\n"),
        sam("Role: !GetAtt WorkerRole.Arn\n", f"""\
            WorkerRole:
              Type: AWS::IAM::Role
              Properties:
                AssumeRolePolicyDocument: {{}}
                Policies:
                  - PolicyName: send
                    PolicyDocument: '{JSON_DOC}'
            """),
        tf(f"inline_policy {{\n  policy = <<EOF\n{JSON_DOC}\nEOF\n}}\n"),
        SENDS_TO_JOBS,
    ),
    "policy document that is not JSON": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument: '{\"Statement\": ['\n"),
        sam("Role: !GetAtt WorkerRole.Arn\n", """\
            WorkerRole:
              Type: AWS::IAM::Role
              Properties:
                AssumeRolePolicyDocument: {}
                Policies:
                  - PolicyName: send
                    PolicyDocument: '{"Statement": ['
            """),
        tf('inline_policy {\n  policy = "{\\"Statement\\": ["\n}\n'),
        UNSEEN,
    ),
    "statement whose action is not known": (
        cfn("Policies:\n  - PolicyName: send\n    PolicyDocument:\n      Statement:\n"
            "        - {Effect: Allow, Action: !Ref Action, Resource: !GetAtt Jobs.Arn}\n"),
        sam("Policies:\n  - Statement:\n      - {Effect: Allow, Action: !Ref Action, Resource: !GetAtt Jobs.Arn}\n"),
        tf('inline_policy {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.action,'
           ' Resource = aws_sqs_queue.jobs.arn }] })\n}\n'),
        UNSEEN,
    ),
    "policy template that is not known": (
        cfn("Policies: !Ref Action\n"),
        sam("Policies:\n  - NoSuchPolicyTemplate: {}\n"),
        tf("inline_policy = var.action\n"),
        UNSEEN,
    ),
}


def _short(node: str) -> str:
    """``Jobs`` / ``aws_sqs_queue.jobs`` → ``jobs``."""
    return node.rsplit(".", 1)[-1].lower()


def _queue(m: Model, name: str) -> str:
    (qid,) = [q for q in m.queues if _short(q) == name]
    return qid


def summary(m: Model) -> tuple[Any, ...]:
    (fn,) = m.functions.values()
    role = role_of(m, fn.role)
    assert role is not None
    statements = [(s.effect, s.actions, [_short(t.node) if t.node else t.arn for t in s.resources])
                  for s in role.statements]
    return (role.complete, statements, allows(m, fn.role, "sqs:SendMessage", _queue(m, "jobs")),
            allows(m, fn.role, "sqs:SendMessage", _queue(m, "other")))


def _template(tmp_path: Path, text: str) -> Model:
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    (model,) = load_path(str(path))
    return model


def _module(tmp_path: Path, text: str) -> Model:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return load_module(str(tmp_path), "mod", str(tmp_path))


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("spelling", ["cloudformation", "sam", "terraform"])
def test_role_reads_the_same_in_every_spelling(tmp_path: Path, case: str, spelling: str) -> None:
    cfn_text, sam_text, tf_text, expected = CASES[case]
    if spelling == "terraform":
        m = _module(tmp_path, tf_text)
    else:
        m = _template(tmp_path, cfn_text if spelling == "cloudformation" else sam_text)
    assert not m.errors
    assert summary(m) == expected


DLQ_CFN = """\
Resources:
  Jobs: {Type: AWS::SQS::Queue}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt WorkerRole.Arn
      Code: {ZipFile: "def handler(event, context): pass"}
      DeadLetterConfig: {TargetArn: !GetAtt Jobs.Arn}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [!Ref SendJobs]
  SendJobs:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Jobs.Arn}
"""

DLQ_TF = """\
resource "aws_sqs_queue" "jobs" {}
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  role          = aws_iam_role.worker_role.arn
  dead_letter_config { target_arn = aws_sqs_queue.jobs.arn }
}
resource "aws_iam_role" "worker_role" {
  assume_role_policy  = "{}"
  managed_policy_arns = [aws_iam_policy.send_jobs.arn]
}
resource "aws_iam_policy" "send_jobs" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn }] })
}
"""


@pytest.mark.parametrize("spelling", ["cloudformation", "terraform"])
@pytest.mark.parametrize("granted", [True, False])
def test_managed_policy_of_the_template_lets_the_function_reach_its_dlq(tmp_path: Path, spelling: str,
                                                                         granted: bool) -> None:
    """A managed policy that names no role, attached through the role's own list of managed policies."""
    from conftest import run_rules

    cfn_text, tf_text = DLQ_CFN, DLQ_TF
    if not granted:  # the policy grants something else
        cfn_text, tf_text = cfn_text.replace("sqs:SendMessage", "sqs:GetQueueUrl"), tf_text.replace(
            "sqs:SendMessage", "sqs:GetQueueUrl")
    m = _module(tmp_path, tf_text) if spelling == "terraform" else _template(tmp_path, cfn_text)
    found = [(f.code, _short(f.resource or ""), f.span.line if f.span else None) for f in run_rules(m, "ASYNC006")]
    role_line = 10 if spelling == "terraform" else 11  # the role resource
    assert found == ([] if granted else [("ASYNC006", "worker_role" if spelling == "terraform" else "workerrole",
                                         role_line)])


LOOP_CFN = """\
Resources:
  Jobs: {Type: AWS::SQS::Queue}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt WorkerRole.Arn
      Code: {ZipFile: "def handler(event, context): pass"}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Worker, EventSourceArn: !GetAtt Jobs.Arn}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Send:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: send
      Roles: [!Ref WorkerRole]
      PolicyDocument: !Sub '{"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "${Jobs.Arn}"}]}'
"""

LOOP_TF = """\
resource "aws_sqs_queue" "jobs" {}
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  role          = aws_iam_role.worker_role.arn
}
resource "aws_lambda_event_source_mapping" "mapping" {
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = aws_sqs_queue.jobs.arn
}
resource "aws_iam_role" "worker_role" { assume_role_policy = "{}" }
resource "aws_iam_role_policy" "send" {
  role   = aws_iam_role.worker_role.name
  policy = "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"sqs:SendMessage\\", \\"Resource\\": \\"${aws_sqs_queue.jobs.arn}\\"}]}"
}
"""


@pytest.mark.parametrize("spelling", ["cloudformation", "terraform"])
def test_statement_of_a_json_string_document_is_where_the_document_is_written(tmp_path: Path, spelling: str) -> None:
    """A JSON string has no lines of its own: the finding points at the policy document, not at the role."""
    from conftest import run_rules

    m = _module(tmp_path, LOOP_TF) if spelling == "terraform" else _template(tmp_path, LOOP_CFN)
    found = [(f.code, f.span.line if f.span else None) for f in run_rules(m, "LOOP002")]
    assert found == [("LOOP002", 16 if spelling == "terraform" else 22)]


CONNECTOR_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs: {Type: AWS::SQS::Queue}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context): pass"
      Role: !GetAtt WorkerRole.Arn
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Jobs.Arn}
"""

EMBEDDED = """\
    Connectors:
      SendFailures:
        Properties:
          Destination: {Id: Jobs}
          Permissions: [Write]
"""

STANDALONE = """\
  SendFailures:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Worker}
      Destination: {Id: Jobs}
      Permissions: [Write]
"""


@pytest.mark.parametrize("connector", ["none", "embedded", "standalone", "standalone by role name"])
def test_sam_connector_grants_what_the_role_does_not_show(tmp_path: Path, connector: str) -> None:
    """A connector's permissions are not expanded: the source function's role is then partly unseen, so no
    finding says it may not send to its dead-letter queue; without one the missing permission is reported."""
    from conftest import run_rules

    text = CONNECTOR_SAM
    if connector == "embedded":
        text = text.replace("    Properties:\n      Runtime", EMBEDDED + "    Properties:\n      Runtime")
    elif connector == "standalone":
        text += STANDALONE
    elif connector == "standalone by role name":
        text += STANDALONE.replace("Source: {Id: Worker}", "Source: {Type: AWS::Lambda::Function, Arn: !GetAtt "
                                   "Worker.Arn, RoleName: !Ref WorkerRole}")
    m = _template(tmp_path, text)
    assert m.roles["WorkerRole"].complete is (connector == "none")
    found = [(f.code, f.resource, f.span.line if f.span else None) for f in run_rules(m, "ASYNC006")]
    assert found == ([("ASYNC006", "WorkerRole", 4)] if connector == "none" else [])


def test_sam_connector_of_a_function_with_a_generated_role(tmp_path: Path) -> None:
    text = (CONNECTOR_SAM.replace("      Role: !GetAtt WorkerRole.Arn\n", "")
            .replace("  WorkerRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n"
                     "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]\n", ""))
    assert "WorkerRole" not in text
    without = _template(tmp_path, text)
    assert without.roles["WorkerRole"].origin == "Worker" and without.roles["WorkerRole"].complete is True
    with_connector = _template(tmp_path, text + STANDALONE)
    assert with_connector.roles["WorkerRole"].complete is False


@pytest.mark.parametrize("spelling", ["cloudformation", "terraform"])
def test_function_role_given_as_the_arn_of_a_role_of_the_template(tmp_path: Path, spelling: str) -> None:
    arn = "arn:aws:iam::123456789012:role/worker"
    if spelling == "terraform":
        text = tf(f'name = "worker"\ninline_policy {{\n  policy = {SEND_JOBS_TF}\n}}\n')
        m = _module(tmp_path, text.replace("role          = aws_iam_role.worker_role.arn", f'role = "{arn}"'))
    else:
        text = cfn("RoleName: worker\nPolicies:\n  - PolicyName: send\n    PolicyDocument:\n" + _indent(SEND_JOBS_YAML, 6))
        m = _template(tmp_path, text.replace("Role: !GetAtt WorkerRole.Arn", f"Role: {arn}"))
    assert summary(m) == SENDS_TO_JOBS


UNKNOWN_ROLES_CFN = """\
Parameters:
  RoleNames: {Type: CommaDelimitedList}
Resources:
  Jobs: {Type: AWS::SQS::Queue}
  Other: {Type: AWS::SQS::Queue}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt WorkerRole.Arn
      Code: {ZipFile: "def handler(event, context): pass"}
      DeadLetterConfig: {TargetArn: !GetAtt Jobs.Arn}
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  SendJobs:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: send
      Roles: !Ref RoleNames
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Jobs.Arn}
"""

UNKNOWN_ROLES_TF = """\
variable "role_name" { type = string }
resource "aws_sqs_queue" "jobs" {}
resource "aws_sqs_queue" "other" {}
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  role          = aws_iam_role.worker_role.arn
  dead_letter_config { target_arn = aws_sqs_queue.jobs.arn }
}
resource "aws_iam_role" "worker_role" { assume_role_policy = "{}" }
resource "aws_iam_role_policy" "send_jobs" {
  role   = var.role_name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn }] })
}
"""


@pytest.mark.parametrize("spelling", ["cloudformation", "terraform"])
@pytest.mark.parametrize("grants", ["jobs", "other"])
def test_policy_for_roles_named_at_deploy_time_may_be_what_lets_the_function_reach_its_dlq(
        tmp_path: Path, spelling: str, grants: str) -> None:
    """A policy attached to roles given by a parameter or variable may be attached to the function's role: no
    ASYNC006 when it grants sending to the DLQ; still one when it grants something else."""
    from conftest import run_rules

    cfn_text, tf_text = UNKNOWN_ROLES_CFN, UNKNOWN_ROLES_TF
    if grants == "other":
        cfn_text = cfn_text.replace("Resource: !GetAtt Jobs.Arn", "Resource: !GetAtt Other.Arn")
        tf_text = tf_text.replace("Resource = aws_sqs_queue.jobs.arn", "Resource = aws_sqs_queue.other.arn")
    m = _module(tmp_path, tf_text) if spelling == "terraform" else _template(tmp_path, cfn_text)
    found = [(f.code, _short(f.resource or ""), f.span.line if f.span else None) for f in run_rules(m, "ASYNC006")]
    role = ("worker_role", 12) if spelling == "terraform" else ("workerrole", 14)
    assert found == ([] if grants == "jobs" else [("ASYNC006", *role)])
