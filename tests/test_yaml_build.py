"""YAML nodes to values with spans: the values PyYAML's safe loader makes, the spans of every value, and the
limits (nesting, number of values) at the same place whichever way a value is built."""

from __future__ import annotations

import pytest
import yaml

from invocation_lint.formats import parse
from invocation_lint.formats.parse import _has_anchor, parse_yaml
from invocation_lint.source import InputError, Span

SCALARS = """\
dec: 12
zero: 0
zeros: 00
octal: 017
hex: 0x1F
under: 1_000
neg: -3
pos: +4
sexa: 1:30
big: 123456789012345678901234567890
arabic: \u0663
float: 1.5
bool: true
null: ~
text: hello
quoted: '12'
list: [1, 017, '2', x, 0x10, 7]
block:
  - 10
  - 010
  - ten
again: [12, '12', 12, true, "true", true, ~, '~', null]
"""


def test_values_are_what_the_safe_loader_makes() -> None:
    """Also when the same word comes back plain and quoted (each plain word's tag is resolved once)."""
    assert parse_yaml(SCALARS, "t.yaml") == yaml.safe_load(SCALARS)
    assert type(parse_yaml(SCALARS, "t.yaml")["dec"]) is int


def test_every_value_and_key_has_its_span() -> None:
    doc = parse_yaml("A:\n  n: 12\n  s: text\n  l:\n    - 3\n    - x\n  m: {k: 5}\n", "t.yaml")
    a = doc["A"]
    assert a.spans["n"] == Span("t.yaml", 2, 6, 2, 8)
    assert a.key_spans["n"] == Span("t.yaml", 2, 3, 2, 4)
    assert a.spans["s"] == Span("t.yaml", 3, 6, 3, 10)
    assert a["l"].spans == [Span("t.yaml", 5, 7, 5, 8), Span("t.yaml", 6, 7, 6, 8)]
    assert a["l"].span == Span("t.yaml", 5, 5, 6, 8)  # a block sequence ends with its last item
    assert a["m"].spans["k"] == Span("t.yaml", 7, 10, 7, 11)
    assert a.span == Span("t.yaml", 2, 3, 7, 12)  # a block mapping ends with its last value
    assert doc.span == Span("t.yaml", 1, 1, 7, 12)


@pytest.mark.parametrize(("text", "anchor"), [
    ("a: &x 1\n", True),
    ("&x a\n", True),
    ("a: [&x 1]\n", True),
    ("a: {b: &x 1}\n", True),
    ("- &x 1\n", True),
    ("a:\t&x 1\n", True),
    ("url: https://example.com/?a=1&b=2\n", False),
    ("a: b&c\n", False),
    ("a: & x\n", False),
    ("a: '&'\n", False),
    ("a: x\n", False),
])
def test_an_anchor_is_told_from_an_ampersand(text: str, anchor: bool) -> None:
    assert _has_anchor(text) is anchor


def test_aliases_still_resolve_beside_ampersands_in_text() -> None:
    doc = parse_yaml("u: https://x/?a=1&b=2\nbase: &b {x: 1, n: 017}\nd:\n  <<: *b\n  y: 2\nc: *b\n", "t.yaml")
    assert doc["d"] == {"x": 1, "n": 15, "y": 2}
    assert doc["c"] == {"x": 1, "n": 15}


@pytest.mark.parametrize(("text", "line"), [
    ("Items:\n" + "".join(f"  - item{i}\n" for i in range(12)), 10),  # plain strings in a sequence
    ("A:\n" + "".join(f"  k{i}: v\n" for i in range(12)) + "B: [x]\n", 14),  # counted by the next value
])
def test_the_value_limit_is_met_at_the_same_value(text: str, line: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_NODES", 10)
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "t.yaml")
    assert str(exc.value) == f"t.yaml:{line}: more than 10 values (or aliases expanding to them)"


@pytest.mark.parametrize("leaf", ["- v", "- 5", "k: 5", "k: {a: b}"])
def test_nesting_is_refused_past_the_limit_whatever_the_innermost_value(leaf: str) -> None:
    def nested(depth: int) -> str:
        return "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + leaf + "\n"

    parse_yaml(nested(parse.MAX_DEPTH - 1), "t.yaml")
    with pytest.raises(InputError, match=f"nesting deeper than {parse.MAX_DEPTH} levels"):
        parse_yaml(nested(parse.MAX_DEPTH), "t.yaml")
