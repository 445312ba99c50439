"""What a check learns once and reuses (a path's place, a handler file's source, a module's nodes) gives the
answers it gives when asked afresh."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from invocation_lint import files
from invocation_lint.handlers import analyse_function, analyse_model, python
from invocation_lint.handlers.locate import Source, locate, reading_once
from invocation_lint.load import load_path
from invocation_lint.source import InputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "secret.py").write_text("x = 1\n")
    (outside / "dir").mkdir()
    root = tmp_path / "project"
    (root / "src" / "lib").mkdir(parents=True)
    (root / "src" / "app.py").write_text("def handler(e, c):\n    return None\n")
    (root / "src" / "lib" / "store.py").write_text("def save(r):\n    pass\n")
    links = {
        "src/in.py": "app.py", "src/out.py": str(outside / "secret.py"), "src/dang.py": "nowhere.py",
        "src/outdir": str(outside / "dir"), "src/indir": "lib", "src/loop.py": "loop.py",
    }
    for name, target in links.items():
        os.symlink(target, root / name)
    os.mkfifo(root / "src" / "fifo.py")
    monkeypatch.chdir(root)
    return root


PATHS = ["src/app.py", "src/in.py", "src/out.py", "src/dang.py", "src/outdir", "src/indir", "src/indir/store.py",
         "src/loop.py", "src/fifo.py", "src/missing.py", "src/lib", "src/lib/../app.py", "src/app.py/x", "src"]


def test_refusal_and_inside_answer_the_same_within_a_check(project: Path) -> None:
    roots = [str(project), "src/lib", str(project / "src" / "lib"), None]
    paths = PATHS + [str(project / p) for p in PATHS]
    fresh = [(files.refusal(p, r, directory=d), r is None or files.inside(p, r))
             for p in paths for r in roots for d in (False, True)]
    with files.resolving_once():
        for _ in range(2):  # the second time from what the first one learnt
            again = [(files.refusal(p, r, directory=d), r is None or files.inside(p, r))
                     for p in paths for r in roots for d in (False, True)]
            assert again == fresh
    assert files.refusal("src/out.py", str(project)) is not None
    assert files.refusal("src/fifo.py", str(project)) is not None
    assert files.refusal("src/in.py", str(project)) is None


def test_a_null_byte_in_a_path_fails_as_it_did(project: Path) -> None:
    with pytest.raises(ValueError):
        files.refusal("src/a\0b.py", str(project))


@pytest.mark.parametrize("size", [0, 1, 4095, 1024 * 1024, 3 * 1024 * 1024 + 7, 4 * 1024 * 1024])
def test_read_limited_reads_the_whole_file_up_to_the_limit(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    (tmp_path / "f").write_bytes(data)
    assert files.read_limited(str(tmp_path / "f"), "f", 4 * 1024 * 1024, str(tmp_path)) == data


def test_read_limited_refuses_one_byte_over_the_limit(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"y" * 1001)
    with pytest.raises(InputError, match="file is"):
        files.read_limited(str(tmp_path / "f"), "f", 1000, str(tmp_path))
    assert files.read_limited(str(tmp_path / "f"), "f", 1001, str(tmp_path)) == b"y" * 1001


def test_read_limited_reads_a_file_that_says_it_is_empty() -> None:
    # /proc files are regular files of size 0 whose bytes come when read
    path = "/proc/self/status"
    if not os.path.exists(path):
        pytest.skip("no /proc")
    assert files.read_limited(path, path, 1024 * 1024, None).startswith(b"Name:")


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
{functions}
"""

FUNCTION = """\
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: {code}
      Handler: {handler}
"""


def _model(root: Path, functions: list[tuple[str, str, str]]):
    body = "".join(FUNCTION.format(name=n, code=c, handler=h) for n, c, h in functions)
    (root / "template.yaml").write_text(TEMPLATE.format(functions=body))
    (model,) = load_path(str(root / "template.yaml"))
    return model


