"""Run the catalogue over some paths: discover → load → (handler analysis) → rules → filters.

One bad input never stops the others: an ``InputError`` becomes an error record, and any other exception
while loading an input or running a rule becomes ``"<file>: internal error in <stage>: <type>: <message>"``
(with the traceback on standard error when ``INVLINT_DEBUG=1``). The caller decides the exit code.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from . import registry
from .config import Config, option_problem
from .model import Model, Record, field, record, replace
from .registry import PER_MODEL, Context, Finding, Related, Rule, rule_matches
from .source import InputError

if TYPE_CHECKING:
    from .discover import Found


class SelectionError(Exception):
    """A ``--select``/``--ignore``/config entry that names no rule: a usage error (exit code 2)."""


@record(slots=False)
class Result(Record):
    findings: list[Finding]
    errors: list[InputError]
    models: list[Model]
    rules: list[Rule] = field(default_factory=list)  # the rules that ran
    suppressed: int = 0  # hidden by inline comments or resource metadata
    baselined: int = 0  # hidden by the baseline
    all_findings: list[Finding] = field(default_factory=list)  # after suppressions, before the baseline
    #: things that did nothing although the user wrote them (unknown codes, stale baseline entries): one line
    #: each, shown on standard error; they do not change the exit code
    warnings: list[str] = field(default_factory=list)
    #: said with -v: files passed over while discovering the inputs, and why
    notes: list[str] = field(default_factory=list)
    #: the files read and searched for suppression comments (``suppress.SourceLines``): the reports show their
    #: lines without reading them again
    sources: Any = None

    @property
    def checked(self) -> int:
        """Templates and modules checked, nested stack templates (checked within their parent's model) included."""
        return len(self.models) + sum(len(m.nested_files) for m in self.models)


# ------------------------------------------------------------------------------------------------ selection


def _check_known(tokens: Iterable[str], rules: dict[str, Rule], what: str) -> None:
    for tok in tokens:
        if not any(rule_matches(tok, r) for r in rules.values()):
            hint = suggest(tok, rules)
            raise SelectionError(f"{what}: '{tok}' names no rule" + (f"; did you mean {hint}?" if hint else ""))


def suggest(token: str, rules: dict[str, Rule]) -> str | None:
    import difflib

    names = [r.code for r in rules.values()] + [r.name for r in rules.values()]
    t = token.strip()
    match = difflib.get_close_matches(t.upper(), [r.code for r in rules.values()], n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(t.lower(), names, n=1, cutoff=0.6)
    return match[0] if match else None


def resolve_rule_keys(mapping: dict[str, Any], rules: dict[str, Rule], what: str, *,
                      groups: bool = False) -> dict[str, Any]:
    """``{code or name: value}`` → ``{code: value}``; unknown keys are selection errors.

    ``groups``: a key may also name a family (``SQS``), a code prefix (``SQS00``) or ``ALL``, as selectors do; it
    gives its value to every rule it names, and the more specific key wins (``SQS001`` over ``SQS00`` over ``SQS``).
    """
    out: dict[str, Any] = {}
    grouped: list[tuple[int, list[str], Any]] = []
    for key, value in mapping.items():
        found = _find(key, rules)
        if found is not None:
            out[found.code] = value
            continue
        named = [r.code for r in rules.values() if rule_matches(key, r)] if groups else []
        if not named:
            hint = suggest(key, rules)
            raise SelectionError(f"{what}: '{key}' names no rule" + (f"; did you mean {hint}?" if hint else ""))
        grouped.append((0 if key.strip().upper() == "ALL" else len(key.strip()), named, value))
    wider: dict[str, Any] = {}
    for _, codes, value in sorted(grouped, key=lambda g: g[0]):
        wider.update(dict.fromkeys(codes, value))
    return {**wider, **out}


def _find(key: str, rules: dict[str, Rule]) -> Rule | None:
    k = key.strip()
    if k.upper() in rules:
        return rules[k.upper()]
    for r in rules.values():
        if r.name == k.lower():
            return r
    return None


def select_rules(config: Config, rules: dict[str, Rule] | None = None) -> tuple[list[Rule], dict[str, str]]:
    """The rules to run, in catalogue order, and the severity of each (after config overrides)."""
    rules = registry.all_rules() if rules is None else rules
    where = f"{config.source}" if config.source else "configuration"
    # each selector once: a list repeating one code a million times costs one check, not a million
    select = list(dict.fromkeys(config.select)) if config.select is not None else ["ALL"]
    ignore = list(dict.fromkeys(config.ignore))
    _check_known(select, rules, "--select" if not config.source else f"{where}: select")
    _check_known(ignore, rules, "--ignore" if not config.source else f"{where}: ignore")
    severity = resolve_rule_keys(config.severity, rules, f"{where}: severity", groups=True)
    chosen: list[Rule] = []
    levels: dict[str, str] = {}
    for r in rules.values():
        if not any(rule_matches(t, r) for t in select):
            continue
        if any(rule_matches(t, r) for t in ignore):
            continue
        level = severity.get(r.code, r.severity)
        if level == "off":
            continue
        chosen.append(r)
        levels[r.code] = level
    return chosen, levels


def rule_options(config: Config, rules: dict[str, Rule]) -> dict[str, dict[str, Any]]:
    """Each rule's options: its declared defaults, overridden by the configuration."""
    where = f"{config.source}" if config.source else "configuration"
    exact = {k: v for k, v in config.options.items() if _find(k, rules) is not None}
    given = {code: dict(v) for code, v in resolve_rule_keys(exact, rules, f"{where}: options").items()}
    origin: dict[tuple[str, str], str] = {}  # (code, option) → the family key that set it
    # a family or code prefix (``options.SQS``) sets each option for the rules it names that declare it
    groups = {k: v for k, v in config.options.items() if k not in exact}
    resolve_rule_keys(groups, rules, f"{where}: options", groups=True)  # names no rule: an error
    for key in sorted(groups, key=lambda k: 0 if k.strip().upper() == "ALL" else len(k.strip()), reverse=True):
        named = [r for r in rules.values() if rule_matches(key, r)]
        for option, value in (groups[key] if isinstance(groups[key], dict) else {}).items():
            takers = [r for r in named if option in r.options]
            if not takers:
                declared = sorted({o for r in named for o in r.options})
                raise SelectionError(f"{where}: options.{key}: unknown option '{option}' "
                                     f"({'known: ' + ', '.join(declared) if declared else 'its rules have no options'})")
            for r in takers:
                if option not in given.setdefault(r.code, {}):
                    given[r.code][option] = value
                    origin[(r.code, option)] = key
    out: dict[str, dict[str, Any]] = {}
    for code, r in rules.items():
        opts = dict(r.options)
        extra = given.get(code, {})
        unknown = sorted(k for k in extra if k not in r.options)
        if unknown:
            known = f"known: {', '.join(sorted(r.options))}" if r.options else "the rule has no options"
            raise SelectionError(f"{where}: options.{code}: unknown option '{unknown[0]}' ({known})")
        for key, value in extra.items():
            problem = option_problem(value, r.option_schema.get(key, {}))
            if problem:
                raise SelectionError(f"{where}: 'options.{origin.get((code, key), code)}.{key}': {problem}")
        opts.update(extra)
        out[code] = opts
    return out


# ---------------------------------------------------------------------------------------------------- running


def _internal(file: str, stage: str, exc: BaseException) -> InputError:
    if os.environ.get("INVLINT_DEBUG") == "1":
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    msg = str(exc).splitlines()[0] if str(exc) else ""
    return InputError(file, f"internal error in {stage}: {type(exc).__name__}: {msg}".rstrip(": "))


def _load_one(inp: Any, errors: list[InputError], sources: Any = None) -> Model | None:
    from .load import load_input

    try:
        model = load_input(inp, sources.register if sources is not None else None)
        errors.extend(model.errors)
        return model
    except InputError as exc:
        errors.append(exc)
    except RecursionError:
        errors.append(InputError(inp.display, "nesting too deep to read"))
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop the others
        errors.append(_internal(inp.display, "loading", exc))
    return None


def load_models(paths: list[str], config: Config | None = None) -> tuple[list[Model], list[InputError]]:
    """Discover and load ``paths`` without running rules (for ``invlint graph``)."""
    from .discover import inputs_to_check

    found = inputs_to_check(paths, config or Config())
    errors = found.errors
    models = []
    for inp in found.inputs:
        model = _load_one(inp, errors)
        if model is not None:
            models.append(model)
    dropped = _merged_away(list(models))
    return [m for i, m in enumerate(models) if i not in dropped], errors


def _collector_paused(fn: Any) -> Any:
    """Run ``fn`` with Python's cyclic garbage collector paused. A large template makes hundreds of thousands of
    small objects and no cycles; with the collector on, each collection walks all of them again, and checking
    a 2.8 MB template took twice as long (measured: 0.70 s against 0.35 s for 4,000 resources)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .formats.parse import gc_paused

        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper


@_collector_paused
def run(
    paths: list[str], config: Config | None = None, *, select: list[str] | None = None,
    ignore: list[str] | None = None, jobs: int = 1,
) -> Result:
    """Check ``paths`` with ``config``; never raises for bad input (``SelectionError`` for bad selectors).

    ``select``/``ignore`` replace the configuration's lists (as the command-line flags do). ``jobs`` is the
    number of processes checking inputs side by side (0: as many as the machine has, when there are enough
    inputs to repay starting them); the result is the same whatever it is. Which inputs the paths name is
    decided by ``discover.inputs_to_check``; ``check`` checks them.
    """
    from .discover import inputs_to_check

    config = replace(config) if config is not None else Config()  # never change the caller's
    if select is not None:
        config.select = list(select)
    if ignore is not None:
        config.ignore = list(ignore)
    plan = _Plan.of(config)  # a bad selector is reported before any file is read
    return _check(inputs_to_check(paths, config), config, plan, jobs)


@_collector_paused
def check(found: Found, config: Config | None = None, *, jobs: int = 1) -> Result:
    """Check the inputs ``discover`` found (see ``run``)."""
    config = config or Config()
    return _check(found, config, _Plan.of(config), jobs)


@record(slots=False)
class _Plan(Record):
    """The rules to run and how: selection, severities and options resolved from a configuration."""

    all_rules: dict[str, Rule]
    chosen: list[Rule]
    levels: dict[str, str]
    options: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, config: Config) -> _Plan:
        all_rules = registry.all_rules()
        chosen, levels = select_rules(config, all_rules)
        return cls(all_rules, chosen, levels, rule_options(config, all_rules))


def _check(found: Found, config: Config, plan: _Plan, jobs: int) -> Result:
    from .files import resolving_once

    with resolving_once():  # the same directories are resolved for many files: once each
        return _check_resolving_once(found, config, plan, jobs)


def _check_resolving_once(found: Found, config: Config, plan: _Plan, jobs: int) -> Result:
    from . import suppress

    all_rules, chosen, levels, options = plan.all_rules, plan.chosen, plan.levels, plan.options
    analyse: Callable[[Model], None] | None = None
    if any(r.needs_handlers for r in chosen):
        try:
            from .handlers import analyse_model as analyse
        except ImportError:
            chosen = [r for r in chosen if not r.needs_handlers]

    inputs, errors, skipped = found.inputs, list(found.errors), list(found.notes)

    overrides = set(resolve_rule_keys(config.severity, all_rules, "severity", groups=True))
    models: list[Model] = []
    findings: list[Finding] = []
    suppressed = 0
    sources = suppress.SourceLines()
    first_seen: dict[tuple[Any, ...], tuple[Finding, Model]] = {}
    used: set[suppress.Use] = set()
    looked_at: dict[str, None] = {}  # files findings point into, in the order first met
    contexts = {r.code: Context(options=options.get(r.code, {}), all_options=options) for r in chosen}
    checker = _Checker(chosen, levels, overrides, options, all_rules, analyse, contexts)
    for checked in _without_merged_stacks(list(_check_all(checker, inputs, jobs, sources))):
        errors.extend(checked.errors)
        if checked.comments:
            sources.adopt(checked.comments)
        if checked.model is None:
            continue
        models.append(checked.model)
        findings.extend(_once(checked.kept, checked.model, first_seen))
        suppressed += checked.hidden
        used |= checked.used
        looked_at.update(dict.fromkeys(checked.looked_at))

    findings.sort(key=Finding.sort_key)
    unique: dict[tuple[str, int, str], InputError] = {}
    for e in errors:  # a shared module's syntax error, read through several root modules, is one error
        unique.setdefault((e.file, e.line or 0, e.message), e)
    errors = sorted(unique.values(), key=lambda e: (e.file, e.line or 0))
    result = Result(findings, errors, models, chosen, suppressed=suppressed, all_findings=list(findings),
                    notes=skipped, sources=sources)
    for model in models:
        result.warnings.extend(dict.fromkeys(model.warnings))
    result.warnings.extend(suppress.unknown_warnings(models, sources, all_rules, lambda t: suggest(t, all_rules),
                                                     looked_at))
    if config.warn_unused_suppressions:
        result.warnings.extend(suppress.unused_warnings(models, sources, chosen, all_rules, used, looked_at))

    if config.write_baseline:
        from . import baseline as baseline_mod

        try:
            baseline_mod.write(config.write_baseline, findings, sources)
        except InputError as exc:
            result.errors.append(exc)
    elif config.baseline:
        from . import baseline as baseline_mod

        try:
            known = baseline_mod.read(config.baseline)
        except InputError as exc:
            result.errors.append(exc)
        else:
            result.findings, result.baselined = baseline_mod.apply(findings, known, sources)
            result.warnings.extend(_stale_entries(config.baseline, known, models))
    return result


@record(slots=False)
class _Checker(Record):
    """Everything needed to check one input, the same in this process and in a worker."""

    chosen: list[Rule]
    levels: dict[str, str]
    overrides: set[str]
    options: dict[str, dict[str, Any]]
    all_rules: dict[str, Rule]
    analyse: Callable[[Model], None] | None
    #: each chosen rule's context (its options), the same for every input
    contexts: dict[str, Context]

    def findings(self, model: Model, code_known: bool, errors: list[InputError]) -> list[Finding]:
        """The chosen rules' findings on ``model`` (those needing handler facts only when ``code_known``), each
        completed; a rule that fails adds an internal error to ``errors`` and the others run on."""
        runs = self.__dict__.get("_runs")
        if runs is None:  # each rule's code, check and context, looked up once for every input
            runs = self.__dict__["_runs"] = [(r, r.code, r.check, self.contexts[r.code], r.needs_handlers)
                                             for r in self.chosen]
        found: list[Finding] = []
        levels = self.levels
        # what the rules work out from the model and share (``rules._common.per_model``), while they run over it
        model.__dict__[PER_MODEL] = {}
        try:
            for r, code, check, ctx, needs_handlers in runs:
                if needs_handlers and not code_known:
                    continue
                try:
                    for f in check(model, ctx) or ():
                        if f.code and f.code != code and f.code not in levels:
                            continue  # a rule reporting under another code that is not selected
                        found.append(_complete(f, r, self.all_rules, levels, self.overrides))
                except Exception as exc:  # noqa: BLE001
                    errors.append(_internal(model.file, f"rule {code}", exc))
        finally:
            del model.__dict__[PER_MODEL]
        return found

    def __call__(self, inp: Any, sources: Any) -> Checked:
        """Load, analyse and check one input."""
        from . import suppress

        errors: list[InputError] = []
        model = _load_one(inp, errors, sources)  # the template's text is searched for suppression comments as read
        if model is None:
            return Checked(None, [], 0, errors, set(), [])
        code_known = False
        if self.analyse is not None:
            try:
                self.analyse(model)
                code_known = True
            except Exception as exc:  # noqa: BLE001
                errors.append(_internal(model.file, "handler analysis", exc))
        found = self.findings(model, code_known, errors)
        if model.construct_paths:
            from .cdk import name_constructs, to_project_sources

            name_constructs(found, model)
            to_project_sources(found, model)
        # a model's suppressions apply to its own findings only (two templates may share logical ids)
        kept, hidden, used = suppress.apply(found, model.suppressions, sources, model.suppression_at)
        looked_at = [f.span.file for f in found if f.span and f.span.file
                     and not suppress.resource_suppressed(f, model.suppressions)]
        return Checked(model, kept, hidden, errors, used, list(dict.fromkeys(looked_at)))


class Checked(NamedTuple):
    """One input checked, as a worker process sends it back (everything in it pickles)."""

    model: Model | None
    kept: list[Finding]  # the findings no suppression hides
    hidden: int  # how many suppressions hid
    errors: list[InputError]
    used: set[tuple[str, int, str]]  # the suppressions that hid them: (file, line, code as written)
    looked_at: list[str]  # the files findings point into, searched for suppression comments
    #: from a worker: the suppression comments it found, by file (this process need not read those files again)
    comments: dict[str, Any] | None = None


#: below this many inputs one process is as fast as a pool, started (measured: benchmarks/bench_scale.py --repo:
#: even at ~40 inputs on 2 cores, 1.3x faster at 170, 1.4x at 400)
PARALLEL_MIN_INPUTS = 48
#: inputs handed to a worker at a time
_CHUNK = 4
#: at most this many chunks: their numbers are written into a pipe all at once (4 bytes each), which must not fill
_MAX_CHUNKS = 512


def worker_count(jobs: int, inputs: int) -> int:
    """How many processes check ``inputs`` inputs for ``--jobs jobs`` (0: automatic). 1 means this one."""
    if jobs == 1 or inputs < 2:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if jobs <= 0:
        if inputs < PARALLEL_MIN_INPUTS:
            return 1
        jobs = cores
    return max(1, min(jobs, -(-inputs // _CHUNK)))


def _chunks(indices: list[int]) -> list[list[int]]:
    size = max(_CHUNK, -(-len(indices) // _MAX_CHUNKS))
    return [indices[k:k + size] for k in range(0, len(indices), size)]


def _take(queue: int) -> int | None:
    """The number of the next chunk to check, from the queue every process reads (a pipe holding only 4-byte
    records, all written before any read: a read of 4 bytes never splits one), or None when it is empty."""
    record = os.read(queue, 4)
    return int.from_bytes(record, "little") if len(record) == 4 else None


def _reduce_input_error(e: InputError) -> tuple[Any, ...]:
    return InputError, (e.file, e.message, e.line), e.__dict__


def _dumps(obj: Any) -> bytes:
    """``obj`` pickled, input errors whole (by default an exception is rebuilt from its message alone, and
    ``InputError(message)`` cannot be built)."""
    import copyreg
    import io
    import pickle

    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, InputError: _reduce_input_error}
    pickler.dump(obj)
    return buf.getvalue()


def _worker(checker: _Checker, inputs: list[Any], chunks: list[list[int]], queue: int, out: int) -> None:
    """A forked worker: check chunks from the queue until it is empty, writing each chunk's results to ``out`` (a
    frame: length, then the pickled chunk number and results); then end this process, whatever happens."""
    code = 1
    try:
        from . import suppress

        while (k := _take(queue)) is not None and k < len(chunks):
            results = []
            for index in chunks[k]:
                sources = suppress.SourceLines()
                results.append(checker(inputs[index], sources)._replace(comments=sources.indexed()))
            data = _dumps((k, results))
            view = memoryview(len(data).to_bytes(8, "little") + data)
            while view:
                view = view[os.write(out, view):]
        code = 0
    except BaseException:  # noqa: BLE001 - the parent checks whatever this process did not send back
        if os.environ.get("INVLINT_DEBUG") == "1":
            import traceback

            traceback.print_exc()
    finally:
        os._exit(code)


def _receive(buf: bytearray, got: dict[int, list[Checked]]) -> None:
    """The complete frames at the start of ``buf``, unpickled into ``got`` and removed from ``buf``."""
    import pickle

    while len(buf) >= 8:
        size = int.from_bytes(buf[:8], "little")
        if len(buf) < 8 + size:
            return
        try:
            k, results = pickle.loads(buf[8:8 + size])
        except Exception:  # noqa: BLE001 - not sent back, then: this process checks that chunk again
            pass
        else:
            got[k] = results
        del buf[:8 + size]


def _collect(fd: int, parts: list[bytes]) -> None:
    """In a thread of this process: read a worker's pipe until the worker ends (so that it never waits for this
    process to read), appending what arrives to ``parts``."""
    try:
        while data := os.read(fd, 1 << 20):
            parts.append(data)
    except OSError:
        pass


def _received(parts: list[list[bytes]], bufs: list[bytearray], got: dict[int, list[Checked]]) -> None:
    """What the reader threads have collected so far, as complete frames, into ``got``."""
    for collected, buf in zip(parts, bufs, strict=True):
        n = len(collected)
        if n:
            buf += b"".join(collected[:n])
            del collected[:n]
            _receive(buf, got)


def _in_processes(checker: _Checker, inputs: list[Any], workers: int, sources: Any,
                  done: dict[int, Checked]) -> None:
    """Check the inputs not ``done`` yet in this process and ``workers - 1`` forked ones, into ``done``. What a
    worker took and did not send back (it was killed) stays not done."""
    import threading

    chunks = _chunks([i for i in range(len(inputs)) if i not in done])
    queue, queue_in = os.pipe()
    try:
        os.write(queue_in, b"".join(k.to_bytes(4, "little") for k in range(len(chunks))))
    finally:
        os.close(queue_in)
    fds: list[int] = []
    pids: list[int] = []
    got: dict[int, list[Checked]] = {}
    threads: list[threading.Thread] = []
    finished = False
    try:
        for _ in range(workers - 1):
            fd, out = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes: fewer workers
                os.close(fd)
                os.close(out)
                break
            if pid == 0:  # the worker: never returns
                try:
                    os.close(fd)
                    for other in fds:
                        os.close(other)
                    _worker(checker, inputs, chunks, queue, out)
                finally:
                    os._exit(1)
            os.close(out)
            fds.append(fd)
            pids.append(pid)
        parts: list[list[bytes]] = [[] for _ in fds]
        bufs = [bytearray() for _ in fds]
        # started once every worker is forked (a process is never forked while it runs threads)
        threads = [threading.Thread(target=_collect, args=(fd, collected), daemon=True)
                   for fd, collected in zip(fds, parts, strict=True)]
        for thread in threads:
            thread.start()
        while (k := _take(queue)) is not None and k < len(chunks):
            done.update((i, checker(inputs[i], sources)) for i in chunks[k])
            _received(parts, bufs, got)
        for thread in threads:
            thread.join()
        _received(parts, bufs, got)
        finished = True
    finally:
        if not finished:  # interrupted: the workers stop too
            import signal

            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            for thread in threads:
                if thread.ident is not None:  # started
                    thread.join()
        os.close(queue)
        for fd in fds:
            os.close(fd)
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # already reaped (SIGCHLD ignored)
                pass
    for k, results in got.items():
        done.update(zip(chunks[k], results, strict=True))


def _examples(inputs: list[Any]) -> list[int]:
    """One small input of each kind, checked here before the workers start: what checking needs is imported
    and set up once (parsers, the Terraform grammar), not again in every worker."""
    first: dict[str, int] = {}
    sizes: dict[int, int] = {}
    looked: dict[str, int] = {}  # files of each kind whose size was asked
    for i, inp in enumerate(inputs):
        if inp.kind == "terraform":  # a directory: the first one
            first.setdefault(inp.kind, i)
            continue
        if looked.get(inp.kind, 0) >= 32:
            continue
        looked[inp.kind] = looked.get(inp.kind, 0) + 1
        try:
            sizes[i] = os.stat(inp.path).st_size
        except OSError:
            continue
        if inp.kind not in first or sizes[i] < sizes[first[inp.kind]]:
            first[inp.kind] = i
    return sorted(first.values())


def _check_all(checker: _Checker, inputs: list[Any], jobs: int, sources: Any
               ) -> Iterable[Checked]:
    """Every input checked, in input order; in several processes when there are enough inputs.

    Workers are forked, so they share the rules and inputs without pickling them; only models, findings and
    errors come back, through a pipe each. This process is one of the ``workers``: every process takes the next
    chunk of inputs from one shared queue until it is empty (what this one checks is not sent back and forth).
    Where processes cannot be forked, one process does it.
    """
    workers = worker_count(jobs, len(inputs))
    if workers > 1 and hasattr(os, "fork") and not any(inp.is_stdin for inp in inputs):
        done = {i: checker(inputs[i], sources) for i in _examples(inputs)}
        try:
            _in_processes(checker, inputs, workers, sources, done)
        except (OSError, RuntimeError):  # no pipes, processes or threads here (a sandbox): this one checks the rest
            pass
        # what is not done (no workers, or one ended before sending its chunks back) is checked here
        return (done[i] if i in done else checker(inp, sources) for i, inp in enumerate(inputs))
    return (checker(inp, sources) for inp in inputs)


def _merged_away(models: list[Model | None]) -> set[int]:
    """The positions of the models of nested stack templates that another model holds: a nested stack's template
    is checked as part of the stack that creates it; checked again on its own it would repeat those findings
    without the parent's links. A template nested by no other is kept, and every template it merged is dropped;
    in a cycle the first one is kept."""
    from .files import realpath

    covers = {i: {realpath(f) for f in m.nested_files} for i, m in enumerate(models) if m and m.nested_files}
    if not covers:
        return set()
    where = {i: realpath(m.file) for i, m in enumerate(models) if m is not None}
    merged = set().union(*covers.values())
    dropped: set[int] = set()
    for roots_only in (True, False):
        for i in sorted(covers):
            if i in dropped or (roots_only and where[i] in merged):
                continue
            dropped |= {j for j, path in where.items() if path in covers[i] and j != i}
    return dropped


def _without_merged_stacks(results: list[Checked]) -> list[Checked]:
    dropped = _merged_away([r.model for r in results])
    return [r if i not in dropped else Checked(None, [], 0, r.errors, set(), []) for i, r in enumerate(results)]


def _once(found: list[Finding], model: Model, first_seen: dict[tuple[Any, ...], tuple[Finding, Model]]
          ) -> list[Finding]:
    """One finding per problem: a Terraform module used by several root modules yields the same finding (same
    rule, same place) from each; the first is kept and lists the other roots' ``module`` blocks as related."""
    out = []
    for f in found:
        s = f.span
        if s is None:
            out.append(f)
            continue
        key = (f.code, s.file, s.line, s.column)
        seen = first_seen.get(key)
        if seen is None or seen[1] is model:  # within one model, two instances on one line are two findings
            first_seen.setdefault(key, (f, model))
            out.append(f)
            continue
        first, first_model = seen
        if not any(r.message.startswith("reached through the root module") for r in first.related):
            first.related.append(_through_root(first, first_model))
        first.related.append(_through_root(f, model))
    return out


