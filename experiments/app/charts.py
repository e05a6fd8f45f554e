"""Figures of the classroom app (matplotlib ``Figure`` objects, no pyplot: safe in server threads).

The monthly time series (:class:`LiveChart`) and the year-end views (:class:`CountyGridChart`,
:class:`ThreeExcessesChart`) are kept for a session (new data, same figure, axes drawn once into
a kept background); the household figure is a function of the tables of
:class:`experiments.app.lockstep.LockstepModel` returning a new figure. Colours are the
Okabe-Ito palette, safe for colour-blind readers, and every pair of series also differs in line
style: policy A (the reference) blue and dashed, policy B (your policy) vermillion and solid.
Charts are drawn at the size they are shown (no scaling in the browser) with large text, in the
language of the session (:mod:`experiments.i18n`; Chinese with the CJK font of
:mod:`experiments.fonts`).
"""

from __future__ import annotations

import functools
import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image, ImageDraw, ImageFont

from experiments.fonts import figure_fonts
from experiments.i18n import tr

#: Okabe-Ito colours: A blue, B vermillion (told apart without colour by the line style too).
COLOUR = {"A": "#0072B2", "B": "#D55E00"}
STYLE = {"A": "--", "B": "-"}
GROUP_COLOUR = {"formerly poor": "#CC79A7", "marginal": "#E69F00", "others": "#009E73"}
GROUP_KEY = {"formerly poor": "app.group.formerly_poor", "marginal": "app.group.marginal",
             "others": "app.group.others"}
#: Pixels of a chart of the live view (three to a row on a 1366 x 768 projector).
CHART_PX = (344, 228)
#: Resolution: one inch is this many pixels, so a chart is drawn at the size it is shown.
DPI = 100
SIZE = (CHART_PX[0] / DPI, CHART_PX[1] / DPI)
#: Text sizes (points at 100 dpi: 1 pt = 1.39 px): titles and tick labels readable from the back row.
TITLE_PT, TICK_PT, LEGEND_PT = 10.5, 9.5, 8.5


def label(policy: str, lang: str | None = None) -> str:
    """``A (reference)`` / ``B (your policy)``."""
    return tr(f"app.policy.{policy}", lang)


def month_label(t: float, _pos: object = None) -> str:
    """Axis label of a decimal time ``year + (month - 0.5) / 12``: ``2023-04``."""
    year = int(np.floor(t))
    month = min(max(int(np.floor((t - year) * 12)) + 1, 1), 12)
    return f"{year}-{month:02d}"


def _figure(n_cols: int = 1, size: tuple[float, float] = SIZE) -> tuple[Figure, list]:
    # fixed margins: constrained layout costs more than drawing the figure
    fig = Figure(figsize=size, dpi=DPI)
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.14, top=0.86, wspace=0.28)
    axes = fig.subplots(1, n_cols, squeeze=False)[0]
    for ax in axes:
        ax.xaxis.set_major_formatter(FuncFormatter(month_label))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.tick_params(labelsize=TICK_PT)
    return fig, list(axes)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555", fontsize=TITLE_PT)
    ax.set_xticks([])
    ax.set_yticks([])


#: Years spanned by the time axis of a :class:`LiveChart` at first (it doubles as the run goes on).
MIN_SPAN_YEARS = 2


def time_span_years(years_begun: int, horizon_years: int | None = None) -> int:
    """Years spanned by the time axis once ``years_begun`` years have begun: the smallest of 2, 4,
    8... that holds them, but no more than the run's horizon (``None``: no limit)."""
    span = max(MIN_SPAN_YEARS, 1 << (max(int(years_begun), 1) - 1).bit_length())
    if horizon_years is not None:
        span = min(span, max(int(horizon_years), int(years_begun)))
    return span


