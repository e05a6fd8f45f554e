"""``ruralsim experiment FILE``: run a batch experiment into a resumable result store.

Order of work: check the options, validate the experiment file (every run's parameters), check
the output directory, start the executor, run one pilot run here (the costliest one still to do)
to estimate time and disk, ask to confirm a large experiment, then run the rest with a progress
bar. Nothing is written before confirmation. Exit codes follow :mod:`experiments.cli.console`: 2 bad input
(including an executor that cannot be reached), 1 when runs failed or the store cannot be written,
130 when interrupted (finished runs are kept; ``--resume`` completes the experiment).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from pathlib import Path
from typing import Any

import typer

from experiments.batch.executors import ExecutorError, make_executor
from experiments.batch.runner import CONFIRM_RUNS, ExperimentSession
from experiments.batch.spec import ExperimentSpecError, load_experiment
from experiments.batch.store import StoreError
from experiments.cli.console import (
    Progress,
    check_out,
    clear_previous_results,
    count,
    crash,
    duration,
    executor_problems,
    fail,
    fail_problems,
    hold_out,
    warn_workers,
)
from scenarios import ScenarioError, parse_set


def experiment(file: str, workers: int | None, scheduler: str | None, local_cluster: int | None, out: Path | None,
               resume: bool, retry_failed: bool, yes: bool, inprocess: bool, *, seeds: int | None = None,
               first_seed: int | None = None, households: int | None = None, counties: int | None = None,
               years: int | None = None, set_: list[str] | None = None, force: bool = False,
               parameter_uncertainty: bool | str | None = None) -> None:
    """Run an experiment file from the command line (see the module docstring); the shared options replace
    the file's values."""
    problems = executor_problems(workers, scheduler, inprocess, local_cluster)
    if force and (resume or retry_failed):
        problems.append("--force and --resume/--retry-failed cannot be combined: --force starts the experiment "
                        "afresh, --resume completes the one in --out")
    try:
        overrides = parse_set(set_ or [])
    except ScenarioError as exc:
        problems += [f"invalid --set: {p}" for p in exc.problems]
    if problems:
        fail_problems("cannot run the experiment", problems)

    options = {"seeds": seeds, "first_seed": first_seed, "households": households, "counties": counties,
               "years": years, "parameters": overrides, "parameter_uncertainty": parameter_uncertainty}
    try:
        spec = load_experiment(file, options)
    except ExperimentSpecError as exc:
        fail_problems(f"invalid experiment {file} ({count(len(exc.problems), 'problem')})", exc.problems)

    out_dir = out if out is not None else Path("runs") / spec.name
    # Without --force the session decides, under the lock, whether --out holds this experiment to resume.
    hold_out(out_dir, "experiment", (lambda: check_out(out_dir, replace=True)) if force else None)
    if force:
        clear_previous_results(out_dir)
    warn_workers(workers)
    warn_workers(local_cluster, "--local-cluster")
    try:
        session = ExperimentSession(spec, out_dir, resume=resume, retry_failed=retry_failed)
    except StoreError as exc:
        fail(str(exc))
    if resume and not session.exists:
        typer.echo(f"Nothing to resume in {out_dir}; starting the experiment.", err=True)

    done, failed, total = len(session.finished), len(session.failed), len(session.runs)
    points = total // (len(spec.scenarios) * len(spec.seeds))
    typer.echo(f"Experiment {spec.name}: {total:,} runs ({count(len(spec.scenarios), 'scenario')} x "
               f"{count(points, 'design point')} x {count(len(spec.seeds), 'seed')})"
               + (f"; {done:,} finished, {failed:,} failed before" if session.exists else ""), err=True)
    if spec.ensemble is not None:
        n_drawn = len(set(spec.drawn_sets().values()))
        typer.echo(f"Parameter uncertainty: each pair of seeds runs one of the {len(spec.ensemble)} parameter sets of "
                   f"{spec.ensemble.source} drawn by weight ({count(n_drawn, 'set')} drawn; the runs table's "
                   "parameter_set column names it), over the whole run, history included.", err=True)
    if session.corrupt:
        typer.echo(f"{len(session.corrupt)} unreadable part(s) (truncated or corrupt) will be redone: "
                   + ", ".join(p.name for p, _ in session.corrupt[:5]) + (" ..." if len(session.corrupt) > 5 else ""),
                   err=True)
    if session.plan_problem is not None:
        typer.echo(f"{out_dir / 'plan.parquet'} {session.plan_problem}; rebuilt from the experiment file.", err=True)
        try:
            session.rebuild_plan()
        except OSError as exc:
            crash(f"cannot rebuild the plan of {out_dir}", exc)
    if not session.todo:
        if failed:
            fail(f"nothing left to run in {out_dir}: {done:,} run(s) of {spec.name} finished and {failed:,} failed; "
                 f"their errors are in {out_dir / 'failures.jsonl'}. Rerun with --retry-failed to redo them.", code=1)
        typer.echo(f"Nothing to do: every run of {spec.name} is finished in {out_dir}.")
        return

    interactive = sys.stdin is not None and sys.stdin.isatty()
    if len(session.todo) > CONFIRM_RUNS and not yes and not interactive:
        fail(f"{len(session.todo):,} runs to do is a large experiment; rerun with --yes to start it "
              "(no terminal to ask for confirmation).")

    executor = make_executor(workers, scheduler, local_cluster, inprocess)
    started = False
    with contextlib.ExitStack() as stack:
        # A batch system's stop (SIGTERM, e.g. at a job's time limit) ends the session like Ctrl-C.
        stack.enter_context(_terminate_as_interrupt())
        try:
            stack.enter_context(executor)
            started = True
            report = _run(session, executor, out_dir, yes, interactive)
        except ExecutorError as exc:
            if not started:  # the executor asked for cannot be used: like bad input
                fail(str(exc))
            fail(f"{exc}; finished runs are kept in {out_dir}: run the same command with --resume to complete "
                  "the experiment.", code=1)
        except KeyboardInterrupt:
            kept = (f"Finished runs are kept in {out_dir}; run the same command with --resume to complete the "
                    "experiment." if (out_dir / "manifest.json").exists() else "Nothing was written.")
            typer.echo(f"\nInterrupted. {kept}", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            crash(f"the experiment stopped ({out_dir})", exc)

    typer.echo(f"{spec.name}: {report.done:,} of {report.total:,} runs finished, {report.failed:,} failed "
               f"({report.new_done:,} new in {report.wall_time_s:.1f} s) -> {out_dir}")
    typer.echo(f"Load the results with: experiments.load({str(out_dir)!r})")
    if report.failed:
        fail(f"{report.failed:,} run(s) failed; their errors and tracebacks are in {out_dir / 'failures.jsonl'}. "
              "Rerun the command with --retry-failed to redo them.", code=1)


@contextlib.contextmanager
def _terminate_as_interrupt():
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(session: Any, executor: Any, out_dir: Path, yes: bool, interactive: bool) -> Any:
    """Pilot, estimate, confirmation, then the runs with a progress bar."""
    pilot = _pilot(session, executor)
    estimate = session.estimate(pilot, executor.parallelism)
    typer.echo(f"To do: {estimate.runs:,} runs on {_executor_text(executor)}; pilot run "
               f"{estimate.pilot_s:.2f} s, estimated {duration(estimate.seconds)} and "
               f"{_size(estimate.bytes)} on disk -> {out_dir}", err=True)
    if estimate.needs_confirmation and not yes:
        if not interactive:
            fail(f"the experiment needs about {duration(estimate.seconds)} for {estimate.runs:,} runs; "
                  "rerun with --yes to start it (no terminal to ask for confirmation).")
        if not typer.confirm("Start?", default=False, err=True):
            typer.echo("Not started; nothing was written.", err=True)
            raise typer.Exit(1)
    spec = session.spec
    with Progress(spec.name, total=len(session.runs), initial=len(session.finished) + len(session.failed)) as bar:
        return session.run(executor, pilot=pilot,
                           progress=lambda done, failed, total: bar.update(done + failed, total, failed))


def _pilot(session: Any, executor: Any) -> Any:
    t0 = time.perf_counter()
    typer.echo("Pilot run to estimate time and disk ...", err=True)
    pilot = session.pilot(executor.parallelism)
    if pilot is not None and not pilot[1].ok:
        error = pilot[1].error or {}
        typer.echo(f"The pilot run failed ({error.get('type')}: {error.get('message')}); it is recorded as a "
                   f"failure ({time.perf_counter() - t0:.1f} s).", err=True)
    return pilot




def _executor_text(executor: Any) -> str:
    if executor.name == "inprocess":
        return "this process"
    if executor.name == "local":
        return f"{executor.parallelism} local worker process{'es' if executor.parallelism > 1 else ''}"
    where = executor.scheduler or "a local Dask cluster"
    threads = executor.parallelism
    return f"{where} ({threads} worker thread{'s' if threads != 1 else ''} now)"



def _size(n_bytes: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n_bytes < 1000:
            return f"{n_bytes:.0f} {unit}"
        n_bytes /= 1000
    return f"{n_bytes:.1f} TB"
