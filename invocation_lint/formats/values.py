"""Settings as numbers and booleans, the same for every front-end: templates write ``"30"`` and ``30``,
``"true"`` and ``true``; anything else is ``Unknown`` and no rule fires on it."""

from __future__ import annotations

from typing import Any

from ..model import Unknown


def as_int(v: Any) -> int | Unknown:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, bool):
        return Unknown("a boolean where a number belongs")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            try:
                f = float(v)
                return int(f) if f.is_integer() else Unknown(f"not a whole number: {v!r}")
            except ValueError:
                return Unknown(f"not a number: {v!r}")
    return Unknown("not a number")


def as_bool(v: Any) -> bool | Unknown:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    return Unknown("not a boolean")
