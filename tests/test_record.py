"""The Model's record classes: ``__init__`` from annotations, defaults, slots, frozen, ``fields``/``replace``."""

from __future__ import annotations

import pickle

import pytest

from invocation_lint.model import FrozenInstanceError, Record, field, fields, record, replace


@record
class Base(Record):
    a: int
    b: list[int] = field(default_factory=list)
    c: str = "c"


@record
class Child(Base):
    d: int = 4

    def __post_init__(self) -> None:
        self.c = self.c.upper()


@record(slots=False, frozen=True)
class Key(Record):
    x: str
    y: int = 0


@record(slots=False)
class Open(Record):
    items: dict[str, int] = field(default_factory=dict)
    flag: bool = False


def test_init_takes_the_bases_fields_first_with_their_defaults() -> None:
    c = Child(1, [2], "x", 5)
    assert (c.a, c.b, c.c, c.d) == (1, [2], "X", 5)
    assert [f.name for f in fields(Child)] == ["a", "b", "c", "d"]
    assert Child.__match_args__ == ("a", "b", "c", "d")
    d = Child(a=1)
    assert (d.b, d.c, d.d) == ([], "C", 4)
    assert Base(1).b is not Base(1).b  # a new list per instance
    with pytest.raises(TypeError):
        Base()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Base(1, z=2)  # type: ignore[call-arg]


def test_slotted_records_take_no_other_attribute() -> None:
    assert Base.__slots__ == ("a", "b", "c") and Child.__slots__ == ("d",)
    with pytest.raises(AttributeError):
        Base(1).other = 2  # type: ignore[attr-defined]
    o = Open()
    o.__dict__["extra"] = 1  # not slotted: a __dict__, class-level defaults kept
    assert Open.flag is False and "items" not in Open.__dict__


def test_eq_repr_and_hash() -> None:
    assert Base(1, [2]) == Base(1, [2]) and Base(1) != Base(2) and Base(1) != Child(1)
    assert repr(Child(1)) == "Child(a=1, b=[], c='C', d=4)"
    with pytest.raises(TypeError):
        hash(Base(1))
    assert hash(Key("k", 1)) == hash(("k", 1)) and {Key("k"): 1}[Key("k")] == 1
    with pytest.raises(FrozenInstanceError):
        Key("k").x = "j"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Key("k").y  # type: ignore[misc]


def test_replace_and_pickle() -> None:
    c = Child(1, [2], "x", 5)
    r = replace(c, d=6)
    assert type(r) is Child and (r.a, r.b, r.c, r.d) == (1, [2], "X", 6) and c.d == 5
    assert replace(Key("k", 1), y=2) == Key("k", 2)
    for obj in (c, Key("k", 1), Open({"a": 1}, True)):
        assert pickle.loads(pickle.dumps(obj)) == obj


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b'"):
        @record
        class Bad(Record):
            a: int = 0
            b: int  # type: ignore[misc]


def test_records_of_one_shape_keep_their_own_names_defaults_and_factories() -> None:
    @record
    class One(Record):
        a: int
        b: list[int] = field(default_factory=list)

    @record
    class Two(Record):
        x: str
        y: dict[str, int] = field(default_factory=dict)

    assert (One(1).a, One(1).b, Two("t").x, Two("t").y) == (1, [], "t", {})
    assert One(a=2, b=[3]) == One(2, [3]) and Two(x="u").y is not Two(x="u").y
    with pytest.raises(TypeError, match=r"One\.__init__\(\) missing 1 required positional argument: 'a'"):
        One()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'a'"):
        Two(a=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes from 2 to 3 positional arguments but 4 were given"):
        One(1, [], 3)  # type: ignore[call-arg]


def test_field_names_may_be_any_identifier_but_self() -> None:
    @record(slots=False, frozen=True)
    class Odd(Record):
        _M: int  # the names the generated code uses for its own values
        _f1: list[int] = field(default_factory=list)
        _a0: str = "a"

    o = Odd(1)
    assert (o._M, o._f1, o._a0) == (1, [], "a") and Odd(1) == Odd(1, [], "a")
    with pytest.raises(FrozenInstanceError):
        o._M = 2  # type: ignore[misc]
    with pytest.raises(TypeError, match="'self'"):
        @record
        class Bad(Record):
            self: int


def test_a_subclass_without_its_own_fields_uses_the_base_init() -> None:
    class Plain(Base):
        pass

    p = Plain(1)
    assert (p.a, p.b, p.c) == (1, [], "c") and Base(1).c == "c" and type(p).__init__ is Base.__init__


def test_the_package_records_use_the_templates_compiled_with_it() -> None:
    """``record_inits.py`` holds the template of every record class of the package, as the generator writes it
    (after adding a record class of a new shape: ``python -m invocation_lint.model``)."""
    from pathlib import Path

    from invocation_lint import record_inits
    from invocation_lint.model import Model, Val, _shape, _template_name, record_inits_source

    written = Path(record_inits.__file__).read_text(encoding="utf-8")
    assert written == record_inits_source(), "record_inits.py is out of date: python -m invocation_lint.model"
    Model("t.yaml", "sam")
    Val(1)
    for cls in (Model, Val):
        assert cls.__init__.__code__.co_filename == record_inits.__file__
        assert cls.__init__.__code__.co_name == "__init__"
    Base(1)
    compiled_here = not hasattr(record_inits, _template_name(*_shape(Base)))  # a shape the package lacks
    assert (Base.__init__.__code__.co_filename == "<record>") == compiled_here
