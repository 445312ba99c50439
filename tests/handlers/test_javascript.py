"""JavaScript and TypeScript handler analysis with tree-sitter."""

from __future__ import annotations

import textwrap

import pytest

from invocation_lint.handlers import HandlerFacts, analyse_source
from invocation_lint.handlers.locate import Source


def facts(code: str, name: str = "handler", file: str = "index.js",
          siblings: dict[str, str] | None = None) -> HandlerFacts:
    sib = siblings or {}

    def read(rel: str) -> tuple[str, str] | None:
        return (sib[rel], rel) if rel in sib else None

    lang = "typescript" if file.endswith(".ts") else "javascript"
    return analyse_source("Fn", Source(lang, textwrap.dedent(code), file, name, read_sibling=read))  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [
    "exports.handler = async (event) => { return { statusCode: 500 }; };",
    "module.exports.handler = function (event) { return { statusCode: 500 }; };",
    "const handler = async (event) => ({ statusCode: 500 });\nmodule.exports = { handler };",
    "module.exports = { async handler(event) { return { statusCode: 500 }; } };",
    "export const handler = async (event) => { return { statusCode: 500 }; };",
    "export async function handler(event) { return { statusCode: 500 }; }",
    "async function main(event) { return { statusCode: 500 }; }\nexport { main as handler };",
    "const base = async (event) => ({ statusCode: 500 });\nexport const handler = middy(base).use(x());",
])
def test_export_forms(code: str) -> None:
    f = facts(code)
    assert f.analysed and f.missing is None
    assert [r.status_codes for r in f.returns] == [(500,)]


def test_export_default() -> None:
    f = facts("export default async (event) => ({ statusCode: 204 });", name="default")
    assert f.analysed and f.returns[0].status_codes == (204,)


def test_missing_export_and_dynamic_exports() -> None:
    assert facts("exports.main = async () => {};").missing == "function"
    assert facts("function handler() {}\n").missing == "function"  # defined but not exported
    assert facts("module.exports = require('./impl');").missing is None
    assert facts("export * from './impl';").missing is None
    assert facts("Object.assign(module.exports, x);").missing is None


def test_typescript_types_and_non_null() -> None:
    f = facts("""
        import type { SQSEvent, SQSBatchResponse } from 'aws-lambda';
        export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
          const body = event.Records[0]!.body as string;
          console.log(body);
          return { batchItemFailures: [] } satisfies SQSBatchResponse;
        };
        """, file="app.ts")
    assert f.language == "typescript"
    assert [s.line for s in f.first_record_reads] == [4] and not f.iterates_records
    assert f.returns[0].empty_failures and f.batch_failures_span is not None


def test_catches_and_reraise_forms() -> None:
    f = facts("""
        exports.handler = (event, context, callback) => {
          try { a(); } catch (e) { console.log(e); }
          try { a(); } catch (e) { throw e; }
          try { a(); } catch (e) { callback(e); }
          try { a(); } catch (e) { return Promise.reject(e); }
          let failed = false;
          try { a(); } catch { failed = true; }
          try { a(); } catch (e) { const text = String(e); console.log(text); }
          if (failed) return callback(new Error('failed'));
          callback(null, 'ok');
        };
        """)
    assert [(c.span.line, c.swallows) for c in f.catches] == [
        (3, True), (4, False), (5, False), (6, False), (8, False), (9, True),
    ]
    assert f.falls_through is None  # a callback handler answers through the callback


def test_foreach_callback_cannot_stop() -> None:
    f = facts("""
        exports.handler = async (event) => {
          const batchItemFailures = [];
          event.Records.forEach((r) => {
            try { work(r); } catch (e) { batchItemFailures.push({ itemIdentifier: r.messageId }); return; }
          });
          return { batchItemFailures };
        };
        """)
    [c] = f.catches
    assert c.in_records_loop and not c.stops_loop and c.records
    assert [i.source for i in f.item_ids] == ["messageId"] and f.iterates_records


def test_destructured_records_and_ids() -> None:
    f = facts("""
        export const handler = async ({ Records }) => {
          const [first] = Records;
          const failures = [];
          for (const { messageId, body } of Records) {
            try { JSON.parse(body); } catch { failures.push({ itemIdentifier: messageId }); }
          }
          const sequenceNumber = first.kinesis.sequenceNumber;
          failures.push({ itemIdentifier: sequenceNumber });
          failures.push({ itemIdentifier: null });
          return { batchItemFailures: failures };
        };
        """)
    assert [s.line for s in f.first_record_reads] == [3] and f.iterates_records
    assert [i.source for i in f.item_ids] == ["messageId", "sequenceNumber", "empty"]


