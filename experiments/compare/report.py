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
    warnings_for,
)
from experiments.compare.excesses import COMPARISONS
from experiments.compare.formats import (
    format_value,
    headline_cells,
    outcome_label,
    pairing_summary,
    precision_sentence,
)
from experiments.i18n import month_name, parameter_label, resolve, scenario_label, scenario_story, tr
from experiments.report import render


def write_report(comparison: Comparison, figures: Mapping[str, Path], path: Path, lang: str | None = None) -> Path:
    """Write ``report.html`` for ``comparison`` with the PNG ``figures`` embedded, in ``lang`` (None:
    the language in force)."""
    path = Path(path)
    path.write_text(build_report(comparison, figures, lang), encoding="utf-8")
    return path


def build_report(comparison: Comparison, figures: Mapping[str, Path], lang: str | None = None) -> str:
    """The HTML text of the brief (template ``comparison.html.j2``, in Chinese ``comparison.zh.html.j2``)."""
    c = comparison
    s = c.settings
    lang = resolve(lang)
    start = c.scenarios[s.reference].params.sim
    now = datetime.now()
    produced = f"{now.year}年{now.month}月{now.day}日" if lang == "zh" else now.strftime("%d %B %Y")
    return render(
        "comparison.html.j2", lang=lang, c=c, reference=scenario_label(s.reference, lang),
        scenarios=[scenario_label(n, lang) for n in s.scenarios],
        first_year=start.first_outcome_year, last_year=start.end_year,
        produced=produced, glossary_link=True, warnings=warnings_for(c.n_reps, outcome_columns(c.runs), lang),
        findings=_findings(c, lang), p_reference=lookup(c.table, s.reference, BINARY_OUTCOME, "mean"),
        stories=[(scenario_label(name, lang) + (f" ({tr('compare.reference', lang)})" if name == s.reference else ""),
                  [p for p in scenario_story(name, c.scenarios[name].description, lang).split("\n\n") if p.strip()])
                 for name in s.scenarios],
        headline_labels=[_headline_label(o, c, lang) for o in HEADLINE],
        headline_rows=[(scenario_label(name, lang), [headline_cells(c.table, name, o, lang) for o in HEADLINE])
                       for name in s.scenarios],
        figures=[(path, tr(f"compare.cap.{name}", lang), tr(f"compare.cap.{name}.text", lang))
                 if f"compare.cap.{name}" in _CAPTION_KEYS else (path, name, "") for name, path in figures.items()],
        costs=_costs(c, lang), excesses=_three_excesses(c, lang), pairing=_pairing(c, lang),
        pairing_sentence=pairing_summary(c, lang), precision=precision_sentence(c, lang),
        definitions=_definitions(c, lang), differences=_differences(c, lang),
        outcomes=[(outcome_label(o, lang), [headline_cells(c.table, n, o, lang) for n in s.scenarios])
                  for o in outcome_columns(c.runs)],
        made=_made(c, lang), uncertainty=_uncertainty(c, lang), baseline=_baseline(c, lang),
    )


# --------------------------------------------------------------------------------------------
# Sections: the data each one shows
# --------------------------------------------------------------------------------------------


def _findings(c: Comparison, lang: str) -> list[dict[str, Any]]:
    s = c.settings
    table = c.table
    items = []
    for name in s.scenarios:
        if name == s.reference:
            continue
        diff = lookup(table, name, PRECISION_OUTCOME, "diff_mean")
        lo = lookup(table, name, PRECISION_OUTCOME, "diff_ci_low")
        hi = lookup(table, name, PRECISION_OUTCOME, "diff_ci_high")
        change = tr("compare.more", lang) if lo > 0 else tr("compare.fewer", lang) if hi < 0 else ""
        cost = lookup(table, name, "fiscal_cost_total_yuan", "diff_mean")
        clo = lookup(table, name, "fiscal_cost_total_yuan", "diff_ci_low")
        chi = lookup(table, name, "fiscal_cost_total_yuan", "diff_ci_high")
        if clo > 0:
            money = tr("compare.costs_more", lang, x=format_value("fiscal_cost_total_yuan", cost, lang=lang))
        elif chi < 0:
            money = tr("compare.saves", lang, x=format_value("fiscal_cost_total_yuan", -cost, lang=lang))
        else:
            money = tr("compare.costs_same", lang)
        items.append({"name": scenario_label(name, lang), "change": change, "points": f"{abs(diff) * 100:.2f}",
                      "p": lookup(table, name, BINARY_OUTCOME, "mean"), "money": money})
    return items


