"""The ``ruralsim`` command line: the Typer app, its options and help, and nothing else.

Each command's work lives in its own module of this package, imported only when the command runs,
so that ``ruralsim --help``, ``check`` and ``scenarios`` start without the model's libraries.
Commands are listed in the order a newcomer needs them:

- ``ruralsim compare SCENARIO...``: policy paths on common random numbers, the main job
  (:mod:`experiments.cli.compare`);
- ``ruralsim scenarios`` and ``ruralsim check FILE...`` (:mod:`experiments.cli.scenarios`);
- ``ruralsim outputs [NAME]``: the glossary of outputs, levers and terms (:mod:`experiments.cli.outputs`);
- ``ruralsim run SCENARIO|FILE``: one run's tables, ``summary.json`` and figures (:mod:`experiments.cli.run`);
- ``ruralsim app``: the classroom app (:mod:`experiments.cli.app`);
- ``ruralsim experiment FILE``: a batch experiment into a result store (:mod:`experiments.cli.experiment`);
- ``ruralsim sensitivity PROBLEM``: global sensitivity analysis (:mod:`experiments.cli.sensitivity`);
- ``ruralsim discover PROBLEM``: scenario discovery with PRIM (:mod:`experiments.cli.discover`);
- ``ruralsim validate`` and ``ruralsim calibrate``: the fit to target files (:mod:`experiments.cli.validate`,
  :mod:`experiments.cli.calibrate`);
- ``ruralsim bench``: speed and memory next to the hardware floor (:mod:`experiments.cli.bench`);
- ``ruralsim odd``: the ODD's parameter table (:mod:`experiments.cli.odd`);
- ``ruralsim schemas``: the JSON Schemas of the input files (:mod:`experiments.cli.schemas`).

Every command that runs the model takes the shared options of :mod:`experiments.cli.options`
(``--seed`` or ``--seeds N`` with ``--first-seed``, ``--households``, ``--counties``, ``--years``,
``--set``, ``--workers``, ``--out``, ``--force``, ``--format``, and ``--yes`` where a command asks
before a long job), with the same names, help texts
and, where the meaning is the same, defaults; where a default differs, the help says why. Every
command that prints, reports or draws words takes ``--lang zh|en`` from the same module: the
language of its summaries, reports and figures (without it ``RURALSIM_LANG``, else the locale;
:mod:`experiments.i18n`).

Exit codes (see :mod:`experiments.cli.console`): 0 success; 2 bad input, usage errors included,
reported as one paragraph starting with ``error:`` on stderr and no traceback; 1 when the model or
the writing of results fails (set ``RURALSIM_DEBUG=1`` to see the traceback); 130 when interrupted.
"""

from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import options as o
from experiments.cli.console import error_style_group


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"ruralsim {version('ruralsim')}")
        except PackageNotFoundError:
            typer.echo("ruralsim (not installed: run it from a clone with 'uv run ruralsim')")
        raise typer.Exit()


