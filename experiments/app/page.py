"""The classroom app (``ruralsim app``), version 2: two policies in lockstep, readable from the back row.

The model is :class:`experiments.app.lockstep.LockstepModel` (a ``mesa.Model``): policy A (the
chosen scenario) and policy B (the scenario changed by the policy controls) on the same seed, one
month per step. The page is built with Solara directly (Mesa's SolaraViz would show its own
internals: render interval, threads, step counter, "Page 0/1/2" tabs) and laid out to fit a
1366 x 768 projector without scrolling:

- a top bar: the month, a busy indicator, a labelled Play/Pause button, Step, Reset and the
  language switch (中文 / English);
- on the left the controls, each showing its value and unit (they apply on Reset), the export of
  the series on screen (CSV) and "save B as a scenario" (YAML that ``ruralsim check`` accepts and
  ``ruralsim run`` reproduces);
- named tabs: the live view (act now, A and B now, six charts updated every month, the county
  grid and the three excesses), B − A, one household, and the glossary.

Every word comes from the catalogue (:mod:`experiments.i18n`), every chart is drawn at the size
it is shown (:mod:`experiments.app.charts`), and Chinese text uses a font the page carries
(:mod:`experiments.app.webfont`): nothing is fetched from outside the machine.

Serve it with ``ruralsim app`` (or ``solara run experiments.app.page``); ``Page`` is the page.
"""

from __future__ import annotations

import functools
import html
import os
import threading
import time
from typing import Any

import numpy as np
import solara
import yaml
from solara.alias import rw

from experiments import glossary
from experiments.app import charts as figs
from experiments.app.lockstep import DEFAULT_HOUSEHOLDS, GROUPS, HOUSEHOLD_CHOICES, LockstepModel, app_scenarios
from experiments.app.server import HOUSEHOLDS_ENV
from experiments.app.webfont import FAMILY, font_face_css
from experiments.i18n import CJK_FONT_STACK, current, tr

#: First simulated year and horizon of the shipped scenarios (the withdrawal slider's range).
START_YEAR, N_YEARS = 2021, 10
#: Milliseconds between months while playing (the initial speed).
PLAY_INTERVAL_MS = 200
#: File names of the exports.
CSV_FILE, SCENARIO_FILE = "ruralsim_series.csv", "policy_b.yaml"
AID_BITS = (1, 2, 4, 8)

