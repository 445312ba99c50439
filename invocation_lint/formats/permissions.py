"""Triggers known only from a Lambda permission, the same for every front-end.

A permission says only who *may* invoke a function. A front-end collects one pending trigger per permission
whose principal names a known service (``aws.PRINCIPALS``); after every other resource is read, the pending
triggers are added where no subscription, rule, mapping or integration already says the same caller invokes
the function.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Model, Target, Trigger
from ..source import Span
from .aws import PRINCIPALS

#: services that invoke under more than one trigger service name (an EventBridge grant covers schedules too)
_ALIASES = {"eventbridge": ("eventbridge", "schedule")}


def permission_trigger(function: str, principal: object, span: Span, resource: str,
                       source: Target | None) -> Trigger | None:
    """The trigger a permission for ``principal`` would add, or None for a principal no rule knows."""
    if not isinstance(principal, str):
        return None
    entry = PRINCIPALS.get(principal.split(".", 1)[0])
    if entry is None:
        return None
    service, mode = entry
    return Trigger(function, mode, service, span, resource, source=source, via_permission=True)  # type: ignore[arg-type]


def add_permission_triggers(model: Model, pending: list[Trigger],
                            api_of_source: Callable[[Target | None], str | None]) -> None:
    """Add each pending trigger whose caller is not already known to invoke its function."""
    have = {(t.function, t.service) for t in model.triggers}
    if "apigateway" in {t.service for t in pending}:
        have |= {(t.function, "apigateway") for t in model.triggers if t.service == "apigatewayv2"}
        have |= {(t.function, "apigatewayv2") for t in model.triggers if t.service == "apigateway"}
    for trig in pending:
        if any((trig.function, s) in have for s in _ALIASES.get(trig.service, (trig.service,))):
            continue
        if trig.service == "apigateway":
            trig.api_kind = "rest"
            src = trig.source
            api_node = api_of_source(src)
            if api_node is not None:
                trig.api = api_node
                trig.api_kind = model.apis[api_node].kind
                if trig.api_kind != "rest":
                    trig.service = "apigatewayv2"
            elif src and src.unknown is None and src.arn is None:
                trig.api_kind = None
        model.triggers.append(trig)
        have.add((trig.function, trig.service))
