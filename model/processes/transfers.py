"""Public transfers and cost sharing (yuan per household per month unless stated)."""

from __future__ import annotations

import numpy as np


def pension_month(n_elderly: np.ndarray, pension_pp_month: float) -> np.ndarray:
    """Residents' basic pension: every member aged 60+ receives it."""
    return (n_elderly * np.float32(pension_pp_month)).astype(np.float32)


def dibao_topup_month(enrolled: np.ndarray, base_income_pc_year: np.ndarray, members: np.ndarray,
                      line_pc_year: float) -> np.ndarray:
    """Dibao tops enrolled households' per-capita income (excluding dibao) up to the line."""
    gap = np.maximum(line_pc_year - base_income_pc_year, 0.0)
    return np.where(enrolled, gap * members / 12.0, 0.0).astype(np.float32)


def dibao_enrolment(
    enrolled: np.ndarray,
    base_income_pc_year: np.ndarray,
    line_pc_year: float,
    eligible_extra: np.ndarray,
    exit_margin: float,
    u_take_up: np.ndarray,
    take_up: float,
) -> np.ndarray:
    """Dibao enrolment after this month's review.

    A household enters when its per-capita income (excluding dibao) is below the line and it is
    eligible (``eligible_extra``: weak labour, or income alone under the inclusive policy), and it
    takes up; it leaves when income exceeds ``exit_margin ×`` the line (a grace band).
    """
    enter = ~enrolled & (base_income_pc_year < line_pc_year) & eligible_extra & (u_take_up < take_up)
    leave = enrolled & (base_income_pc_year > exit_margin * line_pc_year)
    return (enrolled | enter) & ~leave


def medical_cost_sharing(
    cost: np.ndarray,
    insured: np.ndarray,
    rate: np.ndarray,
    assisted: np.ndarray,
    assistance_share: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split medical costs into insurance reimbursement, medical assistance and out-of-pocket.

    Returns ``(reimbursed, assistance, out_of_pocket)``; they add up to ``cost``.
    """
    reimbursed = np.where(insured, cost * rate, 0.0).astype(np.float32)
    rest = cost - reimbursed
    assistance = np.where(assisted, rest * assistance_share, 0.0).astype(np.float32)
    oop = (rest - assistance).astype(np.float32)
    return reimbursed, assistance, oop


def education_cost_sharing(n_school: np.ndarray, cost_per_child: float, supported: np.ndarray,
                           support_share: float) -> tuple[np.ndarray, np.ndarray]:
    """September education costs: ``(support paid by government, out-of-pocket)``."""
    cost = n_school * np.float32(cost_per_child)
    support = np.where(supported, cost * support_share, 0.0).astype(np.float32)
    return support, (cost - support).astype(np.float32)
