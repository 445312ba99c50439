"""invlint beside cfn-lint and checkov on the same templates, in the same run: wall time and peak memory.

Each tool runs as a fresh process on the same file (so start-up counts, as it does for a user), ``--runs``
times; the table gives the median wall time, the peak resident set size of the process (``wait4``'s
``ru_maxrss``) and each tool's ratio to invlint. checkov is timed only when it is installed; cfn-lint comes with
the test extras. Inputs: the three-function SAM template of ``fixtures/cli`` and generated CloudFormation
templates of N groups (a queue, its DLQ, a function and their event source mapping; ``bench_load.template``).

Usage: ``python benchmarks/bench_compare.py [--groups 100,500] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import template, to_yaml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def measure(cmd: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of ``cmd``."""
    env = dict(os.environ, NO_COLOR="1")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped above
    return wall, usage.ru_maxrss / 1024  # kilobytes on Linux


def tools() -> list[tuple[str, list[str]]]:
    bindir = os.path.dirname(sys.executable)
    found = []
    for name, args in (("invlint", ["check"]), ("cfn-lint", []),
                       ("checkov", ["--framework", "cloudformation", "--quiet", "--compact", "-f"])):
        exe = shutil.which(name, path=bindir) or shutil.which(name)
        if exe:
            found.append((name, [exe, *args]))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", default="100,500")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    available = tools()
    if not available or available[0][0] != "invlint":
        raise SystemExit("invlint is not installed in this environment")
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [("SAM, 3 functions", "three_modes.yaml")]
        shutil.copy(ROOT / "fixtures" / "cli" / "three_modes.yaml", Path(tmp) / "three_modes.yaml")
        shutil.copytree(ROOT / "fixtures" / "cli" / "src", Path(tmp) / "src")
        for groups in (int(g) for g in args.groups.split(",") if g):
            name = f"cfn{groups}.yaml"
            (Path(tmp) / name).write_text(to_yaml(template(groups)), encoding="utf-8")
            inputs.append((f"CloudFormation, {groups * 4} resources", name))
        print(f"{'input':<30} {'tool':<9} {'median':>9} {'peak RSS':>9} {'x invlint':>9} {'x RSS':>6}")
        for label, name in inputs:
            base: tuple[float, float] | None = None
            for tool, cmd in available:
                runs = [measure([*cmd, name], tmp) for _ in range(args.runs)]
                wall = statistics.median(r[0] for r in runs)
                rss = max(r[1] for r in runs)
                if base is None:
                    base = (wall, rss)
                print(f"{label:<30} {tool:<9} {wall:>8.3f}s {rss:>7.0f}MB {wall / base[0]:>8.1f}x "
                      f"{rss / base[1]:>5.1f}x", flush=True)


if __name__ == "__main__":
    main()
