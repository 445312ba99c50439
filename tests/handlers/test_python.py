"""Python handler analysis: facts read with ``ast`` from handler source, without importing it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from invocation_lint.handlers import HandlerFacts, analyse_source
from invocation_lint.handlers.locate import Source


def facts(code: str, name: str = "handler", siblings: dict[str, str] | None = None) -> HandlerFacts:
    sib = siblings or {}

    def read(rel: str) -> tuple[str, str] | None:
        return (sib[rel], rel) if rel in sib else None

    src = Source("python", textwrap.dedent(code), "app.py", name, read_sibling=read)
    return analyse_source("Fn", src)


def test_returned_dicts_and_status_codes() -> None:
    f = facts("""
        from http import HTTPStatus
        import json

        def handler(event, context):
            if not event:
                return {"statusCode": HTTPStatus.BAD_REQUEST, "body": "no"}
            resp = {"statusCode": 200}
            resp["body"] = json.dumps({"a": 1})
            return resp
        """)
    assert [(r.span.line, r.status_codes, r.body) for r in f.returns] == [(7, (400,), "string"), (10, (200,), "string")]
    assert not f.opaque_returns and f.analysed


def test_body_kinds() -> None:
    f = facts("""
        def handler(event, context):
            if event:
                return {"statusCode": 200, "body": {"a": 1}}
            body = f"x{event}"
            return {"statusCode": 200, "body": body}
        """)
    assert [r.body for r in f.returns] == ["nonstring", "string"]


def test_catches_broad_and_narrow() -> None:
    f = facts("""
        import sys

        def handler(event, context):
            try:
                a()
            except (ValueError, Exception) as exc:
                print(exc)
            try:
                a()
            except KeyError:
                pass
            try:
                a()
            except BaseException:
                sys.exit(1)
            try:
                a()
            except:
                fail()

        def fail():
            raise RuntimeError("x")
        """)
    assert [(c.span.line, c.label, c.swallows) for c in f.catches] == [
        (7, "except Exception", True), (15, "except BaseException", False), (19, "bare except", False),
    ]


def test_records_first_versus_iteration() -> None:
    first = facts("""
        def handler(event, context):
            records = event["Records"]
            if len(records) == 0:
                return
            [only] = event["Records"]
            print(records[0], only)
        """)
    assert [s.line for s in first.first_record_reads] == [6, 7] and not first.iterates_records
    loop = facts("""
        def handler(event, context):
            print(event["Records"][0])
            for r in event.get("Records", []):
                print(r)
        """)
    assert loop.first_record_reads and loop.iterates_records


def test_item_identifier_sources() -> None:
    f = facts("""
        def handler(event, context):
            out = []
            for r in event["Records"]:
                mid = r["messageId"]
                out.append({"itemIdentifier": mid})
                out.append({"itemIdentifier": r.message_id})
                out.append({"itemIdentifier": r["dynamodb"]["SequenceNumber"]})
                out.append({"itemIdentifier": ""})
                out.append({"itemIdentifier": r["eventID"]})
                out.append({"itemIdentifier": lookup(r)})
            return {"batchItemFailures": out}
        """)
    assert [i.source for i in f.item_ids] == ["messageId", "messageId", "sequenceNumber", "empty", "other", "unknown"]
    assert f.batch_failures_span is not None and f.batch_failures_span.line == 12


def test_fifo_loop_facts() -> None:
    goes_on = facts("""
        def handler(event, context):
            failures = []
            for r in event["Records"]:
                try:
                    work(r)
                except Exception:
                    failures.append({"itemIdentifier": r["messageId"]})
            return {"batchItemFailures": failures}
        """)
    [c] = goes_on.catches
    assert c.in_records_loop and c.records and not c.stops_loop and not c.flag_checked
    flag = facts("""
        def handler(event, context):
            failures = []
            failed = False
            for r in event["Records"]:
                if failed:
                    failures.append({"itemIdentifier": r["messageId"]})
                    continue
                try:
                    work(r)
                except Exception:
                    failed = True
                    failures.append({"itemIdentifier": r["messageId"]})
            return {"batchItemFailures": failures}
        """)
    assert flag.catches[0].flag_checked


def test_powertools() -> None:
    f = facts("""
        from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, batch_processor

        processor = BatchProcessor(event_type=EventType.SQS)

        @batch_processor(record_handler=print, processor=processor)
        def handler(event, context):
            return processor.response()
        """)
    assert f.powertools_batch is not None and f.reports_batch_failures and not f.powertools_fifo and not f.wrapped


def test_delegation_same_module_and_sibling() -> None:
    f = facts("""
        from .impl import run

        async def handler(event, context):
            return run(event, context)
        """, siblings={"impl.py": "def run(event, context):\n    return {'statusCode': 201}\n"})
    assert [(r.span.file, r.span.line, r.status_codes) for r in f.returns] == [("impl.py", 2, (201,))]
    g = facts("""
        from impl import handler
        """, siblings={"impl.py": "def handler(event, context):\n    return None\n"})
    assert g.file == "impl.py" and g.returns[0].shape == "none"


def test_missing_function_and_uncertain_modules() -> None:
    assert facts("def main(event, context):\n    pass\n").missing == "function"
    assert facts("from helpers import *\n").missing is None  # a star import may define it
    assert facts("handler = Mangum(app)\n").missing is None
    assert facts("if True:\n    def handler(e, c):\n        pass\n").missing is None


def test_syntax_error_is_a_fact_not_a_finding() -> None:
    f = facts("def handler(event, context)\n    return 1\n")
    assert f.parse_error is not None and f.parse_error.line == 1
    assert f.missing is None and not f.analysed


def test_never_imports_user_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    f = facts(f"open({str(marker)!r}, 'w').write('x')\n\ndef handler(event, context):\n    return None\n")
    assert f.analysed and not marker.exists()


def test_event_passed_where_it_cannot_be_followed_may_be_iterated() -> None:
    code = """
        import logging
        from service import process_all
        logger = logging.getLogger()

        def handler(event, context):
            first = event["Records"][0]
            logger.info("event %s", event)
            {}
        """
    assert not facts(code.format("return None")).iterates_records  # logging only: Records[0] is all it reads
    assert facts(code.format("return process_all(event)")).iterates_records


def test_a_name_set_in_the_except_counts_only_when_read_afterwards() -> None:
    f = facts("""
        def handler(event, context):
            ok = True
            try:
                work(event)
            except Exception as e:
                msg = str(e)
                print(msg)
            try:
                work(event)
            except Exception:
                ok = False
            if not ok:
                raise RuntimeError("failed")
        """)
    assert [(c.span.line, c.swallows) for c in f.catches] == [(6, True), (11, False)]


def test_handler_assigned_from_a_wrapper_call() -> None:
    f = facts("""
        def main(event, context):
            return {"statusCode": 200, "body": {}}

        handler = logger.inject_lambda_context(main)
        other = with_retries(main)
        """)
    assert f.analysed and not f.wrapped and f.returns[0].body == "nonstring"
    g = facts("def main(event, context):\n    return None\n\nother = with_retries(main)\n", name="other")
    assert g.analysed and g.wrapped
    assert not facts("handler = Mangum(app)\n").analysed


def test_contextlib_suppress_is_a_catch_all() -> None:
    f = facts("""
        from contextlib import suppress

        def handler(event, context):
            with suppress(KeyError):
                work(event)
            with suppress(Exception):
                work(event)
        """)
    assert [(c.span.line, c.label, c.swallows) for c in f.catches] == [(7, "suppress(Exception)", True)]


def test_a_failures_list_never_added_to_is_empty() -> None:
    f = facts("""
        def handler(event, context):
            failures = []
            try:
                work(event)
            except Exception:
                return {"batchItemFailures": failures}
            done = []
            done.append(1)
            return {"batchItemFailures": done}
        """)
    [c] = f.catches
    assert c.returns_empty_failures and c.swallows
    assert [r.empty_failures for r in f.returns] == [True, False]


def test_except_nested_in_a_reporting_except_is_not_a_swallow() -> None:
    f = facts("""
        def handler(event, context):
            failures = []
            for record in event["Records"]:
                try:
                    process(record)
                except Exception:
                    failures.append({"itemIdentifier": record["messageId"]})
                    try:
                        notify(record)
                    except Exception:
                        try:
                            log_remote(record)
                        except Exception:
                            pass
                except BaseException:
                    try:
                        cleanup()
                    except Exception:
                        pass
                    raise
            return {"batchItemFailures": failures}
        """)
    assert [(c.span.line, c.follows_report, c.swallows) for c in f.catches] == [
        (7, False, False), (11, True, False), (14, True, False), (16, False, False), (19, True, False),
    ]


def test_nested_except_that_leaves_before_the_report_still_swallows() -> None:
    f = facts("""
        def handler(event, context):
            for record in event["Records"]:
                try:
                    process(record)
                except Exception:
                    try:
                        undo(record)
                    except Exception:
                        return None
                    raise
                try:
                    audit(record)
                except Exception:
                    pass
        """)
    assert [(c.span.line, c.follows_report, c.swallows) for c in f.catches] == [
        (6, False, False), (9, False, True), (14, False, True),
    ]


def test_helpers_in_other_modules_are_followed_three_calls_deep() -> None:
    siblings = {
        "lib/__init__.py": "",
        "lib/store.py": textwrap.dedent("""
            from .db import put


            def save(record):
                put(record)
            """),
        "lib/db.py": textwrap.dedent("""
            import retry


            def put(item):
                retry.attempt(item)
            """),
        "retry.py": textwrap.dedent("""
            def attempt(item):
                try:
                    send(item)
                except Exception:
                    pass


            def send(item):
                pass
            """),
    }
    f = facts("""
        from lib.store import save

        def handler(event, context):
            for record in event["Records"]:
                save(record)
        """, siblings=siblings)
    assert [(c.span.file, c.span.line, c.swallows) for c in f.catches] == [("retry.py", 5, True)]
    assert f.called_from == {"lib/store.py": f.called_from["lib/store.py"], "lib/db.py": f.called_from["lib/store.py"],
                             "retry.py": f.called_from["lib/store.py"]}
    assert (f.called_from["retry.py"].file, f.called_from["retry.py"].line) == ("app.py", 6)


def test_a_fourth_call_is_not_followed_and_cycles_end() -> None:
    siblings = {
        "a.py": "import b\n\ndef one(r):\n    b.two(r)\n",
        "b.py": "from a import one\nfrom c import three\n\ndef two(r):\n    one(r)\n    three(r)\n",
        "c.py": "from d import four\n\ndef three(r):\n    four(r)\n",
        "d.py": "def four(r):\n    try:\n        r.go()\n    except Exception:\n        pass\n",
    }
    f = facts("import a\n\ndef handler(event, context):\n    a.one(event)\n", siblings=siblings)
    assert f.catches == []  # handler → a.one → b.two → c.three → d.four is the fourth call
    f = facts("import b\n\ndef handler(event, context):\n    b.two(event)\n", siblings=siblings)
    assert [(c.span.file, c.span.line) for c in f.catches] == [("d.py", 4)]  # b.two → a.one → b.two: read once


def test_delegated_returns_are_read_across_modules() -> None:
    siblings = {"api/__init__.py": "from .impl import run\n",
                "api/impl.py": "def run(event):\n    return {'statusCode': 500}\n"}
    f = facts("from api import run\n\ndef handler(event, context):\n    return run(event)\n", siblings=siblings)
    assert [(r.span.file, r.span.line, r.status_codes) for r in f.returns] == [("api/impl.py", 2, (500,))]
    assert not f.opaque_returns


def test_imports_of_other_packages_do_not_use_up_the_module_budget() -> None:
    imports = "".join(f"import pkg{i}\n" for i in range(60))
    calls = "".join(f"        pkg{i}.put(record)\n" for i in range(60))
    f = facts(imports + "from lib.store import save\n\ndef handler(event, context):\n"
              "    for record in event['Records']:\n" + calls + "        save(record)\n",
              siblings={"lib/store.py": "def save(r):\n    try:\n        r.go()\n    except Exception:\n        pass\n"})
    assert [(c.span.file, c.span.line) for c in f.catches] == [("lib/store.py", 4)]


def test_a_helper_called_after_the_item_is_reported_swallows_nothing() -> None:
    siblings = {"alerts.py": "def alert(r):\n    try:\n        r.page()\n    except Exception:\n        pass\n"}
    reported = facts("""
        from alerts import alert

        def handler(event, context):
            failures = []
            for record in event["Records"]:
                try:
                    record.save()
                except Exception:
                    failures.append({"itemIdentifier": record["messageId"]})
                    alert(record)
            return {"batchItemFailures": failures}
        """, siblings=siblings)
    assert [(c.span.file, c.span.line, c.swallows) for c in reported.catches] == [
        ("app.py", 9, False), ("alerts.py", 4, False),
    ]
    alone = facts("from alerts import alert\n\ndef handler(event, context):\n    for r in event['Records']:\n"
                  "        alert(r)\n", siblings=siblings)
    assert [(c.span.file, c.span.line, c.swallows) for c in alone.catches] == [("alerts.py", 4, True)]
