"""Sensitivity and scenario-discovery problems as data: parameters, bounds, outputs, run size.

A problem file is YAML (``experiments/problems/*.yaml``)::

    name: relapse_risk
    description: Which uncertainties and policy levers drive the risk of large-scale relapse?
    base: transition                     # scenario every run starts from (overridable: --base)
    households: 20000                    # run size defaults (overridable on the command line)
    counties: 10
    years: 10
    seeds: 2                             # replications per sample point (paired seeds 1..R; older: reps)
    n: {sobol: 64, morris: 20, delta: 256, discover: 400}   # base sample size per method
    uncertainties:                       # dotted Params paths; bounds default to the declared range
      shocks.illness.p_year: {bounds: [0.05, 0.25]}
      prices.log_price_sd_month: {}
    levers:
      policy.monitoring.coverage: {bounds: [0.3, 1.0]}
      withdrawal_year: {bounds: [2022, 2030]}     # a derived parameter (see below)
    withdrawal:                          # how the derived parameters build dated schedules
      start_year: 2021
      levers: [policy.assistance.industrial.intensity, policy.assistance.employment.intensity]
    outputs: [relapse_rate_peak, large_scale_relapse]

Parameters are named by the same dotted paths as scenario files and ``--set`` (policy levers with
the ``policy.`` prefix). A lever path takes a scalar value, which holds it constant over the whole
run. Bounds must lie inside the range ``Params`` declares for the path; parameters whose default
is an integer are rounded to the nearest integer before the run.

Derived parameters (not Params paths; they are turned into schedules of the levers listed under
``withdrawal.levers``):

- ``withdrawal_year`` — the first year in which targeted assistance is reduced (integer; allowed
  from ``start_year + 1`` to 2060). Default when absent from the problem: never withdrawn.
- ``taper_years`` — years over which it is reduced (integer, 0-10; 0 = stops at once). Support
  falls in equal steps: with withdrawal year W and taper T the level in year W + k is
  ``level * (1 - (k + 1) / (T + 1))`` for k = 0..T, so it reaches zero in year W + T.
- ``assistance_level`` — the level of every withdrawal lever before withdrawal, as a share of
  the 2020 level (the assistance size; allowed within the levers' declared range).

For example ``withdrawal_year = 2024, taper_years = 2, assistance_level = 1.2`` gives each listed
lever the schedule ``{2021: 1.2, 2024: 0.8, 2025: 0.4, 2026: 0.0}``.

Validation reports every problem at once, each naming the file, the key path, the bad value and
what is allowed; unknown keys and parameter paths come with the closest valid names.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.params import Params, ParamsError, bounds, check_path, closest_paths
from scenarios.inputs import ProblemsError, is_number, is_whole_number, quote, read_named_yaml

PROBLEM_DIR = Path(__file__).resolve().parents[1] / "problems"
"""Directory of the shipped problem files."""

TOP_LEVEL_KEYS = ("name", "description", "base", "households", "counties", "years", "seeds", "reps", "n",
                  "uncertainties", "levers", "withdrawal", "outputs")
PARAMETER_KEYS = ("bounds", "doc")
METHODS = ("sobol", "morris", "delta", "discover")
DERIVED = ("withdrawal_year", "taper_years", "assistance_level")
#: Allowed range of the derived parameters; ``withdrawal_year`` starts at ``start_year + 1`` (the
#: year before withdrawal keeps the pre-withdrawal level), see :func:`derived_range`.
DERIVED_RANGES = {"withdrawal_year": (2022.0, 2060.0), "taper_years": (0.0, 10.0)}
LAST_WITHDRAWAL_YEAR = 2060
WITHDRAWAL_KEYS = ("start_year", "levers")
SIZE_PATHS = {"households": "population.n_households", "counties": "population.n_counties",
              "years": "sim.n_years"}
DEFAULT_N = {"sobol": 64, "morris": 20, "delta": 256, "discover": 400}


class ProblemError(ProblemsError):
    """An invalid problem file: every problem found, one per line, each naming the file."""


@dataclass(frozen=True)
class Parameter:
    """One sampled parameter: a dotted Params path or a derived parameter."""

    name: str
    lo: float
    hi: float
    kind: str  # "uncertainty" or "lever"
    integer: bool = False
    derived: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Problem:
    """A validated sensitivity / discovery problem.

    Attributes:
        name: Problem name.
        description: What it asks.
        base: Scenario every run starts from.
        parameters: Uncertainties then levers, in the file's order.
        outputs: ``summary`` keys analysed.
        size: households / counties / years defaults.
        reps: Replications per sample point.
        n: Default base sample size per method.
        start_year: First year of the withdrawal schedules.
        withdrawal_levers: Lever paths (without ``policy.``) the derived parameters set.
        path: The file read (None when built in code).
        fixed: Dotted-path overrides of every run (``--set``), on top of the base scenario.
    """

    name: str
    description: str
    base: str
    parameters: tuple[Parameter, ...]
    outputs: tuple[str, ...]
    size: dict[str, int] = field(default_factory=dict)
    reps: int = 2
    n: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_N))
    start_year: int = 2021
    withdrawal_levers: tuple[str, ...] = ()
    path: Path | None = None
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    @property
    def levers(self) -> list[str]:
        return [p.name for p in self.parameters if p.kind == "lever"]

    def salib_problem(self) -> dict[str, Any]:
        """The SALib problem mapping (names, bounds, outputs)."""
        return {"names": self.names, "bounds": [[p.lo, p.hi] for p in self.parameters],
                "outputs": list(self.outputs), "num_vars": len(self.parameters)}

    def point_values(self, row: Any) -> dict[str, float]:
        """Parameter values of one sample row, integers rounded (the values actually run)."""
        out: dict[str, float] = {}
        for p, x in zip(self.parameters, row, strict=True):
            v = float(x)
            out[p.name] = float(math.floor(v + 0.5)) if p.integer else v
        return out

    def overrides(self, row: Any) -> dict[str, Any]:
        """Dotted-path overrides of one sample row (derived parameters expanded into schedules)."""
        values = self.point_values(row)
        out: dict[str, Any] = {}
        for p in self.parameters:
            if not p.derived:
                v = values[p.name]
                out[p.name] = int(v) if p.integer else v
        if any(p.derived for p in self.parameters):
            schedule = withdrawal_schedule(self.start_year, values.get("withdrawal_year"),
                                           values.get("taper_years", 0.0), values.get("assistance_level", 1.0))
            for lever in self.withdrawal_levers:
                out[f"policy.{lever}"] = schedule
        return out


def derived_range(name: str, start_year: int) -> tuple[float, float]:
    """Allowed range of ``withdrawal_year`` or ``taper_years`` for schedules starting in ``start_year``."""
    if name == "withdrawal_year":
        return float(start_year + 1), float(LAST_WITHDRAWAL_YEAR)
    return DERIVED_RANGES[name]


def withdrawal_schedule(start_year: int, withdrawal_year: float | None, taper_years: float,
                        level: float) -> dict[int, float] | float:
    """The dated schedule built by the derived parameters (see the module docstring)."""
    level = round(float(level), 10)
    if withdrawal_year is None:
        return level
    w, t = int(withdrawal_year), int(taper_years)
    schedule: dict[int, float] = {start_year: level}
    for k in range(t + 1):
        schedule[w + k] = round(level * (1.0 - (k + 1) / (t + 1)), 10)
    return schedule


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_problem(ref: str | Path) -> Problem:
    """Read and validate a problem file (a path, or the name of a shipped problem).

    Raises:
        ProblemError: With every problem found.
    """
    try:
        file = read_named_yaml(ref, PROBLEM_DIR, "problem")
    except ProblemsError as exc:
        raise ProblemError(exc.problems) from None
    return validate_problem(file.data, label=file.label, path=file.path)


def validate_problem(data: Any, label: str = "problem", path: Path | None = None) -> Problem:
    """Validate problem data parsed from YAML (see :func:`load_problem`)."""
    if not isinstance(data, Mapping):
        raise ProblemError([f"{label}: top level must be a mapping with keys {', '.join(TOP_LEVEL_KEYS)}, "
                            f"found {type(data).__name__}"])
    problems: list[str] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            close = difflib.get_close_matches(str(key), TOP_LEVEL_KEYS, n=2, cutoff=0.5)
            hint = f"did you mean {', '.join(map(repr, close))}?" if close else \
                f"allowed keys are {', '.join(TOP_LEVEL_KEYS)}"
            problems.append(f"{label}: unknown top-level key {quote(key)}; {hint}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{label}: name = {quote(name)}: expected a short non-empty name")
        name = "problem"
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append(f"{label}: description = {quote(description)}: expected a paragraph of text")
        description = ""
    base = data.get("base", "transition")
    if not isinstance(base, str):
        problems.append(f"{label}: base = {quote(base)}: expected a scenario name")
        base = "transition"

    size: dict[str, int] = {}
    for key, dotted in SIZE_PATHS.items():
        if key in data:
            value = data[key]
            try:
                lo, hi = bounds(dotted)
            except ParamsError:
                lo, hi = 1, 10**9
            if not is_whole_number(value) or not lo <= value <= hi:
                problems.append(f"{label}: {key} = {quote(value)}: expected an integer in [{lo:g}, {hi:g}] ({dotted})")
            else:
                size[key] = int(value)
    if "seeds" in data and "reps" in data:
        problems.append(f"{label}: give either 'seeds' or its older spelling 'reps', not both")
    reps_key = "reps" if "reps" in data and "seeds" not in data else "seeds"
    reps = data.get(reps_key, 2)
    if not is_whole_number(reps) or not 1 <= reps <= 1000:
        problems.append(f"{label}: {reps_key} = {quote(reps)}: expected an integer in [1, 1000] "
                        "(replications per point)")
        reps = 2
    n = dict(DEFAULT_N)
    given_n = data.get("n", {})
    if not isinstance(given_n, Mapping):
        problems.append(f"{label}: n = {quote(given_n)}: expected a mapping of method ({', '.join(METHODS)}) to size")
    else:
        for method, value in given_n.items():
            if method not in METHODS:
                problems.append(f"{label}: n.{method}: unknown method; allowed are {', '.join(METHODS)}")
            elif not is_whole_number(value) or not 2 <= value <= 1_000_000:
                problems.append(f"{label}: n.{method} = {quote(value)}: expected an integer in [2, 1000000]")
            else:
                n[method] = int(value)

    withdrawal = data.get("withdrawal", {}) or {}
    start_year, withdrawal_levers = 2021, ()
    if not isinstance(withdrawal, Mapping):
        problems.append(f"{label}: withdrawal = {quote(withdrawal)}: expected a mapping with keys "
                        f"{', '.join(WITHDRAWAL_KEYS)}")
        withdrawal = {}
    for key in withdrawal:
        if key not in WITHDRAWAL_KEYS:
            problems.append(f"{label}: withdrawal.{key}: unknown key; allowed are {', '.join(WITHDRAWAL_KEYS)}")
    if "start_year" in withdrawal:
        start_year = withdrawal["start_year"]
        if not is_whole_number(start_year) or not 2000 <= start_year <= 2060:
            problems.append(f"{label}: withdrawal.start_year = {quote(start_year)}: expected a year in [2000, 2060]")
            start_year = 2021
    lever_list = withdrawal.get("levers", [])
    if not isinstance(lever_list, list):
        problems.append(f"{label}: withdrawal.levers = {quote(lever_list)}: expected a list of policy lever paths")
        lever_list = []
    checked_levers: list[str] = []
    for i, lever in enumerate(lever_list):
        where = f"{label}: withdrawal.levers[{i}] = {quote(lever)}"
        if not isinstance(lever, str) or not lever.startswith("policy."):
            problems.append(f"{where}: expected a policy lever path such as 'policy.assistance.industrial.intensity'")
            continue
        err = check_path(lever)
        if err:
            problems.append(f"{where}: {err}")
        else:
            checked_levers.append(lever)
    withdrawal_levers = tuple(lv.removeprefix("policy.") for lv in checked_levers)

    parameters: list[Parameter] = []
    for kind, key in (("uncertainty", "uncertainties"), ("lever", "levers")):
        block = data.get(key, {})
        if block is None:
            block = {}
        if not isinstance(block, Mapping):
            problems.append(f"{label}: {key} = {quote(block)}: expected a mapping of dotted parameter path to "
                            "{bounds: [lo, hi]}")
            continue
        for pname, spec in block.items():
            param = _parameter(str(pname), spec, kind, key, label, problems, checked_levers, start_year)
            if param is not None:
                if param.name in [p.name for p in parameters]:
                    problems.append(f"{label}: {key}.{param.name}: listed twice (as uncertainty and lever)")
                else:
                    parameters.append(param)
    if len(parameters) < 2 and not problems:
        problems.append(f"{label}: uncertainties + levers: {len(parameters)} parameter(s); expected at least 2")
    derived_used = [p.name for p in parameters if p.derived]
    if derived_used and not checked_levers and not any("withdrawal.levers" in p for p in problems):
        problems.append(f"{label}: withdrawal.levers: the derived parameters {', '.join(derived_used)} need a "
                        "non-empty list of policy lever paths to set")
    if "withdrawal_year" not in [p.name for p in parameters] and "taper_years" in derived_used:
        problems.append(f"{label}: levers.taper_years: needs withdrawal_year among the parameters (a taper "
                        "without a withdrawal year would change nothing)")
    overlap = [p.name for p in parameters if p.name in checked_levers]
    for name_ in overlap:
        problems.append(f"{label}: levers.{name_}: also set by the withdrawal schedule (withdrawal.levers); "
                        "use one or the other")

    outputs = data.get("outputs")
    from model.metrics import SUMMARY_KEYS

    checked_outputs: list[str] = []
    if not isinstance(outputs, list) or not outputs:
        problems.append(f"{label}: outputs = {quote(outputs)}: expected a non-empty list of summary keys "
                        f"({', '.join(SUMMARY_KEYS)})")
    else:
        for i, out in enumerate(outputs):
            if out not in SUMMARY_KEYS:
                close = difflib.get_close_matches(str(out), SUMMARY_KEYS, n=2, cutoff=0.5)
                hint = f"did you mean {', '.join(map(repr, close))}?" if close else \
                    f"allowed are {', '.join(SUMMARY_KEYS)}"
                problems.append(f"{label}: outputs[{i}] = {quote(out)}: not a summary key; {hint}")
            elif out in checked_outputs:
                problems.append(f"{label}: outputs[{i}] = {quote(out)}: listed twice")
            else:
                checked_outputs.append(out)

    if problems:
        raise ProblemError(problems)
    problem = Problem(name=name, description=" ".join(description.split()), base=base,
                      parameters=tuple(parameters), outputs=tuple(checked_outputs), size=size, reps=reps, n=n,
                      start_year=start_year, withdrawal_levers=withdrawal_levers, path=path)
    _check_corners(problem, label)
    return problem


def _parameter(name: str, spec: Any, kind: str, key: str, label: str, problems: list[str],
               withdrawal_levers: list[str], start_year: int = 2021) -> Parameter | None:
    where = f"{label}: {key}.{name}"
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        problems.append(f"{where} = {quote(spec)}: expected a mapping such as {{bounds: [lo, hi]}} (or {{}} for the "
                        "declared range)")
        return None
    for k in spec:
        if k not in PARAMETER_KEYS:
            problems.append(f"{where}.{k}: unknown key; allowed are {', '.join(PARAMETER_KEYS)}")
    derived = name in DERIVED
    if derived:
        if name == "assistance_level":
            ranges = [bounds(lv) for lv in withdrawal_levers] or [(0.0, 2.0)]
            allowed = (max(r[0] for r in ranges), min(r[1] for r in ranges))
        else:
            allowed = derived_range(name, start_year)
        integer = name != "assistance_level"
    else:
        err = check_path(name)
        if err:
            if check_path("policy." + name) is None:
                err += f"; levers take the 'policy.' prefix ('policy.{name}')"
            elif not closest_paths(name):
                err += f"; derived parameters are {', '.join(DERIVED)}"
            problems.append(f"{where}: {err}")
            return None
        try:
            allowed = bounds(name)
        except ParamsError:
            problems.append(f"{where}: has no numeric range and cannot be sampled")
            return None
        default = Params().get(name)
        integer = isinstance(default, int) and not isinstance(default, bool)
    lo, hi = allowed
    if "bounds" in spec:
        b = spec["bounds"]
        if (not isinstance(b, list) or len(b) != 2 or not all(is_number(v) for v in b)
                or not all(math.isfinite(v) for v in b)):
            problems.append(f"{where}.bounds = {quote(b)}: expected two numbers [lo, hi] within the allowed range "
                            f"[{allowed[0]:g}, {allowed[1]:g}]")
            return None
        lo, hi = float(b[0]), float(b[1])
        if lo < allowed[0] or hi > allowed[1]:
            problems.append(f"{where}.bounds = [{lo:g}, {hi:g}]: outside the allowed range "
                            f"[{allowed[0]:g}, {allowed[1]:g}] declared for this parameter")
            return None
        if not lo < hi:
            problems.append(f"{where}.bounds = [{lo:g}, {hi:g}]: lower bound must be below the upper bound")
            return None
    if integer and math.ceil(lo) > math.floor(hi):
        problems.append(f"{where}.bounds = [{lo:g}, {hi:g}]: this parameter takes whole numbers and the bounds "
                        "contain none; widen them to include at least one whole number")
        return None
    if integer and math.ceil(lo) == math.floor(hi):
        problems.append(f"{where}.bounds = [{lo:g}, {hi:g}]: this parameter takes whole numbers and the bounds "
                        f"contain only {math.ceil(lo)}; a parameter that cannot vary cannot be analysed (fix it in "
                        "the base scenario instead)")
        return None
    if integer:  # so that rounding gives every integer in [lo, hi] an equal share of the sample
        lo, hi = math.ceil(lo) - 0.5 + 1e-9, math.floor(hi) + 0.5 - 1e-9
    doc = spec.get("doc", "")
    return Parameter(name=name, lo=lo, hi=hi, kind=kind, integer=integer, derived=derived, doc=str(doc or ""))


def _check_corners(problem: Problem, label: str) -> None:
    """Build the parameters at the lower and upper corners: rules linking parameters fail here."""
    from scenarios import ScenarioError, load_scenario

    try:
        base = dict(load_scenario(problem.base).overrides)
    except ScenarioError as exc:
        raise ProblemError([f"{label}: base = {quote(problem.base)}: {p}" for p in exc.problems]) from None
    size = {SIZE_PATHS[k]: v for k, v in problem.size.items()}
    problems: list[str] = []
    for corner in ("lo", "hi"):
        row = [getattr(p, corner) for p in problem.parameters]
        try:
            Params().with_overrides({**base, **size, **problem.fixed, **problem.overrides(row)},
                                    origin=f"{label}: {corner} corner")
        except ParamsError as exc:
            problems += exc.problems
    if problems:
        raise ProblemError(problems)




def with_options(problem: Problem, base: str | None = None, households: int | None = None,
                 counties: int | None = None, years: int | None = None, reps: int | None = None,
                 label: str = "command line", fixed: Mapping[str, Any] | None = None) -> Problem:
    """The problem with command-line replacements of its base scenario, run size and replications, and
    the ``--set`` overrides of every run (``fixed``).

    Raises:
        ProblemError: When a replacement is out of range or the new base cannot be loaded.
    """
    import dataclasses

    problems: list[str] = []
    size = dict(problem.size)
    for key, value in (("households", households), ("counties", counties), ("years", years)):
        if value is None:
            continue
        lo, hi = bounds(SIZE_PATHS[key])
        if not is_whole_number(value) or not lo <= value <= hi:
            problems.append(f"{label}: --{key} {quote(value)}: expected a whole number in [{lo:,.0f}, {hi:,.0f}] "
                            f"({SIZE_PATHS[key]})")
        else:
            size[key] = int(value)
    if reps is not None and (not is_whole_number(reps) or not 1 <= reps <= 1000):
        problems.append(f"{label}: --seeds {quote(reps)}: expected a whole number in [1, 1000] "
                        "(replications per point)")
    sampled = set(problem.names) | {f"policy.{lever}" for lever in problem.withdrawal_levers}
    for path in fixed or {}:
        if path in sampled:
            problems.append(f"{label}: --set {path}: the problem samples it; leave it out of --set")
        elif path in SIZE_PATHS.values():
            key = next(k for k, v in SIZE_PATHS.items() if v == path)
            problems.append(f"{label}: --set {path}: give the run size as --{key}")
    if base is not None and (not isinstance(base, str) or not base.strip()):
        problems.append(f"{label}: --base {quote(base)}: expected a scenario name, file or overlay 'a+b'")
    if problems:
        raise ProblemError(problems)
    new = dataclasses.replace(problem, base=base.strip() if base else problem.base, size=size,
                              reps=int(reps) if reps is not None else problem.reps,
                              fixed={**problem.fixed, **dict(fixed or {})})
    if new != problem:
        _check_corners(new, label)
    return new
