"""The ``ruralsim`` command line.

Commands:

- ``ruralsim scenarios``: list the shipped scenarios with their policy stories.
- ``ruralsim check FILE...``: validate scenario files.
- ``ruralsim run SCENARIO|FILE``: run one scenario and write tables, ``summary.json`` and figures.
- ``ruralsim bench``: speed and memory of the full model next to the hardware floor.
- ``ruralsim experiment FILE``: run a batch experiment into a result store (see ``experiments.batch.runner``).
- ``ruralsim compare SCENARIO...``: compare policy paths on common random numbers (see
  ``experiments.compare``).
- ``ruralsim sensitivity PROBLEM``: global sensitivity analysis (SALib) through the result store (see
  ``experiments.sensitivity.study``).
- ``ruralsim discover PROBLEM``: scenario discovery of large-scale relapse with PRIM (see
  ``experiments.sensitivity.discovery``).
- ``ruralsim app``: serve the classroom app (two policies in lockstep; see ``experiments.app.page``).
- ``ruralsim validate``: check a scenario against target files (see ``experiments.fit.validate``).
- ``ruralsim calibrate``: fit the historical run to the 2017-2020 targets (see ``experiments.fit.calibrate``).

Exit codes: 0 success; 2 bad input (unknown scenario, invalid file, bad ``--set``, bad
``--format``, existing output directory), reported as one paragraph starting with ``error:`` on
stderr and no traceback; 1 when the model or the writing of results fails (set
``RURALSIM_DEBUG=1`` to see the traceback); 130 when interrupted.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from scenarios import ScenarioError, check_file, list_scenarios, load_scenario, parse_set

FORMATS = ("parquet", "csv")
DEBUG_ENV = "RURALSIM_DEBUG"

app = typer.Typer(
    name="ruralsim",
    help="Agent-based simulation of rural household income and relapse into poverty after 2020.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Entry point of the ``ruralsim`` console script."""
    app()


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


@app.command("scenarios")
def scenarios_command() -> None:
    """List the shipped scenarios with their descriptions."""
    infos = list_scenarios()
    if not infos:
        typer.echo("No scenarios found.")
        return
    for info in infos:
        typer.echo(info.name)
        typer.echo(textwrap.fill(info.description, width=96, initial_indent="    ",
                                 subsequent_indent="    "))
        typer.echo()


@app.command("check")
def check_command(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files (or shipped names).",
                                                show_default=False)],
) -> None:
    """Validate scenario files: OK per valid file, every problem of the others; exit 2 if any."""
    n_bad = 0
    for file in files:
        path = _scenario_file(file)
        problems = check_file(path)
        if problems:
            n_bad += 1
            lines = "\n".join(f"  {p}" for p in problems)
            noun = "problem" if len(problems) == 1 else "problems"
            typer.echo(f"error: {file} is not a valid scenario ({len(problems)} {noun}):\n{lines}",
                       err=True)
        else:
            typer.echo(f"OK  {file}")
    if n_bad:
        raise typer.Exit(2)


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
    # Every input is checked before the model is imported or built.
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        _fail(f"--format {fmt!r} is not supported; use one of: {', '.join(FORMATS)}.")
    if seed < 0:
        _fail(f"--seed {seed} must be a non-negative integer.")
    try:
        overrides = parse_set(set_ or [])
    except ScenarioError as exc:
        _fail_problems("invalid --set", exc)
    for path, value in (("sim.n_years", years), ("population.n_households", households),
                        ("population.n_counties", counties)):
        if value is not None:
            overrides[path] = value
    try:
        loaded = load_scenario(scenario, overrides, origin="command line")
    except ScenarioError as exc:
        _fail_problems(f"cannot load scenario {scenario!r}", exc)

    out_dir = out if out is not None else Path("runs") / f"{loaded.name}-seed{seed}"
    _check_out_dir(out_dir, force)

    run_model = _model_runner()
    params = loaded.params
    size = (f"{params.sim.n_years} years from {params.sim.start_year}, "
            f"{params.population.n_households:,} households, "
            f"{params.population.n_counties} counties")
    typer.echo(f"Running {loaded.name} (seed {seed}): {size}", err=True)

    started = time.perf_counter()
    with _Progress(loaded.name) as progress:
        try:
            result = run_model(params, seed=seed, progress=progress)
        except Exception as exc:  # reported briefly; traceback on request
            _crash(f"the model failed while running {loaded.name!r} (seed {seed})", exc)
    seconds = time.perf_counter() - started

    meta = getattr(result, "meta", None)
    if isinstance(meta, dict):
        meta.setdefault("scenario", loaded.name)
        meta.setdefault("scenario_chain", list(loaded.chain))
        meta.setdefault("scenario_overrides", dict(loaded.overrides))
    try:
        figures = _write_atomically(out_dir, result, fmt)
    except Exception as exc:
        _crash(f"could not write the results to {out_dir}", exc)

    typer.echo(format_summary(getattr(result, "summary", {}) or {},
                              title=f"{loaded.name}, seed {seed}"))
    typer.echo(f"\nWrote {out_dir} ({fmt} tables, {len(figures)} figures) in {seconds:.1f} s.")


