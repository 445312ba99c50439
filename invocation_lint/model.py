"""The resource graph every front-end produces and every rule reads.

Nodes are the AWS things the rules care about, with their properties already normalised: defaults applied
and marked as defaults, intrinsic functions resolved to node references where the template says which
resource is meant, and ``Unknown`` where it cannot be known statically. Edges are ``Trigger`` (how a
function is invoked) and ``FailureRoute`` (where failures go).

A front-end (CloudFormation, SAM, Terraform) fills a ``Model``; nothing here knows about file formats.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import CodeType, FunctionType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from . import defaults
from .source import Span

if TYPE_CHECKING:
    from .handlers.facts import HandlerFacts

T = TypeVar("T")


class Record:
    """Base of the Model's records: one ``__repr__`` and ``__eq__`` for all of them.

    Generic ones cost nothing at import time (compiling one per class would be paid by every
    ``invlint check``); they are used only in tests and debugging.
    """

    __slots__ = ()
    __record_fields__: tuple[Field, ...] = ()

    def __repr__(self) -> str:
        body = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__)
        return f"{type(self).__name__}({body})"

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in self.__record_fields__)

    __hash__ = None  # type: ignore[assignment]


_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING"})()


class Field:
    """One field of a record: its name and its default (a value, or a factory called per instance)."""

    __slots__ = ("name", "default", "default_factory")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


@overload
def field(*, default: T) -> T: ...
@overload
def field(*, default_factory: Callable[[], T]) -> T: ...
def field(*, default: Any = _MISSING, default_factory: Any = _MISSING) -> Any:
    """A field's default given as ``field(default=...)`` or ``field(default_factory=...)``."""
    return Field(default, default_factory)


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record (or record class), in ``__init__`` order."""
    result: tuple[Field, ...] = obj.__record_fields__
    return result


def replace(obj: T, **changes: Any) -> T:
    """A new record of the same class: ``obj``'s fields, with ``changes`` instead."""
    for f in obj.__record_fields__:  # type: ignore[attr-defined]
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _frozen_hash(self: Any) -> int:
    return hash(tuple(getattr(self, f.name) for f in self.__record_fields__))


#: ``__init__`` code by shape: (field kinds, frozen, calls ``__post_init__``). A kind is ``p`` for a field given
#: or defaulted to a value, ``F`` for one defaulted by a factory; parameters and attributes are named ``_a0``,
#: ``_a1``... and renamed per class. The package's own shapes come compiled in ``record_inits`` (compiling them
#: at start-up took ~2 ms of every run); others are compiled on first use.
_TEMPLATES: dict[tuple[str, bool, bool], CodeType] = {}


def _template_name(kinds: str, frozen: bool, post_init: bool) -> str:
    return ("frozen_" if frozen else "init_") + kinds + ("_post" if post_init else "")


def _template_source(kinds: str, frozen: bool, post_init: bool) -> str:
    """The Python source of the ``__init__`` template of that shape."""
    body = []
    for i, kind in enumerate(kinds):
        value = f"_f{i}() if _a{i} is _M else _a{i}" if kind == "F" else f"_a{i}"
        body.append(f"    _set(self, '_a{i}', {value})" if frozen else f"    self._a{i} = {value}")
    if post_init:
        body.append("    self.__post_init__()")
    params = "".join(f", _a{i}" for i in range(len(kinds)))
    return f"def {_template_name(kinds, frozen, post_init)}(self{params}):\n" + ("\n".join(body) or "    pass") + "\n"


def _template(kinds: str, frozen: bool, post_init: bool) -> CodeType:
    """The code of an ``__init__`` of that shape: compiled with the package, else compiled once per process."""
    key = (kinds, frozen, post_init)
    code = _TEMPLATES.get(key)
    if code is None:
        from . import record_inits

        made = getattr(record_inits, _template_name(*key), None)
        if made is None:
            module = compile(_template_source(*key), "<record>", "exec")
            code = next(c for c in module.co_consts if isinstance(c, CodeType))
        else:
            code = made.__code__
        _TEMPLATES[key] = code
    return code


def _shape(cls: type) -> tuple[str, bool, bool]:
    """The template shape of a record class."""
    kinds = "".join("p" if f.default_factory is _MISSING else "F" for f in cls.__record_fields__)  # type: ignore[attr-defined]
    return kinds, cls.__setattr__ is _frozen_setattr, hasattr(cls, "__post_init__")


