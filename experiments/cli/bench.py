"""``ruralsim bench``: speed and memory of the full model, with the hardware floor and start-up beside it."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from experiments.bench import format_table, parse_sizes, run_bench, share_of_floor
from experiments.cli.console import check_file_out, fail, fail_problems, note
from experiments.files import atomic_write
from experiments.memory import too_large
from scenarios import ScenarioError, load_scenario


def bench(sizes: str, years: int, reps: int, threads: int, scenario: str, counties: int | None,
          json_file: Path | None, startup: bool) -> None:
    try:
        size_list = parse_sizes(sizes)
        load_scenario(scenario)
    except (ValueError, ScenarioError) as exc:
        fail(str(exc))
    problems = []  # every size must make a valid run (counties, years), and fit in memory
    for n in size_list:
        size = {"population.n_households": n, "sim.n_years": years}
        if counties is not None:
            size["population.n_counties"] = counties
        try:
            load_scenario(scenario, size, origin=f"--sizes {n:,}")
        except ScenarioError as exc:
            problems += exc.problems
    big = None if problems else too_large(max(size_list), "a run")
    if big:
        problems.append(f"--sizes: {big}; choose smaller sizes")
    if problems:
        fail_problems("cannot run the bench", problems)
    if json_file is not None:  # checked before minutes of measuring, not after
        if not json_file.parent.is_dir():
            fail(f"cannot write {json_file}: the directory {json_file.parent} does not exist.")
        check_file_out(json_file, "--json")
    result = run_bench(size_list, years, reps, threads, scenario, counties,
                       progress=lambda msg: note(f"bench: {msg}"), startup=startup)
    typer.echo(format_table(result))
    if json_file is not None:
        extra = {"machine": result["machine"]}
        if "startup" in result:
            extra["startup"] = result["startup"]
        rows = [{**r, "floor": f, "share_of_draw_floor": share_of_floor(r, f), **extra}
                for r, f in zip(result["rows"], result["floor"], strict=True)]
        try:
            atomic_write(json_file, json.dumps(rows, indent=2).encode())
        except OSError as exc:
            fail(f"cannot write {json_file}: {exc.strerror or exc}")
        typer.echo(f"\nWrote {json_file}")
