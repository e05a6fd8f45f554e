"""Intervals that respect their outcome's range, the declared ranges, lookup and the warnings.

The range checks draw 1,000 small random samples per kind of outcome (2 to 6 replications, values
on and between the bounds, ties, all-equal samples; seed 20261208) and require every interval, of
a mean and of a paired difference, to lie inside the range the outcome and its differences can take
and to contain its estimate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.compare import comparison
from experiments.compare.statistics import (
    bounded_interval,
    outcome_interval,
    paired_difference,
    replication_warnings,
    t_interval,
    wilson_interval,
)
from experiments.outcomes import BINARY, NONNEGATIVE, RANGES, SHARE, OutcomeRange, declared, outcome_range
from model.metrics import SUMMARY_KEYS

N_SAMPLES = 1000
KINDS = {
    "binary": BINARY,
    "share": SHARE,
    "years_of_10": OutcomeRange("bounded", 0.0, 10.0),
    "count": NONNEGATIVE,
}


def draw(rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
    """Values of one outcome kind: on the bounds, near them, tied, or spread."""
    style = rng.integers(4)
    if kind == "binary":
        return (rng.random(n) < rng.choice([0.0, 0.05, 0.5, 0.95, 1.0])).astype(float)
    if kind == "share":
        x = [rng.random(n), rng.random(n) * 1e-4, 1 - rng.random(n) * 1e-4, np.full(n, rng.choice([0.0, 1.0]))][style]
        return np.clip(x, 0, 1)
    if kind == "years_of_10":
        return [rng.integers(0, 11, n), np.zeros(n), np.full(n, 10), rng.choice([0, 10], n)][style].astype(float)
    counts = [rng.integers(0, 4, n), rng.exponential(1e6, n), np.zeros(n), rng.integers(0, 2, n) * 1e9]
    return counts[style].astype(float)


@pytest.mark.parametrize("kind", list(KINDS))
def test_intervals_of_means_stay_in_the_range_on_random_small_samples(kind):
    rng = np.random.default_rng(20261208)
    declared_range = KINDS[kind]
    lo, hi = declared_range.lo, float(declared_range.hi)
    for _ in range(N_SAMPLES):
        x = draw(rng, kind, int(rng.integers(2, 7)))
        iv = outcome_interval(x, declared_range)
        assert lo <= iv.low <= iv.mean <= iv.high <= hi, (kind, x, iv)


@pytest.mark.parametrize("kind", list(KINDS))
def test_intervals_of_paired_differences_stay_in_the_range_of_differences(kind):
    rng = np.random.default_rng(20261209)
    declared_range = KINDS[kind]
    span = float(declared_range.hi) - declared_range.lo
    for _ in range(N_SAMPLES):
        n = int(rng.integers(2, 7))
        x, y = draw(rng, kind, n), draw(rng, kind, n)
        d = paired_difference(x, y, declared=declared_range)
        assert -span <= d.low <= d.high <= span, (kind, x, y, d)
        if kind == "binary":  # Newcombe's interval holds the difference of the two proportions
            assert d.low <= np.mean(x) - np.mean(y) <= d.high
        else:
            assert d.low <= d.mean <= d.high


def test_the_shares_of_the_issue_no_longer_leave_zero():
    """A share near zero from two replications: the t interval reaches below zero, this one does not."""
    x = [0.0065, 0.1215]
    assert t_interval(x).low < 0
    iv = outcome_interval(x, SHARE)
    assert iv.mean == pytest.approx(0.064)
    assert 0 < iv.low < iv.mean < iv.high < 1


def test_logit_interval_matches_the_t_interval_far_from_the_bounds():
    """Away from 0 and 1 and with many replications the logit-scale interval is nearly the plain t interval."""
    rng = np.random.default_rng(3)
    x = 0.5 + 0.01 * rng.standard_normal(200)
    plain, bounded = t_interval(x), bounded_interval(x, 0.0, 1.0)
    assert bounded.low == pytest.approx(plain.low, abs=2e-5)
    assert bounded.high == pytest.approx(plain.high, abs=2e-5)


def test_log_interval_of_a_count_and_its_exact_values():
    """The log-scale interval of values 10, 30, 50: exp(log 30 -/+ t(2) * sd / (sqrt(3) * 30))."""
    iv = bounded_interval([10, 30, 50], 0.0, math.inf)
    spread = 4.302652729911275 * 20 / math.sqrt(3) / 30
    assert iv.low == pytest.approx(30 * math.exp(-spread), rel=1e-9)
    assert iv.high == pytest.approx(30 * math.exp(spread), rel=1e-9)
    assert bounded_interval([4, 4, 4], 0.0, math.inf).low == 4


def test_wilson_comes_from_scipy_and_matches_the_formula():
    p, lo, hi = wilson_interval(5, 20)
    z = 1.959963984540054
    centre = (0.25 + z * z / 40) / (1 + z * z / 20)
    half = z * math.sqrt(0.25 * 0.75 / 20 + z * z / 1600) / (1 + z * z / 20)
    assert (p, lo, hi) == pytest.approx((0.25, centre - half, centre + half), rel=1e-12)
    assert wilson_interval(0, 2)[1] == 0.0 and wilson_interval(2, 2)[2] == 1.0


def test_every_summary_outcome_has_a_declared_range():
    for key in (*SUMMARY_KEYS, comparison.RELAPSE_EVENTS, "large_scale_p_01", "large_scale_p_10"):
        found = declared(key)
        assert found.kind in ("binary", "bounded", "nonnegative", "real"), key
    assert outcome_range("three_excesses_years", years=10).hi == 10.0
    assert outcome_range("large_scale_county_years", years=10, counties=20).hi == 200.0
    assert outcome_range("three_excesses_years").kind == "nonnegative"
    with pytest.raises(KeyError, match="no declared range; declared are relapse_rate_peak"):
        declared("relapse_rate_peek")
    assert set(RANGES) >= {k for k in SUMMARY_KEYS if not k.startswith("large_scale_p_")}


def tiny_runs() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for seed in (1, 2):
        for scenario in ("ref", "alt"):
            row = {"scenario": scenario, "seed": seed, "run_id": f"{scenario}{seed}"}
            for key in SUMMARY_KEYS:
                row[key] = float(rng.random())
            row["three_excesses_years"] = float(rng.integers(0, 6))
            rows.append(row)
    return pd.DataFrame(rows)


def test_analyse_keeps_every_interval_of_two_replications_in_range():
    table = comparison.analyse(tiny_runs(), ["ref", "alt"], "ref", sizes={"ref": (5, 4), "alt": (5, 4)})
    wide = table.pivot_table(index=["scenario", "outcome"], columns="statistic", values="value")
    for (_, outcome), row in wide.iterrows():
        r = outcome_range(outcome, years=5, counties=4)
        assert r.lo <= row["ci_low"] <= row["mean"] <= row["ci_high"] <= float(r.hi), (outcome, row)
    # the probability of large-scale relapse is a probability per run: a share, not a yes/no outcome
    ls = wide.loc[("alt", "large_scale_relapse")]
    assert 0 <= ls["ci_low"] <= ls["mean"] <= ls["ci_high"] <= 1 and "wilson_low" not in ls.dropna().index


def test_lookup_raises_for_an_unknown_statistic_with_the_valid_names():
    table = comparison.analyse(tiny_runs(), ["ref", "alt"], "ref")
    assert math.isnan(comparison.lookup(table, "ref", "relapse_cum_share", "diff_mean"))  # the reference itself
    with pytest.raises(KeyError, match="unknown statistic 'diff_low'; the statistics are n, mean, .*diff_ci_low"):
        comparison.lookup(table, "alt", "relapse_cum_share", "diff_low")
    with pytest.raises(KeyError, match="unknown scenario 'nosuch'; the table has ref, alt"):
        comparison.lookup(table, "nosuch", "relapse_cum_share", "mean")
    with pytest.raises(KeyError, match="unknown outcome"):
        comparison.lookup(table, "alt", "relapse_share", "mean")


def test_too_few_replications_are_named_with_what_they_are_too_few_for():
    two = replication_warnings(2, ["interval", "probability", "quantiles"])
    assert len(two) == 3
    assert two[0].startswith("2 replications are too few for the intervals") and "12.7" in two[0]
    assert "use 20 or more" in two[1] and "use 10 or more" in two[2]
    assert replication_warnings(20, ["interval", "probability", "quantiles"]) == []
    assert [w.split(":")[0] for w in comparison.warnings_for(12, ["relapse_cum_share", "large_scale_relapse"])] == \
        ["12 replications are too few for a probability"]
    assert comparison.warnings_for(12, ["relapse_cum_share"]) == []
