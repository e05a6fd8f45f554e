"""Market income of households (yuan per household per month)."""

from __future__ import annotations

from . import rule

#: Employment codes of a household's wage workers.
EMP_NONE, EMP_LOCAL, EMP_MIGRANT, EMP_POST = 0, 1, 2, 3


@rule
def effective_workers(n_workers, labour_avail):
    """Wage workers who can work this month: ``min(n_workers, labour_avail)``, at least 0."""
    w = min(float(n_workers), float(labour_avail))
    return max(w, 0.0)


@rule
def wage_income(emp_type, workers_eff, wage_mult, wage_local, wage_migrant, wage_post):
    """Wage income of the month: effective workers × the job type's wage × the household's skill
    multiplier. Public-welfare posts pay a flat wage (no skill multiplier); no job pays nothing."""
    if emp_type == EMP_LOCAL:
        return workers_eff * wage_local * wage_mult
    if emp_type == EMP_MIGRANT:
        return workers_eff * wage_migrant * wage_mult
    if emp_type == EMP_POST:
        return workers_eff * wage_post
    return 0.0


@rule
def farm_labour_factor(labour_avail, workers_eff):
    """Share of operating potential realised given the labour left on the farm.

    Half of the potential needs no working-age labour (elderly and part-time work keep it); the
    other half scales with farm labour ``labour_avail − 0.5 × wage workers``, saturating at one unit.
    """
    farm = min(max(labour_avail - 0.5 * workers_eff, 0.0), 1.0)
    return 0.5 + 0.5 * farm


@rule
def operating_income(op_base_year, industry_gain_year, price_rel, productivity, labour_factor, noise,
                     disaster_loss, contracted, contract_premium):
    """Net operating income of the month.

    ``(op_base + industry_gain) / 12 × price × productivity × labour factor × noise ×
    (1 − disaster loss)``; output under an enterprise contract sells at ``max(price, 1)`` (the
    guaranteed price) with a premium ``× (1 + contract_premium)``.
    """
    price = price_rel
    premium = 1.0
    if contracted:
        price = max(price_rel, 1.0)
        premium = 1.0 + contract_premium
    return ((op_base_year + industry_gain_year) / 12.0 * price * productivity * labour_factor * noise
            * (1.0 - disaster_loss) * premium)


@rule
def industrial_investment(target, stock, depreciation_month, build_rate):
    """Investment in a supported household's productive assets this month, in units of the full
    industrial gain: the month's depreciation of the target level, replaced, plus a share
    ``build_rate`` of the gap to the target. Nothing without a target (support withdrawn)."""
    if target <= 0.0:
        return 0.0
    return target * depreciation_month + max(target - stock, 0.0) * build_rate


@rule
def assets_next(stock, investment, depreciation_month):
    """Productive assets after a month: the old stock depreciated, plus the month's investment."""
    return stock * (1.0 - depreciation_month) + investment
