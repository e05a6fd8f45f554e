"""The JSON Schema of experiment files, generated from what :mod:`experiments.batch.spec` validates.

Top-level keys, their types and bounds come from the validator's own constants (keys, stored
tables, size keys and their parameters' ranges, the largest experiment); parameter paths under
``parameters:``, ``grid:`` and ``samples:`` from :func:`scenarios.schema.parameter_properties`.
The validator stays the authority (it also builds every run's parameters).
"""

from __future__ import annotations

from typing import Any

from experiments.batch.spec import MAX_RUNS, MAX_SEED, SIZE_KEYS, TABLE_CHOICES, TOP_LEVEL_KEYS
from model.params import bounds
from scenarios.schema import DRAFT, parameter_properties


def experiment_schema() -> dict[str, Any]:
    """The JSON Schema of an experiment file: one property per key the validator accepts (each parameter's
    value schema once, under ``$defs``, referred to by ``parameters``, ``grid`` and ``samples``)."""
    seed = {"type": "integer", "minimum": 0, "maximum": MAX_SEED}
    count = {"type": "integer", "minimum": 1, "maximum": MAX_RUNS}
    defs = parameter_properties()
    refs = {path: {"$ref": f"#/$defs/{path}"} for path in defs}
    values = {path: {"type": "array", "minItems": 1, "items": ref} for path, ref in refs.items()}
    keys: dict[str, Any] = {
        "name": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                 "description": "Short name; the default output directory is runs/<name>."},
        "description": {"type": "string", "minLength": 1, "description": "What the experiment asks."},
        "scenarios": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string", "minLength": 1},
                      "description": "Scenario names, files or overlays 'a+b'."},
        "parameters": {"type": "object", "properties": refs,
                       "description": "Fixed overrides of every run, dotted paths (policy levers with the policy. "
                                      "prefix); nested groups are allowed too.",
                       "additionalProperties": {"type": "object", "description": "A group of parameters, nested."}},
        "grid": {"type": "object", "description": "Full factorial: dotted path -> list of values.",
                 "properties": values, "additionalProperties": False},
        "samples": {"type": "array", "minItems": 1, "description": "Design points, each a mapping of dotted paths "
                    "to values (every sample sets the same paths).",
                    "items": {"type": "object", "minProperties": 1, "properties": refs,
                              "additionalProperties": False}},
        "seeds": {"description": "How many seeds (seeds first_seed, first_seed + 1, ...) or a list of seeds.",
                  "anyOf": [count, {"type": "array", "minItems": 1, "uniqueItems": True, "items": seed}]},
        "first_seed": {**seed, "description": "First seed when seeds is a number (default 1)."},
        "replications": {**count, "deprecated": True, "description": "Older spelling of seeds: N."},
        "keep": {"type": "array", "items": {"enum": list(TABLE_CHOICES)}, "uniqueItems": True,
                 "description": "Tables stored per run (summary always; monthly also collects it)."},
        "history_parameters": {"type": "object", "properties": refs,
                               "description": "Overrides of every run over its whole timeline, the baseline's "
                                              "2017-2020 history included (a fitted parameter set); 'parameters' "
                                              "change a policy scenario's dated levers from 2021 only.",
                               "additionalProperties": {"type": "object", "description": "A group, nested."}},
        "parameter_uncertainty": {"description": "true: each pair of seeds runs one parameter set drawn by weight "
                                  "from scenarios/baseline_ensemble.csv over the whole run (the runs table's "
                                  "parameter_set column names it); or the path of another ensemble file, "
                                  "relative to this file.",
                                  "anyOf": [{"type": "boolean"}, {"type": "string", "minLength": 1}]},
    }
    for key, path in SIZE_KEYS.items():
        lo, hi = bounds(path)
        keys[key] = {"type": "integer", "minimum": int(lo), "maximum": int(hi),
                     "description": f"Every run's {path} (the scenarios' otherwise)."}
    return {
        "$schema": DRAFT,
        "$id": "ruralsim/experiment.schema.json",
        "title": "ruralsim experiment",
        "description": "Many runs as data: scenarios x design points (grid and samples) x seeds. Run it with "
                       "'ruralsim experiment FILE'.",
        "type": "object",
        "required": ["name", "description", "scenarios"],
        "additionalProperties": False,
        "properties": {key: keys[key] for key in TOP_LEVEL_KEYS},
        "not": {"required": ["seeds", "replications"]},
        "anyOf": [{"required": ["seeds"]}, {"required": ["replications"]}],
        "$defs": defs,
    }