def test_powertools_fifo_processor() -> None:
    f = facts("""
        import { SqsFifoPartialProcessor, processPartialResponseSync } from '@aws-lambda-powertools/batch';
        const processor = new SqsFifoPartialProcessor();
        export const handler = async (event, context) =>
          processPartialResponseSync(event, recordHandler, processor, { context });
        """)
    assert f.powertools_batch is not None and f.powertools_fifo


def test_delegation_to_sibling_module() -> None:
    f = facts("""
        const { run } = require('./lib/run');
        exports.handler = async (event) => run(event);
        """, siblings={"lib/run.js": "exports.run = async (event) => ({ statusCode: 502, body: {} });"})
    assert [(r.span.file, r.status_codes, r.body) for r in f.returns] == [("lib/run.js", (502,), "nonstring")]


def test_response_built_step_by_step() -> None:
    f = facts("""
        exports.handler = async (event) => {
          const response = { statusCode: 200 };
          response.body = JSON.stringify({ ok: true });
          return response;
        };
        """)
    assert [(r.status_codes, r.body) for r in f.returns] == [((200,), "string")]


def test_syntax_error_gives_no_guess() -> None:
    f = facts("exports.handler = async (event) => { return {statusCode: 500 ;\n")
    assert f.parse_error is not None and f.missing is None and not f.analysed


def test_event_passed_where_it_cannot_be_followed_may_be_iterated() -> None:
    code = """
        const { processAll } = require('@acme/service');
        exports.handler = async (event) => {
          console.log(event.Records[0], JSON.stringify(event));
          BODY
        };
        """
    assert not facts(code.replace("BODY", "return null;")).iterates_records
    assert facts(code.replace("BODY", "return processAll(event);")).iterates_records


def test_promise_catch_callbacks() -> None:
    f = facts("""
        exports.handler = async (event) => {
          await send(event).catch((err) => console.error(err));
          await send(event).catch((err) => { throw new Error(`send failed: ${err}`); });
          await send(event).catch((err) => Promise.reject(err));
        };
        """)
    assert [(c.span.line, c.label, c.swallows) for c in f.catches] == [
        (3, ".catch()", True), (4, ".catch()", False), (5, ".catch()", False),
    ]


def test_callback_responses_are_returns() -> None:
    f = facts("""
        exports.handler = function (event, context, callback) {
          try {
            work(event);
          } catch (err) {
            return callback(null, { statusCode: 500, body: 'failed' });
          }
          callback(null, { statusCode: 200, body: JSON.stringify({ ok: true }) });
        };
        """)
    assert [(r.span.line, r.status_codes, r.in_catch) for r in f.returns] == [(6, (500,), True), (8, (200,), False)]
    assert not f.opaque_returns


def test_catch_nested_in_a_reporting_catch_is_not_a_swallow() -> None:
    f = facts("""
        exports.handler = async (event, context, callback) => {
          const batchItemFailures = [];
          for (const record of event.Records) {
            try {
              await save(record);
            } catch (err) {
              batchItemFailures.push({ itemIdentifier: record.messageId });
              try {
                await notify(record);
              } catch (e) {
                try { await logRemote(e); } catch (e2) { console.log(e2); }
              }
            }
          }
          try {
            await flush();
          } catch (err) {
            try { await cleanup(); } catch (e) { return; }
            callback(err);
          }
          await send(event).catch((err) => {
            try { audit(err); } catch (e) {}
            throw err;
          });
          return { batchItemFailures };
        };
        """)
    assert [(c.span.line, c.follows_report, c.swallows) for c in f.catches] == [
        (7, False, False), (11, True, False), (12, True, False), (18, False, False), (19, False, True),
        (22, False, False), (23, True, False),
    ]


SWALLOWING_STORE = "exports.save = async (r) => {\n  try {\n    await put(r);\n  } catch (err) {\n    console.log(err);\n  }\n};\n"


