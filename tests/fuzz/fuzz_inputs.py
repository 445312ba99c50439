"""Coverage-guided fuzz targets (atheris) for every loader and for configuration and baseline parsing.

    python tests/fuzz/fuzz_inputs.py TARGET [libFuzzer options]

TARGET is ``all`` (the first byte of each input picks one of the others, in the order of ``TARGETS``) or one
of ``template`` (YAML/JSON CloudFormation, SAM, plan JSON), ``hcl`` (a Terraform module of one
``main.tf``, evaluated), ``tfvars``, ``config-yaml``, ``config-toml`` or ``baseline``. Each input is written to
a file in a scratch project and read the way ``invlint check`` reads it, then every rule runs on the Model;
the only exceptions allowed out are the clean input errors (``InputError``, ``ConfigError``). Anything else
is a crash: libFuzzer stops and saves the input as ``crash-*`` (add it to the regression cases of
``tests/test_hostile.py`` or ``tests/test_fuzz.py``).

The suite runs each target a few thousand times with a fixed seed (``tests/test_fuzz_targets.py``); a longer
run, e.g. an hour per target on a spare machine::

    python tests/fuzz/fuzz_inputs.py hcl -max_total_time=3600 -seed=1 tests/fuzz/corpus/hcl
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["invocation_lint"]):  # the lazy imports too, for coverage
    import invocation_lint.formats.cloudformation.intrinsics
    import invocation_lint.formats.cloudformation.sam
    import invocation_lint.formats.cloudformation.template
    import invocation_lint.formats.parse
    import invocation_lint.formats.terraform.evaluate
    import invocation_lint.formats.terraform.load
    import invocation_lint.formats.terraform.syntax  # noqa: F401
    from invocation_lint.baseline import read as read_baseline
    from invocation_lint.config import ConfigError, read_config_file
    from invocation_lint.discover import Input
    from invocation_lint.load import load_input
    from invocation_lint.registry import Context, all_rules
    from invocation_lint.source import InputError

PROJECT = tempfile.mkdtemp(prefix="invlint-fuzz-")
os.mkdir(os.path.join(PROJECT, ".git"))
RULES = list(all_rules().values())
TARGET = sys.argv[1] if len(sys.argv) > 1 else "template"
TARGETS = ["template", "hcl", "tfvars", "config-yaml", "config-toml", "baseline"]
NAMES = {"template": "t.yaml", "hcl": "main.tf", "tfvars": "terraform.tfvars", "config-yaml": ".invlint.yaml",
         "config-toml": "pyproject.toml", "baseline": "baseline.json"}


def _write(name: str, data: bytes) -> str:
    path = os.path.join(PROJECT, name)
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def _rules(model: object) -> None:
    for r in RULES:
        if not r.needs_handlers:
            list(r.check(model, Context(options=dict(r.options))) or ())  # type: ignore[arg-type]


def one_input(data: bytes) -> None:
    target = TARGET
    if target == "all":
        target, data = (TARGETS[data[0] % len(TARGETS)], data[1:]) if data else ("template", data)
    name = NAMES[target]
    try:
        if target == "template":
            path = _write(name, data)
            _rules(load_input(Input("template", path, name, PROJECT, explicit=True)))
        elif target in ("hcl", "tfvars"):
            _write("main.tf", data if target == "hcl" else b'variable "x" {}\nresource "aws_sqs_queue" "q" {\n'
                   b'  name = var.x\n  visibility_timeout_seconds = var.x\n}\n')
            _write("terraform.tfvars", data if target == "tfvars" else b"")
            model = load_input(Input("terraform", PROJECT, ".", PROJECT, explicit=True))
            _rules(model)
        elif target in ("config-yaml", "config-toml"):
            read_config_file(_write(name, data))
        else:
            read_baseline(_write(name, data))
    except (InputError, ConfigError):
        pass
    except RecursionError:
        pass  # the engine words it as "nesting too deep to read"


if __name__ == "__main__":
    atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
    atheris.Fuzz()
