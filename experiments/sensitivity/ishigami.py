"""The Ishigami function: a check of the sensitivity pipeline against known indices.

``f(x) = sin x1 + a sin^2 x2 + b x3^4 sin x1`` with ``x_i ~ U(-pi, pi)``, ``a = 7``, ``b = 0.1``
(Ishigami & Homma 1990). Its variance and Sobol' indices are known in closed form
(Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, §4.8; Sobol' & Levitan 1999):

- ``V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2``;
- ``V1 = (1 + b pi^4/5)^2 / 2``, ``V2 = a^2/8``, ``V3 = 0``, ``V13 = b^2 pi^8 (1/18 - 1/50)``;
- ``S = (0.3139, 0.4424, 0)``, ``ST = (0.5576, 0.4424, 0.2437)``.

:func:`noisy_ishigami` adds independent normal noise of a given standard deviation to every
evaluation, a stand-in for a stochastic model: the per-point mean over R replications then has
noise variance ``sd^2 / R`` and the share of single-run variance that is noise is
``sd^2 / (V + sd^2)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from experiments.sensitivity.problem import Parameter, Problem

A = 7.0
B = 0.1
VARIANCE = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5
_V1 = (1 + B * math.pi**4 / 5) ** 2 / 2
_V2 = A**2 / 8
_V13 = B**2 * math.pi**8 * (1 / 18 - 1 / 50)
#: Analytic first-order indices of x1, x2, x3.
S1 = (_V1 / VARIANCE, _V2 / VARIANCE, 0.0)
#: Analytic total indices of x1, x2, x3.
ST = ((_V1 + _V13) / VARIANCE, _V2 / VARIANCE, _V13 / VARIANCE)


def ishigami(x: np.ndarray) -> float:
    """The Ishigami function at one point ``x = (x1, x2, x3)``."""
    return float(math.sin(x[0]) + A * math.sin(x[1]) ** 2 + B * x[2] ** 4 * math.sin(x[0]))


def noisy_ishigami(noise_sd: float) -> Callable[[np.ndarray, np.random.Generator], float]:
    """``ishigami(x) + noise_sd * N(0, 1)`` as a function of (x, rng) for the FunctionEvaluator."""
    if not (math.isfinite(noise_sd) and noise_sd >= 0):
        raise ValueError(f"noise_sd = {noise_sd!r}: expected a finite number >= 0")

    def f(x: np.ndarray, rng: np.random.Generator) -> float:
        return ishigami(x) + (noise_sd * float(rng.standard_normal()) if noise_sd else 0.0)

    f.__name__ = f"ishigami(noise_sd={noise_sd:g})"
    return f


def ishigami_problem(reps: int = 1) -> Problem:
    """The three Ishigami inputs on [-pi, pi] and the single output ``y``."""
    params = tuple(Parameter(name=f"x{i}", lo=-math.pi, hi=math.pi, kind="uncertainty") for i in (1, 2, 3))
    return Problem(name="ishigami", description="Ishigami test function (a = 7, b = 0.1)", base="",
                   parameters=params, outputs=("y",), reps=reps)
