"""Experiment files: many runs described as data, validated, and expanded into run specs.

An experiment file is YAML::

    name: illness_sweep
    description: Does a higher illness rate push the official path into large-scale relapse?
    scenarios: [transition, abrupt_withdrawal]     # names, files or overlays ('a+b')
    parameters:                                    # fixed overrides for every run (dotted paths)
      shocks.disaster.p_county_year: 0.05
    grid:                                          # full factorial: dotted path -> list of values
      shocks.illness.p_year: [0.08, 0.12, 0.16]
    samples:                                       # design points: a list of {dotted path: value}
      - {income.productivity_growth_year: 0.02}
      - {income.productivity_growth_year: 0.04}
    seeds: 10                                      # seeds 1..10 (first_seed: 5 -> 5..14; or a list [3, 7, 11])
    households: 20000                              # population.n_households
    counties: 10                                   # population.n_counties
    years: 10                                      # sim.n_years
    keep: [summary, annual, counties]              # tables stored per run (monthly too if asked)
    parameter_uncertainty: true                    # each pair of seeds runs a fitted parameter set

``seeds`` is a count (seeds ``first_seed``, ``first_seed + 1``, ..., ``first_seed`` defaulting to
1) or a list of seeds; ``replications: N``, its older spelling, still means ``seeds: N``. The
command line's shared options replace the file's values (:func:`apply_options`).

``parameter_uncertainty`` (``true`` for the shipped ensemble ``scenarios/baseline_ensemble.csv``, or
an ensemble file's path, relative to the experiment file) draws one parameter set of the fitted
ensemble for every pair of seeds (``2k-1``, ``2k``), the same set for every design point and
scenario of the seed (:func:`experiments.fit.ensemble.draws`, as ``compare --parameter-uncertainty``
does). A drawn set replaces the fitted parameters over the whole run, the baseline's 2017-2020
history included (``history_parameters`` does the same with one fixed set); the runs table gets a
``parameter_set`` column (the particle number) to group the runs by. A drawn parameter may not be
set elsewhere in the file.

Design points are the grid's combinations crossed with the samples (either may be absent). Runs
are ordered seed by seed, then design point, then scenario, so an interrupted experiment still has
complete scenario pairs on common random numbers. Policy levers take the ``policy.`` prefix
(``policy.assistance.industrial.intensity: [1.0, 0.5]``); a lever value may be a schedule
mapping (``{2021: 1.0, 2024: 0.0}``).

Validation reports every problem at once, each naming the file, the key path, the value and what
is allowed; unknown keys and parameter paths come with the closest valid names. Every run's
parameters are built before anything starts, so a bad combination is found before the first run.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.files import canonical_json, jsonable
from model.params import Params, ParamsError, bounds, check_path, closest_paths, parameter_table
from model.policy import Schedule
from scenarios import ScenarioError, apply_overrides, load_scenario
from scenarios.inputs import (
    ProblemsError,
    is_number,
    is_whole_number,
    quote,
    range_text,
    read_named_yaml,
)

EXPERIMENT_DIR = Path(__file__).resolve().parents[1]
"""Directory of the shipped experiment files."""

TOP_LEVEL_KEYS = ("name", "description", "scenarios", "parameters", "grid", "samples", "seeds", "first_seed",
                  "replications", "households", "counties", "years", "keep", "history_parameters",
                  "parameter_uncertainty")
TABLE_CHOICES = ("summary", "annual", "counties", "monthly")
DEFAULT_KEEP = ("summary", "annual")
#: Shorthand keys for the size and horizon of every run, and the parameter each sets.
SIZE_KEYS = {"households": "population.n_households", "counties": "population.n_counties",
             "years": "sim.n_years"}
#: Column names of the runs table that are not parameters.
RESERVED_COLUMNS = ("run_id", "run_index", "scenario", "seed", "wall_time_s", "worker")
#: Column of the runs table naming the parameter set a run drew (``parameter_uncertainty``).
PARAMETER_SET_COLUMN = "parameter_set"
MAX_RUNS = 2_000_000
MAX_SEED = 2**63 - 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_MAX_COMBINATION_PROBLEMS = 10


class ExperimentSpecError(ProblemsError):
    """An invalid experiment file: every problem found, one per line, each naming the file."""


@dataclass(frozen=True)
class RunSpec:
    """Everything one run needs, and nothing that depends on where it runs.

    Attributes:
        run_index: Position in the experiment's run order (0-based).
        run_id: Stable hash of the run's content (scenario and its resolved overrides, the
            experiment's overrides, seed); the name of its result part.
        scenario: Scenario name (or overlay ``a+b``) as written in the experiment file.
        seed: Root seed of the run.
        overrides: The experiment's dotted-path overrides for this run (fixed parameters, size,
            grid values, sample values), as written; these become the parameter columns.
        scenario_overrides: The scenario's resolved overrides (its whole chain), so that a worker
            needs no scenario file.
        keep: Tables stored (``summary`` always; ``monthly`` also switches its collection on).
        columns: Parameter column values (dotted path → int, float, bool or JSON text), typed
            consistently over the whole experiment.
        policy_year: For a policy scenario, the year from whose January the experiment's dated
            overrides take effect (the years before keep the baseline's history,
            :mod:`scenarios.history`); None for a history scenario.
        history_overrides: Overrides of the whole run, the baseline's history included, applied to
            the scenario chain before ``overrides`` (``history_parameters`` and a drawn parameter
            set of ``parameter_uncertainty``).
    """

    run_index: int
    run_id: str
    scenario: str
    seed: int
    overrides: dict[str, Any]
    scenario_overrides: dict[str, Any]
    keep: tuple[str, ...]
    columns: dict[str, Any] = field(default_factory=dict)
    policy_year: int | None = None
    history_overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def params_overrides(self) -> dict[str, Any]:
        """The complete mapping from the defaults: the scenario chain with ``history_overrides``
        over the whole run, then ``overrides`` (dated ones from ``policy_year`` on, as the scenario
        loader applies ``--set``)."""
        return apply_overrides({**self.scenario_overrides, **self.history_overrides}, self.overrides,
                               self.policy_year)

    @property
    def collect_monthly(self) -> bool:
        return "monthly" in self.keep

    def params(self) -> Params:
        """The run's parameters."""
        return _defaults().with_overrides(self.params_overrides, origin=f"run {self.run_id}")

    @property
    def cost(self) -> float:
        """Relative cost of the run: households x years."""
        given = self.params_overrides
        households = given.get("population.n_households", _defaults().population.n_households)
        return float(households) * float(given.get("sim.n_years", _defaults().sim.n_years))

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready description (for failures.jsonl)."""
        record = {"run_index": self.run_index, "run_id": self.run_id, "scenario": self.scenario,
                  "seed": self.seed, "overrides": jsonable(self.overrides)}
        if self.history_overrides:
            record["history_overrides"] = jsonable(self.history_overrides)
        return record


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated experiment file.

    Attributes:
        name: Experiment name.
        description: What the experiment asks.
        scenarios: Scenario names (or overlays / files) in the file's order.
        parameters: Fixed dotted-path overrides for every run.
        grid: Dotted path → values (full factorial).
        samples: Design points given one by one.
        seeds: Seeds of every design point and scenario.
        size: Size/horizon overrides from ``households``, ``counties``, ``years``.
        keep: Stored tables (``summary`` always).
        path: The file read (None when built from a mapping).
        text: The file's text, stored in the manifest so the experiment can be redone.
        scenario_overrides: Resolved override mapping of each scenario (its whole chain).
        policy_years: Each scenario's first policy year (None for a history scenario).
        history_parameters: Overrides of every run over its whole timeline (the history included).
        ensemble: The parameter ensemble of ``parameter_uncertainty``
            (:class:`experiments.fit.ensemble.Ensemble`), or None.
    """

    name: str
    description: str
    scenarios: tuple[str, ...]
    parameters: dict[str, Any]
    grid: dict[str, list[Any]]
    samples: list[dict[str, Any]]
    seeds: tuple[int, ...]
    size: dict[str, int]
    keep: tuple[str, ...]
    path: Path | None = None
    text: str = ""
    scenario_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    policy_years: dict[str, int | None] = field(default_factory=dict)
    history_parameters: dict[str, Any] = field(default_factory=dict)
    ensemble: Any = None

    def drawn_sets(self) -> dict[int, int]:
        """Seed → index of the parameter set it runs ({} without ``parameter_uncertainty``)."""
        if self.ensemble is None:
            return {}
        from experiments.fit.ensemble import draws

        return draws(self.ensemble, self.seeds)

    def history_of(self, seed: int) -> dict[str, Any]:
        """The whole-run overrides of the runs of ``seed``: ``history_parameters`` and its drawn set."""
        drawn = self.drawn_sets()
        if seed not in drawn:
            return dict(self.history_parameters)
        return {**self.history_parameters, **self.ensemble.overrides(drawn[seed])}

    def design_points(self) -> list[dict[str, Any]]:
        """Grid combinations crossed with samples (a single empty point when neither is given)."""
        grid_points = [dict(zip(self.grid, combo, strict=True))
                       for combo in itertools.product(*self.grid.values())] if self.grid else [{}]
        sample_points = self.samples or [{}]
        return [{**g, **s} for g in grid_points for s in sample_points]

    @property
    def n_runs(self) -> int:
        n_grid = math.prod(len(v) for v in self.grid.values()) if self.grid else 1
        return len(self.scenarios) * n_grid * max(len(self.samples), 1) * len(self.seeds)

    def to_data(self) -> dict[str, Any]:
        """The normalised specification as plain JSON-ready data."""
        return {
            "name": self.name, "description": self.description, "scenarios": list(self.scenarios),
            "parameters": jsonable(self.parameters), "grid": jsonable(self.grid),
            "samples": jsonable(self.samples), "seeds": list(self.seeds),
            "size": dict(self.size), "keep": list(self.keep),
            "scenario_overrides": jsonable(self.scenario_overrides),
            "policy_years": dict(self.policy_years),
            **({"history_parameters": jsonable(self.history_parameters)} if self.history_parameters else {}),
            **({"parameter_uncertainty": {
                "ensemble": self.ensemble.source, "paths": list(self.ensemble.paths),
                "draws": {str(seed): int(self.ensemble.particles[i]) for seed, i in self.drawn_sets().items()},
                "sets": {str(self.ensemble.particles[i]): jsonable(self.ensemble.overrides(i))
                         for i in sorted(set(self.drawn_sets().values()))}}} if self.ensemble is not None else {}),
        }

    @property
    def spec_hash(self) -> str:
        """SHA-256 of the normalised specification, scenario contents included."""
        return _digest(self.to_data())

    def expand(self) -> list[RunSpec]:
        """The deterministic list of runs: seeds, then design points, then scenarios."""
        fixed = {**self.parameters, **self.size}
        points = [{**fixed, **p} for p in self.design_points()]
        kinds = _column_kinds(points)
        columns = [{path: _column_value(point[path], kinds[path]) for path in kinds} for point in points]
        scenario_text = {name: canonical_json(o) for name, o in self.scenario_overrides.items()}
        point_text = [canonical_json(p) for p in points]
        drawn = self.drawn_sets()
        runs: list[RunSpec] = []
        for seed in self.seeds:
            history = self.history_of(seed)
            # runs without whole-run overrides keep the ids they always had (stores stay resumable)
            history_text = f',"history_overrides":{canonical_json(history)}' if history else ""
            set_column = {PARAMETER_SET_COLUMN: int(self.ensemble.particles[drawn[seed]])} if drawn else {}
            # the whole-run values are parameter columns too, so the runs table says what each run ran
            history_columns = {path: value if isinstance(value, (bool, int, float, str)) else canonical_json(value)
                               for path, value in history.items()}
            for point, text, cols in zip(points, point_text, columns, strict=True):
                for scenario in self.scenarios:
                    content = f'{{"scenario":{json.dumps(scenario)},"scenario_overrides":{scenario_text[scenario]},' \
                              f'"overrides":{text}{history_text},"seed":{seed}}}'
                    run_id = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
                    runs.append(RunSpec(len(runs), run_id, scenario, seed, point, self.scenario_overrides[scenario],
                                        self.keep, {**cols, **history_columns, **set_column},
                                        self.policy_years.get(scenario), history))
        return runs


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------



