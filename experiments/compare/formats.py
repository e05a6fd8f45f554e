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
from experiments.outcomes import LABELS as OUTCOME_LABELS


def format_value(outcome: str, value: float, diff: bool = False) -> str:
    """A value (or, with ``diff``, a difference) in the outcome's plain unit.

    Shares become percentages (differences in percentage points), yuan billions of yuan,
    counts whole numbers with thousands separators. Differences carry a sign.
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    kind = OUTCOME_LABELS.get(outcome, (outcome, "number"))[1]
    sign = "+" if diff else ""
    if kind == "pct":
        return f"{value * 100:{sign},.2f} pp" if diff else f"{value * 100:,.2f}%"
    if kind == "yuan_bn":
        return f"{value / 1e9:{sign},.2f} bn yuan"
    if kind == "count":
        return f"{value:{sign},.0f}"
    if kind == "gini":
        return f"{value:{sign}.3f}"
    return f"{value:{sign},.1f}"


def format_interval(outcome: str, low: float, high: float, diff: bool = False) -> str:
    """``[low to high]`` in the outcome's unit (the unit written once)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    lo, hi = format_value(outcome, low, diff), format_value(outcome, high, diff)
    for unit in (" pp", " bn yuan", "%"):
        if lo.endswith(unit) and hi.endswith(unit):
            lo = lo[: -len(unit)]
            break
    return f"[{lo} to {hi}]"


def headline_cells(table: pd.DataFrame, scenario: str, outcome: str) -> tuple[str, str, str, str]:
    """Value, its interval, difference from the reference and its interval, as report text."""
    if outcome == BINARY_OUTCOME:
        value = format_value(outcome, lookup(table, scenario, outcome, "probability"))
        interval = format_interval(outcome, lookup(table, scenario, outcome, "wilson_low"),
                                   lookup(table, scenario, outcome, "wilson_high"))
    else:
        value = format_value(outcome, lookup(table, scenario, outcome, "mean"))
        interval = format_interval(outcome, lookup(table, scenario, outcome, "ci_low"),
                                   lookup(table, scenario, outcome, "ci_high"))
    diff = lookup(table, scenario, outcome, "diff_mean")
    if not math.isfinite(diff):
        return value, interval, "", ""
    return (value, interval, format_value(outcome, diff, diff=True),
            format_interval(outcome, lookup(table, scenario, outcome, "diff_ci_low"),
                            lookup(table, scenario, outcome, "diff_ci_high"), diff=True))


def text_table(comparison: Comparison) -> str:
    """The headline table for the terminal."""
    table = comparison.table
    ref = comparison.settings.reference
    lines = []
    width = max(len(s) for s in comparison.settings.scenarios)
    for outcome in HEADLINE:
        label = OUTCOME_LABELS[outcome][0]
        unit = " (probability, Wilson interval)" if outcome == BINARY_OUTCOME else ""
        lines.append(f"{label}{unit}")
        for name in comparison.settings.scenarios:
            value, interval, diff, diff_iv = headline_cells(table, name, outcome)
            versus = f"   vs {ref}: {diff} {diff_iv}" if diff else "   (reference)"
            lines.append(f"  {name:<{width}}  {value:>16} {interval:<26}{versus}")
        lines.append("")
    return "\n".join(lines).rstrip()


def pairing_summary(comparison: Comparison) -> str:
    """One sentence on how much common random numbers narrowed the intervals (or, with few replications,
    that they did not)."""
    ratios = [lookup(comparison.table, s, PRECISION_OUTCOME, "pairing_ratio")
              for s in comparison.settings.scenarios if s != comparison.settings.reference]
    ratios = [r for r in ratios if math.isfinite(r) and r > 0]
    if not ratios:
        return ""
    lo, hi = min(ratios), max(ratios)
    what = "the intervals of the differences in cumulative relapse share"
    if lo >= 1:
        span = f"{lo:.1f} times" if abs(hi - lo) < 0.05 else f"{lo:.1f} to {hi:.1f} times"
        return f"Pairing by seed made {what} {span} narrower than comparing independent runs would."
    if hi < 1:
        span = f"{1 / hi:.1f} times" if abs(1 / lo - 1 / hi) < 0.05 else f"{1 / hi:.1f} to {1 / lo:.1f} times"
        return (f"Pairing by seed made {what} {span} wider than comparing independent runs would: with "
                f"{comparison.n_reps} replications the widths are themselves uncertain, or the paths react to "
                "the same shocks in opposite ways.")
    return (f"Pairing by seed made {what} between {1 / lo:.1f} times wider and {hi:.1f} times narrower than "
            f"comparing independent runs would (with {comparison.n_reps} replications the widths are themselves "
            "uncertain).")


def precision_sentence(comparison: Comparison) -> str:
    """Whether --precision was reached, and with how many replications."""
    p = comparison.precision
    s = comparison.settings
    if p is None:
        return ""
    worst = max(p.half_widths.values()) if p.half_widths else math.nan
    if p.reached:
        return (f"Precision reached after {len(p.seeds)} replications ({len(p.history)} batches): every difference "
                f"in cumulative relapse share is known to within ±{worst * 100:.2f} percentage points "
                f"(target below ±{s.precision * 100:.2f}).")
    return (f"Precision NOT reached: stopped at the cap of {len(p.seeds)} replications with a largest half-width of "
            f"±{worst * 100:.2f} percentage points (target below ±{s.precision * 100:.2f}); raise --max-seeds or "
            "relax --precision.")
