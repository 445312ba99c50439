"""Locating handler source: directories, files, zip packages, inline code; never outside the project."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from invocation_lint.handlers import analyse_function
from invocation_lint.handlers.locate import Missing, NoSource, Source, locate, split_handler
from invocation_lint.model import CodeLocation, Function, Val
from invocation_lint.source import Span

ROOT = Path(__file__).resolve().parent.parent.parent


def fn(code: CodeLocation, handler: str = "app.handler", runtime: str = "python3.12") -> Function:
    return Function("Fn", "AWS::Lambda::Function", Span("template.yaml", 3), runtime=Val(runtime),
                    handler=Val(handler, Span("template.yaml", 5)), code=code)


def loc(kind: str, path: Path | None, base: Path, **kw: object) -> CodeLocation:
    return CodeLocation(kind, path=str(path) if path else None, base_dir=str(base),  # type: ignore[arg-type]
                        span=Span("template.yaml", 6), **kw)  # type: ignore[arg-type]


def test_split_handler() -> None:
    assert split_handler("src/handlers/app.handler", "python") == ("src/handlers/app", "handler")
    assert split_handler("pkg.mod.handler", "python") == ("pkg/mod", "handler")
    assert split_handler("src/index.handlers.main", "javascript") == ("src/index", "handlers.main")
    assert split_handler("../escape.handler", "python") is None
    assert split_handler("nodot", "python") is None


def test_dir_python_and_package(tmp_path: Path) -> None:
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("def handler(e, c):\n    return None\n")
    got = locate(fn(loc("dir", tmp_path / "src", tmp_path), "pkg.handler"), str(tmp_path))
    assert isinstance(got, Source) and got.text.startswith("def handler") and got.function_name == "handler"


def test_missing_file_in_existing_dir(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text("x = 1\n")
    got = locate(fn(loc("dir", tmp_path, tmp_path)), str(tmp_path))
    assert isinstance(got, Missing) and got.what == "file" and got.span == Span("template.yaml", 5)


def test_compiled_module_is_not_missing(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text("x = 1\n")
    (tmp_path / "app.cpython-312-x86_64-linux-gnu.so").write_bytes(b"\0")
    assert isinstance(locate(fn(loc("dir", tmp_path, tmp_path)), str(tmp_path)), NoSource)


def test_missing_code_dir(tmp_path: Path) -> None:
    # a whole missing directory is code that is not here (not built, not checked out): a note, no finding
    got = locate(fn(loc("dir", tmp_path / "src", tmp_path)), str(tmp_path))
    assert isinstance(got, NoSource) and "does not exist: the handler is not checked" in got.note
    # nor is a build output directory that has not been built yet
    assert isinstance(locate(fn(loc("dir", tmp_path / "dist" / "fn", tmp_path)), str(tmp_path)), NoSource)


def test_outside_the_project_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    project = tmp_path / "project"
    outside.mkdir()
    project.mkdir()
    (outside / "app.py").write_text("def handler(e, c):\n    pass\n")
    assert isinstance(locate(fn(loc("dir", outside, project)), str(project)), NoSource)
    assert isinstance(locate(fn(loc("dir", project / ".." / "outside", project)), str(project)), NoSource)
    os.symlink(outside / "app.py", project / "app.py")  # a symlink out of the project is not followed
    got = locate(fn(loc("dir", project, project)), str(project))
    assert not isinstance(got, Source)


def test_node_prefers_js_then_typescript_source(tmp_path: Path) -> None:
    (tmp_path / "index.ts").write_text("export const handler = async () => {};\n")
    got = locate(fn(loc("dir", tmp_path, tmp_path), "index.handler", "nodejs20.x"), str(tmp_path))
    assert isinstance(got, Source) and got.language == "typescript"
    (tmp_path / "index.mjs").write_text("export const handler = async () => {};\n")
    got = locate(fn(loc("dir", tmp_path, tmp_path), "index.handler", "nodejs20.x"), str(tmp_path))
    assert isinstance(got, Source) and got.language == "javascript" and got.display.endswith("index.mjs")


def test_esbuild_entry_point(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.ts").write_text("export const lambdaHandler = async () => {};\n")
    code = loc("dir", tmp_path, tmp_path, entry_points=["src/main.ts"])
    got = locate(fn(code, "main.lambdaHandler", "nodejs20.x"), str(tmp_path))
    assert isinstance(got, Source) and got.display.endswith(os.path.join("src", "main.ts"))


def test_zip_package(tmp_path: Path) -> None:
    pkg = tmp_path / "fn.zip"
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.writestr("app.py", "from .util import helper\n\ndef handler(event, context):\n    return helper(event)\n")
        zf.writestr("util.py", "def helper(event):\n    return {'statusCode': 500}\n")
    got = locate(fn(loc("zip", pkg, tmp_path)), str(tmp_path))
    assert isinstance(got, Source) and got.display.endswith("fn.zip!app.py")
    facts = analyse_function("Fn", fn(loc("zip", pkg, tmp_path)), str(tmp_path))
    assert facts is not None and [r.status_codes for r in facts.returns] == [(500,)]
    missing = analyse_function("Fn", fn(loc("zip", pkg, tmp_path), "nope.handler"), str(tmp_path))
    assert missing is not None and missing.missing == "file"


def test_bad_zip_is_no_source(tmp_path: Path) -> None:
    pkg = tmp_path / "fn.zip"
    pkg.write_bytes(b"not a zip")
    assert isinstance(locate(fn(loc("zip", pkg, tmp_path)), str(tmp_path)), NoSource)
    assert isinstance(locate(fn(loc("zip", tmp_path / "unbuilt.zip", tmp_path)), str(tmp_path)), NoSource)


def test_unknown_location_runtime_and_image() -> None:
    assert isinstance(locate(fn(CodeLocation("unknown")), ""), NoSource)
    assert isinstance(locate(fn(CodeLocation("inline", inline="x"), runtime="java21"), ""), NoSource)
    f = fn(CodeLocation("inline", inline="def handler(e, c):\n    pass\n"))
    f.runtime = Val(__import__("invocation_lint.model", fromlist=["Unknown"]).Unknown("param"))
    assert isinstance(locate(f, ""), NoSource)


def test_handler_paths_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text("def handler(e, c):\n    pass\n")
    monkeypatch.chdir(tmp_path)
    got = locate(fn(loc("dir", tmp_path, tmp_path)), str(tmp_path))
    assert isinstance(got, Source) and got.display == "app.py"


def test_python_only_templates_never_import_tree_sitter() -> None:
    script = (
        "import sys\n"
        "from invocation_lint.engine import run\n"
        f"result = run([{str(ROOT / 'fixtures' / 'handlers' / 'python')!r}])\n"
        "assert any(f.code.startswith('HANDLER') for f in result.findings)\n"
        "print(sorted(m for m in sys.modules if m.startswith('tree_sitter')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    script_js = script.replace("'python'", "'node'").replace(
        repr(str(ROOT / "fixtures" / "handlers" / "python")), repr(str(ROOT / "fixtures" / "handlers" / "node")))
    out = subprocess.run([sys.executable, "-c", script_js], capture_output=True, text=True, check=True)
    assert "tree_sitter" in out.stdout


def test_dir_without_any_source_of_the_language_proves_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("code is built elsewhere\n")
    (tmp_path / "tool.py").write_text("x = 1\n")
    got = locate(fn(loc("dir", tmp_path, tmp_path), "index.handler", "nodejs20.x"), str(tmp_path))
    assert isinstance(got, NoSource)
    (tmp_path / "other.js").write_text("exports.x = 1;\n")
    got = locate(fn(loc("dir", tmp_path, tmp_path), "index.handler", "nodejs20.x"), str(tmp_path))
    assert isinstance(got, Missing) and got.detail.startswith("no index.js")


def test_single_file_package(tmp_path: Path) -> None:
    (tmp_path / "worker.py").write_text("def handler(e, c):\n    pass\n")
    got = locate(fn(loc("file", tmp_path / "worker.py", tmp_path), "worker.handler"), str(tmp_path))
    assert isinstance(got, Source) and got.function_name == "handler"
    got = locate(fn(loc("file", tmp_path / "worker.py", tmp_path), "index.handler"), str(tmp_path))
    assert isinstance(got, Missing) and "single file worker.py" in got.detail


def test_one_failing_handler_does_not_cost_the_others_their_facts(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    from invocation_lint import handlers
    from invocation_lint.model import Model

    (tmp_path / "app.py").write_text("def handler(e, c):\n    return None\n")
    m = Model(file="template.yaml", format="cloudformation", base_dir=str(tmp_path))
    m.functions["A"] = fn(loc("dir", tmp_path, tmp_path))
    m.functions["B"] = fn(loc("dir", tmp_path, tmp_path), "app.other")
    real = handlers.analyse_source

    def flaky(fid: str, src: Source) -> object:
        if src.function_name == "other":
            raise ValueError("boom")
        return real(fid, src)

    monkeypatch.setattr(handlers, "analyse_source", flaky)
    monkeypatch.delenv("INVLINT_DEBUG", raising=False)
    handlers.analyse_model(m)
    assert list(m.handler_facts) == ["A"] and m.notes == ["B: internal error in handler analysis: ValueError: boom"]
