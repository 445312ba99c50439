"""CDK cloud assemblies: findings named by construct path, and handler findings moved from the staged copy of
the code (``cdk.out/asset.<hash>/``, build output that is not committed) to the project file it was copied from.

A staged file is matched to a project file by identical content: ``lambda.Code.fromAsset(dir)`` copies ``dir``
as it is. Only the folders of the app that synthesized the assembly (the directory holding ``cdk.out``) are
searched, never outside the project root, and only up to ``MAX_FILES`` files; a bundled asset (esbuild) has no
identical source and keeps its staged location.
"""

from __future__ import annotations

import os

from .discover import SKIP_DIRS
from .model import Model
from .registry import Finding, Related

#: files looked at, at most, in one app's source folders
MAX_FILES = 5000
MAX_BYTES = 2 * 1024 * 1024
_SKIP = SKIP_DIRS | {"cdk.out", "node_modules"}


def name_constructs(found: list[Finding], model: Model) -> None:
    for f in found:
        if f.resource and f.construct_path is None:
            f.construct_path = model.construct_paths.get(f.resource)


def _staged_root(path: str) -> tuple[str, str] | None:
    """(the cloud assembly directory, the app directory) when ``path`` lies in a staged ``asset.*`` folder."""
    parts = os.path.abspath(path).split(os.sep)
    for i in range(len(parts) - 1, 0, -1):
        if parts[i].startswith("asset.") and i + 1 < len(parts):
            assembly = os.sep.join(parts[:i]) or os.sep
            if os.path.exists(os.path.join(assembly, "manifest.json")):
                return assembly, os.path.dirname(assembly)
    return None


class _Index:
    """Project files by size, per app directory, built once per run."""

    def __init__(self) -> None:
        self.by_app: dict[str, dict[int, list[str]]] = {}

    def files(self, app: str, base: str) -> dict[int, list[str]]:
        if app in self.by_app:
            return self.by_app[app]
        sizes: dict[int, list[str]] = {}
        seen = 0
        root = os.path.realpath(base)
        for dirpath, dirnames, filenames in os.walk(app, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP and not d.startswith(("cdk.out", "asset.")))
            for name in sorted(filenames):
                seen += 1
                if seen > MAX_FILES:
                    break
                full = os.path.join(dirpath, name)
                real = os.path.realpath(full)
                if not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)) or os.path.islink(full):
                    continue
                try:
                    size = os.path.getsize(full)
                except OSError:
                    continue
                if size <= MAX_BYTES:
                    sizes.setdefault(size, []).append(full)
            if seen > MAX_FILES:
                break
        self.by_app[app] = sizes
        return sizes


_INDEX = _Index()


def _same_bytes(a: str, b: str) -> bool:
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            return fa.read(MAX_BYTES + 1) == fb.read(MAX_BYTES + 1)
    except OSError:
        return False


def project_source(staged: str, base: str) -> str | None:
    """The project file with the staged file's content (the first in path order), or None."""
    found = _staged_root(staged)
    if found is None or not base:
        return None
    _assembly, app = found
    root = os.path.realpath(base)
    if not os.path.realpath(app).startswith(root.rstrip(os.sep) + os.sep) and os.path.realpath(app) != root:
        return None
    try:
        size = os.path.getsize(staged)
    except OSError:
        return None
    suffix = os.path.splitext(staged)[1]
    for cand in _INDEX.files(app, base).get(size, []):
        if os.path.splitext(cand)[1] == suffix and _same_bytes(staged, cand):
            return cand
    return None


def to_project_sources(found: list[Finding], model: Model) -> None:
    """Each finding in a staged asset file is moved to its project copy; the staged place becomes related."""
    from .handlers.locate import display_path

    moved: dict[str, str | None] = {}
    for f in found:
        s = f.span
        if s is None or "asset." not in s.file:
            continue
        if s.file not in moved:
            target = project_source(s.file, model.base_dir)
            moved[s.file] = display_path(target) if target else None
        target = moved[s.file]
        if target is None:
            continue
        # the finding's other places in the same staged file move with it
        f.related = [r if r.span is None or r.span.file != s.file else Related(r.span._replace(file=target), r.resource, r.message)
                     for r in f.related]
        f.related.insert(0, Related(s, f.resource, "the staged copy in the cloud assembly"))
        f.span = s._replace(file=target)
