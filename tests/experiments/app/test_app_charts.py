"""The app's kept charts: correct limits, redrawn only when they must be, and a month at the default
size (100,000 households) well within a second on the server (model step and every page-0 view)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from experiments.app import charts as figs
from experiments.app import page as app
from experiments.app.lockstep import DEFAULT_HOUSEHOLDS, LockstepModel

#: Generous bound on one month on the server (both models' step and all page-0 views), seconds:
#: measured about 0.1-0.2 s on a 2-core machine; the bound holds on a loaded machine too.
MONTH_BOUND_S = 1.5
PAGE0_CHARTS = (figs.RatesChart, figs.BelowLineChart, figs.MonitoringChart, figs.IncomeChart)


def test_time_span_years_exact():
    assert [figs.time_span_years(b, 10) for b in range(1, 11)] == [2, 2, 4, 4, 8, 8, 8, 8, 10, 10]
    assert figs.time_span_years(5) == 8
    assert figs.time_span_years(1, 1) == 1


def _series(t: np.ndarray, y: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    cols = {"t": t, "relapse_rate": y, "relapse_rate_12m": 0.5 * y, "below_line_fp_share": 2 * y}
    return {"A": dict(cols), "B": {**cols, "relapse_rate": 1.5 * y}}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_live_charts_draw_in_both_languages_without_missing_glyphs(lang):
    import warnings

    t = 2021 + (np.arange(3) + 0.5) / 12
    series = _series(t, np.array([0.01, 0.02, 0.03]))
    series = {p: {**cols, **{c: np.full(3, 1000.0) for c in ("n_monitored", "n_assisted", "income_formerly_poor_yuan",
                                                            "income_marginal_yuan", "income_others_yuan",
                                                            "relapse_cum_share", "enterprises", "n_local_job")}}
              for p, cols in series.items()}
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"(?s).*missing from font")
        for chart_class in (*PAGE0_CHARTS, figs.DifferenceChart, figs.EnterpriseChart):
            assert chart_class(10, lang=lang).update(series)[:4] == b"\x89PNG"
        grid = figs.CountyGridChart(np.array(["key", "formerly poor", "never poor"]), 0.05, lang=lang)
        assert grid.update({"A": np.array([0.01, 0.06, np.nan]), "B": np.array([0.0, 0.1, 0.02])}, 2021)[:4] \
            == b"\x89PNG"


def test_live_chart_limits_hold_the_data_grow_only_and_background_is_kept():
    rates = figs.RatesChart(horizon_years=10, lead_months=0)
    below = figs.BelowLineChart(horizon_years=10, lead_months=0)
    for chart, top_of in ((rates, lambda n: 1.5 * y[n - 1]), (below, lambda n: 2 * y[n - 1])):
        _check_limits(chart, top_of)


t = 2021 + (np.arange(24) + 0.5) / 12
y = np.linspace(0.001, 0.02, 24)


def _check_limits(chart, top_of):
    empty = chart.update(_series(np.zeros(0), np.zeros(0)))
    draws = []
    draw_background = chart._draw_background
    chart._draw_background = lambda layout: (draws.append(layout), draw_background(layout))[1]
    pngs, limits = [], []
    for n in range(1, 25):
        pngs.append(chart.update(_series(t[:n], y[:n])))
        limits.append([ax.get_ylim() for ax in chart.axes])
        for ax, top in zip(chart.axes, (top_of(n),), strict=True):
            lo, hi = ax.get_ylim()
            assert lo == 0.0 and hi >= 100 * top  # zero-based, holds every value (percent)
        assert chart.axes[0].get_xlim() == (2021.0, 2023.0)
    assert pngs[0] != empty and len(set(pngs)) == len(pngs)  # every month draws something new
    for before, after in zip(limits, limits[1:], strict=False):  # value axes never shrink
        assert all(a[1] >= b[1] for a, b in zip(after, before, strict=True))
    # the background (ticks, titles, legend) is drawn again only when a limit changed
    changed = sum(b != a for b, a in zip(limits, limits[1:], strict=False))
    assert len(draws) == 1 + changed < 12  # the first month (data appear), then each change
    chart.update(_series(np.append(t, 2023 + 0.5 / 12), np.append(y, y[-1])))
    assert chart.axes[0].get_xlim() == (2021.0, 2025.0)  # the third year doubles the span


def test_the_background_of_a_doubled_time_axis_is_drawn_ahead_and_the_month_is_the_same():
    """With a lead of 3 months the background of the 4-year axis is drawn in October of the second
    year; January of the third then draws none, and every month's picture is the one a chart
    drawing in the month of need makes."""
    ahead, plain = figs.RatesChart(horizon_years=10, lead_months=3), figs.RatesChart(horizon_years=10, lead_months=0)
    # the live view's charts draw ahead in different months, none in December
    assert sorted(c.LEAD_MONTHS for c in app.LIVE_CHARTS) == [2, 3, 4, 5]
    tt = 2021 + (np.arange(26) + 0.5) / 12
    yy = np.full(26, 0.01)  # flat: the value axis never grows, so the background drawn ahead holds
    draws = []
    draw_background = ahead._draw_background
    ahead._draw_background = lambda layout: (draws.append((n, layout[1])), draw_background(layout))[1]
    for n in range(1, 27):
        png = ahead.update(_series(tt[:n], yy[:n]))
        assert png == plain.update(_series(tt[:n], yy[:n])), n
    assert draws == [(1, (2021.0, 2023.0)), (22, (2021.0, 2025.0))]  # October 2022 draws 2021-2025 ahead
    assert ahead.axes[0].get_xlim() == (2021.0, 2025.0)


@pytest.mark.parametrize("chart_class", [figs.RatesChart, figs.IncomeChart, figs.EnterpriseChart])
def test_backgrounds_drawn_without_the_legends_give_the_same_pictures(chart_class):
    """Later backgrounds leave the legends out and paste the pictures kept from the first one."""
    kept, drawn = chart_class(10, lead_months=0), chart_class(10, lead_months=0)
    drawn.KEEP_LEGENDS = False
    tt = 2021 + (np.arange(30) + 0.5) / 12
    rising = np.linspace(0.001, 0.05, 30) ** 1.5  # the value axes grow several times; the time axis doubles
    cols = ("relapse_rate", "relapse_rate_12m", "income_formerly_poor_yuan", "income_marginal_yuan",
            "income_others_yuan", "enterprises", "n_local_job")
    seen = []  # whether the legends were drawn, at each background drawn with data
    draw = kept.canvas.draw
    legends = [ax.get_legend() for ax in kept.axes if ax.get_legend() is not None]
    kept.canvas.draw = lambda: (seen.append(legends[0].get_visible()) if kept.axes[0].xaxis.get_visible() else None,
                                draw())[1]
    worst = 0
    for n in (0, *range(1, 31)):
        series = {p: {"t": tt[:n], **{c: (1 + k) * 1e3 * rising[:n] * (2 if p == "B" else 1)
                                       for k, c in enumerate(cols)}} for p in ("A", "B")}
        a, b = _pixels(kept.update(series)), _pixels(drawn.update(series))
        differ = np.abs(a - b).max(axis=2)
        worst = max(worst, int(differ.max()))
    assert worst == 0  # the same pictures
    assert seen.count(True) == 1 and seen.count(False) >= 3  # the legends were drawn with the first data only


def _pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png))).astype(int)


def test_three_excesses_chart_keeps_a_slot_per_year_and_grows_its_value_axis_only_when_a_bar_leaves_it():
    import pandas as pd

    chart = figs.ThreeExcessesChart(2021, 10)
    assert chart.update(pd.DataFrame())[:4] == b"\x89PNG"
    assert chart.ax.get_xlim() == (-0.6, 9.6)
    rows = [{"policy": "B", "year": 2021, "income_growth_fpc": 0.08, "gdp_growth": 0.05, "urban_income_growth": 0.06,
             "rural_income_growth": 0.07, "three_excesses": True}]
    chart.update(pd.DataFrame(rows))
    assert chart.ax.get_ylim() == figs.ThreeExcessesChart.Y_START  # 8% fits the starting axis
    assert [bar.get_height() for bar in (chart.bars[0][0], chart.bars[1][0])] == pytest.approx([8.0, 5.0])
    rows.append({**rows[0], "year": 2022, "income_growth_fpc": 0.30, "three_excesses": False})
    chart.update(pd.DataFrame(rows + [{**rows[0], "policy": "A", "income_growth_fpc": 0.9}]))
    lo, hi = chart.ax.get_ylim()
    assert lo == -5.0 or lo <= 0.0 and hi >= 30.0 + 0.6 * 30.0  # room above the 30% bar for the legend
    assert chart.bars[0][1].get_height() == pytest.approx(30.0)


def test_county_grid_labels_name_the_county_type_number_and_rate():
    grid = figs.CountyGridChart(np.array(["key", "formerly poor", "never poor"]), 0.05)
    labels = grid.labels(np.array([0.012, 0.08, np.nan]))
    assert labels == [("K1\n1.2%", "black"), ("F2\n8.0%", "white"), ("N3\n–", "black")]
    one = grid.update({"A": np.array([0.012, 0.08, np.nan]), "B": np.zeros(3)}, 2021)
    other = grid.update({"A": np.array([0.013, 0.08, np.nan]), "B": np.zeros(3)}, 2021)
    assert one != other  # a label that changes changes the picture


@pytest.mark.slow
def test_a_month_at_the_default_size_is_well_within_a_second_on_the_server():
    m = LockstepModel(households=DEFAULT_HOUSEHOLDS, years=2)
    charts = [c(2) for c in PAGE0_CHARTS]
    types = np.array(["key", "formerly poor", "never poor"])[m.a.province.county_type]
    county = figs.CountyGridChart(types, m.a.params.metrics.large_scale.county_threshold)
    for c in charts:
        c.update(m.series())
    seconds = []
    for _ in range(6):
        t0 = time.perf_counter()
        m.step()
        series = m.series()
        for c in charts:
            assert c.update(series)[:8] == b"\x89PNG\r\n\x1a\n"
        app.headline_rows(m)
        seconds.append(time.perf_counter() - t0)
    year, rate_a = m.county_relapse("A")
    assert county.update({"A": rate_a, "B": m.county_relapse("B")[1]}, year)[:4] == b"\x89PNG"
    print(f"a month at {DEFAULT_HOUSEHOLDS:,} households (step and page-0 views), s: "
          + " ".join(f"{s:.3f}" for s in seconds))
    # the first month also draws every background; later months only the data
    assert max(seconds[1:]) < MONTH_BOUND_S, seconds
