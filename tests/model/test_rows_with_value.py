"""``matching.rows_with_value`` reads only the county blocks asked for and finds every row there."""

import numpy as np

from model import matching


def test_rows_with_value_matches_a_full_scan():
    rng = np.random.default_rng(7)
    sizes = rng.integers(0, 400, size=30)  # some counties are empty
    county_start = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    county = np.repeat(np.arange(30), sizes)
    values = rng.integers(0, 4, size=county.shape[0]).astype(np.int8)
    county_ok = rng.random(30) < 0.4
    expected = np.flatnonzero((values == 3) & county_ok[county])
    got = matching.rows_with_value(values, 3, county_start, county_ok)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


def test_rows_with_value_no_county_selected():
    county_start = np.array([0, 5, 9], dtype=np.int64)
    values = np.full(9, 3, dtype=np.int8)
    assert matching.rows_with_value(values, 3, county_start, np.zeros(2, dtype=np.bool_)).shape == (0,)
