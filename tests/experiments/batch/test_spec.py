"""Experiment files: validation (every problem, named precisely) and deterministic expansion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from experiment_helpers import write_experiment

from experiments.batch.spec import EXPERIMENT_DIR, ExperimentSpecError, load_experiment


def problems_of(path: Path) -> str:
    with pytest.raises(ExperimentSpecError) as info:
        load_experiment(path)
    return "\n".join(info.value.problems)


# --------------------------------------------------------------------------------------------
# Expansion
# --------------------------------------------------------------------------------------------


def test_smoke_is_two_scenarios_by_ten_seeds():
    spec = load_experiment("smoke")
    runs = spec.expand()
    assert spec.path == EXPERIMENT_DIR / "smoke.yaml"
    assert len(runs) == spec.n_runs == 20
    assert {r.scenario for r in runs} == {"transition", "abrupt_withdrawal"}
    assert sorted({r.seed for r in runs}) == list(range(1, 11))
    assert all(r.overrides == {"population.n_households": 5000, "population.n_counties": 5, "sim.n_years": 5}
               for r in runs)
    assert all(r.params().population.n_households == 5000 for r in runs)


def test_shipped_experiment_files_are_valid():
    names = sorted(p.stem for p in EXPERIMENT_DIR.glob("*.yaml"))
    assert {"smoke", "thousand", "scale_invariance"} <= set(names)
    for name in names:
        assert load_experiment(name).n_runs > 0


def test_scale_study_pairs_the_sizes_on_the_same_seeds():
    runs = load_experiment("scale_invariance").expand()
    assert len(runs) == 2 * 4 * 20
    sizes = {(r.seed, r.scenario): set() for r in runs}
    for r in runs:
        sizes[(r.seed, r.scenario)].add(r.params().population.n_households)
    assert all(s == {20_000, 50_000, 100_000, 200_000} for s in sizes.values())
    assert {r.params().population.n_counties for r in runs} == {20}


def test_grid_times_samples_times_scenarios_times_seeds(tmp_path: Path):
    path = write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        parameters:
          shocks.disaster.p_county_year: 0.05
        grid:
          shocks.illness.p_year: [0.08, 0.12, 0.16]
          policy.assistance.industrial.intensity: [1.0, {2021: 1.0, 2023: 0.0}]
        samples:
          - {income.productivity_growth_year: 0.02}
          - {income.productivity_growth_year: 0.04}
        seeds: [5, 9]
    """)
    spec = load_experiment(path)
    runs = spec.expand()
    assert len(runs) == spec.n_runs == 2 * 3 * 2 * 2 * 2
    assert [r.run_index for r in runs] == list(range(len(runs)))
    # seed-major, then design point, then scenario: pairs of scenarios share a seed and a point
    assert [r.seed for r in runs[:24]] == [5] * 24
    assert [r.scenario for r in runs[:2]] == ["transition", "abrupt_withdrawal"]
    assert runs[0].overrides == runs[1].overrides
    points = {tuple(sorted((k, str(v)) for k, v in r.overrides.items())) for r in runs}
    assert len(points) == 12
    # a lever given in the grid replaces the scenario's schedule; the scenario's other levers stay
    last = runs[-1].params()
    assert last.policy.assistance.industrial.intensity.at(2024 * 12) == 0.0
    assert last.shocks.disaster.p_county_year == 0.05
    assert last.income.productivity_growth_year == 0.04
    # parameter columns are typed consistently; schedules become JSON text
    assert runs[0].columns["shocks.illness.p_year"] == 0.08
    assert {type(r.columns["policy.assistance.industrial.intensity"]) for r in runs} == {str}


