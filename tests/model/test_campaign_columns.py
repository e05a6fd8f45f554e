"""The campaign's annual columns equal the NumPy formulas that define them, to the last bit."""

from __future__ import annotations

import numpy as np
import pytest

from model import campaign
from model.households import HouseholdSet
from model.processes.income import EMP_MIGRANT


def _reference(hh: HouseholdSet, reg: campaign.Register, pw: np.ndarray) -> dict[str, float]:
    """The definitions, as whole-array NumPy expressions."""
    fp = hh.formerly_poor
    workers = hh.weight.astype(np.float64) * hh.n_workers * fp
    away = workers * (hh.emp_type == EMP_MIGRANT)
    fp_persons = pw[fp].sum()
    exited = reg.exit_year > 0
    den = float(hh.weight[exited].sum())
    return {
        "registered_poor_share": float(pw[reg.on_register].sum() / pw.sum()),
        "relocated_share_fp": float(pw[reg.relocated].sum() / fp_persons) if fp_persons > 0 else 0.0,
        "migrant_share_fp_labour": float(away.sum() / workers.sum()) if workers.sum() > 0 else 0.0,
        "exiter_poor_again_share": float(hh.weight[exited & reg.poor_after_exit].sum()) / den if den > 0 else 0.0,
    }


def _households(n: int, seed: int) -> HouseholdSet:
    rng = np.random.default_rng(seed)
    hh = HouseholdSet(n)
    hh.weight[:] = rng.uniform(0.5, 40.0, n)
    hh.members[:] = rng.integers(1, 9, n)
    hh.n_workers[:] = rng.integers(0, 4, n)
    hh.formerly_poor[:] = rng.random(n) < 0.3
    hh.emp_type[:] = rng.integers(0, 4, n)
    return hh


@pytest.mark.parametrize("campaign_ran", [False, True])
def test_annual_columns_equal_their_definitions(campaign_ran: bool):
    n = 200_003  # more than NumPy's pairwise-summation blocks, not a multiple of them
    hh = _households(n, seed=3)
    reg = campaign.Register(n)
    if campaign_ran:
        rng = np.random.default_rng(4)
        reg.on_register[:] = hh.formerly_poor & (rng.random(n) < 0.4)
        reg.relocated[:] = hh.formerly_poor & (rng.random(n) < 0.1)
        reg.exit_year[:] = np.where(hh.formerly_poor & (rng.random(n) < 0.5), rng.integers(2017, 2021, n), 0)
        reg.poor_after_exit[:] = (reg.exit_year > 0) & (rng.random(n) < 0.05)
    pw = hh.weight.astype(np.float64) * hh.members
    got = campaign.annual_columns(hh, reg, pw)
    want = _reference(hh, reg, pw)
    assert got == want  # exact: the same products, summed by NumPy in the same order
    assert all(type(v) is float for v in got.values())
    assert 0.0 < got["migrant_share_fp_labour"] < 1.0
    if campaign_ran:
        assert all(0.0 < v < 1.0 for v in got.values())
    else:
        assert got["registered_poor_share"] == got["relocated_share_fp"] == got["exiter_poor_again_share"] == 0.0
    assert campaign.annual_columns(hh, reg) == want  # persons computed when not passed


def test_no_wage_workers_gives_a_zero_share():
    hh = _households(1000, seed=5)
    hh.n_workers[:] = 0
    cols = campaign.annual_columns(hh, campaign.Register(1000))
    assert cols["migrant_share_fp_labour"] == 0.0
