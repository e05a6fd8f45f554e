"""The household population as a vectorised agent set.

State is a struct of arrays: one NumPy array per attribute, one row per simulated household, with
compact dtypes. Rules are array operations (see :mod:`model.processes`). ``households[i]`` returns
a readable :class:`Household` view for teaching, tests and the app.

Each simulated household carries a ``weight``: the number of real households it represents.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import set_parallel_chunksize

#: name -> (dtype, meaning with unit). The order is the order of ``fields()``. The codes of
#: ``emp_type`` (``EMP_*``) are named in :mod:`model.processes.income`, those of ``mon_state``,
#: ``mon_category`` and ``aid_bits`` (``MON_*``, ``CAT_*``, ``AID_*``) in
#: :mod:`model.processes.monitoring`, the bits of ``seek_flags`` below.
FIELDS: dict[str, tuple[str, str]] = {
    # identity and structure
    "county": ("int16", "county index"),
    "village": ("int32", "village index (province-wide)"),
    "weight": ("float32", "real households represented"),
    "members": ("int8", "persons"),
    "n_elderly": ("int8", "persons aged 60+"),
    "n_school": ("int8", "children in school"),
    "labour_units": ("float32", "capacity-weighted working-age labour units"),
    "chronic": ("bool", "a member has a chronic disease"),
    "disabled": ("bool", "a member has a persistent disability"),
    "education": ("int8", "schooling of the main worker: 0 primary, 1 middle, 2 high+"),
    "formerly_poor": ("bool", "registered poor before 2021 (fixed)"),
    # employment
    "emp_type": ("int8", "0 none, 1 local enterprise, 2 migrant, 3 public-welfare post"),
    "n_workers": ("int8", "members in wage work when employed"),
    "migrant_willing": ("bool", "workers will migrate for work"),
    "employer": ("int32", "enterprise row of the local job, -1 none"),
    "contract": ("int32", "enterprise row buying the household's product, -1 none"),
    "wage_mult": ("float32", "household wage multiplier (schooling, individual level)"),
    # operating base and support
    "op_base_year": ("float32", "operating income potential, yuan/year at 2020 prices"),
    "industry_potential_year": ("float32", "income from industrial assistance at full support, yuan/year 2020"),
    "industry_stock": ("float32", "productive assets from industrial assistance, in units of the full "
                       "industrial gain (projects, skills, inputs)"),
    "support_target": ("float32", "industrial assets a monitored household not registered is supported to, in "
                       "units of its full gain: its income shortfall at identification over that gain (at most 1)"),
    "private_transfer_year": ("float32", "remittances and private transfers, yuan/year 2020"),
    "property_year": ("float32", "property income, yuan/year 2020"),
    # social protection
    "dibao": ("bool", "enrolled in minimum living guarantee"),
    "dibao_above_months": ("int8", "consecutive months an enrolled household's counted income has been at or above "
                           "its line (gradual exit)"),
    "insured": ("bool", "enrolled in basic medical insurance"),
    "housing_safe": ("bool", "house is safe"),
    # shocks in progress
    "ill_months": ("int8", "months of illness left"),
    "labour_lost": ("float32", "labour units lost to illness/accident this month"),
    "disaster_loss": ("float32", "share of operating income lost per month"),
    "disaster_months": ("int8", "months of disaster loss left"),
    # finances
    "savings_yuan": ("float32", "liquid savings, yuan"),
    "debt_yuan": ("float32", "microcredit debt, yuan"),
    # monitoring
    "mon_state": ("int8", "0 not monitored, 1 monitored, 2 risk eliminated"),
    "mon_category": ("int8", "0 none, 1 unstable formerly poor, 2 marginal, 3 sudden hardship"),
    "ever_monitored": ("bool", "monitored at some time since 2021"),
    "ever_eliminated": ("bool", "risk marked eliminated at some time since 2021"),
    "stable_months": ("int8", "consecutive monitored months above the threshold"),
    "aid_bits": ("int8", "assistance received: 1 industrial, 2 employment, 4 social, 8 medical, 16 temporary "
                 "assistance (paid at identification)"),
    "aid_wait": ("int8", "months before the assistance of an identified household starts"),
    "flag_months": ("int8", "months until a shared-data record of the household reaches the county (0 none)"),
    "shock_month": ("int16", "absolute month of the household's last shock (illness, accident, disaster, job "
                    "loss, large medical bill), 0 none"),
    "year_flags": ("uint8", "this year: 1 monitored in January, 2 assisted in January, 4 sudden hardship"),
    "income_est_pc": ("float32", "smoothed annualised per-capita disposable income, yuan/year"),
    "seek_flags": ("uint8", "set by the month's kernel for matching: 1 job seeker, 2 contract seeker, "
                   "4 post candidate, 8 monitored in employment assistance"),
    "base_est_pc": ("float32", "smoothed annualised per-capita disposable income excluding dibao, yuan/year"),
    "hardship_months": ("int8", "months the current hardship stays pending"),
    "pending_oop_yuan": ("float32", "out-of-pocket medical spending of the pending hardship, yuan"),
    "guarantee_failure": ("bool", "a three-guarantees failure this year"),
    # annual accumulators (yuan/household, current year)
    "y_wage": ("float32", "wage income this year"),
    "y_operating": ("float32", "operating income this year (net of interest)"),
    "y_property": ("float32", "property income this year"),
    "y_transfer_public": ("float32", "pensions, dibao and subsidies this year"),
    "y_transfer_private": ("float32", "private transfers this year"),
    "y_rigid": ("float32", "out-of-pocket medical and education spending this year"),
    # poverty status
    "poor": ("bool", "poor at the last December accounting"),
    "ever_relapsed": ("bool", "relapsed at some year-end since 2021"),
    "ever_new_poor": ("bool", "newly poor at some year-end since 2021"),
    "net_income_pc": ("float32", "per-capita net income at the last December, yuan/year"),
}

#: Bits of ``seek_flags``: what a household seeks in the month's matching (step 11).
SEEK_JOB, SEEK_CONTRACT, SEEK_POST, MON_EMPLOYMENT = 1, 2, 4, 8
#: Bit of ``seek_flags`` the release of a closed enterprise's links sets, read by the next month's
#: kernel as a job lost to a closure (a shared-data event).
EMPLOYER_CLOSED = 16

#: The household arrays as one namedtuple (field order of ``FIELDS``), the form the compiled
#: kernels take them in (:meth:`HouseholdSet.as_tuple`).
HHArrays = namedtuple("HHArrays", list(FIELDS))

#: Counties a thread takes at a time in the parallel loops over households. Counties differ in
#: work (poorer ones monitor and assist more), so they are handed out one at a time to whichever
#: thread is free (dynamic scheduling) rather than in equal halves. Each county is computed whole
#: by one thread, so results do not depend on this.
COUNTY_CHUNK = 1


def by_county(fn, *args):
    """Call the county-parallel compiled loop ``fn`` with dynamic scheduling (``COUNTY_CHUNK``).

    Households are stored in contiguous county blocks, and each compiled parallel loop runs over
    counties. The chunk size is set from Python around the call: set inside compiled code it would
    make the function uncacheable."""
    previous = set_parallel_chunksize(COUNTY_CHUNK)
    try:
        return fn(*args)
    finally:
        set_parallel_chunksize(previous)


#: Bytes of a memory page and of a cache line (x86-64 and ARM64 alike).
PAGE_BYTES, LINE_BYTES = 4096, 64
#: Cache lines between the page offsets of consecutive fields. Odd, so the first 64 fields start
#: on 64 different cache sets (see :func:`arena_layout`).
STAGGER_LINES = 7


def arena_layout(n: int) -> tuple[list[int], int]:
    """Byte offset of each field (order of ``FIELDS``) in the households' single allocation, and
    its total size.

    Each field starts on a fresh page plus ``k × STAGGER_LINES`` cache lines (modulo a page), ``k``
    the field's position. Were every field to start at the same page offset, as separate large
    allocations do, row ``i`` of all fields of one dtype would map to the same L1 cache set and
    the same low address bits: the fused kernel, which reads and writes some 60 fields per
    household, would then evict its own lines and stall on false store-to-load dependencies.
    The padding costs at most two pages per field.
    """
    offsets = []
    end = 0
    for k, (dtype, _) in enumerate(FIELDS.values()):
        page = -(-end // PAGE_BYTES) * PAGE_BYTES
        off = page + (k * STAGGER_LINES * LINE_BYTES) % PAGE_BYTES
        offsets.append(off)
        end = off + n * np.dtype(dtype).itemsize
    return offsets, max(end, 1)


class HouseholdSet:
    """Struct-of-arrays household state. Attribute access returns the NumPy array."""

    def __init__(self, n: int):
        self.n = int(n)
        offsets, total = arena_layout(self.n)
        # one zeroed allocation for all fields: large enough that NumPy asks the OS for huge
        # pages (fewer TLB misses when the kernel streams every field at once)
        self._arena = np.zeros(total, dtype=np.uint8)
        for (name, (dtype, _)), off in zip(FIELDS.items(), offsets, strict=True):
            size = self.n * np.dtype(dtype).itemsize
            setattr(self, name, self._arena[off:off + size].view(dtype))
        self.employer[:] = -1
        self.contract[:] = -1

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Household:
        if not -self.n <= i < self.n:
            raise IndexError(f"household {i} out of range 0..{self.n - 1}")
        return Household(self, int(i) % self.n)

    @staticmethod
    def fields() -> dict[str, tuple[str, str]]:
        return FIELDS

    def nbytes(self) -> int:
        """Bytes of household state."""
        return sum(getattr(self, name).nbytes for name in FIELDS)

    def as_tuple(self) -> HHArrays:
        """The arrays as the kernels' ``HHArrays`` namedtuple (same objects, no copy)."""
        return HHArrays(*(getattr(self, name) for name in FIELDS))

    def persons_weight(self) -> np.ndarray:
        """Real persons represented by each row: ``weight × members``."""
        return self.weight * self.members


@dataclass
class Household:
    """A readable view of one household (reads and writes go to the arrays)."""

    _set: HouseholdSet
    index: int

    def __getattr__(self, name: str) -> Any:
        if name in FIELDS:
            return getattr(self._set, name)[self.index].item()
        raise AttributeError(name)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}

    def __repr__(self) -> str:
        return (f"Household({self.index}: county={self.county}, members={self.members}, "
                f"formerly_poor={self.formerly_poor}, income_est_pc={self.income_est_pc:.0f})")