def record_inits_source() -> str:
    """The text of ``record_inits.py``: the templates of every record class of the package (imports them all)."""
    import importlib
    import os

    names = []
    for package in ("invocation_lint", "invocation_lint.rules"):
        top = importlib.import_module(package).__path__[0]
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
            rel = os.path.relpath(folder, top)
            parts = [] if rel == "." else rel.split(os.sep)
            for file in sorted(files):
                # cfnlint.py needs an optional dependency, and makes no record class
                if file.endswith(".py") and file not in ("record_inits.py", "cfnlint.py"):
                    stem = file[:-3]
                    names.append(".".join([package, *parts, *([] if stem == "__init__" else [stem])]))
    shapes: set[tuple[str, bool, bool]] = set()
    for name in names:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, type) and "__record_fields__" in value.__dict__ and value.__module__ == name:
                shapes.add(_shape(value))
    head = (
        '"""The ``__init__`` templates of the package\'s record classes, compiled with the package (see\n'
        "``model._template``). Written by ``python -m invocation_lint.model``: do not edit.\n"
        '"""\n\n'
        "# ruff: noqa\n"
        "# the templates' free names, given values per class when a template becomes an ``__init__``\n"
        "_M = _set = None\n"
    )
    used = sorted({i for kinds, _, _ in shapes for i, kind in enumerate(kinds) if kind == "F"})
    factories = " = ".join(f"_f{i}" for i in used)
    if factories:
        head += factories + " = None\n"
    body = "".join("\n\n" + _template_source(*shape) for shape in sorted(shapes))
    return head + body


def write_record_inits() -> None:
    """Rewrite ``record_inits.py`` (``python -m invocation_lint.model``)."""
    import os

    from . import record_inits

    text = record_inits_source()
    with open(os.path.abspath(record_inits.__file__), "w", encoding="utf-8") as fh:
        fh.write(text)


