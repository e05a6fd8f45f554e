"""The kernel's block of everyday draws equals the per-household counter-based draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model import kernel

KEYS = [kernel.stream_key(7, s) for s in (kernel.S_ILLNESS, kernel.S_DISABILITY, kernel.S_ACCIDENT,
                                          kernel.S_OPERATING, kernel.S_LABOUR)]
LABOUR_SLOT = {0: 3, 1: 0, 2: 2, 3: 1}  # employment code -> the transition draw it allows


@pytest.mark.parametrize(("b0", "n", "month"), [(0, kernel.DRAW_BLOCK, 0), (1_000_003, 77, 131), (5, 1, 59),
                                                (300, kernel.DRAW_BLOCK, 2**20)])
def test_block_equals_single_draws(b0, n, month):
    sd = 0.35
    emp_type = np.zeros(b0 + n, dtype=np.int8)
    emp_type[b0:] = np.random.default_rng(b0 + n).integers(0, 4, n)
    draws = np.full((5, kernel.DRAW_BLOCK), np.nan)
    kernel.block_draws(*KEYS, sd, emp_type, b0, n, month, kernel.NORMAL_TABLE, draws)
    k_ill, k_dis, k_acc, k_op, k_lab = KEYS
    for j in range(n):
        i = b0 + j
        assert draws[kernel.D_ILLNESS, j] == kernel.uniform(k_ill, i, month, 0)
        assert draws[kernel.D_DISABILITY, j] == kernel.uniform(k_dis, i, month, 0)
        assert draws[kernel.D_ACCIDENT, j] == kernel.uniform(k_acc, i, month, 0)
        z = kernel.normal(k_op, i, month, 0, kernel.NORMAL_TABLE)
        assert draws[kernel.D_NOISE, j] == math.exp(sd * z - 0.5 * sd * sd)
        assert draws[kernel.D_LABOUR, j] == kernel.uniform(k_lab, i, month, LABOUR_SLOT[int(emp_type[i])])
    assert np.isnan(draws[:, n:]).all()  # nothing written past the block


def test_labour_slots_differ():
    """Each employment code reads its own slot (a wrong slot would repeat another rule's draw)."""
    draws = np.empty((5, kernel.DRAW_BLOCK))
    emp_type = np.array([0, 1, 2, 3], dtype=np.int8)
    kernel.block_draws(*KEYS, 0.3, emp_type, 0, 4, 12, kernel.NORMAL_TABLE, draws)
    for code, slot in LABOUR_SLOT.items():
        assert draws[kernel.D_LABOUR, code] == kernel.uniform(KEYS[4], code, 12, slot)
        for other in set(range(4)) - {slot}:
            assert draws[kernel.D_LABOUR, code] != kernel.uniform(KEYS[4], code, 12, other)
