"""The dynamic monitoring-and-assistance mechanism (household side)."""

from __future__ import annotations

from . import rule

#: Monitoring states.
MON_NONE, MON_ACTIVE, MON_ELIMINATED = 0, 1, 2
#: Monitoring categories.
CAT_NONE, CAT_UNSTABLE, CAT_MARGINAL, CAT_HARDSHIP = 0, 1, 2, 3
#: Assistance bits.
AID_INDUSTRIAL, AID_EMPLOYMENT, AID_SOCIAL, AID_MEDICAL, AID_TEMPORARY = 1, 2, 4, 8, 16
#: Bits of a household's ``year_flags``.
YEAR_MONITORED_JAN, YEAR_ASSISTED_JAN, YEAR_HARDSHIP = 1, 2, 4


@rule
def at_risk(income_est_pc, threshold, hardship):
    """At risk: estimated per-capita income below the threshold, or a sudden-hardship expense."""
    return income_est_pc < threshold or hardship


@rule
def detection_probability(coverage, p_screen, p_self):
    """Monthly chance an at-risk household is identified: reached by coverage and either screened
    or self-reported: ``coverage × (1 − (1 − p_screen)(1 − p_self))``."""
    ps = min(max(p_screen, 0.0), 1.0)
    return coverage * (1.0 - (1.0 - ps) * (1.0 - p_self))


@rule
def category(formerly_poor, hardship):
    """Category of a newly identified household: sudden hardship when an expense triggered it,
    otherwise unstable formerly poor (registered) or marginal (not registered)."""
    if hardship:
        return CAT_HARDSHIP
    return CAT_UNSTABLE if formerly_poor else CAT_MARGINAL


@rule
def assistance_bits(category, labour_units, op_base_year, ill, below_line, income_risk, targeted):
    """The assistance of a newly identified household.

    By category (``targeted``): an unstable formerly poor or marginal household with labour (≥ 0.5
    units) gets employment assistance (``AID_EMPLOYMENT``), and industrial assistance
    (``AID_INDUSTRIAL``) with a full labour unit and a farm base; without labour, social security
    (``AID_SOCIAL``: dibao or tekun without the labour screen). A sudden-hardship household gets
    medical and temporary assistance first (``AID_MEDICAL | AID_TEMPORARY``), and the package of
    its labour capacity only when its income for the year is also at risk (``income_risk``). Any
    household whose counted income is below its dibao (or tekun) line (``below_line``) gets social
    security ("all who qualify are covered"); current illness adds medical assistance.

    Not targeted: by labour capacity alone, the same for every category (industrial with a full
    labour unit and a farm base, employment with half a unit, social security without), no
    temporary assistance.
    """
    if not targeted:
        bits = 0
        if labour_units >= 1.0 and op_base_year > 0:
            bits |= AID_INDUSTRIAL
        if labour_units >= 0.5:
            bits |= AID_EMPLOYMENT
        else:
            bits |= AID_SOCIAL
        if ill:
            bits |= AID_MEDICAL
        return bits
    bits = 0
    if category == CAT_HARDSHIP:
        bits |= AID_MEDICAL | AID_TEMPORARY
    if category != CAT_HARDSHIP or income_risk:
        if labour_units >= 0.5:
            bits |= AID_EMPLOYMENT
            if labour_units >= 1.0 and op_base_year > 0:
                bits |= AID_INDUSTRIAL
        else:
            bits |= AID_SOCIAL
    if below_line:
        bits |= AID_SOCIAL
    if ill:
        bits |= AID_MEDICAL
    return bits


@rule
def projected_net_income_pc(ytd_net, month_net, est_month_net, months_left, members):
    """The year's per-capita net income as cadres project it in a month: what the household has had
    this year (net of rigid spending), plus the months left at the average of this month's net
    income and its recent monthly income (yuan/person/year)."""
    return (ytd_net + months_left * 0.5 * (month_net + est_month_net)) / max(members, 1.0)


@rule
def temporary_assistance(projected_pc, threshold, members, cap_pc):
    """One-off temporary assistance of a sudden-hardship household (yuan): its shortfall below the
    threshold for the year, at most ``cap_pc`` per person."""
    return min(max(threshold - projected_pc, 0.0), cap_pc) * members


@rule
def stable_months_next(stable_months, monitored, above):
    """Consecutive months a monitored household has been above the threshold (0 when not; ≤ 127)."""
    if monitored and above:
        return min(stable_months + 1, 127)
    return 0


@rule
def eliminated(monitored, stable_months, months_needed, labour_units):
    """Risk marked eliminated: monitored, stable long enough, and with labour capacity (households
    without labour capacity stay monitored)."""
    return monitored and stable_months >= months_needed and labour_units >= 0.5


@rule
def support_target(income_est_pc, threshold, members, industrial_gain_year):
    """Industrial assets a newly identified household not registered is supported to, in units of
    its full industrial gain: the household's income shortfall below the threshold over that gain
    (yuan a year), at most 1 (0 where income is above the threshold or there is no gain to build)."""
    if industrial_gain_year <= 0.0:
        return 0.0
    shortfall = max(threshold - income_est_pc, 0.0) * members
    return min(shortfall / industrial_gain_year, 1.0)