def load_experiment(ref: str | Path, options: Mapping[str, Any] | None = None) -> ExperimentSpec:
    """Read and validate an experiment file (a path, or the name of a shipped experiment), with the
    command line's ``options`` applied (:func:`apply_options`).

    Every run's parameters are built once, so a returned spec expands into runs that all start.

    Raises:
        ExperimentSpecError: With every problem found.
    """
    try:
        file = read_named_yaml(ref, EXPERIMENT_DIR, "experiment")
    except ProblemsError as exc:
        raise ExperimentSpecError(exc.problems) from None
    data = file.data
    if options and isinstance(data, Mapping):
        data = apply_options(data, options, file.label)
    return validate(data, label=file.label, path=file.path, text=file.text)


def apply_options(data: Mapping[str, Any], options: Mapping[str, Any], label: str = "experiment") -> dict[str, Any]:
    """The experiment data with the command line's shared options in place of the file's values.

    ``options`` may hold ``seeds`` (a count), ``first_seed``, ``households``, ``counties``,
    ``years``, ``parameters`` (the ``--set`` overrides, added to the file's ``parameters``) and
    ``parameter_uncertainty`` (true, or an ensemble file's path); None values are left out.

    Raises:
        ExperimentSpecError: When an option cannot apply to the file (``--first-seed`` with a list of
            seeds, ``--set`` of a parameter the file varies).
    """
    out = dict(data)
    given = {k: v for k, v in options.items() if v is not None and v != {}}
    problems = []
    if "seeds" in given:
        out.pop("replications", None)
        out["seeds"] = given["seeds"]
    if "first_seed" in given:
        if isinstance(out.get("seeds"), list):
            problems.append(f"{label}: --first-seed {given['first_seed']}: the file lists its seeds; give --seeds N "
                            "too for N seeds from it")
        out["first_seed"] = given["first_seed"]
    for key in SIZE_KEYS:
        if key in given:
            out[key] = given[key]
    if given.get("parameter_uncertainty"):
        out["parameter_uncertainty"] = given["parameter_uncertainty"]
    if given.get("parameters"):
        varied = set(out.get("grid") or {}) | {k for s in (out.get("samples") or []) if isinstance(s, Mapping)
                                               for k in s}
        for path in given["parameters"]:
            if path in varied:
                problems.append(f"{label}: --set {path}: the file varies it (grid: or samples:); leave it out of --set "
                                "or out of the file's design")
        out["parameters"] = {**(out.get("parameters") or {}), **given["parameters"]}
    if problems:
        raise ExperimentSpecError(problems)
    return out


