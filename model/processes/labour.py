"""Labour-market transitions and the matching of seekers to slots."""

from __future__ import annotations

import numpy as np

from .income import EMP_LOCAL, EMP_MIGRANT, EMP_NONE, EMP_POST


def migrant_transitions(
    emp_type: np.ndarray,
    labour_avail: np.ndarray,
    willing: np.ndarray,
    u_loss: np.ndarray,
    u_find: np.ndarray,
    p_loss: float,
    p_find: np.ndarray,
) -> np.ndarray:
    """New employment codes after migrant job loss and finding.

    A migrant loses the job with ``p_loss`` or when no labour is left (illness brings workers
    home); a willing household without a job and with at least half a labour unit finds one with
    ``p_find`` (per household, so employment assistance can raise it).
    """
    out = emp_type.copy()
    migrant = emp_type == EMP_MIGRANT
    lose = migrant & ((u_loss < p_loss) | (labour_avail < 0.5))
    out[lose] = EMP_NONE
    find = (emp_type == EMP_NONE) & willing & (labour_avail >= 0.5) & (u_find < p_find)
    out[find] = EMP_MIGRANT
    return out


def separations(emp_type: np.ndarray, code: int, labour_avail: np.ndarray, u: np.ndarray,
                p_sep: float) -> np.ndarray:
    """Mask of households whose job of type ``code`` ends this month (quit, end of term, no labour)."""
    return (emp_type == code) & ((u < p_sep) | (labour_avail < 0.5))


def match_within_groups(
    seeker_group: np.ndarray,
    seeker_priority: np.ndarray,
    slot_group: np.ndarray,
    n_groups: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Match seekers to slots inside groups (counties, villages), best priority first.

    Within each group the k-th best seeker gets the k-th slot, for ``k < min(seekers, slots)``.
    Ties in priority are broken by the order of the input arrays (pass randomised priorities for
    random tie-breaking).

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
    s_order = np.lexsort((-seeker_priority, seeker_group))
    s_sorted_group = seeker_group[s_order]
    s_counts = np.bincount(s_sorted_group, minlength=n_groups)
    s_start = np.concatenate(([0], np.cumsum(s_counts)[:-1]))
    s_rank = np.arange(len(s_order)) - s_start[s_sorted_group]

    v_order = np.argsort(slot_group, kind="stable")
    v_counts = np.bincount(slot_group, minlength=n_groups)
    v_start = np.concatenate(([0], np.cumsum(v_counts)[:-1]))

    ok = s_rank < v_counts[s_sorted_group]
    seeker_idx = s_order[ok]
    slot_idx = v_order[v_start[s_sorted_group[ok]] + s_rank[ok]]
    return seeker_idx, slot_idx


__all__ = ["EMP_LOCAL", "EMP_MIGRANT", "EMP_NONE", "EMP_POST", "match_within_groups",
           "migrant_transitions", "separations"]
