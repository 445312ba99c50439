"""One CloudFormation resource as the builder reads it: written in the template, or made by the SAM transform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...source import LDict, Span


@dataclass
class Res:
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
