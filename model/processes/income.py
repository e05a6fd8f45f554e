"""Market income of households (yuan per household per month)."""

from __future__ import annotations

import numpy as np

#: Employment codes of a household's wage workers.
EMP_NONE, EMP_LOCAL, EMP_MIGRANT, EMP_POST = 0, 1, 2, 3


def effective_workers(n_workers: np.ndarray, labour_avail: np.ndarray) -> np.ndarray:
    """Wage workers who can actually work this month: ``min(n_workers, labour_avail)``, ≥ 0."""
    return np.clip(np.minimum(n_workers.astype(np.float32), labour_avail), 0.0, None)


def wage_income_month(
    emp_type: np.ndarray,
    workers_eff: np.ndarray,
    wage_mult: np.ndarray,
    wage_by_type_month: np.ndarray,
) -> np.ndarray:
    """Wage income: effective workers × wage of the job type × the household's skill multiplier.

    Args:
        emp_type: employment code per household (``EMP_*``).
        workers_eff: effective wage workers per household.
        wage_mult: household wage multiplier (schooling, individual level).
        wage_by_type_month: wage per worker-month by code (index 0 must be 0).

    Public-welfare posts pay a flat wage: the skill multiplier does not apply to them.
    """
    base = wage_by_type_month[emp_type]
    mult = np.where(emp_type == EMP_POST, np.float32(1.0), wage_mult)
    return (workers_eff * base * mult).astype(np.float32)


def farm_labour_factor(labour_avail: np.ndarray, workers_eff: np.ndarray) -> np.ndarray:
    """Share of operating potential realised given labour left on the farm.

    Half of the potential needs no working-age labour (elderly and part-time work keep it); the
    other half scales with farm labour, saturating at one labour unit.
    """
    farm = np.clip(labour_avail - 0.5 * workers_eff, 0.0, 1.0)
    return (0.5 + 0.5 * farm).astype(np.float32)


def operating_income_month(
    op_base_year: np.ndarray,
    industry_gain_year: np.ndarray,
    price_rel: np.ndarray,
    productivity: np.ndarray,
    labour_factor: np.ndarray,
    noise: np.ndarray,
    disaster_loss: np.ndarray,
    contracted: np.ndarray,
    contract_premium: float,
) -> np.ndarray:
    """Net operating income of the month.

    ``(op_base + industry_gain) / 12 × price × productivity × labour factor × noise ×
    (1 − disaster loss) × (1 + premium if under contract)``. A contract also guarantees the price:
    contracted households sell at ``max(price, 1)``.
    """
    price = np.where(contracted, np.maximum(price_rel, 1.0), price_rel)
    premium = np.where(contracted, np.float32(1.0 + contract_premium), np.float32(1.0))
    out = ((op_base_year + industry_gain_year) / 12.0 * price * productivity * labour_factor * noise
           * (1.0 - disaster_loss) * premium)
    return out.astype(np.float32)