def _make_init(cls: type, all_fields: tuple[Field, ...], frozen: bool, post_init: bool) -> Callable[..., None]:
    """``cls.__init__``: the template of its shape with the fields' names, defaults and factories."""
    kinds = "".join("p" if f.default_factory is _MISSING else "F" for f in all_fields)
    template = _template(kinds, frozen, post_init)
    names = {f"_a{i}": f.name for i, f in enumerate(all_fields)}
    scope: dict[str, Any] = {"__name__": cls.__module__, "_M": _MISSING, "_set": object.__setattr__}
    defaults: list[Any] = []
    for i, f in enumerate(all_fields):
        if f.default_factory is not _MISSING:
            scope[f"_f{i}"] = f.default_factory
            defaults.append(_MISSING)
        elif f.default is not _MISSING:
            defaults.append(f.default)
    qualname = f"{cls.__qualname__}.__init__"
    changes: dict[str, Any] = {
        "co_name": "__init__",
        "co_varnames": tuple(names.get(n, n) for n in template.co_varnames),
        "co_names": tuple(names.get(n, n) for n in template.co_names),
        "co_consts": tuple(names.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
    }
    if sys.version_info >= (3, 11):
        changes["co_qualname"] = qualname
    init = FunctionType(template.replace(**changes), scope, "__init__", tuple(defaults) or None)
    init.__qualname__ = qualname
    return init


def _lazy_init(cls: type, all_fields: tuple[Field, ...], frozen: bool, post_init: bool) -> Callable[..., None]:
    """An ``__init__`` that makes the real one on the first instance and puts it in its place: a run creates
    instances of only some of the classes it imports."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _make_init(cls, all_fields, frozen, post_init)
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _build(cls: type, slots: bool, frozen: bool) -> type:
    """Collect the fields of ``cls`` (its bases' first), give it an ``__init__``; slotted: a new class."""
    by_name: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        for f in base.__dict__.get("__record_fields__", ()):
            by_name[f.name] = f
    ns = cls.__dict__
    own: list[str] = []
    for name, annotation in ns.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        if name == "self":
            raise TypeError(f"{cls.__name__}: a field cannot be named 'self'")
        value = ns.get(name, _MISSING)
        f = value if isinstance(value, Field) else Field(value)
        f.name = name
        by_name[name] = f
        own.append(name)
    all_fields = tuple(by_name.values())
    seen_default = False
    for f in all_fields:
        if f.default is not _MISSING or f.default_factory is not _MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")

    if slots:
        inherited: set[str] = set()
        for base in cls.__mro__[1:-1]:
            s = base.__dict__.get("__slots__", ())
            inherited.update((s,) if isinstance(s, str) else s)
        d = dict(ns)
        for name in own:
            d.pop(name, None)
        d.pop("__dict__", None)
        d.pop("__weakref__", None)
        d["__slots__"] = tuple(f.name for f in all_fields if f.name not in inherited)
        cls = type(cls)(cls.__name__, cls.__bases__, d)
    else:
        for name in own:
            f = by_name[name]
            if f.default is not _MISSING:
                setattr(cls, name, f.default)
            elif name in ns:
                delattr(cls, name)
    cls.__init__ = _lazy_init(cls, all_fields, frozen, hasattr(cls, "__post_init__"))  # type: ignore[misc]
    cls.__record_fields__ = all_fields  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(f.name for f in all_fields)  # type: ignore[attr-defined, misc]
    if frozen:
        cls.__setattr__ = _frozen_setattr  # type: ignore[assignment, method-assign]
        cls.__delattr__ = _frozen_delattr  # type: ignore[assignment, method-assign]
        if "__hash__" not in ns:
            cls.__hash__ = _frozen_hash  # type: ignore[assignment, method-assign]
    return cls


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object):  # typing.dataclass_transform is Python 3.11+; only type checkers read it
        return lambda decorator: decorator


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(*, slots: bool = True, frozen: bool = False) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(eq_default=False, field_specifiers=(field,))
def record(cls: Any = None, /, *, slots: bool = True, frozen: bool = False) -> Any:
    """A class with an ``__init__`` over its annotated fields (bases' first), like a dataclass.

    Slotted unless ``slots=False``; ``frozen=True``: fields cannot be assigned after ``__init__`` and instances
    hash by their fields. ``__repr__``/``__eq__`` come from ``Record``. The annotations are only read as names
    (never evaluated), and no ``dataclasses`` (nor ``inspect``) import is paid at start-up.
    """
    if cls is None:
        return lambda c: _build(c, slots, frozen)
    return _build(cls, slots, frozen)


#: ``unknown``: the caller invokes in several modes and nothing in the input says which (a Lambda permission
#: alone for IoT, SES, Step Functions, ...); no mode-specific rule fires on it
Mode = Literal["sync", "async", "poll-sqs", "poll-stream", "unknown"]

RouteKind = Literal[
    "queue-redrive", "function-dlq", "on-failure", "on-success", "subscription-redrive", "target-dlq"
]


class Unknown:
    """A value that cannot be known statically. Rules never fire on it."""

    __slots__ = ("reason",)

    def __init__(self, reason: str = "not known statically") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __bool__(self) -> bool:  # an Unknown is never truthy evidence of anything
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)


@record
class Val(Record, Generic[T]):
    """A located setting: its value (or Unknown), where it is written, and whether it is the AWS default."""

    value: T | Unknown
    span: Span | None = None
    default: bool = False

    @property
    def known(self) -> bool:
        return not isinstance(self.value, Unknown)

    def __repr__(self) -> str:
        d = ", default" if self.default else ""
        return f"Val({self.value!r}{d})"


def default(value: T, span: Span | None = None) -> Val[T]:
    return Val(value, span, True)


# ---------------------------------------------------------------------------------------------------- targets


@record
class Target(Record):
    """Something a reference points at: a node of this Model, an ARN outside it, or Unknown.

    ``service`` is what the target is, as far as it is known: ``sqs``, ``sns``, ``lambda``, ``events``,
    ``s3``, ``kinesis``, ``dynamodb``, ``iam``, ... It comes from the node's type or the ARN.
    """

    node: str | None = None
    arn: str | None = None
    unknown: Unknown | None = None
    service: str | None = None
    span: Span | None = None

    @property
    def known(self) -> bool:
        return self.unknown is None and (self.node is not None or self.arn is not None)

    def label(self) -> str:
        if self.node:
            return self.node
        if self.arn:
            return self.arn
        return "(unknown)"


