"""``ruralsim calibrate``: fit the historical run's free parameters to the 2017-2020 targets.

Exit codes as in :mod:`experiments.cli.console`: bad options, target files or scenario exit 2
before anything runs; a failing calibration or unwritable outputs exit 1. A pilot run estimates
the time (``--budget`` candidates of ``--seeds`` runs each) and more than half an hour is started
only after confirmation (or ``--yes``).

``--method abc`` fits an ensemble of parameter sets by ABC-SMC instead (:mod:`experiments.fit.abc`):
``--population`` particles a generation, ``--generations`` generations, at most ``--budget``
simulated candidates; it writes ``ensemble.csv`` (the file ``compare --parameter-uncertainty``
reads) and a report with the in-sample table of the ensemble and the checks after 2020.
"""

from __future__ import annotations

from pathlib import Path

import typer

from experiments.cli.console import Progress, check_out, crash, fail, fail_problems, hold_out
from experiments.cli.validate import check_fit_inputs, parse_overrides, timed_pilot
from experiments.files import timestamped_dir, write_directory
from experiments.fit.calibrate import FREE_PARAMETERS, calibration_params, de_sizes, write_outputs
from experiments.fit.calibrate import calibrate as run_calibration
from experiments.fit.replications import TARGET_DIR
from experiments.fit.targets import TargetError

OUT_OF_SAMPLE = TARGET_DIR / "out_of_sample.csv"

#: Most replications per candidate, and most candidates.
MAX_SEEDS = 1_000
MAX_BUDGET = 100_000
METHODS = ("de", "abc")
#: Out-of-sample check files run on the ensemble after an ABC fit.
CHECKS = (OUT_OF_SAMPLE,)


def calibrate(scenario: str, targets: list[Path] | None, budget: int, seeds: int, households: int | None,
              counties: int | None, seed: int, out: Path | None, *, first_seed: int | None = None,
              set_: list[str] | None = None, force: bool = False, yes: bool = False, method: str = "de",
              population: int = 100, generations: int = 5) -> None:
    """The command; ``seed`` is the optimiser's (``--design-seed``), ``first_seed`` the replications' first."""
    method = method.strip().lower()
    if method not in METHODS:
        fail(f"--method {method!r}: allowed {' or '.join(METHODS)} (differential evolution: one best point; "
             "abc: an ensemble of parameter sets by ABC-SMC)")
    if method == "abc":
        calibrate_abc(scenario, targets, budget, seeds, households, counties, seed, out, first_seed=first_seed,
                      set_=set_, force=force, yes=yes, population=population, generations=generations)
        return
    if not 1 <= seeds <= MAX_SEEDS:
        fail(f"--seeds {seeds}: allowed 1 to {MAX_SEEDS:,}")
    if budget > MAX_BUDGET:
        fail(f"--budget {budget}: allowed at most {MAX_BUDGET:,} candidates")
    try:
        de_sizes(budget, len(FREE_PARAMETERS))
    except ValueError as exc:
        fail(str(exc))
    out_dir, paths, overrides, seed_base, base = _prepare(scenario, targets, households, counties, out,
                                                          first_seed, set_, force)
    timed_pilot(base, budget * seeds, f"{budget:,} candidates of {seeds:,} runs", yes, seed=seed_base)

    try:
        with Progress("calibrate", unit="candidate", total=budget) as bar:
            result = run_calibration(scenario, paths, budget, seeds, households, counties, seed,
                                     progress=lambda done, total, d, best: bar.update(
                                         done, total, detail=f"distance {d:.4g}, best {best:.4g}"),
                                     seed_base=seed_base, overrides=overrides)
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    except Exception as exc:
        crash("the calibration failed", exc)
    try:
        write_directory(out_dir, lambda d: write_outputs(result, d), replace=force)
    except Exception as exc:
        crash("cannot write the calibration outputs", exc)
    fitted = ", ".join(f"{k} = {v:.4g}" for k, v in result["fitted"].items())
    typer.echo(f"distance {result['distance']:.4g} after {result['meta']['evaluated']} candidates; {fitted}\n"
               f"scenario: {out_dir / 'calibrated.yaml'}; report: {out_dir / 'fit_report.html'}")


