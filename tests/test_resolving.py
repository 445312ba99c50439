"""files.realpath inside resolving_once: the same answer as os.path.realpath, with each directory resolved once."""

from __future__ import annotations

import itertools
import os

import pytest

from invocation_lint import files


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "a" / "f").write_text("")
    (tmp_path / "a" / "b" / "f").write_text("")
    links = {
        "l1": "a/b", "a/l2": "../x", "l3": "l3", "a/b/dang": "/nonexistent/q", "x/y/up": "../../a",
        "a/lf": "f", "a/b/c/pp": "..", "a/abs": str(tmp_path / "x"), "l4": "l5", "l5": "l4", "a/self": ".",
    }
    for name, target in links.items():
        os.symlink(target, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


PARTS = ["a", "b", "c", "l1", "l2", "f", "lf", "dang", "pp", "up", "x", "y", "l3", "l4", "abs", "self", "..", ".",
         "zz", ""]


def test_every_path_resolves_as_realpath_does(tree):
    paths = ["/".join(p) for n in (1, 2, 3) for p in itertools.product(PARTS, repeat=n)]
    paths = [p for p in paths if p] + [str(tree / p) for p in ("a/b/f", "l1/f", "a/l2/y/up/lf", "x/y/up/../f")]
    with files.resolving_once():
        for _ in range(2):  # the second time from what the first one learnt
            for p in paths:
                assert files.realpath(p) == os.path.realpath(p), p


def test_a_symlink_out_of_the_root_is_outside_with_or_without_the_cache(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "secret").write_text("x")
    os.symlink(outside, tree / "a" / "out")
    os.symlink(outside / "secret", tree / "a" / "b" / "s")
    for path in ("a/out/secret", "a/b/s", "l1/s"):
        assert not files.inside(path, str(tree))
        with files.resolving_once():
            assert not files.inside(path, str(tree))
            assert files.inside("a/b/f", str(tree)) and files.inside("l1/f", str(tree))
            assert files.refusal(path, str(tree)) is not None


def test_the_cache_lives_only_as_long_as_the_block(tree):
    with files.resolving_once():
        assert files.realpath("l1/f") == str(tree / "a" / "b" / "f")
        with files.resolving_once():  # nested: the same cache
            assert files._REAL_DIRS
    assert files._REAL_DIRS is None
    os.remove(tree / "l1")
    os.symlink("x", tree / "l1")
    with files.resolving_once():
        assert files.realpath("l1/f") == str(tree / "x" / "f")
