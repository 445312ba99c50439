"""From a function's ``CodeLocation`` and ``Handler`` to the source text of its handler, safely.

Nothing is executed or imported. Files are read only inside the project being linted (symlinks and ``..``
resolved first), a ``.zip`` code package is read in memory with limits on its size and member count, and a
location that cannot be known gives no source at all: never a guess.

Where the handler certainly does not exist (the located directory has no such module, the inline code is not
the module ``index``), the result is a ``Missing`` that HANDLER009 reports.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

from invocation_lint.model import CodeLocation, Function, Record, field, record
from invocation_lint.source import InputError, Span

from .facts import Language

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_ZIP_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000

PY_SUFFIXES = (".py",)
JS_SUFFIXES = (".js", ".mjs", ".cjs")
TS_SUFFIXES = (".ts", ".mts", ".cts", ".tsx")
#: directory names that hold build output: a missing one has simply not been built yet
BUILD_DIRS = {"dist", "build", "out", "target", ".aws-sam", ".build", "cdk.out", "bin", "artifacts", ".serverless"}


def language_of(runtime: str) -> Language | None:
    if runtime.startswith("python"):
        return "python"
    if runtime.startswith("nodejs"):
        return "javascript"
    return None


@record(slots=False)
class Source(Record):
    """The text of a handler module and how to read its siblings (one level of relative imports)."""

    language: Language
    text: str
    display: str  # the path shown in findings
    function_name: str
    #: inline code: template line = offset + line in the code; negative: every fact is on line -offset (the
    #: ``ZipFile`` line of a JSON template or a quoted string, which cannot be mapped line by line)
    line_offset: int = 0
    column_offset: int = 0
    read_sibling: Callable[[str], tuple[str, str] | None] = field(default=lambda rel: None)
    #: the code root (``CodeUri``, the zip's top) relative to the handler's directory: absolute Python imports
    #: are resolved against it
    root_prefix: str = ""


@record(slots=False)
class Missing(Record):
    """The handler certainly does not exist: ``what`` is ``file`` or ``function``."""

    what: str
    detail: str
    span: Span | None


@record(slots=False)
class NoSource(Record):
    """No source to analyse, and no finding either; ``note`` says why (for verbose output)."""

    note: str = ""


#: POSIX paths: a normalised absolute path under the working directory is relative to it by its tail
_POSIX = os.sep == "/" and os.altsep is None


def display_path(path: str) -> str:
    """Relative to the working directory when under it (so suppression comments can be read back), else absolute."""
    absolute = os.path.abspath(path)
    try:
        rel = _relative(absolute, os.curdir)
    except ValueError:  # another drive
        return absolute
    return absolute if rel.startswith("..") else rel


def _relative(path: str, start: str) -> str:
    """``os.path.relpath(path, start)``, without splitting both paths when the answer is the same path (``.``) or
    a tail of it (``path`` under ``start``: the common case, and relpath is slow on long paths)."""
    if path and start:
        if path == start:
            return "."
        if _POSIX:
            full, base = os.path.abspath(path), os.path.abspath(start)  # normalised: no "//", "." or ".." inside
            if base != "/" and full.startswith(base) and full[len(base):len(base) + 1] == "/":
                return full[len(base) + 1:]
    return os.path.relpath(path, start)


def _inside(path: str, base: str) -> bool:
    from ..files import inside

    return inside(path, base)


#: within ``reading_once``: each source file's bytes (or why it cannot be read), by (path, project directory)
_READ: dict[tuple[str, str], bytes | InputError] | None = None
#: within ``reading_once``: each source text parsed, by the language's own key
_PARSED: dict[tuple[Any, ...], Any] | None = None
#: within ``reading_once``: what ``_try`` found, by its arguments (functions sharing a handler file share it)
_TRIED: dict[tuple[str, str, str, str, str], Source | NoSource | None] | None = None
#: within ``reading_once``: whether each code directory is a directory
_IS_DIR: dict[str, bool] | None = None


@contextlib.contextmanager
def reading_once() -> Iterator[None]:
    """Within the block, a source file several functions name (or import) is read, and parsed, once."""
    global _READ, _PARSED, _TRIED, _IS_DIR
    if _READ is not None:
        yield
        return
    _READ, _PARSED, _TRIED, _IS_DIR = {}, {}, {}, {}
    try:
        yield
    finally:
        _READ = _PARSED = _TRIED = _IS_DIR = None


def parsed() -> dict[tuple[Any, ...], Any] | None:
    """Where a parser keeps what it parsed within ``reading_once`` (None outside: parse again)."""
    return _PARSED


def _read(path: str, base: str) -> bytes:
    """``files.read_limited`` of a source file (``InputError`` when it must not or cannot be read)."""
    from ..files import read_limited

    cache = _READ
    if cache is None:
        return read_limited(path, path, MAX_SOURCE_BYTES, base)
    got = cache.get((path, base))
    if got is None:
        try:
            got = read_limited(path, path, MAX_SOURCE_BYTES, base)
        except InputError as exc:
            got = exc
        cache[(path, base)] = got
    if isinstance(got, InputError):
        raise got
    return got


def _read_file(path: str, base: str) -> str | None:
    """The text of ``path`` if it is a regular file inside ``base`` and small enough; else None."""
    try:
        data = _read(path, base)
    except InputError:
        return None
    return _text(data)


def _text(data: bytes) -> str | None:
    """Source text, or None for a binary file."""
    if b"\0" in data[:4096]:
        return None
    return data.decode("utf-8", errors="replace")


def split_handler(handler: str, language: Language) -> tuple[str, str] | None:
    """``src/app.handler`` → (``src/app``, ``handler``): the module path (no suffix) and the exported name.

    Python's runtime splits at the last dot and imports the module with ``/`` read as ``.``; Node.js splits at
    the first dot after the last ``/`` (the rest may name a nested property).
    """
    handler = handler.strip()
    if language == "python":
        if "." not in handler:
            return None
        mod, name = handler.rsplit(".", 1)
        mod = mod.replace("/", ".").replace(".", "/")
    else:
        head, _, tail = handler.rpartition("/")
        if "." not in tail:
            return None
        base, name = tail.split(".", 1)
        mod = f"{head}/{base}" if head else base
    if not mod or not name or mod.startswith("/") or ".." in mod.split("/"):
        return None
    return mod, name


def locate(fn: Function, base_dir: str) -> Source | Missing | NoSource:
    """Where ``fn``'s handler source is, or why there is none."""
    runtime = fn.runtime.value if fn.runtime.known else None
    handler = fn.handler.value if fn.handler.known else None
    code = fn.code
    if fn.package_type != "Zip":
        return NoSource("container image: no handler source")
    if not isinstance(runtime, str) or not isinstance(handler, str):
        return NoSource("runtime or handler not known")
    language = language_of(runtime)
    if language is None:
        return NoSource(f"runtime {runtime}: handler code is not analysed")
    parts = split_handler(handler, language)
    if parts is None:
        return NoSource(f"handler {handler!r} does not name a module and function")
    module, name = parts
    if code is None or code.kind == "unknown":
        return NoSource("code location not known")
    base = code.base_dir or base_dir
    if code.kind == "inline":
        return _inline(fn, code, language, module, name)
    if not base:
        return NoSource("no project directory: code is not read")
    if code.path is None:
        return NoSource("code location not known")
    if not _inside(code.path, base):
        return NoSource(f"code at {code.path} is outside the project")
    if code.kind == "zip":
        return _from_zip(code, language, module, name)
    if code.kind == "file":
        return _from_single_file(code, base, language, module, name)
    return _from_dir(fn, code, base, language, module, name)


