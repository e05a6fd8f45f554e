"""Scenario loading and validation (DESIGN §4): every problem at once, nothing partially applied."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from model.params import Params
from model.policy import Schedule
from scenarios import (
    SCENARIO_DIR,
    Scenario,
    ScenarioError,
    check_file,
    list_scenarios,
    load_scenario,
    parse_set,
)

SHIPPED = ("transition", "continuation", "abrupt_withdrawal")
#: The history every policy scenario extends (scenarios.history).
HISTORY = ["historical", "calibrated", "baseline"]
WITHDRAWN_LEVERS = (
    "policy.assistance.industrial.intensity",
    "policy.assistance.employment.intensity",
    "policy.assistance.social.intensity",
    "policy.transition_subsidy.intensity",
    "policy.monitoring.enabled",
)


def write(directory: Path, name: str, text: str) -> Path:
    """Write a scenario file ``<name>.yaml`` with dedented ``text``."""
    path = directory / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(path_or_name: str | Path, **kwargs) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path_or_name, **kwargs)
    return info.value.problems


def _lever_paths() -> list[str]:
    from model.params import parameter_table

    return [row["path"] for row in parameter_table() if row["path"].startswith("policy.")]


# --------------------------------------------------------------------------------------------
# Shipped scenarios
# --------------------------------------------------------------------------------------------


def test_list_scenarios_has_the_shipped_ones_with_descriptions():
    infos = {info.name: info for info in list_scenarios()}
    assert set(SHIPPED) <= set(infos)
    for name in SHIPPED:
        assert infos[name].path == SCENARIO_DIR / f"{name}.yaml"
        assert len(infos[name].description) > 80


@pytest.mark.parametrize("info", list_scenarios(), ids=lambda info: info.name)
def test_every_shipped_scenario_is_valid(info):
    assert check_file(info.path) == []
    scenario = load_scenario(info.name)
    assert isinstance(scenario, Scenario)
    assert isinstance(scenario.params, Params)
    assert scenario.name == info.name
    assert scenario.chain[-1] == info.name
    assert all(key.count(".") >= 1 for key in scenario.overrides)


def test_abrupt_withdrawal_stops_targeted_assistance_on_1_january_2022():
    scenario = load_scenario("abrupt_withdrawal")
    assert scenario.chain == [*HISTORY, "transition", "abrupt_withdrawal"]
    params = scenario.params
    for path in WITHDRAWN_LEVERS:
        lever: Schedule = params.get(path)
        assert lever.at_year(2021) == 1.0, path
        assert lever.at_year(2021, 12) == 1.0, path
        assert lever.at_year(2022) == 0.0, path
        assert lever.at_year(2030) == 0.0, path
    medical = params.policy.medical
    assert medical.preferential_rate.at_year(2021) == pytest.approx(0.8)
    assert medical.preferential_rate.at_year(2022) == pytest.approx(0.55)
    assert medical.preferential_rate.at_year(2022) == medical.inclusive_rate.at_year(2022)


def test_abrupt_withdrawal_equals_transition_throughout_2021():
    # Common random numbers need identical policy before the withdrawal.
    transition = load_scenario("transition").params
    abrupt = load_scenario("abrupt_withdrawal").params
    for path in _lever_paths():
        for month in range(1, 13):
            assert abrupt.get(path).at_year(2021, month) == transition.get(path).at_year(
                2021, month), (path, month)


def test_continuation_keeps_2020_assistance_for_the_whole_horizon():
    policy = load_scenario("continuation").params.policy
    for year in range(2021, 2041):
        for lever in (policy.assistance.industrial, policy.assistance.employment,
                      policy.assistance.social, policy.transition_subsidy,
                      policy.enterprise_support, policy.campaign):
            assert lever.intensity.at_year(year) == 1.0
        assert policy.monitoring.enabled.at_year(year) == 1.0
        assert policy.medical.preferential_rate.at_year(year) == pytest.approx(0.8)


def test_transition_is_stable_to_2025_then_normalised():
    policy = load_scenario("transition").params.policy
    industrial = policy.assistance.industrial.intensity
    assert industrial.at_year(2025, 12) == 1.0
    assert 0.0 < industrial.at_year(2026) < 1.0
    assert policy.transition_subsidy.intensity.at_year(2024) == pytest.approx(0.8)
    assert policy.medical.preferential_rate.at_year(2025) == pytest.approx(0.8)
    assert policy.medical.preferential_rate.at_year(2026) == pytest.approx(0.7)
    assert all(policy.monitoring.enabled.at_year(y) == 1.0 for y in range(2021, 2031))


# --------------------------------------------------------------------------------------------
# Validation messages
# --------------------------------------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_closest_name(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        extend: transition
        description: A story.
    """)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path))
    assert "'extend'" in problem and "did you mean 'extends'" in problem


