"""Load and validate scenario files (policy stories as data).

A scenario file is YAML with five top-level keys::

    name: gradual_phaseout
    extends: transition            # optional: another scenario name or a relative file path
    description: One paragraph policy story.
    policy:                        # dated levers, dotted paths relative to Params.policy
      assistance.industrial.intensity: {2021: 1.0, 2026: 0.66, 2027: 0.33, 2028: 0.0}
    parameters:                    # static overrides, dotted paths into Params
      shocks.illness.p_year: 0.11

A child states only its difference from its parent: the overrides of the chain are applied from
the root to the leaf, later files winning (a schedule replaces the parent's whole schedule). Keys
may be dotted paths or nested mappings of groups (``assistance: {industrial: {intensity: 0.5}}``).
A name such as ``transition+stress_disaster`` is an *overlay*: ``transition`` (with its whole
chain) and then the file's own ``policy``/``parameters`` of each overlay, in order.

Validation reports every problem at once and applies nothing when there is one: unknown keys and
parameter paths come with the closest valid names; wrong types and out-of-range values name the
file, the key path, the value and the allowed range; ``extends`` cycles and missing parents are
reported; YAML syntax errors give file and line. All of them raise :class:`ScenarioError`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from model.params import Params, ParamsError, check_path, closest_paths, parameter_table

from .history import BASELINE, POLICY_START_YEAR, apply_overrides, early_dates, is_dated
from .inputs import (
    YAML_SUFFIXES,
    ProblemsError,
    file_label,
    is_number,
    parse_yaml,
    quote,
    range_text,
    read_yaml,
    yaml_problem,
)

SCENARIO_DIR = Path(__file__).resolve().parent
"""Directory of the shipped scenario files."""

TOP_LEVEL_KEYS = ("name", "extends", "description", "policy", "parameters")


class ScenarioError(ProblemsError):
    """An invalid scenario: every problem found, one per line, each prefixed with its file."""


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario file found in the scenario library.

    Attributes:
        name: Scenario name (the file stem).
        description: The file's description paragraph (or a note when the file is unreadable).
        path: Path of the YAML file.
    """

    name: str
    description: str
    path: Path


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario.

    Attributes:
        name: Scenario name; for overlays the joined name (``transition+stress_disaster``).
        description: Description of the leaf scenario (overlays add theirs, one paragraph each).
        params: The validated parameters.
        chain: Scenario names from the root of the ``extends`` chain to the leaf, then overlays.
        overrides: Flattened dotted-path mapping actually applied to the defaults, in order
            (policy levers carry the ``policy.`` prefix; later sources have overwritten earlier).
        files: The scenario files read, in the order of ``chain``.
        policy_year: For a policy scenario (one that extends ``baseline``), the year from whose
            January its files, overlays and overrides set dated values (the years before are the
            baseline's history, :mod:`scenarios.history`); None for a history scenario.
    """

    name: str
    description: str
    params: Params
    chain: list[str]
    overrides: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    policy_year: int | None = None


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def list_scenarios(directory: Path | None = None) -> list[ScenarioInfo]:
    """Scenarios in the library, sorted by name.

    Args:
        directory: Where to look; defaults to the shipped scenario directory.

    Returns:
        One entry per ``*.yaml`` file. An unreadable file is still listed, with a note as its
        description, so that a broken file does not hide the others.
    """
    directory = SCENARIO_DIR if directory is None else Path(directory)
    infos = []
    for path in _yaml_files(directory):
        try:
            data, _ = read_yaml(path)
            description = data.get("description") if isinstance(data, dict) else None
            if not isinstance(description, str) or not description.strip():
                description = "(no description)"
        except ProblemsError:
            description = "(unreadable: see 'ruralsim check' of this file)"
        infos.append(ScenarioInfo(path.stem, " ".join(description.split()), path))
    return infos


def load_scenario(
    name_or_path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    origin: str = "overrides",
) -> Scenario:
    """Load a scenario by name, file path or overlay name, and validate it.

    Args:
        name_or_path: A scenario name (``transition``), a path to a YAML file, or an overlay
            (``transition+stress_disaster``: the first scenario with its chain, then each
            further scenario's own policy and parameters).
        overrides: Extra dotted-path overrides applied last (e.g. from ``--set``). Policy levers
            need the ``policy.`` prefix here.
        origin: Label that prefixes problems found in ``overrides``.

    Returns:
        The validated :class:`Scenario`.

    Raises:
        ScenarioError: With every problem found; nothing is applied.
    """
    parts = _split_overlays(name_or_path)
    if not all(part.strip() for part in parts):
        text = quote(str(name_or_path))
        raise ScenarioError([f"{text}: no scenario name given" if len(parts) == 1 else
                             f"{text}: an overlay names scenarios joined by '+' with a name on each side of every "
                             "'+' (e.g. transition+stress_disaster); this one has an empty part"])
    problems: list[str] = []

    base_path = _locate(parts[0], problems)
    docs: list[_Doc] = []
    if base_path is not None:
        docs, chain_problems = _resolve_chain(base_path)
        problems += chain_problems

    overlays: list[_Doc] = []
    for part in parts[1:]:
        path = _locate(part, problems)
        if path is None:
            continue
        doc, doc_problems = _read(path)
        problems += doc_problems
        if doc is not None:
            overlays.append(doc)

    extra: dict[str, Any] = {}
    if overrides:
        extra, extra_problems = _flatten(overrides, "", origin, section=None)
        problems += extra_problems
        problems += _check_values(extra, origin)

    history, policy = _split_history(docs)
    policy_year = POLICY_START_YEAR if policy or (history and history[-1].name == BASELINE and
                                                  (overlays or extra)) else None
    if policy_year is not None:
        for doc in policy + overlays:
            problems += _policy_date_problems(doc.overrides, doc.label, history[-1].label)
        problems += _policy_date_problems(extra, origin, history[-1].label)

    if problems:
        raise ScenarioError(problems)

    merged: dict[str, Any] = {}
    for doc in history:
        merged.update(doc.overrides)
    for source in [*(d.overrides for d in policy + overlays), extra]:
        merged = apply_overrides(merged, source, policy_year)
    leaf = (overlays or docs)[-1]
    try:
        params = Params().with_overrides(merged, origin=leaf.label)
    except ParamsError as exc:
        # Each source was valid on its own: only a rule linking several parameters can fail here.
        raise ScenarioError(_tidy(exc.problems)) from None

    all_docs = docs + overlays
    name = "+".join([docs[-1].name, *(d.name for d in overlays)])
    description = "\n\n".join([docs[-1].description, *(d.description for d in overlays)])
    return Scenario(
        name=name,
        description=description,
        params=params,
        chain=[d.name for d in all_docs],
        overrides=merged,
        files=[d.path for d in all_docs],
        policy_year=policy_year,
    )


def check_file(path: str | Path) -> list[str]:
    """Problems of one scenario file, including its ``extends`` chain (empty when valid).

    Args:
        path: Path of the YAML file.

    Returns:
        Readable problems, one per item, each prefixed with the file it concerns.
    """
    path = Path(path)
    if not path.is_file():
        return [f"{file_label(path)}: no such file"]
    try:
        load_scenario(path)
    except ScenarioError as exc:
        return exc.problems
    return []


def parse_set(items: Iterable[str]) -> dict[str, Any]:
    """Parse command-line ``key=value`` assignments; values are YAML.

    ``--set 'policy.assistance.industrial.intensity={2021: 1, 2024: 0}'`` gives a schedule,
    ``--set shocks.illness.p_year=0.2`` a number. A key given twice keeps the last value.

    Args:
        items: Strings of the form ``dotted.path=value``.

    Returns:
        Mapping of dotted path to parsed value (not yet validated; pass it to
        :func:`load_scenario`).

    Raises:
        ScenarioError: When an item has no ``=``, an empty key, or a value that is not YAML.
    """
    out: dict[str, Any] = {}
    problems = []
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(f"--set {quote(item)}: expected key=value, e.g. shocks.illness.p_year=0.2")
            continue
        try:
            value = parse_yaml(text)
        except yaml.YAMLError as exc:
            problems.append(f"--set {quote(item)}: value is not valid YAML ({yaml_problem(exc)})")
            continue
        if value is None:
            problems.append(f"--set {quote(item)}: no value after '='")
            continue
        out[key] = value
    if problems:
        raise ScenarioError(problems)
    return out


# --------------------------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------------------------


@dataclass
class _Doc:
    """One parsed scenario file (its own content, not its parents')."""

    path: Path
    label: str
    name: str
    description: str
    extends: str | None
    overrides: dict[str, Any]


def _read(path: Path) -> tuple[_Doc | None, list[str]]:
    """Parse and check one file on its own; returns the document (if readable) and problems."""
    label = file_label(path)
    try:
        data, _ = read_yaml(path, label)
    except ProblemsError as exc:
        return None, exc.problems
    if data is None:
        return None, [f"{label}: file is empty; expected keys {', '.join(TOP_LEVEL_KEYS)}"]
    if not isinstance(data, dict):
        return None, [f"{label}: top level must be a mapping with keys "
                      f"{', '.join(TOP_LEVEL_KEYS)}, found {type(data).__name__}"]

    problems: list[str] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"{label}: unknown top-level key {quote(key)}; {_top_level_hint(key)}")

    name = data.get("name")
    if name is None:
        problems.append(f"{label}: missing 'name' (it must be the file name without .yaml: "
                        f"{quote(path.stem)})")
        name = path.stem
    elif not isinstance(name, str) or name != path.stem:
        problems.append(f"{label}: name = {quote(name)} must match the file name {quote(path.stem)}")
        name = path.stem

    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(f"{label}: 'description' is required: a non-empty paragraph telling the "
                        f"policy story (found {quote(description)})")
        description = ""

    extends = data.get("extends")
    if extends is not None and (not isinstance(extends, str) or not extends.strip()):
        problems.append(f"{label}: extends = {quote(extends)} must be a scenario name or a relative "
                        "file path")
        extends = None

    overrides: dict[str, Any] = {}
    sections = (("policy", "policy."), ("parameters", ""))
    for section, prefix in sections:
        body = data.get(section)
        if body is None:
            continue
        if not isinstance(body, dict):
            problems.append(f"{label}: '{section}' must be a mapping of dotted paths to values, "
                            f"found {quote(body)}")
            continue
        flat, flat_problems = _flatten(body, prefix, label, section=section)
        problems += flat_problems
        for path_, value in flat.items():
            if path_ in overrides:
                problems.append(f"{label}: {path_} is set twice (in 'policy' and 'parameters')")
            overrides[path_] = value
    problems += _check_values(overrides, label)
    return _Doc(path, label, name, " ".join(description.split()), extends, overrides), problems


def _flatten(
    body: Mapping[Any, Any], prefix: str, label: str, section: str | None
) -> tuple[dict[str, Any], list[str]]:
    """Dotted paths → values. Nested mappings are followed while their path names a group."""
    out: dict[str, Any] = {}
    problems: list[str] = []
    groups = _group_paths()
    for key, value in body.items():
        if not isinstance(key, str) or not key.strip():
            where = f" in '{section}'" if section else ""
            problems.append(f"{label}: key {quote(key)}{where} is not a dotted parameter path")
            continue
        path = prefix + key.strip()
        if path in groups and isinstance(value, Mapping):
            sub, sub_problems = _flatten(value, path + ".", label, section)
            out.update(sub)
            problems += sub_problems
            continue
        if check_path(path) is not None:
            problems.append(f"{label}: {_unknown_path_message(path, section)}")
            continue
        out[path] = value
    return out, problems


def _check_values(overrides: Mapping[str, Any], label: str) -> list[str]:
    """Type and range problems of already-known paths, validated against the defaults."""
    meta = _parameter_meta()
    problems: list[str] = []
    rest: dict[str, Any] = {}
    for path, value in overrides.items():
        row = meta[path]
        kind = type(row["default"])
        # Pydantic's lax mode would take True for 1.0 and "0.3" for 0.3; a scenario is clearer
        # when numbers are numbers and flags are true/false.
        if not row["lever"] and kind in (int, float) and not is_number(value):
            problems.append(f"{label}: {path} = {quote(value)}: expected a number"
                            f"{range_text(row)}")
        elif kind is bool and not isinstance(value, bool):
            problems.append(f"{label}: {path} = {quote(value)}: expected true or false")
        else:
            rest[path] = value
    try:
        Params().with_overrides(rest, origin=label, cross_field=False)  # the rules linking them: once merged
    except ParamsError as exc:
        problems += _tidy(exc.problems)
    return problems


# --------------------------------------------------------------------------------------------
# Chains, overlays, locating files
# --------------------------------------------------------------------------------------------


def _resolve_chain(path: Path) -> tuple[list[_Doc], list[str]]:
    """Documents from the root of the ``extends`` chain to ``path``, and all problems."""
    docs: list[_Doc] = []
    problems: list[str] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        key = current.resolve()
        if key in seen:
            names = [p.stem for p in seen[seen.index(key):]] + [current.stem]
            problems.append(f"{file_label(seen[-1])}: extends cycle: {' -> '.join(names)}")
            break
        seen.append(key)
        doc, doc_problems = _read(current)
        problems += doc_problems
        if doc is None:
            break
        docs.insert(0, doc)
        if doc.extends is None:
            break
        current = _find_parent(doc.extends, current.parent)
        if current is None:
            problems.append(f"{doc.label}: extends {quote(doc.extends)}, but there is no such "
                            f"scenario next to this file or in the scenario library; "
                            f"{_available_text(doc.extends)}")
    return docs, problems


def _split_history(docs: list[_Doc]) -> tuple[list[_Doc], list[_Doc]]:
    """The chain's history files (up to and including ``baseline``) and its policy files (after it);
    a chain without ``baseline`` is all history."""
    names = [d.name for d in docs]
    if BASELINE not in names:
        return docs, []
    end = names.index(BASELINE) + 1
    return docs[:end], docs[end:]


def _policy_date_problems(overrides: Mapping[str, Any], label: str, baseline_label: str) -> list[str]:
    """A policy scenario's schedules that date a change before the first policy year."""
    problems = []
    for path, value in overrides.items():
        early = early_dates(value) if is_dated(path) else []
        if early:
            problems.append(
                f"{label}: {path} = {quote(value)}: {', '.join(map(quote, early))} "
                f"{'is' if len(early) == 1 else 'are'} before {POLICY_START_YEAR}; a policy scenario (one that "
                f"extends {quote(BASELINE)}) sets dated values from January {POLICY_START_YEAR} on, the years "
                f"before are the baseline's history ({baseline_label} and the scenarios it extends); date the "
                f"change {POLICY_START_YEAR} or later")
    return problems


def _find_parent(ref: str, directory: Path) -> Path | None:
    """A parent named in ``extends``: a relative path, a sibling file, or a shipped scenario."""
    ref = ref.strip()
    if ref.endswith(YAML_SUFFIXES) or "/" in ref:
        candidate = (directory / ref) if not Path(ref).is_absolute() else Path(ref)
        return candidate if candidate.is_file() else None
    for base in (directory, SCENARIO_DIR):
        for suffix in YAML_SUFFIXES:
            candidate = base / f"{ref}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _split_overlays(name_or_path: str | Path) -> list[str]:
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or Path(text).is_file() or "+" not in text:
        return [text]
    return [part.strip() for part in text.split("+")]


def _locate(ref: str, problems: list[str]) -> Path | None:
    """Path of a scenario given by name or file path; records a problem when there is none."""
    path = Path(ref)
    if path.is_file():
        return path
    if ref.endswith(YAML_SUFFIXES) or "/" in ref:
        problems.append(f"{ref}: no such file")
        return None
    found = _find_parent(ref, SCENARIO_DIR)
    if found is None:
        problems.append(f"{ref}: unknown scenario; {_available_text(ref)}")
    return found


def _available_text(ref: str) -> str:
    names = [info.name for info in list_scenarios()]
    close = difflib.get_close_matches(ref, names, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
    listing = ", ".join(names) if names else "(none)"
    return f"{hint}available scenarios: {listing}"


def _yaml_files(directory: Path) -> list[Path]:
    files = [p for p in directory.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file()]
    return sorted(files, key=lambda p: p.stem)


# --------------------------------------------------------------------------------------------
# Messages and parameter metadata
# --------------------------------------------------------------------------------------------




def _top_level_hint(key: Any) -> str:
    close = difflib.get_close_matches(str(key), TOP_LEVEL_KEYS, n=2, cutoff=0.5)
    if close:
        return f"did you mean {', '.join(map(repr, close))}?"
    if isinstance(key, str) and check_path(key) is None:
        return "parameter overrides go under 'parameters:'"
    if isinstance(key, str) and check_path("policy." + key) is None:
        return "dated levers go under 'policy:'"
    return f"allowed keys are {', '.join(TOP_LEVEL_KEYS)}"


def _unknown_path_message(path: str, section: str | None) -> str:
    """Unknown-path message; in the policy section, suggestions are relative to ``policy``."""
    if section != "policy":
        return check_path(path) or ""
    key = path.removeprefix("policy.")
    if key.startswith("policy.") and check_path(key) is None:
        return (f"policy key {quote(key)}: paths under 'policy:' are relative to policy; "
                f"write {quote(key.removeprefix('policy.'))}")
    levers = [p.removeprefix("policy.") for p in _parameter_meta() if p.startswith("policy.")]
    if key in _group_paths_relative("policy."):
        return (f"policy key {quote(key)} is a group, not a lever; set one of its fields "
                f"(e.g. '{key}.…')")
    close = difflib.get_close_matches(key, levers, n=3, cutoff=0.5)
    if not close:
        last = key.split(".")[-1]
        close = [lever for lever in levers if lever.split(".")[-1] == last][:3]
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    if check_path(key) is None:
        hint += " (it is a static parameter: put it under 'parameters:')"
    elif not close:
        static = [p for p in closest_paths(key) if not p.startswith("policy.")]
        if static:
            hint = (f"; did you mean {', '.join(map(repr, static))}? "
                    "(static parameters go under 'parameters:')")
    return f"unknown policy lever {quote(key)}{hint}"


def _tidy(problems: list[str]) -> list[str]:
    return [p.replace("Value error, ", "") for p in problems]








@functools.cache
def _parameter_meta() -> dict[str, dict[str, Any]]:
    return {row["path"]: row for row in parameter_table()}


@functools.cache
def _group_paths() -> frozenset[str]:
    out: set[str] = set()
    for path in _parameter_meta():
        parts = path.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(out)


@functools.cache
def _group_paths_relative(prefix: str) -> frozenset[str]:
    return frozenset(g.removeprefix(prefix) for g in _group_paths() if g.startswith(prefix))
