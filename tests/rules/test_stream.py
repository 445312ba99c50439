"""STREAM001-STREAM002 on SAM and plain CloudFormation."""

from __future__ import annotations

from conftest import FIXTURES, finding_tuples, lint

STREAM = FIXTURES / "stream"


def test_stream_fire_sam() -> None:
    found = lint(STREAM / "sam" / "stream_fire.yaml", select="STREAM")
    assert finding_tuples(found) == [
        ("STREAM001", "CountClicks", 31),
        ("STREAM002", "CountClicks", 31),
        ("STREAM002", "ProjectOrders", 51),  # MaximumRecordAgeInSeconds: 30, on its line
    ]
    assert [f.severity for f in found] == ["warning", "warning", "error"]
    assert "when its records expire: the stream's retention, 24 h by default" in found[0].message
    assert found[1].path == [
        "ClickStream (Kinesis)", "CountClicks [poll, batch 100]", "one record fails",
        "same batch retried until the records expire", "shard blocked",
    ]
    assert "MaximumRecordAgeInSeconds 30" in found[2].message and "deploy fails" in found[2].message


def test_stream_fire_cloudformation() -> None:
    found = lint(STREAM / "cfn" / "stream_fire.yaml", select="STREAM")
    assert finding_tuples(found) == [
        ("STREAM001", "ClicksMapping", 31),
        ("STREAM002", "ClicksMapping", 31),  # -1/-1/false written out: same as the defaults
        ("STREAM001", "BoundedMapping", 41),  # bounded retries, but nothing keeps what is skipped
    ]
    assert "(after 3 retries)" in found[2].message
    assert found[2].path[2] == "failure: given up after 3 retries"


def test_stream_silent() -> None:
    # bounded retries, bisect, a record age of 60, an Unknown retry count (CloudFormation), on-failure
    # destinations; an SQS mapping without on-failure destination is not a stream
    sel = ["STREAM", "ASYNC", "LOOP", "SYNC"]
    assert lint(STREAM / "sam" / "stream_clean.yaml", select=sel) == []
    assert lint(STREAM / "cfn" / "stream_clean.yaml", select=sel) == []


def test_dynamodb_stream_mappings_alike_in_every_format() -> None:
    """A DynamoDB stream is a stream like Kinesis: defaults (STREAM001 + STREAM002), bounded retries without a
    destination (STREAM001), a record age below 60 (STREAM002, an error), and a clean mapping, the same in
    CloudFormation, SAM and Terraform (the twins under fixtures/terraform/stream/)."""
    cfn = lint(STREAM / "cfn" / "stream_dynamodb.yaml")
    assert finding_tuples(cfn) == [
        ("STREAM001", "DefaultsMapping", 30),
        ("STREAM002", "DefaultsMapping", 30),
        ("STREAM001", "BoundedMapping", 37),
        ("STREAM002", "TooYoungMapping", 52),  # on MaximumRecordAgeInSeconds: 30
    ]
    sam = lint(STREAM / "sam" / "stream_dynamodb.yaml")
    assert finding_tuples(sam) == [
        ("STREAM001", "ProjectOrders", 29),
        ("STREAM002", "ProjectOrders", 29),
        ("STREAM001", "ProjectOrders", 34),
        ("STREAM002", "ProjectOrders", 46),
    ]
    for tf, prefix in (("stream_dynamodb", "aws_lambda_event_source_mapping."),
                       ("sam_stream_dynamodb", "aws_lambda_event_source_mapping.project_orders__")):
        found = lint(FIXTURES / "terraform" / "stream" / tf)
        names = ("defaults_mapping", "bounded_mapping", "too_young_mapping") if tf == "stream_dynamodb" \
            else ("defaults", "bounded", "too_young")
        assert finding_tuples(found) == [
            ("STREAM001", prefix + names[0], 34),
            ("STREAM002", prefix + names[0], 34),
            ("STREAM001", prefix + names[1], 40),
            ("STREAM002", prefix + names[2], 52),  # on maximum_record_age_in_seconds = 30
        ]
        assert "maximum_record_age_in_seconds 30" in found[3].message
    assert [f.severity for f in cfn] == [f.severity for f in sam] == ["warning", "warning", "warning", "error"]
    assert all("(DynamoDB stream)" in f.message for f in cfn + sam)
