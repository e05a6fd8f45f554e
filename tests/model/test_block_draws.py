"""The block of everyday draws equals the per-household counter-based draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model import rng
from model.processes.income import EMP_LOCAL, EMP_MIGRANT, EMP_NONE, EMP_POST

KEYS = [rng.stream_key(7, s) for s in (rng.S_ILLNESS, rng.S_DISABILITY, rng.S_ACCIDENT,
                                          rng.S_OPERATING, rng.S_LABOUR)]
# employment code -> the transition draw it allows
LABOUR_SLOT = {EMP_NONE: rng.SLOT_MIGRANT_FIND, EMP_LOCAL: rng.SLOT_LOCAL_SEPARATION,
               EMP_MIGRANT: rng.SLOT_MIGRANT_LOSS, EMP_POST: rng.SLOT_POST_END}


@pytest.mark.parametrize(("b0", "n", "month"), [(0, rng.DRAW_BLOCK, 0), (1_000_003, 77, 131), (5, 1, 59),
                                                (300, rng.DRAW_BLOCK, 2**20)])
def test_block_equals_single_draws(b0, n, month):
    sd = 0.35
    emp_type = np.zeros(b0 + n, dtype=np.int8)
    emp_type[b0:] = np.random.default_rng(b0 + n).integers(0, 4, n)
    draws = np.full((5, rng.DRAW_BLOCK), np.nan)
    rng.block_draws(*KEYS, sd, emp_type, b0, n, month, rng.NORMAL_TABLE, draws)
    k_ill, k_dis, k_acc, k_op, k_lab = KEYS
    for j in range(n):
        i = b0 + j
        assert draws[rng.D_ILLNESS, j] == rng.uniform(k_ill, i, month, 0)
        assert draws[rng.D_DISABILITY, j] == rng.uniform(k_dis, i, month, 0)
        assert draws[rng.D_ACCIDENT, j] == rng.uniform(k_acc, i, month, 0)
        z = rng.normal(k_op, i, month, 0, rng.NORMAL_TABLE)
        assert draws[rng.D_NOISE, j] == math.exp(sd * z - 0.5 * sd * sd)
        assert draws[rng.D_LABOUR, j] == rng.uniform(k_lab, i, month, LABOUR_SLOT[int(emp_type[i])])
    assert np.isnan(draws[:, n:]).all()  # nothing written past the block


def test_labour_slots_differ():
    """Each employment code reads its own slot (a wrong slot would repeat another rule's draw)."""
    draws = np.empty((5, rng.DRAW_BLOCK))
    emp_type = np.array([0, 1, 2, 3], dtype=np.int8)
    rng.block_draws(*KEYS, 0.3, emp_type, 0, 4, 12, rng.NORMAL_TABLE, draws)
    for code, slot in LABOUR_SLOT.items():
        assert draws[rng.D_LABOUR, code] == rng.uniform(KEYS[4], code, 12, slot)
        for other in set(range(4)) - {slot}:
            assert draws[rng.D_LABOUR, code] != rng.uniform(KEYS[4], code, 12, other)
