"""Step 11's candidate selection: the best k of each group, whichever counties are skipped."""

import numpy as np
import pytest

from model import matching
from model.households import SEEK_CONTRACT, SEEK_JOB
from model.rng import S_MATCHING, stream_key, uniform


def _province(seed=3, n_counties=6, villages_per_county=4, n_industries=3, per_county=300):
    rng = np.random.default_rng(seed)
    n = n_counties * per_county
    county = np.repeat(np.arange(n_counties), per_county).astype(np.int16)
    village = (county.astype(np.int32) * villages_per_county
               + rng.integers(0, villages_per_county, n)).astype(np.int32)
    village_county = np.repeat(np.arange(n_counties), villages_per_county).astype(np.int64)
    village_product = rng.integers(0, n_industries, n_counties * villages_per_county).astype(np.int64)
    flags = np.where(rng.random(n) < 0.6, SEEK_CONTRACT, 0).astype(np.uint8)
    county_start = np.arange(0, n + 1, per_county).astype(np.int64)
    zeros = np.zeros(n, dtype=np.float32)
    return dict(flags=flags, county=county, village=village, village_county=village_county,
                village_product=village_product, county_start=county_start, zeros=zeros,
                n_industries=n_industries)


def _select(p, group_kind, k, parallel, with_map=True):
    return matching.select_top_k(
        p["flags"], SEEK_CONTRACT, group_kind, p["county_start"], p["county"], p["village"],
        p["village_product"], p["n_industries"], k, matching.PRIO_RANDOM, p["zeros"], p["zeros"],
        np.zeros(len(p["flags"]), dtype=bool), 0.0, stream_key(5, S_MATCHING), 300, 3,
        parallel=parallel, village_county=p["village_county"] if with_map else None)


def _reference(p, group_kind, k):
    """Brute force: every candidate's draw, best first within each group."""
    key = stream_key(5, S_MATCHING)
    rows = np.flatnonzero(p["flags"] & SEEK_CONTRACT)
    if group_kind == matching.GROUP_VILLAGE:
        group = p["village"][rows].astype(np.int64)
    elif group_kind == matching.GROUP_COUNTY_INDUSTRY:
        group = p["county"][rows].astype(np.int64) * p["n_industries"] + p["village_product"][p["village"][rows]]
    else:
        group = p["county"][rows].astype(np.int64)
    prio = np.array([uniform(key, int(i), 300, 3) for i in rows])
    out_rows, out_groups = [], []
    for g in range(len(k)):
        mine = np.flatnonzero(group == g)
        best = mine[np.argsort(-prio[mine], kind="stable")][: k[g]]
        out_rows += rows[best].tolist()
        out_groups += [g] * len(best)
    return out_rows, out_groups


@pytest.mark.parametrize("group_kind", [matching.GROUP_COUNTY, matching.GROUP_VILLAGE, matching.GROUP_COUNTY_INDUSTRY])
@pytest.mark.parametrize("parallel", [False, True])
def test_best_k_per_group_with_counties_skipped(group_kind, parallel):
    p = _province()
    n_groups = {matching.GROUP_COUNTY: 6, matching.GROUP_VILLAGE: 24, matching.GROUP_COUNTY_INDUSTRY: 18}[group_kind]
    rng = np.random.default_rng(group_kind)
    k = rng.integers(1, 8, n_groups).astype(np.int64)
    per_county = n_groups // 6
    k[: 2 * per_county] = 0  # the groups of counties 0 and 1 have no slot: those counties are skipped
    k[-1] = 500  # more slots than candidates: every candidate of the group is taken
    rows, groups, ranks = _select(p, group_kind, k, parallel)
    ref_rows, ref_groups = _reference(p, group_kind, k)
    assert rows.tolist() == ref_rows and groups.tolist() == ref_groups
    assert not np.isin(p["county"][rows], [0, 1]).any()
    # ranks count 0, 1, ... within each group
    for g in np.unique(groups):
        assert ranks[groups == g].tolist() == list(range((groups == g).sum()))
    # without the village-county map nothing is skipped, and nothing changes
    again = _select(p, group_kind, k, parallel, with_map=False)
    assert all((a == b).all() for a, b in zip(again, (rows, groups, ranks), strict=True))


@pytest.mark.parametrize("reserve", [0.0, 0.3])
@pytest.mark.parametrize("parallel", [False, True])
def test_job_priority_matches_brute_force(reserve, parallel):
    """Labour capacity + u (+10 for a reserved place of a registered household): the households
    the selection passes over without a draw (their priority cannot beat the worst kept) change
    nothing."""
    p = _province(seed=8, per_county=400)
    n = len(p["flags"])
    rng = np.random.default_rng(11)
    flags = np.where(rng.random(n) < 0.5, SEEK_JOB, 0).astype(np.uint8)
    units = rng.choice(np.array([0.5, 1.0, 1.5, 2.0, 3.0], dtype=np.float32), n)
    lost = np.where(rng.random(n) < 0.2, np.float32(0.5), np.float32(0.0)).astype(np.float32)
    fp = rng.random(n) < 0.4
    key = stream_key(9, S_MATCHING)
    k = np.array([0, 3, 12, 40, 1, 500], dtype=np.int64)
    rows, groups, ranks = matching.select_top_k(
        flags, SEEK_JOB, matching.GROUP_COUNTY, p["county_start"], p["county"], p["village"],
        p["village_product"], p["n_industries"], k, matching.PRIO_JOB, units, lost, fp, reserve, key, 77, 0,
        parallel=parallel)
    cand = np.flatnonzero(flags & SEEK_JOB)
    prio = []
    for i in cand:
        pr = uniform(key, int(i), 77, 0) + float(units[i] - lost[i])
        if fp[i] and reserve > 0.0 and uniform(key, int(i), 77, 1) < reserve:
            pr += 10.0
        prio.append(pr)
    prio = np.array(prio)
    ref_rows, ref_groups = [], []
    for g in range(len(k)):
        mine = np.flatnonzero(p["county"][cand] == g)
        best = mine[np.argsort(-prio[mine], kind="stable")][: k[g]]
        ref_rows += cand[best].tolist()
        ref_groups += [g] * len(best)
    assert rows.tolist() == ref_rows and groups.tolist() == ref_groups
    if reserve > 0.0:  # the reserve takes effect: some winners hold a reserved place
        assert (prio[np.searchsorted(cand, rows)] >= 10.0).any()
