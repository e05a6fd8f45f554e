"""The three excesses as a probability per scenario and year, and the comparison that decides it."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.compare.excesses import COLUMNS, deciding_comparison, three_excesses_probability
from experiments.compare.statistics import wilson_interval
from model.metrics import three_excesses


def annual_rows() -> pd.DataFrame:
    """Two scenarios, four seeds, history 2020 and outcome years 2021-2022; GDP 6% and urban 5% in
    every run, rural and formerly-poor-county growth vary."""
    rows = []
    fpc = {("a", 2021): [0.07, 0.08, 0.055, 0.09], ("a", 2022): [0.07, 0.07, 0.07, 0.07],
           ("b", 2021): [0.05, 0.05, 0.04, 0.05], ("b", 2022): [0.065, 0.064, 0.07, 0.08]}
    rural = {2021: [0.06, 0.06, 0.06, 0.06], 2022: [0.071, 0.06, 0.075, 0.06]}
    for (scenario, year), growths in fpc.items():
        for seed, g in enumerate(growths, start=1):
            r = rural[year][seed - 1]
            rows.append({"scenario": scenario, "seed": seed, "year": year, "income_growth_fpc": g,
                         "gdp_growth": 0.06, "urban_income_growth": 0.05, "rural_income_growth": r,
                         "three_excesses": three_excesses(g, 0.06, 0.05, r)})
        rows.append({"scenario": scenario, "seed": 1, "year": 2020, "income_growth_fpc": 0.2, "gdp_growth": 0.06,
                     "urban_income_growth": 0.05, "rural_income_growth": 0.06, "three_excesses": True})
    return pd.DataFrame(rows)


def test_probability_interval_and_decomposition_exact():
    te = three_excesses_probability(annual_rows(), seeds=[1, 2, 3, 4], first_year=2021)
    assert list(te.columns) == list(COLUMNS)
    assert sorted(te["year"].unique()) == [2021, 2022]  # the history year is left out
    a21 = te[(te.scenario == "a") & (te.year == 2021)].iloc[0]
    # 0.07, 0.08, 0.09 beat GDP 6%, urban 5% and rural 6%; 0.055 beats only urban
    assert (a21.n, a21.years_held, a21.share) == (4, 3, 0.75)
    assert (a21.wilson_low, a21.wilson_high) == pytest.approx(wilson_interval(3, 4)[1:], rel=1e-12)
    assert a21.beats_gdp_growth_share == 0.75 and a21.beats_urban_income_growth_share == 1.0
    assert a21.fpc_growth_mean == pytest.approx(0.07375, rel=1e-12)
    assert a21.margin_gdp_growth_mean == pytest.approx(0.01375, rel=1e-12)
    # GDP and rural both fail once; GDP's mean margin equals rural's here (both 6%): the first in order
    assert a21.deciding == "gdp_growth"
    a22 = te[(te.scenario == "a") & (te.year == 2022)].iloc[0]
    # 7% against rural 7.1%, 6%, 7.5%, 6%: rural fails twice, GDP and urban never
    assert (a22.years_held, a22.beats_rural_income_growth_share, a22.deciding) == (2, 0.5, "rural_income_growth")
    b21 = te[(te.scenario == "b") & (te.year == 2021)].iloc[0]
    # 5%, 5%, 4%, 5%: GDP and rural fail in every run, urban in all (none beats 5%)
    assert (b21.years_held, b21.share, b21.wilson_low) == (0, 0.0, 0.0)
    assert b21.beats_urban_income_growth_share == 0.0
    # every comparison fails in every run: the smallest mean margin decides (GDP and rural -1.25 points,
    # urban -0.25; a tie goes to the first in order)
    assert b21.deciding == "gdp_growth"


def test_deciding_comparison():
    assert deciding_comparison([1.0, 1.0, 1.0], [0.01, 0.02, 0.03]) == ""
    assert deciding_comparison([1.0, 0.9, 0.2], [0.01, 0.02, -0.01]) == "rural_income_growth"
    assert deciding_comparison([0.5, 1.0, 0.5], [0.01, 0.02, -0.01]) == "rural_income_growth"  # tie: smaller margin
    assert deciding_comparison([0.4, 1.0, 0.5], [0.01, 0.02, -0.01]) == "gdp_growth"
