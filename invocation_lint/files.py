"""Reading the project's files: only regular files, only inside the project root, never more than a limit.

Every file invlint reads (templates, Terraform files and variables, handler code, code packages, configuration,
baselines) goes through ``refusal`` and ``read_limited``: a symlink whose target resolves outside the project
root is not followed (a pull request could otherwise point ``creds.tf`` at a CI runner's credentials and have
their first bytes quoted in an error), and a FIFO, socket or device is never opened (opening a FIFO blocks
until a writer comes; reading ``/dev/zero`` never ends). Files are opened non-blocking and checked again
after opening, so a file swapped for a FIFO in between cannot hang the run either.
"""

from __future__ import annotations

import os
import stat

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


def inside(path: str, root: str) -> bool:
    """Does ``path``, symlinks resolved, lie in ``root`` (symlinks resolved too)?"""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def refusal(path: str, root: str | None, *, directory: bool = False) -> str | None:
    """Why ``path`` must not be read (a symlink leaving ``root``, a special file, missing), or None."""
    if root is not None and os.path.islink(path) and not inside(path, root):
        what = "directory" if directory else "file"
        return f"a symlink to a {what} outside the project ({os.path.realpath(root)}); not followed"
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if directory:
        return None if stat.S_ISDIR(st.st_mode) else "not a directory"
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file ({kind_of(st.st_mode)}); not read"
    if root is not None and not inside(path, root):
        return f"resolves outside the project ({os.path.realpath(root)}); not read"
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
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(display, f"{what} over {_size(limit)} are not read")
    return data


def _size(limit: int) -> str:
    mib = limit / (1024 * 1024)
    return f"{mib:g} MiB" if mib >= 1 else f"{limit // 1024} KiB"
