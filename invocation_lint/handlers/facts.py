"""What the handler code does, as facts with lines: the same shape for Python, JavaScript and TypeScript.

The analysis knows nothing of AWS configuration; the HANDLER rules combine these facts with the triggers of the
Model. Every fact is *certain* for the code it describes: when a construct cannot be followed (a return value
built by an unknown call, an unknown decorator), the facts say so (``opaque_returns``, ``wrapped``) and the rules
stay silent rather than guess.
"""

from __future__ import annotations

from typing import Literal

from invocation_lint.model import Record, field, record
from invocation_lint.source import Span

Language = Literal["python", "javascript", "typescript"]
#: how a value is known: a string, something that is certainly not a string, or not known
BodyKind = Literal["string", "nonstring", "missing", "unknown"]
#: where an ``itemIdentifier`` comes from
IdSource = Literal["messageId", "sequenceNumber", "other", "empty", "unknown"]


@record
class ReturnFact(Record):
    """One ``return`` of the handler (or of the function it delegates to) whose value is known.

    ``keys`` is None when the returned value is not a mapping at all (``return None``, ``return "ok"``):
    ``shape`` says what it is then. ``status_codes`` holds the literal ``statusCode`` values (None for a
    value that is not a literal).
    """

    span: Span
    shape: Literal["dict", "none", "string", "other"]
    keys: frozenset[str] | None = None
    status_codes: tuple[int | None, ...] = ()
    body: BodyKind = "missing"
    #: ``batchItemFailures`` is returned and certainly empty (``[]`` literal, or a list never added to)
    empty_failures: bool = False
    in_catch: bool = False  # returned from inside a broad except/catch

    @property
    def has_status(self) -> bool:
        return self.keys is not None and "statusCode" in self.keys

    @property
    def has_batch_failures(self) -> bool:
        return self.keys is not None and "batchItemFailures" in self.keys


@record
class CatchFact(Record):
    """A broad ``except``/``catch`` block (bare, ``Exception``, ``BaseException``; every JS ``catch``)."""

    span: Span
    reraises: bool  # raises/throws, rejects, or passes the error to the Lambda callback
    records: bool  # records the failure: adds to a list, sets a flag, builds an ``itemIdentifier``
    returns_empty_failures: bool = False  # ``return {"batchItemFailures": []}`` from the catch
    returns_value: bool = False  # returns a value (a status code, a batch response) from the catch
    in_records_loop: bool = False  # inside the loop over the batch
    stops_loop: bool = False  # breaks out of, or returns from, that loop
    flag_checked: bool = False  # sets a name that the loop reads outside the try (a "stop" flag)
    label: str = "except Exception"
    #: nested in an except/catch that has already reported the failure (added the item, re-raised, passed the
    #: error to the callback): what this block does with its own error loses nothing
    follows_report: bool = False

    @property
    def swallows(self) -> bool:
        return not self.follows_report and not self.reraises and (not self.records or self.returns_empty_failures)


@record
class ItemIdFact(Record):
    span: Span
    source: IdSource
    text: str  # the expression as written, shortened


@record
class HandlerFacts(Record):
    """Everything the analysis knows about one function's handler."""

    function: str
    language: Language | None = None
    file: str | None = None  # as shown to the user
    #: the handler definition (``def handler``); for missing handlers the best line to show
    span: Span | None = None
    #: ``"file"`` or ``"function"`` when the handler named by ``Handler`` certainly does not exist
    missing: Literal["file", "function"] | None = None
    missing_detail: str = ""
    parse_error: Span | None = None
    #: why the handler was found but not analysed (too deep, too large), for the -v notes
    note: str = ""
    analysed: bool = False  # the handler body was found and read
    #: returns whose value cannot be known (``return helper(event)`` with an unknown helper, ``return x`` with
    #: ``x`` from a call): rules that need every return to be known stay silent
    opaque_returns: bool = False
    #: wrapped by a decorator or middleware that may change what the handler returns
    wrapped: bool = False
    #: the function has no ``return`` on some path (Python falls off the end: returns ``None``)
    falls_through: Span | None = None
    returns: list[ReturnFact] = field(default_factory=list)
    catches: list[CatchFact] = field(default_factory=list)
    first_record_reads: list[Span] = field(default_factory=list)
    iterates_records: bool = False
    item_ids: list[ItemIdFact] = field(default_factory=list)
    #: a Powertools batch utility handles the batch (``process_partial_response``, ``BatchProcessor``...)
    powertools_batch: Span | None = None
    powertools_fifo: bool = False  # ``SqsFifoPartialProcessor``: stops at the first failure
    #: where the code builds a ``batchItemFailures`` response (first place)
    batch_failures_span: Span | None = None
    #: helper files of the project the handler calls into (followed a few calls deep) → the handler's call
    #: that leads there: facts in those files are shown with it
    called_from: dict[str, Span] = field(default_factory=dict)

    @property
    def reports_batch_failures(self) -> bool:
        return self.batch_failures_span is not None or self.powertools_batch is not None

    @property
    def may_report_failed_items(self) -> bool:
        """Whether a failed item can ever reach ``batchItemFailures`` (not only ever-empty lists)."""
        if self.powertools_batch is not None or self.item_ids:
            return True
        batch = [r for r in self.returns if r.has_batch_failures]
        if self.batch_failures_span is not None and not batch:
            return True  # built somewhere we did not see returned
        return any(not r.empty_failures for r in batch)

    @property
    def status_returns(self) -> list[ReturnFact]:
        return [r for r in self.returns if r.has_status]
