"""The 2016-2020 campaign ("tackling key problems", 脱贫攻坚) of a historical run.

A historical run (``sim.start_year`` 2017) starts from the end-2016 province and lives through the
last four campaign years before the transition period. The campaign's instruments are dated
levers (``policy.tackling.*``, zero after 2020 and by default), so runs that start in 2021 never
reach this module. Its mechanisms feed the state the monthly kernel already reads:

- **Registration** (``policy.tackling.registration``): the register of poor households. Households
  registered by the end of 2016 are ``formerly_poor`` (registered before 2021); those still below
  the line are *on the register* (not yet exited). In December a registered household exits when
  its per-capita net income reaches ``tackling.exit_income_margin`` × the line and the three
  guarantees hold (it is not poor by the model's definition); a household poor at year-end that
  is not registered is registered then (dynamic adjustment), and a registered household that fell
  back below the line returns to the register.
- **Intensive targeted assistance** (``policy.tackling.targeted_assistance``), each January:
  industrial projects add income potential to every registered household
  (``tackling.project_gain_pc_year_2020_yuan`` per person); households on the register get
  industrial and employment assistance (the kernel's assistance bits: faster migrant job finding),
  and those without labour capacity — and a share ``tackling.bottom_line_share`` of the others,
  each year — social assistance (dibao with full take-up: the bottom-line guarantee); organised labour
  export makes a share (``tackling.labour_export_share``) of register households with labour
  willing to work away.
- **Relocation** (``policy.tackling.relocation_share``), each January: a share of register
  households is moved from inhospitable areas: safe housing, access to work away, and the part of
  operating income tied to the land left behind (``tackling.relocation_farm_loss``) is lost.
- **The end of the campaign** (January 2021): the register closes, campaign assistance ends, the
  "since 2021" counters (relapse, new poverty, monitoring) start from zero and households below the
  monitoring threshold are identified, as in the end-2020 population.

Prices of a historical run are re-based (:func:`price_base`) so that every "2020 yuan" parameter
means the same in a run from 2017 as in a run from 2021.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .households import HouseholdSet
from .kernel import start_assistance
from .params import Params
from .processes.income import EMP_MIGRANT
from .processes.monitoring import (
    AID_EMPLOYMENT,
    AID_INDUSTRIAL,
    AID_SOCIAL,
    CAT_MARGINAL,
    CAT_NONE,
    CAT_UNSTABLE,
    MON_ACTIVE,
    MON_NONE,
)

#: Assistance bits the campaign sets for register households: industrial and employment; social
#: assistance (dibao with full take-up, the bottom-line guarantee) for those without labour capacity.
CAMPAIGN_AID_BITS = AID_INDUSTRIAL | AID_EMPLOYMENT
SOCIAL_AID_BIT = AID_SOCIAL
#: Labour units below which a household counts as without labour capacity (as dibao eligibility).
WEAK_LABOUR = 0.5
#: Labour units a household needs for its workers to be organised to work away.
MIN_LABOUR_FOR_EXPORT = 0.5


class Register:
    """The poverty register of the campaign: households on it (registered, not yet exited) and
    households relocated. Arrays of the model, not of the kernel's household state."""

    def __init__(self, n: int):
        self.on_register = np.zeros(n, dtype=bool)
        self.relocated = np.zeros(n, dtype=bool)
        self.exit_year = np.zeros(n, dtype=np.int16)
        self.poor_after_exit = np.zeros(n, dtype=bool)


def january(hh: HouseholdSet, reg: Register, params: Params, targeted: float, relocation_share: float,
            rng: np.random.Generator) -> None:
    """January of a campaign year: projects, targeted assistance, labour export and relocation.

    Draws three uniforms for every household whatever the levers (common random numbers).
    """
    t = params.tackling
    u_export = rng.random(hh.n)
    u_relocate = rng.random(hh.n)
    u_guarantee = rng.random(hh.n)
    fp = hh.formerly_poor
    on = reg.on_register
    if targeted > 0:
        hh.industry_potential_year[fp] += np.float32(targeted * t.project_gain_pc_year_2020_yuan) * hh.members[fp]
        hh.aid_bits[on] |= np.int8(CAMPAIGN_AID_BITS)
        guaranteed = (hh.labour_units < WEAK_LABOUR) | (u_guarantee < min(targeted * t.bottom_line_share, 1.0))
        hh.aid_bits[on & guaranteed] |= np.int8(SOCIAL_AID_BIT)
        able = on & (hh.labour_units >= MIN_LABOUR_FOR_EXPORT) & ~hh.migrant_willing
        hh.migrant_willing[able & (u_export < min(targeted * t.labour_export_share, 1.0))] = True
    if relocation_share > 0:
        move = on & ~reg.relocated & (u_relocate < relocation_share)
        reg.relocated[move] = True
        hh.housing_safe[move] = True
        hh.migrant_willing[move & (hh.labour_units >= MIN_LABOUR_FOR_EXPORT)] = True
        keep = np.float32(1.0 - t.relocation_farm_loss)
        hh.op_base_year[move] *= keep
        hh.industry_potential_year[move] *= keep


