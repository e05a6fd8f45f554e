"""The policy brief of a comparison: one self-contained ``report.html``.

Written for a county official rather than a modeller: plain words, units on every number, no
code. Figures are embedded as base64 PNG, so the file can be mailed or opened offline. Sections:
the question; the main findings; the policy paths compared (their stories); the headline table
with intervals and differences from the reference; the figures; cost per relapse averted; how
much the paired design narrowed the intervals; definitions (with the thresholds used); the
settings that differ between the paths; and how the numbers were made (size, replications,
seeds, software version).
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from experiments.compare.comparison import (
    BINARY_OUTCOME,
    HEADLINE,
    OUTCOME_LABELS,
    PRECISION_OUTCOME,
    RELAPSE_EVENTS,
    Comparison,
    format_value,
    headline_cells,
    lookup,
    outcome_columns,
    pairing_summary,
    precision_sentence,
    three_excesses_table,
)

#: Plain names of the settings a scenario may change (dotted paths are not shown to readers).
PLAIN_NAMES: dict[str, str] = {
    "policy.monitoring.enabled": "Dynamic monitoring mechanism in operation",
    "policy.monitoring.coverage": "Share of at-risk households the screening can reach",
    "policy.monitoring.threshold_yuan": "Monitoring threshold (income per person per year)",
    "policy.monitoring.responsive_assistance": "Households found by the monitoring receive help",
    "policy.assistance.industrial.intensity": "Industrial assistance (relative to 2020)",
    "policy.assistance.employment.intensity": "Employment assistance and public-welfare posts (relative to 2020)",
    "policy.assistance.social.intensity": "Social-security assistance (relative to 2020)",
    "policy.transition_subsidy.intensity": "Transition subsidies of registered households (relative to 2020)",
    "policy.medical.inclusive_rate": "Medical reimbursement rate for everybody",
    "policy.medical.preferential_rate": "Medical reimbursement rate for registered households",
    "policy.enterprise_support.intensity": "Policy support for rural enterprises (relative to 2020)",
    "policy.campaign.intensity": "Enterprise-village pairing campaign (relative to 2020)",
    "policy.key_county_extra": "Extra allocation weight of key counties (0 = the usual tilt)",
    "policy.dibao_line_2020_yuan": "Dibao line (yuan per person per year at 2020 prices)",
    "policy.central_fund": "Central connection fund (relative to 2020)",
    "policy.dibao_for_all_eligible": "Dibao open to every household below the dibao line",
    "shocks.disaster.stress": "Extra chance per month that each county is hit by a disaster",
    "macro.price_level": "Price of the main characteristic industry (1 = normal)",
    "macro.migrant_demand": "Demand for migrant workers (1 = normal)",
    "macro.illness_multiplier": "Frequency of costly illness (1 = normal)",
    "population.n_households": "Simulated households",
    "population.n_counties": "Simulated counties",
    "sim.n_years": "Simulated years",
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 1020px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; }
.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.55em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
.iv { color: #666; font-size: 0.85em; display: block; }
.diff { color: #1a4d8f; font-size: 0.88em; display: block; }
.ref { color: #888; font-size: 0.85em; display: block; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #444; font-size: 0.9em; }
.note { background: #f7f7f0; border-left: 4px solid #c9b458; padding: 0.5em 0.9em; }
.small { font-size: 0.85em; color: #555; }
"""


def write_report(comparison: Comparison, figures: Mapping[str, Path], path: Path) -> Path:
    """Write ``report.html`` for ``comparison`` with the PNG ``figures`` embedded."""
    path = Path(path)
    path.write_text(build_report(comparison, figures), encoding="utf-8")
    return path