# ------------------------------------------------------------------------------------------------------ nodes


@record
class Node(Record):
    """Common to every node: its id (logical id or Terraform address), its declared type and where it is.

    ``origin`` is the id of the resource a user edits to change this node; it differs from ``id`` for
    resources a SAM transform generates (the generated queue of an SNS ``SqsSubscription`` belongs to the
    function that declares the event).
    """

    id: str
    type: str
    span: Span
    origin: str = ""

    def __post_init__(self) -> None:
        if not self.origin:
            self.origin = self.id


@record
class Redrive(Record):
    target: Target
    max_receive_count: Val[int]
    span: Span | None
    resource: str  # where it is declared: the queue itself, or a separate redrive-policy resource


@record
class Queue(Node):
    fifo: Val[bool] = field(default_factory=lambda: default(False))
    visibility_timeout: Val[int] = field(default_factory=lambda: default(defaults.QUEUE_VISIBILITY_TIMEOUT))
    retention: Val[int] = field(default_factory=lambda: default(defaults.QUEUE_RETENTION))
    redrive: Redrive | Unknown | None = None


@record
class Topic(Node):
    fifo: Val[bool] = field(default_factory=lambda: default(False))


@record
class Stream(Node):
    """A Kinesis stream, or a DynamoDB table's stream (``service`` tells which)."""

    service: str = "kinesis"


@record
class Bucket(Node):
    pass


@record
class EventBus(Node):
    pass


@record
class Api(Node):
    """An API Gateway REST API (``kind='rest'``) or HTTP/WebSocket API (``'http'``, ``'websocket'``)."""

    kind: str = "rest"


@record
class Statement(Record):
    effect: str
    actions: list[str]
    resources: list[Target]  # ``Target(arn='*')`` for wildcards; patterns stay in ``arn``
    span: Span | None = None
    not_action: bool = False
    #: ``NotResource``: the statement covers every resource except ``resources``
    not_resource: bool = False
    #: whether the statement applies is not known for sure: it has a ``Condition`` (it depends on the request),
    #: or it belongs to a policy attached to roles that cannot be told (it may not be attached to this role)
    conditional: bool = False


@record
class Role(Node):
    statements: list[Statement] = field(default_factory=list)
    #: False when part of the role's permissions cannot be seen (managed policies, policies from elsewhere).
    complete: bool = True


@record
class CodeLocation(Record):
    """Where a function's code is, as the template says; the handlers stage turns it into files."""

    kind: Literal["dir", "file", "zip", "inline", "unknown"]
    path: str | None = None  # absolute path for dir/file/zip
    inline: str | None = None
    base_dir: str | None = None  # the directory of the project being linted; no file outside it is read
    entry_points: list[str] = field(default_factory=list)  # esbuild EntryPoints (relative to path)
    span: Span | None = None


@record
class AsyncConfig(Record):
    """Lambda's asynchronous invocation settings (``EventInvokeConfig``) for one qualifier."""

    resource: str
    span: Span
    qualifier: str = "$LATEST"
    max_retry_attempts: Val[int] = field(default_factory=lambda: default(defaults.ASYNC_RETRIES))
    max_event_age: Val[int] = field(default_factory=lambda: default(defaults.ASYNC_MAX_EVENT_AGE))
    on_failure: Target | None = None
    on_success: Target | None = None


@record
class Function(Node):
    runtime: Val[str] = field(default_factory=lambda: Val(Unknown("no runtime")))
    handler: Val[str] = field(default_factory=lambda: Val(Unknown("no handler")))
    timeout: Val[int] = field(default_factory=lambda: default(defaults.FUNCTION_TIMEOUT))
    reserved_concurrency: Val[int] | None = None  # None: not set
    dlq: Target | None = None
    #: where the function's dead-letter setting is written (the value of ``DeadLetterConfig``, SAM
    #: ``DeadLetterQueue``; the Terraform ``dead_letter_config`` block), for a fix to remove it whole
    dlq_config: Span | None = None
    async_configs: list[AsyncConfig] = field(default_factory=list)
    role: Target | None = None
    code: CodeLocation | None = None
    recursive_loop: Val[str] = field(default_factory=lambda: default(defaults.RECURSIVE_LOOP))
    package_type: str = "Zip"

    @property
    def on_failure(self) -> Target | None:
        for cfg in self.async_configs:
            if cfg.on_failure is not None:
                return cfg.on_failure
        return None


