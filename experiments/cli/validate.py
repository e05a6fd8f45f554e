"""``ruralsim validate``: check a scenario against target files over replications (report, pass/fail, score).

Order of work: check the options, the scenario and the target files (every row: its value, its
indicator and its years within the simulated ones), lock ``--out``, run the first replication as a
pilot to estimate the time (asking before more than half an hour, or ``--yes``), then the others.
Exit codes as in :mod:`experiments.cli.console`: bad options, target files or scenario exit 2
before anything runs; a failing model or an unwritable report exits 1 and writes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from experiments.batch.runner import CONFIRM_SECONDS
from experiments.cli.console import (
    Progress,
    check_file_out,
    check_out,
    crash,
    duration,
    fail,
    fail_problems,
    hold_out,
    note,
    warn,
)
from experiments.files import atomic_write, timestamped_dir, write_directory
from experiments.fit.replications import (
    IN_SAMPLE,
    OUT_OF_SAMPLE,
    Pilot,
    known_indicators,
    load_params,
    pilot,
    simulated_years,
    size_overrides,
)
from experiments.fit.targets import TargetError, read_all
from experiments.fit.validate import json_rows, seed_warnings, write_report
from experiments.fit.validate import validate as run_validation
from experiments.i18n import tr
from experiments.tables import format_problems
from scenarios import ScenarioError, parse_set

#: Most replications of one validation (each keeps its annual table in memory).
MAX_SEEDS = 10_000


def validate(scenario: str, targets: list[Path] | None, seeds: int, households: int | None,
             counties: int | None, json_path: Path | None, out: Path | None, *, first_seed: int | None = None,
             years: int | None = None, set_: list[str] | None = None, force: bool = False,
             fmt: str = "csv", yes: bool = False) -> None:
    if not 2 <= seeds <= MAX_SEEDS:
        fail(f"--seeds {seeds}: a validation needs 2 to {MAX_SEEDS:,} replications (20 or more for a real check)")
    for problem in format_problems(fmt):
        fail(problem + ".")
    overrides = parse_overrides(set_)
    out_dir = out if out is not None else timestamped_dir("validate")
    remedy = "use --force to replace it or choose another --out"
    check_out(out_dir, replace=force, remedy=remedy)
    if json_path is not None:
        check_file_out(json_path, "--json")
    params, paths = check_fit_inputs("validate", scenario, targets, households, counties, years, overrides,
                                     default_targets=(IN_SAMPLE, OUT_OF_SAMPLE))
    if years is None:  # simulate no year after the last target's
        needed = target_horizon(params, paths)
        if needed < params.sim.n_years:
            years = needed
            params, paths = check_fit_inputs("validate", scenario, paths, households, counties, years, overrides)
    hold_out(out_dir, "validate", lambda: check_out(out_dir, replace=force, remedy=remedy))
    seed_base = 1 if first_seed is None else first_seed
    first = timed_pilot(params, seeds, f"{seeds:,} replications", yes, seed=seed_base)

    try:
        with Progress("validate", unit="replication", total=seeds, initial=1) as progress:
            result = run_validation(scenario, paths, seeds, households, counties, progress=progress,
                                    seed_base=seed_base, years=years, overrides=overrides, first=first)
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    except Exception as exc:  # the model failed: exit 1
        crash("the validation runs failed", exc)

    def write(directory: Path) -> None:
        write_report(result, directory, fmt.strip().lower())
        if json_path is not None:  # last, inside the report's writing: either both are written or neither
            json_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(json_path, json.dumps(json_rows(result["rows"]), indent=2).encode("utf-8"))

    try:
        write_directory(out_dir, write, replace=force)
    except Exception as exc:
        crash("cannot write the validation report", exc)
    n_pass = sum(r["pass"] for r in result["rows"])
    typer.echo(tr("cli.validate_done", n_pass=n_pass, n=len(result["rows"]), score=result["score"],
                  report=out_dir / "validation.html"))
    for text in seed_warnings(seeds):
        warn(text)


def parse_overrides(set_: list[str] | None) -> dict:
    """The ``--set`` overrides, or fail with every problem."""
    try:
        return parse_set(set_ or [])
    except ScenarioError as exc:
        fail_problems("invalid --set", exc.problems)


def target_horizon(params, paths: list[Path]) -> int:
    """Years from ``sim.first_outcome_year`` up to the last year the target files name (at least 1)."""
    last = max((t.years[1] for t in read_all(paths) if t.years is not None), default=params.sim.end_year)
    return max(1, last - params.sim.first_outcome_year + 1)


def check_fit_inputs(verb: str, scenario: str, targets: list[Path] | None, households: int | None,
                     counties: int | None, years: int | None = None, overrides: dict | None = None,
                     default_targets: tuple[Path, ...] = (IN_SAMPLE,)) -> tuple[object, list[Path]]:
    """The scenario at the size asked (with the ``--set`` overrides), loaded, and the target files
    (default: ``default_targets``, the shipped in-sample ones), read: every row's value, its indicator
    (against a run's tables) and its years (within the simulated ones). Fail with every problem before
    any run (``ruralsim calibrate`` checks its inputs the same way)."""
    if households is not None and households < 100:
        fail(f"--households {households}: allowed 100 or more")
    paths = list(targets) if targets else list(default_targets)
    try:
        params = load_params(scenario, {**(overrides or {}), **size_overrides(households, counties, years)})
    except ScenarioError as exc:
        fail_problems(f"cannot {verb} scenario {scenario!r}", exc.problems)
    try:
        read_all(paths, indicators=known_indicators(params), years=simulated_years(params))
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    return params, paths


def timed_pilot(params: object, runs: int, what: str, yes: bool, seed: int = 1) -> Pilot:
    """One run, timed, to estimate ``runs`` runs of ``params``; above half an hour the user confirms
    (or gave ``--yes``), else nothing more runs. The pilot runs ``seed``, the first replication."""
    try:
        first = pilot(params, seed=seed)
    except Exception as exc:
        crash("the pilot run failed", exc)
    seconds = first.seconds * runs
    note(f"Pilot run {first.seconds:.1f} s: {what} take about {duration(seconds)} here.")
    if seconds > CONFIRM_SECONDS and not yes:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            fail(f"{what} need about {duration(seconds)}; rerun with --yes to start (no terminal to ask for "
                 "confirmation), or ask for fewer.")
        if not typer.confirm("Start?", default=False, err=True):
            note("Not started; nothing was written.")
            raise typer.Exit(1)
    return first
