"""Public transfers and cost sharing (yuan per household per month unless stated)."""

from __future__ import annotations

from . import rule


@rule
def pension(n_elderly, pension_pp_month):
    """Residents' basic pension: every member aged 60+ receives it."""
    return n_elderly * pension_pp_month


@rule
def dibao_topup(enrolled, base_income_pc_year, members, line_pc_year):
    """Dibao tops an enrolled household's per-capita income (excluding dibao) up to the line."""
    if not enrolled:
        return 0.0
    return max(line_pc_year - base_income_pc_year, 0.0) * members / 12.0


@rule
def dibao_enrolled(enrolled, base_income_pc_year, entry_line, line_pc_year, eligible, exit_margin,
                   u_take_up, take_up):
    """Dibao enrolment after this month's review.

    An eligible household (weak labour, assigned social assistance, or everybody under the
    inclusive policy) below ``entry_line`` enters if it takes up; an enrolled household leaves when
    its income exceeds ``exit_margin ×`` the line (a grace band).
    """
    if enrolled:
        return base_income_pc_year <= exit_margin * line_pc_year
    return eligible and base_income_pc_year < entry_line and u_take_up < take_up


@rule
def medical_reimbursed(cost, insured, rate):
    """Basic and critical-illness insurance pays ``rate`` of the cost of insured households."""
    return cost * rate if insured else 0.0


@rule
def medical_assistance(cost, insured, rate, assisted, share):
    """Medical assistance pays ``share`` of what insurance leaves, for assisted households."""
    if not assisted:
        return 0.0
    rest = cost - (cost * rate if insured else 0.0)
    return rest * share


@rule
def education_support(n_school, cost_per_child, supported, share):
    """Government support toward September education costs of supported households."""
    return n_school * cost_per_child * share if supported else 0.0
