"""One baseline under every policy scenario (scenarios.history): policy from 2021, history before it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from experiments.batch.spec import validate
from model.policy import Schedule
from scenarios import BASELINE, POLICY_START_YEAR, ScenarioError, list_scenarios, load_scenario
from scenarios.history import apply_overrides, early_dates, from_year

HISTORY_YEARS = range(2017, POLICY_START_YEAR)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def policy_scenarios() -> list[str]:
    return [info.name for info in list_scenarios() if load_scenario(info.name).policy_year is not None]


# --------------------------------------------------------------------------------------------
# The splice (pure functions: exact values)
# --------------------------------------------------------------------------------------------


def test_from_year_keeps_the_history_and_starts_the_policy_in_january_2021():
    assert from_year({2017: 0, 2021: 1}, {2021: 1, 2022: 0}) == {"2017": 0.0, "2021": 1.0, "2022": 0.0}
    # a constant policy value starts in 2021; the history's value holds before
    assert from_year({2017: 1.0, 2021: 0.0}, 0.5) == {"2017": 1.0, "2021": 0.5}
    # the policy's value in force in January 2021 starts it, even when its first key is later
    assert from_year(0.0, {2023: 2.0, 2024: 1.0}) == {"1900": 0.0, "2021": 2.0, "2024": 1.0}
    assert from_year(1.0, {2021: 1.0, "2023-06": 0.5}) == {"1900": 1.0, "2023-06": 0.5}
    # a history that starts after 2021 still holds its first value before it
    assert from_year({2022: 3.0, 2023: 4.0}, 5.0) == {"1900": 3.0, "2021": 5.0}
    # change points that change nothing are dropped; one value is a number
    assert from_year(1.0, 1.0) == 1.0
    assert from_year({2016: 0.1, 2020: 0.2, 2021: 0.3}, 0.3) == {"2016": 0.1, "2020": 0.2, "2021": 0.3}
    # the history's months before 2021 are kept as they were
    history = Schedule.parse({2016: 1.0, "2020-02": 0.4, "2020-06": 1.0, "2020-10": 1.075, 2021: 1.0})
    spliced = Schedule.parse(from_year(history, 0.8))
    assert [spliced.at(m) for m in range(2016 * 12, 2021 * 12)] == [history.at(m) for m in range(2016 * 12, 2021 * 12)]
    assert spliced.at_year(2021) == spliced.at_year(2040) == 0.8


def test_early_dates_names_the_keys_before_2021():
    assert early_dates({2019: 0.5, 2021: 1.0, "2020-12": 0.7}) == ["2019", "2020-12"]
    assert early_dates({2021: 1.0, "2021-02": 0.0}) == []
    assert early_dates(0.5) == []
    assert early_dates({"soon": 1.0}) == []  # not a schedule: its own check reports it


def test_apply_overrides_splices_only_dated_values_of_a_policy_scenario():
    merged = {"policy.monitoring.enabled": {2017: 0, 2021: 1}, "sim.start_year": 2017}
    extra = {"policy.monitoring.enabled": 0, "shocks.illness.p_year": 0.2,
             "policy.assistance.industrial.intensity": {2021: 1.0, 2024: 0.0}}
    got = apply_overrides(merged, extra, POLICY_START_YEAR)
    assert got["policy.monitoring.enabled"] == 0.0  # off before 2021 and from 2021: one value
    assert got["shocks.illness.p_year"] == 0.2  # static: the whole run
    # not set before: the model's default (1.0) holds before 2021
    assert got["policy.assistance.industrial.intensity"] == {"1900": 1.0, "2024": 0.0}
    assert apply_overrides(merged, extra, None) == {**merged, **extra}  # a history scenario: as given


# --------------------------------------------------------------------------------------------
# The shipped scenarios
# --------------------------------------------------------------------------------------------


def test_every_policy_scenario_extends_the_baseline_and_history_scenarios_do_not():
    names = {info.name for info in list_scenarios()}
    history = {"historical", "calibrated", BASELINE}
    assert history <= names
    for name in names - history:
        scenario = load_scenario(name)
        assert scenario.chain[:3] == ["historical", "calibrated", BASELINE], name
        assert scenario.policy_year == POLICY_START_YEAR, name
        assert scenario.params.sim.start_year == 2017 and scenario.params.sim.first_outcome_year == 2021, name
    for name in history:
        assert load_scenario(name).policy_year is None


def test_levers_before_2021_are_the_baselines_in_every_policy_scenario():
    baseline = load_scenario(BASELINE).params
    for name in policy_scenarios():
        params = load_scenario(name).params
        for path in load_scenario(name).overrides:
            value = params.get(path)
            if isinstance(value, Schedule):
                for year in HISTORY_YEARS:
                    for month in (1, 6, 12):
                        assert value.at_year(year, month) == baseline.get(path).at_year(year, month), (name, path)
    withdrawal = load_scenario("abrupt_withdrawal").params.policy
    assert withdrawal.assistance.industrial.intensity.at_year(2022) == 0.0
    assert withdrawal.monitoring.enabled.at_year(2019) == 0.0  # history: no monitoring yet
    assert withdrawal.monitoring.enabled.at_year(2021) == 1.0 and withdrawal.monitoring.enabled.at_year(2022) == 0.0


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_a_policy_scenario_dating_a_lever_before_2021_is_refused(tmp_path):
    path = write(tmp_path, "early", """
        name: early
        extends: transition
        description: Withdraws assistance during the campaign.
        policy:
          assistance.industrial.intensity: {2019: 0.5, 2022: 0.0}
    """)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path}: policy.assistance.industrial.intensity = {{2019: 0.5, 2022: 0.0}}: ")
    assert "'2019' is before 2021" in problem and "extends 'baseline'" in problem and "2021 or later" in problem


def test_set_on_a_policy_scenario_dating_before_2021_is_refused_and_allowed_on_history():
    with pytest.raises(ScenarioError) as info:
        load_scenario("transition", {"policy.tackling.relocation_share": {2018: 0.1}}, origin="command line")
    assert info.value.problems[0].startswith("command line: policy.tackling.relocation_share = {2018: 0.1}: '2018'")
    # the history scenarios may date anything
    history = load_scenario("historical", {"policy.tackling.relocation_share": {2018: 0.1}}).params
    assert history.policy.tackling.relocation_share.at_year(2018) == 0.1
    # a dated --set on a policy scenario takes effect from 2021
    policy = load_scenario("transition", {"policy.assistance.industrial.intensity": 0.5}).params
    baseline = load_scenario(BASELINE).params
    assert policy.policy.assistance.industrial.intensity.at_year(2020, 12) == \
        baseline.policy.assistance.industrial.intensity.at_year(2020, 12)
    assert policy.policy.assistance.industrial.intensity.at_year(2021) == 0.5


def test_an_overlay_on_a_policy_scenario_follows_the_rule(tmp_path):
    path = write(tmp_path, "stress_early", """
        name: stress_early
        description: A disaster during the campaign.
        parameters:
          shocks.disaster.stress: {2020: 0.5, 2021: 0.0}
    """)
    with pytest.raises(ScenarioError, match="stress_early.yaml: shocks.disaster.stress = .*'2020' is before 2021"):
        load_scenario(f"transition+{path}")


def test_experiment_runs_apply_dated_parameters_from_2021_like_the_loader():
    spec = validate({"name": "x", "description": "Rule.", "scenarios": ["transition", "historical"], "seeds": [1],
                     "parameters": {"policy.assistance.industrial.intensity": 0.5}}, label="test")
    runs = {run.scenario: run.params() for run in spec.expand()}
    policy = runs["transition"].policy.assistance.industrial.intensity
    assert policy.at_year(2020) == 1.0 and policy.at_year(2021) == 0.5
    assert runs["transition"] == load_scenario("transition",
                                               {"policy.assistance.industrial.intensity": 0.5}).params
    assert runs["historical"].policy.assistance.industrial.intensity.at_year(2018) == 0.5


# --------------------------------------------------------------------------------------------
# Common random numbers: one history under every policy scenario
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [4])
def test_results_before_2021_are_identical_under_every_policy_scenario(seed):
    """Annual, monthly and county outputs of 2017-2020, run by run, for one seed (3,000 households in 4
    counties, 2021 simulated): every policy scenario lives through the baseline's history exactly,
    and they differ from 2021 on (abrupt withdrawal stops assistance in 2022, no monitoring starts
    none in 2021)."""
    import model

    size = {"population.n_households": 3000, "population.n_counties": 4, "sim.n_years": 2}
    reference = None
    later = {}
    for name in [BASELINE, *policy_scenarios()]:
        result = model.run(load_scenario(name, size).params, seed=seed)
        tables = {"annual": result.annual, "monthly": result.monthly, "counties": result.counties}
        history = {k: t[t["year"] < POLICY_START_YEAR].reset_index(drop=True) for k, t in tables.items()}
        assert list(history["annual"]["year"]) == list(HISTORY_YEARS), name
        assert len(history["monthly"]) == 12 * len(HISTORY_YEARS), name
        if reference is None:
            reference = history
        else:
            for key, table in history.items():
                assert table.equals(reference[key]), (name, key)
        later[name] = result.annual.set_index("year").loc[2022]
    assert later["abrupt_withdrawal"]["relapse_rate"] != later["transition"]["relapse_rate"]
    assert later["no_monitoring"]["monitored_share"] == 0.0 < later["transition"]["monitored_share"]
