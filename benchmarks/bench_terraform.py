"""Terraform: how long loading and checking take, for the fixtures and for generated modules.

Measures, each as the median of several runs in this process (after one warm-up run):

- ``fixtures``: ``invlint check fixtures/terraform`` in-process (every twin, the project, the plans: load,
  handler analysis, all rules);
- ``module N``: a generated module of N resources in five files (per group of five: a DLQ, a queue with a
  ``jsonencode`` redrive policy to it, a function, the event source mapping between them, and an IAM role
  policy from an ``aws_iam_policy_document``), split into parse (tree-sitter-hcl into the syntax tree) and
  load+check; ``--resources 5000`` is the 1,000-group module;
- ``parse throughput``: every ``.tf`` of the fixtures, repeated to at least 1.1 MB, through ``parse_hcl``;
- ``cold``: ``invlint check`` of one small ``.tf`` module in a fresh interpreter, the HCL parser's import
  included, and of the same module written as ``.tf.json`` (no HCL parser at all).

Usage: ``python benchmarks/bench_terraform.py [--resources 500,2000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def group(i: int) -> str:
    vt = 180 if i % 3 else 20
    return f'''
resource "aws_sqs_queue" "dlq_{i}" {{
  name                      = "${{local.prefix}}-dlq-{i}"
  message_retention_seconds = 1209600
}}

resource "aws_sqs_queue" "work_{i}" {{
  name                       = "${{local.prefix}}-work-{i}"
  visibility_timeout_seconds = {vt}
  redrive_policy = jsonencode({{
    deadLetterTargetArn = aws_sqs_queue.dlq_{i}.arn
    maxReceiveCount     = var.max_receive_count
  }})
  tags = local.tags
}}

resource "aws_lambda_function" "worker_{i}" {{
  function_name = "${{local.prefix}}-worker-{i}"
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "app.handler"
  timeout       = var.timeout
  s3_bucket     = "artifacts"
  s3_key        = "worker-{i}.zip"
  environment {{
    variables = {{
      QUEUE_URL = aws_sqs_queue.work_{i}.url
      STAGE     = var.stage
    }}
  }}
}}

resource "aws_lambda_event_source_mapping" "work_{i}" {{
  event_source_arn        = aws_sqs_queue.work_{i}.arn
  function_name           = aws_lambda_function.worker_{i}.arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}}

data "aws_iam_policy_document" "worker_{i}" {{
  statement {{
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq_{i}.arn]
  }}
}}
'''


HEADER = '''
variable "stage" {
  default = "prod"
}
variable "timeout" {
  default = 30
}
variable "max_receive_count" {
  default = 5
}
variable "role_arn" {
  default = "arn:aws:iam::123456789012:role/worker"
}
locals {
  prefix = "bench-${var.stage}"
  tags   = { stage = var.stage }
}
'''


def write_module(directory: Path, resources: int, files: int = 5) -> None:
    groups = max(1, resources // 5)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "variables.tf").write_text(HEADER, encoding="utf-8")
    per_file = -(-groups // files)
    for f in range(files):
        text = "".join(group(i) for i in range(f * per_file, min(groups, (f + 1) * per_file)))
        (directory / f"main_{f}.tf").write_text(text, encoding="utf-8")


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check(path: Path) -> int:
    from invocation_lint.engine import run

    result = run([str(path)])
    if result.errors:
        raise SystemExit(f"input errors: {result.errors}")
    return len(result.findings)


def parse_only(path: Path) -> None:
    from invocation_lint.formats.terraform.syntax import parse_hcl

    for name in sorted(os.listdir(path)):
        if name.endswith(".tf"):
            parse_hcl((path / name).read_text(encoding="utf-8"), name)


def cold(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "invocation_lint.entry", "check", str(path)], capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", default="500,2000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    fixtures = ROOT / "fixtures" / "terraform"
    n = check(fixtures)
    t = median_time(lambda: check(fixtures), args.runs)
    modules = sum(1 for _ in fixtures.rglob("*.tf")) + sum(1 for _ in fixtures.rglob("*.json"))
    print(f"fixtures/terraform ({modules} files, {n} findings): check {t * 1000:.0f} ms")

    from invocation_lint.formats.terraform.syntax import parse_hcl

    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.joinpath("fixtures").rglob("*.tf"))]
    one = sum(len(t.encode("utf-8")) for t in texts)
    copies = max(1, -(-1_100_000 // one))
    t = median_time(lambda: [parse_hcl(text, "f.tf") for _ in range(copies) for text in texts], args.runs)
    print(f"parse throughput: {len(texts)} fixture .tf files x {copies} = {one * copies / 1e6:.2f} MB in "
          f"{t * 1000:.0f} ms ({one * copies / 1e6 / t:.1f} MB/s)")

    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(x) for x in args.resources.split(",")):
            d = Path(tmp) / f"m{count}"
            write_module(d, count)
            size = sum(p.stat().st_size for p in d.iterdir()) / 1024
            parse = median_time(lambda d=d: parse_only(d), args.runs)
            total = median_time(lambda d=d: check(d), args.runs)
            found = check(d)
            print(f"module {count} resources ({size:.0f} KiB .tf): parse {parse * 1000:.0f} ms, "
                  f"load+check {total * 1000:.0f} ms, {found} findings")

        small = Path(tmp) / "small"
        write_module(small, 10, files=1)
        small_json = Path(tmp) / "small_json"
        small_json.mkdir()
        (small_json / "main.tf.json").write_text(
            '{"resource": {"aws_sqs_queue": {"q": {"visibility_timeout_seconds": 20}}, '
            '"aws_lambda_function": {"f": {"function_name": "f", "timeout": 30, "handler": "a.h", "runtime": "python3.12"}}, '
            '"aws_lambda_event_source_mapping": {"m": {"event_source_arn": "${aws_sqs_queue.q.arn}", '
            '"function_name": "${aws_lambda_function.f.arn}"}}}}', encoding="utf-8")
        hcl = statistics.median(cold(small) for _ in range(args.runs))
        js = statistics.median(cold(small_json) for _ in range(args.runs))
        print(f"cold invlint check, small module: .tf {hcl * 1000:.0f} ms, .tf.json {js * 1000:.0f} ms")


if __name__ == "__main__":
    main()
