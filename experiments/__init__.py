"""Running many models, by capability: ``batch`` (experiment files, executors, runner, result store),
``compare`` (policy paths on common random numbers), ``sensitivity`` (sensitivity analysis and
scenario discovery), ``fit`` (validation and calibration against target files), ``app`` (the
classroom app) and ``cli`` (the ``ruralsim`` command on top of them all); below them ``files``
(writing results atomically) and ``report`` (the HTML reports' templates).

Public API (imported on first use, so that ``ruralsim`` starts quickly):

- :func:`load` — open an experiment directory: ``load(DIR).runs``, ``.annual``, ``.counties``.
- :func:`run_experiment` — run an experiment file from Python.
- :func:`load_experiment` — read and validate an experiment file.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load", "load_experiment", "run_experiment"]

_EXPORTS = {"load": ("experiments.batch.store", "load"),
            "load_experiment": ("experiments.batch.spec", "load_experiment"),
            "run_experiment": ("experiments.batch.runner", "run_experiment")}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        module, attr = _EXPORTS[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