def test_functions_sharing_a_handler_file_get_what_each_would_get_alone(project: Path) -> None:
    (project / "src" / "two.py").write_text(
        "from lib.store import save\n\n\ndef handler(event, context):\n    for r in event['Records']:\n"
        "        save(r)\n\n\ndef other(event, context):\n    try:\n        pass\n    except Exception:\n"
        "        pass\n    return {'batchItemFailures': []}\n")
    functions = [("A", "src/", "app.handler"), ("B", "src/", "two.handler"), ("C", "src/", "two.other"),
                 ("D", "src/", "two.handler"), ("E", "src/", "out.handler"), ("F", "src/", "dang.handler"),
                 ("G", "src/", "fifo.handler"), ("H", "src/", "missing.handler"), ("I", "src/", "in.handler"),
                 ("J", "nosuch/", "app.handler"), ("K", "src/lib/", "store.save"), ("L", "src/indir/", "store.save")]
    model = _model(project, functions)
    with files.resolving_once():
        analyse_model(model)
    for fid, fn in model.functions.items():  # each alone: nothing read, parsed or located before
        notes: list[str] = []
        alone = analyse_function(fid, fn, model.base_dir, notes=notes)
        assert alone == model.handler_facts.get(fid), fid
        assert all(n in model.notes for n in notes), fid
    assert model.handler_facts["B"].file == model.handler_facts["D"].file
    assert model.handler_facts["B"].called_from and model.handler_facts["I"].analysed
    assert "E" not in model.handler_facts and "G" not in model.handler_facts


def test_a_located_source_is_the_one_found_without_the_cache(project: Path) -> None:
    model = _model(project, [("A", "src/", "app.handler"), ("B", "src/", "in.handler"), ("C", "src/", "out.handler")])
    fresh = [locate(fn, model.base_dir) for fn in model.functions.values()]
    with reading_once():
        for _ in range(2):
            again = [locate(fn, model.base_dir) for fn in model.functions.values()]
            for a, b in zip(fresh, again, strict=True):
                assert type(a) is type(b)
                if isinstance(a, Source):
                    assert (a.text, a.display, a.function_name, a.root_prefix) == (
                        b.text, b.display, b.function_name, b.root_prefix)  # type: ignore[union-attr]
                else:
                    assert a == b


def _python_sources() -> list[Path]:
    return sorted((ROOT / "invocation_lint").rglob("*.py")) + sorted((ROOT / "fixtures").rglob("*.py"))


MARKERS = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


@pytest.mark.parametrize("path", _python_sources()[:400], ids=lambda p: str(p.relative_to(ROOT)))
def test_children_are_the_child_nodes_less_the_markers(path: Path) -> None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        pytest.skip("does not parse")
    for node in ast.walk(tree):
        assert python._children(node) == [c for c in ast.iter_child_nodes(node) if not isinstance(c, MARKERS)]


def test_own_nodes_from_the_parent_map_are_the_walked_ones() -> None:
    text = (ROOT / "invocation_lint" / "handlers" / "python.py").read_text()
    file = python._File(ast.parse(text), "python.py", 0, 0)
    for node in ast.walk(file.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ExceptHandler, ast.For)):
            assert file.own(node) == list(python._own_nodes(node))


SAM = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n'