def _through_root(f: Finding, model: Model) -> Related:
    call = _root_call(f.resource, model)
    return Related(model.module_calls.get(call) if call else None, call,
                   f"reached through the root module {model.file}")


def _root_call(address: str | None, model: Model) -> str | None:
    """``module.a["x"].module.b.aws_sqs_queue.q`` → ``module.a`` when that is a root ``module`` block."""
    if not address or not address.startswith("module."):
        return None
    name = address.split(".", 2)[1].split("[", 1)[0]
    return f"module.{name}" if f"module.{name}" in model.module_calls else None


def _stale_entries(path: str, known: Any, models: list[Model]) -> list[str]:
    """A warning for each baseline entry that matched nothing in what this run checked. Entries for files the run
    did not look at (a hook checks only changed files) are not stale, so they are left alone."""
    from .baseline import describe
    from .discover import project_root
    from .identity import CODE_SUFFIXES, project_path

    checked = {project_path(f) for m in models for f in (m.file, *m.nested_files)}
    functions = {fid for m in models for fid in m.functions}
    out = []
    for e in known.unmatched:
        file = str(e.get("file") or "")
        here = file in checked
        if not here and file.endswith(CODE_SUFFIXES):
            here = e.get("function") in functions
        if not here and file and not os.path.exists(os.path.join(project_root(os.getcwd()), file)):
            here = True  # the file is gone
        if here:
            out.append(f"{path}: warning: baseline entry {describe(e)} matches no finding "
                       "(fixed? --write-baseline rewrites the baseline)")
    return out


def _complete(f: Finding, r: Rule, rules: dict[str, Rule], levels: dict[str, str], overrides: set[str]) -> Finding:
    """Fill what a rule may leave out: code, name, severity (a configured severity wins over the rule's)."""
    if not f.code:
        f.code = r.code
    own = rules.get(f.code, r)
    if not f.name:
        f.name = own.name
    if f.code in overrides or not f.severity:
        f.severity = levels.get(f.code, own.severity)
    return f