CSS = """
html, body, .v-application, .v-application--wrap { overflow: hidden !important; }
.rs-root { font-family: Roboto, "Noto Sans", "%(family)s", %(stack)s; font-size: 15px; color: #1a1a1a;
           height: 100vh; width: 100vw; display: flex; flex-direction: column; background: #fafafa; }
.rs-root:lang(zh-CN) { font-family: "%(family)s", %(stack)s; }
.rs-bar { height: 50px; flex: 0 0 50px; display: flex; align-items: center; gap: 10px; padding: 0 12px;
          background: #1f3b57; color: white; }
.rs-bar .rs-title { font-size: 19px; font-weight: 600; margin-right: 8px; white-space: nowrap; }
.rs-bar .rs-month { font-size: 22px; font-weight: 700; min-width: 200px; white-space: nowrap; }
.rs-busy { width: 120px; font-size: 15px; color: #ffd166; white-space: nowrap; }
.rs-bar .v-btn { font-size: 15px !important; text-transform: none !important; letter-spacing: 0 !important; }
.rs-body { flex: 1 1 auto; display: flex; min-height: 0; }
.rs-side { width: 300px; flex: 0 0 300px; padding: 4px 10px 4px 12px; overflow: hidden; background: #f0f3f6;
           border-right: 1px solid #d5dbe1; }
.rs-side h3 { font-size: 14px; margin: 4px 0 0 0; color: #1f3b57; text-transform: uppercase; letter-spacing: .03em; }
.rs-side .v-input { margin-top: 0 !important; padding-top: 0 !important; }
.rs-side .v-input__slot { margin-bottom: 0 !important; }
.rs-side .v-messages { display: none !important; }
.rs-side .v-label, .rs-side label { font-size: 14px !important; color: #1a1a1a !important; }
.rs-ctl-label { font-size: 14px; margin: 2px 0 -6px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.rs-side .v-select .v-select__selection { font-size: 14px; }
.rs-side .v-text-field { padding-top: 6px !important; }
.rs-side .rs-files { display: flex; gap: 6px; margin-top: 6px; }
.rs-side .rs-files .v-btn { font-size: 13px !important; text-transform: none !important; padding: 0 8px !important; }
.rs-main { flex: 1 1 auto; min-width: 0; display: flex; flex-direction: column; }
.rs-main .v-tabs { flex: 0 0 40px; }
.rs-main .v-tab { font-size: 15px !important; text-transform: none !important; letter-spacing: 0 !important; }
.rs-main .v-tabs-bar { height: 40px !important; }
.rs-page { flex: 1 1 auto; padding: 6px 8px; overflow: hidden; }
.rs-row { display: flex; gap: 6px; margin-bottom: 6px; }
.rs-card { background: white; border: 1px solid #d5dbe1; border-radius: 4px; padding: 6px 10px; overflow: hidden; }
.rs-card h2 { font-size: 16px; margin: 0 0 4px 0; color: #1f3b57; }
.rs-act { width: 410px; flex: 0 0 410px; height: 180px; }
.rs-act .v-btn { font-size: 14px !important; text-transform: none !important; letter-spacing: 0 !important; }
.rs-settings { font-size: 13px; line-height: 1.35; margin-top: 6px; }
.rs-note { font-size: 13px; color: #8a3b00; font-weight: 600; }
.rs-head { flex: 1 1 auto; height: 180px; }
table.rs-table { border-collapse: collapse; width: 100%%; font-size: 14px; }
table.rs-table th, table.rs-table td { padding: 0 6px; line-height: 1.32; border-bottom: 1px solid #e6e9ec;
                                     white-space: nowrap; }
table.rs-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rs-table th { text-align: left; font-weight: 600; color: #1f3b57; }
table.rs-table tr td:first-child { cursor: help; }
.rs-key { font-size: 13px; color: #333; margin: 0 0 4px 2px; white-space: nowrap; overflow: hidden; }
.rs-charts { display: grid; grid-template-columns: repeat(3, %(w)dpx); grid-auto-rows: %(h)dpx; gap: 6px; }
.rs-charts img, .rs-chart img { display: block; }
.rs-hh table.rs-table { font-size: 13px; }
.rs-gloss { height: 100%%; overflow-y: auto; font-size: 14px; }
.rs-gloss dt { font-weight: 600; color: #1f3b57; margin-top: 6px; }
.rs-gloss dd { margin: 0 0 0 12px; }
"""


def default_households() -> int:
    """Default province size: ``$RURALSIM_APP_HOUSEHOLDS`` or :data:`DEFAULT_HOUSEHOLDS`."""
    text = os.environ.get(HOUSEHOLDS_ENV, "")
    return int(text) if text.strip().isdigit() and int(text) >= 100 else DEFAULT_HOUSEHOLDS


def initial_kwargs() -> dict[str, Any]:
    """The controls' initial values (keyword arguments of :class:`LockstepModel`)."""
    return {"scenario_name": "transition", "seed": 1, "households": default_households(),
            "withdrawal_year": START_YEAR + N_YEARS, "taper_years": 0, "coverage": 0.9, "assistance_size": 1.0,
            "enterprise_support": 1.0, "illness_rate": 0.11, "disaster": 0.0, "price_shock": 0.0}


# ----------------------------------------------------------------------------------------------
# words and numbers
# ----------------------------------------------------------------------------------------------


def date_text(model: LockstepModel, lang: str) -> str:
    """The last simulated month (``2023-04``), or the start before any step."""
    if not model.rows:
        return tr("app.start_of", lang, year=model.a.params.sim.first_outcome_year)
    return model.date_text()


