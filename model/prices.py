"""Dated price levels and standards: the index of rural wages (from the migrant wage data), the
start state's price base relative to 2020, and social standards (the dibao line, the pension
minimum) in force in a given month.

Pure functions of the parameters, read by the population builder, the governments and the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import Params
from .policy import Schedule, month_index


def standard_at(schedule: Schedule, growth: Schedule, year: int, month: int = 1) -> float:
    """A dated standard in force in ``month`` of ``year``: the schedule's value, and after the year of
    its last change point that value grown each January by the growth schedule of that year
    (``(1 + g_y)`` for every year ``y`` after the data end, up to ``year``)."""
    value = schedule.at(month_index(year, month))
    last_year = schedule.points[-1][0] // 12
    for y in range(last_year + 1, year + 1):
        value *= 1.0 + growth.at_year(y)
    return value


def year_end_standard_at(schedule: Schedule, growth: Schedule, year: int, month: int = 1) -> float:
    """A standard whose data are year-end averages (the dibao line, raised by provinces in the
    course of the year): in ``month`` of ``year`` it moves linearly from the end of the year before
    (January) to the end of the year (December); year-ends after the data are grown as in
    :func:`standard_at`."""
    before = standard_at(schedule, growth, year - 1, 12)
    end = standard_at(schedule, growth, year, 12)
    return before + (end - before) * month / 12.0


def wage_index_at(params: Params, year: int, month: int) -> float:
    """Rural wages in ``month`` of ``year`` relative to the 2020 average (``macro.migrant_wage_month_yuan``):
    the yearly averages stand at mid-year and are interpolated geometrically between them (held
    before the first); after the middle of the last year of data, wages grow each month with urban
    income (``macro.urban_income_growth × macro.wage_elasticity``, a twelfth of the year's growth)."""
    mac = params.macro
    data = mac.migrant_wage_month_yuan
    years = [m // 12 for m, _ in data.points]
    values = [v for _, v in data.points]
    base = data.at_year(2020)
    t = year + (month - 0.5) / 12.0  # the middle of the month, in years
    mids = [y + 0.5 for y in years]
    if t <= mids[0]:
        return values[0] / base
    for k in range(len(mids) - 1):
        if t <= mids[k + 1]:
            f = (t - mids[k]) / (mids[k + 1] - mids[k])
            return values[k] * (values[k + 1] / values[k]) ** f / base
    # after the data: each month from July of the last year of data compounds a twelfth of its
    # year's growth
    index = values[-1] / base
    for y in range(years[-1], year + 1):
        first = 7 if y == years[-1] else 1
        last = month if y == year else 12
        if last >= first:
            growth = 1.0 + mac.urban_income_growth.at_year(y) * mac.wage_elasticity
            index *= growth ** ((last - first + 1) / 12.0)
    return index


@dataclass(frozen=True)
class PriceBase:
    """Index levels at the start state relative to mid-2020 (all 1 for runs from 2021)."""

    cpi: float = 1.0
    wage: float = 1.0
    productivity: float = 1.0


def price_base(params: Params) -> PriceBase:
    """Consumer prices, wages and operating productivity in the start year's predecessor relative
    to 2020: ``1 / Π (1 + growth_y)`` over ``y = start_year … 2020``, growth from the dated macro
    path (inflation; productivity growth with inflation); wages from the migrant wage data
    (:func:`wage_index_at`). Identity for runs from 2021."""
    start = params.sim.start_year
    if start >= 2021:
        return PriceBase()
    mac = params.macro
    cpi = prod = 1.0
    for y in range(start, 2021):
        inflation = mac.inflation.at_year(y)
        cpi /= 1.0 + inflation
        prod /= (1.0 + params.income.productivity_growth_year) * (1.0 + inflation)
    # wages follow the migrant wage data (the start state is the year before the start, at mid-year)
    wage = wage_index_at(params, start - 1, 6)
    return PriceBase(cpi=cpi, wage=wage, productivity=prod)
