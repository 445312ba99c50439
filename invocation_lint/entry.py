"""The ``invlint`` program's entry point.

Start-up time is part of the interface (pre-commit runs ``invlint check`` on every commit), and loading click
costs about a sixth of checking a small template. So the entry point reads a plain
``invlint check PATH... [options]`` itself when it understands every argument: the paths and the common options
below, each spelt exactly as ``cli`` declares it and with a value ``cli`` would accept unchanged. Anything else
(another command, ``--help``, an option it does not know, a repeated or malformed option, a value click would
reject or convert) goes to the click command line in ``cli``, which gives the usage, the help and the errors.
Both ways end in ``command.check`` with the same arguments, so they write the same bytes and exit with the same
code.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .command import FAIL_ON, _tolerant_stdout, check, end_process

FORMATS = ("text", "json", "sarif", "github", "markdown")

#: the options read without click: name -> (parameter, kind). Kinds: "flag"; "many" (repeatable text);
#: "choice:a,b" ; "count" (an integer >= 0); "file" (a path that must not be a directory, readable when it
#: exists); "out" (the same, writable when it exists); "dir" (an existing, readable directory). Each matches the
#: option of the same name in ``cli.check`` (a test holds them together); any other option goes to click.
FAST_OPTIONS: dict[str, tuple[str, str]] = {
    "--format": ("fmt", "choice:" + ",".join(FORMATS)),
    "--select": ("select", "many"),
    "--ignore": ("ignore", "many"),
    "--fail-on": ("fail_on", "choice:" + ",".join(FAIL_ON)),
    "--no-color": ("no_color", "flag"),
    "--config": ("config_path", "file"),
    "--baseline": ("baseline", "file"),
    "--write-baseline": ("write_baseline", "file"),
    "--output": ("output", "out"),
    "-o": ("output", "out"),
    "--jobs": ("jobs", "count"),
    "-j": ("jobs", "count"),
    "--exclude": ("exclude", "many"),
    "--skip-non-templates": ("skip_non_templates", "flag"),
    "--warn-unused-suppressions": ("warn_unused_suppressions", "flag"),
    "--verbose": ("verbose", "flag"),
    "-v": ("verbose", "flag"),
    "--root": ("root", "dir"),
}


def _accepted_path(value: str, kind: str) -> bool:
    """Whether click's ``Path`` type of that option takes ``value`` as it is (else click reports it)."""
    import stat

    try:
        st = os.stat(value)
    except OSError:
        return kind != "dir"  # a file option's path need not exist yet
    except ValueError:  # a NUL in the path
        return False
    if kind == "dir":
        return stat.S_ISDIR(st.st_mode) and os.access(value, os.R_OK)
    if stat.S_ISDIR(st.st_mode) or not os.access(value, os.R_OK):
        return False
    return kind != "out" or os.access(value, os.W_OK)


def _value(kind: str, value: str) -> str | int | None:
    """The option's value as click would pass it, or ``None`` when click would reject or change it."""
    if kind.startswith("choice:"):
        return value if value in kind[len("choice:"):].split(",") else None
    if kind == "count":
        return int(value) if value.isascii() and value.isdigit() else None
    if kind == "many":
        return value
    return value if _accepted_path(value, kind) else None


def parse_check(argv: list[str]) -> dict[str, Any] | None:
    """The arguments of ``check(...)`` for ``argv`` (the words after the program name), or ``None`` when
    ``argv`` is not a plain ``check`` whose every word is understood here: then click reads it."""
    if not argv or argv[0] != "check" or os.name == "nt":  # Windows: click expands wildcards in arguments
        return None
    paths: list[str] = []
    params: dict[str, Any] = {}
    many: dict[str, list[str]] = {}
    words = iter(argv[1:])
    for word in words:
        if word[:1] != "-" or word == "-":  # a path ("-": standard input)
            paths.append(word)
            continue
        name, eq, raw = word.partition("=")
        if not name.startswith("--"):
            name, eq, raw = word, "", ""  # short options only as separate words: -v, -j N, -o FILE
        spec = FAST_OPTIONS.get(name)
        if spec is None:
            return None
        param, kind = spec
        if kind == "flag":
            if eq or param in params:
                return None
            params[param] = True
            continue
        if not eq:
            following = next(words, None)
            if following is None or (following[:1] == "-" and following != "-"):
                return None
            raw = following
        value = _value(kind, raw)
        if value is None:
            return None
        if kind == "many":
            many.setdefault(param, []).append(raw)
        elif param in params:
            return None
        else:
            params[param] = value
    if not paths:
        return None
    params.update((param, tuple(values)) for param, values in many.items())
    params["paths"] = tuple(paths)
    return params


def _completing() -> bool:
    """A shell asking click for completions (``_INVLINT_COMPLETE=...``)."""
    return any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)


def _run_fast(params: dict[str, Any]) -> None:
    """``check`` as the click command runs it: streams made tolerant first, click's answers to an interrupt
    (``Aborted!``, exit 1) and to a closed pipe (exit 1)."""
    _tolerant_stdout()
    try:
        check(**params)
    except (EOFError, KeyboardInterrupt):
        if sys.stderr is not None:
            sys.stderr.write("\nAborted!\n")
            sys.stderr.flush()
        sys.exit(1)
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """The console script ``invlint``."""
    words = sys.argv[1:] if argv is None else list(argv)
    params = None if _completing() else parse_check(words)
    if params is None:
        from .cli import main as click_main

        if argv is None:
            click_main()
        else:
            click_main(args=words, prog_name="invlint")
        return
    if os.environ.get("INVLINT_DEBUG") or "coverage" in sys.modules:
        _run_fast(params)
        return
    end_process(lambda: _run_fast(params))


if __name__ == "__main__":  # python -m invocation_lint.entry: the program as the console script runs it
    main()
