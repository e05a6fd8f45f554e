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

import json
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from experiments.compare.comparison import (
    BINARY_OUTCOME,
    HEADLINE,
    PRECISION_OUTCOME,
    RELAPSE_EVENTS,
    Comparison,
    lookup,
    outcome_columns,
    three_excesses_table,
)
from experiments.compare.formats import (
    OUTCOME_LABELS,
    format_value,
    headline_cells,
    pairing_summary,
    precision_sentence,
)
from experiments.report import render

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


def write_report(comparison: Comparison, figures: Mapping[str, Path], path: Path) -> Path:
    """Write ``report.html`` for ``comparison`` with the PNG ``figures`` embedded."""
    path = Path(path)
    path.write_text(build_report(comparison, figures), encoding="utf-8")
    return path


def build_report(comparison: Comparison, figures: Mapping[str, Path]) -> str:
    """The HTML text of the brief (template ``comparison.html.j2``)."""
    c = comparison
    s = c.settings
    start = c.scenarios[s.reference].params.sim
    return render(
        "comparison.html.j2", c=c, reference=s.reference, scenarios=list(s.scenarios),
        first_year=start.start_year, last_year=start.start_year + start.n_years - 1,
        produced=datetime.now().strftime("%d %B %Y"),
        findings=_findings(c), p_reference=lookup(c.table, s.reference, BINARY_OUTCOME, "probability"),
        stories=[(name + (" (reference)" if name == s.reference else ""),
                  [p for p in c.scenarios[name].description.split("\n\n") if p.strip()]) for name in s.scenarios],
        headline_labels=[_headline_label(o, c) for o in HEADLINE],
        headline_rows=[(name, [headline_cells(c.table, name, o) for o in HEADLINE]) for name in s.scenarios],
        figures=[(path, *_CAPTIONS.get(name, (name, ""))) for name, path in figures.items()],
        costs=_costs(c), excesses=_three_excesses(c), pairing=_pairing(c),
        pairing_sentence=pairing_summary(c), precision=precision_sentence(c),
        definitions=_definitions(c), differences=_differences(c),
        outcomes=[(OUTCOME_LABELS.get(o, (o,))[0], [headline_cells(c.table, n, o) for n in s.scenarios])
                  for o in outcome_columns(c.runs)],
        made=_made(c),
    )


# --------------------------------------------------------------------------------------------
# Sections: the data each one shows
# --------------------------------------------------------------------------------------------


def _findings(c: Comparison) -> list[dict[str, Any]]:
    s = c.settings
    table = c.table
    items = []
    for name in s.scenarios:
        if name == s.reference:
            continue
        diff = lookup(table, name, PRECISION_OUTCOME, "diff_mean")
        lo = lookup(table, name, PRECISION_OUTCOME, "diff_ci_low")
        hi = lookup(table, name, PRECISION_OUTCOME, "diff_ci_high")
        change = "more" if lo > 0 else "fewer" if hi < 0 else ""
        cost = lookup(table, name, "fiscal_cost_total_yuan", "diff_mean")
        clo = lookup(table, name, "fiscal_cost_total_yuan", "diff_ci_low")
        chi = lookup(table, name, "fiscal_cost_total_yuan", "diff_ci_high")
        if clo > 0:
            money = f"costs {format_value('fiscal_cost_total_yuan', cost)} more"
        elif chi < 0:
            money = f"saves {format_value('fiscal_cost_total_yuan', -cost)}"
        else:
            money = "costs about the same"
        items.append({"name": name, "change": change, "points": f"{abs(diff) * 100:.2f}",
                      "p": lookup(table, name, BINARY_OUTCOME, "probability"), "money": money})
    return items


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


def _costs(c: Comparison) -> list[list[str]]:
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
        rows.append([name, format_value(RELAPSE_EVENTS, -events),
                     format_value("fiscal_cost_total_yuan", cost, diff=True), meaning])
    return rows


def _three_excesses(c: Comparison) -> dict[str, Any]:
    te = three_excesses_table(c.annual, c.seeds)
    years = sorted(te["year"].unique())
    rows = []
    for name in c.settings.scenarios:
        d = te[te["scenario"] == name].set_index("year")
        rows.append([name, *(f'{int(d.at[y, "years_held"])} of {int(d.at[y, "n"])}' if y in d.index else ""
                             for y in years)])
    return {"header": ["Policy path", *years], "rows": rows}


def _pairing(c: Comparison) -> dict[str, Any]:
    s = c.settings
    outcomes = [o for o in HEADLINE if o != BINARY_OUTCOME]
    rows = [[name, *(_ratio(lookup(c.table, name, o, "pairing_ratio")) for o in outcomes)]
            for name in s.scenarios if name != s.reference]
    return {"header": ["Policy path", *(OUTCOME_LABELS[o][0] for o in outcomes)], "rows": rows}


def _definitions(c: Comparison) -> list[tuple[str, str]]:
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
         "repetitions of this study (Student t; for shares and rates taken on the logit scale, for counts and "
         "money on the log scale, so that it stays within the values they can take). For a chance: Wilson's "
         "interval. For a difference: Student t on the paired differences (Newcombe's interval for a chance)."),
    ]
    return items


def _differences(c: Comparison) -> dict[str, Any]:
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
        rows.append((path, label, [_plain_value(v, row["unit"]) for v in values]))
    return {"names": names, "rows": rows, "params": c.scenarios[c.settings.reference].params}


def _made(c: Comparison) -> dict[str, Any]:
    from model.results import environment

    env = environment()
    git = env.get("git") or {}
    seeds = c.seeds
    seed_text = f"{seeds[0]} to {seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else \
        ", ".join(map(str, seeds))
    failed = len(c.failures)
    return {"seeds": seed_text,
            "failures": (f" {failed} simulation(s) failed; their histories were left out of every path so that the "
                         "comparison stays paired." if failed else " No simulation failed."),
            "commit": git.get("commit") or "unknown (not a git checkout)",
            "dirty": " with uncommitted changes" if git.get("dirty") else "",
            "version": env.get("packages", {}).get("ruralsim", "unknown"), "python": env.get("python", "")}


# --------------------------------------------------------------------------------------------
# Values in words
# --------------------------------------------------------------------------------------------


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