@app.command("experiment")
def experiment_command(
    file: Annotated[str, typer.Argument(help="Experiment YAML file, or a shipped name such as 'smoke'.",
                                        show_default=False)],
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: all CPUs).",
                                                show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.",
                                                  show_default=False)] = None,
    local_cluster: Annotated[int | None, typer.Option(help="Start a local Dask cluster of N workers.",
                                                      show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(help="Result directory (default: runs/<name>).",
                                             show_default=False)] = None,
    resume: Annotated[bool, typer.Option(help="Complete an interrupted experiment in --out.")] = False,
    retry_failed: Annotated[bool, typer.Option(help="Resume and also redo the failed runs.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Start a large experiment without asking.")] = False,
    inprocess: Annotated[bool, typer.Option("--in-process", help="Run in this process (debugging).")] = False,
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
    from experiments.bench import format_table, parse_sizes, run_bench, share_of_floor

    try:
        size_list = parse_sizes(sizes)
        load_scenario(scenario)
    except (ValueError, ScenarioError) as exc:
        _fail(str(exc))
    if json_file is not None:  # checked before minutes of measuring, not after
        parent = json_file.parent
        if not parent.is_dir():
            _fail(f"cannot write {json_file}: the directory {parent} does not exist.")
        if not os.access(parent, os.W_OK):
            _fail(f"cannot write {json_file}: the directory {parent} is not writable.")
    result = run_bench(size_list, years, reps, threads, scenario, counties,
                       progress=lambda msg: typer.echo(f"bench: {msg}", err=True), startup=startup)
    typer.echo(format_table(result))
    if json_file is not None:
        extra = {"machine": result["machine"]}
        if "startup" in result:
            extra["startup"] = result["startup"]
        rows = [{**r, "floor": f, "share_of_draw_floor": share_of_floor(r, f), **extra}
                for r, f in zip(result["rows"], result["floor"], strict=True)]
        from experiments.batch.store import atomic_write

        try:
            atomic_write(json_file, json.dumps(rows, indent=2).encode())
        except OSError as exc:
            _fail(f"cannot write {json_file}: {exc.strerror or exc}")
        typer.echo(f"\nWrote {json_file}")


@app.command("odd")
def odd_command(
    check: Annotated[bool, typer.Option("--check", help="Only check; exit 1 when docs/ODD.md is out of date.")]
    = False,
) -> None:
    """Regenerate the parameter table of docs/ODD.md from Params (or, with --check, verify it)."""
    from experiments.odd import DEFAULT_PATH, resolve_path, update_odd

    path = resolve_path(DEFAULT_PATH)
    try:
        changed = update_odd(path, check=check)
    except (OSError, ValueError) as exc:
        _fail(f"cannot update the ODD parameter table in {path}: {exc}")
    if check and changed:
        _fail(f"the parameter table in {path} is out of date; run `uv run ruralsim odd` to regenerate it.",
              code=1)
    typer.echo(f"{path}: parameter table {'updated' if changed else 'up to date'}.")


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
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: all CPUs).",
                                                show_default=False)] = None,
    inprocess: Annotated[bool, typer.Option("--in-process", help="Run in this process (debugging).")] = False,
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
    from experiments.compare.comparison import compare_command as run_compare

    run_compare(scenarios, reference, reps, precision, max_reps, workers, inprocess, years, households, counties,
                seed_base, set_, out)


