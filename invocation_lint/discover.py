"""What to check: the one place that turns the paths a user gives into inputs.

Everything about choosing inputs is decided here and nowhere else: globs, ``-`` (standard input), walking
directories (what is skipped), which files are templates, Terraform module directories, exclusion patterns and
the templates-only switch. The engine receives the resulting list of inputs and checks each.

A file named on the command line is checked whatever its name (and is an input error when it is not a
template). Under a directory, a YAML/JSON file is a template when its ``Resources`` hold ``AWS::`` types (or it
is a Terraform plan); anything else is skipped quietly. A directory holding ``.tf`` or ``.tf.json`` files is one
Terraform module. ``-`` reads a template from standard input.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from .lazy import module, regex
from .model import Record, record
from .source import InputError

if TYPE_CHECKING:
    import glob

    from .config import Config
else:
    glob = module("glob")  # only for a path that does not exist

#: never project sources; a virtual environment under any other name (``env``) is told by its ``pyvenv.cfg``, so
#: the common ``env/prod/main.tf`` layout is checked
SKIP_DIRS = {
    ".git", ".hg", ".svn", "node_modules", ".aws-sam", ".venv", "venv", "__pycache__", ".tox",
    ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".terraform", ".serverless", "site-packages",
    ".idea", ".vscode", "dist", "build",
}
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".cfn", ".tpl")
MAX_SNIFF = 64 * 1024
#: a cheap look at the start of a file: a Resources section and an AWS resource type, or a Terraform plan
_SNIFF_RESOURCES = regex(rb"""(?m)^["']?Resources["']?\s*:|"Resources"\s*:""")
_SNIFF_TYPE = regex(rb"""["']?Type["']?\s*:\s*["']?AWS::""")
_SNIFF_PLAN = regex(rb""""format_version"\s*:\s*"[0-9.]+"[\s\S]*"(?:planned_values|values|resource_changes|terraform_version)"\s*:""")

InputKind = Literal["template", "terraform", "plan", "stdin"]


@record(slots=False, frozen=True)
class Input(Record):
    kind: InputKind
    path: str  # filesystem path; "-" for standard input
    display: str  # the path as the user gave it (or relative to the directory they gave)
    base_dir: str  # the project being linted: no file outside it is read
    explicit: bool = False  # named on the command line (not found under a directory)

    @property
    def is_stdin(self) -> bool:
        """Read from standard input: once, by this process (never handed to a worker)."""
        return self.kind == "stdin"


@record(slots=False)
class Found(Record):
    """The inputs to check, the paths that could not be used (errors), and what was passed over (notes, -v)."""

    inputs: list[Input]
    errors: list[InputError]
    notes: list[str]


def _is_venv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))


def _nonblocking(path: str, flags: int) -> int:
    """Open without blocking: a FIFO swapped in after the directory walk must not hang the run."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def is_template_file(path: str) -> bool:
    """Does the start of this file look like a CloudFormation/SAM template or a Terraform plan?"""
    from .files import read_up_to

    try:
        fd = _nonblocking(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return False
        head = read_up_to(fd, MAX_SNIFF, st.st_size)
    except OSError:
        return False
    finally:
        os.close(fd)
    if b"\0" in head:
        return False
    if _SNIFF_RESOURCES.search(head) and _SNIFF_TYPE.search(head):
        return True
    return bool(_SNIFF_PLAN.search(head))


#: ``--root``: the project root for every input, instead of the one found from each path
ROOT_OVERRIDE: str | None = None


def project_root(path: str) -> str:
    """The project being linted, the one boundary for every file read (handler code, module sources): the
    ``--root`` directory when given, else the git work tree enclosing ``path``, else the current directory when
    ``path`` is inside it, else ``path``'s own directory."""
    if ROOT_OVERRIDE:
        return os.path.abspath(ROOT_OVERRIDE)
    full = os.path.abspath(path)
    start = full if os.path.isdir(full) else os.path.dirname(full)
    work_tree = _git_work_tree(start)
    if work_tree is not None:
        return work_tree
    cwd = os.getcwd()
    if full == cwd or full.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return start


