"""ruralsim's simulation layer: households, enterprises and governments of a rural province.

Public API: :class:`RuralModel`, :class:`Params`, :func:`run`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .params import Params, ParamsError

if TYPE_CHECKING:
    from .model import RuralModel
    from .results import RunResult

__all__ = ["Params", "ParamsError", "RunResult", "RuralModel", "run"]

#: Names imported on first use: the simulation pulls in Mesa, numba and pandas (seconds of start-up),
#: which reading and checking parameters and scenarios (``ruralsim check``, ``--help``) never need.
_LAZY = {"RuralModel": ".model", "RunResult": ".results", "environment": ".results"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(params: Params | None = None, seed: int = 1,
        progress: Callable[[int, int], None] | None = None,
        collect_monthly: bool = True, parallel: bool | None = None) -> RunResult:
    """Run one simulation to the end of its horizon.

    Args:
        params: parameters (defaults when None).
        seed: root seed of all random streams.
        progress: called as ``progress(months_done, months_total)`` after each month.
        collect_monthly: keep the monthly table.
        parallel: run compiled steps on several threads (None: by size); results are identical.

    Returns:
        The run's tables, summary and metadata.
    """
    from .model import RuralModel
    from .results import RunResult, environment

    params = params if params is not None else Params()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    m = RuralModel(params, seed=seed, collect_monthly=collect_monthly, parallel=parallel)
    total = m.end_month
    while m.running:
        m.step()
        if progress is not None:
            progress(m.month, total)
    wall = time.perf_counter() - t0
    meta = {
        "seed": int(seed),
        "params": params.to_data(),
        "started": started,
        "wall_time_s": wall,
        "timings_s": dict(m.timings),
        "households": m.households.n,
        "household_state_bytes": m.households.nbytes(),
        **environment(),
    }
    return RunResult(annual=m.annual_frame(), monthly=m.monthly_frame(), counties=m.county_frame(),
                     summary=m.summary(), meta=meta)