def test_unknown_parameter_path_suggests_the_closest_names(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        parameters:
          shocks.illness.p_yaer: 0.2
    """)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path))
    assert "shocks.illness.p_yaer" in problem and "'shocks.illness.p_year'" in problem


def test_unknown_policy_lever_suggests_relative_lever_names(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        policy:
          assistance.industrial.intensty: 0.5
          policy.campaign.intensity: 0.5
    """)
    problems = problems_of(path)
    assert len(problems) == 2
    assert "did you mean 'assistance.industrial.intensity'" in problems[0]
    assert "write 'campaign.intensity'" in problems[1]


def test_out_of_range_value_names_file_path_value_and_range(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        parameters:
          shocks.illness.p_year: 1.7
    """)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path))
    assert "shocks.illness.p_year" in problem
    assert "1.7" in problem
    assert "[0, 1]" in problem


def test_out_of_range_schedule_value_names_the_lever_value_and_range(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        policy:
          assistance.employment.intensity: {2021: 1.0, 2024: 3.5}
    """)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path))
    assert "policy.assistance.employment.intensity" in problem
    assert "3.5" in problem and "[0, 2]" in problem


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("shocks.illness.p_year: high", ["'high'", "expected a number", "[0, 1]"]),
        ("sim.n_years: true", ["True", "expected a number", "[1, 40]"]),
        ("income.expenditure_deduction: 1", ["expected true or false"]),
        ("policy.monitoring.coverage: [0.5]", ["not a schedule", "[0, 1]"]),
        ("policy.monitoring.enabled: {2022-13: 0}", ["month 13"]),
        ("sim.n_years: 2.5", ["2.5", "integer", "[1, 40]"]),
    ],
)
def test_wrong_type_names_file_path_value_and_expectation(tmp_path, line, expected):
    path = write(tmp_path, "s", f"""
        name: s
        description: A story.
        parameters:
          {line}
    """)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path))
    assert line.split(":")[0] in problem
    for fragment in expected:
        assert fragment in problem


def test_name_must_match_file_stem_and_description_is_required(tmp_path):
    path = write(tmp_path, "s", """
        name: other
        description: "  "
    """)
    problems = problems_of(path)
    assert any("'other'" in p and "'s'" in p for p in problems)
    assert any("description" in p for p in problems)


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        descripton: typo
        policy:
          monitoring.coverage: 2
        parameters:
          shocks.illness.p_year: -1
          sim.nyears: 5
    """)
    problems = problems_of(path)
    assert len(problems) == 5  # unknown key, missing description, two ranges, unknown path
    assert all(p.startswith(str(path)) for p in problems)


def test_extends_cycle_is_named(tmp_path):
    write(tmp_path, "a", "name: a\nextends: b\ndescription: A.\n")
    write(tmp_path, "b", "name: b\nextends: c\ndescription: B.\n")
    c = write(tmp_path, "c", "name: c\nextends: a\ndescription: C.\n")
    problems = problems_of(c)
    assert any("extends cycle: c -> a -> b -> c" in p for p in problems)


def test_self_extension_is_a_cycle(tmp_path):
    a = write(tmp_path, "a", "name: a\nextends: a\ndescription: A.\n")
    assert any("extends cycle: a -> a" in p for p in problems_of(a))


def test_missing_parent_lists_available_scenarios(tmp_path):
    path = write(tmp_path, "s", "name: s\nextends: transitoin\ndescription: S.\n")
    (problem,) = problems_of(path)
    assert problem.startswith(str(path))
    assert "'transitoin'" in problem and "did you mean 'transition'" in problem
    assert all(name in problem for name in SHIPPED)


def test_yaml_syntax_error_reports_file_and_line(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        parameters:
          shocks.illness.p_year: [0.1
          sim.n_years: 3
    """)
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:")
    assert "YAML syntax error" in problem
    line = int(problem[len(str(path)) + 1:].split(":")[0])
    assert line in (4, 5, 6)