app = typer.Typer(
    name="ruralsim",
    cls=error_style_group(),
    help="Agent-based simulation of rural household income and relapse into poverty after 2020. "
         "Start with 'ruralsim compare' (four policy paths on the same random histories) or 'ruralsim scenarios'.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Agent-based simulation of rural household income and relapse into poverty after 2020."""
    # Around every command: the environment is checked first, and the output directories the
    # command locked are released when it ends, however it ends.
    from experiments.cli.console import check_environment, release_outputs

    ctx.call_on_close(release_outputs)
    check_environment()


# Options that some commands share beyond the grammar of experiments.cli.options.
Scheduler = Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.", show_default=False)]
InProcess = Annotated[bool, typer.Option("--in-process", help="Run in this process (debugging).")]
RetryFailed = Annotated[bool, typer.Option(help="Resume and also redo the failed runs.")]
ResumeStudy = Annotated[bool, typer.Option(help="Complete an interrupted study in --out.")]
BaseScenario = Annotated[str | None, typer.Option(help="Scenario every run starts from (default: the problem's).",
                                              show_default=False)]
ProblemFile = Annotated[str, typer.Argument(help="Problem file, or a shipped name such as 'relapse_risk'.",
                                          show_default=False)]
TargetFiles = Annotated[list[Path] | None, typer.Option(
    "--targets", help="Target CSV (id, indicator, year, value, tolerance, unit, source, note). Repeatable "
                      "(default: the shipped in-sample targets).", show_default=False)]

# The shared options with each command's default; where defaults differ, the reason is in the text.
ScenarioSize = "the scenario's (100,000)"
Workers = o.workers()
SetValues = o.set_values()
Force = o.force()
Lang = o.lang()
FirstSeed = o.first_seed()
StudySeeds = o.seeds("the problem file's (paired seeds: every point meets the same histories)")
StudyHouseholds = o.households("the problem file's; sample points are many, so problems use smaller provinces")
StudyCounties = o.counties("the problem file's")
StudyYears = o.years("the problem file's")
StudyFormat = o.table_format("csv")
OldReps = o.renamed("--reps")
OldSeedBase = o.renamed("--seed-base")
OldMaxReps = o.renamed("--max-reps")
OldSeed = o.meaning_changed("--seed")


def main() -> None:
    """Entry point of the ``ruralsim`` console script."""
    app()


# --------------------------------------------------------------------------------------------
# The main job
# --------------------------------------------------------------------------------------------


@app.command("compare")
def compare_command(
    scenarios: Annotated[list[str] | None, typer.Argument(
        help="Scenarios or overlays 'a+b' (default: transition continuation gradual_phaseout abrupt_withdrawal).",
        show_default=False)] = None,
    reference: Annotated[str, typer.Option(help="Scenario the others are compared with.")] = "transition",
    seeds: o.seeds("20 (about a minute per scenario on 2 cores; intervals need 10 or more)") = None,
    first_seed: FirstSeed = None,
    precision: Annotated[float | None, typer.Option(
        help="Add replications until the 95% half-width of every paired difference in relapse_cum_share is "
             "below this share (e.g. 0.005); instead of --seeds.", show_default=False)] = None,
    max_seeds: Annotated[int | None, typer.Option(
        "--max-seeds", help="Cap on replications with --precision. Default: 200.", show_default=False)] = None,
    households: o.households(ScenarioSize + ", so that county relapse rates are not inflated by small "
                             "simulated counties") = None,
    counties: o.counties("the scenario's (20)") = None,
    years: o.years("the scenario's (10)") = None,
    set_: SetValues = None,
    workers: Workers = None,
    inprocess: InProcess = False,
    out: o.out("a new runs/compare-<date>-<time>") = None,
    force: Force = False,
    fmt: o.table_format("csv (small tables, for spreadsheets)") = "csv",
    parameter_uncertainty: Annotated[bool, typer.Option(
        "--parameter-uncertainty", help="Each replication draws one parameter set of the fitted ensemble (the "
        "same for every scenario) and the report splits the spread into parameter uncertainty and chance.")] = False,
    ensemble: Annotated[Path | None, typer.Option(
        help="Ensemble file for --parameter-uncertainty (implies it). Default: scenarios/baseline_ensemble.csv.",
        show_default=False)] = None,
    lang: Lang = None,
    reps: OldReps = None,
    seed_base: OldSeedBase = None,
    max_reps: OldMaxReps = None,
) -> None:
    """Compare policy paths on common random numbers: intervals, paired differences, figures, report.html."""
    from experiments.cli.compare import compare

    seeds = o.take_renamed(seeds, reps, "--reps")
    first_seed = o.take_renamed(first_seed, seed_base, "--seed-base")
    o.check_seeds(first_seed=first_seed)
    max_seeds = o.take_renamed(max_seeds, max_reps, "--max-reps")
    compare(scenarios, reference, seeds, precision, max_seeds, workers, inprocess, years, households, counties,
            first_seed, set_, out, force, fmt, parameter_uncertainty, ensemble)


# --------------------------------------------------------------------------------------------
# Scenarios and single runs
# --------------------------------------------------------------------------------------------


@app.command("scenarios")
def scenarios_command(lang: Lang = None) -> None:
    """List the shipped scenarios with their descriptions."""
    from experiments.cli.scenarios import list_command

    list_command()


@app.command("outputs")
def outputs_command(
    name: Annotated[str | None, typer.Argument(
        help="An output (summary key or table column), a lever's dotted path or a term; none: list them all.",
        show_default=False)] = None,
    lang: Lang = None,
) -> None:
    """The glossary: every output and policy lever with its unit, Chinese name and meaning."""
    from experiments.cli.outputs import outputs

    outputs(name)


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
    seed: o.seed("1") = 1,
    households: o.households(ScenarioSize) = None,
    counties: o.counties("the scenario's (20)") = None,
    years: o.years("the scenario's (10)") = None,
    set_: SetValues = None,
    out: o.out("runs/<scenario>-seed<N>") = None,
    force: Force = False,
    fmt: o.table_format("parquet (the monthly table is large)") = "parquet",
    lang: Lang = None,
) -> None:
    """Run one scenario and write tables, summary.json and PNG figures to an output directory."""
    from experiments.cli.run import run

    run(scenario, seed, years, households, counties, set_, out, fmt, force)


