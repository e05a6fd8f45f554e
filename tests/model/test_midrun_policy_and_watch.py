"""Mid-run policy changes (``RuralModel.change_policy``) and watched households (``watch``)."""

from __future__ import annotations

import numpy as np
import pytest

from model import Params, ParamsError, RuralModel
from model.policy import Schedule, month_index

SMALL = {"population.n_households": 3000, "population.n_counties": 3, "sim.n_years": 2}


def small_params(**extra) -> Params:
    return Params().with_overrides({**SMALL, **extra})


def test_with_value_from_keeps_past_and_drops_later_points():
    s = Schedule.parse({2021: 1.0, 2026: 0.8})
    t = s.with_value_from(month_index(2023, 5), 0.0)
    assert t.points == ((month_index(2021), 1.0), (month_index(2023, 5), 0.0))
    assert t.at(month_index(2023, 4)) == 1.0 and t.at(month_index(2023, 5)) == 0.0
    assert t.at(month_index(2027)) == 0.0  # the 2026 change point is gone
    assert Schedule.parse(t.to_data()) == t


def test_with_value_from_constant_round_trips_through_data():
    t = Schedule.parse(0.9).with_value_from(month_index(2022, 3), 0.2)
    assert t.points == ((month_index(1900), 0.9), (month_index(2022, 3), 0.2))
    assert t.at(month_index(2021)) == 0.9
    assert Schedule.parse(t.to_data()) == t
    with pytest.raises(ValueError, match="finite"):
        t.with_value_from(month_index(2023), float("nan"))


def _run(m: RuralModel, months: int, change_at: int | None = None, changes=None) -> None:
    for k in range(months):
        if k == change_at:
            m.change_policy(changes)
        m.step()


def test_change_policy_mid_run_changes_outcomes_from_then_only():
    p = small_params()
    a, b = RuralModel(p, seed=4), RuralModel(p, seed=4)
    withdraw = {"policy.assistance.industrial.intensity": 0.0, "policy.assistance.employment.intensity": 0.0,
                "policy.transition_subsidy.intensity": 0.0, "policy.monitoring.enabled": 0.0}
    _run(a, 24)
    _run(b, 24, change_at=6, changes=withdraw)
    ma, mb = a.monthly_frame(), b.monthly_frame()
    # the first six months are identical (same seed, same policy)
    assert ma.iloc[:6].equals(mb.iloc[:6])
    # monitoring stops from July 2021 on: nobody is monitored in the changed run afterwards
    assert (mb.iloc[6:]["n_monitored"] == 0).all() and (ma.iloc[6:]["n_monitored"] > 0).all()
    assert b.params.policy.monitoring.enabled.at(month_index(2021, 7)) == 0.0
    assert b.policy_changes == [{"year": 2021, "month": 7, "lever": k, "value": 0.0} for k in withdraw]
    # a second change later round-trips the first one's schedule
    b.change_policy({"policy.monitoring.enabled": 1.0})
    assert b.params.policy.monitoring.enabled.at(b.next_month_abs) == 1.0


def test_change_policy_rejects_static_parameters_past_months_and_bad_values():
    m = RuralModel(small_params(), seed=1)
    m.step()
    before = m.params
    with pytest.raises(ParamsError) as exc:
        m.change_policy({"shocks.illness.p_year": 0.2, "policy.assistance.industrial.intensity": 7.0,
                         "policy.assistance.industrial.intensty": 0.0})
    text = str(exc.value)
    assert "'shocks.illness.p_year' is not a dated lever" in text
    assert "did you mean 'policy.assistance.industrial.intensity'" in text
    with pytest.raises(ParamsError, match="out of range"):
        m.change_policy({"policy.assistance.industrial.intensity": 7.0})
    with pytest.raises(ParamsError, match="the past cannot change"):
        m.change_policy({"policy.campaign.intensity": 0.0}, from_month_abs=month_index(2021, 1))
    assert m.params is before and m.policy_changes == []


def test_watching_does_not_change_results_and_flows_add_up_to_the_year():
    p = small_params()
    a, b = RuralModel(p, seed=2), RuralModel(p, seed=2)
    rows = [0, 11, 1234, 2999]
    b.watch(rows)
    for _ in range(12):
        a.step()
        b.step()
    assert a.summary() == b.summary()
    w = b.watched_frame()
    assert len(w) == 12 * len(rows) and sorted(w["household"].unique()) == rows
    # the twelve monthly flows of a household add up to its December net income per person
    hh = b.households
    for i in rows:
        f = w[w["household"] == i]
        disposable = f[["wage_yuan", "operating_yuan", "property_yuan", "public_transfer_yuan",
                        "private_transfer_yuan"]].to_numpy().sum()
        rigid = f["rigid_spending_yuan"].sum()
        net_pc = (disposable - rigid) / hh.members[i] if p.income.expenditure_deduction else disposable / hh.members[i]
        assert net_pc == pytest.approx(float(hh.net_income_pc[i]), rel=1e-4, abs=1.0)
    with pytest.raises(IndexError):
        b.watch([3000])
    assert np.array_equal(b.watched_frame()["month"].unique(), np.arange(1, 13))
