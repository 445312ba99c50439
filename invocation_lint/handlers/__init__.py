"""Handler code analysis: locate each function's handler source and turn it into facts for the HANDLER rules.

``analyse_model`` fills ``model.handler_facts[function_id]`` with a ``HandlerFacts``. It never raises for bad
code: a file that does not parse gives ``parse_error``; code that cannot be located gives no facts (and a note).
Python is read with ``ast``; JavaScript and TypeScript with tree-sitter, imported only when such a handler is
found, so a project of Python functions never loads it.
"""

from __future__ import annotations

import os

from invocation_lint.model import Function, Model, replace

from .facts import CatchFact, HandlerFacts, ItemIdFact, ReturnFact
from .locate import Missing, NoSource, Source, locate

__all__ = ["CatchFact", "HandlerFacts", "ItemIdFact", "ReturnFact", "analyse_model", "analyse_function",
           "analyse_source"]


def analyse_model(model: Model) -> None:
    """Fill ``model.handler_facts`` for every function whose handler code can be located."""
    from .locate import reading_once

    with reading_once():  # functions sharing a file read it once
        _analyse_all(model)


def _analyse_all(model: Model) -> None:
    cache: dict[tuple[str, str, str, int], HandlerFacts] = {}
    noted: set[str] = set()
    for fid, fn in model.functions.items():
        if fid in model.handler_facts:
            continue
        try:
            facts = analyse_function(fid, fn, model.base_dir, cache, noted, model.notes)
        except RecursionError:
            facts = None
            model.notes.append(f"{fid}: handler code nested too deeply to analyse")
        except Exception as exc:  # one unreadable handler must not cost the other functions their facts
            if os.environ.get("INVLINT_DEBUG") == "1":
                raise
            facts = None
            model.notes.append(f"{fid}: internal error in handler analysis: {type(exc).__name__}: {exc}")
        if facts is not None:
            model.handler_facts[fid] = facts
            if facts.parse_error is not None:
                at = facts.parse_error
                model.notes.append(f"{fid}: {at.file}:{at.line}: handler code does not parse; its HANDLER rules "
                                   "are not checked")
            elif facts.note:
                model.notes.append(f"{fid}: {facts.note}")


def analyse_function(fid: str, fn: Function, base_dir: str, cache: dict | None = None,
                     noted: set[str] | None = None, notes: list[str] | None = None) -> HandlerFacts | None:
    """The facts of one function's handler, or None when its code cannot be located (said in ``notes``)."""
    where = locate(fn, base_dir)
    if isinstance(where, NoSource):
        if notes is not None and where.note:
            key = where.note.split(":", 1)[0] if where.note.startswith("runtime") else where.note
            if noted is None or key not in noted:
                notes.append(f"{fid}: {where.note}")
                if noted is not None:
                    noted.add(key)
        return None
    if isinstance(where, Missing):
        facts = HandlerFacts(fid, missing=where.what, missing_detail=where.detail, span=where.span)  # type: ignore[arg-type]
        return facts
    source_key = (where.language, where.display, where.function_name, where.line_offset)
    if cache is not None and source_key in cache:
        return replace(cache[source_key], function=fid)
    facts = analyse_source(fid, where)
    if cache is not None:
        cache[source_key] = facts
    return facts


def analyse_source(fid: str, src: Source) -> HandlerFacts:
    """Facts of the handler ``src.function_name`` in ``src`` (for tests and the benchmark as well)."""
    facts = HandlerFacts(fid, language=src.language, file=src.display)
    if src.language == "python":
        from .python import analyse_python

        analyse_python(src, facts)
    else:
        from .javascript import analyse_javascript

        analyse_javascript(src, facts)
    return facts