def test_run_ids_are_unique_stable_and_content_based(tmp_path: Path):
    a = write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        grid:
          shocks.illness.p_year: [0.08, 0.12]
          income.productivity_growth_year: [0.02, 0.03]
        replications: 3
    """, name="a")
    b = write_experiment(tmp_path, """
        scenarios: [abrupt_withdrawal, transition]
        grid:
          income.productivity_growth_year: [0.03, 0.02]
          shocks.illness.p_year: [0.12, 0.08]
        seeds: [3, 2, 1]
    """, name="b")
    runs_a = load_experiment(a).expand()
    ids = [r.run_id for r in runs_a]
    assert len(set(ids)) == len(ids) == 24
    assert ids == [r.run_id for r in load_experiment(a).expand()]
    # the same runs written in another order have the same ids (the order of runs differs)
    runs_b = load_experiment(b).expand()
    assert sorted(ids) == sorted(r.run_id for r in runs_b)
    assert ids != [r.run_id for r in runs_b]
    # and a fresh interpreter computes the same ids (no hash randomisation involved)
    code = (f"from experiments.batch.spec import load_experiment; "
            f"print(*[r.run_id for r in load_experiment({str(a)!r}).expand()])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ids


def test_spec_hash_changes_with_content_only(tmp_path: Path):
    a = write_experiment(tmp_path, "scenarios: [transition]\nreplications: 2\n", name="a")
    same = load_experiment(a).spec_hash
    assert load_experiment(a).spec_hash == same
    write_experiment(tmp_path, "scenarios: [transition]\nreplications: 3\n", name="a")
    assert load_experiment(a).spec_hash != same


def test_defaults_and_keep(tmp_path: Path):
    spec = load_experiment(write_experiment(tmp_path, "scenarios: transition\nseeds: [0, 7]\nkeep: [counties]\n"))
    assert spec.scenarios == ("transition",)
    assert spec.seeds == (0, 7)
    assert spec.keep == ("summary", "counties")
    spec = load_experiment(write_experiment(tmp_path, "scenarios: [transition]\nreplications: 1\n"))
    assert spec.keep == ("summary", "annual")


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def test_every_problem_is_reported_with_file_key_value_and_allowed(tmp_path: Path):
    path = write_experiment(tmp_path, """
        scenarios: [transitoin, abrupt_withdrawal]
        grid:
          shocks.ilness.p_year: [0.1]
          shocks.illness.p_year: [0.1, 7]
          assistance.industrial.intensity: [0.5]
        samples:
          - {income.productivity_growth_year: "fast"}
        replicatons: 3
        keep: [summary, anual]
    """, size="households: 50\ncounties: 2.5\nyears: 3\n")
    text = problems_of(path)
    label = "tiny.yaml"
    lines = text.splitlines()
    assert all(line.startswith(label) or str(path) in line for line in lines), text
    assert "unknown top-level key 'replicatons'; did you mean 'replications'" in text
    assert "'transitoin'" in text and "did you mean 'transition'" in text
    assert "grid.shocks.ilness.p_year: unknown parameter 'shocks.ilness.p_year'; did you mean " \
           "'shocks.illness.p_year'" in text
    assert "grid.shocks.illness.p_year[1]: shocks.illness.p_year = 7" in text
    assert "allowed range [0, 1]" in text
    assert "policy levers need the 'policy.' prefix: 'policy.assistance.industrial.intensity'" in text
    assert "samples[0].income.productivity_growth_year = 'fast': expected a number" in text
    assert "households = 50: out of range; allowed [100, 100,000,000]" in text
    assert "counties = 2.5: expected a whole number" in text
    assert "keep[1] = 'anual': did you mean 'annual'?" in text
    assert "missing 'seeds'" in text


@pytest.mark.parametrize(("body", "fragment"), [
    ("scenarios: []\nreplications: 2", "scenarios = []: expected a non-empty list"),
    ("scenarios: [transition, transition]\nreplications: 2", "scenarios[1] = 'transition' is listed twice"),
    ("scenarios: [transition]\nseeds: [1, 2]\nreplications: 2", "either 'seeds' or its older spelling 'replications'"),
    ("scenarios: [transition]\nseeds: [1, 1]", "seeds[1] = 1 is listed twice"),
    ("scenarios: [transition]\nseeds: [-1]", "seeds[0] = -1: expected a whole number in [0, 2**63-1]"),
    ("scenarios: [transition]\nreplications: 0", "replications = 0: expected a whole number in [1,"),
    ("scenarios: [transition]\nreplications: 2\ngrid: {shocks.illness.p_year: 0.1}",
     "grid.shocks.illness.p_year = 0.1: expected a non-empty list of values"),
    ("scenarios: [transition]\nreplications: 2\ngrid: {shocks.illness.p_year: [0.1, 0.1]}",
     "grid.shocks.illness.p_year[1] = 0.1 repeats an earlier value"),
    ("scenarios: [transition]\nreplications: 2\ngrid: {shocks.illness.p_year: [1, 1.0]}",
     "grid.shocks.illness.p_year[1] = 1.0 repeats an earlier value"),
    ("scenarios: [transition]\nreplications: 2\ngrid: {policy.assistance.industrial.intensity: "
     "[{2021: 1, 2024: 0}, {'2021-01': 1.0, '2024': 0.0}]}",
     "grid.policy.assistance.industrial.intensity[1] = {'2021-01': 1.0, '2024': 0.0} repeats an earlier value"),
    ("scenarios: [transition]\nreplications: 2\nsamples: [{shocks.illness.p_year: 0, sim.n_years: 2}, "
     "{sim.n_years: 2.0, shocks.illness.p_year: 0.0}]", "samples[1] repeats samples[0]"),
    ("scenarios: [transition]\nreplications: 2\nsamples: [{shocks.illness.p_year: 0.1}, "
     "{shocks.accident.p_year: 0.01}]", "samples[1] sets shocks.accident.p_year but samples[0] sets"),
    ("scenarios: [transition]\nreplications: 2\nsamples: [{shocks.illness.p_year: 0.1}, "
     "{shocks.illness.p_year: 0.1}]", "samples[1] repeats samples[0]"),
    ("scenarios: [transition]\nreplications: 2\nparameters: {shocks.illness.p_year: 0.1}\n"
     "grid: {shocks.illness.p_year: [0.2, 0.3]}", "shocks.illness.p_year is set in both 'parameters' and 'grid'"),
    ("scenarios: [transition]\nreplications: 2\nparameters: {population.n_households: 2000}",
     "population.n_households is set in both 'parameters' and 'households'"),
    ("scenarios: [transition]\nreplications: 2\ngrid: {households: [1000, 2000]}",
     "'households' is not a parameter path; write 'population.n_households'"),
    ("scenarios: [transition]\nreplications: 2\nparameters: {shocks: 1}", "'shocks' is a group, not a parameter"),
    ("scenarios: [transition]\nreplications: 2\nparameters: {monitoring.enabled: 1}",
     "'policy.monitoring.enabled'"),
    ("scenarios: [transition]\nreplications: 2\ngrid: {policy.assistance.industrial.intensity: [{2021: 3}]}",
     "schedule value 3 is out of range (allowed range [0, 2])"),
    ("scenarios: [transition]\nreplications: 2\nparameters: {shocks.illness.p_year: true}",
     "shocks.illness.p_year = True: expected a number"),
    ("scenarios: [no/such.yaml]\nreplications: 2", "scenarios[0] = 'no/such.yaml': no/such.yaml: no such file"),
])
def test_single_problems(tmp_path: Path, body: str, fragment: str):
    assert fragment in problems_of(write_experiment(tmp_path, body))


def test_name_and_description_are_required(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("scenarios: [transition]\nreplications: 1\n")
    text = problems_of(path)
    assert "name = None" in text and "description = None" in text


def test_yaml_errors_and_odd_files(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ndescription: y\nscenarios: [transition\n")
    assert "broken.yaml:4:1: YAML syntax error" in problems_of(path)
    path.write_text("name: x\nname: y\n")
    assert "duplicate key 'name'" in problems_of(path)
    path.write_text("")
    assert "file is empty" in problems_of(path)
    path.write_text("- a\n- b\n")
    assert "top level must be a mapping" in problems_of(path)
    with pytest.raises(ExperimentSpecError, match="no such experiment file"):
        load_experiment(tmp_path / "absent.yaml")
    with pytest.raises(ExperimentSpecError, match="shipped experiments: .*smoke"):
        load_experiment("smok")


def test_scenario_files_and_overlays_are_accepted(tmp_path: Path):
    story = tmp_path / "late_cut.yaml"
    story.write_text("name: late_cut\nextends: transition\ndescription: Cut in 2023.\npolicy:\n"
                     "  assistance.industrial.intensity: {2021: 1.0, 2023: 0.0}\n")
    path = write_experiment(tmp_path, f"scenarios: [{story}, transition+abrupt_withdrawal]\nreplications: 1\n")
    spec = load_experiment(path)
    assert len(spec.expand()) == 2
    # the policy scenario's schedule from 2021, the baseline's value (1.0, from the defaults) before it
    assert spec.scenario_overrides[str(story)]["policy.assistance.industrial.intensity"] == {"1900": 1.0,
                                                                                              "2023": 0.0}
    assert spec.policy_years == {str(story): 2021, "transition+abrupt_withdrawal": 2021}


# --------------------------------------------------------------------------------------------
# Seeds: a number from first_seed, a list, or the older 'replications'; the command line's options
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "seeds"), [
    ("seeds: 3", (1, 2, 3)),
    ("seeds: 3\nfirst_seed: 10", (10, 11, 12)),
    ("replications: 3", (1, 2, 3)),
    ("replications: 2\nfirst_seed: 0", (0, 1)),
    ("seeds: [7, 3, 11]", (7, 3, 11)),
])
def test_seeds_is_a_number_from_first_seed_or_a_list(tmp_path: Path, body: str, seeds: tuple[int, ...]):
    assert load_experiment(write_experiment(tmp_path, f"scenarios: [transition]\n{body}\n")).seeds == seeds


def test_seeds_and_replications_give_the_same_experiment(tmp_path: Path):
    a = load_experiment(write_experiment(tmp_path, "scenarios: [transition]\nseeds: 4\n", name="a"))
    b = load_experiment(write_experiment(tmp_path, "scenarios: [transition]\nreplications: 4\n", name="a"))
    assert a.spec_hash == b.spec_hash  # an experiment started with one spelling resumes with the other


@pytest.mark.parametrize(("body", "fragment"), [
    ("seeds: [1, 2]\nfirst_seed: 5", "first_seed = 5 applies to a count of seeds"),
    ("seeds: 2\nfirst_seed: -1", "first_seed = -1: expected a whole number"),
    ("seeds: 0", "seeds = 0: expected a whole number in [1,"),
    ("seeds: 2.5", "seeds = 2.5: expected a number of seeds"),
])
def test_bad_seeds_are_named(tmp_path: Path, body: str, fragment: str):
    assert fragment in problems_of(write_experiment(tmp_path, f"scenarios: [transition]\n{body}\n"))


def test_command_line_options_replace_the_files_values(tmp_path: Path):
    path = write_experiment(tmp_path, """
        scenarios: [transition]
        replications: 2
        grid: {shocks.illness.p_year: [0.1, 0.2]}
    """)
    spec = load_experiment(path, {"seeds": 3, "first_seed": 20, "households": 2000, "counties": None,
                                  "parameters": {"shocks.disaster.p_county_year": 0.05}})
    assert spec.seeds == (20, 21, 22)
    assert spec.size == {"population.n_households": 2000, "population.n_counties": 3, "sim.n_years": 2}
    assert spec.parameters == {"shocks.disaster.p_county_year": 0.05}
    assert load_experiment(path, {"first_seed": 9}).seeds == (9, 10)
    with pytest.raises(ExperimentSpecError) as info:
        load_experiment(path, {"parameters": {"shocks.illness.p_year": 0.3}})
    assert "--set shocks.illness.p_year: the file varies it" in str(info.value)
    listed = write_experiment(tmp_path, "scenarios: [transition]\nseeds: [4, 5]\n", name="listed")
    with pytest.raises(ExperimentSpecError) as info:
        load_experiment(listed, {"first_seed": 9})
    assert "--first-seed 9: the file lists its seeds" in str(info.value)
    assert load_experiment(listed, {"seeds": 2, "first_seed": 9}).seeds == (9, 10)
