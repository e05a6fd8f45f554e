"""Public transfers and cost sharing (yuan per household per month unless stated)."""

from __future__ import annotations

from . import rule


@rule
def pension(n_elderly, pension_pp_month):
    """Residents' basic pension: every member aged 60+ receives it."""
    return n_elderly * pension_pp_month


@rule
def household_line(dibao_line_pc_year, labour_units, tekun_labour_max, tekun_ratio):
    """The bottom line that applies to a household (yuan/person/year): the basic living standard of
    extreme-poverty support (``tekun_ratio ×`` the dibao line) where it cannot work
    (``labour_units < tekun_labour_max``), otherwise the dibao line."""
    if labour_units < tekun_labour_max:
        return dibao_line_pc_year * tekun_ratio
    return dibao_line_pc_year


@rule
def counted_income(wage, operating, property_income, private, pension, earned_disregard):
    """Income the dibao test counts: everything but policy subsidies and the disregarded share
    ``earned_disregard`` of wages."""
    return wage * (1.0 - earned_disregard) + operating + property_income + private + pension


@rule
def dibao_topup(enrolled, counted_pc_year, members, line_pc_year, scale):
    """Dibao (or tekun) tops an enrolled household's counted per-capita income up to its line
    (``scale`` 1 pays the rule's amount), yuan per month."""
    if not enrolled:
        return 0.0
    return max(line_pc_year - counted_pc_year, 0.0) * members / 12.0 * scale


@rule
def dibao_enrolled(enrolled, counted_pc_year, line_pc_year, months_above, grace_months, assets_ok, u_take_up,
                   take_up):
    """Dibao enrolment after this month's review (the income test).

    A household whose counted income is below its line, whose savings pass the asset test
    (``assets_ok``), enters when it applies (``u_take_up < take_up``: take-up and the labour screen);
    an enrolled household leaves once its counted income has been at or above the line for more
    than ``grace_months`` consecutive months (``months_above`` includes this month: the gradual
    exit).
    """
    if enrolled:
        return months_above <= grace_months
    return counted_pc_year < line_pc_year and assets_ok and u_take_up < take_up


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
