"""The JSON Schemas of the input files: up to date in docs/schemas, true to the validators.

Every shipped scenario, experiment and problem file and every row of the shipped target files
must pass its schema; files the validators refuse for a wrong key, type or range must fail it;
the keys the schemas describe are the keys the validators accept.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from experiments.batch import spec
from experiments.batch.schema import experiment_schema
from experiments.cli.main import app
from experiments.files import jsonable
from experiments.fit import targets
from experiments.fit.target_schema import target_schema
from experiments.schemas import SCHEMA_DIR, builders, schema_text
from experiments.sensitivity import problem
from experiments.sensitivity.problem_schema import problem_schema
from scenarios import SCENARIO_DIR, loader
from scenarios.schema import scenario_schema

ROOT = Path(__file__).resolve().parents[2]


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(path: Path) -> dict:
    """A YAML file as an editor's language server sees it (mapping keys are text)."""
    return jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))


def errors(v: jsonschema.Draft202012Validator, data: dict) -> list[str]:
    return [e.message for e in v.iter_errors(data)]


def test_written_schemas_are_up_to_date():
    for kind, build in builders().items():
        path = SCHEMA_DIR / f"{kind}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(build()), f"{path}: run `uv run ruralsim schemas`"
    result = CliRunner().invoke(app, ["schemas", "--check"])
    assert result.exit_code == 0 and "up to date" in result.stdout, result.output


def test_schema_keys_are_the_validators_keys():
    assert tuple(scenario_schema()["properties"]) == loader.TOP_LEVEL_KEYS
    assert tuple(experiment_schema()["properties"]) == spec.TOP_LEVEL_KEYS
    assert tuple(problem_schema()["properties"]) == problem.TOP_LEVEL_KEYS
    row = target_schema()
    assert tuple(row["properties"]) == targets.REQUIRED_COLUMNS + targets.OPTIONAL_COLUMNS


def test_every_shipped_scenario_passes_and_broken_ones_fail():
    v = validator(scenario_schema())
    shipped = sorted(SCENARIO_DIR.glob("*.yaml"))
    assert len(shipped) >= 10
    for path in shipped:
        assert not errors(v, as_json(path)), path
    good = as_json(SCENARIO_DIR / "gradual_phaseout.yaml")
    for broken in (
        {**good, "polcy": {}},                                                      # unknown key
        {**good, "policy": {"assistance.industrial.intensity": {"2021": 3.0}}},     # above the lever's range
        {**good, "policy": {"assistance.industrial.intensity": {"21": 1.0}}},       # not a date
        {**good, "parameters": {"shocks.illness.p_year": "often"}},                 # not a number
        {**good, "parameters": {"population.n_households": 2.5}},                   # not a whole number
        {k: v for k, v in good.items() if k != "description"},                      # required
    ):
        assert errors(v, broken), broken


def test_every_shipped_experiment_passes_and_broken_ones_fail():
    v = validator(experiment_schema())
    shipped = sorted(spec.EXPERIMENT_DIR.glob("*.yaml"))
    assert shipped
    for path in shipped:
        assert not errors(v, as_json(path)), path
    good = {"name": "x", "description": "d", "scenarios": ["transition"], "seeds": 3, "first_seed": 5,
            "grid": {"shocks.illness.p_year": [0.1, 0.2]}, "samples": [{"income.productivity_growth_year": 0.02}],
            "parameters": {"policy.assistance.industrial.intensity": {"2021": 1.0, "2024": 0.0}}, "keep": ["annual"]}
    assert not errors(v, good)
    assert not errors(v, {**{k: x for k, x in good.items() if k not in ("seeds", "first_seed")}, "replications": 2})
    assert not errors(v, {**good, "seeds": [3, 7, 11]})
    for broken in (
        {**good, "replications": 3},                                  # both spellings
        {k: x for k, x in good.items() if k != "seeds"},              # no seeds
        {**good, "grid": {"shocks.illness.p_year": [0.1, 7]}},        # out of range
        {**good, "grid": {"shocks.ilness.p_year": [0.1]}},            # unknown path
        {**good, "keep": ["anual"]},
        {**good, "households": 50},
        {**good, "seeds": 0},
    ):
        assert errors(v, broken), broken


def test_every_shipped_problem_passes_and_broken_ones_fail():
    v = validator(problem_schema())
    shipped = sorted(problem.PROBLEM_DIR.glob("*.yaml"))
    assert shipped
    for path in shipped:
        assert not errors(v, as_json(path)), path
    good = as_json(shipped[0])
    for broken in (
        {**good, "outputs": ["relapse_rate_peek"]},
        {**good, "uncertainties": {"shocks.illness.p_year": {"bounds": [0.1, 3]}}},
        {**good, "levers": {"withdrawal_year": {"bound": [2022, 2025]}}},
        {**good, "n": {"sobol": 1}},
        {**good, "reps": 2},                                            # both spellings
    ):
        assert errors(v, broken), broken


@pytest.mark.parametrize("name", ["in_sample.csv", "out_of_sample.csv"])
def test_every_shipped_target_row_passes(name):
    v = validator(json.loads((SCHEMA_DIR / "target.schema.json").read_text(encoding="utf-8")))
    path = ROOT / "experiments" / "targets" / name
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows
    for row in rows:
        assert not errors(v, {k: x for k, x in row.items() if x is not None}), row
    indicators = set(json.loads((SCHEMA_DIR / "target.schema.json").read_text())["properties"]["indicator"]["examples"])
    assert {row["indicator"] for row in rows} <= indicators


@pytest.mark.parametrize(("cell", "value", "ok"), [
    ("value", "0.031", True), ("value", "[0.1;0.3]", True), ("value", "ratio>1.5", True), ("value", "true", True),
    ("value", "lots", False), ("value", "[0.1,0.3]", False), ("year", "2021-2024", True), ("year", "", True),
    ("year", "21", False), ("tolerance", "", True), ("tolerance", "-x", False),
])
def test_target_cells_follow_the_readers_forms(cell, value, ok, tmp_path):
    """The schema's patterns accept what the target reader accepts, and refuse what it refuses."""
    row = {"id": "t", "indicator": "poverty_rate", "year": "2019", "value": "0.01", "tolerance": "0.01",
           "unit": "share", "source": "A7", "note": "n", cell: value}
    if value.startswith("ratio"):  # a ratio needs a range of years
        row["year"] = "2019-2020"
    v = validator(target_schema())
    assert (not errors(v, row)) == ok
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    try:
        targets.read_all([path])
        reader_ok = True
    except targets.TargetError:
        reader_ok = False
    assert reader_ok == ok
