"""``ruralsim validate``: check a scenario against target files over replications (report, pass/fail, score).

Exit codes as in :mod:`experiments.cli.console`: bad options, target files or scenario exit 2
before anything runs; a failing model or an unwritable report exits 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from experiments.cli.console import Progress, check_file_out, check_out, crash, fail, fail_problems, hold_out
from experiments.files import atomic_write, timestamped_dir, write_directory
from experiments.fit.replications import IN_SAMPLE, load_params, size_overrides
from experiments.fit.targets import TargetError, read_all
from experiments.fit.validate import json_rows, write_report
from experiments.fit.validate import validate as run_validation
from scenarios import ScenarioError


def validate(scenario: str, targets: list[Path] | None, seeds: int, households: int | None,
             counties: int | None, json_path: Path | None, out: Path | None) -> None:
    if seeds < 2:
        fail(f"--seeds {seeds}: a validation needs at least 2 replications (20 or more for a real check)")
    out_dir = out if out is not None else timestamped_dir("validate")
    check_out(out_dir)
    if json_path is not None:
        check_file_out(json_path, "--json")
    paths = check_fit_inputs("validate", scenario, targets, households, counties)
    hold_out(out_dir, "validate", lambda: check_out(out_dir))

    try:
        with Progress("validate", unit="replication", total=seeds) as progress:
            result = run_validation(scenario, paths, seeds, households, counties, progress=progress)
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    except Exception as exc:  # the model failed: exit 1
        crash("the validation runs failed", exc)
    try:
        write_directory(out_dir, lambda d: write_report(result, d))
        if json_path is not None:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(json_path, json.dumps(json_rows(result["rows"]), indent=2).encode("utf-8"))
    except Exception as exc:
        crash("cannot write the validation report", exc)
    n_pass = sum(r["pass"] for r in result["rows"])
    typer.echo(f"{n_pass} of {len(result['rows'])} targets pass (score {result['score']:.0%}); "
               f"report: {out_dir / 'validation.html'}")


def check_fit_inputs(verb: str, scenario: str, targets: list[Path] | None, households: int | None,
                     counties: int | None) -> list[Path]:
    """The target files (default: the shipped in-sample ones), read, and the scenario at the size asked, loaded:
    fail with every problem before any run (``ruralsim calibrate`` checks its inputs the same way)."""
    if households is not None and households < 100:
        fail(f"--households {households}: allowed 100 or more")
    paths = list(targets) if targets else [IN_SAMPLE]
    try:
        read_all(paths)
        load_params(scenario, size_overrides(households, counties, None))
    except TargetError as exc:
        fail_problems("invalid target file(s)", exc.problems)
    except ScenarioError as exc:
        fail_problems(f"cannot {verb} scenario {scenario!r}", exc.problems)
    return paths
