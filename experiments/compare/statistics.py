"""The statistics of a paired comparison: t, Wilson and Newcombe intervals, paired differences, sample sizes.

Pure functions of numbers; see :mod:`experiments.compare.comparison` for where they are used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Confidence level of every interval.
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A mean with its two-sided t interval.

    Attributes:
        n: Values used (finite ones).
        mean: Their mean.
        sd: Sample standard deviation (n - 1 denominator); NaN when n < 2.
        low, high: Interval bounds; NaN when n < 2.
        half_width: (high - low) / 2.
    """

    n: int
    mean: float
    sd: float
    low: float
    high: float
    half_width: float


def _t_quantile(df: float, level: float) -> float:
    from scipy.stats import t

    return float(t.ppf(0.5 + level / 2.0, df))


def _z_quantile(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2.0))


def t_interval(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> Interval:
    """Mean and two-sided Student t interval of ``values`` (non-finite values are ignored).

    ``mean ± t(level, n-1) · sd / √n``: exact for normal data, approximately right for means of
    other distributions when n is not tiny.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Interval(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if n < 2:
        return Interval(1, mean, math.nan, math.nan, math.nan, math.nan)
    sd = float(x.std(ddof=1))
    half = _t_quantile(n - 1, level) * sd / math.sqrt(n)
    return Interval(n, mean, sd, mean - half, mean + half, half)


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Probability ``successes / n`` and its Wilson score interval ``(p, low, high)``.

    Unlike the normal approximation it stays inside [0, 1] and is sensible at 0 or n successes
    (Wilson 1927).
    """
    if n <= 0:
        return math.nan, math.nan, math.nan
    if not 0 <= successes <= n:
        raise ValueError(f"successes = {successes} must lie in [0, {n}]")
    z = _z_quantile(level)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at 0 or n successes the bound is exactly 0 or 1 (rounding would leave it a hair inside)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return p, low, high


def newcombe_paired_interval(x: Sequence[bool], y: Sequence[bool],
                             level: float = LEVEL) -> tuple[float, float, float]:
    """Difference ``P(x) - P(y)`` of two paired yes/no outcomes and its interval.

    Newcombe's (1998) square-and-add method 10: the Wilson intervals of both proportions combined
    with the correlation of the pairs, whose estimate ``phi`` is shrunk towards zero by ``n / 2``
    when positive (as in Newcombe's worked example in Altman et al., *Statistics with Confidence*,
    2000, and in Fagerland, Lydersen & Laake 2014). It stays inside [-1, 1] and keeps a width when
    all pairs agree.
    """
    xa = np.asarray(x, dtype=bool)
    ya = np.asarray(y, dtype=bool)
    if xa.shape != ya.shape:
        raise ValueError("paired outcomes need the same length")
    n = len(xa)
    if n == 0:
        return math.nan, math.nan, math.nan
    a = int(np.sum(xa & ya))
    b = int(np.sum(xa & ~ya))
    c = int(np.sum(~xa & ya))
    d = n - a - b - c
    p1, l1, u1 = wilson_interval(a + b, n, level)
    p2, l2, u2 = wilson_interval(a + c, n, level)
    den = float(a + b) * float(c + d) * float(a + c) * float(b + d)
    cross = float(a) * d - float(b) * c
    if den <= 0 or 0 <= cross <= n / 2:
        phi = 0.0
    else:
        phi = (cross - n / 2 if cross > 0 else cross) / math.sqrt(den)
    delta = math.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2, 0.0))
    eps = math.sqrt(max((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2, 0.0))
    diff = p1 - p2
    return diff, max(-1.0, diff - delta), min(1.0, diff + eps)


def welch_half_width(x: Sequence[float], y: Sequence[float], level: float = LEVEL) -> float:
    """Half-width of the unpaired (Welch) t interval of ``mean(x) - mean(y)``."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    n1, n2 = len(xa), len(ya)
    if n1 < 2 or n2 < 2:
        return math.nan
    v1, v2 = xa.var(ddof=1) / n1, ya.var(ddof=1) / n2
    se2 = v1 + v2
    if se2 <= 0:
        return 0.0
    df = se2 ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    return _t_quantile(df, level) * math.sqrt(se2)


@dataclass(frozen=True)
class PairedDifference:
    """Seed-by-seed difference of a scenario from the reference.

    Attributes:
        n: Complete pairs used.
        mean: Mean of the differences.
        sd: Standard deviation of the differences.
        low, high: Its 95% interval (t; Newcombe for yes/no outcomes).
        half_width: Paired t half-width.
        unpaired_half_width: Welch half-width the same runs would give without pairing.
        pairing_ratio: unpaired / paired half-width (NaN when the paired one is zero).
    """

    n: int
    mean: float
    sd: float
    low: float
    high: float
    half_width: float
    unpaired_half_width: float
    pairing_ratio: float


def paired_difference(x: Sequence[float], y: Sequence[float], level: float = LEVEL,
                      binary: bool = False) -> PairedDifference:
    """Difference ``x - y`` of paired values (pairs with a non-finite member are dropped)."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[ok], ya[ok]
    diff = t_interval(xa - ya, level)
    unpaired = welch_half_width(xa, ya, level)
    low, high = diff.low, diff.high
    if binary and len(xa):
        _, low, high = newcombe_paired_interval(xa > 0.5, ya > 0.5, level)
    if diff.half_width > 0:
        ratio = unpaired / diff.half_width
    else:
        ratio = math.nan
    return PairedDifference(diff.n, diff.mean, diff.sd, low, high, diff.half_width, unpaired, ratio)


def replications_needed(sd: float, target: float, n_now: int, level: float = LEVEL) -> int:
    """Replications for a paired t half-width below ``target`` given the differences' ``sd``.

    Solves ``t(level, n-1) · sd / √n < target`` using the quantile at the current ``n_now`` (a
    slight overestimate of t for the larger n, so the answer errs on the safe side).
    """
    if not math.isfinite(sd) or sd <= 0:
        return n_now
    q = _t_quantile(max(n_now - 1, 1), level)
    return max(n_now, int(math.ceil((q * sd / target) ** 2)) + 1)