@app.command("sensitivity")
def sensitivity_command(
    problem: Annotated[str, typer.Argument(help="Problem file, or a shipped name such as 'relapse_risk'.",
                                           show_default=False)],
    method: Annotated[str, typer.Option(help="sobol, morris or delta.")] = "sobol",
    n: Annotated[int | None, typer.Option(help="Base sample size (Sobol' base rows, a power of 2; Morris trajectories; "
                                               "delta points) (default: the problem's).", show_default=False)] = None,
    reps: Annotated[int | None, typer.Option(help="Replications per point, paired seeds (default: the problem's).",
                                             show_default=False)] = None,
    base: Annotated[str | None, typer.Option(help="Scenario every run starts from (default: the problem's).",
                                             show_default=False)] = None,
    households: Annotated[int | None, typer.Option(help="Households per run.", show_default=False)] = None,
    counties: Annotated[int | None, typer.Option(help="Counties per run.", show_default=False)] = None,
    years: Annotated[int | None, typer.Option(help="Simulated years per run.", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: all CPUs).",
                                                show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.",
                                                  show_default=False)] = None,
    inprocess: Annotated[bool, typer.Option("--in-process", help="Run in this process (debugging).")] = False,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/sensitivity-<problem>-<method>).",
                                             show_default=False)] = None,
    resume: Annotated[bool, typer.Option(help="Complete an interrupted study in --out.")] = False,
    retry_failed: Annotated[bool, typer.Option(help="Resume and also redo the failed runs.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the sample design and the bootstrap.")] = 1,
) -> None:
    """Global sensitivity analysis: indices with intervals, noise share, convergence, report.html."""
    from experiments.cli.sensitivity import sensitivity

    sensitivity(problem, method, n, reps, base, households, counties, years, workers, scheduler, inprocess, out,
                resume, retry_failed, seed)


@app.command("discover")
def discover_command(
    problem: Annotated[str, typer.Argument(help="Problem file, or a shipped name such as 'relapse_risk'.",
                                           show_default=False)],
    n: Annotated[int | None, typer.Option(help="Latin-hypercube points (default: the problem's).",
                                          show_default=False)] = None,
    reps: Annotated[int | None, typer.Option(help="Replications per point, paired seeds (default: the problem's).",
                                             show_default=False)] = None,
    base: Annotated[str | None, typer.Option(help="Scenario every run starts from (default: the problem's).",
                                             show_default=False)] = None,
    households: Annotated[int | None, typer.Option(help="Households per run.", show_default=False)] = None,
    counties: Annotated[int | None, typer.Option(help="Counties per run.", show_default=False)] = None,
    years: Annotated[int | None, typer.Option(help="Simulated years per run.", show_default=False)] = None,
    threshold: Annotated[float | None, typer.Option(
        help="County relapse rate that makes a county-year large-scale (default: the base scenario's).",
        show_default=False)] = None,
    min_coverage: Annotated[float, typer.Option(help="Smallest coverage of the chosen box.")] = 0.5,
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: all CPUs).",
                                                show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT.",
                                                  show_default=False)] = None,
    inprocess: Annotated[bool, typer.Option("--in-process", help="Run in this process (debugging).")] = False,
    out: Annotated[Path | None, typer.Option(help="Output directory (default: runs/discover-<problem>).",
                                             show_default=False)] = None,
    resume: Annotated[bool, typer.Option(help="Complete an interrupted study in --out.")] = False,
    retry_failed: Annotated[bool, typer.Option(help="Resume and also redo the failed runs.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the Latin hypercube.")] = 1,
) -> None:
    """Scenario discovery: the conditions (PRIM boxes) under which large-scale relapse happens."""
    from experiments.sensitivity.discovery import discover_command as run_discover

    run_discover(problem, n, reps, base, households, counties, years, threshold, min_coverage, workers, scheduler,
                 inprocess, out, resume, retry_failed, seed)


