"""``ruralsim scenarios`` and ``ruralsim check FILE...``: the shipped scenarios, and whether files are valid ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import typer

from experiments.i18n import current, scenario_label, scenario_story
from scenarios import check_file, list_scenarios


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
        typer.echo()


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
