"""Reading the project's files: only regular files, only inside the project root, never more than a limit.

Every file invlint reads (templates, Terraform files and variables, handler code, code packages, configuration,
baselines) goes through ``refusal`` and ``read_limited``: a symlink whose target resolves outside the project
root is not followed (a pull request could otherwise point ``creds.tf`` at a CI runner's credentials and have
their first bytes quoted in an error), and a FIFO, socket or device is never opened (opening a FIFO blocks
until a writer comes; reading ``/dev/zero`` never ends). Files are opened non-blocking and checked again
after opening, so a file swapped for a FIFO in between cannot hang the run either.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator

from .source import InputError

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"),
)


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


#: while a check runs: each directory's resolved path, by (working directory, directory as written); the working
#: directory is "" for an absolute path. A repository's files share a few directories, and resolving a path stats
#: every component of it again.
_REAL_DIRS: dict[tuple[str, str], str] | None = None
#: while a check runs: whether a path lies in a root, by (working directory or "", path, root)
_INSIDE: dict[tuple[str, str, str], bool] | None = None


@contextlib.contextmanager
def resolving_once() -> Iterator[None]:
    """Within the block, ``realpath`` resolves each directory once (the tree is taken not to change meanwhile)."""
    global _REAL_DIRS, _INSIDE
    if _REAL_DIRS is not None:  # already inside one
        yield
        return
    _REAL_DIRS, _INSIDE = {}, {}
    try:
        yield
    finally:
        _REAL_DIRS = _INSIDE = None


#: an absolute path is a string beginning with "/" (``os.path.isabs`` with no call, on POSIX)
_POSIX = os.sep == "/" and os.altsep is None


def realpath(path: str) -> str:
    """``os.path.realpath(path)``; inside ``resolving_once``, each directory is resolved once, from its parent."""
    cache = _REAL_DIRS
    if cache is None or ".." in path or "//" in path:  # ``..`` after a symlink is not the parent as written
        return os.path.realpath(path)
    key = ("" if (path.startswith("/") if _POSIX else os.path.isabs(path)) else os.getcwd(), path)
    real = cache.get(key)
    if real is None:
        real = cache[key] = _resolve(path, key[0], cache)
    return real


def _resolve(path: str, cwd: str, cache: dict[tuple[str, str], str]) -> str:
    head, name = os.path.split(path)
    if not head or head == path or name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    real = cache.get((cwd, head))
    if real is None:
        real = cache[(cwd, head)] = _resolve(head, cwd, cache)
    return os.path.join(real, name)


def inside(path: str, root: str) -> bool:
    """Does ``path``, symlinks resolved, lie in ``root`` (symlinks resolved too)?"""
    cache = _INSIDE
    if cache is None:
        return _inside(path, root)
    absolute = path.startswith("/") and root.startswith("/") if _POSIX else os.path.isabs(path) and os.path.isabs(root)
    key = ("" if absolute else os.getcwd(), path, root)
    got = cache.get(key)
    if got is None:
        got = cache[key] = _inside(path, root)
    return got


def _inside(path: str, root: str) -> bool:
    real = realpath(path)
    base = realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def refusal(path: str, root: str | None, *, directory: bool = False) -> str | None:
    """Why ``path`` must not be read (a symlink leaving ``root``, a special file, missing), or None."""
    try:
        st: os.stat_result | None = os.lstat(path)
    except (OSError, ValueError):
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        if root is not None and not inside(path, root):
            what = "directory" if directory else "file"
            return f"a symlink to a {what} outside the project ({realpath(root)}); not followed"
        st = None
    if st is None:  # a symlink, followed; or not there (``stat`` says why)
        try:
            st = os.stat(path)
        except OSError as exc:
            return f"cannot read: {exc.strerror or exc}"
    if directory:
        return None if stat.S_ISDIR(st.st_mode) else "not a directory"
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file ({kind_of(st.st_mode)}); not read"
    if root is not None and not inside(path, root):
        return f"resolves outside the project ({realpath(root)}); not read"
    return None


def read_limited(path: str, display: str, limit: int, root: str | None = None, what: str = "files") -> bytes:
    """The bytes of a regular file inside ``root``, at most ``limit`` of them; else an ``InputError``."""
    why = refusal(path, root)
    if why is not None:
        raise InputError(display, why)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(display, f"not a regular file ({kind_of(st.st_mode)}); not read")
        if st.st_size > limit:
            raise InputError(display, f"file is {st.st_size / 1e6:.1f} MB; {what} over "
                                      f"{_size(limit)} are not read")
        data = read_up_to(fd, limit + 1, st.st_size)
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(display, f"{what} over {_size(limit)} are not read")
    return data


def read_up_to(fd: int, most: int, size: int) -> bytes:
    """At most ``most`` bytes from ``fd``, to its end (``size``: the length it had, so one read mostly does)."""
    data = os.read(fd, min(most, size + 1))
    if not data or len(data) >= most:
        return data
    chunks = [data]
    got = len(data)
    while got < most:
        more = os.read(fd, min(most - got, 1024 * 1024))
        if not more:
            break
        chunks.append(more)
        got += len(more)
    return b"".join(chunks)


def _size(limit: int) -> str:
    mib = limit / (1024 * 1024)
    return f"{mib:g} MiB" if mib >= 1 else f"{limit // 1024} KiB"
