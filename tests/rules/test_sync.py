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
    # 29 s on REST, 30 s on HTTP, an Unknown timeout, a 900 s function behind a queue
    assert lint(SYNC / "sam" / "sync_clean.yaml", select=["SYNC", "ASYNC", "STREAM", "LOOP"]) == []
