"""Project configuration: ``[tool.invlint]`` in ``pyproject.toml``, or ``.invlint.yaml`` / ``.invlint.yml``.

The file is found from the current directory upwards, stopping at a directory holding ``.git`` (the project
root) or at the filesystem root; ``--config FILE`` names it explicitly. Command-line flags win over it.

The configuration is checked against ``SCHEMA`` (JSON Schema). ``jsonschema`` costs ~150 ms to import, more
than a whole ``invlint check`` run, so a valid file is accepted by a small checker that interprets the same
schema (``_quick_valid``); only a file it rejects is handed to ``jsonschema``, which words the error. The
two agree on every case in ``tests/test_config.py``.
"""

from __future__ import annotations

import os
from typing import Any

from .model import Record, field, record

SEVERITY_VALUES = ["info", "warning", "error", "off"]
FAIL_ON_VALUES = ["error", "warning", "info"]

_STR_LIST: dict[str, Any] = {
    "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
}

#: the configuration's shape; keys use dashes (``fail-on``), underscores are accepted as aliases
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "select": _STR_LIST,
        "ignore": _STR_LIST,
        "fail-on": {"type": "string", "enum": FAIL_ON_VALUES},
        "severity": {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": SEVERITY_VALUES},
        },
        "options": {
            "type": "object",
            "additionalProperties": {"type": "object"},
        },
        "baseline": {"type": "string"},
        "exclude": _STR_LIST,
        "warn-unused-suppressions": {"type": "boolean"},
    },
}

CONFIG_NAMES = (".invlint.yaml", ".invlint.yml")
#: a configuration is a few lines; anything near this size is not one
MAX_CONFIG_BYTES = 1024 * 1024


class ConfigError(Exception):
    """A configuration file that cannot be used: one line naming the file (and key), exit code 2."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@record(slots=False)
class Config(Record):
    """Everything that changes what ``invlint check`` reports. Defaults: every rule, fail on warnings."""

    select: list[str] | None = None  # None: every rule
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    severity: dict[str, str] = field(default_factory=dict)  # code or name → info|warning|error|off
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # code or name → rule options
    baseline: str | None = None  # path, already resolved against the config file's directory
    write_baseline: str | None = None
    exclude: list[str] = field(default_factory=list)
    skip_non_templates: bool = False
    warn_unused_suppressions: bool = False  # a warning for each suppression that hid nothing
    source: str | None = None  # the file this came from, if any
    notes: list[str] = field(default_factory=list)  # said with -v: files that were not read, and why


# ------------------------------------------------------------------------------------------------ discovery


def find_config(start: str | None = None, notes: list[str] | None = None) -> str | None:
    """The nearest configuration file from ``start`` upwards, or None.

    In each directory ``.invlint.yaml``/``.invlint.yml`` come first; a ``pyproject.toml`` counts only when
    it has a ``[tool.invlint]`` table (a project may have a pyproject for other reasons). A symlink leaving
    the project, or a FIFO or device under one of these names, is passed over (said in ``notes``).
    """
    here = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_NAMES:
            cand = os.path.join(here, name)
            if _usable(cand, notes):
                return cand
        cand = os.path.join(here, "pyproject.toml")
        if _usable(cand, notes) and _mentions_invlint(cand):
            return cand
        if os.path.exists(os.path.join(here, ".git")):
            return None
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _root_of(path: str) -> str:
    from .discover import project_root

    return project_root(path)


def _usable(path: str, notes: list[str] | None) -> bool:
    if not os.path.lexists(path):
        return False
    from .files import refusal

    why = refusal(path, _root_of(path))
    if why is not None and notes is not None:
        notes.append(f"{path}: {why}")
    return why is None


def _mentions_invlint(path: str) -> bool:
    from .files import read_limited
    from .source import InputError

    try:
        return b"tool.invlint" in read_limited(path, path, MAX_CONFIG_BYTES, _root_of(path))
    except InputError:
        return True  # read again, to say why it cannot be used


# -------------------------------------------------------------------------------------------------- reading


def _read_toml(path: str) -> dict[str, Any] | None:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ModuleNotFoundError as exc:
            raise ConfigError(path, "reading pyproject.toml needs Python 3.11+ or the 'tomli' package") from exc
    text = _text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from exc
    except RecursionError:
        raise ConfigError(path, "nesting too deep to read") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "invlint" not in tool:
        return None
    return tool["invlint"]


def _read_yaml(path: str) -> Any:
    import yaml

    text = _text(path)
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        if fast is not None:  # libyaml: a 1 MiB list takes 0.3 s instead of 2 s
            try:
                data = yaml.load(text, Loader=fast)  # noqa: S506 - a safe loader
            except yaml.YAMLError:
                fast = None  # read again below, so that errors are worded as always
        if fast is None:
            data = yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(path, "nesting too deep to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(path, f"invalid YAML{where}: {problem}") from exc
    return {} if data is None else data


def _text(path: str) -> str:
    """The configuration file's text: a regular UTF-8 file inside the project, at most 1 MiB."""
    from .files import read_limited
    from .source import InputError

    try:
        data = read_limited(path, path, MAX_CONFIG_BYTES, _root_of(path), "configuration files")
    except InputError as exc:
        raise ConfigError(path, exc.message) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError(path, f"not UTF-8 text (line {line})") from None


