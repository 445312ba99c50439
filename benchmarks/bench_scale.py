"""Linear at every size: ``invlint check`` on 1x, 2x, 4x and 8x the same input, in every layout.

For each layout the base size (``--groups``, default 250 groups of four resources: a queue, its DLQ, a function
and the event source mapping between them) is doubled three times, and the median time of an in-process
``check`` (load + all rules, findings collected) is printed with the ratio to the previous step. A linear
program shows ratios near 2.0; a ratio well above 2 at every step is a quadratic cost.

Layouts: YAML (block style), JSON indented, JSON on a single line, Terraform ``.tf`` (one module of five files)
and a ``terraform show -json`` plan on a single line, as Terraform writes it.

With ``--repo N`` it instead times a generated repository of N small projects (a SAM template with handler
code, every third one a Terraform module as well) checked by ``invlint check`` in a fresh process with
``--jobs 1`` and with the default (a pool of one process per core), against the C loader's compose of all its
YAML files (the parsing floor), and the one-process and pool times on the first 8, 16, 32... projects (where
the pool starts to repay its start-up: ``engine.PARALLEL_MIN_INPUTS``). Processor time (all processes of a run)
is printed beside the wall time: on a machine shared with other work a pool cannot show its wall-time gain,
and processor time still shows what the pool itself costs. The commands run with byte-code caching on (as an
installed package has it), whatever ``PYTHONDONTWRITEBYTECODE`` says; ``--installed`` runs a regular install (what
users get) instead of this environment, whose editable install adds an import hook to every Python start.

Each check's findings are also rendered as each report of ``--reports`` (default JSON, SARIF and text), timed
the same way: a report must stay linear too (SARIF fingerprints and baselines read each finding's setting path).

Usage: ``python benchmarks/bench_scale.py [--groups 250] [--runs 3] [--layouts yaml,json,json1,tf,plan]
[--reports json,sarif,text]``
       ``python benchmarks/bench_scale.py --repo 300 [--installed]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import median_time, template, to_yaml  # noqa: E402
from bench_terraform import write_module  # noqa: E402


def plan(groups: int) -> dict[str, Any]:
    """A plan of ``groups`` queue/DLQ/function/mapping groups, with planned values and configuration."""
    planned: list[dict[str, Any]] = []
    config: list[dict[str, Any]] = []

    def add(rtype: str, name: str, values: dict[str, Any], expressions: dict[str, Any]) -> None:
        address = f"{rtype}.{name}"
        planned.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                        "values": values, "sensitive_values": {}})
        config.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                       "provider_config_key": "aws", "expressions": expressions, "schema_version": 0})

    for i in range(groups):
        vt = 180 if i % 3 else 20
        add("aws_sqs_queue", f"dlq_{i}", {"name": f"dlq-{i}", "message_retention_seconds": 1209600},
            {"name": {"constant_value": f"dlq-{i}"}})
        add("aws_sqs_queue", f"work_{i}", {"name": f"work-{i}", "visibility_timeout_seconds": vt},
            {"name": {"constant_value": f"work-{i}"}, "visibility_timeout_seconds": {"constant_value": vt},
             "redrive_policy": {"references": [f"aws_sqs_queue.dlq_{i}.arn", f"aws_sqs_queue.dlq_{i}"]}})
        add("aws_lambda_function", f"worker_{i}",
            {"function_name": f"worker-{i}", "handler": "app.handler", "runtime": "python3.12", "timeout": 30,
             "s3_bucket": "artifacts", "s3_key": f"worker-{i}.zip"},
            {"function_name": {"constant_value": f"worker-{i}"}, "handler": {"constant_value": "app.handler"},
             "runtime": {"constant_value": "python3.12"}, "timeout": {"constant_value": 30}})
        add("aws_lambda_event_source_mapping", f"work_{i}",
            {"batch_size": 10, "function_name": f"worker-{i}", "function_response_types": ["ReportBatchItemFailures"]},
            {"event_source_arn": {"references": [f"aws_sqs_queue.work_{i}.arn", f"aws_sqs_queue.work_{i}"]},
             "function_name": {"references": [f"aws_lambda_function.worker_{i}.function_name",
                                              f"aws_lambda_function.worker_{i}"]},
             "batch_size": {"constant_value": 10}})
    return {"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": planned}},
            "configuration": {"provider_config": {"aws": {"name": "aws"}}, "root_module": {"resources": config}}}


def write(layout: str, groups: int, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if layout == "yaml":
        path = directory / "template.yaml"
        path.write_text(to_yaml(template(groups)), encoding="utf-8")
    elif layout == "json":
        path = directory / "template.json"
        path.write_text(json.dumps(template(groups), indent=2), encoding="utf-8")
    elif layout == "json1":
        path = directory / "template.json"
        path.write_text(json.dumps(template(groups), separators=(",", ":")), encoding="utf-8")
    elif layout == "tf":
        write_module(directory, groups * 5)  # five resources per Terraform group
        return directory
    elif layout == "plan":
        path = directory / "app.plan.json"
        path.write_text(json.dumps(plan(groups), separators=(",", ":")), encoding="utf-8")
    else:
        raise SystemExit(f"unknown layout {layout!r}")
    return path


def check(path: Path) -> int:
    from invocation_lint.engine import run

    result = run([str(path)])
    if result.errors:
        raise SystemExit(f"input errors: {result.errors}")
    return len(result.findings)


def report_times(path: Path, reports: list[str], runs: int) -> list[float]:
    """The median time of rendering each report of ``path``'s findings (every one is linear in the findings: a
    finding's setting path is read from an outline of its file made once, not from the lines above it)."""
    from invocation_lint.engine import run
    from invocation_lint.report import render

    result = run([str(path)])
    return [median_time(lambda fmt=fmt: render(result, fmt, width=120), runs) for fmt in reports]