def build_report(comparison: Comparison, figures: Mapping[str, Path]) -> str:
    """The HTML text of the brief."""
    s = comparison.settings
    ref = s.reference
    ref_params = comparison.scenarios[ref].params
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<title>Relapse into poverty under different policy paths</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>Relapse into poverty under different policy paths</h1>",
        f'<p class="sub">A simulated comparison of {len(s.scenarios)} policy paths for a rural province, '
        f"{ref_params.sim.start_year}–{ref_params.sim.start_year + ref_params.sim.n_years - 1}. "
        f"Produced {_e(datetime.now().strftime('%d %B %Y'))} by ruralsim.</p>",
        _question(comparison),
        _findings(comparison),
        _stories(comparison),
        _headline(comparison),
        _figures(comparison, figures),
        _cost_section(comparison),
        _three_excesses(comparison),
        _pairing(comparison),
        _definitions(comparison),
        _differences(comparison),
        _all_outcomes(comparison),
        _settings(comparison),
        "</body></html>",
    ]
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def _question(c: Comparison) -> str:
    s = c.settings
    return f"""<h2>The question</h2>
<p>Absolute poverty was declared eliminated at the end of 2020. During the transition period that followed,
the main assistance policies were kept, and the task set was to prevent <em>large-scale relapse</em> into
poverty. This brief compares policy paths for what comes next: under each path, how many households that
were once registered as poor fall back below the poverty line, how likely it is that relapse reaches a
large scale in some county, whether incomes in the formerly poor counties keep growing faster than the
economy (the “three excesses”), and what the path costs the public purse.</p>
<p>Each path was simulated {c.n_reps} times. Every simulation is one possible history of illnesses,
disasters, price falls and job losses; <strong>every path met exactly the same {c.n_reps} histories</strong>,
so the differences between paths come from the policies, not from luck. Numbers are averages over the
simulations; the range in brackets is a 95% interval for that average. Differences are given against the
reference path, <strong>{_e(s.reference)}</strong>; when the interval of a difference does not include zero,
the simulations show a clear difference.</p>"""


def _findings(c: Comparison) -> str:
    s = c.settings
    table = c.table
    items = []
    for name in s.scenarios:
        if name == s.reference:
            continue
        diff = lookup(table, name, PRECISION_OUTCOME, "diff_mean")
        lo = lookup(table, name, PRECISION_OUTCOME, "diff_ci_low")
        hi = lookup(table, name, PRECISION_OUTCOME, "diff_ci_high")
        if lo > 0:
            relapse = (f"<strong>{diff * 100:.2f} percentage points more</strong> formerly poor households "
                       "relapse at least once")
        elif hi < 0:
            relapse = (f"<strong>{-diff * 100:.2f} percentage points fewer</strong> formerly poor households "
                       "relapse at least once")
        else:
            relapse = "no clear difference in the share of formerly poor households that relapse"
        p = lookup(table, name, BINARY_OUTCOME, "probability")
        p_ref = lookup(table, s.reference, BINARY_OUTCOME, "probability")
        cost = lookup(table, name, "fiscal_cost_total_yuan", "diff_mean")
        clo = lookup(table, name, "fiscal_cost_total_yuan", "diff_ci_low")
        chi = lookup(table, name, "fiscal_cost_total_yuan", "diff_ci_high")
        if clo > 0:
            money = f"costs {_e(format_value('fiscal_cost_total_yuan', cost))} more"
        elif chi < 0:
            money = f"saves {_e(format_value('fiscal_cost_total_yuan', -cost))}"
        else:
            money = "costs about the same"
        items.append(f"<li><strong>{_e(name)}</strong>: {relapse} than under {_e(s.reference)}; large-scale relapse "
                     f"occurs in {_pct(p)} of simulations (against {_pct(p_ref)}); the path {money} "
                     "over the period.</li>")
    return "<h2>Main findings</h2><ul>" + "\n".join(items) + "</ul>"


def _stories(c: Comparison) -> str:
    rows = []
    for name in c.settings.scenarios:
        story = c.scenarios[name].description
        paragraphs = "".join(f"<p>{_e(p)}</p>" for p in story.split("\n\n") if p.strip())
        role = " (reference)" if name == c.settings.reference else ""
        rows.append(f"<tr><th>{_e(name)}{role}</th><td>{paragraphs}</td></tr>")
    return "<h2>The policy paths compared</h2><table>" + "\n".join(rows) + "</table>"