def _headline_label(outcome: str, c: Comparison, lang: str) -> str:
    years = c.scenarios[c.settings.reference].params.sim.n_years
    key = f"compare.head.{outcome}"
    return tr(key, lang, years=years) if key in _HEADLINE_KEYS else outcome_label(outcome, lang)


#: Outcomes with a headline label of their own, and figures with a caption, in the catalogue.
_HEADLINE_KEYS = {f"compare.head.{o}" for o in ("relapse_rate_peak", "relapse_cum_share", "large_scale_relapse",
                                                "poverty_rate_final", "fiscal_cost_total_yuan",
                                                "three_excesses_years")}
_CAPTION_KEYS = {f"compare.cap.{f}" for f in ("fan_charts", "county_heatmap", "large_scale_probability",
                                              "exceedance_curve", "three_excesses", "cost_vs_averted")}


def _costs(c: Comparison, lang: str) -> list[list[str]]:
    s = c.settings
    rows = []
    for name in s.scenarios:
        if name == s.reference:
            continue
        events = lookup(c.table, name, RELAPSE_EVENTS, "diff_mean")
        cost = lookup(c.table, name, "fiscal_cost_total_yuan", "diff_mean")
        ratio = lookup(c.table, name, "fiscal_cost_total_yuan", "cost_per_relapse_averted")
        if math.isfinite(ratio) and cost > 0:
            meaning = tr("compare.per_averted", lang, x=ratio)
        elif math.isfinite(ratio):
            meaning = tr("compare.per_extra", lang, x=ratio)
        elif cost > 0:
            meaning = tr("compare.no_avert", lang)
        else:
            meaning = tr("compare.both_good", lang)
        rows.append([scenario_label(name, lang), format_value(RELAPSE_EVENTS, -events, lang=lang),
                     format_value("fiscal_cost_total_yuan", cost, diff=True, lang=lang), meaning])
    return rows


def _three_excesses(c: Comparison, lang: str) -> dict[str, Any]:
    """The probability of the three excesses per path and year (with its interval), the decomposition
    into the three comparisons, and a sentence per path on the years and the deciding comparison."""
    te = three_excesses_table(c.annual, c.seeds)
    years = sorted(te["year"].unique())
    rows, decomposition, summary = [], [], []
    for name in c.settings.scenarios:
        d = te[te["scenario"] == name].set_index("year")
        rows.append([scenario_label(name, lang),
                     *(tr("compare.te.cell", lang, p=d.at[y, "share"], lo=d.at[y, "wilson_low"],
                          hi=d.at[y, "wilson_high"]) if y in d.index else "" for y in years)])
        growths = ("fpc_growth_mean", *(f"{k}_mean" for k in COMPARISONS))
        for y in d.index:
            r = d.loc[y]
            decomposition.append([scenario_label(name, lang), str(y), *(f"{r[col] * 100:.1f}%" for col in growths),
                                  *(f"{r[f'beats_{k}_share']:.0%}" for k in COMPARISONS),
                                  tr(f"compare.te.{r['deciding'] or 'none'}", lang)])
        likely = [int(y) for y in d.index if d.at[y, "share"] > 0.5]
        deciding = d["deciding"][d["deciding"] != ""]
        if len(deciding):
            top = deciding.value_counts().index[0]
            fails = tr("compare.te.fails_most", lang, what=tr(f"compare.te.{top}", lang),
                       k=int((deciding == top).sum()), n=len(d))
        else:
            fails = tr("compare.te.never_fails", lang)
        summary.append(tr("compare.te.summary", lang, name=scenario_label(name, lang), k=len(likely), n=len(d),
                          years=", ".join(map(str, likely)) or "–", fails=fails))
    header = [tr("compare.policy_path", lang), *years]
    decomposition_header = tr("compare.te.header", lang).split("|")
    return {"header": header, "rows": rows, "summary": summary,
            "decomposition_header": decomposition_header, "decomposition": decomposition}


def _baseline(c: Comparison, lang: str) -> str:
    """Which start every path runs on: the one baseline (its history before the first policy year), or
    each path's own start."""
    from scenarios import BASELINE

    starts = {}
    for name in c.settings.scenarios:
        sc = c.scenarios[name]
        sim = sc.params.sim
        if sc.policy_year is not None:
            starts[name] = tr("compare.start.baseline", lang, baseline=BASELINE,
                              history=" → ".join(sc.chain[:sc.chain.index(BASELINE) + 1]), prev=sim.start_year - 1,
                              start=sim.start_year, end=sc.policy_year - 1, first=sim.first_outcome_year)
        else:
            starts[name] = tr("compare.start.own", lang, start=sim.start_year, first=sim.first_outcome_year)
    if len(set(starts.values())) == 1:
        return tr("compare.start.all", lang, start=next(iter(starts.values())))
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{scenario_label(n, lang)}: {text}" for n, text in starts.items())


