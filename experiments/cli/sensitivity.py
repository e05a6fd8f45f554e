"""``ruralsim sensitivity PROBLEM``: check the options, run the study through the store, write the outputs.

Output directory (``--out``, default ``runs/sensitivity-<problem>-<method>``):

- ``store/``: the batch-experiment store of the runs (resumable with ``--resume``);
- ``indices``, ``convergence``, ``noise``, ``points`` (``--format``: csv or parquet), ``manifest.json``;
- ``indices.png``, ``convergence.png`` (and ``morris.png`` for Morris), ``report.html``.

The result files are written to a temporary directory inside ``--out`` and moved into place
only when all of them are complete (:func:`experiments.files.publish_files`), so a reader never
sees a half-written result. :func:`hold_study_out` and :func:`prepare_problem` serve
``ruralsim discover`` too, which runs its study through the same kind of store.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import typer

from experiments.batch.store import StoreError
from experiments.cli.console import (
    Progress,
    check_out,
    clear_previous_results,
    crash,
    executor_problems,
    fail,
    fail_problems,
    hold_out,
    note,
    warn,
    warn_workers,
)
from experiments.files import publish_files
from experiments.sensitivity.evaluators import StoreEvaluator
from experiments.sensitivity.problem import Problem, ProblemError, load_problem, with_options
from experiments.sensitivity.study import METHODS, MIN_N, SensitivityError
from experiments.tables import format_problems
from scenarios import ScenarioError, parse_set

STORE = "store"


def prepare_problem(problem_ref: str, base: str | None, households: int | None, counties: int | None,
                    years: int | None, reps: int | None, seed: int, set_: list[str] | None = None,
                    fmt: str = "csv") -> tuple[Problem | None, list[str]]:
    """The problem with the command-line replacements applied (None when it cannot be had), and every
    problem found with it, with ``--design-seed``, ``--set`` and ``--format``."""
    problems = [] if seed >= 0 else [f"--design-seed {seed}: must be a whole number >= 0"]
    problems += format_problems(fmt)
    try:
        fixed = parse_set(set_ or [])
    except ScenarioError as exc:
        return None, problems + [f"invalid --set: {p}" for p in exc.problems]
    try:
        return with_options(load_problem(problem_ref), base=base, households=households, counties=counties,
                            years=years, reps=reps, fixed=fixed), problems
    except ProblemError as exc:
        return None, problems + exc.problems


def check_study_out(out: Path, resume: bool, force: bool = False) -> None:
    """Fail unless ``--out`` can hold the study: new or empty, or with ``resume`` holding a store, or
    with ``force`` holding an earlier ruralsim output or study (which :func:`hold_study_out` removes)."""
    if force:
        if resume:
            fail("--force and --resume/--retry-failed cannot be combined: --force starts the study afresh, "
                 "--resume completes the one in --out.")
        check_out(out, replace=True, stores=(STORE,))
        return
    if resume and not (out.exists() and not out.is_dir()):
        store = out / STORE
        if not (store / "manifest.json").is_file():
            fail(f"--resume: {out} holds no study to resume (no {store}/manifest.json); leave out --resume.")
        return
    check_out(out, remedy="use --resume to complete the study it holds, or choose another --out")


def hold_study_out(out: Path, command: str, resume: bool, force: bool) -> None:
    """Lock ``--out`` for the study (:func:`~experiments.cli.console.hold_out`) once it can hold it
    (:func:`check_study_out`); with ``force`` the earlier study there is removed, under the lock."""
    hold_out(out, command, lambda: check_study_out(out, resume, force))
    if force:
        clear_previous_results(out, stores=(STORE,))


@contextlib.contextmanager
def study_evaluator(out_dir: Path, label: str, name: str, workers: int | None, scheduler: str | None,
                    inprocess: bool, resume: bool, retry_failed: bool,
                    on_start: Callable[[int, int], None]) -> Iterator[StoreEvaluator]:
    """A store evaluator under ``out_dir/store`` with a progress bar, and the exit codes of a study run through it:
    130 when interrupted (finished runs are kept for ``--resume``), 2 when the store holds another study, 1 when
    the study stops on anything else."""
    with Progress(label) as bar:
        evaluator = StoreEvaluator(out_dir / STORE, workers=workers, scheduler=scheduler, inprocess=inprocess,
                                   resume=resume or retry_failed, retry_failed=retry_failed,
                                   progress=lambda done, failed, total: bar.update(done + failed, total, failed),
                                   name=name, on_start=on_start, on_recover=bar.write)
        try:
            yield evaluator
        except KeyboardInterrupt:
            bar.close()
            note(f"\nInterrupted; finished runs are kept in {out_dir / STORE}: add --resume to complete them.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except StoreError as exc:  # e.g. --resume of a directory holding another study
            fail(f"{exc}.")
        except Exception as exc:
            crash(f"the {label} study stopped", exc)


def sensitivity(problem_ref: str, method: str, n: int | None, reps: int | None, base: str | None,
                households: int | None, counties: int | None, years: int | None, workers: int | None,
                scheduler: str | None, inprocess: bool, out: Path | None, resume: bool, retry_failed: bool,
                seed: int, *, first_seed: int | None = None, set_: list[str] | None = None, force: bool = False,
                fmt: str = "csv") -> None:
    """The command (exit codes as in :mod:`experiments.cli.console`); ``seed`` is the design seed."""
    method = method.strip().lower()
    problems: list[str] = []
    if method not in METHODS:
        problems.append(f"--method {method!r}: allowed are {', '.join(METHODS)}")
    problems += executor_problems(workers, scheduler, inprocess)
    problem, more = prepare_problem(problem_ref, base, households, counties, years, reps, seed, set_, fmt)
    problems += more
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
        fail_problems("cannot run the sensitivity study", problems)
    assert problem is not None and n is not None
    out_dir = out if out is not None else Path("runs") / f"sensitivity-{problem.name}-{method}"
    hold_study_out(out_dir, "sensitivity", resume or retry_failed, force)
    warn_workers(workers)

    from experiments.sensitivity.report import lever_findings, write_figures, write_report
    from experiments.sensitivity.study import block_size, run_study, write_tables

    rows = n * block_size(method, len(problem.parameters))

    def announce(total: int, todo: int) -> None:
        note(f"Sensitivity ({method}) of {problem.name}: {rows:,} sample points x {problem.reps} paired "
             f"replications = {total:,} distinct runs of {problem.base} "
             f"({', '.join(f'{v:,} {k}' for k, v in problem.size.items())}), {todo:,} to do.")

    with study_evaluator(out_dir, "sensitivity", f"sensitivity-{problem.name}-{method}", workers, scheduler,
                         inprocess, resume, retry_failed, announce) as evaluator:
        try:
            study = run_study(problem, method, n, evaluator, seed=seed,
                              seed_base=1 if first_seed is None else first_seed)
        except SensitivityError as exc:
            fail(f"{exc}; failures are listed in {out_dir / STORE / 'failures.jsonl'}.", code=1)

        def writer(tmp: Path) -> None:
            write_tables(study, tmp, fmt.strip().lower())
            figures = write_figures(study, tmp)
            write_report(study, figures, tmp / "report.html")

        publish_files(out_dir, writer)

    ev = study.evaluation
    typer.echo("\n".join(lever_findings(study)))
    typer.echo(f"\n{ev.info.get('runs', 0):,} runs ({ev.info.get('new_runs', 0):,} new, {ev.n_failed} failed) in "
               f"{study.wall_time_s:,.1f} s. Indices: {out_dir}/indices.{fmt.strip().lower()}; report: "
               f"{out_dir / 'report.html'}")
    for text in study.warnings:
        warn(text)
