"""``ruralsim validate``: does a scenario reproduce the patterns in target files?

Pattern-oriented validation (Grimm et al. 2005): the scenario (default ``historical``) runs over
``--seeds`` replications (default 20, common random numbers); each target of the target files
(default the shipped in-sample targets, :mod:`experiments.fit.targets` for the format) gets the
simulated mean and 90% interval over replications, its tolerance and pass/fail; the overall score
is the share of targets that pass. Output directory: ``validation.md``, ``validation.html``,
``validation.csv``, ``figures/*.png``; ``--json FILE`` writes the rows as a JSON list.
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
from experiments.fit.targets import read_all
from experiments.report import markdown_table, number, render

DEFAULT_SCENARIO = "historical"
DEFAULT_SEEDS = 20
#: Replications below which a validation is marked indicative.
MIN_SEEDS = 20
JSON_KEYS = ("id", "indicator", "year", "value", "tolerance", "relative_tolerance", "unit", "simulated_mean",
             "simulated_p05", "simulated_p95", "n_runs", "pass", "source", "note")


def score(rows: Sequence[dict[str, Any]]) -> float:
    """Share of targets that pass."""
    return sum(bool(r["pass"]) for r in rows) / len(rows) if rows else float("nan")


def validate(scenario: str, target_paths: Sequence[Path], seeds: int, households: int | None = None,
             counties: int | None = None, seed_base: int = 1, progress=None, first: Pilot | None = None
             ) -> dict[str, Any]:
    """Run the validation; returns ``{"rows", "score", "targets", "reps", "meta"}`` (no files).
    ``first``: the first replication, already run (:func:`~experiments.fit.replications.pilot`)."""
    params = load_params(scenario, size_overrides(households, counties, None))
    targets = read_all(target_paths, years=simulated_years(params))
    t0 = time.perf_counter()
    reps = replicate(params, range(seed_base, seed_base + seeds), targets, progress, first=first)
    rows = target_rows(targets, reps)
    meta = {"scenario": scenario, "targets": [str(p) for p in target_paths], "seeds": list(reps.seeds),
            "households": params.population.n_households, "counties": params.population.n_counties,
            "years": f"{params.sim.start_year}-{params.sim.start_year + params.sim.n_years - 1}",
            "wall_time_s": time.perf_counter() - t0}
    return {"rows": rows, "score": score(rows), "targets": targets, "reps": reps, "meta": meta}


def _table(rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    header = ["id", "indicator", "year", "target", "tolerance", "simulated mean", "90% interval", "pass"]
    body = []
    for r in rows:
        tol = "" if r["tolerance"] is None else number(r["tolerance"], 4) + (" (relative)" if r["relative_tolerance"]
                                                                            else "")
        body.append([r["id"], r["indicator"], r["year"], r["value"], tol, number(r["simulated_mean"], 4),
                     f"{number(r['simulated_p05'], 4)} – {number(r['simulated_p95'], 4)}",
                     "pass" if r["pass"] else "FAIL"])
    return header, body


def write_report(result: dict[str, Any], out: Path) -> None:
    """Markdown, HTML, CSV and figures of a validation into ``out`` (an empty or new directory)."""
    import pandas as pd

    rows, meta = result["rows"], result["meta"]
    fig_dir = out / "figures"
    fig_dir.mkdir()
    title = f"Validation of '{meta['scenario']}': score {result['score']:.0%}"
    figs = [f for f in (
        targets_figure(result["targets"], rows, fig_dir / "targets.png", title),
        series_figure(result["targets"], result["reps"].annual_long(), fig_dir / "series.png",
                                  f"'{meta['scenario']}': mean and 90% band over {len(meta['seeds'])} replications"),
    ) if f is not None]
    n_pass = sum(r["pass"] for r in rows)
    caveat = (f" Fewer than {MIN_SEEDS} replications: the result is indicative only."
              if len(meta["seeds"]) < MIN_SEEDS else "")
    intro = (f"Scenario `{meta['scenario']}`, {meta['households']:,} households in {meta['counties']} counties, "
             f"{meta['years']}, {len(meta['seeds'])} replications (seeds {meta['seeds'][0]}-{meta['seeds'][-1]}). "
             f"Targets: {', '.join(meta['targets'])}. A target passes when the mean over replications is within "
             f"its tolerance.{caveat}")
    header, body = _table(rows)
    md = [f"# {title}", "", intro, "", f"**Overall score: {n_pass} of {len(rows)} targets pass "
          f"({result['score']:.0%}).**", "", markdown_table(header, body), ""]
    md += [f"![{f.stem}](figures/{f.name})" for f in figs]
    md += ["", "Sources: " + "; ".join(f"{r['id']}: {r['source']}" for r in rows), ""]
    (out / "validation.md").write_text("\n".join(md), encoding="utf-8")
    (out / "validation.html").write_text(
        render("validation.html.j2", title=title, intro=intro, n_pass=n_pass, rows=rows, score=result["score"],
               header=header, body=body, classes=["pass" if r["pass"] else "fail" for r in rows], figures=figs),
        encoding="utf-8")
    pd.DataFrame(rows).to_csv(out / "validation.csv", index=False)
    (out / "meta.json").write_text(json.dumps({**meta, "score": result["score"]}, indent=2), encoding="utf-8")


def json_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as JSON-safe objects (NaN as null)."""
    def clean(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    return [{k: clean(r[k]) for k in JSON_KEYS} for r in rows]
