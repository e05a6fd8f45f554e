"""``ruralsim discover PROBLEM``: scenario discovery of large-scale relapse (PRIM boxes) through the store.

Output directory (``--out``, default ``runs/discover-<problem>``): ``store/`` (resumable with
``--resume``), the ``runs``, ``boxes`` and ``peeling_box*`` tables (``--format``), ``tradeoff.png``,
``manifest.json`` and ``report.html``. Exit codes as in :mod:`experiments.cli.console`.
"""

from __future__ import annotations

import math
from pathlib import Path

import typer

from experiments.cli.console import executor_problems, fail, fail_problems, note, warn_workers
from experiments.cli.sensitivity import hold_study_out, prepare_problem, study_evaluator
from experiments.files import publish_files
from experiments.report import percent
from experiments.sensitivity.discovery import (
    DiscoveryError,
    box_words,
    exceedance_key,
    prim_module,
    run_discovery,
    write_outputs,
)


def discover(problem_ref: str, n: int | None, reps: int | None, base: str | None, households: int | None,
             counties: int | None, years: int | None, threshold: float | None, min_coverage: float,
             workers: int | None, scheduler: str | None, inprocess: bool, out: Path | None, resume: bool,
             retry_failed: bool, seed: int, *, first_seed: int | None = None, set_: list[str] | None = None,
             force: bool = False, fmt: str = "csv") -> None:
    problems = executor_problems(workers, scheduler, inprocess)
    if threshold is not None and not (math.isfinite(threshold) and exceedance_key(threshold)):
        problems.append(f"--threshold {threshold:g}: a county relapse rate in whole percents from 0.01 to 0.10 "
                        "(the points of the exceedance curve), e.g. 0.05")
    if not (math.isfinite(min_coverage) and 0 < min_coverage <= 1):
        problems.append(f"--min-coverage {min_coverage:g}: a share in (0, 1], e.g. 0.5")
    problem, more = prepare_problem(problem_ref, base, households, counties, years, reps, seed, set_, fmt)
    problems += more
    if problem is not None:
        n = problem.n["discover"] if n is None else n
        if not 2 <= n <= 1_000_000:
            problems.append(f"--n {n}: allowed 2 to 1,000,000 points")
    if problems:
        fail_problems("cannot run scenario discovery", problems)
    try:
        prim_module()
    except DiscoveryError as exc:
        fail(str(exc) + ".")
    assert problem is not None and n is not None
    out_dir = out if out is not None else Path("runs") / f"discover-{problem.name}"
    hold_study_out(out_dir, "discover", resume or retry_failed, force)
    warn_workers(workers)

    def announce(total: int, todo: int) -> None:
        note(f"Scenario discovery of {problem.name}: {n:,} Latin-hypercube points x {problem.reps} paired "
             f"replications = {total:,} distinct runs of {problem.base}, {todo:,} to do.")

    with study_evaluator(out_dir, "discovery", f"discover-{problem.name}", workers, scheduler, inprocess, resume,
                         retry_failed, announce) as evaluator:
        d = run_discovery(problem, n, evaluator, seed=seed, seed_base=1 if first_seed is None else first_seed,
                          threshold=threshold, min_coverage=min_coverage)
        publish_files(out_dir, lambda tmp: write_outputs(d, tmp, fmt.strip().lower()))
    typer.echo(f"Large-scale relapse more likely than not (county relapse rate >= {d.threshold:g}) in "
               f"{int(d.y.sum()):,} of {len(d.y):,} runs ({percent(d.base_rate)}).")
    if d.reason:
        typer.echo(f"No box: {d.reason}.")
    for b, box in enumerate(d.boxes, start=1):
        typer.echo(f"Box {b}: {box_words(box, problem, d.base_rate)}")
    typer.echo(f"Report: {out_dir / 'report.html'}")
