"""Mutated templates never crash invlint: a Model or a clean InputError, and rules that never raise.

Seeded, so a failure reproduces. Mutations are structural (values swapped for odd types and intrinsics, keys
dropped) and textual (bytes inserted, deleted or replaced with YAML/JSON syntax).
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from invocation_lint.formats.cloudformation.template import build_model
from invocation_lint.formats.parse import decode, parse_text
from invocation_lint.registry import Context, all_rules
from invocation_lint.source import InputError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEMPLATES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml", ".json")
                   and "terraform" not in p.parts and "Resources" in p.read_text(errors="replace"))
ODD: list[Any] = [
    None, 0, -1, "", "x", [], {}, [1, 2], {"Ref": "Nope"}, {"Fn::GetAtt": ["Nope", "Arn"]}, {"Fn::If": ["C", 1, 2]},
    {"Fn::Sub": "${Nope.Arn}"}, {"Fn::ImportValue": "x"}, True, 3.5, "arn:aws:sqs:us-east-1:1:q.fifo",
    {"Fn::Join": ["", []]}, {"Fn::Select": [5, []]}, {"Ref": "AWS::NoValue"}, {"Fn::GetAtt": "Q"}, "-1", 10**30,
]
SYNTAX = ["{", "}", "[", "]", ":", ",", '"', "'", "!", "&", "*", "\n", "\t", "-", "#", "|", "\\", "\x00", "!Ref ", "<<: "]


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _mutate(node: Any, rng: random.Random) -> None:
    if isinstance(node, dict):
        for k in list(node):
            r = rng.random()
            if r < 0.05:
                node[k] = copy.deepcopy(rng.choice(ODD))
            elif r < 0.08:
                del node[k]
            else:
                _mutate(node[k], rng)
    elif isinstance(node, list):
        for i in range(len(node)):
            if rng.random() < 0.05:
                node[i] = copy.deepcopy(rng.choice(ODD))
            else:
                _mutate(node[i], rng)


def test_structural_mutants_load_and_check_without_crashing() -> None:
    rng = random.Random(20261123)
    rules = [r for r in all_rules().values() if not r.needs_handlers]
    checked = 0
    for path in TEMPLATES:
        try:
            doc = _plain(parse_text(path.read_text(), str(path)))
        except InputError:
            continue
        for _ in range(3):
            mutant = copy.deepcopy(doc)
            _mutate(mutant, rng)
            try:
                model = build_model(parse_text(json.dumps(mutant), "m.json"), "m.json", "/nonexistent", "/nonexistent")
            except InputError:
                continue
            for r in rules:
                list(r.check(model, Context(options=dict(r.options))))
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("seed", [1, 2])
def test_textual_mutants_give_a_model_or_an_input_error(seed: int) -> None:
    rng = random.Random(seed)
    for path in TEMPLATES:
        data = path.read_bytes()
        for _ in range(4):
            b = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(b))
                op = rng.random()
                if op < 0.4:
                    b[i:i + 1] = rng.choice(SYNTAX).encode()
                elif op < 0.7:
                    del b[i:i + rng.randint(1, 20)]
                else:
                    b[i:i] = rng.choice(SYNTAX).encode()
            name = "m" + path.suffix
            try:
                build_model(parse_text(decode(bytes(b), name), name), name, "/nonexistent", "/nonexistent")
            except InputError:
                pass
