"""The invocation graph: trigger edges with their mode, failure routes, and the paths that lose events."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES

from invocation_lint.graph import _escape_id, render
from invocation_lint.load import load_path

ORDERS = FIXTURES / "graph" / "orders.yaml"


def _mermaid_edges(text: str) -> set[tuple[str, str, str, str]]:
    out = set()
    for m in re.finditer(r'^  (\S+) (-->|-\.->)\|"([^"]*)"\| (\S+)$', text, re.M):
        out.add((m.group(1), m.group(2), m.group(3), m.group(4)))
    return out


def test_mermaid_edges() -> None:
    text = render(load_path(str(ORDERS)))
    assert text.startswith("flowchart LR\n")
    assert _mermaid_edges(text) == {
        ("n_ServerlessHttpApi", "-->", "sync", "n_PlaceOrder"),
        ("n_Orders", "-->", "sqs poll, batch 5", "n_ProcessOrders"),
        ("n_Invoices", "-->", "sqs poll, batch 10", "n_ProcessOrders"),
        ("n_OrderEvents", "-->", "async", "n_Notify"),
        ("n_OrderEvents", "-->", "async", "n_Audit"),
        ("n_OrderStream", "-->", "kinesis poll, batch 100", "n_Analytics"),
        # failure routes, dashed
        ("n_Orders", "-.->", "queue-redrive", "n_OrdersDlq"),
        ("n_Notify", "-.->", "on-failure", "n_NotifyFailures"),
        # paths that lose events
        ("n_Invoices", "-.->", "no redrive: deleted after 4 days", "lost"),
        ("n_Audit", "-.->", "dropped after 2 retries", "lost"),
        ("n_Analytics", "-.->", "skipped after 3 retries, no on-failure", "lost"),
    }
    assert '  n_Orders["Orders (SQS)"]' in text
    assert '  n_ServerlessHttpApi["ServerlessHttpApi (HTTP API)"]' in text
    assert "  class lost lost" in text


def test_dot_edges() -> None:
    text = render(load_path(str(ORDERS)), "dot")
    assert text.startswith("digraph invocations {") and text.rstrip().endswith("}")
    assert '  n_Orders -> n_ProcessOrders [label="sqs poll, batch 5"];' in text
    assert '  n_Orders -> n_OrdersDlq [label="queue-redrive", style=dashed];' in text
    assert '  n_Audit -> lost [label="dropped after 2 retries", style=dashed, color=red, fontcolor=red];' in text
    assert 'lost [label="lost", color=red' in text


def test_deterministic_and_several_models() -> None:
    models = load_path(str(ORDERS)) + load_path(str(FIXTURES / "loop" / "sam" / "loop_fire.yaml"))
    once = render(models)
    assert once == render(models)
    assert '  subgraph m0_file["' in once and '  subgraph m1_file["' in once
    # the same id in two templates stays two nodes
    assert ("m1_n_AlertsTopic", "-.->", "subscription-redrive", "m1_n_AlertsUndelivered") in _mermaid_edges(once)
    assert ("m1_n_Notify", "-.->", "on-failure", "m1_n_AlertsTopic") in _mermaid_edges(once)
    assert ("m0_n_Audit", "-.->", "dropped after 2 retries", "m0_lost") in _mermaid_edges(once)


def test_ids_are_escaped_injectively() -> None:
    ids = ["aws_sqs_queue.orders", "aws_sqs_queue_orders", "module.a[\"x\"]", "a-b", "a_b"]
    escaped = [_escape_id(i) for i in ids]
    assert len(set(escaped)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", e) for e in escaped)


def test_unknown_format() -> None:
    with pytest.raises(ValueError):
        render([], "svg")


def test_unknown_redrive_is_not_marked_lost() -> None:
    from invocation_lint.graph import losses
    from invocation_lint.model import Unknown

    (model,) = load_path(str(ORDERS))
    assert [e.src for e in losses(model) if e.src == "Invoices"] == ["Invoices"]
    model.queues["Invoices"].redrive = Unknown("imported")
    assert [e.src for e in losses(model) if e.src == "Invoices"] == []


def test_cli_graph_command() -> None:
    from click.testing import CliRunner

    from invocation_lint.cli import main

    result = CliRunner().invoke(main, ["graph", str(ORDERS)])
    assert result.exit_code == 0, result.output
    assert result.output == render(load_path(str(ORDERS)))
    result = CliRunner().invoke(main, ["graph", "--format", "dot", str(ORDERS)])
    assert result.exit_code == 0 and result.output.startswith("digraph invocations {")


def test_topic_deliveries_are_edges() -> None:
    from invocation_lint.graph import edges

    (model,) = load_path(str(FIXTURES / "loop" / "sam" / "loop002_fan_out.yaml"))
    got = sorted((e.src, e.dst, e.label) for e in edges(model) if e.kind == "delivery")
    assert got == [("Orders", "AuditAuditedQueue", "delivers (filtered)"), ("Orders", "EnrichFromOrdersQueue", "delivers")]
    text = render([model])
    assert '  n_Orders -->|"delivers"| n_EnrichFromOrdersQueue' in text.splitlines()