def _headline(c: Comparison) -> str:
    s = c.settings
    head = "".join(f"<th>{_e(_headline_label(o, c))}</th>" for o in HEADLINE)
    rows = []
    for name in s.scenarios:
        cells = []
        for outcome in HEADLINE:
            value, interval, diff, diff_iv = headline_cells(c.table, name, outcome)
            extra = (f'<span class="diff">vs {_e(s.reference)}: {_e(diff)} <span class="iv">{_e(diff_iv)}</span>'
                     "</span>" if diff else '<span class="ref">reference</span>')
            cells.append(f'<td class="num">{_e(value)}<span class="iv">{_e(interval)}</span>{extra}</td>')
        rows.append(f"<tr><th>{_e(name)}</th>{''.join(cells)}</tr>")
    note = ("<p class=\"small\">Brackets: 95% interval. For the chance of large-scale relapse, the share of "
            "simulations in which it happened with its Wilson interval; its difference is in percentage points "
            "with Newcombe's interval for paired proportions. “pp” = percentage points. Spending is the total of "
            "all public spending recorded in the simulated province's accounts over the period, in nominal "
            "yuan.</p>")
    return (f"<h2>Headline results</h2><table><tr><th>Policy path</th>{head}</tr>" + "\n".join(rows)
            + "</table>" + note)


def _headline_label(outcome: str, c: Comparison) -> str:
    years = c.scenarios[c.settings.reference].params.sim.n_years
    labels = {
        "relapse_rate_peak": "Highest yearly relapse rate (share of formerly poor households)",
        "relapse_cum_share": "Formerly poor households that relapsed at least once",
        "large_scale_relapse": "Chance of large-scale relapse",
        "poverty_rate_final": "Poverty rate in the last year (share of rural residents)",
        "fiscal_cost_total_yuan": "Public spending over the period",
        "three_excesses_years": f"Years (of {years}) in which the three excesses hold",
    }
    return labels.get(outcome, OUTCOME_LABELS[outcome][0])


_CAPTIONS = {
    "fan_charts": ("How relapse and poverty develop", "Each line is the middle simulation (median) of a path; "
                   "the shaded band holds 80% of the simulations (from the 10% to the 90% mark). Relapse rate: "
                   "formerly poor households that are poor in December but were not poor a year before, as a share "
                   "of all formerly poor households. Poverty rate: residents of poor households as a share of all "
                   "rural residents."),
    "county_heatmap": ("Where relapse happens", "Relapse rate of each county in each year, averaged over the "
                       "simulations. Blue shades lie below the large-scale threshold, red shades at or above it; a "
                       "dot marks a county-year whose average reaches the threshold."),
    "large_scale_probability": ("How likely is large-scale relapse?", "Share of simulations in which at least "
                                "one county in at least one year reached the large-scale threshold, with its 95% "
                                "Wilson interval."),
    "three_excesses": ("Do the three excesses hold?", "In how many simulations (of all) the income growth of "
                       "formerly poor counties exceeded GDP growth, urban income growth and rural income growth, "
                       "year by year."),
    "cost_vs_averted": ("Cost against relapses averted", "Each point compares a path with the reference on the "
                        "same histories: to the right, fewer household relapses; upwards, more public spending. "
                        "Bars are 95% intervals of the differences."),
}


def _figures(c: Comparison, figures: Mapping[str, Path]) -> str:
    out = ["<h2>Figures</h2>"]
    for name, path in figures.items():
        title, caption = _CAPTIONS.get(name, (name, ""))
        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        out.append(f'<figure><h3>{_e(title)}</h3><img alt="{_e(title)}" src="data:image/png;base64,{data}">'
                   f"<figcaption>{_e(caption)}</figcaption></figure>")
    return "\n".join(out)


