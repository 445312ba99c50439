"""Loading and checking large templates: invlint against the YAML parsing floor and against cfn-lint.

Generates templates of N groups (an SQS queue, its DLQ, a function and the event source mapping between
them: 4 resources a group) as YAML and JSON, then measures, each as the median of several runs:

- ``compose``: PyYAML's C loader composing the YAML, as any YAML tool runs it (the parsing floor), and the
  same with Python's cyclic garbage collector paused (``compose-nogc``), which invlint does while it parses;
- ``json.loads`` of the JSON text;
- ``invlint check`` in-process (load + all rules), YAML and JSON;
- ``cfn-lint`` on the same template (a subprocess, once, only with ``--cfn-lint``: it is slow).

Usage: ``python benchmarks/bench_load.py [--groups 100,500,1000,2000,5000] [--runs 3] [--cfn-lint [--cfn-lint-max N]]``
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def template(groups: int) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for i in range(groups):
        resources[f"Dlq{i}"] = {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}}
        resources[f"Queue{i}"] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": 180 if i % 3 else 20,
                "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [f"Dlq{i}", "Arn"]}, "maxReceiveCount": 5},
            },
        }
        resources[f"Worker{i}"] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "app.handler",
                "Timeout": 30,
                "MemorySize": 256,
                "Role": "arn:aws:iam::123456789012:role/worker",
                "Code": {"S3Bucket": "artifacts", "S3Key": f"worker-{i}.zip"},
                "Environment": {"Variables": {"QUEUE": {"Ref": f"Queue{i}"}, "STAGE": "prod"}},
            },
        }
        resources[f"Worker{i}Mapping"] = {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "FunctionName": {"Ref": f"Worker{i}"},
                "EventSourceArn": {"Fn::GetAtt": [f"Queue{i}", "Arn"]},
                "BatchSize": 10,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            },
        }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def to_yaml(doc: dict[str, Any]) -> str:
    import yaml

    return yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, width=200)


def median_time(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compose_floor(path: Path, paused: bool = False) -> None:
    import yaml

    text = path.read_text()
    if paused:
        gc.disable()
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    finally:
        gc.enable()


def invlint_check(path: Path) -> int:
    from invocation_lint.config import Config
    from invocation_lint.engine import run

    result = run([str(path)], Config())
    assert not result.errors, result.errors
    return len(result.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default="100,500,1000,2000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cfn-lint", action="store_true", help="also time cfn-lint (slow)")
    parser.add_argument("--cfn-lint-max", type=int, default=1000,
                        help="time cfn-lint only up to this many groups (it takes minutes beyond)")
    args = parser.parse_args()
    sizes = [int(g) for g in args.groups.split(",")]
    work = Path(tempfile.mkdtemp(prefix="invlint-bench-"))
    print(f"{'groups':>7} {'res':>6} {'MB':>5} | {'compose':>8} {'nogc':>7} {'yaml chk':>8} {'ratio':>6} | {'json.loads':>10} {'json chk':>8} | findings"
          + ("   | cfn-lint yaml  x" if args.cfn_lint else ""))
    for groups in sizes:
        doc = template(groups)
        ypath, jpath = work / f"t{groups}.yaml", work / f"t{groups}.json"
        ypath.write_text(to_yaml(doc))
        jpath.write_text(json.dumps(doc, indent=2))
        mb = jpath.stat().st_size / 1e6
        floor = median_time(lambda p=ypath: compose_floor(p), args.runs)
        nogc = median_time(lambda p=ypath: compose_floor(p, paused=True), args.runs)
        ycheck = median_time(lambda p=ypath: invlint_check(p), args.runs)
        jtext = jpath.read_text()
        jloads = median_time(lambda t=jtext: json.loads(t), args.runs)
        jcheck = median_time(lambda p=jpath: invlint_check(p), args.runs)
        findings = invlint_check(jpath)
        line = (f"{groups:>7} {groups * 4:>6} {mb:>5.2f} | {floor:>7.3f}s {nogc:>6.3f}s {ycheck:>7.3f}s {ycheck / floor:>5.2f}x | "
                f"{jloads:>9.3f}s {jcheck:>7.3f}s | {findings}")
        if args.cfn_lint and groups <= args.cfn_lint_max:
            start = time.perf_counter()
            subprocess.run([os.path.join(os.path.dirname(sys.executable), "cfn-lint"), str(ypath)],
                           capture_output=True, check=False)
            cfn = time.perf_counter() - start
            line += f"   | {cfn:>8.2f}s {cfn / ycheck:>5.1f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
