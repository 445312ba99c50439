"""SYNC001 on SAM and plain CloudFormation: REST vs HTTP limits, TimeoutInMillis, Globals, Unknowns."""

from __future__ import annotations

from conftest import FIXTURES, finding_tuples, lint

SYNC = FIXTURES / "sync"


def test_sync001_fire_sam() -> None:
    found = lint(SYNC / "sam" / "sync_fire.yaml", select="SYNC")
    assert finding_tuples(found) == [
        ("SYNC001", "Search", 10),  # Timeout 45 from Globals: the finding points at the Globals line
        ("SYNC001", "Report", 16),  # one finding for two routes of the same API
        ("SYNC001", "Export", 32),  # HTTP API: 31 > 30
    ]
    report = found[1]
    assert "Report may run for 60 s but API Gateway REST API ServerlessRestApi stops waiting after 29 s" in (
        report.message)
    assert len(report.related) == 2
    assert report.path == [
        "client", "API Gateway REST API ServerlessRestApi", "Report [sync, timeout 60 s]",
        "API answers 504 after 29 s", "function runs on, result discarded",
    ]
    assert "stops waiting after 30 s (the HTTP API maximum)" in found[2].message


def test_sync001_fire_cloudformation() -> None:
    found = lint(SYNC / "cfn" / "sync_fire.yaml", select="SYNC")
    assert finding_tuples(found) == [
        ("SYNC001", "Report", 45),  # 40 > 29
        ("SYNC001", "TooLong", 91),  # 90 > TimeoutInMillis 50000 (Raised, 45 s, fits in it)
        ("SYNC001", "Export", 115),  # ApiGatewayV2 HTTP API: 120 > 30
    ]
    assert "after 50 s (the integration's TimeoutInMillis)" in found[1].message


def test_sync001_silent() -> None:
    # 29 s on REST, 30 s on HTTP, an Unknown timeout, a 900 s function behind a queue, 45 s behind an
    # OpenAPI integration with timeoutInMillis 50000
    assert lint(SYNC / "sam" / "sync_clean.yaml", select=["SYNC", "ASYNC", "STREAM", "LOOP"]) == []


def test_sync001_permission_only_and_streaming() -> None:
    from conftest import run_rules

    from invocation_lint.model import Function, Model, Trigger, Val
    from invocation_lint.source import Span

    m = Model(file="t.yaml", format="cloudformation")
    m.functions["Fn"] = Function("Fn", "AWS::Lambda::Function", Span("t.yaml", 3), timeout=Val(120, Span("t.yaml", 4)))
    m.resources["Perm"] = ("AWS::Lambda::Permission", Span("t.yaml", 10))
    m.triggers = [Trigger("Fn", "sync", "apigateway", Span("t.yaml", 10), "Perm", api_kind="rest",
                          via_permission=True)]
    assert run_rules(m, "SYNC001") == []  # the integration is elsewhere: its timeout is not known
    m.triggers = [Trigger("Fn", "sync", "apigateway", Span("t.yaml", 20), "Method", api_kind="rest",
                          response_transfer_mode="STREAM")]
    assert run_rules(m, "SYNC001") == []  # a streamed response may run 15 minutes
    m.triggers[0].integration_timeout_ms = Val(60000, Span("t.yaml", 22))
    assert finding_tuples(run_rules(m, "SYNC001")) == [("SYNC001", "Fn", 4)]  # its own TimeoutInMillis: 60 s