# ------------------------------------------------------------------------------------------------------ edges


@record
class Trigger(Record):
    """One way a function is invoked.

    ``service`` names the caller: ``sqs``, ``sns``, ``s3``, ``eventbridge``, ``schedule`` (EventBridge
    schedule rules), ``scheduler`` (EventBridge Scheduler), ``logs``, ``iot``, ``ses``, ``cognito``, ``alexa``,
    ``apigateway`` (REST), ``apigatewayv2`` (HTTP/WebSocket), ``alb``, ``url``, ``kinesis``, ``dynamodb``,
    ``msk``, ``kafka``, ``mq``, ``docdb``, ``codecommit``, ``config``, ``lambda`` (``InvocationType=Event``)...
    ``resource`` is where the trigger is declared (mapping, subscription, rule, permission, SAM function).
    """

    function: str
    mode: Mode
    service: str
    span: Span
    resource: str
    source: Target | None = None
    # poll-based mapping settings
    batch_size: Val[int] | None = None
    batching_window: Val[float] = field(default_factory=lambda: default(defaults.BATCHING_WINDOW))
    report_batch_item_failures: Val[bool] = field(default_factory=lambda: default(False))
    maximum_concurrency: Val[int] | None = None
    max_retry_attempts: Val[int] = field(default_factory=lambda: default(defaults.MAPPING_RETRIES))
    max_record_age: Val[int] = field(default_factory=lambda: default(defaults.MAPPING_MAX_RECORD_AGE))
    bisect: Val[bool] = field(default_factory=lambda: default(defaults.BISECT))
    on_failure: Target | None = None  # a mapping's DestinationConfig.OnFailure
    destination_config: Span | None = None  # where a mapping's DestinationConfig is written, if at all
    # sync settings
    api: str | None = None  # Api node id
    api_kind: str | None = None  # rest | http | websocket
    integration_timeout_ms: Val[int] | None = None
    proxy: bool = True
    response_transfer_mode: Any = None  # an API integration's ResponseTransferMode (STREAM or BUFFERED)
    payload_format_version: Any = None  # an HTTP API integration's payload format ("1.0" or "2.0")
    # async delivery: SNS subscription redrive / EventBridge target DLQ (delivery failures only)
    delivery_dlq: Target | None = None
    #: known only from a permission grant: no subscription, rule, mapping or integration says how it invokes
    via_permission: bool = False
    #: the function's own Events entry that declares this trigger (SAM), by its name
    event_name: str | None = None
    #: the event filter of the subscription, notification or mapping (FilterCriteria, S3 key filter), if any
    event_filter: Any = None
    #: the resource whose declaration makes this trigger, by its id in the input: the mapping, subscription,
    #: rule or target, permission, integration or authorizer. It differs from ``resource`` where the SAM
    #: transform makes it from a function's ``Events`` (``resource`` is then the function)
    declared_id: str | None = None
    #: known only from a permission: the service principal it grants, by its first label (``sns`` for
    #: ``sns.amazonaws.com``), which says what kinds of caller the grant may stand for
    principal: str | None = None
    #: a Lambda authorizer (of an API Gateway API, ``api``, or an IoT custom authorizer): the caller waits for its
    #: answer before it lets the request through
    authorizer: bool = False
    #: the alias or version of the function an event source mapping invokes, where its function name says so
    qualifier: str | None = None
    #: the operation of an OpenAPI body that integrates the function, as ``METHOD /path`` (``GET /orders``)
    route: str | None = None


@record
class FailureRoute(Record):
    """Where failures of ``source`` go.

    ``source`` is the node (queue, function) or trigger resource whose failures travel along this route.
    """

    kind: RouteKind
    source: str
    target: Target
    span: Span | None
    resource: str


@record
class Delivery(Record):
    """``source`` forwards what it receives to ``target`` with no function in between: an SNS topic's SQS
    subscription. ``filtered`` when a filter policy may keep some messages out."""

    source: str
    target: str
    span: Span | None
    resource: str
    filtered: bool = False


# ------------------------------------------------------------------------------------------------------ model


