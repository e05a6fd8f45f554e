"""Random numbers of a run: named NumPy streams for province-level draws, counter-based draws
for households.

**Named streams.** Sequential streams spawned from one ``numpy.random.SeedSequence`` serve the
small, province-level draws: the initial population, county and village disasters, prices,
enterprise entry and exit, job vacancies and post cuts. Each family has its own stream, so that
using one family more often (say, a policy that creates more enterprises) never shifts the
numbers another family sees.

**Counter-based draws.** Household draws (illness, accidents, labour, operating noise,
monitoring, behaviour, matching priorities) are a hash of (seed, stream, household, month, slot)
instead: the draw for household ``i``, month ``m``, stream ``s`` and slot ``k`` is the same
whatever the policy (common random numbers), whatever the thread count and whichever other
draws were made. The draws every household-month needs (illness, disability and accident
incidence, operating-income noise, the one labour transition its job allows) are made for a
block of households at a time in a branch-free loop that the compiler vectorises
(:func:`block_draws`); the kernels make rarer draws only where a rule reads them.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .processes.income import EMP_LOCAL, EMP_MIGRANT, EMP_POST

# --------------------------------------------------------------------------------------------
# Named streams (province-level draws)
# --------------------------------------------------------------------------------------------

#: Stream names in a fixed order: the order is part of the reproducibility contract.
STREAMS: tuple[str, ...] = (
    "population",   # initial synthetic province
    "disaster",     # county disasters and the villages they hit
    "prices",       # county-industry and industry-wide price shocks
    "labour",       # vacancies filled, public-welfare posts cut
    "enterprise",   # enterprise entry, exit, margins, contract slots
    "campaign",     # 2016-2020 campaign: labour export and relocation (historical runs only)
    "export",       # organised labour export after 2020 (drawn every January for every household)
)


class Streams:
    """One ``numpy.random.Generator`` per named stream, all from ``seed``."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        children = np.random.SeedSequence(self.seed).spawn(len(STREAMS))
        self._gens = {name: np.random.Generator(np.random.PCG64(ss)) for name, ss in
                      zip(STREAMS, children, strict=True)}

    def __getitem__(self, name: str) -> np.random.Generator:
        return self._gens[name]

    def __getattr__(self, name: str) -> np.random.Generator:
        try:
            return self._gens[name]
        except KeyError:
            raise AttributeError(name) from None


# --------------------------------------------------------------------------------------------
# Counter-based household draws (splitmix64 finaliser)
# --------------------------------------------------------------------------------------------

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
MONTH_STRIDE = np.uint64(0xD1B54A32D192ED03)

#: Stream ids of the counter-based draws (part of the reproducibility contract).
S_ILLNESS, S_DISABILITY, S_ACCIDENT, S_HOUSING, S_OPERATING, S_LABOUR, S_MONITORING, S_BEHAVIOUR, S_MATCHING = (
    range(1, 10))


@njit(inline="always", cache=True)
def mix64(z):
    z = np.uint64(z)
    z = (z ^ (z >> np.uint64(30))) * M1
    z = (z ^ (z >> np.uint64(27))) * M2
    return z ^ (z >> np.uint64(31))


def _mix64_py(z: int) -> int:
    """``mix64`` in plain Python integers (no compilation at start-up)."""
    mask = (1 << 64) - 1
    z &= mask
    z = ((z ^ (z >> 30)) * int(M1)) & mask
    z = ((z ^ (z >> 27)) * int(M2)) & mask
    return z ^ (z >> 31)


def stream_key(seed: int, stream: int) -> np.uint64:
    """Key of one stream of one run."""
    return np.uint64(_mix64_py(int(seed) * int(GOLDEN) + int(stream)))


@njit(inline="always", cache=True)
def counter_hash(i, month, slot):
    """Hash of (household ``i``, absolute month ``month``, slot ``slot``), shared by all streams."""
    return mix64(np.uint64(i) * GOLDEN + np.uint64(month) * MONTH_STRIDE + np.uint64(slot))


