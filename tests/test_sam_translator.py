"""A SAM template and its expansion by aws-sam-translator (the reference implementation) give the same Model.

Every SAM fixture is transformed with the translator; both the SAM source and the transformed CloudFormation
go through invlint's loader; their triggers, failure routes and function settings must agree. Generated
logical ids are compared as SAM names them, so a difference in naming is a difference in the Model.
"""

from __future__ import annotations

import copy
import glob
import json
import os
from collections.abc import Mapping
from typing import Any

import pytest

from invocation_lint.formats.cloudformation.template import build_model, is_sam
from invocation_lint.formats.parse import parse_text
from invocation_lint.model import Model, Target

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")


def _sam_fixtures() -> list[str]:
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.y*ml"), recursive=True)):
        if "terraform" in path.split(os.sep):
            continue
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            continue
        if "AWS::Serverless-2016-10-31" in text:
            out.append(path)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _packaged(doc: dict[str, Any]) -> dict[str, Any]:
    """What ``sam package`` hands the transform: code locations as S3 URIs."""
    doc = copy.deepcopy(doc)
    for res in (doc.get("Resources") or {}).values():
        if isinstance(res, dict) and res.get("Type") == "AWS::Serverless::Function":
            props = res.setdefault("Properties", {}) or {}
            res["Properties"] = props
            if "InlineCode" not in props and props.get("PackageType") != "Image":
                props["CodeUri"] = "s3://bucket/code.zip"
        if isinstance(res, dict) and res.get("Type") in ("AWS::Serverless::LayerVersion",):
            res.setdefault("Properties", {})["ContentUri"] = "s3://bucket/layer.zip"
    glob_fn = (doc.get("Globals") or {}).get("Function")
    if isinstance(glob_fn, dict) and "CodeUri" in glob_fn:
        glob_fn["CodeUri"] = "s3://bucket/code.zip"
    return doc


def _t(t: Target | None) -> Any:
    if t is None:
        return None
    return t.node or t.arn or "unknown"


def _v(val: Any) -> Any:
    if val is None:
        return None
    return val.value if val.known else "unknown"


def summary(model: Model) -> dict[str, Any]:
    triggers = sorted(set(
        (
            t.function, t.mode, t.service if t.service != "apigatewayv2" else "apigatewayv2", _t(t.source),
            _v(t.batch_size), _v(t.batching_window), _v(t.report_batch_item_failures), _v(t.maximum_concurrency),
            _v(t.max_retry_attempts), _v(t.max_record_age), _v(t.bisect), _t(t.on_failure), _t(t.delivery_dlq),
            t.api_kind, _v(t.integration_timeout_ms), t.proxy if t.mode == "sync" and not t.via_permission else None,
        )
        for t in model.triggers
        if not t.authorizer
    ), key=repr)
    routes = sorted(((r.kind, r.source, _t(r.target)) for r in model.routes), key=repr)
    functions = {
        fid: (_v(f.timeout), _v(f.runtime), _v(f.handler), _v(f.reserved_concurrency), _t(f.dlq),
              sorted(((c.qualifier, _v(c.max_retry_attempts), _v(c.max_event_age), _t(c.on_failure), _t(c.on_success))
                      for c in f.async_configs), key=repr))
        for fid, f in model.functions.items()
    }
    queues = {q: (_v(v.fifo), _v(v.visibility_timeout), _v(v.retention)) for q, v in model.queues.items()}
    deliveries = sorted((d.source, d.target, d.filtered) for d in model.deliveries)
    return {"triggers": triggers, "routes": routes, "functions": functions, "queues": queues,
            "topics": sorted(model.topics), "deliveries": deliveries}


def compare(path: str) -> None:
    samtranslator = pytest.importorskip("samtranslator")
    from samtranslator.translator.transform import transform

    del samtranslator
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    doc = parse_text(text, path)
    if not isinstance(doc, Mapping) or not is_sam(doc):
        pytest.skip("not a SAM template")
    ours = build_model(doc, path, os.path.dirname(path), os.path.dirname(path))

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        transformed = transform(_packaged(_plain(doc)), {}, NoManagedPolicies())
    except Exception as exc:  # the translator rejects the template: nothing to compare
        pytest.skip(f"the SAM translator rejects this template: {str(exc)[:200]}")
    cfn_doc = parse_text(json.dumps(transformed), path)
    theirs = build_model(cfn_doc, path, os.path.dirname(path), os.path.dirname(path))
    a, b = summary(ours), summary(theirs)
    assert a["triggers"] == b["triggers"]
    assert a["routes"] == b["routes"]
    assert a["functions"] == b["functions"]
    assert a["queues"] == b["queues"]
    assert a["topics"] == b["topics"]
    assert a["deliveries"] == b["deliveries"]


@pytest.mark.parametrize("path", _sam_fixtures(), ids=lambda p: os.path.relpath(p, ROOT))
def test_sam_fixture_matches_translator(path: str) -> None:
    compare(path)