def december(hh: HouseholdSet, reg: Register, net_income_pc: np.ndarray, line_yuan: float, margin: float,
             year: int) -> int:
    """The exit procedure and dynamic registration after December accounting (``hh.poor`` is this
    year's status). Returns the number of newly registered households."""
    exit_ = reg.on_register & ~hh.poor & (net_income_pc >= margin * line_yuan)
    reg.on_register[exit_] = False
    reg.exit_year[exit_] = year
    new = hh.poor & ~hh.formerly_poor
    hh.formerly_poor[new] = True
    reg.on_register[hh.poor] = True
    return int(new.sum())


def track_exiters(hh: HouseholdSet, reg: Register, year: int) -> None:
    """December of every year of a historical run: households that left the register in an
    earlier year and are poor now have been poor again after their exit."""
    reg.poor_after_exit |= (reg.exit_year > 0) & (reg.exit_year < year) & hh.poor


def start_transition(hh: HouseholdSet, reg: Register, threshold_yuan: float) -> None:
    """January 2021: the register closes and the transition period's state starts as in the
    end-2020 population (:func:`model.population.build`): households below the threshold are
    identified and assisted (:func:`assist_identified`)."""
    reg.on_register[:] = False
    hh.aid_bits[:] = 0
    for name in ("ever_relapsed", "ever_new_poor", "ever_monitored", "ever_eliminated"):
        getattr(hh, name)[:] = False
    below = hh.income_est_pc < threshold_yuan
    hh.mon_state[:] = np.where(below, MON_ACTIVE, MON_NONE)
    hh.mon_category[:] = np.where(below, np.where(hh.formerly_poor, CAT_UNSTABLE, CAT_MARGINAL), CAT_NONE)
    hh.ever_monitored[:] = below
    hh.stable_months[:] = 0
    assist_identified(hh, below, threshold_yuan)


def assist_identified(hh: HouseholdSet, rows: np.ndarray, threshold_yuan: float) -> None:
    """The assistance of households already identified when the transition period starts (the
    end-2020 state): by category, as the kernel assigns it on identification
    (:func:`model.processes.monitoring.assistance_bits`; they are unstable or marginal households
    whose income is at risk), and a monitored household not registered is supported to its
    shortfall (:func:`model.processes.monitoring.support_target`)."""
    if not rows.any():
        return
    bits, target = start_assistance(hh.mon_category[rows], hh.labour_units[rows], hh.op_base_year[rows],
                                    hh.income_est_pc[rows], threshold_yuan, hh.members[rows],
                                    hh.industry_potential_year[rows], hh.formerly_poor[rows])
    hh.aid_bits[rows] = bits
    other = rows & ~hh.formerly_poor
    hh.support_target[other] = target[~hh.formerly_poor[rows]]


def annual_columns(hh: HouseholdSet, reg: Register, pw: np.ndarray | None = None) -> dict[str, float]:
    """Campaign columns of the annual table (zero when no campaign ran).

    - ``registered_poor_share``: persons on the register ÷ all persons;
    - ``relocated_share_fp``: persons ever relocated ÷ persons of registered households;
    - ``migrant_share_fp_labour``: wage workers of registered households working away ÷ wage
      workers of registered households (workers of households with labour);
    - ``exiter_poor_again_share``: households that left the register (2017-2020) and have been poor
      at a later year-end ÷ households that left it.

    ``pw`` may pass the persons each row represents (``weight × members``, float64) when the caller
    has them.
    """
    if pw is None:
        pw = hh.weight.astype(np.float64) * hh.members
    # a run from 2021 has no register, no relocation and no exits: those shares are 0 without a
    # pass over the households for their sums
    registered = pw[reg.on_register].sum() if reg.on_register.any() else 0.0
    relocated = 0.0
    if reg.relocated.any():
        fp_persons = pw[hh.formerly_poor].sum()
        relocated = float(pw[reg.relocated].sum() / fp_persons) if fp_persons > 0 else 0.0
    exited = reg.exit_year > 0
    workers, away = _fp_wage_workers(hh.weight, hh.n_workers, hh.formerly_poor, hh.emp_type, EMP_MIGRANT)
    workers_sum = workers.sum()
    return {
        "registered_poor_share": float(registered / pw.sum()),
        "relocated_share_fp": relocated,
        "migrant_share_fp_labour": float(away.sum() / workers_sum) if workers_sum > 0 else 0.0,
        "exiter_poor_again_share": _share(hh.weight, reg.poor_after_exit, exited) if exited.any() else 0.0,
    }


@njit(cache=True)
def _fp_wage_workers(weight, n_workers, formerly_poor, emp_type, migrant):
    """Wage workers of registered households (``weight × n_workers``, 0 for others) and those of
    them working away, as float64 arrays: the products NumPy's ``weight.astype(float64) ×
    n_workers × formerly_poor`` and ``× (emp_type == migrant)`` make, in one pass and two arrays
    instead of five temporaries (their NumPy sums are then the same to the last bit)."""
    n = weight.shape[0]
    workers = np.empty(n)
    away = np.empty(n)
    for i in range(n):
        x = float(weight[i]) * float(n_workers[i]) * (1.0 if formerly_poor[i] else 0.0)
        workers[i] = x
        away[i] = x * (1.0 if emp_type[i] == migrant else 0.0)
    return workers, away


def _share(weight: np.ndarray, event: np.ndarray, among: np.ndarray) -> float:
    den = float(weight[among].sum())
    return float(weight[among & event].sum()) / den if den > 0 else 0.0
