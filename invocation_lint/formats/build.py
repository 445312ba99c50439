"""The Model, made the same way for every front-end.

A front-end (CloudFormation and SAM, Terraform HCL, JSON and plans) reads its own syntax: which settings a
resource has, in its own spelling, their values and where they are written. It hands them here as located
values (``Val``; None for a setting the input leaves out) and references (``Target``), and this builder makes
the nodes, triggers, failure routes and execution roles: the AWS defaults of ``defaults`` for what is left
out, and each decision (a queue named ``*.fifo`` is FIFO, a redrive policy is a failure route, a statement
or managed policy that cannot be read leaves a role's permissions partly unseen) taken once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from .. import defaults
from ..model import (
    Api,
    AsyncConfig,
    Bucket,
    CodeLocation,
    Delivery,
    EventBus,
    FailureRoute,
    Function,
    Mode,
    Model,
    Queue,
    Redrive,
    Role,
    RouteKind,
    Statement,
    Stream,
    Target,
    Topic,
    Trigger,
    Unknown,
    Val,
    default,
)
from ..source import LDict, LList, Span
from .aws import HARMLESS_MANAGED
from .invokers import rest_integration_mode
from .permissions import add_permission_triggers, permission_trigger


def _fifo(fifo: Val[Any] | None, name: Val[Any] | None, span: Span) -> Val[Any]:
    """A queue or topic is FIFO when it says so, or when its name ends in ``.fifo`` (which only a FIFO queue or
    topic may have)."""
    if fifo is not None:
        return fifo
    if name is not None and isinstance(name.value, str) and name.value.endswith(".fifo"):
        return Val(True, name.span)
    return default(False, span)


def _span_of(doc: Mapping[str, Any], key: Any, fallback: Span) -> Span:
    """Where ``key`` of a located mapping is written; ``fallback`` when that is not known."""
    return (doc.spans.get(key) if isinstance(doc, LDict) else None) or fallback


class Policy:
    """A policy of this input that is its own resource (a managed policy, or an inline policy written apart from
    its role): its statements, read once, go to each role it is attached to when every resource is read."""

    def __init__(self, id: str) -> None:
        self.id = id
        self.statements: list[Statement] = []
        #: False when part of what the policy grants cannot be read statically
        self.complete = True


class ModelBuilder:
    """Adds nodes, triggers and failure routes to ``model`` from what a front-end read."""

    def __init__(self, model: Model) -> None:
        self.m = model
        #: policies of this input by id, in the order they are written, and the roles each is attached to
        self._policies: dict[str, Policy] = {}
        self._attachments: dict[str, list[str | None]] = {}
        #: a managed policy from elsewhere that may grant something is attached to roles the input does not tell
        self._unknown_grants = False
        #: triggers known only from a permission, with the API its source names; added last
        self._permissions: list[tuple[Trigger, str | None]] = []

    # ---------------------------------------------------------------------------------------- roles, policies

    def add_role(self, id: str, type_: str, span: Span, origin: str) -> Role:
        """An IAM role; its statements arrive with ``add_statement`` from its own and its attached policies."""
        role = Role(id, type_, span, origin)
        self.m.roles[id] = role
        return role

    def add_policy(self, id: str) -> Policy:
        """A policy of this input; its statements arrive with ``add_statement``, its roles with ``attach_policy``
        (from the policy's own list of roles or from a role naming it, either side or both)."""
        policy = self._policies[id] = Policy(id)
        return policy

    def attach_policy(self, policy: str, role: str | None) -> None:
        """The policy ``policy`` of this input is attached to the role ``role``; None: to roles the input does not
        tell (a parameter, a variable), which may be any role of the input."""
        self._attachments.setdefault(policy, []).append(role)

    def managed_policy_of_unknown_roles(self, arn: object) -> None:
        """A managed policy that is not a policy of this input (``arn`` as for ``managed_policy``) is attached to
        roles the input does not tell: unless it grants nothing the rules ask about, what any role of the input
        grants is partly unseen."""
        if not (isinstance(arn, str) and arn.rsplit("/", 1)[-1] in HARMLESS_MANAGED):
            self._unknown_grants = True

    def attach_policies(self) -> None:
        """Once every resource is read: each role gets the statements of the policies attached to it, after its
        own, in the order the policies are written in the input (whichever side names the attachment); a policy
        that cannot be read fully leaves the role incomplete.

        A policy attached to roles the input does not tell may or may not apply to a given role: every other role
        gets its statements as statements whose application cannot be known (``conditional``), so that the
        permission checks answer neither "allowed" from what it grants nor "not allowed" for what it might grant
        or deny, and still answer for actions it does not mention."""
        roles = list(self.m.roles.values())
        if self._unknown_grants:
            for role in roles:
                self.role_incomplete(role)
        for policy_id in [*self._policies, *(p for p in self._attachments if p not in self._policies)]:
            policy = self._policies.get(policy_id)
            attached = self._attachments.get(policy_id, [])
            for role_id in attached:
                named = self.m.roles.get(role_id) if role_id is not None else None
                if named is not None and policy is not None:
                    named.statements.extend(policy.statements)
                if named is not None and (policy is None or not policy.complete):
                    self.role_incomplete(named)
            if None not in attached:
                continue
            for role in roles:
                if role.id in attached:
                    continue
                if policy is None or not policy.complete:
                    self.role_incomplete(role)
                for st in policy.statements if policy is not None else []:
                    role.statements.append(Statement(st.effect, st.actions, st.resources, st.span, st.not_action,
                                                     not_resource=st.not_resource, conditional=True))
        self._attachments.clear()

    @staticmethod
    def role_incomplete(role: Role | Policy) -> None:
        """Part of what ``role`` grants cannot be seen (a policy from elsewhere, a document or statement that
        cannot be read statically): the permission checks then never answer "not allowed" for it."""
        role.complete = False

    def managed_policy(self, role: Role, arn: object) -> None:
        """A managed policy attached to ``role`` that is not a policy of this input (whose statements arrive
        with the policy itself): ``arn`` the value written (``${...}`` for a part known only at deploy time). An
        AWS managed policy that grants none of the actions the rules ask about keeps the role complete; any
        other is invisible from here."""
        if isinstance(arn, str) and arn.rsplit("/", 1)[-1] in HARMLESS_MANAGED:
            return
        self.role_incomplete(role)

    def policy_statements(self, role: Role | Policy, document: object, span: Span) -> list[tuple[Mapping[Any, Any], Span]]:
        """The statements of a policy document (already parsed from JSON where it is written as a string), each
        with where it is written (``span`` when the document does not say). ``Statement`` may be one statement
        or a list; what is not a statement makes the role incomplete."""
        if not isinstance(document, Mapping):
            self.role_incomplete(role)
            return []
        statements = document.get("Statement")
        if isinstance(statements, Mapping):
            statements = [statements]
        if not isinstance(statements, list):
            self.role_incomplete(role)
            return []
        found: list[tuple[Mapping[Any, Any], Span]] = []
        for i, st in enumerate(statements):
            if not isinstance(st, Mapping):
                self.role_incomplete(role)
                continue
            where = (statements.span_of(i) if isinstance(statements, LList) else None) or getattr(st, "span", None)
            found.append((st, where or span))
        return found

    def add_statement(self, role: Role | Policy, span: Span | None, *, effect: object, actions: object, not_action: bool,
                      resources: list[Target] | None, not_resource: bool, conditional: bool) -> None:
        """One statement of a policy of ``role``: ``effect`` and ``actions`` (``NotAction`` when ``not_action``)
        the values written, ``resources`` what its ``Resource`` (``NotResource`` when ``not_resource``) names,
        None when it has neither; ``conditional`` whether it has a condition. A statement whose effect or actions
        are not plain strings cannot be read statically, and one without resources is not a valid statement
        (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html): either
        makes the role incomplete."""
        if isinstance(actions, str):
            actions = [actions]
        if (not isinstance(effect, str) or not isinstance(actions, list) or not all(isinstance(a, str) for a in actions)
                or resources is None):
            self.role_incomplete(role)
            return
        role.statements.append(Statement(effect, list(actions), resources, span, not_action,
                                         not_resource=not_resource, conditional=conditional))

    # ---------------------------------------------------------------------------------------- queues, topics

    def add_queue(self, id: str, type_: str, span: Span, origin: str, *, fifo: Val[Any] | None,
                  name: Val[Any] | None, visibility: Val[Any] | None, retention: Val[Any] | None) -> Queue:
        """An SQS queue: ``fifo`` its FifoQueue setting, ``name`` its QueueName (both None when not written)."""
        queue = Queue(
            id, type_, span, origin,
            fifo=_fifo(fifo, name, span),
            visibility_timeout=visibility if visibility is not None else default(defaults.QUEUE_VISIBILITY_TIMEOUT, span),
            retention=retention if retention is not None else default(defaults.QUEUE_RETENTION, span),
        )
        self.m.queues[id] = queue
        return queue

    def add_topic(self, id: str, type_: str, span: Span, origin: str, *, fifo: Val[Any] | None,
                  name: Val[Any] | None) -> Topic:
        topic = Topic(id, type_, span, origin, fifo=_fifo(fifo, name, span))
        self.m.topics[id] = topic
        return topic

    def set_redrive(self, queue: Queue, target: Target | None, max_receive: Val[Any] | None, span: Span,
                    declared_in: str) -> None:
        """The queue's redrive policy (``deadLetterTargetArn``, ``maxReceiveCount``), written at ``span`` in the
        resource ``declared_in`` (the queue itself or a separate redrive-policy resource). A later policy for
        the same queue replaces an earlier one."""
        self._forget_redrive(queue)
        if target is None:
            target = Target(unknown=Unknown("no deadLetterTargetArn"), span=span)
        if max_receive is None:
            max_receive = Val(Unknown("no maxReceiveCount"), span, True)
        queue.redrive = Redrive(target, max_receive, span, declared_in)
        self.m.routes.append(FailureRoute("queue-redrive", queue.id, target, span, declared_in))

    def redrive_unknown(self, queue: Queue, reason: Unknown) -> None:
        """The queue has a redrive policy that cannot be read statically."""
        self._forget_redrive(queue)
        queue.redrive = reason

    def _forget_redrive(self, queue: Queue) -> None:
        if isinstance(queue.redrive, Redrive):
            self.m.routes[:] = [r for r in self.m.routes if not (r.kind == "queue-redrive" and r.source == queue.id)]

    # ---------------------------------------------------------------------------------------- functions

    def add_function(self, id: str, type_: str, span: Span, origin: str, *, runtime: Val[Any] | None,
                     handler: Val[Any] | None, timeout: Val[Any] | None, recursive_loop: Val[Any] | None,
                     package_type: object, reserved_concurrency: Val[Any] | None, dlqs: list[Target],
                     role: Target | None, code: CodeLocation, dlq_config: Span | None = None) -> Function:
        """A Lambda function. ``dlqs``: the targets of its dead-letter configuration (the last one counts), and
        ``dlq_config`` where that configuration is written (for a fix that removes it); ``package_type`` the
        value written (``Zip`` unless it is a string)."""
        names = self.m.vocabulary
        fn = Function(
            id, type_, span, origin,
            runtime=runtime if runtime is not None else Val(
                Unknown(f"no {names.name('Runtime')} (container image or custom)"), span, True),
            handler=handler if handler is not None else Val(Unknown(f"no {names.name('Handler')}"), span, True),
            timeout=timeout if timeout is not None else default(defaults.FUNCTION_TIMEOUT, span),
            recursive_loop=recursive_loop if recursive_loop is not None else default(defaults.RECURSIVE_LOOP, span),
        )
        fn.package_type = package_type if isinstance(package_type, str) else "Zip"
        fn.reserved_concurrency = reserved_concurrency
        for t in dlqs:
            fn.dlq = t
            self.m.routes.append(FailureRoute("function-dlq", id, t, t.span, origin))
        fn.dlq_config = dlq_config
        fn.role = role
        if code.base_dir is None:
            code.base_dir = self.m.base_dir
        fn.code = code
        self.m.functions[id] = fn
        return fn

    def add_invoke_config(self, function: str, resource: str, span: Span, *, qualifier: object,
                          retries: Val[Any] | None, max_event_age: Val[Any] | None,
                          destinations: list[tuple[str, Target]]) -> AsyncConfig:
        """The asynchronous invocation settings of ``function`` for ``qualifier`` (``$LATEST`` unless a string
        is written). ``destinations``: ``("on_failure" | "on_success", target)`` in the order written."""
        cfg = AsyncConfig(resource, span, qualifier=qualifier if isinstance(qualifier, str) else "$LATEST")
        cfg.max_retry_attempts = retries if retries is not None else default(defaults.ASYNC_RETRIES, span)
        cfg.max_event_age = max_event_age if max_event_age is not None else default(defaults.ASYNC_MAX_EVENT_AGE, span)
        for which, t in destinations:
            setattr(cfg, which, t)
            kind: RouteKind = "on-failure" if which == "on_failure" else "on-success"
            self.m.routes.append(FailureRoute(kind, function, t, t.span, resource))
        self.m.functions[function].async_configs.append(cfg)
        return cfg

    # ---------------------------------------------------------------------------------------- event source mappings

    def add_mapping(self, function: str, service: str | None, span: Span, id: str, origin: str, source: Target | None,
                    *,
                    batch_size: Val[Any] | None, batching_window: Val[Any] | None,
                    report_batch_item_failures: Val[Any] | None, maximum_concurrency: Val[Any] | None,
                    max_retry_attempts: Val[Any] | None, max_record_age: Val[Any] | None, bisect: Val[Any] | None,
                    destination_config: Span | None, on_failures: list[Target], event_filter: Any,
                    qualifier: str | None) -> Trigger | None:
        """The trigger of an event source mapping ``id`` through which ``service`` polls for ``function``.

        ``service`` None: what polls cannot be told (``event_sources.mapping_service``); the mapping is then not
        checked, and ``-v`` says so. ``destination_config``: where the mapping's destination configuration is
        written (None: not at all); ``on_failures`` its on-failure destinations; ``qualifier`` the alias the
        mapping invokes, if any.
        """
        if service is None:
            self.m.notes.append(f"{id}: the event source of this mapping is not known; it is not checked")
            return None
        trig = Trigger(function, "poll-sqs" if service == "sqs" else "poll-stream", service, span, origin, source=source)
        trig.batch_size = batch_size if batch_size is not None else default(defaults.batch_size(service), span)
        trig.batching_window = batching_window if batching_window is not None else default(defaults.batching_window(service), span)
        if report_batch_item_failures is not None:
            trig.report_batch_item_failures = report_batch_item_failures
        if maximum_concurrency is not None:
            trig.maximum_concurrency = maximum_concurrency
        trig.max_retry_attempts = max_retry_attempts if max_retry_attempts is not None else default(
            defaults.MAPPING_RETRIES, span)
        trig.max_record_age = max_record_age if max_record_age is not None else default(defaults.MAPPING_MAX_RECORD_AGE, span)
        trig.bisect = bisect if bisect is not None else default(defaults.BISECT, span)
        trig.destination_config = destination_config
        for t in on_failures:
            trig.on_failure = t
            self.m.routes.append(FailureRoute("on-failure", id, t, t.span, origin))
        trig.event_filter = event_filter
        trig.declared_id = id
        trig.qualifier = qualifier or None
        self.m.triggers.append(trig)
        return trig

    # ---------------------------------------------------------------------------------------- triggers

    def delivery_dlq(self, trig: Trigger, target: Target, kind: RouteKind, id: str, origin: str) -> None:
        """The dead-letter queue of a caller's own delivery (an SNS subscription's redrive policy, an EventBridge
        or Scheduler target's dead-letter config), declared by resource ``id``."""
        trig.delivery_dlq = target
        self.m.routes.append(FailureRoute(kind, id, target, target.span, origin))

    def add_trigger(self, function: str | None, mode: str, service: str, span: Span, origin: str,
                    source: Target | None, declared_id: str, *, api: str | None = None, api_kind: str | None = None,
                    proxy: bool = True, integration_timeout_ms: Val[Any] | None = None,
                    response_transfer_mode: Any = None, payload_format_version: Any = None, event_filter: Any = None,
                    authorizer: bool = False, route: str | None = None) -> Trigger | None:
        """The trigger through which ``service`` invokes ``function`` (None: the input names no function of its
        own, and nothing is added), written at ``span`` in resource ``declared_id``.

        ``api``/``api_kind``/``proxy`` for API Gateway integrations and authorizers (``authorizer``), the
        integration's settings as written (None: not written), and the OpenAPI ``route`` that makes it.
        """
        if function is None:
            return None
        trig = Trigger(function, cast(Mode, mode), service, span, origin, source=source, api=api, api_kind=api_kind,
                       proxy=proxy, integration_timeout_ms=integration_timeout_ms,
                       response_transfer_mode=response_transfer_mode, payload_format_version=payload_format_version,
                       event_filter=event_filter, declared_id=declared_id, authorizer=authorizer, route=route)
        self.m.triggers.append(trig)
        return trig

    def caller(self, function: str | None, mode: str, service: str, span: Span, origin: str, declared_id: str,
               declared_span: Span, *, unknown_because: str | None = None) -> Trigger | None:
        """A trigger from resource ``declared_id`` (at ``declared_span``), which names the function and invokes it
        itself: the source is that resource. A mode that is not known statically is noted for ``-v``, with
        ``unknown_because`` (in the input's own spelling) or else the invocation type as the reason."""
        trig = self.add_trigger(function, mode, service, span, origin, Target(node=declared_id, span=declared_span),
                                declared_id)
        if trig is not None and mode == "unknown":
            because = unknown_because or f"{declared_id} invokes it with an invocation type"
            self.m.notes.append(f"{function}: {because} that is not known statically; its mode is unknown and no "
                                "mode-specific rule checks it")
        return trig

    def delivery(self, topic: Target | None, endpoint: Target | None, span: Span, origin: str, filtered: bool) -> None:
        """An SNS subscription that delivers ``topic``'s messages into the queue ``endpoint`` (``filtered``:
        through a filter policy); a topic or queue that is not in the input delivers nothing the rules follow."""
        if topic is not None and endpoint is not None and topic.node in self.m.topics and endpoint.node in self.m.queues:
            self.m.deliveries.append(Delivery(topic.node, endpoint.node, span, origin, filtered))

    # ---------------------------------------------------------------------------------------- permissions

    def permission(self, function: str | None, principal: object, span: Span, origin: str, source: Target | None,
                   declared_id: str, *, names_api: str | None = None, event_filter: Any = None) -> Trigger | None:
        """A Lambda permission ``declared_id`` that lets ``principal`` invoke ``function``: the trigger it would
        add, kept until ``add_permission_triggers`` (None: no function, or a principal no rule knows).

        ``source`` is its source ARN; ``names_api`` the API that ARN names where the front-end's own spelling
        says so (an API in the input that ``source`` refers to counts without it); ``event_filter`` the filter
        of the event that made the permission.
        """
        if function is None:
            return None
        trig = permission_trigger(function, principal, span, origin, source)
        if trig is None:
            return None
        trig.declared_id = declared_id
        if event_filter is not None:
            trig.event_filter = event_filter
        api = source.node if source is not None and source.node and source.node in self.m.apis else names_api
        self._permissions.append((trig, api))
        return trig

    def add_permission_triggers(self) -> None:
        """After every other resource is read: the permissions' triggers whose callers are not already known."""
        add_permission_triggers(self.m, self._permissions)

    # ---------------------------------------------------------------------------------------- mappings (continued)

    def consumer_stream(self, source: Target, stream: Target | None) -> Target:
        """The source of a mapping that reads through an enhanced fan-out consumer: the consumer's ``stream``
        (Kinesis), where it is known; else the consumer itself."""
        if stream is not None and stream.known:
            return Target(stream.node, stream.arn, None, "kinesis", source.span)
        return source

    # ---------------------------------------------------------------------------------------- API Gateway

    def openapi(self, body: Any, id: str, declared_span: Span, origin: str, kind: str, service: str, *,
                plain: Callable[[Any], Any], function: Callable[[Mapping[str, Any], str, Span], str | None],
                number: Callable[[Mapping[str, Any], str, Span], Val[Any] | None]) -> None:
        """The triggers of an API ``id`` (``kind`` rest/http/websocket) defined by an OpenAPI ``body`` (a located
        mapping): each ``x-amazon-apigateway-authorizer`` of its security schemes, and each operation's
        ``x-amazon-apigateway-integration`` that invokes a function.

        The front-end answers in its own terms: ``plain`` a literal for a value of the document, ``function``
        the function a key of a mapping names, ``number`` a whole-number setting (None when not written).
        """
        if not isinstance(body, Mapping):
            return
        source = Target(node=id, span=declared_span)
        schemes = body.get("securityDefinitions")
        components = body.get("components")
        if not isinstance(schemes, Mapping) and isinstance(components, Mapping):
            schemes = components.get("securitySchemes")
        if isinstance(schemes, Mapping):
            for name, scheme in schemes.items():
                auth = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, Mapping) else None
                if isinstance(auth, Mapping):
                    span = _span_of(schemes, name, declared_span)
                    self.add_trigger(function(auth, "authorizerUri", span), "sync", service, span, origin, source, id,
                                     api=id, api_kind=kind, proxy=False, authorizer=True)
        paths = body.get("paths")
        if not isinstance(paths, Mapping):
            return
        for path, ops in paths.items():
            if not isinstance(ops, Mapping):
                continue
            for method, op in ops.items():
                integ = op.get("x-amazon-apigateway-integration") if isinstance(op, Mapping) else None
                if not isinstance(integ, Mapping):
                    continue
                itype = plain(integ.get("type"))
                if not isinstance(itype, str) or itype.lower() not in ("aws_proxy", "aws"):
                    continue
                span = _span_of(ops, method, declared_span)
                self.add_trigger(function(integ, "uri", span), rest_integration_mode(itype, plain(integ.get(
                                     "requestParameters"))), service, span, origin, source, id,
                                 api=id, api_kind=kind, proxy=itype.lower() == "aws_proxy",
                                 integration_timeout_ms=number(integ, "timeoutInMillis", span),
                                 response_transfer_mode=plain(integ.get("responseTransferMode")),
                                 payload_format_version=plain(integ.get("payloadFormatVersion")),
                                 route=f"{str(method).upper()} {path}")

    def _api_kind(self, api: Target | None, default_kind: str) -> str:
        """The kind (rest, http, websocket) of the API ``api`` names; ``default_kind`` when it is not in the input."""
        return self.m.apis[api.node].kind if api is not None and api.node in self.m.apis else default_kind

    def api_authorizer(self, function: str | None, span: Span, origin: str, api: Target | None, declared_id: str, *,
                       v2: bool) -> Trigger | None:
        """A Lambda authorizer (``v2``: of an HTTP or WebSocket API) of ``api``: API Gateway waits for its answer."""
        return self.add_trigger(function, "sync", "apigatewayv2" if v2 else "apigateway", span, origin, api,
                                declared_id, api=api.node if api else None, api_kind=self._api_kind(api, "http" if v2 else "rest"),
                                proxy=False, authorizer=True)

    def api_v2_integration(self, function: str | None, span: Span, origin: str, api: Target | None, declared_id: str,
                           *, proxy: bool, integration_timeout_ms: Val[Any] | None,
                           payload_format_version: Any) -> Trigger | None:
        """A Lambda integration of an HTTP or WebSocket API (``api``; HTTP when it is not in the input): sync."""
        return self.add_trigger(function, "sync", "apigatewayv2", span, origin, api, declared_id,
                                api=api.node if api else None, api_kind=self._api_kind(api, "http"), proxy=proxy,
                                integration_timeout_ms=integration_timeout_ms,
                                payload_format_version=payload_format_version)

    def name_events(self, event_of: Mapping[str, str]) -> None:
        """Name each trigger declared by a resource the SAM transform makes from a function's ``Events`` entry
        (``event_of``: resource → event name) after that entry."""
        for trig in self.m.triggers:
            name = event_of.get(trig.declared_id or "")
            if name is not None:
                trig.event_name = name

    # ---------------------------------------------------------------------------------------- other nodes

    def add_stream(self, id: str, type_: str, span: Span, origin: str, service: str) -> Stream:
        """A Kinesis stream, or the stream of a DynamoDB table that has one (``service`` kinesis/dynamodb)."""
        stream = self.m.streams[id] = Stream(id, type_, span, origin, service=service)
        return stream

    def add_bucket(self, id: str, type_: str, span: Span, origin: str) -> Bucket:
        bucket = self.m.buckets[id] = Bucket(id, type_, span, origin)
        return bucket

    def add_bus(self, id: str, type_: str, span: Span, origin: str) -> EventBus:
        bus = self.m.buses[id] = EventBus(id, type_, span, origin)
        return bus

    def add_api(self, id: str, type_: str, span: Span, origin: str, *, v2: bool, protocol_type: object = None) -> Api:
        """An API Gateway REST API, or (``v2``) an HTTP API, or a WebSocket API when its protocol type says so."""
        kind = "rest" if not v2 else "websocket" if protocol_type == "WEBSOCKET" else "http"
        api = self.m.apis[id] = Api(id, type_, span, origin, kind=kind)
        return api

    # ---------------------------------------------------------------------------------------- functions (continued)

    def set_recursive_loop(self, function: str, value: Val[Any] | None) -> None:
        """A separate resource's recursive-loop setting for ``function`` (None: not written, nothing changes)."""
        if value is not None:
            self.m.functions[function].recursive_loop = value
