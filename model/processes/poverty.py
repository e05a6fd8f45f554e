"""December accounting: annual per-capita net income and poverty status."""

from __future__ import annotations

from . import rule


@rule
def net_income_pc(disposable_year, rigid_year, members, deduct_rigid):
    """Per-capita net income: disposable income less rigid medical/education spending (when the
    deduction rule is on), divided by members."""
    net = disposable_year - rigid_year if deduct_rigid else disposable_year
    return net / max(members, 1)


@rule
def is_poor(net_pc, line, guarantee_failure, check_guarantees):
    """Poor: per-capita net income below the line, or (when checked) a three-guarantees failure."""
    return net_pc < line or (check_guarantees and guarantee_failure)


@rule
def relapse(formerly_poor, poor_now, poor_prev):
    """Relapse: a formerly-poor household poor now and not poor a year before."""
    return formerly_poor and poor_now and not poor_prev


@rule
def new_poverty(formerly_poor, poor_now, poor_prev):
    """New poverty: a never-registered household poor now and not poor a year before."""
    return (not formerly_poor) and poor_now and not poor_prev
