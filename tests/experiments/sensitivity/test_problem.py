"""Problem files: the shipped problem, derived withdrawal levers, and every bad-input message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from experiments.sensitivity.problem import (
    ProblemError,
    load_problem,
    validate_problem,
    with_options,
    withdrawal_schedule,
)
from model.params import bounds

GOOD = """
name: small
description: A small problem.
base: transition
households: 1500
counties: 2
years: 2
reps: 2
uncertainties:
  shocks.illness.p_year: {bounds: [0.06, 0.20]}
levers:
  policy.monitoring.coverage: {bounds: [0.3, 1.0]}
  withdrawal_year: {bounds: [2022, 2023]}
withdrawal:
  levers: [policy.assistance.industrial.intensity]
outputs: [relapse_rate_peak, large_scale_relapse]
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def problems_of(tmp_path: Path, text: str) -> tuple[Path, list[str]]:
    path = write(tmp_path, text)
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    return path, info.value.problems


def test_shipped_problem_covers_uncertainties_and_levers():
    p = load_problem("relapse_risk")
    kinds = [q.kind for q in p.parameters]
    assert len(p.parameters) >= 10
    assert kinds.count("uncertainty") >= 5 and kinds.count("lever") >= 5
    assert {"withdrawal_year", "taper_years", "assistance_level"} <= set(p.names)
    assert p.outputs[0] == "relapse_rate_peak" and "large_scale_relapse" in p.outputs
    # every bound lies in the range Params declares
    for q in p.parameters:
        if not q.derived:
            lo, hi = bounds(q.name)
            assert lo <= q.lo < q.hi <= hi


def test_withdrawal_schedule_exact():
    assert withdrawal_schedule(2021, 2024, 2, 1.2) == {2021: 1.2, 2024: 0.8, 2025: 0.4, 2026: 0.0}
    assert withdrawal_schedule(2021, 2023, 0, 1.0) == {2021: 1.0, 2023: 0.0}
    assert withdrawal_schedule(2021, None, 3, 0.7) == 0.7


def test_integer_parameters_round_with_equal_shares_and_expand_to_schedules(tmp_path):
    p = load_problem(write(tmp_path, GOOD))
    w = p.parameters[p.names.index("withdrawal_year")]
    assert w.integer and w.derived
    # [2022, 2023] widened to [2021.5, 2023.5] so each year gets half of the unit interval
    assert w.lo == pytest.approx(2021.5) and w.hi == pytest.approx(2023.5)
    row = [0.1, 0.5, 2022.49]
    assert p.point_values(row) == {"shocks.illness.p_year": 0.1, "policy.monitoring.coverage": 0.5,
                                   "withdrawal_year": 2022.0}
    assert p.overrides(row) == {"shocks.illness.p_year": 0.1, "policy.monitoring.coverage": 0.5,
                                "policy.assistance.industrial.intensity": {2021: 1.0, 2022: 0.0}}