def test_virtual_environments_are_told_by_their_pyvenv_cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from invocation_lint.discover import discover

    root = tmp_path / "repo"
    for d in ("venvlike", "dangling", "cfgdir", "plain/deeper", "venvlike/sub", "cfgdir/sub", "dangling/sub",
              "linked", "linked/sub"):
        (root / d).mkdir(parents=True)
        (root / d / "t.yaml").write_text(SAM)
        (root / d / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    (root / "t.yaml").write_text(SAM)
    (root / "pyvenv.cfg").write_text("home = /usr\n")  # the directory given is checked whatever it holds
    (root / "venvlike" / "pyvenv.cfg").write_text("home = /usr\n")
    os.symlink("nowhere", root / "dangling" / "pyvenv.cfg")  # not there: not a virtual environment
    (root / "cfgdir" / "pyvenv.cfg").mkdir()  # there (a directory): one, as os.path.exists says
    os.symlink(root / "venvlike" / "pyvenv.cfg", root / "linked" / "pyvenv.cfg")
    (root / "plain" / "deeper" / "pyvenv.cfg").write_text("")
    monkeypatch.chdir(tmp_path)
    inputs, errors = discover(["repo"])
    assert not errors
    assert [(i.kind, i.display) for i in inputs] == [
        ("template", "repo/t.yaml"),
        ("terraform", "repo/dangling"), ("template", "repo/dangling/t.yaml"),
        ("terraform", "repo/dangling/sub"), ("template", "repo/dangling/sub/t.yaml"),
    ]  # plain/ holds only plain/deeper, a virtual environment


JS = """\
export const handler = async (event) => {
  for (const record of event.Records) {
    try {
      await save(record, () => { if (a) { if (b) { if (c) { throw new Error("x"); } } } });
    } catch (e) {
      failed = true;
    }
  }
  return { batchItemFailures: [] };
};
function save(r, cb) { return [1, 2, 3].map((x) => x + 1); }
"""


@pytest.mark.parametrize("deep", [1, 3, 6, 8, 12, 300])
@pytest.mark.parametrize("most", [1, 10, 40, 60, 200_000])
def test_a_javascript_function_is_too_large_exactly_when_it_was(monkeypatch: pytest.MonkeyPatch, deep: int,
                                                               most: int) -> None:
    from invocation_lint.handlers import javascript

    monkeypatch.setattr(javascript, "MAX_DEPTH", deep)
    monkeypatch.setattr(javascript, "MAX_NODES", most)
    file = javascript._parse(JS, "app.js", "javascript", 0, 0, "app.js")
    assert isinstance(file, javascript._File)
    functions = [n for n, _ in javascript._walk(file.root) if n.type in javascript.FUNCTION_TYPES]
    assert len(functions) >= 4
    for fn in functions * 2:  # the second time from what the first one learnt
        assert javascript._too_large(fn, file) == javascript._too_large(fn)
        if javascript._too_large(fn) is None:
            assert file.walked(fn) == list(javascript._walk(fn))
    for fn in functions:  # walked first for another check, asked after
        fresh = javascript._parse(JS + "\n", "app.js", "javascript", 0, 0, "app.js")
        assert isinstance(fresh, javascript._File)
        same = next(n for n, _ in javascript._walk(fresh.root) if n.start_byte == fn.start_byte
                    and n.type == fn.type)
        fresh.walked(same)
        assert javascript._too_large(same, fresh) == javascript._too_large(same)


def test_relative_paths_are_relpaths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools

    from invocation_lint.handlers.locate import _relative, display_path

    (tmp_path / "a" / "b").mkdir(parents=True)
    parts = ["a", "b", "..", ".", "", "..x", str(tmp_path)[1:]]
    cases = {str(tmp_path), str(tmp_path / "a"), "/", "//", ""}
    for n in (1, 2, 3):
        for combo in itertools.product(parts, repeat=n):
            p = "/".join(combo)
            cases |= {p, "/" + p, "//" + p, f"{tmp_path}/{p}", p + "/"}
    starts = [str(tmp_path), str(tmp_path / "a"), f"{tmp_path}/a/", "/", ".", "a", "a/../a", "//" + str(tmp_path)[1:]]

    def outcome(f, *args):  # type: ignore[no-untyped-def]
        try:
            return f(*args)
        except ValueError as exc:
            return type(exc)

    def old_display(path: str) -> str:
        absolute = os.path.abspath(path)
        rel = os.path.relpath(absolute)
        return absolute if rel.startswith("..") else rel

    for cwd in (tmp_path / "a", Path("/"), tmp_path):
        monkeypatch.chdir(cwd)
        for c in sorted(cases):
            assert outcome(display_path, c) == outcome(old_display, c), (cwd, c)
            for s in starts:
                assert outcome(_relative, c, s) == outcome(os.path.relpath, c, s), (cwd, c, s)