def _cost_section(c: Comparison) -> str:
    s = c.settings
    rows = []
    for name in s.scenarios:
        if name == s.reference:
            continue
        events = lookup(c.table, name, RELAPSE_EVENTS, "diff_mean")
        cost = lookup(c.table, name, "fiscal_cost_total_yuan", "diff_mean")
        ratio = lookup(c.table, name, "fiscal_cost_total_yuan", "cost_per_relapse_averted")
        if math.isfinite(ratio) and cost > 0:
            meaning = f"{ratio:,.0f} yuan of extra spending per household relapse averted"
        elif math.isfinite(ratio):
            meaning = f"{ratio:,.0f} yuan saved per extra household relapse"
        elif cost > 0:
            meaning = "costs more and does not avert relapses"
        else:
            meaning = "saves money and averts relapses"
        rows.append(f"<tr><th>{_e(name)}</th><td class=\"num\">{_e(format_value(RELAPSE_EVENTS, -events))}</td>"
                    f"<td class=\"num\">{_e(format_value('fiscal_cost_total_yuan', cost, diff=True))}</td>"
                    f"<td>{_e(meaning)}</td></tr>")
    return (f"<h2>What each path costs per relapse averted</h2><p>Household relapses averted (relapses under "
            f"{_e(s.reference)} minus relapses under the path, summed over all years, province scale) and the "
            "difference in public spending. The ratio uses the averages; see the figure above for the "
            "uncertainty of both.</p><table><tr><th>Policy path</th><th>Relapses averted (households)</th>"
            "<th>Extra spending</th><th>What it means</th></tr>" + "\n".join(rows) + "</table>")


def _three_excesses(c: Comparison) -> str:
    te = three_excesses_table(c.annual, c.seeds)
    years = sorted(te["year"].unique())
    head = "".join(f"<th>{y}</th>" for y in years)
    rows = []
    for name in c.settings.scenarios:
        d = te[te["scenario"] == name].set_index("year")
        cells = "".join(f'<td class="num">{int(d.at[y, "years_held"])} of {int(d.at[y, "n"])}</td>'
                        if y in d.index else "<td></td>" for y in years)
        rows.append(f"<tr><th>{_e(name)}</th>{cells}</tr>")
    return ("<h2>The three excesses, year by year</h2><p>Number of simulations in which per-capita income in the "
            "formerly poor counties grew faster than GDP, than urban incomes and than rural incomes overall.</p>"
            f"<table><tr><th>Policy path</th>{head}</tr>" + "\n".join(rows) + "</table>")


def _pairing(c: Comparison) -> str:
    s = c.settings
    outcomes = [o for o in HEADLINE if o != BINARY_OUTCOME]
    head = "".join(f"<th>{_e(OUTCOME_LABELS[o][0])}</th>" for o in outcomes)
    rows = []
    for name in s.scenarios:
        if name == s.reference:
            continue
        cells = []
        for o in outcomes:
            r = lookup(c.table, name, o, "pairing_ratio")
            cells.append(f'<td class="num">{_ratio(r)}</td>')
        rows.append(f"<tr><th>{_e(name)}</th>{''.join(cells)}</tr>")
    sentence = pairing_summary(c)
    precision = precision_sentence(c)
    extra = f'<p class="note">{_e(precision)}</p>' if precision else ""
    return (f"<h2>Why the comparison is fair, and how precise it is</h2><p>Because every path met the same "
            f"histories, chance affects all paths alike and cancels out of the differences. {_e(sentence)} The "
            "table gives, for each difference from the reference, how many times wider its interval would have "
            "been had the paths been simulated on separate histories.</p>"
            f"<table><tr><th>Policy path</th>{head}</tr>" + "\n".join(rows) + "</table>" + extra)


