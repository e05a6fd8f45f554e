"""The JSON Schema of problem files, generated from what :mod:`experiments.sensitivity.problem` validates.

Keys, methods, derived parameters and the withdrawal block come from the validator's constants;
the parameters that may be sampled (every numeric parameter path, with its declared range, and
the derived levers) and the outputs (``model.metrics.SUMMARY_KEYS``) are listed for completion.
The validator stays the authority (it also builds the parameters at both corners of the sample).
"""

from __future__ import annotations

from typing import Any

from experiments.sensitivity.problem import (
    DEFAULT_N,
    DERIVED,
    DERIVED_RANGES,
    LAST_WITHDRAWAL_YEAR,
    METHODS,
    PARAMETER_KEYS,
    SIZE_PATHS,
    TOP_LEVEL_KEYS,
    WITHDRAWAL_KEYS,
)
from model.metrics import SUMMARY_KEYS
from model.params import bounds, parameter_table
from scenarios.schema import DRAFT

DERIVED_DOCS = {
    "withdrawal_year": "First year in which targeted assistance is reduced (a whole year).",
    "taper_years": "Years over which it falls to zero (0: at once).",
    "assistance_level": "Level of every withdrawal lever before withdrawal, as a share of the 2020 level.",
}


def _entry(description: str, lo: float | None, hi: float | None) -> dict[str, Any]:
    pair: dict[str, Any] = {"type": "number"}
    if lo is not None:
        pair["minimum"] = lo
    if hi is not None:
        pair["maximum"] = hi
    keys = {"bounds": {"type": "array", "items": pair, "minItems": 2, "maxItems": 2,
                       "description": "[lo, hi] within the declared range (default: all of it)."},
            "doc": {"type": "string", "description": "What the parameter means, for the report."}}
    return {"type": ["object", "null"], "description": description, "additionalProperties": False,
            "properties": {key: keys[key] for key in PARAMETER_KEYS}}


def sampled_parameters() -> dict[str, dict[str, Any]]:
    """Name -> entry schema of everything a problem may sample: numeric parameters and derived levers."""
    out = {}
    for row in parameter_table():
        if isinstance(row["default"], bool | tuple) or row["lo"] is None:
            continue
        out[row["path"]] = _entry(f"{row['doc']} Declared range [{row['lo']}, {row['hi']}].", row["lo"], row["hi"])
    for name in DERIVED:
        lo, hi = DERIVED_RANGES.get(name, (None, None))
        if name == "withdrawal_year":
            hi = LAST_WITHDRAWAL_YEAR
        out[name] = _entry(DERIVED_DOCS[name], lo, hi)
    return out


def problem_schema() -> dict[str, Any]:
    """The JSON Schema of a sensitivity or scenario-discovery problem file."""
    sampled = {"allOf": [{"$ref": "#/$defs/sampled"}]}
    seeds = {"type": "integer", "minimum": 1, "maximum": 1000}
    keys: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "description": "Short name of the problem."},
        "description": {"type": "string", "description": "The question the study answers."},
        "base": {"type": "string", "minLength": 1, "default": "transition",
                 "description": "Scenario every run starts from (overridable: --base)."},
        "seeds": {**seeds, "default": 2, "description": "Replications per sample point, on paired seeds."},
        "reps": {**seeds, "deprecated": True, "description": "Older spelling of seeds."},
        "n": {"type": "object", "description": "Base sample size per method.", "additionalProperties": False,
              "properties": {m: {"type": "integer", "minimum": 2, "maximum": 1_000_000, "default": DEFAULT_N[m]}
                             for m in METHODS}},
        "uncertainties": {**sampled, "description": "Parameters planners do not control, by dotted path."},
        "levers": {**sampled, "description": "Policy levers (policy. prefix) and derived withdrawal levers."},
        "withdrawal": {"type": "object", "additionalProperties": False,
                       "description": "How the derived levers build dated schedules.",
                       "properties": {key: value for key, value in {
                           "start_year": {"type": "integer", "minimum": 2000, "maximum": 2060, "default": 2021},
                           "levers": {"type": "array", "items": {"type": "string", "pattern": r"^policy\."},
                                      "description": "Policy lever paths the derived parameters set."},
                       }.items() if key in WITHDRAWAL_KEYS}},
        "outputs": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(SUMMARY_KEYS)},
                    "description": "Summary outcomes analysed."},
    }
    for key, path in SIZE_PATHS.items():
        lo, hi = bounds(path)
        keys[key] = {"type": "integer", "minimum": int(lo), "maximum": int(hi),
                     "description": f"Every run's {path} (overridable: --{key})."}
    return {
        "$schema": DRAFT,
        "$id": "ruralsim/problem.schema.json",
        "title": "ruralsim sensitivity problem",
        "description": "What a sensitivity study or scenario discovery varies and analyses. Run it with "
                       "'ruralsim sensitivity FILE' or 'ruralsim discover FILE'.",
        "type": "object",
        "required": ["name", "outputs"],
        "additionalProperties": False,
        "properties": {key: keys[key] for key in TOP_LEVEL_KEYS},
        "not": {"required": ["seeds", "reps"]},
        "$defs": {"sampled": {"type": "object", "properties": sampled_parameters(), "additionalProperties": False}},
    }