@njit(inline="always", cache=True)
def keyed_uniform(key, counter):
    """Uniform in [0, 1) of stream ``key`` at the ``counter_hash`` ``counter`` (53 random bits)."""
    return (mix64(np.uint64(key) ^ counter) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(inline="always", cache=True)
def uniform(key, i, month, slot):
    """Uniform draw in [0, 1) for household ``i``, absolute month ``month``, slot ``slot``."""
    return keyed_uniform(key, counter_hash(i, month, slot))


def _normal_table(n: int = 4096) -> np.ndarray:
    from scipy.special import ndtri

    return ndtri((np.arange(n) + 0.5) / n)


#: Standard normal quantiles at 4,096 mid-points; draws interpolate linearly (tails at ±3.6σ).
NORMAL_TABLE = _normal_table()


@njit(inline="always", cache=True)
def normal_from_uniform(u, table):
    """Standard normal quantile of ``u`` in [0, 1), interpolated linearly in the quantile table."""
    x = u * (table.shape[0] - 1)
    j = int(x)
    f = x - j
    return table[j] * (1.0 - f) + table[j + 1] * f


@njit(inline="always", cache=True)
def normal(key, i, month, slot, table):
    """Standard normal draw by inverse CDF from the quantile table."""
    return normal_from_uniform(uniform(key, i, month, slot), table)


#: Households whose everyday draws :func:`block_draws` makes at a time (its five rows of float64,
#: 10 KB, stay in the L1 cache while the kernel reads them).
DRAW_BLOCK = 256
#: Rows of :func:`block_draws`' output.
D_ILLNESS, D_DISABILITY, D_ACCIDENT, D_NOISE, D_LABOUR = range(5)
#: Slots of the labour stream: the one labour transition a household's job allows in a month.
SLOT_LOCAL_SEPARATION, SLOT_POST_END, SLOT_MIGRANT_LOSS, SLOT_MIGRANT_FIND = range(4)


@njit(cache=True)
def block_draws(k_illness, k_disability, k_accident, k_operating, k_labour, operating_sd, emp_type, b0, n, month,
                table, draws):
    """The everyday draws of households ``b0 .. b0+n-1`` in month ``month``, into ``draws[row, j]``
    for household ``b0 + j``: the uniforms of illness, disability and accident incidence (slot 0),
    the operating-income noise ``exp(sd·z − sd²/2)`` of the operating stream's normal ``z`` (slot 0),
    and the uniform of the labour transition that the household's employment code ``emp_type``
    allows: ``SLOT_LOCAL_SEPARATION`` for a local job, ``SLOT_POST_END`` for a public-welfare post,
    ``SLOT_MIGRANT_LOSS`` for a migrant job, ``SLOT_MIGRANT_FIND`` otherwise.

    Each value equals the corresponding :func:`uniform` / :func:`normal` draw; the first loop does
    integer hashing only and is vectorised by the compiler.
    """
    u_ill = draws[D_ILLNESS]
    u_dis = draws[D_DISABILITY]
    u_acc = draws[D_ACCIDENT]
    noise = draws[D_NOISE]
    u_lab = draws[D_LABOUR]
    for j in range(n):
        i = np.uint64(b0 + j)
        c = counter_hash(i, month, 0)
        u_ill[j] = keyed_uniform(k_illness, c)
        u_dis[j] = keyed_uniform(k_disability, c)
        u_acc[j] = keyed_uniform(k_accident, c)
        noise[j] = keyed_uniform(k_operating, c)
        e = emp_type[b0 + j]
        slot = (np.uint64(SLOT_LOCAL_SEPARATION) if e == EMP_LOCAL else
                (np.uint64(SLOT_POST_END) if e == EMP_POST else
                 (np.uint64(SLOT_MIGRANT_LOSS) if e == EMP_MIGRANT else np.uint64(SLOT_MIGRANT_FIND))))
        u_lab[j] = keyed_uniform(k_labour, counter_hash(i, month, slot))
    for j in range(n):
        noise[j] = math.exp(operating_sd * normal_from_uniform(noise[j], table) - 0.5 * operating_sd * operating_sd)
