"""One input → one Model, by content: CloudFormation/SAM/CDK templates, Terraform plans, Terraform modules."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from .discover import Input, discover
from .formats.parse import MAX_BYTES, decode, parse_text
from .model import Model


def read_bytes(inp: Input) -> bytes:
    if inp.is_stdin:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        from .files import read_limited

        data = read_limited(inp.path, inp.display, MAX_BYTES, inp.base_dir)
    return data


def is_plan(doc: Any) -> bool:
    return isinstance(doc, Mapping) and "format_version" in doc and (
        "planned_values" in doc or "values" in doc or "terraform_version" in doc or "resource_changes" in doc
    )


def load_input(inp: Input, read: Callable[[str, str], None] | None = None) -> Model:
    """Load one input; raises ``InputError`` for anything that is not a template this tool reads. ``read`` is
    told the text of a template read (its display name and text), so that searching it for suppression
    comments need not read it again (standard input can be read only once)."""
    if inp.kind == "terraform":
        from .formats.terraform.load import load_module

        return load_module(inp.path, inp.display, inp.base_dir)
    text = decode(read_bytes(inp), inp.display)
    if read is not None:
        read(inp.display, text)
    doc = parse_text(text, inp.display)
    if is_plan(doc):
        from .formats.terraform.load import load_plan

        return load_plan(doc, inp.display, inp.base_dir)
    from .formats.cloudformation.template import build_model

    template_dir = os.getcwd() if inp.is_stdin else os.path.dirname(os.path.abspath(inp.path))
    return build_model(doc, inp.display, inp.base_dir, template_dir)


def load_path(path: str) -> list[Model]:
    """Every Model under ``path`` (a file or directory); input errors raise. For tests and scripts."""
    inputs, errors = discover([path])
    if errors:
        raise errors[0]
    return [load_input(inp) for inp in inputs]
