"""The three excesses as an outcome: their probability per scenario and year, and what decides it.

In a year the three excesses (三个高于) hold when per-capita income in the formerly poor counties
grows faster than nominal GDP, than urban per-capita income and than the rural per-capita income of
all counties (``model.metrics.three_excesses``). Over replications this is a yes/no outcome per
year: its probability is the share of replications in which it holds, with Wilson's 95% interval.

Which comparison decides it: for each of the three (:data:`COMPARISONS`) the share of replications
in which formerly-poor-county growth beats it, and the mean margin (formerly-poor-county growth
minus the other growth, in percentage points of growth). The *deciding* comparison of a year is
the one that fails in the most replications (ties: the smaller mean margin); none when all three
hold in every replication. GDP and urban growth are exogenous dated paths (``macro.*``), the same
in every replication and scenario; rural growth is simulated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from experiments.compare.statistics import LEVEL, wilson_interval

#: Growth of formerly poor counties, and the three growths it must beat (annual columns).
FPC_GROWTH = "income_growth_fpc"
COMPARISONS = ("gdp_growth", "urban_income_growth", "rural_income_growth")
COLUMNS = ("scenario", "year", "n", "years_held", "share", "wilson_low", "wilson_high", "fpc_growth_mean",
           *(f"{c}_mean" for c in COMPARISONS), *(f"beats_{c}_share" for c in COMPARISONS),
           *(f"margin_{c}_mean" for c in COMPARISONS), "deciding")


def deciding_comparison(beats: Sequence[float], margins: Sequence[float]) -> str:
    """The comparison that fails in the most replications (``beats``: the share in which it holds,
    in the order of :data:`COMPARISONS`); ties go to the smaller mean margin; ``""`` when every
    comparison holds in every replication."""
    if min(beats) >= 1.0:
        return ""
    order = sorted(range(len(COMPARISONS)), key=lambda i: (beats[i], margins[i]))
    return COMPARISONS[order[0]]


def three_excesses_probability(annual: pd.DataFrame, seeds: Sequence[int], first_year: int | None = None,
                               level: float = LEVEL) -> pd.DataFrame:
    """Probability of the three excesses per scenario and year, and their decomposition.

    Args:
        annual: Annual rows of every run (``scenario``, ``seed``, ``year`` and the growth columns).
        seeds: The paired seeds used.
        first_year: Years before it are left out (a history before the outcome years).
        level: Level of the Wilson interval.

    Returns:
        One row per scenario and year with the columns :data:`COLUMNS`: ``n`` replications,
        ``years_held`` those in which the three excesses hold, ``share`` (the probability) with
        ``wilson_low``/``wilson_high``; the mean growths; per comparison the share of replications
        in which formerly-poor-county growth beats it and the mean margin; ``deciding``.
    """
    used = annual[annual["seed"].isin(seeds)]
    if first_year is not None:
        used = used[used["year"] >= first_year]
    rows = []
    for (scenario, year), group in used.groupby(["scenario", "year"], sort=False):
        fpc = group[FPC_GROWTH].to_numpy(float)
        held = int(group["three_excesses"].astype(bool).sum())
        share, low, high = wilson_interval(held, len(group), level)
        row = {"scenario": scenario, "year": int(year), "n": len(group), "years_held": held, "share": share,
               "wilson_low": low, "wilson_high": high, "fpc_growth_mean": float(fpc.mean())}
        beats, margins = [], []
        for c in COMPARISONS:
            other = group[c].to_numpy(float)
            beats.append(float(np.mean(fpc > other)))
            margins.append(float(np.mean(fpc - other)))
            row[f"{c}_mean"] = float(other.mean())
        for c, b, m in zip(COMPARISONS, beats, margins, strict=True):
            row[f"beats_{c}_share"] = b
            row[f"margin_{c}_mean"] = m
        row["deciding"] = deciding_comparison(beats, margins)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
