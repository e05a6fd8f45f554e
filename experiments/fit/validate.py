"""``ruralsim validate``: does a scenario reproduce the patterns in target files?

Pattern-oriented validation (Grimm et al. 2005): the scenario (default ``baseline``, the one
baseline under every policy scenario: the calibrated history 2017-2020, then 2021 on) runs over
``--seeds`` replications (default 20, common random numbers); each target of the target files
(default the shipped in-sample and out-of-sample targets, :mod:`experiments.fit.targets` for the
format) gets the simulated mean and 90% interval over replications, its tolerance, pass/fail and
the gap of the mean from a level target; the overall score is the share of targets that pass.
A target is *out of sample* when its years reach past the scenario's history (into
``sim.first_outcome_year``, 2021, or later): the calibration fits the history only (``in_sample.csv``,
2017-2020), so those rows (``out_of_sample.csv``: the first transition year 2021, poverty again
after exit) test what the fit never saw; the report gives the in-sample and out-of-sample scores
apart. Output directory: ``validation.md``, ``validation.html`` (one
self-contained file, figures inside), the ``validation`` table (``--format``: csv or parquet),
``figures/*.png``, ``manifest.json`` (what was validated and how); ``--json FILE`` writes the rows as a
JSON list.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from experiments.fit.figures import series_figure, targets_figure
from experiments.fit.replications import Pilot, load_params, replicate, simulated_years, size_overrides, target_rows
from experiments.fit.targets import Target, read_all
from experiments.i18n import indicator_label, resolve, tr
from experiments.report import markdown_table, number, render

DEFAULT_SCENARIO = "baseline"
DEFAULT_SEEDS = 20
#: Replications below which a validation is marked indicative.
MIN_SEEDS = 20
JSON_KEYS = ("id", "indicator", "year", "value", "tolerance", "relative_tolerance", "unit", "simulated_mean",
             "simulated_p05", "simulated_p95", "n_runs", "pass", "sample", "gap", "gap_relative", "source", "note")


def seed_warnings(seeds: int, lang: str | None = None) -> list[str]:
    """Why fewer than :data:`MIN_SEEDS` replications give only an indicative validation (empty otherwise), in
    ``lang`` (None: the language in force)."""
    if seeds >= MIN_SEEDS:
        return []
    reps = tr("warn.reps_one" if seeds == 1 else "warn.reps_many", lang, n=seeds)
    return [tr("warn.validation", lang, reps=reps, n=seeds, least=MIN_SEEDS)]


def score(rows: Sequence[dict[str, Any]]) -> float:
    """Share of targets that pass."""
    return sum(bool(r["pass"]) for r in rows) / len(rows) if rows else float("nan")


def validate(scenario: str, target_paths: Sequence[Path], seeds: int, households: int | None = None,
             counties: int | None = None, seed_base: int = 1, progress=None, years: int | None = None,
             overrides: dict[str, Any] | None = None, first: Pilot | None = None) -> dict[str, Any]:
    """Run the validation; returns ``{"rows", "score", "targets", "reps", "meta"}`` (no files).

    ``overrides`` are dotted-path overrides of every run (``--set``), on top of the scenario;
    ``first``: the first replication, already run (:func:`~experiments.fit.replications.pilot`)."""
    params = load_params(scenario, {**(overrides or {}), **size_overrides(households, counties, years)})
    targets = read_all(target_paths, years=simulated_years(params))
    t0 = time.perf_counter()
    reps = replicate(params, range(seed_base, seed_base + seeds), targets, progress, first=first)
    rows = [{**row, **sample_and_gap(t, row, params.sim.first_outcome_year if params.sim.historical else None)}
            for t, row in zip(targets, target_rows(targets, reps), strict=True)]
    meta = {"scenario": scenario, "targets": [str(p) for p in target_paths], "seeds": list(reps.seeds),
            "households": params.population.n_households, "counties": params.population.n_counties,
            "years": f"{params.sim.start_year}-{params.sim.end_year}",
            "wall_time_s": time.perf_counter() - t0}
    meta["first_out_of_sample_year"] = params.sim.first_outcome_year if params.sim.historical else None
    return {"rows": rows, "score": score(rows), "targets": targets, "reps": reps, "meta": meta}


def sample_and_gap(target: Target, row: dict[str, Any], first_out: int | None) -> dict[str, Any]:
    """Whether a target is in or out of sample (one that reaches ``first_out`` or later, or a summary
    key, is out; None: every target is in sample), and for a level the gap of the simulated mean from
    the target: ``gap`` in the indicator's unit, ``gap_relative`` as a share of ``|value|``."""
    out = first_out is not None and (target.years is None or target.years[1] >= first_out)
    gap = row["simulated_mean"] - target.lo if target.kind == "level" else math.nan
    relative = gap / abs(target.lo) if target.kind == "level" and target.lo != 0 else math.nan
    return {"sample": "out" if out else "in", "gap": gap, "gap_relative": relative}