# ------------------------------------------------------------------------------------------------ inline


def _inline(fn: Function, code: CodeLocation, language: Language, module: str, name: str) -> Source | Missing:
    """CloudFormation writes inline code to ``index.py`` / ``index.js``: any other module does not exist."""
    span = code.span or fn.span
    if module != "index":
        ext = ".py" if language == "python" else ".js"
        return Missing("file", f"inline code is saved as index{ext}, but Handler names the module '{module}'",
                       fn.handler.span or span)
    offset, col = _inline_offset(code)
    return Source(language, code.inline or "", span.file if span else fn.span.file, name, offset, col)


def _inline_offset(code: CodeLocation) -> tuple[int, int]:
    """Template line of the inline code's line 0: a YAML block scalar (``ZipFile: |``) starts on the next line.

    Any other form (a quoted string, JSON) cannot be mapped line by line: a negative offset tells the analysis
    to point every fact at the ``ZipFile`` line itself.
    """
    span = code.span
    if span is None:
        return -1, 1
    fixed = (-span.line, span.column)
    try:
        stamp = os.stat(span.file).st_mtime_ns
    except OSError:
        return fixed
    lines = _template_lines(span.file, stamp)
    if lines is None:
        return fixed
    if not 1 <= span.line <= len(lines):
        return fixed
    text = lines[span.line - 1].split("#", 1)[0].rstrip()
    indicator = text.rsplit(None, 1)[-1] if text.split() else ""
    if indicator.startswith("|") and len(indicator) <= 3:  # literal block: lines are kept as written
        nxt = lines[span.line] if span.line < len(lines) else ""
        return span.line, len(nxt) - len(nxt.lstrip())
    return fixed


