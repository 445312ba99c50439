"""Start-up cost of ``invlint check`` on a small template, against the Python floor and cfn-lint.

    python benchmarks/bench_startup.py [--runs 21] [--no-cfn-lint] [--installed]

Prints the median wall time of each command over ``--runs`` runs and its ratio to
``python -c "import yaml"`` (the floor: interpreter start plus the YAML parser every run needs), with the
load average before and after (the machine's other work slows every command, not all alike: the commands run
round-robin so that it hits them alike, and medians leave out the outliers). The goal is ``invlint check`` ≤ 1.8 ×
the floor.

Where the time goes: ``python -X importtime -u "$(which invlint)" check template.yaml`` (``-u``: the
program ends with ``os._exit``). The rule modules are imported by ``importlib.import_module``, which
``-X importtime`` does not show.

An editable install (``pip install -e .``) adds an import hook to every Python start of its environment, the
floor included; ``--installed`` measures what users get instead: the package installed as a wheel
(``pip install --no-deps .``) into a temporary virtualenv that finds its dependencies in this environment. Commands run from a temporary directory holding only the
template, so no project configuration is picked up. ``PYTHONDONTWRITEBYTECODE`` is dropped for the
measured commands: with it, every run recompiles every module, which is not what an installed tool does.
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

HERE = os.path.dirname(os.path.abspath(__file__))
#: three functions, one per invocation mode (SQS, SNS, API), handler code in src/
TEMPLATE_DIR = os.path.join(HERE, "..", "fixtures", "cli")
TEMPLATE = "three_modes.yaml"


def _measure(cases: list[tuple[str, list[str]]], runs: int, cwd: str) -> dict[str, float]:
    """Median wall time per command; commands run round-robin so background load hits them alike."""
    env = dict(os.environ, NO_COLOR="1")
    # measure what users see: byte-code cached after the first run (pip compiles it at install time)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    samples: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _, cmd in cases:
        subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)  # warm caches, write byte-code
    for i in range(runs):
        for label, cmd in cases:
            if "cfn-lint" in label and i % 3:  # seconds per run: a third of the samples is plenty
                continue
            start = time.perf_counter()
            subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
            samples[label].append(time.perf_counter() - start)
    return {label: statistics.median(v) for label, v in samples.items()}


def _regular_install(venv: str) -> str:
    """A virtualenv at ``venv`` with this checkout installed from a wheel, its dependencies taken from this
    environment (a ``.pth`` line: the paths only, not this environment's own import hooks); its python."""
    import site
    import venv as venv_module

    venv_module.create(venv, with_pip=True)
    python = os.path.join(venv, "bin", "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps",
                    os.path.join(HERE, "..")], check=True, capture_output=True)
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(purelib, "dependencies.pth"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(site.getsitepackages()) + "\n")
    return python


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--no-cfn-lint", action="store_true")
    ap.add_argument("--installed", action="store_true",
                    help="measure a regular (not editable) install in a temporary virtualenv")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        python = sys.executable
        bindir = os.path.dirname(python)
        cfn_lint = shutil.which("cfn-lint", path=bindir) or shutil.which("cfn-lint")
        if args.installed:
            python = _regular_install(os.path.join(tmp, "venv"))
            bindir = os.path.dirname(python)
        invlint = shutil.which("invlint", path=bindir) or (None if args.installed else shutil.which("invlint"))
        if invlint is None:
            print("invlint is not installed in this environment", file=sys.stderr)
            return 2
        tmp = os.path.join(tmp, "project")
        os.mkdir(tmp)
        shutil.copytree(os.path.join(TEMPLATE_DIR, "src"), os.path.join(tmp, "src"))
        shutil.copy(os.path.join(TEMPLATE_DIR, TEMPLATE), os.path.join(tmp, "template.yaml"))
        cases: list[tuple[str, list[str]]] = [
            ("python -c pass", [python, "-c", "pass"]),
            ('python -c "import yaml"', [python, "-c", "import yaml"]),
            ("invlint --version", [invlint, "--version"]),
            ("invlint check template.yaml", [invlint, "check", "template.yaml"]),
            ("invlint check --format json", [invlint, "check", "--format", "json", "template.yaml"]),
        ]
        if cfn_lint and not args.no_cfn_lint:
            cases.append(("cfn-lint template.yaml", [cfn_lint, "template.yaml"]))
        load_before = os.getloadavg()[0]
        medians = _measure(cases, args.runs, tmp)
        load_after = os.getloadavg()[0]
        rows = [(label, medians[label]) for label, _ in cases]
    floor = rows[1][1]
    width = max(len(label) for label, _ in rows)
    print(f"{'regular install' if args.installed else 'this environment'}, {args.runs} runs each, round-robin; "
          f"load average {load_before:.2f} before, {load_after:.2f} after")
    print(f"{'command':<{width}}  {'median':>9}  {'× floor':>8}")
    for label, t in rows:
        print(f"{label:<{width}}  {t * 1000:>7.1f}ms  {t / floor:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