def calibrate_abc(scenario: str, targets: list[Path] | None, budget: int, seeds: int, households: int | None,
                  counties: int | None, seed: int, out: Path | None, *, first_seed: int | None = None,
                  set_: list[str] | None = None, force: bool = False, yes: bool = False, population: int = 100,
                  generations: int = 5) -> None:
    """``--method abc``: an ensemble by ABC-SMC, its report and the checks after 2020."""
    from experiments.fit.abc import CHECK_DRAWS, out_of_sample, run_abc
    from experiments.fit.abc import write_outputs as write_abc

    if not 1 <= seeds <= MAX_SEEDS:
        fail(f"--seeds {seeds}: allowed 1 to {MAX_SEEDS:,}")
    if not 5 <= population <= 10_000:
        fail(f"--population {population}: allowed 5 to 10,000 particles a generation")
    if not 1 <= generations <= 100:
        fail(f"--generations {generations}: allowed 1 to 100")
    if not population <= budget <= MAX_BUDGET:
        fail(f"--budget {budget}: allowed --population ({population}) to {MAX_BUDGET:,} simulated candidates "
             "(generation 0 alone takes --population)")
    out_dir, paths, overrides, seed_base, base = _prepare(scenario, targets, households, counties, out,
                                                          first_seed, set_, force)
    timed_pilot(base, budget * seeds, f"at most {budget:,} candidates of {seeds:,} runs", yes, seed=seed_base)
    try:
        with Progress("calibrate (ABC-SMC)", unit="candidate", total=budget) as bar:
            result = run_abc(scenario, paths, population, generations, budget, seeds, households, counties, seed,
                             progress=lambda done, total, d: bar.update(done, total, detail=f"distance {d:.4g}"),
                             seed_base=seed_base, overrides=overrides)
        with Progress("checks after 2020", unit="parameter set", total=CHECK_DRAWS) as bar:
            checks = out_of_sample(result, CHECKS, progress=lambda done, total: bar.update(done, total))
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    except Exception as exc:
        crash("the calibration failed", exc)
    try:
        write_directory(out_dir, lambda d: write_abc(result, d, checks), replace=force)
    except Exception as exc:
        crash("cannot write the calibration outputs", exc)
    meta = result["meta"]
    typer.echo(f"{len(result['weights'])} particles after {meta['generations']} generations and {meta['evaluated']} "
               f"candidates ({meta['wall_time_s'] / 60:.1f} min); final tolerance {meta['final_epsilon']:.4g}\n"
               f"ensemble: {out_dir / 'ensemble.csv'}; report: {out_dir / 'fit_report.html'}")


def _prepare(scenario: str, targets: list[Path] | None, households: int | None, counties: int | None,
             out: Path | None, first_seed: int | None, set_: list[str] | None, force: bool):
    """What both methods check and set up before the pilot: ``--set`` values (never a free parameter),
    the output directory (checked, then locked), the target files and the base parameters.

    Returns ``(out_dir, target paths, overrides, first replication seed, base Params)``."""
    overrides = parse_overrides(set_)
    free = {p.path for p in FREE_PARAMETERS}
    fitted = [path for path in overrides if path in free]
    if fitted:
        fail(f"--set {', '.join(fitted)}: a free parameter of the calibration; the fit chooses its value.")
    out_dir = out if out is not None else timestamped_dir("calibrate")
    remedy = "use --force to replace it or choose another --out"
    check_out(out_dir, replace=force, remedy=remedy)
    paths = check_fit_inputs("calibrate", scenario, targets, households, counties, None, overrides)[1]
    hold_out(out_dir, "calibrate", lambda: check_out(out_dir, replace=force, remedy=remedy))
    seed_base = 1 if first_seed is None else first_seed
    try:
        base, _ = calibration_params(scenario, paths, households, counties, overrides)
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    return out_dir, paths, overrides, seed_base, base