@functools.lru_cache(maxsize=8)
def _template_lines(file: str, stamp: int) -> tuple[str, ...] | None:
    """The template's lines, read once for all of its inline functions (``stamp``: its modification time)."""
    try:
        with open(file, "rb") as fh:
            return tuple(fh.read(64 * 1024 * 1024).decode("utf-8", errors="replace").splitlines())
    except OSError:
        return None


# ------------------------------------------------------------------------------------------------- files


def _candidates(module: str, language: Language, entry_points: list[str]) -> list[str]:
    if language == "python":
        return [module + ".py", module + "/__init__.py"]
    out = [module + s for s in JS_SUFFIXES]
    return out


def _ts_sources(module: str, entry_points: list[str]) -> list[str]:
    """TypeScript sources that build to ``module``: esbuild entry points with its name, else ``module.ts``."""
    stem = module.rsplit("/", 1)[-1]
    out = [e for e in entry_points if os.path.splitext(os.path.basename(e))[0] == stem]
    if not out and len(entry_points) == 1:
        out = list(entry_points)
    out += [module + s for s in TS_SUFFIXES]
    return out


def _lang_of_file(path: str, language: Language) -> Language:
    return "typescript" if path.endswith(TS_SUFFIXES) else language


def _sibling_reader(directory: str, base: str, language: Language) -> Callable[[str], tuple[str, str] | None]:
    def read(rel: str) -> tuple[str, str] | None:
        target = os.path.normpath(os.path.join(directory, rel))
        try:  # most lookups (``import json`` tries json.py): nothing there to read
            os.lstat(target)
        except OSError:
            return None
        except ValueError:  # a NUL in the name: the checks below say what comes of it
            pass
        if not _inside(target, base):
            return None
        text = _read_file(target, base)
        if text is None:
            return None
        return text, display_path(target)

    return read


