"""Configuration: discovery, keys, validation errors, and command-line flags winning over the file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from invocation_lint import registry
from invocation_lint.cli import main
from invocation_lint.config import SCHEMA, Config, ConfigError, _quick_valid, find_config, load_config
from invocation_lint.registry import Finding, rule

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "fixtures" / "cli" / "sqs001.yaml").read_text()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "t.yaml").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def findings(out: str) -> list[tuple[str, str, str]]:
    return [(f["code"], f["severity"], f["resource"]) for f in json.loads(out)["findings"]]


# ------------------------------------------------------------------------------------------------ discovery


def test_found_upwards_and_stops_at_git(project: Path) -> None:
    sub = project / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(str(sub)) is None
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.invlint]: not a config
    assert find_config(str(sub)) is None
    (project / "pyproject.toml").write_text("[tool.invlint]\nfail-on = 'error'\n")
    assert find_config(str(sub)) == str(project / "pyproject.toml")
    (project / ".invlint.yml").write_text("fail-on: info\n")
    assert find_config(str(sub)) == str(project / ".invlint.yml")  # the YAML file comes first
    (project / "a" / ".invlint.yaml").write_text("fail-on: warning\n")
    assert find_config(str(sub)) == str(project / "a" / ".invlint.yaml")  # nearest wins
    # above a repository root nothing is read
    inner = project / "a" / "b" / "repo"
    (inner / ".git").mkdir(parents=True)
    assert find_config(str(inner)) is None


def test_all_keys(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.invlint]\n"
        "select = ['SQS', 'ASYNC001']\n"
        "ignore = 'SQS009, SQS010'\n"
        "fail-on = 'error'\n"
        "baseline = 'ci/baseline.json'\n"
        "exclude = ['cdk.out/**']\n"
        "[tool.invlint.severity]\n"
        "SQS004 = 'error'\n"
        "sqs-consumer-throttled = 'off'\n"
        "[tool.invlint.options.SQS004]\n"
        "visibility-factor = 4\n"
    )
    cfg = load_config()
    assert cfg == Config(
        select=["SQS", "ASYNC001"], ignore=["SQS009", "SQS010"], fail_on="error",
        severity={"SQS004": "error", "sqs-consumer-throttled": "off"},
        options={"SQS004": {"visibility-factor": 4}},
        baseline=str(project / "ci" / "baseline.json"), exclude=["cdk.out/**"],
        source=str(project / "pyproject.toml"),
    )


def test_no_config_is_defaults(project: Path) -> None:
    assert load_config() == Config()


# ----------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("text", "message"), [
    ("fial-on: error\n", "unknown key 'fial-on' (known keys: baseline, exclude, fail-on, ignore, options, "
                         "select, severity, warn-unused-suppressions)"),
    ("warn-unused-suppressions: 'yes'\n", "'warn-unused-suppressions': expected true or false, got str"),
    ("fail-on: fatal\n", "'fail-on': 'fatal' is not one of error|warning|info"),
    ("severity:\n  SQS001: loud\n", "'severity.SQS001': 'loud' is not one of info|warning|error|off"),
    ("select: 5\n", "'select': expected a list of a strings or a string, got int"),
    ("options:\n  SQS004: 6\n", "'options.SQS004': expected a table/mapping, got int"),
    ("- a\n- b\n", "'(top level)': expected a table/mapping, got list"),
    ("fail-on: [error\n", "invalid YAML (line 2): expected ',' or ']', but got '<stream end>'"),
])
def test_yaml_errors_name_file_and_key(project: Path, text: str, message: str) -> None:
    (project / ".invlint.yaml").write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_config()
    assert str(exc.value) == f"{project / '.invlint.yaml'}: {message}"
    code, out, err = check("t.yaml")
    assert (code, out) == (2, "")
    assert err == f"invlint: {project / '.invlint.yaml'}: {message}\n"


def test_toml_errors_name_the_table(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.invlint]\nfail_on = 'loud'\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: 'tool\.invlint\.fail-on': 'loud' is not one of error\|warning\|info$"):
        load_config()
    (project / "pyproject.toml").write_text("[tool.invlint]\nselekt = ['SQS']\n")
    with pytest.raises(ConfigError, match=r"unknown key 'tool\.invlint\.selekt'"):
        load_config()
    (project / "pyproject.toml").write_text("[tool.invlint]\nselect = [\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: invalid TOML: "):
        load_config()


def test_missing_explicit_config(project: Path) -> None:
    code, _, err = check("--config", "nope.yaml", "t.yaml")
    assert code == 2
    assert err == "invlint: nope.yaml: no such configuration file\n"


CASES: list[Any] = [
    {}, {"select": "SQS"}, {"select": ["SQS", 1]}, {"select": None}, {"fail-on": "info"}, {"fail-on": 1},
    {"severity": {"SQS001": "off"}}, {"severity": {"SQS001": None}}, {"severity": []},
    {"options": {"SQS004": {"visibility-factor": 6}}}, {"options": {"SQS004": [1]}}, {"baseline": "b.json"},
    {"baseline": ["b"]}, {"exclude": ["a/**", "b"]}, {"exclude": [["a"]]}, {"extra": 1}, [], "x", None, 3,
    {"ignore": True}, {"select": []},
]


@pytest.mark.parametrize("case", CASES)
def test_quick_check_agrees_with_jsonschema(case: Any) -> None:
    """The fast path may only accept what jsonschema accepts (it decides alone when a config is valid)."""
    import jsonschema

    assert _quick_valid(case, SCHEMA) == jsonschema.Draft202012Validator(SCHEMA).is_valid(case)


# ------------------------------------------------------------------------------------- effect on a check run


def test_config_drives_the_run_and_flags_win(project: Path) -> None:
    (project / ".invlint.yaml").write_text("select: [SQS001]\nseverity:\n  SQS001: warning\nfail-on: error\n")
    code, out, _ = check("--format", "json", "t.yaml")
    assert findings(out) == [("SQS001", "warning", "OrdersQueue")]
    assert code == 0  # a warning, below fail-on: error
    assert check("--fail-on", "warning", "t.yaml")[0] == 1  # the flag wins
    code, out, _ = check("--format", "json", "--select", "SQS003", "t.yaml")
    assert (code, findings(out)) == (0, [])  # --select replaces the configured list


def test_severity_off_disables(project: Path) -> None:
    (project / ".invlint.yaml").write_text("select: [SQS]\nseverity:\n  sqs-queue-without-redrive: 'off'\n")
    code, out, _ = check("--format", "json", "t.yaml")
    assert "SQS001" not in {c for c, _, _ in findings(out)}


def test_severity_by_family_and_prefix_the_most_specific_wins(project: Path) -> None:
    (project / "t.yaml").write_text((ROOT / "fixtures" / "example" / "template.yaml").read_text())
    (project / ".invlint.yaml").write_text("select: [SQS]\nseverity:\n  SQS: info\n  SQS00: error\n  SQS004: 'off'\n"
                                           "  sqs-consumer-throttled: warning\n")
    code, out, _ = check("--format", "json", "t.yaml")
    assert findings(out) == [("SQS001", "error", "OrdersQueue"), ("SQS007", "error", "ShipmentsDLQ"),
                             ("SQS005", "error", "ShipmentsQueue"), ("SQS002", "error", "ProcessOrders"),
                             ("SQS009", "warning", "BookShipments")]
    (project / ".invlint.yaml").write_text("severity:\n  ALL: info\n  SQS001: warning\n")
    code, out, _ = check("--format", "json", "--select", "SQS001,SQS005", "t.yaml")
    assert (code, findings(out)) == (1, [("SQS001", "warning", "OrdersQueue"), ("SQS005", "info", "ShipmentsQueue")])


def test_unknown_rule_in_config_is_a_usage_error(project: Path) -> None:
    (project / ".invlint.yaml").write_text("severity:\n  SQS0001: error\n")
    code, _, err = check("t.yaml")
    assert code == 2
    assert err == f"invlint: {project / '.invlint.yaml'}: severity: 'SQS0001' names no rule; did you mean SQS001?\n"


def test_exclude(project: Path) -> None:
    (project / "vendor").mkdir()
    (project / "vendor" / "t.yaml").write_text(BAD)
    code, out, _ = check("--format", "json", "--select", "SQS001", ".")
    assert sorted(f["file"] for f in json.loads(out)["findings"]) == ["./t.yaml", "./vendor/t.yaml"]
    (project / ".invlint.yaml").write_text("exclude: ['vendor/**']\n")
    code, out, _ = check("--format", "json", "--select", "SQS001", ".")
    assert [f["file"] for f in json.loads(out)["findings"]] == ["./t.yaml"]


@pytest.fixture
def option_rule() -> Iterator[list[Any]]:
    """A test rule that records the options it is given."""
    registry.all_rules()
    seen: list[Any] = []

    @rule("LOOP998", "test-rule-options", "info", "records its options", options={"factor": 6})
    def check_(model, ctx):  # type: ignore[no-untyped-def]
        seen.append(ctx.option("factor", None))
        return [Finding("LOOP998", "m", None, "X")]

    yield seen
    registry._RULES.pop("LOOP998", None)


def test_options_reach_the_rule(project: Path, option_rule: list[Any]) -> None:
    assert check("--select", "LOOP998", "t.yaml")[0] == 0  # info, below the default fail-on
    (project / ".invlint.yaml").write_text("options:\n  test-rule-options:\n    factor: 4\n")
    check("--select", "LOOP998", "t.yaml")
    assert option_rule == [6, 4]
    (project / "pyproject.toml").write_text("[tool.invlint.options.LOOP998]\nfactor = 3\n")
    (project / ".invlint.yaml").unlink()
    check("--select", "LOOP998", "t.yaml")
    assert option_rule == [6, 4, 3]
    (project / ".invlint.yaml").write_text("options:\n  LOOP998:\n    factr: 4\n")
    code, _, err = check("--select", "LOOP998", "t.yaml")
    assert code == 2
    assert err.endswith("options.LOOP998: unknown option 'factr' (known: factor)\n")


@pytest.fixture
def two_code_rule() -> Iterator[None]:
    """A test rule that chooses its own severity and also reports under a second code."""
    registry.all_rules()

    @rule("LOOP997", "test-rule-main", "warning", "main code")
    def check_a(model, ctx):  # type: ignore[no-untyped-def]
        return [Finding("LOOP997", "own severity", None, "A", severity="error"),
                Finding("LOOP996", "second code", None, "B")]

    @rule("LOOP996", "test-rule-second", "info", "second code")
    def check_b(model, ctx):  # type: ignore[no-untyped-def]
        return []

    yield
    registry._RULES.pop("LOOP997", None)
    registry._RULES.pop("LOOP996", None)


def test_rule_severity_config_override_and_second_codes(project: Path, two_code_rule: None) -> None:
    from invocation_lint.engine import run

    res = run(["t.yaml"], Config(select=["LOOP997", "LOOP996"]))
    assert [(f.code, f.severity, f.name) for f in res.findings] == [  # no location: sorted by code
        ("LOOP996", "info", "test-rule-second"), ("LOOP997", "error", "test-rule-main")]
    res = run(["t.yaml"], Config(select=["LOOP997", "LOOP996"], severity={"test-rule-main": "info"}))
    assert [(f.code, f.severity) for f in res.findings] == [("LOOP996", "info"), ("LOOP997", "info")]
    cfg = Config(select=["LOOP997"])
    res = run(["t.yaml"], cfg, ignore=["LOOP996"])
    assert [f.code for f in res.findings] == ["LOOP997"]  # the unselected second code is dropped
    assert cfg.ignore == []  # the caller's configuration is left alone


def test_underscores_are_accepted_for_dashes(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.invlint]\nfail_on = 'info'\n[tool.invlint.options.SQS004]\nvisibility_factor = 4\n")
    cfg = load_config()
    assert (cfg.fail_on, cfg.options) == ("info", {"SQS004": {"visibility-factor": 4}})


@pytest.mark.parametrize("value, message", [
    ('"six"', "'options.SQS004.visibility-factor': expected a number, got 'six'"),
    ("-1", "'options.SQS004.visibility-factor': must be more than 0, got -1"),
    ("true", "'options.SQS004.visibility-factor': expected a number, got True"),
])
def test_option_values_are_checked_against_the_rules_schema(project: Path, value: str, message: str) -> None:
    (project / ".invlint.yaml").write_text(f"options:\n  SQS004:\n    visibility-factor: {value}\n")
    code, _, err = check("t.yaml")
    assert code == 2
    assert err == f"invlint: {project / '.invlint.yaml'}: {message}\n"


def test_option_values_in_range_are_used(project: Path) -> None:
    (project / ".invlint.yaml").write_text("options:\n  SQS004:\n    visibility-factor: 2.5\n"
                                           "  max-receive-count-too-low:\n    min-receive-count: 3\n")
    assert check("t.yaml")[0] in (0, 1)
    (project / ".invlint.yaml").write_text("options:\n  SQS005:\n    min-receive-count: 0\n")
    code, _, err = check("t.yaml")
    assert (code, err) == (2, f"invlint: {project / '.invlint.yaml'}: 'options.SQS005.min-receive-count': "
                              "must be at least 1, got 0\n")
    (project / ".invlint.yaml").write_text("options:\n  SQS001:\n    factor: 3\n")
    code, _, err = check("t.yaml")
    assert (code, err) == (2, f"invlint: {project / '.invlint.yaml'}: options.SQS001: unknown option 'factor' "
                              "(the rule has no options)\n")


def test_options_under_a_family_reach_the_rules_that_declare_them(project: Path) -> None:
    from invocation_lint.config import Config
    from invocation_lint.engine import SelectionError, rule_options

    rules = registry.all_rules()
    opts = rule_options(Config(options={"SQS": {"visibility-factor": 3, "min-receive-count": 4},
                                        "SQS004": {"visibility-factor": 7}}), rules)
    assert (opts["SQS004"], opts["SQS005"], opts["SQS001"]) == ({"visibility-factor": 7}, {"min-receive-count": 4}, {})
    assert rule_options(Config(options={"SQS00": {"visibility-factor": 2}}), rules)["SQS004"] == {"visibility-factor": 2}
    with pytest.raises(SelectionError, match=r"^configuration: options.ASYNC: unknown option 'factor' "
                                             r"\(its rules have no options\)$"):
        rule_options(Config(options={"ASYNC": {"factor": 3}}), rules)
    (project / ".invlint.yaml").write_text("options:\n  SQS:\n    visibility-factor: six\n")
    code, _, err = check("t.yaml")
    assert (code, err) == (2, f"invlint: {project / '.invlint.yaml'}: 'options.SQS.visibility-factor': "
                              "expected a number, got 'six'\n")
    (project / ".invlint.yaml").write_text("options:\n  SQS:\n    factor: 3\n")
    code, _, err = check("t.yaml")
    assert (code, err) == (2, f"invlint: {project / '.invlint.yaml'}: options.SQS: unknown option 'factor' "
                              "(known: min-receive-count, visibility-factor)\n")


def test_configured_exclude_is_relative_to_the_configuration_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for d in ("sub/skip", "sub/keep"):
        (project / d).mkdir(parents=True)
        (project / d / "t.yaml").write_text(BAD)
    (project / ".invlint.yaml").write_text("exclude: ['sub/skip/t.yaml']\n")
    code, out, _ = check("--format", "json", "--select", "SQS001", ".")
    assert sorted(f["file"] for f in json.loads(out)["findings"]) == ["./sub/keep/t.yaml", "./t.yaml"]
    monkeypatch.chdir(project / "sub")  # the same pattern from a subdirectory
    code, out, _ = check("--format", "json", "--select", "SQS001", ".")
    assert [f["file"] for f in json.loads(out)["findings"]] == ["./keep/t.yaml"]
    monkeypatch.chdir(project / "sub" / "skip")
    code, out, err = check("--format", "json", "--select", "SQS001", "t.yaml")
    assert json.loads(out)["findings"] == []


def test_exclude_flag_is_repeatable_and_adds_to_the_configuration(project: Path) -> None:
    for d in ("vendor", "cdk.out", "nested/cdk.out"):
        (project / d).mkdir(parents=True)
        (project / d / "t.yaml").write_text(BAD)
    code, out, _ = check("--format", "json", "--select", "SQS001", ".", "--exclude", "cdk.out")
    assert sorted(f["file"] for f in json.loads(out)["findings"]) == ["./t.yaml", "./vendor/t.yaml"]
    code, out, _ = check("--format", "json", "--select", "SQS001", ".", "--exclude", "cdk.out",
                         "--exclude", "vendor/*.yaml")
    assert [f["file"] for f in json.loads(out)["findings"]] == ["./t.yaml"]
    (project / ".invlint.yaml").write_text("exclude: ['vendor/**']\n")
    code, out, _ = check("--format", "json", "--select", "SQS001", ".", "--exclude", "nested")
    assert sorted(f["file"] for f in json.loads(out)["findings"]) == ["./cdk.out/t.yaml", "./t.yaml"]
    # an input named explicitly is left out too: the same rule for every path
    code, out, _ = check("--format", "json", "--select", "SQS001", "vendor/t.yaml", "t.yaml", "--exclude", "t.yaml")
    assert json.loads(out)["findings"] == [] and code == 0


def test_unused_suppressions_warned_by_flag_or_configuration(project: Path) -> None:
    (project / "t.yaml").write_text(BAD.replace("  ProcessOrders:\n", "  ProcessOrders:  # invlint: ignore[SQS001]\n"))
    warning = "./t.yaml:19: warning: the suppression comment ignores SQS001 but hides no finding\n"
    code, _, err = check("--select", "SQS001", ".")
    assert (code, err) == (1, "")
    code, _, err = check("--select", "SQS001", "--warn-unused-suppressions", ".")
    assert (code, err) == (1, warning)  # a warning does not change the exit code
    (project / "pyproject.toml").write_text("[tool.invlint]\nwarn_unused_suppressions = true\n")
    assert check("--select", "SQS001", ".")[2] == warning
    (project / "pyproject.toml").unlink()
    (project / ".invlint.yaml").write_text("warn-unused-suppressions: true\n")
    assert check("--select", "SQS001", ".")[2] == warning
    assert load_config().warn_unused_suppressions is True
