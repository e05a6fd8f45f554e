"""The JSON Schema of scenario files, generated from what the loader validates against.

Editors that read JSON Schemas (VS Code's YAML extension, PyCharm, any YAML language server)
complete and check a scenario file from it: the top-level keys of :mod:`scenarios.loader`, and under
``policy:`` and ``parameters:`` every dotted path of ``Params`` with its unit, meaning, default and
valid range (:func:`model.params.parameter_table`, the ranges the validators enforce), dated
levers as a number or a schedule ``{2021: 1.0, 2024-06: 0.5}``. The schema checks types and
ranges; the loader also checks what a schema cannot say (``extends`` chains, rules linking
parameters) and stays the authority. :func:`parameter_properties` serves the other input files'
schemas (experiments, problems), which name parameters the same way.
"""

from __future__ import annotations

from typing import Any

from model.params import parameter_table

from .loader import TOP_LEVEL_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: A schedule's keys: a year, or a year and month (``2024-06``).
SCHEDULE_KEY = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


def _number(row: dict[str, Any], integer: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "integer" if integer else "number"}
    if row["lo"] is not None:
        out["minimum"] = row["lo"]
    if row["hi"] is not None:
        out["maximum"] = row["hi"]
    return out


def value_schema(row: dict[str, Any]) -> dict[str, Any]:
    """The schema of one parameter's value, from its row of :func:`model.params.parameter_table`."""
    default = row["default"]
    if isinstance(default, bool):
        value: dict[str, Any] = {"type": "boolean"}
    elif isinstance(default, tuple):
        value = {"type": "array", "items": _number(row), "minItems": len(default), "maxItems": len(default)}
    elif row["lever"]:
        number = _number(row)
        value = {"anyOf": [number, {"type": "object", "minProperties": 1, "additionalProperties": False,
                                    "patternProperties": {SCHEDULE_KEY: number}}]}
    else:
        value = _number(row, integer=isinstance(default, int))
    unit = f" Unit: {row['unit']}." if row["unit"] else ""
    value["description"] = f"{row['doc']}{unit}"
    value["default"] = list(default) if isinstance(default, tuple) else default
    return value


def parameter_properties(prefix: str = "", strip: str = "") -> dict[str, dict[str, Any]]:
    """Dotted path -> value schema of every parameter whose path starts with ``prefix``, the path
    written without ``strip`` (``policy.`` under a scenario's ``policy:``)."""
    return {row["path"].removeprefix(strip): value_schema(row) for row in parameter_table()
            if row["path"].startswith(prefix)}


def overrides_schema(description: str, prefix: str = "", strip: str = "") -> dict:
    """A mapping of dotted paths to values; nested groups (``shocks: {illness: ...}``) are allowed too."""
    properties = parameter_properties(prefix, strip)
    return {"type": "object", "description": description, "properties": properties,
            "additionalProperties": {"type": "object", "description": "A group of parameters, nested."}}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (``scenarios/*.yaml``): one property per key the loader accepts."""
    keys = {
        "name": {"type": "string", "minLength": 1, "description": "Scenario name: the file name without .yaml."},
        "extends": {"type": "string", "minLength": 1,
                    "description": "The scenario this one changes: a shipped name or a relative file path."},
        "description": {"type": "string", "minLength": 1, "description": "One paragraph: the policy story."},
        "policy": overrides_schema("Dated policy levers, dotted paths relative to policy; a value or a schedule "
                                   "{2021: 1.0, 2024: 0.0}.", prefix="policy.", strip="policy."),
        "parameters": overrides_schema("Static overrides, dotted paths into the parameters (dated policy levers "
                                       "go under policy:)."),
    }
    return {
        "$schema": DRAFT,
        "$id": "ruralsim/scenario.schema.json",
        "title": "ruralsim scenario",
        "description": "A policy story: the difference from the scenario it extends, as dated policy levers and "
                       "parameter overrides. Check a file with 'ruralsim check FILE'.",
        "type": "object",
        "required": ["name", "description"],
        "additionalProperties": False,
        "properties": {key: keys[key] for key in TOP_LEVEL_KEYS},
    }