@app.command("app")
def app_command(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    households: o.households("100,000, as the scenarios; each of the two provinces is this size") = None,
    lang: Lang = None,
) -> None:
    """Serve the classroom app: two policies in lockstep, live charts, "withdraw support now"."""
    from experiments.cli.app import app_command as serve_app

    serve_app(host, port, 100_000 if households is None else households)


# --------------------------------------------------------------------------------------------
# Research
# --------------------------------------------------------------------------------------------


@app.command("experiment")
def experiment_command(
    file: Annotated[str, typer.Argument(help="Experiment YAML file, or a shipped name such as 'smoke'.",
                                        show_default=False)],
    seeds: o.seeds("the file's seeds") = None,
    first_seed: o.first_seed("the file's first_seed, else 1") = None,
    households: o.households("the file's, else the scenarios'") = None,
    counties: o.counties("the file's, else the scenarios'") = None,
    years: o.years("the file's, else the scenarios'") = None,
    set_: SetValues = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    local_cluster: Annotated[int | None, typer.Option(help="Start a local Dask cluster of N workers.",
                                                      show_default=False)] = None,
    inprocess: InProcess = False,
    out: o.out("runs/<name>") = None,
    force: Force = False,
    resume: Annotated[bool, typer.Option(help="Complete an interrupted experiment in --out.")] = False,
    retry_failed: RetryFailed = False,
    yes: o.yes("more than 500 runs, or more than half an hour as a pilot run estimates it") = False,
    parameter_uncertainty: Annotated[bool, typer.Option(
        "--parameter-uncertainty", help="Each pair of seeds runs one parameter set drawn from the fitted ensemble "
        "(the same for every design point and scenario of the seed; the runs table's parameter_set column names "
        "it), as the file's 'parameter_uncertainty: true' does.")] = False,
    ensemble: Annotated[Path | None, typer.Option(
        help="Ensemble file for --parameter-uncertainty (implies it). Default: the file's, else "
        "scenarios/baseline_ensemble.csv.", show_default=False)] = None,
) -> None:
    """Run a batch experiment (scenarios x parameters x seeds) into a resumable result store (Parquet parts)."""
    from experiments.cli.experiment import experiment

    o.check_seeds(first_seed=first_seed)
    # a file given here is relative to the working directory (the experiment file's own key is relative to it)
    drawn = str(ensemble.expanduser().absolute()) if ensemble is not None else (True if parameter_uncertainty else None)
    experiment(file, workers, scheduler, local_cluster, out, resume, retry_failed, yes, inprocess,
               seeds=seeds, first_seed=first_seed, households=households, counties=counties, years=years,
               set_=set_, force=force, parameter_uncertainty=drawn)


@app.command("sensitivity")
def sensitivity_command(
    problem: ProblemFile,
    method: Annotated[str, typer.Option(help="sobol, morris or delta.")] = "sobol",
    n: Annotated[int | None, typer.Option(help="Base sample size (Sobol' base rows, a power of 2; Morris trajectories; "
                                               "delta points) (default: the problem's).", show_default=False)] = None,
    seeds: StudySeeds = None,
    first_seed: FirstSeed = None,
    design_seed: o.design_seed("the sample design and the bootstrap") = 1,
    base: BaseScenario = None,
    households: StudyHouseholds = None,
    counties: StudyCounties = None,
    years: StudyYears = None,
    set_: SetValues = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    inprocess: InProcess = False,
    out: o.out("runs/sensitivity-<problem>-<method>") = None,
    force: Force = False,
    fmt: StudyFormat = "csv",
    resume: ResumeStudy = False,
    retry_failed: RetryFailed = False,
    lang: Lang = None,
    reps: OldReps = None,
    old_seed: OldSeed = None,
) -> None:
    """Global sensitivity analysis: indices with intervals, noise share, convergence, report.html."""
    from experiments.cli.sensitivity import sensitivity

    o.refuse_changed(old_seed, "--seed")
    seeds = o.take_renamed(seeds, reps, "--reps")
    o.check_seeds(first_seed=first_seed, design_seed=design_seed)
    sensitivity(problem, method, n, seeds, base, households, counties, years, workers, scheduler, inprocess, out,
                resume, retry_failed, design_seed, first_seed=first_seed, set_=set_, force=force, fmt=fmt)