class Vocabulary:
    """How the user's input spells what a finding names: settings, resource kinds, whole fix hints.

    Rules word everything in CloudFormation's terms; a front-end whose language differs gives its Model a
    vocabulary that says the same in its own (``VisibilityTimeout`` → ``visibility_timeout_seconds``). A
    phrase is a ``str.format`` template, filled with the same fields in either language.
    """

    __slots__ = ("names", "phrases")

    def __init__(self, names: dict[str, str] | None = None, phrases: dict[str, str] | None = None) -> None:
        self.names = names or {}
        self.phrases = phrases or {}

    def name(self, term: str) -> str:
        return self.names.get(term, term)

    def phrase(self, template: str, **fields: str) -> str:
        return self.phrases.get(template, template).format(**fields)


#: CloudFormation and SAM: the terms the rules use
NATIVE = Vocabulary()


@record(slots=False)
class Model(Record):
    """Everything one template (or one Terraform module) says, as a graph."""

    file: str  # as the user gave it
    format: str  # cloudformation | sam | cdk | terraform
    base_dir: str = ""
    functions: dict[str, Function] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    streams: dict[str, Stream] = field(default_factory=dict)
    buckets: dict[str, Bucket] = field(default_factory=dict)
    buses: dict[str, EventBus] = field(default_factory=dict)
    apis: dict[str, Api] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    triggers: list[Trigger] = field(default_factory=list)
    routes: list[FailureRoute] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    #: every resource's id → (type, span), including the ones no rule reads
    resources: dict[str, tuple[str, Span]] = field(default_factory=dict)
    #: per-resource suppressions written in the template (resource id → codes or names)
    suppressions: dict[str, set[str]] = field(default_factory=dict)
    #: where each of those was written: (resource id, code or name as written) → the span of the Metadata
    #: ``ignore`` key or of the comment (for ``--warn-unused-suppressions``)
    suppression_at: dict[tuple[str, str], Span] = field(default_factory=dict)
    #: handler facts by function id, filled by the handlers stage when a HANDLER rule runs
    handler_facts: dict[str, HandlerFacts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: problems in what the template says to invlint itself (a misspelt ``Metadata`` key), shown as warnings
    warnings: list[str] = field(default_factory=list)
    #: input errors that lost part of the input while the rest was read (a broken block of a .tf file)
    errors: list[Any] = field(default_factory=list)
    #: Terraform: the root module's ``module`` blocks (address → span), to say through which one a finding in a
    #: shared child module is reached
    module_calls: dict[str, Span] = field(default_factory=dict)
    #: Terraform: values a module call's argument sets, by where the argument is written → that argument as the
    #: user writes it (``queue_visibility of module.orders``), for fix hints that name what to edit
    written_as: dict[Span, str] = field(default_factory=dict)
    #: CDK: each resource's construct path (``aws:cdk:path`` without its ``/Resource`` leaf), by logical id
    construct_paths: dict[str, str] = field(default_factory=dict)
    #: nested stack templates whose resources this model holds (paths as shown), each with the logical id of the
    #: template's stack resource that creates it; they are not checked again on their own
    nested_files: dict[str, str] = field(default_factory=dict)
    #: how this input spells settings and fix hints (rules never ask which format it is)
    vocabulary: Vocabulary = NATIVE

    def node(self, node_id: str | None) -> Node | None:
        if node_id is None:
            return None
        for table in (
            self.functions, self.queues, self.topics, self.streams, self.buckets, self.buses, self.apis,
            self.roles,
        ):
            if node_id in table:
                return table[node_id]
        return None

    def triggers_of(self, function_id: str) -> list[Trigger]:
        """The function's triggers. Indexed once per change of ``triggers``: rules ask this per function."""
        index = self.__dict__.get("_trigger_index")
        if index is None or index[0] != len(self.triggers):
            by_function: dict[str, list[Trigger]] = {}
            for t in self.triggers:
                by_function.setdefault(t.function, []).append(t)
            index = (len(self.triggers), by_function)
            self.__dict__["_trigger_index"] = index
        return list(index[1].get(function_id, ()))


if __name__ == "__main__":  # the classes' own module, not this copy run as a script
    from invocation_lint.model import write_record_inits

    write_record_inits()