def _pairing(c: Comparison, lang: str) -> dict[str, Any]:
    s = c.settings
    outcomes = [o for o in HEADLINE if o != BINARY_OUTCOME]
    rows = [[scenario_label(name, lang), *(_ratio(lookup(c.table, name, o, "pairing_ratio"), lang) for o in outcomes)]
            for name in s.scenarios if name != s.reference]
    return {"header": [tr("compare.policy_path", lang), *(outcome_label(o, lang) for o in outcomes)], "rows": rows}


def _uncertainty(c: Comparison, lang: str) -> dict[str, Any] | None:
    """With --parameter-uncertainty: per path (and its difference from the reference) and headline
    outcome, the standard deviation due to chance and due to the parameters, and the parameters' share of the
    variance (:mod:`experiments.compare.uncertainty`)."""
    u = c.uncertainty
    if u is None or u.empty:
        return None
    s = c.settings
    outcomes = [o for o in HEADLINE if o in set(u["outcome"])]
    rows = []
    for name in s.scenarios:
        for quantity in ("level", "difference"):
            part = u[(u["scenario"] == name) & (u["quantity"] == quantity)].set_index("outcome")
            if part.empty:
                continue
            versus = tr("compare.pu.versus", lang, name=scenario_label(name, lang),
                        reference=scenario_label(s.reference, lang))
            head = scenario_label(name, lang) if quantity == "level" else versus
            cells = []
            for o in outcomes:
                r = part.loc[o]
                share = "–" if not math.isfinite(r["parameter_share"]) else f"{r['parameter_share']:.0%}"
                cells.append(tr("compare.pu.cell", lang,
                                chance=format_value(o, r["sd_chance"], lang=lang),
                                parameters=format_value(o, r["sd_parameters"], lang=lang), share=share))
            rows.append([head, *cells])
    first = u.iloc[0]
    return {"title": tr("compare.pu.title", lang),
            "text": tr("compare.pu.text", lang, sets=len(s.ensemble), n=int(first["n"]), groups=int(first["n_sets"]),
                       source=s.ensemble.source),
            "header": [tr("compare.policy_path", lang), *(outcome_label(o, lang) for o in outcomes)], "rows": rows}


def _definitions(c: Comparison, lang: str) -> list[tuple[str, str]]:
    s = c.settings
    p = c.scenarios[s.reference].params
    ref_annual = c.annual[(c.annual["scenario"] == s.reference) & c.annual["seed"].isin(c.seeds)]
    by_year = ref_annual.groupby("year")[["poverty_line_yuan", "monitoring_threshold_yuan"]].mean()
    first, last = by_year.index.min(), by_year.index.max()
    thresholds = sorted({float(sc.params.metrics.large_scale.county_threshold) for sc in c.scenarios.values()})
    large = tr("def.or", lang).join(f"{t:.0%}" for t in thresholds)
    mon = p.policy.monitoring.threshold_yuan.to_data()
    sep = "，" if lang == "zh" else ", "
    mon_text = (sep.join(tr("def.yuan_from", lang, value=v, when=_when(k, lang)) for k, v in mon.items())
                if isinstance(mon, dict) else tr("def.yuan", lang, value=mon))
    counties = c.counties[(c.counties["scenario"] == s.reference)].drop_duplicates("county")
    kinds = counties["county_type"].value_counts()
    pop = p.population
    per_county = pop.n_households / pop.n_counties
    kinds_text = ("、" if lang == "zh" else ", ").join(
        f"{int(kinds.get(k, 0))} {tr(f'def.counties.{k}', lang)}" for k in ("key", "formerly_poor", "never_poor"))
    items = [
        (tr("def.poverty_line", lang), tr(
            "def.poverty_line.text", lang, line=p.poverty_line_2020_yuan, first=first, last=last,
            first_value=by_year.at[first, "poverty_line_yuan"], last_value=by_year.at[last, "poverty_line_yuan"],
            guarantees=tr("def.guarantees", lang) if p.metrics.three_guarantees_check else "")),
        (tr("def.formerly_poor", lang), tr("def.formerly_poor.text", lang)),
        (tr("def.relapse", lang), tr("def.relapse.text", lang)),
        (tr("def.large_scale", lang), tr("def.large_scale.text", lang, large=large, per_county=per_county)),
        (tr("def.monitoring_threshold", lang), tr("def.monitoring_threshold.text", lang, mon=mon_text, last=last,
                                                  last_value=by_year.at[last, "monitoring_threshold_yuan"])),
        (tr("def.three_excesses", lang), tr("def.three_excesses.text", lang)),
        (tr("def.spending", lang), tr("def.spending.text", lang, counties=pop.n_counties,
                                      per_county=pop.real_households_per_county)),
        (tr("def.events", lang), tr("def.events.text", lang)),
        (tr("def.relative", lang), tr("def.relative.text", lang, share=p.metrics.relative_poverty_share)),
        (tr("def.counties", lang), kinds_text + ("。" if lang == "zh" else ".")),
        (tr("def.interval", lang), tr("def.interval.text", lang)),
    ]
    return items


