"""Bad input through the CLI: exit code 2, one paragraph starting with 'error:', no traceback.

Every case here fails before the model is imported or built, so none of them needs the model.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def assert_bad_input(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error:"), result.stderr
    assert "Traceback" not in result.output
    assert "\n\n" not in result.stderr.strip()  # one paragraph
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""
        name: bad
        description: An invalid story.
        policy:
          assistance.industrial.intensity: {2021: 1.0, 2023: 4.0}
        parameters:
          shocks.ilness.p_year: 0.2
    """).lstrip(), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# ruralsim run
# --------------------------------------------------------------------------------------------


def test_run_unknown_scenario():
    assert_bad_input(invoke("run", "transitoin"), "unknown scenario", "did you mean 'transition'",
                     "continuation")


def test_run_missing_file():
    assert_bad_input(invoke("run", "no/such/file.yaml"), "no such file")


def test_run_invalid_file(bad_file):
    assert_bad_input(invoke("run", str(bad_file)), "bad.yaml", "[0, 2]",
                     "'shocks.illness.p_year'")


def test_run_bad_set_path():
    assert_bad_input(invoke("run", "transition", "--set", "shocks.illness.p_yaer=0.2"),
                     "shocks.illness.p_yaer", "did you mean 'shocks.illness.p_year'")


def test_run_bad_set_value():
    assert_bad_input(
        invoke("run", "transition",
               "--set", "policy.assistance.industrial.intensity={2021: 1, 2024: 9}"),
        "policy.assistance.industrial.intensity", "9", "[0, 2]",
    )


def test_run_bad_set_syntax():
    assert_bad_input(invoke("run", "transition", "--set", "sim.n_years"), "expected key=value")
    assert_bad_input(invoke("run", "transition", "--set", "sim.n_years={1"), "not valid YAML")


def test_run_size_options_are_validated():
    assert_bad_input(invoke("run", "transition", "--years", "0"), "sim.n_years", "[1, 40]")
    assert_bad_input(invoke("run", "transition", "--households", "5"),
                     "population.n_households")


def test_run_bad_format():
    assert_bad_input(invoke("run", "transition", "--format", "xlsx"), "'xlsx'", "parquet", "csv")


def test_run_negative_seed():
    assert_bad_input(invoke("run", "transition", "--seed", "-3"), "--seed")


def test_run_refuses_a_non_empty_output_directory(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    assert_bad_input(invoke("run", "transition", "--out", str(out)), str(out), "--force")
    assert (out / "keep.txt").read_text() == "precious"


def test_run_refuses_an_output_path_that_is_a_file(tmp_path):
    out = tmp_path / "out"
    out.write_text("x")
    assert_bad_input(invoke("run", "transition", "--out", str(out), "--force"),
                     "not a directory")


# --------------------------------------------------------------------------------------------
# ruralsim check / scenarios
# --------------------------------------------------------------------------------------------


def test_check_valid_files_exit_0():
    from scenarios import SCENARIO_DIR

    files = sorted(str(p) for p in SCENARIO_DIR.glob("*.yaml"))
    result = invoke("check", *files)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("OK") == len(files)


def test_check_reports_every_problem_and_exits_2(bad_file):
    from scenarios import SCENARIO_DIR

    result = invoke("check", str(SCENARIO_DIR / "transition.yaml"), str(bad_file))
    assert result.exit_code == 2
    assert "OK" in result.stdout and "transition.yaml" in result.stdout
    assert result.stderr.startswith("error:")
    assert "(2 problems)" in result.stderr
    assert "Traceback" not in result.output


def test_check_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\ndescription: B.\npolicy: {central_fund: [1\n")
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and "YAML syntax error" in result.stderr


def test_scenarios_lists_names_and_descriptions():
    result = invoke("scenarios")
    assert result.exit_code == 0
    for name in ("transition", "continuation", "abrupt_withdrawal"):
        assert f"\n{name}\n" in f"\n{result.stdout}"
    assert "Sudden braking" in result.stdout


def test_installed_console_script_check_exit_code(bad_file):
    script = Path(sys.executable).parent / "ruralsim"
    if not script.exists():
        pytest.skip("console script 'ruralsim' is not installed in this environment")
    proc = subprocess.run([str(script), "check", str(bad_file)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:")
    assert "Traceback" not in proc.stderr