def _definitions(c: Comparison) -> str:
    s = c.settings
    p = c.scenarios[s.reference].params
    ref_annual = c.annual[(c.annual["scenario"] == s.reference) & c.annual["seed"].isin(c.seeds)]
    by_year = ref_annual.groupby("year")[["poverty_line_yuan", "monitoring_threshold_yuan"]].mean()
    first, last = by_year.index.min(), by_year.index.max()
    thresholds = sorted({float(sc.params.metrics.large_scale.county_threshold) for sc in c.scenarios.values()})
    large = " or ".join(f"{t:.0%}" for t in thresholds)
    mon = p.policy.monitoring.threshold_yuan.to_data()
    mon_text = (", ".join(f"{v:,.0f} yuan from {_when(k)}" for k, v in mon.items()) if isinstance(mon, dict)
                else f"{mon:,.0f} yuan")
    counties = c.counties[(c.counties["scenario"] == s.reference)].drop_duplicates("county")
    kinds = counties["county_type"].value_counts()
    pop = p.population
    per_county = pop.n_households / pop.n_counties
    items = [
        ("Poverty line", f"{p.poverty_line_2020_yuan:,.0f} yuan net income per person per year in 2020 (the "
         "official line of 2,300 yuan at 2010 prices), raised with prices each year: "
         f"{by_year.at[first, 'poverty_line_yuan']:,.0f} yuan in {first} and "
         f"{by_year.at[last, 'poverty_line_yuan']:,.0f} yuan in {last}. A household is poor when its income per "
         "person, after rigid medical and schooling costs, is below the line in December"
         + (", or when it cannot pay for basic medical care or schooling, or lives in an unsafe house (the "
            "“three guarantees”)" if p.metrics.three_guarantees_check else "") + "."),
        ("Formerly poor household", "A household registered as poor before 2021 (a fixed list)."),
        ("Relapse", "A formerly poor household that is poor in December of a year and was not poor a year "
         "earlier. The relapse rate of a year is the number of relapses divided by all formerly poor households."),
        ("Large-scale relapse", f"A county whose relapse rate in a year reaches {large} of its formerly poor "
         "households. There is no official figure; this threshold is a modelling choice and can be changed. A "
         "simulation has large-scale relapse when any county does in any year. Simulated counties have about "
         f"{per_county:,.0f} households each; small simulated counties show more chance variation in their rates "
         "than real ones, so the chance of large-scale relapse is best compared between paths."),
        ("Monitoring threshold", f"Households with income per person below it are screened for risk: {mon_text}; "
         f"after 2022 raised with prices ({by_year.at[last, 'monitoring_threshold_yuan']:,.0f} yuan in {last})."),
        ("Three excesses", "In a year, per-capita income in formerly poor counties grows faster than GDP "
         "(nominal), than urban per-capita income and than rural per-capita income of all counties."),
        ("Public spending", "Everything the simulated governments pay: pensions, dibao, transition subsidies, "
         "public-welfare posts, industrial and employment assistance, medical insurance and assistance, education "
         "support, housing renovation, enterprise support and rural construction; in nominal yuan for the whole "
         f"province ({pop.n_counties} counties of about {pop.real_households_per_county:,.0f} households each)."),
        ("Household relapses over the period", "The relapses of all years added up (a household that relapses "
         "twice counts twice), scaled to the real province."),
        ("Relative poverty", f"Income below {p.metrics.relative_poverty_share:.0%} of the rural median."),
        ("Counties", ", ".join(f"{int(kinds.get(k, 0))} {label}" for k, label in (
            ("key", "key counties for national rural revitalisation"),
            ("formerly_poor", "other formerly poor counties"),
            ("never_poor", "counties never designated poor"))) + "."),
        ("95% interval", "For an average: the range that would contain the model's true average in 95 of 100 "
         "repetitions of this study (Student t). For a chance: Wilson's interval."),
    ]
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in items)
    return f"<h2>Definitions used</h2><table>{rows}</table>"


def _differences(c: Comparison) -> str:
    from model.params import parameter_table

    names = list(c.settings.scenarios)
    meta = {row["path"]: row for row in parameter_table()}
    rows = []
    # policy levers first, then stress and other settings, each in the parameter tree's order
    for path, row in sorted(meta.items(), key=lambda item: not item[0].startswith("policy.")):
        values = [_data(c.scenarios[n].params.get(path)) for n in names]
        if len({json.dumps(v, sort_keys=True) for v in values}) <= 1:
            continue
        label = PLAIN_NAMES.get(path, row["doc"].rstrip("."))
        cells = "".join(f"<td>{_e(_plain_value(v, row['unit']))}</td>" for v in values)
        rows.append(f'<tr><th title="{_e(path)}">{_e(label)}</th>{cells}</tr>')
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    body = "\n".join(rows) if rows else f'<tr><td colspan="{len(names) + 1}">No setting differs.</td></tr>'
    common = c.scenarios[c.settings.reference].params
    return ("<h2>What differs between the paths</h2><p>Every setting in which at least one path differs from "
            "another; all other settings are the same for all paths. Dates give the month from which a value "
            f"applies. All paths: {common.population.n_households:,} simulated households in "
            f"{common.population.n_counties} counties, {common.sim.n_years} years from {common.sim.start_year}.</p>"
            f"<table><tr><th>Setting</th>{head}</tr>{body}</table>")