def test_duplicate_yaml_key_is_an_error(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        policy:
          central_fund: 1.0
          central_fund: 2.0
    """)
    (problem,) = problems_of(path)
    assert "duplicate key 'central_fund'" in problem


def test_problems_in_a_parent_name_the_parent_file(tmp_path):
    parent = write(tmp_path, "parent", """
        name: parent
        description: P.
        parameters:
          shocks.illness.p_year: 2
    """)
    child = write(tmp_path, "child", "name: child\nextends: parent\ndescription: C.\n")
    (problem,) = problems_of(child)
    assert problem.startswith(str(parent))
    assert check_file(child) == [problem]


def test_check_file_of_missing_file():
    (problem,) = check_file("no/such/scenario.yaml")
    assert "no such file" in problem


def test_scenario_error_is_a_readable_value_error(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        parameters:
          shocks.illness.p_year: 2
          sim.n_years: 0
    """)
    with pytest.raises(ValueError) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(str(path)) for line in lines)


# --------------------------------------------------------------------------------------------
# Applying overrides
# --------------------------------------------------------------------------------------------


def test_nothing_is_partially_applied(tmp_path):
    path = write(tmp_path, "s", """
        name: s
        description: A story.
        parameters:
          shocks.illness.p_year: 0.3
          sim.n_years: 99
    """)
    problems = problems_of(path)
    assert len(problems) == 1 and "sim.n_years" in problems[0]
    # A bad command-line override sinks an otherwise valid load, too.
    problems = problems_of("transition", overrides={"shocks.illness.p_year": 0.3,
                                                    "population.n_counties": 0})
    assert len(problems) == 1 and "population.n_counties" in problems[0]
    assert Params().shocks.illness.p_year == pytest.approx(0.11)
    assert load_scenario("transition").params.shocks.illness.p_year == pytest.approx(0.11)


def test_child_states_only_its_difference(tmp_path):
    write(tmp_path, "base", """
        name: base
        description: Base.
        policy:
          central_fund: 1.5
          assistance.industrial.intensity: {2021: 1.0, 2026: 0.5}
        parameters:
          shocks.illness.p_year: 0.2
    """)
    child = write(tmp_path, "child", """
        name: child
        extends: base
        description: Child.
        policy:
          assistance.industrial.intensity: {2021: 1.0, 2023: 0.0}
    """)
    scenario = load_scenario(child)
    assert scenario.chain == ["base", "child"]
    assert scenario.files == [tmp_path / "base.yaml", child]
    assert scenario.description == "Child."
    params = scenario.params
    assert params.policy.central_fund.at_year(2030) == 1.5
    assert params.shocks.illness.p_year == pytest.approx(0.2)
    # A child's schedule replaces the parent's whole schedule.
    assert params.policy.assistance.industrial.intensity.at_year(2023) == 0.0
    assert params.policy.assistance.industrial.intensity.at_year(2027) == 0.0
    assert scenario.overrides["policy.assistance.industrial.intensity"] == {2021: 1.0, 2023: 0.0}


def test_user_file_can_extend_a_shipped_scenario_by_name_or_relative_path(tmp_path):
    by_name = write(tmp_path, "mine", """
        name: mine
        extends: transition
        description: Mine.
        parameters:
          sim.n_years: 3
    """)
    (tmp_path / "sub").mkdir()
    by_path = write(tmp_path / "sub", "deeper", """
        name: deeper
        extends: ../mine.yaml
        description: Deeper.
    """)
    for path in (by_name, by_path):
        scenario = load_scenario(path)
        assert scenario.chain[:5] == [*HISTORY, "transition", "mine"]
        assert scenario.params.sim.n_years == 3
        assert scenario.params.policy.assistance.industrial.intensity.at_year(2026) == 0.8


def test_nested_groups_equal_dotted_paths(tmp_path):
    nested = write(tmp_path, "nested", """
        name: nested
        description: Nested.
        policy:
          assistance:
            industrial: {intensity: {2021: 1.0, 2025: 0.5}}
        parameters:
          shocks:
            illness:
              p_year: 0.2
    """)
    dotted = write(tmp_path, "dotted", """
        name: dotted
        description: Dotted.
        policy:
          assistance.industrial.intensity: {2021: 1.0, 2025: 0.5}
        parameters:
          shocks.illness.p_year: 0.2
    """)
    assert load_scenario(nested).params == load_scenario(dotted).params
    assert load_scenario(nested).overrides == load_scenario(dotted).overrides