@pytest.mark.parametrize(("change", "fragments"), [
    (("shocks.illness.p_year: {bounds: [0.06, 0.20]}", "shocks.illness.p_year: {bounds: [0.06, 2.0]}"),
     ["uncertainties.shocks.illness.p_year.bounds = [0.06, 2]", "outside the allowed range [0, 1]"]),
    (("shocks.illness.p_year: {bounds: [0.06, 0.20]}", "shocks.ilness.p_year: {bounds: [0.06, 0.20]}"),
     ["uncertainties.shocks.ilness.p_year", "unknown parameter", "did you mean 'shocks.illness.p_year'"]),
    (("shocks.illness.p_year: {bounds: [0.06, 0.20]}", "shocks.illness.p_year: {bounds: [0.2, 0.06]}"),
     ["uncertainties.shocks.illness.p_year.bounds = [0.2, 0.06]", "lower bound must be below the upper"]),
    (("shocks.illness.p_year: {bounds: [0.06, 0.20]}", "shocks.illness.p_year: {bounds: [low, 0.2]}"),
     ["uncertainties.shocks.illness.p_year.bounds = ['low', 0.2]", "expected two numbers"]),
    (("policy.monitoring.coverage:", "central_fund: {}\n  policy.monitoring.coverage:"),
     ["levers.central_fund", "levers take the 'policy.' prefix ('policy.central_fund')"]),
    (("withdrawal_year: {bounds: [2022, 2023]}", "withdrawal_year: {bounds: [2021, 2023]}"),
     ["levers.withdrawal_year.bounds = [2021, 2023]", "outside the allowed range [2022, 2060]"]),
    (("withdrawal_year: {bounds: [2022, 2023]}", "taper_years: {bounds: [0, 3]}"),
     ["levers.taper_years", "needs withdrawal_year"]),
    (("withdrawal_year: {bounds: [2022, 2023]}", "withdrawal_year: {bounds: [2022.2, 2022.8]}"),
     ["levers.withdrawal_year.bounds = [2022.2, 2022.8]", "whole numbers", "contain none"]),
    (("outputs: [relapse_rate_peak, large_scale_relapse]", "outputs: [relapse_rate_peek]"),
     ["outputs[0] = 'relapse_rate_peek'", "not a summary key", "did you mean 'relapse_rate_peak'"]),
    (("uncertainties:", "uncertainty:"), ["unknown top-level key 'uncertainty'", "did you mean 'uncertainties'"]),
    (("reps: 2", "reps: 0"), ["reps = 0", "expected an integer in [1, 1000]"]),
    (("households: 1500", "households: 5"), ["households = 5", "[100, 1e+08]", "population.n_households"]),
    (("levers: [policy.assistance.industrial.intensity]", "levers: [policy.monitoring.coverage]"),
     ["levers.policy.monitoring.coverage", "also set by the withdrawal schedule"]),
    (("base: transition", "base: no_such_path"), ["base = 'no_such_path'", "unknown scenario"]),
])
def test_bad_problem_names_file_key_value_and_allowed(tmp_path, change, fragments):
    old, new = change
    assert old in GOOD
    path, problems = problems_of(tmp_path, GOOD.replace(old, new, 1))
    text = "\n".join(problems)
    assert all(p.startswith(str(path)) for p in problems), text
    for fragment in fragments:
        assert fragment in text, text


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("reps: 2", "reps: -1").replace("[0.06, 0.20]", "[0.06, 3]").replace(
        "relapse_rate_peak,", "relapse_rate_peek,")
    _, problems = problems_of(tmp_path, text)
    assert len(problems) == 3


def test_not_a_mapping_and_yaml_errors(tmp_path):
    with pytest.raises(ProblemError, match="top level must be a mapping"):
        validate_problem([1, 2], label="x.yaml")
    _, problems = problems_of(tmp_path, "name: [unclosed\n")
    assert "YAML syntax error" in problems[0] and ":1:" in problems[0]
    with pytest.raises(ProblemError, match="no such problem file.*relapse_risk"):
        load_problem("does_not_exist")


def test_command_line_replacements_are_checked(tmp_path):
    p = load_problem(write(tmp_path, GOOD))
    assert with_options(p, households=2000, reps=3).size["households"] == 2000
    with pytest.raises(ProblemError) as info:
        with_options(p, households=5, reps=0)
    text = str(info.value)
    assert "--households 5" in text and "[100, 100,000,000]" in text and "--seeds 0" in text
    with pytest.raises(ProblemError, match="base = 'nope'.*unknown scenario"):
        with_options(p, base="nope")


def test_seeds_is_the_name_of_the_replications_and_reps_its_older_spelling(tmp_path):
    assert load_problem(write(tmp_path, GOOD.replace("reps: 2", "seeds: 3"))).reps == 3
    assert load_problem(write(tmp_path, GOOD.replace("reps: 2", "reps: 4"))).reps == 4
    with pytest.raises(ProblemError) as info:
        load_problem(write(tmp_path, GOOD.replace("reps: 2", "reps: 2\nseeds: 3")))
    assert "either 'seeds' or its older spelling 'reps'" in str(info.value)


def test_set_values_reach_every_run_and_may_not_touch_the_sample(tmp_path):
    p = load_problem(write(tmp_path, GOOD))
    fixed = with_options(p, fixed={"shocks.disaster.p_county_year": 0.2}).fixed
    assert fixed == {"shocks.disaster.p_county_year": 0.2}
    with pytest.raises(ProblemError) as info:
        with_options(p, fixed={p.names[0]: 0.1, "population.n_households": 500})
    text = str(info.value)
    assert f"--set {p.names[0]}: the problem samples it" in text
    assert "--set population.n_households: give the run size as --households" in text
