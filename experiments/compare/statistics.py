"""The statistics of a paired comparison: intervals that respect each outcome's range, paired
differences, sample sizes, and warnings when the replications are too few.

Which interval an outcome gets follows its declared range (:mod:`experiments.outcomes`), never
the values seen: Wilson's score interval for yes/no outcomes (SciPy's), a t interval on the logit
scale for continuous values within bounds (shares, rates, probabilities), on the log scale for
values bounded below only (counts, money), the plain t interval otherwise
(:func:`outcome_interval`). Paired differences take Newcombe's interval for yes/no outcomes and
the paired t interval, kept within the range a difference can take, for the others
(:func:`paired_difference`). Pure functions of numbers; see :mod:`experiments.compare.comparison`
for where they are used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from experiments.outcomes import REAL, OutcomeRange

#: Confidence level of every interval.
LEVEL = 0.95

#: Fewest replications each kind of statistic needs to be worth reading (why: the catalogue's
#: ``warn.why.<kind>``, in English and Chinese).
MIN_REPLICATIONS: dict[str, int] = {"interval": 10, "probability": 20, "quantiles": 10}


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
    """Probability ``successes / n`` and its Wilson score interval ``(p, low, high)`` (SciPy's).

    Unlike the normal approximation it stays inside [0, 1] and is sensible at 0 or n successes
    (Wilson 1927).
    """
    from scipy.stats import binomtest

    if n <= 0:
        return math.nan, math.nan, math.nan
    if not 0 <= successes <= n:
        raise ValueError(f"successes = {successes} must lie in [0, {n}]")
    ci = binomtest(int(successes), int(n)).proportion_ci(confidence_level=level, method="wilson")
    # at 0 or n successes the bound is exactly 0 or 1 (rounding would leave it a hair inside)
    low = 0.0 if successes == 0 else max(0.0, float(ci.low))
    high = 1.0 if successes == n else min(1.0, float(ci.high))
    return successes / n, low, high


def bounded_interval(values: Sequence[float] | np.ndarray, lo: float = 0.0, hi: float = 1.0,
                     level: float = LEVEL) -> Interval:
    """Mean of values within ``[lo, hi]`` and a t interval that stays inside the range.

    With one bound infinite the interval is taken on the log scale of the distance from the finite
    bound, with both finite on the logit scale of the position between them: the mean's standard
    error is carried over by the delta method (``se / (m (1 - m))`` on the logit scale of the
    scaled mean ``m``), the t interval taken there and transformed back. It is centred on the mean
    in the transformed scale, narrows towards a bound as the data do, and equals the mean when all
    values are equal. ``half_width`` is half its (asymmetric) width.
    """
    iv = t_interval(values, level)
    if iv.n < 2 or not math.isfinite(iv.sd):
        return iv
    if math.isinf(lo) and math.isinf(hi):
        return iv
    mean = min(max(iv.mean, lo), hi)  # the mean of values in range is in range; rounding aside
    if iv.sd == 0:
        return Interval(iv.n, mean, 0.0, mean, mean, 0.0)
    se = iv.sd / math.sqrt(iv.n)
    q = _t_quantile(iv.n - 1, level)
    if math.isinf(hi) or math.isinf(lo):  # log scale of the distance from the finite bound
        sign = 1.0 if math.isinf(hi) else -1.0
        bound = lo if math.isinf(hi) else hi
        d = sign * (mean - bound)
        if d <= 0:
            return Interval(iv.n, mean, iv.sd, mean, mean, 0.0)
        spread = q * se / d
        ends = sorted((bound + sign * d * math.exp(-spread), bound + sign * d * math.exp(spread)))
        low, high = ends
    else:
        width = hi - lo
        z = (mean - lo) / width
        if z <= 0 or z >= 1:
            return Interval(iv.n, mean, iv.sd, mean, mean, 0.0)
        centre = math.log(z / (1 - z))
        spread = q * (se / width) / (z * (1 - z))
        low = lo + width * _expit(centre - spread)
        high = lo + width * _expit(centre + spread)
    low, high = max(lo, min(low, mean)), min(hi, max(high, mean))
    return Interval(iv.n, mean, iv.sd, low, high, (high - low) / 2)


def outcome_interval(values: Sequence[float] | np.ndarray, declared: OutcomeRange = REAL,
                     level: float = LEVEL) -> Interval:
    """The mean of an outcome over replications and its interval, chosen by the outcome's declared range.

    ``binary``: the share of runs with the event and Wilson's interval (values above 0.5 count as
    yes); ``bounded``, ``nonnegative``: :func:`bounded_interval`; ``real``: :func:`t_interval`.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if declared.kind == "binary":
        iv = t_interval(x, level)
        if not len(x):
            return iv
        p, low, high = wilson_interval(int(np.sum(x > 0.5)), len(x), level)
        return Interval(iv.n, p, iv.sd, low, high, (high - low) / 2)
    if declared.kind in ("bounded", "nonnegative"):
        return bounded_interval(x, float(declared.lo), float(declared.hi), level)
    return t_interval(x, level)


def _expit(v: float) -> float:
    """The logistic function, without overflow for large ``|v|``."""
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


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
                      binary: bool = False, declared: OutcomeRange | None = None) -> PairedDifference:
    """Difference ``x - y`` of paired values (pairs with a non-finite member are dropped).

    The interval is the paired t interval, kept within the range a difference of the outcome can
    take (``[lo - hi, hi - lo]`` of its ``declared`` range: [-1, 1] for shares); for yes/no
    outcomes (``binary``, or a declared ``binary`` range) Newcombe's interval.
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[ok], ya[ok]
    diff = t_interval(xa - ya, level)
    unpaired = welch_half_width(xa, ya, level)
    low, high = diff.low, diff.high
    binary = binary or (declared is not None and declared.kind == "binary")
    if binary and len(xa):
        _, low, high = newcombe_paired_interval(xa > 0.5, ya > 0.5, level)
    elif declared is not None and len(xa) >= 2:
        span = float(declared.hi) - float(declared.lo) if not isinstance(declared.hi, str) else math.inf
        low, high = max(low, -span), min(high, span)
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


def replication_warnings(n: int, statistics: Sequence[str] = ("interval", "quantiles"),
                         lang: str | None = None) -> list[str]:
    """Sentences saying which of the ``statistics`` (keys of :data:`MIN_REPLICATIONS`) ``n``
    replications are too few for, why, and how many they need (none when ``n`` is enough), in
    ``lang`` (None: the language in force)."""
    from experiments.i18n import tr

    out = []
    for stat in statistics:
        least = MIN_REPLICATIONS[stat]
        if n < least:
            t = _t_quantile(max(n - 1, 1), LEVEL)
            out.append(tr("warn.too_few", lang, reps=tr("warn.reps_one" if n == 1 else "warn.reps_many", lang, n=n),
                          what=tr(f"warn.what.{stat}", lang), why=tr(f"warn.why.{stat}", lang, n=n, t=t),
                          least=least))
    return out