def validate(data: Any, label: str = "experiment", path: Path | None = None, text: str = "") -> ExperimentSpec:
    """Validate experiment data already parsed from YAML (see :func:`load_experiment`)."""
    if data is None:
        raise ExperimentSpecError([f"{label}: file is empty; expected keys {', '.join(TOP_LEVEL_KEYS)}"])
    if not isinstance(data, Mapping):
        raise ExperimentSpecError([f"{label}: top level must be a mapping with keys "
                                   f"{', '.join(TOP_LEVEL_KEYS)}, found {type(data).__name__}"])
    problems: list[str] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"{label}: unknown top-level key {quote(key)}; {_top_level_hint(key)}")

    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(f"{label}: name = {quote(name)}: expected a short name of letters, digits, '_', '.' "
                        "or '-' (it names the default output directory runs/<name>)")
        name = "experiment"
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(f"{label}: description = {quote(description)}: expected a non-empty paragraph saying what "
                        "the experiment asks")
        description = ""

    scenarios = _scenarios(data.get("scenarios"), label, problems)
    size = _size(data, label, problems)
    parameters = _overrides_mapping(data.get("parameters"), "parameters", label, problems)
    grid = _grid(data.get("grid"), label, problems)
    samples = _samples(data.get("samples"), label, problems)
    seeds = _seeds(data, label, problems)
    keep = _keep(data.get("keep"), label, problems)
    history_parameters = _overrides_mapping(data.get("history_parameters"), "history_parameters", label, problems)
    ensemble = _ensemble(data.get("parameter_uncertainty"), label, path, problems)

    # One source per parameter: a path set twice would silently lose one of the values.
    sources: dict[str, str] = {}
    given = [("parameters", list(parameters)), ("grid", list(grid)),
             ("samples", list(samples[0]) if samples else []), *((k, [SIZE_KEYS[k]]) for k in size),
             ("history_parameters", list(history_parameters)),
             ("parameter_uncertainty", list(ensemble.paths) if ensemble is not None else [])]
    for where, paths in given:
        for p in paths:
            if p in sources:
                problems.append(f"{label}: {p} is set in both '{sources[p]}' and '{where}'; set it in one place")
            else:
                sources[p] = where

    scenario_overrides: dict[str, dict[str, Any]] = {}
    policy_years: dict[str, int | None] = {}
    for i, scenario in enumerate(scenarios):
        try:
            loaded = load_scenario(scenario)
            scenario_overrides[scenario] = dict(loaded.overrides)
            policy_years[scenario] = loaded.policy_year
        except ScenarioError as exc:
            problems += [f"{label}: scenarios[{i}] = {quote(scenario)}: {p}" for p in exc.problems]

    if problems:
        raise ExperimentSpecError(problems)

    spec = ExperimentSpec(name=name, description=" ".join(description.split()), scenarios=tuple(scenarios),
                          parameters=parameters, grid=grid, samples=samples, seeds=tuple(seeds),
                          size={SIZE_KEYS[k]: v for k, v in size.items()}, keep=keep, path=path, text=text,
                          scenario_overrides=scenario_overrides, policy_years=policy_years,
                          history_parameters=history_parameters, ensemble=ensemble)
    if spec.n_runs > MAX_RUNS:
        raise ExperimentSpecError([f"{label}: the experiment has {spec.n_runs:,} runs; at most {MAX_RUNS:,} are "
                                   "allowed in one experiment (split it into several files)"])
    _check_runs(spec, label)
    return spec


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def _ensemble(value: Any, label: str, path: Path | None, problems: list[str]) -> Any:
    """``parameter_uncertainty``: absent/false (None), true (the shipped ensemble) or an ensemble
    file's path (relative to the experiment file); the file is read and checked here."""
    if value is None or value is False:
        return None
    from experiments.fit.ensemble import SHIPPED_ENSEMBLE, EnsembleError, read_ensemble

    if value is True:
        file = SHIPPED_ENSEMBLE
    elif isinstance(value, str) and value.strip():
        file = Path(value).expanduser()
        if not file.is_absolute() and path is not None:
            file = path.resolve().parent / file
    else:
        problems.append(f"{label}: parameter_uncertainty = {quote(value)}: expected true (the shipped ensemble "
                        "scenarios/baseline_ensemble.csv), false, or the path of an ensemble file written by "
                        "'ruralsim calibrate --method abc'")
        return None
    try:
        return read_ensemble(file)
    except EnsembleError as exc:
        problems += [f"{label}: parameter_uncertainty: {p}" for p in exc.problems]
        return None


