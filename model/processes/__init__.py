"""Household rules as pure scalar functions, each compiled once as a NumPy ufunc.

Every rule is written for one household and decorated with :func:`rule` (``numba.vectorize``):
called from Python it takes scalars or arrays (broadcasting like any ufunc); called inside the
fused monthly kernel (:mod:`model.kernel`) it compiles to an inlined scalar call. One definition
serves both, so the unit-tested rule *is* the rule the model runs. Rules draw no random numbers:
uniform or normal draws are passed in.
"""

from __future__ import annotations

from numba import vectorize


def rule(fn):
    """Compile a scalar rule as a lazily typed ufunc (cached on disk).

    The plain function stays available as ``.py_func`` for scalar calls from Python: a ufunc
    builds its array wrapper for each new argument type at run time (not cached on disk, so paid
    in every process), which a scalar call does not need."""
    ufunc = vectorize(cache=True)(fn)
    ufunc.__doc__ = fn.__doc__
    ufunc.py_func = fn
    return ufunc
