"""Linear fixing: ``invlint check --unsafe-fixes`` on 1x, 2x, 4x and 8x the same input, in every layout.

For each layout the base size (``--groups``, default 250 groups of a queue, its DLQ, a function and the event
source mapping between them: ``bench_scale``'s inputs) is doubled three times. Each run fixes a fresh copy of
the input in a new git repository (copying is not timed) with an in-process ``check`` (``jobs=1``, JSON
report): the findings, their fixes, the edits written, and the check again that ``--fix`` makes after writing.
The median time is printed with the ratio to the previous step, beside the time of a plain check of the same
input and its ratio: fixing costs about one more check, and a ratio well above 2 where the plain check's is
near 2 is a cost of fixing that grows with the square of the fixes.

Layouts: ``yaml``, ``json``, ``json1`` (one line) and ``tf`` (a module of five files) as ``bench_scale``
writes them (a third of the queues get a longer visibility timeout: a one-number edit each); ``yaml-dlq``,
``json-dlq`` and ``tf-dlq`` are the same with every other queue's redrive policy taken out, so that a
third kind of fix adds a dead-letter queue and a redrive policy (new lines in the file, a free name looked
for) to half of the queues; ``yaml-fndlq`` and ``json-fndlq`` give every other function a function
dead-letter queue (``DeadLetterConfig``), which an SQS-triggered function never uses: an unsafe fix removes
the setting's lines (a key looked for before the value, Globals looked at); ``yaml-evic`` and ``json-evic``
give every other function an ``AWS::Lambda::EventInvokeConfig`` with an on-failure destination, which an
unsafe fix removes as a whole resource once nothing else in the file names it.

Usage: ``python benchmarks/bench_fix.py [--groups 250] [--runs 3] [--layouts yaml,json,tf-dlq,...]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import template, to_yaml  # noqa: E402
from bench_scale import write  # noqa: E402

LAYOUTS = "yaml,json,json1,tf,yaml-dlq,json-dlq,tf-dlq,yaml-fndlq,json-fndlq,yaml-evic,json-evic"


def write_input(layout: str, groups: int, directory: Path) -> str:
    """The input of ``layout`` under ``directory``; returns its path relative to ``directory``."""
    base, _, variant = layout.partition("-")
    if not variant:
        return write(layout, groups, directory / "input").relative_to(directory).as_posix()
    target = directory / "input"
    target.mkdir(parents=True)
    if base == "tf" and variant == "dlq":
        write("tf", groups, target)
        # every other work queue without its redrive policy
        policy = re.compile(r'(resource "aws_sqs_queue" "work_(\d+)" \{\n(?:.*\n)*?)  redrive_policy = jsonencode\(\{\n'
                            r'(?:.*\n)*?  \}\)\n')
        for path in sorted(target.glob("main_*.tf")):
            text = path.read_text(encoding="utf-8")
            text = policy.sub(lambda m: m.group(1) if int(m.group(2)) % 2 else m.group(0), text)
            path.write_text(text, encoding="utf-8")
        return "input"
    if variant not in ("dlq", "fndlq", "evic") or base not in ("yaml", "json"):
        raise SystemExit(f"unknown layout {layout!r}")
    doc = template(groups)
    for name, resource in doc["Resources"].items():
        if variant == "dlq" and name.startswith("Queue") and int(name[len("Queue"):]) % 2:
            del resource["Properties"]["RedrivePolicy"]
        if variant == "fndlq" and name.startswith("Worker") and name[len("Worker"):].isdigit() and \
                int(name[len("Worker"):]) % 2:
            resource["Properties"]["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": [f"Dlq{name[6:]}", "Arn"]}}
    for i in range(1, groups, 2) if variant == "evic" else ():
        doc["Resources"][f"Worker{i}InvokeConfig"] = {"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {
            "FunctionName": {"Ref": f"Worker{i}"}, "Qualifier": "$LATEST",
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": [f"Dlq{i}", "Arn"]}}}}}
    path = target / f"template.{base}"
    path.write_text(to_yaml(doc) if base == "yaml" else json.dumps(doc, indent=2), encoding="utf-8")
    return path.relative_to(directory).as_posix()


def one_check(path: Path, **options: bool) -> tuple[float, str]:
    """The time of one in-process ``check`` of ``path`` and what it said on standard error."""
    from invocation_lint import command

    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            command.check((str(path),), fmt="json", jobs=1, **options)
        except SystemExit:
            pass
    return time.perf_counter() - start, err.getvalue()


def timed(pristine: Path, relative: str, runs: int, **options: bool) -> tuple[float, str]:
    """Median time of ``runs`` checks, each of a fresh copy of ``pristine`` in a new git repository."""
    times: list[float] = []
    said = ""
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp) / "repo"
            shutil.copytree(pristine, repo)
            subprocess.run(["git", "init", "-q", str(repo)], check=True)
            took, said = one_check(repo / relative, **options)
            times.append(took)
    return statistics.median(times), said


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=250)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--layouts", default=LAYOUTS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm"
        timed(warm, write_input("json", 1, warm), 1, unsafe_fixes=True)  # imports out of the timings
        print(f"{'layout':<10} {'groups':>6} {'fixed':>6} {'check':>8} {'ratio':>6} {'fix':>8} {'ratio':>6}")
        for layout in args.layouts.split(","):
            before: tuple[float, float] | None = None
            for factor in (1, 2, 4, 8):
                groups = args.groups * factor
                pristine = Path(tmp) / f"{layout}{groups}"
                relative = write_input(layout, groups, pristine)
                plain, _ = timed(pristine, relative, args.runs)
                fix, said = timed(pristine, relative, args.runs, unsafe_fixes=True)
                m = re.search(r"fixed (\d+) finding", said)
                fixed = m.group(1) if m else "?"
                ratios = [f"{now / then:>5.2f}x" if before else "     -" for now, then in
                          zip((plain, fix), before or (1.0, 1.0), strict=True)]
                print(f"{layout:<10} {groups:>6} {fixed:>6} {plain:>7.3f}s {ratios[0]} {fix:>7.3f}s {ratios[1]}",
                      flush=True)
                before = (plain, fix)
                shutil.rmtree(pristine)


if __name__ == "__main__":
    main()