def sample_scores(rows: Sequence[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """``{"in": (passed, targets), "out": (passed, targets)}`` over the rows of each kind present."""
    out: dict[str, tuple[int, int]] = {}
    for kind in ("in", "out"):
        part = [r for r in rows if r.get("sample", "in") == kind]
        if part:
            out[kind] = (sum(bool(r["pass"]) for r in part), len(part))
    return out


def _table(rows: Sequence[dict[str, Any]], lang: str = "en") -> tuple[list[str], list[list[str]]]:
    header = tr("fit.header", lang).split("|")
    body = []
    for r in rows:
        relative = tr("fit.relative", lang) if r["relative_tolerance"] else ""
        tol = "" if r["tolerance"] is None else number(r["tolerance"], 4) + relative
        body.append([r["id"], indicator_label(r["indicator"], lang), r["year"], r["value"], tol,
                     number(r["simulated_mean"], 4),
                     f"{number(r['simulated_p05'], 4)} – {number(r['simulated_p95'], 4)}",
                     tr("fit.pass", lang) if r["pass"] else tr("fit.fail", lang),
                     _gap_text(r), tr(f"fit.sample.{r.get('sample', 'in')}", lang)])
    return header, body


def write_report(result: dict[str, Any], out: Path, fmt: str = "csv", lang: str | None = None) -> None:
    """Markdown, HTML, the table (``fmt``: csv or parquet), figures and glossary of a validation into ``out``
    (an empty or new directory), the words in ``lang`` (None: the language in force)."""
    import pandas as pd

    from experiments.glossary import write_glossary
    from experiments.tables import write_table

    lang = resolve(lang)
    rows, meta = result["rows"], result["meta"]
    fig_dir = out / "figures"
    fig_dir.mkdir()
    title = tr("fit.validation_title", lang, scenario=meta["scenario"], score=result["score"])
    figs = [f for f in (
        targets_figure(result["targets"], rows, fig_dir / "targets.png", title, lang),
        series_figure(result["targets"], result["reps"].annual_long(), fig_dir / "series.png",
                      tr("fit.series_title", lang, scenario=meta["scenario"], n=len(meta["seeds"])), lang),
    ) if f is not None]
    n_pass = sum(r["pass"] for r in rows)
    warnings = seed_warnings(len(meta["seeds"]), lang)
    intro = tr("fit.validation_intro", lang, scenario=meta["scenario"], households=meta["households"],
               counties=meta["counties"], years=meta["years"], n=len(meta["seeds"]), first=meta["seeds"][0],
               last=meta["seeds"][-1], targets=", ".join(meta["targets"]))
    header, body = _table(rows, lang)
    score_text = tr("fit.score", lang, n_pass=n_pass, n=len(rows), score=result["score"])
    parts = sample_scores(rows)
    if "out" in parts:
        (a, b), (c, d) = parts.get("in", (0, 0)), parts["out"]
        score_text += " " + tr("fit.sample_scores", lang, in_pass=a, n_in=b, out_pass=c, n_out=d,
                               first=meta.get("first_out_of_sample_year"))
    careful = tr("report.read_with_care", lang)
    md = [f"# {title}", "", intro, "", *(f"**{careful}:** {w}\n" for w in warnings), f"**{score_text}**", "",
          markdown_table(header, body), ""]
    md += [f"![{f.stem}](figures/{f.name})" for f in figs]
    md += ["", tr("fit.sources", lang) + ": " + "; ".join(f"{r['id']}: {r['source']}" for r in rows), ""]
    (out / "validation.md").write_text("\n".join(md), encoding="utf-8")
    (out / "validation.html").write_text(
        render("validation.html.j2", lang=lang, title=title, intro=intro, score_text=score_text, rows=rows,
               header=header, body=body, classes=["pass" if r["pass"] else "fail" for r in rows], figures=figs,
               warnings=warnings, glossary_link=True),
        encoding="utf-8")
    write_glossary(out, lang)
    write_table(pd.DataFrame(rows), out, "validation", fmt)
    # what was validated and how; its format marks an earlier ruralsim output that --force may replace
    (out / "manifest.json").write_text(json.dumps({"format": "ruralsim-validation/1", **meta,
                                                   "score": result["score"]}, indent=2), encoding="utf-8")


def _gap_text(row: dict[str, Any]) -> str:
    gap, relative = row.get("gap", math.nan), row.get("gap_relative", math.nan)
    if not math.isfinite(gap):
        return ""
    text = number(gap, 4)
    return f"{text} ({relative:+.1%})" if math.isfinite(relative) else text


def json_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as JSON-safe objects (NaN as null)."""
    def clean(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    return [{k: clean(r[k]) for k in JSON_KEYS} for r in rows]