@app.command("discover")
def discover_command(
    problem: ProblemFile,
    n: Annotated[int | None, typer.Option(help="Latin-hypercube points (default: the problem's).",
                                          show_default=False)] = None,
    seeds: StudySeeds = None,
    first_seed: FirstSeed = None,
    design_seed: o.design_seed("the Latin hypercube") = 1,
    base: BaseScenario = None,
    households: StudyHouseholds = None,
    counties: StudyCounties = None,
    years: StudyYears = None,
    set_: SetValues = None,
    threshold: Annotated[float | None, typer.Option(
        help="County relapse rate that makes a county-year large-scale: 0.01 to 0.10 in whole percents "
             "(default: the base scenario's).",
        show_default=False)] = None,
    min_coverage: Annotated[float, typer.Option(help="Smallest coverage of the chosen box.")] = 0.5,
    workers: Workers = None,
    scheduler: Scheduler = None,
    inprocess: InProcess = False,
    out: o.out("runs/discover-<problem>") = None,
    force: Force = False,
    fmt: StudyFormat = "csv",
    resume: ResumeStudy = False,
    retry_failed: RetryFailed = False,
    lang: Lang = None,
    reps: OldReps = None,
    old_seed: OldSeed = None,
) -> None:
    """Scenario discovery: the conditions (PRIM boxes) under which large-scale relapse happens."""
    from experiments.cli.discover import discover

    o.refuse_changed(old_seed, "--seed")
    seeds = o.take_renamed(seeds, reps, "--reps")
    o.check_seeds(first_seed=first_seed, design_seed=design_seed)
    discover(problem, n, seeds, base, households, counties, years, threshold, min_coverage, workers, scheduler,
             inprocess, out, resume, retry_failed, design_seed, first_seed=first_seed, set_=set_, force=force,
             fmt=fmt)


@app.command("validate")
def validate_command(
    scenario: Annotated[str, typer.Option(help="Scenario to validate (default: the baseline of every policy "
                                                "scenario, the calibrated history).")] = "baseline",
    targets: TargetFiles = None,
    seeds: o.seeds("20 (the 90% interval over replications needs 20 or more)") = None,
    first_seed: FirstSeed = None,
    households: o.households("20,000 (a smaller province than the scenario's 100,000 keeps 20 replications of "
                             "the years up to the last target's, 2017-2023 by default, to a few minutes; the targets "
                             "are province-wide rates)") = None,
    counties: o.counties("the scenario's") = None,
    years: o.years("up to the last year of the targets") = None,
    set_: SetValues = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write the rows as a JSON list to this file.",
                                                   show_default=False)] = None,
    out: o.out("a new runs/validate-<date>-<time>") = None,
    force: Force = False,
    fmt: o.table_format("csv") = "csv",
    yes: o.yes("more than half an hour, as the first replication (a timed pilot) estimates it") = False,
    lang: Lang = None,
) -> None:
    """Check a scenario against target files over replications: report with pass/fail and a score."""
    from experiments.cli.validate import validate

    o.check_seeds(first_seed=first_seed)
    validate(scenario, targets, 20 if seeds is None else seeds, 20_000 if households is None else households,
             counties, json_path, out, first_seed=first_seed, years=years, set_=set_, force=force, fmt=fmt,
             yes=yes)


