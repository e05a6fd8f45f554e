"""Labour-market transitions and the matching of seekers to slots."""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit

from . import rule
from .income import EMP_LOCAL, EMP_MIGRANT, EMP_NONE, EMP_POST


@rule
def migrant_transition(emp_type, labour_avail, willing, u_loss, u_find, p_loss, p_find):
    """Employment code after this month's migrant job loss or finding.

    A migrant loses the job with ``p_loss`` or when less than half a labour unit is left (illness
    brings workers home); a willing household without a job and with at least half a labour unit
    finds one with ``p_find``.
    """
    if emp_type == EMP_MIGRANT:
        if u_loss < p_loss or labour_avail < 0.5:
            return EMP_NONE
        return EMP_MIGRANT
    if emp_type == EMP_NONE and willing and labour_avail >= 0.5 and u_find < p_find:
        return EMP_MIGRANT
    return emp_type


@rule
def separated(emp_type, code, labour_units, u, p_sep):
    """True when the household's job of type ``code`` ends this month: a quit or the end of a term
    (``u < p_sep``), or less than half a labour unit of capacity left for good (a disability). An
    illness keeps the job: the worker's absence lowers the month's wage (effective workers), as sick
    leave does."""
    return emp_type == code and (u < p_sep or labour_units < 0.5)


def match_within_groups(
    seeker_group: np.ndarray,
    seeker_priority: np.ndarray,
    slot_group: np.ndarray,
    n_groups: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Match seekers to slots inside groups (counties, villages), best priority first.

    Within each group the k-th best seeker gets the group's k-th slot (slots in input order), for
    ``k < min(seekers, slots)``. Equal priorities are served in input order (pass randomised
    priorities for random tie-breaking). Runs in O(seekers · log slots): only the best ``k`` of each
    group are ranked, so a month's matching costs little however many households seek.

    Args:
        seeker_group: group id of each seeker.
        seeker_priority: higher is served first.
        slot_group: group id of each open slot.
        n_groups: number of groups.

    Returns:
        ``(seeker_idx, slot_idx)``: positions into the seeker and slot arrays that are matched.
    """
    if len(seeker_group) == 0 or len(slot_group) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    seeker_group = np.asarray(seeker_group, dtype=np.int64)
    slot_group = np.asarray(slot_group, dtype=np.int64)
    v_order = np.argsort(slot_group, kind="stable")
    v_counts = np.bincount(slot_group, minlength=n_groups)
    v_start = np.concatenate(([0], np.cumsum(v_counts)[:-1]))
    seeker_idx, rank = _top_k_by_group(seeker_group, np.asarray(seeker_priority, dtype=np.float64),
                                       v_counts.astype(np.int64), n_groups)
    slot_idx = v_order[v_start[seeker_group[seeker_idx]] + rank]
    return seeker_idx, slot_idx


@njit(cache=True)
def _top_k_by_group(group, priority, k_per_group, n_groups):
    """For each group, the best ``k`` seekers (priority descending, input order on ties) and their
    rank 0..k-1."""
    n = group.shape[0]
    counts = np.zeros(n_groups, dtype=np.int64)
    for i in range(n):
        counts[group[i]] += 1
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for g in range(n_groups):
        start[g + 1] = start[g] + counts[g]
    order = np.empty(n, dtype=np.int64)
    fill = start[:-1].copy()
    for i in range(n):  # counting sort: stable, O(n)
        order[fill[group[i]]] = i
        fill[group[i]] += 1
    total = 0
    for g in range(n_groups):
        total += min(k_per_group[g], counts[g])
    chosen = np.empty(total, dtype=np.int64)
    rank = np.empty(total, dtype=np.int64)
    pos = 0
    for g in range(n_groups):
        k = min(k_per_group[g], counts[g])
        if k == 0:
            continue
        seg = order[start[g]:start[g + 1]]
        # min-heap of the best k as (priority, -input position): the root is the worst kept
        heap = [(priority[seg[0]], -seg[0])]
        heap.pop()
        for j in range(seg.shape[0]):
            item = (priority[seg[j]], -seg[j])
            if len(heap) < k:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
        best = sorted(heap, reverse=True)
        for r in range(k):
            chosen[pos] = -best[r][1]
            rank[pos] = r
            pos += 1
    return chosen, rank


__all__ = ["EMP_LOCAL", "EMP_MIGRANT", "EMP_NONE", "EMP_POST", "match_within_groups", "migrant_transition",
           "separated"]
