"""One grammar: every command's --help, the shared options with one name, help text and meaning.

The shared options are :data:`experiments.cli.options.SHARED`; each is checked on every command that
runs the model unless :data:`NOT_OFFERED` says why a command goes without it. ``--lang`` is shared
by every command that shows words to a reader, whether it runs the model or not; :data:`NO_LANG`
says why the others go without it.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from experiments.cli import options
from experiments.cli.main import app

runner = CliRunner()

#: Every command, in the order ``ruralsim --help`` lists them (a newcomer's order: the main job first).
ORDER = ["compare", "scenarios", "outputs", "check", "run", "app", "experiment", "sensitivity", "discover",
         "validate", "calibrate", "bench", "odd", "schemas"]
#: The commands that run the model, and so take the shared options.
RUNS_THE_MODEL = ["compare", "run", "app", "experiment", "sensitivity", "discover", "validate", "calibrate", "bench"]
#: Shared options a command that runs the model goes without, and why (the reason is part of the test).
NOT_OFFERED: dict[str, dict[str, str]] = {
    "run": {"--seeds": "one run: --seed", "--first-seed": "one run: --seed", "--workers": "one run",
            "--yes": "one run: nothing to confirm"},
    "app": {"--seed": "set in the app", "--seeds": "set in the app", "--first-seed": "set in the app",
            "--counties": "set in the app", "--years": "the app runs until stopped", "--set": "the app's sliders",
            "--workers": "two provinces in this process", "--out": "writes nothing", "--force": "writes nothing",
            "--format": "writes nothing", "--yes": "runs until stopped: nothing to confirm"},
    "experiment": {"--seed": "many runs: --seeds", "--format": "the result store is Parquet parts",
                   "--lang": "writes a result store of tables and prints only progress"},
    "sensitivity": {"--seed": "many runs: --seeds; the sample's seed is --design-seed",
                    "--yes": "asks nothing: --n and --seeds are the work, and --resume completes it"},
    "discover": {"--seed": "many runs: --seeds; the sample's seed is --design-seed",
                 "--yes": "asks nothing: --n and --seeds are the work, and --resume completes it"},
    "compare": {"--seed": "many runs: --seeds", "--yes": "asks nothing: --seeds (or --precision) is the work"},
    "validate": {"--seed": "many runs: --seeds", "--workers": "replications run one after another in this process"},
    "calibrate": {"--seed": "many runs: --seeds; the optimiser's seed is --design-seed",
                  "--years": "the horizon is the targets' last year",
                  "--workers": "candidates run one after another in this process",
                  "--format": "writes a scenario file, a report and JSON, no tables"},
    "bench": {"--seed": "measures speed", "--seeds": "measures speed", "--first-seed": "measures speed",
              "--households": "--sizes lists the households of each measurement", "--set": "measures the scenario",
              "--workers": "--threads: one process", "--out": "--json FILE", "--force": "--json FILE",
              "--format": "--json FILE", "--lang": "prints measurements", "--yes": "measures the sizes given"},
}
#: Commands that go without ``--lang``, and why: everything else prints, reports or draws words for readers.
NO_LANG: dict[str, str] = {
    "check": "names each problem by file, key path and value, as the validators word them",
    "experiment": NOT_OFFERED["experiment"]["--lang"],
    "bench": NOT_OFFERED["bench"]["--lang"],
    "odd": "writes the English ODD document",
    "schemas": "writes JSON Schemas",
}


def command(name: str):
    return typer.main.get_command(app).commands[name]


def declared_options(name: str) -> dict[str, str]:
    """Visible option name -> help text of a command."""
    out = {}
    for param in command(name).params:
        if getattr(param, "hidden", False):
            continue
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                out[opt] = param.help or ""
    return out


def help_text(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_commands_are_listed_in_a_newcomers_order():
    text = help_text()
    positions = [re.search(rf"^\W*{name}\s", text, re.MULTILINE) for name in ORDER]
    assert all(positions), text
    assert [p.start() for p in positions] == sorted(p.start() for p in positions)
    assert list(typer.main.get_command(app).commands) == ORDER


@pytest.mark.parametrize("name", RUNS_THE_MODEL)
def test_every_command_that_runs_the_model_takes_the_shared_options(name):
    declared = declared_options(name)
    text = help_text(name)
    missing = []
    for option, shared_help in options.SHARED.items():
        if option in NOT_OFFERED.get(name, {}) and option not in declared:
            continue
        if option not in declared:
            missing.append(option)
            continue
        assert option in text, f"{name} --help does not show {option}"
        assert declared[option].startswith(shared_help), (name, option, declared[option])
    assert not missing, f"{name} lacks {missing}; add them or say why in NOT_OFFERED"
    # one run has a seed, many runs a number of seeds: never both
    assert ("--seed" in declared) != ("--seeds" in declared) or name in ("app", "bench")


@pytest.mark.parametrize("name", RUNS_THE_MODEL)
def test_a_default_that_differs_between_commands_says_why(name):
    """Each size option names its default, and a default other than the scenario's gives its reason."""
    for option in ("--households", "--counties", "--years", "--seeds"):
        help_ = declared_options(name).get(option)
        if help_ is None:
            continue
        assert "Default:" in help_, (name, option, help_)
        default = help_.split("Default:", 1)[1]
        if option == "--households" and "scenario" not in default and "file" not in default:
            assert "(" in default, f"{name} {option}: a default of its own needs its reason: {help_}"


