"""Triggers known only from a Lambda permission, the same for every front-end.

A permission says only who *may* invoke a function. The shared builder (``build.ModelBuilder.permission``)
keeps one pending trigger per permission whose principal names a known service (``aws.PRINCIPALS``); after
every other resource is read, the pending triggers are added where no subscription, rule, mapping or integration already says the same caller invokes
the function.
"""

from __future__ import annotations

from ..model import Model, Target, Trigger
from ..source import Span
from .aws import PERMISSION_COVERS, PRINCIPALS, unknown_mode_note


def permission_trigger(function: str, principal: object, span: Span, resource: str,
                       source: Target | None) -> Trigger | None:
    """The trigger a permission for ``principal`` would add, or None for a principal no rule knows."""
    if not isinstance(principal, str):
        return None
    key = principal.split(".", 1)[0]
    entry = PRINCIPALS.get(key)
    if entry is None:
        return None
    service, mode = entry
    return Trigger(function, mode, service, span, resource, source=source, via_permission=True,  # type: ignore[arg-type]
                   principal=key)


def add_permission_triggers(model: Model, pending: list[tuple[Trigger, str | None]]) -> None:
    """Add each pending trigger whose caller is not already known to invoke its function; with each trigger the
    API node its source ARN names, if any.

    A resource of any caller the principal grants covers the permission (an IoT authorizer covers an ``iot``
    grant, an HTTP API integration an ``apigateway`` one). A trigger of unknown mode is noted for ``-v``.
    """
    have = {(t.function, t.service) for t in model.triggers}
    for trig, api_node in pending:
        principal = trig.principal or trig.service
        if any((trig.function, s) in have for s in PERMISSION_COVERS.get(principal, (trig.service,))):
            continue
        if trig.service == "apigateway":
            trig.api_kind = "rest"
            src = trig.source
            if api_node is not None:
                trig.api = api_node
                trig.api_kind = model.apis[api_node].kind
                if trig.api_kind != "rest":
                    trig.service = "apigatewayv2"
            elif src and src.unknown is None and src.arn is None:
                trig.api_kind = None
        if trig.mode == "unknown":
            model.notes.append(unknown_mode_note(trig))
        model.triggers.append(trig)
        have.add((trig.function, trig.service))
