"""Named random streams spawned from one ``numpy.random.SeedSequence``.

Each family of random draws has its own stream, so that changing how often one family is used
(for example, a policy that triggers more assistance decisions) never shifts the numbers another
family sees. Shock streams draw for *all* households every step, whatever the policy: two scenarios
with the same seed see identical shocks (common random numbers).
"""

from __future__ import annotations

import numpy as np

#: Stream names in a fixed order: the order is part of the reproducibility contract.
STREAMS: tuple[str, ...] = (
    "population",   # initial synthetic province
    "illness",      # illness onset and costs
    "disability",   # disability onset
    "accident",     # accidents
    "disaster",     # county / village disasters, housing damage
    "prices",       # county-industry and industry-wide price shocks
    "operating",    # idiosyncratic operating-income noise
    "labour",       # job loss, job finding, migrant decisions
    "enterprise",   # enterprise entry, exit, margins
    "monitoring",   # screening, self-reporting, detection
    "behaviour",    # take-up and other household choices
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