def _from_dir(fn: Function, code: CodeLocation, base: str, language: Language, module: str,
              name: str) -> Source | Missing | NoSource:
    root = code.path or ""
    if not _is_dir(root):
        if os.path.lexists(root):
            return NoSource(f"code path {root} is not a directory")
        rel = _relative(root, base)
        if any(part in BUILD_DIRS for part in rel.split(os.sep)):
            return NoSource(f"code directory {rel} does not exist (build output): the handler is not checked")
        # A whole missing directory is code that is not here (not built, not checked out, a template copied
        # alone), not evidence that the handler is wrong: no finding, a note.
        return NoSource(f"code directory {display_path(root)} does not exist: the handler is not checked")
    tried: list[str] = []
    if language == "javascript" and code.entry_points:
        for rel in _ts_sources(module, code.entry_points):
            src = _try(root, base, rel, language, name)
            if src is not None:
                return src
    for rel in _candidates(module, language, code.entry_points):
        tried.append(rel)
        src = _try(root, base, rel, language, name)
        if src is not None:
            return src
    if language == "javascript":
        for rel in _ts_sources(module, []):  # built by tsc into place: read the TypeScript
            src = _try(root, base, rel, language, name)
            if src is not None:
                return src
    # a compiled module (``.so``, ``.pyc``) or anything else with that name: not certain it is missing
    directory = os.path.join(root, os.path.dirname(module))
    stem = os.path.basename(module)
    try:
        names = os.listdir(directory)
    except OSError:
        names = []
    if any(n.split(".", 1)[0] == stem for n in names):
        return NoSource(f"handler module {module} is not a source file")
    suffixes = PY_SUFFIXES if language == "python" else JS_SUFFIXES + TS_SUFFIXES
    if not _has_any(root, suffixes):  # no source of that language at all: built or packaged elsewhere
        return NoSource(f"no {'Python' if language == 'python' else 'JavaScript'} source under {display_path(root)}")
    return Missing("file", f"no {' or '.join(tried[:2] if language == 'python' else tried[:1])} in "
                   f"{display_path(root)}", fn.handler.span or code.span or fn.span)


def _is_dir(path: str) -> bool:
    """``os.path.isdir(path)``; within ``reading_once``, asked once for each path."""
    known = _IS_DIR
    if known is None:
        return os.path.isdir(path)
    got = known.get(path)
    if got is None:
        got = known[path] = os.path.isdir(path)
    return got


def _has_any(root: str, suffixes: tuple[str, ...], limit: int = 2000) -> bool:
    """Whether the code directory holds any source at all (an empty or unbuilt directory proves nothing)."""
    seen = 0
    for _dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("node_modules", "__pycache__", ".git")]
        for f in filenames:
            seen += 1
            if f.endswith(suffixes):
                return True
            if seen > limit:  # too large to tell: assume there is source
                return True
    return False


def _try(root: str, base: str, rel: str, language: Language, name: str) -> Source | NoSource | None:
    """The source of ``name`` in ``root/rel`` (None: no such file); within ``reading_once``, looked for once."""
    tried = _TRIED
    if tried is None:
        return _try_now(root, base, rel, language, name)
    key = (root, base, rel, language, name)
    if key in tried:
        return tried[key]
    got = tried[key] = _try_now(root, base, rel, language, name)
    return got


def _try_now(root: str, base: str, rel: str, language: Language, name: str) -> Source | NoSource | None:
    path = os.path.normpath(os.path.join(root, rel))
    if not os.path.lexists(path):
        return None
    try:  # refused (a symlink out of the project, a FIFO), too large or unreadable
        data = _read(path, base)
    except InputError as exc:
        why = exc.message
        if why.endswith("…"):  # shortened for an error line; a note gives it whole
            from ..files import refusal

            why = refusal(path, base) or why
        return NoSource(f"{display_path(path)}: {why}") if "outside" in why or "regular" in why else None
    text = _text(data)
    if text is None:
        return None
    return Source(_lang_of_file(path, language), text, display_path(path), name,
                  read_sibling=_sibling_reader(os.path.dirname(path), base, language),
                  root_prefix=_prefix(_relative(root, os.path.dirname(path))))


def _prefix(rel: str) -> str:
    return "" if rel in (".", "") else rel.replace(os.sep, "/")


def _from_single_file(code: CodeLocation, base: str, language: Language, module: str,
                      name: str) -> Source | NoSource | Missing:
    path = code.path or ""
    stem = os.path.splitext(os.path.basename(path))[0]
    if module != stem and os.path.isfile(path):  # the package holds this one file, under its own name
        return Missing("file", f"the code is the single file {os.path.basename(path)}, but Handler names the "
                       f"module '{module}'", code.span)
    text = _read_file(path, base)
    if text is None:
        return NoSource(f"cannot read {path}")
    return Source(_lang_of_file(path, language), text, display_path(path), name,
                  read_sibling=_sibling_reader(os.path.dirname(path), base, language))


# --------------------------------------------------------------------------------------------------- zip


