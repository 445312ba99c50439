"""Handler code analysis speed: a SAM project of N functions, half Python and half TypeScript (esbuild).

Generates, in a temporary directory, one SAM template with N functions (each with its own SQS queue and its own
handler file of about 60 lines: a loop over the batch, try/except, a partial batch response, a helper it
delegates to) and measures, each as the median of several runs:

- ``analyse``: ``handlers.analyse_model`` on an already loaded Model (locating, reading and parsing every
  handler file, Python with ``ast``, TypeScript with tree-sitter), in files per second, with the tree-sitter
  parsers already built; the first run (grammar loading included) is shown apart;
- ``check``: the whole ``invlint check`` of the directory in a fresh interpreter (start-up, discovery, loading,
  analysis, every rule, text report).

Usage: ``python benchmarks/bench_handlers.py [--functions 200] [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = '''import json
import logging

logger = logging.getLogger(__name__)


def handler(event, context):
    """Process a batch of orders; report the ones that fail."""
    failures = []
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
            process(order, record["messageId"])
        except Exception:
            logger.exception("order failed")
            failures.append({{"itemIdentifier": record["messageId"]}})
    return {{"batchItemFailures": failures}}


def process(order, message_id):
    if not order.get("id"):
        raise ValueError(f"order without id in {{message_id}}")
    total = 0
    for line in order.get("lines", []):
        total += line.get("price", 0) * line.get("quantity", 1)
    if total < 0:
        raise ValueError("negative total")
    logger.info("order %s total %s", order["id"], total)
    return {{"id": order["id"], "total": total, "n": {i}}}


def validate(order):
    errors = []
    if "customer" not in order:
        errors.append("customer")
    if "lines" not in order:
        errors.append("lines")
    return errors
'''

TS = '''import type {{ SQSEvent, SQSBatchResponse, SQSBatchItemFailure, Context }} from 'aws-lambda';

interface Order {{
  id: string;
  lines: {{ price: number; quantity: number }}[];
}}

const process = async (order: Order, messageId: string): Promise<number> => {{
  if (!order.id) {{
    throw new Error(`order without id in ${{messageId}}`);
  }}
  let total = 0;
  for (const line of order.lines ?? []) {{
    total += line.price * (line.quantity ?? 1);
  }}
  if (total < 0) {{
    throw new Error('negative total');
  }}
  return total + {i};
}};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {{
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {{
    try {{
      const order = JSON.parse(record.body) as Order;
      await process(order, record.messageId);
    }} catch (err) {{
      console.error('order failed', err);
      batchItemFailures.push({{ itemIdentifier: record.messageId }});
    }}
  }}
  return {{ batchItemFailures }};
}};

export const validate = (order: Partial<Order>): string[] => {{
  const errors: string[] = [];
  if (!order.id) errors.push('id');
  if (!order.lines) errors.push('lines');
  return errors;
}};
'''


def generate(root: Path, functions: int) -> None:
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Transform: AWS::Serverless-2016-10-31", "Resources:"]
    for i in range(functions):
        python = i % 2 == 0
        d = root / f"fn{i}"
        d.mkdir(parents=True)
        if python:
            (d / "app.py").write_text(PY.format(i=i))
        else:
            (d / "app.ts").write_text(TS.format(i=i))
        lines += [
            f"  Dlq{i}:", "    Type: AWS::SQS::Queue", "    Properties:", "      MessageRetentionPeriod: 1209600",
            f"  Queue{i}:", "    Type: AWS::SQS::Queue", "    Properties:", "      VisibilityTimeout: 180",
            "      RedrivePolicy:", f"        deadLetterTargetArn: !GetAtt Dlq{i}.Arn", "        maxReceiveCount: 5",
            f"  Fn{i}:", "    Type: AWS::Serverless::Function", "    Properties:", f"      CodeUri: fn{i}/",
            "      Handler: app.handler", f"      Runtime: {'python3.12' if python else 'nodejs20.x'}",
            "      Timeout: 20", "      Events:", "        Orders:", "          Type: SQS", "          Properties:",
            f"            Queue: !GetAtt Queue{i}.Arn", "            FunctionResponseTypes:",
            "              - ReportBatchItemFailures",
        ]
        if not python:
            lines += ["    Metadata:", "      BuildMethod: esbuild", "      BuildProperties:",
                      "        EntryPoints:", "          - app.ts"]
    (root / "template.yaml").write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--functions", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from invocation_lint.handlers import analyse_model
    from invocation_lint.load import load_path

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.functions)
        (model,) = load_path(str(root / "template.yaml"))
        times = []
        for _ in range(args.runs + 1):
            model.handler_facts.clear()
            t0 = time.perf_counter()
            analyse_model(model)
            times.append(time.perf_counter() - t0)
        analysed = sum(1 for f in model.handler_facts.values() if f.analysed)
        first, rest = times[0], times[1:]
        med = statistics.median(rest)
        print(f"functions: {args.functions} ({analysed} handlers analysed: "
              f"{args.functions - args.functions // 2} Python, {args.functions // 2} TypeScript)")
        print(f"analyse (first run, grammars loaded): {first * 1000:.0f} ms")
        print(f"analyse (median of {args.runs}): {med * 1000:.0f} ms = {analysed / med:.0f} files/s")

        checks = []
        env = dict(os.environ)
        for _ in range(max(1, args.runs // 2)):
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "invocation_lint.entry", "check", str(root)], capture_output=True,
                                 text=True, env=env, cwd=tmp)
            checks.append(time.perf_counter() - t0)
        med_check = statistics.median(checks)
        print(f"invlint check (fresh process, median of {len(checks)}): {med_check * 1000:.0f} ms = "
              f"{args.functions / med_check:.0f} files/s (exit {out.returncode})")


if __name__ == "__main__":
    main()
