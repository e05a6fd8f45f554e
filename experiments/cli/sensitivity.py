"""``ruralsim sensitivity PROBLEM``: check the options, run the study through the store, write the outputs.

Output directory (``--out``, default ``runs/sensitivity-<problem>-<method>``):

- ``store/``: the batch-experiment store of the runs (resumable with ``--resume``);
- ``indices.csv``, ``convergence.csv``, ``noise.csv``, ``points.csv``, ``manifest.json``;
- ``indices.png``, ``convergence.png`` (and ``morris.png`` for Morris), ``report.html``.

The result files are written to a temporary directory inside ``--out`` and moved into place
only when all of them are complete, so a reader never sees a half-written result.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from experiments.batch.store import StoreError
from experiments.sensitivity.problem import Problem, ProblemError, load_problem, with_options
from experiments.sensitivity.study import METHODS, MIN_N, SensitivityError

STORE = "store"


def default_out(problem: Problem, method: str) -> Path:
    return Path("runs") / f"sensitivity-{problem.name}-{method}"


def prepare_problem(problem_ref: str, base: str | None, households: int | None, counties: int | None,
                    years: int | None, reps: int | None) -> Problem:
    """Load the problem and apply the command-line replacements (raises ProblemError)."""
    return with_options(load_problem(problem_ref), base=base, households=households, counties=counties,
                        years=years, reps=reps)


def check_executor_options(workers: int | None, scheduler: str | None, inprocess: bool) -> list[str]:
    problems = []
    if workers is not None and workers < 1:
        problems.append(f"--workers {workers}: must be a whole number >= 1")
    given = [name for name, on in (("--workers", workers is not None), ("--scheduler", scheduler is not None),
                                   ("--in-process", inprocess)) if on]
    if len(given) > 1:
        problems.append(f"{' and '.join(given)} cannot be combined: choose one executor")
    if scheduler is not None and "://" not in scheduler:
        problems.append(f"--scheduler {scheduler!r}: expected an address such as tcp://HOST:8786")
    return problems


def check_out(out: Path, resume: bool) -> str | None:
    """A problem with ``--out`` (None when usable)."""
    if out.exists() and not out.is_dir():
        return f"--out {out} exists and is not a directory; choose another --out"
    store = out / STORE
    if resume:
        if not (store / "manifest.json").is_file():
            return f"--resume: {out} holds no study to resume (no {store}/manifest.json); leave out --resume"
        return None
    if out.exists() and any(out.iterdir()):
        return (f"--out {out} already exists and is not empty; use --resume to complete the study it holds, or "
                "choose another --out")
    return None


def write_results(directory: Path, writer: Any) -> list[Path]:
    """Call ``writer(tmp_dir)`` and move every file it wrote into ``directory`` (all or nothing)."""
    tmp = directory / f".results.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        writer(tmp)
        moved = []
        for path in sorted(tmp.iterdir()):
            target = directory / path.name
            os.replace(path, target)
            moved.append(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return moved


class _Progress:
    """Runs done of runs planned: tqdm on a terminal, a line every 15 s otherwise."""

    def __init__(self, label: str):
        from tqdm import tqdm

        self.tty = sys.stderr.isatty()
        self.bar = tqdm(total=0, desc=label, unit="run", file=sys.stderr, disable=not self.tty, dynamic_ncols=True)
        self.label = label
        self.last = time.monotonic()

    def __call__(self, done: int, failed: int, total: int) -> None:
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done + failed - self.bar.n)
        now = time.monotonic()
        if not self.tty and (now - self.last >= 15 or done + failed == total):
            self.last = now
            print(f"{self.label}: {done + failed} of {total} runs ({failed} failed)", file=sys.stderr, flush=True)

    def close(self) -> None:
        self.bar.close()


def sensitivity(problem_ref: str, method: str, n: int | None, reps: int | None, base: str | None,
                households: int | None, counties: int | None, years: int | None, workers: int | None,
                scheduler: str | None, inprocess: bool, out: Path | None, resume: bool, retry_failed: bool,
                seed: int) -> None:
    """The command (exit codes as in :mod:`experiments.cli.main`)."""
    import typer

    from experiments.cli.main import _crash, _fail

    method = method.strip().lower()
    problems: list[str] = []
    if method not in METHODS:
        problems.append(f"--method {method!r}: allowed are {', '.join(METHODS)}")
    problems += check_executor_options(workers, scheduler, inprocess)
    if seed < 0:
        problems.append(f"--seed {seed}: must be a whole number >= 0")
    problem = None
    try:
        problem = prepare_problem(problem_ref, base, households, counties, years, reps)
    except ProblemError as exc:
        problems += exc.problems
    if problem is not None and method in METHODS:
        n = problem.n[method] if n is None else n
        if n < MIN_N[method]:
            problems.append(f"--n {n}: the {method} method needs at least {MIN_N[method]}")
        elif n > 1_000_000:
            problems.append(f"--n {n}: at most 1,000,000")
        elif method == "sobol" and n & (n - 1):
            problems.append(f"--n {n}: Sobol' designs need a power of 2 (e.g. {1 << (n.bit_length() - 1)} or "
                            f"{1 << n.bit_length()}) to keep their balance")
    if problems:
        _fail("cannot run the sensitivity study:\n" + "\n".join(f"  {p}" for p in problems))
    assert problem is not None and n is not None
    out_dir = out if out is not None else default_out(problem, method)
    why = check_out(out_dir, resume or retry_failed)
    if why:
        _fail(why + ".")

    from experiments.sensitivity.report import lever_findings, write_figures, write_report
    from experiments.sensitivity.study import StoreEvaluator, block_size, run_study, write_tables

    rows = n * block_size(method, len(problem.parameters))

    def announce(total: int, todo: int) -> None:
        typer.echo(f"Sensitivity ({method}) of {problem.name}: {rows:,} sample points x {problem.reps} paired "
                   f"replications = {total:,} distinct runs of {problem.base} "
                   f"({', '.join(f'{v:,} {k}' for k, v in problem.size.items())}), {todo:,} to do.", err=True)

    bar = _Progress("sensitivity")
    evaluator = StoreEvaluator(out_dir / STORE, workers=workers, scheduler=scheduler, inprocess=inprocess,
                               resume=resume or retry_failed, retry_failed=retry_failed, progress=bar,
                               name=f"sensitivity-{problem.name}-{method}", on_start=announce)
    try:
        try:
            study = run_study(problem, method, n, evaluator, seed=seed)
        finally:
            bar.close()

        def writer(tmp: Path) -> None:
            write_tables(study, tmp)
            figures = write_figures(study, tmp)
            write_report(study, figures, tmp / "report.html")

        write_results(out_dir, writer)
    except KeyboardInterrupt:
        typer.echo(f"\nInterrupted; finished runs are kept in {out_dir / STORE}: add --resume to complete the study.",
                   err=True)
        raise typer.Exit(130) from None
    except SensitivityError as exc:
        _fail(f"{exc}; failures are listed in {out_dir / STORE / 'failures.jsonl'}.", code=1)
    except (typer.Exit, typer.Abort):
        raise
    except StoreError as exc:  # e.g. --resume of a directory holding another study
        _fail(f"{exc}.")
    except Exception as exc:
        _crash("the sensitivity study stopped", exc)

    ev = study.evaluation
    typer.echo("\n".join(lever_findings(study)))
    typer.echo(f"\n{ev.info.get('runs', 0):,} runs ({ev.info.get('new_runs', 0):,} new, {ev.n_failed} failed) in "
               f"{study.wall_time_s:,.1f} s. Indices: {out_dir / 'indices.csv'}; report: {out_dir / 'report.html'}")
