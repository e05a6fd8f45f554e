"""A comparison in words and numbers: the units of each outcome, the terminal table, the sentences.

Shared by the terminal output of ``ruralsim compare`` and the policy brief
(:mod:`experiments.compare.report`), so both say the same thing the same way.
"""

from __future__ import annotations

import math

import pandas as pd

from experiments.compare.comparison import (
    BINARY_OUTCOME,
    HEADLINE,
    PRECISION_OUTCOME,
    Comparison,
    lookup,
)
from experiments.i18n import outcome_label as i18n_outcome_label
from experiments.i18n import resolve, tr
from experiments.outcomes import SHOWN


def outcome_label(outcome: str, lang: str | None = None) -> str:
    """An outcome's plain name in ``lang`` (:func:`experiments.i18n.outcome_label`); the probability of
    large-scale relapse is named as the chance it is."""
    if outcome == BINARY_OUTCOME:
        return tr("compare.head.large_scale_relapse", lang)
    return i18n_outcome_label(outcome, lang)


def format_value(outcome: str, value: float, diff: bool = False, lang: str | None = None) -> str:
    """A value (or, with ``diff``, a difference) in the outcome's plain unit.

    Shares become percentages (differences in percentage points), yuan billions of yuan (in
    Chinese 亿元, hundreds of millions), counts whole numbers with thousands separators.
    Differences carry a sign.
    """
    if value is None or not math.isfinite(value):
        return tr("num.na", lang)
    kind = SHOWN.get(outcome, "number")
    sign = "+" if diff else ""
    if kind == "pct":
        return f"{value * 100:{sign},.2f} {tr('num.pp', lang)}" if diff else f"{value * 100:,.2f}%"
    if kind == "yuan_bn":
        if resolve(lang) == "zh":
            return f"{value / 1e8:{sign},.2f} {tr('num.bn_yuan', lang)}"
        return f"{value / 1e9:{sign},.2f} bn yuan"
    if kind == "count":
        return f"{value:{sign},.0f}"
    if kind == "gini":
        return f"{value:{sign}.3f}"
    return f"{value:{sign},.1f}"


def format_interval(outcome: str, low: float, high: float, diff: bool = False, lang: str | None = None) -> str:
    """``[low to high]`` in the outcome's unit (the unit written once)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    lo, hi = format_value(outcome, low, diff, lang), format_value(outcome, high, diff, lang)
    for unit in (f" {tr('num.pp', lang)}", f" {tr('num.bn_yuan', lang)}", " bn yuan", "%"):
        if lo.endswith(unit) and hi.endswith(unit):
            lo = lo[: -len(unit)]
            break
    return f"[{lo} {tr('num.to', lang)} {hi}]"


def headline_cells(table: pd.DataFrame, scenario: str, outcome: str,
                   lang: str | None = None) -> tuple[str, str, str, str]:
    """Value, its interval, difference from the reference and its interval, as report text."""
    value = format_value(outcome, lookup(table, scenario, outcome, "mean"), lang=lang)
    interval = format_interval(outcome, lookup(table, scenario, outcome, "ci_low"),
                               lookup(table, scenario, outcome, "ci_high"), lang=lang)
    diff = lookup(table, scenario, outcome, "diff_mean")
    if not math.isfinite(diff):
        return value, interval, "", ""
    return (value, interval, format_value(outcome, diff, diff=True, lang=lang),
            format_interval(outcome, lookup(table, scenario, outcome, "diff_ci_low"),
                            lookup(table, scenario, outcome, "diff_ci_high"), diff=True, lang=lang))


def text_table(comparison: Comparison, lang: str | None = None) -> str:
    """The headline table for the terminal."""
    table = comparison.table
    ref = comparison.settings.reference
    lines = []
    width = max(len(s) for s in comparison.settings.scenarios)
    for outcome in HEADLINE:
        label = outcome_label(outcome, lang)
        unit = tr("compare.wilson", lang) if outcome == BINARY_OUTCOME else ""
        lines.append(f"{label}{unit}")
        for name in comparison.settings.scenarios:
            value, interval, diff, diff_iv = headline_cells(table, name, outcome, lang)
            versus = (f"   {tr('compare.versus', lang, ref=ref)}: {diff} {diff_iv}" if diff
                      else f"   ({tr('compare.reference', lang)})")
            lines.append(f"  {name:<{width}}  {value:>16} {interval:<26}{versus}")
        lines.append("")
    return "\n".join(lines).rstrip()


def pairing_summary(comparison: Comparison, lang: str | None = None) -> str:
    """One sentence on how much common random numbers narrowed the intervals (or, with few replications,
    that they did not), in ``lang`` (None: the language in force)."""
    ratios = [lookup(comparison.table, s, PRECISION_OUTCOME, "pairing_ratio")
              for s in comparison.settings.scenarios if s != comparison.settings.reference]
    ratios = [r for r in ratios if math.isfinite(r) and r > 0]
    if not ratios:
        return ""
    lo, hi = min(ratios), max(ratios)
    if lo >= 1:
        span = (tr("compare.span_one", lang, lo=lo) if abs(hi - lo) < 0.05
                else tr("compare.span_range", lang, lo=lo, hi=hi))
        return tr("compare.pairing", lang, span=span)
    if hi < 1:
        span = (tr("compare.span_one", lang, lo=1 / hi) if abs(1 / lo - 1 / hi) < 0.05
                else tr("compare.span_range", lang, lo=1 / hi, hi=1 / lo))
        return tr("compare.pairing_wider", lang, span=span, n=comparison.n_reps)
    return tr("compare.pairing_mixed", lang, wider=1 / lo, narrower=hi, n=comparison.n_reps)


def precision_sentence(comparison: Comparison, lang: str | None = None) -> str:
    """Whether --precision was reached, and with how many replications."""
    p = comparison.precision
    s = comparison.settings
    if p is None:
        return ""
    worst = max(p.half_widths.values()) if p.half_widths else math.nan
    key = "compare.precision_reached" if p.reached else "compare.precision_missed"
    return tr(key, lang, n=len(p.seeds), batches=len(p.history), worst=worst * 100, target=s.precision * 100)
