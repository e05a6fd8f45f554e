"""Splitting the spread of outcomes into chance and parameter uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.compare.uncertainty import decompose, uncertainty_table


def test_decomposition_of_a_constructed_example_is_exact():
    # sets A, B, C with runs (1, 3), (5, 7), (8, 10): MSW = 6 / 3 = 2, MSB = 74 / 3, n0 = 2
    d = decompose([1, 3, 5, 7, 8, 10], ["A", "A", "B", "B", "C", "C"])
    assert (d.n, d.n_sets) == (6, 3)
    assert d.mean == pytest.approx(34 / 6)
    assert d.var_chance == pytest.approx(2.0)
    assert d.var_parameters == pytest.approx(34 / 3)  # (74/3 - 2) / 2
    assert d.parameter_share == pytest.approx(0.85)


def test_unbalanced_groups_use_the_effective_group_size():
    # sizes 1, 2, 3: N = 6, n0 = (6 - 14/6) / 2 = 11/6; means 0, 2, 4; grand mean 16/6
    d = decompose([0, 1, 3, 3, 4, 5], [1, 2, 2, 3, 3, 3])
    msw = ((1 - 2) ** 2 + (3 - 2) ** 2 + (3 - 4) ** 2 + 0 + (5 - 4) ** 2) / 3
    grand = 16 / 6
    msb = (1 * (0 - grand) ** 2 + 2 * (2 - grand) ** 2 + 3 * (4 - grand) ** 2) / 2
    assert d.var_chance == pytest.approx(msw)
    assert d.var_parameters == pytest.approx((msb - msw) / (11 / 6))


def test_what_cannot_be_estimated_is_nan_and_negative_estimates_are_zero():
    assert math.isnan(decompose([1, 2, 3], [1, 2, 3]).var_chance)  # no set drawn twice
    assert math.isnan(decompose([1, 2, 3], [1, 1, 1]).var_parameters)  # one set only
    # the set means differ less than chance alone would make them: the parameter variance is 0, not negative
    d = decompose([0, 10, 1, 9], ["a", "a", "b", "b"])
    assert d.var_parameters == 0.0 and d.parameter_share == 0.0
    assert decompose([1, np.nan, 3, 5], [1, 1, 2, 2]).n == 3


def test_estimates_recover_known_variances():
    """400 sets of 2 runs, parameter sd 2 and chance sd 1 (seed 5): both variances within 20%."""
    rng = np.random.default_rng(5)
    centres = rng.normal(0, 2, 400)
    y = np.repeat(centres, 2) + rng.normal(0, 1, 800)
    d = decompose(y, np.repeat(np.arange(400), 2))
    assert d.var_parameters == pytest.approx(4.0, rel=0.2)
    assert d.var_chance == pytest.approx(1.0, rel=0.2)


def test_table_decomposes_levels_and_paired_differences():
    runs = pd.DataFrame({
        "scenario": ["ref", "alt"] * 4, "seed": [1, 1, 2, 2, 3, 3, 4, 4], "parameter_set": [7, 7, 7, 7, 9, 9, 9, 9],
        "x": [1.0, 2.0, 3.0, 5.0, 5.0, 9.0, 7.0, 12.0]})
    table = uncertainty_table(runs, ["ref", "alt"], "ref", ["x", "missing"], [1, 2, 3, 4])
    assert table[["scenario", "quantity"]].values.tolist() == [["ref", "level"], ["alt", "level"],
                                                                ["alt", "difference"]]
    ref = table.iloc[0]
    # ref: sets (1, 3) and (5, 7): MSW = 2, MSB = 16, n0 = 2, parameter variance 7
    assert ref["sd_chance"] == pytest.approx(math.sqrt(2)) and ref["sd_parameters"] == pytest.approx(math.sqrt(7))
    assert set(table.columns).isdisjoint({"half_width_chance", "half_width_parameters"})  # spreads, not intervals
    diff = table.iloc[2]
    # differences (1, 2) and (4, 5): MSW = 0.5, MSB = 9, n0 = 2, parameter variance 4.25
    assert diff["mean"] == pytest.approx(3.0)
    assert diff["sd_chance"] ** 2 == pytest.approx(0.5) and diff["sd_parameters"] ** 2 == pytest.approx(4.25)
    assert diff["parameter_share"] == pytest.approx(4.25 / 4.75)