def test_every_command_that_shows_words_takes_lang_and_the_others_say_why():
    assert set(NO_LANG) <= set(ORDER)
    for name in ORDER:
        declared = declared_options(name)
        if name in NO_LANG:
            assert "--lang" not in declared, f"{name} takes --lang: drop it from NO_LANG"
            continue
        assert "--lang" in declared, f"{name} lacks --lang; add it or say why in NO_LANG"
        assert declared["--lang"].startswith(options.SHARED["--lang"]), (name, declared["--lang"])
        assert "--lang" in help_text(name), name


@pytest.mark.parametrize("args", [["scenarios"], ["outputs", "relapse_rate_peak"]])
def test_lang_sets_the_language_of_what_a_command_prints(args):
    english = runner.invoke(app, [*args, "--lang", "en"])
    chinese = runner.invoke(app, [*args, "--lang", "zh"])
    assert english.exit_code == 0 and chinese.exit_code == 0, (english.output, chinese.output)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert len(cjk.findall(chinese.stdout)) > 2 * len(cjk.findall(english.stdout)) + 10, chinese.stdout
    bad = runner.invoke(app, [*args, "--lang", "fr"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --lang is 'fr'; allowed: en or zh"), bad.stderr


def test_no_command_keeps_an_old_name_visible():
    for name in ORDER:
        declared = declared_options(name)
        for old in options.RENAMED:
            assert old not in declared, (name, old)


def test_every_command_has_help_and_the_root_has_version():
    for name in ORDER:
        assert command(name).help, name
        help_text(name)
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and re.fullmatch(r"ruralsim \d+\.\d+\.\d+\S*\n", result.stdout), result.stdout


@pytest.mark.parametrize("args", [
    ["compare", "--no-such-option"],
    ["run"],
    ["run", "transition", "--seed", "x"],
    ["sensitivity", "relapse_risk", "--method"],
    ["no-such-command"],
])
def test_usage_errors_come_in_the_one_error_style(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: "), result.stderr
    assert "\n\n" not in result.stderr.strip() and "╭" not in result.stderr and "Traceback" not in result.stderr
    assert "--help" in result.stderr


def test_old_option_names_still_work_with_a_warning_or_point_to_the_new_ones(tmp_path):
    refused = runner.invoke(app, ["sensitivity", "relapse_risk", "--seed", "3", "--out", str(tmp_path / "s")])
    assert refused.exit_code == 2 and refused.stderr.startswith("error: --seed is the seed of one run")
    assert "--design-seed" in refused.stderr and not (tmp_path / "s").exists()
    clash = runner.invoke(app, ["compare", "transition", "abrupt_withdrawal", "--reps", "3", "--seeds", "4",
                                "--out", str(tmp_path / "c")])
    assert clash.exit_code == 2 and "--reps 3 and --seeds 4 both given" in clash.stderr
    renamed = runner.invoke(app, ["compare", "transition", "abrupt_withdrawal", "--reps", "1",
                                  "--out", str(tmp_path / "c")])
    assert renamed.stderr.startswith("warning: --reps is now called --seeds")
    assert renamed.exit_code == 2 and "error: cannot compare: --seeds 1: allowed 2" in renamed.stderr