@app.command("app")
def app_command(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    households: Annotated[int, typer.Option(help="Default simulated households of each of the two provinces.")]
    = 100_000,
) -> None:
    """Serve the classroom app: two policies in lockstep, live charts, "withdraw support now"."""
    from experiments.app.server import AppOptionsError, serve

    try:
        serve(host, port, households)
    except AppOptionsError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


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
) -> None:
    """Check a scenario against target files over replications: report with pass/fail and a score."""
    from experiments.fit.validate import validate_command as run_validate

    run_validate(scenario, targets, seeds, households, counties, json_path, out)


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
) -> None:
    """Fit the historical run's free parameters to the 2017-2020 targets; scenario file, fit report, plots."""
    from experiments.fit.calibrate import calibrate_command as run_calibrate

    run_calibrate(scenario, targets, budget, seeds, households, counties, seed, out)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def format_summary(summary: Mapping[str, Any], title: str = "") -> str:
    """A plain-text two-column table of scalar outcomes.

    Rates, shares and growth rates are shown as percentages, yuan amounts and counts with
    thousands separators, flags as yes/no.

    Args:
        summary: Outcome name → scalar.
        title: Optional heading.

    Returns:
        The table as one string.
    """
    if not summary:
        return f"Summary ({title}): no outcomes reported." if title else "No outcomes reported."
    width = max(len(str(k)) for k in summary)
    lines = [f"Summary ({title})" if title else "Summary", "-" * (width + 18)]
    for key, value in summary.items():
        lines.append(f"{key!s:<{width}}  {_format_value(str(key), value):>14}")
    return "\n".join(lines)


def _format_value(key: str, value: Any) -> str:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # NumPy scalar → Python scalar
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if key.endswith("_yuan"):
            return f"{value:,.0f}"
        if any(word in key for word in ("rate", "share", "growth")):
            return f"{value:.2%}"
        if value.is_integer() and abs(value) >= 1:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _fail_problems(what: str, exc: ScenarioError) -> NoReturn:
    lines = "\n".join(f"  {p}" for p in exc.problems)
    _fail(f"{what}:\n{lines}")


def _crash(what: str, exc: BaseException) -> NoReturn:
    if os.environ.get(DEBUG_ENV):
        raise exc
    detail = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {detail[0]}" if detail else type(exc).__name__
    _fail(f"{what}: {text}. Set {DEBUG_ENV}=1 to see the traceback.", code=1)


def _scenario_file(file: Path) -> Path:
    """A file argument of ``check``; a bare shipped scenario name is accepted too."""
    if file.exists() or file.suffix in (".yaml", ".yml"):
        return file
    for info in list_scenarios():
        if info.name == str(file):
            return info.path
    return file


def _check_out_dir(out_dir: Path, force: bool) -> None:
    if out_dir.exists():
        if not out_dir.is_dir():
            _fail(f"--out {out_dir} exists and is not a directory; choose another --out.")
        if any(out_dir.iterdir()) and not force:
            _fail(f"output directory {out_dir} already exists and is not empty; use --force to "
                  "replace it or choose another --out.")
    elif out_dir.parent.exists() and not out_dir.parent.is_dir():
        _fail(f"--out {out_dir}: {out_dir.parent} is not a directory.")


def _model_runner():
    """``model.run``, imported only once the input is known to be good."""
    try:
        import model
        import model.model  # noqa: F401  (the simulation's libraries load here, not inside the timed run)
    except ImportError as exc:
        _crash("cannot import the model", exc)
    run = getattr(model, "run", None)
    if run is None:
        _fail("the model package does not provide run(params, seed, progress) yet.", code=1)
    return run


def _write_atomically(out_dir: Path, result: Any, fmt: str) -> list[Path]:
    """Write everything into ``<out>.tmp-<pid>``, then move it into place.

    A reader never sees a half-written ``out_dir``: either the old content (or nothing) or the
    complete new one. The temporary directory is removed on any failure.
    """
    from experiments.run_figures import run_figures

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f"{out_dir.name}.tmp-{os.getpid()}")
    old = out_dir.with_name(f"{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        result.to_dir(tmp, fmt=fmt)
        figures = run_figures(result, tmp)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return [out_dir / f.name for f in figures]


class _Progress:
    """A tqdm bar on stderr fed by the model's ``progress(months_done, months_total)`` calls.

    The bar appears only after a couple of seconds (short runs stay quiet) and only on a
    terminal.
    """

    def __init__(self, label: str):
        self.label = label
        self.bar: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit="month", file=sys.stderr,
                            delay=2.0, disable=None, leave=False, dynamic_ncols=True)
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
