"""Comparing policy paths: statistics, the stopping rule, the scenario library.

Statistical checks state their tolerance and number of simulated datasets; they use fixed seeds, so
they are deterministic. Runs use a tiny province in this process, one thread per run. The command
end to end is in ``tests/experiments/cli/test_cli_compare.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import model
from experiments.compare import comparison, statistics
from model.metrics import SUMMARY_KEYS
from scenarios import list_scenarios, load_scenario

STRESS_LEVERS = {"stress_disaster": "shocks.disaster.stress", "stress_price_collapse": "macro.price_level",
                 "stress_migrant_shock": "macro.migrant_demand", "stress_health": "macro.illness_multiplier"}
POLICY_SCENARIOS = ("continuation", "abrupt_withdrawal", "gradual_phaseout", "early_phaseout", "monitoring_only",
                    "no_monitoring", "inclusive_shift", "enterprise_campaign", "key_county_focus")
pytestmark = pytest.mark.usefixtures("one_thread_per_run")


def small(name: str, households: int = 3000, counties: int = 4, years: int = 3):
    return load_scenario(name, {"population.n_households": households, "population.n_counties": counties,
                                "sim.n_years": years}).params


# --------------------------------------------------------------------------------------------
# Statistics with known answers
# --------------------------------------------------------------------------------------------


def test_t_interval_known_values():
    iv = statistics.t_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    # sd = sqrt(2.5); t(0.975, 4) = 2.776445
    assert iv.n == 5 and iv.mean == 3.0
    assert iv.sd == pytest.approx(math.sqrt(2.5))
    assert iv.half_width == pytest.approx(2.776445 * math.sqrt(2.5) / math.sqrt(5), rel=1e-5)
    assert (iv.low, iv.high) == pytest.approx((3.0 - iv.half_width, 3.0 + iv.half_width))
    assert math.isnan(statistics.t_interval([1.0]).half_width)
    assert statistics.t_interval([1.0, math.nan, 3.0]).n == 2


def test_t_interval_covers_the_true_mean_in_95_percent_of_datasets():
    # 2,000 normal datasets of 10 values; the binomial sd of the coverage is 0.49 points, the
    # tolerance (1.5 points) is three of them.
    rng = np.random.default_rng(20240601)
    data = rng.normal(3.0, 2.0, size=(2000, 10))
    hits = [(iv.low <= 3.0 <= iv.high) for iv in map(statistics.t_interval, data)]
    assert abs(np.mean(hits) - 0.95) < 0.015


@pytest.mark.parametrize(("k", "n", "low", "high"), [(0, 10, 0.0, 0.2775), (1, 10, 0.0179, 0.4042),
                                                     (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0),
                                                     (3, 20, 0.0524, 0.3604)])
def test_wilson_interval_known_values(k, n, low, high):
    p, lo, hi = statistics.wilson_interval(k, n)
    assert p == k / n
    assert (lo, hi) == pytest.approx((low, high), abs=5e-5)
    assert 0.0 <= lo <= p <= hi <= 1.0


def test_wilson_interval_bounds_are_exact_at_0_and_n():
    for n in range(1, 60):
        assert statistics.wilson_interval(0, n)[1] == 0.0
        assert statistics.wilson_interval(n, n)[2] == 1.0
    with pytest.raises(ValueError):
        statistics.wilson_interval(11, 10)


def test_newcombe_paired_interval_covers_the_true_difference():
    # Pairs fall in four cells with probabilities (both, x only, y only, neither); the true
    # difference P(x) - P(y) is 0.10 - 0.25 = -0.15. 2,000 datasets of 40 pairs; method 10 is
    # known to be close to nominal: coverage within 0.93-0.98.
    cells = np.array([0.20, 0.10, 0.25, 0.45])
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(2000):
        kind = rng.choice(4, size=40, p=cells)
        x = (kind == 0) | (kind == 1)
        y = (kind == 0) | (kind == 2)
        _, lo, hi = statistics.newcombe_paired_interval(x, y)
        hits += lo <= -0.15 <= hi
    assert 0.93 <= hits / 2000 <= 0.98


def test_newcombe_paired_interval_extremes():
    diff, lo, hi = statistics.newcombe_paired_interval([True] * 10, [False] * 10)
    assert diff == 1.0 and 0.5 < lo < 1.0 and hi == 1.0
    diff, lo, hi = statistics.newcombe_paired_interval([True, False] * 5, [True, False] * 5)
    assert diff == 0.0 and lo < 0.0 < hi


def test_pairing_narrows_the_interval_when_scenarios_share_noise():
    rng = np.random.default_rng(3)
    shared = rng.normal(0.0, 1.0, size=30)  # what both scenarios meet with the same seed
    reference = 5.0 + shared + rng.normal(0.0, 0.1, size=30)
    scenario = 5.5 + shared + rng.normal(0.0, 0.1, size=30)
    paired = statistics.paired_difference(scenario, reference)
    assert paired.mean == pytest.approx(np.mean(scenario - reference))
    assert paired.low < 0.5 < paired.high
    assert paired.pairing_ratio > 5
    independent = statistics.paired_difference(5.5 + rng.normal(0, 1, 30), 5.0 + rng.normal(0, 1, 30))
    assert 0.6 < independent.pairing_ratio < 1.6


def test_binary_difference_uses_the_paired_score_interval():
    x = [True] * 8 + [False] * 2
    y = [False] * 10
    d = statistics.paired_difference(np.array(x, float), np.array(y, float), binary=True)
    assert (d.mean, d.low, d.high) == pytest.approx(statistics.newcombe_paired_interval(x, y))


# --------------------------------------------------------------------------------------------
# The stopping rule (a fake model with a known spread of the differences)
# --------------------------------------------------------------------------------------------


class FakeRuns:
    """Scenario values per seed: reference ~ N(0.1, 0.05); 'a' = reference + 0.02 + N(0, sd_a)."""

    def __init__(self, sd_a: float = 0.01, drop: tuple[int, ...] = ()):
        self.sd_a = sd_a
        self.drop = drop
        self.calls: list[list[int]] = []

    def __call__(self, seeds: list[int]) -> pd.DataFrame:
        self.calls.append(list(seeds))
        rows = []
        for seed in seeds:
            rng = np.random.default_rng(seed)
            ref = 0.1 + rng.normal(0, 0.05)
            rows.append({"scenario": "ref", "seed": seed, "relapse_cum_share": ref})
            if seed not in self.drop:  # a failed run
                rows.append({"scenario": "a", "seed": seed, "relapse_cum_share": ref + 0.02 + rng.normal(0, self.sd_a)})
        return pd.DataFrame(rows)


def _half_width(runs: pd.DataFrame) -> float:
    seeds = comparison.complete_seeds(runs, ["ref", "a"])
    wide = runs[runs["seed"].isin(seeds)].pivot(index="seed", columns="scenario", values="relapse_cum_share")
    return statistics.t_interval(wide["a"] - wide["ref"]).half_width


def test_stopping_rule_stops_once_the_half_width_is_below_the_target():
    fake = FakeRuns(sd_a=0.01)
    result = comparison.run_until_precise(fake, ["ref", "a"], "ref", 0.004, seed_base=5, start=10, cap=200)
    assert result.reached
    assert fake.calls[0] == list(range(5, 15))
    assert result.seeds == list(range(5, 5 + len(result.seeds)))  # consecutive seeds, none repeated
    assert _half_width(result.runs) < 0.004
    assert result.half_widths["a"] == pytest.approx(_half_width(result.runs))
    # it did not stop early: every earlier batch left the half-width at or above the target
    assert all(h["max_half_width"] >= 0.004 for h in result.history[:-1])
    # the second batch is sized from the first batch's spread: enough seeds for t·sd/√n < target
    first = result.runs[result.runs["seed"] < 15]
    sd = statistics.t_interval(first.pivot(index="seed", columns="scenario", values="relapse_cum_share")
                        .pipe(lambda w: w["a"] - w["ref"])).sd
    expected = math.ceil(1.1 * statistics.replications_needed(sd, 0.004, 10))
    assert len(fake.calls[1]) == max(expected, 15) - 10
    assert len(result.seeds) < 200


def test_stopping_rule_respects_the_cap():
    fake = FakeRuns(sd_a=0.01)
    result = comparison.run_until_precise(fake, ["ref", "a"], "ref", 1e-5, start=10, cap=30, min_batch=5)
    assert not result.reached
    assert len(result.seeds) == 30
    assert max(s for call in fake.calls for s in call) == 30


def test_stopping_rule_stops_after_the_first_batch_when_already_precise():
    fake = FakeRuns(sd_a=0.0001)
    result = comparison.run_until_precise(fake, ["ref", "a"], "ref", 0.01, start=10)
    assert result.reached and len(fake.calls) == 1 and len(result.seeds) == 10


def test_stopping_rule_counts_only_complete_pairs():
    fake = FakeRuns(sd_a=0.01, drop=(3, 4))
    result = comparison.run_until_precise(fake, ["ref", "a"], "ref", 0.004, start=10)
    assert 3 not in comparison.complete_seeds(result.runs, ["ref", "a"])
    assert result.history[0]["complete_pairs"] == 8
    assert _half_width(result.runs) < 0.004


def test_stopping_rule_gives_up_when_a_scenario_fails_every_run():
    fake = FakeRuns(drop=tuple(range(1, 1000)))
    result = comparison.run_until_precise(fake, ["ref", "a"], "ref", 0.004, start=10, cap=200)
    assert not result.reached and len(fake.calls) == 1


def test_stopping_rule_rejects_a_non_positive_target():
    with pytest.raises(ValueError):
        comparison.run_until_precise(FakeRuns(), ["ref", "a"], "ref", 0.0)


# --------------------------------------------------------------------------------------------
# The scenario library
# --------------------------------------------------------------------------------------------


def test_overlay_keeps_the_policy_and_adds_the_stress_lever():
    base = load_scenario("transition")
    both = load_scenario("transition+stress_price_collapse")
    assert both.chain == ["historical", "calibrated", "baseline", "transition", "stress_price_collapse"]
    for path, value in base.overrides.items():
        assert both.overrides[path] == value
        assert both.params.get(path) == base.params.get(path)
    assert set(both.overrides) - set(base.overrides) == {"macro.price_level"}
    price = both.params.macro.price_level
    assert price.at_year(2022, 12) == 1.0 and price.at_year(2023, 1) == 0.6 and price.at_year(2030) == 0.6
    assert both.params.policy.assistance.industrial.intensity.at_year(2026) == 0.8  # transition's lever


@pytest.mark.parametrize("name", sorted(STRESS_LEVERS))
def test_stress_overlays_contain_only_their_stress_lever(name):
    scenario = load_scenario(name)
    # run on its own, a stress test runs on the baseline
    assert scenario.chain == ["historical", "calibrated", "baseline", name]
    assert set(scenario.overrides) - set(load_scenario("baseline").overrides) == {STRESS_LEVERS[name]}
    lever = scenario.params.get(STRESS_LEVERS[name])
    assert lever.at_year(2021) == lever.at_year(2022, 12) == Params_default(STRESS_LEVERS[name])
    assert any(lever.at_year(2023, m) != lever.at_year(2021) for m in range(1, 13))  # the stress is in 2023
    composed = load_scenario(f"abrupt_withdrawal+{name}")
    assert composed.params.policy == load_scenario("abrupt_withdrawal").params.policy


def Params_default(path: str) -> float:  # noqa: N802 - reads as a constant
    return model.Params().get(path).at_year(2021)


def test_migrant_shock_follows_the_2020_path():
    demand = load_scenario("stress_migrant_shock").params.macro.migrant_demand
    path = [demand.at_year(2023, m) for m in range(1, 13)]
    assert path[0] == 1.0 and path[1] == 0.40  # February: 40% of normal (J6)
    assert all(b >= a for a, b in zip(path[1:], path[2:], strict=False))  # recovering month by month
    assert path[9] == 1.0 and path[8] < 1.0  # back to normal after about eight months


def test_the_inclusive_shift_gives_one_medical_rate_for_all():
    p = load_scenario("inclusive_shift").params.policy
    assert p.medical.inclusive_rate.at_year(2026) == p.medical.preferential_rate.at_year(2026) > 0.55
    assert p.dibao_for_all_eligible.at_year(2024) == 1.0
    assert p.transition_subsidy.intensity.at_year(2026) == 0.0


def test_key_county_focus_moves_money_without_adding_any():
    p = load_scenario("key_county_focus").params.policy
    assert p.key_county_extra.at_year(2021) > 0
    assert p.central_fund == load_scenario("transition").params.policy.central_fund


@pytest.mark.parametrize("name", [info.name for info in list_scenarios()] + ["continuation+stress_health"])
def test_every_shipped_scenario_runs_a_small_year(name):
    params = small(name, households=1500, counties=2, years=1)
    result = model.run(params, seed=1, collect_monthly=False)
    assert set(SUMMARY_KEYS) <= set(result.summary)
    # one year from 2021, after the history of a run that starts earlier ('historical': 2017-2020)
    assert list(result.annual["year"]) == list(range(params.sim.start_year, 2022))


def _annual(name: str, years: int, seed: int = 1) -> pd.DataFrame:
    return model.run(small(name, households=4000, counties=4, years=years), seed=seed,
                     collect_monthly=False).annual.set_index("year")


@pytest.fixture(scope="module")
def transition_8_years() -> pd.DataFrame:
    return _annual("transition", 8)


# year from which each scenario departs from the transition path (2021: from the start)
DEPARTS = {"continuation": 2024, "abrupt_withdrawal": 2022, "gradual_phaseout": 2026, "early_phaseout": 2023,
           "monitoring_only": 2022, "no_monitoring": 2021, "inclusive_shift": 2024, "enterprise_campaign": 2021,
           "key_county_focus": 2021, "transition+stress_disaster": 2023, "transition+stress_price_collapse": 2023,
           "transition+stress_migrant_shock": 2023, "transition+stress_health": 2023}


@pytest.mark.parametrize("name", list(DEPARTS))
def test_each_scenario_changes_outcomes_from_the_year_it_departs(name, transition_8_years):
    """Same seed: identical years before the policy or stress departs, different outcomes after it."""
    other = _annual(name, 8)
    start = DEPARTS[name]
    before = [y for y in other.index if y < start]
    pd.testing.assert_frame_equal(other.loc[before], transition_8_years.loc[before], check_exact=True)
    after = other.loc[start:, ["relapse_rate", "poverty_rate", "income_pc_fpc_yuan", "fiscal_cost_yuan"]]
    assert not after.equals(transition_8_years.loc[start:, after.columns])
