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
)
from experiments.files import atomic_write, timestamped_dir, write_directory
from experiments.fit.replications import (
    IN_SAMPLE,
    Pilot,
    known_indicators,
    load_params,
    pilot,
    simulated_years,
    size_overrides,
)
from experiments.fit.targets import TargetError, read_all
from experiments.fit.validate import json_rows, write_report
from experiments.fit.validate import validate as run_validation
from scenarios import ScenarioError

#: Most replications of one validation (each keeps its annual table in memory).
MAX_SEEDS = 10_000


def validate(scenario: str, targets: list[Path] | None, seeds: int, households: int | None,
             counties: int | None, json_path: Path | None, out: Path | None, yes: bool = False) -> None:
    if not 2 <= seeds <= MAX_SEEDS:
        fail(f"--seeds {seeds}: a validation needs 2 to {MAX_SEEDS:,} replications (20 or more for a real check)")
    out_dir = out if out is not None else timestamped_dir("validate")
    check_out(out_dir)
    if json_path is not None:
        check_file_out(json_path, "--json")
    params, paths = check_fit_inputs("validate", scenario, targets, households, counties)
    hold_out(out_dir, "validate", lambda: check_out(out_dir))
    first = timed_pilot(params, seeds, f"{seeds:,} replications", yes)

    try:
        with Progress("validate", unit="replication", total=seeds, initial=1) as progress:
            result = run_validation(scenario, paths, seeds, households, counties, progress=progress, first=first)
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    except Exception as exc:  # the model failed: exit 1
        crash("the validation runs failed", exc)

    def write(directory: Path) -> None:
        write_report(result, directory)
        if json_path is not None:  # last, inside the report's writing: either both are written or neither
            json_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(json_path, json.dumps(json_rows(result["rows"]), indent=2).encode("utf-8"))

    try:
        write_directory(out_dir, write)
    except Exception as exc:
        crash("cannot write the validation report", exc)
    n_pass = sum(r["pass"] for r in result["rows"])
    typer.echo(f"{n_pass} of {len(result['rows'])} targets pass (score {result['score']:.0%}); "
               f"report: {out_dir / 'validation.html'}")


def check_fit_inputs(verb: str, scenario: str, targets: list[Path] | None, households: int | None,
                     counties: int | None) -> tuple[object, list[Path]]:
    """The scenario at the size asked, loaded, and the target files (default: the shipped in-sample
    ones), read: every row's value, its indicator (against a run's tables) and its years (within the
    simulated ones). Fail with every problem before any run (``ruralsim calibrate`` checks its inputs
    the same way)."""
    if households is not None and households < 100:
        fail(f"--households {households}: allowed 100 or more")
    paths = list(targets) if targets else [IN_SAMPLE]
    try:
        params = load_params(scenario, size_overrides(households, counties, None))
    except ScenarioError as exc:
        fail_problems(f"cannot {verb} scenario {scenario!r}", exc.problems)
    try:
        read_all(paths, indicators=known_indicators(params), years=simulated_years(params))
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    return params, paths


def timed_pilot(params: object, runs: int, what: str, yes: bool) -> Pilot:
    """One run, timed, to estimate ``runs`` runs of ``params``; above half an hour the user confirms
    (or gave ``--yes``), else nothing more runs. The pilot is seed 1, the first replication."""
    try:
        first = pilot(params, seed=1)
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
