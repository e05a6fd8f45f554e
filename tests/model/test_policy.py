"""Dated policy schedules (model/policy.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.policy import Schedule, month_index

# ---------------------------------------------------------------------------------------------
# month_index and parsing
# ---------------------------------------------------------------------------------------------


def test_month_index():
    # year × 12 + (month − 1)
    assert month_index(2021) == 2021 * 12 == 24_252
    assert month_index(2022, 7) == 2022 * 12 + 6 == 24_270
    assert month_index(2022, 12) + 1 == month_index(2023, 1)


@pytest.mark.parametrize("value", [1, 0.5, 0, -0.25])
def test_parse_number_is_constant(value):
    s = Schedule.parse(value)
    assert s.points == ((0, float(value)),)
    for year in (1900, 2021, 2200):
        assert s.at_year(year) == float(value)
        assert isinstance(s.at_year(year), float)


def test_parse_schedule_returns_it_unchanged():
    s = Schedule.parse({2021: 1.0})
    assert Schedule.parse(s) is s


def test_parse_year_mapping_is_a_step_function():
    s = Schedule.parse({2028: 0.0, 2021: 1.0, 2026: 0.5})
    # change points sorted by absolute month
    assert s.points == ((24_252, 1.0), (24_312, 0.5), (24_336, 0.0))
    assert s.at_year(2019) == 1.0       # before the first key: the first value
    assert s.at_year(2020, 12) == 1.0
    assert s.at_year(2021) == 1.0
    assert s.at_year(2025, 12) == 1.0
    assert s.at_year(2026) == 0.5       # from January of the key year
    assert s.at_year(2027, 6) == 0.5
    assert s.at_year(2028) == 0.0
    assert s.at_year(2060) == 0.0
    assert s.at(month_index(2026, 1) - 1) == 1.0
    assert s.at(month_index(2026, 1)) == 0.5


def test_parse_month_keys():
    s = Schedule.parse({2021: 1.0, "2022-07": 2.0, " 2023-3 ": 3.0})
    assert s.points == ((24_252, 1.0), (24_270, 2.0), (24_278, 3.0))
    assert s.at_year(2022, 6) == 1.0
    assert s.at_year(2022, 7) == 2.0
    assert s.at_year(2023, 2) == 2.0
    assert s.at_year(2023, 3) == 3.0


def test_year_as_string_equals_year_as_int():
    assert Schedule.parse({"2024": 1.5}) == Schedule.parse({2024: 1.5})
    assert Schedule.parse({"2024-01": 1.5}) == Schedule.parse({2024: 1.5})


def test_values_and_scaled():
    s = Schedule.parse({2021: 1.0, 2026: 0.5})
    assert s.values() == [1.0, 0.5]
    assert s.scaled(2.0) == Schedule.parse({2021: 2.0, 2026: 1.0})


# ---------------------------------------------------------------------------------------------
# bad keys, values and objects
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [1899, 2201, 0, -2021, "2021-13", "2021-0", "2021-00", "21-01", "2021/07", "2021-07-01",
     "abc", "", 2021.0, 2021.5, True, False, None],
)
def test_bad_keys_raise_value_error(key):
    with pytest.raises(ValueError):
        Schedule.parse({key: 1.0})


@pytest.mark.parametrize("key", ["1899", "2201", "1800-03", "0000"])
def test_year_range_applies_to_string_keys_too(key):
    # the integer key 1800 is rejected (outside 1900-2200); the same year written as a string
    # must not slip through
    with pytest.raises(ValueError):
        Schedule.parse({key: 1.0})


@pytest.mark.parametrize("value", ["1", None, True, [1.0], {2021: 1.0}])
def test_bad_values_raise_value_error(value):
    with pytest.raises(ValueError, match="expected a number"):
        Schedule.parse({2021: value})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_values_raise_value_error(value):
    # a lever's value must be a real number; NaN or infinity would propagate silently
    with pytest.raises(ValueError):
        Schedule.parse({2021: value})
    with pytest.raises(ValueError):
        Schedule.parse(value)


@pytest.mark.parametrize("obj", [{}, "1.0", None, [1.0, 2.0], (2021, 1.0)])
def test_bad_objects_raise_value_error(obj):
    with pytest.raises(ValueError):
        Schedule.parse(obj)


# ---------------------------------------------------------------------------------------------
# to_data round trip
# ---------------------------------------------------------------------------------------------


def test_to_data():
    assert Schedule.parse(0.5).to_data() == 0.5
    data = Schedule.parse({2021: 1, "2022-07": 0.5, 2028: 0}).to_data()
    assert data == {"2021": 1.0, "2022-07": 0.5, "2028": 0.0}
    # a dated schedule with a single key stays dated
    assert Schedule.parse({2026: 0.5}).to_data() == {"2026": 0.5}
    assert repr(Schedule.parse({2026: 0.5})) == "Schedule({'2026': 0.5})"


change_point = st.tuples(st.integers(1900, 2200), st.integers(1, 12))
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(st.dictionaries(change_point, finite, min_size=1, max_size=8), st.booleans())
def test_to_data_round_trip_and_step_semantics(points, as_strings):
    mapping = {(f"{y}-{m:02d}" if as_strings or m > 1 else y): v for (y, m), v in points.items()}
    s = Schedule.parse(mapping)
    assert Schedule.parse(s.to_data()) == s
    # at() is the value of the latest change point not after the month (the first one before)
    starts = sorted((month_index(y, m), v) for (y, m), v in points.items())
    for probe in [starts[0][0] - 1] + [m for m, _ in starts] + [starts[-1][0] + 7]:
        earlier = [v for m, v in starts if m <= probe]
        expected = earlier[-1] if earlier else starts[0][1]
        assert s.at(probe) == expected


@given(finite)
def test_constant_round_trip(value):
    s = Schedule.parse(value)
    assert s.to_data() == value
    assert Schedule.parse(s.to_data()) == s
    assert not math.isnan(s.at_year(2030))


@pytest.mark.parametrize("mapping, first, second", [
    ({2021: 1.0, "2021-01": 0.0}, "2021", "'2021-01'"),
    ({2021: 1, "2021": 0}, "2021", "'2021'"),
    ({"2021-01": 1, "2021-1": 0}, "'2021-01'", "'2021-1'"),
    ({2020: 1, "2022-7": 0.5, "2022-07": 0.0}, "'2022-7'", "'2022-07'"),
])
def test_two_keys_for_one_month_are_an_error_naming_both(mapping, first, second):
    """The last key would silently win: a schedule must give each month once."""
    with pytest.raises(ValueError) as info:
        Schedule.parse(mapping)
    message = str(info.value)
    assert f"schedule keys {first} and {second} both name" in message
    assert "give each month once" in message


def test_different_months_of_one_year_are_fine():
    s = Schedule.parse({2021: 1.0, "2021-07": 0.5})
    assert s.at_year(2021, 6) == 1.0 and s.at_year(2021, 7) == 0.5