def _scenarios(value: Any, label: str, problems: list[str]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(f"{label}: scenarios = {quote(value)}: expected a non-empty list of scenario names, files or "
                        "overlays, e.g. [transition, abrupt_withdrawal]")
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{label}: scenarios[{i}] = {quote(item)}: expected a scenario name, file or overlay 'a+b'")
        elif item.strip() in out:
            problems.append(f"{label}: scenarios[{i}] = {quote(item)} is listed twice")
        else:
            out.append(item.strip())
    return out


def _size(data: Mapping[str, Any], label: str, problems: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key in (k for k in SIZE_KEYS if data.get(k) is not None):
        path = SIZE_KEYS[key]
        value = data[key]
        lo, hi = bounds(path)
        if not is_whole_number(value):
            problems.append(f"{label}: {key} = {quote(value)}: expected a whole number in [{lo:,.0f}, {hi:,.0f}] "
                            f"({path})")
        elif not lo <= value <= hi:
            problems.append(f"{label}: {key} = {quote(value)}: out of range; allowed [{lo:,.0f}, {hi:,.0f}] ({path})")
        else:
            out[key] = int(value)
    return out


def _overrides_mapping(value: Any, key: str, label: str, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(f"{label}: {key} = {quote(value)}: expected a mapping of dotted parameter paths to values")
        return {}
    out: dict[str, Any] = {}
    for path, item in value.items():
        where = f"{key}.{path}"
        if not _path_ok(path, where, label, problems):
            continue
        problems += _value_problems(path, item, f"{label}: {where}")
        out[path] = item
    return out


def _grid(value: Any, label: str, problems: list[str]) -> dict[str, list[Any]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not value:
        problems.append(f"{label}: grid = {quote(value)}: expected a mapping of dotted parameter paths to lists of "
                        "values, e.g. {{shocks.illness.p_year: [0.08, 0.12]}}")
        return {}
    out: dict[str, list[Any]] = {}
    for path, values in value.items():
        where = f"grid.{path}"
        if not _path_ok(path, where, label, problems):
            continue
        if not isinstance(values, list) or not values:
            problems.append(f"{label}: {where} = {quote(values)}: expected a non-empty list of values, e.g. [0.1, 0.2]")
            continue
        seen: list[str] = []
        for i, item in enumerate(values):
            problems += _value_problems(path, item, f"{label}: {where}[{i}]")
            key = _value_key(item)
            if key in seen:
                problems.append(f"{label}: {where}[{i}] = {quote(item)} repeats an earlier value (runs would be "
                                "duplicated)")
            seen.append(key)
        out[path] = list(values)
    return out


def _samples(value: Any, label: str, problems: list[str]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        problems.append(f"{label}: samples = {quote(value)}: expected a non-empty list of mappings "
                        "{{dotted.path: value, ...}}, one per design point")
        return []
    out: list[dict[str, Any]] = []
    first_keys: list[str] | None = None
    seen: dict[str, int] = {}
    for i, sample in enumerate(value):
        where = f"samples[{i}]"
        if not isinstance(sample, Mapping) or not sample:
            problems.append(f"{label}: {where} = {quote(sample)}: expected a non-empty mapping of dotted parameter "
                            "paths "
                            "to values")
            continue
        point: dict[str, Any] = {}
        for path, item in sample.items():
            if not _path_ok(path, f"{where}.{path}", label, problems):
                continue
            problems += _value_problems(path, item, f"{label}: {where}.{path}")
            point[path] = item
        keys = sorted(str(k) for k in sample)
        if first_keys is None:
            first_keys = keys
        elif keys != first_keys:
            problems.append(f"{label}: {where} sets {', '.join(keys)} but samples[0] sets {', '.join(first_keys)}; "
                            "every sample must set the same parameters")
        key = _value_key(point)
        if key in seen:
            problems.append(f"{label}: {where} repeats samples[{seen[key]}] (runs would be duplicated)")
        seen.setdefault(key, i)
        out.append(point)
    return out


def _seeds(data: Mapping[str, Any], label: str, problems: list[str]) -> list[int]:
    seeds, reps, first = data.get("seeds"), data.get("replications"), data.get("first_seed")
    if seeds is not None and reps is not None:
        problems.append(f"{label}: give either 'seeds' or its older spelling 'replications', not both")
        return []
    if seeds is None and reps is None:
        problems.append(f"{label}: missing 'seeds'; e.g. seeds: 10 (seeds 1..10) or seeds: [3, 7, 11]")
        return []
    count_key = "seeds" if reps is None else "replications"
    count = seeds if reps is None else reps
    if first is not None and not (is_whole_number(first) and 0 <= first <= MAX_SEED - MAX_RUNS):
        problems.append(f"{label}: first_seed = {quote(first)}: expected a whole number in [0, 2**63-1]")
        return []
    if is_whole_number(count) or (reps is not None):
        if not is_whole_number(count) or not 1 <= count <= MAX_RUNS:
            problems.append(f"{label}: {count_key} = {quote(count)}: expected a whole number in [1, {MAX_RUNS:,}] "
                            "(how many seeds; or a list of seeds)")
            return []
        start = 1 if first is None else int(first)
        return list(range(start, start + int(count)))
    if first is not None:
        problems.append(f"{label}: first_seed = {quote(first)} applies to a count of seeds (seeds: N); the file "
                        "lists its seeds, so leave first_seed out")
        return []
    if not isinstance(seeds, list) or not seeds:
        problems.append(f"{label}: seeds = {quote(seeds)}: expected a number of seeds (seeds: 10) or a non-empty list "
                        "of whole numbers >= 0")
        return []
    out: list[int] = []
    for i, seed in enumerate(seeds):
        if not is_whole_number(seed) or not 0 <= seed <= MAX_SEED:
            problems.append(f"{label}: seeds[{i}] = {quote(seed)}: expected a whole number in [0, 2**63-1]")
        elif seed in out:
            problems.append(f"{label}: seeds[{i}] = {quote(seed)} is listed twice (runs would be duplicated)")
        else:
            out.append(int(seed))
    return out


def _keep(value: Any, label: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_KEEP
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(f"{label}: keep = {quote(value)}: expected a list drawn from {', '.join(TABLE_CHOICES)}")
        return DEFAULT_KEEP
    out = ["summary"]
    for i, item in enumerate(value):
        if item not in TABLE_CHOICES:
            close = difflib.get_close_matches(str(item), TABLE_CHOICES, n=1, cutoff=0.5)
            hint = f"did you mean {quote(close[0])}? " if close else ""
            problems.append(f"{label}: keep[{i}] = {quote(item)}: {hint}allowed: {', '.join(TABLE_CHOICES)}")
        elif item not in out:
            out.append(item)
    return tuple(t for t in TABLE_CHOICES if t in out)


# --------------------------------------------------------------------------------------------
# Parameter checks
# --------------------------------------------------------------------------------------------


def _path_ok(path: Any, where: str, label: str, problems: list[str]) -> bool:
    if not isinstance(path, str) or not path.strip():
        problems.append(f"{label}: {where}: key {quote(path)} is not a dotted parameter path")
        return False
    if path in SIZE_KEYS:
        problems.append(f"{label}: {where}: {quote(path)} is not a parameter path; write {quote(SIZE_KEYS[path])} "
                        f"(or the top-level key '{path}:' for a fixed value)")
        return False
    message = check_path(path)
    if message is None:
        return True
    if not path.startswith("policy.") and check_path("policy." + path) is None:
        message += f" (policy levers need the 'policy.' prefix: 'policy.{path}')"
    problems.append(f"{label}: {where}: {message}")
    return False


def _value_problems(path: str, value: Any, where: str) -> list[str]:
    """Type and range problems of one value (numbers must be numbers, flags true/false)."""
    row = _parameter_rows()[path]
    kind = type(row["default"])
    if not row["lever"] and kind in (int, float) and not is_number(value):
        return [f"{where} = {quote(value)}: expected a number{range_text(row)}"]
    if kind is int and not row["lever"] and not is_whole_number(value):
        return [f"{where} = {quote(value)}: expected a whole number{range_text(row)}"]
    if kind is bool and not isinstance(value, bool):
        return [f"{where} = {quote(value)}: expected true or false"]
    try:
        _defaults().with_overrides({path: value}, origin=where, cross_field=False)  # with the others: below
    except ParamsError as exc:
        return [_tidy(p) for p in exc.problems]
    return []


def _check_runs(spec: ExperimentSpec, label: str) -> None:
    """Build the parameters of every (scenario, design point, drawn parameter set): rules linking
    parameters fail here."""
    problems: list[str] = []
    n_bad = 0
    fixed = {**spec.parameters, **spec.size}
    drawn = spec.drawn_sets()
    histories = {i: {**spec.history_parameters, **spec.ensemble.overrides(i)} for i in sorted(set(drawn.values()))} \
        if drawn else {None: dict(spec.history_parameters)}
    for index, history in histories.items():
        for point in spec.design_points():
            overrides = {**fixed, **point, **history}
            for scenario in spec.scenarios:
                try:
                    _defaults().with_overrides({**spec.scenario_overrides[scenario], **overrides}, origin="")
                except ParamsError as exc:
                    n_bad += 1
                    if n_bad <= _MAX_COMBINATION_PROBLEMS:
                        shown = ", ".join(f"{k}={_short(v)}" for k, v in point.items()) or "the fixed parameters"
                        if index is not None:
                            shown += f" and parameter set {spec.ensemble.particles[index]} of {spec.ensemble.source}"
                        where = f"{label}: scenario {quote(scenario)} with {shown}"
                        problems += [f"{where}: {_tidy(p).removeprefix(': ')}" for p in exc.problems]
    if n_bad > _MAX_COMBINATION_PROBLEMS:
        problems.append(f"{label}: ... and {n_bad - _MAX_COMBINATION_PROBLEMS} more invalid combinations")
    if problems:
        raise ExperimentSpecError(problems)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _tidy(problem: str) -> str:
    return problem.replace("Value error, ", "")



def _top_level_hint(key: Any) -> str:
    close = difflib.get_close_matches(str(key), TOP_LEVEL_KEYS, n=2, cutoff=0.5)
    if close:
        return f"did you mean {', '.join(map(repr, close))}?"
    if isinstance(key, str) and (check_path(key) is None or check_path("policy." + key) is None):
        return "parameter overrides go under 'parameters:' (fixed) or 'grid:' (lists of values)"
    if isinstance(key, str) and closest_paths(key):
        return "parameter paths go under 'parameters:', 'grid:' or 'samples:'"
    return f"allowed keys are {', '.join(TOP_LEVEL_KEYS)}"





def _short(value: Any) -> str:
    text = json.dumps(jsonable(value), separators=(",", ":"))
    return text if len(text) <= 40 else text[:37] + "..."




def _value_key(value: Any) -> str:
    """One text for values that set a parameter alike: ``1`` and ``1.0``, ``{2021: 1}`` and
    ``{"2021-01": 1.0}`` (a grid or samples listing both would run the same thing twice)."""
    def plain(v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, int | float | Mapping | list | tuple):
            return v
        if isinstance(v, int | float):
            return float(v)
        if isinstance(v, Mapping):
            try:
                return Schedule.parse(v).to_data()
            except ValueError:
                return {str(k): plain(x) for k, x in v.items()}
        return [plain(x) for x in v]

    return canonical_json(plain(value))


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _column_kinds(points: list[dict[str, Any]]) -> dict[str, str]:
    """One storage type per parameter column over the whole experiment: bool, int, float or json."""
    kinds: dict[str, str] = {}
    for path in dict.fromkeys(p for point in points for p in point):
        values = [point[path] for point in points if path in point]
        if all(isinstance(v, bool) for v in values):
            kinds[path] = "bool"
        elif all(is_whole_number(v) for v in values):
            kinds[path] = "int"
        elif all(is_number(v) for v in values):
            kinds[path] = "float"
        else:
            kinds[path] = "json"
    return kinds


def _column_value(value: Any, kind: str) -> Any:
    if kind == "float":
        return float(value)
    if kind == "json":
        return canonical_json(value)
    return value


_ROWS: dict[str, dict[str, Any]] = {}
_DEFAULTS: list[Params] = []


def _defaults() -> Params:
    """The default parameters (built once; ``Params`` is immutable)."""
    if not _DEFAULTS:
        _DEFAULTS.append(Params())
    return _DEFAULTS[0]


def _parameter_rows() -> dict[str, dict[str, Any]]:
    if not _ROWS:
        _ROWS.update({row["path"]: row for row in parameter_table()})
    return _ROWS
