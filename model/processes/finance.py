"""Consumption, savings and microcredit (yuan per household per month)."""

from __future__ import annotations

from . import rule


@rule
def consumption(est_month, disposable, share, passthrough):
    """Incomplete smoothing: ``share`` of smoothed income plus ``passthrough`` of the surprise
    ``disposable − smoothed`` (JR1999), never negative."""
    return max(share * est_month + passthrough * (disposable - est_month), 0.0)


@rule
def borrowing(savings, debt, limit):
    """Microcredit drawn to cover a negative balance, up to the credit limit."""
    if savings >= 0.0:
        return 0.0
    return min(-savings, max(limit - debt, 0.0))


@rule
def repayment(savings, debt, buffer):
    """Half of the savings above a buffer repays debt."""
    if savings <= buffer:
        return 0.0
    return min(debt, 0.5 * (savings - buffer))
