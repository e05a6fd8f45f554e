"""``ruralsim run SCENARIO|FILE``: one run's tables, ``summary.json`` and PNG figures in an output directory.

Every input is checked before the model is imported or built; the results are written into a
temporary directory and moved into place complete (:func:`experiments.files.write_directory`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer

from experiments.cli.console import Progress, check_out, crash, fail, fail_problems, hold_out, note
from experiments.i18n import outcome_label, scenario_label, tr
from experiments.memory import too_large
from experiments.tables import format_problems
from scenarios import ScenarioError, load_scenario, parse_set


def run(scenario: str, seed: int, years: int | None, households: int | None, counties: int | None,
        set_: list[str] | None, out: Path | None, fmt: str, force: bool) -> None:
    for problem in format_problems(fmt):
        fail(problem + ".")
    fmt = fmt.strip().lower()
    if seed < 0:
        fail(f"--seed {seed} must be a non-negative integer.")
    try:
        overrides = parse_set(set_ or [])
    except ScenarioError as exc:
        fail_problems("invalid --set", exc.problems)
    for path, value in (("sim.n_years", years), ("population.n_households", households),
                        ("population.n_counties", counties)):
        if value is not None:
            overrides[path] = value
    try:
        loaded = load_scenario(scenario, overrides, origin="command line")
    except ScenarioError as exc:
        fail_problems(f"cannot load scenario {scenario!r}", exc.problems)

    big = too_large(loaded.params.population.n_households, "a run")
    if big:
        fail(f"{big}; choose fewer --households.")
    out_dir = out if out is not None else Path("runs") / f"{loaded.name}-seed{seed}"
    hold_out(out_dir, "run", lambda: check_out(out_dir, replace=force,
                                               remedy="use --force to replace it or choose another --out"))

    run_model = model_runner()
    params = loaded.params
    note(f"Running {loaded.name} (seed {seed}): {params.sim.start_year}-{params.sim.end_year}, "
         f"{params.population.n_households:,} households, {params.population.n_counties} counties")

    started = time.perf_counter()
    with Progress(loaded.name, unit="month", delay=2.0) as progress:
        try:
            result = run_model(params, seed=seed, progress=progress)
        except Exception as exc:  # reported briefly; traceback on request
            crash(f"the model failed while running {loaded.name!r} (seed {seed})", exc)
    seconds = time.perf_counter() - started

    meta = getattr(result, "meta", None)
    if isinstance(meta, dict):
        meta.setdefault("format", "ruralsim-run/1")  # what --force may replace (experiments.files)
        meta.setdefault("scenario", loaded.name)
        meta.setdefault("scenario_chain", list(loaded.chain))
        meta.setdefault("scenario_overrides", dict(loaded.overrides))
    try:
        figures = write_run(out_dir, result, fmt, replace=force)
    except Exception as exc:
        crash(f"could not write the results to {out_dir}", exc)

    typer.echo(format_summary(getattr(result, "summary", {}) or {},
                              title=f"{scenario_label(loaded.name)}, {tr('fig.run.seed', seed=seed)}"))
    typer.echo("\n" + tr("cli.wrote_run", out=out_dir, fmt=fmt, n=len(figures), seconds=seconds))


def model_runner():
    """``model.run``, imported only once the input is known to be good."""
    try:
        import model
        import model.model  # noqa: F401  (the simulation's libraries load here, not inside the timed run)
    except ImportError as exc:
        crash("cannot import the model", exc)
    run_model = getattr(model, "run", None)
    if run_model is None:
        fail("the model package does not provide run(params, seed, progress) yet.", code=1)
    return run_model


def write_run(out_dir: Path, result: Any, fmt: str, replace: bool) -> list[Path]:
    """The run's tables and figures, moved into ``out_dir`` complete; the figures' final paths."""
    from experiments.files import write_directory
    from experiments.run_figures import run_figures

    def write(tmp: Path) -> list[Path]:
        result.to_dir(tmp, fmt=fmt)
        return run_figures(result, tmp)

    figures = write_directory(out_dir, write, replace=replace)
    return [out_dir / f.name for f in figures]


def format_summary(summary: Mapping[str, Any], title: str = "") -> str:
    """A plain-text table of scalar outcomes: the plain name, the value, and the key of ``summary.json``.

    Names are in the language in force (:func:`experiments.i18n.outcome_label`). Rates, shares and
    growth rates are shown as percentages, yuan amounts and counts with thousands separators, flags
    as yes/no.
    """
    if not summary:
        return f"{tr('cli.summary')} ({title}): {tr('cli.no_outcomes')}" if title else tr("cli.no_outcomes")
    labels = {str(k): outcome_label(str(k)) for k in summary}
    width = max(_width(label) for label in labels.values())
    lines = [f"{tr('cli.summary')} ({title})" if title else tr("cli.summary"), "-" * (width + 16)]
    for key, value in summary.items():
        label = labels[str(key)]
        lines.append(f"{label}{' ' * (width - _width(label))}  {_format_value(str(key), value):>14}  {key}")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _format_value(key: str, value: Any) -> str:
    from experiments.outcomes import SHOWN

    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # NumPy scalar → Python scalar
    if isinstance(value, bool):
        return tr("cli.yes") if value else tr("cli.no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return tr("num.na")
        if key.endswith("_yuan"):
            return f"{value:,.0f}"
        if SHOWN.get(key) == "pct" or any(word in key for word in ("rate", "share", "growth")):
            return f"{value:.2%}"
        if value.is_integer() and abs(value) >= 1:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)