@pytest.mark.parametrize(("code", "siblings", "where"), [
    ("const { save } = require('./lib/store');\n"
     "exports.handler = async (event) => {\n  for (const r of event.Records) {\n    await save(r);\n  }\n};\n",
     {"lib/store.js": SWALLOWING_STORE}, ("lib/store.js", 4, 4)),
    ("const store = require('./lib');\n"
     "exports.handler = async (event) => {\n  await Promise.all(event.Records.map((r) => store.save(r)));\n};\n",
     {"lib/index.js": "module.exports = require('./store');\nexports.save = require('./store').save;\n",
      "lib/store.js": SWALLOWING_STORE}, None),
    ("import { save } from './lib';\n"
     "export const handler = async (event) => {\n  event.Records.forEach((r) => {\n    save(r);\n  });\n};\n",
     {"lib/index.ts": "export { save } from './store';\n",
      "lib/store.ts": SWALLOWING_STORE.replace("exports.save =", "export const save =")}, ("lib/store.ts", 4, 4)),
    ("import * as store from './store.js';\n"
     "export const handler = async (event) => {\n  for (const r of event.Records) await store.save(r);\n};\n",
     {"store.ts": SWALLOWING_STORE.replace("exports.save =", "export const save =")}, ("store.ts", 4, 3)),
])
def test_helpers_in_other_modules_are_followed(code: str, siblings: dict[str, str], where: tuple | None) -> None:
    f = facts(code, file="index.ts" if "export const" in code else "index.js", siblings=siblings)
    got = [(c.span.file, c.span.line, f.called_from[c.span.file].line) for c in f.catches if c.swallows]
    assert got == ([where] if where else [])  # ``module.exports = require(...)`` cannot be listed: not followed


def test_js_follow_is_bounded_and_cycles_end() -> None:
    siblings = {
        "a.js": "const b = require('./b');\nexports.one = (r) => { b.two(r); };\n",
        "b.js": "const a = require('./a');\nconst { three } = require('./c');\n"
                "exports.two = (r) => { a.one(r); three(r); };\n",
        "c.js": "const { four } = require('./d');\nexports.three = (r) => { four(r); };\n",
        "d.js": "exports.four = (r) => {\n  try { r.go(); } catch (e) {}\n};\n",
    }
    f = facts("const a = require('./a');\nexports.handler = async (event) => { a.one(event); };\n", siblings=siblings)
    assert f.catches == []  # the fourth call
    f = facts("const b = require('./b');\nexports.handler = async (event) => { b.two(event); };\n", siblings=siblings)
    assert [(c.span.file, c.span.line) for c in f.catches] == [("d.js", 2)]


def test_a_helper_result_that_the_handler_uses_is_not_followed() -> None:
    f = facts("const { save } = require('./store');\nexports.handler = async (event) => {\n"
              "  for (const r of event.Records) {\n    if (!(await save(r))) throw new Error('x');\n  }\n};\n",
              siblings={"store.js": SWALLOWING_STORE})
    assert f.catches == []


def test_missing_modules_do_not_use_up_the_module_budget() -> None:
    requires = "".join(f"const m{i} = require('./gen/m{i}');\n" for i in range(20))
    calls = "".join(f"    await m{i}.put(r);\n" for i in range(20))
    f = facts(requires + "const { save } = require('./lib/store');\nexports.handler = async (event) => {\n"
              "  for (const r of event.Records) {\n" + calls + "    await save(r);\n  }\n};\n",
              siblings={"lib/store.js": SWALLOWING_STORE})
    assert [(c.span.file, c.span.line) for c in f.catches] == [("lib/store.js", 4)]


def test_a_helper_called_after_the_error_is_passed_on_swallows_nothing() -> None:
    siblings = {"alerts.js": "exports.alert = (r) => {\n  try { r.page(); } catch (e) {}\n};\n"}
    reported = facts("""
        const { alert } = require('./alerts');
        exports.handler = (event, context, callback) => {
          for (const record of event.Records) {
            try {
              record.save();
            } catch (err) {
              callback(err);
              alert(record);
            }
          }
        };
        """, siblings=siblings)
    assert [(c.span.file, c.span.line, c.swallows) for c in reported.catches] == [
        ("index.js", 7, False), ("alerts.js", 2, False),
    ]
    alone = facts("const { alert } = require('./alerts');\n"
                  "exports.handler = async (event) => { for (const r of event.Records) alert(r); };\n",
                  siblings=siblings)
    assert [(c.span.file, c.span.line, c.swallows) for c in alone.catches] == [("alerts.js", 2, True)]