def settings_text(model: LockstepModel, lang: str) -> str:
    """The settings of the running pair in words, following mid-run actions."""
    c, w = model.controls, model.world
    never = model.a.params.sim.end_year + 1
    withdrawn = model.action_month("withdraw")
    if withdrawn is not None:
        withdrawal = tr("app.now", lang, when=withdrawn)
    elif c.withdrawal_year >= never:
        withdrawal = tr("app.never", lang)
    elif c.taper_years:
        withdrawal = tr("app.taper", lang, year=c.withdrawal_year, years=c.taper_years)
    else:
        withdrawal = tr("app.at_once", lang, year=c.withdrawal_year)
    stopped = model.action_month("stop_monitoring")
    if stopped is not None:
        withdrawal += tr("app.monitoring_stopped", lang, when=stopped)
    return tr("app.settings", lang, withdrawal=withdrawal, coverage=c.coverage, assistance=c.assistance_size,
              enterprise=c.enterprise_support, illness=w.illness_p_year, flood=w.disaster_stress, price=w.price_shock)


def action_notes(model: LockstepModel, lang: str) -> list[str]:
    keys = {"withdraw": "app.act.withdrawn", "stop_monitoring": "app.act.stopped"}
    return [tr(keys[what], lang, when=when) for what, when in model.action_log]


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def _pts(x: float, lang: str) -> str:
    return f"{100 * x:+.2f} {tr('num.pp', lang)}"


def _thousands(x: float, sign: str = "") -> str:
    return f"{x / 1000:{sign},.1f}k"


@functools.cache
def _headline_tooltips(lang: str) -> dict[str, str]:
    # the glossary builds every entry to find one: once per language, not once per month
    return {col: glossary.tooltip(col, lang) for col in HEADLINE_COLUMNS}


#: Indicators of the headline table, in its order.
HEADLINE_COLUMNS = ("relapse_rate", "relapse_rate_12m", "relapse_cum_share", "below_line_fp_share", "n_monitored",
                    "income_formerly_poor_yuan")


def headline_rows(model: LockstepModel, lang: str = "en") -> list[tuple[str, str, str, str, str]]:
    """Rows (indicator, A, B, B − A, tooltip) of the headline table."""
    last = model.last_rows()
    if last is None:
        return []
    rows = []
    tips = _headline_tooltips(lang)
    percent = (_pct, lambda x: _pts(x, lang))
    formats = {"n_monitored": (_thousands, lambda x: _thousands(x, "+")),
               "income_formerly_poor_yuan": (lambda x: f"{x:,.0f}", lambda x: f"{x:+,.0f}")}
    for col in HEADLINE_COLUMNS:
        fmt, diff = formats.get(col, percent)
        a, b = float(last["A"][col]), float(last["B"][col])
        rows.append((tr(f"app.row.{col}", lang), fmt(a), fmt(b), diff(b - a), tips[col]))
    return rows