_WORK_TREES: dict[str, str | None] = {}


def _git_work_tree(start: str) -> str | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a directory, or a file in a worktree)."""
    if start in _WORK_TREES:
        return _WORK_TREES[start]
    found = None
    d = start
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            found = d
            break
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    _WORK_TREES[start] = found
    return found


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _walk(root: str, display_root: str, notes: list[str] | None = None) -> Iterable[Input]:
    """The inputs under ``root``, directories in name order, each before the ones it holds (``os.walk``'s order),
    symlinked directories not followed. One ``scandir`` per directory tells directories, symlinks and regular
    files apart without a ``stat`` per entry."""
    base = project_root(root)
    todo = [(root, ".")]
    while todo:
        dirpath, rel_dir = todo.pop()
        try:
            with os.scandir(dirpath) as it:
                entries = list(it)
        except OSError:  # unreadable: skipped, as os.walk does
            continue
        # a virtual environment (not the directory given) is told by its ``pyvenv.cfg``, looked for in the listing
        # just read rather than with a ``stat`` of every directory
        if rel_dir != "." and any(e.name == "pyvenv.cfg" for e in entries) and _is_venv(dirpath):
            continue
        dirs: list[os.DirEntry[str]] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry)
        subdirs = sorted(
            (d for d in dirs if d.name not in SKIP_DIRS and not d.name.endswith(".egg-info") and not d.is_symlink()),
            key=_name,
        )
        # an entry's path is ``os.path.join(dirpath, entry.name)`` already
        todo.extend((d.path, d.name if rel_dir == "." else os.path.join(rel_dir, d.name)) for d in reversed(subdirs))
        shown_dir = display_root if rel_dir == "." else os.path.join(display_root, rel_dir)
        files.sort(key=_name)
        if any(e.name.endswith(".tf") or e.name.endswith(".tf.json") for e in files):
            yield Input("terraform", dirpath, shown_dir, base)
        for entry in files:
            name = entry.name
            if name.endswith(".tf.json"):
                continue
            if not name.lower().endswith(TEMPLATE_SUFFIXES):
                continue
            full = entry.path
            # symlinks are not followed under a directory; FIFOs, sockets and devices never opened
            if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                try:
                    mode = os.lstat(full).st_mode
                except OSError:
                    continue
                if not stat.S_ISREG(mode):
                    if notes is not None:
                        from .files import kind_of

                        what = "a symlink" if stat.S_ISLNK(mode) else kind_of(mode)
                        notes.append(f"{os.path.join(shown_dir, name)}: {what}, not read under a directory")
                    continue
            if is_template_file(full):
                yield Input("template", full, os.path.join(shown_dir, name), base)


def discover(paths: Iterable[str], *, exclude: list[str] | None = None, exclude_from: Iterable[str] = (),
             templates_only: bool = False,
             notes: list[str] | None = None) -> tuple[list[Input], list[InputError]]:
    """Expand files, directories, globs and ``-`` into inputs; paths that do not exist are errors.

    ``notes``: gets the files passed over under a directory (symlinks, FIFOs, devices with a template's name).

    ``exclude``: patterns (``fnmatch``, matched against the path and each of its tails) of inputs not to check;
    also against the path relative to the project root and to each folder of ``exclude_from`` (the
    configuration file's), so that a pattern means the same from any working directory.
    ``templates_only``: a file named explicitly is checked only if it looks like a template (pre-commit passes
    every changed YAML/JSON file).
    """
    inputs: list[Input] = []
    errors: list[InputError] = []
    seen: set[tuple[str, str]] = set()

    def add(inp: Input) -> None:
        key = (inp.kind, os.path.abspath(inp.path) if inp.path != "-" else "-")
        if key not in seen:
            seen.add(key)
            inputs.append(inp)

    for raw in paths:
        if raw == "-":
            add(Input("stdin", "-", "<stdin>", project_root(os.getcwd()), explicit=True))
            continue
        matches = [raw]
        if not os.path.exists(raw) and glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                errors.append(InputError(raw, "no file matches this pattern"))
                continue
        for path in matches:
            if os.path.isdir(path):
                if os.path.islink(path.rstrip(os.sep) or path):
                    from .files import refusal

                    why = refusal(path.rstrip(os.sep), project_root(path), directory=True)
                    if why is not None:
                        errors.append(InputError(path, why))
                        continue
                for inp in _walk(path, path.rstrip("/") or path, notes):
                    add(inp)
            elif os.path.isfile(path):
                base = project_root(path)
                if path.endswith(".tf"):
                    add(Input("terraform", os.path.dirname(path) or ".", os.path.dirname(path) or ".", base, True))
                elif path.endswith(".tf.json"):
                    add(Input("terraform", os.path.dirname(path) or ".", os.path.dirname(path) or ".", base, True))
                else:
                    add(Input("template", path, path, base, explicit=True))
            elif os.path.exists(path):
                errors.append(InputError(path, "not a regular file or directory"))
            else:
                errors.append(InputError(path, "no such file or directory"))
    inputs = _without_called_modules(inputs)
    if exclude:
        roots = list(exclude_from)
        inputs = [i for i in inputs if not excluded(i.display, exclude, _relative_to(i, roots))]
    if templates_only:
        inputs = [i for i in inputs if i.kind != "template" or not i.explicit or is_template_file(i.path)]
    return inputs, errors


def inputs_to_check(paths: Iterable[str], config: Config) -> Found:
    """The inputs ``paths`` name under ``config``: its ``exclude`` patterns and templates-only switch applied."""
    notes: list[str] = []
    # a configured pattern is relative to the configuration file's folder, whatever the working directory
    here = [os.path.dirname(os.path.abspath(config.source))] if config.source else []
    inputs, errors = discover(paths, exclude=config.exclude, exclude_from=here,
                              templates_only=config.skip_non_templates, notes=notes)
    return Found(inputs, list(errors), notes)


def _relative_to(inp: Input, roots: list[str]) -> list[str]:
    """The input's path relative to each of ``roots`` (and to its project root) that holds it."""
    if inp.path == "-":
        return []
    full = os.path.abspath(inp.path)
    out = []
    for root in (*roots, inp.base_dir):
        if root and (full == root or full.startswith(root.rstrip(os.sep) + os.sep)):
            out.append(os.path.relpath(full, root))
    return out


def excluded(display: str, patterns: list[str], also: Iterable[str] = ()) -> bool:
    """Does a pattern match ``display`` (or ``also``, the same path relative to other folders), or a trailing
    part of it?"""
    if not patterns:
        return False
    candidates: set[str] = set()
    for shown in (display, *also):
        norm = os.path.normpath(shown).replace(os.sep, "/")
        parts = norm.split("/")
        candidates |= {norm, parts[-1]} | {"/".join(parts[i:]) for i in range(len(parts))}
    for pat in patterns:
        p = pat.rstrip("/")
        for cand in candidates:
            if fnmatch.fnmatchcase(cand, p) or fnmatch.fnmatchcase(cand, p + "/*"):
                return True
    return False


def _without_called_modules(inputs: list[Input]) -> list[Input]:
    """A local child module is checked as part of its caller, with the caller's inputs. Found on its own under
    a directory it would be checked again with unknown variables, repeating findings under other addresses;
    named explicitly, it is checked as the user asked."""
    modules = [i for i in inputs if i.kind == "terraform"]
    if len(modules) < 2:
        return inputs
    from .formats.terraform.calls import called_local_modules

    called: set[str] = set()
    for inp in modules:
        called |= called_local_modules(inp.path)
    if not called:  # no module calls another: every path's real path would be looked up for nothing
        return inputs
    return [i for i in inputs if not (i.kind == "terraform" and not i.explicit and os.path.realpath(i.path) in called)]
