"""One CloudFormation resource as the builder reads it: written in the template, or made by the SAM transform."""

from __future__ import annotations

from typing import Any

from ...model import Record, field, record
from ...source import LDict, Span


@record(slots=False)
class Res(Record):
    """One resource as written (or as the SAM transform would write it)."""

    id: str
    type: str
    props: LDict
    span: Span
    origin: str = ""
    metadata: Any = None
    condition: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.origin:
            self.origin = self.id
