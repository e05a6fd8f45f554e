"""Labour-market transitions and seeker/slot matching (model/processes/labour.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.processes.labour import (
    EMP_LOCAL,
    EMP_MIGRANT,
    EMP_NONE,
    EMP_POST,
    match_within_groups,
    migrant_transition,
    separated,
)

# ---------------------------------------------------------------------------------------------
# migrant_transition and separated
# ---------------------------------------------------------------------------------------------


def test_migrant_transition_row_by_row():
    # row: (emp, labour, willing, u_loss, u_find, p_find) -> expected, with p_loss = 0.1
    rows = [
        (EMP_MIGRANT, 1.0, True, 0.05, 0.99, 0.3, EMP_NONE),     # loses: u_loss 0.05 < 0.1
        (EMP_MIGRANT, 1.0, True, 0.10, 0.00, 0.3, EMP_MIGRANT),  # keeps: 0.10 is not < 0.1
        (EMP_MIGRANT, 0.4, True, 0.90, 0.00, 0.3, EMP_NONE),     # loses: labour 0.4 < 0.5
        (EMP_NONE, 0.5, True, 0.00, 0.29, 0.3, EMP_MIGRANT),     # finds: 0.29 < 0.3, labour 0.5
        (EMP_NONE, 0.5, True, 0.00, 0.30, 0.3, EMP_NONE),        # no: 0.30 is not < 0.3
        (EMP_NONE, 1.0, False, 0.00, 0.00, 0.3, EMP_NONE),       # no: not willing
        (EMP_NONE, 0.49, True, 0.00, 0.00, 0.3, EMP_NONE),       # no: too little labour
        (EMP_NONE, 1.0, True, 0.00, 0.50, 0.6, EMP_MIGRANT),     # per-household p_find 0.6
        (EMP_LOCAL, 1.0, True, 0.00, 0.00, 1.0, EMP_LOCAL),      # local job untouched
        (EMP_POST, 0.0, True, 0.00, 0.00, 1.0, EMP_POST),        # post untouched
    ]
    out = migrant_transition(
        np.array([r[0] for r in rows], dtype=np.int8),  # emp_type
        np.array([r[1] for r in rows]),                 # labour_avail
        np.array([r[2] for r in rows]),                 # willing
        np.array([r[3] for r in rows]),                 # u_loss
        np.array([r[4] for r in rows]),                 # u_find
        0.1,                                            # p_loss
        np.array([r[5] for r in rows]),                 # p_find
    )
    np.testing.assert_array_equal(out, [r[6] for r in rows])


def test_migrant_who_loses_a_job_does_not_find_one_in_the_same_month():
    # loss (u_loss 0 < 0.5) and a sure find (u_find 0 < 1): the household ends the month jobless
    assert migrant_transition(EMP_MIGRANT, 1.0, True, 0.0, 0.0, 0.5, 1.0) == EMP_NONE


def test_separated():
    emp = np.array([EMP_LOCAL, EMP_LOCAL, EMP_LOCAL, EMP_POST, EMP_NONE], dtype=np.int8)
    labour = np.array([1.0, 1.0, 0.25, 1.0, 1.0])
    u = np.array([0.05, 0.5, 0.9, 0.0, 0.0])
    # local with u 0.05 < 0.1 -> ends; u 0.5 -> stays; labour 0.25 < 0.5 -> ends;
    # other job types never separate from a local job
    out = separated(emp, EMP_LOCAL, labour, u, 0.1)
    np.testing.assert_array_equal(out, [True, False, True, False, False])
    # the same rule ends a public-welfare post
    assert separated(EMP_POST, EMP_POST, 1.0, 0.01, 0.02)
    assert not separated(EMP_POST, EMP_POST, 1.0, 0.02, 0.02)


# ---------------------------------------------------------------------------------------------
# match_within_groups
# ---------------------------------------------------------------------------------------------


def test_match_within_groups_hand_example():
    seeker_group = np.array([0, 1, 0, 0, 2, 1])
    seeker_priority = np.array([0.5, 0.9, 0.7, 0.5, 0.1, 0.2])
    slot_group = np.array([1, 0, 0, 1, 1])
    si, vi = match_within_groups(seeker_group, seeker_priority, slot_group, n_groups=3)
    # group 0: seekers by priority 2 (0.7), 0 (0.5), 3 (0.5; tie, later in input);
    #          slots 1, 2 -> seeker 2 gets slot 1, seeker 0 gets slot 2, seeker 3 none
    # group 1: seekers 1 (0.9), 5 (0.2); slots 0, 3, 4 -> 1 gets 0, 5 gets 3, slot 4 unused
    # group 2: seeker 4, no slots -> unmatched
    assert dict(zip(si.tolist(), vi.tolist(), strict=True)) == {2: 1, 0: 2, 1: 0, 5: 3}


def test_match_within_groups_ties_follow_input_order():
    si, vi = match_within_groups(np.array([0, 0, 0]), np.array([1.0, 1.0, 1.0]),
                                 np.array([0, 0]), n_groups=1)
    assert dict(zip(si.tolist(), vi.tolist(), strict=True)) == {0: 0, 1: 1}


def test_match_within_groups_empty_inputs():
    for seekers, slots in (([], [0, 1]), ([0, 1], []), ([], [])):
        si, vi = match_within_groups(np.array(seekers, dtype=np.int64), np.zeros(len(seekers)),
                                     np.array(slots, dtype=np.int64), n_groups=2)
        assert len(si) == 0 and len(vi) == 0


def test_match_within_groups_group_without_seekers_leaves_its_slots_open():
    si, vi = match_within_groups(np.array([1, 1]), np.array([0.2, 0.8]), np.array([0, 0, 1]),
                                 n_groups=2)
    # only group 1 has seekers; its single slot (index 2) goes to the higher priority seeker 1
    assert si.tolist() == [1] and vi.tolist() == [2]


@st.composite
def matching_problem(draw):
    n_groups = draw(st.integers(1, 5))
    n_seekers = draw(st.integers(0, 40))
    n_slots = draw(st.integers(0, 40))
    seeker_group = np.array(draw(st.lists(st.integers(0, n_groups - 1), min_size=n_seekers,
                                          max_size=n_seekers)), dtype=np.int64)
    # a small set of priority values so ties are common
    seeker_priority = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5, 10.0]),
                                             min_size=n_seekers, max_size=n_seekers)))
    slot_group = np.array(draw(st.lists(st.integers(0, n_groups - 1), min_size=n_slots,
                                        max_size=n_slots)), dtype=np.int64)
    return seeker_group, seeker_priority, slot_group, n_groups


@settings(max_examples=200, deadline=None)
@given(matching_problem())
def test_match_within_groups_properties(problem):
    seeker_group, seeker_priority, slot_group, n_groups = problem
    si, vi = match_within_groups(seeker_group, seeker_priority, slot_group, n_groups)
    assert len(si) == len(vi)
    # no seeker and no slot is used twice
    assert len(set(si.tolist())) == len(si)
    assert len(set(vi.tolist())) == len(vi)
    # a seeker is only matched to a slot of its own group
    np.testing.assert_array_equal(seeker_group[si], slot_group[vi])
    pairs = dict(zip(si.tolist(), vi.tolist(), strict=True))
    for g in range(n_groups):
        seekers_g = np.flatnonzero(seeker_group == g)
        slots_g = np.flatnonzero(slot_group == g)
        k = min(len(seekers_g), len(slots_g))
        # counts = min(seekers, slots) per group
        assert int(np.sum(seeker_group[si] == g)) == k
        # priority order: the k-th best seeker (ties by input order) gets the k-th slot of the group
        ranked = sorted(seekers_g.tolist(), key=lambda i: (-seeker_priority[i], i))
        expected = dict(zip(ranked[:k], slots_g[:k].tolist(), strict=True))
        assert {s: pairs[s] for s in ranked[:k]} == expected
        assert not any(s in pairs for s in ranked[k:])
