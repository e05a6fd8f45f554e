"""In-sample and out-of-sample rows of a validation, and the gap of the mean from a level target."""

from __future__ import annotations

import math

import pytest

from experiments.fit.replications import OUT_OF_SAMPLE
from experiments.fit.targets import read_all, read_targets
from experiments.fit.validate import sample_and_gap, sample_scores


def target(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_text("id,indicator,year,value,tolerance,unit,source,note\n" + text + "\n")
        (t,) = read_targets(path)
    return t


def test_sample_follows_the_first_outcome_year_and_the_gap_is_exact():
    level = target("a,income_pc_fpc_yuan,2021,14051,0.05,yuan; relative,C20,x")
    got = sample_and_gap(level, {"simulated_mean": 13626.0}, 2021)
    assert got["sample"] == "out" and got["gap"] == -425.0
    assert got["gap_relative"] == pytest.approx(-425 / 14051, rel=1e-12)
    history = target("b,poverty_rate,2019,0.006,0.01,share,A9,x")
    assert sample_and_gap(history, {"simulated_mean": 0.0114}, 2021)["sample"] == "in"
    # a range reaching into 2021 uses unfitted years: out of sample; a ratio has no gap
    ratio = target("c,migrant_share_fp_labour,2020-2021,ratio>1,0,ratio,J10,x")
    got = sample_and_gap(ratio, {"simulated_mean": 1.02}, 2021)
    assert got["sample"] == "out" and math.isnan(got["gap"]) and math.isnan(got["gap_relative"])
    summary = target("d,gini_final,,positive,,share,x,x")
    assert sample_and_gap(summary, {"simulated_mean": 0.3}, 2021)["sample"] == "out"
    # a run without history: every target is in sample
    assert sample_and_gap(level, {"simulated_mean": 13626.0}, None)["sample"] == "in"


def test_sample_scores():
    rows = [{"sample": "in", "pass": True}, {"sample": "in", "pass": False}, {"sample": "out", "pass": True}]
    assert sample_scores(rows) == {"in": (1, 2), "out": (1, 1)}
    assert sample_scores(rows[:2]) == {"in": (1, 2)}


def test_shipped_out_of_sample_targets_hold_the_2021_figures_and_nothing_is_fitted_after_2020():
    rows = {t.id: t for t in read_all([OUT_OF_SAMPLE])}
    assert rows["income_fpc_2021"].lo == 14051 and rows["income_growth_fpc_2021"].lo == 0.116  # C20
    assert rows["labour_away_2021"].lo == pytest.approx(0.629)  # J10: 31.45M over ~50M
    assert rows["labour_away_growth_2021"].kind == "ratio>" and rows["labour_away_growth_2021"].years == (2020, 2021)
    from experiments.fit.replications import IN_SAMPLE

    assert max(t.years[1] for t in read_all([IN_SAMPLE]) if t.years is not None) == 2020
