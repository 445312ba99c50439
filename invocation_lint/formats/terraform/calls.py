"""Which local modules a Terraform module calls, read cheaply (a text scan, no HCL parser) for discovery."""

from __future__ import annotations

import os
import re
import stat

_MODULE_SOURCE = re.compile(r'''^\s*source\s*=\s*"(\.\.?/[^"]*)"''', re.M)


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def called_local_modules(dir_path: str) -> set[str]:
    """The directories (real paths) of the local modules that the module in ``dir_path`` calls.

    Cheap (a text scan, no HCL parser), for discovery: a directory called as a child module is checked as part
    of its caller, with the caller's inputs; checking it again as a root module, where its variables have no
    values, repeats findings under other addresses.
    """
    out: set[str] = set()
    try:
        names = os.listdir(dir_path)
    except OSError:
        return out
    for name in names:
        if not (name.endswith(".tf") or name.endswith(".tf.json")):
            continue
        full = os.path.join(dir_path, name)
        try:  # a regular file, not a symlink (its calls are not guessed at), never a FIFO: one lstat says both
            if not stat.S_ISREG(os.lstat(full).st_mode):
                continue
        except OSError:
            continue
        try:
            with open(full, "rb", opener=_nonblocking) as fh:
                data = fh.read(2 * 1024 * 1024)
        except OSError:
            continue
        if b"source" not in data:  # no module call in this file
            continue
        text = data.decode("utf-8", errors="replace")
        if name.endswith(".tf.json"):
            sources = re.findall(r'"source"\s*:\s*"(\.\.?/[^"]*)"', text)
        else:
            sources = _MODULE_SOURCE.findall(text)
        for src in sources:
            out.add(os.path.realpath(os.path.join(dir_path, src)))
    return out
