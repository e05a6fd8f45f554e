"""Experiments with parameter uncertainty: ``parameter_uncertainty`` (and ``--parameter-uncertainty``)
draws one fitted parameter set per pair of seeds, applied over the whole run, history included;
``history_parameters`` applies one fixed set the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from experiment_helpers import write_experiment

from experiments.batch.spec import PARAMETER_SET_COLUMN, ExperimentSpecError, load_experiment
from experiments.fit.ensemble import SHIPPED_ENSEMBLE, draws, ensemble_text, read_ensemble

PAIRED = """\
scenarios: [transition, abrupt_withdrawal]
grid:
  shocks.illness.p_year: [0.08, 0.12]
seeds: 6
"""


def test_each_pair_of_seeds_runs_the_set_compare_would_draw(tmp_path: Path):
    spec = load_experiment(write_experiment(tmp_path, PAIRED + "parameter_uncertainty: true\n"))
    ens = read_ensemble(SHIPPED_ENSEMBLE)
    expected = draws(ens, range(1, 7))
    assert spec.drawn_sets() == expected
    assert expected[1] == expected[2] and expected[3] == expected[4] and expected[5] == expected[6]
    runs = spec.expand()
    assert len(runs) == 2 * 2 * 6
    for run in runs:
        index = expected[run.seed]
        assert run.columns[PARAMETER_SET_COLUMN] == ens.particles[index]
        params = run.params()
        for path, value in ens.overrides(index).items():
            got = params.get(path)
            # over the whole run: a dated lever holds the drawn value in the history years too
            got = got.at_year(2018) if hasattr(got, "at_year") else got
            assert got == pytest.approx(value), (run.seed, path)
    # the drawn set is part of a run's identity; the design point and scenario still are
    assert len({r.run_id for r in runs}) == len(runs)
    plain = load_experiment(write_experiment(tmp_path, PAIRED, name="plain")).expand()
    assert not {r.run_id for r in runs} & {r.run_id for r in plain}
    assert all(PARAMETER_SET_COLUMN not in r.columns and r.history_overrides == {} for r in plain)


def test_history_parameters_reach_the_history_but_parameters_only_the_policy_years(tmp_path: Path):
    body = "scenarios: [transition]\nseeds: 1\n"
    whole = load_experiment(write_experiment(tmp_path, body + "history_parameters:\n"
                                             "  policy.tackling.relocation_share: 0.02\n", name="whole"))
    late = load_experiment(write_experiment(tmp_path, body + "parameters:\n"
                                            "  policy.tackling.relocation_share: 0.02\n", name="late"))
    share_whole = whole.expand()[0].params().policy.tackling.relocation_share
    share_late = late.expand()[0].params().policy.tackling.relocation_share
    assert share_whole.at_year(2018) == pytest.approx(0.02)
    assert share_late.at_year(2018) != pytest.approx(0.02) and share_late.at_year(2021) == pytest.approx(0.02)


def test_an_ensemble_file_next_to_the_experiment_and_the_command_line_option(tmp_path: Path):
    ens = read_ensemble(SHIPPED_ENSEMBLE)
    two = tmp_path / "two_sets.csv"
    two.write_text(ensemble_text(ens.paths, ens.values[:2], [0.5, 0.5], None, {"fit": "two sets for a test"}),
                   encoding="utf-8")
    spec = load_experiment(write_experiment(tmp_path, PAIRED + "parameter_uncertainty: two_sets.csv\n"))
    assert len(spec.ensemble) == 2 and set(spec.drawn_sets().values()) <= {0, 1}
    by_option = load_experiment(write_experiment(tmp_path, PAIRED, name="opt"),
                                {"parameter_uncertainty": str(two)})
    assert by_option.drawn_sets() == spec.drawn_sets()
    assert [r.run_id for r in by_option.expand()] == [r.run_id for r in spec.expand()]


@pytest.mark.parametrize(("extra", "fragments"), [
    ("parameter_uncertainty: 3\n", ["parameter_uncertainty = 3", "expected true"]),
    ("parameter_uncertainty: nowhere.csv\n", ["parameter_uncertainty:", "nowhere.csv", "no such ensemble file"]),
    ("parameter_uncertainty: true\nparameters:\n  income.productivity_growth_year: 0.03\n",
     ["income.productivity_growth_year is set in both 'parameters' and 'parameter_uncertainty'"]),
    ("history_parameters:\n  shocks.illness.p_year: 0.1\n",
     ["shocks.illness.p_year is set in both 'grid' and 'history_parameters'"]),
])
def test_bad_parameter_uncertainty_is_named(tmp_path: Path, extra: str, fragments: list[str]):
    with pytest.raises(ExperimentSpecError) as err:
        load_experiment(write_experiment(tmp_path, PAIRED + extra))
    text = "\n".join(err.value.problems)
    for fragment in fragments:
        assert fragment in text, text
    assert "tiny.yaml" in text or "tiny" in text


def test_the_command_runs_an_experiment_with_parameter_uncertainty(tmp_path: Path):
    """``ruralsim experiment --parameter-uncertainty``: the runs table names each run's drawn set, the
    same for both scenarios and both seeds of a pair, and the drawn set changes the history (2017-2020
    incomes differ between sets, are identical between the scenarios of a seed)."""
    from typer.testing import CliRunner

    import experiments
    from experiments.cli.main import app

    path = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 4\nkeep: [summary, annual]\n")
    result = CliRunner().invoke(app, ["experiment", str(path), "--parameter-uncertainty", "--in-process",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Parameter uncertainty: each pair of seeds runs one of the" in result.stderr
    res = experiments.load(tmp_path / "out")
    runs = res.runs.sort_values(["seed", "scenario"])
    drawn = draws(read_ensemble(SHIPPED_ENSEMBLE), range(1, 5))
    particles = read_ensemble(SHIPPED_ENSEMBLE).particles
    assert runs.groupby("seed")[PARAMETER_SET_COLUMN].nunique().eq(1).all()
    assert {int(s): int(p) for s, p in zip(runs.seed, runs[PARAMETER_SET_COLUMN], strict=True)} == \
        {s: particles[i] for s, i in drawn.items()}
    annual = res.annual.merge(res.runs[["run_id", "scenario", "seed"]], on="run_id", suffixes=("", "_run"))
    income_2019 = annual[annual.year == 2019].pivot_table(index="seed", columns="scenario",
                                                          values="income_pc_registered_yuan")
    assert (income_2019["transition"] == income_2019["abrupt_withdrawal"]).all()
    if drawn[1] != drawn[3]:
        assert income_2019.loc[1, "transition"] != income_2019.loc[3, "transition"]