def _differences(c: Comparison, lang: str) -> dict[str, Any]:
    from model.params import parameter_table

    names = list(c.settings.scenarios)
    meta = {row["path"]: row for row in parameter_table()}
    rows = []
    # policy levers first, then stress and other settings, each in the parameter tree's order
    for path, row in sorted(meta.items(), key=lambda item: not item[0].startswith("policy.")):
        values = [_data(c.scenarios[n].params.get(path)) for n in names]
        if len({json.dumps(v, sort_keys=True) for v in values}) <= 1:
            continue
        label = parameter_label(path, lang, default=row["doc"].rstrip("."))
        rows.append((path, label, [_plain_value(v, row["unit"], lang) for v in values]))
    return {"names": [scenario_label(n, lang) for n in names], "rows": rows,
            "params": c.scenarios[c.settings.reference].params}


def _made(c: Comparison, lang: str) -> dict[str, Any]:
    from model.results import environment

    env = environment()
    git = env.get("git") or {}
    seeds = c.seeds
    seed_text = (tr("compare.seeds_range", lang, a=seeds[0], b=seeds[-1])
                 if seeds == list(range(seeds[0], seeds[-1] + 1)) else ", ".join(map(str, seeds)))
    failed = len(c.failures)
    return {"seeds": seed_text,
            "failures": tr("compare.failures", lang, n=failed) if failed else tr("compare.no_failures", lang),
            "commit": git.get("commit") or tr("compare.unknown_commit", lang),
            "dirty": tr("compare.dirty", lang) if git.get("dirty") else "",
            "version": env.get("packages", {}).get("ruralsim", "unknown"), "python": env.get("python", "")}


# --------------------------------------------------------------------------------------------
# Values in words
# --------------------------------------------------------------------------------------------


def _ratio(r: float, lang: str) -> str:
    return tr("num.times", lang, x=r) if math.isfinite(r) else tr("num.na", lang)


def _data(value: Any) -> Any:
    return value.to_data() if hasattr(value, "to_data") else value


def _when(key: str, lang: str = "en") -> str:
    """'2023' → '2023'; '2023-06' → 'June 2023' (Chinese: '2023年6月')."""
    key = str(key)
    if "-" in key:
        year, month = key.split("-", 1)
        return f"{year}年{int(month)}月" if lang == "zh" else f"{month_name(int(month), lang)} {year}"
    return f"{key}年" if lang == "zh" else key


def _plain_number(value: float, unit: str, lang: str = "en") -> str:
    if isinstance(value, bool):
        return tr("cli.yes", lang) if value else tr("cli.no", lang)
    u = unit.lower()
    if u.startswith("flag"):
        return tr("cli.yes", lang) if value >= 0.5 else tr("cli.no", lang)
    if u.startswith("share") or u.startswith("probability"):
        return f"{value * 100:.0f}%" if abs(value * 100 - round(value * 100)) < 1e-9 else f"{value * 100:.1f}%"
    if "yuan" in u:
        return tr("def.yuan", lang, value=value)
    if isinstance(value, float) and value.is_integer() and abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,g}"


def _plain_value(value: Any, unit: str, lang: str = "en") -> str:
    """A setting's value in words: schedules as 'A from 2021; B from June 2023'."""
    if isinstance(value, Mapping):
        return "; ".join(tr("compare.from", lang, value=_plain_number(v, unit, lang), when=_when(k, lang))
                         for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain_number(v, unit, lang) for v in value)
    if isinstance(value, int | float):
        return _plain_number(value, unit, lang)
    return str(value)

