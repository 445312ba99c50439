"""The ``invlint`` entry point reads a plain ``check`` without click, and behaves exactly as the click command.

Three levels: the options it knows are declared the same way in ``cli`` (names, types, defaults); for every
command line it reads, click would have passed the same arguments; and running a table of command lines both
ways writes the same bytes and exits with the same code, including the lines it must leave to click.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from invocation_lint import cli, command, entry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "cli"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project as the current directory: a template with findings, its handler code, configurations."""
    shutil.copytree(FIXTURES / "src", tmp_path / "src")
    shutil.copy(FIXTURES / "three_modes.yaml", tmp_path / "template.yaml")
    shutil.copy(FIXTURES / "clean.yaml", tmp_path / "clean.yaml")
    (tmp_path / "good.yaml").write_text("ignore: [ASYNC004]\nfail-on: error\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("select: [\n", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INVLINT_DEBUG", "1")  # SystemExit instead of ending the test process
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def _click_option(name: str) -> click.Option:
    for param in cli.check.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    raise AssertionError(f"cli.check has no option {name}")


def test_every_option_read_without_click_is_declared_alike_in_cli() -> None:
    for name, (dest, kind) in entry.FAST_OPTIONS.items():
        opt = _click_option(name)
        assert opt.name == dest, name
        assert (opt.envvar, opt.callback, opt.is_eager, opt.expose_value) == (None, None, False, True), name
        assert opt.is_flag == (kind == "flag") and opt.multiple == (kind == "many"), name
        if kind == "flag":
            assert (opt.secondary_opts, opt.count) == ([], False), name
            with cli.check.make_context("check", [name, "t.yaml"]) as ctx:
                assert ctx.params[dest] is True, name
            continue
        assert opt.nargs == 1, name
        if kind.startswith("choice:"):
            assert isinstance(opt.type, click.Choice) and opt.type.case_sensitive, name
            assert set(kind[len("choice:"):].split(",")) <= set(opt.type.choices), name
        elif kind == "count":
            assert isinstance(opt.type, click.IntRange), name
            assert (opt.type.min, opt.type.max, opt.type.min_open, opt.type.clamp) == (0, None, False, False), name
        elif kind == "many":
            assert opt.type is click.STRING, name
        else:
            assert isinstance(opt.type, click.Path), name
            t = opt.type
            assert (t.exists, t.file_okay, t.dir_okay) == ((True, False, True) if kind == "dir" else (False, True, False)), name
            assert (t.readable, t.writable, t.executable) == (True, kind == "out", False), name
            assert (t.resolve_path, t.allow_dash, t.type) == (False, False, None), name


def test_check_takes_what_the_click_command_passes_with_the_same_defaults() -> None:
    """Without an option, ``command.check`` gets its own default where click would pass the option's: they agree
    for every option of ``cli.check``, also those only click reads."""
    with cli.check.make_context("check", ["t.yaml"]) as ctx:
        passed = ctx.params
    sig = inspect.signature(command.check)
    assert set(sig.parameters) == set(passed)
    defaults = {name: p.default for name, p in sig.parameters.items() if p.default is not inspect.Parameter.empty}
    assert {**defaults, "paths": ("t.yaml",)} == passed
    assert not cli.main.context_settings.get("auto_envvar_prefix")
    assert [p.name for p in cli.check.params if isinstance(p, click.Argument)] == ["paths"]


#: command lines read without click: (argv, what the template's findings and exit code come out as)
FAST = [
    ["check", "template.yaml"],
    ["check", "--format", "json", "template.yaml"],
    ["check", "--format=sarif", "template.yaml"],
    ["check", "template.yaml", "--format", "github"],
    ["check", "--format", "markdown", "template.yaml", "clean.yaml"],
    ["check", "template.yaml", "--select", "SQS", "--select", "HANDLER008,SYNC001", "--ignore=ASYNC004"],
    ["check", "-v", "template.yaml", "--fail-on", "error"],
    ["check", "--fail-on=info", "--no-color", "--verbose", "clean.yaml"],
    ["check", "--select", "NOPE001", "template.yaml"],  # an unknown rule: exit 2
    ["check", "--select", "", "template.yaml"],
    ["check", "missing.yaml", "template.yaml"],  # an input error: exit 2, the other file reported
    ["check", "bad.yaml"],
    ["check", ""],
    ["check", "--config", "good.yaml", "template.yaml"],
    ["check", "--config=bad.yaml", "template.yaml"],  # a configuration error: exit 2
    ["check", "--config", "no-such.yaml", "template.yaml"],
    ["check", "--baseline", "no-such.json", "template.yaml"],
    ["check", "--exclude", "template.yaml", "."],
    ["check", "--exclude", "src/**", "--exclude=clean.yaml", "."],
    ["check", "--skip-non-templates", "src/app.py", "good.yaml", "template.yaml"],
    ["check", "src/app.py"],
    ["check", "--jobs", "1", "template.yaml"],
    ["check", "-j", "0", "template.yaml", "clean.yaml"],
    ["check", "--jobs=007", "template.yaml"],
    ["check", "--root", ".", "template.yaml"],
    ["check", "--root=src", "template.yaml"],  # the template is outside the root
    ["check", "adir"],
    ["check", "template.yaml", "template.yaml"],
    ["check", "--warn-unused-suppressions", "template.yaml"],
]

#: command lines the entry point must leave to click (usage errors, help, other commands, unknown options)
FALLBACK = [
    [],
    ["--version"],
    ["-h"],
    ["rules"],
    ["rule", "SQS001"],
    ["check"],
    ["check", "--help"],
    ["check", "-h", "template.yaml"],
    ["check", "--no-such-option", "template.yaml"],
    ["check", "--warn-unused", "template.yaml"],  # click does not complete abbreviations
    ["check", "-x", "template.yaml"],
    ["check", "--out", "r.txt", "template.yaml"],  # click does not complete abbreviations
    ["check", "--format", "xml", "template.yaml"],
    ["check", "--format", "JSON", "template.yaml"],
    ["check", "--format=", "template.yaml"],
    ["check", "--format", "json", "--format", "text", "template.yaml"],
    ["check", "--format"],
    ["check", "template.yaml", "--select"],
    ["check", "--select", "--no-color", "template.yaml"],
    ["check", "--fail-on", "critical", "template.yaml"],
    ["check", "--jobs", "-1", "template.yaml"],
    ["check", "--jobs", "two", "template.yaml"],
    ["check", "--jobs", " 2", "template.yaml"],
    ["check", "-j", "\u0663", "template.yaml"],  # an Arabic-Indic digit: int() takes it, the fast path does not
    ["check", "-j2", "template.yaml"],
    ["check", "-vj", "1", "template.yaml"],
    ["check", "--no-color=yes", "template.yaml"],
    ["check", "-v", "-v", "template.yaml"],
    ["check", "--config", "adir", "template.yaml"],
    ["check", "--baseline", "adir", "template.yaml"],
    ["check", "-o", "adir", "template.yaml"],
    ["check", "--root", "template.yaml", "template.yaml"],
    ["check", "--root", "no-such-dir", "template.yaml"],
    ["check", "--", "template.yaml"],
    ["check", "--diff", "template.yaml"],
    ["check", "--unsafe-fixes", "--diff", "template.yaml"],
    ["graph", "template.yaml"],
    ["chek", "template.yaml"],
]


def _run(capsys: pytest.CaptureFixture[str], command: object, argv: list[str]) -> tuple[object, str, str]:
    try:
        command(argv)  # type: ignore[operator]
        code: object = "returned"
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _click(argv: list[str]) -> None:
    cli.main.main(args=argv, prog_name="invlint")


def _both(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[object, str, str]:
    outputs = []
    for program in (entry.main, _click):
        for written in ("r.txt", "b.json"):
            Path(written).unlink(missing_ok=True)
        code, out, err = _run(capsys, program, argv)
        files = {name: Path(name).read_bytes() for name in ("r.txt", "b.json") if Path(name).exists()}
        outputs.append((code, out, err, files))
    assert outputs[0] == outputs[1]
    code, out, err, _ = outputs[0]
    return code, out, err


@pytest.mark.parametrize("argv", FAST, ids=" ".join)
def test_read_without_click_same_arguments_same_output(argv: list[str], project: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    params = entry.parse_check(argv)
    assert params is not None
    with cli.check.make_context("check", argv[1:]) as ctx:
        expected = ctx.params  # what click passes
    defaults = {n: p.default for n, p in inspect.signature(command.check).parameters.items()
                if p.default is not inspect.Parameter.empty}
    assert {**defaults, **params} == expected  # and nothing it leaves to the defaults differs
    code, _, _ = _both(capsys, argv)
    assert code in (0, 1, 2)


@pytest.mark.parametrize("argv", FALLBACK, ids=lambda a: " ".join(a) or "(nothing)")
def test_left_to_click(argv: list[str], project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.parse_check(argv) is None
    _both(capsys, argv)


def test_report_to_a_file_and_a_baseline_written_alike(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _both(capsys, ["check", "-o", "r.txt", "template.yaml"])
    assert (code, out, err) == (1, "", "")
    code, out, err = _both(capsys, ["check", "--write-baseline", "b.json", "template.yaml"])
    assert code == 0 and err == "invlint: wrote 3 findings to b.json\n"


def test_the_outcomes_are_the_commands(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A few of the table's outcomes spelt out, so that the table cannot pass by both ways failing alike."""
    code, out, err = _both(capsys, ["check", "template.yaml"])
    assert code == 1 and err == ""
    assert out.endswith("1 error, 1 warning, 1 info in 2 files (1 checked)\n")
    code, out, err = _both(capsys, ["check", "--config=bad.yaml", "template.yaml"])
    assert (code, out) == (2, "") and err.startswith("invlint: bad.yaml") and err.count("\n") == 1
    code, out, err = _both(capsys, ["check", "--no-such-option", "template.yaml"])
    assert (code, out) == (2, "") and "No such option '--no-such-option'" in err
    code, out, err = _both(capsys, ["check", "--config", "adir", "template.yaml"])
    assert (code, out) == (2, "") and "'adir' is a directory" in err


def test_a_shell_asking_for_completions_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_INVLINT_COMPLETE", "bash_complete")
    assert entry._completing()


def _program(args: list[str], cwd: Path, script: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "INVLINT_DEBUG"}
    env["NO_COLOR"] = "1"
    proc = subprocess.run([script, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60,
                          check=False)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("argv", [
    ["check", "template.yaml"],
    ["check", "--format", "json", "missing.yaml", "template.yaml"],
    ["check", "--no-such-option", "template.yaml"],
    ["--version"],
], ids=" ".join)
def test_the_installed_program_answers_as_the_click_command(argv: list[str], project: Path) -> None:
    """The console script (``entry.main``, ending the process itself) against ``python -m invocation_lint.cli``."""
    script = shutil.which("invlint", path=os.path.dirname(sys.executable))
    assert script is not None, "the invlint console script is installed with the package"
    fast = _program(argv, project, script)
    env = {k: v for k, v in os.environ.items() if k != "INVLINT_DEBUG"}
    env["NO_COLOR"] = "1"
    proc = subprocess.run([sys.executable, "-m", "invocation_lint.cli", *argv], capture_output=True, text=True,
                          cwd=project, env=env, timeout=60, check=False)
    assert fast == (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in fast[2]


def test_an_interrupt_ends_alike(project: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import invocation_lint.engine

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(invocation_lint.engine, "run", interrupted)
    assert _both(capsys, ["check", "template.yaml"]) == (1, "", "\nAborted!\n")
