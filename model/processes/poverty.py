"""December accounting: annual per-capita net income and poverty status."""

from __future__ import annotations

import numpy as np


def net_income_pc_year(disposable_year: np.ndarray, rigid_year: np.ndarray, members: np.ndarray,
                       deduct_rigid: bool) -> np.ndarray:
    """Per-capita net income: disposable income less rigid medical/education spending (when the
    deduction rule is on), divided by members."""
    net = disposable_year - rigid_year if deduct_rigid else disposable_year
    return (net / np.maximum(members, 1)).astype(np.float32)


def poor_status(net_pc: np.ndarray, line: float, guarantee_failure: np.ndarray,
                check_guarantees: bool) -> np.ndarray:
    """Poor: per-capita net income below the line, or (when checked) a three-guarantees failure."""
    poor = net_pc < line
    if check_guarantees:
        poor = poor | guarantee_failure
    return poor


def relapse(formerly_poor: np.ndarray, poor_now: np.ndarray, poor_prev: np.ndarray) -> np.ndarray:
    """Relapse: a formerly-poor household poor now and not poor a year before."""
    return formerly_poor & poor_now & ~poor_prev


def new_poverty(formerly_poor: np.ndarray, poor_now: np.ndarray, poor_prev: np.ndarray) -> np.ndarray:
    """New poverty: a never-registered household poor now and not poor a year before."""
    return ~formerly_poor & poor_now & ~poor_prev
