"""The parameter tree (model/params.py): validation, dotted overrides, metadata and sources."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.params import (
    Params,
    ParamsError,
    bounds,
    check_path,
    closest_paths,
    leaf_paths,
    parameter_table,
)
from model.policy import Schedule

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SOURCES_MD = DATA / "SOURCES.md"
ODD_MD = ROOT / "docs" / "ODD.md"

TABLE = parameter_table()
ROWS = {row["path"]: row for row in TABLE}
# numeric leaves with a range (flags have lo = hi = None)
BOUNDED = [row for row in TABLE if row["lo"] is not None and row["hi"] is not None]


# ---------------------------------------------------------------------------------------------
# a small parser of the source keys in data/SOURCES.md
# ---------------------------------------------------------------------------------------------

_KEY = re.compile(r"^([A-Z]+)(\d*)$")
_RANGE = re.compile(r"^([A-Z]+)(\d+)\s*[–-]\s*([A-Z]+)(\d+)$")


def expand_key_cell(cell: str) -> set[str]:
    """Keys named by one table cell: ``"A1–A11"`` -> A1..A11, ``"E8, F1, F5–F6"`` -> E8, F1, F5, F6."""
    keys: set[str] = set()
    for item in (part.strip() for part in cell.split(",")):
        if not item:
            continue
        rng = _RANGE.match(item)
        if rng:
            prefix, lo, prefix_hi, hi = rng.group(1), int(rng.group(2)), rng.group(3), int(rng.group(4))
            assert prefix == prefix_hi, f"range {item!r} mixes prefixes"
            keys.update(f"{prefix}{i}" for i in range(lo, hi + 1))
        elif _KEY.match(item):
            keys.add(item)
        else:
            raise AssertionError(f"cannot parse source key {item!r}")
    return keys


def source_keys(text: str) -> set[str]:
    """All keys in the ``| key | source |`` table."""
    keys: set[str] = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 2:
            continue
        if cells[0] in ("key", "") or set(cells[0]) <= set("-: "):
            continue
        keys |= expand_key_cell(cells[0])
    return keys


def cited_keys(source: str) -> list[str]:
    """Keys cited by a ``src:`` source: ``"src:B5, B7"`` -> B5, B7; ``"src:A15 (2.0M of 99M)"`` ->
    A15; ``"src:H10 minimum 93 (U); ..."`` -> H10. The key is the first word of each
    comma-separated item before any parenthesis or semicolon."""
    body = re.split(r"[(;]", source.removeprefix("src:"), maxsplit=1)[0]
    return [item.split()[0] for item in body.split(",") if item.strip()]


def test_source_key_parser():
    assert expand_key_cell("A1–A11") == {f"A{i}" for i in range(1, 12)}
    assert expand_key_cell("E8, F1, F5–F6, F12") == {"E8", "F1", "F5", "F6", "F12"}
    assert expand_key_cell("JR1998, JR1999") == {"JR1998", "JR1999"}
    assert expand_key_cell("D") == {"D"}
    assert cited_keys("src:B5, B7") == ["B5", "B7"]
    assert cited_keys("src:A15 (2.0M of 99M)") == ["A15"]
    assert cited_keys("src:H10 minimum 93 (U); provinces top up to ~150") == ["H10"]
    assert cited_keys("src:D (national rural mean)") == ["D"]


@pytest.fixture(scope="module")
def known_source_keys() -> set[str]:
    keys = source_keys(SOURCES_MD.read_text(encoding="utf-8"))
    # sanity: ranges are expanded (C5–C18 covers C9; I6–I8 covers I7)
    assert {"A1", "A11", "A15", "C9", "C18", "D", "H1", "I7", "I11", "JR1998"} <= keys
    assert "C4" not in keys and "C21" not in keys
    return keys


# ---------------------------------------------------------------------------------------------
# defaults and metadata
# ---------------------------------------------------------------------------------------------


def test_default_params_validate_and_round_trip():
    p = Params()
    assert Params.model_validate(p.model_dump()) == p
    assert Params.model_validate(p.to_data()) == p


def test_leaf_paths_are_unique_and_match_the_table():
    paths = leaf_paths()
    assert len(paths) == len(set(paths)) == len(TABLE)
    assert "shocks.illness.p_year" in paths
    assert "policy.assistance.industrial.intensity" in paths


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r["path"])
def test_every_leaf_has_unit_doc_and_source(row):
    assert row["unit"].strip(), f"{row['path']}: empty unit"
    assert row["doc"].strip(), f"{row['path']}: empty doc"
    source = row["source"].strip()
    assert source.startswith(("src:", "reason:")), f"{row['path']}: source {source!r}"
    assert len(source.split(":", 1)[1].strip()) > 0, f"{row['path']}: empty source"


def _numbers(value) -> list[float]:
    if isinstance(value, dict):
        return [float(v) for v in value.values()]
    if isinstance(value, list | tuple):
        return [float(v) for v in value]
    return [float(value)]


@pytest.mark.parametrize("row", BOUNDED, ids=lambda r: r["path"])
def test_numeric_defaults_lie_within_bounds(row):
    assert row["lo"] <= row["hi"]
    for v in _numbers(row["default"]):
        assert row["lo"] <= v <= row["hi"], f"{row['path']}: default {v} outside [lo, hi]"
    assert bounds(row["path"]) == (float(row["lo"]), float(row["hi"]))


def test_flags_have_no_range():
    flags = [row for row in TABLE if row not in BOUNDED]
    assert flags, "expected boolean flags without a numeric range"
    for row in flags:
        assert isinstance(row["default"], bool), row["path"]
        with pytest.raises(ParamsError, match="no numeric range"):
            bounds(row["path"])


@pytest.mark.parametrize("row", [r for r in TABLE if r["source"].startswith("src:")],
                         ids=lambda r: r["path"])
def test_source_keys_exist_in_sources_md(row, known_source_keys):
    keys = cited_keys(row["source"])
    assert keys, f"{row['path']}: no key in {row['source']!r}"
    missing = [k for k in keys if k not in known_source_keys]
    assert not missing, f"{row['path']}: {missing} not in SOURCES.md"


def test_reference_data_lists_every_key(known_source_keys):
    """The reference data live in the repository (``data/``) and every key they use is listed in
    ``data/SOURCES.md``."""
    tables = sorted(DATA.glob("*.csv"))
    assert {t.name for t in tables} >= {"calibration_targets.csv", "macro_drivers.csv", "parameter_evidence.csv"}
    for table in tables:
        with table.open(encoding="utf-8", newline="") as f:
            used = {row["source_key"].strip() for row in csv.DictReader(f)}
        missing = sorted(used - known_source_keys)
        assert not missing, f"{table.name}: source keys {missing} not listed in data/SOURCES.md"


def odd_cited_sources(text: str) -> list[str]:
    """Every ``src:...`` citation of the ODD, up to the end of its table cell or line (the
    placeholder ``src:KEY`` of the prose excluded)."""
    return [m.group(0).strip() for m in re.finditer(r"src:(?!KEY\b)[^|\n]*", text)]


def test_odd_source_keys_exist_in_sources_md(known_source_keys):
    cited = odd_cited_sources(ODD_MD.read_text(encoding="utf-8"))
    assert cited, "docs/ODD.md cites no src: keys"
    missing = {source: [k for k in cited_keys(source) if k not in known_source_keys] for source in cited}
    missing = {source: keys for source, keys in missing.items() if keys}
    assert not missing, f"docs/ODD.md cites keys not in data/SOURCES.md: {missing}"


def test_levers_are_schedules():
    p = Params()
    for row in TABLE:
        value = p.get(row["path"])
        assert isinstance(value, Schedule) == row["lever"], row["path"]


# ---------------------------------------------------------------------------------------------
# with_overrides
# ---------------------------------------------------------------------------------------------


def test_with_overrides_applies_dotted_paths():
    p = Params()
    q = p.with_overrides({
        "shocks.illness.p_year": 0.2,
        "sim.n_years": 5,
        "policy.assistance.industrial.intensity": {2021: 1.0, 2026: 0.66, 2028: 0.0},
        "metrics.large_scale.county_threshold": 0.1,
    })
    assert q.shocks.illness.p_year == 0.2
    assert q.get("shocks.illness.p_year") == 0.2
    assert q.sim.n_years == 5
    lever = q.policy.assistance.industrial.intensity
    assert isinstance(lever, Schedule)
    assert (lever.at_year(2025), lever.at_year(2027), lever.at_year(2030)) == (1.0, 0.66, 0.0)
    assert q.metrics.large_scale.county_threshold == 0.1
    # untouched parameters keep their values; the original is unchanged
    assert q.shocks.accident == p.shocks.accident
    assert p == Params()


def test_with_overrides_empty_is_equal():
    assert Params().with_overrides({}) == Params()


def test_unknown_path_names_closest_valid_names():
    with pytest.raises(ParamsError) as info:
        Params().with_overrides({"shocks.ilness.p_year": 0.1})
    (problem,) = info.value.problems
    assert "unknown parameter 'shocks.ilness.p_year'" in problem
    assert "'shocks.illness.p_year'" in problem
    assert problem.startswith("overrides: ")
    assert check_path("shocks.ilness.p_year") == problem.removeprefix("overrides: ")
    assert closest_paths("shocks.ilness.p_year")[0] == "shocks.illness.p_year"


def test_group_path_is_not_a_parameter():
    with pytest.raises(ParamsError, match="'shocks.illness' is a group"):
        Params().with_overrides({"shocks.illness": 0.1})


def test_out_of_range_names_path_value_and_range():
    with pytest.raises(ParamsError) as info:
        Params().with_overrides({"shocks.illness.p_year": 1.5}, origin="my.yaml")
    (problem,) = info.value.problems
    assert problem.startswith("my.yaml: shocks.illness.p_year = 1.5")
    assert "allowed range [0, 1]" in problem


def test_out_of_range_lever_value_names_path_and_range():
    with pytest.raises(ParamsError) as info:
        Params().with_overrides({"policy.monitoring.coverage": {2021: 1.0, 2025: 1.5}})
    (problem,) = info.value.problems
    assert "policy.monitoring.coverage" in problem
    assert "1.5" in problem
    assert "allowed range [0, 1]" in problem


@pytest.mark.parametrize("value", ["x", None, float("nan"), [0.1]])
def test_wrong_type_or_nan_is_rejected(value):
    with pytest.raises(ParamsError, match=r"shocks\.illness\.p_year"):
        Params().with_overrides({"shocks.illness.p_year": value})


def test_bad_override_applies_nothing_and_all_problems_are_listed():
    p = Params()
    before = p.model_dump()
    with pytest.raises(ParamsError) as info:
        p.with_overrides({
            "shocks.illness.p_year": 0.2,             # fine
            "sim.n_years": 0,                          # below 1
            "shocks.ilness.cost_sigma": 1.0,           # misspelt
            "policy.monitoring.coverage": {2021: 2},   # lever out of range
        })
    problems = info.value.problems
    assert len(problems) == 3
    assert any("sim.n_years" in m for m in problems)
    assert any("shocks.ilness.cost_sigma" in m for m in problems)
    assert any("policy.monitoring.coverage" in m for m in problems)
    assert str(info.value) == "\n".join(problems)
    # nothing applied: the object is unchanged (it is frozen and no new one was returned)
    assert p.model_dump() == before
    assert p.shocks.illness.p_year == Params().shocks.illness.p_year


def _at(row, value):
    """An override setting every number of a leaf (scalar, tuple or lever) to ``value``."""
    default = row["default"]
    if isinstance(default, list | tuple):
        return tuple(value for _ in default)
    if row["lever"]:
        return {2021: value, 2026: value}
    if isinstance(default, int) and float(value).is_integer():
        return int(value)
    return value


@pytest.mark.parametrize("row", BOUNDED, ids=lambda r: r["path"])
def test_every_range_is_enforced_and_its_ends_are_valid(row):
    """Bounds double as SALib ranges: both ends must be valid values, anything outside invalid
    (whether a value also keeps the rules linking it to the other parameters is tested in
    test_feasibility.py)."""
    path, lo, hi = row["path"], row["lo"], row["hi"]
    p = Params()
    p.with_overrides({path: _at(row, lo)}, cross_field=False)
    p.with_overrides({path: _at(row, hi)}, cross_field=False)
    for outside in (hi + 1, lo - 1):
        with pytest.raises(ParamsError) as info:
            p.with_overrides({path: _at(row, outside)})
        assert any(path in m and f"allowed range [{lo:g}, {hi:g}]" in m
                   for m in info.value.problems), info.value.problems


@settings(max_examples=60, deadline=None)
@given(st.floats(-2.0, 3.0, allow_nan=False))
def test_probability_override_accepted_iff_in_range(value):
    p = Params()
    if 0.0 <= value <= 1.0:
        assert p.with_overrides({"shocks.illness.p_year": value}).shocks.illness.p_year == value
    else:
        with pytest.raises(ParamsError, match=r"allowed range \[0, 1\]"):
            p.with_overrides({"shocks.illness.p_year": value})
