"""``ruralsim scenarios`` and ``ruralsim check FILE...``: the shipped scenarios, and whether files are valid ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import typer

from experiments.i18n import current, scenario_label, scenario_story, tr
from scenarios import BASELINE, ScenarioError, check_file, list_scenarios, load_scenario


def list_command() -> None:
    """Print every shipped scenario with its policy story (in Chinese: its Chinese title and summary)."""
    infos = list_scenarios()
    if not infos:
        typer.echo("No scenarios found.")
        return
    zh = current() == "zh"
    for info in infos:
        typer.echo(scenario_label(info.name))
        story = scenario_story(info.name, info.description)
        # Chinese has no spaces to break at: wrap it by characters, at half the width
        typer.echo(textwrap.fill(story, width=48 if zh else 96, initial_indent="    ", subsequent_indent="    ",
                                 break_long_words=zh))
        start = start_text(info.path)
        if start:
            typer.echo(f"    {start}")
        typer.echo()


def start_text(path: Path) -> str:
    """Where a scenario starts: the one baseline for a policy scenario (its chain to it), else its own start."""
    try:
        loaded = load_scenario(path)
    except ScenarioError:
        return ""
    sim = loaded.params.sim
    if loaded.policy_year is not None:
        chain = " → ".join(loaded.chain[:loaded.chain.index(BASELINE) + 1])
        return tr("cli.scenario_start.policy", chain=chain, start=sim.start_year, end=loaded.policy_year - 1,
                  first=loaded.policy_year, last=sim.end_year)
    return tr("cli.scenario_start.own", start=sim.start_year, last=sim.end_year, first=sim.first_outcome_year)


def check(files: list[Path]) -> None:
    """OK per valid file, every problem of the others; exit 2 if any is invalid."""
    n_bad = 0
    for file in files:
        problems = check_file(scenario_file(file))
        if problems:
            n_bad += 1
            lines = "\n".join(f"  {p}" for p in problems)
            noun = "problem" if len(problems) == 1 else "problems"
            typer.echo(f"error: {file} is not a valid scenario ({len(problems)} {noun}):\n{lines}", err=True)
        else:
            typer.echo(f"OK  {file}")
    if n_bad:
        raise typer.Exit(2)


def scenario_file(file: Path) -> Path:
    """A file argument of ``check``; a bare shipped scenario name is accepted too."""
    if file.exists() or file.suffix in (".yaml", ".yml"):
        return file
    for info in list_scenarios():
        if info.name == str(file):
            return info.path
    return file
