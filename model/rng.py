"""Named random streams spawned from one ``numpy.random.SeedSequence``.

These sequential streams serve the small, province-level draws: the initial population, county
and village disasters, prices, enterprise entry and exit, job vacancies and post cuts. Each family
has its own stream, so that using one family more often (say, a policy that creates more
enterprises) never shifts the numbers another family sees.

Household draws (illness, accidents, labour, operating noise, monitoring, behaviour, matching
priorities) are counter based instead (:mod:`model.kernel`): a hash of (seed, stream, household,
month, slot), identical whatever the policy or the thread count.
"""

from __future__ import annotations

import numpy as np

#: Stream names in a fixed order: the order is part of the reproducibility contract.
STREAMS: tuple[str, ...] = (
    "population",   # initial synthetic province
    "disaster",     # county disasters and the villages they hit
    "prices",       # county-industry and industry-wide price shocks
    "labour",       # vacancies filled, public-welfare posts cut
    "enterprise",   # enterprise entry, exit, margins, contract slots
    "campaign",     # 2016-2020 campaign: labour export and relocation (historical runs only)
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
