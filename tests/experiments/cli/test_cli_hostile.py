"""Hostile input through the command line, table-driven: every case exits 2 with one paragraph
starting with 'error:' that names what is wrong, no traceback, a short message, and writes nothing.

Each case is (id, command line, files to create first, fragments the message must contain). Paths
in the command line and files are relative to a scratch directory; ``OUT`` is an output directory
that must not exist afterwards. The cases are the reproductions of issue 23 and their neighbours.
"""

from __future__ import annotations

import csv
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app

runner = CliRunner()

SMALL = ["--households", "1000", "--counties", "2", "--years", "1"]


def _bomb(depth: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


def _scenario(name: str, body: str) -> str:
    return f"name: {name}\nextends: transition\ndescription: A hostile story.\n" + textwrap.dedent(body).lstrip()


def _experiment(name: str, body: str) -> str:
    return (f"name: {name}\ndescription: A hostile experiment.\nscenarios: [transition]\nseeds: 1\n"
            "households: 1000\ncounties: 2\nyears: 1\n" + textwrap.dedent(body).lstrip())


TARGETS_HEADER = "id,indicator,year,value,tolerance,unit,source,note\n"
BINARY = bytes(range(128, 256)) * 20  # not UTF-8 (a lone continuation byte first)

CASES = [
    # 3. a scenario file that is not UTF-8, in every command that reads one
    ("binary-check", ["check", "bin.yaml"], {"bin.yaml": BINARY}, ["bin.yaml", "not a UTF-8 text file"]),
    ("binary-run", ["run", "bin.yaml", "--out", "OUT"], {"bin.yaml": BINARY}, ["not a UTF-8 text file"]),
    ("binary-compare", ["compare", "transition", "bin.yaml", "--out", "OUT"], {"bin.yaml": BINARY},
     ["not a UTF-8 text file"]),
    ("binary-validate", ["validate", "--scenario", "bin.yaml", "--out", "OUT"], {"bin.yaml": BINARY},
     ["not a UTF-8 text file"]),
    ("binary-experiment", ["experiment", "bin.yaml", "--out", "OUT"], {"bin.yaml": BINARY},
     ["not a UTF-8 text file"]),
    ("binary-targets", ["validate", "--targets", "t.csv", "--out", "OUT"], {"t.csv": BINARY},
     ["t.csv", "not a UTF-8 text file"]),
    # 4. a schedule that sets one month twice
    ("month-twice-file", ["check", "twice.yaml"],
     {"twice.yaml": _scenario("twice", "policy:\n  assistance.industrial.intensity: {2021: 1.0, '2021-01': 0.0}\n")},
     ["schedule keys 2021 and '2021-01' both name 2021-01"]),
    ("month-twice-set", ["run", "transition", "--set", "policy.assistance.industrial.intensity={2021: 1, '2021': 0}",
                         "--out", "OUT"], {}, ["schedule keys 2021 and '2021' both name 2021-01"]),
    # 5. a grid whose values set the parameter alike
    ("grid-1-and-1.0", ["experiment", "g.yaml", "--out", "OUT"],
     {"g.yaml": _experiment("g", "grid:\n  shocks.illness.p_year: [1, 1.0]\n")},
     ["grid.shocks.illness.p_year[1] = 1.0 repeats an earlier value"]),
    # 6. more counties than households, in every command that builds a province
    ("counties-run", ["run", "transition", "--households", "100", "--counties", "3000", "--out", "OUT"], {},
     ["population.n_households = 100 is below population.n_counties = 3,000"]),
    ("counties-experiment", ["experiment", "c.yaml", "--out", "OUT"],
     {"c.yaml": _experiment("c", "").replace("households: 1000\ncounties: 2", "households: 100\ncounties: 3000")},
     ["population.n_households = 100 is below population.n_counties = 3,000"]),
    ("counties-compare", ["compare", "--households", "100", "--counties", "3000", "--seeds", "2", "--out", "OUT"], {},
     ["population.n_households = 100 is below population.n_counties = 3,000"]),
    ("counties-bench", ["bench", "--sizes", "1000", "--counties", "3000", "--no-startup"], {},
     ["population.n_households = 1,000 is below population.n_counties = 3,000"]),
    ("counties-sensitivity", ["sensitivity", "relapse_risk", "--households", "100", "--counties", "3000",
                              "--out", "OUT"], {}, ["below population.n_counties = 3,000"]),
    ("counties-validate", ["validate", "--households", "100", "--counties", "3000", "--out", "OUT"], {},
     ["below population.n_counties = 3,000"]),
    # (the 2020 income sets the start of a run from 2021; the shipped scenarios start from the 2016 baseline)
    ("income-run", ["run", "transition", "--set", "population.income_pc_registered_2020_yuan=5000", "--set",
                    "sim.start_year=2021", "--out", "OUT"],
     {}, ["population.income_pc_registered_2020_yuan = 5,000 must be above the monitoring threshold"]),
    # 7. hostile YAML: alias bombs, deep nesting, huge values
    ("alias-bomb", ["check", "bomb.yaml"], {"bomb.yaml": "name: bomb\n" + _bomb(8)},
     ["aliases expand to more than 100,000 nodes"]),
    ("alias-bomb-experiment", ["experiment", "bomb.yaml", "--out", "OUT"], {"bomb.yaml": _bomb(7)},
     ["aliases expand to more than 100,000 nodes"]),
    ("deep-list", ["check", "deep.yaml"], {"deep.yaml": "name: deep\nparameters: " + "[" * 20_000 + "]" * 20_000},
     ["nested deeper than 64 levels"]),
    ("deep-set", ["run", "transition", "--set", "shocks.illness.p_year=" + "[" * 5000 + "]" * 5000, "--out", "OUT"],
     {}, ["nested deeper than 64 levels"]),
    ("huge-value", ["check", "huge.yaml"],
     {"huge.yaml": _scenario("huge", "parameters:\n  shocks.illness.p_year: [" + "0.1, " * 20_000 + "]\n")},
     ["shocks.illness.p_year = [0.1, 0.1,", "...]"]),
    # 10. an output directory that cannot be used
    ("out-under-file-run", ["run", "transition", "--out", "afile/sub"], {"afile": "x"}, ["afile is not a directory"]),
    ("out-under-file-compare", ["compare", "--out", "afile/sub"], {"afile": "x"}, ["afile is not a directory"]),
    ("out-under-file-experiment", ["experiment", "smoke", "--out", "afile/sub"], {"afile": "x"},
     ["afile is not a directory"]),
    ("out-under-file-sensitivity", ["sensitivity", "relapse_risk", "--out", "afile/sub/deeper"], {"afile": "x"},
     ["afile is not a directory"]),
    ("out-under-file-discover", ["discover", "relapse_risk", "--out", "afile/sub"], {"afile": "x"},
     ["afile is not a directory"]),
    ("out-under-file-validate", ["validate", "--out", "afile/sub"], {"afile": "x"}, ["afile is not a directory"]),
    ("out-under-file-calibrate", ["calibrate", "--out", "afile/sub"], {"afile": "x"}, ["afile is not a directory"]),
    ("out-root-run", ["run", "transition", "--out", "/"], {}, ["--out / is the root of the filesystem"]),
    ("out-root-experiment", ["experiment", "smoke", "--out", "/"], {}, ["it is the root of the filesystem"]),
    ("out-proc-experiment", ["experiment", "smoke", "--out", "/proc/1/ruralsim-test"], {},
     ["--out /proc/1/ruralsim-test: cannot write into /proc/1"]),
    ("json-unwritable", ["validate", "--json", "/proc/1/rows.json", "--out", "OUT"], {},
     ["cannot write /proc/1/rows.json"]),
    # 11. bench sizes beyond any machine
    ("bench-200M", ["bench", "--sizes", "200000000", "--no-startup"], {},
     ["population.n_households = 200000000", "allowed range [100, 1e+08]"]),
    ("bench-1e20", ["bench", "--sizes", "1e20", "--no-startup"], {}, ["allowed range [100, 1e+08]"]),
    ("bench-inf", ["bench", "--sizes", "inf", "--no-startup"], {}, ["'inf' is not a number of households"]),
    ("bench-fraction", ["bench", "--sizes", "150.5", "--no-startup"], {}, ["150.5 is not a whole number"]),
    # 12. --force on a directory that is not a ruralsim output
    ("force-foreign", ["run", "transition", "--out", "mine", "--force"], {"mine/keep.txt": "precious"},
     ["mine holds files that are not an earlier ruralsim output"]),
    ("force-foreign-compare", ["compare", "--out", "mine", "--force"], {"mine/keep.txt": "precious"},
     ["mine holds files that are not an earlier ruralsim output"]),
    ("force-foreign-sensitivity", ["sensitivity", "relapse_risk", "--out", "mine", "--force"],
     {"mine/store/manifest.json": '{"name": "not ours"}'},
     ["mine holds files that are not an earlier ruralsim output"]),
    ("force-foreign-validate", ["validate", "--out", "mine", "--force"], {"mine/keep.txt": "precious"},
     ["mine holds files that are not an earlier ruralsim output"]),
    # 14. target years outside the simulated horizon, an unknown indicator beside other row errors
    ("targets-horizon-and-rows", ["validate", "--targets", "t.csv", "--out", "OUT"],
     {"t.csv": TARGETS_HEADER + "a,poverty_rate,2035,0.01,0.01,share,s,n\nb,no_such_thing,2018,0.01,0.01,share,s,n\n"
                                "c,poverty_rate,20x8,0.01,0.01,share,s,n\n"},
     ["line 2, column 'year': 2035 is outside the simulated years 2017-2030",
      "line 3, column 'indicator': unknown indicator 'no_such_thing'",
      "line 4, column 'year': '20x8' is not a year"]),
    ("targets-horizon-calibrate", ["calibrate", "--targets", "t.csv", "--out", "OUT"],
     {"t.csv": TARGETS_HEADER + "a,poverty_rate,2030,0.01,0.01,share,s,n\n"},
     ["2030 is outside the simulated years 2017-2025"]),
    # 16. overlays with an empty part
    ("overlay-trailing", ["run", "transition+", "--out", "OUT"], {}, ["'transition+'", "empty part"]),
    ("overlay-leading", ["run", "+stress_disaster", "--out", "OUT"], {}, ["'+stress_disaster'", "empty part"]),
    ("overlay-double", ["compare", "transition", "transition++stress_disaster", "--out", "OUT"], {}, ["empty part"]),
    # 18. unbounded replications and budgets
    ("calibrate-budget", ["calibrate", "--budget", "1000000000", "--out", "OUT"], {},
     ["--budget 1000000000: allowed at most 100,000 candidates"]),
    ("validate-seeds", ["validate", "--seeds", "100000000", "--out", "OUT"], {},
     ["--seeds 100000000: a validation needs 2 to 10,000 replications"]),
]


def _setup(tmp_path: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize(("args", "files", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_input_is_bad_input(tmp_path: Path, monkeypatch, args: list[str], files: dict, fragments: list[str]):
    monkeypatch.chdir(tmp_path)
    _setup(tmp_path, files)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    t0 = time.perf_counter()
    result = runner.invoke(app, [str(tmp_path / "OUT") if a == "OUT" else a for a in args])
    assert result.exit_code == 2, result.output
    assert time.perf_counter() - t0 < 60
    err = result.stderr
    assert err.startswith("error:"), err
    assert "Traceback" not in result.output and "\n\n" not in err.strip()
    assert len(err) < 5000, len(err)
    for fragment in fragments:
        assert fragment in err, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing created, nothing left behind


def test_bad_thread_count_in_the_environment_is_bad_input(tmp_path: Path):
    for value in ("0", "-1", "two"):
        result = runner.invoke(app, ["run", "transition", "--out", str(tmp_path / "out")],
                               env={"NUMBA_NUM_THREADS": value})
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"error: the environment variable NUMBA_NUM_THREADS={value!r} must be a whole number "
                                 ">= 1 (the compiled threads per process); unset it to use every CPU.\n")
    assert not (tmp_path / "out").exists()


def test_a_run_too_large_for_the_memory_is_refused(tmp_path: Path, monkeypatch):
    from experiments import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 2e9)
    result = runner.invoke(app, ["run", "transition", "--households", "20000000", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "a run of 20,000,000 households needs at least 4.0 GB of memory, and 2.0 GB are available" in result.stderr
    result = runner.invoke(app, ["bench", "--sizes", "1000,20M", "--no-startup"])
    assert result.exit_code == 2
    assert "--sizes: a run of 20,000,000 households needs at least 4.0 GB" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_long_validation_needs_yes_without_a_terminal(tmp_path: Path, monkeypatch):
    from experiments.batch import runner as runner_module
    from experiments.cli import validate as validate_module

    monkeypatch.setattr(validate_module, "CONFIRM_SECONDS", 0.0)
    assert runner_module.CONFIRM_SECONDS > 0
    result = runner.invoke(app, ["validate", "--seeds", "3", "--households", "1000", "--out", str(tmp_path / "v")])
    assert result.exit_code == 2, result.output
    assert "Pilot run" in result.stderr
    assert "3 replications need about" in result.stderr and "rerun with --yes" in result.stderr
    assert not (tmp_path / "v").exists()
    result = runner.invoke(app, ["validate", "--seeds", "3", "--households", "1000", "--out", str(tmp_path / "v"),
                                 "--yes"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "v" / "validation.csv").read_text().splitlines()))
    assert rows and {row["n_runs"] for row in rows} == {"3"}  # the pilot is the first of the three
    result = runner.invoke(app, ["calibrate", "--budget", "16", "--seeds", "1", "--households", "1000",
                                 "--out", str(tmp_path / "c")])
    assert result.exit_code == 2, result.output
    assert "16 candidates of 1 runs need about" in result.stderr
    assert not (tmp_path / "c").exists()