def table_html(rows: list[tuple[str, ...]], header: tuple[str, ...], tooltips: bool = False) -> str:
    """An HTML table; with ``tooltips`` each row's last cell is the first cell's tooltip."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for r in rows:
        cells = r[:-1] if tooltips else r
        title = f' title="{html.escape(r[-1], quote=True)}"' if tooltips else ""
        tds = [f"<td{title}>{html.escape(cells[0])}</td>"]
        tds += [f'<td class="num">{html.escape(c)}</td>' for c in cells[1:]]
        body.append(f"<tr>{''.join(tds)}</tr>")
    return f'<table class="rs-table"><tr>{head}</tr>{"".join(body)}</table>'


def series_csv(model: LockstepModel) -> bytes:
    """The monthly series on screen (A and B, one row per policy and month) as CSV (UTF-8)."""
    return model.monthly_frame().to_csv(index=False).encode("utf-8")


def scenario_yaml(model: LockstepModel) -> bytes:
    """Policy B as a scenario file (name ``policy_b``, to be saved as :data:`SCENARIO_FILE`)."""
    text = yaml.safe_dump(model.scenario_b(SCENARIO_FILE.removesuffix(".yaml")), sort_keys=False,
                          allow_unicode=True, width=100)
    return ("# Policy B of the ruralsim classroom app; run it with: "
            f"ruralsim run {SCENARIO_FILE} --seed {model.seed}\n" + text).encode("utf-8")


def household_rows(history, lang: str, n: int = 12) -> list[tuple[str, ...]]:
    """The last ``n`` followed months of one household under one policy, in words."""
    rows = []
    for _, r in history.tail(n).iterrows():
        shocks = []
        if r["ill_months"] > 0 or r["labour_lost"] > 0:
            shocks.append(tr("app.hh.illness", lang))
        if r["disaster_months"] > 0:
            shocks.append(tr("app.hh.disaster", lang))
        if not r["housing_safe"]:
            shocks.append(tr("app.hh.unsafe", lang))
        income = sum(float(r[c]) for c, _, _ in figs.COMPONENTS)
        aid = [tr(f"app.aid.{bit}", lang) for bit in AID_BITS if int(r["aid_bits"]) & bit]
        if r["dibao"]:
            aid.append(tr("app.dibao", lang))
        rows.append((f"{int(r['year'])}-{int(r['month']):02d}", f"{income:,.0f}",
                     f"{float(r['rigid_spending_yuan']):,.0f}", tr(f"app.emp.{int(r['emp_type'])}", lang),
                     ", ".join(shocks) or "–", tr(f"app.mon.{int(r['mon_state'])}", lang), ", ".join(aid) or "–",
                     tr("app.hh.poor", lang) if r["poor"] else tr("app.hh.not_poor", lang)))
    return rows


# ----------------------------------------------------------------------------------------------
# components
# ----------------------------------------------------------------------------------------------


@solara.component
def Layout(children=()):
    """No app chrome around the page (the page lays itself out to fit the screen)."""
    return solara.Column(children=list(children), style={"padding": "0", "margin": "0"})


def _image(png: bytes, px: tuple[int, int]):
    return rw.Image(value=png, format="png", layout={"width": f"{px[0]}px", "height": f"{px[1]}px"})


@solara.component
def LiveChartView(model: LockstepModel, chart_class, lang: str, tick: int):
    """A chart kept for the pair and the language (a new one after Reset or a switch of language),
    given new data after each month."""
    chart = solara.use_memo(lambda: chart_class(model.a.params.sim.n_years, lang=lang),
                            dependencies=[id(model), lang])
    png = solara.use_memo(lambda: chart.update(model.series()), dependencies=[id(model), lang, tick])
    size = chart.canvas.get_width_height()
    return _image(png, size)


@solara.component
def CountyView(model: LockstepModel, lang: str, tick: int):
    def make():
        types = np.array(["key", "formerly poor", "never poor"])[model.a.province.county_type]
        return figs.CountyGridChart(types, model.a.params.metrics.large_scale.county_threshold, lang=lang)

    chart = solara.use_memo(make, dependencies=[id(model), lang])

    def draw() -> bytes:
        year, rate_a = model.county_relapse("A")
        _, rate_b = model.county_relapse("B")
        return chart.update({"A": rate_a, "B": rate_b}, year)

    png = solara.use_memo(draw, dependencies=[id(model), lang, len(model.a.annual_rows)])
    return _image(png, figs.CHART_PX)


@solara.component
def ThreeExcessesView(model: LockstepModel, lang: str, tick: int):
    params = model.a.params.sim
    chart = solara.use_memo(lambda: figs.ThreeExcessesChart(params.first_outcome_year, params.n_years, lang=lang),
                            dependencies=[id(model), lang])
    png = solara.use_memo(lambda: chart.update(model.annual_frame()),
                          dependencies=[id(model), lang, len(model.a.annual_rows)])
    return _image(png, figs.CHART_PX)


@solara.component
def ActNow(model: LockstepModel, lang: str, tick: int, bump):
    message, set_message = solara.use_state("")

    def act(action) -> None:
        try:
            action()
            set_message("")
        except ValueError as exc:  # a lever out of range: say so, change nothing
            set_message(tr("app.act.not_changed", lang, error=exc))
        bump()

    with solara.Column(classes=["rs-card", "rs-act"], gap="2px"):
        solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("app.act.title", lang)))
        with solara.Row(gap="8px"):
            solara.Button(tr("app.act.withdraw", lang), color="error", on_click=lambda: act(model.withdraw_support_now),
                          disabled=not model.running or model.action_month("withdraw") is not None)
            solara.Button(tr("app.act.stop_monitoring", lang), color="warning",
                          on_click=lambda: act(model.stop_monitoring_now),
                          disabled=not model.running or model.action_month("stop_monitoring") is not None)
        solara.HTML(tag="div", classes=["rs-settings"], unsafe_innerHTML=html.escape(settings_text(model, lang)))
        for note in ([message] if message else []) + action_notes(model, lang):
            solara.HTML(tag="div", classes=["rs-note"], unsafe_innerHTML=html.escape(note))


@solara.component
def Headline(model: LockstepModel, lang: str, tick: int):
    rows = headline_rows(model, lang)
    with solara.Column(classes=["rs-card", "rs-head"], gap="2px"):
        solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("app.headline", lang)))
        if rows:
            header = (tr("app.headline.col", lang), "A", "B", "B − A")
            solara.HTML(tag="div", unsafe_innerHTML=table_html(rows, header, tooltips=True))
        else:
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(tr("app.headline.empty", lang)))


@solara.component
def LiveTab(model: LockstepModel, lang: str, tick: int, bump):
    with solara.Column(gap="0px"):
        with solara.Row(classes=["rs-row"], gap="6px"):
            ActNow(model, lang, tick, bump)
            Headline(model, lang, tick)
        hh = model.a.households
        scale = float(hh.weight.sum(dtype=np.float64)) / hh.n
        solara.HTML(tag="div", classes=["rs-key"], unsafe_innerHTML=html.escape(
            tr("app.key", lang) + " " + tr("app.scaled", lang, n=hh.n, w=scale)))
        with solara.Div(classes=["rs-charts"]):
            for chart_class in LIVE_CHARTS:
                LiveChartView(model, chart_class, lang, tick)
            CountyView(model, lang, tick)
            ThreeExcessesView(model, lang, tick)


#: The monthly charts of the live view, in their order on screen.
LIVE_CHARTS = (figs.RatesChart, figs.BelowLineChart, figs.MonitoringChart, figs.IncomeChart)


@solara.component
def DifferenceTab(model: LockstepModel, lang: str, tick: int):
    with solara.Row(gap="6px"):
        with solara.Column(classes=["rs-card"], style={"width": "330px", "flex": "0 0 330px"}):
            solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("app.side.title", lang)))
            solara.HTML(tag="div", classes=["rs-settings"], unsafe_innerHTML=html.escape(
                tr("app.side.text", lang, seed=model.seed, scenario=model.scenario_name)
                + " " + settings_text(model, lang)))
            for note in action_notes(model, lang):
                solara.HTML(tag="div", classes=["rs-note"], unsafe_innerHTML=html.escape(note))
        with solara.Column(gap="6px"):
            LiveChartView(model, figs.DifferenceChart, lang, tick)
            LiveChartView(model, figs.EnterpriseChart, lang, tick)


def household_labels(model: LockstepModel, lang: str) -> dict[str, int]:
    """``'#row · group'`` of each followed household, to its row."""
    return {f"#{int(i)} · {tr('app.group.' + GROUPS[int(model.groups[int(i)])].replace(' ', '_'), lang)}": int(i)
            for i in model.followed}


@solara.component
def HouseholdTab(model: LockstepModel, lang: str, tick: int, bump):
    labels = household_labels(model, lang)
    first = next(iter(labels))
    chosen, set_chosen = solara.use_state(first)
    other, set_other = solara.use_state(0)
    if chosen not in labels:  # a new model after Reset, or another language
        chosen = first
    i = labels[chosen]

    def follow() -> None:
        row = int(other)
        if 0 <= row < model.a.households.n:
            model.follow(row)
            set_chosen(next(k for k, v in household_labels(model, lang).items() if v == row))
            bump()

    view = model.household_view(i)
    at = view["attributes"]
    line = model.b.params.poverty_line_2020_yuan * model.b.central.cpi
    png = solara.use_memo(lambda: figs.household_png(view["history"], line, int(at["members"]), lang),
                          dependencies=[id(model), lang, tick, i])
    with solara.Row(gap="6px", classes=["rs-hh"]):
        with solara.Column(classes=["rs-card"], style={"width": "720px", "flex": "0 0 720px"}, gap="4px"):
            solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("app.hh.card", lang)))
            with solara.Row(gap="8px"):
                solara.Select(tr("app.hh.followed", lang), values=list(labels), value=chosen, on_value=set_chosen)
                solara.InputInt(tr("app.hh.follow_row", lang), value=other, on_value=set_other)
                solara.Button(tr("app.hh.follow", lang), on_click=follow)
            group = tr("app.group." + at["group"].replace(" ", "_"), lang)
            solara.HTML(tag="div", classes=["rs-settings"], unsafe_innerHTML=html.escape(tr(
                "app.hh.about", lang, i=i, group=group, county=at["county"], members=at["members"],
                elderly=at["n_elderly"], school=at["n_school"], labour=at["labour_units"], weight=at["weight"])))
            _image(png, (700, 360))
        with solara.Column(classes=["rs-card"], style={"flex": "1 1 auto", "min-width": "0"}, gap="2px"):
            header = tuple(tr("app.hh.cols", lang).split("|"))
            for name in ("B", "A"):
                rows = household_rows(view["history"][name], lang, n=6)
                if rows:
                    solara.HTML(tag="h2", unsafe_innerHTML=html.escape(tr("app.hh.under", lang, p=name, n=len(rows))))
                    solara.HTML(tag="div", unsafe_innerHTML=table_html(rows, header))


@solara.component
def GlossaryTab(lang: str):
    items = []
    for e in glossary.terms(lang) + [glossary.find(n, lang) for n in (
            "relapse_rate", "relapse_rate_12m", "relapse_cum_share", "below_line_fp_share", "n_monitored",
            "n_assisted", "n_dibao", "poverty_rate", "income_formerly_poor_yuan", "three_excesses",
            "large_scale_relapse", "policy.monitoring.coverage", "policy.assistance.industrial.intensity",
            "policy.enterprise_support.intensity")]:
        other = e.en if lang == "zh" else e.zh
        unit = f" [{e.unit}]" if e.unit else ""
        items.append(f"<dt>{html.escape(e.label(lang))} · {html.escape(other)}{html.escape(unit)}</dt>"
                     f"<dd>{html.escape(e.definition)}</dd>")
    solara.HTML(tag="dl", classes=["rs-card", "rs-gloss"], unsafe_innerHTML="".join(items))


def _slider_label(key: str, lang: str, **values) -> None:
    solara.HTML(tag="div", classes=["rs-ctl-label"], unsafe_innerHTML=html.escape(tr(key, lang, **values)))


@solara.component
def Controls(settings: solara.Reactive, lang: str, speed: solara.Reactive, model: LockstepModel):
    v = settings.value

    def setter(key: str):
        return lambda value: settings.set({**settings.value, key: value})

    never = START_YEAR + N_YEARS
    sizes = sorted({*HOUSEHOLD_CHOICES, default_households()})
    with solara.Column(classes=["rs-side"], gap="0px"):
        solara.HTML(tag="h3", unsafe_innerHTML=html.escape(tr("app.group.run", lang)))
        solara.Select(tr("app.ctl.scenario", lang), values=app_scenarios(), value=v["scenario_name"],
                      on_value=setter("scenario_name"))
        with solara.Row(gap="8px"):
            with solara.Column(gap="0px", style={"width": "130px"}):
                _slider_label("app.ctl.seed", lang, v=v["seed"])
                solara.SliderInt("", value=v["seed"], min=1, max=100, on_value=setter("seed"), thumb_label=False)
            solara.Select(tr("app.ctl.households", lang), values=sizes, value=v["households"],
                          on_value=setter("households"))
        solara.HTML(tag="h3", unsafe_innerHTML=html.escape(tr("app.group.b", lang)))
        year = v["withdrawal_year"]
        _slider_label("app.ctl.withdrawal_year", lang, v=tr("app.never", lang) if year >= never else year)
        solara.SliderInt("", value=year, min=START_YEAR + 1, max=never, on_value=setter("withdrawal_year"),
                         thumb_label=False)
        for key, lo, hi, step in (("taper_years", 0, 5, 1), ("coverage", 0.0, 1.0, 0.05),
                                  ("assistance_size", 0.0, 2.0, 0.1), ("enterprise_support", 0.0, 2.0, 0.1)):
            tip = {"coverage": "policy.monitoring.coverage",
                   "assistance_size": "policy.assistance.industrial.intensity",
                   "enterprise_support": "policy.enterprise_support.intensity"}.get(key)
            with solara.Tooltip(glossary.tooltip(tip, lang) if tip else tr(f"app.ctl.{key}", lang, v=v[key])):
                with solara.Column(gap="0px"):
                    _slider_label(f"app.ctl.{key}", lang, v=v[key])
                    if isinstance(step, int):
                        solara.SliderInt("", value=v[key], min=lo, max=hi, step=step, on_value=setter(key),
                                         thumb_label=False)
                    else:
                        solara.SliderFloat("", value=v[key], min=lo, max=hi, step=step, on_value=setter(key),
                                           thumb_label=False)
        solara.HTML(tag="h3", unsafe_innerHTML=html.escape(tr("app.group.world", lang)))
        for key, lo, hi, step in (("illness_rate", 0.0, 0.4, 0.01), ("disaster", 0.0, 1.0, 0.05),
                                  ("price_shock", -0.8, 0.5, 0.05)):
            _slider_label(f"app.ctl.{key}", lang, v=v[key], year=START_YEAR + 2)
            solara.SliderFloat("", value=v[key], min=lo, max=hi, step=step, on_value=setter(key), thumb_label=False)
        _slider_label("app.speed", lang, ms=speed.value)
        solara.SliderInt("", value=speed.value, min=0, max=1000, step=50, on_value=speed.set, thumb_label=False)
        solara.HTML(tag="div", classes=["rs-settings"], unsafe_innerHTML=html.escape(tr("app.reset_hint", lang)))
        with solara.Row(classes=["rs-files"]):
            solara.FileDownload(lambda: series_csv(model), filename=CSV_FILE, label=tr("app.export", lang),
                                icon_name=None, mime_type="text/csv")
            solara.FileDownload(lambda: scenario_yaml(model), filename=SCENARIO_FILE, label=tr("app.save_b", lang),
                                icon_name=None, mime_type="application/x-yaml")


@solara.component
def TopBar(model: LockstepModel, language: solara.Reactive, tick: solara.Reactive, playing: solara.Reactive,
           busy: solara.Reactive, tasks: tuple, reset):
    """The top bar: the month, the busy indicator, Play/Pause, Step, Reset and the language switch.

    Its own component, so that the busy indicator and the tasks' states, which change several times
    a month, re-render only the bar and not the page. An error of a task (play or step) is raised
    here, as the page would raise it."""
    lang = language.value
    tick.value  # noqa: B018 (the month shown follows the tick)
    for task in tasks:
        if task.error:
            raise task.exception
    step_task = tasks[-1]
    working = busy.value or step_task.pending
    with solara.Div(classes=["rs-bar"]):
        solara.HTML(tag="div", classes=["rs-title"], unsafe_innerHTML=html.escape(tr("app.title", lang)))
        solara.HTML(tag="div", classes=["rs-month"], attributes={"id": "rs-month"}, unsafe_innerHTML=html.escape(
            tr("app.month", lang, date=date_text(model, lang))))
        solara.HTML(tag="div", classes=["rs-busy"], attributes={"role": "status", "aria-live": "polite"},
                    unsafe_innerHTML=html.escape(tr("app.busy", lang)) if working else "")
        solara.Button(tr("app.pause", lang) if playing.value else tr("app.play", lang),
                      color="success", on_click=lambda: playing.set(not playing.value), disabled=not model.running)
        solara.Button(tr("app.step", lang), color="primary", on_click=step_task,
                      disabled=playing.value or working or not model.running)
        solara.Button(tr("app.reset", lang), color="secondary", on_click=reset, disabled=working)
        solara.HTML(tag="div", style="flex: 1 1 auto")
        solara.Button(tr("app.language", lang), outlined=True, style={"color": "white"},
                      on_click=lambda: language.set("en" if language.value == "zh" else "zh"))


@solara.component
def TabPage(model: LockstepModel, lang: str, tab: int, tick: solara.Reactive, bump):
    """The open tab, re-rendered when a month is done (``tick``)."""
    t = tick.value
    if tab == 0:
        LiveTab(model, lang, t, bump)
    elif tab == 1:
        DifferenceTab(model, lang, t)
    elif tab == 2:
        HouseholdTab(model, lang, t, bump)
    else:
        GlossaryTab(lang)


@solara.component
def Page():
    """The app: one :class:`LockstepModel` per browser session.

    The page itself reads only what changes rarely (the model, the language, the tab): the month's
    tick, the busy indicator and the task's state are read by :func:`TopBar` and :func:`TabPage`,
    so a month re-renders those two and not the controls around them."""
    settings = solara.use_reactive(initial_kwargs())
    model = solara.use_reactive(solara.use_memo(lambda: LockstepModel(**initial_kwargs()), []))
    lang = solara.use_reactive(current())
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    busy = solara.use_reactive(False)
    speed = solara.use_reactive(PLAY_INTERVAL_MS)
    tab = solara.use_reactive(0)
    lock = solara.use_memo(threading.Lock, [])
    m = model.value
    # one function for the session: a new one at each render would re-render every view given it
    bump = solara.use_memo(lambda: lambda: tick.set(tick.value + 1), [])

    def one_month(show_busy: bool = False) -> None:
        # the views are given the new month (bump) before the busy indicator goes: when it has gone,
        # everything on screen is of the same month. A step's task is pending meanwhile, which the
        # top bar shows as busy; only Play, whose task runs on, sets the indicator month by month.
        with lock:
            if show_busy:
                busy.set(True)
            try:
                m_now = model.value
                m_now.step()
                if not m_now.running:
                    playing.set(False)
                bump()
            finally:
                if show_busy:
                    busy.set(False)

    def play_loop() -> None:
        while playing.value and model.value.running:
            started = time.monotonic()
            one_month(show_busy=True)
            time.sleep(max(speed.value / 1000 - (time.monotonic() - started), 0.0))

    # the tasks' states are read by the top bar, which raises their errors
    play_task = solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True, raise_error=False)
    step_task = solara.lab.use_task(one_month, dependencies=None, prefer_threaded=True, raise_error=False)

    def reset() -> None:
        playing.set(False)
        with lock:
            busy.set(True)
            try:
                model.set(LockstepModel(**settings.value))
                bump()
            finally:
                busy.set(False)

    lang_value = lang.value
    solara.Style(CSS % {"family": FAMILY, "stack": CJK_FONT_STACK, "w": figs.CHART_PX[0], "h": figs.CHART_PX[1]}
                 + font_face_css())
    solara.Title(tr("app.title", lang_value))
    with solara.Div(classes=["rs-root"], attributes={"lang": "zh-CN" if lang_value == "zh" else "en"}):
        TopBar(m, lang, tick, playing, busy, (play_task, step_task), reset)
        with solara.Div(classes=["rs-body"]):
            Controls(settings, lang_value, speed, m)
            with solara.Div(classes=["rs-main"]):
                with solara.v.Tabs(v_model=tab.value, on_v_model=tab.set, height=40):
                    for key in ("app.tab.live", "app.tab.diff", "app.tab.household", "app.tab.glossary"):
                        solara.v.Tab(children=[tr(key, lang_value)])
                with solara.Div(classes=["rs-page"]):
                    TabPage(m, lang_value, tab.value, tick, bump)


page = Page
