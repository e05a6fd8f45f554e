"""The options that the commands share: one name, one meaning, one help text, and the default.

Every command that runs the model takes its shared options from here, so that their names, help
texts and defaults cannot drift apart (a test walks every command's ``--help`` against
:data:`SHARED`):

- ``--seed N``: the seed of one run (``run``); ``--seeds N``: how many replications, with seeds
  ``--first-seed``, ``--first-seed + 1``, ... (every other command that runs the model);
- ``--households``, ``--counties``, ``--years``: the size and horizon of every run; ``--set``:
  a parameter override by dotted path;
- ``--workers``: local worker processes (a warning when more than the machine's cores);
- ``--out``, ``--force``, ``--format``: where results go, replacing them, the tables' format;
- ``--yes``: start a job the command estimates to be long without asking (the commands that ask);
- ``--lang zh|en``: the language of what a command prints, reports and draws (without it
  ``RURALSIM_LANG``, else the locale; :mod:`experiments.i18n`). Every command that shows words a
  reader reads takes it; the help test names the few that do not, and why.

Where a command's default differs from another's, its help says why (the ``default_text`` of the
factories below). Seeds of a *design* rather than of the runs (the sample of a sensitivity study,
the optimiser of a calibration) are ``--design-seed``. Options that were renamed keep working where
the rename is all that changed (:data:`RENAMED`), with a warning; options whose meaning changed
fail with the new name (:data:`MEANING_CHANGED`). A new shared option goes into :data:`SHARED`
(its help text), gets a factory here and goes onto every command; the help test then checks it
everywhere (a command that goes without it says why in the test).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

#: The help text every command gives each shared option (a command may add its default after it).
SHARED: dict[str, str] = {
    "--seed": "Seed of the run; runs of different scenarios with the same seed meet the same shocks.",
    "--seeds": "Replications: runs per scenario (or per point), on the seeds --first-seed, --first-seed + 1, ...",
    "--first-seed": "Seed of the first replication.",
    "--households": "Simulated households per run (population.n_households).",
    "--counties": "Counties per run (population.n_counties).",
    "--years": "Years simulated from 2021 (sim.n_years); a scenario starting earlier simulates "
               "its history first.",
    "--set": "Override a parameter of every run by dotted path; the value is YAML, e.g. --set "
             "'policy.assistance.industrial.intensity={2021: 1, 2024: 0}'. Repeatable.",
    "--workers": "Local worker processes (default: one per core; more than the cores is slower, not faster).",
    "--out": "Output directory.",
    "--force": "Replace the results in a non-empty --out.",
    "--format": "Format of the tables written: csv or parquet.",
    "--lang": "Language of printed summaries, reports and figures: zh or en.",
    "--yes": "Start a long job without asking (on a terminal it asks first; elsewhere it needs --yes).",
}

#: Old option names that still work, and their new names (only the name changed).
RENAMED: dict[str, str] = {"--reps": "--seeds", "--seed-base": "--first-seed", "--max-reps": "--max-seeds"}

#: Old option names whose meaning changed: they fail with a pointer to the new names.
MEANING_CHANGED: dict[str, str] = {
    "--seed": "--seed is the seed of one run; the seed of the sample design is now --design-seed, and the "
              "replications' seeds are --seeds N (how many) from --first-seed",
}


def _help(name: str, default: str | None) -> str:
    text = SHARED[name]
    return f"{text} Default: {default}." if default else text


def seed(default_text: str) -> Any:
    return Annotated[int, typer.Option("--seed", metavar="N", help=_help("--seed", default_text),
                                       show_default=False)]


def seeds(default_text: str) -> Any:
    return Annotated[int | None, typer.Option("--seeds", metavar="N", help=_help("--seeds", default_text),
                                              show_default=False)]


def first_seed(default_text: str = "1") -> Any:
    return Annotated[int | None, typer.Option("--first-seed", metavar="N",
                                              help=_help("--first-seed", default_text), show_default=False)]


def households(default_text: str) -> Any:
    return Annotated[int | None, typer.Option("--households", metavar="N", help=_help("--households", default_text),
                                              show_default=False)]


def counties(default_text: str) -> Any:
    return Annotated[int | None, typer.Option("--counties", metavar="N", help=_help("--counties", default_text),
                                              show_default=False)]


def years(default_text: str) -> Any:
    return Annotated[int | None, typer.Option("--years", metavar="N", help=_help("--years", default_text),
                                              show_default=False)]


def set_values() -> Any:
    return Annotated[list[str] | None, typer.Option("--set", metavar="KEY=VALUE", help=SHARED["--set"],
                                                    show_default=False)]


def workers() -> Any:
    return Annotated[int | None, typer.Option("--workers", metavar="N", help=SHARED["--workers"],
                                              show_default=False)]


def out(default_text: str) -> Any:
    return Annotated[Path | None, typer.Option("--out", help=_help("--out", default_text), show_default=False)]


def force() -> Any:
    return Annotated[bool, typer.Option("--force", help=SHARED["--force"])]


def table_format(default_text: str) -> Any:
    return Annotated[str, typer.Option("--format", metavar="csv|parquet", help=_help("--format", default_text),
                                       show_default=False)]


def _use_lang(value: str | None) -> str | None:
    """Make ``--lang`` (or, without it, ``$RURALSIM_LANG`` or the locale) the language of this command."""
    from experiments.cli.console import fail
    from experiments.i18n import LangError, set_lang

    try:
        set_lang(value)
    except LangError as exc:
        fail(str(exc) + ".")
    return value


def lang() -> Any:
    return Annotated[str | None, typer.Option("--lang", metavar="zh|en", callback=_use_lang, show_default=False,
                                              help=_help("--lang", "$RURALSIM_LANG, else the locale"))]


def yes(long: str) -> Any:
    """``--yes``; ``long`` says when the command counts a job as long."""
    return Annotated[bool, typer.Option("--yes", help=f"{SHARED['--yes']} Long: {long}.")]


def design_seed(what: str) -> Any:
    return Annotated[int, typer.Option("--design-seed", metavar="N", show_default=False,
                                       help=f"Seed of {what} (not of the model runs, which use --first-seed). "
                                            "Default: 1.")]


def renamed(old: str) -> Any:
    """A hidden option under an old name whose meaning is unchanged (see :data:`RENAMED`)."""
    return Annotated[int | None, typer.Option(old, hidden=True, show_default=False)]


def meaning_changed(old: str) -> Any:
    """A hidden option under an old name whose meaning changed (see :data:`MEANING_CHANGED`)."""
    return Annotated[int | None, typer.Option(old, hidden=True, show_default=False)]


def take_renamed(value: Any, old_value: Any, old: str, new: str | None = None) -> Any:
    """The value of an option given under its new name, or under its old name (with a warning)."""
    from experiments.cli.console import fail, warn

    new = new or RENAMED[old]
    if old_value is None:
        return value
    if value is not None and value != old_value:
        fail(f"{old} {old_value} and {new} {value} both given; {old} is the old name of {new}: give {new} once.")
    warn(f"{old} is now called {new}; {old} {old_value} is read as {new} {old_value}.")
    return old_value


def refuse_changed(old_value: Any, old: str) -> None:
    """Fail when an option whose meaning changed is given under its old name."""
    from experiments.cli.console import fail

    if old_value is not None:
        fail(MEANING_CHANGED[old] + ".")


def check_seeds(**given: int | None) -> None:
    """Fail when a seed option (``first_seed=...``, ``design_seed=...``) is negative, naming it and its value."""
    from experiments.cli.console import fail

    for name, value in given.items():
        if value is not None and value < 0:
            fail(f"--{name.replace('_', '-')} {value}: a seed is a whole number >= 0.")
