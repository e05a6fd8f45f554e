"""Matching households to open slots (step 11) and releasing the links of closed enterprises
(step 10), compiled with numba.

Step 11 fills the month's open slots — enterprise vacancies, public-welfare posts, contract
farming — with the best candidates of each group (:func:`select_top_k`); the households'
``seek_flags``, set by the month's kernel, say who is a candidate. Step 10 ends the jobs and
contracts of enterprises that closed (:func:`release_links`). Both run county by county, in
parallel over counties with the same result as serially.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .households import EMPLOYER_CLOSED, MON_EMPLOYMENT, SEEK_CONTRACT, SEEK_JOB, SEEK_POST, by_county
from .processes.income import EMP_NONE
from .rng import uniform

# --------------------------------------------------------------------------------------------
# Enterprise exits (step 10): the links of the households of firms that closed
# --------------------------------------------------------------------------------------------


def release_links(h, county_start, gone, parallel=False):
    """Households employed by or contracting with a closed enterprise (``gone[row]``) lose the
    link: the job (employment ``EMP_NONE``, no employer) or the contract. Those left with at least half
    a labour unit seek a job again, and a post too when registered or in employment assistance;
    those with a farm base seek a contract again. ``gone`` has one more entry than there are
    enterprise rows, ``False``, so that the link value -1 reads it."""
    if parallel:
        by_county(_release_links_parallel, h, county_start, gone)
    else:
        _release_links_serial(h, county_start, gone)


@njit(parallel=True, cache=True)
def _release_links_parallel(h, county_start, gone):
    for c in prange(county_start.shape[0] - 1):
        _release_links_county(h, county_start[c], county_start[c + 1], gone)


@njit(cache=True)
def _release_links_serial(h, county_start, gone):
    for c in range(county_start.shape[0] - 1):
        _release_links_county(h, county_start[c], county_start[c + 1], gone)


@njit(cache=True)
def _release_links_county(h, start, stop, gone):
    for i in range(np.uint64(start), np.uint64(stop)):  # unsigned: no negative-index wraparound code
        if gone[h.employer[i]]:
            h.emp_type[i] = EMP_NONE
            h.employer[i] = -1
            # the next month's kernel reads the closure as a job loss (a shared-data event)
            flags = h.seek_flags[i] | EMPLOYER_CLOSED
            if h.labour_units[i] - h.labour_lost[i] >= 0.5:
                if not h.migrant_willing[i]:
                    flags |= SEEK_JOB
                if h.formerly_poor[i] or (flags & MON_EMPLOYMENT) != 0:
                    flags |= SEEK_POST
            h.seek_flags[i] = flags
        if gone[h.contract[i]]:
            h.contract[i] = -1
            if h.op_base_year[i] > 0:
                h.seek_flags[i] |= SEEK_CONTRACT


# --------------------------------------------------------------------------------------------
# Selecting candidates for the month's matching (step 11)
# --------------------------------------------------------------------------------------------


#: Group kinds and priority rules of :func:`select_top_k`.
GROUP_COUNTY, GROUP_VILLAGE, GROUP_COUNTY_INDUSTRY = 0, 1, 2
PRIO_JOB, PRIO_POST, PRIO_RANDOM = 0, 1, 2
#: Slots of the matching stream's draws, one per selection of the month (``PRIO_JOB`` also reads
#: the next slot, for the campaign's reserved hires): local jobs, public-welfare posts, village-
#: and county-level contracts.
SLOT_JOBS, SLOT_POSTS, SLOT_VILLAGE_CONTRACTS, SLOT_COUNTY_CONTRACTS = 0, 2, 3, 4


def select_top_k(flags, bit, group_kind, county_start, county, village, village_product, n_industries, k_per_group,
                 prio_kind, labour_units, labour_lost, formerly_poor, reserve, key, month, slot, parallel=False,
                 village_county=None):
    """Step 11's matching: among households whose ``flags`` carry ``bit``, the best
    ``k_per_group[g]`` of each group ``g`` by priority, ranked best first.

    Priorities (``u`` a uniform draw of this household, month and slot):
    ``PRIO_JOB`` labour capacity + u, plus 10 for registered households under the campaign's
    reserved share; ``PRIO_POST`` 2 for monitored households in employment assistance, + u;
    ``PRIO_RANDOM`` u. Only the best ``k`` of each group are kept, in a min-heap per group
    (O(n log k)). Groups (counties, villages, county-industries) lie within counties, so counties
    may run in parallel with the same result.

    Counties none of whose groups has a slot are skipped whole (for village groups this needs
    ``village_county``, the county of each village).

    Returns ``(rows, groups, ranks)`` ordered by group, then rank.
    """
    n_groups = k_per_group.shape[0]
    n_counties = county_start.shape[0] - 1
    if group_kind == GROUP_COUNTY:
        group_county = np.arange(n_groups)
    elif group_kind == GROUP_COUNTY_INDUSTRY:
        group_county = np.arange(n_groups) // n_industries
    else:
        group_county = village_county
    county_open = np.zeros(n_counties, dtype=np.bool_)
    if group_county is None:
        county_open[:] = True
    else:
        county_open[np.asarray(group_county)[k_per_group > 0]] = True
    offsets = np.concatenate(([0], np.cumsum(k_per_group))).astype(np.int64)
    total = int(offsets[-1])
    buf_p = np.empty(total)
    buf_r = np.empty(total, dtype=np.int64)
    fill = np.zeros(n_groups, dtype=np.int64)
    if total > 0:
        args = (flags, bit, group_kind, county_start, county, village, village_product, n_industries, k_per_group,
                prio_kind, labour_units, labour_lost, formerly_poor, reserve, key, month, slot, offsets, buf_p, buf_r,
                fill, county_open)
        if parallel:
            by_county(_top_k_counties_parallel, *args)
        else:
            _top_k_counties_serial(*args)
    return _top_k_collect(offsets, buf_p, buf_r, fill)


@njit(parallel=True, cache=True)
def _top_k_counties_parallel(flags, bit, group_kind, county_start, county, village, village_product, n_industries,
                             k_per_group, prio_kind, labour_units, labour_lost, formerly_poor, reserve, key, month,
                             slot, offsets, buf_p, buf_r, fill, county_open):
    for c in prange(county_start.shape[0] - 1):
        if county_open[c]:
            _top_k_county(flags, bit, group_kind, county_start[c], county_start[c + 1], county, village,
                          village_product, n_industries, k_per_group, prio_kind, labour_units, labour_lost,
                          formerly_poor, reserve, key, month, slot, offsets, buf_p, buf_r, fill)


@njit(cache=True)
def _top_k_counties_serial(flags, bit, group_kind, county_start, county, village, village_product, n_industries,
                           k_per_group, prio_kind, labour_units, labour_lost, formerly_poor, reserve, key, month,
                           slot, offsets, buf_p, buf_r, fill, county_open):
    for c in range(county_start.shape[0] - 1):
        if county_open[c]:
            _top_k_county(flags, bit, group_kind, county_start[c], county_start[c + 1], county, village,
                          village_product, n_industries, k_per_group, prio_kind, labour_units, labour_lost,
                          formerly_poor, reserve, key, month, slot, offsets, buf_p, buf_r, fill)


@njit(cache=True)
def _top_k_collect(offsets, buf_p, buf_r, fill):
    n_groups = fill.shape[0]
    kept = 0
    for g in range(n_groups):
        kept += fill[g]
    rows = np.empty(kept, dtype=np.int64)
    groups = np.empty(kept, dtype=np.int64)
    ranks = np.empty(kept, dtype=np.int64)
    pos = 0
    for g in range(n_groups):
        m = fill[g]
        if m == 0:
            continue
        base = offsets[g]
        order = np.argsort(-buf_p[base:base + m], kind="mergesort")
        for r in range(m):
            rows[pos] = buf_r[base + order[r]]
            groups[pos] = g
            ranks[pos] = r
            pos += 1
    return rows, groups, ranks


@njit(cache=True)
def _top_k_county(flags, bit, group_kind, start, stop, county, village, village_product, n_industries, k_per_group,
                  prio_kind, labour_units, labour_lost, formerly_poor, reserve, key, month, slot, offsets, buf_p,
                  buf_r, fill):
    # the candidates first, without branches: whether a household seeks, and whether its group
    # has a slot, vary from household to household (villages are not contiguous), so branches on
    # them were mispredicted about as often as taken; then only the candidates are ranked
    cand = np.empty(stop - start, dtype=np.uint32)
    n_cand = 0
    for i in range(np.uint64(start), np.uint64(stop)):
        g = _group_of(group_kind, i, county, village, village_product, n_industries)
        cand[n_cand] = np.uint32(i - np.uint64(start))
        n_cand += ((flags[i] & bit) != 0) & (k_per_group[g] > 0)
    for j in range(n_cand):
        i = np.uint64(start) + np.uint64(cand[j])
        g = _group_of(group_kind, i, county, village, village_product, n_industries)
        k = k_per_group[g]
        base = offsets[g]
        if prio_kind == PRIO_JOB:
            # labour capacity + u (+ 10 for a reserved place): once the group's kept set is full,
            # a household whose priority cannot exceed the worst kept one (u < 1) is passed over
            # without its draw, with the same result
            capacity = labour_units[i] - labour_lost[i]
            bonus = 10.0 if formerly_poor[i] and reserve > 0.0 and uniform(key, i, month, slot + 1) < reserve else 0.0
            if fill[g] == k and float(capacity) + 1.0 + bonus <= buf_p[base]:
                continue
            pr = uniform(key, i, month, slot) + capacity + bonus
        else:
            pr = uniform(key, i, month, slot)
        if prio_kind == PRIO_POST:
            if (flags[i] & MON_EMPLOYMENT) != 0:
                pr += 2.0
        if fill[g] < k:
            buf_p[base + fill[g]] = pr
            buf_r[base + fill[g]] = i
            fill[g] += 1
            if fill[g] == k:  # full: arrange the kept set as a min-heap (its worst at the root)
                for node in range(k // 2 - 1, -1, -1):
                    _sift_down(buf_p, buf_r, base, node, k)
        elif pr > buf_p[base]:  # better than the worst kept: it takes the worst's place
            buf_p[base] = pr
            buf_r[base] = i
            _sift_down(buf_p, buf_r, base, 0, k)


@njit(inline="always", cache=True)
def _group_of(group_kind, i, county, village, village_product, n_industries):
    if group_kind == GROUP_COUNTY:
        return np.int64(county[i])
    if group_kind == GROUP_VILLAGE:
        return np.int64(village[i])
    return np.int64(county[i]) * n_industries + village_product[village[i]]


@njit(inline="always", cache=True)
def _sift_down(buf_p, buf_r, base, j, k):
    """Restore the min-heap ``buf_p[base:base + k]`` (rows in ``buf_r`` alongside) below ``j``."""
    while True:
        child = 2 * j + 1
        if child >= k:
            return
        if child + 1 < k and buf_p[base + child + 1] < buf_p[base + child]:
            child += 1
        if buf_p[base + child] >= buf_p[base + j]:
            return
        buf_p[base + j], buf_p[base + child] = buf_p[base + child], buf_p[base + j]
        buf_r[base + j], buf_r[base + child] = buf_r[base + child], buf_r[base + j]
        j = child


# --------------------------------------------------------------------------------------------
# Rows of a value in some counties (surplus public-welfare posts, step 11)
# --------------------------------------------------------------------------------------------


@njit(cache=True)
def rows_with_value(values, value, county_start, county_ok):
    """Rows where ``values == value`` in the counties with ``county_ok``, in row order.

    Households are stored in contiguous county blocks (``county_start``), so only the blocks of
    those counties are read."""
    n_counties = county_start.shape[0] - 1
    count = 0
    for c in range(n_counties):
        if county_ok[c]:
            for i in range(np.uint64(county_start[c]), np.uint64(county_start[c + 1])):
                if values[i] == value:
                    count += 1
    out = np.empty(count, dtype=np.int64)
    k = 0
    for c in range(n_counties):
        if county_ok[c]:
            for i in range(np.uint64(county_start[c]), np.uint64(county_start[c + 1])):
                if values[i] == value:
                    out[k] = i
                    k += 1
    return out
