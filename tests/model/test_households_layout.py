"""The households' single allocation: fields are disjoint, aligned and spread over cache sets."""

import itertools

import numpy as np
import pytest

from model.households import FIELDS, LINE_BYTES, PAGE_BYTES, HouseholdSet, arena_layout


@pytest.mark.parametrize("n", [1, 7, 1000, 65_537])
def test_fields_are_disjoint_aligned_views_of_one_allocation(n):
    hh = HouseholdSet(n)
    spans = []
    for name, (dtype, _) in FIELDS.items():
        arr = getattr(hh, name)
        assert arr.dtype == np.dtype(dtype) and arr.shape == (n,)
        assert arr.flags.c_contiguous and arr.flags.writeable
        assert np.shares_memory(arr, hh._arena)
        start = arr.__array_interface__["data"][0] - hh._arena.__array_interface__["data"][0]
        assert start % LINE_BYTES == 0
        spans.append((start, start + arr.nbytes))
    spans.sort()
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert hh.nbytes() == n * sum(np.dtype(d).itemsize for d, _ in FIELDS.values())
    # padding is at most two pages per field
    assert hh._arena.nbytes <= hh.nbytes() + 2 * PAGE_BYTES * len(FIELDS)


def test_fields_start_on_distinct_cache_sets():
    offsets, _ = arena_layout(1_000_000)
    in_page = [off % PAGE_BYTES // LINE_BYTES for off in offsets]
    assert len(FIELDS) <= PAGE_BYTES // LINE_BYTES
    assert len(set(in_page)) == len(FIELDS)


def test_initial_state_is_zero_except_links():
    hh = HouseholdSet(100)
    for name in FIELDS:
        expected = -1 if name in ("employer", "contract") else 0
        assert (getattr(hh, name) == expected).all(), name
    hh.weight[:] = 2.0  # writes go to the household's own field only
    assert (hh.members == 0).all() and (hh.weight == 2.0).all()