def test_overrides_are_applied_last_and_recorded():
    scenario = load_scenario("abrupt_withdrawal", {
        "sim.n_years": 4,
        "policy.assistance.industrial.intensity": {2021: 1, 2024: 0},
    })
    assert scenario.params.sim.n_years == 4
    industrial = scenario.params.policy.assistance.industrial.intensity
    assert industrial.at_year(2023) == 1.0 and industrial.at_year(2024) == 0.0
    assert scenario.overrides["sim.n_years"] == 4
    # from 2021 the policy scenario's schedule, before it the baseline's history
    assert scenario.overrides["policy.monitoring.enabled"] == {"2017": 0.0, "2021": 1.0, "2022": 0.0}


def test_override_problems_carry_their_origin():
    problems = problems_of("transition", overrides={"sim.n_yeras": 3}, origin="--set")
    assert problems[0].startswith("--set: ")
    assert "'sim.n_years'" in problems[0]


def test_unknown_scenario_name_suggests_and_lists():
    (problem,) = problems_of("continuaton")
    assert "did you mean 'continuation'" in problem
    assert all(name in problem for name in SHIPPED)


# --------------------------------------------------------------------------------------------
# Overlays
# --------------------------------------------------------------------------------------------


def test_overlay_applies_only_the_overlays_own_overrides(tmp_path):
    overlay = write(tmp_path, "stress", """
        name: stress
        extends: continuation
        description: More illness.
        parameters:
          shocks.illness.p_year: 0.25
    """)
    scenario = load_scenario(f"transition+{overlay}")
    assert scenario.name == "transition+stress"
    assert scenario.chain == [*HISTORY, "transition", "stress"]
    params = scenario.params
    assert params.shocks.illness.p_year == pytest.approx(0.25)
    # The overlay's parent (continuation) is not applied: transition's tapering stays.
    assert params.policy.assistance.industrial.intensity.at_year(2026) == pytest.approx(0.8)


def test_shipped_overlay_in_order():
    scenario = load_scenario("continuation+abrupt_withdrawal")
    assert scenario.name == "continuation+abrupt_withdrawal"
    assert scenario.chain == [*HISTORY, "continuation", "abrupt_withdrawal"]
    policy = scenario.params.policy
    assert policy.assistance.industrial.intensity.at_year(2022) == 0.0
    # Only abrupt_withdrawal's own levers; continuation keeps its untapered subsidy-free levers.
    assert policy.enterprise_support.intensity.at_year(2030) == 1.0
    assert scenario.description.count("\n\n") == 1


def test_overlay_with_unknown_part_is_an_error():
    (problem,) = problems_of("transition+no_such_overlay")
    assert problem.startswith("no_such_overlay: unknown scenario")


# --------------------------------------------------------------------------------------------
# --set parsing
# --------------------------------------------------------------------------------------------


def test_parse_set_reads_values_as_yaml():
    parsed = parse_set([
        "policy.assistance.industrial.intensity={2021: 1, 2024: 0}",
        "shocks.illness.p_year=0.2",
        "sim.n_years = 5",
        "income.expenditure_deduction=false",
        "policy.monitoring.enabled={2021: 1, '2022-07': 0}",
        "sim.n_years=6",
    ])
    assert parsed == {
        "policy.assistance.industrial.intensity": {2021: 1, 2024: 0},
        "shocks.illness.p_year": 0.2,
        "sim.n_years": 6,
        "income.expenditure_deduction": False,
        "policy.monitoring.enabled": {2021: 1, "2022-07": 0},
    }
    params = load_scenario("transition", parsed).params
    assert params.policy.monitoring.enabled.at_year(2022, 6) == 1.0
    assert params.policy.monitoring.enabled.at_year(2022, 7) == 0.0


@pytest.mark.parametrize(
    ("item", "fragment"),
    [("sim.n_years", "expected key=value"), ("=3", "expected key=value"),
     ("a={2021: 1", "not valid YAML"), ("a=", "no value")],
)
def test_parse_set_rejects_malformed_items(item, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_set([item])
    (problem,) = info.value.problems
    assert problem.startswith("--set") and fragment in problem
