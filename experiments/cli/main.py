"""The ``ruralsim`` command line: the Typer app, its options and help, and nothing else.

Each command's work lives in its own module of this package, imported only when the command runs,
so that ``ruralsim --help``, ``check`` and ``scenarios`` start without the model's libraries:

- ``ruralsim scenarios`` and ``ruralsim check FILE...`` (:mod:`experiments.cli.scenarios`);
- ``ruralsim run SCENARIO|FILE``: one run's tables, ``summary.json`` and figures (:mod:`experiments.cli.run`);
- ``ruralsim bench``: speed and memory next to the hardware floor (:mod:`experiments.cli.bench`);
- ``ruralsim odd``: the ODD's parameter table (:mod:`experiments.cli.odd`);
- ``ruralsim experiment FILE``: a batch experiment into a result store (:mod:`experiments.cli.experiment`);
- ``ruralsim compare SCENARIO...``: policy paths on common random numbers (:mod:`experiments.cli.compare`);
- ``ruralsim sensitivity PROBLEM``: global sensitivity analysis (:mod:`experiments.cli.sensitivity`);
- ``ruralsim discover PROBLEM``: scenario discovery with PRIM (:mod:`experiments.cli.discover`);
- ``ruralsim app``: the classroom app (:mod:`experiments.cli.app`);
- ``ruralsim validate`` and ``ruralsim calibrate``: the fit to target files (:mod:`experiments.cli.validate`,
  :mod:`experiments.cli.calibrate`).

Exit codes (see :mod:`experiments.cli.console`): 0 success; 2 bad input, reported as one paragraph
starting with ``error:`` on stderr and no traceback; 1 when the model or the writing of results
fails (set ``RURALSIM_DEBUG=1`` to see the traceback); 130 when interrupted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="ruralsim",
    help="Agent-based simulation of rural household income and relapse into poverty after 2020.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


# Options that several commands share: one name, help text and default everywhere.
Workers = Annotated[int | None, typer.Option(help="Local worker processes (default: all CPUs).", show_default=False)]
Scheduler = Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.", show_default=False)]
InProcess = Annotated[bool, typer.Option("--in-process", help="Run in this process (debugging).")]
RetryFailed = Annotated[bool, typer.Option(help="Resume and also redo the failed runs.")]
ResumeStudy = Annotated[bool, typer.Option(help="Complete an interrupted study in --out.")]
PointReps = Annotated[int | None, typer.Option(help="Replications per point, paired seeds (default: the problem's).",
                                           show_default=False)]
BaseScenario = Annotated[str | None, typer.Option(help="Scenario every run starts from (default: the problem's).",
                                              show_default=False)]
RunHouseholds = Annotated[int | None, typer.Option(help="Households per run.", show_default=False)]
RunCounties = Annotated[int | None, typer.Option(help="Counties per run.", show_default=False)]
RunYears = Annotated[int | None, typer.Option(help="Simulated years per run.", show_default=False)]
ProblemFile = Annotated[str, typer.Argument(help="Problem file, or a shipped name such as 'relapse_risk'.",
                                          show_default=False)]


def main() -> None:
    """Entry point of the ``ruralsim`` console script."""
    app()


@app.callback()
def session(ctx: typer.Context) -> None:
    """Around every command: the environment is checked first, and the output directories the
    command locked are released when it ends, however it ends."""
    from experiments.cli.console import check_environment, release_outputs

    ctx.call_on_close(release_outputs)
    check_environment()


@app.command("scenarios")
def scenarios_command() -> None:
    """List the shipped scenarios with their descriptions."""
    from experiments.cli.scenarios import list_command

    list_command()


@app.command("check")
def check_command(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files (or shipped names).",
                                                show_default=False)],
) -> None:
    """Validate scenario files: OK per valid file, every problem of the others; exit 2 if any."""
    from experiments.cli.scenarios import check

    check(files)


@app.command("run")
def run_command(
    scenario: Annotated[str, typer.Argument(
        help="Scenario name (see 'ruralsim scenarios'), overlay 'a+b', or path to a YAML file.",
        show_default=False)],
    seed: Annotated[int, typer.Option(help="Random seed (common random numbers across "
                                           "scenarios with the same seed).")] = 1,
    years: Annotated[int | None, typer.Option(help="Simulated years (sim.n_years).",
                                              show_default=False)] = None,
    households: Annotated[int | None, typer.Option(
        help="Simulated households (population.n_households).", show_default=False)] = None,
    counties: Annotated[int | None, typer.Option(help="Counties (population.n_counties).",
                                                 show_default=False)] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="KEY=VALUE", show_default=False,
        help="Override a parameter by dotted path; the value is YAML, e.g. "
             "--set 'policy.assistance.industrial.intensity={2021: 1, 2024: 0}'. Repeatable.",
    )] = None,
    out: Annotated[Path | None, typer.Option(
        help="Output directory (default: runs/<scenario>-seed<N>).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", help="Table format: parquet or csv.")] = "parquet",
    force: Annotated[bool, typer.Option(help="Replace a non-empty output directory.")] = False,
) -> None:
    """Run one scenario and write tables, summary.json and PNG figures to an output directory."""
    from experiments.cli.run import run

    run(scenario, seed, years, households, counties, set_, out, fmt, force)


@app.command("experiment")
def experiment_command(
    file: Annotated[str, typer.Argument(help="Experiment YAML file, or a shipped name such as 'smoke'.",
                                        show_default=False)],
    workers: Workers = None,
    scheduler: Scheduler = None,
    local_cluster: Annotated[int | None, typer.Option(help="Start a local Dask cluster of N workers.",
                                                      show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(help="Result directory (default: runs/<name>).",
                                             show_default=False)] = None,
    resume: Annotated[bool, typer.Option(help="Complete an interrupted experiment in --out.")] = False,
    retry_failed: RetryFailed = False,
    yes: Annotated[bool, typer.Option("--yes", help="Start a large experiment without asking.")] = False,
    inprocess: InProcess = False,
) -> None:
    """Run a batch experiment (scenarios x parameters x seeds) into a resumable result store."""
    from experiments.cli.experiment import experiment

    experiment(file, workers, scheduler, local_cluster, out, resume, retry_failed, yes, inprocess)


@app.command("bench")
def bench_command(
    sizes: Annotated[str, typer.Option(help="Household counts, comma separated (k and M suffixes allowed).")]
    = "10000,100000,1000000",
    years: Annotated[int, typer.Option(min=1, max=40, help="Simulated years per run.")] = 2,
    reps: Annotated[int, typer.Option(min=1, max=100, help="Repetitions per size.")] = 3,
    threads: Annotated[int, typer.Option(min=1, max=256, help="Compiled threads.")] = 1,
    scenario: Annotated[str, typer.Option(help="Scenario to run.")] = "transition",
    counties: Annotated[int | None, typer.Option(min=1, help="Counties (default: the scenario's).",
                                                 show_default=False)] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Also write the rows as JSON.",
                                                   show_default=False)] = None,
    startup: Annotated[bool, typer.Option(help="Also measure start-up (import and build 100,000 "
                                          "households) and the default run, in fresh processes.")] = True,
) -> None:
    """Measure speed and memory of the full model, with the hardware floor and start-up beside it."""
    from experiments.cli.bench import bench

    bench(sizes, years, reps, threads, scenario, counties, json_file, startup)


@app.command("odd")
def odd_command(
    check: Annotated[bool, typer.Option("--check", help="Only check; exit 1 when docs/ODD.md is out of date.")]
    = False,
) -> None:
    """Regenerate the parameter table of docs/ODD.md from Params (or, with --check, verify it)."""
    from experiments.cli.odd import odd

    odd(check)


@app.command("compare")
def compare_command(
    scenarios: Annotated[list[str] | None, typer.Argument(
        help="Scenarios or overlays 'a+b' (default: transition continuation gradual_phaseout abrupt_withdrawal).",
        show_default=False)] = None,
    reference: Annotated[str, typer.Option(help="Scenario the others are compared with.")] = "transition",
    reps: Annotated[int | None, typer.Option(help="Replications (paired seeds) per scenario (default: 20).",
                                             show_default=False)] = None,
    precision: Annotated[float | None, typer.Option(
        help="Add replications until the 95% half-width of every paired difference in relapse_cum_share is "
             "below this share (e.g. 0.005).", show_default=False)] = None,
    max_reps: Annotated[int, typer.Option(help="Cap on replications with --precision.")] = 200,
    workers: Workers = None,
    inprocess: InProcess = False,
    years: Annotated[int | None, typer.Option(help="Simulated years (sim.n_years) (default: 10).",
                                              show_default=False)] = None,
    households: Annotated[int | None, typer.Option(
        help="Simulated households (population.n_households) (default: 100,000).", show_default=False)] = None,
    counties: Annotated[int | None, typer.Option(help="Counties (population.n_counties) (default: 20).",
                                                 show_default=False)] = None,
    seed_base: Annotated[int, typer.Option(help="First seed; replication i uses seed-base + i - 1.")] = 1,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="KEY=VALUE", show_default=False,
        help="Override a parameter of every scenario by dotted path (value is YAML). Repeatable.")] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/compare-<date>-<time>).",
                                             show_default=False)] = None,
) -> None:
    """Compare policy paths on common random numbers: intervals, paired differences, figures, report.html."""
    from experiments.cli.compare import compare

    compare(scenarios, reference, reps, precision, max_reps, workers, inprocess, years, households, counties,
            seed_base, set_, out)


@app.command("sensitivity")
def sensitivity_command(
    problem: ProblemFile,
    method: Annotated[str, typer.Option(help="sobol, morris or delta.")] = "sobol",
    n: Annotated[int | None, typer.Option(help="Base sample size (Sobol' base rows, a power of 2; Morris trajectories; "
                                               "delta points) (default: the problem's).", show_default=False)] = None,
    reps: PointReps = None,
    base: BaseScenario = None,
    households: RunHouseholds = None,
    counties: RunCounties = None,
    years: RunYears = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    inprocess: InProcess = False,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/sensitivity-<problem>-<method>).",
                                             show_default=False)] = None,
    resume: ResumeStudy = False,
    retry_failed: RetryFailed = False,
    seed: Annotated[int, typer.Option(help="Seed of the sample design and the bootstrap.")] = 1,
) -> None:
    """Global sensitivity analysis: indices with intervals, noise share, convergence, report.html."""
    from experiments.cli.sensitivity import sensitivity

    sensitivity(problem, method, n, reps, base, households, counties, years, workers, scheduler, inprocess, out,
                resume, retry_failed, seed)


@app.command("discover")
def discover_command(
    problem: ProblemFile,
    n: Annotated[int | None, typer.Option(help="Latin-hypercube points (default: the problem's).",
                                          show_default=False)] = None,
    reps: PointReps = None,
    base: BaseScenario = None,
    households: RunHouseholds = None,
    counties: RunCounties = None,
    years: RunYears = None,
    threshold: Annotated[float | None, typer.Option(
        help="County relapse rate that makes a county-year large-scale (default: the base scenario's).",
        show_default=False)] = None,
    min_coverage: Annotated[float, typer.Option(help="Smallest coverage of the chosen box.")] = 0.5,
    workers: Workers = None,
    scheduler: Scheduler = None,
    inprocess: InProcess = False,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/discover-<problem>).",
                                             show_default=False)] = None,
    resume: ResumeStudy = False,
    retry_failed: RetryFailed = False,
    seed: Annotated[int, typer.Option(help="Seed of the Latin hypercube.")] = 1,
) -> None:
    """Scenario discovery: the conditions (PRIM boxes) under which large-scale relapse happens."""
    from experiments.cli.discover import discover

    discover(problem, n, reps, base, households, counties, years, threshold, min_coverage, workers, scheduler,
             inprocess, out, resume, retry_failed, seed)


@app.command("app")
def app_command(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    households: Annotated[int, typer.Option(help="Default simulated households of each of the two provinces.")]
    = 100_000,
) -> None:
    """Serve the classroom app: two policies in lockstep, live charts, "withdraw support now"."""
    from experiments.cli.app import app_command as serve_app

    serve_app(host, port, households)


@app.command("validate")
def validate_command(
    scenario: Annotated[str, typer.Option(help="Scenario to validate.")] = "historical",
    targets: Annotated[list[Path] | None, typer.Option(
        help="Target CSV (id, indicator, year, value, tolerance, unit, source, note). Repeatable "
             " (default: the shipped in-sample targets).", show_default=False)] = None,
    seeds: Annotated[int, typer.Option(help="Replications (seeds 1..N).")] = 20,
    households: Annotated[int | None, typer.Option(
        help="Simulated households (population.n_households) (default: 20,000).", show_default=False)] = 20_000,
    counties: Annotated[int | None, typer.Option(help="Counties (population.n_counties) (default: the scenario's).",
                                                 show_default=False)] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write the rows as a JSON list to this file.",
                                                   show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/validate-<date>-<time>).",
                                             show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Start a long validation without asking.")] = False,
) -> None:
    """Check a scenario against target files over replications: report with pass/fail and a score."""
    from experiments.cli.validate import validate

    validate(scenario, targets, seeds, households, counties, json_path, out, yes)


@app.command("calibrate")
def calibrate_command(
    budget: Annotated[int, typer.Option(help="Candidates evaluated by differential evolution (at most).")] = 60,
    seeds: Annotated[int, typer.Option(help="Replications per candidate (the same seeds for every candidate).")] = 4,
    households: Annotated[int | None, typer.Option(help="Simulated households (default: 10,000).",
                                                   show_default=False)] = 10_000,
    counties: Annotated[int | None, typer.Option(help="Counties (default: 10).", show_default=False)] = 10,
    scenario: Annotated[str, typer.Option(help="Scenario whose free parameters are fitted.")] = "historical",
    targets: Annotated[list[Path] | None, typer.Option(
        help="Target CSV files (fittable rows: levels and intervals with a tolerance) (default: in-sample).",
        show_default=False)] = None,
    seed: Annotated[int, typer.Option(help="Seed of the optimiser.")] = 1,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/calibrate-<date>-<time>).",
                                             show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Start a long calibration without asking.")] = False,
) -> None:
    """Fit the historical run's free parameters to the 2017-2020 targets; scenario file, fit report, plots."""
    from experiments.cli.calibrate import calibrate

    calibrate(scenario, targets, budget, seeds, households, counties, seed, out, yes)
