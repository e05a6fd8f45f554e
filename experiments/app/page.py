"""The classroom app (``ruralsim app``): Mesa's SolaraViz over two policies in lockstep.

The model is :class:`experiments.app.lockstep.LockstepModel`: policy A (the chosen scenario) and
policy B (the scenario changed by the policy controls) on the same seed, one month per step.
Mesa's SolaraViz gives the sidebar (play / pause / step / reset, speed as the play interval, the
model parameters, applied on Reset) and the pages:

- page 0, live: policy actions ("withdraw support now"), headline numbers, relapse and poverty,
  monitoring and assistance, income by group, enterprises and jobs, the county grid and the
  three excesses;
- page 1, side by side: B minus A month by month;
- page 2, a household: members, income components month by month, shocks, monitoring and
  assistance history under A and B.

Serve it with ``ruralsim app`` (or ``solara run experiments.app.page``); ``page`` is the Solara page.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter
from solara.alias import rw

from experiments.app import charts as figs
from experiments.app.lockstep import DEFAULT_HOUSEHOLDS, GROUPS, HOUSEHOLD_CHOICES, LockstepModel, app_scenarios
from experiments.app.server import HOUSEHOLDS_ENV

#: First simulated year and horizon of the shipped scenarios (the withdrawal slider's range).
START_YEAR, N_YEARS = 2021, 10
#: Milliseconds between months while playing (the initial speed).
PLAY_INTERVAL_MS = 200

EMPLOYMENT = {0: "none", 1: "local enterprise", 2: "migrant", 3: "public-welfare post"}
MONITORING = {0: "not monitored", 1: "monitored", 2: "risk eliminated"}
CATEGORY = {0: "", 1: "unstable formerly poor", 2: "marginal", 3: "sudden hardship"}
AID = ((1, "industrial"), (2, "employment"), (4, "social"), (8, "medical"))


def default_households() -> int:
    """Default province size: ``$RURALSIM_APP_HOUSEHOLDS`` or :data:`DEFAULT_HOUSEHOLDS`."""
    text = os.environ.get(HOUSEHOLDS_ENV, "")
    return int(text) if text.strip().isdigit() and int(text) >= 100 else DEFAULT_HOUSEHOLDS


def model_params() -> dict[str, Any]:
    """SolaraViz model parameters (keyword arguments of :class:`LockstepModel`)."""
    never = START_YEAR + N_YEARS
    sizes = sorted({*HOUSEHOLD_CHOICES, default_households()})
    return {
        "scenario_name": {"type": "Select", "value": "transition", "values": app_scenarios(),
                          "label": "Scenario (A, and the start of B)"},
        "seed": {"type": "SliderInt", "value": 1, "min": 1, "max": 100, "step": 1,
                 "label": "Seed (A and B)"},
        "households": {"type": "Select", "value": default_households(), "values": sizes,
                       "label": "Households"},
        "withdrawal_year": {"type": "SliderInt", "value": never, "min": START_YEAR + 1, "max": never, "step": 1,
                            "label": f"B: withdraw in ({never}: never)"},
        "taper_years": {"type": "SliderInt", "value": 0, "min": 0, "max": 5, "step": 1,
                        "label": "B: taper (years)"},
        "coverage": {"type": "SliderFloat", "value": 0.9, "min": 0.0, "max": 1.0, "step": 0.05,
                     "label": "B: monitoring coverage"},
        "assistance_size": {"type": "SliderFloat", "value": 1.0, "min": 0.0, "max": 2.0, "step": 0.1,
                            "label": "B: assistance size"},
        "enterprise_support": {"type": "SliderFloat", "value": 1.0, "min": 0.0, "max": 2.0, "step": 0.1,
                               "label": "B: enterprise support"},
        "illness_rate": {"type": "SliderFloat", "value": 0.11, "min": 0.0, "max": 0.4, "step": 0.01,
                         "label": "Illness (/household/yr)"},
        "disaster": {"type": "SliderFloat", "value": 0.0, "min": 0.0, "max": 1.0, "step": 0.05,
                     "label": f"Flood {START_YEAR + 2} (/county/mo)"},
        "price_shock": {"type": "SliderFloat", "value": 0.0, "min": -0.8, "max": 0.5, "step": 0.05,
                        "label": f"Price shock {START_YEAR + 2}"},
    }


def initial_kwargs() -> dict[str, Any]:
    return {k: v["value"] for k, v in model_params().items()}


# ----------------------------------------------------------------------------------------------
# numbers
# ----------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def headline_rows(model: LockstepModel) -> list[tuple[str, str, str, str]]:
    """Rows (indicator, A, B, B − A) of the headline table."""
    rows: list[tuple[str, str, str, str]] = []
    last = model.last_rows()
    if last is None:
        return rows

    def add(label: str, col: str, fmt, diff_fmt) -> None:
        a, b = float(last["A"][col]), float(last["B"][col])
        rows.append((label, fmt(a), fmt(b), diff_fmt(b - a)))

    def points(x: float) -> str:
        return f"{100 * x:+.2f} pts"

    def thousands(x: float) -> str:
        return f"{x / 1000:,.1f}k"

    add("Relapse rate, last year-end", "relapse_rate", _pct, points)
    add("Formerly poor ever relapsed", "relapse_cum_share", _pct, points)
    add("Formerly poor below the line now", "below_line_fp_share", _pct, points)
    add("Poverty rate, last year-end", "poverty_rate", _pct, points)
    add("Monitored households", "n_monitored", thousands, lambda x: f"{x / 1000:+,.1f}k")
    add("Assisted households", "n_assisted", thousands, lambda x: f"{x / 1000:+,.1f}k")
    add("Income of formerly poor, yuan/person/year", "income_formerly_poor_yuan",
        lambda x: f"{x:,.0f}", lambda x: f"{x:+,.0f}")
    te = {p: model.three_excesses(p) for p in ("A", "B")}
    rows.append(("Three excesses: years met / accounted", *(f"{te[p][0]} / {te[p][1]}" for p in ("A", "B")),
                 f"{te['B'][0] - te['A'][0]:+d}"))
    return rows


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# components (SolaraViz passes the model; it re-renders them after each step)
# ----------------------------------------------------------------------------------------------


def settings_text(model: LockstepModel) -> str:
    """The controls of the running pair, in words (sliders apply on Reset)."""
    c, w = model.controls, model.world
    never = model.a.params.sim.start_year + model.a.params.sim.n_years
    withdrawal = ("never" if c.withdrawal_year >= never
                  else f"{c.withdrawal_year}" + (f", taper {c.taper_years} years" if c.taper_years else ", at once"))
    return (f"B: withdrawal {withdrawal}; monitoring coverage {c.coverage:.2f}; assistance x{c.assistance_size:.1f};"
            f" enterprise support x{c.enterprise_support:.1f}. Both: illness {w.illness_p_year:.2f}/household/year;"
            f" flood stress {w.disaster_stress:.2f}; price shock {w.price_shock:+.0%}. (Sliders apply on Reset.)")


@solara.component
def PolicyActions(model: LockstepModel):
    """Mid-run actions on policy B and the headline numbers."""
    update_counter.get()
    message, set_message = solara.use_state("")

    def act(action) -> None:
        try:
            action()
            set_message("")
        except ValueError as exc:  # a lever out of range: say so, change nothing
            set_message(f"not changed: {exc}")
        force_update()

    with solara.Card("Policy B: act now"):
        solara.Markdown(f"**Month: {model.date_text()}** · scenario **{model.scenario_name}** · seed {model.seed}"
                        f" · {model.a.households.n:,} simulated households in each of A and B\n\n"
                        f"{settings_text(model)}")
        with solara.Row():
            solara.Button("Withdraw support now", color="error", on_click=lambda: act(model.withdraw_support_now),
                          disabled=not model.running)
            solara.Button("Stop monitoring now", color="warning", on_click=lambda: act(model.stop_monitoring_now),
                          disabled=not model.running)
        if message.startswith("not changed"):
            solara.Warning(message)
        for note in model.actions:
            solara.Info(note, dense=True)
        if not model.rows:
            solara.Markdown("Press **Step** or **▶** to run both policies month by month.")


@solara.component
def Headline(model: LockstepModel):
    """The headline numbers of A and B after the last month."""
    update_counter.get()
    rows = headline_rows(model)
    with solara.Card("A and B now"):
        if rows:
            solara.Markdown(_table(rows, ("", "A reference", "B your policy", "B − A")))
        else:
            solara.Markdown("The numbers appear after the first month.")


def _live_chart(model: LockstepModel, chart_class):
    """A chart kept for the session's pair (a new one after Reset), given new data only when the
    pair has advanced: drawing, not the model, is what costs time in the browser loop."""
    update_counter.get()
    chart = solara.use_memo(lambda: chart_class(model.a.params.sim.n_years), dependencies=[id(model)])
    png = solara.use_memo(lambda: chart.update(model.series()), dependencies=[id(model), model.months_done])
    return rw.Image(value=png, format="png")


def _figure(model: LockstepModel, make):
    """A yearly figure, drawn again only when the pair has passed a December (or been reset)."""
    update_counter.get()
    deps = [id(model), len(model.a.annual_rows)]
    fig = solara.use_memo(make, dependencies=deps)
    return solara.FigureMatplotlib(fig, dependencies=deps, format="png")


@solara.component
def RatesView(model: LockstepModel):
    return _live_chart(model, figs.RatesChart)


@solara.component
def MonitoringView(model: LockstepModel):
    return _live_chart(model, figs.MonitoringChart)


@solara.component
def IncomeView(model: LockstepModel):
    return _live_chart(model, figs.IncomeChart)


@solara.component
def EnterpriseView(model: LockstepModel):
    return _live_chart(model, figs.EnterpriseChart)


@solara.component
def CountyView(model: LockstepModel):
    """The county grid, drawn again only when the pair has passed a December (or been reset)."""
    update_counter.get()

    def make():
        types = np.array(["key", "formerly poor", "never poor"])[model.a.province.county_type]
        return figs.CountyGridChart(types, model.a.params.metrics.large_scale.county_threshold)

    chart = solara.use_memo(make, dependencies=[id(model)])

    def draw() -> bytes:
        year, rate_a = model.county_relapse("A")
        _, rate_b = model.county_relapse("B")
        return chart.update({"A": rate_a, "B": rate_b}, year)

    png = solara.use_memo(draw, dependencies=[id(model), len(model.a.annual_rows)])
    return rw.Image(value=png, format="png")


@solara.component
def ThreeExcessesView(model: LockstepModel):
    return _figure(model, lambda: figs.three_excesses_figure(model.annual_frame()))


@solara.component
def DifferenceView(model: LockstepModel):
    return _live_chart(model, figs.DifferenceChart)


@solara.component
def SideBySide(model: LockstepModel):
    """What B changes, and the numbers of A and B side by side."""
    update_counter.get()
    with solara.Card("A and B in lockstep"):
        solara.Markdown(
            f"Both provinces were built from the same seed ({model.seed}): the same households meet the same "
            f"illness, disasters, prices and job losses. Only policy differs, so every gap is the policy's effect.\n\n"
            f"**A**: scenario *{model.scenario_name}*. {settings_text(model)}"
            + (f"\n\nActions: {'; '.join(model.actions)}." if model.actions else ""))
        rows = headline_rows(model)
        if rows:
            solara.Markdown(_table(rows, ("", "A", "B", "B − A")))


def _aid_text(bits: int) -> str:
    names = [name for bit, name in AID if int(bits) & bit]
    return ", ".join(names) if names else "–"


def household_rows(history, n: int = 12) -> list[tuple[str, ...]]:
    """The last ``n`` followed months of one household under one policy, in words."""
    rows = []
    for _, r in history.tail(n).iterrows():
        shocks = []
        if r["ill_months"] > 0 or r["labour_lost"] > 0:
            shocks.append("illness/accident")
        if r["disaster_months"] > 0:
            shocks.append("disaster")
        if not r["housing_safe"]:
            shocks.append("unsafe house")
        income = sum(float(r[c]) for c, _, _ in figs.COMPONENTS)
        mon = MONITORING[int(r["mon_state"])]
        if int(r["mon_state"]) == 1 and CATEGORY[int(r["mon_category"])]:
            mon += f" ({CATEGORY[int(r['mon_category'])]})"
        rigid = float(r["rigid_spending_yuan"])
        rows.append((f"{int(r['year'])}-{int(r['month']):02d}", f"{income:,.0f}", f"{rigid:,.0f}",
                     EMPLOYMENT[int(r["emp_type"])], ", ".join(shocks) or "–", mon,
                     _aid_text(r["aid_bits"]) + (", dibao" if r["dibao"] else ""),
                     "poor" if r["poor"] else "not poor"))
    return rows


def _household_label(model: LockstepModel, i: int) -> str:
    return f"#{i} · {GROUPS[int(model.groups[i])]} · county {int(model.a.households.county[i])}"


@solara.component
def HouseholdView(model: LockstepModel):
    """Inspect one household under A and B."""
    update_counter.get()
    labels = {_household_label(model, int(i)): int(i) for i in model.followed}
    first = next(iter(labels))
    chosen, set_chosen = solara.use_state(first)
    other, set_other = solara.use_state(0)
    if chosen not in labels:  # a new model after Reset
        chosen = first
    i = labels[chosen]

    def follow() -> None:
        row = int(other)
        if 0 <= row < model.a.households.n:
            model.follow(row)
            set_chosen(_household_label(model, row))
            force_update()

    view = model.household_view(i)
    at = view["attributes"]
    with solara.Card("A household, month by month"):
        with solara.Row():
            solara.Select("Followed household", values=list(labels), value=chosen, on_value=set_chosen)
            solara.InputInt("Follow another (row)", value=other, on_value=set_other)
            solara.Button("Follow", on_click=follow)
        solara.Markdown(
            f"**#{i}**, {at['group']}, county {at['county']}, village {at['village']}: {at['members']} members "
            f"({at['n_elderly']} aged 60+, {at['n_school']} in school), {at['labour_units']:.1f} labour units, "
            f"main worker's schooling {['primary', 'middle', 'high school+'][int(at['education'])]}"
            f"{', a chronic illness' if at['chronic'] else ''}{', a disability' if at['disabled'] else ''}; "
            f"stands for {at['weight']:.0f} real households.")
        line = model.b.params.poverty_line_2020_yuan * model.b.central.cpi
        solara.FigureMatplotlib(figs.household_figure(view["history"], line, int(at["members"])), format="png")
        header = ("month", "income", "med./school", "job", "shocks", "monitoring", "assistance", "last year-end")
        for name in ("B", "A"):
            rows = household_rows(view["history"][name])
            if rows:
                solara.Markdown(f"**Under {name}**, last {len(rows)} months (yuan per household)\n\n"
                                + _table(rows, header))


COMPONENTS = [
    (PolicyActions, 0), (Headline, 0), (RatesView, 0), (MonitoringView, 0), (IncomeView, 0), (EnterpriseView, 0),
    (CountyView, 0), (ThreeExcessesView, 0),
    (SideBySide, 1), (DifferenceView, 1),
    (HouseholdView, 2),
]


@solara.component
def Page():
    """The app: one LockstepModel per browser session, shown with Mesa's SolaraViz."""
    model = solara.use_memo(lambda: LockstepModel(**initial_kwargs()), [])
    return SolaraViz(model, components=COMPONENTS, model_params=model_params(),
                     name="ruralsim: policy classroom", play_interval=PLAY_INTERVAL_MS)


page = Page
