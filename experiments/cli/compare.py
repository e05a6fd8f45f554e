"""``ruralsim compare``: check everything, run, write the outputs atomically, print the table.

Exit codes as in :mod:`experiments.cli.console`: 2 bad input (nothing runs), 1 when runs failed
(the outputs are still written from the complete pairs) or the comparison could not finish, 130
when interrupted (nothing is written).
"""

from __future__ import annotations

from pathlib import Path

import typer

from experiments.cli.console import (
    Progress,
    check_out,
    crash,
    fail,
    fail_problems,
    hold_out,
    note,
    warn,
    warn_workers,
)
from experiments.compare.comparison import (
    DEFAULT_REPS,
    DEFAULT_SCENARIOS,
    PRECISION_CAP,
    CompareError,
    CompareSettings,
    prepare,
    run_comparison,
)
from experiments.compare.formats import pairing_summary, precision_sentence, text_table
from experiments.compare.outputs import default_out_dir, write_outputs
from experiments.files import write_directory
from experiments.i18n import tr
from experiments.tables import format_problems
from scenarios import ScenarioError, parse_set


def compare(scenarios: list[str] | None, reference: str, reps: int | None, precision: float | None,
            max_reps: int | None, workers: int | None, inprocess: bool, years: int | None,
            households: int | None, counties: int | None, seed_base: int | None, set_: list[str] | None,
            out: Path | None, force: bool = False, fmt: str = "csv", parameter_uncertainty: bool = False,
            ensemble: Path | None = None) -> None:
    problems = format_problems(fmt)
    if problems:
        fail(problems[0] + ".")
    drawn = None
    if parameter_uncertainty or ensemble is not None:
        from experiments.fit.ensemble import SHIPPED_ENSEMBLE, EnsembleError, read_ensemble

        try:
            drawn = read_ensemble(SHIPPED_ENSEMBLE if ensemble is None else ensemble)
        except EnsembleError as exc:
            fail_problems("invalid parameter ensemble", exc.problems)
    try:
        overrides = parse_set(set_ or [])
    except ScenarioError as exc:
        fail("invalid --set: " + "; ".join(exc.problems))
    settings = CompareSettings(scenarios=list(scenarios or DEFAULT_SCENARIOS), reference=reference, reps=reps,
                               precision=precision, max_reps=PRECISION_CAP if max_reps is None else max_reps,
                               households=households, counties=counties, years=years,
                               seed_base=1 if seed_base is None else seed_base, overrides=overrides,
                               workers=workers, inprocess=inprocess, ensemble=drawn)
    try:
        loaded = prepare(settings)
    except CompareError as exc:
        if len(exc.problems) == 1:
            fail(f"cannot compare: {exc.problems[0]}.".replace("..", "."))
        fail_problems(f"cannot compare ({len(exc.problems)} problems)", exc.problems)

    out_dir = out if out is not None else default_out_dir()
    hold_out(out_dir, "compare", lambda: check_out(
        out_dir, replace=force, remedy="use --force to replace it or choose another --out (the default is a new "
                                       "runs/compare-<date>-<time> directory)"))
    warn_workers(workers)
    params = next(iter(loaded.values())).params
    how = (f"{settings.reps or DEFAULT_REPS} replications" if settings.precision is None else
           f"replications until the difference in cumulative relapse share is known to within "
           f"{settings.precision:g} (at most {settings.max_reps})")
    note(f"Comparing {', '.join(settings.scenarios)} against {settings.reference}: {how}, "
         f"{params.population.n_households:,} households in {params.population.n_counties} counties, "
         f"{params.sim.start_year}-{params.sim.end_year}{_history_note(loaded)}, seeds from {settings.seed_base}.")
    if drawn is not None:
        note(f"Parameter uncertainty: each pair of seeds draws one of the {len(drawn)} parameter sets of "
             f"{drawn.source} by weight, the same for every scenario.")

    def run_and_write(tmp: Path):
        with Progress("compare") as bar:
            comparison = run_comparison(settings, loaded, tmp, progress=bar.update, note=bar.write)
        write_outputs(comparison, tmp, fmt.strip().lower())
        return comparison

    try:
        comparison = write_directory(out_dir, run_and_write, replace=force)
    except KeyboardInterrupt:
        note("\nInterrupted; nothing was written.")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        crash("the comparison stopped", exc)

    typer.echo(text_table(comparison))
    pairing = pairing_summary(comparison)
    if pairing:
        typer.echo(f"\n{pairing}")
    if comparison.precision is not None:
        typer.echo(f"\n{precision_sentence(comparison)}")
    typer.echo("\n" + tr("cli.compare_done", n=comparison.n_reps, seconds=comparison.wall_time_s,
                         workers=comparison.workers_text, report=out_dir / "report.html"))
    for text in comparison.warnings:
        warn(text)
    if len(comparison.failures):
        fail(f"{len(comparison.failures)} run(s) failed; their seeds were left out of every scenario so that the "
             f"comparison stays paired. Errors and tracebacks are in {out_dir / 'store'}/*/failures.jsonl.",
             code=1)


def _history_note(loaded: dict) -> str:
    """`` (2017-2020: the history of 'baseline', the same under every path; outcomes from 2021)`` when
    every scenario runs on the baseline, else nothing."""
    from scenarios import BASELINE

    years = {(sc.params.sim.start_year, sc.policy_year) for sc in loaded.values()}
    if len(years) != 1 or next(iter(years))[1] is None:
        return ""
    start, first = next(iter(years))
    return f" ({start}-{first - 1}: the history of {BASELINE!r}, the same under every path; outcomes from {first})"