def read_config_file(path: str) -> dict[str, Any]:
    """The raw, validated configuration mapping of ``path`` (keys normalised to dashes)."""
    if os.path.basename(path) == "pyproject.toml" or path.endswith(".toml"):
        raw = _read_toml(path)
        if raw is None:
            raw = {}
        prefix = "tool.invlint"
    else:
        raw = _read_yaml(path)
        prefix = ""
    if isinstance(raw, dict):
        raw = {str(k).replace("_", "-") if isinstance(k, str) else k: v for k, v in raw.items()}
    validate(raw, path, prefix)
    return raw


def validate(raw: Any, path: str, prefix: str = "") -> None:
    """Raise ConfigError naming the file and the key when ``raw`` does not match ``SCHEMA``."""
    if _quick_valid(raw, SCHEMA):
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(raw), key=lambda e: (len(e.absolute_path), str(e.absolute_path)))
    if not errors:  # the quick checker is stricter than needed somewhere: trust jsonschema
        return
    err = errors[0]
    keys = [str(p) for p in err.absolute_path]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set((err.schema.get("properties") or {}).keys())
        extra = sorted(str(k) for k in err.instance if k not in allowed)
        key = ".".join([prefix, *keys, extra[0]] if prefix else [*keys, extra[0]]) if extra else prefix
        known = ", ".join(sorted(allowed))
        raise ConfigError(path, f"unknown key '{key}' (known keys: {known})")
    key = ".".join([prefix, *keys] if prefix else keys) or "(top level)"
    if err.validator == "enum":
        choices = "|".join(str(c) for c in err.validator_value)
        raise ConfigError(path, f"'{key}': {err.instance!r} is not one of {choices}")
    if err.validator in ("type", "anyOf"):
        want = _describe(err.schema)
        raise ConfigError(path, f"'{key}': expected {want}, got {type(err.instance).__name__}")
    raise ConfigError(path, f"'{key}': {err.message}")


def option_problem(value: Any, schema: dict[str, Any]) -> str | None:
    """Why ``value`` does not match a rule option's ``schema`` (None when it does)."""
    if isinstance(value, float):
        import math

        if not math.isfinite(value):
            return f"must be a finite number, got {value!r}"
    if _quick_valid(value, schema):
        return None
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(value))
    if not errors:
        return None
    err = errors[0]
    if err.validator == "type":
        return f"expected {_describe(schema)}, got {value!r}"
    if err.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}[str(err.validator)]
        return f"must be {words} {err.validator_value}, got {value!r}"
    return err.message


def _describe(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_describe(s) for s in schema["anyOf"])
    t = schema.get("type")
    if t == "array":
        return f"a list of {_describe(schema.get('items', {}))}s"
    return {"object": "a table/mapping", "string": "a string", "integer": "an integer", "number": "a number",
            "boolean": "true or false"}.get(str(t), str(t))


_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict, "array": list, "string": str, "integer": int, "number": (int, float), "boolean": bool,
}


def _quick_valid(value: Any, schema: dict[str, Any]) -> bool:
    """True when ``value`` matches ``schema``; understands only the keywords ``SCHEMA`` uses."""
    if "anyOf" in schema:
        return any(_quick_valid(value, s) for s in schema["anyOf"])
    t = schema.get("type")
    if t is not None:
        if isinstance(value, bool) and t in ("integer", "number"):
            return False
        if not isinstance(value, _TYPES[t]):
            return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return False
    if isinstance(value, list) and "items" in schema:
        return all(_quick_valid(v, schema["items"]) for v in value)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if not isinstance(k, str):
                return False
            if k in props:
                if not _quick_valid(v, props[k]):
                    return False
            elif extra is False:
                return False
            elif isinstance(extra, dict) and not _quick_valid(v, extra):
                return False
    return True


# -------------------------------------------------------------------------------------------------- loading


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def load_config(path: str | None = None, start: str | None = None) -> Config:
    """The configuration from ``path`` (``--config``) or the nearest file; defaults when there is none."""
    notes: list[str] = []
    if path is not None:
        if not os.path.lexists(path):
            raise ConfigError(path, "no such configuration file")
        found: str | None = path
    else:
        found = find_config(start, notes)
    if found is None:
        return Config(notes=notes)
    raw = read_config_file(found)
    base = os.path.dirname(os.path.abspath(found))
    cfg = Config(source=found, notes=notes)
    if "select" in raw:
        cfg.select = _as_list(raw["select"])
    cfg.ignore = _as_list(raw.get("ignore"))
    cfg.fail_on = raw.get("fail-on", cfg.fail_on)
    cfg.severity = dict(raw.get("severity") or {})
    cfg.options = {  # option names use dashes, like the keys; underscores are accepted
        str(k): {str(o).replace("_", "-"): val for o, val in v.items()} for k, v in (raw.get("options") or {}).items()
    }
    if raw.get("baseline"):
        cfg.baseline = os.path.join(base, raw["baseline"])
    cfg.exclude = _as_list(raw.get("exclude"))
    cfg.warn_unused_suppressions = bool(raw.get("warn-unused-suppressions", False))
    return cfg
