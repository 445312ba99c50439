"""Numbers as a person reads them in a finding's message."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def duration(seconds: int | float) -> str:
    """A number of seconds as a person reads it: ``30 s``, ``5 min``, ``12 h``, ``4 days``, ``1 day 6 h``.

    Exact: the largest units that add up to the value, at most two of them (``1 day 6 h``); a value that
    needs more keeps its seconds with an approximation (``100000 s (about 1.2 days)``), so numbers in a
    message can be checked against the template.
    """
    s = int(seconds)
    if s != seconds or s < 60:
        return f"{seconds:g} s"
    units = ((86400, "day", "days"), (3600, "h", "h"), (60, "min", "min"), (1, "s", "s"))
    parts: list[str] = []
    rest = s
    for size, one, many in units:
        if rest >= size:
            n, rest = divmod(rest, size)
            parts.append(f"{n} {one if n == 1 else many}")
    if len(parts) <= 2:
        return " ".join(parts)
    if s >= 86400:
        return f"{s} s (about {s / 86400:.1f} days)"
    if s >= 3600:
        return f"{s} s (about {s / 3600:.1f} h)"
    return f"{s} s (about {s / 60:.0f} min)"
