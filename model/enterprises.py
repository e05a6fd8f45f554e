"""Enterprises: leading agricultural enterprises, cooperatives, poverty-alleviation workshops and
outside firms paired with villages by the "thousands of enterprises prosper thousands of villages"
campaign.

Each :class:`Enterprise` is a ``mesa.Agent``; its state lives in the arrays of
:class:`EnterpriseRegistry` (row ``agent.row``), so that the monthly rules operate on all
enterprises at once. Every real enterprise is simulated (``weight`` 1), whatever the number of
simulated households; its job and contract slots are counted in simulated households, the real
numbers over the real households a simulated household represents (rounded at random). A closure
then hits a county as evenly at any simulation size.
"""

from __future__ import annotations

import mesa
import numpy as np

from .params import Params
from .population import KEY, NONPOOR

LEADING, COOP, WORKSHOP, PAIRED = 0, 1, 2, 3
KIND_NAMES = ("leading", "cooperative", "workshop", "paired_firm")


class EnterpriseRegistry:
    """Struct of arrays for all enterprises ever created (alive or not)."""

    ARRAYS = {
        "kind": "int8", "county": "int16", "village": "int32", "industry": "int8",
        "age_months": "int16", "jobs_cap": "int32", "contracts_cap": "int32", "contracts_used": "int32",
        "margin": "float32", "profit_ema": "float32", "alive": "bool", "weight": "float32",
    }

    def __init__(self, capacity: int = 64):
        self.n = 0
        for name, dtype in self.ARRAYS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    def _grow(self, need: int) -> None:
        cap = len(self.kind)
        if need <= cap:
            return
        new_cap = max(need, 2 * cap)
        for name, dtype in self.ARRAYS.items():
            arr = np.zeros(new_cap, dtype=dtype)
            arr[:cap] = getattr(self, name)
            setattr(self, name, arr)

    def add(self, **cols: np.ndarray) -> np.ndarray:
        """Append enterprises; returns their rows."""
        k = len(cols["kind"])
        self._grow(self.n + k)
        rows = np.arange(self.n, self.n + k)
        for name, values in cols.items():
            getattr(self, name)[rows] = values
        self.alive[rows] = True
        self.n += k
        return rows

    def view(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n]


class Enterprise(mesa.Agent):
    """One enterprise; reads its state from the registry arrays."""

    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = int(row)

    def _get(self, name: str):
        return getattr(self.model.enterprise_registry, name)[self.row].item()

    @property
    def kind(self) -> str:
        return KIND_NAMES[self._get("kind")]

    @property
    def county(self) -> int:
        return self._get("county")

    @property
    def village(self) -> int:
        return self._get("village")

    @property
    def industry(self) -> int:
        return self._get("industry")

    @property
    def age_months(self) -> int:
        return self._get("age_months")

    @property
    def profit_rate(self) -> float:
        """Smoothed monthly profit as a share of cost."""
        return self._get("profit_ema")

    @property
    def employees(self) -> np.ndarray:
        """Rows of households employed here."""
        return np.flatnonzero(self.model.households.employer == self.row)

    @property
    def contract_households(self) -> np.ndarray:
        """Rows of households selling to this enterprise under contract."""
        return np.flatnonzero(self.model.households.contract == self.row)


def hazard_month(age_months: np.ndarray, hazard_by_age: tuple[float, ...], losing: np.ndarray,
                 loss_multiplier: float) -> np.ndarray:
    """Monthly exit hazard from the yearly age profile (I1), multiplied while losing money."""
    years = np.minimum(age_months // 12, len(hazard_by_age) - 1)
    h_year = np.asarray(hazard_by_age, dtype=np.float64)[years]
    h_year = np.minimum(h_year * np.where(losing, loss_multiplier, 1.0), 1.0)
    return 1.0 - np.power(1.0 - h_year, 1.0 / 12.0)


def profit_rate(margin: np.ndarray, price_rel: np.ndarray, support_share: float) -> np.ndarray:
    """Monthly profit as a share of cost: ``(1 + margin) × price − 1 + support``."""
    return ((1.0 + margin) * price_rel - 1.0 + support_share).astype(np.float32)


def initial_counts(params: Params, county_type: np.ndarray, county_weight: np.ndarray) -> np.ndarray:
    """Expected enterprises per (county, kind) at start: real densities (every real enterprise is
    simulated, whatever the number of simulated households, so that closures hit a county as
    evenly at any simulation size); key counties have ``enterprises.key_county_density`` times the
    density of their kind (remoteness)."""
    e = params.enterprises
    real_villages = params.population.real_households_per_county / e.households_per_real_village
    fp = (county_type != NONPOOR).astype(np.float64)
    per_county_real = np.stack([
        np.full(len(county_type), e.leading_per_county),
        np.full(len(county_type), e.coops_per_village * real_villages),
        fp * e.workshops_per_village_fp * real_villages,
        fp * e.paired_per_village_fp * real_villages,
    ], axis=1)
    remote = np.where(county_type == KEY, e.key_county_density, 1.0)
    del county_weight
    return per_county_real * remote[:, None]


def new_enterprise_columns(params: Params, rng: np.random.Generator, county: np.ndarray, kind: np.ndarray,
                           village_county_start: np.ndarray, villages_per_county: int,
                           village_product: np.ndarray, county_industries: np.ndarray,
                           county_weight: np.ndarray) -> dict[str, np.ndarray]:
    """Columns for new enterprises of the given counties and kinds."""
    e = params.enterprises
    k = len(county)
    village = village_county_start[county] + rng.integers(0, villages_per_county, size=k)
    n_ind = (county_industries[county] >= 0).sum(axis=1)
    pick = (rng.random(k) * n_ind).astype(np.int64)
    county_level_industry = county_industries[county, pick]
    industry = np.where(kind == LEADING, county_level_industry, village_product[village])
    jobs = np.asarray(e.jobs_real)[kind]
    contracts = np.asarray(e.contracts_real)[kind]
    return {
        "kind": kind.astype(np.int8),
        "county": county.astype(np.int16),
        "village": np.where(kind == LEADING, -1, village).astype(np.int32),
        "industry": industry.astype(np.int8),
        "age_months": np.zeros(k, dtype=np.int16),
        # jobs and contracts in simulated households: the real numbers over the households a
        # simulated household represents (rounded at random, so the expectation is kept)
        "jobs_cap": rng.poisson(jobs / county_weight[county]).astype(np.int32),
        "contracts_cap": rng.poisson(contracts / county_weight[county]).astype(np.int32),
        "margin": (e.margin_mean + e.margin_sd * rng.standard_normal(k)).astype(np.float32),
        "profit_ema": np.full(k, e.margin_mean, dtype=np.float32),
        "weight": np.ones(k, dtype=np.float32),
    }
