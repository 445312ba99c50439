"""LOOP001-LOOP002: cycles through triggers and failure routes, write permissions into the trigger."""

from __future__ import annotations

from conftest import FIXTURES, finding_tuples, lint

LOOP = FIXTURES / "loop"


def test_loop_fire_sam() -> None:
    found = lint(LOOP / "sam" / "loop_fire.yaml", select="LOOP")
    assert finding_tuples(found) == [
        # Notify's role may publish to its own topic only because SAM grants the on-failure destination:
        # that is the LOOP001 cycle, reported once
        ("LOOP001", "Notify", 25),
        ("LOOP002", "Thumbnail", 44),  # S3CrudPolicy on the bucket that triggers it
        ("LOOP002", "Requeue", 70),  # SQSSendMessagePolicy on its own queue, RecursiveLoop: Allow
        ("LOOP001", "Ping", 86),  # Ping and Pong are each other's on-failure destination
    ]
    assert found[0].path == [
        "AlertsTopic (SNS)", "Notify [async]", "failure: on-failure destination", "AlertsTopic (SNS)",
    ]
    assert [f.severity for f in found] == ["error", "warning", "error", "error"]
    assert found[3].path == [
        "Ping (function)", "failure: on-failure destination", "Pong (function)", "failure: on-failure destination",
        "Ping (function)",
    ]
    assert "stops such a chain after about 16 invocations" in found[1].message
    assert "RecursiveLoop: Allow lets the loop run without limit" in found[2].message


def test_loop_fire_cloudformation() -> None:
    found = lint(LOOP / "cfn" / "loop_fire.yaml", select="LOOP")
    assert finding_tuples(found) == [
        ("LOOP002", "LambdaRole", 18),  # sqs:* on "*" includes the trigger queue
        ("LOOP001", "SelfQueue", 27),  # redrives to itself (by literal ARN of its QueueName)
        ("LOOP001", "PingQueue", 34),  # Ping -> Pong -> Ping, reported once
    ]
    assert found[2].path == [
        "PingQueue (SQS)", "failed maxReceiveCount times: redrive", "PongQueue (SQS)",
        "failed maxReceiveCount times: redrive", "PingQueue (SQS)",
    ]


def test_loop_silent() -> None:
    # a function DLQ pointing at the SQS trigger (never reached), a DLQ processor, writes to other
    # resources, a role with a managed policy, a stream mapping whose on-failure topic invokes the function
    # asynchronously (the permission SAM grants for it is no LOOP002 either)
    assert lint(LOOP / "sam" / "loop_clean.yaml", select="LOOP") == []


def test_loop_rules_scale_linearly() -> None:
    """1000 queue/function pairs: cycle search runs once over the graph, not once per route (was 5 s)."""
    import time

    from conftest import run_rules

    from invocation_lint.model import Function, Model, Queue, Redrive, Target, Trigger, Val
    from invocation_lint.source import Span

    m = Model(file="big.yaml", format="cloudformation")
    for i in range(1000):
        sp = Span("big.yaml", i * 10 + 1)
        # every other queue redrives into the next queue, so routes chain without closing a cycle
        target = f"D{i}" if i % 2 else f"Q{i + 1}"
        m.queues[f"Q{i}"] = Queue(f"Q{i}", "AWS::SQS::Queue", sp, redrive=Redrive(Target(node=target), Val(5), sp, f"Q{i}"))
        m.queues[f"D{i}"] = Queue(f"D{i}", "AWS::SQS::Queue", sp)
        m.functions[f"F{i}"] = Function(f"F{i}", "AWS::Lambda::Function", sp, dlq=Target(node=f"D{i}"))
        m.triggers.append(Trigger(f"F{i}", "poll-sqs", "sqs", sp, f"M{i}", source=Target(node=f"Q{i}")))
    m.queues["Q999"].redrive = Redrive(Target(node="Q998"), Val(5), Span("big.yaml", 99991), "Q999")
    started = time.perf_counter()
    found = run_rules(m, "LOOP")
    assert time.perf_counter() - started < 3
    assert finding_tuples(found) == [("LOOP001", "Q998", 9981)]  # Q998 -> Q999 -> Q998


def test_loop002_through_a_topic_that_delivers_into_the_trigger_queue() -> None:
    """Enrich may publish to Orders, which delivers into the queue that triggers Enrich; Audit's subscription
    has a filter policy, so its own messages may not come back: silent."""
    found = lint(LOOP / "sam" / "loop002_fan_out.yaml", select="LOOP")
    assert finding_tuples(found) == [("LOOP002", "Enrich", 21)]
    (f,) = found
    assert f.function == "Enrich"
    assert f.path == ["EnrichFromOrdersQueue (SQS)", "Enrich [poll, batch 10]", "sns:Publish into Orders",
                      "Orders delivers to EnrichFromOrdersQueue", "EnrichFromOrdersQueue (SQS)",
                      "loop: stopped after about 16 rounds"]
    assert "which delivers into EnrichFromOrdersQueue (SQS), which triggers it" in f.message
    assert [(r.span.line, r.message) for r in f.related] == [
        (24, "EnrichFromOrdersQueue (SQS) triggers Enrich"),
        (24, "Orders (SNS) delivers into EnrichFromOrdersQueue (SQS)"),
    ]


def test_loop002_fan_out_in_terraform() -> None:
    found = lint(FIXTURES / "terraform" / "loop" / "sam_loop002_fan_out", select="LOOP")
    assert finding_tuples(found) == [("LOOP002", "aws_iam_role.enrich__role", 37)]
