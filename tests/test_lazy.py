"""Modules and patterns made on first use behave as the real ones."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from invocation_lint.lazy import module, regex


def test_a_lazy_pattern_compiles_on_first_use_and_behaves_as_compiled() -> None:
    lazy = regex(r"(a+)(b)?")
    assert "match" not in vars(lazy)  # nothing compiled yet
    real = re.compile(r"(a+)(b)?")
    text = "xaab aaa b"
    assert lazy.search(text).span() == real.search(text).span()  # type: ignore[union-attr]
    assert lazy.match("aab").groups() == ("aa", "b")  # type: ignore[union-attr]
    assert lazy.match("x") is None
    assert lazy.sub("-", text) == real.sub("-", text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text) and lazy.pattern == r"(a+)(b)?" and lazy.groups == 2
    assert vars(lazy)["match"].__self__ is vars(lazy)["search"].__self__  # compiled once
    assert regex(rb"^x", re.M).findall(b"x\nx") == [b"x", b"x"]
    with pytest.raises(AttributeError):
        lazy.nothing  # type: ignore[attr-defined]  # noqa: B018


def test_a_lazy_module_imports_on_first_attribute() -> None:
    code = (
        "import sys\n"
        "from invocation_lint.lazy import module\n"
        "m = module('colorsys')\n"
        "before = 'colorsys' in sys.modules\n"
        "f = m.rgb_to_hsv\n"
        "print(before, f is sys.modules['colorsys'].rgb_to_hsv, f(0, 0, 1))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "(0.6666666666666666,", "1.0,", "1)"]
    with pytest.raises(AttributeError):
        module("json").no_such_name  # noqa: B018