class LiveChart:
    """A figure kept for a whole browser session whose lines get new data each month.

    Laying out and drawing text (tick labels, titles, legends) is most of what a matplotlib
    figure costs, so a month does not draw it again: the axes, their ticks and titles are drawn
    once into a background kept in memory, and each month only the data (animated artists) is
    drawn over a copy of it, with the legends pasted back on top, then encoded as PNG. The
    background is drawn again only when the axis limits change: the time axis spans 2, 4, 8...
    years (up to the run's ``horizon_years``), doubling when the run enters a year beyond it, and
    each value axis grows, to round numbers with headroom, only when the data leaves it: the side
    it leaves moves out by at least the axis' length, so a rising curve redraws it a few times in a
    run, not every other month. It never shrinks, so curves keep their scale from month to month.
    """

    #: zlib level of the PNG (1: fastest; the images are a few tens of kB).
    PNG_COMPRESS_LEVEL = 1
    #: Months before the time axis doubles its span at which the background it will need is drawn
    #: (0: in the month that needs it). The charts of the live view take 2 to 5, so that each of
    #: August to November before a doubling draws one background ahead, instead of the first month
    #: of the new year drawing all four; December, with its year-end work, draws none.
    LEAD_MONTHS = 0
    #: Draw the legends once and paste their kept pictures afterwards (False: draw them with every
    #: background; the pictures are the same).
    KEEP_LEGENDS = True
    #: Headroom added above (and below, unless zero-based) the data when a value axis grows,
    #: as a share of the data's range.
    HEADROOM = 0.25

    def __init__(self, n_cols: int = 1, size: tuple[float, float] = SIZE, n_rows: int = 1,
                 zero_based: tuple[int, ...] = (), horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        self.horizon_years = horizon_years
        self.lead_months = self.LEAD_MONTHS if lead_months is None else int(lead_months)
        self.lang = lang
        self.fig = Figure(figsize=size, dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        # the right margin leaves room for the label of the tick at the end of the time axis
        self.fig.subplots_adjust(left=0.15, right=0.93, bottom=0.13, top=0.86, wspace=0.3, hspace=0.5)
        self.axes = list(self.fig.subplots(n_rows, n_cols, squeeze=False).ravel())
        self.zero_based = zero_based
        self.hints = []
        for ax in self.axes:
            ax.xaxis.set_major_formatter(FuncFormatter(month_label))
            ax.xaxis.set_major_locator(MaxNLocator(3))
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.tick_params(labelsize=TICK_PT)
            ax.set_autoscale_on(False)
            self.hints.append(ax.text(0.5, 0.5, tr("app.press_step", lang), ha="center", va="center",
                                      transform=ax.transAxes, color="#555555", fontsize=TITLE_PT))
        self.data: list[list] = [[] for _ in self.axes]  # animated artists of each axes
        self._layout: tuple | None = None
        self._background = None
        self._legends: list = []
        #: Backgrounds drawn ahead, by layout: ``{layout: (background, legends)}``.
        self._ready: dict[tuple, tuple] = {}
        self._legends_drawn: list | None = None

    def add(self, k: int, artist):
        """Mark ``artist`` (of axes ``k``) as data, drawn over the kept background."""
        artist.set_animated(True)
        self.data[k].append(artist)
        return artist

    def _y_limits(self, k: int, old: tuple[float, float] | None) -> tuple[float, float]:
        ys = [np.asarray(a.get_ydata(), dtype=float) for a in self.data[k] if hasattr(a, "get_ydata")]
        y = np.concatenate(ys) if ys else np.zeros(0)
        y = y[np.isfinite(y)]
        lo, hi = (float(y.min()), float(y.max())) if y.size else (0.0, 1.0)
        if k in self.zero_based:
            lo = min(lo, 0.0)
        if old is not None and old[0] <= lo and hi <= old[1]:
            return old
        if lo == hi == 0.0:  # nothing yet (a year-end rate before the first December): one unit
            return 0.0, 1.0
        span = hi - lo if hi > lo else max(abs(hi), 1.0)
        bottom = lo if (k in self.zero_based and lo == 0.0) else lo - self.HEADROOM * span
        top = hi + self.HEADROOM * span
        if old is not None:
            # a side the data leave moves out by at least the old axis' length (so an axis redrawn
            # for a rising curve is redrawn a few times, not every other month); the other stays
            width = old[1] - old[0]
            top = max(top, old[1] + width) if hi > old[1] else max(top, old[1])
            bottom = min(bottom, old[0] - width) if lo < old[0] else min(bottom, old[0])
        ticks = MaxNLocator(5).tick_values(bottom, top)
        return float(ticks[0]), float(ticks[-1])

    def show(self, t: np.ndarray) -> bytes:
        """Draw the data artists (already given the data of months ``t``) and return the PNG."""
        has_data = t.size > 0
        if has_data:
            year0 = float(np.floor(t[0]))
            xlim = (year0, year0 + time_span_years(int(np.floor(t[-1]) - year0) + 1, self.horizon_years))
        else:
            xlim = (0.0, 1.0)
        old = self._layout[2] if self._layout is not None else [None] * len(self.axes)
        ylims = [self._y_limits(k, old[k] if self._layout and self._layout[0] else None) if has_data
                 else (0.0, 1.0) for k in range(len(self.axes))]
        layout = (has_data, xlim, tuple(ylims))
        if layout != self._layout:
            ready = self._ready.pop(layout, None)
            if ready is None:
                with figure_fonts(self.lang):
                    self._draw_background(layout)
            else:
                self._apply(layout)
                self._background, self._legends = ready
            self._layout = layout
        self.canvas.restore_region(self._background)
        for ax, artists in zip(self.axes, self.data, strict=True):
            for artist in artists:
                ax.draw_artist(artist)
        for region in self._legends:
            self.canvas.restore_region(region)
        png = self._png()
        if has_data and self.lead_months:
            self._draw_ahead(t, layout)
        return png

    def _draw_ahead(self, t: np.ndarray, layout: tuple) -> None:
        """Draw, ``lead_months`` months before it is needed, the background of the time axis that
        the next doubling of its span will bring (with the value axes as they are now), so that
        the month of the doubling does not draw it; a month whose value axes have grown since
        draws its own. The charts of a page take different leads, so that no month draws them all."""
        _, xlim, ylims = layout
        months_left = round((xlim[1] - float(t[-1])) * 12 - 0.5)  # months the axis holds after the last
        if months_left != self.lead_months - 1:
            return
        year0 = xlim[0]
        # the first month beyond the axis begins the year at its end
        span = time_span_years(int(round(xlim[1] - year0)) + 1, self.horizon_years)
        ahead = (True, (year0, year0 + span), ylims)
        if ahead == layout or ahead in self._ready:
            return
        shown = self._background, self._legends
        with figure_fonts(self.lang):
            self._ready = {ahead: self._draw_background(ahead)}
        self._background, self._legends = shown
        self._apply(layout)  # the month on screen keeps its axes

    def _apply(self, layout: tuple) -> None:
        has_data, xlim, ylims = layout
        for ax, hint, ylim in zip(self.axes, self.hints, ylims, strict=True):
            hint.set_visible(not has_data)
            ax.xaxis.set_visible(has_data)
            ax.yaxis.set_visible(has_data)
            ax.set_xlim(*xlim)
            ax.set_ylim(*ylim)

    def _draw_background(self, layout: tuple) -> tuple:
        """Draw the background of ``layout`` (axes, ticks, titles, legends); it becomes the chart's
        background, and is returned with its legends."""
        self._apply(layout)
        legends = [ax.get_legend() for ax in self.axes if ax.get_legend() is not None]
        # the legends stand at fixed places whatever the limits, and are pasted over the data each
        # month: once drawn with data, their pictures are kept and later backgrounds are drawn
        # without them (the empty chart's are not kept: its axes are hidden, and the legends' edges
        # differ by a shade)
        keep = self.KEEP_LEGENDS and self._legends_drawn is not None
        for legend in legends:
            legend.set_visible(not keep)
        self.canvas.draw()
        for legend in legends:
            legend.set_visible(True)
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        if keep:
            self._legends = self._legends_drawn
        else:
            renderer = self.canvas.get_renderer()
            self._legends = [self.canvas.copy_from_bbox(leg.get_window_extent(renderer).expanded(1.02, 1.05).padded(2))
                             for leg in legends]
            if layout[0]:
                self._legends_drawn = self._legends
        return self._background, self._legends

    def _png(self) -> bytes:
        buf = io.BytesIO()
        image = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image.save(buf, format="png", compress_level=self.PNG_COMPRESS_LEVEL)
        return buf.getvalue()


class _PolicyLinesChart(LiveChart):
    """Panels of policy A and B lines: ``panels`` is ``[(title, [(column, scale, policy, style
    keywords)])]``; a legend (``legend``: its keywords) goes on the first panel."""

    def __init__(self, panels, horizon_years: int | None, zero_based: tuple[int, ...] = (),
                 legend: dict | None = None, lang: str | None = None, size: tuple[float, float] = SIZE,
                 lead_months: int | None = None):
        with figure_fonts(lang):
            super().__init__(len(panels), size=size, zero_based=zero_based, horizon_years=horizon_years, lang=lang,
                             lead_months=lead_months)
            self.lines = []
            for k, (ax, (title, lines)) in enumerate(zip(self.axes, panels, strict=True)):
                for col, scale, name, style in lines:
                    (line,) = ax.plot([], [], style.pop("ls", STYLE[name]),
                                      **{"color": COLOUR[name], "lw": 2.0, **style})
                    self.lines.append((self.add(k, line), col, scale, name))
                ax.set_title(title, fontsize=TITLE_PT)
            if legend is not None:
                self.axes[0].legend(**{"fontsize": LEGEND_PT, "handlelength": 2.2, "framealpha": 0.85, **legend})

    def update(self, series: dict[str, dict[str, np.ndarray]]) -> bytes:
        """Draw ``series`` (:meth:`experiments.app.lockstep.LockstepModel.series`) and return the PNG."""
        for line, col, scale, name in self.lines:
            line.set_data(series[name]["t"], series[name][col] * scale)
        return self.show(series["A"]["t"])


class RatesChart(_PolicyLinesChart):
    """Relapse: the official December rate (thick) and the rolling 12-month measure, updated every
    month (thin, with dots), of A and B."""

    LEAD_MONTHS = 5

    def __init__(self, horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        lines = []
        for name in ("A", "B"):
            lines.append(("relapse_rate", 100, name, {"lw": 2.6, "label": tr("app.legend.december", lang, p=name)}))
            lines.append(("relapse_rate_12m", 100, name, {"lw": 1.3, "marker": "o", "ms": 2.5, "markevery": 3,
                                                          "label": tr("app.legend.rolling", lang, p=name)}))
        super().__init__([(tr("app.chart.relapse", lang), lines)], horizon_years, zero_based=(0,),
                         legend={"loc": "upper left", "ncol": 2, "handlelength": 1.6, "columnspacing": 0.8},
                         lang=lang, lead_months=lead_months)


class BelowLineChart(_PolicyLinesChart):
    """Formerly poor households below the line now (the monthly early signal)."""

    LEAD_MONTHS = 4

    def __init__(self, horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        super().__init__([(tr("app.chart.below_line", lang),
                           [("below_line_fp_share", 100, name, {}) for name in ("A", "B")])],
                         horizon_years, zero_based=(0,), lang=lang, lead_months=lead_months)


class MonitoringChart(_PolicyLinesChart):
    """Households under monitoring and households receiving assistance (real households)."""

    LEAD_MONTHS = 3

    def __init__(self, horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        lines = []
        for name in ("A", "B"):
            lines.append(("n_monitored", 1e-3, name, {"lw": 2.4}))
            lines.append(("n_assisted", 1e-3, name, {"lw": 1.1, "alpha": 0.75}))
        super().__init__([(tr("app.chart.monitoring", lang), lines)], horizon_years, zero_based=(0,), lang=lang,
                         lead_months=lead_months)


class IncomeChart(_PolicyLinesChart):
    """Mean smoothed income per person by group, yuan/year."""

    LEAD_MONTHS = 2

    def __init__(self, horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        lines = [(f"income_{group.replace(' ', '_')}_yuan", 1e-3, name,
                  {"color": colour, "lw": 2.2 if name == "B" else 1.5,
                   "label": tr(GROUP_KEY[group], lang) if name == "B" else None})
                 for group, colour in GROUP_COLOUR.items() for name in ("A", "B")]
        super().__init__([(tr("app.chart.income", lang), lines)], horizon_years,
                         legend={"loc": "upper left", "ncol": 3, "handlelength": 1.2, "columnspacing": 0.8}, lang=lang,
                         lead_months=lead_months)


class EnterpriseChart(_PolicyLinesChart):
    """Enterprises and local jobs (real counts)."""

    LEAD_MONTHS = 2

    def __init__(self, horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        super().__init__([(title, [(col, 1e-3, name, {"label": label(name, lang)}) for name in ("A", "B")])
                          for col, title in (("enterprises", tr("app.chart.enterprises", lang)),
                                             ("n_local_job", tr("app.chart.jobs", lang)))], horizon_years,
                         legend={"loc": "lower left"}, lang=lang, size=(7.0, 2.6), lead_months=lead_months)


@functools.cache
def label_font(points: float) -> ImageFont.FreeTypeFont:
    """matplotlib's own Latin font (DejaVu Sans) at ``points`` for Pillow, at this module's resolution."""
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=True)
    return ImageFont.truetype(path, size=points * DPI / 72)


def _frame(x: float, y: float) -> Rectangle:
    return Rectangle((x - 0.48, y - 0.48), 0.96, 0.96, fill=False, lw=1.8, ec="black")


class CountyGridChart:
    """Counties as a grid of squares coloured by relapse rate at the last year-end, A beside B;
    a black frame marks large-scale relapse (rate at or above ``threshold``).

    Kept for a session like :class:`LiveChart`: the axes, their titles and the colour bar are
    drawn once into a kept background; each year-end only the colours, the labels, the frames and
    the title are drawn over it. The colour scale is fixed (0 to twice the threshold; higher rates
    take its darkest colour and their label says the rate), so the background never changes.
    """

    #: Size of the county labels, points.
    LABEL_PT = 6.8

    def __init__(self, county_types: np.ndarray, threshold: float, lang: str | None = None):
        self.lang = lang
        with figure_fonts(lang):
            self._build(county_types, threshold)

    def _build(self, county_types: np.ndarray, threshold: float) -> None:
        lang = self.lang
        self.fig = Figure(figsize=SIZE, dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.threshold = float(threshold)
        self.types = np.asarray(county_types)
        n = len(self.types)
        self.cols = int(np.ceil(np.sqrt(n)))
        self.rows = int(np.ceil(n / self.cols))
        self.norm = Normalize(0.0, 2 * self.threshold)
        self.fig.subplots_adjust(left=0.02, right=0.84, bottom=0.03, top=0.80, wspace=0.08)
        self.images, self.frames = {}, {}
        for ax, name in zip(self.fig.subplots(1, 2), ("A", "B"), strict=True):
            self.images[name] = ax.imshow(np.full((self.rows, self.cols), np.nan), cmap="cividis_r", norm=self.norm)
            self.frames[name] = []
            for c in range(n):
                r, k = divmod(c, self.cols)
                self.frames[name].append(ax.add_patch(_frame(k, r)))
                self.frames[name][-1].set_animated(True)
            self.images[name].set_animated(True)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(label(name, lang), fontsize=LEGEND_PT)
        self.title = self.fig.suptitle("", fontsize=TITLE_PT)
        self.title.set_animated(True)
        bar = self.fig.colorbar(self.images["B"], cax=self.fig.add_axes((0.87, 0.1, 0.03, 0.62)),
                                format=lambda x, _: f"{100 * x:.0f}%")
        bar.ax.tick_params(labelsize=LEGEND_PT)
        # drawn now, when the page is built, rather than in the first December
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    def labels(self, rates: np.ndarray) -> list[tuple[str, str]]:
        """Each county's label (type initial, number, rate) and its colour (white on dark squares)."""
        out = []
        for c, v in enumerate(rates):
            text = f"{self.types[c][0].upper()}{c + 1}\n" + ("–" if not np.isfinite(v) else f"{100 * v:.1f}%")
            out.append((text, "white" if np.isfinite(v) and self.norm(v) > 0.6 else "black"))
        return out

    def update(self, rates: dict[str, np.ndarray], year: int | None) -> bytes:
        """Draw the rates of A and B (``{policy: rate by county}``, NaN: none yet) at ``year``.

        The squares, frames and title are drawn by matplotlib over the kept background; the county
        labels (40 short texts at the default size, most of what matplotlib would spend) are drawn
        with Pillow in the same font (DejaVu Sans, as matplotlib draws Latin text) and size."""
        n = len(self.types)
        for name in ("A", "B"):
            grid = np.full(self.rows * self.cols, np.nan)
            grid[:n] = rates[name]
            self.images[name].set_data(grid.reshape(self.rows, self.cols))
            for c, frame in enumerate(self.frames[name]):
                v = rates[name][c]
                frame.set_visible(bool(np.isfinite(v) and v >= self.threshold))
        when = f"{year}" if year is not None else tr("app.no_year_end", self.lang)
        self.title.set_text(tr("app.chart.counties", self.lang, when=when, threshold=100 * self.threshold))
        with figure_fonts(self.lang):
            self.canvas.restore_region(self._background)
            for name in ("A", "B"):
                ax = self.images[name].axes
                for artist in (self.images[name], *self.frames[name]):
                    ax.draw_artist(artist)
            self.fig.draw_artist(self.title)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).copy()
        draw = ImageDraw.Draw(image)
        font = label_font(self.LABEL_PT)
        for name in ("A", "B"):
            to_pixels = self.images[name].axes.transData
            for c, (text, colour) in enumerate(self.labels(rates[name])):
                r, k = divmod(c, self.cols)
                x, y = to_pixels.transform((k, r))
                draw.multiline_text((x, height - y), text, fill=colour, font=font, anchor="mm", align="center",
                                    spacing=1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=LiveChart.PNG_COMPRESS_LEVEL)
        return buf.getvalue()


#: Bars of the three-excesses chart: annual column, label (catalogue key), colour, hatch (Okabe-Ito
#: colours and hatches: the bars are told apart without colour).
EXCESS_BARS = (("income_growth_fpc", "app.te.fpc", "#D55E00", ""), ("gdp_growth", "app.te.gdp", "#000000", "//"),
               ("urban_income_growth", "app.te.urban", "#0072B2", ".."),
               ("rural_income_growth", "app.te.rural", "#009E73", "xx"))


class ThreeExcessesChart:
    """Income growth of formerly poor counties against GDP, urban and rural income growth (policy
    B), a group of bars per year, ✓ above the years in which the three excesses held.

    Kept for a session like :class:`LiveChart`: the axes hold a slot for every year of the run from
    the start (so the axis does not move as years are added), and their ticks, title and legend are
    drawn once into a kept background; each year-end only the bars and the ✓ are drawn over it.
    The value axis grows, to round numbers with room for the legend, only when a bar leaves it.
    """

    WIDTH = 0.2

    def __init__(self, start_year: int, n_years: int, lang: str | None = None):
        self.lang = lang
        self.years = np.arange(int(start_year), int(start_year) + int(n_years))
        with figure_fonts(lang):
            self.fig = Figure(figsize=SIZE, dpi=DPI, facecolor="white")
            self.canvas = FigureCanvasAgg(self.fig)
            self.fig.subplots_adjust(left=0.12, right=0.97, bottom=0.12, top=0.86)
            self.ax = ax = self.fig.subplots()
            ax.set_title(tr("app.chart.three_excesses", lang), fontsize=TITLE_PT)
            ax.set_autoscale_on(False)
            x = np.arange(len(self.years))
            ax.set_xlim(-0.6, len(self.years) - 0.4)
            ax.set_xticks(x, [str(y)[-2:] for y in self.years], fontsize=TICK_PT)
            ax.yaxis.set_major_locator(MaxNLocator(5))
            ax.tick_params(labelsize=TICK_PT)
            self.bars = []
            for k, (_, key, colour, hatch) in enumerate(EXCESS_BARS):
                bars = ax.bar(x + (k - 1.5) * self.WIDTH, np.zeros(len(x)), self.WIDTH, color=colour, hatch=hatch,
                              edgecolor="white", lw=0, label=tr(key, lang))
                for bar in bars:
                    bar.set_animated(True)
                self.bars.append(list(bars))
            self.legend = ax.legend(fontsize=LEGEND_PT - 1, ncol=2, loc="upper right", handlelength=1.2,
                                    columnspacing=0.6)
            self.ticks = [ax.text(i, 0.0, "✓", ha="center", va="bottom", fontsize=TICK_PT, animated=True)
                          for i in x]
            self.hint = ax.text(0.5, 0.5, tr("app.from_december", lang), ha="center", va="center",
                                transform=ax.transAxes, color="#555555", fontsize=TITLE_PT)
        self._layout: tuple | None = None
        self._background = self._legend = None
        # the background of the first year-end is drawn now, when the page is built, not in December
        self._ready = {(True, self.Y_START): self._draw_background((True, self.Y_START))}

    #: Value axis (percent) before the first year-end; it grows when a bar leaves it.
    Y_START = (-5.0, 20.0)

    def _draw_background(self, layout: tuple) -> tuple:
        has_data, ylim = layout
        with figure_fonts(self.lang):
            self.hint.set_visible(not has_data)
            self.ax.yaxis.set_visible(has_data)
            self.ax.xaxis.set_visible(has_data)
            self.legend.set_visible(has_data)
            self.ax.set_ylim(*ylim)
            self.canvas.draw()
            background = self.canvas.copy_from_bbox(self.fig.bbox)
            box = self.legend.get_window_extent(self.canvas.get_renderer()).expanded(1.02, 1.05)
            return background, self.canvas.copy_from_bbox(box)

    def _y_limits(self, values: np.ndarray, old: tuple[float, float] | None) -> tuple[float, float]:
        finite = values[np.isfinite(values)]
        lo = min(float(finite.min()), 0.0) if finite.size else 0.0
        hi = max(float(finite.max()), 0.0) if finite.size else 1.0
        # room above the bars for the legend and the ✓
        top = hi + 0.6 * (hi - lo) + 1e-9
        if old is not None and old[0] <= lo and top <= old[1]:
            return old
        ticks = MaxNLocator(5).tick_values(lo - 0.05 * (hi - lo), top)
        return float(ticks[0]), float(ticks[-1])

    def update(self, annual: pd.DataFrame) -> bytes:
        """Draw the years of ``annual`` (:meth:`experiments.app.lockstep.LockstepModel.annual_frame`,
        policy B's rows) and return the PNG."""
        b = annual[annual["policy"] == "B"] if not annual.empty else annual
        b = b[b["year"].isin(self.years)] if len(b) else b
        values = np.full((len(EXCESS_BARS), len(self.years)), np.nan)
        held = np.zeros(len(self.years), dtype=bool)
        has_data = bool(len(b))
        if has_data:
            slots = np.searchsorted(self.years, b["year"].to_numpy(dtype=int))
            for k, (col, _, _, _) in enumerate(EXCESS_BARS):
                values[k, slots] = 100 * b[col].to_numpy(dtype=float)
            held[slots] = b["three_excesses"].astype(bool).to_numpy()
        old = self._layout[1] if self._layout is not None and self._layout[0] else self.Y_START
        layout = (has_data, self._y_limits(values, old) if has_data else (0.0, 1.0))
        with figure_fonts(self.lang):
            if layout != self._layout:
                ready = self._ready.pop(layout, None)
                if ready is None:
                    ready = self._draw_background(layout)
                else:
                    self.ax.set_ylim(*layout[1])
                self._background, self._legend = ready
                self._layout = layout
            self.canvas.restore_region(self._background)
            span = layout[1][1] - layout[1][0]
            for k, bars in enumerate(self.bars):
                for i, bar in enumerate(bars):
                    if np.isfinite(values[k, i]):
                        bar.set_height(values[k, i])
                        self.ax.draw_artist(bar)
            for i, tick in enumerate(self.ticks):
                if held[i]:
                    tick.set_y(max(np.nanmax(np.append(values[:, i], 0.0)), 0.0) + 0.01 * span)
                    self.ax.draw_artist(tick)
            if has_data:  # the legend stays on top
                self.canvas.restore_region(self._legend)
        buf = io.BytesIO()
        image = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image.save(buf, format="png", compress_level=LiveChart.PNG_COMPRESS_LEVEL)
        return buf.getvalue()


#: Panels of the difference figure: column, title (catalogue key), scale.
DIFFERENCES = (("relapse_cum_share", "app.diff.relapse_cum_share", 100),
               ("below_line_fp_share", "app.diff.below_line_fp_share", 100),
               ("n_monitored", "app.diff.n_monitored", 1e-3),
               ("income_formerly_poor_yuan", "app.diff.income_formerly_poor_yuan", 1.0))


class DifferenceChart(LiveChart):
    """B minus A, month by month: the effect of policy on the same households and shocks."""

    LEAD_MONTHS = 3

    def __init__(self, horizon_years: int | None = None, lang: str | None = None,
                 lead_months: int | None = None):
        with figure_fonts(lang):
            super().__init__(2, size=(7.0, 4.2), n_rows=2, horizon_years=horizon_years, lang=lang,
                             lead_months=lead_months)
            self.fig.subplots_adjust(left=0.09, right=0.96, bottom=0.08, top=0.86, wspace=0.25, hspace=0.55)
            self.lines, self.fills = [], [None] * len(DIFFERENCES)
            for k, (ax, (_, key, _)) in enumerate(zip(self.axes, DIFFERENCES, strict=True)):
                ax.axhline(0, color="#999999", lw=0.8)
                (line,) = ax.plot([], [], color=COLOUR["B"], lw=2.0)
                self.lines.append(self.add(k, line))
                ax.set_title(tr(key, lang), fontsize=TITLE_PT)
            self.fig.suptitle(tr("app.diff.title", lang), fontsize=TITLE_PT + 1)

    def update(self, series: dict[str, dict[str, np.ndarray]]) -> bytes:
        """Draw B − A of ``series`` (:meth:`experiments.app.lockstep.LockstepModel.series`)."""
        a, b = series["A"], series["B"]
        for k, (ax, line, (col, _, scale)) in enumerate(zip(self.axes, self.lines, DIFFERENCES, strict=True)):
            y = (b[col] - a[col]) * scale
            line.set_data(a["t"], y)
            if self.fills[k] is not None:
                self.fills[k].remove()
                self.data[k].remove(self.fills[k])
                self.fills[k] = None
            if y.size:
                self.fills[k] = self.add(k, ax.fill_between(a["t"], 0, y, color=COLOUR["B"], alpha=0.25))
        return self.show(a["t"])


#: Income components of the household figure: watch-table column, label (catalogue key), colour.
COMPONENTS = (("wage_yuan", "app.hh.wage", "#0072B2"), ("operating_yuan", "app.hh.operating", "#009E73"),
              ("public_transfer_yuan", "app.hh.public", "#E69F00"),
              ("private_transfer_yuan", "app.hh.private", "#CC79A7"), ("property_yuan", "app.hh.property", "#56B4E9"))


def household_png(history: dict[str, pd.DataFrame], line_pc_year: float, members: int,
                  lang: str | None = None) -> bytes:
    """:func:`household_figure` as PNG bytes, drawn with the fonts of ``lang``."""
    with figure_fonts(lang):
        fig = household_figure(history, line_pc_year, members, lang)
        buf = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buf)
    return buf.getvalue()


def household_figure(history: dict[str, pd.DataFrame], line_pc_year: float, members: int,
                     lang: str | None = None) -> Figure:
    """One household month by month under B (bars by income component, rigid spending below
    zero) with A's net income as a dashed line; shading marks illness (red) and monitoring (blue)."""
    fig, (ax,) = _figure(size=(7.0, 3.6))
    fig.subplots_adjust(left=0.1, right=0.98, top=0.9)
    b, a = history["B"], history["A"]
    ax.set_title(tr("app.hh.title", lang), fontsize=TITLE_PT)
    if b.empty:
        _empty(ax, tr("app.hh.from_next_month", lang))
        return fig
    x = np.arange(len(b))
    bottom = np.zeros(len(b))
    for col, key, colour in COMPONENTS:
        v = b[col].to_numpy(dtype=float)
        ax.bar(x, v, 0.8, bottom=bottom, color=colour, label=tr(key, lang))
        bottom += v
    ax.bar(x, -b["rigid_spending_yuan"].to_numpy(dtype=float), 0.8, color="#444444", label=tr("app.hh.rigid", lang))
    for i, row in b.iterrows():
        if row["ill_months"] > 0 or row["labour_lost"] > 0:
            ax.axvspan(i - 0.5, i + 0.5, color="#D55E00", alpha=0.15, lw=0)
        if row["mon_state"] == 1:
            ax.plot(i, 0, marker="s", color="#000000", ms=4)
    net_a = (a[[c for c, _, _ in COMPONENTS]].sum(axis=1) - a["rigid_spending_yuan"]).to_numpy(dtype=float)
    ax.plot(np.arange(len(a)), net_a, "--", color=COLOUR["A"], lw=1.6, label=tr("app.hh.net_a", lang))
    ax.axhline(line_pc_year * members / 12, color="black", lw=1.0, ls=":", label=tr("app.hh.line", lang))
    labels = [f"{int(y)}-{int(m):02d}" if m in (1, 7) else "" for y, m in zip(b["year"], b["month"], strict=True)]
    ax.set_xticks(x, labels, fontsize=TICK_PT - 1, rotation=0)
    fig.subplots_adjust(bottom=0.3)
    ax.legend(fontsize=LEGEND_PT - 1, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    return fig