def _all_outcomes(c: Comparison) -> str:
    names = list(c.settings.scenarios)
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = []
    for outcome in outcome_columns(c.runs):
        cells = []
        for n in names:
            value, interval, diff, diff_iv = headline_cells(c.table, n, outcome)
            extra = f'<span class="diff">{_e(diff)} <span class="iv">{_e(diff_iv)}</span></span>' if diff else ""
            cells.append(f'<td class="num">{_e(value)}<span class="iv">{_e(interval)}</span>{extra}</td>')
        rows.append(f"<tr><th>{_e(OUTCOME_LABELS.get(outcome, (outcome,))[0])}</th>{''.join(cells)}</tr>")
    return ("<h2>All outcomes</h2><p>Average over the simulations with its 95% interval; in blue the difference "
            f"from {_e(c.settings.reference)} with its interval.</p>"
            f"<table><tr><th>Outcome</th>{head}</tr>" + "\n".join(rows) + "</table>")


def _settings(c: Comparison) -> str:
    from model.results import environment

    env = environment()
    git = env.get("git") or {}
    commit = git.get("commit") or "unknown (not a git checkout)"
    dirty = " with uncommitted changes" if git.get("dirty") else ""
    version = env.get("packages", {}).get("ruralsim", "unknown")
    seeds = c.seeds
    seed_text = f"{seeds[0]} to {seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else \
        ", ".join(map(str, seeds))
    failed = len(c.failures)
    failure_text = (f" {failed} simulation(s) failed; their histories were left out of every path so that the "
                    "comparison stays paired." if failed else " No simulation failed.")
    return f"""<h2>How these numbers were made</h2>
<p class="small">Agent-based simulation of households, enterprises and governments, month by month. {c.n_reps}
paired replications per path (random seeds {_e(seed_text)}); the same seed gives the same history in every
path.{_e(failure_text)} Computed in {c.wall_time_s:.0f} seconds on {_e(c.workers_text)}. Software: ruralsim
{_e(version)}, commit {_e(commit)}{_e(dirty)}; Python {_e(env.get('python', ''))}. The tables behind this brief
are in the same folder: comparison.csv (every statistic), runs.csv (every simulation) and manifest.json (all
settings).</p>"""


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _pct(p: float) -> str:
    return f"{p * 100:.0f}%" if math.isfinite(p) else "n/a"


def _ratio(r: float) -> str:
    return f"{r:.1f}×" if math.isfinite(r) else "n/a"


def _data(value: Any) -> Any:
    return value.to_data() if hasattr(value, "to_data") else value


def _when(key: str) -> str:
    """'2023' → '2023'; '2023-06' → 'June 2023'."""
    key = str(key)
    if "-" in key:
        year, month = key.split("-", 1)
        return f"{_MONTHS[int(month) - 1]} {year}"
    return key


def _plain_number(value: float, unit: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    u = unit.lower()
    if u.startswith("flag"):
        return "yes" if value >= 0.5 else "no"
    if u.startswith("share") or u.startswith("probability"):
        return f"{value * 100:.0f}%" if abs(value * 100 - round(value * 100)) < 1e-9 else f"{value * 100:.1f}%"
    if "yuan" in u:
        return f"{value:,.0f} yuan"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,g}"


def _plain_value(value: Any, unit: str) -> str:
    """A setting's value in words: schedules as 'A from 2021; B from June 2023'."""
    if isinstance(value, Mapping):
        return "; ".join(f"{_plain_number(v, unit)} from {_when(k)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain_number(v, unit) for v in value)
    if isinstance(value, int | float):
        return _plain_number(value, unit)
    return str(value)

