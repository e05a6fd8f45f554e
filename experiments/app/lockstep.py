"""The classroom pair behind ``ruralsim app``: two policies run in lockstep on one seed.

:class:`LockstepModel` is a ``mesa.Model`` holding two :class:`model.RuralModel` provinces built
from the same scenario and the same seed, so that they meet the same illness, disasters, prices
and job losses (common random numbers, :mod:`model.rng`). One step advances both by one month.

- **A, the reference**: the chosen scenario, with the world controls (illness, disaster, price
  shock) applied.
- **B, your policy**: A plus the policy controls (withdrawal year and taper, monitoring coverage,
  assistance size, enterprise support), and any mid-run action ("withdraw support now", "stop
  monitoring now", applied with :meth:`model.RuralModel.change_policy`).

Every difference between A and B is therefore caused by policy. The monthly indicators here are
computed from public household arrays (no pass in Python over households); official outcomes
(poverty, relapse, three excesses) come from the December accounting in :mod:`model.metrics`.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pandas as pd

from model import Params, RuralModel
from model.policy import Schedule
from scenarios import list_scenarios, load_scenario

#: Households of the default province (the size of the core model's default).
DEFAULT_HOUSEHOLDS = 100_000
#: Sizes offered by the app (households).
HOUSEHOLD_CHOICES = (5_000, 20_000, 100_000)
#: Households followed month by month from the start (by group), for the household inspector.
FOLLOWED = {"formerly poor": 40, "marginal": 20, "others": 20}
#: Household groups of the income view. "Marginal": never registered, with a 2021 income estimate
#: below the monitoring threshold in force in January of the first year (the official marginal,
#: easily impoverished households); fixed at the start so that group means compare over time.
GROUPS = ("formerly poor", "marginal", "others")
#: Targeted assistance that "withdrawal" ends (the abrupt-withdrawal scenario's set without
#: monitoring, which has its own control): intensity levers going to zero.
TARGETED_LEVERS = ("policy.assistance.industrial.intensity", "policy.assistance.employment.intensity",
                   "policy.assistance.social.intensity", "policy.transition_subsidy.intensity")
#: Intensity levers scaled by the assistance-size control.
ASSISTANCE_LEVERS = ("policy.assistance.industrial.intensity", "policy.assistance.employment.intensity",
                     "policy.assistance.social.intensity")
#: Largest value of an intensity lever (``model.params.IntensityLever``).
INTENSITY_MAX = 2.0
#: Months of the flood season in which the disaster control adds county risk (June to August,
#: as the stress_disaster scenario) and the run year it strikes (the third).
DISASTER_MONTHS = ("06", "09")
SHOCK_YEAR_OFFSET = 2


@dataclass(frozen=True)
class PolicyControls:
    """Policy B relative to the scenario.

    Attributes:
        withdrawal_year: first year (January) of withdrawal of targeted assistance; a year after
            the horizon means never.
        taper_years: years over which withdrawal steps down (0: at once). In year
            ``withdrawal_year + k`` targeted assistance is ``(T - k) / (T + 1)`` of its scenario value.
        coverage: share of at-risk households monitoring can reach, 0-1 (default 0.9, the model's).
        assistance_size: multiplier of industrial, employment and social assistance, 0-2.
        enterprise_support: multiplier of enterprise support, 0-2.
    """

    withdrawal_year: int
    taper_years: int = 0
    coverage: float = 0.9
    assistance_size: float = 1.0
    enterprise_support: float = 1.0


@dataclass(frozen=True)
class WorldControls:
    """Shocks both policies meet (they describe the world, not the policy).

    Attributes:
        illness_p_year: chance of a costly illness per household and year (default 0.11, src:H1).
        disaster_stress: extra monthly chance that each county is hit in the flood season of the
            third year, 0-1 (0: none; the stress_disaster scenario uses 0.5).
        price_shock: change of the main characteristic industry's price from the third year,
            -0.9 to +1 (the stress_price_collapse scenario uses -0.4).
    """

    illness_p_year: float = 0.11
    disaster_stress: float = 0.0
    price_shock: float = 0.0


def app_scenarios() -> list[str]:
    """Scenarios offered by the picker: the policy paths (stress overlays are the world controls)."""
    return [s.name for s in list_scenarios() if not s.name.startswith("stress_")]


def taper_factors(withdrawal_year: int, taper_years: int) -> dict[int, float]:
    """Share of targeted assistance left in each year of a withdrawal: ``{year: share}``.

    ``taper_years = 0`` is abrupt (``{W: 0}``); ``2`` gives ``{W: 2/3, W+1: 1/3, W+2: 0}``, the
    steps of the gradual_phaseout scenario.
    """
    t = int(taper_years)
    if t < 0:
        raise ValueError(f"taper_years is {t}; allowed 0 or more")
    return {int(withdrawal_year) + k: (t - k) / (t + 1) for k in range(t + 1)}


def _clip(x: float, lo: float = 0.0, hi: float = INTENSITY_MAX) -> float:
    return float(min(max(x, lo), hi))


def policy_overrides(params: Params, c: PolicyControls) -> dict[str, Any]:
    """Dotted-path overrides turning the scenario's parameters into policy B.

    Intensity levers are scaled (assistance size, enterprise support), then from January of
    ``withdrawal_year`` targeted assistance follows :func:`taper_factors`, and the preferential
    medical rate of registered households moves the same share of the way to the inclusive rate.
    Each value before the withdrawal is the scenario's own, read year by year from its schedule; the
    years of a history before ``sim.first_outcome_year`` (2017-2020 of the baseline) are the
    scenario's own whatever the controls, so that A and B share their history.
    """
    start = params.sim.start_year
    first = params.sim.first_outcome_year
    years = range(start, params.sim.end_year + 1)
    steps = taper_factors(c.withdrawal_year, c.taper_years)
    out: dict[str, Any] = {}

    def share(year: int) -> float:
        if year < c.withdrawal_year:
            return 1.0
        return steps.get(year, 0.0)

    def policy(sched, y: int, value: float, lo: float = 0.0, hi: float = INTENSITY_MAX) -> float:
        return sched.at_year(y) if y < first else _clip(value, lo, hi)

    for path in TARGETED_LEVERS:
        sched = params.get(path)
        size = c.assistance_size if path in ASSISTANCE_LEVERS else 1.0
        out[path] = {y: policy(sched, y, sched.at_year(y) * size * share(y)) for y in years}
    pref, incl = params.get("policy.medical.preferential_rate"), params.get("policy.medical.inclusive_rate")
    out["policy.medical.preferential_rate"] = {
        y: policy(pref, y, incl.at_year(y) + (pref.at_year(y) - incl.at_year(y)) * share(y), 0.0, 1.0)
        for y in years}
    es = params.get("policy.enterprise_support.intensity")
    out["policy.enterprise_support.intensity"] = {y: policy(es, y, es.at_year(y) * c.enterprise_support)
                                                  for y in years}
    out["policy.monitoring.coverage"] = _clip(c.coverage, 0.0, 1.0)
    return out


def world_overrides(start_year: int, w: WorldControls) -> dict[str, Any]:
    """Dotted-path overrides of the shocks both policies meet."""
    year = start_year + SHOCK_YEAR_OFFSET
    out: dict[str, Any] = {"shocks.illness.p_year": float(w.illness_p_year)}
    if w.disaster_stress > 0:
        out["shocks.disaster.stress"] = {start_year: 0.0, f"{year}-{DISASTER_MONTHS[0]}": float(w.disaster_stress),
                                         f"{year}-{DISASTER_MONTHS[1]}": 0.0}
    if w.price_shock != 0:
        out["macro.price_level"] = {start_year: 1.0, year: 1.0 + float(w.price_shock)}
    return out


#: Households of the province :func:`warm_up` runs (enough for every county to have some).
WARM_UP_HOUSEHOLDS = 2_000


def warm_up(scenario_name: str = "transition", households: int = DEFAULT_HOUSEHOLDS) -> None:
    """Load what a pair of ``households`` households loads on first use, so that no month of a
    class waits for it: a small province of the scenario runs one year on the code path (serial or
    parallel) the pair will take, which loads the compiled kernels of the month and of December from
    their cache and the libraries of the year-end accounting (their import alone took 5-7 s in the
    first December), then the kernel of a closing enterprise (:meth:`model.RuralModel.compile_kernels`).
    Changes nothing; the server runs it in the background when it starts."""
    import numba

    from model.model import PARALLEL_MIN_HOUSEHOLDS

    params = load_scenario(scenario_name, {"population.n_households": WARM_UP_HOUSEHOLDS, "sim.n_years": 1},
                           origin="app warm-up").params
    parallel = int(households) >= PARALLEL_MIN_HOUSEHOLDS and numba.get_num_threads() > 1
    m = RuralModel(params, seed=1, parallel=parallel)
    while m.running:
        m.step()
    m.compile_kernels()


def household_groups(m: RuralModel) -> np.ndarray:
    """Group code per household (index into :data:`GROUPS`), fixed at the start of a run."""
    hh = m.households
    threshold = m.levers.threshold_yuan
    marginal = ~hh.formerly_poor & (hh.income_est_pc < threshold)
    return np.where(hh.formerly_poor, 0, np.where(marginal, 1, 2)).astype(np.int8)


def followed_households(groups: np.ndarray, seed: int) -> np.ndarray:
    """Households followed from the start: a seeded sample of each group (:data:`FOLLOWED`)."""
    rng = np.random.default_rng([int(seed), 8_2021])
    picks = []
    for code, name in enumerate(GROUPS):
        rows = np.flatnonzero(groups == code)
        k = min(FOLLOWED[name], rows.size)
        picks.append(np.sort(rng.choice(rows, size=k, replace=False)))
    return np.concatenate(picks)


class LockstepModel(mesa.Model):
    """Policy A (reference) and policy B (your policy) on the same seed, one month per step."""

    def __init__(self, scenario_name: str = "transition", seed: int = 1, households: int = DEFAULT_HOUSEHOLDS,
                 withdrawal_year: int | None = None, taper_years: int = 0, coverage: float = 0.9,
                 assistance_size: float = 1.0, enterprise_support: float = 1.0, illness_rate: float = 0.11,
                 disaster: float = 0.0, price_shock: float = 0.0, counties: int | None = None,
                 years: int | None = None):
        """Build both provinces.

        Args:
            scenario_name: scenario name (policy A and the base of B); ``scenario`` is Mesa's own.
            seed: root seed shared by A and B.
            households: simulated households of each province.
            withdrawal_year: see :class:`PolicyControls` (None: never).
            taper_years, coverage, assistance_size, enterprise_support: see :class:`PolicyControls`.
            illness_rate, disaster, price_shock: see :class:`WorldControls`.
            counties: counties (None: the scenario's).
            years: horizon in years (None: the scenario's).

        Raises:
            scenarios.ScenarioError, model.ParamsError: on invalid controls (each problem named).
        """
        super().__init__(rng=int(seed))
        size: dict[str, Any] = {"population.n_households": int(households)}
        if counties is not None:
            size["population.n_counties"] = int(counties)
        if years is not None:
            size["sim.n_years"] = int(years)
        base = load_scenario(scenario_name, size, origin="app controls").params
        self.world = WorldControls(float(illness_rate), float(disaster), float(price_shock))
        params_a = base.with_overrides(world_overrides(base.sim.first_outcome_year, self.world),
                                       origin="app controls")
        never = base.sim.end_year + 1
        self.controls = PolicyControls(int(withdrawal_year) if withdrawal_year is not None else never,
                                       int(taper_years), float(coverage), float(assistance_size),
                                       float(enterprise_support))
        params_b = params_a.with_overrides(policy_overrides(params_a, self.controls), origin="app controls")
        self.scenario_name = scenario_name
        self.seed = int(seed)
        self.a = RuralModel(params_a, seed=self.seed)
        self.b = RuralModel(params_b, seed=self.seed)
        # the history before the outcome years (the baseline's 2017-2020), the same under A and B:
        # the page starts in January of the first outcome year
        for _ in range(12 * (base.sim.first_outcome_year - base.sim.start_year)):
            self.a.step()
            self.b.step()
        self.groups = household_groups(self.a)
        self.followed = followed_households(self.groups, self.seed)
        self.a.watch(self.followed)
        self.b.watch(self.followed)
        self.actions: list[str] = []
        #: Mid-run actions as (what, "YYYY-MM" from which it applies): "withdraw" or "stop_monitoring".
        self.action_log: list[tuple[str, str]] = []
        self.rows: list[dict[str, Any]] = []
        # formerly poor households below the line, month by month (the rolling relapse measure's memory)
        self._below = {name: deque([below_line_fp(m)], maxlen=13) for name, m in self.pair.items()}
        # the monthly indicators as growing arrays (capacity doubles), so a month appends one value
        self._columns = {p: {c: np.empty(16) for c in INDICATORS} for p in ("A", "B")}
        self._series: dict[str, dict[str, np.ndarray]] = {}
        self._series_rows = -1
        self._lock = threading.Lock()
        self.running = True

    # ------------------------------------------------------------------------------------------

    @property
    def pair(self) -> dict[str, RuralModel]:
        return {"A": self.a, "B": self.b}

    @property
    def months_done(self) -> int:
        """Months stepped on the page (from January of the first outcome year; the history is not counted)."""
        sim = self.a.params.sim
        return self.a.month - 12 * (sim.first_outcome_year - sim.start_year)

    def date_text(self) -> str:
        """The last simulated month as text (``2023-04``), or the start before any step."""
        if not self.rows:
            return f"start of {self.a.params.sim.first_outcome_year}"
        r = self.rows[-1]
        return f"{int(r['year'])}-{int(r['month']):02d}"

    def step(self) -> None:
        """One month of both policies, then the month's indicators."""
        with self._lock:
            if not self.a.running:
                self.running = False
                return
            self.a.step()
            self.b.step()
            for name, m in self.pair.items():
                below = below_line_fp(m)
                history = self._below[name]
                row = month_indicators(m, self.groups)
                row["relapse_rate_12m"] = rolling_relapse(m, below, history[0])
                history.append(below)
                self.rows.append({"policy": name, **row})
                self._append(name, row)
            self.running = self.a.running

    def withdraw_support_now(self) -> str:
        """Policy B: targeted assistance ends from the next month (the preferential medical rate
        falls to the inclusive rate); monitoring is left as it is. Returns what was done."""
        with self._lock:
            m = self.b
            changes = {path: 0.0 for path in TARGETED_LEVERS}
            changes["policy.medical.preferential_rate"] = m.params.policy.medical.inclusive_rate.at(m.next_month_abs)
            m.change_policy(changes)
            return self._note("withdraw", "targeted assistance withdrawn")

    def stop_monitoring_now(self) -> str:
        """Policy B: the dynamic monitoring mechanism stops from the next month."""
        with self._lock:
            self.b.change_policy({"policy.monitoring.enabled": 0.0})
            return self._note("stop_monitoring", "monitoring stopped")

    def _note(self, action: str, what: str) -> str:
        year, month = divmod(self.b.next_month_abs, 12)
        when = f"{year}-{month + 1:02d}"
        text = f"B: {what} from {when}"
        self.actions.append(text)
        self.action_log.append((action, when))
        return text

    def action_month(self, action: str) -> str | None:
        """The month (``YYYY-MM``) from which ``action`` ("withdraw", "stop_monitoring") applies to B, or None."""
        return next((when for what, when in self.action_log if what == action), None)

    def scenario_b(self, name: str = "policy_b") -> dict[str, Any]:
        """Policy B as a scenario (the mapping of a scenario YAML file): it extends the chosen scenario
        and states every parameter in which B, as it now stands (controls, world and mid-run
        actions), differs from it, the province's size included; ``ruralsim run`` of it with this
        pair's seed reproduces B."""
        from model.params import leaf_paths

        loaded = load_scenario(self.scenario_name)
        base = loaded.params
        policy: dict[str, Any] = {}
        parameters: dict[str, Any] = {}
        for path in leaf_paths():
            value, old = self.b.params.get(path), base.get(path)
            if isinstance(value, Schedule) and loaded.policy_year is not None:
                # a policy scenario states dated values from its first policy year; B's history is the base's
                value, old = value.from_year(loaded.policy_year), old.from_year(loaded.policy_year)
            data = value.to_data() if hasattr(value, "to_data") else value
            old_data = old.to_data() if hasattr(old, "to_data") else old
            if json.dumps(data, sort_keys=True, default=str) == json.dumps(old_data, sort_keys=True, default=str):
                continue
            if path.startswith("policy."):
                policy[path[len("policy."):]] = data
            else:
                parameters[path] = data
        actions = "; ".join(self.actions)
        description = (f"Policy B of the classroom app (seed {self.seed}): {self.scenario_name} with the controls "
                       f"{self.controls} and the world {self.world}" + (f"; {actions}" if actions else "") + ".")
        out: dict[str, Any] = {"name": name, "extends": self.scenario_name, "description": description}
        if policy:
            out["policy"] = policy
        if parameters:
            out["parameters"] = parameters
        return out

    def follow(self, household: int) -> None:
        """Follow one more household from the next month on (both policies)."""
        with self._lock:
            rows = np.union1d(self.followed, [int(household)])
            self.a.watch(rows)
            self.b.watch(rows)
            self.followed = rows

    # ------------------------------------------------------------------------------------------

    def _append(self, policy: str, row: dict[str, Any]) -> None:
        columns = self._columns[policy]
        k = (len(self.rows) - 1) // 2  # this month's index (its row was just appended)
        for c in INDICATORS:
            if k >= columns[c].size:
                columns[c] = np.concatenate([columns[c], np.empty(columns[c].size)])
            columns[c][k] = row[c]

    def series(self) -> dict[str, dict[str, np.ndarray]]:
        """Monthly indicators as arrays, ``{policy: {indicator: values month by month}}``
        (:data:`INDICATORS`); kept as each month is appended, then shared by the charts (read-only
        views: copy before changing them)."""
        with self._lock:
            n = len(self.rows)
            if self._series_rows != n:
                months = n // 2
                self._series = {p: {c: v[:months] for c, v in cols.items()} for p, cols in self._columns.items()}
                for cols in self._series.values():
                    for v in cols.values():
                        v.flags.writeable = False
                self._series_rows = n
            return self._series

    def last_rows(self) -> dict[str, dict[str, Any]] | None:
        """The indicators of A and B after the last month, ``{policy: row}`` (None before it)."""
        if not self.rows:
            return None
        return {r["policy"]: r for r in self.rows[-2:]}

    def monthly_frame(self) -> pd.DataFrame:
        """Monthly indicators of A and B (:func:`month_indicators`), one row per policy and month."""
        return pd.DataFrame(self.rows, columns=["policy", *INDICATORS])

    def difference_frame(self) -> pd.DataFrame:
        """B minus A, month by month, for every numeric indicator."""
        f = self.monthly_frame()
        if f.empty:
            return pd.DataFrame(columns=["t", *INDICATORS[3:]])
        a = f[f["policy"] == "A"].reset_index(drop=True)
        b = f[f["policy"] == "B"].reset_index(drop=True)
        d = b[list(INDICATORS[3:])] - a[list(INDICATORS[3:])]
        d.insert(0, "t", a["t"])
        return d

    def annual_frame(self) -> pd.DataFrame:
        """Annual outcomes of A and B (``model.metrics``), with a ``policy`` column."""
        parts = [m.annual_frame().assign(policy=name) for name, m in self.pair.items()]
        return pd.concat(parts, ignore_index=True) if any(len(p) for p in parts) else pd.DataFrame()

    def county_relapse(self, policy: str) -> tuple[int | None, np.ndarray]:
        """Relapse rate by county at the last year-end of one policy: ``(year, rates)``; NaN
        rates and year None before the first December."""
        m = self.pair[policy]
        if not m.county_rows:
            return None, np.full(m.n_counties, np.nan)
        last = m.county_rows[-1]
        return int(last["year"].iloc[0]), last["relapse_rate"].to_numpy(dtype=float)

    def three_excesses(self, policy: str) -> tuple[int, int]:
        """Years in which the three excesses held, and years accounted so far (from the first outcome
        year: the history before it is not the page's)."""
        m = self.pair[policy]
        f = m.annual_frame()
        if not f.empty:
            f = f[f["year"] >= m.params.sim.first_outcome_year]
        if f.empty:
            return 0, 0
        return int(f["three_excesses"].astype(bool).sum()), len(f)

    def household_view(self, household: int) -> dict[str, Any]:
        """One household: who lives there (fixed attributes) and its followed months under A and B."""
        hh = self.a.households[int(household)]
        members = {k: getattr(hh, k) for k in ("county", "village", "members", "n_elderly", "n_school",
                                               "labour_units", "chronic", "disabled", "education",
                                               "formerly_poor", "migrant_willing", "weight")}
        members["group"] = GROUPS[int(self.groups[int(household)])]
        history = {}
        for name, m in self.pair.items():
            w = m.watched_frame()
            history[name] = w[w["household"] == int(household)].reset_index(drop=True)
        return {"household": int(household), "attributes": members, "history": history}


#: Columns of the monthly indicator table (after ``policy``).
INDICATORS = ("year", "month", "t", "n_monitored", "n_assisted", "n_dibao", "enterprises", "n_local_job",
              "below_line_fp_share", "relapse_cum_share", "relapse_rate", "relapse_rate_12m", "poverty_rate",
              "income_formerly_poor_yuan", "income_marginal_yuan", "income_others_yuan", "fiscal_cost_month_yuan")


def below_line_fp(m: RuralModel) -> np.ndarray:
    """Formerly poor households whose smoothed income estimate is below this month's poverty line."""
    hh = m.households
    return hh.formerly_poor & (hh.income_est_pc < m.params.poverty_line_2020_yuan * m.central.cpi)


def rolling_relapse(m: RuralModel, below_now: np.ndarray, below_before: np.ndarray) -> float:
    """The 12-month relapse measure: formerly poor households below the line now and not 12 months
    earlier (``below_before``), as a weighted share of formerly poor households."""
    w = m.households.weight
    w_fp = float(w[m.households.formerly_poor].sum(dtype=np.float64))
    return float(w[below_now & ~below_before].sum(dtype=np.float64)) / w_fp if w_fp > 0 else 0.0


def month_indicators(m: RuralModel, groups: np.ndarray) -> dict[str, float]:
    """The app's indicators after one month of ``m``.

    - ``n_monitored``, ``n_assisted``, ``n_dibao``, ``enterprises``, ``n_local_job``,
      ``fiscal_cost_month_yuan``: the model's monthly table (real households, yuan).
    - ``below_line_fp_share``: share of formerly poor households whose smoothed income estimate
      (what cadres see) is below this month's poverty line: an early signal, not the official
      year-end measure.
    - ``relapse_cum_share``: formerly poor households that relapsed at some year-end so far.
    - ``relapse_rate``, ``poverty_rate``: the last December's official rates (0 before it).
    - ``income_<group>_yuan``: mean smoothed per-capita income estimate of each group, weighted by
      persons (yuan/person/year).
    """
    hh = m.households
    w = hh.weight.astype(np.float64)
    fp = hh.formerly_poor
    line = m.params.poverty_line_2020_yuan * m.central.cpi
    w_fp = float((w * fp).sum())
    below = float((w * (fp & (hh.income_est_pc < line))).sum())
    pw = w * hh.members
    inc = np.bincount(groups, weights=pw * hh.income_est_pc, minlength=3)
    persons = np.bincount(groups, weights=pw, minlength=3)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_inc = np.where(persons > 0, inc / np.maximum(persons, 1e-12), np.nan)
    lm, la = m.last_month, m.last_annual
    year, month = int(lm["year"]), int(lm["month"])
    return {
        "year": year, "month": month, "t": year + (month - 0.5) / 12.0,
        "n_monitored": float(lm["n_monitored"]), "n_assisted": float(lm["n_assisted"]),
        "n_dibao": float(lm["n_dibao"]), "enterprises": float(lm["enterprises"]),
        "n_local_job": float(lm["n_local_job"]),
        "below_line_fp_share": below / w_fp if w_fp > 0 else 0.0,
        "relapse_cum_share": float((w * hh.ever_relapsed).sum()) / w_fp if w_fp > 0 else 0.0,
        "relapse_rate": float(la.get("relapse_rate", 0.0)), "poverty_rate": float(la.get("poverty_rate", 0.0)),
        "income_formerly_poor_yuan": float(mean_inc[0]), "income_marginal_yuan": float(mean_inc[1]),
        "income_others_yuan": float(mean_inc[2]),
        "fiscal_cost_month_yuan": float(lm["fiscal_cost_month_yuan"]),
    }

