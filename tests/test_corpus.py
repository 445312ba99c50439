"""Every real public template in ../shared/corpus loads: no internal error; invalid ones give clean input errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from invocation_lint.discover import discover
from invocation_lint.engine import run
from invocation_lint.load import load_input
from invocation_lint.source import InputError

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")

#: templates in the corpus that are genuinely invalid (each a real duplicate key in the public source)
INVALID = {
    "serverless-patterns/cloudfront-apigw-http-api-lambda-rust/template.yml": (74, "duplicate key 'Name'"),
    "serverless-patterns/msk-lambda-schema-avro-java-sam/template_original.yaml": (60, "duplicate key 'SchemaRegistryURI'"),
    "serverless-patterns/multi-account-private-apigw/centralAccount/template.yaml": (234, "duplicate key 'Handler'"),
    "serverless-patterns/public-nlb-or-alb-private-api-cfn/template.yaml": (358, "duplicate key 'HealthCheckEnabled'"),
    "serverless-patterns/sam-webapp-cognito/template.yaml": (29, "duplicate key 'Name'"),
}


def test_every_corpus_template_loads_or_fails_cleanly() -> None:
    inputs, errors = discover([str(CORPUS)])
    assert errors == []
    assert len(inputs) >= 250
    failed = {}
    loaded = 0
    for inp in inputs:
        try:
            load_input(inp)
            loaded += 1
        except InputError as exc:
            failed[os.path.relpath(inp.path, CORPUS)] = (exc.line, exc.message)
    assert failed == INVALID
    assert loaded == len(inputs) - len(INVALID)


def test_every_rule_runs_on_the_corpus_without_internal_errors() -> None:
    from invocation_lint.config import Config

    result = run([str(CORPUS)], Config())
    internal = [str(e) for e in result.errors if "internal error" in str(e)]
    assert internal == []
    assert len(result.errors) == len(INVALID)