@app.command("calibrate")
def calibrate_command(
    method: Annotated[str, typer.Option(help="de: one best point by differential evolution; abc: an ensemble of "
                                             "parameter sets by ABC-SMC (ensemble.csv).")] = "de",
    budget: Annotated[int | None, typer.Option(help="Candidates evaluated (at most). Default: 60 (de), 1,500 "
                                                    "(abc).", show_default=False)] = None,
    population: Annotated[int, typer.Option(help="abc: particles a generation (the ensemble's size).")] = 100,
    generations: Annotated[int, typer.Option(help="abc: generations at most.")] = 5,
    seeds: o.seeds("4 (de), 2 (abc) (every candidate runs all of them: --budget x --seeds runs in all)") = None,
    first_seed: FirstSeed = None,
    design_seed: o.design_seed("the optimiser's choices of candidates") = 1,
    households: o.households("10,000 (de), 5,000 (abc) (each candidate runs --seeds replications; a smaller "
                             "province than validate's keeps the search to minutes)") = None,
    counties: o.counties("10 (with 10,000 households, 1,000 a county as in validate)") = None,
    set_: SetValues = None,
    scenario: Annotated[str, typer.Option(help="Scenario whose free parameters are fitted.")] = "historical",
    targets: TargetFiles = None,
    out: o.out("a new runs/calibrate-<date>-<time>") = None,
    force: Force = False,
    yes: o.yes("more than half an hour for --budget x --seeds runs, as a timed pilot run estimates it") = False,
    lang: Lang = None,
    old_seed: OldSeed = None,
) -> None:
    """Fit the historical run's free parameters to the 2017-2020 targets: scenario file, fit report, plots."""
    from experiments.cli.calibrate import calibrate

    o.refuse_changed(old_seed, "--seed")
    o.check_seeds(first_seed=first_seed, design_seed=design_seed)
    abc = method.strip().lower() == "abc"
    default_budget, default_seeds, default_households = (1_500, 2, 5_000) if abc else (60, 4, 10_000)
    calibrate(scenario, targets, default_budget if budget is None else budget,
              default_seeds if seeds is None else seeds, default_households if households is None else households,
              10 if counties is None else counties, design_seed, out, first_seed=first_seed, set_=set_, force=force,
              yes=yes, method=method, population=population, generations=generations)


# --------------------------------------------------------------------------------------------
# Project maintenance
# --------------------------------------------------------------------------------------------


@app.command("bench")
def bench_command(
    sizes: Annotated[str, typer.Option(help="Household counts, comma separated (k and M suffixes allowed); "
                                            "the bench's --households.")] = "10000,100000,1000000",
    years: o.years("2 (enough months to time, few enough to repeat)") = None,
    repeat: Annotated[int | None, typer.Option("--repeat", min=1, max=100, help="Timed repetitions per size. "
                                               "Default: 3.", show_default=False)] = None,
    threads: Annotated[int, typer.Option(min=1, max=256, help="Compiled threads.")] = 1,
    scenario: Annotated[str, typer.Option(help="Scenario to run.")] = "transition",
    counties: o.counties("the scenario's") = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Also write the rows as JSON.",
                                                   show_default=False)] = None,
    startup: Annotated[bool, typer.Option(help="Also measure start-up (import and build 100,000 "
                                          "households) and the default run, in fresh processes.")] = True,
    reps: Annotated[int | None, typer.Option("--reps", hidden=True, show_default=False)] = None,
) -> None:
    """Measure speed and memory of the full model, with the hardware floor and start-up beside it."""
    from experiments.cli.bench import bench

    repeat = o.take_renamed(repeat, reps, "--reps", new="--repeat")
    bench(sizes, 2 if years is None else years, 3 if repeat is None else repeat, threads, scenario, counties,
          json_file, startup)


@app.command("odd")
def odd_command(
    check: Annotated[bool, typer.Option("--check", help="Only check; exit 1 when docs/ODD.md is out of date.")]
    = False,
) -> None:
    """Regenerate the parameter table of docs/ODD.md from Params (or, with --check, verify it)."""
    from experiments.cli.odd import odd

    odd(check)


@app.command("schemas")
def schemas_command(
    check: Annotated[bool, typer.Option("--check", help="Only check; exit 1 when a schema in docs/schemas is out "
                                                        "of date.")] = False,
) -> None:
    """Write the JSON Schemas of scenario, experiment, problem and target files (for editors) to docs/schemas."""
    from experiments.cli.schemas import schemas

    schemas(check)