def _inflate(path: str, info: Any, cap: int) -> bytes | None:
    """A zip member's bytes, inflated in a stream and refused (None) once more than ``cap`` come out, whatever
    its header declares: ``zipfile`` inflates a bzip2 block whole before it compares sizes (4.7 KB of bzip2
    became 6 GB). Stored, deflate and bzip2 members are read; LZMA and encrypted ones are not."""
    import zlib

    if info.flag_bits & 0x1 or info.compress_type not in (0, 8, 12):
        return None
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        head = fh.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            return None
        fh.seek(info.header_offset + 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little"))
        left = info.compress_size
        if info.compress_type == 0:
            data = fh.read(min(left, cap + 1))
            return data if len(data) <= cap else None
        if info.compress_type == 8:
            inflater: Any = zlib.decompressobj(-15)
        else:
            import bz2

            inflater = bz2.BZ2Decompressor()
        out = bytearray()
        pending = b""
        while len(out) <= cap:
            if not pending:
                if left <= 0:
                    break
                pending = fh.read(min(left, 64 * 1024))
                if not pending:
                    break
                left -= len(pending)
            room = cap + 1 - len(out)
            if info.compress_type == 8:
                out += inflater.decompress(pending, room)
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
            else:
                out += inflater.decompress(pending, room)
                pending = b""
                while not inflater.eof and not inflater.needs_input and len(out) <= cap:
                    out += inflater.decompress(b"", cap + 1 - len(out))
                if inflater.eof:
                    break
        return bytes(out) if len(out) <= cap else None


def _declared_members(path: str) -> int:
    """The member count the end-of-central-directory record declares (0 when it cannot be told cheaply)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 65_557))
            tail = fh.read()
    except OSError:
        return 0
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return 0
    return int.from_bytes(tail[at + 10:at + 12], "little")


def _from_zip(code: CodeLocation, language: Language, module: str, name: str) -> Source | Missing | NoSource:
    import zipfile

    from ..files import refusal

    path = code.path or ""
    why = refusal(path, code.base_dir)
    if why is not None:
        return NoSource(f"{display_path(path)}: {why}")
    try:
        if os.path.getsize(path) > MAX_ZIP_BYTES:
            return NoSource(f"{path}: code package too large to read")
        declared = _declared_members(path)
        if declared > MAX_ZIP_MEMBERS:  # told before the central directory is parsed (seconds, GBs)
            return NoSource(f"{path}: too many members ({declared})")
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return NoSource(f"{path}: not a readable zip ({exc})")
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            return NoSource(f"{path}: too many members")
        members = {i.filename: i for i in infos if not i.is_dir()}
        disp = display_path(path)

        def member_text(member: str) -> str | None:
            info = members.get(member)
            if info is None or info.file_size > MAX_SOURCE_BYTES:
                return None
            try:
                data = _inflate(path, info, MAX_SOURCE_BYTES)
            except Exception:  # noqa: BLE001 - a corrupt member is no source, never a crash
                return None
            if data is None:
                return None
            return data.decode("utf-8", errors="replace")

        cands = _candidates(module, language, []) + (_ts_sources(module, []) if language == "javascript" else [])
        for rel in cands:
            text = member_text(rel)
            if text is not None:
                texts = {m: member_text(m) for m in members if m.endswith(PY_SUFFIXES + JS_SUFFIXES + TS_SUFFIXES)
                         and len(members) < 500}

                def sibling(r: str, _dir: str = os.path.dirname(rel),
                            _texts: dict[str, str | None] = texts) -> tuple[str, str] | None:
                    m = os.path.normpath(os.path.join(_dir, r)).replace(os.sep, "/")
                    t = _texts.get(m)
                    return (t, f"{disp}!{m}") if t is not None else None

                return Source(_lang_of_file(rel, language), text, f"{disp}!{rel}", name, read_sibling=sibling,
                              root_prefix=_prefix(os.path.relpath(".", os.path.dirname(rel) or ".")))
        stem = module
        if any(m.split(".", 1)[0] == stem for m in members):
            return NoSource(f"{path}: handler module {module} is not a source file")
        if not members:
            return NoSource(f"{path}: empty zip")
        return Missing("file", f"{disp} has no {cands[0]}", code.span)
