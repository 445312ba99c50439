"""Modules and regular expressions made on first use.

Every ``invlint check`` pays for what its modules do at import time, whether the run needs it or not: a
module such as ``json`` (~1 ms with the patterns it compiles) that a YAML template never reaches, or a pattern
that only a fix or a Terraform plan uses (compiling one takes 0.05-0.4 ms). ``module("json")`` and
``regex(r"...")`` stand in for them at module level and do the work the first time they are used; after that,
a call costs what a call on the real object costs.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, AnyStr


class _Module:
    """Stands in for a module: imports it on first attribute access, then hands out its attributes."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        module = sys.modules.get(self._name)
        if module is None:
            import importlib

            module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def module(name: str) -> Any:
    """The module ``name``, imported when one of its attributes is first read (``json.loads``)."""
    return _Module(name)


_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer", "pattern", "flags",
            "groups", "groupindex")


class _Pattern:
    """Stands in for a compiled pattern: compiles it on first use and keeps the compiled methods as its own."""

    def __init__(self, source: str | bytes, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, attr: str) -> Any:
        if attr not in _METHODS:
            raise AttributeError(attr)
        compiled = re.compile(self._source, self._flags)
        for name in _METHODS:  # later look-ups find the compiled pattern's own methods, not this function
            self.__dict__[name] = getattr(compiled, name)
        return self.__dict__[attr]

    def __repr__(self) -> str:
        return f"re.compile({self._source!r}) (compiled on first use)"


def regex(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)``, compiled when first used; only its methods and attributes are read
    (``regex(...).search(text)``): it is not a ``re.Pattern`` for ``re.sub(pattern, ...)`` or ``isinstance``."""
    stand_in: Any = _Pattern(source, flags)
    return stand_in  # typed as what it stands for: only the methods are read


if TYPE_CHECKING:
    import json
else:
    #: ``json``: a YAML template and its text report never use it
    json = module("json")