ROOT = Path(__file__).resolve().parent.parent


def write_repo(directory: Path, projects: int) -> list[Path]:
    """``projects`` small projects under ``directory``; returns their directories."""
    import shutil

    sam = (ROOT / "fixtures" / "cli" / "three_modes.yaml").read_text(encoding="utf-8")
    out = []
    for i in range(projects):
        project = directory / f"service-{i:03d}"
        shutil.copytree(ROOT / "fixtures" / "cli" / "src", project / "src")
        (project / "template.yaml").write_text(sam.replace("Orders", f"Orders{i}"), encoding="utf-8")
        if i % 3 == 0:
            write_module(project / "infra", 10, files=2)
        out.append(project)
    return out


#: processor time (user + system) of the last ``cli`` run, its workers included: on a machine that other work
#: shares, wall time says little about a pool; processor time still says what the run cost
LAST_CPU = [0.0]
#: the interpreter that runs invlint: this one, or a regular install's (``--installed``)
PYTHON = [sys.executable]
CWD: list[str | None] = [None]


def cli(paths: list[Path], *options: str) -> float:
    import resource
    import subprocess

    # what users run: byte-code cached (pip compiles it at install time); with PYTHONDONTWRITEBYTECODE every run
    # would recompile every module (~0.1 s of a repository run)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([PYTHON[0], "-m", "invocation_lint.entry", "check", "--format", "json", *options,
                    *map(str, paths)], capture_output=True, check=False, env=env, cwd=CWD[0])
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall


def cli_timed(paths: list[Path], runs: int, *variants: tuple[str, ...]) -> list[tuple[float, float]]:
    """Median wall time and median processor time (all processes of the run) of ``runs`` runs of each variant
    (its options), run round-robin so that other work on the machine weighs on all of them alike."""
    import statistics

    walls: list[list[float]] = [[] for _ in variants]
    cpus: list[list[float]] = [[] for _ in variants]
    for _ in range(runs):
        for i, options in enumerate(variants):
            walls[i].append(cli(paths, *options))
            cpus[i].append(LAST_CPU[0])
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def repo(projects: int, runs: int, installed: bool) -> None:
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        if installed:
            from bench_startup import _regular_install

            PYTHON[0] = _regular_install(os.path.join(tmp, "venv"))
            CWD[0] = tmp  # not a checkout: ``python -m`` must find the installed package
            tmp = os.path.join(tmp, "repo")
            os.mkdir(tmp)
        dirs = write_repo(Path(tmp), projects)
        texts = [p.read_text(encoding="utf-8") for p in Path(tmp).rglob("*.yaml")]
        floor = median_time(lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts], runs)
        tfs = sum(1 for _ in Path(tmp).rglob("*.tf"))
        print(f"repository: {projects} projects, {len(texts)} YAML templates, {tfs} .tf files")
        print(f"  compose all YAML (C loader): {floor:.3f}s")
        cli([dirs[0]])  # byte-code written, file system caches warm
        load = os.getloadavg()[0]
        (serial, serial_cpu), (pool, pool_cpu) = cli_timed([Path(tmp)], runs, ("--jobs", "1"), ())
        print(f"  {'regular install' if installed else 'this environment'}, {runs} runs each, round-robin; "
              f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
        print(f"  invlint check --jobs 1: {serial:.3f}s ({serial / floor:.1f}x compose), processor {serial_cpu:.3f}s")
        print(f"  invlint check (pool):   {pool:.3f}s ({pool / floor:.1f}x compose), processor {pool_cpu:.3f}s")
        n = 8
        print(f"  {'projects':>8} {'--jobs 1':>9} {'--jobs 2':>9}")
        while n < projects:
            part = dirs[:n]
            one = median_time(lambda p=part: cli(p, "--jobs", "1"), runs)
            two = median_time(lambda p=part: cli(p, "--jobs", "2"), runs)
            print(f"  {n:>8} {one:>8.3f}s {two:>8.3f}s", flush=True)
            n *= 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=250)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--layouts", default="yaml,json,json1,tf,plan")
    ap.add_argument("--reports", default="json,sarif,text",
                    help="reports rendered from each check (their time and ratio beside the check's); '' for none")
    ap.add_argument("--repo", type=int, default=0, help="time a repository of this many small projects instead")
    ap.add_argument("--installed", action="store_true",
                    help="with --repo: run a regular (not editable) install in a temporary virtualenv")
    args = ap.parse_args()
    if args.repo:
        repo(args.repo, args.runs, args.installed)
        return
    check(write("json", 1, Path(tempfile.mkdtemp()) / "warm"))  # imports out of the timings
    reports = [r for r in args.reports.split(",") if r]
    print(f"{'layout':<7} {'groups':>6} {'MB':>6} {'findings':>8} {'time':>8} {'ratio':>6}"
          + "".join(f" {r:>8} {'ratio':>6}" for r in reports))
    with tempfile.TemporaryDirectory() as tmp:
        for layout in args.layouts.split(","):
            previous: list[float] = []
            for factor in (1, 2, 4, 8):
                groups = args.groups * factor
                path = write(layout, groups, Path(tmp) / f"{layout}{groups}")
                size = (sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size) / 1e6
                found = check(path)
                times = [median_time(lambda p=path: check(p), args.runs)]
                times.extend(report_times(path, reports, args.runs))
                cells = "".join(f" {t:>7.3f}s {f'{t / before:>5.2f}x' if before else '     -'}"
                                for t, before in zip(times, previous or [0.0] * len(times), strict=True))
                print(f"{layout:<7} {groups:>6} {size:>6.2f} {found:>8}{cells}", flush=True)
                previous = times


if __name__ == "__main__":
    main()
